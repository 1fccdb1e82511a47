//! Streaming, bounded line reading in any encoding NT 6.0 writes logs in.
//!
//! Logs are read through a [`BufRead`] one line at a time and never held
//! whole: a CBS.log whose rotation stalled can be gigabytes. A line longer
//! than [`MAX_LINE_BYTES`] keeps its first bytes and the rest is skipped,
//! so a megabyte run of NUL bytes or garbage costs no more memory than a
//! normal line. The encoding is detected from the first bytes (byte-order
//! mark, UTF-16 zero-byte pattern); in byte mode each line is read as UTF-8
//! when it is valid UTF-8 and otherwise in the legacy code page detected on
//! the first such line, so files with mixed encodings still read line by
//! line. NUL characters are dropped.

use std::io::{self, BufRead};

use crate::evidence::text::{self, TextEncoding};

/// The longest line kept, in bytes of input; the rest of a longer line is
/// skipped (and the line marked [`LogLine::truncated`]).
pub const MAX_LINE_BYTES: usize = 16 * 1024;

/// One decoded line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogLine {
    /// 1-based line number in the file.
    pub number: u64,
    /// The text, without line break, NUL characters or trailing white space.
    pub text: String,
    /// Whether the line was longer than [`MAX_LINE_BYTES`] and cut.
    pub truncated: bool,
}

/// How the bytes of the file are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// Not decided yet (nothing read).
    Unknown,
    /// One byte per unit: UTF-8 or a legacy code page.
    Bytes,
    /// UTF-16, little-endian when `true`.
    Utf16(bool),
}

/// Reads a log line by line, decoding each line.
#[derive(Debug)]
pub struct LineReader<R> {
    inner: R,
    layout: Layout,
    number: u64,
    raw: Vec<u8>,
    code_page: Option<u16>,
    /// An odd byte of a UTF-16 unit left over at a buffer boundary.
    odd: Option<u8>,
}

impl<R: BufRead> LineReader<R> {
    /// A reader over `inner`, positioned at its start.
    pub fn new(inner: R) -> Self {
        Self {
            inner,
            layout: Layout::Unknown,
            number: 0,
            raw: Vec::with_capacity(256),
            code_page: None,
            odd: None,
        }
    }

    /// A reader of byte text (UTF-8 or a legacy code page) from the
    /// middle of a file: no byte-order mark or UTF-16 sniffed; `code_page`
    /// is the legacy code page met earlier in the file, if any.
    pub fn bytes(inner: R, code_page: Option<u16>) -> Self {
        Self {
            layout: Layout::Bytes,
            code_page,
            ..Self::new(inner)
        }
    }

    /// The legacy code page met so far (on the first line that is not
    /// UTF-8), if any.
    pub fn code_page(&self) -> Option<u16> {
        self.code_page
    }

    /// The encoding detected so far (`utf-8` until something else is seen).
    pub fn encoding(&self) -> TextEncoding {
        match (self.layout, self.code_page) {
            (Layout::Utf16(true), _) => TextEncoding::Utf16Le,
            (Layout::Utf16(false), _) => TextEncoding::Utf16Be,
            (_, Some(cp)) => TextEncoding::CodePage(cp),
            _ => TextEncoding::Utf8,
        }
    }

    /// The next line, or `None` at the end of the input.
    pub fn next_line(&mut self) -> io::Result<Option<LogLine>> {
        let mut line = LogLine::default();
        Ok(self.read_into(&mut line)?.then_some(line))
    }

    /// Reads the next line into `line`, reusing its text's buffer;
    /// `false` at the end of the input (`line` then unchanged).
    pub fn read_into(&mut self, line: &mut LogLine) -> io::Result<bool> {
        if self.layout == Layout::Unknown {
            self.sniff()?;
        }
        if self.layout == Layout::Bytes && self.whole_in_buffer(&mut line.text)? {
            self.number += 1;
            line.number = self.number;
            line.truncated = false;
            return Ok(true);
        }
        self.raw.clear();
        let found = match self.layout {
            Layout::Utf16(le) => self.read_utf16(le)?,
            _ => self.read_bytes()?,
        };
        let Some(truncated) = found else {
            return Ok(false);
        };
        self.number += 1;
        self.decode(&mut line.text);
        line.number = self.number;
        line.truncated = truncated;
        Ok(true)
    }

