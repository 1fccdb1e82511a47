//! From events to ranked causes: pure analysis, no I/O.
//!
//! Every event points to one cause id (a specific marker by itself; a
//! generic failure through its error code and the catalog's `diagnose`
//! field). A cause's strength is that of its most specific event; causes
//! of equal strength keep the order of `causes.toml` (`rank`). `unknown`
//! (a failure whose code says nothing) comes last and lists what is
//! missing. Fix steps come from `causes.toml` with the KB numbers filled
//! in from the catalog.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::catalog::{Catalog, UpdateKind};

use super::model::{hex, Event, Evidence, Signal};

/// One documented cause (`causes.toml`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CauseDoc {
    /// Stable kebab-case id.
    pub id: String,
    /// One-line title.
    pub title: String,
    /// Order among causes with equally strong evidence (lower first).
    pub rank: u32,
    /// What it means.
    pub meaning: String,
    /// Fix steps with `{placeholders}`.
    pub fix: Vec<String>,
    /// What the logs lack (for `unknown`).
    #[serde(default)]
    pub missing: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct CausesFile {
    cause: Vec<CauseDoc>,
}

/// The documented causes, in file order.
pub fn documented() -> &'static [CauseDoc] {
    static DOCS: OnceLock<Vec<CauseDoc>> = OnceLock::new();
    DOCS.get_or_init(|| {
        toml::from_str::<CausesFile>(include_str!("causes.toml"))
            .map(|f| f.cause)
            .unwrap_or_default()
    })
}

/// The documentation of cause `id`.
pub fn doc(id: &str) -> Option<&'static CauseDoc> {
    documented().iter().find(|d| d.id == id)
}

/// One ranked cause with its evidence and fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cause {
    /// Stable id (docs/diagnose.md).
    pub id: String,
    /// One-line title.
    pub title: String,
    /// What it means.
    pub meaning: String,
    /// The error code that points to it, as `0x80092004`.
    pub error_code: Option<String>,
    /// The code's symbolic name from the catalog.
    pub error_name: Option<String>,
    /// The update concerned, as `KB4474419`.
    pub kb: Option<String>,
    /// The lines that show it (at most [`EVIDENCE_PER_CAUSE`]).
    pub evidence: Vec<Evidence>,
    /// Files CheckSUR names as damaged or needed.
    pub damaged: Vec<String>,
    /// What the logs do not say (for `unknown`).
    pub missing: Vec<String>,
    /// The fix, as ordered steps.
    pub fix: Vec<String>,
    /// What the host's own evidence says (`diagnose --with`).
    pub host: Vec<super::host::HostCheck>,
}

/// Evidence lines kept per cause.
pub const EVIDENCE_PER_CAUSE: usize = 8;

/// How specific an event is: higher wins.
fn strength(signal: Signal) -> u32 {
    match signal {
        Signal::EsuNotEligible | Signal::EsuNotLicensed => 100,
        Signal::StackTooOld => 95,
        Signal::DamagedFile | Signal::RepairFileNeeded => 92,
        Signal::NoParent | Signal::CatrootDatabase => 90,
        Signal::DiskFull => 85,
        Signal::PendingOperations => 80,
        Signal::StoreCorrupt | Signal::Signature => 70,
        Signal::NotApplicable | Signal::WsusProtocol | Signal::WrongPackage => 60,
        Signal::AlreadyInstalled => 55,
        Signal::Network | Signal::ScanCancelled => 50,
        Signal::Failure => 45,
        Signal::SelfUpdateFailed => 40,
        Signal::RebootFailed => 30,
    }
}

