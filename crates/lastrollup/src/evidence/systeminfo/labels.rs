//! The localized labels of `systeminfo`, from `labels.toml`.
//!
//! systeminfo prints its labels in the UI language of the machine. The table
//! in `labels.toml` (reviewed data, one section per language) maps each label
//! to a canonical [`Field`]; it also lists the localized role values of
//! `OS Configuration`, the "not available" words, and edition names. Labels
//! are compared after [`normalize`], so spacing and case do not matter.
//!
//! `build.rs` compiles the table into the static [`Labels`] of [`labels()`]
//! (normalized keys in hash slots, byte filters), so that no run pays for
//! reading or indexing it. [`parse_label_file`] builds the same index the
//! obvious way from the TOML, for the tests that check the compiled one.

use std::collections::HashMap;

use rustc_hash::FxHashMap;

use serde::Deserialize;

use super::fields::Field;
pub use super::label_key::normalize;
use super::label_key::{
    first_slot, is_ascii_char_whitespace, next_slot, normalize_ascii_bytes, normalize_into,
};
use crate::evidence::code_pages::byte_key_into;
use crate::evidence::text::{find_byte, trim, LEGACY_CODE_PAGES};
use crate::host::Role;

/// The reviewed table, for the tests that check the compiled one.
#[cfg(test)]
const LABELS_TOML: &str = include_str!("labels.toml");

// `static LABELS: Labels`, made by `build.rs` from `labels.toml`.
include!(concat!(env!("OUT_DIR"), "/catalog/labels_table.rs"));

/// One language's section of `labels.toml`.
#[derive(Debug, PartialEq, Deserialize)]
pub struct Language {
    /// English name of the language.
    pub name: String,
    /// The OEM (console) code page `systeminfo > file` writes in.
    pub oem_codepage: u16,
    /// The ANSI code page of the language.
    pub ansi_codepage: u16,
    /// Label variants per canonical field key (see [`Field::key`]).
    #[serde(flatten)]
    pub fields: HashMap<String, LabelValue>,
}

/// A value in a language section: a list of labels, or a nested table
/// (`roles`, `vista_editions`).
#[derive(Debug, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum LabelValue {
    /// Label variants.
    List(Vec<String>),
    /// A nested table of canonical key → localized spellings.
    Table(HashMap<String, Vec<String>>),
}

/// The whole of `labels.toml`.
#[derive(Debug, PartialEq, Deserialize)]
pub struct LabelFile {
    /// Sections by language tag (`en`, `de`, `zh-CN` …).
    pub languages: HashMap<String, Language>,
    /// Canonical Server 2008 edition → spellings in product names.
    pub server_2008_editions: HashMap<String, Vec<String>>,
    /// Canonical Vista edition → English spellings in product names.
    pub vista_editions: HashMap<String, Vec<String>>,
}

/// The field of a `labels.toml` key, for the tables `build.rs` writes
/// (evaluated at compile time: an unknown key fails the build).
const fn field(key: &str) -> Field {
    match Field::from_key(key) {
        Some(f) => f,
        None => panic!("labels.toml names an unknown field key"),
    }
}

/// The role of a `labels.toml` role key, as [`field`].
const fn role(key: &str) -> Role {
    match Role::from_key(key) {
        Some(r) => r,
        None => panic!("labels.toml names an unknown role key"),
    }
}

/// A string-keyed table laid out by `build.rs`: open addressing with linear
/// probing (`label_key::first_slot`, `next_slot`) over `slots` (a power of
/// two long, at most half used), each 0 (empty) or the 1-based index of an
/// entry.
#[derive(Debug)]
struct StaticMap<V: 'static> {
    slots: &'static [u16],
    entries: &'static [(&'static str, V)],
}

impl<V> StaticMap<V> {
    /// The value of `key`. (Inlined: a call costs a good part of a lookup.)
    #[inline(always)]
    fn get(&self, key: &str) -> Option<&'static V> {
        let len = self.slots.len();
        let mut slot = first_slot(key.as_bytes(), len);
        // An empty slot ends the search; the table is never full, but the
        // loop is bounded all the same.
        for _ in 0..len {
            let index = usize::from(*self.slots.get(slot)?).checked_sub(1)?;
            let (k, v) = self.entries.get(index)?;
            if k.len() == key.len() && *k == key {
                return Some(v);
            }
            slot = next_slot(slot, len);
        }
        None
    }
}

/// What the code-page index needs of one language.
#[derive(Debug)]
struct LanguageLabels {
    /// The language tag (as in `language_tags`; read by the tests).
    #[cfg_attr(not(test), allow(dead_code))]
    tag: &'static str,
    oem_codepage: u16,
    ansi_codepage: u16,
    /// Every label and "not available" word of the section, as written
    /// (read by the tests, which build the code-page index from them as a
    /// reference for the one build.rs computed).
    #[cfg_attr(not(test), allow(dead_code))]
    texts: &'static [&'static str],
}

