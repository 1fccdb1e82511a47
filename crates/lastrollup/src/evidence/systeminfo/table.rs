//! `systeminfo /FO TABLE`: a header row of labels, a separator row of `=`
//! runs (one per column), then one row per host. Multi-valued fields continue
//! on the following rows with only their own column filled.

use std::borrow::Cow;

use unicode_width::UnicodeWidthChar;

use super::fields::Field;
use super::labels::labels;
use super::{majority_language, split_inline_items, RawBlock, RawEntry};
use crate::evidence::text::Line;

/// Column ranges in display columns, from the separator row.
fn column_ranges(sep: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (col, c) in sep.chars().enumerate() {
        match (c == '=', start) {
            (true, None) => start = Some(col),
            (false, Some(s)) => {
                out.push((s, col));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, usize::MAX));
    }
    out
}

/// Slices a row by display columns (CJK characters are two columns wide).
fn slice_row(row: &str, ranges: &[(usize, usize)]) -> Vec<String> {
    let mut cells = vec![String::new(); ranges.len()];
    let mut col = 0usize;
    for c in row.chars() {
        if let Some(i) = ranges.iter().position(|&(s, e)| col >= s && col < e) {
            cells[i].push(c);
        } else if let Some(i) = ranges.iter().rposition(|&(s, _)| col >= s) {
            // Overflow past a column's end belongs to that column.
            cells[i].push(c);
        }
        col += UnicodeWidthChar::width(c).unwrap_or(0);
    }
    cells.into_iter().map(|c| c.trim().to_owned()).collect()
}

/// The fewest filled columns of a host's row.
const MIN_ROW_CELLS: usize = 5;

/// A continuation line that starts with a hotfix item (`[03]: KB4474419`,
/// maybe followed by a network card's item) belongs
/// to the hotfix column wherever its indentation puts it: a paste may have
/// re-indented it. Returns whether the line was such an item.
fn moved_hotfix_item<'a>(block: &mut RawBlock<'a>, line: &Line<'a>) -> bool {
    let t = line.text.trim();
    let Some(value) = t
        .strip_prefix('[')
        .and_then(|r| r.split_once(']'))
        .and_then(|(n, r)| n.bytes().all(|b| b.is_ascii_digit()).then_some(r))
        .and_then(|r| r.trim_start().strip_prefix(':'))
        .and_then(|r| r.split_whitespace().next())
    else {
        return false;
    };
    if !matches!(
        crate::evidence::UpdateId::parse(value),
        Some(crate::evidence::UpdateId::Kb(_))
    ) {
        return false;
    }
    match block
        .entries
        .iter_mut()
        .find(|e| e.field == Some(Field::Hotfixes))
    {
        Some(e) => {
            e.items.push((Cow::Owned(value.to_owned()), line.number));
            true
        }
        None => false,
    }
}

pub(super) fn parse<'a>(lines: &[Line<'a>]) -> Option<Vec<RawBlock<'a>>> {
    let sep_idx = lines.iter().position(|l| {
        let t = l.text.trim();
        t.starts_with('=')
            && t.chars().all(|c| c == '=' || c == ' ')
            && t.split_whitespace().count() >= 10
    })?;
    if sep_idx == 0 {
        return None;
    }
    let ranges = column_ranges(lines[sep_idx].text);
    let header = slice_row(lines[sep_idx - 1].text, &ranges);
    let labels = labels();
    let looked_up: Vec<Option<(Field, &str)>> = header.iter().map(|h| labels.lookup(h)).collect();
    let langs: Vec<&str> = looked_up.iter().flatten().map(|(_, l)| *l).collect();
    let language = majority_language(&langs);
    let fields: Vec<Option<Field>> = looked_up.iter().map(|x| x.map(|(f, _)| f)).collect();

    let mut blocks: Vec<RawBlock<'a>> = Vec::new();
    for line in &lines[sep_idx + 1..] {
        if line.text.trim().is_empty() {
            continue;
        }
        if let Some(block) = blocks.last_mut() {
            if moved_hotfix_item(block, line) {
                block.last_line = line.number;
                continue;
            }
        }
        let cells = slice_row(line.text, &ranges);
        let starts_host = cells.first().is_some_and(|c| !c.is_empty());
        // A host's row fills most columns; a line of a few words at the
        // left is text after the table (a signature under a paste).
        if starts_host && cells.iter().filter(|c| !c.is_empty()).count() < MIN_ROW_CELLS {
            break;
        }
        if starts_host {
            let mut block = RawBlock {
                language: language.clone(),
                last_line: line.number,
                ..RawBlock::default()
            };
            for (i, cell) in cells.iter().enumerate() {
                let field = fields.get(i).copied().flatten();
                let (value, items) = split_inline_items(cell);
                let value = if items.is_empty() {
                    cell.clone()
                } else {
                    value.to_owned()
                };
                block.entries.push(RawEntry {
                    field,
                    label: Cow::Owned(header.get(i).cloned().unwrap_or_default()),
                    value: Cow::Owned(value),
                    line: line.number,
                    items: items
                        .into_iter()
                        .map(|it| (Cow::Owned(it.to_owned()), line.number))
                        .collect(),
                });
            }
            blocks.push(block);
        } else if let Some(block) = blocks.last_mut() {
            block.last_line = line.number;
            for (i, cell) in cells.iter().enumerate() {
                if cell.is_empty() {
                    continue;
                }
                if let Some(entry) = block.entries.get_mut(i) {
                    let (_, items) = split_inline_items(cell);
                    if items.is_empty() {
                        entry.items.push((Cow::Owned(cell.clone()), line.number));
                    } else {
                        entry.items.extend(
                            items
                                .into_iter()
                                .map(|it| (Cow::Owned(it.to_owned()), line.number)),
                        );
                    }
                }
            }
        }
    }
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

    #[test]
    fn ranges_and_slices() {
        let r = column_ranges("==== ===");
        assert_eq!(r, vec![(0, 4), (5, usize::MAX)]);
        assert_eq!(slice_row("ab   cdefg", &r), vec!["ab", "cdefg"]);
    }
}
