//! Turning the bytes of a capture into text: encoding detection and lines.
//!
//! Captures come off legacy machines in whatever encoding the command that
//! wrote them used: `systeminfo > file` in cmd writes the console's OEM code
//! page (850 in Western Europe, 866 in Russia, 932 in Japan …), a PowerShell
//! redirect writes UTF-16LE with a BOM, `wmic` writes UTF-16LE, and files that
//! travelled through e-mail or a wiki are UTF-8. Nothing in the file says which
//! code page it is, so legacy code pages are chosen by decoding a prefix with
//! every candidate and scoring the result with what the caller knows the text
//! should contain (see [`decode`]).

use serde::Serialize;

use super::code_pages::encoding_rs_for;
pub use super::code_pages::{encode_code_page, LEGACY_CODE_PAGES};

/// The encoding a capture was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TextEncoding {
    /// UTF-8 without a byte-order mark (plain ASCII is reported as this).
    Utf8,
    /// UTF-8 with a byte-order mark.
    Utf8Bom,
    /// UTF-16 little-endian (PowerShell redirects, `wmic`).
    Utf16Le,
    /// UTF-16 big-endian.
    Utf16Be,
    /// A Windows OEM or ANSI code page, by number.
    CodePage(u16),
    /// Several: a collector bundle, each section decoded on its own.
    Mixed,
}

impl TextEncoding {
    /// A short, stable name: `utf-8`, `utf-16le`, `cp850` …
    pub fn name(self) -> String {
        match self {
            TextEncoding::Utf8 => "utf-8".into(),
            TextEncoding::Utf8Bom => "utf-8-bom".into(),
            TextEncoding::Utf16Le => "utf-16le".into(),
            TextEncoding::Utf16Be => "utf-16be".into(),
            TextEncoding::CodePage(cp) => format!("cp{cp}"),
            TextEncoding::Mixed => "mixed".into(),
        }
    }
}

/// How many bytes of a legacy-encoded file are decoded per candidate to score it.
const SCORE_PREFIX: usize = 4 * 1024;

/// Decodes `bytes` to text, detecting the encoding from content.
///
/// BOMs and UTF-16 zero-byte patterns are recognised first, then valid UTF-8.
/// For a legacy (non-Unicode) file, `hint` is asked which code page the raw
/// bytes are in (the systeminfo label table answers by finding its labels'
/// encoded forms, see `systeminfo::labels::code_page_hint`); without an
/// answer every page of [`LEGACY_CODE_PAGES`] is tried on a prefix and the
/// most plausible text wins (ties go to the earlier page).
pub fn decode(bytes: &[u8], hint: &dyn Fn(&[u8]) -> Option<u16>) -> (String, TextEncoding) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return (
            String::from_utf8_lossy(rest).into_owned(),
            TextEncoding::Utf8Bom,
        );
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return (decode_utf16(rest, true), TextEncoding::Utf16Le);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return (decode_utf16(rest, false), TextEncoding::Utf16Be);
    }
    if let Some(little_endian) = sniff_utf16(bytes) {
        let enc = if little_endian {
            TextEncoding::Utf16Le
        } else {
            TextEncoding::Utf16Be
        };
        return (decode_utf16(bytes, little_endian), enc);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return (text.to_owned(), TextEncoding::Utf8);
    }
    let cp = hint(bytes).unwrap_or_else(|| most_plausible_code_page(bytes));
    (decode_code_page(bytes, cp), TextEncoding::CodePage(cp))
}

/// Decodes `bytes` in Windows code page `cp` (one of [`LEGACY_CODE_PAGES`]).
pub fn decode_code_page(bytes: &[u8], cp: u16) -> String {
    if let Some(enc) = encoding_rs_for(cp) {
        let (text, _) = enc.decode_without_bom_handling(bytes);
        return text.into_owned();
    }
    match cp {
        437 => decode_oem(bytes, |b| {
            oem_cp::code_table::DECODING_TABLE_CP437[usize::from(b & 0x7F)]
        }),
        852 => decode_oem(bytes, |b| {
            oem_cp::code_table::DECODING_TABLE_CP852[usize::from(b & 0x7F)]
        }),
        857 => decode_oem(bytes, |b| {
            oem_cp::code_table::DECODING_TABLE_CP857[usize::from(b & 0x7F)].unwrap_or('\u{FFFD}')
        }),
        _ => decode_oem(bytes, |b| {
            oem_cp::code_table::DECODING_TABLE_CP850[usize::from(b & 0x7F)]
        }),
    }
}

