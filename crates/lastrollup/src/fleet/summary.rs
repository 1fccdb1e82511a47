//! The fleet at a glance: hosts by state, the next best actions, the
//! known-exploited CVEs by hosts open, the worst hosts, lifecycle, identity
//! collisions. Pure functions over the hosts and their profiles; most of the
//! work is per profile, weighted by its host count.

use std::collections::BTreeMap;

use serde::Serialize;

use super::host::FleetHost;
use super::profile::Profile;
use crate::assess::exposure::Status;
use crate::assess::Goal;

/// A range of months behind and how many hosts fall in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Bucket {
    /// `1-6`, `7-12`, `13-24`, `25-48` or `49+`.
    pub label: &'static str,
    /// Lowest months behind in the bucket.
    pub min: i32,
    /// Highest months behind; null for the last bucket.
    pub max: Option<i32>,
    /// Hosts in it.
    pub hosts: usize,
}

const BUCKETS: [(&str, i32, Option<i32>); 5] = [
    ("1-6", 1, Some(6)),
    ("7-12", 7, Some(12)),
    ("13-24", 13, Some(24)),
    ("25-48", 25, Some(48)),
    ("49+", 49, None),
];

/// Hosts by state; every host is in exactly one of `at_final`, a `behind`
/// bucket, `behind_unknown`, `no_rollups`, `not_nt60` and `unassessable`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct States {
    /// At the final baseline.
    pub at_final: usize,
    /// At the goal of the plan (equals `at_final` with `--goal final`).
    pub at_goal: usize,
    /// Behind the final baseline, by months.
    pub behind: Vec<Bucket>,
    /// NT 6.0 with rollups, but the evidence shows neither an update list
    /// nor a kernel revision.
    pub behind_unknown: usize,
    /// NT 6.0 releases that never had monthly rollups (below SP2 on a
    /// product without them): migrate.
    pub no_rollups: usize,
    /// Not NT 6.0.
    pub not_nt60: usize,
    /// Could not be assessed (family or version unknown).
    pub unassessable: usize,
}

/// One update to install, and on how many hosts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Action {
    /// `KB5073697`.
    pub kb: String,
    /// Step kind (`monthly_rollup`, `ssu`, `sha2`, `esu_prep` …).
    pub kind: &'static str,
    /// Title.
    pub title: String,
    /// Hosts whose plan holds it.
    pub hosts: usize,
    /// Hosts whose plan begins with it.
    pub first_on: usize,
    /// Hosts that reach the goal with it (it is their plan's monthly rollup).
    pub reach_goal: usize,
    /// The action, for people.
    pub text: String,
}

/// A known-exploited CVE and the hosts open to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KevRow {
    /// `CVE-2017-0144`.
    pub cve: String,
    /// Title.
    pub title: String,
    /// Hosts the evidence shows open.
    pub hosts_open: usize,
    /// Hosts where the evidence cannot tell.
    pub hosts_unverified: usize,
    /// When CISA added it.
    pub date_added: jiff::civil::Date,
    /// Known use by ransomware.
    pub ransomware: bool,
}

/// One of the worst hosts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorstHost {
    /// Host id.
    pub id: String,
    /// Host name.
    pub name: Option<String>,
    /// Months behind.
    pub months_behind: Option<i32>,
    /// Open known-exploited CVEs.
    pub known_exploited: usize,
    /// Open CVEs.
    pub open: usize,
    /// The first step of its plan.
    pub next_step: Option<String>,
}

/// Hosts in one lifecycle state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LifecycleRow {
    /// Family slug.
    pub family: String,
    /// `extended`, `esu`, `premium-assurance`, `ended` …
    pub state: &'static str,
    /// The phase's name, when the day falls in one.
    pub phase: Option<String>,
    /// Whether any update can still come.
    pub updates_can_still_come: bool,
    /// Hosts.
    pub hosts: usize,
}

/// Several machines with one name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Collision {
    /// The shared name (lower case).
    pub name: String,
    /// The ids of the hosts reported apart.
    pub hosts: Vec<String>,
}

/// The summary of the fleet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Hosts.
    pub hosts: usize,
    /// Distinct servicing states (exposure profiles).
    pub profiles: usize,
    /// Files that could not be used.
    pub unusable_files: usize,
    /// Hosts by state.
    pub states: States,
    /// The next best actions, most hosts first.
    pub next_actions: Vec<Action>,
    /// Known-exploited CVEs by hosts open, most first.
    pub known_exploited: Vec<KevRow>,
    /// The worst hosts (most open known-exploited CVEs, then most months
    /// behind, then most open CVEs), at most [`WORST`].
    pub worst_hosts: Vec<WorstHost>,
    /// Hosts by lifecycle state.
    pub lifecycle: Vec<LifecycleRow>,
    /// Names shared by several machines.
    pub identity_collisions: Vec<Collision>,
}