/// The compiled label index (see [`labels()`]).
#[derive(Debug)]
pub struct Labels {
    /// Normalized label → field and index in `language_tags`.
    by_label: StaticMap<(Field, u8)>,
    /// Labels exactly as in the table, for the common case.
    by_exact: StaticMap<(Field, u8)>,
    /// Byte length of the longest label, with room for padding.
    max_label_bytes: usize,
    /// Byte length of the longest normalized label.
    max_key_bytes: usize,
    /// Whether some label's normalized form starts with this ASCII character.
    ascii_first: [bool; 128],
    /// Per byte: an ASCII byte, not white space nor a colon, that no
    /// label's normalized form holds (lower-cased). Text with one is no label.
    rejects: [bool; 256],
    /// Bit `b` of entry `a`: some label's normalized form starts with the
    /// ASCII characters `a`, `b`.
    ascii_starts: [u128; 128],
    /// Normalized role value → role.
    roles: StaticMap<Role>,
    /// Normalized "not available" words, sorted.
    not_available: &'static [&'static str],
    /// Whether some "not available" word starts with this ASCII character.
    not_available_first: [bool; 128],
    /// Bit `b` of entry `a`: some "not available" word starts with the
    /// ASCII characters `a`, `b`.
    not_available_starts: [u128; 128],
    /// Language tags, indexed by the number stored in the label maps
    /// (English first, then by tag).
    pub language_tags: &'static [&'static str],
    /// Per language, in the order of `language_tags`.
    languages: &'static [LanguageLabels],
    /// Localized edition spelling (normalized) → canonical edition key, for
    /// Vista (from every language's `vista_editions` and the top-level
    /// table), longest spelling first.
    pub vista_edition_names: &'static [(&'static str, &'static str)],
    /// Server 2008 edition spellings (normalized) → canonical key, longest
    /// first.
    pub server_edition_names: &'static [(&'static str, &'static str)],
}

/// The label index built at run time from a parsed [`LabelFile`] with hash
/// maps and no shortcuts: what [`Labels`] must answer, label for label.
#[derive(Debug)]
pub struct LabelIndex {
    /// The parsed file.
    pub file: LabelFile,
    by_label: FxHashMap<String, (Field, usize)>,
    by_exact: FxHashMap<String, (Field, usize)>,
    roles: FxHashMap<String, Role>,
    not_available: Vec<String>,
    max_label_bytes: usize,
    /// Language tags, English first, then by tag.
    pub language_tags: Vec<String>,
    /// As [`Labels::vista_edition_names`].
    pub vista_edition_names: Vec<(String, String)>,
    /// As [`Labels::server_edition_names`].
    pub server_edition_names: Vec<(String, String)>,
}

/// Whether `s` is its own [`normalize`]d form, judged without case
/// tables: every character is either an ASCII character that normalizing
/// keeps as it is (not upper case, not white space, not a colon), a
/// single space between two such characters, or a kana, CJK ideograph or
/// Hangul syllable (none has a lower case, none is white space or a
/// colon). `false` says nothing. A test compares with `normalize`.
fn plainly_normalized(s: &str) -> bool {
    // Whether the previous character was a space (or there was none).
    let mut after_space = true;
    for c in s.chars() {
        match c {
            ' ' if !after_space => after_space = true,
            '\u{3041}'..='\u{30FF}' | '\u{4E00}'..='\u{9FFF}' | '\u{AC00}'..='\u{D7A3}' => {
                after_space = false
            }
            _ if c.is_ascii()
                && c != ':'
                && c != ' '
                && !c.is_ascii_uppercase()
                && !is_ascii_char_whitespace(c as u8) =>
            {
                after_space = false
            }
            _ => return false,
        }
    }
    // No trailing space (an empty text is its own form too).
    !after_space || s.is_empty()
}

/// The characters of [`normalize`]'s result as they are made, trailing
/// colons included (so values can be compared without building a string;
/// a test checks that both agree).
fn normalized_chars(s: &str) -> impl Iterator<Item = char> + '_ {
    // Whether anything was written, a space is owed, the last char was ':'.
    let (mut started, mut pending_space, mut after_colon) = (false, false, false);
    s.chars().flat_map(move |c| {
        let c = if c == '：' { ':' } else { c };
        if c.is_whitespace() || c == '\u{A0}' || c == '\u{202F}' {
            pending_space = started;
            return None.into_iter().chain(None.into_iter().flatten());
        }
        let space = (pending_space && c != ':' && !after_colon).then_some(' ');
        pending_space = false;
        started = true;
        after_colon = c == ':';
        space
            .into_iter()
            .chain(Some(c.to_lowercase()).into_iter().flatten())
    })
}

/// Whether `normalize(value) == word` for a `word` that is itself normalized,
/// without allocating (stops at the first character that differs).
fn normalizes_to(value: &str, word: &str) -> bool {
    let mut chars = normalized_chars(value);
    word.chars().all(|w| chars.next() == Some(w)) && chars.all(|c| c == ':')
}

