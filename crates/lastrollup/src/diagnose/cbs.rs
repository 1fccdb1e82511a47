//! CBS.log, CBS.persist.log and CbsPersist_*.log (`%windir%\Logs\CBS`).
//!
//! `YYYY-MM-DD HH:MM:SS, <Level> <Component> <message>`, columns padded
//! with spaces (split on white space, not on positions); lines without a
//! time stamp continue the record before them (`[gle=0x…]`, wrapped CSI
//! identities). Besides the shared rules, the `WER: Generating failure
//! report for package: …, status: 0x…` and `Exec: Processing complete`
//! records are install attempts.

use std::io::{self, BufRead};

use super::lines::{whole_line, LineReader, LogLine};
use super::model::AttemptResult;
use super::record::{starts_with_date, Pending};
use super::rules::{self, Level};
use super::sink::{At, Sink};
use super::LogReader;

/// Reads CBS logs.
#[derive(Debug, Default)]
pub struct CbsReader {
    pending: Pending,
}

/// The parts of a CBS line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CbsLine<'a> {
    /// `YYYY-MM-DD HH:MM:SS`.
    pub time: &'a str,
    /// `Info`, `Warning`, `Error`.
    pub level: &'a str,
    /// `CBS`, `CSI` …
    pub component: &'a str,
    /// The message.
    pub message: &'a str,
}

/// Splits a CBS line; `None` when it does not start like one.
pub fn parse_line(text: &str) -> Option<CbsLine<'_>> {
    if !starts_with_date(text) || text.len() < 21 {
        return None;
    }
    let time = text.get(..19)?;
    let rest = trim_start(text.get(19..)?.strip_prefix(',')?);
    let (level, rest) = split_white(rest)?;
    if !matches!(level, "Info" | "Warning" | "Error" | "Perf") {
        return None;
    }
    let rest = trim_start(rest);
    let (component, message) = split_white(rest).unwrap_or((rest, ""));
    Some(CbsLine {
        time,
        level,
        component,
        message: trim_start(message),
    })
}

/// ASCII white space, as `char::is_whitespace` has it.
fn ascii_white(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | b' ')
}

/// `str::trim_start`, ASCII white space skipped by byte.
fn trim_start(s: &str) -> &str {
    let pad = s.bytes().take_while(|&b| ascii_white(b)).count();
    let rest = s.get(pad..).unwrap_or(s);
    if rest.as_bytes().first().is_some_and(|&b| b >= 0x80) {
        rest.trim_start()
    } else {
        rest
    }
}

/// `s.split_once(char::is_whitespace)`, by byte up to the first byte that
/// is not ASCII.
fn split_white(s: &str) -> Option<(&str, &str)> {
    for (i, &b) in s.as_bytes().iter().enumerate() {
        if ascii_white(b) {
            return Some((s.get(..i)?, s.get(i + 1..)?));
        }
        if b >= 0x80 {
            return s.split_once(char::is_whitespace);
        }
    }
    None
}

/// Whether `text` is a CBS line.
pub fn looks_like(text: &str) -> bool {
    parse_line(text).is_some()
}

fn level(s: &str) -> Level {
    match s {
        "Error" => Level::Error,
        "Warning" => Level::Warning,
        _ => Level::Info,
    }
}

impl CbsReader {
    /// Reads every line of `lines` (after those already fed), counting
    /// lines and cut lines in `count` as the line loop of
    /// [`super::read_log`] does.
    ///
    /// A record of one line, followed by a line that starts a record,
    /// is taken where it lies in the read buffer ([`Self::take_buffered`]):
    /// the one-pass reading would copy it into the open record only to
    /// hand it to the rules when the next line closes it. Every other
    /// line goes through [`LogReader::line`].
    pub fn read_all<R: BufRead>(
        &mut self,
        lines: &mut LineReader<R>,
        sink: &mut Sink<'_>,
        count: &mut (u64, u64),
    ) -> io::Result<()> {
        let mut l = LogLine::default();
        loop {
            if self.take_buffered(lines, sink)? {
                count.0 = lines.number();
            }
            if !lines.read_into(&mut l)? {
                return Ok(());
            }
            count.0 = l.number;
            count.1 += u64::from(l.truncated);
            self.line(&l, sink);
        }
    }

