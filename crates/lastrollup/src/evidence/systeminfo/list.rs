//! systeminfo's default list layout:
//!
//! ```text
//! Host Name:                 WIN2008DC
//! OS Name:                   Microsoft® Windows Server® 2008 Standard
//! Hotfix(s):                 2 Hotfix(s) Installed.
//!                            [01]: KB955430
//! ```
//!
//! Labels are padded so that every value starts in the same console column.
//! That column is what identifies the block's lines when a label is unknown
//! (and what separates `Page File: Max Size:` from its value). The block may
//! sit between prompts or other command output, and may have been copied
//! from an 80-column console that wrapped its long lines.

use std::borrow::Cow;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::fields::Field;
use super::labels::labels;
use super::{majority_language, reborrow, RawBlock, RawEntry};
use crate::evidence::text::{count_spaces, trim, Line};

/// The console width whose wrapping is undone.
const CONSOLE_WIDTH: usize = 80;

/// A possible label/value split of a line: after the colon at `colon`.
#[derive(Debug, Clone, Copy)]
struct Split {
    colon: usize,
    value_start: usize,
    /// Display column where the value starts.
    value_col: usize,
}

fn splits(text: &str) -> Vec<Split> {
    splits_up_to(text, usize::MAX)
}

/// The splits whose colon is within the first `limit` bytes.
fn splits_up_to(text: &str, limit: usize) -> Vec<Split> {
    let mut out = Vec::new();
    let ascii = text.is_ascii();
    if ascii {
        // The same scan by bytes: in ASCII text the only label colon is `:`,
        // found with memchr, and display width is not needed.
        let bytes = text.as_bytes();
        for i in memchr::memchr_iter(b':', bytes) {
            if i > limit {
                break;
            }
            if i > 0
                && bytes
                    .get(i + 1)
                    .is_none_or(|&n| is_ascii_char_whitespace(n))
            {
                out.push(split_after(text, i, ':', 0, true));
            }
        }
        return out;
    }
    // Display width of text[..i], kept as the scan goes (linear in the line).
    let mut width = 0usize;
    for (i, c) in text.char_indices() {
        if i > limit {
            break;
        }
        if !ascii {
            width += char_width(c);
        }
        if is_label_colon(text, i, c) {
            out.push(split_after(text, i, c, width, ascii));
        }
    }
    out
}

/// `UnicodeWidthChar::width(c).unwrap_or(0)`, without the table for the
/// scripts labels are mostly written in (a test compares every character
/// of these ranges).
fn char_width(c: char) -> usize {
    simple_width(c).unwrap_or_else(|| UnicodeWidthChar::width(c).unwrap_or(0))
}

/// The width of a printable character of the scripts labels are mostly
/// written in (ASCII, Latin, Greek, Cyrillic, kana, CJK ideographs and
/// punctuation, Hangul syllables, full- and half-width forms); `None` for
/// every other character. None of these
/// takes part in a sequence `unicode-width` measures as a whole.
fn simple_width(c: char) -> Option<usize> {
    match c {
        ' '..='~' | '\u{C0}'..='\u{24F}' | '\u{391}'..='\u{3C9}' | '\u{410}'..='\u{44F}' => Some(1),
        '\u{FF61}'..='\u{FF9F}' => Some(1),
        '\u{3000}'..='\u{3029}'
        | '\u{3041}'..='\u{3096}'
        | '\u{309B}'..='\u{30FF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{AC00}'..='\u{D7A3}'
        | '\u{FF01}'..='\u{FF60}' => Some(2),
        _ => None,
    }
}

/// `UnicodeWidthStr::width(t)`: summed a character at a time when every
/// character has a [`simple_width`], measured whole otherwise.
fn line_width(t: &str) -> usize {
    let mut sum = 0;
    for c in t.chars() {
        match simple_width(c) {
            Some(w) => sum += w,
            None => return UnicodeWidthStr::width(t),
        }
    }
    sum
}

/// Whether the character `c` at byte `i` is a colon that can end a label:
/// not the first character, followed by white space or the end of the line.
fn is_label_colon(text: &str, i: usize, c: char) -> bool {
    if (c != ':' && c != '：') || i == 0 {
        return false;
    }
    let rest = &text[i + c.len_utf8()..];
    rest.is_empty() || rest.starts_with(char::is_whitespace)
}

