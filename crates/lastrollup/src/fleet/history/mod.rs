//! History across fleet runs: what changed since the last complete run.
//!
//! ```text
//! FleetReport ──► Snapshot::of ──► compare(previous, current) ──► Changes   (pure, compare.rs)
//!                      │
//!                      └──► History::record (SQLite, one transaction per run, store.rs)
//! previous = History::last_complete  or  jsonl::read (an earlier --jsonl export)
//! ```
//!
//! A [`Snapshot`] is what a run leaves behind: its as-of day, goal and
//! advisory knowledge (origin, identity, date, the known-exploited CVE ids
//! it saw), one [`HostRecord`] per host (keyed by
//! [`crate::fleet::FleetHost::id`]) and, per servicing state (keyed by
//! [`crate::fleet::profile::key_of`], never by the per-run `pN` id), the
//! ids of its open CVEs, once. [`compare()`] turns two snapshots into
//! [`Changes`]; it reads nothing but them.

pub mod compare;
pub mod jsonl;
pub mod store;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use jiff::civil::Date;
use serde::Serialize;

use super::{FleetHost, FleetReport};
use crate::advisory::database::Database;
use crate::assess::exposure::Status;
use crate::catalog::Catalog;
use crate::month::Month;

pub use compare::{compare, Changes};
pub use store::{trend, History, TrendPoint};

/// Why the history could not be read or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HistoryError {
    /// The file exists but is no SQLite database (or is damaged).
    #[error("{path}: not a lastrollup history database ({reason})")]
    NotHistory {
        /// The file.
        path: String,
        /// What SQLite or the schema check said.
        reason: String,
    },
    /// The database was written by a newer lastrollup.
    #[error("{path}: history schema version {found} is newer than this lastrollup reads ({known}); upgrade lastrollup")]
    TooNew {
        /// The file.
        path: String,
        /// The version in the file.
        found: i64,
        /// The newest version this build reads.
        known: i64,
    },
    /// SQLite failed while reading or writing.
    #[error("{path}: history database error: {source}")]
    Sqlite {
        /// The file.
        path: String,
        /// What SQLite said.
        #[source]
        source: rusqlite::Error,
    },
    /// An earlier `--jsonl` export could not be read.
    #[error("{path}{}: {reason}", line.map(|l| format!(":{l}")).unwrap_or_default())]
    Jsonl {
        /// The file.
        path: String,
        /// The line, where one is at fault.
        line: Option<usize>,
        /// What is wrong.
        reason: String,
    },
}

/// The advisory knowledge a run rests on: a change here is a change of
/// knowledge, not of the hosts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Knowledge {
    /// `database`, `embedded-kev`, or `unknown` (an export that does not say).
    pub origin: String,
    /// What identifies the facts: the imported sources and their versions,
    /// or the catalog's newest update for the built-in table.
    pub identity: String,
    /// The newest date the facts carry, where known.
    pub date: Option<Date>,
    /// The CVE ids the source lists as known exploited (CISA KEV).
    #[serde(skip)]
    pub kev: BTreeSet<String>,
}

impl Knowledge {
    /// The knowledge of an imported advisory database.
    pub fn of_database(db: &Database) -> Knowledge {
        let mut parts: Vec<String> = db
            .sources()
            .iter()
            .map(|s| format!("{} {}", s.identity, s.version))
            .collect();
        parts.sort();
        let date = db
            .sources()
            .iter()
            .filter_map(|s| s.dates.map(|d| d.1).or(s.released))
            .max();
        Knowledge {
            origin: "database".into(),
            identity: parts.join("; "),
            date,
            kev: db.kev_ids().into_iter().collect(),
        }
    }

    /// The knowledge of the catalog's built-in known-exploited table.
    pub fn embedded(catalog: &Catalog) -> Knowledge {
        let newest = catalog.newest_update();
        Knowledge {
            origin: "embedded-kev".into(),
            identity: newest.map_or_else(
                || "built-in table".into(),
                |u| format!("built-in table, catalog up to {}", u.kb_name()),
            ),
            date: newest.map(|u| u.effective_date()),
            kev: catalog
                .known_exploited
                .iter()
                .map(|k| k.id.clone())
                .collect(),
        }
    }

    /// Whether two runs rest on the same facts (sources and KEV set).
    pub fn same_as(&self, other: &Knowledge) -> bool {
        self.origin == other.origin && self.identity == other.identity && self.kev == other.kev
    }
}

/// How a snapshot names a host's servicing state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateIdentity {
    /// The full state key ([`crate::fleet::profile::key_of`]): a database.
    Key,
    /// What a `--jsonl` export holds of the state (OS, baseline, plan):
    /// used on both sides of a `--since` comparison.
    Export,
}

/// One host as a run saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HostRecord {
    /// The stable host id.
    pub id: String,
    /// Host name, as printed.
    pub name: Option<String>,
    /// The servicing state it was in (see [`StateIdentity`]), shared with
    /// the other hosts in it.
    #[serde(skip)]
    pub state: Arc<str>,
    /// Baseline month.
    pub month: Option<Month>,
    /// Monthly rollups behind the final one.
    pub months_behind: Option<i32>,
    /// At the final baseline.
    pub at_final: bool,
    /// At the goal of the run.
    pub at_goal: bool,
    /// Open CVEs.
    pub open: usize,
    /// Open known-exploited CVEs.
    pub kev_open: usize,
    /// Null when the run saw the host; otherwise it is **stale**: this is
    /// its last known record, from the run of this as-of day.
    #[serde(skip)]
    pub last_seen: Option<Date>,
}