/// Decodes a single-byte OEM page: ASCII bytes are themselves (copied a run
/// at a time), every other byte is the character `high` gives it. The same
/// result as `oem_cp`'s table decoders, without a `char` push per byte.
fn decode_oem(bytes: &[u8], high: impl Fn(u8) -> char) -> String {
    let mut out = String::with_capacity(bytes.len() + bytes.len() / 2);
    let mut rest = bytes;
    while !rest.is_empty() {
        let ascii = find_non_ascii(rest).unwrap_or(rest.len());
        let (run, tail) = rest.split_at(ascii);
        // An ASCII run is valid UTF-8, so this never falls back.
        out.push_str(std::str::from_utf8(run).unwrap_or_default());
        if let Some((&b, tail)) = tail.split_first() {
            out.push(high(b));
            rest = tail;
        } else {
            rest = tail;
        }
    }
    out
}

fn most_plausible_code_page(bytes: &[u8]) -> u16 {
    let sample = scoring_sample(bytes);
    let prefix = &sample[..];
    // A single-byte page decodes every byte on its own, so its score is the
    // sum over the sample's non-ASCII bytes of the score of each byte's
    // character: count the bytes once instead of decoding the sample.
    let mut counts = [0i64; 128];
    for &b in prefix {
        if !b.is_ascii() {
            counts[usize::from(b & 0x7F)] += 1;
        }
    }
    // The bytes that occur (usually a handful), listed once for all pages.
    let seen: Vec<(u8, i64)> = (0x80u8..=0xFF)
        .zip(counts)
        .filter(|(_, n)| *n != 0)
        .collect();
    let scores = single_byte_scores();
    let mut best = (i64::MIN, LEGACY_CODE_PAGES[0]);
    for (&cp, page_scores) in LEGACY_CODE_PAGES.iter().zip(scores) {
        let s = if is_multi_byte(cp) {
            plausibility(&decode_code_page(prefix, cp))
        } else {
            seen.iter()
                .map(|&(b, n)| n * page_scores[usize::from(b & 0x7F)])
                .sum()
        };
        if s > best.0 {
            best = (s, cp);
        }
    }
    best.1
}

/// Per page of [`LEGACY_CODE_PAGES`], the [`plausibility`] of each byte
/// 0x80–0xFF decoded alone (`decode_code_page(&[b], cp)`), made once so a
/// page is scored without a decode per byte. (Rows of multi-byte pages are
/// made too but not used: their bytes do not decode alone.)
fn single_byte_scores() -> &'static [[i64; 128]; LEGACY_CODE_PAGES.len()] {
    static SCORES: std::sync::OnceLock<[[i64; 128]; LEGACY_CODE_PAGES.len()]> =
        std::sync::OnceLock::new();
    SCORES.get_or_init(|| {
        let mut scores = [[0i64; 128]; LEGACY_CODE_PAGES.len()];
        for (&cp, row) in LEGACY_CODE_PAGES.iter().zip(scores.iter_mut()) {
            if is_multi_byte(cp) {
                continue;
            }
            for (b, score) in (0x80u8..=0xFF).zip(row.iter_mut()) {
                *score = plausibility(&decode_code_page(&[b], cp));
            }
        }
        scores
    })
}

/// The lines of `bytes.split(|&b| b == b'\n')` (the last one possibly
/// empty), found with memchr.
pub(crate) fn split_lines(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = Some(bytes);
    std::iter::from_fn(move || {
        let r = rest?;
        match find_byte(r, b'\n') {
            Some(end) => {
                rest = r.get(end + 1..);
                r.get(..end)
            }
            None => {
                rest = None;
                Some(r)
            }
        }
    })
}

