//! One host of the fleet report: its identity (the `host` and `os` objects
//! of `lastrollup.check/1`), its baseline and counts, and the exposure
//! profile it points at. Owned, so that the evidence and the reconciled
//! [`Host`] can be dropped once it is built.

use serde::Serialize;

use super::profile::Profile;
use crate::host::{Finding, Host, Severity, Sourced};
use crate::month::Month;

/// The `host` object of `lastrollup.check/1`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct HostFields {
    /// Host name.
    pub name: Option<String>,
    /// Domain or workgroup.
    pub domain: Option<String>,
    /// Role slug.
    pub role: Option<&'static str>,
    /// System locale.
    pub locale: Option<String>,
    /// Install date as printed.
    pub install_date: Option<String>,
    /// Boot time as printed.
    pub boot_time: Option<String>,
}

/// The `os` object of `lastrollup.check/1`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct OsFields {
    /// `6.0`.
    pub nt_version: Option<String>,
    /// Family slug.
    pub family: Option<String>,
    /// Product name.
    pub product_name: Option<String>,
    /// Edition slug.
    pub edition: Option<String>,
    /// `full` / `server-core`.
    pub installation: Option<String>,
    /// `x86` / `x64` / `ia64`.
    pub arch: Option<String>,
    /// Service pack number.
    pub service_pack: Option<u8>,
    /// Build.
    pub build: Option<u32>,
    /// Revision.
    pub revision: Option<u32>,
    /// `gdr` / `ldr`.
    pub branch: Option<String>,
    /// BuildLabEx or BuildLab.
    pub build_lab: Option<String>,
    /// Compile date of the build lab.
    pub build_lab_date: Option<String>,
}

fn s(v: &Option<Sourced<String>>) -> Option<String> {
    v.as_ref().map(|x| x.value.clone())
}

fn c<T: Copy>(v: &Option<Sourced<T>>) -> Option<T> {
    v.as_ref().map(|x| x.value)
}

impl HostFields {
    /// The fields of a reconciled host.
    pub fn of(h: &Host) -> HostFields {
        HostFields {
            name: s(&h.name),
            domain: s(&h.domain),
            role: h.role.as_ref().map(|r| r.value.name()),
            locale: s(&h.locale),
            install_date: s(&h.install_date),
            boot_time: s(&h.boot_time),
        }
    }
}

impl OsFields {
    /// The fields of a reconciled host.
    pub fn of(h: &Host) -> OsFields {
        let os = &h.os;
        OsFields {
            nt_version: s(&os.nt_version),
            family: s(&os.family),
            product_name: s(&os.product_name),
            edition: s(&os.edition),
            installation: os.installation.as_ref().map(|i| i.value.to_string()),
            arch: os.arch.as_ref().map(|a| a.value.to_string()),
            service_pack: c(&os.service_pack),
            build: c(&os.build),
            revision: c(&os.revision),
            branch: s(&os.branch),
            build_lab: s(&os.build_lab),
            build_lab_date: s(&os.build_lab_date),
        }
    }
}

/// A host's baseline: where it stands and what comes next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HostBaseline {
    /// The security baseline month.
    pub month: Option<Month>,
    /// Monthly rollups behind the final one; null when the evidence cannot tell.
    pub months_behind: Option<i32>,
    /// Whether the host is at its final baseline.
    pub at_final: bool,
    /// Whether the host has reached the goal (`--goal`).
    pub at_goal: bool,
    /// `update-list`, `kernel-revision` or `none`.
    pub basis: crate::assess::Basis,
    /// The plan's steps, in order: KBs, and `reboot`.
    pub next_steps: Vec<String>,
}

/// How many CVEs a host is open to, from its profile.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct HostExposure {
    /// The exposure profile's id (`p3`).
    pub profile: String,
    /// CVEs the evidence shows open.
    pub open: usize,
    /// CVEs the evidence cannot tell.
    pub unverified: usize,
    /// Open CVEs that CISA lists as known exploited.
    pub known_exploited: usize,
    /// Open or unverified known-exploited CVEs.
    pub known_exploited_any: usize,
}