/// The split after the label colon `c` at byte `i`; `width` is the display
/// width of the text up to and including the colon (unused for ASCII text).
fn split_after(text: &str, i: usize, c: char, width: usize, ascii: bool) -> Split {
    let after = i + c.len_utf8();
    let rest = &text[after..];
    // The padding is nearly always plain spaces: counted by byte, and each
    // one column wide.
    let pad = leading_space(rest);
    let value_col = if ascii {
        after + pad
    } else if rest.as_bytes()[..pad].iter().all(|&b| b == b' ') {
        width + pad
    } else {
        width + UnicodeWidthStr::width(&rest[..pad])
    };
    Split {
        colon: i,
        value_start: after + pad,
        value_col,
    }
}

/// The known label at the start of `text`, if any.
fn known_split(text: &str) -> Option<(Field, &'static str, Split)> {
    let labels = labels();
    let ascii = text.is_ascii();
    let bytes = text.as_bytes();
    // Label colons are `:` or the full-width `：` (bytes EF BC 9A), found by
    // their first byte with memchr, as far as the longest label reaches (a
    // colon starting within it counts). The label is looked up before the
    // split is measured: most lines are settled at their first label colon.
    let end = bytes.len().min(labels.max_label_bytes().saturating_add(1));
    let head = &bytes[..end];
    let mut from = 0;
    let find = |h: &[u8]| {
        if ascii {
            memchr::memchr(b':', h)
        } else {
            memchr::memchr2(b':', 0xEF, h)
        }
    };
    while let Some(found) = head.get(from..).and_then(find) {
        let i = from + found;
        from = i + 1;
        let c = if bytes[i] == b':' {
            ':'
        } else if bytes[i..].starts_with("：".as_bytes()) {
            '：'
        } else {
            continue;
        };
        if !is_label_colon(text, i, c) {
            continue;
        }
        let Some((field, lang)) = labels.lookup(&text[..i]) else {
            continue;
        };
        // In ASCII text display width is not needed.
        let width = if ascii {
            0
        } else {
            text[..i + c.len_utf8()].chars().map(char_width).sum()
        };
        return Some((field, lang, split_after(text, i, c, width, ascii)));
    }
    None
}

/// Whether an ASCII byte is white space as `char::is_whitespace` has it.
fn is_ascii_char_whitespace(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ')
}

/// The byte length of the white space `text` starts with (what
/// `trim_start` removes), counted by byte when it is plain spaces.
fn leading_space(text: &str) -> usize {
    let spaces = count_spaces(text.as_bytes());
    match text.as_bytes().get(spaces) {
        None => spaces,
        Some(&b) if b.is_ascii() && !is_ascii_char_whitespace(b) => spaces,
        Some(_) => text.len() - text.trim_start().len(),
    }
}

/// The value of an item line `   [01]: KB955430` (French: `[01] : …`), at
/// any indentation: a pasted capture may have lost or changed it.
#[inline]
fn item_value(text: &str) -> Option<&str> {
    // Most lines are settled by their first byte that is not a space,
    // found eight bytes at a time.
    let bytes = text.as_bytes();
    let spaces = count_spaces(bytes);
    let indent = match *bytes.get(spaces)? {
        b'[' => spaces,
        b if b.is_ascii() && !is_ascii_char_whitespace(b) => return None,
        _ => leading_space(text),
    };
    let rest = text[indent..].strip_prefix('[')?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 4 || rest.as_bytes().get(digits) != Some(&b']') {
        return None;
    }
    let rest = skip_item_space(&rest[digits + 1..]);
    let rest = rest.strip_prefix(':').or_else(|| rest.strip_prefix('：'))?;
    Some(trim(rest))
}

/// `text` without the spaces (plain, no-break, narrow no-break) between an
/// item's number and its colon.
fn skip_item_space(text: &str) -> &str {
    let spaces = count_spaces(text.as_bytes());
    match text.as_bytes().get(spaces) {
        // U+00A0 and U+202F start with these bytes.
        Some(0xC2 | 0xE2) => text.trim_start_matches([' ', '\u{A0}', '\u{202F}']),
        _ => &text[spaces..],
    }
}

/// The display width of a line's leading white space.
fn indent_width(text: &str) -> usize {
    let pad = &text[..leading_space(text)];
    if pad.bytes().all(|b| b == b' ') {
        pad.len()
    } else {
        UnicodeWidthStr::width(pad)
    }
}

/// The narrowest width a mailer wraps lines at (they use 72 to 80).
const MAILER_WRAP_MIN: usize = 60;

