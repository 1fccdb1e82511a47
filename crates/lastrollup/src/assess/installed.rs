//! What a host has installed, as the catalog sees it: the KBs listed, and
//! everything they supersede.

use std::collections::{BTreeMap, BTreeSet};

use crate::catalog::{Catalog, Update};
use crate::host::Host;
use crate::month::Month;

/// Installed updates seen through the catalog.
#[derive(Debug, Clone, Default)]
pub struct Installed {
    /// Every KB the evidence lists.
    pub listed: BTreeSet<u32>,
    /// KB → an installed KB that supersedes it (directly or not).
    pub superseded: BTreeMap<u32, u32>,
    /// Whether the evidence holds an update list at all.
    pub has_list: bool,
}

impl Installed {
    /// Reads the host's update list.
    pub fn of(host: &Host, catalog: &Catalog) -> Installed {
        let listed: BTreeSet<u32> = host.updates.iter().filter_map(|u| u.id.kb()).collect();
        let mut superseded = BTreeMap::new();
        for kb in &listed {
            for s in catalog.supersedes_closure(*kb) {
                superseded.entry(s).or_insert(*kb);
            }
        }
        Installed {
            listed,
            superseded,
            has_list: !host.updates.is_empty() || (host.update_list && !updated_kernel(host)),
        }
    }

    /// Whether `kb` is listed.
    pub fn has(&self, kb: u32) -> bool {
        self.listed.contains(&kb)
    }

    /// The listed KB that is or supersedes `kb`.
    pub fn covering(&self, kb: u32) -> Option<u32> {
        if self.has(kb) {
            Some(kb)
        } else {
            self.superseded.get(&kb).copied()
        }
    }

    /// The listed updates the catalog knows, in catalog order.
    pub fn known<'c>(&'c self, catalog: &'c Catalog) -> impl Iterator<Item = &'c Update> + 'c {
        catalog
            .updates
            .iter()
            .filter(|u| self.listed.contains(&u.kb))
    }

    /// The newest month of a listed OS security update (rollup or security-only).
    pub fn newest_security_month(&self, catalog: &Catalog) -> Option<Month> {
        self.known(catalog)
            .filter(|u| u.is_os_security())
            .map(|u| u.month)
            .max()
    }
}

/// Whether the kernel shows updates installed: build 6003 (which only
/// updates from 2019-03 on bring) or a revision past SP2's own 18005. An
/// empty update list (`Hotfix(s): N/A`) next to such a kernel contradicts it
/// (a failed query, an edited capture), so it is taken as no list at all.
fn updated_kernel(host: &Host) -> bool {
    host.os.build.as_ref().is_some_and(|b| b.value >= 6003)
        || host.os.revision.as_ref().is_some_and(|r| r.value > 18005)
}