/// How many worst hosts the summary lists.
pub const WORST: usize = 20;

/// Summarises hosts and profiles (`profiles[h.profile]` is a host's).
pub fn summarise(
    hosts: &[FleetHost],
    profiles: &[Profile<'_>],
    unusable_files: usize,
    goal: Goal,
) -> Summary {
    Summary {
        hosts: hosts.len(),
        profiles: profiles.len(),
        unusable_files,
        states: states(hosts, profiles),
        next_actions: actions(profiles, goal),
        known_exploited: kev_rows(profiles),
        worst_hosts: worst(hosts),
        lifecycle: lifecycle(profiles),
        identity_collisions: collisions(hosts),
    }
}

/// The one state of [`States`] a host is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostState {
    /// At the final baseline.
    AtFinal,
    /// Behind by a known number of months: the index of its bucket in
    /// [`States::behind`].
    Behind(usize),
    /// Behind, months unknown.
    BehindUnknown,
    /// NT 6.0 without monthly rollups.
    NoRollups,
    /// Not NT 6.0.
    NotNt60,
    /// Could not be assessed.
    Unassessable,
}

impl HostState {
    /// The host's state, from the host and its profile.
    pub fn of(h: &FleetHost, p: &Profile<'_>) -> HostState {
        match (p.status, &h.baseline) {
            ("not-nt60", _) => HostState::NotNt60,
            ("assessed", Some(b)) if b.at_final => HostState::AtFinal,
            ("assessed", Some(b)) => match b.months_behind {
                Some(m) => BUCKETS
                    .iter()
                    .position(|(_, min, max)| m >= *min && max.is_none_or(|x| m <= x))
                    // Not at the final baseline yet less than a month
                    // behind: the nearest bucket.
                    .map_or(HostState::Behind(0), HostState::Behind),
                None => HostState::BehindUnknown,
            },
            ("assessed", None) => HostState::NoRollups,
            _ => HostState::Unassessable,
        }
    }

    /// Its position in the rows of `report::state_rows` (at the final
    /// baseline, the buckets of months behind, months unknown, without
    /// rollups, not NT 6.0, unassessable).
    pub fn index(self) -> usize {
        match self {
            HostState::AtFinal => 0,
            HostState::Behind(i) => 1 + i,
            HostState::BehindUnknown => 1 + BUCKETS.len(),
            HostState::NoRollups => 2 + BUCKETS.len(),
            HostState::NotNt60 => 3 + BUCKETS.len(),
            HostState::Unassessable => 4 + BUCKETS.len(),
        }
    }
}

