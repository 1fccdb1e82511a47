//! What changed between two runs: pure functions of two [`Snapshot`]s.
//!
//! * A host in the current run only is **new**; a host in the previous run
//!   only is **gone** and *stale*: its last state is kept, it is never
//!   counted as fixed, and its CVEs are not "closed". A history carries
//!   stale hosts forward ([`super::carry_forward`]): one missing for several
//!   runs stays gone, and one that returns is compared with its last known
//!   record, not reported new.
//! * A host in both whose baseline month rose **improved**; one whose month
//!   fell **regressed** (a reimage, a restore, an uninstalled rollup).
//! * CVEs opened and closed are listed per change of servicing state (hosts
//!   that went from one state to another share one entry), with their
//!   **cause**: `host` when the state changed and the advisory knowledge did
//!   not, `knowledge` when the state is the same and the advisory facts
//!   changed (a newer database), `host-and-knowledge` when both changed.
//!   CVEs open in both runs that CISA newly lists as known exploited are
//!   listed apart: always a change of knowledge.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;
use serde::Serialize;

use super::{HostRecord, Knowledge, Snapshot};
use crate::month::Month;

/// The run compared with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Since {
    /// `history` (a database) or `jsonl` (an earlier export).
    pub source: &'static str,
    /// When that run was recorded (RFC 3339), null for an export.
    pub run_at: Option<String>,
    /// Its as-of day.
    pub as_of: Option<Date>,
    /// Its goal, null for an export.
    pub goal: Option<String>,
}

/// Whether the advisory knowledge changed between the runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KnowledgeChange {
    /// Whether the sources or the known-exploited set differ; null when the
    /// earlier run does not say (an export).
    pub changed: Option<bool>,
    /// The previous run's knowledge.
    pub before: Knowledge,
    /// This run's knowledge.
    pub after: Knowledge,
    /// CVEs the advisory source lists as known exploited now and did not before.
    pub kev_added: Vec<String>,
    /// CVEs the advisory source listed as known exploited before and does not now.
    pub kev_removed: Vec<String>,
}

/// How many hosts changed, and how.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ChangeCounts {
    /// Hosts seen for the first time.
    pub new_hosts: usize,
    /// Hosts not seen in this run (stale).
    pub gone_hosts: usize,
    /// Hosts whose baseline month rose.
    pub improved: usize,
    /// Hosts whose baseline month fell.
    pub regressed: usize,
    /// Hosts in both runs at the same servicing state.
    pub same_state: usize,
    /// Hosts in both runs whose servicing state changed.
    pub state_changed: usize,
}

/// A host and its baseline before and after (null where not assessed or
/// not in that run).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HostChange {
    /// Host id.
    pub id: String,
    /// Host name.
    pub name: Option<String>,
    /// Baseline month in the previous run.
    pub month_before: Option<Month>,
    /// Baseline month in this run.
    pub month_after: Option<Month>,
    /// Months behind in the previous run.
    pub months_behind_before: Option<i32>,
    /// Months behind in this run.
    pub months_behind_after: Option<i32>,
    /// Open known-exploited CVEs in the previous run.
    pub kev_open_before: Option<usize>,
    /// Open known-exploited CVEs in this run.
    pub kev_open_after: Option<usize>,
    /// For a gone (stale) host, the as-of day of the last run that saw it;
    /// null otherwise.
    pub last_seen: Option<Date>,
}

/// Why a host's open CVEs changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Cause {
    /// Its servicing state changed; the advisory facts did not.
    Host,
    /// Same servicing state; the advisory facts changed.
    Knowledge,
    /// Both changed: the lists cannot be split between them.
    HostAndKnowledge,
}

/// CVEs opened and closed on the hosts that made one change of state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CveChange {
    /// The hosts, by id.
    pub hosts: Vec<String>,
    /// Why.
    pub cause: Cause,
    /// Open now, not before.
    pub opened: Vec<String>,
    /// Open before, not now.
    pub closed: Vec<String>,
    /// Open in both runs; CISA lists them as known exploited now, not before.
    pub newly_known_exploited: Vec<String>,
}

/// The `changes` object: what changed since an earlier run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Changes {
    /// The run compared with.
    pub since: Since,
    /// The advisory knowledge before and after.
    pub knowledge: KnowledgeChange,
    /// Counts.
    pub counts: ChangeCounts,
    /// Hosts seen for the first time.
    pub new_hosts: Vec<HostChange>,
    /// Hosts not seen in this run: stale, with their last known baseline.
    pub gone_hosts: Vec<HostChange>,
    /// Hosts whose baseline month rose.
    pub improved: Vec<HostChange>,
    /// Hosts whose baseline month fell.
    pub regressed: Vec<HostChange>,
    /// CVEs opened and closed, per change of servicing state.
    pub cves: Vec<CveChange>,
}

