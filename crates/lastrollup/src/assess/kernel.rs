//! From a kernel revision (`6.0.6003.20491`, BuildLabEx, ntoskrnl.exe) to
//! the servicing month it implies.
//!
//! Every rollup, preview, out-of-band and security-only update with a known
//! revision (an MSRC fixed build or a scanner's ntoskrnl.exe threshold) is a
//! point on the revision line. A kernel at revision k was put there by an
//! update whose revision is at most k: the newest such revision r*. The
//! kernel proves the month of the *earliest* update that brings r* or more
//! (the 2019-03 preview KB4489887 and the 2019-04 rollup share 20489, so
//! 20489 proves 2019-03, not 2019-04). An out-of-band update released before
//! its month's Patch Tuesday proves the month before. MSRC fixed builds can
//! be a few revisions above the ntoskrnl.exe version of the same update
//! (2020-12: 20999 vs 20996), hence [`TOLERANCE`].

use serde::Serialize;

use super::target::Target;
use crate::catalog::updates::RevisionBasis;
use crate::catalog::{BuildRevision, Catalog, Update};
use crate::month::Month;

/// How far below an MSRC fixed build a kernel may be and still count as
/// that update (scanner ntoskrnl.exe thresholds are exact). The largest gap seen between an MSRC fixed build and the
/// ntoskrnl.exe version of the same update is 4 (2021-07: 21167 vs 21163).
pub const TOLERANCE: u32 = 4;

/// One point of the revision line.
#[derive(Debug, Clone, Copy)]
pub struct Threshold<'c> {
    /// The month whose Patch-Tuesday security release the update covers.
    pub month: Month,
    /// The update's revision.
    pub revision: BuildRevision,
    /// The update.
    pub update: &'c Update,
    /// How far below `revision` a kernel may be and still count: [`TOLERANCE`]
    /// for an MSRC fixed build, 0 for an ntoskrnl.exe threshold.
    pub tolerance: u32,
}

/// Every OS update of the target product with a kernel revision, by revision.
pub fn thresholds<'c>(catalog: &'c Catalog, target: &Target<'c>) -> Vec<Threshold<'c>> {
    let mut out: Vec<Threshold<'c>> = catalog
        .updates_for(&target.product.id, target.arch)
        .filter(|u| u.is_os_security())
        // Another file's version says nothing about the kernel.
        .filter(|u| u.revision_basis != Some(RevisionBasis::OtherFile))
        .filter_map(|u| {
            let revision = u.build_revision()?;
            let month = if u.effective_date() >= u.month.patch_tuesday() {
                u.month
            } else {
                u.month.plus(-1)
            };
            let tolerance = match u.revision_basis {
                Some(RevisionBasis::FixedBuild) => TOLERANCE,
                _ => 0,
            };
            Some(Threshold {
                month,
                revision,
                update: u,
                tolerance,
            })
        })
        .collect();
    out.sort_by_key(|t| (t.revision, t.month));
    out
}

fn reaches(kernel: BuildRevision, t: &Threshold<'_>) -> bool {
    (kernel.build, kernel.revision.saturating_add(t.tolerance))
        >= (t.revision.build, t.revision.revision)
}

/// What a kernel revision implies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KernelMonth {
    /// The kernel version.
    pub version: String,
    /// The newest month whose threshold it reaches, if any.
    pub month: Option<Month>,
    /// That month's update whose revision is the threshold.
    pub kb: Option<String>,
    /// Whether the revision is above the last update ever released for the
    /// product (a modified kernel or a damaged capture).
    pub beyond_catalog: bool,
}

/// The month a kernel revision implies for the target product, whose last
/// update is of `final_month`.
pub fn month_of(
    thresholds: &[Threshold<'_>],
    kernel: BuildRevision,
    final_month: Month,
) -> KernelMonth {
    let reached = thresholds
        .iter()
        .rev()
        // A kernel is put there by an update of its own build.
        .filter(|t| t.revision.build == kernel.build)
        .find(|t| reaches(kernel, t))
        .map(|t| t.revision);
    let hit = reached.and_then(|r| {
        thresholds
            .iter()
            .filter(|t| t.revision >= r)
            .min_by_key(|t| (t.month, t.update.effective_date()))
    });
    // "Beyond" needs the final update's own revision: Itanium's last update
    // (2020-01) has only another file's version, so its line stops earlier.
    let line_complete = thresholds
        .iter()
        .map(|t| t.month)
        .max()
        .is_some_and(|m| m >= final_month);
    let beyond_catalog = line_complete
        && thresholds.last().is_some_and(|t| {
            (kernel.build, kernel.revision)
                > (
                    t.revision.build,
                    t.revision.revision.saturating_add(TOLERANCE),
                )
        });
    KernelMonth {
        version: kernel.to_string(),
        month: hit.map(|t| t.month),
        kb: hit.map(|t| t.update.kb_name()),
        beyond_catalog,
    }
}
