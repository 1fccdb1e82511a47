//! The localized labels of `systeminfo`, loaded from `labels.toml`.
//!
//! systeminfo prints its labels in the UI language of the machine. The table
//! in `labels.toml` (reviewed data, one section per language) maps each label
//! to a canonical [`Field`]; it also lists the localized role values of
//! `OS Configuration`, the "not available" words, and edition names. Labels
//! are compared after [`normalize`], so spacing and case do not matter.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

use super::fields::Field;
use crate::host::Role;

const LABELS_TOML: &str = include_str!("labels.toml");

/// One language's section of `labels.toml`.
#[derive(Debug, Deserialize)]
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
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum LabelValue {
    /// Label variants.
    List(Vec<String>),
    /// A nested table of canonical key → localized spellings.
    Table(HashMap<String, Vec<String>>),
}

/// The whole of `labels.toml`.
#[derive(Debug, Deserialize)]
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
    by_label: HashMap<String, (Field, usize)>,
    roles: HashMap<String, Role>,
    not_available: Vec<String>,
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
    out
}

impl Labels {
    fn build(file: LabelFile) -> Result<Labels, String> {
        let mut by_label = HashMap::new();
        let mut roles = HashMap::new();
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
        Ok(Labels {
            file,
            by_label,
            roles,
            not_available,
            language_tags,
            vista_edition_names,
            server_edition_names,
        })
    }

    /// The field and language of a label, if it is a known systeminfo label.
    pub fn lookup(&self, label: &str) -> Option<(Field, &str)> {
        self.by_label
            .get(&normalize(label))
            .map(|(f, i)| (*f, self.language_tags[*i].as_str()))
    }

    /// The role an `OS Configuration` value names, in any known language.
    pub fn role(&self, value: &str) -> Option<Role> {
        self.roles.get(&normalize(value)).copied()
    }

    /// Whether a value is a localized "not available" (`N/A`, `Н/Д`, `暂缺` …).
    pub fn is_not_available(&self, value: &str) -> bool {
        let n = normalize(value);
        n.is_empty() || self.not_available.binary_search(&n).is_ok()
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
        parse_label_file(LABELS_TOML)
            .unwrap_or_else(|e| panic!("embedded labels.toml is invalid: {e}"))
    })
}

/// Scores a candidate decoding (`text` as decoded from code page `cp`) by
/// how many lines start with a known systeminfo label, ten points each, plus
/// five when `cp` is the OEM or ANSI code page of the language most of those
/// labels belong to (German labels read the same in cp850 and cp852, but
/// German consoles write cp850). Used to pick the code page of a legacy
/// capture.
pub fn score_text(text: &str, cp: u16) -> i64 {
    let labels = labels();
    let mut score = 0;
    let mut langs: Vec<&str> = Vec::new();
    for line in text.lines().take(400) {
        if line.starts_with(char::is_whitespace) {
            continue;
        }
        for (i, c) in line.char_indices() {
            if c == ':' || c == '：' {
                if let Some((_, lang)) = labels.lookup(&line[..i]) {
                    score += 10;
                    langs.push(lang);
                    break;
                }
            }
        }
        // A CSV or table header carries many labels on one line.
        if line.starts_with('"') {
            for cell in line.split("\",\"") {
                if let Some((_, lang)) = labels.lookup(cell.trim_matches('"')) {
                    score += 10;
                    langs.push(lang);
                }
            }
        }
    }
    let majority = super::majority_language(&langs);
    if let Some(lang) = majority.and_then(|l| labels.file.languages.get(&l)) {
        if lang.oem_codepage == cp || lang.ansi_codepage == cp {
            score += 5;
        }
    }
    score
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
