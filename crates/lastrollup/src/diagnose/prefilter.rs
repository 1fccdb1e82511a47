//! The byte-level prefilter: which lines of a large CBS.log or
//! WindowsUpdate.log can be passed over undecoded, because reading them
//! could not change the diagnosis.
//!
//! Most of a CBS.log is informational records that no rule reads. A line
//! is *quiet* when all of these hold, checked on its raw bytes:
//! - none of [`FRAGMENTS`] occurs in it (ASCII, any case): every fragment
//!   the shared rules' first look at informational records keys on,
//!   every OS fingerprint ([`super::os`]), the record kinds the readers
//!   turn into install attempts, and the level words `Error`, `Warning`
//!   and `FATAL` (records at those levels are always classified);
//! - it has no run of exactly ten digits starting with `2` (a decimal
//!   HRESULT, the one part of the first look that is not a fixed string);
//! - it is ASCII without NUL bytes and no longer than
//!   [`MAX_LINE_BYTES`], so its decoded text is its bytes;
//! - it starts a record in the file's format, and so does the line after
//!   it: a skipped record has no continuation lines that would otherwise
//!   be glued to the record before it.
//!
//! Such a line, read the full way, starts a record that the rules find
//! nothing in and that the OS scan finds no fingerprint in; skipping it
//! only moves the flush of the record before it to the next line read.
//! `tests/diagnose_prefilter.rs` checks that both ways give the same
//! diagnosis on every corpus log and on generated lines.

use std::collections::VecDeque;
use std::sync::OnceLock;

use aho_corasick::packed;

use super::lines::MAX_LINE_BYTES;
use super::{cbs, windowsupdate, LogFormat};

/// Fragments whose presence makes a line worth reading, lower case
/// (lines are lowered before they are matched). Each is part of, or all
/// of, what a rule or a reader looks for, so a line without any has none.
pub const FRAGMENTS: &[&str] = &[
    // The rules' first look at informational records (`may_matter` in
    // rules.rs: keep the two in step).
    "fail",
    "error",
    "fatal",
    "warning",
    "esu:",
    "pending",
    "catroot",
    "catdb",
    "corrupt",
    "not enough",
    "insufficient",
    "disk is full",
    "does not apply",
    "not applicable",
    "already installed",
    "requires servicing",
    "modules installer",
    "no parents",
    "(f)",
    "status_sxs",
    "over-removing",
    "0x0",
    "0x8",
    "0xc",
    "hr ",
    "hr=",
    "hr:",
    "hr0",
    "hr1",
    "hr2",
    "hr3",
    "hr4",
    "hr5",
    "hr6",
    "hr7",
    "hr8",
    "hr9",
    "hra",
    "hrb",
    "hrc",
    "hrd",
    "hre",
    "hrf",
    "signature",
    "did not verify",
    "missingfilesystemresource",
    "reboot",
    "shutdown",
    "selfupdate",
    "self-update",
    "2359302",
    // Records the readers turn into install attempts or state.
    "processing complete",
    "report event",
    "package identity",
    "completed install",
    // The OS fingerprints (os::FINGERPRINTS), some shortened: from here
    // on (FINGERPRINTS_FROM), a line with no other fragment only needs
    // the OS scan.
    "~~6.",
    "~~10.",
    "windows6.",
    "windows vista",
    "6.0.600",
    "binary version 6.",
    "6.1.760",
    "7.5.7601.",
    "\\win7",
    "6.2.9200.",
    "6.3.9600.",
    "windows8",
    "windowsblue-",
    "v10.0.",
    "windows10.0-",
    "windowsxp-",
    "windowsserver2003-",
    "5.1.2600.",
    "5.2.3790.",
    "\\windows\\softwaredistribution\\download\\s-1-5-18",
];

/// Where the OS fingerprints start in [`FRAGMENTS`].
const FINGERPRINTS_FROM: usize = 55;

/// Bytes lowered and searched at a time.
const CHUNK: usize = 64 * 1024;

/// Which lines of one format may be skipped.
#[derive(Debug)]
pub struct Prefilter {
    fragments: packed::Searcher,
    /// The longest fragment, in bytes.
    longest: usize,
    starts_record: fn(&str) -> bool,
}

/// What [`Scanner::quiet_prefix`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Quiet {
    /// Bytes of quiet lines at the start of the buffer.
    pub bytes: usize,
    /// How many lines they are.
    pub lines: u64,
    /// Whether the line after them only needs the OS scan: a record
    /// whose one clue is an OS fingerprint, followed by a record start
    /// (see [`super::LogReader::os_line`]).
    pub os_only: bool,
}

