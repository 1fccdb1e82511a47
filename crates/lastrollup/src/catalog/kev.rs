//! Known-exploited CVEs of NT 6.0 (`catalog/kev.toml`): the small table
//! `check` uses when no advisory database has been imported.
//!
//! `build.rs` includes this module to encode the catalog (see
//! [`super::files`]): it may use nothing of the crate but `Arch`, `Month`
//! and `Severity`, and no serde attribute that postcard cannot carry.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::month::Month;

/// One known-exploited CVE that MSRC names for an NT 6.0 SP2 product.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct KnownExploited {
    /// `CVE-2017-0144`.
    pub id: String,
    /// CISA's name for it.
    pub name: String,
    /// Family slugs (`windows-server-2008`, `windows-vista`) it is named for.
    pub families: Vec<String>,
    /// Set when MSRC names it only for a component (`Internet Explorer 9`).
    pub component: Option<String>,
    /// Every KB MSRC names as its fix on SP2 products.
    pub fixed_by: Vec<u32>,
    /// The highest MSRC severity on the SP2 rows.
    pub severity: crate::advisory::Severity,
    /// The fixing month (see the file header for how it is derived).
    pub month: Option<Month>,
    /// When CISA added it to KEV.
    #[serde(with = "super::date")]
    pub kev_added: Date,
    /// Known use in ransomware campaigns.
    pub ransomware: bool,
}

/// The whole of `kev.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct KevFile {
    /// The entries.
    #[serde(default)]
    pub cve: Vec<KnownExploited>,
}
