//! A large CBS.log read in byte ranges on every core, with the result the
//! one-pass reading ([`super::read_log`]) gives.
//!
//! The file is cut where a line starts a CBS record: the open record of
//! the range before ends there in the one-pass reading too (a record start
//! flushes it), and nothing else of the CBS reader lasts from one record
//! to the next. Each range is read by its own [`LineReader`] and
//! [`CbsReader`](super::cbs::CbsReader) into its own [`Sink`]; the sinks
//! are then merged in file order ([`Sink::absorb`]: line numbers moved on,
//! the per-signal event limit and the newest attempts applied across
//! ranges, OS fingerprint counts added). Ranges start as byte text with
//! no byte-order mark; a range that met a legacy code page other than the
//! one met before it is read again with that one. Anything else (UTF-16,
//! another format, a small file, one thread) is read in one pass.

use std::io::{self, BufRead};

use rayon::prelude::*;

use crate::catalog::Catalog;
use crate::error::{EvidenceError, EvidenceErrorKind};
use crate::evidence::text::TextEncoding;

use super::lines::{LineReader, MAX_LINE_BYTES};
use super::sink::Sink;
use super::{cbs, LogFile, LogFormat, LogReader, DETECT_LINES};

/// Files smaller than this are read in one pass.
pub const SPLIT_MIN_BYTES: u64 = 64 << 20;
/// Bytes looked through from a cut's target for a record start.
const CUT_WINDOW: u64 = 1 << 20;

/// Bytes that can be read from any offset: a file, or memory.
pub trait RangeSource: Sync {
    /// The reader of one range.
    type Reader: BufRead;
    /// The total length in bytes.
    fn len(&self) -> u64;
    /// Whether there are no bytes.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// `len` bytes from `start` (fewer at the end).
    fn open(&self, start: u64, len: u64) -> io::Result<Self::Reader>;
}

impl RangeSource for [u8] {
    type Reader = io::Cursor<Vec<u8>>;
    fn len(&self) -> u64 {
        self.len() as u64
    }
    fn open(&self, start: u64, len: u64) -> io::Result<Self::Reader> {
        let start = usize::try_from(start).unwrap_or(usize::MAX).min(self.len());
        let end = usize::try_from(len)
            .map_or(self.len(), |l| start.saturating_add(l))
            .min(self.len());
        Ok(io::Cursor::new(self[start..end].to_vec()))
    }
}

/// A file on disk, opened once per range.
#[derive(Debug)]
pub struct FileSource {
    path: std::path::PathBuf,
    len: u64,
}

impl FileSource {
    /// The file at `path`, of `len` bytes.
    pub fn new(path: &std::path::Path, len: u64) -> Self {
        Self {
            path: path.to_owned(),
            len,
        }
    }
}

impl RangeSource for FileSource {
    type Reader = io::BufReader<io::Take<std::fs::File>>;
    fn len(&self) -> u64 {
        self.len
    }
    fn open(&self, start: u64, len: u64) -> io::Result<Self::Reader> {
        use std::io::{Read, Seek, SeekFrom};
        let mut f = std::fs::File::open(&self.path)?;
        f.seek(SeekFrom::Start(start))?;
        Ok(io::BufReader::with_capacity(256 * 1024, f.take(len)))
    }
}

/// How many ranges a file of `len` bytes is read in on this machine's
/// rayon pool (1: one pass).
pub fn ranges_for(len: u64) -> usize {
    let threads = rayon::current_num_threads();
    if threads < 2 || len < SPLIT_MIN_BYTES {
        return 1;
    }
    let by_size = usize::try_from(len / (SPLIT_MIN_BYTES / 2)).unwrap_or(usize::MAX);
    by_size.clamp(2, 4 * threads)
}