impl LabelIndex {
    fn build(file: LabelFile) -> Result<LabelIndex, String> {
        let mut by_label = FxHashMap::default();
        let mut by_exact = FxHashMap::default();
        let mut roles = FxHashMap::default();
        let mut not_available = Vec::new();
        let mut vista_edition_names = Vec::new();
        let mut tags: Vec<&String> = file.languages.keys().collect();
        tags.sort();
        // English first so that a label shared by several languages reports English.
        tags.sort_by_key(|t| *t != "en");
        let language_tags: Vec<String> = tags.iter().map(|t| (*t).clone()).collect();
        for (idx, tag) in language_tags.iter().enumerate() {
            let lang = &file.languages[tag];
            for (key, value) in &lang.fields {
                match (key.as_str(), value) {
                    ("not_available", LabelValue::List(words)) => {
                        not_available.extend(words.iter().map(|w| normalize(w)));
                    }
                    ("roles", LabelValue::Table(t)) => {
                        for (role_key, spellings) in t {
                            let role = Role::from_key(role_key)
                                .ok_or_else(|| format!("{tag}: unknown role key `{role_key}`"))?;
                            for s in spellings {
                                roles.insert(normalize(s), role);
                            }
                        }
                    }
                    ("vista_editions", LabelValue::Table(t)) => {
                        for (edition, spellings) in t {
                            for s in spellings {
                                vista_edition_names.push((normalize(s), edition.clone()));
                            }
                        }
                    }
                    (k, LabelValue::List(labels)) => {
                        let field = Field::from_key(k)
                            .ok_or_else(|| format!("{tag}: unknown field key `{k}`"))?;
                        for l in labels {
                            by_label.entry(normalize(l)).or_insert((field, idx));
                            by_exact.entry(l.trim().to_owned()).or_insert((field, idx));
                        }
                    }
                    (k, LabelValue::Table(_)) => {
                        return Err(format!("{tag}: `{k}` must be a list of labels"))
                    }
                }
            }
            for field in Field::ALL {
                if !matches!(field, Field::HypervRequirements)
                    && !lang.fields.contains_key(field.key())
                {
                    return Err(format!("{tag}: no labels for `{}`", field.key()));
                }
            }
        }
        for (edition, spellings) in &file.vista_editions {
            for s in spellings {
                vista_edition_names.push((normalize(s), edition.clone()));
            }
        }
        let mut server_edition_names: Vec<(String, String)> = file
            .server_2008_editions
            .iter()
            .flat_map(|(e, ss)| ss.iter().map(move |s| (normalize(s), e.clone())))
            .collect();
        // Longest spelling first, so "Enterprise without Hyper-V" wins over "Enterprise".
        server_edition_names.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.cmp(b)));
        vista_edition_names.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.cmp(b)));
        not_available.sort();
        not_available.dedup();
        let max_key_bytes = by_label.keys().map(String::len).max().unwrap_or(0);
        Ok(LabelIndex {
            file,
            max_label_bytes: max_key_bytes * 2 + 16,
            by_label,
            by_exact,
            roles,
            not_available,
            language_tags,
            vista_edition_names,
            server_edition_names,
        })
    }

    /// The field and language of a label: its trimmed text in the table,
    /// else its normalized text (nothing longer than
    /// [`Labels::max_label_bytes`] is a label).
    pub fn lookup(&self, label: &str) -> Option<(Field, &str)> {
        if label.len() > self.max_label_bytes {
            return None;
        }
        self.by_exact
            .get(label.trim())
            .or_else(|| self.by_label.get(&normalize(label)))
            .and_then(|(f, i)| Some((*f, self.language_tags.get(*i)?.as_str())))
    }

    /// As [`Labels::max_label_bytes`].
    pub fn max_label_bytes(&self) -> usize {
        self.max_label_bytes
    }

    /// The role an `OS Configuration` value names.
    pub fn role(&self, value: &str) -> Option<Role> {
        self.roles.get(&normalize(value)).copied()
    }

    /// Whether a value normalizes to nothing or to a "not available" word.
    pub fn is_not_available(&self, value: &str) -> bool {
        let n = normalize(value);
        n.is_empty() || self.not_available.binary_search(&n).is_ok()
    }
}

impl Labels {
    /// The answer of a map hit: the field and its language's tag.
    fn answer(&self, hit: Option<&(Field, u8)>) -> Option<(Field, &'static str)> {
        let (field, lang) = hit?;
        Some((*field, self.language_tags.get(usize::from(*lang))?))
    }

    /// The field and language of a label, if it is a known systeminfo label.
    pub fn lookup(&self, label: &str) -> Option<(Field, &str)> {
        self.lookup_ordered(label, false)
    }

    /// [`Labels::lookup`] for text that is more likely a value than a label
    /// (the cells of a CSV row): the same answer, with the cheap byte test
    /// asked before the exact table.
    #[inline]
    pub fn lookup_value(&self, label: &str) -> Option<(Field, &str)> {
        // The byte tests inline at the caller: most cells end here, without
        // a call. (`lookup_ordered` asks them again for the rest.)
        if label.len() > self.max_label_bytes || self.rejected(label) || self.start_rejected(label)
        {
            return None;
        }
        self.lookup_ordered(label, true)
    }

    /// Text with an ASCII byte that no label's normalized form holds (see
    /// `rejects`) is no label.
    #[inline]
    fn rejected(&self, label: &str) -> bool {
        label.bytes().any(|b| self.rejects[usize::from(b)])
    }

