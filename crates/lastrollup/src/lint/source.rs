//! One file's text as the rules see it: decoded, cut into lines of bounded
//! length, with the candidate lines chosen by a multi-pattern prefilter and
//! the inline suppressions read.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder};
use regex::Regex;

use super::rules::{self, Hit};
use super::{Config, Finding, Language};
use crate::evidence::text;

/// Bytes of a line the rules look at; the rest of a longer line is ignored.
pub const MAX_LINE: usize = 4096;

/// Bytes of a file above which it is linted in chunks of lines (bounded
/// memory) instead of as one text.
pub const WHOLE_FILE_LIMIT: usize = 8 * 1024 * 1024;

/// Lines of context kept between chunks of a large file.
pub const CHUNK_OVERLAP: usize = 40;

/// Lines per chunk of a large file.
pub const CHUNK_LINES: usize = 20_000;

/// The strings at least one rule needs on a line before it looks closer.
const PREFILTER: &[&str] = &[
    "600",
    "6.0",
    "6.1",
    "7600",
    "7601",
    "vista",
    "2008",
    "versionnt",
    "onlybelowversion",
    "caption",
    "os.name",
    "productname",
    "osfullname",
    "release()",
    "version()",
    "platform_version",
    "os_version",
    "versionstring",
    ".version",
    "majorversionnumber",
    "minorversionnumber",
    "compareto",
    "geq",
    "gtr",
    "lss",
    "leq",
];

static PREFILTER_AC: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .build(PREFILTER)
        .expect("prefilter patterns are valid")
});

/// One file (or one chunk of a large file) ready for the rules.
#[derive(Debug)]
pub struct Source<'t> {
    /// The file's name.
    pub path: &'t str,
    /// Its language.
    pub language: Language,
    /// Its lines, each cut at [`MAX_LINE`] bytes.
    pub lines: Vec<&'t str>,
    /// Indexes into `lines` of the lines the prefilter let through.
    pub candidates: Vec<usize>,
    /// Where each entry of `lines` comes from when some line was too long
    /// and was cut into windows: (0-based line number, character offset of
    /// the window in that line). Empty when `lines` are the lines themselves.
    pub origin: Vec<(usize, usize)>,
}

impl<'t> Source<'t> {
    /// Builds a source from the lines of `text`, running the prefilter once
    /// over the whole text rather than once per line. A line longer than
    /// [`MAX_LINE`] bytes is cut into overlapping windows (see [`windows`]),
    /// each linted like a line of its own and reported at its place in the
    /// real line.
    pub fn from_text(path: &'t str, language: Language, text: &'t str) -> Self {
        let whole: Vec<&'t str> = text.lines().map(strip_cr).collect();
        if whole.iter().all(|l| l.len() <= MAX_LINE) {
            let candidates = candidate_lines(text, &whole);
            return Source {
                path,
                language,
                lines: whole,
                candidates,
                origin: Vec::new(),
            };
        }
        let mut lines = Vec::with_capacity(whole.len());
        let mut origin = Vec::with_capacity(whole.len());
        for (i, line) in whole.iter().enumerate() {
            let mut chars = 0;
            let mut counted = 0;
            for (at, window) in windows(line) {
                chars += line[counted..at].chars().count();
                counted = at;
                lines.push(window);
                origin.push((i, chars));
            }
        }
        let mut src = Source::new(path, language, lines);
        src.origin = origin;
        src
    }

    /// The 0-based line number of entry `index` of `lines`.
    pub fn line_of(&self, index: usize) -> usize {
        self.origin.get(index).map_or(index, |o| o.0)
    }

    /// Builds a source from lines, running the prefilter on each.
    pub fn new(path: &'t str, language: Language, lines: Vec<&'t str>) -> Self {
        let candidates = (0..lines.len())
            .filter(|&i| PREFILTER_AC.is_match(lines[i]))
            .collect();
        Source {
            path,
            language,
            lines,
            candidates,
            origin: Vec::new(),
        }
    }

    /// Whether any line matches `re` (file-level facts: "is there a
    /// product-type check anywhere?").
    pub fn any(&self, re: &Regex) -> bool {
        self.lines.iter().any(|l| re.is_match(l))
    }

    /// The lines from `from` to `to` (inclusive, clamped).
    pub fn span(&self, from: isize, to: isize) -> &[&'t str] {
        let last = self.lines.len() as isize - 1;
        if from > last || to < 0 || to < from {
            return &[];
        }
        let (a, b) = (from.max(0), to.min(last));
        &self.lines[a as usize..=b as usize]
    }
}

