//! Where a family stands in its lifecycle on a given day.

use jiff::civil::Date;
use serde::Serialize;

use crate::catalog::Catalog;

/// A phase, for reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PhaseView {
    /// Stable id (`esu-1`).
    pub id: String,
    /// Name.
    pub name: String,
    /// First day.
    pub first: Date,
    /// Last day.
    pub last: Date,
    /// What a machine needs to receive updates in it.
    pub entitlement: String,
}

/// A milestone, for reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MilestoneView {
    /// Stable id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Day.
    pub date: Date,
    /// Whether it is on or before the as-of day.
    pub passed: bool,
}

/// The lifecycle of a family as of a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LifecycleStatus {
    /// Family slug.
    pub family: String,
    /// The day the status is for.
    pub as_of: Date,
    /// The phase that day falls in; none after the last phase.
    pub phase: Option<PhaseView>,
    /// `mainstream`, `extended`, `esu`, `premium-assurance` or `ended`.
    pub state: &'static str,
    /// The last day of extended support.
    pub extended_support_end: Option<Date>,
    /// The last day any update can come (end of the last phase).
    pub updates_end: Option<Date>,
    /// Whether any update can still come after the as-of day.
    pub updates_can_still_come: bool,
    /// Every milestone, oldest first.
    pub milestones: Vec<MilestoneView>,
}

/// The lifecycle status of `family` on `as_of`.
pub fn status(catalog: &Catalog, family: &str, as_of: Date) -> LifecycleStatus {
    let phases = catalog.phases(family);
    let phase = catalog.phase_at(family, as_of);
    let state = match phase.map(|p| p.id.as_str()) {
        None => "ended",
        Some("mainstream") => "mainstream",
        Some("extended") => "extended",
        Some("premium-assurance") => "premium-assurance",
        Some(_) => "esu",
    };
    let updates_end = phases.last().map(|p| p.last);
    LifecycleStatus {
        family: family.to_string(),
        as_of,
        phase: phase.map(|p| PhaseView {
            id: p.id.clone(),
            name: p.name.clone(),
            first: p.first,
            last: p.last,
            entitlement: p.entitlement.clone(),
        }),
        state,
        extended_support_end: phases.iter().find(|p| p.id == "extended").map(|p| p.last),
        updates_end,
        updates_can_still_come: updates_end.is_some_and(|d| as_of < d),
        milestones: catalog
            .milestones(family)
            .into_iter()
            .map(|m| MilestoneView {
                id: m.id.clone(),
                title: m.title.clone(),
                date: m.date,
                passed: m.date <= as_of,
            })
            .collect(),
    }
}