/// Reads `source` as [`super::read_log`] would, in up to `ranges` byte
/// ranges in parallel when it is a CBS log in byte text.
pub fn read_split<S: RangeSource + ?Sized>(
    name: &str,
    source: &S,
    ranges: usize,
    catalog: &Catalog,
) -> Result<LogFile, EvidenceError> {
    let io_err = |e: io::Error| {
        EvidenceError::new(
            name,
            None,
            EvidenceErrorKind::Unreadable {
                reason: e.to_string(),
            },
        )
    };
    let whole = || source.open(0, source.len()).map_err(io_err);
    if ranges < 2 || !splittable(source).map_err(io_err)? {
        return super::read_log(name, whole()?, catalog);
    }
    let cuts = cuts(source, ranges).map_err(io_err)?;
    let spans: Vec<(u64, u64)> = cuts.windows(2).map(|w| (w[0], w[1])).collect();
    let mut parts = spans
        .par_iter()
        .enumerate()
        .map(|(i, &span)| read_range(name, source, span, i == 0, None, catalog))
        .collect::<Result<Vec<_>, _>>()
        .map_err(io_err)?;
    settle_code_pages(name, source, &spans, &mut parts, catalog).map_err(io_err)?;
    let mut parts = parts.into_iter();
    match parts.next() {
        Some(first) => Ok(merge(first, parts)),
        None => super::read_log(name, whole()?, catalog),
    }
}

/// Whether the first lines are a CBS log in byte text (not UTF-16).
fn splittable<S: RangeSource + ?Sized>(source: &S) -> io::Result<bool> {
    let mut lines = LineReader::new(source.open(0, source.len())?);
    let mut first = Vec::new();
    while first.len() < DETECT_LINES {
        match lines.next_line()? {
            Some(l) => first.push(l),
            None => break,
        }
    }
    let utf16 = matches!(
        lines.encoding(),
        TextEncoding::Utf16Le | TextEncoding::Utf16Be
    );
    Ok(!utf16 && super::detect(&first) == LogFormat::Cbs)
}

/// The range bounds: 0, the cuts found, the length.
fn cuts<S: RangeSource + ?Sized>(source: &S, ranges: usize) -> io::Result<Vec<u64>> {
    let len = source.len();
    let mut out = vec![0];
    for k in 1..ranges as u64 {
        let target = len / ranges as u64 * k;
        let last = out.last().copied().unwrap_or(0);
        if let Some(cut) = record_start_after(source, target.max(last))? {
            if cut > last && cut < len {
                out.push(cut);
            }
        }
    }
    out.push(len);
    Ok(out)
}

/// The offset of the first line after `from` (after a `\n` at or past
/// it) that starts a CBS record and reads the same in any code page
/// (UTF-8, no NUL, not cut), within [`CUT_WINDOW`] bytes.
fn record_start_after<S: RangeSource + ?Sized>(source: &S, from: u64) -> io::Result<Option<u64>> {
    use std::io::Read;
    // A record start is almost always in the first few lines: a small
    // window first, the whole one only when it holds none.
    for len in [CUT_WINDOW / 16, CUT_WINDOW] {
        let mut window = Vec::new();
        source.open(from, len)?.read_to_end(&mut window)?;
        if let Some(at) = first_record_start(&window) {
            return Ok(Some(from + at as u64));
        }
        if (window.len() as u64) < len {
            break;
        }
    }
    Ok(None)
}

/// Where the first whole line after the first `\n` of `window` that
/// starts a CBS record (and reads the same in any code page) starts.
fn first_record_start(window: &[u8]) -> Option<usize> {
    let mut at = 0;
    while let Some(nl) = memchr::memchr(b'\n', window.get(at..)?) {
        let start = at + nl + 1;
        let end = start + memchr::memchr(b'\n', window.get(start..)?)?;
        let line = window.get(start..end)?;
        if line.len() <= MAX_LINE_BYTES && memchr::memchr(0, line).is_none() {
            if let Ok(text) = std::str::from_utf8(line) {
                if cbs::looks_like(text.trim_end()) {
                    return Some(start);
                }
            }
        }
        at = start;
    }
    None
}