/// The known label split of a line, unless it starts with white space.
type Known = Option<(Field, &'static str, Split)>;

/// [`known_split`] of a line that does not start with white space.
fn line_known(text: &str) -> Known {
    if text.starts_with(char::is_whitespace) {
        None
    } else {
        known_split(text)
    }
}

/// The display width of a line as far as console wrapping cares: exact
/// from [`CONSOLE_WIDTH`] bytes on (display width never exceeds the byte
/// length, so shorter lines are narrower than the console).
fn wrap_width(t: &str) -> usize {
    if t.len() < CONSOLE_WIDTH {
        t.len().min(CONSOLE_WIDTH - 1)
    } else {
        line_width(t)
    }
}

/// Undoes 80-column console wrapping: a line exactly as wide as the console,
/// followed by a line that is neither indented nor a labelled field, is one
/// line. Every logical line comes with its [`line_known`] split.
///
/// The width of a line is measured only when the next line could continue
/// it, and a line's split is looked up twice only when it follows a line of
/// exactly the console's width. The splits are not collected first: moving
/// a stored `Known` back out cost more than the lookups it saved (a
/// store-forwarding stall on its padded layout, a third of this function's
/// time in `perf annotate`).
fn unwrap_console<'a>(lines: &[Line<'a>]) -> Vec<(u32, Cow<'a, str>, Known)> {
    let mut out: Vec<(u32, Cow<'a, str>, Known)> = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        let first = i;
        let mut text = Cow::Borrowed(lines[i].text);
        let mut last = lines[i].text;
        while let Some(next) = lines.get(i + 1).map(|l| l.text) {
            if next.is_empty()
                || next.starts_with("  ")
                || wrap_width(last) != CONSOLE_WIDTH
                || item_value(next).is_some()
                || known_split(next).is_some()
            {
                break;
            }
            text.to_mut().push_str(next);
            last = next;
            i += 1;
        }
        let split = line_known(&text);
        out.push((lines[first].number, text, split));
        i += 1;
    }
    out
}

fn mode(values: impl Iterator<Item = usize>) -> Option<usize> {
    let mut counts: Vec<(usize, usize)> = Vec::new();
    for v in values {
        match counts.iter_mut().find(|(k, _)| *k == v) {
            Some((_, n)) => *n += 1,
            None => counts.push((v, 1)),
        }
    }
    counts
        .into_iter()
        .max_by_key(|&(v, n)| (n, std::cmp::Reverse(v)))
        .map(|(v, _)| v)
}

/// Parses every list-layout systeminfo block in the text.
pub(super) fn parse<'a>(lines: &[Line<'a>]) -> Option<Vec<RawBlock<'a>>> {
    let logical = unwrap_console(lines);
    let any_known = logical.iter().any(|(_, _, k)| k.is_some());
    let column = if any_known {
        mode(
            logical
                .iter()
                .filter_map(|(_, _, k)| k.map(|(_, _, s)| s.value_col)),
        )
    } else {
        mode(
            logical
                .iter()
                .filter(|(_, t, _)| !t.starts_with(char::is_whitespace))
                .filter_map(|(_, t, _)| splits(t).last().map(|s| s.value_col)),
        )
    }?;

    // A block holds at most one entry per line that does not start with
    // white space (a systeminfo block about 35): sized once.
    let capacity = logical
        .iter()
        .filter(|(_, t, _)| !t.starts_with(char::is_whitespace))
        .count()
        .min(48);
    let mut builder = Builder {
        column,
        aligned: is_aligned(&logical, column),
        capacity,
        blocks: Vec::new(),
        current: None,
        anchor: None,
        last: Last::Other,
    };
    for (number, text, known) in &logical {
        builder.line(*number, text, *known);
    }
    builder.close();
    let mut blocks = builder.blocks;
    blocks.retain(RawBlock::is_plausible);
    if blocks.is_empty() {
        None
    } else {
        Some(blocks)
    }
}