/// The indexes of the `lines` (slices of `text`, in order) that hold a
/// prefilter string within their capped length. Prefilter strings hold no
/// line break, so every match lies inside one line; a line with a string in
/// it always has a reported match inside it (the automaton reports the match
/// that ends first, and resumes after it).
fn candidate_lines(text: &str, lines: &[&str]) -> Vec<usize> {
    let base = text.as_ptr() as usize;
    let start = |i: usize| lines[i].as_ptr() as usize - base;
    let mut out: Vec<usize> = Vec::new();
    let mut j = 0;
    for m in PREFILTER_AC.find_iter(text) {
        while j + 1 < lines.len() && start(j + 1) <= m.start() {
            j += 1;
        }
        let Some(line) = lines.get(j) else { break };
        let inside = start(j) <= m.start() && m.end() <= start(j) + line.len();
        if inside && out.last() != Some(&j) {
            out.push(j);
        }
    }
    out
}

/// Decodes a file's bytes to text, or `None` when it is binary (a NUL byte
/// in its first 8 KiB that UTF-16 does not explain).
pub fn decode(bytes: &[u8]) -> Option<String> {
    if looks_binary(bytes) {
        return None;
    }
    Some(text::decode(bytes, &|_| None).0)
}

/// Whether any rule could fire on a file with these raw bytes: false only
/// when the file is certainly not UTF-16 (no BOM, no NUL in the first
/// 4 KiB, the bytes `text::decode` sniffs) and no prefilter string occurs in
/// the raw bytes. Every prefilter string is ASCII, and UTF-8 and the legacy
/// code pages encode ASCII as itself, so such a file has no candidate line
/// once decoded either; it is skipped without decoding or splitting lines.
pub fn may_match(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    bytes.starts_with(&[0xFF, 0xFE])
        || bytes.starts_with(&[0xFE, 0xFF])
        || memchr::memchr(0, head).is_some()
        || PREFILTER_AC.is_match(bytes)
}

/// The text of a file that is valid UTF-8 (a UTF-8 byte-order mark
/// dropped) and that `text::decode` would not take for UTF-16 (no UTF-16
/// byte-order mark, no NUL in the first 4 KiB), borrowed rather than copied;
/// `None` for anything else, which [`decode`] then handles.
pub fn plain_utf8(bytes: &[u8]) -> Option<&str> {
    let head = &bytes[..bytes.len().min(4096)];
    if bytes.starts_with(&[0xFF, 0xFE])
        || bytes.starts_with(&[0xFE, 0xFF])
        || memchr::memchr(0, head).is_some()
    {
        return None;
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(body).ok()
}

/// Whether `bytes` look like a binary file rather than text.
pub fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    if memchr::memchr(0, head).is_none()
        || head.starts_with(&[0xFF, 0xFE])
        || head.starts_with(&[0xFE, 0xFF])
    {
        return false;
    }
    let nuls = head.iter().filter(|&&b| b == 0).count();
    if nuls == 0 {
        return false;
    }
    // UTF-16 without a BOM: ASCII text puts a NUL in every other byte.
    let even = head.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd = head.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    let half = head.len() / 2;
    !(half > 0 && (odd * 10 >= half * 9 && even == 0 || even * 10 >= half * 9 && odd == 0))
}

/// Bytes by which consecutive windows of a long line overlap, so that a
/// test cut by one window's end is whole in the next.
pub const WINDOW_OVERLAP: usize = 512;

/// A line cut into windows of at most [`MAX_LINE`] bytes: (byte offset,
/// window). A window ends after a character that cannot be inside a number
/// or a name when there is one in its last [`WINDOW_OVERLAP`] bytes, and the
/// next starts [`WINDOW_OVERLAP`] bytes before that end, at such a
/// character, so a window never starts or ends inside `16002` or a name.
/// A line that fits is its own only window.
pub fn windows(line: &str) -> Vec<(usize, &str)> {
    let bytes = line.as_bytes();
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || b >= 0x80;
    let mut out = Vec::new();
    let mut start = 0;
    loop {
        if line.len() - start <= MAX_LINE {
            out.push((start, &line[start..]));
            return out;
        }
        let hard = floor_boundary(line, start + MAX_LINE);
        let soft = (hard.saturating_sub(WINDOW_OVERLAP)..hard)
            .rev()
            .find(|&i| !word(bytes[i]))
            .map_or(hard, |i| i + 1);
        let end = if soft > start { soft } else { hard };
        out.push((start, &line[start..end]));
        let back = floor_boundary(line, end.saturating_sub(WINDOW_OVERLAP).max(start + 1));
        let next = (back..end).find(|&i| !word(bytes[i])).unwrap_or(back);
        start = if next > start { next } else { end };
    }
}

