//! Servicing states and exposure profiles.
//!
//! What [`crate::assess::assess`] and [`crate::assess::exposure::exposure`]
//! decide about a host depends on its operating system (family, edition,
//! installation, architecture, service pack, build, revision, branch, build
//! lab), its role, its installed-update list and the collector's servicing
//! state (stack version, SHA-2, ESU licence, pending restart, IE and .NET) —
//! never on its name, its dates or which file said what. [`state_of`]
//! projects a host onto exactly those values, and [`StateKey`] is their
//! canonical text: hosts with one key share one [`Profile`], computed once
//! (the baseline, the plan, the lifecycle, the servicing findings and the
//! exposure). The fleet report lists each profile once with its CVE ids, so
//! it grows with hosts plus distinct profiles, never with hosts × CVEs.

use serde::Serialize;

use crate::assess::exposure::{self, AdvisorySource, Counts, Exposure, FixCount, Origin, Status};
use crate::assess::{self, Baseline, LifecycleStatus, Options, Step};
use crate::catalog::Catalog;
use crate::host::servicing::Servicing;
use crate::host::{Finding, Host, InstalledUpdate, OsIdentity, Source, Sourced};

/// The canonical text of a servicing state: equal keys, equal assessments.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StateKey(String);

impl StateKey {
    /// The key as text (JSON of the projected values).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Replaces a value's source with an anonymous one of the same format.
fn blank<T: Clone>(s: &Option<Sourced<T>>) -> Option<Sourced<T>> {
    s.as_ref().map(|s| Sourced {
        value: s.value.clone(),
        source: blank_source(&s.source),
    })
}

fn blank_source(s: &Source) -> Source {
    Source {
        file: String::new(),
        line: None,
        format: s.format,
        derived: None,
    }
}

fn blank_all(v: &[Sourced<String>]) -> Vec<Sourced<String>> {
    v.iter()
        .map(|s| Sourced {
            value: s.value.clone(),
            source: blank_source(&s.source),
        })
        .collect()
}

fn blank_os(os: &OsIdentity) -> OsIdentity {
    OsIdentity {
        nt_version: blank(&os.nt_version),
        family: blank(&os.family),
        product_name: blank(&os.product_name),
        edition: blank(&os.edition),
        installation: blank(&os.installation),
        arch: blank(&os.arch),
        service_pack: blank(&os.service_pack),
        build: blank(&os.build),
        revision: blank(&os.revision),
        branch: blank(&os.branch),
        build_lab: blank(&os.build_lab),
        build_lab_date: blank(&os.build_lab_date),
    }
}

fn blank_servicing(s: &Servicing) -> Servicing {
    Servicing {
        stack_version: blank(&s.stack_version),
        sha2_support: blank(&s.sha2_support),
        pending_reboot: s.pending_reboot.as_deref().map(blank_all),
        esu_licenses: s.esu_licenses.as_deref().map(blank_all),
        ie_version: blank(&s.ie_version),
        dotnet: blank_all(&s.dotnet),
    }
}

/// The values of a host an assessment reads, as a host with no name, no
/// dates, no findings and anonymous sources.
pub fn state_of(host: &Host) -> Host {
    Host {
        role: blank(&host.role),
        os: blank_os(&host.os),
        updates: host
            .updates
            .iter()
            .map(|u| InstalledUpdate {
                id: u.id.clone(),
                installed_on: None,
                description: None,
                sources: u.sources.first().map(blank_source).into_iter().collect(),
            })
            .collect(),
        update_list: host.update_list,
        servicing: blank_servicing(&host.servicing),
        ..Host::default()
    }
}

/// The key of a projected state (see [`state_of`]).
pub fn key_of(state: &Host) -> StateKey {
    #[derive(Serialize)]
    struct View<'a> {
        role: Option<crate::host::Role>,
        os: &'a OsIdentity,
        updates: Vec<&'a crate::evidence::UpdateId>,
        update_list: bool,
        servicing: &'a Servicing,
    }
    let view = View {
        role: state.role.as_ref().map(|r| r.value),
        os: &state.os,
        updates: state.updates.iter().map(|u| &u.id).collect(),
        update_list: state.update_list,
        servicing: &state.servicing,
    };
    // Serializing strings, numbers and enums cannot fail.
    StateKey(serde_json::to_string(&view).unwrap_or_default())
}

/// The CVEs of a profile, by id.
#[derive(Debug, Clone, Serialize)]
pub struct ProfileExposure<'s> {
    /// Which advisory facts it rests on.
    pub origin: Origin,
    /// The MSRC products read.
    pub products: Vec<String>,
    /// Counts (open, unverified, known-exploited, by severity …).
    pub counts: Counts,
    /// The CVEs the evidence shows open, known-exploited first.
    pub open: Vec<&'s str>,
    /// The CVEs the evidence cannot tell (see the `cves` dictionary).
    pub unverified: Vec<&'s str>,
    /// The open or unverified CVEs CISA lists as known exploited.
    pub known_exploited: Vec<&'s str>,
    /// The updates that close the most CVEs, most first.
    pub top_fixes: Vec<FixCount>,
    /// How it was computed.
    pub notes: Vec<String>,
}