fn host_change(before: Option<&HostRecord>, after: Option<&HostRecord>) -> HostChange {
    let any = after.or(before);
    HostChange {
        id: any.map(|h| h.id.clone()).unwrap_or_default(),
        name: any.and_then(|h| h.name.clone()),
        month_before: before.and_then(|h| h.month),
        month_after: after.and_then(|h| h.month),
        months_behind_before: before.and_then(|h| h.months_behind),
        months_behind_after: after.and_then(|h| h.months_behind),
        kev_open_before: before.map(|h| h.kev_open),
        kev_open_after: after.map(|h| h.kev_open),
        last_seen: None,
    }
}

fn knowledge_change(prev: &Knowledge, cur: &Knowledge) -> KnowledgeChange {
    if prev.origin == super::jsonl::UNKNOWN {
        return KnowledgeChange {
            changed: None,
            before: prev.clone(),
            after: cur.clone(),
            kev_added: Vec::new(),
            kev_removed: Vec::new(),
        };
    }
    KnowledgeChange {
        changed: Some(!prev.same_as(cur)),
        before: prev.clone(),
        after: cur.clone(),
        kev_added: cur.kev.difference(&prev.kev).cloned().collect(),
        kev_removed: prev.kev.difference(&cur.kev).cloned().collect(),
    }
}

/// The CVEs of one change of state (`from` → `to`), or `None` when none changed.
fn cve_change(
    prev: &Snapshot,
    cur: &Snapshot,
    (from, to): (&str, &str),
    hosts: Vec<String>,
    knowledge_changed: bool,
) -> Option<CveChange> {
    let empty = Vec::new();
    let a: BTreeSet<&String> = prev.states.get(from).unwrap_or(&empty).iter().collect();
    let b: BTreeSet<&String> = cur.states.get(to).unwrap_or(&empty).iter().collect();
    let opened: Vec<String> = b.difference(&a).map(|s| (*s).clone()).collect();
    let closed: Vec<String> = a.difference(&b).map(|s| (*s).clone()).collect();
    let newly: Vec<String> = a
        .intersection(&b)
        .filter(|c| cur.knowledge.kev.contains(**c) && !prev.knowledge.kev.contains(**c))
        .map(|s| (*s).clone())
        .collect();
    if opened.is_empty() && closed.is_empty() && newly.is_empty() {
        return None;
    }
    let cause = match (from == to, knowledge_changed) {
        (true, _) => Cause::Knowledge,
        (false, false) => Cause::Host,
        (false, true) => Cause::HostAndKnowledge,
    };
    Some(CveChange {
        hosts,
        cause,
        opened,
        closed,
        newly_known_exploited: newly,
    })
}

/// Hosts in both runs, grouped by their change of state (previous, current).
fn transitions<'a>(
    prev: &'a Snapshot,
    cur: &'a Snapshot,
) -> BTreeMap<(&'a str, &'a str), Vec<String>> {
    let mut out: BTreeMap<(&str, &str), Vec<String>> = BTreeMap::new();
    for (id, after) in &cur.hosts {
        if let Some(before) = prev.hosts.get(id) {
            out.entry((&*before.state, &*after.state))
                .or_default()
                .push(id.clone());
        }
    }
    out
}

/// Compares the current run with an earlier one (`source` names where the
/// earlier one came from: `history` or `jsonl`).
pub fn compare(prev: &Snapshot, cur: &Snapshot, source: &'static str) -> Changes {
    let knowledge = knowledge_change(&prev.knowledge, &cur.knowledge);
    let mut out = Changes {
        since: Since {
            source,
            run_at: (!prev.run_at.is_empty()).then(|| prev.run_at.clone()),
            as_of: prev.as_of,
            goal: (!prev.goal.is_empty()).then(|| prev.goal.clone()),
        },
        counts: ChangeCounts::default(),
        new_hosts: Vec::new(),
        gone_hosts: Vec::new(),
        improved: Vec::new(),
        regressed: Vec::new(),
        cves: Vec::new(),
        knowledge,
    };
    hosts_in_and_out(prev, cur, &mut out);
    baselines(prev, cur, &mut out);
    // Unknown (an export) may have changed.
    let changed = out.knowledge.changed.unwrap_or(true);
    for ((from, to), hosts) in transitions(prev, cur) {
        let n = hosts.len();
        if from == to {
            out.counts.same_state += n;
        } else {
            out.counts.state_changed += n;
        }
        out.cves
            .extend(cve_change(prev, cur, (from, to), hosts, changed));
    }
    out.cves
        .sort_by(|a, b| (a.cause, &a.hosts).cmp(&(b.cause, &b.hosts)));
    out
}

