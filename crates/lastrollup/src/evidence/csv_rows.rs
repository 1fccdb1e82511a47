//! Reading CSV rows out of a capture, with the file's own line number kept
//! for every row.
//!
//! The selected lines are read as one CSV text (each line followed by a line
//! feed), exactly as the `csv` crate reads it with `has_headers(false)` and
//! `flexible(true)`: `"` quotes, doubled `""` inside quotes, `,` between
//! fields, `\r` or `\n` ending a record, empty lines skipped, a quoted field
//! may run on over line breaks. It is done by hand because building a `csv`
//! reader (its DFA) costs far more than the few rows of a capture, and so
//! that cells can borrow from the lines: a cell is owned only when it is not
//! one slice of one line (a doubled quote, text after a closing quote, a
//! quoted line break).

use std::borrow::Cow;

use super::text::{trim, Line};

/// Where the reader is, as csv-core's states (the ones its default
/// configuration reaches).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Before a record; line breaks are skipped.
    StartRecord,
    /// Before a field.
    StartField,
    /// In an unquoted field (or after the closing quote of a quoted one).
    InField,
    /// Inside quotes.
    InQuoted,
    /// Just after a quote inside quotes: a closing or a doubled quote.
    AfterQuote,
}

/// The field being read: nothing yet, a byte range of the current line, or
/// bytes gathered from several places.
enum Acc {
    Empty,
    Slice(usize, usize),
    Bytes(Vec<u8>),
}

impl Acc {
    /// Appends byte `i` of `line` (`i == line.len()` is the joining line feed).
    fn copy(&mut self, line: &[u8], i: usize) {
        match self {
            Acc::Empty if i < line.len() => *self = Acc::Slice(i, i + 1),
            Acc::Slice(_, end) if *end == i && i < line.len() => *end += 1,
            Acc::Bytes(bytes) => bytes.push(line.get(i).copied().unwrap_or(b'\n')),
            _ => {
                let mut bytes = match self {
                    Acc::Slice(start, end) => line.get(*start..*end).unwrap_or_default().to_vec(),
                    _ => Vec::new(),
                };
                bytes.push(line.get(i).copied().unwrap_or(b'\n'));
                *self = Acc::Bytes(bytes);
            }
        }
    }

    /// Appends bytes `start..end` of `line` (all within the line).
    fn copy_run(&mut self, line: &[u8], start: usize, end: usize) {
        match self {
            Acc::Empty => *self = Acc::Slice(start, end),
            Acc::Slice(_, e) if *e == start => *e = end,
            Acc::Bytes(bytes) => bytes.extend_from_slice(line.get(start..end).unwrap_or_default()),
            Acc::Slice(s, e) => {
                let mut bytes = line.get(*s..*e).unwrap_or_default().to_vec();
                bytes.extend_from_slice(line.get(start..end).unwrap_or_default());
                *self = Acc::Bytes(bytes);
            }
        }
    }

    /// The field read, trimmed; the accumulator is left empty.
    fn take<'a>(&mut self, line: &'a str) -> Cow<'a, str> {
        match std::mem::replace(self, Acc::Empty) {
            Acc::Empty => Cow::Borrowed(""),
            // Fields end next to ASCII bytes, so the range is on char boundaries.
            Acc::Slice(start, end) => Cow::Borrowed(trim(line.get(start..end).unwrap_or_default())),
            Acc::Bytes(bytes) => {
                let text = match String::from_utf8(bytes) {
                    Ok(text) => text,
                    // Cannot happen: bytes are copied whole from UTF-8 text.
                    Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
                };
                if text.trim().len() == text.len() {
                    Cow::Owned(text)
                } else {
                    Cow::Owned(text.trim().to_owned())
                }
            }
        }
    }
}