    fn sniff(&mut self) -> io::Result<()> {
        let buf = self.inner.fill_buf()?;
        let (layout, skip) = if buf.starts_with(b"\xEF\xBB\xBF") {
            (Layout::Bytes, 3)
        } else if buf.starts_with(b"\xFF\xFE") {
            (Layout::Utf16(true), 2)
        } else if buf.starts_with(b"\xFE\xFF") {
            (Layout::Utf16(false), 2)
        } else {
            (sniff_utf16(buf).map_or(Layout::Bytes, Layout::Utf16), 0)
        };
        self.inner.consume(skip);
        self.layout = layout;
        Ok(())
    }

    /// The common case of byte text, without copying the line twice: a
    /// whole line in the buffer, UTF-8, no NUL, not over the limit, goes
    /// straight into `text` (trailing white space trimmed). `false` when
    /// the line is not such a one (nothing consumed).
    fn whole_in_buffer(&mut self, text: &mut String) -> io::Result<bool> {
        let buf = self.inner.fill_buf()?;
        let Some((s, used)) = whole_line(buf) else {
            return Ok(false);
        };
        text.clear();
        text.push_str(s);
        self.inner.consume(used);
        Ok(true)
    }

    /// The lines read so far (the number of the last one).
    pub fn number(&self) -> u64 {
        self.number
    }

    /// The bytes read but not yet taken, for a reader that takes whole
    /// lines where they are ([`whole_line`]) instead of copying them:
    /// empty when the text is not byte text (UTF-16) or at the end of the
    /// input. [`LineReader::skip`] then says what was taken.
    pub fn buffered(&mut self) -> io::Result<&[u8]> {
        if self.layout == Layout::Unknown {
            self.sniff()?;
        }
        if self.layout != Layout::Bytes {
            return Ok(&[]);
        }
        self.inner.fill_buf()
    }

    /// Takes `bytes` bytes of [`LineReader::buffered`] that held `lines`
    /// whole lines, each of them what [`whole_line`] reads.
    pub fn skip(&mut self, bytes: usize, lines: u64) {
        self.inner.consume(bytes);
        self.number += lines;
    }

    /// Reads one raw line into `raw` (capped); `Some(truncated)` or `None` at EOF.
    fn read_bytes(&mut self) -> io::Result<Option<bool>> {
        let mut any = false;
        let mut truncated = false;
        loop {
            let buf = self.inner.fill_buf()?;
            if buf.is_empty() {
                return Ok(any.then_some(truncated));
            }
            any = true;
            let (end, done) = match memchr::memchr(b'\n', buf) {
                Some(i) => (i, true),
                None => (buf.len(), false),
            };
            let room = MAX_LINE_BYTES.saturating_sub(self.raw.len());
            truncated |= end > room;
            self.raw.extend_from_slice(&buf[..end.min(room)]);
            self.inner.consume(if done { end + 1 } else { end });
            if done {
                return Ok(Some(truncated));
            }
        }
    }

    /// Reads one UTF-16 line (as raw bytes, pairs) into `raw`.
    fn read_utf16(&mut self, le: bool) -> io::Result<Option<bool>> {
        let mut any = false;
        let mut truncated = false;
        loop {
            let buf = self.inner.fill_buf()?;
            if buf.is_empty() {
                return Ok((any || self.odd.take().is_some()).then_some(truncated));
            }
            any = true;
            let mut used = 0;
            let mut done = false;
            for &b in buf {
                used += 1;
                let Some(first) = self.odd.take() else {
                    self.odd = Some(b);
                    continue;
                };
                let unit = if le {
                    u16::from_le_bytes([first, b])
                } else {
                    u16::from_be_bytes([first, b])
                };
                if unit == u16::from(b'\n') {
                    done = true;
                    break;
                }
                if self.raw.len() + 2 <= MAX_LINE_BYTES {
                    self.raw.extend_from_slice(&unit.to_le_bytes());
                } else {
                    truncated = true;
                }
            }
            self.inner.consume(used);
            if done {
                return Ok(Some(truncated));
            }
        }
    }