/// What a legacy page is judged on. ASCII reads the same in every candidate
/// page, so only lines that hold other bytes are judged: each cut to
/// [`SCORE_PREFIX`] bytes, until that many are gathered. Of each line only
/// the stretch from its first non-ASCII byte to the byte after its last is
/// kept (with a line feed after it): the ASCII around it scores nothing,
/// and every candidate page reads an ASCII byte at a character boundary as
/// itself, so the stretch decodes to the same non-ASCII characters as the
/// whole line (a test compares the scores).
fn scoring_sample(bytes: &[u8]) -> Vec<u8> {
    let mut sample = Vec::new();
    // The bytes the whole lines would have filled.
    let mut filled = 0usize;
    for line in split_lines(bytes) {
        if filled >= SCORE_PREFIX {
            break;
        }
        if find_non_ascii(line).is_none() {
            continue;
        }
        let cut = &line[..line.len().min(SCORE_PREFIX)];
        filled += cut.len() + 1;
        if let Some(first) = find_non_ascii(cut) {
            let last = cut.iter().rposition(|b| !b.is_ascii()).unwrap_or(first);
            sample.extend_from_slice(&cut[first..cut.len().min(last + 2)]);
        }
        sample.push(b'\n');
    }
    sample
}

/// The East Asian pages, whose characters take one or two bytes.
fn is_multi_byte(cp: u16) -> bool {
    matches!(cp, 932 | 936 | 949 | 950)
}

/// A content-free plausibility score: letters are good; replacement
/// characters, C1 controls, box-drawing and private-use characters (what a
/// wrong single-byte code page or a wrong multi-byte one produces) are bad.
fn plausibility(text: &str) -> i64 {
    let mut s = 0i64;
    let mut at = 0;
    // ASCII scores nothing: jump from one non-ASCII character to the next
    // (the first non-ASCII byte after ASCII starts a character).
    while let Some(found) = find_non_ascii(text.as_bytes().get(at..).unwrap_or_default()) {
        let Some(c) = text.get(at + found..).and_then(|t| t.chars().next()) else {
            break;
        };
        at += found + c.len_utf8();
        s += match c {
            '\u{FFFD}' => -20,
            '\u{80}'..='\u{9F}' => -10,
            '\u{2500}'..='\u{25FF}' => -4, // box drawing, blocks, shapes
            '\u{E000}'..='\u{F8FF}' => -10,
            // Half-width katakana: what stray Western bytes become in cp932.
            '\u{FF61}'..='\u{FF9F}' => -3,
            _ if c.is_alphabetic() => 1,
            _ => -1,
        };
    }
    s
}

/// Recognises BOM-less UTF-16 by its zero bytes: ASCII-heavy text in UTF-16
/// has a zero in every other byte.
fn sniff_utf16(bytes: &[u8]) -> Option<bool> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    // Without a single zero byte it is not UTF-16 (most legacy captures).
    if sample.len() < 4 || find_byte(sample, 0).is_none() {
        return None;
    }
    let pairs = sample.len() / 2;
    let (zero_even, zero_odd) = count_zero_bytes(sample);
    if zero_odd * 10 >= pairs * 4 && zero_even * 10 < pairs {
        Some(true)
    } else if zero_even * 10 >= pairs * 4 && zero_odd * 10 < pairs {
        Some(false)
    } else {
        None
    }
}

/// How many zero bytes `sample` has at even and at odd offsets, counted
/// eight bytes at a time.
fn count_zero_bytes(sample: &[u8]) -> (usize, usize) {
    // Zero bytes at even offsets have their flag in the low byte of each
    // pair of a little-endian word, odd ones in the high byte.
    const EVEN: u64 = 0x0080_0080_0080_0080;
    const ODD: u64 = 0x8000_8000_8000_8000;
    let (mut even, mut odd) = (0usize, 0usize);
    let mut chunks = sample.chunks_exact(8);
    for chunk in chunks.by_ref() {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        // The high bit of every zero byte, and of no other (no carries
        // cross bytes: each byte's low seven bits plus 0x7F stay below 0x100).
        let zero = !(((x & splat(0x7F)) + splat(0x7F)) | x | splat(0x7F));
        even += (zero & EVEN).count_ones() as usize;
        odd += (zero & ODD).count_ones() as usize;
    }
    let base = sample.len() - chunks.remainder().len();
    for (i, &b) in chunks.remainder().iter().enumerate() {
        if b == 0 {
            if (base + i) % 2 == 0 {
                even += 1;
            } else {
                odd += 1;
            }
        }
    }
    (even, odd)
}