    /// Whether the text's normalized form starts with two ASCII characters
    /// no label starts with. Read off the first two bytes after leading
    /// ASCII white space, when both are ASCII and neither is white space
    /// nor a colon: normalizing keeps them first, lower-cased. (Otherwise
    /// nothing is said.)
    #[inline]
    fn start_rejected(&self, label: &str) -> bool {
        let bytes = label.as_bytes();
        let start = bytes
            .iter()
            .position(|&b| !is_ascii_char_whitespace(b))
            .unwrap_or(bytes.len());
        let plain = |b: u8| b.is_ascii() && b != b':' && !is_ascii_char_whitespace(b);
        match bytes.get(start..start + 2) {
            Some(&[a, b]) if plain(a) && plain(b) => {
                let (a, b) = (a.to_ascii_lowercase(), b.to_ascii_lowercase());
                self.ascii_starts[usize::from(a)] & (1u128 << b) == 0
            }
            _ => false,
        }
    }

    /// [`Labels::lookup`], the byte test first when `values_likely`. The
    /// order does not change the answer: the exact labels pass the test
    /// too (each one's normalized form is a key of `by_label`).
    fn lookup_ordered(&self, label: &str, values_likely: bool) -> Option<(Field, &str)> {
        // Longer text cannot be a label: skip the normalization (this keeps
        // long CSV lines with many colons linear).
        if label.len() > self.max_label_bytes {
            return None;
        }
        if values_likely && (self.rejected(label) || self.start_rejected(label)) {
            return None;
        }
        // Most labels are printed exactly as the table has them.
        if let Some(hit) = self.by_exact.get(trim(label)) {
            return self.answer(Some(hit));
        }
        // Normalizing keeps every ASCII byte but white space and colons
        // (lower-cased): text with one that no label has is no label (most
        // values: digits, commas, slashes).
        if !values_likely && self.rejected(label) {
            return None;
        }
        thread_local! {
            static KEY: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
            static ASCII_KEY: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        if label.is_ascii() {
            // Normalized by bytes, given up past the longest key (trailing
            // colons aside, which are dropped).
            return ASCII_KEY.with(|key| {
                let mut key = key.borrow_mut();
                let limit = self.max_key_bytes.saturating_add(
                    label.len()
                        - label
                            .trim_end_matches(|c: char| c == ':' || c.is_whitespace())
                            .len(),
                );
                if !normalize_ascii_bytes(label.as_bytes(), &mut key, limit) {
                    return None;
                }
                let key = std::str::from_utf8(&key).ok()?;
                self.answer(self.by_label.get(key))
            });
        }
        // No label normalizes to text starting with this character. (The
        // first character of `normalize` is the first one streamed, unless
        // that is a colon, which may be trimmed.)
        if let Some(c) = normalized_chars(label).next() {
            if c != ':' && c.is_ascii() && !self.ascii_first[usize::from(c as u8)] {
                return None;
            }
        }
        // Text that is its own normalized form is looked up as it is.
        if plainly_normalized(label) {
            return self.answer(self.by_label.get(label));
        }
        KEY.with(|key| {
            let mut key = key.borrow_mut();
            normalize_into(label, &mut key);
            self.answer(self.by_label.get(key.as_str()))
        })
    }

    /// No known label is longer than this many bytes (with room for padding).
    pub fn max_label_bytes(&self) -> usize {
        self.max_label_bytes
    }

    /// The role an `OS Configuration` value names, in any known language.
    pub fn role(&self, value: &str) -> Option<Role> {
        self.roles.get(&normalize(value)).copied()
    }

    /// Whether a value is a localized "not available" (`N/A`, `Н/Д`, `暂缺` …).
    pub fn is_not_available(&self, value: &str) -> bool {
        // Most values start with an ASCII character no word starts with: the
        // first byte after leading white space settles them. (A value that
        // starts with a colon or non-ASCII text takes the general path.)
        let bytes = value.as_bytes();
        let lead = bytes
            .iter()
            .position(|b| !matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r'));
        if let Some(&b) = lead.and_then(|i| bytes.get(i)) {
            if b.is_ascii()
                && b != b':'
                && !self.not_available_first[usize::from(b.to_ascii_lowercase())]
            {
                return false;
            }
        }
        // Two such bytes (neither white space nor a colon) are the first two
        // characters of the normalized value, lower-cased: most values that
        // pass the first test (`en-us;…`, `Intel64 …`) fail this one.
        let plain = |b: u8| b.is_ascii() && b != b':' && !is_ascii_char_whitespace(b);
        if let Some(&[a, b]) = lead.and_then(|i| bytes.get(i..i + 2)) {
            if plain(a) && plain(b) {
                let (a, b) = (a.to_ascii_lowercase(), b.to_ascii_lowercase());
                if self.not_available_starts[usize::from(a)] & (1u128 << b) == 0 {
                    return false;
                }
            }
        }
        let mut chars = normalized_chars(value);
        let Some(first) = chars.next() else {
            return true;
        };
        if first == ':' && chars.all(|c| c == ':') {
            return true;
        }
        // A word can only match a value whose normalized text starts with the
        // word's first character: compare only those words.
        self.not_available
            .iter()
            .any(|w| w.starts_with(first) && normalizes_to(value, w))
    }
}

/// Parses a label file into the index built the obvious way: the reference
/// the tests hold the compiled [`labels()`] to, and the check that the
/// table is valid (every field key and role key known, every language
/// complete).
pub fn parse_label_file(text: &str) -> Result<LabelIndex, String> {
    let file: LabelFile = toml::from_str(text).map_err(|e| e.to_string())?;
    LabelIndex::build(file)
}

/// The label table of `labels.toml`, compiled by `build.rs` into static
/// data: nothing is read or built at run time.
pub fn labels() -> &'static Labels {
    &LABELS
}

/// The votes of one byte key: per language, how many (page, language)
/// pairs know the key; per page (index in [`LEGACY_CODE_PAGES`]), how many
/// languages know it there. Pages are left out when the key votes the same
/// for every page (an ASCII label is the same bytes in all of them): a vote
/// shared equally by all pages cannot change their order.
#[derive(Debug, PartialEq)]
struct KeyVotes {
    key: &'static [u8],
    languages: &'static [(usize, usize)],
    pages: &'static [(usize, usize)],
}

// `ENCODED_LABELS` (every label of every language encoded in every legacy
// code page it can be written in, as byte keys sorted, with their votes)
// and `ENCODED_MAX_LEN` (the longest key worth looking up), computed by
// build.rs with `code_pages.rs` and `label_key.rs`: building them at run time
// cost 34 M instructions on the first non-Unicode capture of a process.
include!(concat!(env!("OUT_DIR"), "/catalog/encoded_labels.rs"));

/// The votes of a byte key, if it is a label's in some legacy code page:
/// looked up in `ENCODED_SLOTS`, the open-addressing table build.rs laid out
/// over `ENCODED_LABELS` with [`first_slot`] and [`next_slot`] (a binary
/// search of the 1,500 keys cost several times as much per line).
fn encoded_votes(key: &[u8]) -> Option<&'static KeyVotes> {
    let len = ENCODED_SLOTS.len();
    let mut slot = first_slot(key, len);
    // An empty slot ends the search; the table is at most half full, but
    // the loop is bounded all the same.
    for _ in 0..len {
        let index = usize::from(*ENCODED_SLOTS.get(slot)?).checked_sub(1)?;
        let votes = ENCODED_LABELS.get(index)?;
        if votes.key == key {
            return Some(votes);
        }
        slot = next_slot(slot, len);
    }
    None
}