    /// Takes the one-line records at the front of the read buffer, each
    /// followed there by a line that starts a record, without copying
    /// them: the open record is closed (the first of them starts a
    /// record) and each is handed to the rules as its own line would be
    /// when the next line closes it. `true` when any was taken.
    fn take_buffered<R: BufRead>(
        &mut self,
        lines: &mut LineReader<R>,
        sink: &mut Sink<'_>,
    ) -> io::Result<bool> {
        let first = lines.number() + 1;
        let buf = lines.buffered()?;
        let Some((mut text, mut len)) = whole_line(buf) else {
            return Ok(false);
        };
        let Some(mut parts) = parse_line(text) else {
            return Ok(false);
        };
        let (mut at, mut taken) = (0, 0u64);
        while let Some((next_text, next_len)) = buf.get(at + len..).and_then(whole_line) {
            let Some(next) = parse_line(next_text) else {
                break;
            };
            if taken == 0 {
                self.pending.flush(sink, handle);
            }
            let record = At {
                line: first + taken,
                time: Some(parts.time),
                component: Some(parts.component),
                level: level(parts.level),
                raw: Some(text),
            };
            handle(sink, record, parts.message);
            taken += 1;
            at += len;
            (text, len, parts) = (next_text, next_len, next);
        }
        lines.skip(at, taken);
        Ok(taken > 0)
    }
}

impl LogReader for CbsReader {
    fn line(&mut self, line: &LogLine, sink: &mut Sink<'_>) {
        if let Some(p) = parse_line(&line.text) {
            self.pending.flush(sink, handle);
            self.pending.start(
                line,
                Some(p.time),
                Some(p.component),
                level(p.level),
                p.message,
            );
        } else {
            self.pending.continue_or_alone(line, sink, handle);
        }
    }

    fn finish(&mut self, sink: &mut Sink<'_>) {
        self.pending.flush(sink, handle);
    }
}

fn handle(sink: &mut Sink<'_>, at: At<'_>, text: &str) {
    let found = sink.record(at, text);
    if let Some(rest) = text.strip_prefix("WER: Generating failure report for package:") {
        let code = field(rest, "status:").and_then(|s| rules::line_code(s, sink.catalog));
        sink.attempt(at, rules::kb(rest), AttemptResult::Failed, code, text);
        if found.is_none() {
            sink.push(super::model::Signal::Failure, code, at, text, None);
        }
    } else if text.starts_with("Exec: Processing complete") {
        let code = found.and_then(|(_, c)| c);
        let result = if code.is_some_and(|c| c >= 0x8000_0000) {
            AttemptResult::Failed
        } else {
            AttemptResult::Succeeded
        };
        sink.attempt(at, rules::kb(text), result, code, text);
    }
}

/// The value after `key` up to the next comma.
fn field<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    let start = text.find(key)? + key.len();
    let rest = &text[start..];
    Some(rest.split(',').next().unwrap_or(rest).trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_splits_as_char_splits() {
        for s in [
            "a b",
            "a\u{a0}b c",
            "\u{2003} x",
            "ab",
            "",
            " \u{85}y",
            "\u{b}z",
            "\u{1c}q r",
        ] {
            assert_eq!(split_white(s), s.split_once(char::is_whitespace), "{s:?}");
            assert_eq!(trim_start(s), s.trim_start(), "{s:?}");
        }
    }

    #[test]
    fn splits_padded_columns() {
        let p = parse_line("2016-10-31 11:25:11, Error                 CSI    000000ec (F) x")
            .expect("a CBS line");
        assert_eq!(
            (p.level, p.component, p.message),
            ("Error", "CSI", "000000ec (F) x")
        );
        assert!(parse_line("2016-10-31\t11:24:28:489\t1384").is_none());
    }
}
