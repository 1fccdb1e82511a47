//! Prepares the reviewed TOML for cheap loading at run time.
//!
//! The catalog (`catalog/*.toml` except `windows.toml`) is deserialized here
//! into the library's own model types, which this script includes with
//! `#[path]` (see `src/catalog/files.rs`), and written in postcard form to
//! `OUT_DIR/catalog/catalog.postcard`; `Catalog::embedded` decodes that
//! instead of parsing text. The TOML files stay the only source. The
//! catalog's cross-checks (`src/catalog/validate.rs`) run here, so a catalog
//! that fails them does not build, and not again at run time; the encoding
//! is decoded again here and must equal what was read, and the unit tests
//! compare the embedded form with the TOML parse.
//!
//! `windows.toml` is translated to compact JSON
//! (`OUT_DIR/catalog/windows.json`): a mechanical, field-for-field
//! translation (tables become objects, arrays stay in order, a TOML datetime
//! becomes its RFC 3339 string) that serde_json reads in about an eighth of
//! the instructions the `toml` crate needs.
//!
//! The systeminfo label table (`src/evidence/systeminfo/labels.toml`) is
//! compiled into `OUT_DIR/catalog/labels_table.rs`: Rust source for the
//! finished lookup tables (labels normalized, laid out in hash slots, the
//! byte filters computed), which `labels.rs` includes as a `static`. Every
//! run that reads a systeminfo capture uses them, and a static costs nothing
//! to load. The normalization and the slot hash are `label_key.rs` of the
//! library, included here, so build and run time share one implementation;
//! the unit tests in `labels.rs` compare the static tables with tables built
//! at run time from the TOML.
//!
//! The code-page index of the same labels (every label encoded in every
//! legacy code page, as the byte keys `code_page_hint` looks up) goes to
//! `OUT_DIR/catalog/encoded_labels.rs`, encoded with the library's own
//! `src/evidence/code_pages.rs` (also included): built at run time, it cost
//! 34 M instructions on the first non-Unicode capture of every process.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::Path;

// The library uses more of it than the build does.
#[allow(dead_code)]
#[path = "src/evidence/systeminfo/label_key.rs"]
mod label_key;

use label_key::{first_slot, is_ascii_char_whitespace, next_slot, normalize};

// The legacy code pages, their encoders and the labels' code-page index,
// shared with the library, which uses more of it than the build does.
#[allow(dead_code)]
#[path = "src/evidence/code_pages.rs"]
mod code_pages;

// The catalog model, shared with the library. Each module names its
// crate-internal dependencies as `crate::host::Arch`,
// `crate::advisory::Severity` and `crate::month::Month`, which these paths
// provide. Not everything in them is used here.
#[allow(dead_code)]
#[path = "src/advisory/severity.rs"]
mod advisory;
#[allow(dead_code)]
#[path = "src/host/arch.rs"]
mod host;
#[allow(dead_code)]
#[path = "src/month.rs"]
mod month;
#[allow(dead_code)]
#[path = "src/catalog"]
mod catalog {
    pub mod date;
    pub mod errors;
    pub mod files;
    pub mod kev;
    pub mod lifecycle;
    pub mod payloads;
    pub mod products;
    pub mod updates;
    pub mod upgrades;
    pub mod validate;
}

