//! `systeminfo` output in all three layouts (list, `/FO CSV`, `/FO TABLE`)
//! and every UI language in `labels.toml`.
//!
//! Each layout parser produces `RawBlock`s: the fields of one host, each
//! with its label, value, line and (for multi-valued fields) its items. One
//! shared step, `RawBlock::into_record`, turns a block into a [`Record`]:
//! fields with known labels map directly; fields whose label is unknown (a
//! language missing from the table, a label mangled by a wrong code page) are
//! recognised by the shape of their value where that shape is unmistakable
//! (the `6.0.6002 … 6002` version line, `x64-based PC`, `[01]: KB…` items),
//! and the record lists the essential fields it could not read at all.

mod csv;
pub mod fields;
mod label_key;
pub mod labels;
mod list;
mod table;

use std::borrow::Cow;
use std::sync::OnceLock;

use regex::Regex;

use super::text::{trim, Line};
use super::{Format, Key, Note, Record, UpdateEntry, UpdateId};
use fields::Field;

/// One field of a systeminfo block. Label, value and items borrow from the
/// decoded text where they are a slice of it (owned only for lines joined
/// from a wrapped console and for cells the layout rebuilt); the [`Record`]
/// made from the block owns its values.
#[derive(Debug, Clone)]
pub(crate) struct RawEntry<'a> {
    /// The canonical field, when the label is known.
    pub field: Option<Field>,
    /// The label as printed.
    pub label: Cow<'a, str>,
    /// The value as printed (for multi-valued fields, the count line).
    pub value: Cow<'a, str>,
    /// 1-based line.
    pub line: u32,
    /// Items of a multi-valued field (`[01]: KB955430` → `KB955430`).
    pub items: Vec<(Cow<'a, str>, u32)>,
}

/// The fields of one host as one layout printed them.
#[derive(Debug, Clone, Default)]
pub(crate) struct RawBlock<'a> {
    pub entries: Vec<RawEntry<'a>>,
    pub language: Option<String>,
    /// The last line of the block, for truncation notes.
    pub last_line: u32,
}

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| {
        Regex::new(pattern).unwrap_or_else(|e| panic!("static regex {pattern}: {e}"))
    })
}

/// `6.0.6002 Service Pack 2 Build 6002` in any language: an NT version
/// (5.x, 6.x, 10.0) with its build first — and not a date such as
/// `6.1.2019 10:00`.
///
/// Matched by hand as the regexes `^(?:5|6|10)\.[0-4]\.[0-9]{4,5}(?:\s+|$)`
/// and, after that match, not `^[0-9]{1,2}:[0-9]{2}` would (a test compares
/// them): compiling those costs more than the whole parse of a CSV row.
pub(crate) fn is_version_line(v: &str) -> bool {
    let v = v.trim();
    let Some(rest) = ["5.", "6.", "10."]
        .iter()
        .find_map(|major| v.strip_prefix(major))
    else {
        return false;
    };
    let Some(rest) = rest
        .strip_prefix(|c: char| matches!(c, '0'..='4'))
        .and_then(|r| r.strip_prefix('.'))
    else {
        return false;
    };
    // The build: four or five digits, then white space or the end.
    let digits = leading_digits(rest);
    if !(4..=5).contains(&digits) {
        return false;
    }
    let after = &rest[digits..];
    if !(after.is_empty() || after.starts_with(char::is_whitespace)) {
        return false;
    }
    // Not a date and time (`6.1.2019 10:00`).
    let after = after.trim_start();
    let hours = leading_digits(after);
    let is_time = (1..=2).contains(&hours)
        && after[hours..]
            .strip_prefix(':')
            .is_some_and(|m| leading_digits(m) >= 2);
    !is_time
}

/// An `OS Version` value as systeminfo prints it in every language: a
/// [version line](is_version_line) that ends with its build again
/// (`6.0.6002 Service Pack 2 Build 6002`, `… ビルド 6002`). A bare `6.0.6003`
/// (a scanner's banner, a `ver` excerpt) is not enough to take a block of
/// unknown labels for systeminfo.
fn is_systeminfo_version_line(v: &str) -> bool {
    let v = v.trim();
    if !is_version_line(v) {
        return false;
    }
    let build = v
        .split('.')
        .nth(2)
        .map(|r| &r[..leading_digits(r)])
        .unwrap_or_default();
    let last = v.rsplit(char::is_whitespace).next().unwrap_or_default();
    v.contains(char::is_whitespace) && last == build
}

/// How many ASCII digits `s` starts with.
fn leading_digits(s: &str) -> usize {
    s.bytes().take_while(u8::is_ascii_digit).count()
}