fn decode_utf16(bytes: &[u8], little_endian: bool) -> String {
    // encoding_rs decodes UTF-16 in bulk (unpaired surrogates become U+FFFD).
    let enc = if little_endian {
        encoding_rs::UTF_16LE
    } else {
        encoding_rs::UTF_16BE
    };
    let (text, _) = enc.decode_without_bom_handling(bytes);
    text.into_owned()
}

/// One line of decoded text with its 1-based line number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line<'a> {
    /// 1-based line number in the file.
    pub number: u32,
    /// The text, without the line break and without trailing white space.
    pub text: &'a str,
}

/// Splits text into lines. `\n`, `\r\n`, a lone `\r`, and the `\r\r\n` that
/// `wmic` writes when redirected each end one line. Trailing white space and
/// NUL characters are removed from every line.
pub fn lines(text: &str) -> Vec<Line<'_>> {
    let bytes = text.as_bytes();
    // One line per `\n` (and one after the last), so the vector is not
    // regrown line by line; a file of lone `\r` breaks grows it as before.
    let mut out = Vec::with_capacity(memchr::memchr_iter(b'\n', bytes).count() + 1);
    let (mut start, mut number) = (0usize, 1u32);
    while let Some(found) = find_line_break(bytes.get(start..).unwrap_or_default()) {
        let mut i = start + found;
        out.push(Line {
            number,
            text: trim_end(&text[start..i]),
        });
        number = number.saturating_add(1);
        // Consume the whole break: any run of CRs followed by an optional LF.
        if bytes[i] == b'\r' {
            while i + 1 < bytes.len()
                && bytes[i + 1] == b'\r'
                && i + 2 < bytes.len()
                && bytes[i + 2] == b'\n'
            {
                i += 1;
            }
            if i + 1 < bytes.len() && bytes[i + 1] == b'\n' {
                i += 1;
            }
        }
        start = i + 1;
    }
    if start < bytes.len() {
        out.push(Line {
            number,
            text: trim_end(&text[start..]),
        });
    }
    out
}

/// Whether `c` is white space as `char::is_whitespace` has it (Unicode's
/// White_Space characters), decided without a table (a test compares every
/// character).
pub(crate) fn is_white_space(c: char) -> bool {
    matches!(
        c,
        '\t'..='\r'
            | ' '
            | '\u{85}'
            | '\u{A0}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200A}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202F}'
            | '\u{205F}'
            | '\u{3000}'
    )
}

/// `s.trim()`, returned at once when neither end is white space (the
/// usual case), without the searches of the general trim.
pub(crate) fn trim(s: &str) -> &str {
    // Settled by the bytes at the ends, without decoding a char.
    if starts_with_white_space(s.as_bytes()) || ends_with_white_space(s.as_bytes()) {
        s.trim()
    } else {
        s
    }
}

/// Whether the UTF-8 text `b` starts with a white space character (see
/// [`is_white_space`]), read from its first bytes: ASCII white space, or
/// U+85, U+A0 (C2 85, C2 A0), U+1680 (E1 9A 80), U+2000–U+200A, U+2028,
/// U+2029, U+202F (E2 80 80–8A, A8, A9, AF), U+205F (E2 81 9F), U+3000
/// (E3 80 80). A test compares every character.
fn starts_with_white_space(b: &[u8]) -> bool {
    match b {
        [c, ..] if c.is_ascii() => is_white_space(char::from(*c)),
        [0xC2, 0x85 | 0xA0, ..]
        | [0xE1, 0x9A, 0x80, ..]
        | [0xE2, 0x80, 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF, ..]
        | [0xE2, 0x81, 0x9F, ..]
        | [0xE3, 0x80, 0x80, ..] => true,
        _ => false,
    }
}