fn floor_boundary(line: &str, mut at: usize) -> usize {
    at = at.min(line.len());
    while !line.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn strip_cr(line: &str) -> &str {
    line.strip_suffix('\r').unwrap_or(line)
}

/// Cuts a line at [`MAX_LINE`] bytes (on a character boundary) and drops a
/// trailing carriage return.
pub fn cap(line: &str) -> &str {
    let line = line.strip_suffix('\r').unwrap_or(line);
    if line.len() <= MAX_LINE {
        return line;
    }
    let mut end = MAX_LINE;
    while !line.is_char_boundary(end) {
        end -= 1;
    }
    &line[..end]
}

/// Lints the whole text of a file.
pub fn lint_text(path: &str, language: Language, text: &str, config: &Config) -> Vec<Finding> {
    lint_source(&Source::from_text(path, language, text), 1, config)
}

/// Lints lines whose first is line number `first`, returning findings for
/// all of them.
pub fn lint_lines<'t>(
    path: &'t str,
    language: Language,
    lines: impl Iterator<Item = &'t str>,
    first: usize,
    config: &Config,
) -> Vec<Finding> {
    let src = Source::new(path, language, lines.map(cap).collect());
    lint_source(&src, first, config)
}

/// Runs every enabled rule over `src` and turns their hits into findings,
/// leaving out suppressed ones.
pub fn lint_source(src: &Source<'_>, first: usize, config: &Config) -> Vec<Finding> {
    if src.candidates.is_empty() {
        return Vec::new();
    }
    let mut suppressions: Option<Suppressions> = None;
    let mut out = Vec::new();
    for rule in rules::all() {
        let meta = rule.meta();
        if !config.enabled(meta) {
            continue;
        }
        let mut hits = Vec::new();
        rule.check(src, &mut hits);
        for hit in hits {
            let read = suppressions.get_or_insert_with(|| Suppressions::read(src));
            if read.covers(meta, src.line_of(hit.index)) {
                continue;
            }
            out.push(finding(src, first, meta, hit));
        }
    }
    out.dedup_by(|a, b| a.line == b.line && a.rule == b.rule);
    out
}

fn finding(src: &Source<'_>, first: usize, meta: &rules::RuleMeta, hit: Hit) -> Finding {
    let line = src.lines.get(hit.index).copied().unwrap_or("");
    let mut at = hit.column.min(line.len());
    while !line.is_char_boundary(at) {
        at -= 1;
    }
    let (number, offset) = src.origin.get(hit.index).copied().unwrap_or((hit.index, 0));
    Finding {
        path: src.path.to_string(),
        line: first + number,
        column: offset + line[..at].chars().count() + 1,
        rule: meta.id.to_string(),
        severity: meta.severity,
        message: hit.message,
        fix: meta.fix.to_string(),
        snippet: line.trim_end().to_string(),
        snippet_offset: offset,
    }
}

/// Inline suppressions: `lastrollup: ignore[rule-id]` (this line),
/// `lastrollup: ignore-next-line[rule-id]` and `lastrollup: ignore-file[rule-id]`,
/// in any comment syntax; several ids may be separated by commas.
#[derive(Debug, Default)]
struct Suppressions {
    /// (0-based line number, rule name as written).
    lines: Vec<(usize, String)>,
    file: Vec<String>,
}

static SUPPRESS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"lastrollup:\s*ignore(-next-line|-file)?\[([^\]]*)\]").expect("valid regex")
});