/// Findings of a host by severity: its own (identity) and its profile's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FindingCounts {
    /// Errors.
    pub error: usize,
    /// Warnings.
    pub warning: usize,
    /// Information.
    pub info: usize,
    /// The finding ids, sorted, without repeats.
    pub ids: Vec<&'static str>,
    /// The host's own findings (identity, grouping) in full; the profile's
    /// are in the profile.
    pub host: Vec<Finding>,
}

impl FindingCounts {
    /// Counts the host's findings and its profile's.
    pub fn of(own: Vec<Finding>, profile: &[Finding]) -> FindingCounts {
        let mut out = FindingCounts::default();
        for f in own.iter().chain(profile) {
            match f.severity {
                Severity::Error => out.error += 1,
                Severity::Warning => out.warning += 1,
                Severity::Info => out.info += 1,
            }
            out.ids.push(f.id);
        }
        out.ids.sort_unstable();
        out.ids.dedup();
        out.host = own;
        out
    }
}

/// One host of the fleet.
#[derive(Debug, Clone, Serialize)]
pub struct FleetHost {
    /// Stable id (see [`super::group::HostGroup::id`]).
    pub id: String,
    /// The `host` object of `lastrollup.check/1`.
    pub host: HostFields,
    /// The `os` object of `lastrollup.check/1`.
    pub os: OsFields,
    /// The Windows product ID, part of the identity.
    pub product_id: Option<String>,
    /// `assessed`, `not-nt60` or `unknown`.
    pub status: &'static str,
    /// Serviced product id.
    pub product: Option<String>,
    /// What the host is when not NT 6.0, or why it could not be assessed.
    pub reason: Option<String>,
    /// The baseline; null when not assessed.
    pub baseline: Option<HostBaseline>,
    /// CVE counts and the profile.
    pub exposure: HostExposure,
    /// Findings by severity.
    pub findings: FindingCounts,
    /// Lifecycle state on the as-of day (`esu`, `ended` …).
    pub lifecycle: Option<&'static str>,
    /// The files the host was read from.
    pub sources: Vec<String>,
    /// Index of the profile in the report's `profiles`.
    #[serde(skip)]
    pub profile: usize,
}

/// The host's file names, each once, in order (a bundle gives one source per section).
fn files(host: &Host) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(host.sources.len());
    for s in &host.sources {
        if !out.contains(&s.file) {
            out.push(s.file.clone());
        }
    }
    out
}

impl FleetHost {
    /// The host's identity, before its profile is known: status `unknown`,
    /// no baseline, only its own findings.
    pub fn identity(id: String, host: &Host, own: Vec<Finding>) -> Self {
        FleetHost {
            id,
            host: HostFields::of(host),
            os: OsFields::of(host),
            product_id: s(&host.product_id),
            status: "unknown",
            product: None,
            reason: None,
            baseline: None,
            exposure: HostExposure::default(),
            findings: FindingCounts::of(own, &[]),
            lifecycle: None,
            sources: files(host),
            profile: 0,
        }
    }

    /// Points the host at its profile (`index` in the report's list) and
    /// takes the baseline, counts and findings from it.
    pub fn attach(&mut self, index: usize, p: &Profile<'_>) {
        self.profile = index;
        self.status = p.status;
        self.product.clone_from(&p.product);
        self.reason.clone_from(&p.reason);
        self.exposure = HostExposure {
            profile: p.id.clone(),
            ..HostExposure::default()
        };
        if let Some(e) = &p.exposure {
            self.exposure.open = e.counts.open;
            self.exposure.unverified = e.counts.unverified;
            self.exposure.known_exploited = p.open_kev;
            self.exposure.known_exploited_any = e.counts.kev;
        }
        self.baseline = p.baseline.as_ref().map(|b| HostBaseline {
            month: b.month,
            months_behind: b.months_behind,
            at_final: b.at_final,
            at_goal: b.at_goal,
            basis: b.basis,
            next_steps: p
                .plan
                .iter()
                .map(|s| s.kb.clone().unwrap_or_else(|| s.kind.to_owned()))
                .collect(),
        });
        let own = std::mem::take(&mut self.findings.host);
        self.findings = FindingCounts::of(own, &p.findings);
        self.lifecycle = p.lifecycle.as_ref().map(|l| l.state);
    }

    /// Months behind, where known.
    pub fn months_behind(&self) -> Option<i32> {
        self.baseline.as_ref().and_then(|b| b.months_behind)
    }
}