/// The files the catalog encoding depends on, besides `catalog/*.toml`.
const MODEL: [&str; 13] = [
    "src/host/arch.rs",
    "src/advisory/severity.rs",
    "src/month.rs",
    "src/catalog/date.rs",
    "src/catalog/errors.rs",
    "src/catalog/files.rs",
    "src/catalog/kev.rs",
    "src/catalog/lifecycle.rs",
    "src/catalog/payloads.rs",
    "src/catalog/products.rs",
    "src/catalog/updates.rs",
    "src/catalog/upgrades.rs",
    "src/catalog/validate.rs",
];

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("catalog");
    std::fs::create_dir_all(&out).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
    encode_catalog(&out.join("catalog.postcard"));
    let sources = [("catalog/windows.toml".to_string(), out.join("windows.json"))];
    for (src, dst) in sources {
        println!("cargo:rerun-if-changed={src}");
        let text = std::fs::read_to_string(&src).unwrap_or_else(|e| panic!("{src}: {e}"));
        let table: toml::Table = toml::from_str(&text).unwrap_or_else(|e| panic!("{src}: {e}"));
        let json = serde_json::to_string(&to_json(toml::Value::Table(table), &src))
            .unwrap_or_else(|e| panic!("{src}: {e}"));
        std::fs::write(&dst, json).unwrap_or_else(|e| panic!("{}: {e}", dst.display()));
    }
    let src = "src/evidence/systeminfo/labels.toml";
    println!("cargo:rerun-if-changed={src}");
    println!("cargo:rerun-if-changed=src/evidence/systeminfo/label_key.rs");
    println!("cargo:rerun-if-changed=src/evidence/code_pages.rs");
    let text = std::fs::read_to_string(src).unwrap_or_else(|e| panic!("{src}: {e}"));
    let (table, encoded) = label_table(&text);
    for (name, code) in [("labels_table.rs", table), ("encoded_labels.rs", encoded)] {
        let dst = out.join(name);
        std::fs::write(&dst, code).unwrap_or_else(|e| panic!("{}: {e}", dst.display()));
    }
}

/// Rust source for `ENCODED_LABELS` and `ENCODED_MAX_LEN` (see
/// `code_page_hint` in `labels.rs`): [`code_pages::label_index`] of every
/// language's texts (`texts`, in language order).
fn encoded_labels(texts: &[Vec<&str>]) -> String {
    let (index, max_len) = code_pages::label_index(texts.iter().map(Vec::as_slice));
    let mut out = String::from("static ENCODED_LABELS: &[KeyVotes] = &[\n");
    for (key, (languages, pages)) in &index {
        writeln!(
            out,
            "    KeyVotes {{ key: &{key:?}, languages: &{languages:?}, pages: &{pages:?} }},"
        )
        .unwrap_or_default();
    }
    out.push_str("];\n");
    writeln!(
        out,
        "static ENCODED_SLOTS: &[u16] = &{:?};",
        hash_slots(index.keys().map(Vec::as_slice))
    )
    .unwrap_or_default();
    writeln!(out, "const ENCODED_MAX_LEN: usize = {max_len};").unwrap_or_default();
    out
}

/// An open-addressing table over `keys` (in their order): slots found by
/// `label_key::first_slot`, probed with `next_slot`, at most half full,
/// each 0 (empty) or the 1-based index of a key.
fn hash_slots<'a>(keys: impl ExactSizeIterator<Item = &'a [u8]>) -> Vec<u16> {
    assert!(keys.len() < usize::from(u16::MAX), "too many keys");
    let len = (keys.len() * 2).next_power_of_two().max(2);
    let mut slots = vec![0u16; len];
    for (i, key) in keys.enumerate() {
        let mut free = first_slot(key, len);
        // At most half the slots are taken: a free one comes.
        while slots[free] != 0 {
            free = next_slot(free, len);
        }
        // 1-based: 0 is an empty slot.
        slots[free] = u16::try_from(i + 1).unwrap_or(u16::MAX);
    }
    slots
}