/// Whether the UTF-8 text `b` ends with a white space character, read
/// from its last bytes (as [`starts_with_white_space`]).
fn ends_with_white_space(b: &[u8]) -> bool {
    match b {
        [.., c] if c.is_ascii() => is_white_space(char::from(*c)),
        [.., 0xC2, 0x85 | 0xA0]
        | [.., 0xE1, 0x9A, 0x80]
        | [.., 0xE2, 0x80, 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF]
        | [.., 0xE2, 0x81, 0x9F]
        | [.., 0xE3, 0x80, 0x80] => true,
        _ => false,
    }
}

/// Eight copies of byte `b`.
const fn splat(b: u8) -> u64 {
    u64::from_le_bytes([b; 8])
}

/// The position of the first `\n` or `\r` (memchr's vectorised search).
fn find_line_break(bytes: &[u8]) -> Option<usize> {
    memchr::memchr2(b'\n', b'\r', bytes)
}

/// The position of the first `needle` byte (memchr's vectorised search).
pub(crate) fn find_byte(bytes: &[u8], needle: u8) -> Option<usize> {
    memchr::memchr(needle, bytes)
}

/// The position of the first byte that is not ASCII, 32 bytes at a time.
pub(crate) fn find_non_ascii(bytes: &[u8]) -> Option<usize> {
    // Whole 32-byte blocks are tested with one OR of their four words (text
    // is mostly ASCII); the block holding a high byte, and the tail, are
    // searched a word at a time.
    let mut base = 0;
    let mut blocks = bytes.chunks_exact(32);
    for block in blocks.by_ref() {
        let any = block.chunks_exact(8).fold(0u64, |acc, w| acc | le_word(w)) & splat(0x80);
        if any != 0 {
            break;
        }
        base += 32;
    }
    let rest = bytes.get(base..).unwrap_or_default();
    let mut chunks = rest.chunks_exact(8);
    for chunk in chunks.by_ref() {
        let high = le_word(chunk) & splat(0x80);
        if high != 0 {
            return Some(base + (high.trailing_zeros() / 8) as usize);
        }
        base += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|b| !b.is_ascii())
        .map(|p| base + p)
}

/// Eight bytes as a little-endian word (`chunk` is eight bytes long).
fn le_word(chunk: &[u8]) -> u64 {
    let mut word = [0u8; 8];
    word.copy_from_slice(chunk);
    u64::from_le_bytes(word)
}

/// How many spaces `bytes` starts with, counted eight bytes at a time.
pub(crate) fn count_spaces(bytes: &[u8]) -> usize {
    let mut n = 0;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in chunks.by_ref() {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        // Zero bytes where there are spaces; the first other byte is the
        // lowest set one (little-endian).
        let other = u64::from_le_bytes(word) ^ u64::from_le_bytes([b' '; 8]);
        if other != 0 {
            return n + (other.trailing_zeros() / 8) as usize;
        }
        n += 8;
    }
    n + chunks
        .remainder()
        .iter()
        .take_while(|&&b| b == b' ')
        .count()
}

/// `s.trim_start()`, with the leading spaces counted eight bytes at a time
/// and no character decoded when the first other byte is printable ASCII.
pub(crate) fn trim_start(s: &str) -> &str {
    let spaces = count_spaces(s.as_bytes());
    match s.as_bytes().get(spaces) {
        Some(b) if b.is_ascii_graphic() => &s[spaces..],
        None => "",
        Some(_) => s[spaces..].trim_start(),
    }
}

fn trim_end(s: &str) -> &str {
    // Most lines end in a printable ASCII character: nothing to trim.
    if s.as_bytes().last().is_some_and(u8::is_ascii_graphic) {
        return s;
    }
    s.trim_end_matches(|c: char| c.is_whitespace() || c == '\0')
}

