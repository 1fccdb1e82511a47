//! A log record that may span several lines (continuations, wrapping).

use super::lines::{LogLine, MAX_LINE_BYTES};
use super::rules::Level;
use super::sink::{At, Sink};

/// The longest joined record kept, in bytes.
pub const MAX_RECORD_BYTES: usize = 2 * MAX_LINE_BYTES;

/// A record being assembled from a first line and its continuations.
#[derive(Debug, Clone, Default)]
pub struct Pending {
    /// Line of the first line.
    pub line: u64,
    /// Time as written.
    pub time: Option<String>,
    /// Writer.
    pub component: Option<String>,
    /// Level (`None` until a record starts).
    pub level: Option<Level>,
    /// The joined text (the message, for the rules).
    pub text: String,
    /// The joined lines as written (for evidence).
    pub raw: String,
    /// Length in characters of the last physical line (80 = console wrap).
    pub last_width: usize,
}

impl Pending {
    /// Starts a record at `line`.
    pub fn start(
        &mut self,
        line: &LogLine,
        time: Option<&str>,
        component: Option<&str>,
        level: Level,
        text: &str,
    ) {
        self.line = line.number;
        reuse(&mut self.time, time);
        reuse(&mut self.component, component);
        self.level = Some(level);
        self.text.clear();
        self.text.push_str(text);
        self.raw.clear();
        self.raw.push_str(&line.text);
        self.last_width = width(&line.text);
    }

    /// Appends a continuation line: glued when the previous line was cut
    /// at a console width (80 columns), else after a space.
    pub fn extend(&mut self, line: &LogLine) -> bool {
        if self.level.is_none() {
            return false;
        }
        if self.text.len() + line.text.len() < MAX_RECORD_BYTES {
            if self.last_width != 80 {
                self.text.push(' ');
            }
            self.text.push_str(line.text.trim_start_matches(['\t']));
            if self.last_width != 80 {
                self.raw.push(' ');
            }
            self.raw.push_str(&line.text);
        }
        self.last_width = width(&line.text);
        true
    }

    /// A line that does not start a record: it continues the open record;
    /// when none is open, or the line is blank, the open record is handed
    /// to `f` and closed, and a non-blank line is classified on its own.
    pub fn continue_or_alone(
        &mut self,
        line: &LogLine,
        sink: &mut Sink<'_>,
        f: impl FnOnce(&mut Sink<'_>, At<'_>, &str),
    ) {
        if !line.text.is_empty() && self.extend(line) {
            return;
        }
        self.flush(sink, f);
        if !line.text.is_empty() {
            sink.record(At::bare(line.number), &line.text);
        }
    }

    /// Whether a record is open.
    pub fn is_open(&self) -> bool {
        self.level.is_some()
    }

    /// Hands the record to `f` and closes it.
    pub fn flush(&mut self, sink: &mut Sink<'_>, f: impl FnOnce(&mut Sink<'_>, At<'_>, &str)) {
        let Some(level) = self.level.take() else {
            return;
        };
        let at = At {
            line: self.line,
            time: self.time.as_deref(),
            component: self.component.as_deref(),
            level,
            raw: Some(&self.raw),
        };
        f(sink, at, &self.text);
    }
}

/// Length in characters (ASCII text: its length in bytes, not counted).
fn width(text: &str) -> usize {
    if text.is_ascii() {
        text.len()
    } else {
        text.chars().count()
    }
}

/// Sets `slot` to `value`, reusing its buffer.
fn reuse(slot: &mut Option<String>, value: Option<&str>) {
    match (slot.as_mut(), value) {
        (Some(s), Some(v)) => {
            s.clear();
            s.push_str(v);
        }
        (_, v) => *slot = v.map(str::to_owned),
    }
}

/// Whether `s` starts with `YYYY-MM-DD`.
pub fn starts_with_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
}
