//! Assessment: where a host stands against the catalog, as of a day.
//!
//! [`assess`] is pure and deterministic: the same host, catalog and
//! [`Options`] give the same [`Assessment`]. It decides the product
//! ([`target`]), what the installed updates cover ([`baseline`]), what the
//! kernel revision implies ([`kernel`]), what is missing and in which order
//! ([`plan`]), the lifecycle ([`lifecycle`]) and where the evidence
//! contradicts itself ([`consistency`]).

pub mod baseline;
pub mod consistency;
pub mod exposure;
pub mod installed;
pub mod kernel;
pub mod lifecycle;
pub mod plan;
pub mod target;
pub mod upgrade;

use jiff::civil::Date;
use serde::Serialize;

use crate::catalog::{BuildRevision, Catalog};
use crate::host::{Finding, Host, Severity};
use crate::month::Month;

pub use baseline::{Basis, UpdateRef};
pub use lifecycle::LifecycleStatus;
pub use plan::Step;
pub use target::{Resolution, Target};

/// The id of the finding made for a product that never had monthly
/// rollups (Windows Vista SP2); offline kits quote it as the reason a
/// host gets nothing to install.
pub const NO_ROLLUPS: &str = "no-rollups";

/// Which update the plan leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Goal {
    /// The last update of the product (needs an ESU / Premium Assurance
    /// entitlement for anything after January 2020).
    #[default]
    Final,
    /// The last update installable without an ESU entitlement.
    WithoutEsu,
}

/// What an assessment depends on besides the host.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// The day the assessment is for (lifecycle, "can updates still come").
    pub as_of: Date,
    /// Where the plan leads.
    pub goal: Goal,
}

/// Where a host stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Baseline {
    /// The security baseline month; none when not even the first rollup month is covered.
    pub month: Option<Month>,
    /// The installed KBs (or the kernel version) the baseline rests on.
    pub via: Vec<String>,
    /// Where the baseline comes from.
    pub basis: Basis,
    /// The last update of the product for the host's architecture.
    #[serde(rename = "final")]
    pub final_update: UpdateRef,
    /// Months between the baseline and the final update; null when the
    /// evidence gives neither an update list nor a kernel revision.
    pub months_behind: Option<i32>,
    /// Whether the host is at its final baseline.
    pub at_final: bool,
    /// Whether the host has reached the goal of the plan (`--goal`): the final
    /// update, or the last update without ESU.
    pub at_goal: bool,
    /// The last update installable without an ESU entitlement.
    pub without_esu: Option<UpdateRef>,
    /// What the kernel revision implies, when the evidence gives one.
    pub kernel: Option<kernel::KernelMonth>,
    /// The newest month whose security releases are all covered (beyond the
    /// baseline when a security-only chain has gaps).
    pub newest_covered: Option<Month>,
    /// Months after the baseline not covered although a later one is.
    pub gaps: Vec<Month>,
}

/// The assessment of one host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assessment<'s> {
    /// `assessed`, `not-nt60` or `unknown`.
    pub status: &'static str,
    /// The serviced product id, when assessed.
    pub product: Option<String>,
    /// The product, for people (`Windows Server 2008 SP2`).
    pub product_name: Option<String>,
    /// Architecture the catalog was read for.
    pub arch: Option<String>,
    /// What the host is when it is not NT 6.0, or why it could not be assessed.
    pub reason: Option<String>,
    /// The baseline, for products with monthly rollups.
    pub baseline: Option<Baseline>,
    /// What to install, in order.
    pub missing: Vec<Step>,
    /// Lifecycle as of the day.
    pub lifecycle: Option<LifecycleStatus>,
    /// In-place upgrade paths.
    pub upgrades: Vec<upgrade::UpgradeView>,
    /// Whether Extended Security Updates existed for the product (so an ESU
    /// licence state means something).
    pub esu_product: bool,
    /// Findings of the assessment (the host's own are on the host).
    pub findings: Vec<Finding>,
    /// The CVEs the host is open to; set by [`exposure::attach_all`] when
    /// advisory facts are at hand.
    pub exposure: Option<exposure::Exposure<'s>>,
}