fn cbs_start(text: &str) -> bool {
    cbs::parse_line(text).is_some()
}

fn wu_start(text: &str) -> bool {
    windowsupdate::parse_line(text).is_some()
}

impl Prefilter {
    /// The prefilter for `format`, when lines of that format may be
    /// skipped (CBS and WindowsUpdate.log; other formats are read whole).
    pub fn for_format(format: LogFormat) -> Option<&'static Prefilter> {
        static CBS: OnceLock<Option<Prefilter>> = OnceLock::new();
        static WU: OnceLock<Option<Prefilter>> = OnceLock::new();
        match format {
            LogFormat::Cbs => CBS.get_or_init(|| Prefilter::new(cbs_start)).as_ref(),
            LogFormat::WindowsUpdate => WU.get_or_init(|| Prefilter::new(wu_start)).as_ref(),
            _ => None,
        }
    }

    fn new(starts_record: fn(&str) -> bool) -> Option<Self> {
        let fragments = packed::Config::new()
            .heuristic_pattern_limits(false)
            .builder()
            .extend(FRAGMENTS)
            .build()?;
        let longest = FRAGMENTS.iter().map(|f| f.len()).max().unwrap_or(1);
        Some(Prefilter {
            fragments,
            longest,
            starts_record,
        })
    }

    /// Whether an ASCII line (without its `\n`) starts a record.
    fn starts(&self, line: &[u8]) -> bool {
        std::str::from_utf8(line).is_ok_and(|t| (self.starts_record)(t.trim_end()))
    }

    /// Whether the first line of `rest` needs only the OS scan: it is
    /// complete, plain and starts a record, and so does the line after it.
    fn os_only_line(&self, rest: &[u8]) -> bool {
        self.next_starts(rest)
            && memchr::memchr(b'\n', rest).is_some_and(|nl| self.next_starts(&rest[nl + 1..]))
    }

    /// Whether the first line of `rest` is complete, plain and starts a
    /// record (what the full read would see, so a non-ASCII line is
    /// taken as not starting one: it is read, never skipped).
    fn next_starts(&self, rest: &[u8]) -> bool {
        let Some(nl) = memchr::memchr(b'\n', rest) else {
            return false;
        };
        let line = &rest[..nl];
        line.len() <= MAX_LINE_BYTES && plain_prefix(line) == line.len() && self.starts(line)
    }
}

/// The prefilter's state in one file: where fragments were found ahead
/// of the reader, so each byte is lowered and searched once.
#[derive(Debug)]
pub struct Scanner {
    prefilter: &'static Prefilter,
    /// Offsets in the file where the first fragment of a line starts,
    /// ascending, and whether the line has only OS fingerprints.
    hits: VecDeque<(u64, bool)>,
    /// The file has been searched up to here (fragments cut by this
    /// point are found by the next search).
    searched: u64,
    lower: Vec<u8>,
}

impl Scanner {
    /// A scanner at the start of a file.
    pub fn new(prefilter: &'static Prefilter) -> Self {
        Scanner {
            prefilter,
            hits: VecDeque::new(),
            searched: 0,
            lower: Vec::with_capacity(CHUNK),
        }
    }

    /// The quiet lines at the start of `buf`, which holds the file's bytes
    /// from `offset` on; only complete lines (ending in `\n`) count.
    pub fn quiet_prefix(&mut self, buf: &[u8], offset: u64) -> Quiet {
        let p = self.prefilter;
        let (clue, os_only) = self.next_fragment(buf, offset);
        let decimal = first_decimal_code(&buf[..clue]);
        let stop = decimal.unwrap_or(clue);
        let mut quiet = Quiet::default();
        // Only whole lines before the one where the first clue is.
        let end = memchr::memrchr(b'\n', &buf[..stop]).map_or(0, |i| i + 1);
        let span = &buf[..plain_prefix(&buf[..end])];
        let mut last_start = 0;
        let mut at = 0;
        for nl in memchr::memchr_iter(b'\n', span) {
            let line = &span[at..nl];
            if line.len() > MAX_LINE_BYTES || !p.starts(line) {
                break;
            }
            last_start = at;
            quiet.lines += 1;
            at = nl + 1;
        }
        // The line after the last skipped one must start a record.
        if quiet.lines > 0 && !p.next_starts(&buf[at..]) {
            quiet.lines -= 1;
            at = last_start;
        }
        quiet.bytes = at;
        quiet.os_only = os_only && decimal.is_none() && at == end && p.os_only_line(&buf[at..]);
        quiet
    }