/// Which legacy code page raw bytes are in, judged by the systeminfo labels
/// found in them: the page in which the most line starts are known labels;
/// among equals, the OEM or ANSI page of the labels' language (German labels
/// are the same bytes in cp850 and cp852, but German consoles write cp850),
/// then the earlier page of [`LEGACY_CODE_PAGES`]. `None` when no label is
/// found (the caller then judges by plausibility). Works on bytes, so no
/// candidate decoding is made.
pub fn code_page_hint(bytes: &[u8]) -> Option<u16> {
    let max_len = &ENCODED_MAX_LEN;
    let prefix = &bytes[..bytes.len().min(16 * 1024)];
    // Every hit votes for each (page, language) its key is known in. Votes
    // shared by every page are not counted per page (see [`KeyVotes`]).
    let mut lang_counts = vec![0usize; labels().language_tags.len()];
    let mut cp_counts = [0usize; LEGACY_CODE_PAGES.len()];
    let mut any_vote = false;
    let mut key = Vec::with_capacity(*max_len);
    let mut record = |candidate: &[u8]| -> bool {
        byte_key_into(candidate, &mut key);
        match encoded_votes(&key) {
            Some(votes) => {
                any_vote = true;
                for &(lang, n) in votes.languages {
                    if let Some(count) = lang_counts.get_mut(lang) {
                        *count += n;
                    }
                }
                for &(cp_idx, n) in votes.pages {
                    if let Some(count) = cp_counts.get_mut(cp_idx) {
                        *count += n;
                    }
                }
                true
            }
            None => false,
        }
    };
    let mut matched = 0usize;
    for line in crate::evidence::text::split_lines(prefix).take(400) {
        // Enough evidence: a dozen labels decide the page (a systeminfo
        // block has about 30; labels spelled alike in every page do not
        // vote). Every capture of the fixtures and of ../shared/corpus gets
        // the same page with 12 as with 24, and Japanese parses 5 % faster.
        if matched >= 12 {
            break;
        }
        if line.first().is_some_and(|b| b.is_ascii_whitespace()) {
            continue;
        }
        if line.first() == Some(&b'"') {
            // A CSV header carries many labels on one line, the host name's
            // first. A row whose first cell is no label is a row of values
            // (`/NH` output has only those): its cells are not looked up.
            for (n, cell) in line.split(|&b| b == b',').enumerate() {
                let cell: &[u8] = cell.strip_prefix(b"\"").unwrap_or(cell);
                let cell = cell.strip_suffix(b"\"").unwrap_or(cell);
                if cell.len() <= *max_len && record(cell) {
                    matched += 1;
                } else if n == 0 {
                    break;
                }
            }
            continue;
        }
        // Colons past `max_len` end the search: only look that far, and at
        // the first four.
        let head = &line[..line.len().min(max_len.saturating_add(1))];
        let mut from = 0;
        for _ in 0..4 {
            let Some(pos) = head.get(from..).and_then(|h| find_byte(h, b':')) else {
                break;
            };
            let pos = from + pos;
            if record(&line[..pos]) {
                matched += 1;
                break;
            }
            from = pos + 1;
        }
    }
    if !any_vote {
        return None;
    }
    let majority = lang_counts
        .iter()
        .enumerate()
        .max_by_key(|(l, n)| (**n, std::cmp::Reverse(*l)))
        .map(|(l, _)| l)?;
    let language = labels().languages.get(majority)?;
    LEGACY_CODE_PAGES
        .iter()
        .enumerate()
        .max_by_key(|(i, cp)| {
            let hits = cp_counts[*i];
            let own = language.oem_codepage == **cp || language.ansi_codepage == **cp;
            (hits, own, std::cmp::Reverse(*i))
        })
        .map(|(_, cp)| *cp)
}