impl Assessment<'_> {
    /// Whether the host is NT 6.0 at its final baseline.
    pub fn at_final(&self) -> bool {
        self.baseline.as_ref().is_some_and(|b| b.at_final)
    }

    /// Whether the host has reached the goal its plan leads to.
    pub fn at_goal(&self) -> bool {
        self.baseline.as_ref().is_some_and(|b| b.at_goal)
    }

    /// Whether the host is open to a CVE that an update within `goal` fixes:
    /// with [`Goal::WithoutEsu`], CVEs fixed only after the last update
    /// without ESU are out of reach and do not count. Unverified CVEs never
    /// count (the evidence cannot show them open).
    pub fn open_within_goal(&self, goal: Goal) -> bool {
        let Some(e) = &self.exposure else {
            return false;
        };
        let limit = match goal {
            Goal::Final => None,
            Goal::WithoutEsu => self
                .baseline
                .as_ref()
                .and_then(|b| b.without_esu.as_ref())
                .map(|w| w.month),
        };
        e.cves.iter().any(|c| {
            c.status == exposure::Status::Open
                && limit.is_none_or(|l| c.month.is_none_or(|m| m <= l))
        })
    }
}

/// Assesses every host.
pub fn assess_all(hosts: &[Host], catalog: &Catalog, options: Options) -> Vec<Assessment<'static>> {
    hosts.iter().map(|h| assess(h, catalog, options)).collect()
}

