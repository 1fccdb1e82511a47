//! The legacy code pages captures come in, and encoding text into them.
//!
//! Kept apart from [`super::text`] so that `build.rs` can include it (with
//! `#[path]`) and encode the systeminfo labels at build time with the same
//! code the library uses (see `systeminfo::labels::code_page_hint`).

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
