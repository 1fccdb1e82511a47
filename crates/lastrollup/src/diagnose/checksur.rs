//! CheckSUR.log / CheckSUR.persist.log, written by the System Update
//! Readiness Tool (KB947821) in `%windir%\Logs\CBS`.
//!
//! Finding lines are `(f) <kind> <code> <path> [detail]` (found, not fixed)
//! and `(fix) <kind> <code> <path>` (fixed); `Unavailable repair files:` is
//! followed by the paths of files the tool needed and did not have. A file
//! found and later fixed is not reported. `CheckSUR.persist.log` appends
//! every run: a new `Checking System Update Readiness.` header starts over,
//! so the last run is what counts.

use std::collections::HashSet;

use super::lines::LogLine;
use super::model::Signal;
use super::rules::{self, Level};
use super::sink::{At, Sink};
use super::LogReader;

/// Reads CheckSUR logs.
#[derive(Debug, Default)]
pub struct CheckSurReader {
    in_unavailable: bool,
    fixed: HashSet<String>,
    /// Index in the sink's events where the current run starts.
    run_start: usize,
}

/// Whether `text` is a CheckSUR line.
pub fn looks_like(text: &str) -> bool {
    text.starts_with("Checking System Update Readiness")
        || text.starts_with("(f) ")
        || text.starts_with("(fix) ")
        || text.starts_with("Unavailable repair files:")
}

/// A finding line: (fixed, kind, code, path).
pub fn parse_finding(text: &str) -> Option<(bool, String, Option<u32>, String)> {
    let (fixed, rest) = if let Some(r) = text.strip_prefix("(fix)") {
        (true, r)
    } else {
        (false, text.strip_prefix("(f)")?)
    };
    let tokens: Vec<&str> = rest.split_whitespace().collect();
    let code_at = tokens.iter().position(|t| t.starts_with("0x"))?;
    let kind = tokens.get(..code_at)?.join(" ");
    let code = tokens
        .get(code_at)
        .and_then(|t| u32::from_str_radix(t.get(2..)?, 16).ok())
        .filter(|&c| c >= 0x10000);
    let path = tokens.get(code_at + 1)?.to_string();
    Some((fixed, kind, code, path))
}

fn is_repair_path(text: &str) -> bool {
    let t = text.trim().to_ascii_lowercase();
    (t.starts_with("servicing\\") || t.starts_with("winsxs\\"))
        && (t.ends_with(".mum") || t.ends_with(".cat") || t.ends_with(".manifest"))
}

impl LogReader for CheckSurReader {
    fn line(&mut self, line: &LogLine, sink: &mut Sink<'_>) {
        let text = line.text.trim_start();
        sink.os.scan(line.number, text);
        let at = At {
            line: line.number,
            time: None,
            component: Some("CheckSUR"),
            level: Level::Error,
            raw: None,
        };
        if text.starts_with("Checking System Update Readiness") {
            self.new_run(sink);
        } else if text.starts_with("Unavailable repair files:") {
            self.in_unavailable = true;
        } else if self.in_unavailable && is_repair_path(text) {
            sink.push(
                Signal::RepairFileNeeded,
                None,
                at,
                text,
                Some(text.trim().to_owned()),
            );
        } else if let Some((fixed, _kind, code, path)) = parse_finding(text) {
            self.in_unavailable = false;
            if fixed {
                self.fixed.insert(path.to_ascii_lowercase());
            } else {
                sink.push(Signal::DamagedFile, code, at, text, Some(path));
            }
        } else if !text.is_empty() {
            self.in_unavailable = false;
        }
        let _ = rules::kb;
    }

    fn finish(&mut self, sink: &mut Sink<'_>) {
        let fixed = &self.fixed;
        let start = self.run_start.min(sink.events.len());
        let mut i = start;
        while i < sink.events.len() {
            let e = &sink.events[i];
            let gone = e.signal == Signal::DamagedFile
                && e.detail
                    .as_ref()
                    .is_some_and(|d| fixed.contains(&d.to_ascii_lowercase()));
            if gone {
                sink.events.remove(i);
            } else {
                i += 1;
            }
        }
    }
}

impl CheckSurReader {
    /// A new run in a persist log: what earlier runs found no longer counts.
    fn new_run(&mut self, sink: &mut Sink<'_>) {
        sink.events
            .retain(|e| !matches!(e.signal, Signal::DamagedFile | Signal::RepairFileNeeded));
        self.fixed.clear();
        self.in_unavailable = false;
        self.run_start = sink.events.len();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings() {
        let (fixed, kind, code, path) = parse_finding(
            "(f) CBS MUM Corrupt 0x800B0100  servicing\\Packages\\Package_for_KB978601~31bf3856ad364e35~amd64~~6.0.1.0.mum   x",
        )
        .expect("finding");
        assert!(!fixed);
        assert_eq!(kind, "CBS MUM Corrupt");
        assert_eq!(code, Some(0x800B_0100));
        assert!(path.ends_with(".mum"));
        assert!(
            parse_finding("(fix) CBS MUM Missing 0x00000002 servicing\\packages\\a.mum")
                .is_some_and(|f| f.0)
        );
    }
}