/// `x64-based PC`, `X86-based PC`, `Itanium (TM) -based System`, `IA64-based PC`.
pub(crate) fn is_system_type(v: &str) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, r"(?i)^(x64|x86|ia64|itanium)[^,;]{0,16}based\b").is_match(v.trim())
}

fn is_locale(v: &str) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, r"^[a-z]{2,3}(-[a-z0-9]{2,8})*;").is_match(v.trim())
}

fn is_date_time(v: &str) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    re(
        &R,
        r"^[0-9]{1,4}[./-]\s?[0-9]{1,2}[./-]\s?[0-9]{1,4}\.?,?\s+[0-9]{1,2}:[0-9]{2}",
    )
    .is_match(v.trim())
}

fn is_update_item(v: &str) -> bool {
    matches!(
        UpdateId::parse(v),
        Some(UpdateId::Kb(_) | UpdateId::Guid(_))
    )
}

/// The first integer in a count line such as `175 Hotfix(s) Installed.`.
fn leading_count(v: &str) -> Option<usize> {
    let start = v.find(|c: char| c.is_ascii_digit())?;
    let rest = &v[start..];
    let end = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    rest[..end].parse().ok()
}

impl RawBlock<'_> {
    fn has(&self, field: Field) -> bool {
        self.entries.iter().any(|e| e.field == Some(field))
    }

    /// Whether the block looks like systeminfo at all: enough known labels, or
    /// (for an unknown language) the unmistakable version line among many
    /// aligned fields.
    pub(crate) fn is_plausible(&self) -> bool {
        let known = self.entries.iter().filter(|e| e.field.is_some()).count();
        // The version line (a regex) is only looked for when the labels
        // alone do not settle it.
        known >= 3
            || (self.entries.len() >= 10
                && self
                    .entries
                    .iter()
                    .any(|e| is_systeminfo_version_line(&e.value)))
    }

    /// Assigns fields to unknown-label entries by the shape of their value.
    fn infer_by_shape(&mut self) {
        let labels = labels::labels();
        let unknown = |b: &RawBlock<'_>, f: Field| !b.has(f);
        let assign = |b: &mut RawBlock<'_>, f: Field, pred: &dyn Fn(&RawEntry<'_>) -> bool| {
            if unknown(b, f) {
                if let Some(e) = b.entries.iter_mut().find(|e| e.field.is_none() && pred(e)) {
                    e.field = Some(f);
                }
            }
        };
        assign(self, Field::OsVersion, &|e| is_version_line(&e.value));
        assign(self, Field::OsName, &|e| {
            let v = e.value.to_ascii_lowercase();
            v.starts_with("microsoft") && v.contains("windows")
        });
        assign(self, Field::SystemType, &|e| is_system_type(&e.value));
        assign(self, Field::OsConfiguration, &|e| {
            labels.role(&e.value).is_some()
        });
        assign(self, Field::SystemLocale, &|e| is_locale(&e.value));
        assign(self, Field::InputLocale, &|e| is_locale(&e.value));
        assign(self, Field::OriginalInstallDate, &|e| {
            is_date_time(&e.value)
        });
        assign(self, Field::SystemBootTime, &|e| is_date_time(&e.value));
        assign(self, Field::Hotfixes, &|e| {
            !e.items.is_empty() && e.items.iter().all(|(v, _)| is_update_item(v))
        });
        // systeminfo always prints the host name first; a computer name is
        // one word (a line before the capture, `Here is the output:`, is not).
        if unknown(self, Field::HostName) {
            if let Some(first) = self.entries.first_mut() {
                let value = first.value.trim();
                if first.field.is_none()
                    && !value.is_empty()
                    && !value.contains(char::is_whitespace)
                {
                    first.field = Some(Field::HostName);
                }
            }
        }
        // The domain is printed right before the logon server (`\\NAME`).
        if unknown(self, Field::Domain) {
            if let Some(i) = self
                .entries
                .iter()
                .position(|e| e.value.starts_with("\\\\"))
            {
                if i > 0 && self.entries[i - 1].field.is_none() {
                    self.entries[i - 1].field = Some(Field::Domain);
                }
            }
        }
    }

    /// Turns the block into a record.
    pub(crate) fn into_record(mut self, format: Format) -> Record {
        self.infer_by_shape();
        let labels = labels::labels();
        let mut record = Record::new(format);
        record.language = self.language.take();
        // Sized once rather than grown fact by fact and update by update.
        record.facts.reserve(
            self.entries
                .iter()
                .filter(|e| e.field.and_then(Field::evidence_key).is_some())
                .count(),
        );
        record.updates.reserve(
            self.entries
                .iter()
                .filter(|e| e.field == Some(Field::Hotfixes))
                .map(|e| e.items.len())
                .sum(),
        );
        for e in &self.entries {
            let Some(field) = e.field else { continue };
            if field == Field::Hotfixes {
                // `N/A` (or a count of 0) is an empty list, not a missing one.
                record.update_list |= !e.items.is_empty()
                    || labels.is_not_available(&e.value)
                    || leading_count(&e.value) == Some(0);
                for (item, line) in &e.items {
                    if let Some(note) = cut_kb(item, *line) {
                        record.notes.push(note);
                        continue;
                    }
                    if let Some(id) = UpdateId::parse(item) {
                        record.updates.push(UpdateEntry {
                            id,
                            installed_on: None,
                            description: None,
                            line: *line,
                        });
                    }
                }
                if let Some(n) = leading_count(&e.value) {
                    if n > e.items.len() {
                        record.notes.push(Note {
                            id: "hotfix-list-truncated",
                            line: Some(e.line),
                            message: format!(
                                "systeminfo says {n} hotfixes are installed but lists {} (systeminfo itself cuts \
                                 long lists, and a pasted capture may be cut too; the last item, {}, may be cut \
                                 mid-number): collect `wmic qfe list full` for the whole list",
                                e.items.len(),
                                e.items.last().map_or("none", |(v, _)| v.as_ref())
                            ),
                        });
                    }
                }
                continue;
            }
            let Some(key) = field.evidence_key() else {
                continue;
            };
            if labels.is_not_available(&e.value) {
                continue;
            }
            if key == Key::HostName && record.host.is_none() {
                record.host = Some(e.value.trim().to_owned());
            }
            record.push(key, &e.value, e.line);
        }
        let unread: Vec<&str> = Field::ESSENTIAL
            .iter()
            .filter(|f| !self.has(**f))
            .map(|f| f.key())
            .collect();
        if !unread.is_empty() {
            let after = self
                .entries
                .last()
                .map(|e| e.label.as_ref())
                .unwrap_or_default();
            let truncated = self
                .entries
                .last()
                .and_then(|e| e.field)
                .is_some_and(|f| f != Field::NetworkCards)
                && !self.has(Field::Hotfixes);
            record.notes.push(Note {
                id: if truncated {
                    "capture-truncated"
                } else {
                    "fields-unread"
                },
                line: Some(self.last_line),
                message: if truncated {
                    format!(
                        "the systeminfo capture ends after `{after}`; these fields are missing: {}",
                        unread.join(", ")
                    )
                } else {
                    format!(
                        "these systeminfo fields could not be read: {}",
                        unread.join(", ")
                    )
                },
            });
        }
        record
    }
}