/// The cause id an event points to.
pub fn cause_of(event: &Event, catalog: &Catalog) -> &'static str {
    let by_code = || {
        event
            .code
            .and_then(|c| catalog.error_code(&hex(c)))
            .and_then(|e| e.diagnose.as_deref())
            .and_then(|id| doc(id).map(|d| d.id.as_str()))
    };
    match event.signal {
        Signal::EsuNotEligible => "esu-not-eligible",
        Signal::EsuNotLicensed => "esu-not-licensed",
        Signal::StackTooOld => "missing-ssu",
        Signal::NoParent => "missing-prerequisite",
        Signal::PendingOperations | Signal::RebootFailed => "pending-reboot",
        Signal::CatrootDatabase => "catroot-corruption",
        Signal::StoreCorrupt | Signal::DamagedFile | Signal::RepairFileNeeded => "store-corruption",
        Signal::DiskFull => "disk-space",
        Signal::NotApplicable => "not-applicable",
        Signal::AlreadyInstalled => "already-installed",
        Signal::WrongPackage => "wrong-package",
        Signal::WsusProtocol => by_code()
            .filter(|id| *id == "untrusted-certificate")
            .unwrap_or("wsus-server"),
        Signal::Network => network_cause(event, by_code()),
        Signal::SelfUpdateFailed => by_code().unwrap_or("wua-selfupdate"),
        Signal::ScanCancelled => "scan-loop",
        Signal::Signature => "missing-sha2",
        Signal::Failure => by_code().unwrap_or("unknown"),
    }
}

/// A TLS failure against Microsoft's update service is the missing SHA-2
/// support; against any other server it is that server or the network.
fn network_cause(event: &Event, by_code: Option<&'static str>) -> &'static str {
    let microsoft = event.detail.as_deref().is_none_or(|u| {
        let u = u.to_ascii_lowercase();
        u.contains("update.microsoft.com") || u.contains("windowsupdate.com")
    });
    match by_code {
        Some("missing-sha2") if microsoft => "missing-sha2",
        Some("missing-sha2") | None => "network-proxy",
        Some(id) => id,
    }
}

#[derive(Debug, Default)]
struct Group<'e> {
    strength: u32,
    first: usize,
    events: Vec<&'e Event>,
}

/// Ranks the causes the events point to.
pub fn rank(events: &[Event], catalog: &Catalog) -> Vec<Cause> {
    let mut groups: BTreeMap<&'static str, Group<'_>> = BTreeMap::new();
    for (i, e) in events.iter().enumerate() {
        let g = groups.entry(cause_of(e, catalog)).or_insert_with(|| Group {
            first: i,
            ..Group::default()
        });
        g.strength = g.strength.max(strength(e.signal));
        g.events.push(e);
    }
    let mut ranked: Vec<(&'static str, Group<'_>)> = groups.into_iter().collect();
    ranked.sort_by_key(|(id, g)| {
        let unknown = *id == "unknown";
        let rank = doc(id).map_or(u32::MAX, |d| d.rank);
        (unknown, std::cmp::Reverse(g.strength), rank, g.first)
    });
    ranked
        .into_iter()
        .map(|(id, g)| build(id, &g.events, catalog))
        .collect()
}

fn build(id: &str, events: &[&Event], catalog: &Catalog) -> Cause {
    let mut sorted: Vec<&Event> = events.to_vec();
    sorted.sort_by_key(|e| std::cmp::Reverse(strength(e.signal)));
    let maps_here = |c: u32| {
        catalog
            .error_code(&hex(c))
            .and_then(|e| e.diagnose.as_deref())
            .is_some_and(|d| d == id)
    };
    let code = sorted
        .iter()
        .filter_map(|e| e.code)
        .find(|&c| maps_here(c))
        .or_else(|| sorted.iter().find_map(|e| e.code));
    let kb = sorted.iter().find_map(|e| e.kb);
    let damaged = damaged_files(events);
    let repair_kbs = repair_kbs(&damaged);
    let d = doc(id);
    let fill = Fill {
        catalog,
        kb,
        repair_kbs: &repair_kbs,
    };
    Cause {
        id: id.to_owned(),
        title: d.map(|d| d.title.clone()).unwrap_or_default(),
        meaning: d.map(|d| d.meaning.clone()).unwrap_or_default(),
        error_code: code.map(hex),
        error_name: code
            .and_then(|c| catalog.error_code(&hex(c)))
            .map(|e| e.name.clone()),
        kb: kb.map(|k| format!("KB{k}")),
        evidence: sorted
            .iter()
            .take(EVIDENCE_PER_CAUSE)
            .map(|e| e.evidence.clone())
            .collect(),
        damaged,
        missing: d.map(|d| d.missing.clone()).unwrap_or_default(),
        fix: d
            .map(|d| d.fix.iter().map(|s| fill.apply(s)).collect())
            .unwrap_or_default(),
        host: Vec::new(),
    }
}

