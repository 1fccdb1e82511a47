//! The data the dashboard embeds: a compact projection of the
//! [`FleetReport`], made for the page's script. Hosts are rows of a table
//! (arrays, named once in `columns`); what depends on the servicing state
//! alone (the plan, the servicing findings, the known-exploited CVEs) is in
//! the profile a host points at, and a CVE's title is listed once in `kev`.
//! So the data grows with hosts plus profiles, never with hosts × CVEs.

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::Serialize;

use super::Extras;
use crate::assess::exposure::{Origin, Status};
use crate::assess::{Goal, Step};
use crate::fleet::summary::{HostState, Summary};
use crate::fleet::{report, FleetHost, FleetReport, Profile};
use crate::host::Finding;
use crate::month::Month;

/// The schema id of the embedded data.
pub const SCHEMA: &str = "lastrollup.dashboard/1";

/// The names of a host row's cells, in order (see [`HostRow`]).
pub const COLUMNS: &[&str] = &[
    "id",
    "name",
    "domain",
    "state",
    "months_behind",
    "kev_open",
    "open",
    "unverified",
    "findings",
    "next_step",
    "lifecycle",
    "profile",
    "family",
    "arch",
    "baseline_month",
    "host_findings",
];

/// One host as a row of [`COLUMNS`]: `state` indexes [`Data::states`],
/// `profile` indexes [`Data::profiles`], `findings` counts the errors and
/// warnings, `host_findings` are the host's own findings (identity).
#[derive(Debug, Serialize)]
pub struct HostRow<'r>(
    &'r str,
    Option<&'r str>,
    Option<&'r str>,
    usize,
    Option<i32>,
    usize,
    usize,
    usize,
    usize,
    Option<&'r str>,
    Option<&'static str>,
    usize,
    Option<&'r str>,
    Option<&'r str>,
    Option<Month>,
    &'r [Finding],
);

/// A state of the fleet and how many hosts are in it.
#[derive(Debug, Serialize)]
pub struct StateRow {
    /// For people: `at the final baseline`, `7-12 months behind` …
    pub label: String,
    /// Hosts in it.
    pub hosts: usize,
}

/// What the drill-down shows of a profile.
#[derive(Debug, Serialize)]
pub struct ProfileView<'r> {
    /// `p1` …
    pub id: &'r str,
    /// Hosts sharing it.
    pub hosts: usize,
    /// `assessed`, `not-nt60` or `unknown`.
    pub status: &'static str,
    /// The product, for people.
    pub product_name: Option<&'r str>,
    /// Architecture.
    pub arch: Option<&'r str>,
    /// Why it was not assessed.
    pub reason: Option<&'r str>,
    /// The install plan, with each step's reason.
    pub plan: &'r [Step],
    /// The servicing findings every host of it has.
    pub findings: &'r [Finding],
    /// Open known-exploited CVEs (keys of [`Data::kev`]).
    pub kev_open: Vec<&'r str>,
    /// Known-exploited CVEs the evidence cannot tell.
    pub kev_unverified: Vec<&'r str>,
}

/// A known-exploited CVE, listed once.
#[derive(Debug, Serialize)]
pub struct KevInfo<'r> {
    /// Title.
    pub title: &'r str,
    /// When CISA added it.
    pub date_added: Date,
    /// Known use by ransomware.
    pub ransomware: bool,
}

/// Everything the page's script reads.
#[derive(Debug, Serialize)]
pub struct Data<'r> {
    /// Always [`SCHEMA`].
    pub schema: &'static str,
    /// The day the assessment is for.
    pub as_of: Date,
    /// Where the plans lead.
    pub goal: Goal,
    /// Which advisory facts the exposures rest on.
    pub advisory: Origin,
    /// The summary of the report.
    pub summary: &'r Summary,
    /// The states hosts can be in, in order.
    pub states: Vec<StateRow>,
    /// The names of a host row's cells.
    pub columns: &'static [&'static str],
    /// Every host, sorted by id.
    pub hosts: Vec<HostRow<'r>>,
    /// Every profile.
    pub profiles: Vec<ProfileView<'r>>,
    /// The known-exploited CVEs some profile lists.
    pub kev: BTreeMap<&'r str, KevInfo<'r>>,
    /// What changed since the previous run, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changes: Option<&'r serde_json::Value>,
    /// The fleet over the runs of its history, oldest first.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub trend: &'r [super::TrendPoint],
}

fn host_row<'r>(h: &'r FleetHost, p: &'r Profile<'_>) -> HostRow<'r> {
    HostRow(
        &h.id,
        h.host.name.as_deref(),
        h.host.domain.as_deref(),
        HostState::of(h, p).index(),
        h.months_behind(),
        h.exposure.known_exploited,
        h.exposure.open,
        h.exposure.unverified,
        h.findings.error + h.findings.warning,
        h.baseline
            .as_ref()
            .and_then(|b| b.next_steps.first())
            .map(String::as_str),
        h.lifecycle,
        h.profile,
        h.os.family.as_deref(),
        h.os.arch.as_deref(),
        h.baseline.as_ref().and_then(|b| b.month),
        &h.findings.host,
    )
}

fn kev_ids<'r>(p: &'r Profile<'_>, status: Status) -> Vec<&'r str> {
    p.detail
        .iter()
        .flat_map(|d| d.cves.iter())
        .filter(|c| c.status == status && c.kev.is_some())
        .map(|c| c.id)
        .collect()
}

fn profile_view<'r>(p: &'r Profile<'_>) -> ProfileView<'r> {
    ProfileView {
        id: &p.id,
        hosts: p.hosts,
        status: p.status,
        product_name: p.product_name.as_deref(),
        arch: p.arch.as_deref(),
        reason: p.reason.as_deref(),
        plan: &p.plan,
        findings: &p.findings,
        kev_open: kev_ids(p, Status::Open),
        kev_unverified: kev_ids(p, Status::Unverified),
    }
}

fn kev_dictionary<'r>(report: &'r FleetReport<'_>) -> BTreeMap<&'r str, KevInfo<'r>> {
    report
        .cves
        .iter()
        .filter_map(|(id, c)| {
            c.known_exploited.map(|k| {
                let info = KevInfo {
                    title: c.title,
                    date_added: k.date_added,
                    ransomware: k.ransomware,
                };
                (*id, info)
            })
        })
        .collect()
}

/// The data of the report, with the extras of a history when there is one.
pub fn of<'r>(report: &'r FleetReport<'_>, extras: &'r Extras) -> Data<'r> {
    Data {
        schema: SCHEMA,
        as_of: report.as_of,
        goal: report.goal,
        advisory: report.advisory,
        summary: &report.summary,
        states: report::state_rows(&report.summary.states)
            .into_iter()
            .map(|(label, hosts)| StateRow { label, hosts })
            .collect(),
        columns: COLUMNS,
        hosts: report
            .hosts
            .iter()
            .map(|h| host_row(h, &report.profiles[h.profile]))
            .collect(),
        profiles: report.profiles.iter().map(profile_view).collect(),
        kev: kev_dictionary(report),
        changes: extras.changes.as_ref(),
        trend: &extras.trend,
    }
}
