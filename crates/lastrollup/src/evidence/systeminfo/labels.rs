//! The localized labels of `systeminfo`, loaded from `labels.toml`.
//!
//! systeminfo prints its labels in the UI language of the machine. The table
//! in `labels.toml` (reviewed data, one section per language) maps each label
//! to a canonical [`Field`]; it also lists the localized role values of
//! `OS Configuration`, the "not available" words, and edition names. Labels
//! are compared after [`normalize`], so spacing and case do not matter.

use std::collections::HashMap;

use rustc_hash::FxHashMap;
use std::sync::OnceLock;

use serde::Deserialize;

use super::fields::Field;
use crate::evidence::text::{encode_code_page, find_byte, trim, LEGACY_CODE_PAGES};
use crate::host::Role;

/// The reviewed table, for the tests that check the build-time translation.
#[cfg(test)]
const LABELS_TOML: &str = include_str!("labels.toml");

/// `labels.toml` as JSON, translated field for field by `build.rs`: serde_json
/// reads it in a fraction of the instructions `toml` needs, and every run
/// that reads a systeminfo capture loads it.
const LABELS_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/catalog/labels.json"));

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

/// The compiled label index.
#[derive(Debug)]
pub struct Labels {
    /// The parsed file.
    pub file: LabelFile,
    by_label: FxHashMap<String, (Field, usize)>,
    /// Labels exactly as in the table, for the common case.
    by_exact: FxHashMap<String, (Field, usize)>,
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
    roles: FxHashMap<String, Role>,
    not_available: Vec<String>,
    /// Whether some "not available" word starts with this ASCII character.
    not_available_first: [bool; 128],
    /// Language tags, indexed by the number stored in the label map.
    pub language_tags: Vec<String>,
    /// Localized edition spelling (normalized) → canonical edition key, for
    /// Vista (from every language's `vista_editions` and the top-level table).
    pub vista_edition_names: Vec<(String, String)>,
    /// Server 2008 edition spellings (normalized) → canonical key.
    pub server_edition_names: Vec<(String, String)>,
}

/// Normalizes a label or value for comparison: lower case, white space
/// collapsed, no white space around colons, no trailing colon.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    normalize_into(s, &mut out);
    out
}

/// [`normalize`] into `out` (cleared first), so one buffer serves many.
fn normalize_into(s: &str, out: &mut String) {
    out.clear();
    if s.is_ascii() {
        normalize_ascii_into(s.as_bytes(), out);
    } else {
        normalize_chars_into(s, out);
    }
}

