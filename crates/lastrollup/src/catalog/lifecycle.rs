//! Lifecycle (`catalog/lifecycle.toml`): milestones and support phases of
//! each family.
//!
//! `build.rs` includes this module to encode the catalog (see
//! [`super::files`]): it may use nothing of the crate but `Arch`, `Month`
//! and `Severity`, and no serde attribute that postcard cannot carry.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// A dated milestone.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Milestone {
    /// Family slug.
    pub family: String,
    /// Stable id (`extended-end`).
    pub id: String,
    /// The day.
    #[serde(with = "super::date")]
    pub date: Date,
    /// For people.
    pub title: String,
    /// Where the date comes from.
    pub sources: Vec<String>,
    /// Remarks, disagreements.
    pub notes: Option<String>,
}

/// A support phase: a span of days in which updates come under one
/// entitlement.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Phase {
    /// Family slug.
    pub family: String,
    /// Stable id (`extended`, `esu-1`, …).
    pub id: String,
    /// For people.
    pub name: String,
    /// First day.
    #[serde(with = "super::date")]
    pub first: Date,
    /// Last day, included.
    #[serde(with = "super::date")]
    pub last: Date,
    /// What a machine needs to receive updates in this phase.
    pub entitlement: String,
    /// Remarks.
    pub notes: Option<String>,
}

/// The whole of `lifecycle.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LifecycleFile {
    /// Milestones.
    pub milestone: Vec<Milestone>,
    /// Phases.
    pub phase: Vec<Phase>,
}