/// Parses systeminfo output in any layout. Returns `None` when the text holds
/// no systeminfo output.
pub(crate) fn parse(lines: &[Line<'_>]) -> Option<Vec<Record>> {
    // A capture that starts with a quoted row is CSV: try that layout first.
    let csv_first = lines
        .iter()
        .find(|l| !l.text.trim().is_empty())
        .is_some_and(|l| l.text.starts_with('"'));
    let order: [Format; 3] = if csv_first {
        [
            Format::SysteminfoCsv,
            Format::SysteminfoList,
            Format::SysteminfoTable,
        ]
    } else {
        [
            Format::SysteminfoList,
            Format::SysteminfoCsv,
            Format::SysteminfoTable,
        ]
    };
    order.into_iter().find_map(|format| {
        let blocks = match format {
            Format::SysteminfoCsv => csv::parse(lines),
            Format::SysteminfoList => list::parse(lines),
            _ => table::parse(lines),
        }?;
        Some(blocks.into_iter().map(|b| b.into_record(format)).collect())
    })
}

/// The language most of a block's known labels belong to.
pub(crate) fn majority_language(langs: &[&str]) -> Option<String> {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for l in langs {
        match counts.iter_mut().find(|(k, _)| k == l) {
            Some((_, n)) => *n += 1,
            None => counts.push((l, 1)),
        }
    }
    counts
        .iter()
        .max_by_key(|(_, n)| *n)
        .map(|(l, _)| (*l).to_owned())
}

/// Splits a multi-valued field's items as CSV and TABLE print them
/// (`2 Hotfix(s) Installed.,[01]: KB1,[02]: KB2`), returning the count text
/// and the items (slices of `value`).
pub(crate) fn split_inline_items(value: &str) -> (&str, Vec<&str>) {
    let (head, items) = inline_items(value);
    (head, items.collect())
}

/// [`split_inline_items`] with the items as they are found, for a caller
/// that keeps them in a collection of its own.
pub(crate) fn inline_items(value: &str) -> (&str, impl Iterator<Item = &str>) {
    let mut parts = ItemMarkers::new(value);
    fn piece(p: &str) -> &str {
        let t = trim(p);
        // Without a trailing comma the trims after it change nothing.
        if t.ends_with(',') {
            trim(t.trim_end_matches(','))
        } else {
            t
        }
    }
    let head = piece(parts.next().unwrap_or(""));
    (head, parts.map(piece))
}

/// The pieces of `text` between item markers, as the regex
/// `\[[0-9]{1,4}\]\s?:\s?` splits it (a test compares the two), found by
/// hand: a marker starts at a `[`, so only those are examined.
struct ItemMarkers<'a> {
    text: &'a str,
    /// Where the next piece starts; `None` once the last one is returned.
    start: Option<usize>,
    /// Where to look for the next `[`.
    search: usize,
}

