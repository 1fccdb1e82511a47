//! Update-install error codes (`catalog/errors.toml`): what they mean on
//! NT 6.0 and what to do.
//!
//! `build.rs` includes this module to encode the catalog (see
//! [`super::files`]): it may use nothing of the crate but `Arch`, `Month`
//! and `Severity`, and no serde attribute that postcard cannot carry.

use serde::{Deserialize, Serialize};

/// One error code or symptom.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorCode {
    /// `0x80092004`, or a kebab id for a symptom without a code.
    pub code: String,
    /// Other spellings: decimal, signed decimal.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Symbolic name.
    pub name: String,
    /// The `lastrollup diagnose` cause id a failure with this code points
    /// to when the logs say nothing more specific (docs/diagnose.md).
    #[serde(default)]
    pub diagnose: Option<String>,
    /// What it means.
    pub meaning: String,
    /// Likely cause on NT 6.0.
    pub cause: String,
    /// What to do.
    pub fix: String,
    /// Where it comes from.
    pub sources: Vec<String>,
    /// Remarks.
    pub notes: Option<String>,
}

impl ErrorCode {
    /// Whether `query` names this code: hex in any case with or without
    /// `0x`, decimal (signed or unsigned), or the symbolic name.
    pub fn matches(&self, query: &str) -> bool {
        let q = query.trim();
        if q.eq_ignore_ascii_case(&self.code) || q.eq_ignore_ascii_case(&self.name) {
            return true;
        }
        if self.aliases.iter().any(|a| a.eq_ignore_ascii_case(q)) {
            return true;
        }
        match (parse_code(q), parse_code(&self.code)) {
            (Some(a), Some(b)) => a == b,
            _ => false,
        }
    }
}

/// Reads `0x80092004`, `80092004`, `2148081668` or `-2146885628` as a 32-bit code.
pub fn parse_code(text: &str) -> Option<u32> {
    let t = text.trim();
    if let Some(hex) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        return u32::from_str_radix(hex, 16).ok();
    }
    if let Some(neg) = t.strip_prefix('-') {
        return neg
            .parse::<u32>()
            .ok()
            .and_then(|n| (n <= 1 << 31).then(|| (-(i64::from(n))) as i32 as u32));
    }
    // Eight hex digits without `0x` (`80092004`, `c004f050`): a decimal
    // HRESULT has ten digits, so eight digits are read as hex.
    if t.len() == 8 && t.bytes().all(|b| b.is_ascii_hexdigit()) {
        return u32::from_str_radix(t, 16).ok();
    }
    t.parse::<u32>().ok()
}

/// The whole of `errors.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorsFile {
    /// The codes.
    pub error: Vec<ErrorCode>,
}