/// What one range gave.
struct Part<'c> {
    sink: Sink<'c>,
    lines: u64,
    truncated: u64,
    code_page: Option<u16>,
    encoding: TextEncoding,
}

/// Reads the range `span` as a CBS log; `first` when it is the start of
/// the file (byte-order mark, encoding sniffed).
fn read_range<'c, S: RangeSource + ?Sized>(
    name: &str,
    source: &S,
    (start, end): (u64, u64),
    first: bool,
    code_page: Option<u16>,
    catalog: &'c Catalog,
) -> io::Result<Part<'c>> {
    let input = source.open(start, end - start)?;
    let mut lines = if first {
        LineReader::new(input)
    } else {
        LineReader::bytes(input, code_page)
    };
    let mut sink = Sink::new(name, catalog);
    let mut reader = cbs::CbsReader::default();
    let mut count = (0, 0);
    reader.read_all(&mut lines, &mut sink, &mut count)?;
    reader.finish(&mut sink);
    Ok(Part {
        sink,
        lines: count.0,
        truncated: count.1,
        code_page: lines.code_page(),
        encoding: lines.encoding(),
    })
}

/// Reads again, with the code page met before it, every range that met a
/// different one first (the one-pass reader keeps the first it meets).
fn settle_code_pages<'c, S: RangeSource + ?Sized>(
    name: &str,
    source: &S,
    spans: &[(u64, u64)],
    parts: &mut [Part<'c>],
    catalog: &'c Catalog,
) -> io::Result<()> {
    let mut known: Option<u16> = None;
    for (i, part) in parts.iter_mut().enumerate() {
        if let (Some(before), Some(own)) = (known, part.code_page) {
            if before != own {
                *part = read_range(name, source, spans[i], i == 0, known, catalog)?;
            }
        }
        known = known.or(part.code_page);
    }
    Ok(())
}

/// The ranges' results as one file's, in file order.
fn merge<'c>(mut all: Part<'c>, rest: impl Iterator<Item = Part<'c>>) -> LogFile {
    for part in rest {
        all.sink.absorb(part.sink, all.lines);
        all.lines += part.lines;
        all.truncated += part.truncated;
        if all.code_page.is_none() {
            all.code_page = part.code_page;
            all.encoding = part.encoding;
        }
    }
    super::finish_file(
        all.sink,
        LogFormat::Cbs,
        all.encoding.name(),
        (all.lines, all.truncated),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const RECORD: &[u8] =
        b"2011-04-20 03:05:41, Info                  CBS    Loaded Servicing Stack\r\n";

    /// A log with a continuation line of `long` bytes after ten records,
    /// and where the record after it starts.
    fn log_with_long_line(long: usize) -> (Vec<u8>, u64) {
        let mut bytes = RECORD.repeat(10);
        bytes.extend(std::iter::repeat_n(b'A', long));
        bytes.extend_from_slice(b"\r\n");
        let after = bytes.len() as u64;
        bytes.extend(RECORD.repeat(10));
        (bytes, after)
    }

    #[test]
    fn record_start_within_the_small_window() {
        let (bytes, _) = log_with_long_line(10);
        let second = RECORD.len() as u64;
        assert_eq!(record_start_after(&bytes[..], 5).ok(), Some(Some(second)));
    }

    /// The first window holds no whole record line: the whole one is read.
    #[test]
    fn record_start_past_the_small_window() {
        let (bytes, after) = log_with_long_line(CUT_WINDOW as usize / 8);
        let from = RECORD.len() as u64 * 10 + 100;
        assert_eq!(record_start_after(&bytes[..], from).ok(), Some(Some(after)));
    }

    #[test]
    fn no_record_start_within_the_whole_window() {
        let (bytes, _) = log_with_long_line(CUT_WINDOW as usize + 200);
        let from = RECORD.len() as u64 * 10 + 100;
        assert_eq!(record_start_after(&bytes[..], from).ok(), Some(None));
    }
}