/// `a == b` for `const fn`s (where `==` on `str` is not available).
pub(crate) const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    #[test]
    fn trim_start_as_str_has_it() {
        for t in [
            "",
            " ",
            "    x",
            "\t x",
            "  \u{A0}x",
            "        \u{3000}",
            "abc",
            "  \u{FEFF}REGEDIT4",
            "\0 x",
            "         é",
        ] {
            assert_eq!(trim_start(t), t.trim_start(), "{t:?}");
        }
    }

    use super::*;

    fn no_score(_: &[u8]) -> Option<u16> {
        None
    }

    #[test]
    fn utf16le_with_and_without_bom() {
        let s = "Host Name: X\r\n";
        let mut with_bom = vec![0xFF, 0xFE];
        let body: Vec<u8> = s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        with_bom.extend_from_slice(&body);
        assert_eq!(
            decode(&with_bom, &no_score),
            (s.to_string(), TextEncoding::Utf16Le)
        );
        assert_eq!(
            decode(&body, &no_score),
            (s.to_string(), TextEncoding::Utf16Le)
        );
        let be: Vec<u8> = s.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        assert_eq!(
            decode(&be, &no_score),
            (s.to_string(), TextEncoding::Utf16Be)
        );
    }

    #[test]
    fn utf8_bom_is_stripped() {
        assert_eq!(
            decode(b"\xEF\xBB\xBFabc", &no_score),
            ("abc".into(), TextEncoding::Utf8Bom)
        );
    }

    #[test]
    fn legacy_code_page_follows_the_hint() {
        // "Имя узла" in cp866.
        let bytes = [0x88, 0xAC, 0xEF, 0x20, 0xE3, 0xA7, 0xAB, 0xA0];
        let hint = |b: &[u8]| (b == bytes).then_some(866);
        assert_eq!(
            decode(&bytes, &hint),
            ("Имя узла".into(), TextEncoding::CodePage(866))
        );
        assert_eq!(
            encode_code_page("Имя узла", 866).as_deref(),
            Some(&bytes[..])
        );
        assert_eq!(encode_code_page("Имя", 850), None);
    }

    #[test]
    fn oem_pages_decode_as_oem_cp_does() {
        let all: Vec<u8> = (0..=255u8)
            .chain(b"abc\xFF\x80 x".iter().copied())
            .collect();
        assert_eq!(
            decode_code_page(&all, 437),
            oem_cp::decode_string_complete_table(&all, &oem_cp::code_table::DECODING_TABLE_CP437)
        );
        assert_eq!(
            decode_code_page(&all, 850),
            oem_cp::decode_string_complete_table(&all, &oem_cp::code_table::DECODING_TABLE_CP850)
        );
        assert_eq!(
            decode_code_page(&all, 852),
            oem_cp::decode_string_complete_table(&all, &oem_cp::code_table::DECODING_TABLE_CP852)
        );
        assert_eq!(
            decode_code_page(&all, 857),
            oem_cp::decode_string_incomplete_table_lossy(
                &all,
                &oem_cp::code_table::DECODING_TABLE_CP857
            )
        );
    }

    #[test]
    fn single_byte_scores_match_decoding_the_sample() {
        let sample: Vec<u8> = (0..=255u8).chain(0x80..=0xA0).collect();
        for &cp in LEGACY_CODE_PAGES.iter().filter(|cp| !is_multi_byte(**cp)) {
            let per_byte: i64 = sample
                .iter()
                .filter(|b| !b.is_ascii())
                .map(|b| plausibility(&decode_code_page(&[*b], cp)))
                .sum();
            assert_eq!(
                per_byte,
                plausibility(&decode_code_page(&sample, cp)),
                "cp{cp}"
            );
        }
    }

    /// The page choice as it was made before the score table: every seen
    /// byte decoded alone for every single-byte page.
    fn most_plausible_by_decoding(bytes: &[u8]) -> u16 {
        let sample = scoring_sample(bytes);
        let mut best = (i64::MIN, LEGACY_CODE_PAGES[0]);
        for &cp in LEGACY_CODE_PAGES {
            let s = if is_multi_byte(cp) {
                plausibility(&decode_code_page(&sample, cp))
            } else {
                sample
                    .iter()
                    .filter(|b| !b.is_ascii())
                    .map(|&b| plausibility(&decode_code_page(&[b], cp)))
                    .sum()
            };
            if s > best.0 {
                best = (s, cp);
            }
        }
        best.1
    }

    #[test]
    fn page_scores_from_the_table_as_by_decoding() {
        let scores = single_byte_scores();
        for (&cp, row) in LEGACY_CODE_PAGES.iter().zip(scores) {
            if is_multi_byte(cp) {
                continue;
            }
            for b in 0x80u8..=0xFF {
                assert_eq!(
                    row[usize::from(b & 0x7F)],
                    plausibility(&decode_code_page(&[b], cp)),
                    "cp{cp} {b:#x}"
                );
            }
        }
        let mut texts: Vec<Vec<u8>> = vec![
            b"".to_vec(),
            b"Jos\x82 Ram\xA1rez\r\n".to_vec(),
            b"\x83z\x83\x58\x83\x67\x96\xBC:   JIMU-PC12\r\n".to_vec(),
            (0x80..=0xFFu8).collect(),
        ];
        // Pseudo-random bytes, mostly ASCII with some high ones.
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..300 {
            let mut t = Vec::new();
            for _ in 0..(seed % 200) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let b = (seed >> 24) as u8;
                t.push(if seed % 3 == 0 { b | 0x80 } else { b & 0x7F });
            }
            texts.push(t);
        }
        texts.extend(crate::evidence::fixture_files());
        for t in &texts {
            assert_eq!(
                most_plausible_code_page(t),
                most_plausible_by_decoding(t),
                "{t:?}"
            );
        }
    }

    #[test]
    fn scoring_sample_scores_as_whole_lines() {
        // The sample as whole lines, as it was built before.
        fn whole_lines(bytes: &[u8]) -> Vec<u8> {
            let mut sample = Vec::new();
            for line in bytes.split(|&b| b == b'\n') {
                if sample.len() >= SCORE_PREFIX {
                    break;
                }
                if !line.is_ascii() {
                    sample.extend_from_slice(&line[..line.len().min(SCORE_PREFIX)]);
                    sample.push(b'\n');
                }
            }
            sample
        }
        let mut long = vec![b'a'; 5000];
        long[10] = 0x82;
        long[4095] = 0x81;
        long[4096] = 0xA0;
        let mut texts: Vec<Vec<u8>> = vec![
            b"".to_vec(),
            b"abc\n".to_vec(),
            b"Host: Jos\xE9 Ram\xEDrez, x\n\x82\n\x82a\x82\x40b\n\xE9\r\n".to_vec(),
            b"\x83z\x83\x58\x83\x67\x96\xBC:   JIMU-PC12\r\nOS \x96\xBC: x \x81\n".to_vec(),
            (0..=255u8).chain(0..=255u8).rev().collect(),
            long,
        ];
        texts.push(texts[3].repeat(200));
        texts.push((0..9000u32).map(|i| (i * 7 % 251) as u8).collect());
        for text in &texts {
            let (spans, whole) = (scoring_sample(text), whole_lines(text));
            for &cp in LEGACY_CODE_PAGES {
                assert_eq!(
                    plausibility(&decode_code_page(&spans, cp)),
                    plausibility(&decode_code_page(&whole, cp)),
                    "cp{cp} {text:?}"
                );
            }
        }
    }

    #[test]
    fn white_space_as_char_has_it() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            assert_eq!(is_white_space(c), c.is_whitespace(), "{c:?}");
        }
        for s in [
            "",
            " ",
            "a",
            " a",
            "a ",
            "\u{3000}日本\u{3000}",
            "日本",
            "\u{A0}",
            "a\u{85}",
            "é",
            " é ",
            "\t",
            "a\r",
            "\x0Ba",
            "\x1Fa\x1F",
            "a\u{3000}",
            "\u{A0}a",
            "ab",
            "a b",
        ] {
            assert_eq!(trim(s), s.trim(), "{s:?}");
        }
        // Every character at either end, and alone.
        let mut s = String::new();
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            for (a, b) in [(c, 'x'), ('x', c), (c, c)] {
                s.clear();
                s.push(a);
                s.push(b);
                assert_eq!(trim(&s), s.trim(), "{s:?}");
            }
            let alone = &s[..c.len_utf8()];
            assert_eq!(trim(alone), alone.trim(), "{s:?}");
        }
        // Every pair of ends from ASCII and a few other characters.
        let ends: Vec<char> = (0..128u8)
            .map(char::from)
            .chain(['é', '\u{85}', '\u{A0}', '\u{3000}', '日'])
            .collect();
        for &a in &ends {
            for &b in &ends {
                for middle in ["", "x", " "] {
                    s.clear();
                    s.push(a);
                    s.push_str(middle);
                    s.push(b);
                    assert_eq!(trim(&s), s.trim(), "{s:?}");
                    assert_eq!(trim(&s[..a.len_utf8()]), s[..a.len_utf8()].trim(), "{s:?}");
                }
            }
        }
    }

    #[test]
    fn zero_bytes_counted_by_words_as_by_pairs() {
        let text: Vec<u8> = (0..=255u8)
            .chain([0, 0, 1, 0, 0x80, 0, 0, 0x7F, 0, 0, 0, 0xFF, 0, 1, 0, 0])
            .chain(b"Host Name\0\0:".iter().copied())
            .collect();
        for start in 0..text.len() {
            for end in start..=text.len().min(start + 40) {
                let s = &text[start..end];
                let by_pairs = s.iter().enumerate().fold((0, 0), |(e, o), (i, &b)| {
                    match (b == 0, i % 2 == 0) {
                        (true, true) => (e + 1, o),
                        (true, false) => (e, o + 1),
                        _ => (e, o),
                    }
                });
                assert_eq!(count_zero_bytes(s), by_pairs, "{start}..{end}");
            }
        }
    }

    #[test]
    fn line_breaks_of_every_kind() {
        let ls = lines("a\r\nb\nc\rd\r\r\ne  \n\nf");
        let got: Vec<(u32, &str)> = ls.iter().map(|l| (l.number, l.text)).collect();
        assert_eq!(
            got,
            vec![
                (1, "a"),
                (2, "b"),
                (3, "c"),
                (4, "d"),
                (5, "e"),
                (6, ""),
                (7, "f")
            ]
        );
    }

    #[test]
    fn first_non_ascii_byte_at_every_position() {
        // Long ASCII runs: the high byte falls in every word of the 32-byte
        // blocks and of the tail.
        for len in 0..140 {
            assert_eq!(find_non_ascii(&vec![b'~'; len]), None);
            for at in 0..len {
                let mut bytes = vec![b'a'; len];
                bytes[at] = 0x80 | (at as u8);
                if let Some(later) = bytes.get_mut(at + 9) {
                    *later = 0xFF;
                }
                assert_eq!(find_non_ascii(&bytes), Some(at), "{len} {at}");
            }
        }
    }

    #[test]
    fn byte_searches_agree_with_plain_scans() {
        let text: Vec<u8> = b"abc\rdefghijklmno\npqrstuvwxyz\xC3\xA9\r\n0123456789\x80\xFF"
            .iter()
            .copied()
            .chain(0..=255u8)
            .collect();
        for start in 0..text.len() {
            let rest = &text[start..];
            assert_eq!(
                find_line_break(rest),
                rest.iter().position(|&b| b == b'\n' || b == b'\r'),
                "{start}"
            );
            assert_eq!(
                find_non_ascii(rest),
                rest.iter().position(|b| !b.is_ascii()),
                "{start}"
            );
            for needle in [b'\n', b':', b'\r', 0x80, 0xFF, 0] {
                assert_eq!(
                    find_byte(rest, needle),
                    rest.iter().position(|&b| b == needle),
                    "{start} {needle}"
                );
            }
        }
    }

    #[test]
    fn trailing_white_space_and_nuls_are_trimmed() {
        for (line, trimmed) in [
            ("a", "a"),
            ("a \t\0", "a"),
            ("a\u{3000}", "a"),
            ("a\u{A0}\u{1F}", "a\u{A0}\u{1F}"),
            ("", ""),
            ("é", "é"),
        ] {
            assert_eq!(trim_end(line), trimmed, "{line:?}");
        }
    }

    #[test]
    fn plausibility_scores_every_non_ascii_char() {
        let per_char = |t: &str| -> i64 {
            t.chars()
                .filter(|c| !c.is_ascii())
                .map(|c| plausibility(c.encode_utf8(&mut [0; 4])))
                .sum()
        };
        for t in [
            "",
            "abc",
            "é",
            "aé\u{FFFD}b\u{80}日本語 ｱ x\u{E000}─",
            "Microsoft® Windows Server® 2008 Standard, José Ramírez",
        ] {
            assert_eq!(plausibility(t), per_char(t), "{t:?}");
        }
    }
}