/// Reads the catalog TOML into the model types, cross-checks them and writes
/// their postcard encoding to `dst`, after checking that it decodes to the
/// same value.
fn encode_catalog(dst: &Path) {
    for f in MODEL {
        println!("cargo:rerun-if-changed={f}");
    }
    let names = [
        "products",
        "updates",
        "lifecycle",
        "upgrades",
        "errors",
        "kev",
        "payloads",
    ];
    let texts = names.map(|name| {
        let src = format!("catalog/{name}.toml");
        println!("cargo:rerun-if-changed={src}");
        std::fs::read_to_string(&src).unwrap_or_else(|e| panic!("{src}: {e}"))
    });
    let [products, updates, lifecycle, upgrades, errors, kev, payloads] =
        texts.each_ref().map(String::as_str);
    let files = catalog::files::CatalogFiles::from_toml(catalog::files::CatalogSources {
        products,
        updates,
        lifecycle,
        upgrades,
        errors,
        kev,
        payloads,
    })
    .unwrap_or_else(|e| panic!("{e}"));
    // The cross-checks run here, once, rather than on every load.
    files.validate().unwrap_or_else(|e| panic!("{e}"));
    let bytes = files.encode().unwrap_or_else(|e| panic!("{e}"));
    // Catches a model attribute that postcard cannot carry (see files.rs).
    let back = catalog::files::CatalogFiles::decode(&bytes).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        back == files,
        "the postcard encoding of the catalog does not round-trip"
    );
    std::fs::write(dst, bytes).unwrap_or_else(|e| panic!("{}: {e}", dst.display()));
}

/// The JSON form of a TOML value.
fn to_json(v: toml::Value, src: &str) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        toml::Value::String(s) => J::String(s),
        toml::Value::Integer(i) => J::from(i),
        toml::Value::Float(f) => J::Number(
            serde_json::Number::from_f64(f)
                .unwrap_or_else(|| panic!("{src}: {f} has no JSON form")),
        ),
        toml::Value::Boolean(b) => J::Bool(b),
        toml::Value::Datetime(d) => J::String(d.to_string()),
        toml::Value::Array(a) => J::Array(a.into_iter().map(|x| to_json(x, src)).collect()),
        toml::Value::Table(t) => {
            J::Object(t.into_iter().map(|(k, x)| (k, to_json(x, src))).collect())
        }
    }
}

/// A string list of a TOML value, or a build failure naming `what`.
fn strings<'a>(v: &'a toml::Value, what: &str) -> Vec<&'a str> {
    v.as_array()
        .unwrap_or_else(|| panic!("labels.toml: {what} must be a list of strings"))
        .iter()
        .map(|s| {
            s.as_str()
                .unwrap_or_else(|| panic!("labels.toml: {what} must be a list of strings"))
        })
        .collect()
}

/// A table of TOML, or a build failure naming `what`.
fn table<'a>(v: &'a toml::Value, what: &str) -> &'a toml::Table {
    v.as_table()
        .unwrap_or_else(|| panic!("labels.toml: {what} must be a table"))
}

/// A code page number of a language section.
fn code_page(lang: &toml::Table, tag: &str, key: &str) -> u16 {
    lang.get(key)
        .and_then(toml::Value::as_integer)
        .and_then(|n| u16::try_from(n).ok())
        .unwrap_or_else(|| panic!("labels.toml: {tag}: `{key}` must be a code page number"))
}