/// Whether most known labels' values start in `column`: false when a paste
/// collapsed or changed the padding, and the column no longer tells an
/// unknown label's line from other text.
fn is_aligned(logical: &[(u32, Cow<'_, str>, Known)], column: usize) -> bool {
    let (mut at, mut all) = (0usize, 0usize);
    for (_, _, k) in logical {
        if let Some((_, _, s)) = k {
            all += 1;
            at += usize::from(s.value_col == column);
        }
    }
    all == 0 || at * 2 > all
}

/// What the line before was, for joining a line a mailer wrapped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Last {
    /// A field line or an item of the current block.
    Value,
    /// Anything else (a blank line, a continuation, no block).
    Other,
}

/// The blocks read so far and the one being read.
struct Builder<'a> {
    /// The value column of the text's labelled lines.
    column: usize,
    /// Whether the column is kept (see [`is_aligned`]); when not, a line
    /// with an unknown label is an entry at its first label colon.
    aligned: bool,
    capacity: usize,
    blocks: Vec<RawBlock<'a>>,
    current: Option<(RawBlock<'a>, Vec<&'static str>)>,
    /// The indentation of the current entry's first item: items deeper than
    /// it belong to an item's details (a network card's addresses).
    anchor: Option<usize>,
    last: Last,
}

impl<'a> Builder<'a> {
    fn close(&mut self) {
        if let Some((mut b, langs)) = self.current.take() {
            b.language = majority_language(&langs);
            self.blocks.push(b);
        }
    }

    fn block(&mut self) -> &mut (RawBlock<'a>, Vec<&'static str>) {
        let capacity = self.capacity;
        self.current.get_or_insert_with(|| {
            (
                RawBlock {
                    entries: Vec::with_capacity(capacity),
                    ..RawBlock::default()
                },
                Vec::with_capacity(capacity),
            )
        })
    }

    // The text stays a `Cow`: values borrowed from it keep its lifetime.
    #[allow(clippy::ptr_arg)]
    fn line(&mut self, number: u32, text: &Cow<'a, str>, known: Known) {
        if text.is_empty() {
            self.last = Last::Other;
            return;
        }
        if self.current.is_some() {
            if let Some(item) = item_value(text) {
                self.item(number, text, item);
                return;
            }
        }
        if text.starts_with(char::is_whitespace) {
            // A continuation line (a network card's details).
            if let Some((block, _)) = self.current.as_mut() {
                block.last_line = number;
            }
            self.last = Last::Other;
            return;
        }
        if self.entry(number, text, known) {
            self.anchor = None;
            self.last = Last::Value;
            return;
        }
        let joined = (self.last == Last::Value && self.rewrap(number, text))
            || self.cut_number(number, text);
        if !joined {
            // A line that is not a field ends the block (a prompt, other output).
            self.close();
            self.last = Last::Other;
        }
    }

    /// An item line: kept for the current entry unless it is indented
    /// deeper than the entry's first item.
    #[allow(clippy::ptr_arg)]
    fn item(&mut self, number: u32, text: &Cow<'a, str>, item: &str) {
        let indent = indent_width(text);
        let anchor = *self.anchor.get_or_insert(indent);
        self.last = Last::Other;
        let Some((block, _)) = self.current.as_mut() else {
            return;
        };
        block.last_line = number;
        if indent > anchor + 2 {
            return;
        }
        if let Some(entry) = block.entries.last_mut() {
            entry.items.push((reborrow(text, item), number));
            self.last = Last::Value;
        }
    }

    /// Adds the entry of a line that does not start with white space to the
    /// current block (a known label, or an unknown one whose value starts in
    /// the value column); false when the line is no entry.
    ///
    /// The entry is built where it is pushed: returned in an `Option` and
    /// moved, its field's tag byte was read back as part of a wide copy,
    /// which stalls store forwarding.
    #[allow(clippy::ptr_arg)] // `reborrow` keeps a borrowed value's `'a`
    fn entry(&mut self, number: u32, text: &Cow<'a, str>, known: Known) -> bool {
        let (field, label, value) = if let Some((field, lang, split)) = known {
            if field == Field::HostName
                && self.current.as_ref().is_some_and(|(b, _)| {
                    b.entries.iter().any(|e| e.field == Some(Field::HostName))
                })
            {
                self.close();
            }
            let (_, langs) = self.block();
            langs.push(lang);
            (
                Some(field),
                &text[..split.colon],
                &text[split.value_start..],
            )
        } else {
            let (column, aligned) = (self.column, self.aligned);
            let found = splits(text).into_iter().find(|s| {
                !aligned
                    || s.value_col == column
                    || (s.value_start == text.len() && s.value_col < column)
            });
            let Some(s) = found else {
                return false;
            };
            (None, &text[..s.colon], &text[s.value_start..])
        };
        let (block, _) = self.block();
        block.last_line = number;
        block.entries.push(RawEntry {
            field,
            label: reborrow(text, trim(label)),
            value: reborrow(text, trim(value)),
            line: number,
            items: Vec::new(),
        });
        true
    }