/// Assesses one host.
pub fn assess(host: &Host, catalog: &Catalog, options: Options) -> Assessment<'static> {
    let mut findings = Vec::new();
    let mut a = Assessment {
        status: "unknown",
        product: None,
        product_name: None,
        arch: None,
        reason: None,
        baseline: None,
        missing: Vec::new(),
        lifecycle: None,
        upgrades: Vec::new(),
        esu_product: false,
        findings: Vec::new(),
        exposure: None,
    };
    let target = match target::resolve(host, catalog, &mut findings) {
        Resolution::Nt60(t) => t,
        Resolution::NotNt60 { what } => {
            a.status = "not-nt60";
            // identify already reports `not-nt60` with its source.
            a.reason = Some(what);
            a.findings = findings;
            return a;
        }
        Resolution::Unknown { why } => {
            findings.push(Finding::new(
                "not-assessed",
                Severity::Warning,
                format!("the host could not be assessed: {why}"),
            ));
            a.reason = Some(why);
            a.findings = findings;
            return a;
        }
    };
    a.status = "assessed";
    a.esu_product = target.product.esu;
    a.product = Some(target.product.id.clone());
    a.product_name = Some(target.product.name.clone());
    a.arch = Some(if target.arch_known {
        target.arch.to_string()
    } else {
        "x86/x64 (assumed)".to_string()
    });
    a.lifecycle = Some(lifecycle::status(
        catalog,
        &target.product.family,
        options.as_of,
    ));
    a.upgrades = upgrade::paths(host, &target, catalog);

    let installed = installed::Installed::of(host, catalog);
    let final_month = target
        .product
        .final_update
        .get(&target.arch)
        .and_then(|kb| catalog.update(*kb))
        .map(|u| u.month);
    let kernel = match (
        host.os.build.as_ref(),
        host.os.revision.as_ref(),
        final_month,
    ) {
        (Some(b), Some(r), Some(final_month)) if target.product.rollups => {
            let thresholds = kernel::thresholds(catalog, &target);
            Some(kernel::month_of(
                &thresholds,
                BuildRevision {
                    build: b.value,
                    revision: r.value,
                },
                final_month,
            ))
        }
        _ => None,
    };

    if !target.product.rollups {
        let ended = catalog
            .phases(&target.product.family)
            .last()
            .map(|p| format!(" and its support ended {}", p.last))
            .unwrap_or_default();
        findings.push(Finding::new(
            NO_ROLLUPS,
            Severity::Warning,
            format!(
                "{} never had monthly rollups{ended}: its updates were individual security updates, so there is \
                 no baseline month and no final rollup; plan a migration (see the upgrade paths)",
                catalog
                    .products
                    .iter()
                    .find(|p| p.family == target.product.family && Some(p.service_pack) == target.service_pack)
                    .map_or(target.product.name.as_str(), |p| p.name.as_str())
            ),
        ));
        if let Some(current) = target.service_pack.filter(|sp| *sp < 2) {
            a.missing =
                plan::service_pack_steps(catalog, &target.product.family, current, target.arch);
        }
        findings.extend(consistency::foreign_family_updates(host, &target, catalog));
        a.findings = findings;
        return a;
    }

    let final_kb = target.product.final_update.get(&target.arch).copied();
    let Some(final_update) = final_kb.and_then(|kb| catalog.update(kb)) else {
        findings.push(Finding::new(
            "not-assessed",
            Severity::Warning,
            format!(
                "the catalog gives no final update of {} for {}",
                target.product.name, target.arch
            ),
        ));
        a.findings = findings;
        return a;
    };
    let without_esu = target
        .product
        .without_esu
        .get(&target.arch)
        .and_then(|kb| catalog.update(*kb));
    let goal = match options.goal {
        Goal::Final => final_update,
        Goal::WithoutEsu => without_esu.unwrap_or(final_update),
    };

    let releases = baseline::releases(catalog, &target);
    let below_sp2 = target.service_pack.is_some_and(|sp| sp < 2);
    let coverage = if below_sp2 {
        baseline::Coverage {
            month: None,
            via: Vec::new(),
            gaps: Vec::new(),
            newest_covered: None,
        }
    } else {
        baseline::coverage(&releases, &installed, catalog, &target)
    };
    let (month, via, basis) = if installed.has_list || below_sp2 {
        (
            coverage.month,
            coverage.via.iter().map(|kb| format!("KB{kb}")).collect(),
            if below_sp2 {
                Basis::None
            } else {
                Basis::UpdateList
            },
        )
    } else if let Some(k) = kernel.as_ref().filter(|k| k.month.is_some()) {
        (
            k.month,
            vec![format!("kernel {}", k.version)],
            Basis::KernelRevision,
        )
    } else {
        (None, Vec::new(), Basis::None)
    };
    let first = target
        .product
        .first_rollup_month
        .unwrap_or(final_update.month);
    let unknown = basis == Basis::None && !below_sp2 && kernel.is_none();
    let months_behind = match month {
        Some(m) => Some(final_update.month.since(m).max(0)),
        None if unknown => None,
        None => Some(final_update.month.since(first) + 1),
    };
    let at_final = month.is_some_and(|m| m >= final_update.month);
    let at_goal = month.is_some_and(|m| m >= goal.month);
    findings.extend(consistency::foreign_family_updates(host, &target, catalog));
    if !below_sp2 {
        findings.extend(consistency::check(
            host,
            &target,
            &installed,
            &coverage,
            kernel.as_ref(),
            catalog,
        ));
    }
    findings.extend(consistency::servicing(
        host,
        goal.month,
        month,
        without_esu.map(|u| u.month),
    ));
    findings.extend(consistency::esu_coverage(
        host, &target, goal, month, catalog,
    ));
    let state = plan::HostState {
        baseline: month,
        kernel_month: kernel.as_ref().and_then(|k| k.month),
        sha2_support: host.servicing.sha2_support.as_ref().map(|s| s.value),
        stack_version: host
            .servicing
            .stack_version
            .as_ref()
            .and_then(|v| BuildRevision::parse(&v.value)),
        reboot_pending: host.servicing.reboot_pending() == Some(true),
    };
    a.missing = plan::plan(host, &target, goal, &installed, catalog, state);
    a.baseline = Some(Baseline {
        month,
        via,
        basis,
        final_update: UpdateRef::of(final_update),
        months_behind,
        at_final,
        at_goal,
        without_esu: without_esu.map(UpdateRef::of),
        kernel,
        newest_covered: coverage.newest_covered,
        gaps: coverage.gaps,
    });
    a.findings = findings;
    a
}
