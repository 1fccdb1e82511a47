//! The legacy code pages captures come in, and encoding text into them.
//!
//! Kept apart from [`super::text`] so that `build.rs` can include it (with
//! `#[path]`) and compute the systeminfo labels' code-page index
//! ([`label_index`]) at build time with the same code the library uses (see
//! `systeminfo::labels::code_page_hint`).

use std::collections::BTreeMap;

use encoding_rs::{
    Encoding, BIG5, EUC_KR, GBK, IBM866, SHIFT_JIS, WINDOWS_1250, WINDOWS_1251, WINDOWS_1252,
};

/// The legacy code pages tried, in order of preference when scores tie.
///
/// OEM code pages come first for the languages whose consoles use them, since
/// `systeminfo > file` in cmd writes the OEM code page, not the ANSI one.
pub const LEGACY_CODE_PAGES: &[u16] = &[
    437, 850, 1252, 852, 857, 866, 1250, 1251, 932, 936, 949, 950,
];

/// Encodes `text` in code page `cp`; `None` when a character has no byte
/// there (or the page is not one of [`LEGACY_CODE_PAGES`]).
pub fn encode_code_page(text: &str, cp: u16) -> Option<Vec<u8>> {
    if let Some(enc) = encoding_rs_for(cp) {
        let (bytes, _, had_errors) = enc.encode(text);
        return (!had_errors).then(|| bytes.into_owned());
    }
    let table = match cp {
        437 => &oem_cp::code_table::ENCODING_TABLE_CP437,
        850 => &oem_cp::code_table::ENCODING_TABLE_CP850,
        852 => &oem_cp::code_table::ENCODING_TABLE_CP852,
        857 => &oem_cp::code_table::ENCODING_TABLE_CP857,
        _ => return None,
    };
    oem_cp::encode_string_checked(text, table)
}

/// The encoding_rs encoding of code page `cp`, where it has one.
pub(crate) fn encoding_rs_for(cp: u16) -> Option<&'static Encoding> {
    Some(match cp {
        866 => IBM866,
        932 => SHIFT_JIS,
        936 => GBK,
        949 => EUC_KR,
        950 => BIG5,
        1250 => WINDOWS_1250,
        1251 => WINDOWS_1251,
        1252 => WINDOWS_1252,
        _ => return None,
    })
}

/// A label as raw bytes are compared: ASCII white space removed, ASCII
/// letters lower-cased (other bytes differ between code pages and are kept).
/// Written into `out` (cleared first), so one buffer serves every lookup.
pub fn byte_key_into(bytes: &[u8], out: &mut Vec<u8>) {
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

/// The votes of a byte key (see [`label_index`]): per language index, how
/// many (page, language) pairs know it; per page (index in
/// [`LEGACY_CODE_PAGES`]), how many languages know it there, empty when
/// every page has the same count (an ASCII label is the same bytes in all of
/// them, and a vote shared equally by all pages cannot change their order).
pub type Votes = (Vec<(usize, usize)>, Vec<(usize, usize)>);

/// The labels' code-page index: every text of every language
/// (`languages[i]` are language `i`'s texts) encoded in every legacy code
/// page it can be written in, as byte keys ([`byte_key_into`]) with their
/// [`Votes`], sorted by key; and the longest key worth looking up.
pub fn label_index<'a>(
    languages: impl IntoIterator<Item = &'a [&'a str]>,
) -> (BTreeMap<Vec<u8>, Votes>, usize) {
    // Byte key → (index in `LEGACY_CODE_PAGES`, language index) pairs.
    let mut pairs: BTreeMap<Vec<u8>, Vec<(usize, usize)>> = BTreeMap::new();
    let mut longest = 0;
    let mut key = Vec::new();
    for (idx, texts) in languages.into_iter().enumerate() {
        for label in texts {
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
    let index = pairs
        .into_iter()
        .map(|(key, pairs)| {
            let mut languages: Vec<(usize, usize)> = Vec::new();
            let mut per_page = [0usize; LEGACY_CODE_PAGES.len()];
            for &(cp_idx, lang) in &pairs {
                match languages.iter_mut().find(|(l, _)| *l == lang) {
                    Some((_, n)) => *n += 1,
                    None => languages.push((lang, 1)),
                }
                per_page[cp_idx] += 1;
            }
            let pages = if per_page.iter().any(|n| *n != per_page[0]) {
                per_page
                    .iter()
                    .copied()
                    .enumerate()
                    .filter(|(_, n)| *n != 0)
                    .collect()
            } else {
                Vec::new()
            };
            (key, (languages, pages))
        })
        .collect();
    (index, longest * 2 + 16)
}
