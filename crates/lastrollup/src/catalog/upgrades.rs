//! In-place upgrade paths (`catalog/upgrades.toml`).
//!
//! `build.rs` includes this module to encode the catalog (see
//! [`super::files`]): it may use nothing of the crate but `Arch`, `Month`
//! and `Severity`, and no serde attribute that postcard cannot carry.

use serde::{Deserialize, Serialize};

use crate::host::Arch;

/// An in-place upgrade that exists.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Path {
    /// Family upgraded from.
    pub from_family: String,
    /// Editions upgraded from.
    pub from_editions: Vec<String>,
    /// Architectures upgraded from.
    pub from_arch: Vec<Arch>,
    /// `full` or `server-core` when the path needs one.
    pub installation: Option<String>,
    /// Target, for people.
    pub to: String,
    /// Target family.
    pub to_family: String,
    /// Target editions.
    pub to_editions: Vec<String>,
    /// Remarks.
    pub notes: Option<String>,
    /// Where it comes from.
    pub sources: Vec<String>,
    /// Whether it rests on no found source.
    #[serde(default)]
    pub unverified: bool,
}

/// A combination with no in-place upgrade.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NoPath {
    /// Family.
    pub from_family: String,
    /// Architectures.
    pub from_arch: Vec<Arch>,
    /// Editions, when only some.
    pub from_editions: Option<Vec<String>>,
    /// Why, and what to do instead.
    pub reason: String,
    /// Where it comes from.
    pub sources: Vec<String>,
    /// Whether it rests on no found source.
    #[serde(default)]
    pub unverified: bool,
}

/// The whole of `upgrades.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct UpgradesFile {
    /// Paths that exist.
    #[serde(default)]
    pub path: Vec<Path>,
    /// Combinations without one.
    #[serde(default)]
    pub no_path: Vec<NoPath>,
}
