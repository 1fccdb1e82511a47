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
use crate::evidence::text::Line;

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
            width += UnicodeWidthChar::width(c).unwrap_or(0);
        }
        if is_label_colon(text, i, c) {
            out.push(split_after(text, i, c, width, ascii));
        }
    }
    out
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
    // The padding is nearly always plain spaces: count those by byte.
    let spaces = rest.bytes().take_while(|&b| b == b' ').count();
    let pad = rest.len() - rest[spaces..].trim_start().len();
    let value_col = if ascii {
        after + pad
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
    if ascii {
        // The same search by bytes: in ASCII text every char is one byte,
        // the only label colon is `:` and display width is not needed.
        let bytes = text.as_bytes();
        let end = bytes.len().min(labels.max_label_bytes().saturating_add(1));
        let head = &bytes[..end];
        let mut from = 0;
        while let Some(found) = head.get(from..).and_then(|h| memchr::memchr(b':', h)) {
            let i = from + found;
            from = i + 1;
            if i > 0
                && bytes
                    .get(i + 1)
                    .is_none_or(|&n| is_ascii_char_whitespace(n))
            {
                if let Some((field, lang)) = labels.lookup(&text[..i]) {
                    return Some((field, lang, split_after(text, i, ':', 0, true)));
                }
            }
        }
        return None;
    }
    // Cheap rejection: a label line has a colon.
    if !text.contains([':', '：']) {
        return None;
    }
    // The label is looked up before the split is measured: most lines are
    // settled at their first label colon.
    text.char_indices()
        .take_while(|(i, _)| *i <= labels.max_label_bytes())
        .filter(|(i, c)| is_label_colon(text, *i, *c))
        .find_map(|(i, c)| {
            let (field, lang) = labels.lookup(&text[..i])?;
            let width = if ascii {
                0
            } else {
                text[..i + c.len_utf8()]
                    .chars()
                    .map(|c| UnicodeWidthChar::width(c).unwrap_or(0))
                    .sum()
            };
            Some((field, lang, split_after(text, i, c, width, ascii)))
        })
}

/// Whether an ASCII byte is white space as `char::is_whitespace` has it.
fn is_ascii_char_whitespace(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ')
}

/// The byte length of the white space `text` starts with (what
/// `trim_start` removes), counted by byte when it is plain spaces.
fn leading_space(text: &str) -> usize {
    let spaces = text.bytes().take_while(|&b| b == b' ').count();
    match text.as_bytes().get(spaces) {
        None => spaces,
        Some(&b) if b.is_ascii() && !is_ascii_char_whitespace(b) => spaces,
        Some(_) => text.len() - text.trim_start().len(),
    }
}

/// The value of an item line `   [01]: KB955430` (French: `[01] : …`).
fn item_value(text: &str) -> Option<&str> {
    let indent = leading_space(text);
    if indent == 0 {
        return None;
    }
    let rest = &text[indent..];
    let rest = rest.strip_prefix('[')?;
    let close = rest.find(']')?;
    if close == 0 || close > 4 || !rest[..close].bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let rest = rest[close + 1..].trim_start_matches([' ', '\u{A0}', '\u{202F}']);
    let rest = rest.strip_prefix(':').or_else(|| rest.strip_prefix('：'))?;
    Some(rest.trim())
}

/// Undoes 80-column console wrapping: a line exactly as wide as the console,
/// followed by a line that is neither indented nor a labelled field, is one
/// line.
fn unwrap_console<'a>(lines: &[Line<'a>]) -> Vec<(u32, Cow<'a, str>)> {
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
                UnicodeWidthStr::width(t)
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
    let known: Vec<Option<(Field, &'static str, Split)>> = logical
        .iter()
        .map(|(_, t)| {
            if t.starts_with(char::is_whitespace) {
                None
            } else {
                known_split(t)
            }
        })
        .collect();
    let any_known = known.iter().any(Option::is_some);
    let column = if any_known {
        mode(known.iter().flatten().map(|(_, _, s)| s.value_col))
    } else {
        mode(
            logical
                .iter()
                .filter(|(_, t)| !t.starts_with(char::is_whitespace))
                .filter_map(|(_, t)| splits(t).last().map(|s| s.value_col)),
        )
    }?;

    let mut blocks: Vec<RawBlock<'a>> = Vec::new();
    let mut current: Option<(RawBlock<'a>, Vec<&'static str>)> = None;
    let close = |cur: &mut Option<(RawBlock<'a>, Vec<&'static str>)>,
                 blocks: &mut Vec<RawBlock<'a>>| {
        if let Some((mut b, langs)) = cur.take() {
            b.language = majority_language(&langs);
            blocks.push(b);
        }
    };

    for (idx, (number, text)) in logical.iter().enumerate() {
        let number = *number;
        if text.is_empty() {
            continue;
        }
        if text.starts_with(char::is_whitespace) {
            if let Some((block, _)) = current.as_mut() {
                block.last_line = number;
                if let (Some(item), Some(entry)) = (item_value(text), block.entries.last_mut()) {
                    let pad = &text[..leading_space(text)];
                    let indent = if pad.bytes().all(|b| b == b' ') {
                        pad.len()
                    } else {
                        UnicodeWidthStr::width(pad)
                    };
                    // Items sit in the value column; deeper lines belong to a
                    // network card's details.
                    if indent + 2 >= column && indent <= column + 2 {
                        entry.items.push((reborrow(text, item), number));
                    }
                }
            }
            continue;
        }
        let entry = if let Some((field, lang, split)) = known[idx] {
            if field == Field::HostName
                && current.as_ref().is_some_and(|(b, _)| {
                    b.entries.iter().any(|e| e.field == Some(Field::HostName))
                })
            {
                close(&mut current, &mut blocks);
            }
            let (_, langs) = current.get_or_insert_with(Default::default);
            langs.push(lang);
            Some(RawEntry {
                field: Some(field),
                label: reborrow(text, text[..split.colon].trim()),
                value: reborrow(text, text[split.value_start..].trim()),
                line: number,
                items: Vec::new(),
            })
        } else {
            splits(text)
                .into_iter()
                .find(|s| {
                    s.value_col == column || (s.value_start == text.len() && s.value_col < column)
                })
                .map(|s| RawEntry {
                    field: None,
                    label: reborrow(text, text[..s.colon].trim()),
                    value: reborrow(text, text[s.value_start..].trim()),
                    line: number,
                    items: Vec::new(),
                })
        };
        match entry {
            Some(e) => {
                let (block, _) = current.get_or_insert_with(Default::default);
                block.last_line = number;
                block.entries.push(e);
            }
            // A line that is not a field ends the block (a prompt, other output).
            None => close(&mut current, &mut blocks),
        }
    }
    close(&mut current, &mut blocks);
    blocks.retain(RawBlock::is_plausible);
    if blocks.is_empty() {
        None
    } else {
        Some(blocks)
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
        ] {
            assert_eq!(
                leading_space(text),
                text.len() - text.trim_start().len(),
                "{text:?}"
            );
            // The ASCII path of `known_split` against its general path.
            let general = text
                .char_indices()
                .take_while(|(i, _)| *i <= labels().max_label_bytes())
                .filter(|(i, c)| is_label_colon(text, *i, *c))
                .find_map(|(i, c)| {
                    let (field, lang) = labels().lookup(&text[..i])?;
                    Some((field, lang, split_after(text, i, c, 0, true).value_start))
                });
            assert_eq!(
                known_split(text).map(|(f, l, s)| (f, l, s.value_start)),
                general,
                "{text:?}"
            );
        }
    }
}