impl<'s> ProfileExposure<'s> {
    fn of(e: &Exposure<'s>) -> ProfileExposure<'s> {
        let ids = |s: Status| e.cves.iter().filter(move |c| c.status == s).map(|c| c.id);
        ProfileExposure {
            origin: e.origin,
            products: e.products.clone(),
            counts: e.counts.clone(),
            open: ids(Status::Open).collect(),
            unverified: ids(Status::Unverified).collect(),
            known_exploited: e
                .cves
                .iter()
                .filter(|c| c.kev.is_some())
                .map(|c| c.id)
                .collect(),
            top_fixes: e.top_fixes.clone(),
            notes: e.notes.clone(),
        }
    }

    /// How many open CVEs are known exploited.
    pub fn open_kev(&self, detail: &Exposure<'_>) -> usize {
        detail
            .cves
            .iter()
            .filter(|c| c.status == Status::Open && c.kev.is_some())
            .count()
    }
}

/// One servicing state shared by one or more hosts, with everything that
/// depends on it alone.
#[derive(Debug, Clone, Serialize)]
pub struct Profile<'s> {
    /// `p1`, `p2` … in order of first host.
    pub id: String,
    /// How many hosts share it.
    pub hosts: usize,
    /// `assessed`, `not-nt60` or `unknown`.
    pub status: &'static str,
    /// Serviced product id.
    pub product: Option<String>,
    /// Product name.
    pub product_name: Option<String>,
    /// Architecture the catalog was read for.
    pub arch: Option<String>,
    /// What the host is when not NT 6.0, or why it could not be assessed.
    pub reason: Option<String>,
    /// Installed updates the state lists.
    pub installed_updates: usize,
    /// The baseline (as in `lastrollup.check/1`).
    pub baseline: Option<Baseline>,
    /// The install plan, in order.
    pub plan: Vec<Step>,
    /// Lifecycle on the as-of day.
    pub lifecycle: Option<LifecycleStatus>,
    /// Findings of the assessment; they hold for every host of the profile
    /// (their file sources are on each host's own captures).
    pub findings: Vec<Finding>,
    /// The CVEs, by id.
    pub exposure: Option<ProfileExposure<'s>>,
    /// The full exposure (titles, fixes per CVE), for exports and renderers.
    #[serde(skip)]
    pub detail: Option<Exposure<'s>>,
    /// How many open CVEs are known exploited.
    #[serde(skip)]
    pub open_kev: usize,
    /// The servicing state's key ([`key_of`]): its identity across runs.
    #[serde(skip)]
    pub key: StateKey,
}

impl Profile<'_> {
    /// Whether its hosts are open to a CVE an update within `goal` fixes
    /// (as [`crate::assess::Assessment::open_within_goal`]).
    pub fn open_within_goal(&self, goal: crate::assess::Goal) -> bool {
        let Some(d) = &self.detail else {
            return false;
        };
        let limit = match goal {
            crate::assess::Goal::Final => None,
            crate::assess::Goal::WithoutEsu => self
                .baseline
                .as_ref()
                .and_then(|b| b.without_esu.as_ref())
                .map(|w| w.month),
        };
        d.cves.iter().any(|c| {
            c.status == Status::Open && limit.is_none_or(|l| c.month.is_none_or(|m| m <= l))
        })
    }
}

/// Assesses one servicing state (a host projected by [`state_of`]).
pub fn assess_state<'s>(
    id: String,
    state: &Host,
    catalog: &Catalog,
    source: &'s dyn AdvisorySource,
    options: Options,
) -> Profile<'s> {
    let mut a = assess::assess(state, catalog, options);
    let detail = exposure::exposure(state, catalog, &a, source);
    let mut findings = std::mem::take(&mut a.findings);
    for f in &mut findings {
        // Anonymous sources say nothing; the host's own captures do.
        f.sources.clear();
    }
    let exposure = detail.as_ref().map(ProfileExposure::of);
    let open_kev = match (&exposure, &detail) {
        (Some(e), Some(d)) => e.open_kev(d),
        _ => 0,
    };
    Profile {
        id,
        hosts: 0,
        status: a.status,
        product: a.product,
        product_name: a.product_name,
        arch: a.arch,
        reason: a.reason,
        installed_updates: state.updates.len(),
        baseline: a.baseline,
        plan: a.missing,
        lifecycle: a.lifecycle,
        findings,
        exposure,
        detail,
        open_kev,
        key: key_of(state),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(bytes: &[u8], file: &str) -> Host {
        let f = crate::evidence::read_file(file, bytes).unwrap();
        crate::host::identify(&[f]).remove(0)
    }

    fn replace(bytes: &[u8], from: &str, to: &str) -> Vec<u8> {
        let at = bytes
            .windows(from.len())
            .position(|w| w == from.as_bytes())
            .unwrap();
        [&bytes[..at], to.as_bytes(), &bytes[at + from.len()..]].concat()
    }

    #[test]
    fn key_ignores_identity_and_files_but_not_updates() {
        let a = include_bytes!("../../tests/fixtures/systeminfo/en_srv2008_standard_x64_6003.txt");
        let b = replace(a, "WIN2008DC01", "OTHER01");
        let c = replace(a, "KB5073697", "KB5066872");
        let (ha, hb) = (host(a, "a.txt"), host(&b, "other/b.txt"));
        assert_ne!(ha.name, hb.name);
        let ka = key_of(&state_of(&ha));
        let kb = key_of(&state_of(&hb));
        let kc = key_of(&state_of(&host(&c, "a.txt")));
        assert_eq!(ka, kb);
        assert_ne!(ka, kc);
        assert!(!ka.as_str().contains("a.txt"));
    }
}