fn hosts_in_and_out(prev: &Snapshot, cur: &Snapshot, out: &mut Changes) {
    for (id, h) in &cur.hosts {
        if !prev.hosts.contains_key(id) {
            out.new_hosts.push(host_change(None, Some(h)));
        }
    }
    for (id, h) in &prev.hosts {
        if !cur.hosts.contains_key(id) {
            let mut gone = host_change(Some(h), None);
            gone.last_seen = h.last_seen.or(prev.as_of);
            out.gone_hosts.push(gone);
        }
    }
    out.counts.new_hosts = out.new_hosts.len();
    out.counts.gone_hosts = out.gone_hosts.len();
}

fn baselines(prev: &Snapshot, cur: &Snapshot, out: &mut Changes) {
    for (id, after) in &cur.hosts {
        let Some(before) = prev.hosts.get(id) else {
            continue;
        };
        match (before.month, after.month) {
            (Some(a), Some(b)) if b > a => {
                out.improved.push(host_change(Some(before), Some(after)))
            }
            (Some(a), Some(b)) if b < a => {
                out.regressed.push(host_change(Some(before), Some(after)))
            }
            _ => {}
        }
    }
    out.counts.improved = out.improved.len();
    out.counts.regressed = out.regressed.len();
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn host(id: &str, state: &str, month: Option<&str>) -> HostRecord {
        HostRecord {
            id: id.into(),
            name: Some(id.to_uppercase()),
            state: state.into(),
            month: month.map(|m| m.parse().expect("month")),
            months_behind: None,
            at_final: month == Some("2026-01"),
            at_goal: month == Some("2026-01"),
            open: 0,
            kev_open: 0,
            last_seen: None,
        }
    }

    fn snap(
        hosts: &[HostRecord],
        states: &[(&str, &[&str])],
        kev: &[&str],
        ident: &str,
    ) -> Snapshot {
        Snapshot {
            run_at: "2026-06-01T00:00:00Z".into(),
            as_of: None,
            goal: "final".into(),
            knowledge: Knowledge {
                origin: "database".into(),
                identity: ident.into(),
                date: None,
                kev: kev.iter().map(|s| s.to_string()).collect(),
            },
            hosts: hosts.iter().map(|h| (h.id.clone(), h.clone())).collect(),
            states: states
                .iter()
                .map(|(k, v)| (Arc::from(*k), v.iter().map(|s| s.to_string()).collect()))
                .collect(),
        }
    }

    #[test]
    fn new_gone_improved_and_regressed() {
        let prev = snap(
            &[
                host("a", "s1", Some("2018-10")),
                host("b", "s2", Some("2026-01")),
                host("gone", "s1", Some("2018-10")),
            ],
            &[("s1", &["CVE-1", "CVE-2"]), ("s2", &[])],
            &[],
            "db1",
        );
        let cur = snap(
            &[
                host("a", "s2", Some("2026-01")),
                host("b", "s1", Some("2018-10")),
                host("new", "s1", Some("2018-10")),
            ],
            &[("s1", &["CVE-1", "CVE-2"]), ("s2", &[])],
            &[],
            "db1",
        );
        let c = compare(&prev, &cur, "history");
        assert_eq!(c.new_hosts.len(), 1);
        assert_eq!(c.new_hosts[0].id, "new");
        assert_eq!(c.gone_hosts.len(), 1);
        assert_eq!(c.gone_hosts[0].id, "gone");
        // Stale: its last baseline is kept, it is never improved nor its CVEs closed.
        assert_eq!(c.gone_hosts[0].month_before, "2018-10".parse().ok());
        assert!(c.improved.iter().all(|h| h.id != "gone"));
        assert!(c
            .cves
            .iter()
            .all(|x| !x.hosts.contains(&"gone".to_string())));
        assert_eq!(c.improved.len(), 1);
        assert_eq!(c.improved[0].id, "a");
        assert_eq!(c.improved[0].month_after, "2026-01".parse().ok());
        assert_eq!(c.regressed.len(), 1);
        assert_eq!(c.regressed[0].id, "b");
        assert_eq!(c.knowledge.changed, Some(false));
        let a = c.cves.iter().find(|x| x.hosts == ["a"]).expect("a changed");
        assert_eq!(
            (a.cause, a.closed.len(), a.opened.len()),
            (Cause::Host, 2, 0)
        );
        let b = c.cves.iter().find(|x| x.hosts == ["b"]).expect("b changed");
        assert_eq!((b.cause, b.opened.len()), (Cause::Host, 2));
        assert_eq!(c.counts.state_changed, 2);
    }

    #[test]
    fn a_newer_database_is_a_change_of_knowledge_not_of_the_host() {
        let h = [
            host("a", "s1", Some("2018-10")),
            host("b", "s1", Some("2018-10")),
        ];
        let prev = snap(&h, &[("s1", &["CVE-1", "CVE-2"])], &[], "wesng 2026-05");
        let cur = snap(
            &h,
            &[("s1", &["CVE-1", "CVE-3"])],
            &["CVE-1"],
            "wesng 2026-06",
        );
        let c = compare(&prev, &cur, "history");
        assert_eq!(c.knowledge.changed, Some(true));
        assert_eq!(c.knowledge.kev_added, ["CVE-1"]);
        assert!(c.improved.is_empty() && c.regressed.is_empty());
        assert_eq!(c.cves.len(), 1);
        let x = &c.cves[0];
        assert_eq!(x.hosts, ["a", "b"]);
        assert_eq!(x.cause, Cause::Knowledge);
        assert_eq!(x.opened, ["CVE-3"]);
        assert_eq!(x.closed, ["CVE-2"]);
        assert_eq!(x.newly_known_exploited, ["CVE-1"]);
        assert_eq!(c.counts.same_state, 2);
    }

    #[test]
    fn both_changing_is_said_so() {
        let prev = snap(
            &[host("a", "s1", Some("2018-10"))],
            &[("s1", &["CVE-1"])],
            &[],
            "db1",
        );
        let cur = snap(
            &[host("a", "s2", Some("2019-10"))],
            &[("s2", &["CVE-9"])],
            &[],
            "db2",
        );
        let c = compare(&prev, &cur, "history");
        assert_eq!(c.cves[0].cause, Cause::HostAndKnowledge);
        assert_eq!(c.counts.improved, 1);
    }

    #[test]
    fn a_stale_host_stays_gone_until_it_returns_and_is_then_not_new() {
        let mut s1 = snap(
            &[
                host("a", "s1", Some("2018-10")),
                host("b", "s1", Some("2018-10")),
            ],
            &[("s1", &["CVE-1"])],
            &[],
            "db1",
        );
        s1.as_of = "2026-05-31".parse().ok();
        let mut s2 = snap(
            &[host("a", "s1", Some("2018-10"))],
            &[("s1", &["CVE-1"])],
            &[],
            "db1",
        );
        s2.as_of = "2026-06-30".parse().ok();
        let c2 = compare(&s1, &s2, "history");
        assert_eq!(c2.gone_hosts[0].last_seen, "2026-05-31".parse().ok());
        // What the history records for run 2 carries b forward, stale.
        let r2 = super::super::carry_forward(&s1, &s2);
        assert_eq!(r2.hosts["b"].last_seen, "2026-05-31".parse().ok());
        let mut s3 = s2.clone();
        s3.as_of = "2026-07-31".parse().ok();
        let c3 = compare(&r2, &s3, "history");
        assert_eq!(c3.gone_hosts.len(), 1, "still gone, still stale");
        assert_eq!(c3.gone_hosts[0].last_seen, "2026-05-31".parse().ok());
        let r3 = super::super::carry_forward(&r2, &s3);
        assert_eq!(r3.hosts["b"].last_seen, "2026-05-31".parse().ok());
        // b returns, patched: improved since its last known record, not new.
        let s4 = snap(
            &[
                host("a", "s1", Some("2018-10")),
                host("b", "s2", Some("2026-01")),
            ],
            &[("s1", &["CVE-1"]), ("s2", &[])],
            &[],
            "db1",
        );
        let c4 = compare(&r3, &s4, "history");
        assert!(c4.new_hosts.is_empty() && c4.gone_hosts.is_empty());
        assert_eq!(c4.improved[0].id, "b");
        assert_eq!(c4.cves[0].closed, ["CVE-1"]);
    }

    #[test]
    fn nothing_changed_says_nothing() {
        let h = [host("a", "s1", Some("2018-10"))];
        let s = snap(&h, &[("s1", &["CVE-1"])], &["CVE-1"], "db1");
        let c = compare(&s, &s, "history");
        assert!(c.cves.is_empty() && c.new_hosts.is_empty() && c.gone_hosts.is_empty());
        assert_eq!(c.counts.same_state, 1);
    }
}