fn damaged_files(events: &[&Event]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for e in events {
        if matches!(e.signal, Signal::DamagedFile | Signal::RepairFileNeeded) {
            if let Some(d) = &e.detail {
                if !out.iter().any(|o| o.eq_ignore_ascii_case(d)) {
                    out.push(d.clone());
                }
            }
        }
    }
    out
}

fn repair_kbs(damaged: &[String]) -> Vec<u32> {
    let mut kbs: Vec<u32> = damaged.iter().filter_map(|d| super::rules::kb(d)).collect();
    kbs.sort_unstable();
    kbs.dedup();
    kbs
}

/// Fills the placeholders of a fix step.
struct Fill<'a> {
    catalog: &'a Catalog,
    kb: Option<u32>,
    repair_kbs: &'a [u32],
}

impl Fill<'_> {
    fn apply(&self, step: &str) -> String {
        let mut out = step.to_owned();
        for (key, value) in [
            ("{sha2-requires}", self.requires(UpdateKind::Sha2)),
            ("{sha2}", self.first(UpdateKind::Sha2)),
            ("{latest-ssu}", self.latest(UpdateKind::Ssu)),
            ("{latest-rollup}", self.latest(UpdateKind::MonthlyRollup)),
            ("{esu-requires}", self.requires(UpdateKind::EsuPrep)),
            ("{esu-prep}", self.first(UpdateKind::EsuPrep)),
            (
                "{kb}",
                self.kb
                    .map_or_else(|| "the update".into(), |k| format!("KB{k}")),
            ),
            ("{repair-kbs}", self.repair()),
        ] {
            if out.contains(key) {
                out = out.replace(key, &value);
            }
        }
        out
    }

    fn first(&self, kind: UpdateKind) -> String {
        self.catalog
            .updates
            .iter()
            .filter(|u| u.kind == kind)
            .min_by_key(|u| u.effective_date())
            .map_or_else(|| kind.label().to_owned(), |u| u.kb_name())
    }

    fn latest(&self, kind: UpdateKind) -> String {
        self.catalog
            .updates
            .iter()
            .filter(|u| u.kind == kind)
            .max_by_key(|u| u.effective_date())
            .map_or_else(|| kind.label().to_owned(), |u| u.kb_name())
    }

    fn requires(&self, kind: UpdateKind) -> String {
        let kbs: Vec<String> = self
            .catalog
            .updates
            .iter()
            .filter(|u| u.kind == kind)
            .min_by_key(|u| u.effective_date())
            .map(|u| u.requires.iter().map(|k| format!("KB{k}")).collect())
            .unwrap_or_default();
        if kbs.is_empty() {
            UpdateKind::Ssu.label().to_owned()
        } else {
            kbs.join(", then ")
        }
    }

    fn repair(&self) -> String {
        if self.repair_kbs.is_empty() {
            return "the KB in each file name".to_owned();
        }
        let names: Vec<String> = self.repair_kbs.iter().map(|k| format!("KB{k}")).collect();
        names.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn causes_file_parses_with_unique_ids() {
        let docs = documented();
        assert!(docs.len() >= 15, "{}", docs.len());
        let mut ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), docs.len());
        assert!(docs
            .iter()
            .all(|d| !d.fix.is_empty() && !d.meaning.is_empty()));
    }

    #[test]
    fn every_error_code_cause_is_documented() {
        for e in &Catalog::embedded().errors {
            if let Some(id) = &e.diagnose {
                assert!(
                    doc(id).is_some(),
                    "{}: diagnose = {id:?} is not in causes.toml",
                    e.code
                );
            }
        }
    }

    #[test]
    fn placeholders_are_all_filled() {
        let catalog = Catalog::embedded();
        let fill = Fill {
            catalog,
            kb: Some(4_474_419),
            repair_kbs: &[978_601],
        };
        for d in documented() {
            for step in &d.fix {
                let out = fill.apply(step);
                assert!(!out.contains('{'), "{}: {out}", d.id);
            }
        }
    }
}