    /// Where in `buf` (the file from `offset`) the first fragment starts,
    /// or how far `buf` is known to have none; and whether that line has
    /// only OS fingerprints.
    fn next_fragment(&mut self, buf: &[u8], offset: u64) -> (usize, bool) {
        while self.hits.front().is_some_and(|&(h, _)| h < offset) {
            self.hits.pop_front();
        }
        let end = offset + buf.len() as u64;
        while self.hits.is_empty() && self.searched < end {
            self.search(buf, offset);
        }
        let (known, os_only) = self.hits.front().copied().unwrap_or((self.searched, false));
        let at =
            usize::try_from(known.saturating_sub(offset)).map_or(buf.len(), |k| k.min(buf.len()));
        (at, os_only)
    }

    /// Lowers and searches the next chunk of `buf` (the file from
    /// `offset`), keeping where fragments start.
    fn search(&mut self, buf: &[u8], offset: u64) {
        let p = self.prefilter;
        let from = usize::try_from(self.searched.saturating_sub(offset)).unwrap_or(buf.len());
        let to = (from + CHUNK).min(buf.len());
        self.lower.clear();
        self.lower.extend_from_slice(&buf[from..to]);
        self.lower.make_ascii_lowercase();
        let base = offset + from as u64;
        // The first fragment of each line, and whether all of its
        // fragments are fingerprints.
        let lower = &self.lower;
        let mut at = 0;
        while let Some(m) = p
            .fragments
            .find_in(lower, aho_corasick::Span::from(at..lower.len()))
        {
            let line_end = memchr::memchr(b'\n', &lower[m.start()..]).map(|nl| m.start() + nl);
            let os_only = line_end.is_some_and(|e| only_fingerprints(p, lower, m, e));
            let hit = base + m.start() as u64;
            if self.hits.back().is_none_or(|&(h, _)| hit > h) {
                self.hits.push_back((hit, os_only));
            }
            match line_end {
                Some(e) => at = e + 1,
                None => break,
            }
        }
        // A fragment cut by the end of a chunk is looked for again by the
        // next search; one cut by the end of the buffer is in a line that
        // does not end in the buffer, which is read, not skipped.
        let back = if to == buf.len() { 0 } else { p.longest - 1 };
        self.searched = offset + (to - back) as u64;
    }
}

/// Whether the fragment `first` and every later one up to `line_end` are
/// OS fingerprints.
fn only_fingerprints(
    p: &Prefilter,
    lower: &[u8],
    first: aho_corasick::Match,
    line_end: usize,
) -> bool {
    let mut m = first;
    loop {
        if m.pattern().as_usize() < FINGERPRINTS_FROM {
            return false;
        }
        match p
            .fragments
            .find_in(lower, aho_corasick::Span::from(m.start() + 1..line_end))
        {
            Some(next) => m = next,
            None => return true,
        }
    }
}

/// The length of the longest prefix of `span` that is ASCII without NUL.
fn plain_prefix(span: &[u8]) -> usize {
    let mut end = if span.is_ascii() {
        span.len()
    } else {
        span.iter()
            .position(|b| !b.is_ascii())
            .unwrap_or(span.len())
    };
    if let Some(nul) = memchr::memchr(0, &span[..end]) {
        end = nul;
    }
    end
}

/// Where the first run of exactly ten digits starting with `2` starts
/// (`-2145124329`, `2149842967`: a decimal HRESULT), if any.
///
/// Any run of ten digits covers a whole group of four bytes aligned from
/// where the look starts, so the bytes are looked at eight at a time and
/// only groups that are all digits closer; a run that is not a code is
/// passed over whole, so long runs of digits cost one look.
fn first_decimal_code(buf: &[u8]) -> Option<usize> {
    const LOW: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    const ADD: u64 = 0x7676_7676_7676_7676;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const ZEROS: u64 = 0x3030_3030_3030_3030;
    let mut i = 0;
    while let Some(chunk) = buf.get(i..i + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word) ^ ZEROS;
        // High bit of each byte set where the byte is not a digit.
        let not_digit = (((x & LOW) + ADD) | x) & HIGH;
        let group = if not_digit & 0x8080_8080 == 0 {
            i
        } else if not_digit >> 32 == 0 {
            i + 4
        } else {
            i += 8;
            continue;
        };
        let (start, len) = digit_run(buf, group);
        if len == 10 && buf[start] == b'2' {
            return Some(start);
        }
        i = start + len;
    }
    while i < buf.len() {
        if !buf[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let (start, len) = digit_run(buf, i);
        if len == 10 && buf[start] == b'2' {
            return Some(start);
        }
        i = start + len;
    }
    None
}

