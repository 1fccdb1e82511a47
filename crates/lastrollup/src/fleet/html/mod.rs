//! The offline HTML dashboard: one self-contained file for people who never
//! open a terminal.
//!
//! * **No request.** The page's style and script are inline (`style.css`,
//!   `app.js` beside this file); there is no CDN, web font or external
//!   image, and the Content-Security-Policy (the first element of `<head>`)
//!   allows nothing else: `default-src 'none'`, the script and the style by
//!   their SHA-256 over the exact bytes written, Trusted Types with no
//!   policy (so no string ever reaches an HTML sink).
//! * **Data as JSON.** The [`data::Data`] projection of the report sits in a
//!   `<script type="application/json" id="data">` block, with `<`, `>`, `&`,
//!   U+2028 and U+2029 written as `\u003c`-style escapes ([`script_json`]):
//!   no input can close the block or open a comment in it.
//! * **Without JavaScript** the summary, the changes since the last run,
//!   the trend charts (inline SVG), the worst hosts, the known-exploited
//!   CVEs, lifecycle, machines sharing a name and files not used are plain
//!   HTML rendered here ([`page`], [`svg`]). The script adds the table of
//!   every host (sort, filter, search, paging; the view in the URL
//!   fragment) and a drill-down per host, building the DOM with
//!   `textContent` and `createElement` only.
//!
//! Nothing is decided here: the page shows what the [`FleetReport`] says.

pub mod data;
pub mod page;
pub mod svg;

use std::io::Write;

use base64::Engine as _;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::FleetReport;

/// The page's script (`app.js`), inlined and hashed into the policy.
pub const SCRIPT: &str = include_str!("app.js");

/// The page's style sheet (`style.css`), inlined and hashed into the policy.
pub const STYLE: &str = include_str!("style.css");

/// The fleet at one run of its history: one point of the trend charts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrendPoint {
    /// The day of the run.
    pub as_of: Date,
    /// Hosts seen.
    pub hosts: usize,
    /// Hosts at the final baseline.
    pub at_final: usize,
    /// Open known-exploited exposures (host × CVE pairs).
    pub kev_open: usize,
}

/// What a history adds to a report: the changes since the previous run and
/// the trend over every run. Empty without a history.
#[derive(Debug, Clone, Default)]
pub struct Extras {
    /// The report's `changes` object (`new_hosts`, `gone_hosts`,
    /// `improved`, `regressed` …, each a list of hosts or ids), as JSON.
    pub changes: Option<serde_json::Value>,
    /// One point per run, oldest first; fewer than two draw no chart.
    pub trend: Vec<TrendPoint>,
}

/// JSON made safe inside a `<script>` element: `<`, `>`, `&`, U+2028 and
/// U+2029 (which only occur inside JSON strings) become `\u003c`-style
/// escapes, so no value can end the element (`</script`), open a comment
/// (`<!--`) or break an old JavaScript parser.
pub fn script_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + json.len() / 16);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// `'sha256-…'`: a CSP source matching exactly these bytes.
pub fn csp_hash(bytes: &str) -> String {
    let digest = Sha256::digest(bytes.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// The page's Content-Security-Policy: nothing but the inline script and
/// style of exactly these bytes, and `data:` images.
pub fn csp(script: &str, style: &str) -> String {
    format!(
        "default-src 'none'; script-src {}; style-src {}; img-src data:; \
         base-uri 'none'; form-action 'none'; \
         require-trusted-types-for 'script'; trusted-types 'none'",
        csp_hash(script),
        csp_hash(style)
    )
}

/// The embedded data of the report, as JSON safe inside a `<script>`.
pub fn data_json(report: &FleetReport<'_>, extras: &Extras) -> String {
    let data = data::of(report, extras);
    // Strings, numbers and dates only: serializing cannot fail.
    let json = serde_json::to_string(&data).unwrap_or_else(|_| "{}".to_owned());
    script_json(&json)
}

/// The whole page.
pub fn render(report: &FleetReport<'_>, extras: &Extras) -> String {
    let mut out = String::with_capacity(64 * 1024 + report.hosts.len() * 160);
    page::head(&mut out, report, &csp(SCRIPT, STYLE), STYLE);
    page::body(&mut out, report, extras);
    out.push_str("<script type=\"application/json\" id=\"data\">");
    out.push_str(&data_json(report, extras));
    out.push_str("</script>\n<script>");
    out.push_str(SCRIPT);
    out.push_str("</script>\n</body>\n</html>\n");
    out
}

/// Writes the page to `out`.
pub fn write<W: Write>(
    report: &FleetReport<'_>,
    extras: &Extras,
    mut out: W,
) -> std::io::Result<()> {
    out.write_all(render(report, extras).as_bytes())?;
    out.flush()
}

#[cfg(test)]
mod tests;
