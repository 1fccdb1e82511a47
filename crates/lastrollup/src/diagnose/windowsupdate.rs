//! The NT 6.0 text `%windir%\WindowsUpdate.log` (Windows Update Agent 7.x).
//!
//! `Date Time PID TID Component Text`, tab-separated as written and
//! space-separated in pasted copies, so the fields are read as white-space
//! separated tokens, not by tabs. Lines that do not start a record continue
//! the one before them (an 80-column console wrap is glued back without a
//! space). Copies without the time columns (`PT WARNING: …`) are read by
//! their component name. `REPORT EVENT` records of installs and `Handler`
//! `Completed install of CBS update … hr=0x…` records are install attempts.

use super::lines::LogLine;
use super::model::AttemptResult;
use super::record::{starts_with_date, Pending};
use super::rules::{self, Level};
use super::sink::{At, Sink};
use super::LogReader;

/// Components the agent writes (KB902093 and the NT 6.0 samples).
const COMPONENTS: &[&str] = &[
    "Misc", "Service", "Agent", "AU", "AUCLNT", "CDM", "CMPRESS", "COMAPI", "DRIVER", "DtaStor",
    "DnldMgr", "EEHNDLER", "Handler", "OFFLSNC", "PARSER", "PT", "Report", "Setup", "Shutdwn",
    "WuTask", "WUREDIR", "WUWEB", "EP", "IdleTmr",
];

/// The parts of a WindowsUpdate.log line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WuLine<'a> {
    /// `YYYY-MM-DD HH:MM:SS:mmm`, when the line has the time columns.
    pub time: Option<(&'a str, &'a str)>,
    /// The component.
    pub component: &'a str,
    /// The text.
    pub text: &'a str,
}

/// Splits a WindowsUpdate.log line.
pub fn parse_line(line: &str) -> Option<WuLine<'_>> {
    if starts_with_date(line) {
        return parse_timed(line);
    }
    let (first, rest) = line.split_once([' ', '\t'])?;
    COMPONENTS.contains(&first).then(|| WuLine {
        time: None,
        component: first,
        text: rest.trim_start(),
    })
}

fn parse_timed(line: &str) -> Option<WuLine<'_>> {
    let mut rest = line;
    let mut fields = [""; 5];
    for f in &mut fields {
        rest = rest.trim_start_matches([' ', '\t']);
        let end = rest.find([' ', '\t']).unwrap_or(rest.len());
        *f = &rest[..end];
        rest = &rest[end..];
    }
    let [date, time, pid, tid, component] = fields;
    let time_ok = time.len() == 12 && time.as_bytes().get(8) == Some(&b':');
    let pid_ok = !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit());
    let tid_ok = !tid.is_empty() && tid.bytes().all(|b| b.is_ascii_hexdigit());
    (time_ok && pid_ok && tid_ok && !component.is_empty()).then(|| WuLine {
        time: Some((date, time)),
        component,
        text: rest.trim_start_matches([' ', '\t']),
    })
}

/// Whether `text` is a timed WindowsUpdate.log line.
pub fn looks_like(text: &str) -> bool {
    starts_with_date(text) && parse_timed(text).is_some()
}

/// Reads WindowsUpdate.log.
#[derive(Debug, Default)]
pub struct WuReader {
    pending: Pending,
    /// The KB of the CBS package the handler is installing.
    handler_kb: Option<u32>,
}

impl LogReader for WuReader {
    fn line(&mut self, line: &LogLine, sink: &mut Sink<'_>) {
        if let Some(p) = parse_line(&line.text) {
            self.flush(sink);
            let time = p.time.map(|(d, t)| format!("{d} {t}"));
            let level = level(p.text);
            self.pending
                .start(line, time.as_deref(), Some(p.component), level, p.text);
        } else {
            let kb = &mut self.handler_kb;
            self.pending
                .continue_or_alone(line, sink, |sink, at, text| handle(sink, at, text, kb));
        }
    }

    fn finish(&mut self, sink: &mut Sink<'_>) {
        self.flush(sink);
    }
}

fn level(text: &str) -> Level {
    if text.contains("FATAL") {
        Level::Error
    } else if text.contains("WARNING") {
        Level::Warning
    } else {
        Level::Info
    }
}

impl WuReader {
    fn flush(&mut self, sink: &mut Sink<'_>) {
        let kb = &mut self.handler_kb;
        self.pending
            .flush(sink, |sink, at, text| handle(sink, at, text, kb));
    }
}

fn handle(sink: &mut Sink<'_>, at: At<'_>, text: &str, handler_kb: &mut Option<u32>) {
    if text.contains("REPORT EVENT:") {
        report_event(sink, at, text);
        return;
    }
    let found = sink.record(at, text);
    if at.component == Some("Handler") {
        if text.starts_with("CBS package identity:") {
            *handler_kb = rules::kb(text);
        } else if text.contains("Completed install of CBS update") {
            let code = found.and_then(|(_, c)| c);
            let result = match code {
                Some(c) if c >= 0x8000_0000 => AttemptResult::Failed,
                _ if text.contains("requiresReboot=1") => AttemptResult::RebootRequired,
                _ => AttemptResult::Succeeded,
            };
            sink.attempt(at, handler_kb.take(), result, code, text);
        }
    }
}

/// `REPORT EVENT: {id} ts 1 <event> <101|102> {update} rev <hex result>
/// <client> <Success|Failure> <Content Install|…> <text>`.
fn report_event(sink: &mut Sink<'_>, at: At<'_>, text: &str) {
    let failure = text.contains("Failure");
    let install = text.contains("Content Install");
    let code = rules::line_code(text, sink.catalog).filter(|&c| c != 0);
    if install {
        let result = match (failure, text.contains("Installation Started")) {
            (true, _) => AttemptResult::Failed,
            (false, true) => AttemptResult::Started,
            _ if text.contains("restart") => AttemptResult::RebootRequired,
            _ => AttemptResult::Succeeded,
        };
        if !text.contains("Installation Ready") {
            sink.attempt(at, rules::kb(text), result, code, text);
        }
    }
    if failure {
        let rec = rules::Record {
            text,
            component: at.component,
            level: Level::Error,
        };
        match rules::classify(&rec, sink.catalog) {
            Some((signal, c)) => sink.push(signal, c, at, text, super::sink::url(text)),
            None => sink.push(super::model::Signal::Failure, code, at, text, None),
        }
    } else {
        sink.os.scan(at.line, text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tabs_or_spaces() {
        let tab =
            parse_line("2022-11-13\t11:15:01:303\t1048\tfd4\tMisc\tWARNING: x").expect("timed");
        let sp = parse_line("2009-03-27 11:55:29:193 1044 afc PT WARNING: y").expect("spaced");
        assert_eq!((tab.component, tab.text), ("Misc", "WARNING: x"));
        assert_eq!((sp.component, sp.text), ("PT", "WARNING: y"));
        let bare = parse_line("DnldMgr Error 0x80244019 occurred").expect("bare");
        assert_eq!(bare.component, "DnldMgr");
        assert!(parse_line("2016-10-31 11:25:11, Info CBS x").is_none());
    }
}
