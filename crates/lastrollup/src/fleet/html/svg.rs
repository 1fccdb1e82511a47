//! Trend charts as inline SVG, drawn here (no chart library, no script):
//! they show without JavaScript and print. Runs are placed by their date,
//! so uneven gaps between runs read as such; each chart has a one-line text
//! summary and the numbers are in a table beside it.

use std::fmt::Write as _;

use super::TrendPoint;

const W: f64 = 560.0;
const H: f64 = 220.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 40.0;

/// Which series a chart draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Series {
    /// Hosts at the final baseline, against all hosts seen.
    AtFinal,
    /// Open known-exploited exposures (host × CVE pairs).
    KevOpen,
}

impl Series {
    fn title(self) -> &'static str {
        match self {
            Series::AtFinal => "Hosts at the final baseline",
            Series::KevOpen => "Open known-exploited exposures (host × CVE)",
        }
    }

    fn value(self, p: &TrendPoint) -> usize {
        match self {
            Series::AtFinal => p.at_final,
            Series::KevOpen => p.kev_open,
        }
    }

    fn slug(self) -> &'static str {
        match self {
            Series::AtFinal => "at-final",
            Series::KevOpen => "kev-open",
        }
    }
}

/// Days from the first run to each run.
fn days(points: &[TrendPoint]) -> Vec<f64> {
    let first = points.first().map(|p| p.as_of);
    points
        .iter()
        .map(|p| {
            first
                .and_then(|f| f.until(p.as_of).ok())
                .map_or(0.0, |s| f64::from(s.get_days()))
        })
        .collect()
}

/// The plot coordinates of each point for values up to `max`.
fn coords(points: &[TrendPoint], values: &[usize], max: usize) -> Vec<(f64, f64)> {
    let d = days(points);
    let span = d.last().copied().unwrap_or(0.0).max(1.0);
    let max = max.max(1) as f64;
    d.iter()
        .zip(values)
        .map(|(x, v)| {
            (
                LEFT + x / span * (W - LEFT - RIGHT),
                TOP + (1.0 - *v as f64 / max) * (H - TOP - BOTTOM),
            )
        })
        .collect()
}

fn polyline(out: &mut String, pts: &[(f64, f64)], class: &str) {
    let list: Vec<String> = pts.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
    write!(
        out,
        "<polyline class=\"{class}\" points=\"{}\"/>",
        list.join(" ")
    )
    .ok();
    for (x, y) in pts {
        write!(
            out,
            "<circle class=\"{class}\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3\"/>"
        )
        .ok();
    }
}

fn axes(out: &mut String, points: &[TrendPoint], max: usize) {
    let (x0, x1, y0, y1) = (LEFT, W - RIGHT, TOP, H - BOTTOM);
    write!(out, "<path class=\"axis\" d=\"M{x0},{y0} V{y1} H{x1}\"/>").ok();
    for v in [max, max / 2, 0] {
        let y = y1 - v as f64 / max.max(1) as f64 * (y1 - y0);
        write!(
            out,
            "<text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{v}</text>",
            x0 - 6.0,
            y + 4.0
        )
        .ok();
    }
    if let (Some(first), Some(last)) = (points.first(), points.last()) {
        let y = y1 + 18.0;
        write!(
            out,
            "<text class=\"tick\" x=\"{x0}\" y=\"{y}\" text-anchor=\"start\">{}</text>",
            first.as_of
        )
        .ok();
        write!(
            out,
            "<text class=\"tick\" x=\"{x1}\" y=\"{y}\" text-anchor=\"end\">{}</text>",
            last.as_of
        )
        .ok();
    }
}

/// The one-line summary of a series: from the first run to the last.
pub fn summary(points: &[TrendPoint], series: Series) -> String {
    match (points.first(), points.last()) {
        (Some(a), Some(b)) => format!(
            "{}: {} on {} to {} on {} ({} runs).",
            series.title(),
            series.value(a),
            a.as_of,
            series.value(b),
            b.as_of,
            points.len()
        ),
        _ => format!("{}: no runs.", series.title()),
    }
}

/// Appends one chart as a `<figure>` with an inline `<svg>`.
pub fn chart(out: &mut String, points: &[TrendPoint], series: Series) {
    let values: Vec<usize> = points.iter().map(|p| series.value(p)).collect();
    let hosts: Vec<usize> = points.iter().map(|p| p.hosts).collect();
    let max = match series {
        Series::AtFinal => hosts.iter().copied().max().unwrap_or(0),
        Series::KevOpen => values.iter().copied().max().unwrap_or(0),
    };
    let id = series.slug();
    write!(
        out,
        "<figure class=\"chart\"><figcaption id=\"c-{id}\">{}</figcaption>\
         <svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {W} {H}\" role=\"img\" aria-labelledby=\"c-{id} d-{id}\">\
         <desc id=\"d-{id}\">{}</desc>",
        series.title(),
        summary(points, series)
    )
    .ok();
    axes(out, points, max);
    if series == Series::AtFinal {
        polyline(out, &coords(points, &hosts, max), "all");
    }
    polyline(out, &coords(points, &values, max), id);
    write!(
        out,
        "</svg><p class=\"note\">{}</p></figure>",
        summary(points, series)
    )
    .ok();
}

/// The numbers behind the charts, as a table.
pub fn table(out: &mut String, points: &[TrendPoint]) {
    out.push_str("<details class=\"trend-data\"><summary>The numbers</summary><table><caption>The fleet at each run</caption>\
        <thead><tr><th scope=\"col\">run</th><th scope=\"col\" class=\"num\">hosts</th><th scope=\"col\" class=\"num\">at the final baseline</th><th scope=\"col\" class=\"num\">open known-exploited exposures</th></tr></thead><tbody>");
    for p in points {
        write!(
            out,
            "<tr><th scope=\"row\">{}</th><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            p.as_of, p.hosts, p.at_final, p.kev_open
        )
        .ok();
    }
    out.push_str("</tbody></table></details>\n");
}