fn states(hosts: &[FleetHost], profiles: &[Profile<'_>]) -> States {
    let mut s = States {
        at_final: 0,
        at_goal: 0,
        behind: BUCKETS
            .iter()
            .map(|(label, min, max)| Bucket {
                label,
                min: *min,
                max: *max,
                hosts: 0,
            })
            .collect(),
        behind_unknown: 0,
        no_rollups: 0,
        not_nt60: 0,
        unassessable: 0,
    };
    for h in hosts {
        let p = &profiles[h.profile];
        s.at_goal +=
            usize::from(p.status == "assessed" && h.baseline.as_ref().is_some_and(|b| b.at_goal));
        match HostState::of(h, p) {
            HostState::AtFinal => s.at_final += 1,
            HostState::Behind(i) => s.behind[i].hosts += 1,
            HostState::BehindUnknown => s.behind_unknown += 1,
            HostState::NoRollups => s.no_rollups += 1,
            HostState::NotNt60 => s.not_nt60 += 1,
            HostState::Unassessable => s.unassessable += 1,
        }
    }
    s
}

fn action_text(a: &Action, goal: Goal) -> String {
    let hosts = |n: usize| {
        if n == 1 {
            "1 host".to_string()
        } else {
            format!("{n} hosts")
        }
    };
    if a.reach_goal > 0 {
        let target = match goal {
            Goal::Final => "the final baseline",
            Goal::WithoutEsu => "the last baseline without ESU",
        };
        let after = a.reach_goal - a.first_on.min(a.reach_goal);
        let mut t = format!("install {}: {} reach {target}", a.kb, hosts(a.reach_goal));
        if after > 0 {
            t.push_str(&format!(
                " ({after} of them after the prerequisites listed)"
            ));
        }
        t
    } else if a.first_on > 0 {
        format!(
            "install {} first on {} ({})",
            a.kb,
            hosts(a.first_on),
            a.title
        )
    } else {
        format!("install {} on {} ({})", a.kb, hosts(a.hosts), a.title)
    }
}

fn actions(profiles: &[Profile<'_>], goal: Goal) -> Vec<Action> {
    let mut by_kb: BTreeMap<String, Action> = BTreeMap::new();
    for p in profiles {
        for (i, step) in p.plan.iter().enumerate() {
            let Some(kb) = &step.kb else { continue };
            let a = by_kb.entry(kb.clone()).or_insert_with(|| Action {
                kb: kb.clone(),
                kind: step.kind,
                title: step.title.clone(),
                hosts: 0,
                first_on: 0,
                reach_goal: 0,
                text: String::new(),
            });
            a.hosts += p.hosts;
            a.first_on += if i == 0 { p.hosts } else { 0 };
            a.reach_goal += if step.kind == "monthly_rollup" {
                p.hosts
            } else {
                0
            };
        }
    }
    let mut out: Vec<Action> = by_kb.into_values().collect();
    for a in &mut out {
        a.text = action_text(a, goal);
    }
    out.sort_by(|a, b| {
        (b.reach_goal, b.hosts, b.first_on)
            .cmp(&(a.reach_goal, a.hosts, a.first_on))
            .then_with(|| a.kb.cmp(&b.kb))
    });
    out
}

fn kev_rows(profiles: &[Profile<'_>]) -> Vec<KevRow> {
    let mut rows: BTreeMap<&str, KevRow> = BTreeMap::new();
    for p in profiles {
        let Some(d) = &p.detail else { continue };
        for c in &d.cves {
            let Some(k) = &c.kev else { continue };
            let row = rows.entry(c.id).or_insert_with(|| KevRow {
                cve: c.id.to_owned(),
                title: c.title.to_owned(),
                hosts_open: 0,
                hosts_unverified: 0,
                date_added: k.date_added,
                ransomware: k.ransomware,
            });
            match c.status {
                Status::Open => row.hosts_open += p.hosts,
                Status::Unverified => row.hosts_unverified += p.hosts,
            }
        }
    }
    let mut out: Vec<KevRow> = rows.into_values().collect();
    out.sort_by(|a, b| {
        (b.hosts_open, b.hosts_unverified)
            .cmp(&(a.hosts_open, a.hosts_unverified))
            .then_with(|| a.cve.cmp(&b.cve))
    });
    out
}

fn worst(hosts: &[FleetHost]) -> Vec<WorstHost> {
    let mut v: Vec<&FleetHost> = hosts
        .iter()
        .filter(|h| {
            h.status == "assessed"
                && (h.exposure.open > 0 || h.baseline.as_ref().is_some_and(|b| !b.at_goal))
        })
        .collect();
    v.sort_by(|a, b| {
        let key = |h: &FleetHost| {
            (
                h.exposure.known_exploited,
                h.months_behind().unwrap_or(-1),
                h.exposure.open,
            )
        };
        key(b).cmp(&key(a)).then_with(|| a.id.cmp(&b.id))
    });
    v.into_iter()
        .take(WORST)
        .map(|h| WorstHost {
            id: h.id.clone(),
            name: h.host.name.clone(),
            months_behind: h.months_behind(),
            known_exploited: h.exposure.known_exploited,
            open: h.exposure.open,
            next_step: h
                .baseline
                .as_ref()
                .and_then(|b| b.next_steps.first().cloned()),
        })
        .collect()
}

fn lifecycle(profiles: &[Profile<'_>]) -> Vec<LifecycleRow> {
    let mut rows: BTreeMap<(String, &'static str), LifecycleRow> = BTreeMap::new();
    for p in profiles {
        let Some(l) = &p.lifecycle else { continue };
        rows.entry((l.family.clone(), l.state))
            .or_insert_with(|| LifecycleRow {
                family: l.family.clone(),
                state: l.state,
                phase: l.phase.as_ref().map(|ph| ph.name.clone()),
                updates_can_still_come: l.updates_can_still_come,
                hosts: 0,
            })
            .hosts += p.hosts;
    }
    rows.into_values().collect()
}

fn collisions(hosts: &[FleetHost]) -> Vec<Collision> {
    let mut by_name: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for h in hosts {
        if h.findings.ids.contains(&"identity-collision") {
            if let Some((name, _)) = h.id.split_once('@') {
                by_name.entry(name).or_default().push(h.id.clone());
            }
        }
    }
    by_name
        .into_iter()
        .map(|(name, hosts)| Collision {
            name: name.to_owned(),
            hosts,
        })
        .collect()
}