    /// The digits a hard wrap moved off a hotfix item (`[117]: KB45` then
    /// `93226`): kept with the item, a space between, so that the item is
    /// reported as cut and not read as some other KB. Returns whether the
    /// line was such digits.
    fn cut_number(&mut self, number: u32, text: &str) -> bool {
        let t = trim(text);
        if t.is_empty() || t.len() > 8 || !t.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
        let Some((block, _)) = self.current.as_mut() else {
            return false;
        };
        let Some((item, line)) = block.entries.last_mut().and_then(|e| e.items.last_mut()) else {
            return false;
        };
        let short_kb = item
            .strip_prefix("KB")
            .is_some_and(|d| d.len() < 6 && d.bytes().all(|b| b.is_ascii_digit()));
        if !short_kb || *line + 1 != number {
            return false;
        }
        let joined = item.to_mut();
        joined.push(' ');
        joined.push_str(t);
        block.last_line = number;
        true
    }

    /// Joins a line that a mailer wrapped off the value or item before it
    /// (the break replaced a space). Returns whether it did.
    fn rewrap(&mut self, number: u32, text: &str) -> bool {
        let column = self.column;
        let Some((block, _)) = self.current.as_mut() else {
            return false;
        };
        let Some(entry) = block.entries.last_mut() else {
            return false;
        };
        // The wrapped line held the label and its padding, or an item's
        // indentation and number, too: the width a mailer saw is about the
        // value column plus the value.
        let (value, lead) = match entry.items.last_mut() {
            Some((item, _)) => (item, column + "[01]: ".len()),
            None => (&mut entry.value, column.max(line_width(&entry.label) + 2)),
        };
        let before = lead + line_width(value);
        let word = text.split(char::is_whitespace).next().unwrap_or_default();
        if before + 1 + line_width(word) <= MAILER_WRAP_MIN {
            return false;
        }
        let joined = value.to_mut();
        joined.push(' ');
        joined.push_str(trim(text));
        block.last_line = number;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::text::lines;

    #[test]
    fn page_file_label_splits_at_the_value_column() {
        let text = "Host Name:                 A\nOS Name:                   Microsoft Windows Server 2008 Standard\nPage File: Max Size:       8,363 MB\n";
        let blocks = parse(&lines(text)).unwrap();
        let e = &blocks[0].entries[2];
        assert_eq!(e.field, Some(Field::PageFileMaxSize));
        assert_eq!(e.value, "8,363 MB");
    }

    #[test]
    fn wrapped_console_lines_are_joined() {
        let long = format!(
            "Time Zone:{}(GMT+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna",
            " ".repeat(17)
        );
        assert!(long.len() > 80);
        let (a, b) = long.split_at(80);
        let text = format!("Host Name:                 A\n{a}\n{b}\nDomain:                    W\nOS Version:                6.0.6002 Service Pack 2 Build 6002\n");
        let blocks = parse(&lines(&text)).unwrap();
        let tz = blocks[0]
            .entries
            .iter()
            .find(|e| e.field == Some(Field::TimeZone))
            .unwrap();
        assert!(tz.value.ends_with("Stockholm, Vienna"), "{}", tz.value);
    }

    /// `unwrap_console` as it was: every line measured, each split found
    /// again. Undoes 80-column console wrapping: a line exactly as wide as the console,
    /// followed by a line that is neither indented nor a labelled field, is one
    /// line.
    fn unwrap_console_by_width<'a>(lines: &[Line<'a>]) -> Vec<(u32, Cow<'a, str>)> {
        let mut out: Vec<(u32, Cow<'a, str>)> = Vec::with_capacity(lines.len());
        let mut i = 0;
        while i < lines.len() {
            let mut text = Cow::Borrowed(lines[i].text);
            let number = lines[i].number;
            // Display width never exceeds the byte length: skip short lines.
            let width = |t: &str| {
                if t.len() < CONSOLE_WIDTH {
                    t.len().min(CONSOLE_WIDTH - 1)
                } else {
                    line_width(t)
                }
            };
            let mut last_width = width(lines[i].text);
            while last_width == CONSOLE_WIDTH && i + 1 < lines.len() {
                let next = lines[i + 1].text;
                let indented = next.starts_with("  ");
                if next.is_empty() || indented || known_split(next).is_some() {
                    break;
                }
                text.to_mut().push_str(next);
                last_width = width(next);
                i += 1;
            }
            out.push((number, text));
            i += 1;
        }
        out
    }

    /// A logical line: number, text, and its split's field, language,
    /// value start and value column.
    type Logical<'a> = (u32, String, Option<(Field, &'a str, usize, usize)>);

    #[test]
    fn unwrapping_as_by_measuring_every_line() {
        let mut texts: Vec<String> = Vec::new();
        for bytes in crate::evidence::fixture_files() {
            let (text, _) =
                crate::evidence::text::decode(&bytes, &super::super::labels::code_page_hint);
            texts.push(text);
        }
        // Lines of exactly 80 columns (ASCII, CJK, one wide char short),
        // followed by every kind of next line.
        let heads = [
            format!(
                "Time Zone:{}(GMT+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna",
                " ".repeat(17)
            ),
            format!("OS 名称:{}{}", " ".repeat(20), "日本語".repeat(9)),
            format!("{}{}", "x".repeat(79), "日"),
            format!("{}é", "x".repeat(79)),
            "x".repeat(80),
            "x".repeat(81),
        ];
        let nexts = [
            "",
            "  indented",
            " Host Name: A",
            "\u{3000}Host Name: A",
            "\tx",
            "Host Name:                 A",
            "ホスト名:                    JIMU-PC12",
            "continued text",
            "x".repeat(80).leak(),
        ];
        for h in &heads {
            for n in &nexts {
                for n2 in &nexts {
                    texts.push(format!("Host Name:                 A\n{h}\n{n}\n{h}\n{n2}\nDomain:                    W\n"));
                }
            }
        }
        for text in &texts {
            let ls = lines(text);
            let fast: Vec<Logical<'_>> = unwrap_console(&ls)
                .into_iter()
                .map(|(n, t, k)| {
                    (
                        n,
                        t.into_owned(),
                        k.map(|(f, l, s)| (f, l, s.value_start, s.value_col)),
                    )
                })
                .collect();
            let reference: Vec<Logical<'_>> = unwrap_console_by_width(&ls)
                .into_iter()
                .map(|(n, t)| {
                    let k = if t.starts_with(char::is_whitespace) {
                        None
                    } else {
                        known_split(&t)
                    };
                    (
                        n,
                        t.to_string(),
                        k.map(|(f, l, s)| (f, l, s.value_start, s.value_col)),
                    )
                })
                .collect();
            assert_eq!(fast, reference, "{text:?}");
        }
    }

    /// `item_value` as it was written first, a character at a time.
    fn item_value_by_chars(text: &str) -> Option<&str> {
        let rest = text.trim_start().strip_prefix('[')?;
        let close = rest.find(']')?;
        if close == 0 || close > 4 || !rest[..close].bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let rest = rest[close + 1..].trim_start_matches([' ', '\u{A0}', '\u{202F}']);
        let rest = rest.strip_prefix(':').or_else(|| rest.strip_prefix('：'))?;
        Some(rest.trim())
    }

    #[test]
    fn item_values_as_by_chars() {
        let mut texts: Vec<String> = Vec::new();
        for bytes in crate::evidence::fixture_files() {
            let (text, _) =
                crate::evidence::text::decode(&bytes, &super::super::labels::code_page_hint);
            texts.extend(text.lines().map(str::to_owned));
        }
        for indent in [
            "",
            " ",
            "        ",
            "\t",
            "\u{A0}",
            " \u{3000}",
            "\u{2003}  ",
        ] {
            for item in [
                "[01]: KB955430",
                "[1] : KB1",
                "[0001]\u{A0}: x",
                "[12345]: x",
                "[]: x",
                "[1a]: x",
                "[01]\u{202F}：KB2",
                "[01]:",
                "[01]",
                "[",
                "x[01]: y",
                "[01]:  KB3 \u{3000}",
            ] {
                texts.push(format!("{indent}{item}"));
            }
        }
        for t in &texts {
            assert_eq!(item_value(t), item_value_by_chars(t), "{t:?}");
        }
    }

    #[test]
    fn spaces_counted_by_words_as_by_bytes() {
        let mut text = Vec::new();
        for n in 0..40 {
            for next in [b'x', b'\t', 0x80, b' ', 0] {
                for tail in 0..10 {
                    text.clear();
                    text.resize(n, b' ');
                    text.push(next);
                    text.extend(std::iter::repeat_n(b' ', tail));
                    for end in 0..=text.len() {
                        let t = &text[..end];
                        assert_eq!(
                            count_spaces(t),
                            t.iter().take_while(|&&b| b == b' ').count(),
                            "{t:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn char_widths_as_unicode_width_has_them() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            assert_eq!(
                char_width(c),
                UnicodeWidthChar::width(c).unwrap_or(0),
                "{c:?}"
            );
        }
    }

    #[test]
    fn line_widths_as_unicode_width_has_them() {
        // Every character of the simple ranges, alone and in random runs.
        let simple: Vec<char> = (0..=0x10FFFFu32)
            .filter_map(char::from_u32)
            .filter(|c| simple_width(*c).is_some())
            .collect();
        let mut buf = [0u8; 4];
        for c in &simple {
            assert_eq!(
                line_width(c.encode_utf8(&mut buf)),
                UnicodeWidthStr::width(&*c.encode_utf8(&mut buf)),
                "{c:?}"
            );
        }
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        let mut text = String::new();
        for _ in 0..20_000 {
            text.clear();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            for k in 0..(seed % 6) {
                let pick = (seed >> (8 * k + 8)) as usize ^ (seed as usize).rotate_left(k as u32);
                text.push(simple[pick % simple.len()]);
            }
            assert_eq!(
                line_width(&text),
                UnicodeWidthStr::width(text.as_str()),
                "{text:?}"
            );
        }
        for t in [
            "ホスト名:                    JIMU-PC12",
            "a\u{FE0F}",
            "\u{5D0}x",
            "é\u{301}",
            "a\tb",
        ] {
            assert_eq!(line_width(t), UnicodeWidthStr::width(t), "{t:?}");
        }
    }

    #[test]
    fn fast_paths_agree_with_char_scans() {
        for text in [
            "",
            "   ",
            "   [01]: KB1",
            "\t [01]: KB1",
            " \u{3000}x",
            "  \u{A0}x",
            "x",
            "Host Name:                 A",
            "Page File: Max Size:       8,363 MB",
            "a:b: c",
            ":x",
            "Host Name:\x0Bx",
            "Host Name:",
            "ホスト名:                    JIMU-PC12",
            "OS 名：   X",
            "ページ ファイル: 最大サイズ: 2,218 MB",
            "ホスト名：",
            "ホスト名\u{3000}: x",
            "x：y: z",
            "é:\u{A0} x",
            "Host Name:\u{3000}\u{A0}x",
        ] {
            assert_eq!(
                leading_space(text),
                text.len() - text.trim_start().len(),
                "{text:?}"
            );
            // The ASCII path of `known_split` against its general path.
            // `known_split` against a char scan with widths measured whole.
            let general = text
                .char_indices()
                .take_while(|(i, _)| *i <= labels().max_label_bytes())
                .filter(|(i, c)| is_label_colon(text, *i, *c))
                .find_map(|(i, c)| {
                    let (field, lang) = labels().lookup(&text[..i])?;
                    let after = i + c.len_utf8();
                    let rest = &text[after..];
                    let pad = rest.len() - rest.trim_start().len();
                    let col = if text.is_ascii() {
                        after + pad
                    } else {
                        text[..after]
                            .chars()
                            .map(|c| UnicodeWidthChar::width(c).unwrap_or(0))
                            .sum::<usize>()
                            + UnicodeWidthStr::width(&rest[..pad])
                    };
                    Some((field, lang, after + pad, col))
                });
            assert_eq!(
                known_split(text).map(|(f, l, s)| (f, l, s.value_start, s.value_col)),
                general,
                "{text:?}"
            );
            // The ASCII path of `splits` against the char scan.
            let ascii = text.is_ascii();
            let mut width = 0;
            let mut by_chars = Vec::new();
            for (i, c) in text.char_indices() {
                if !ascii {
                    width += UnicodeWidthChar::width(c).unwrap_or(0);
                }
                if is_label_colon(text, i, c) {
                    let s = split_after(text, i, c, width, ascii);
                    by_chars.push((s.colon, s.value_start, s.value_col));
                }
            }
            let fast: Vec<(usize, usize, usize)> = splits(text)
                .iter()
                .map(|s| (s.colon, s.value_start, s.value_col))
                .collect();
            assert_eq!(fast, by_chars, "{text:?}");
        }
    }
}
