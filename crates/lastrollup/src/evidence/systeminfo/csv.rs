//! `systeminfo /FO CSV`: an optional header row of quoted labels, then one
//! row per host (`/S` several times, or a fleet script appending to one
//! file). Multi-valued fields are one cell: `2 Hotfix(s) Installed.,[01]: KB1,[02]: KB2`.
//! Without a header (`/NH`) columns are taken in systeminfo's fixed order.

use std::borrow::Cow;

use super::fields::Field;
use super::labels::labels;
use super::{inline_items, majority_language, reborrow, RawBlock, RawEntry};
use crate::evidence::text::Line;

/// The fewest columns a systeminfo CSV row has (NT 5.x printed 27+).
const MIN_COLUMNS: usize = 20;

/// A header row: the field of every column, the labels, the language.
type Header<'a> = (Vec<Option<Field>>, Vec<Cow<'a, str>>, Option<String>);

pub(super) fn parse<'a>(lines: &[Line<'a>]) -> Option<Vec<RawBlock<'a>>> {
    // Rows are quoted as systeminfo writes them, or unquoted where Excel
    // re-saved the export (then only wide rows can be ours).
    let rows: Vec<&Line<'_>> = lines
        .iter()
        .filter(|l| {
            l.text.starts_with('"')
                || memchr::memchr_iter(b',', l.text.as_bytes())
                    .nth(MIN_COLUMNS - 2)
                    .is_some()
        })
        .collect();
    if rows.is_empty() {
        return None;
    }
    let labels = labels();
    let mut header: Option<Header<'a>> = None;
    let mut blocks = Vec::new();
    for (number, record) in crate::evidence::csv_rows::rows(rows.into_iter()) {
        if record.len() < MIN_COLUMNS {
            continue;
        }
        // A header has three labels or more; a row of values (the usual
        // row) is settled by counting, without keeping what was found.
        let is_header = record
            .iter()
            .filter(|c| labels.lookup_value(c).is_some())
            .nth(2)
            .is_some();
        if is_header {
            let looked_up: Vec<Option<(Field, &str)>> =
                record.iter().map(|c| labels.lookup_value(c)).collect();
            let langs: Vec<&str> = looked_up.iter().flatten().map(|(_, l)| *l).collect();
            header = Some((
                looked_up.iter().map(|x| x.map(|(f, _)| f)).collect(),
                record.clone(),
                majority_language(&langs),
            ));
            continue;
        }
        // Without a header, columns are positional: the third must be the
        // OS version line, or this is not systeminfo output.
        if header.is_none() && !record.get(2).is_some_and(|v| super::is_version_line(v)) {
            continue;
        }
        let mut block = RawBlock {
            entries: Vec::with_capacity(record.len()),
            last_line: number,
            ..RawBlock::default()
        };
        // Extended from an exact-length iterator, each entry is written in
        // its slot; pushed one by one, it was built on the stack and copied,
        // a copy that stalled store forwarding on its field's tag byte.
        block
            .entries
            .extend(record.into_iter().enumerate().map(|(i, cell)| {
                let (field, label): (_, Cow<'a, str>) = match &header {
                    Some((fields, names, _)) => (
                        fields.get(i).copied().flatten(),
                        names.get(i).cloned().unwrap_or_default(),
                    ),
                    None => (
                        Field::ALL.get(i).copied(),
                        Cow::Borrowed(Field::ALL.get(i).map_or("", |f| f.key())),
                    ),
                };
                let (value, items): (Cow<'a, str>, _) =
                    if field.is_some_and(Field::is_multi_valued) || has_first_item(&cell) {
                        let (head, items) = inline_items(&cell);
                        (
                            reborrow(&cell, head),
                            items.map(|it| (reborrow(&cell, it), number)).collect(),
                        )
                    } else {
                        // Cells come trimmed.
                        (cell, Vec::new())
                    };
                RawEntry {
                    field,
                    label,
                    value,
                    line: number,
                    items,
                }
            }));
        block.language = header.as_ref().and_then(|h| h.2.clone());
        if block.is_plausible() {
            blocks.push(block);
        }
    }
    if blocks.is_empty() {
        None
    } else {
        Some(blocks)
    }
}

/// Whether `cell` holds `[01]` (the first item of a multi-valued field),
/// found from its `[`s.
fn has_first_item(cell: &str) -> bool {
    let bytes = cell.as_bytes();
    // Most cells are short and hold no `[`: the inlined `contains` says so
    // for less than a call into memchr costs.
    bytes.contains(&b'[')
        && memchr::memchr_iter(b'[', bytes).any(|i| bytes[i..].starts_with(b"[01]"))
}