/// What a run leaves behind for the next one to compare with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snapshot {
    /// When the run was recorded (RFC 3339, UTC); empty for the run being made.
    pub run_at: String,
    /// The as-of day.
    pub as_of: Option<Date>,
    /// `final` or `without-esu`.
    pub goal: String,
    /// The advisory facts.
    pub knowledge: Knowledge,
    /// Every host, by id.
    pub hosts: BTreeMap<String, HostRecord>,
    /// Per servicing state, the ids of its open CVEs, sorted.
    pub states: BTreeMap<Arc<str>, Vec<String>>,
}

/// The state text of a host for [`StateIdentity::Export`]: what an export
/// line holds of its servicing state.
pub fn export_state(os: &serde_json::Value, baseline: &serde_json::Value, status: &str) -> String {
    let keep = |v: &serde_json::Value, keys: &[&str]| -> serde_json::Value {
        keys.iter()
            .map(|k| (k.to_string(), v.get(*k).cloned().unwrap_or_default()))
            .collect::<serde_json::Map<_, _>>()
            .into()
    };
    let os = keep(
        os,
        &[
            "family",
            "edition",
            "installation",
            "arch",
            "service_pack",
            "build",
            "revision",
        ],
    );
    let b = keep(baseline, &["month", "next_steps"]);
    format!("{status} {os} {b}")
}

fn host_export_state(h: &FleetHost) -> String {
    let os = serde_json::to_value(&h.os).unwrap_or_default();
    let b = serde_json::to_value(&h.baseline).unwrap_or_default();
    export_state(&os, &b, h.status)
}

impl Snapshot {
    /// The snapshot of a report. With [`StateIdentity::Export`] the state
    /// is what an export holds and the CVE lists are the open
    /// known-exploited ones only, as in an export.
    pub fn of(report: &FleetReport<'_>, knowledge: Knowledge, ids: StateIdentity) -> Snapshot {
        let mut states: BTreeMap<Arc<str>, Vec<String>> = BTreeMap::new();
        let mut hosts = BTreeMap::new();
        let mut keys: Vec<Option<Arc<str>>> = vec![None; report.profiles.len()];
        for h in &report.hosts {
            let p = &report.profiles[h.profile];
            let state: Arc<str> = match ids {
                StateIdentity::Key => keys[h.profile]
                    .get_or_insert_with(|| Arc::from(p.key.as_str()))
                    .clone(),
                StateIdentity::Export => Arc::from(host_export_state(h)),
            };
            let state = match states.get_key_value(&state) {
                Some((k, _)) => k.clone(),
                None => {
                    states.insert(state.clone(), open_cves(p, ids));
                    state
                }
            };
            hosts.insert(h.id.clone(), HostRecord::of(h, state));
        }
        Snapshot {
            run_at: String::new(),
            as_of: Some(report.as_of),
            goal: goal_name(report.goal).into(),
            knowledge,
            hosts,
            states,
        }
    }
}

/// What a run records: the current snapshot and, carried forward as
/// **stale**, every host of the previous run it did not see (with its last
/// known record, state and CVEs), so that a host missing for several runs
/// stays listed as gone until it returns, and is then compared with its
/// last known state rather than reported new.
pub fn carry_forward(prev: &Snapshot, cur: &Snapshot) -> Snapshot {
    let mut out = cur.clone();
    for (id, h) in &prev.hosts {
        if out.hosts.contains_key(id) {
            continue;
        }
        let mut h = h.clone();
        h.last_seen = h.last_seen.or(prev.as_of);
        if !out.states.contains_key(&h.state) {
            let cves = prev.states.get(&h.state).cloned().unwrap_or_default();
            out.states.insert(h.state.clone(), cves);
        }
        out.hosts.insert(id.clone(), h);
    }
    out
}

/// `final` or `without-esu`.
pub fn goal_name(goal: crate::assess::Goal) -> &'static str {
    match goal {
        crate::assess::Goal::Final => "final",
        crate::assess::Goal::WithoutEsu => "without-esu",
    }
}

fn open_cves(p: &super::Profile<'_>, ids: StateIdentity) -> Vec<String> {
    let mut out: Vec<String> = p
        .detail
        .iter()
        .flat_map(|d| &d.cves)
        .filter(|c| c.status == Status::Open)
        .filter(|c| ids == StateIdentity::Key || c.kev.is_some())
        .map(|c| c.id.to_owned())
        .collect();
    out.sort();
    out.dedup();
    out
}

impl HostRecord {
    /// The record of a host of a report, in `state`.
    pub fn of(h: &FleetHost, state: Arc<str>) -> HostRecord {
        let b = h.baseline.as_ref();
        HostRecord {
            id: h.id.clone(),
            name: h.host.name.clone(),
            state,
            month: b.and_then(|b| b.month),
            months_behind: b.and_then(|b| b.months_behind),
            at_final: b.is_some_and(|b| b.at_final),
            at_goal: b.is_some_and(|b| b.at_goal),
            open: h.exposure.open,
            kev_open: h.exposure.known_exploited,
            last_seen: None,
        }
    }
}