/// The start and length of the run of digits through `at` (a digit).
fn digit_run(buf: &[u8], at: usize) -> (usize, usize) {
    let start = buf[..at]
        .iter()
        .rposition(|b| !b.is_ascii_digit())
        .map_or(0, |i| i + 1);
    let len = buf[start..]
        .iter()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(buf.len() - start);
    (start, len)
}

#[cfg(test)]
mod tests {
    use super::*;

    const QUIET: &str = "2025-04-02 07:15:53, Info  CBS    Unloading SysNotify DLL\r\n";

    #[test]
    fn every_fingerprint_has_a_fragment() {
        for (print, _) in crate::diagnose::os::FINGERPRINTS {
            let found = FRAGMENTS.iter().position(|f| print.contains(f));
            assert!(found.is_some_and(|i| i >= FINGERPRINTS_FROM), "{print}");
        }
        assert_eq!(FRAGMENTS[FINGERPRINTS_FROM], "~~6.");
    }

    #[test]
    fn a_fingerprint_alone_needs_only_the_os_scan() {
        let print = "2025-04-02 07:15:53, Info  CBS    Package_for_KB1~31bf~x86~~6.0.1.0\r\n";
        let q = quiet(&format!("{QUIET}{print}{QUIET}"));
        assert_eq!((q.lines, q.os_only), (1, true));
        let both = "2025-04-02 07:15:53, Info  CBS    ~~6.0.1.0 shutdown\r\n";
        assert!(!quiet(&format!("{QUIET}{both}{QUIET}")).os_only);
        let last = quiet(&format!("{QUIET}{print}"));
        assert!(!last.os_only);
    }

    #[test]
    fn decimal_codes_only_when_ten_digits_from_2() {
        assert_eq!(first_decimal_code(b"x -2145124329 y"), Some(3));
        assert_eq!(first_decimal_code(b"error 2149842967"), Some(6));
        assert_eq!(first_decimal_code(b"2149842967"), Some(0));
        assert_eq!(first_decimal_code(b"x 21498429670 y"), None);
        assert_eq!(first_decimal_code(b"x 1149842967 y"), None);
        assert_eq!(first_decimal_code(b"31171520_2564643148"), Some(9));
        assert_eq!(first_decimal_code(b"2025-04-02 07:15:53 00000003"), None);
        let long = [b'7'; 100_000];
        assert_eq!(first_decimal_code(&long), None);
        for pad in 0..9 {
            let text = format!("{}a2149842967", "x".repeat(pad));
            assert_eq!(first_decimal_code(text.as_bytes()), Some(pad + 1), "{pad}");
        }
    }

    fn quiet(text: &str) -> Quiet {
        let p = Prefilter::for_format(LogFormat::Cbs).expect("CBS prefilter");
        Scanner::new(p).quiet_prefix(text.as_bytes(), 0)
    }

    #[test]
    fn quiet_lines_are_skipped_up_to_a_clue() {
        let clue = "2025-04-02 07:15:53, Info  CBS    Failed to get x\r\n";
        let q = quiet(&format!("{QUIET}{QUIET}{clue}{QUIET}"));
        assert_eq!((q.lines, q.bytes), (2, 2 * QUIET.len()));
    }

    #[test]
    fn a_line_before_a_continuation_is_read() {
        let q = quiet(&format!("{QUIET}{QUIET}  continued here\r\n{QUIET}"));
        assert_eq!(q.lines, 1);
        // The last line has no line after it in the buffer: read.
        assert_eq!(quiet(QUIET).lines, 0);
    }

    #[test]
    fn non_ascii_nul_and_fingerprints_are_read() {
        for odd in [
            "2025-04-02 07:15:53, Info  CBS    caf\u{e9}\r\n",
            "2025-04-02 07:15:53, Info  CBS    a\0b\r\n",
            "2025-04-02 07:15:53, Info  CBS    Package_for_KB1~31bf~x86~~6.0.1.0\r\n",
            "2025-04-02 07:15:53, Warning  CBS    x\r\n",
        ] {
            let q = quiet(&format!("{QUIET}{odd}{QUIET}"));
            assert!(q.bytes <= QUIET.len(), "{odd:?}");
        }
    }

    #[test]
    fn fragments_across_chunks_are_found() {
        let head = "2025-04-02 07:15:53, Info  CBS    ";
        for target in CHUNK - 8..CHUNK + 2 {
            let n = (target - 200) / QUIET.len();
            let body = QUIET.repeat(n);
            let pad = "x".repeat(target - body.len() - head.len());
            let text = format!("{body}{head}{pad}Failed\r\n{QUIET}{QUIET}");
            assert_eq!(text.find("Failed"), Some(target));
            assert_eq!(quiet(&text).lines, n as u64, "{target}");
        }
    }
}