#[cfg(test)]
mod tests {
    use super::super::label_key::{normalize_ascii_into, normalize_chars_into};
    use super::*;

    #[test]
    fn code_page_index_from_build_rs_equals_the_run_time_one() {
        use crate::evidence::code_pages::{encode_code_page, label_index};
        // What build.rs wrote, against the same computation run here over
        // the static tables' texts: every key found through the hash slots
        // with its votes, and text that is no label's key not found.
        let (built, max_len) = label_index(labels().languages.iter().map(|l| l.texts));
        assert_eq!(ENCODED_MAX_LEN, max_len);
        assert_eq!(ENCODED_LABELS.len(), built.len());
        for (key, (languages, pages)) in &built {
            let votes = encoded_votes(key).unwrap_or_else(|| panic!("{key:?} missing"));
            assert_eq!(votes.languages, languages.as_slice(), "{key:?}");
            assert_eq!(votes.pages, pages.as_slice(), "{key:?}");
        }
        for miss in [&b""[..], b"x", b"hostnamex", b"6.0.6003", &[0xFF; 40][..]] {
            assert!(encoded_votes(miss).is_none(), "{miss:?}");
        }
        // Non-ASCII keys are there (German in cp850, Russian in cp866).
        let mut key = Vec::new();
        for (text, cp) in [
            ("Ursprüngliches Installationsdatum", 850),
            ("Имя узла", 866),
        ] {
            let bytes = encode_code_page(text, cp).unwrap_or_default();
            byte_key_into(&bytes, &mut key);
            assert!(encoded_votes(&key).is_some(), "{text} in cp{cp}");
        }
    }