/// [`normalize_into`] a character at a time (any text).
fn normalize_chars_into(s: &str, out: &mut String) {
    let mut pending_space = false;
    for c in s.chars() {
        let c = if c == '：' { ':' } else { c };
        if c.is_whitespace() || c == '\u{A0}' || c == '\u{202F}' {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space && c != ':' && !out.ends_with(':') {
            out.push(' ');
        }
        pending_space = false;
        out.extend(c.to_lowercase());
    }
    while out.ends_with(':') {
        out.pop();
    }
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

/// Whether an ASCII byte is white space as `char::is_whitespace` has it.
fn is_ascii_char_whitespace(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r')
}

/// [`normalize_into`] for ASCII text, a byte at a time: the same steps, with
/// ASCII white space and ASCII lower case (which is what `char` white space
/// and lower case are for ASCII characters).
fn normalize_ascii_into(s: &[u8], out: &mut String) {
    let mut bytes = std::mem::take(out).into_bytes();
    normalize_ascii_bytes(s, &mut bytes, usize::MAX);
    // ASCII in, ASCII out: never invalid.
    *out = String::from_utf8(bytes).unwrap_or_default();
}

/// The bytes of [`normalize_ascii_into`] into `out` (cleared first); gives
/// up, returning `false`, once more than `limit` bytes are written before
/// trailing colons are dropped (no label is that long).
fn normalize_ascii_bytes(s: &[u8], out: &mut Vec<u8>, limit: usize) -> bool {
    out.clear();
    let mut pending_space = false;
    let mut last = None;
    for &b in s {
        if is_ascii_char_whitespace(b) {
            pending_space = last.is_some();
            continue;
        }
        if pending_space && b != b':' && last != Some(b':') {
            out.push(b' ');
        }
        pending_space = false;
        let b = b.to_ascii_lowercase();
        out.push(b);
        last = Some(b);
        if out.len() > limit {
            return false;
        }
    }
    while out.last() == Some(&b':') {
        out.pop();
    }
    true
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

impl Labels {
    fn build(file: LabelFile) -> Result<Labels, String> {
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
        let max_label_bytes = max_key_bytes * 2 + 16;
        let mut ascii_in_labels = [false; 128];
        for key in by_label.keys() {
            for b in key.bytes().filter(u8::is_ascii) {
                ascii_in_labels[usize::from(b)] = true;
            }
        }
        let mut rejects = [false; 256];
        for (b, reject) in (0u8..=255).zip(rejects.iter_mut()) {
            *reject = b.is_ascii()
                && b != b':'
                && !is_ascii_char_whitespace(b)
                && !ascii_in_labels[usize::from(b.to_ascii_lowercase())];
        }
        let mut ascii_starts = [0u128; 128];
        for key in by_label.keys() {
            if let [a, b, ..] = key.as_bytes() {
                if a.is_ascii() && b.is_ascii() {
                    ascii_starts[usize::from(*a)] |= 1u128 << b;
                }
            }
        }
        let mut ascii_first = [false; 128];
        for key in by_label.keys() {
            if let Some(c) = key.chars().next().filter(char::is_ascii) {
                ascii_first[usize::from(c as u8)] = true;
            }
        }
        let mut not_available_first = [false; 128];
        for word in &not_available {
            if let Some(c) = word.chars().next().filter(char::is_ascii) {
                not_available_first[usize::from(c as u8)] = true;
            }
        }
        Ok(Labels {
            file,
            not_available_first,
            max_label_bytes,
            max_key_bytes,
            ascii_first,
            rejects,
            ascii_starts,
            by_label,
            by_exact,
            roles,
            not_available,
            language_tags,
            vista_edition_names,
            server_edition_names,
        })
    }

    /// The field and language of a label, if it is a known systeminfo label.
    pub fn lookup(&self, label: &str) -> Option<(Field, &str)> {
        self.lookup_ordered(label, false)
    }

    /// [`Labels::lookup`] for text that is more likely a value than a label
    /// (the cells of a CSV row): the same answer, with the cheap byte test
    /// asked before the exact table.
    pub fn lookup_value(&self, label: &str) -> Option<(Field, &str)> {
        self.lookup_ordered(label, true)
    }

    /// Text with an ASCII byte that no label's normalized form holds (see
    /// `rejects`) is no label.
    fn rejected(&self, label: &str) -> bool {
        label.bytes().any(|b| self.rejects[usize::from(b)])
    }

    /// Whether the text's normalized form starts with two ASCII characters
    /// no label starts with. Read off the first two bytes after leading
    /// ASCII white space, when both are ASCII and neither is white space
    /// nor a colon: normalizing keeps them first, lower-cased. (Otherwise
    /// nothing is said.)
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
        if let Some((f, i)) = self.by_exact.get(trim(label)) {
            return Some((*f, self.language_tags[*i].as_str()));
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
                self.by_label
                    .get(key)
                    .map(|(f, i)| (*f, self.language_tags[*i].as_str()))
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
            return self
                .by_label
                .get(label)
                .map(|(f, i)| (*f, self.language_tags[*i].as_str()));
        }
        KEY.with(|key| {
            let mut key = key.borrow_mut();
            normalize_into(label, &mut key);
            self.by_label
                .get(key.as_str())
                .map(|(f, i)| (*f, self.language_tags[*i].as_str()))
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

/// Parses a label file. Used by tests to validate the embedded table.
pub fn parse_label_file(text: &str) -> Result<Labels, String> {
    let file: LabelFile = toml::from_str(text).map_err(|e| e.to_string())?;
    Labels::build(file)
}

/// The embedded label table.
pub fn labels() -> &'static Labels {
    static LABELS: OnceLock<Labels> = OnceLock::new();
    LABELS.get_or_init(|| {
        // The embedded table is validated by the `embedded_labels_are_valid`
        // test; a broken table is a build defect, not an input error.
        serde_json::from_str::<LabelFile>(LABELS_JSON)
            .map_err(|e| e.to_string())
            .and_then(Labels::build)
            .unwrap_or_else(|e| panic!("embedded labels.toml is invalid: {e}"))
    })
}

/// A label as raw bytes are compared: ASCII white space removed, ASCII
/// letters lower-cased (other bytes differ between code pages and are kept).
/// Written into `out` (cleared first), so one buffer serves every lookup.
fn byte_key_into(bytes: &[u8], out: &mut Vec<u8>) {
    // Every byte is written and white space is then overwritten by the next
    // one (no branch per byte); the key is never longer than `bytes`.
    out.clear();
    out.resize(bytes.len(), 0);
    let mut n = 0;
    for &b in bytes {
        if let Some(slot) = out.get_mut(n) {
            *slot = b.to_ascii_lowercase();
        }
        n += usize::from(!b.is_ascii_whitespace());
    }
    out.truncate(n);
}

/// The votes of one byte key: per language, how many (page, language)
/// pairs know the key; per page (index in [`LEGACY_CODE_PAGES`]), how many
/// languages know it there. Pages are left out when the key votes the same
/// for every page (an ASCII label is the same bytes in all of them): a vote
/// shared equally by all pages cannot change their order.
#[derive(Debug, Default)]
struct KeyVotes {
    languages: Vec<(usize, usize)>,
    pages: Vec<(usize, usize)>,
}

/// Byte key → its votes, for every label encoded in every legacy code page
/// it can be written in, and the longest key worth looking up.
type EncodedIndex = (FxHashMap<Vec<u8>, KeyVotes>, usize);

fn encoded_labels() -> &'static EncodedIndex {
    static INDEX: OnceLock<EncodedIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let labels = labels();
        // Byte key → (index in `LEGACY_CODE_PAGES`, language index) pairs.
        let mut pairs: FxHashMap<Vec<u8>, Vec<(usize, usize)>> = FxHashMap::default();
        let mut longest = 0;
        let mut key = Vec::new();
        for (idx, tag) in labels.language_tags.iter().enumerate() {
            for value in labels.file.languages[tag].fields.values() {
                let LabelValue::List(list) = value else {
                    continue;
                };
                for label in list {
                    for (cp_idx, &cp) in LEGACY_CODE_PAGES.iter().enumerate() {
                        let Some(bytes) = encode_code_page(label, cp) else {
                            continue;
                        };
                        longest = longest.max(bytes.len());
                        byte_key_into(&bytes, &mut key);
                        let entry = pairs.entry(key.clone()).or_default();
                        if !entry.contains(&(cp_idx, idx)) {
                            entry.push((cp_idx, idx));
                        }
                    }
                }
            }
        }
        let index = pairs
            .into_iter()
            .map(|(key, pairs)| {
                let mut votes = KeyVotes::default();
                let mut per_page = [0usize; LEGACY_CODE_PAGES.len()];
                for &(cp_idx, lang) in &pairs {
                    match votes.languages.iter_mut().find(|(l, _)| *l == lang) {
                        Some((_, n)) => *n += 1,
                        None => votes.languages.push((lang, 1)),
                    }
                    if let Some(n) = per_page.get_mut(cp_idx) {
                        *n += 1;
                    }
                }
                if per_page.iter().any(|n| *n != per_page[0]) {
                    votes.pages = per_page
                        .iter()
                        .copied()
                        .enumerate()
                        .filter(|(_, n)| *n != 0)
                        .collect();
                }
                (key, votes)
            })
            .collect();
        (index, longest * 2 + 16)
    })
}

/// Which legacy code page raw bytes are in, judged by the systeminfo labels
/// found in them: the page in which the most line starts are known labels;
/// among equals, the OEM or ANSI page of the labels' language (German labels
/// are the same bytes in cp850 and cp852, but German consoles write cp850),
/// then the earlier page of [`LEGACY_CODE_PAGES`]. `None` when no label is
/// found (the caller then judges by plausibility). Works on bytes, so no
/// candidate decoding is made.
pub fn code_page_hint(bytes: &[u8]) -> Option<u16> {
    let (index, max_len) = encoded_labels();
    let prefix = &bytes[..bytes.len().min(16 * 1024)];
    // Every hit votes for each (page, language) its key is known in. Votes
    // shared by every page are not counted per page (see [`KeyVotes`]).
    let mut lang_counts = vec![0usize; labels().language_tags.len()];
    let mut cp_counts = [0usize; LEGACY_CODE_PAGES.len()];
    let mut any_vote = false;
    let mut key = Vec::with_capacity(*max_len);
    let mut record = |candidate: &[u8]| -> bool {
        byte_key_into(candidate, &mut key);
        match index.get(key.as_slice()) {
            Some(votes) => {
                any_vote = true;
                for &(lang, n) in &votes.languages {
                    if let Some(count) = lang_counts.get_mut(lang) {
                        *count += n;
                    }
                }
                for &(cp_idx, n) in &votes.pages {
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
    let language = &labels().file.languages[&labels().language_tags[majority]];
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
    use super::*;

    #[test]
    fn the_build_time_json_is_the_toml() {
        let json: LabelFile = serde_json::from_str(LABELS_JSON).unwrap();
        let toml: LabelFile = toml::from_str(LABELS_TOML).unwrap();
        assert!(json.languages.len() >= 22);
        assert!(json == toml, "build.rs changed the label table");
    }

    #[test]
    fn embedded_labels_are_valid() {
        let labels = parse_label_file(LABELS_TOML).unwrap();
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
        let reference = |s: &str| {
            if s.len() > labels.max_label_bytes {
                return None;
            }
            labels
                .by_exact
                .get(s.trim())
                .or_else(|| labels.by_label.get(&normalize(s)))
                .map(|(f, i)| (*f, labels.language_tags[*i].as_str()))
        };
        let mut texts: Vec<String> = Vec::new();
        for lang in labels.file.languages.values() {
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
        ] {
            let n = normalize(v);
            let expected = n.is_empty() || labels.not_available.binary_search(&n).is_ok();
            assert_eq!(labels.is_not_available(v), expected, "{v:?}");
        }
    }
}
