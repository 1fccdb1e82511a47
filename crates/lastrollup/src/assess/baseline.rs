//! The security baseline: the last month up to which every security release
//! is covered by what is installed.
//!
//! Monthly rollups are cumulative: a rollup released on day D covers every
//! security release up to D (a preview, shipped after Patch Tuesday, covers
//! its month). A security-only update covers its own release only. An
//! out-of-band release counts in its month: the month is covered only when
//! its Patch-Tuesday release and its out-of-band release both are. An
//! update superseded by an installed one counts as installed.

use jiff::civil::Date;
use serde::Serialize;

use super::installed::Installed;
use super::target::Target;
use crate::catalog::{Catalog, Release, Update, UpdateKind};
use crate::month::Month;

/// One security release: a Patch Tuesday or an out-of-band date, with its
/// rollup and its security-only twin.
#[derive(Debug, Clone)]
pub struct SecurityRelease<'c> {
    /// Its month.
    pub month: Month,
    /// Its day.
    pub date: Date,
    /// Out of band.
    pub out_of_band: bool,
    /// The monthly rollup of the release.
    pub rollup: Option<&'c Update>,
    /// The security-only update of the release.
    pub security_only: Option<&'c Update>,
}

/// Every security release of the target product, in date order.
pub fn releases<'c>(catalog: &'c Catalog, target: &Target<'c>) -> Vec<SecurityRelease<'c>> {
    let mut out: Vec<SecurityRelease<'c>> = Vec::new();
    for u in catalog.updates_for(&target.product.id, target.arch) {
        if !u.is_os_security() || !matches!(u.release, Release::PatchTuesday | Release::OutOfBand) {
            continue;
        }
        let oob = u.release == Release::OutOfBand;
        let date = u.effective_date();
        let slot = out
            .iter_mut()
            .find(|r| r.month == u.month && r.out_of_band == oob && (!oob || r.date == date));
        let r = match slot {
            Some(r) => r,
            None => {
                out.push(SecurityRelease {
                    month: u.month,
                    date,
                    out_of_band: oob,
                    rollup: None,
                    security_only: None,
                });
                out.last_mut().expect("just pushed")
            }
        };
        match u.kind {
            UpdateKind::MonthlyRollup => r.rollup = Some(u),
            _ => r.security_only = Some(u),
        }
    }
    out.sort_by_key(|r| (r.date, r.out_of_band));
    out
}

/// A reference to a catalog update, for reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UpdateRef {
    /// Its month.
    pub month: Month,
    /// `KB5073697`.
    pub kb: String,
    /// Its release date, where known.
    pub released: Option<Date>,
}

impl UpdateRef {
    /// The reference to `u`.
    pub fn of(u: &Update) -> UpdateRef {
        UpdateRef {
            month: u.month,
            kb: u.kb_name(),
            released: u.released,
        }
    }
}

/// How the baseline was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Basis {
    /// From the installed-update list.
    UpdateList,
    /// From the kernel revision alone (no update list in the evidence).
    KernelRevision,
    /// Nothing to go on.
    None,
}

/// What an installed update list covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coverage {
    /// The baseline month, if the first rollup month is covered.
    pub month: Option<Month>,
    /// The installed KBs that make up the baseline, oldest first.
    pub via: Vec<u32>,
    /// Months after the baseline that are not covered although a later month is.
    pub gaps: Vec<Month>,
    /// The newest month whose releases are all covered.
    pub newest_covered: Option<Month>,
}

/// Computes what the installed updates cover.
pub fn coverage(
    releases: &[SecurityRelease<'_>],
    installed: &Installed,
    catalog: &Catalog,
    target: &Target<'_>,
) -> Coverage {
    // The newest installed cumulative update (rollup of any release type).
    let best_rollup = installed
        .known(catalog)
        .filter(|u| u.is_cumulative() && u.applies_to(&target.product.id, target.arch))
        .max_by_key(|u| u.effective_date());
    let covered_by = |r: &SecurityRelease<'_>| -> Option<u32> {
        if let Some(b) = best_rollup {
            if r.date <= b.effective_date() {
                return Some(b.kb);
            }
        }
        [r.rollup, r.security_only]
            .into_iter()
            .flatten()
            .find_map(|u| installed.covering(u.kb))
    };
    let (Some(first), Some(last)) = (
        target.product.first_rollup_month,
        releases.iter().map(|r| r.month).max(),
    ) else {
        return Coverage {
            month: None,
            via: Vec::new(),
            gaps: Vec::new(),
            newest_covered: None,
        };
    };
    let mut month = None;
    let mut via: Vec<u32> = Vec::new();
    let mut gaps = Vec::new();
    let mut newest_covered = None;
    let mut broken = false;
    for m in first.through(last) {
        let in_month: Vec<&SecurityRelease<'_>> =
            releases.iter().filter(|r| r.month == m).collect();
        let by: Vec<Option<u32>> = in_month.iter().map(|r| covered_by(r)).collect();
        let covered = !by.is_empty() && by.iter().all(Option::is_some);
        if covered {
            newest_covered = Some(m);
            if !broken {
                month = Some(m);
                for kb in by.into_iter().flatten() {
                    if !via.contains(&kb) {
                        via.push(kb);
                    }
                }
            }
        } else {
            if month.is_some() {
                gaps.push(m);
            }
            broken = true;
        }
    }
    // Gaps only count up to the newest covered month.
    gaps.retain(|g| newest_covered.is_some_and(|n| *g < n));
    // A rollup makes every earlier KB of the chain redundant in `via`.
    if let Some(pos) = via
        .iter()
        .rposition(|kb| catalog.update(*kb).is_some_and(Update::is_cumulative))
    {
        via.drain(..pos);
    }
    Coverage {
        month,
        via,
        gaps,
        newest_covered,
    }
}
