//! Fleet: every host of a plant or an enterprise in one run.
//!
//! ```text
//! paths ──► walk ──► read (every core) ──► group ──► hosts ──► profiles ──► summary ──► report / exports
//!           walk.rs  walk.rs               group.rs  host.rs   profile.rs   summary.rs  report.rs, export.rs
//! ```
//!
//! * [`walk`] lists the files under the given paths and parses them in
//!   parallel; a file that cannot be used becomes an error, never a stop.
//! * [`group`] groups records into machines by name *and* identity (domain,
//!   product ID, install date): two machines of one name are reported apart
//!   with an `identity-collision` finding.
//! * [`profile`] projects each host onto its servicing state; the
//!   assessment, the plan and the exposure are computed once per distinct
//!   state (a [`profile::Profile`]), in parallel, and shared by its hosts.
//! * [`summary`] and the [`FleetReport`] are pure functions of hosts and
//!   profiles; [`report`] renders the `lastrollup.fleet/1` contract and
//!   Markdown, [`export`] the CSV and JSON Lines files, [`html`] the offline
//!   dashboard.
//!
//! [`FleetReport`] is the model later stages build on: a history store keeps
//! its hosts (by [`host::FleetHost::id`]) and profiles; an HTML dashboard
//! embeds it.

pub mod export;
pub mod group;
pub mod history;
pub mod host;
pub mod html;
pub mod profile;
pub mod report;
pub mod summary;
pub mod walk;

use std::collections::BTreeMap;

use jiff::civil::Date;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::advisory::{KevView, Severity};
use crate::assess::exposure::{AdvisorySource, Origin};
use crate::assess::{Goal, Options};
use crate::catalog::Catalog;
use crate::error::EvidenceError;
use crate::evidence::EvidenceFile;
use crate::report::identify::ErrorView;

pub use host::FleetHost;
pub use profile::Profile;
pub use summary::Summary;

/// The schema id of the fleet contract.
pub const SCHEMA: &str = "lastrollup.fleet/1";

/// What the fleet report says about one CVE, listed once for all profiles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CveInfo<'s> {
    /// Title.
    pub title: &'s str,
    /// The highest MSRC severity over the products read.
    pub severity: Severity,
    /// KEV facts when CISA lists it as exploited.
    pub known_exploited: Option<KevView>,
}

/// The whole fleet: the `lastrollup.fleet/1` document.
#[derive(Debug, Serialize)]
pub struct FleetReport<'s> {
    /// Always [`SCHEMA`].
    pub schema: &'static str,
    /// The day the assessment is for.
    pub as_of: Date,
    /// Where the plans lead.
    pub goal: Goal,
    /// Which advisory facts the exposures rest on.
    pub advisory: Origin,
    /// The fleet at a glance.
    pub summary: Summary,
    /// What changed since an earlier run (`--history`, `--since`); null
    /// when there is none to compare with.
    pub changes: Option<history::Changes>,
    /// Every host, sorted by id.
    pub hosts: Vec<FleetHost>,
    /// Every distinct servicing state, in order of first host.
    pub profiles: Vec<Profile<'s>>,
    /// Every CVE some profile lists, by id.
    pub cves: BTreeMap<&'s str, CveInfo<'s>>,
    /// Files that could not be used.
    pub errors: Vec<ErrorView>,
}

/// How many hosts are reconciled between two de-duplications of their
/// states: bounds the memory the projected states take.
const CHUNK: usize = 2048;

/// Assesses the hosts of `files` (files that failed are `errors`).
pub fn assess<'s>(
    files: &[EvidenceFile],
    errors: &[EvidenceError],
    catalog: &Catalog,
    source: &'s (dyn AdvisorySource + Sync),
    options: Options,
) -> FleetReport<'s> {
    let groups = group::group(files);
    let mut hosts: Vec<FleetHost> = Vec::with_capacity(groups.len());
    let mut index: FxHashMap<profile::StateKey, usize> = FxHashMap::default();
    let mut states: Vec<crate::host::Host> = Vec::new();
    for chunk in groups.chunks(CHUNK) {
        let done: Vec<(FleetHost, profile::StateKey, crate::host::Host)> = chunk
            .par_iter()
            .map(|g| {
                let mut h = crate::host::reconcile(&g.records);
                let mut own = std::mem::take(&mut h.findings);
                own.extend(g.findings.iter().cloned());
                let state = profile::state_of(&h);
                let key = profile::key_of(&state);
                (FleetHost::identity(g.id.clone(), &h, own), key, state)
            })
            .collect();
        for (mut host, key, state) in done {
            let next = index.len();
            let i = *index.entry(key).or_insert_with(|| {
                states.push(state);
                next
            });
            host.profile = i;
            hosts.push(host);
        }
    }
    drop(index);
    let mut profiles: Vec<Profile<'s>> = states
        .par_iter()
        .enumerate()
        .map(|(i, st)| profile::assess_state(format!("p{}", i + 1), st, catalog, source, options))
        .collect();
    drop(states);
    for h in &mut hosts {
        let i = h.profile;
        h.attach(i, &profiles[i]);
        profiles[i].hosts += 1;
    }
    let summary = summary::summarise(&hosts, &profiles, errors.len(), options.goal);
    FleetReport {
        schema: SCHEMA,
        as_of: options.as_of,
        goal: options.goal,
        advisory: source.origin(),
        summary,
        changes: None,
        cves: cve_dictionary(&profiles),
        hosts,
        profiles,
        errors: errors.iter().map(ErrorView::of).collect(),
    }
}

/// Every CVE of every profile, once.
fn cve_dictionary<'s>(profiles: &[Profile<'s>]) -> BTreeMap<&'s str, CveInfo<'s>> {
    let mut out: BTreeMap<&'s str, CveInfo<'s>> = BTreeMap::new();
    for d in profiles.iter().filter_map(|p| p.detail.as_ref()) {
        for c in &d.cves {
            let e = out.entry(c.id).or_insert_with(|| CveInfo {
                title: c.title,
                severity: c.severity,
                known_exploited: c.kev,
            });
            e.severity = e.severity.max(c.severity);
        }
    }
    out
}
