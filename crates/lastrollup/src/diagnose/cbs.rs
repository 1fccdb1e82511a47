//! CBS.log, CBS.persist.log and CbsPersist_*.log (`%windir%\Logs\CBS`).
//!
//! `YYYY-MM-DD HH:MM:SS, <Level> <Component> <message>`, columns padded
//! with spaces (split on white space, not on positions); lines without a
//! time stamp continue the record before them (`[gle=0x…]`, wrapped CSI
//! identities). Besides the shared rules, the `WER: Generating failure
//! report for package: …, status: 0x…` and `Exec: Processing complete`
//! records are install attempts.

use std::io::{self, BufRead};

use super::lines::{LineReader, LogLine, MAX_LINE_BYTES};
use super::model::AttemptResult;
use super::record::{starts_with_date, Pending};
use super::rules::{self, Level};
use super::sink::{At, Sink};
use super::LogReader;
use crate::evidence::text::trim_start;

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
    let (level, rest) = split_level(rest)?;
    let rest = trim_start(rest);
    let (component, message) = split_white(rest).unwrap_or((rest, ""));
    Some(CbsLine {
        time,
        level,
        component,
        message: trim_start(message),
    })
}

/// The level column and what follows the white space after it:
/// `split_white` and a check for the four levels, told by the first
/// letter.
fn split_level(s: &str) -> Option<(&str, &str)> {
    // Each level stripped as a constant, which compiles to one compare
    // (a level chosen first and stripped after is a `memcmp` call).
    let (level, after) = match s.as_bytes().first()? {
        b'I' => ("Info", s.strip_prefix("Info")?),
        b'W' => ("Warning", s.strip_prefix("Warning")?),
        b'E' => ("Error", s.strip_prefix("Error")?),
        b'P' => ("Perf", s.strip_prefix("Perf")?),
        _ => return None,
    };
    match *after.as_bytes().first()? {
        b if ascii_white(b) => Some((level, after.get(1..)?)),
        // Perhaps white space that is not ASCII.
        b if b >= 0x80 => split_white(s).filter(|(l, _)| *l == level),
        _ => None,
    }
}

/// ASCII white space, as `char::is_whitespace` has it.
fn ascii_white(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | b' ')
}

/// `str::trim_end`, ASCII white space dropped by byte (a line's `\r`).
fn trim_end(s: &str) -> &str {
    let bytes = s.as_bytes();
    let end = bytes.len() - bytes.iter().rev().take_while(|&&b| ascii_white(b)).count();
    let rest = s.get(..end).unwrap_or(s);
    if rest.as_bytes().last().is_some_and(|&b| b >= 0x80) {
        rest.trim_end()
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
    /// The whole lines in the read buffer are read where they lie
    /// (`take_buffered`); the rest (a line cut by the buffer's
    /// end, one that is not UTF-8, holds a NUL or is too long, UTF-16
    /// text) through [`LineReader::read_into`] and [`LogReader::line`].
    pub fn read_all<R: BufRead>(
        &mut self,
        lines: &mut LineReader<R>,
        sink: &mut Sink<'_>,
        count: &mut (u64, u64),
    ) -> io::Result<()> {
        let mut l = LogLine::default();
        loop {
            if self.take_buffered(lines, sink, &mut l)? {
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

    /// Reads the lines at the front of the read buffer that read the same
    /// in every code page (whole, UTF-8, no NUL, not over the limit;
    /// checked once for all of them), as [`LogLine`]s of their text would
    /// be read. A record of one line, whose next line starts a record, is
    /// handed to the rules where it lies: the open record is closed (the
    /// line starts a record) and the line classified as it would be when
    /// the next line closes it, without being copied into the open
    /// record. Other lines go through [`LogReader::line`] (`scratch` holds
    /// their text). `true` when any line was read.
    fn take_buffered<R: BufRead>(
        &mut self,
        lines: &mut LineReader<R>,
        sink: &mut Sink<'_>,
        scratch: &mut LogLine,
    ) -> io::Result<bool> {
        let first = lines.number() + 1;
        let buf = lines.buffered()?;
        let Some(last) = memchr::memrchr(b'\n', buf) else {
            return Ok(false);
        };
        let whole = buf.get(..=last).unwrap_or_default();
        let text = match std::str::from_utf8(whole) {
            Ok(text) => text,
            Err(e) => std::str::from_utf8(whole.get(..e.valid_up_to()).unwrap_or_default())
                .unwrap_or_default(),
        };
        let text = match memchr::memchr(0, text.as_bytes()) {
            Some(nul) => text.get(..nul).unwrap_or_default(),
            None => text,
        };
        let (mut number, mut at) = (first, 0);
        // A record start not handed on yet: its line, text and parts.
        let mut open: Option<(u64, &str, CbsLine<'_>)> = None;
        for end in memchr::memchr_iter(b'\n', text.as_bytes()) {
            if end - at > MAX_LINE_BYTES {
                break;
            }
            let line = trim_end(text.get(at..end).unwrap_or_default());
            let parts = parse_line(line);
            match (open.take(), parts.is_some()) {
                (Some((n, raw, p)), true) => {
                    self.pending.flush(sink, handle);
                    let record = At {
                        line: n,
                        time: Some(p.time),
                        component: Some(p.component),
                        level: level(p.level),
                        raw: Some(raw),
                    };
                    handle(sink, record, p.message);
                }
                (Some((n, raw, _)), false) => self.copied(scratch, n, raw, sink),
                (None, _) => {}
            }
            match parts {
                Some(p) => open = Some((number, line, p)),
                None => self.copied(scratch, number, line, sink),
            }
            number += 1;
            at = end + 1;
        }
        if let Some((n, raw, _)) = open {
            self.copied(scratch, n, raw, sink);
        }
        lines.skip(at, number - first);
        Ok(number > first)
    }

    /// Reads line `number` of text `text` the way a [`LogLine`] is read.
    fn copied(&mut self, scratch: &mut LogLine, number: u64, text: &str, sink: &mut Sink<'_>) {
        scratch.number = number;
        scratch.text.clear();
        scratch.text.push_str(text);
        scratch.truncated = false;
        self.line(scratch, sink);
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
    if !matches!(text.as_bytes().first(), Some(b'W' | b'E')) {
        return;
    }
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
            "x \r",
            "y\u{a0}\t",
            "z\u{2003}",
            "\u{1c}",
            "         \t",
        ] {
            assert_eq!(split_white(s), s.split_once(char::is_whitespace), "{s:?}");
            assert_eq!(trim_start(s), s.trim_start(), "{s:?}");
            assert_eq!(trim_end(s), s.trim_end(), "{s:?}");
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
