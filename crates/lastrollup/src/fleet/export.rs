//! Exports for spreadsheets and SIEMs: one CSV row per host, one JSON line
//! per host, one CSV row per host and open (or unverified) CVE.
//!
//! CSV follows RFC 4180 (CRLF line ends, fields quoted when they hold a
//! quote, a comma or a line break), in UTF-8 with a byte-order mark so that
//! Excel reads it as UTF-8. Every text cell whose first character (after
//! spaces) could start a formula — `=`, `+`, `-`, `@`, TAB, CR, LF, NUL, or
//! their full-width forms — is prefixed with `'` (OWASP "CSV Injection");
//! numeric columns are written as plain numbers and never prefixed. Column
//! names are stable ([`HOST_COLUMNS`], [`CVE_COLUMNS`]; docs/fleet.md).

use std::borrow::Cow;
use std::io::Write;

use serde::Serialize;

use super::{FleetHost, FleetReport};
use crate::assess::exposure::Status;

/// Why an export could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExportError {
    /// Writing failed.
    #[error("cannot write: {0}")]
    Io(#[from] std::io::Error),
    /// The CSV writer failed.
    #[error("cannot write CSV: {0}")]
    Csv(#[from] csv::Error),
    /// A JSON line could not be written.
    #[error("cannot write JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// The byte-order mark that tells Excel a CSV file is UTF-8.
pub const BOM: &str = "\u{FEFF}";

/// Whether a text cell could be read as a formula by a spreadsheet.
fn formula_like(text: &str) -> bool {
    let t = text.trim_start_matches(' ');
    matches!(
        t.chars().next(),
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\n' | '\0' | '＝' | '＋' | '－' | '＠')
    )
}

/// A text cell made safe against formula injection: prefixed with `'` when
/// it could start a formula, otherwise unchanged.
pub fn neutralise(text: &str) -> Cow<'_, str> {
    if formula_like(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// The columns of the per-host CSV, in order.
pub const HOST_COLUMNS: [&str; 32] = [
    "host_id",
    "host_name",
    "domain",
    "product_id",
    "install_date",
    "role",
    "family",
    "edition",
    "installation",
    "arch",
    "service_pack",
    "build",
    "revision",
    "status",
    "product",
    "baseline_month",
    "months_behind",
    "at_final",
    "at_goal",
    "next_step",
    "plan_steps",
    "open_cves",
    "unverified_cves",
    "known_exploited_open",
    "known_exploited_any",
    "findings_error",
    "findings_warning",
    "findings_info",
    "finding_ids",
    "lifecycle_state",
    "profile",
    "sources",
];

/// The columns of the per-host-per-CVE CSV, in order.
pub const CVE_COLUMNS: [&str; 10] = [
    "host_id",
    "host_name",
    "cve",
    "status",
    "severity",
    "known_exploited",
    "kev_date_added",
    "ransomware",
    "fixed_by",
    "profile",
];

fn text(v: Option<&str>) -> String {
    neutralise(v.unwrap_or("")).into_owned()
}

fn num<T: ToString>(v: Option<T>) -> String {
    v.map(|n| n.to_string()).unwrap_or_default()
}

fn host_row(h: &FleetHost) -> Vec<String> {
    let b = h.baseline.as_ref();
    let e = &h.exposure;
    let f = &h.findings;
    vec![
        text(Some(&h.id)),
        text(h.host.name.as_deref()),
        text(h.host.domain.as_deref()),
        text(h.product_id.as_deref()),
        text(h.host.install_date.as_deref()),
        text(h.host.role),
        text(h.os.family.as_deref()),
        text(h.os.edition.as_deref()),
        text(h.os.installation.as_deref()),
        text(h.os.arch.as_deref()),
        num(h.os.service_pack),
        num(h.os.build),
        num(h.os.revision),
        text(Some(h.status)),
        text(h.product.as_deref()),
        num(b.and_then(|b| b.month)),
        num(b.and_then(|b| b.months_behind)),
        num(b.map(|b| b.at_final)),
        num(b.map(|b| b.at_goal)),
        text(b.and_then(|b| b.next_steps.first()).map(String::as_str)),
        num(b.map(|b| b.next_steps.len())),
        e.open.to_string(),
        e.unverified.to_string(),
        e.known_exploited.to_string(),
        e.known_exploited_any.to_string(),
        f.error.to_string(),
        f.warning.to_string(),
        f.info.to_string(),
        text(Some(&f.ids.join(" "))),
        text(h.lifecycle),
        text(Some(&e.profile)),
        text(Some(&h.sources.join(" | "))),
    ]
}

fn csv_writer<W: Write>(mut out: W) -> Result<csv::Writer<W>, ExportError> {
    out.write_all(BOM.as_bytes())?;
    Ok(csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(out))
}

/// Writes one CSV row per host ([`HOST_COLUMNS`]).
pub fn hosts_csv<W: Write>(report: &FleetReport<'_>, out: W) -> Result<(), ExportError> {
    let mut w = csv_writer(out)?;
    w.write_record(HOST_COLUMNS)?;
    for h in &report.hosts {
        w.write_record(host_row(h))?;
    }
    w.flush()?;
    Ok(())
}

/// One JSON line: the host and the ids of its open known-exploited CVEs.
#[derive(Serialize)]
struct Line<'a> {
    schema: &'static str,
    as_of: jiff::civil::Date,
    #[serde(flatten)]
    host: &'a FleetHost,
    known_exploited_open: Vec<&'a str>,
}

/// The schema id of a JSON line.
pub const JSONL_SCHEMA: &str = "lastrollup.fleet.host/1";

/// Writes one JSON object per host and line.
pub fn hosts_jsonl<W: Write>(report: &FleetReport<'_>, mut out: W) -> Result<(), ExportError> {
    for h in &report.hosts {
        let kev = report.profiles[h.profile]
            .detail
            .iter()
            .flat_map(|d| &d.cves)
            .filter(|c| c.status == Status::Open && c.kev.is_some())
            .map(|c| c.id)
            .collect();
        let line = Line {
            schema: JSONL_SCHEMA,
            as_of: report.as_of,
            host: h,
            known_exploited_open: kev,
        };
        serde_json::to_writer(&mut out, &line)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}

/// The CVE columns of one profile's rows (all but `host_id` and
/// `host_name`), rendered once as CSV lines: a host's rows are then its two
/// cells and these bytes, whatever the number of hosts.
fn profile_rows(p: &super::Profile<'_>) -> Result<Vec<Vec<u8>>, ExportError> {
    let mut rows = Vec::new();
    for c in p.detail.iter().flat_map(|d| &d.cves) {
        let fixed: Vec<String> = c.fixed_by().iter().map(ToString::to_string).collect();
        let status = match c.status {
            Status::Open => "open",
            Status::Unverified => "unverified",
        };
        let row = record(
            [
                &*neutralise(c.id),
                status,
                c.severity.as_str(),
                if c.kev.is_some() { "true" } else { "false" },
                &num(c.kev.as_ref().map(|k| k.date_added)),
                &num(c.kev.as_ref().map(|k| k.ransomware)),
                &fixed.join(" "),
                &neutralise(&p.id),
            ],
            csv::Terminator::CRLF,
        )?;
        rows.push(row);
    }
    Ok(rows)
}

/// One CSV record as bytes, ending in `terminator`.
fn record<'r>(
    cells: impl IntoIterator<Item = &'r str>,
    terminator: csv::Terminator,
) -> Result<Vec<u8>, ExportError> {
    let mut w = csv::WriterBuilder::new()
        .terminator(terminator)
        .quote_style(csv::QuoteStyle::Necessary)
        .buffer_capacity(256)
        .from_writer(Vec::new());
    w.write_record(cells)?;
    w.into_inner().map_err(|e| ExportError::Io(e.into_error()))
}

/// Writes one CSV row per host and open or unverified CVE ([`CVE_COLUMNS`]).
/// Rows come host by host, each host's CVEs known-exploited first; the
/// file can be large (hosts × CVEs), so it is written as it goes.
pub fn cves_csv<W: Write>(report: &FleetReport<'_>, out: W) -> Result<(), ExportError> {
    let mut w = csv_writer(out)?;
    w.write_record(CVE_COLUMNS)?;
    w.flush()?;
    let mut out = w
        .into_inner()
        .map_err(|e| ExportError::Io(e.into_error()))?;
    let tails: Vec<Vec<Vec<u8>>> = report
        .profiles
        .iter()
        .map(profile_rows)
        .collect::<Result<_, _>>()?;
    // `host_id,host_name,` as CSV, then each of the profile's rows.
    for h in &report.hosts {
        let id = text(Some(&h.id));
        let name = text(h.host.name.as_deref());
        let head = record([id.as_str(), name.as_str()], csv::Terminator::Any(b','))?;
        for row in &tails[h.profile] {
            out.write_all(&head)?;
            out.write_all(row)?;
        }
    }
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neutralises_formula_starts_only() {
        for bad in [
            "=cmd|' /C calc'!A0",
            "+1",
            "-2+3",
            "@SUM(1)",
            "\t=1",
            "\r=1",
            "\n=1",
            " =1+1",
            "＝1+1",
        ] {
            assert_eq!(neutralise(bad), format!("'{bad}"), "{bad:?}");
        }
        for good in ["SRV01", "KB4474419", "a=b", "", "{=1+1}"] {
            assert_eq!(neutralise(good), good);
        }
    }
}
