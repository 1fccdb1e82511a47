//! `%windir%\inf\setupapi.dev.log` / `setupapi.app.log` (Vista and later).
//!
//! Sections open with `>>>  [<title>]` and `>>>  Section start <time>`;
//! body lines carry a 5-character prefix where `!` marks a warning and
//! `!!!` an error (`!!!  sto: Failed to import driver package … Error =
//! 0xE0000247`); sections end with `<<<  [Exit status: FAILURE(0x…)]`.
//! Driver-bearing updates that fail in CBS (`Failed executing critical
//! driver operations queue`) have their reason here.

use super::lines::LogLine;
use super::model::Signal;
use super::rules::{self, Level};
use super::sink::{At, Sink};
use super::LogReader;

/// Reads setupapi logs.
#[derive(Debug, Default)]
pub struct SetupApiReader {
    section: Option<String>,
    started: Option<String>,
}

/// Whether `text` is a setupapi line.
pub fn looks_like(text: &str) -> bool {
    text.starts_with(">>>  [")
        || text.starts_with(">>>  Section start")
        || text.starts_with("<<<  [Exit status")
        || text.starts_with("[Device Install Log]")
}

impl LogReader for SetupApiReader {
    fn line(&mut self, line: &LogLine, sink: &mut Sink<'_>) {
        let text = line.text.as_str();
        if let Some(title) = text.strip_prefix(">>>  [") {
            self.section = Some(title.trim_end_matches(']').to_owned());
            return;
        }
        if let Some(t) = text.strip_prefix(">>>  Section start") {
            self.started = Some(t.trim().to_owned());
            return;
        }
        let level = if text.starts_with("!!!") {
            Level::Error
        } else if text.starts_with('!') {
            Level::Warning
        } else {
            Level::Info
        };
        let at = At {
            line: line.number,
            time: self.started.as_deref(),
            component: Some("setupapi"),
            level,
            raw: None,
        };
        if let Some(status) = text.strip_prefix("<<<  [Exit status:") {
            if status.contains("FAILURE") {
                let code = rules::line_code(status.replace(['(', ')'], " ").as_str(), sink.catalog);
                let what = match &self.section {
                    Some(s) => format!("{text} ({s})"),
                    None => text.to_owned(),
                };
                sink.push(Signal::Failure, code, at, &what, None);
            }
            self.section = None;
            return;
        }
        if level == Level::Error {
            sink.record(at, text);
        } else {
            sink.os.scan(line.number, text);
        }
    }

    fn finish(&mut self, _sink: &mut Sink<'_>) {}
}