impl<'a> ItemMarkers<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text,
            start: Some(0),
            search: 0,
        }
    }

    /// The end of the marker starting at byte `at` (a `[`), if one does.
    fn marker_end(&self, at: usize) -> Option<usize> {
        let rest = self.text.get(at + 1..)?;
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if !(1..=4).contains(&digits) {
            return None;
        }
        let rest = rest[digits..].strip_prefix(']')?;
        // `\s?:` — one white space character at most, then the colon.
        let rest = match rest.strip_prefix(':') {
            Some(r) => r,
            None => {
                let mut chars = rest.chars();
                chars.next().filter(|c| c.is_whitespace())?;
                chars.as_str().strip_prefix(':')?
            }
        };
        // `\s?` — one white space character, if there is one.
        let mut chars = rest.chars();
        let rest = match chars.next() {
            Some(c) if c.is_whitespace() => chars.as_str(),
            _ => rest,
        };
        Some(self.text.len() - rest.len())
    }
}

impl<'a> Iterator for ItemMarkers<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let start = self.start?;
        let bytes = self.text.as_bytes();
        while let Some(found) = bytes
            .get(self.search..)
            .and_then(|b| memchr::memchr(b'[', b))
        {
            let at = self.search + found;
            self.search = at + 1;
            if let Some(end) = self.marker_end(at) {
                self.start = Some(end);
                self.search = end;
                return self.text.get(start..at);
            }
        }
        self.start = None;
        self.text.get(start..)
    }
}

/// `part` (a slice of `text`) with the lifetime of the text `text` borrows
/// from, or owned when `text` is owned.
pub(crate) fn reborrow<'a>(text: &Cow<'a, str>, part: &str) -> Cow<'a, str> {
    match text {
        Cow::Borrowed(t) => {
            // `part` lies within `t`: find it by address (no search).
            let start = (part.as_ptr() as usize).wrapping_sub(t.as_ptr() as usize);
            match t.get(start..start.wrapping_add(part.len())) {
                Some(s) if s.as_ptr() == part.as_ptr() => Cow::Borrowed(s),
                _ => Cow::Owned(part.to_owned()),
            }
        }
        Cow::Owned(_) => Cow::Owned(part.to_owned()),
    }
}

/// Parses decoded text as systeminfo output only (no other format is
/// tried). The fuzz target and benchmarks call this.
pub fn parse_str(text: &str) -> Option<Vec<Record>> {
    parse(&super::text::lines(text))
}

