//! MSRC's severity rating. Kept free of crate-internal dependencies:
//! `build.rs` includes this file to encode the catalog (`kev.toml`).

use serde::{Deserialize, Serialize};

/// MSRC's severity rating of a CVE for a product.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// No rating in the feed (empty, or the literal `None`).
    #[default]
    Unrated,
    /// Low.
    Low,
    /// Moderate.
    Moderate,
    /// Important.
    Important,
    /// Critical.
    Critical,
}

impl Severity {
    /// Reads a feed's severity text, in any case; unknown text is
    /// [`Severity::Unrated`].
    pub fn parse(s: &str) -> Severity {
        match s.trim().to_ascii_lowercase().as_str() {
            "critical" => Severity::Critical,
            "important" | "high" => Severity::Important,
            "moderate" | "medium" => Severity::Moderate,
            "low" => Severity::Low,
            _ => Severity::Unrated,
        }
    }

    /// The lower-case name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Unrated => "unrated",
            Severity::Low => "low",
            Severity::Moderate => "moderate",
            Severity::Important => "important",
            Severity::Critical => "critical",
        }
    }
}