impl Suppressions {
    fn read(src: &Source<'_>) -> Self {
        let mut s = Suppressions::default();
        for (i, line) in src.lines.iter().enumerate() {
            if !line.contains("lastrollup:") {
                continue;
            }
            for c in SUPPRESS.captures_iter(line) {
                let names = c.get(2).map_or("", |m| m.as_str());
                for name in names.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                    let line = src.line_of(i);
                    match c.get(1).map(|m| m.as_str()) {
                        Some("-file") => s.file.push(name.to_string()),
                        Some(_) => s.lines.push((line + 1, name.to_string())),
                        None => s.lines.push((line, name.to_string())),
                    }
                }
            }
        }
        s
    }

    /// Whether the rule is suppressed on (0-based) line number `line`.
    fn covers(&self, meta: &rules::RuleMeta, line: usize) -> bool {
        self.file.iter().any(|n| meta.is_named(n))
            || self
                .lines
                .iter()
                .any(|(i, n)| *i == line && meta.is_named(n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_and_utf16() {
        assert!(looks_binary(b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00"));
        assert!(!looks_binary(b"plain text\n"));
        let utf16: Vec<u8> = "ver | find \"6.0.6002\"\r\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert!(!looks_binary(&utf16));
        assert!(decode(&utf16).is_some_and(|t| t.contains("6.0.6002")));
    }

    #[test]
    fn plain_utf8_is_what_decode_would_give() {
        for bytes in [
            &b"plain\r\nvista"[..],
            b"\xEF\xBB\xBFbom caf\xC3\xA9",
            b"caf\xe9 cp1252",
            b"\xFF\xFEv\x00",
            b"a\x00b\x00",
        ] {
            if let Some(text) = plain_utf8(bytes) {
                assert_eq!(Some(text.to_string()), decode(bytes));
            }
        }
        assert_eq!(plain_utf8(b"\xEF\xBB\xBFbom"), Some("bom"));
        assert_eq!(plain_utf8(b"caf\xe9"), None);
        assert_eq!(plain_utf8(b"a\x00b\x00"), None);
    }

    #[test]
    fn raw_prefilter_skips_only_files_without_candidates() {
        assert!(!may_match(b"fn main() { println!(\"hello\"); }\n"));
        assert!(may_match(b"if ($b -EQ 6002) {}"));
        assert!(may_match(b"Windows VISTA\xe9\n")); // cp1252 text
        let utf16: Vec<u8> = "6.0.6002"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert!(may_match(&utf16));
        assert!(may_match(b"\xFF\xFEx\x00"));
        // Every candidate line of a decoded file is seen by the raw check.
        for line in [
            "x.version = 1",
            "caption -like '*2008*'",
            "ver|find \"6.0\"",
        ] {
            assert!(Source::new("a", Language::Text, vec![line]).candidates == [0]);
            assert!(may_match(line.as_bytes()));
        }
    }

    #[test]
    fn whole_text_candidates_match_per_line_ones() {
        let long = "padding 6002";
        let text = format!("a\r\nver 6.0\r\n\nb\n{long}\nVISTA vista\n6002 2008\r\nno\nend 7601");
        let whole = Source::from_text("t", Language::Text, &text);
        let lines: Vec<&str> = text.lines().map(cap).collect();
        let per_line = Source::new("t", Language::Text, lines.clone());
        assert_eq!(whole.lines, lines);
        assert_eq!(whole.candidates, per_line.candidates);
        assert_eq!(whole.candidates, vec![1, 4, 5, 6, 8]);
    }

    #[test]
    fn windows_cover_long_lines_without_cutting_words() {
        let line = format!(
            "{}{}",
            "é; build == 6002, 16002 ".repeat(900),
            "x".repeat(9000)
        );
        let w = windows(&line);
        assert!(w.len() > 5);
        assert_eq!(w[0].0, 0);
        let last = w.last().expect("windows");
        assert_eq!(last.0 + last.1.len(), line.len());
        for pair in w.windows(2) {
            let ((a, wa), (b, _)) = (pair[0], pair[1]);
            assert!(b > a && b <= a + wa.len(), "gap or no progress");
        }
        for (at, win) in &w {
            assert!(win.len() <= MAX_LINE);
            let end = at + win.len();
            let glued = |i: usize| line.as_bytes()[i].is_ascii_digit();
            if end < line.len() && end < line.len() - 9000 {
                assert!(
                    !(glued(end - 1) && glued(end)),
                    "cut inside a number at {end}"
                );
            }
        }
        assert_eq!(windows("short"), vec![(0, "short")]);
    }

    #[test]
    fn long_lines_are_linted_in_windows_at_their_real_columns() {
        let config = Config::default();
        for pad in (3900..4300).step_by(13) {
            for filler in ["é,", "x"] {
                let before = filler.repeat(pad / filler.len());
                let tail = "z;".repeat(3000);
                let line = format!("{before};if (build == 6002) {{ sp2() }};{tail}");
                let found = lint_text("m.js", Language::JavaScript, &line, &config);
                assert_eq!(found.len(), 1, "pad {pad} {filler:?}: {found:?}");
                let column = before.chars().count() + ";if (build == ".len() + 1;
                assert_eq!((found[0].line, found[0].column), (1, column), "pad {pad}");
                let glued = line.replace("== 6002", "== 16002");
                let none = lint_text("m.js", Language::JavaScript, &glued, &config);
                assert!(none.is_empty(), "pad {pad} {filler:?}: {none:?}");
            }
        }
        let suppressed = format!(
            "if (build == 6002) {{}};{} // lastrollup: ignore[exact-build-6002]\nx",
            "y;".repeat(5000)
        );
        assert!(lint_text("m.js", Language::JavaScript, &suppressed, &config).is_empty());
    }

    #[test]
    fn cap_keeps_char_boundaries() {
        let long = "é".repeat(MAX_LINE);
        assert!(cap(&long).len() <= MAX_LINE);
        assert_eq!(cap("a\r"), "a");
    }

    #[test]
    fn span_clamps() {
        let src = Source::new("x", Language::Text, vec!["a", "b", "c"]);
        assert_eq!(src.span(-5, 1), &["a", "b"]);
        assert_eq!(src.span(2, 10), &["c"]);
        assert!(src.span(3, 10).is_empty());
    }
}