    /// The index built the obvious way from `labels.toml` at run time.
    fn reference() -> &'static LabelIndex {
        static INDEX: std::sync::OnceLock<LabelIndex> = std::sync::OnceLock::new();
        INDEX.get_or_init(|| parse_label_file(LABELS_TOML).unwrap())
    }

    #[test]
    fn embedded_labels_are_valid() {
        let labels = reference();
        assert!(
            labels.language_tags.len() >= 22,
            "{:?}",
            labels.language_tags
        );
        assert_eq!(labels.lookup("Host Name"), Some((Field::HostName, "en")));
        assert_eq!(
            labels.lookup("page file:   max size"),
            Some((Field::PageFileMaxSize, "en"))
        );
        assert_eq!(
            labels.role("Primary Domain Controller"),
            Some(Role::DomainController)
        );
        assert!(labels.is_not_available("N/A"));
    }

    /// The entries of a static map, each also found by `get`.
    fn static_entries<V: Copy>(map: &StaticMap<V>) -> Vec<(String, V)> {
        map.entries
            .iter()
            .map(|(k, v)| {
                assert!(std::ptr::eq(map.get(k).unwrap(), v), "{k:?}");
                ((*k).to_owned(), *v)
            })
            .collect()
    }

    /// The entries of a reference map, sorted.
    fn sorted<V: Copy, W>(map: &FxHashMap<String, V>, f: impl Fn(V) -> W) -> Vec<(String, W)> {
        let mut v: Vec<(String, W)> = map.iter().map(|(k, v)| (k.clone(), f(*v))).collect();
        v.sort_by(|a, b| a.0.cmp(&b.0));
        v
    }

    #[test]
    fn the_static_tables_are_the_toml() {
        let (fast, slow) = (labels(), reference());
        assert_eq!(fast.language_tags, slow.language_tags);
        assert_eq!(fast.max_label_bytes(), slow.max_label_bytes());
        let lang = |(f, i): (Field, usize)| (f, u8::try_from(i).unwrap());
        assert_eq!(static_entries(&fast.by_label), sorted(&slow.by_label, lang));
        assert_eq!(static_entries(&fast.by_exact), sorted(&slow.by_exact, lang));
        assert_eq!(static_entries(&fast.roles), sorted(&slow.roles, |r| r));
        assert_eq!(fast.not_available, slow.not_available);
        let owned = |v: &[(&str, &str)]| -> Vec<(String, String)> {
            v.iter()
                .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
                .collect()
        };
        assert_eq!(
            owned(fast.vista_edition_names),
            slow.vista_edition_names,
            "vista editions"
        );
        assert_eq!(
            owned(fast.server_edition_names),
            slow.server_edition_names,
            "server editions"
        );
        // What the code-page index reads of each language.
        assert_eq!(fast.languages.len(), slow.language_tags.len());
        for (language, tag) in fast.languages.iter().zip(&slow.language_tags) {
            let section = &slow.file.languages[tag];
            assert_eq!(language.tag, tag);
            assert_eq!(language.oem_codepage, section.oem_codepage, "{tag}");
            assert_eq!(language.ansi_codepage, section.ansi_codepage, "{tag}");
            let mut texts: Vec<&str> = section
                .fields
                .values()
                .filter_map(|v| match v {
                    LabelValue::List(list) => Some(list),
                    LabelValue::Table(_) => None,
                })
                .flatten()
                .map(String::as_str)
                .collect();
            let mut static_texts = language.texts.to_vec();
            texts.sort_unstable();
            static_texts.sort_unstable();
            assert_eq!(static_texts, texts, "{tag}");
        }
    }

    #[test]
    fn static_maps_find_their_keys_in_few_probes() {
        fn probes<V>(map: &StaticMap<V>) -> (usize, usize) {
            let (len, mut total, mut longest) = (map.slots.len(), 0, 0);
            assert!(len.is_power_of_two() && map.entries.len() * 2 <= len);
            for (key, _) in map.entries {
                let mut slot = first_slot(key.as_bytes(), len);
                let mut n = 1;
                while map.entries[usize::from(map.slots[slot]) - 1].0 != *key {
                    slot = next_slot(slot, len);
                    n += 1;
                }
                total += n;
                longest = longest.max(n);
            }
            (total, longest)
        }
        let labels = labels();
        for (name, (total, longest), n) in [
            (
                "by_label",
                probes(&labels.by_label),
                labels.by_label.entries.len(),
            ),
            (
                "by_exact",
                probes(&labels.by_exact),
                labels.by_exact.entries.len(),
            ),
            ("roles", probes(&labels.roles), labels.roles.entries.len()),
        ] {
            // Linear probing at half load averages 1.5 probes per hit.
            assert!(
                total * 2 <= n * 3 && longest <= 16,
                "{name}: {total}/{n}, {longest}"
            );
        }
    }

    #[test]
    fn role_and_not_available_agree_with_the_reference() {
        let (fast, slow) = (labels(), reference());
        let mut texts: Vec<String> = vec![
            "",
            " ",
            ":",
            "：",
            "N/A",
            "n/a:",
            "N / A",
            "x N/A",
            "Н/Д",
            "暂缺",
            "Server",
            "Member",
            "Member Server x",
            "FS01",
        ]
        .into_iter()
        .map(String::from)
        .collect();
        for lang in slow.file.languages.values() {
            for value in lang.fields.values() {
                let words: Vec<&String> = match value {
                    LabelValue::List(list) => list.iter().collect(),
                    LabelValue::Table(t) => t.values().flatten().collect(),
                };
                for w in words {
                    texts.push(w.clone());
                    texts.push(format!("  {}  : ", w.to_uppercase()));
                    texts.push(w.replace(' ', "\u{A0} "));
                    texts.push(format!("{w}x"));
                    texts.push(format!(":{w}"));
                }
            }
        }
        // Every value, cell and line of every fixture.
        for bytes in crate::evidence::fixture_files() {
            let (text, _) = crate::evidence::text::decode(&bytes, &code_page_hint);
            for line in text.lines() {
                texts.push(line.to_owned());
                texts.extend(line.split([',', '"']).map(String::from));
                if let Some((_, value)) = line.split_once(':') {
                    texts.push(value.to_owned());
                }
            }
        }
        for t in &texts {
            assert_eq!(fast.role(t), slow.role(t), "{t:?}");
            assert_eq!(fast.is_not_available(t), slow.is_not_available(t), "{t:?}");
        }
    }

    #[test]
    fn normalize_folds_spacing_and_colons() {
        assert_eq!(
            normalize("Mémoire virtuelle : taille maximale:"),
            "mémoire virtuelle:taille maximale"
        );
        assert_eq!(normalize("  Page File:  Max Size "), "page file:max size");
        assert_eq!(normalize("OS 名称："), "os 名称");
    }

    #[test]
    fn lookup_agrees_with_normalizing_every_label() {
        let labels = labels();
        let index = reference();
        let reference = |s: &str| index.lookup(s);
        let mut texts: Vec<String> = Vec::new();
        for lang in index.file.languages.values() {
            for value in lang.fields.values() {
                let LabelValue::List(list) = value else {
                    continue;
                };
                for l in list {
                    texts.push(l.clone());
                    texts.push(format!("  {}  : ", l.to_uppercase()));
                    texts.push(format!("{}::", l.replace(' ', "   ")));
                    texts.push(format!("{l}1"));
                    texts.push(format!("{l} x"));
                    texts.push(l.replace(':', " : "));
                }
            }
        }
        texts.extend(
            [
                "",
                ":",
                " : ",
                "N/A",
                "FS01",
                "Microsoft Corporation",
                "Member Server",
                "x64-based PC",
                "C:\\Windows",
                "Host Name:::::::::::::::::::::::::::::::::::::::",
            ]
            .map(String::from),
        );
        // Every cell and every text before a colon of every fixture.
        for bytes in crate::evidence::fixture_files() {
            let (text, _) = crate::evidence::text::decode(&bytes, &code_page_hint);
            for line in text.lines() {
                texts.extend(line.split(['"', ',', ':', '=']).map(String::from));
                texts.extend(line.split(',').map(String::from));
                texts.push(line.to_owned());
            }
        }
        for pre in ["", " ", "\t", "  ", ":", "\u{3000}", "é"] {
            for a in ['a', 'M', 'x', ' ', ':', 'é', '0', 'İ', 'K'] {
                for b in ['e', 'I', 'q', ' ', ':', 'ä', '1', '\t'] {
                    texts.push(format!("{pre}{a}{b}"));
                    texts.push(format!("{pre}{a}{b}mory"));
                    texts.push(format!("{pre}{a}{b} name"));
                }
            }
        }
        for t in &texts {
            assert_eq!(labels.lookup(t), reference(t), "{t:?}");
            assert_eq!(labels.lookup_value(t), reference(t), "{t:?}");
        }
    }

    #[test]
    fn plainly_normalized_text_normalizes_to_itself() {
        // Every character of the ranges taken as they are: no case, no
        // white space.
        for c in ('\u{3041}'..='\u{30FF}')
            .chain('\u{4E00}'..='\u{9FFF}')
            .chain('\u{AC00}'..='\u{D7A3}')
            .chain((0..128u8).map(char::from))
        {
            let s = c.to_string();
            assert_eq!(plainly_normalized(&s), normalize(&s) == s, "{c:?}");
            let s = format!("x{c}y");
            if plainly_normalized(&s) {
                assert_eq!(normalize(&s), s, "{s:?}");
            }
        }
        // Every string of up to four characters of a mixed alphabet.
        let alphabet = [
            'a', 'B', ' ', ':', '\t', 'ペ', '名', '한', 'é', '\u{3000}', '：', '1',
        ];
        let mut s = String::new();
        for n in 0..=4u32 {
            for mut code in 0..alphabet.len().pow(n) {
                s.clear();
                for _ in 0..n {
                    s.push(alphabet[code % alphabet.len()]);
                    code /= alphabet.len();
                }
                if plainly_normalized(&s) {
                    assert_eq!(normalize(&s), s, "{s:?}");
                }
            }
        }
        // And it says so for the labels that are: every CJK label.
        assert!(plainly_normalized("ページ ファイル"));
        assert!(plainly_normalized("os 名"));
        assert!(!plainly_normalized("OS 名"));
    }

    #[test]
    fn ascii_normalization_agrees_with_the_char_path() {
        for v in [
            "",
            " ",
            ":",
            "::",
            "a",
            " A  b ",
            "a : b",
            "a: b:",
            "a :b",
            "\tPage\x0BFile:\x0C Max Size:\r\n",
            " ::x:: ",
            "N/A",
            "Host Name",
            "\x1F x \x7F",
        ] {
            let (mut ascii, mut chars) = (String::new(), String::new());
            normalize_ascii_into(v.as_bytes(), &mut ascii);
            normalize_chars_into(v, &mut chars);
            assert_eq!(ascii, chars, "{v:?}");
        }
    }

    #[test]
    fn normalized_chars_agree_with_normalize() {
        for v in [
            "",
            " ",
            ":",
            "a",
            " A  b ",
            "a : b",
            "a: b:",
            "a :b",
            "A\u{A0}:\u{202F}B：",
            "İstanbul  K",
            "Page File:   Max Size:",
            "OS 名称：",
            " ::x:: ",
        ] {
            let mut streamed: String = normalized_chars(v).collect();
            while streamed.ends_with(':') {
                streamed.pop();
            }
            assert_eq!(streamed, normalize(v), "{v:?}");
        }
    }

    #[test]
    fn not_available_compares_as_normalized() {
        let labels = labels();
        for v in [
            "N/A",
            " n/a ",
            "N/A:",
            "N/A::",
            "N / A",
            "n/a x",
            "",
            "  ",
            ":",
            "：",
            "Nicht  zutreffend",
            "nicht zutreffend:",
            "N/D",
            "N/AA",
            "Н/Д",
            "x N/A",
            "NA",
            "n/",
            "N",
            "Ni",
            "nIcht zutreffend",
            "ne",
            "né",
            "n\u{A0}/a",
            "\tn/a",
            "ei käytettävissä",
            "EI",
            "yo",
        ] {
            let n = normalize(v);
            let expected = n.is_empty() || labels.not_available.binary_search(&n.as_str()).is_ok();
            assert_eq!(labels.is_not_available(v), expected, "{v:?}");
        }
    }
}