/// Parses `lines` as CSV, one record per line (or more, for a quoted line
/// break). Every row keeps the 1-based line it came from, and every cell is
/// trimmed.
pub(crate) fn rows<'a, 'b>(
    lines: impl Iterator<Item = &'b Line<'a>>,
) -> Vec<(u32, Vec<Cow<'a, str>>)>
where
    'a: 'b,
{
    let mut out = Vec::new();
    // The file's line number of every line read, by position in the CSV text.
    let mut numbers: Vec<u32> = Vec::new();
    let mut state = State::StartRecord;
    let mut fields: Vec<Cow<'a, str>> = Vec::new();
    let mut acc = Acc::Empty;
    // As the `csv` reader reports positions: a record is at the line where
    // reading it began, right after the previous record's line break.
    let mut record_line = 1usize;
    let mut last_text: &'a str = "";
    // The number of cells of the last row read by `quoted_row`.
    let mut last_len = 0;
    for l in lines {
        numbers.push(l.number);
        let text = l.text;
        last_text = text;
        let bytes = text.as_bytes();
        // A whole row of simply quoted cells (what systeminfo writes) is
        // read by its quotes alone; anything else takes the state machine.
        if state == State::StartRecord {
            if let Some(cells) = quoted_row(text, last_len) {
                let number = numbers.get(record_line - 1).copied().unwrap_or(0);
                last_len = cells.len();
                out.push((number, cells));
                record_line = numbers.len() + 1;
                continue;
            }
        }
        // Byte `bytes.len()` is the line feed that ends the line in the CSV text.
        let mut i = 0;
        while i <= bytes.len() {
            // Inside a field, bytes that change nothing are copied a run at a
            // time: everything but `"` in quotes, everything but `,` and line
            // breaks outside them.
            let rest = bytes.get(i..).unwrap_or_default();
            let run = match state {
                State::InQuoted => memchr::memchr(b'"', rest),
                State::InField => memchr::memchr3(b',', b'\n', b'\r', rest),
                _ => Some(0),
            }
            .unwrap_or(rest.len());
            if run > 0 {
                acc.copy_run(bytes, i, i + run);
                i += run;
                continue;
            }
            let b = bytes.get(i).copied().unwrap_or(b'\n');
            let term = b == b'\n' || b == b'\r';
            state = match state {
                State::StartRecord if term => State::StartRecord,
                State::StartRecord | State::StartField => {
                    if b == b'"' {
                        State::InQuoted
                    } else if b == b',' {
                        fields.push(acc.take(text));
                        State::StartField
                    } else if term {
                        fields.push(acc.take(text));
                        State::StartRecord
                    } else {
                        acc.copy(bytes, i);
                        State::InField
                    }
                }
                State::InQuoted => {
                    if b == b'"' {
                        State::AfterQuote
                    } else {
                        acc.copy(bytes, i);
                        State::InQuoted
                    }
                }
                State::InField | State::AfterQuote => {
                    if b == b'"' && state == State::AfterQuote {
                        acc.copy(bytes, i);
                        State::InQuoted
                    } else if b == b',' {
                        fields.push(acc.take(text));
                        State::StartField
                    } else if term {
                        fields.push(acc.take(text));
                        State::StartRecord
                    } else {
                        acc.copy(bytes, i);
                        State::InField
                    }
                }
            };
            if term && state == State::StartRecord && !fields.is_empty() {
                // The record ended at this line break, which is consumed.
                let number = numbers.get(record_line - 1).copied().unwrap_or(0);
                out.push((number, std::mem::take(&mut fields)));
                // Lines are counted by their line feeds.
                record_line = if i < bytes.len() {
                    numbers.len()
                } else {
                    numbers.len() + 1
                };
            }
            i += 1;
        }
    }
    // The text ended inside quotes: the record ends with it.
    if state != State::StartRecord {
        fields.push(acc.take(last_text));
        let number = numbers.get(record_line - 1).copied().unwrap_or(0);
        out.push((number, fields));
    }
    out
}

/// The cells of `text` when it is a row of quoted cells with nothing else
/// (`"a","b",""`): no quote inside a cell, a comma and nothing else between
/// cells, nothing after the last one. The state machine reads such a line,
/// followed by its line feed, as one record of these cells (trimmed slices):
/// each quote opens or closes a cell, each comma ends one. `None` for any
/// other line. `capacity` sizes the vector.
fn quoted_row(text: &str, capacity: usize) -> Option<Vec<Cow<'_, str>>> {
    let bytes = text.as_bytes();
    if bytes.first() != Some(&b'"') {
        return None;
    }
    let mut cells = Vec::with_capacity(capacity);
    // Each cell is an opening quote at `open`, its closing quote, then a
    // comma and the next opening quote, or the end of the line. The next
    // opening quote is known to be two bytes on: only closing quotes are
    // searched for.
    let mut open = 0;
    loop {
        let close = open + 1 + memchr::memchr(b'"', bytes.get(open + 1..)?)?;
        cells.push(Cow::Borrowed(trim(text.get(open + 1..close)?)));
        match bytes.get(close + 1) {
            None => return Some(cells),
            Some(b',') if bytes.get(close + 2) == Some(&b'"') => open = close + 2,
            Some(_) => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::text::lines;

    #[test]
    fn rows_keep_their_line_numbers() {
        let text = "x\n\"a\",\"b,c\"\nskip\n1,2\n";
        let ls = lines(text);
        let picked: Vec<_> = ls.iter().filter(|l| l.text.contains(',')).collect();
        let r = rows(picked.into_iter());
        assert_eq!(
            r,
            vec![
                (2, vec![Cow::from("a"), Cow::from("b,c")]),
                (4, vec![Cow::from("1"), Cow::from("2")])
            ]
        );
    }

    /// What the `csv` crate reads from the same lines (the reader this
    /// module replaces), for comparison.
    fn csv_crate_rows(ls: &[Line<'_>]) -> Vec<(u32, Vec<String>)> {
        let mut numbers = Vec::new();
        let mut joined = String::new();
        for l in ls {
            numbers.push(l.number);
            joined.push_str(l.text);
            joined.push('\n');
        }
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(joined.as_bytes());
        let mut out = Vec::new();
        let mut record = csv::StringRecord::new();
        while let Ok(true) = reader.read_record(&mut record) {
            let idx = record
                .position()
                .map_or(0, |p| p.line().saturating_sub(1) as usize);
            let number = numbers.get(idx).copied().unwrap_or(0);
            out.push((number, record.iter().map(|c| c.trim().to_owned()).collect()));
        }
        out
    }

    #[test]
    fn same_rows_as_the_csv_crate() {
        let cases = [
            "\"a\",\"b\"\n1,2\n",
            "\"a\"\"b\",c\n",
            "\"ab\"cd,e\n",
            "a\"b,c\n",
            "\"open\nstill open\",x\ny,z\n",
            "\"never closed\nmore\n",
            ",,\n,\n\"\",\n",
            " \"a\" , b ,\"c \" \n",
            "\"Ünïcode\",\"日本語\"\"x\",é\n",
            "\"a\"\n\n\n\"b\"\n",
            "\"a\"\"\"\n\"\"\"\"\n",
            "\"x\" \"y\",z\n",
            "last line without break",
        ];
        for text in cases {
            let ls = lines(text);
            let ours: Vec<(u32, Vec<String>)> = rows(ls.iter())
                .into_iter()
                .map(|(n, cells)| (n, cells.into_iter().map(Cow::into_owned).collect()))
                .collect();
            assert_eq!(ours, csv_crate_rows(&ls), "{text:?}");
        }
    }

    #[test]
    fn quoted_rows_of_the_fixtures_as_the_csv_crate_reads_them() {
        let mut read = 0;
        for bytes in crate::evidence::fixture_files() {
            let (text, _) = crate::evidence::text::decode(
                &bytes,
                &crate::evidence::systeminfo::labels::code_page_hint,
            );
            let ls = lines(&text);
            let quoted: Vec<Line<'_>> = ls
                .iter()
                .filter(|l| l.text.starts_with('"'))
                .copied()
                .collect();
            read += quoted
                .iter()
                .filter(|l| quoted_row(l.text, 0).is_some())
                .count();
            for picked in [&ls[..], &quoted[..]] {
                let ours: Vec<(u32, Vec<String>)> = rows(picked.iter())
                    .into_iter()
                    .map(|(n, cells)| (n, cells.into_iter().map(Cow::into_owned).collect()))
                    .collect();
                assert_eq!(ours, csv_crate_rows(picked));
            }
        }
        assert!(read > 5, "{read}");
    }

    /// The rows of `text` as [`rows`] reads them, and as the csv crate does.
    #[allow(clippy::type_complexity)]
    fn ours_and_the_csv_crates(text: &str) -> (Vec<(u32, Vec<String>)>, Vec<(u32, Vec<String>)>) {
        let ls = lines(text);
        let ours = rows(ls.iter())
            .into_iter()
            .map(|(n, cells)| (n, cells.into_iter().map(Cow::into_owned).collect()))
            .collect();
        (ours, csv_crate_rows(&ls))
    }

    proptest::proptest! {
        #[test]
        fn quoted_rows_as_the_csv_crate_reads_them(
            text in "(\"[a ,é]{0,3}\"(,\"[a ,é\"]{0,3}\"){0,4}[ ,\"a]{0,1}(\n|\r\n|\n\n)){0,5}"
        ) {
            let (ours, theirs) = ours_and_the_csv_crates(&text);
            proptest::prop_assert_eq!(ours, theirs);
        }

        #[test]
        fn same_rows_as_the_csv_crate_on_any_text(text in "[\"\",a é\n\r]{0,40}") {
            let (ours, theirs) = ours_and_the_csv_crates(&text);
            proptest::prop_assert_eq!(ours, theirs);
        }
    }
}
