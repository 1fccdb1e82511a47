//! Event log text: `wevtutil qe <log> /f:text` and Event Viewer's copied
//! event details.
//!
//! Both write `Label: value` fields (`Log Name:`, `Source:`, `Date:`,
//! `Event ID:`, `Level:`, `Description:`) followed by the description text;
//! wevtutil starts every event with `Event[N]:`. Each event's description
//! is one record for the shared rules, with the event's level and source:
//! Windows Update Agent event 20 (`Installation Failure: … error 0x…`),
//! WUSA event 3 (`could not be installed because of error 2359302`),
//! Servicing 4375, Service Pack installer event 8, ESENT 471 (`catdb …
//! -614`).

use super::lines::LogLine;
use super::model::AttemptResult;
use super::record::Pending;
use super::rules::{self, Level};
use super::sink::{At, Sink};
use super::LogReader;

/// Reads event log text.
#[derive(Debug, Default)]
pub struct EventLogReader {
    source: Option<String>,
    date: Option<String>,
    level: Option<Level>,
    pending: Pending,
}

/// Whether `text` is an event log text line.
pub fn looks_like(text: &str) -> bool {
    let t = text.trim_start();
    (t.starts_with("Event[") && t.ends_with("]:"))
        || t.starts_with("Log Name:")
        || t.starts_with("Event ID:")
}

fn field<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    text.trim_start().strip_prefix(name).map(str::trim)
}

impl LogReader for EventLogReader {
    fn line(&mut self, line: &LogLine, sink: &mut Sink<'_>) {
        let text = line.text.as_str();
        let t = text.trim_start();
        if (t.starts_with("Event[") && t.ends_with("]:")) || t.starts_with("Log Name:") {
            self.flush(sink);
            self.source = None;
            self.level = None;
            self.date = None;
        } else if let Some(v) = field(text, "Source:") {
            self.source = Some(v.to_owned());
        } else if let Some(v) = field(text, "Date:") {
            self.date = Some(v.to_owned());
        } else if let Some(v) = field(text, "Level:") {
            self.level = Some(match v {
                "Error" | "Critical" => Level::Error,
                "Warning" => Level::Warning,
                _ => Level::Info,
            });
        } else if let Some(v) = field(text, "Description:") {
            self.flush(sink);
            let level = self.level.unwrap_or(Level::Unstated);
            self.pending
                .start(line, self.date.as_deref(), self.source.as_deref(), level, v);
        } else if !t.is_empty() && !self.pending.extend(line) && !is_field(t) {
            let at = At::bare(line.number);
            sink.record(at, t);
        }
    }

    fn finish(&mut self, sink: &mut Sink<'_>) {
        self.flush(sink);
    }
}

fn is_field(t: &str) -> bool {
    t.split_once(':')
        .is_some_and(|(k, _)| k.len() < 20 && !k.contains(['\\', '/']))
}

impl EventLogReader {
    fn flush(&mut self, sink: &mut Sink<'_>) {
        self.pending.flush(sink, |sink, at, text| {
            let found = sink.record(at, text);
            let install = text.contains("Installation Failure")
                || text.contains("could not be installed")
                || text.contains("was successfully installed")
                || text.contains("Installation Successful");
            if install {
                let failed = !text.contains("success");
                let result = if failed {
                    AttemptResult::Failed
                } else {
                    AttemptResult::Succeeded
                };
                let code = found.and_then(|(_, c)| c);
                sink.attempt(at, rules::kb(text), result, code, text);
            }
        });
    }
}
