//! The diagnosis of a set of logs: ranked causes, install attempts, the
//! files read; as the `lastrollup.diagnose/1` JSON contract
//! (docs/schema/diagnose-1.schema.json) or as text.

use std::fmt::Write as _;

use serde::Serialize;

use crate::catalog::Catalog;

use super::cause::{self, Cause};
use super::model::{Attempt, Event, Signal};
use super::LogFile;

/// The schema id of the JSON form.
pub const SCHEMA: &str = "lastrollup.diagnose/1";

/// What the logs say, as a whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnosis {
    /// Always [`SCHEMA`].
    pub schema: &'static str,
    /// Whether any failure was found (`causes` is not empty).
    pub failure_found: bool,
    /// The causes, most likely first.
    pub causes: Vec<Cause>,
    /// Install attempts, in time order (attempts without a time last).
    pub attempts: Vec<Attempt>,
    /// The files read.
    pub files: Vec<LogFile>,
    /// Remarks about the input (files that are not NT 6.0, cut lines).
    pub notes: Vec<String>,
}

/// Diagnoses the files read together.
pub fn diagnose(files: Vec<LogFile>, catalog: &Catalog) -> Diagnosis {
    let nt60 = files.iter().any(|f| f.os.verdict == "nt60");
    let events: Vec<_> = files
        .iter()
        .flat_map(|f| f.events.iter().cloned())
        .map(|e| wrong_package(e, nt60))
        .collect();
    let causes = cause::rank(&events, catalog);
    let mut attempts: Vec<Attempt> = files
        .iter()
        .flat_map(|f| f.attempts.iter().cloned())
        .collect();
    attempts.sort_by(|a, b| match (&a.time, &b.time) {
        (Some(x), Some(y)) => x.cmp(y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    let notes = notes(&files);
    Diagnosis {
        schema: SCHEMA,
        failure_found: !causes.is_empty(),
        causes,
        attempts,
        files,
        notes,
    }
}

/// Package names for other Windows versions (`Windows6.1-KB…`).
const OTHER_PACKAGES: &[&str] = &[
    "windows6.1-",
    "windows8-",
    "windows8.1-",
    "windowsblue-",
    "windows10.0-",
    "windowsxp-",
    "windowsserver2003-",
];

/// On a machine the logs show to be NT 6.0, an update that does not
/// apply because the package is for another Windows is the wrong package.
fn wrong_package(mut e: Event, nt60: bool) -> Event {
    if nt60 && e.signal == Signal::NotApplicable {
        let lower = e.evidence.text.to_ascii_lowercase();
        if OTHER_PACKAGES.iter().any(|p| lower.contains(p)) {
            e.signal = Signal::WrongPackage;
        }
    }
    e
}

fn notes(files: &[LogFile]) -> Vec<String> {
    let mut out = Vec::new();
    for f in files {
        if f.os.verdict == "not-nt60" {
            let line = f.os.line.unwrap_or(0);
            out.push(format!(
                "{}:{line}: the lines look like {}, not Windows Vista / Server 2008 (NT 6.0); the fixes below are written for NT 6.0",
                f.file,
                f.os.family.unwrap_or("another Windows"),
            ));
        }
        if f.truncated_lines > 0 {
            out.push(format!(
                "{}: {} line(s) longer than {} bytes were cut",
                f.file,
                f.truncated_lines,
                super::lines::MAX_LINE_BYTES
            ));
        }
        if f.dropped_events > 0 {
            out.push(format!(
                "{}: {} more matching line(s) not listed",
                f.file, f.dropped_events
            ));
        }
    }
    out
}

impl Diagnosis {
    /// The JSON form (`lastrollup.diagnose/1`).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }

    /// The text form for people.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} file(s) read; {}",
            self.files.len(),
            match self.causes.len() {
                0 => "no failure found".to_owned(),
                1 => "1 cause".to_owned(),
                n => format!("{n} causes, most likely first"),
            }
        );
        for n in &self.notes {
            let _ = writeln!(out, "note: {n}");
        }
        for (i, c) in self.causes.iter().enumerate() {
            text_cause(&mut out, i + 1, c);
        }
        if !self.attempts.is_empty() {
            let _ = writeln!(out, "\nInstall attempts:");
            for a in &self.attempts {
                let _ = writeln!(
                    out,
                    "  {:<23} {:<10} {:<15} {}  ({}:{})",
                    a.time.as_deref().unwrap_or("-"),
                    a.kb.as_deref().unwrap_or("-"),
                    serde_json::to_value(a.result)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default(),
                    a.error_code.as_deref().unwrap_or(""),
                    a.evidence.file,
                    a.evidence.line
                );
            }
        }
        out
    }
}

fn text_cause(out: &mut String, n: usize, c: &Cause) {
    let _ = writeln!(out, "\n{n}. {} — {}", c.id, c.title);
    let code = match (&c.error_code, &c.error_name) {
        (Some(code), Some(name)) => format!("{code} ({name})"),
        (Some(code), None) => code.clone(),
        _ => "-".to_owned(),
    };
    let _ = writeln!(
        out,
        "   error: {code}   update: {}",
        c.kb.as_deref().unwrap_or("-")
    );
    let _ = writeln!(out, "   {}", c.meaning);
    let _ = writeln!(out, "   evidence:");
    for e in &c.evidence {
        let _ = writeln!(out, "     {}:{}: {}", e.file, e.line, e.text);
    }
    if !c.damaged.is_empty() {
        let _ = writeln!(out, "   damaged or needed files (CheckSUR):");
        for d in &c.damaged {
            let _ = writeln!(out, "     {d}");
        }
    }
    if !c.host.is_empty() {
        let _ = writeln!(out, "   host evidence:");
        for h in &c.host {
            let v = serde_json::to_value(h.verdict)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "     {v}: {} ({}:{})",
                h.evidence.text, h.evidence.file, h.evidence.line
            );
        }
    }
    if !c.missing.is_empty() {
        let _ = writeln!(out, "   not in these logs — collect:");
        for m in &c.missing {
            let _ = writeln!(out, "     {m}");
        }
    }
    let _ = writeln!(out, "   fix:");
    for (i, s) in c.fix.iter().enumerate() {
        let _ = writeln!(out, "     {}. {s}", i + 1);
    }
}