/// The label table as Rust source: one `static LABELS: Labels` (see
/// `labels.rs` for the meaning of each field). Built by the same rules as
/// `LabelIndex::build` in `labels.rs`, which the unit tests there compare it
/// with: languages in tag order, English first, the first language (and
/// field) of a label keeping it; edition spellings longest first.
fn label_table(text: &str) -> (String, String) {
    let file: toml::Table = toml::from_str(text).unwrap_or_else(|e| panic!("labels.toml: {e}"));
    let languages = table(
        file.get("languages")
            .unwrap_or_else(|| panic!("labels.toml: no [languages]")),
        "languages",
    );
    let mut tags: Vec<&String> = languages.keys().collect();
    tags.sort();
    tags.sort_by_key(|t| *t != "en");
    assert!(tags.len() < 256, "labels.toml: too many languages");
    // Normalized label → (field key, language index); exact label → same.
    let mut by_label: BTreeMap<String, (&str, usize)> = BTreeMap::new();
    let mut by_exact: BTreeMap<&str, (&str, usize)> = BTreeMap::new();
    // Normalized role value → role key.
    let mut roles: BTreeMap<String, &str> = BTreeMap::new();
    let mut not_available = Vec::new();
    let mut vista = Vec::new();
    let mut rows = String::new();
    // Each language's texts, in the order of `LanguageLabels::texts`.
    let mut all_texts: Vec<Vec<&str>> = Vec::new();
    for (idx, tag) in tags.iter().enumerate() {
        let lang = table(&languages[*tag], tag);
        let (oem, ansi) = (
            code_page(lang, tag, "oem_codepage"),
            code_page(lang, tag, "ansi_codepage"),
        );
        // Every text of the section's lists, for the code-page index.
        let mut texts = Vec::new();
        // A label that means two fields in one language is ambiguous.
        let mut fields_of: HashMap<String, &str> = HashMap::new();
        for (key, value) in lang {
            match key.as_str() {
                "name" | "oem_codepage" | "ansi_codepage" => {}
                "not_available" => {
                    let words = strings(value, "not_available");
                    not_available.extend(words.iter().map(|w| normalize(w)));
                    texts.extend(words);
                }
                "roles" => {
                    for (role, spellings) in table(value, "roles") {
                        for s in strings(spellings, role) {
                            let prev = roles.insert(normalize(s), role);
                            if prev.is_some_and(|p| p != role) {
                                panic!(
                                    "labels.toml: role `{s}` is both `{}` and `{role}`",
                                    prev.unwrap_or_default()
                                );
                            }
                        }
                    }
                }
                "vista_editions" => {
                    for (edition, spellings) in table(value, "vista_editions") {
                        for s in strings(spellings, edition) {
                            vista.push((normalize(s), edition.as_str()));
                        }
                    }
                }
                field => {
                    let labels = strings(value, field);
                    for l in &labels {
                        let key = normalize(l);
                        if let Some(other) = fields_of.insert(key.clone(), field) {
                            assert!(
                                other == field,
                                "labels.toml: {tag}: `{l}` is both `{other}` and `{field}`"
                            );
                        }
                        by_label.entry(key).or_insert((field, idx));
                        by_exact.entry(l.trim()).or_insert((field, idx));
                    }
                    texts.extend(labels);
                }
            }
        }
        writeln!(
            rows,
            "        LanguageLabels {{ tag: {tag:?}, oem_codepage: {oem}, ansi_codepage: {ansi}, texts: &{texts:?} }},"
        )
        .unwrap_or_default();
        all_texts.push(texts);
    }
    if let Some(editions) = file.get("vista_editions") {
        for (edition, spellings) in table(editions, "vista_editions") {
            for s in strings(spellings, edition) {
                vista.push((normalize(s), edition.as_str()));
            }
        }
    }
    let mut server = Vec::new();
    if let Some(editions) = file.get("server_2008_editions") {
        for (edition, spellings) in table(editions, "server_2008_editions") {
            for s in strings(spellings, edition) {
                server.push((normalize(s), edition.as_str()));
            }
        }
    }
    // Longest spelling first, so "Enterprise without Hyper-V" wins over "Enterprise".
    server.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.cmp(b)));
    vista.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.cmp(b)));
    not_available.sort();
    not_available.dedup();

    // The byte filters (see the fields of `Labels`).
    let max_key_bytes = by_label.keys().map(String::len).max().unwrap_or(0);
    let mut ascii_in_labels = [false; 128];
    let mut ascii_first = [false; 128];
    let mut ascii_starts = [0u128; 128];
    for key in by_label.keys() {
        for b in key.bytes().filter(u8::is_ascii) {
            ascii_in_labels[usize::from(b)] = true;
        }
        if let Some(&a) = key.as_bytes().first().filter(|a| a.is_ascii()) {
            ascii_first[usize::from(a)] = true;
        }
        if let [a, b, ..] = key.as_bytes() {
            if a.is_ascii() && b.is_ascii() {
                ascii_starts[usize::from(*a)] |= 1u128 << b;
            }
        }
    }
    let rejects: Vec<bool> = (0u8..=255)
        .map(|b| {
            b.is_ascii()
                && b != b':'
                && !is_ascii_char_whitespace(b)
                && !ascii_in_labels[usize::from(b.to_ascii_lowercase())]
        })
        .collect();
    let mut not_available_first = [false; 128];
    let mut not_available_starts = [0u128; 128];
    for word in &not_available {
        if let Some(&a) = word.as_bytes().first().filter(|a| a.is_ascii()) {
            not_available_first[usize::from(a)] = true;
        }
        if let [a, b, ..] = word.as_bytes() {
            if a.is_ascii() && b.is_ascii() {
                not_available_starts[usize::from(*a)] |= 1u128 << b;
            }
        }
    }

    let mut out = String::from("// Made by build.rs from labels.toml: edit that, not this.\n\n");
    out.push_str("/// The compiled label table.\nstatic LABELS: Labels = Labels {\n");
    let field_entries: Vec<String> = by_label
        .iter()
        .map(|(k, (f, i))| format!("({k:?}, (field({f:?}), {i}))"))
        .collect();
    let keys: Vec<&str> = by_label.keys().map(String::as_str).collect();
    writeln!(out, "    by_label: {},", static_map(&keys, &field_entries)).unwrap_or_default();
    let exact_entries: Vec<String> = by_exact
        .iter()
        .map(|(k, (f, i))| format!("({k:?}, (field({f:?}), {i}))"))
        .collect();
    let keys: Vec<&str> = by_exact.keys().copied().collect();
    writeln!(out, "    by_exact: {},", static_map(&keys, &exact_entries)).unwrap_or_default();
    let role_entries: Vec<String> = roles
        .iter()
        .map(|(k, r)| format!("({k:?}, role({r:?}))"))
        .collect();
    let keys: Vec<&str> = roles.keys().map(String::as_str).collect();
    writeln!(out, "    roles: {},", static_map(&keys, &role_entries)).unwrap_or_default();
    writeln!(out, "    max_label_bytes: {},", max_key_bytes * 2 + 16).unwrap_or_default();
    writeln!(out, "    max_key_bytes: {max_key_bytes},").unwrap_or_default();
    writeln!(out, "    ascii_first: {ascii_first:?},").unwrap_or_default();
    writeln!(out, "    rejects: {rejects:?},").unwrap_or_default();
    writeln!(out, "    ascii_starts: {ascii_starts:?},").unwrap_or_default();
    writeln!(out, "    not_available: &{not_available:?},").unwrap_or_default();
    writeln!(out, "    not_available_first: {not_available_first:?},").unwrap_or_default();
    writeln!(out, "    not_available_starts: {not_available_starts:?},").unwrap_or_default();
    writeln!(out, "    language_tags: &{tags:?},").unwrap_or_default();
    writeln!(out, "    languages: &[\n{rows}    ],").unwrap_or_default();
    writeln!(out, "    vista_edition_names: &{vista:?},").unwrap_or_default();
    writeln!(out, "    server_edition_names: &{server:?},").unwrap_or_default();
    out.push_str("};\n");
    (out, encoded_labels(&all_texts))
}

/// A `StaticMap` literal: `entries` (Rust source, one per key, in the order
/// of `keys`) and the slots that find them, laid out by linear probing
/// (`label_key::first_slot`, `next_slot`) in a table at most half full.
fn static_map(keys: &[&str], entries: &[String]) -> String {
    let slots = hash_slots(keys.iter().map(|k| k.as_bytes()));
    format!(
        "StaticMap {{ slots: &{slots:?}, entries: &[{}] }}",
        entries.join(", ")
    )
}
