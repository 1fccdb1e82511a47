//! In-place upgrade paths open to a host.

use serde::Serialize;

use super::target::Target;
use crate::catalog::Catalog;
use crate::host::{Host, Installation};

/// One path, or the reason there is none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UpgradeView {
    /// The target (`Windows Server 2008 R2 Enterprise`); absent when there is no path.
    pub to: Option<String>,
    /// The target editions.
    pub to_editions: Vec<String>,
    /// Remarks, or why there is no path.
    pub notes: Option<String>,
    /// Whether the path rests on no found source.
    pub unverified: bool,
}

/// The upgrade paths (or their absence) that apply to the host.
pub fn paths(host: &Host, target: &Target<'_>, catalog: &Catalog) -> Vec<UpgradeView> {
    if !target.arch_known {
        return Vec::new();
    }
    let family = target.product.family.as_str();
    let edition = host.os.edition.as_ref().map(|e| e.value.as_str());
    let installation = host.os.installation.as_ref().map(|i| match i.value {
        Installation::Full => "full",
        Installation::ServerCore => "server-core",
    });
    let edition_ok = |eds: &[String]| edition.is_none_or(|e| eds.iter().any(|x| x == e));
    let mut out: Vec<UpgradeView> = catalog
        .upgrades
        .no_path
        .iter()
        .filter(|n| n.from_family == family && n.from_arch.contains(&target.arch))
        // A no-path for some editions applies only when the edition is known.
        .filter(|n| match (n.from_editions.as_deref(), edition) {
            (None, _) => true,
            (Some(eds), Some(e)) => eds.iter().any(|x| x == e),
            (Some(_), None) => false,
        })
        .map(|n| UpgradeView {
            to: None,
            to_editions: Vec::new(),
            notes: Some(n.reason.clone()),
            unverified: n.unverified,
        })
        .collect();
    out.extend(
        catalog
            .upgrades
            .path
            .iter()
            .filter(|p| p.from_family == family && p.from_arch.contains(&target.arch))
            .filter(|p| edition_ok(&p.from_editions))
            .filter(|p| match (p.installation.as_deref(), installation) {
                (Some(need), Some(have)) => need == have,
                _ => true,
            })
            .map(|p| UpgradeView {
                to: Some(p.to.clone()),
                to_editions: p.to_editions.clone(),
                notes: p.notes.clone(),
                unverified: p.unverified,
            }),
    );
    out
}