    /// Decodes `raw` into `text`: NUL characters dropped, trailing white
    /// space trimmed.
    fn decode(&mut self, text: &mut String) {
        let utf8 = match self.layout {
            Layout::Utf16(_) => {
                let units: Vec<u16> = self
                    .raw
                    .chunks_exact(2)
                    .map(|c| u16::from_le_bytes([c[0], c[1]]))
                    .collect();
                *text = String::from_utf16_lossy(&units);
                false
            }
            _ => self.decode_bytes(text),
        };
        // UTF-8 from bytes without NUL has none.
        if !utf8 && text.contains('\0') {
            text.retain(|c| c != '\0');
        }
        let keep = text.trim_end().len();
        text.truncate(keep);
    }

    /// Decodes byte text, NULs dropped; `true` when it was UTF-8.
    fn decode_bytes(&mut self, text: &mut String) -> bool {
        if memchr::memchr(0, &self.raw).is_some() {
            self.raw.retain(|&b| b != 0);
        }
        if let Ok(s) = std::str::from_utf8(&self.raw) {
            text.clear();
            text.push_str(s);
            return true;
        }
        let cp = match self.code_page {
            Some(cp) => cp,
            None => {
                let (_, enc) = text::decode(&self.raw, &|_| None);
                let cp = match enc {
                    TextEncoding::CodePage(cp) => cp,
                    _ => 1252,
                };
                self.code_page = Some(cp);
                cp
            }
        };
        *text = text::decode_code_page(&self.raw, cp);
        false
    }
}

/// The first line of byte text `buf` when it is there whole and reads
/// the same in every code page: a line break ends it, it is UTF-8, holds
/// no NUL and is not over [`MAX_LINE_BYTES`]. Its text as
/// [`LineReader::read_into`] gives it (line break and trailing white space
/// trimmed), and the bytes it takes with its line break.
pub fn whole_line(buf: &[u8]) -> Option<(&str, usize)> {
    let end = memchr::memchr(b'\n', buf)?;
    let line = buf.get(..end)?;
    if end > MAX_LINE_BYTES || memchr::memchr(0, line).is_some() {
        return None;
    }
    let text = std::str::from_utf8(line).ok()?;
    Some((text.trim_end(), end + 1))
}

/// `Some(little_endian)` when the first bytes look like BOM-less UTF-16.
fn sniff_utf16(buf: &[u8]) -> Option<bool> {
    let sample = &buf[..buf.len().min(512) & !1];
    if sample.len() < 8 {
        return None;
    }
    let pairs = sample.len() / 2;
    let zero_even = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let zero_odd = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|&&b| b == 0)
        .count();
    if zero_odd * 10 >= pairs * 4 && zero_even * 10 < pairs {
        Some(true)
    } else if zero_even * 10 >= pairs * 4 && zero_odd * 10 < pairs {
        Some(false)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(bytes: &[u8]) -> Vec<LogLine> {
        let mut r = LineReader::new(bytes);
        let mut out = Vec::new();
        while let Some(l) = r.next_line().expect("in-memory read") {
            out.push(l);
        }
        out
    }

    #[test]
    fn utf16le_with_bom_and_crlf() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "a\r\nb\u{e9}\r\n".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let lines = all(&bytes);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[1].text, "b\u{e9}");
    }

    #[test]
    fn long_lines_are_cut_and_nuls_dropped() {
        let mut bytes = vec![b'x'; MAX_LINE_BYTES * 3];
        bytes.extend_from_slice(b"\n\0\0\0ok\0\n");
        let lines = all(&bytes);
        assert_eq!(lines.len(), 2);
        assert!(lines[0].truncated);
        assert_eq!(lines[0].text.len(), MAX_LINE_BYTES);
        assert_eq!(lines[1].text, "ok");
        assert_eq!(lines[1].number, 2);
    }

    #[test]
    fn mixed_utf8_and_cp1252_lines() {
        let lines = all(b"caf\xc3\xa9\ncaf\xe9\n");
        assert_eq!(lines[0].text, "caf\u{e9}");
        assert!(lines[1].text.starts_with("caf"));
        assert_eq!(lines[1].text.chars().count(), 4);
    }
}