/// A hotfix item whose KB number a line wrap cut in two (`KB45 93226`,
/// joined from two lines): reported, never guessed.
fn cut_kb(item: &str, line: u32) -> Option<Note> {
    let (head, tail) = item.split_once(' ')?;
    let digits = head.strip_prefix("KB")?;
    let numeric = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !numeric(digits) || !numeric(tail) {
        return None;
    }
    Some(Note {
        id: "value-cut",
        line: Some(line),
        message: format!(
            "a line wrap cut this hotfix item in two (`{head}` and `{tail}` on the next line): lastrollup does \
             not guess which KB it is; read it in the original capture or collect `wmic qfe list full`"
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `is_version_line` as it was written with regexes.
    fn version_line_by_regex(v: &str) -> bool {
        let v = v.trim();
        let line = Regex::new(r"^(?:5|6|10)\.[0-4]\.[0-9]{4,5}(?:\s+|$)").unwrap();
        let time = Regex::new(r"^[0-9]{1,2}:[0-9]{2}").unwrap();
        match line.find(v) {
            Some(m) => !time.is_match(&v[m.end()..]),
            None => false,
        }
    }

    #[test]
    fn version_line_agrees_with_the_regex() {
        let mut texts: Vec<String> = Vec::new();
        // Every value and line of every fixture.
        for bytes in crate::evidence::fixture_files() {
            let (text, _) = crate::evidence::text::decode(&bytes, &labels::code_page_hint);
            for line in text.lines() {
                texts.push(line.to_owned());
                texts.extend(line.split([',', '"']).map(String::from));
                if let Some((_, value)) = line.split_once(':') {
                    texts.push(value.to_owned());
                }
            }
        }
        // Every combination of the pieces around the edges of the patterns.
        let majors = ["", "5", "6", "10", "1", "7", "٦", "05"];
        let minors = ["", ".0", ".4", ".5", ".", "0", ".٠"];
        let builds = ["", ".600", ".6002", ".60020", ".600200", ".6O02", "6002"];
        let tails = [
            "",
            " ",
            "\t",
            "\u{3000}",
            " Build",
            "x",
            " 10:00",
            "  9:5",
            " 9:59",
            "10:00",
            " 123:45",
            " 1:2",
            " 12:3a",
            "\u{A0}1:23",
            " 1 :23",
            ":00",
        ];
        for a in majors {
            for b in minors {
                for c in builds {
                    for d in tails {
                        texts.push(format!("{a}{b}{c}{d}"));
                        texts.push(format!("  {a}{b}{c}{d} "));
                    }
                }
            }
        }
        for t in &texts {
            assert_eq!(is_version_line(t), version_line_by_regex(t), "{t:?}");
        }
    }

    #[test]
    fn value_shapes() {
        assert!(is_version_line("6.0.6002 Service Pack 2 Build 6002"));
        assert!(is_version_line("10.0.17763 暂缺 Build 17763"));
        assert!(!is_version_line("Phoenix 6.00"));
        assert!(!is_version_line("11.09.2019 00:00:00"));
        assert!(!is_version_line("6.1.2019 10:00:00"));
        assert!(is_system_type("x64-based PC"));
        assert!(is_system_type("X86-based PC"));
        assert!(is_system_type("Itanium (TM) -based System"));
        assert!(!is_system_type("x64 Family 16 Model 2"));
        assert!(is_date_time("7/7/2022, 9:49:59 AM"));
        assert!(is_date_time("2019/1/24, 9:46:29"));
        assert!(is_date_time("29.04.2019, 18:52:20"));
        assert!(is_locale("en-us;English (United States)"));
    }

    #[test]
    fn item_markers_split_as_the_regex_does() {
        let r = Regex::new(r"\[[0-9]{1,4}\]\s?:\s?").unwrap();
        for v in [
            "",
            "[01]:",
            "2 Hotfix(s) Installed.,[01]: KB955430,[02]: KB4474419",
            "x[01] : a[02]:b[03]\u{A0}:\u{3000}c",
            "[12345]: x,[1234]: y",
            "[]: x,[1: y,[1]] : z,[1]  : w,[1]:  v",
            "[[01]: a[[[02]:[03]:",
            "[01]:\u{2003}é[٣]: x",
            "[0１]: x [9]:",
        ] {
            let by_regex: Vec<&str> = r.split(v).collect();
            let by_hand: Vec<&str> = ItemMarkers::new(v).collect();
            assert_eq!(by_hand, by_regex, "{v:?}");
        }
        // Every string of up to five characters from the marker's alphabet.
        let alphabet = ['[', ']', '0', '1', ':', ' ', '\u{A0}', 'x'];
        let mut v = String::new();
        for n in 0..=5u32 {
            for mut code in 0..alphabet.len().pow(n) {
                v.clear();
                for _ in 0..n {
                    v.push(alphabet[code % alphabet.len()]);
                    code /= alphabet.len();
                }
                let by_regex: Vec<&str> = r.split(&v).collect();
                let by_hand: Vec<&str> = ItemMarkers::new(&v).collect();
                assert_eq!(by_hand, by_regex, "{v:?}");
            }
        }
    }

    #[test]
    fn inline_items() {
        let (head, items) =
            split_inline_items("2 Hotfix(s) Installed.,[01]: KB955430,[02]: KB4474419");
        assert_eq!(head, "2 Hotfix(s) Installed.");
        assert_eq!(items, vec!["KB955430", "KB4474419"]);
        assert_eq!(leading_count(head), Some(2));
    }
}
