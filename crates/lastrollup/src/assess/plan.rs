//! What is missing, in the order it must be installed, with the reason for
//! each step.
//!
//! Order: Service Pack 2 (if below) → the first SSU → SHA-2 support → the
//! newest confirmed (not `unverified`) SSU up to the target → ESU licensing
//! preparation (when the target is after the end of extended support) → the
//! target monthly rollup → the latest Internet Explorer 9 cumulative update →
//! reboot. A prerequisite is listed only when something after it remains to
//! be installed, and never when it, a newer update superseding it, or an
//! update that cannot install without it is already installed. An SSU is
//! also there when a later SSU is listed, or when the servicing stack version
//! a collector read is at or above the `stack_version` of it or of a later
//! SSU.

use jiff::civil::Date;
use serde::Serialize;

use super::installed::Installed;
use super::target::Target;
use crate::catalog::{Catalog, Update, UpdateKind};
use crate::host::{Host, Installation};

/// One step of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// 1-based position.
    pub order: usize,
    /// `KB4493730`; absent for a reboot.
    pub kb: Option<String>,
    /// `service_pack`, `ssu`, `sha2`, `esu_prep`, `monthly_rollup`,
    /// `ie_cumulative` or `reboot`.
    pub kind: &'static str,
    /// Title.
    pub title: String,
    /// Release date, where known.
    pub released: Option<Date>,
    /// Why it is needed.
    pub reason: String,
    /// When it applies only in some cases.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
}

/// Whether a prerequisite is already there: listed, superseded by a listed
/// update, or implied by a listed update that cannot install without it.
fn present(
    u: &Update,
    installed: &Installed,
    catalog: &Catalog,
    target: &Target<'_>,
    state: &HostState,
) -> bool {
    if installed.covering(u.kb).is_some() {
        return true;
    }
    if u.kind == UpdateKind::Sha2 && state.sha2_support == Some(true) {
        return true;
    }
    if u.kind == UpdateKind::Ssu {
        // An SSU carries the whole servicing stack: a later one listed, or a
        // servicing stack at or above the version of this SSU or a later one,
        // holds it.
        let date = u.effective_date();
        if installed
            .known(catalog)
            .any(|i| i.kind == UpdateKind::Ssu && i.effective_date() >= date)
        {
            return true;
        }
        if stack_ssu(catalog, target, state).is_some_and(|w| w.effective_date() >= date) {
            return true;
        }
    }
    u.implied_from.is_some_and(|from| {
        state.kernel_month.is_some_and(|k| k >= from)
            || installed
                .known(catalog)
                .any(|i| i.is_os_security() && i.month >= from)
    })
}

/// What the assessment already knows about the host, for the plan.
#[derive(Debug, Clone, Copy, Default)]
pub struct HostState {
    /// The security baseline month.
    pub baseline: Option<crate::month::Month>,
    /// The month the running kernel proves.
    pub kernel_month: Option<crate::month::Month>,
    /// SHA-2 support as the collector read it from the registry.
    pub sha2_support: Option<bool>,
    /// The servicing stack version the collector read.
    pub stack_version: Option<crate::catalog::BuildRevision>,
    /// Whether the collector found a restart pending.
    pub reboot_pending: bool,
}

/// The newest SSU the host's servicing stack version proves, if a collector
/// read one.
fn stack_ssu<'c>(
    catalog: &'c Catalog,
    target: &Target<'_>,
    state: &HostState,
) -> Option<&'c Update> {
    catalog.ssu_for_stack(&target.product.id, target.arch, state.stack_version?)
}

/// Why the newest confirmed SSU is in the plan: what it is, what the
/// collector's servicing stack version shows, and a newer SSU that only
/// unverified sources name.
fn ssu_reason(
    goal: &Update,
    newer_unverified: Option<&Update>,
    stack: Option<&Update>,
    state: &HostState,
) -> String {
    let mut reason = format!(
        "the newest confirmed servicing stack update up to {}: rollups are tested against it, and it \
         supersedes the earlier ones",
        goal.month
    );
    if let Some(have) = state.stack_version {
        match stack {
            Some(w) => reason.push_str(&format!(
                "; the host's servicing stack {have} is that of {} ({}) or later",
                w.kb_name(),
                w.month
            )),
            None => reason.push_str(&format!(
                "; the host's servicing stack {have} is older than every SSU whose stack version is known"
            )),
        }
    }
    if let Some(n) = newer_unverified {
        reason.push_str(&format!(
            "; {} ({}) may be a newer one, but no Microsoft source confirms it: install it instead only if \
             the Microsoft Update Catalog lists it as a servicing stack update for Windows Server 2008",
            n.kb_name(),
            n.month
        ));
    }
    reason
}

/// The service packs that take a host of `family` from `current` to SP2, in order.
pub fn service_packs<'c>(
    catalog: &'c Catalog,
    family: &str,
    current: u8,
    arch: crate::host::Arch,
) -> Vec<&'c Update> {
    (current..2)
        .filter_map(|level| {
            let from = catalog.product_for(family, level)?;
            catalog
                .updates
                .iter()
                .find(|u| u.kind == UpdateKind::ServicePack && u.applies_to(&from.id, arch))
        })
        .collect()
}

impl Step {
    /// The step that installs `u`.
    fn install(u: &Update, reason: String, condition: Option<String>) -> Step {
        Step {
            order: 0,
            kb: Some(u.kb_name()),
            kind: u.kind.name(),
            title: u.title.clone(),
            released: u.released,
            reason,
            condition,
        }
    }
}

/// A restart step.
fn reboot(title: &str, reason: impl Into<String>) -> Step {
    Step {
        order: 0,
        kb: None,
        kind: "reboot",
        title: title.into(),
        released: None,
        reason: reason.into(),
        condition: None,
    }
}

/// The service packs from `current` to SP2, each followed by a restart (a
/// service pack must be active before the next update installs).
pub fn service_pack_steps(
    catalog: &Catalog,
    family: &str,
    current: u8,
    arch: crate::host::Arch,
) -> Vec<Step> {
    let mut steps = Vec::new();
    for (level, u) in ((current + 1)..=2).zip(service_packs(catalog, family, current, arch)) {
        let from = if level == 1 {
            "the release without a service pack".to_string()
        } else {
            format!("Service Pack {}", level - 1)
        };
        let reason = if level == 2 {
            format!("the host is at {from}; every later update needs Service Pack 2 (build 6002)")
        } else {
            format!("the host is at {from}; Service Pack {level} is needed before Service Pack 2")
        };
        steps.push(Step::install(u, reason, None));
        steps.push(reboot(
            "Restart the computer",
            format!("Service Pack {level} must be active before anything else installs"),
        ));
    }
    for (i, s) in steps.iter_mut().enumerate() {
        s.order = i + 1;
    }
    steps
}

/// The plan for `host` to reach `goal` (a monthly rollup of the target product).
pub fn plan(
    host: &Host,
    target: &Target<'_>,
    goal: &Update,
    installed: &Installed,
    catalog: &Catalog,
    state: HostState,
) -> Vec<Step> {
    let mut steps: Vec<Step> = Vec::new();
    if state.reboot_pending {
        steps.push(reboot(
            "Restart the computer first",
            "a restart is pending: updates installed before it are not active yet, and new ones may refuse to \
             install until it is done",
        ));
    }
    if let Some(current) = target.service_pack.filter(|sp| *sp < 2) {
        steps.extend(service_pack_steps(
            catalog,
            &target.product.family,
            current,
            target.arch,
        ));
    }
    let mut push = |u: &Update, reason: String, condition: Option<String>| {
        steps.push(Step::install(u, reason, condition));
    };
    let product_id = target.product.id.as_str();
    let below_sp2 = target.service_pack.is_some_and(|sp| sp < 2);
    // Reached when the goal (or an update superseding it) is installed, or
    // when the baseline already covers its month (a complete security-only
    // chain up to the final month).
    let goal_reached =
        installed.covering(goal.kb).is_some() || state.baseline.is_some_and(|b| b >= goal.month);
    if !goal_reached {
        let applicable =
            |u: &&Update| u.applies_to(product_id, target.arch) && u.month <= goal.month;
        // The first SSU and SHA-2 support, which every later update needs.
        let mut prereqs: Vec<&Update> = catalog
            .updates
            .iter()
            .filter(applicable)
            .filter(|u| u.implied_from.is_some_and(|f| f <= goal.month))
            .filter(|u| matches!(u.kind, UpdateKind::Ssu | UpdateKind::Sha2))
            .collect();
        prereqs.sort_by_key(|u| (u.kind != UpdateKind::Ssu, u.effective_date()));
        for u in prereqs {
            if !present(u, installed, catalog, target, &state) || below_sp2 {
                let reason = match u.kind {
                    UpdateKind::Ssu => format!(
                        "servicing stack update that SHA-2 support (and every update from {} on) needs first",
                        u.implied_from.map(|m| m.to_string()).unwrap_or_default()
                    ),
                    _ => format!(
                        "updates from {} on are signed with SHA-2 only and do not install without it",
                        u.implied_from.map(|m| m.to_string()).unwrap_or_default()
                    ),
                };
                push(u, reason, None);
            }
        }
        // The newest confirmed SSU released up to the goal: it supersedes the
        // earlier ones. An unverified SSU is never recommended.
        let ssus = || {
            catalog
                .updates
                .iter()
                .filter(applicable)
                .filter(|u| u.kind == UpdateKind::Ssu && u.implied_from.is_none())
        };
        let latest_ssu = ssus()
            .filter(|u| !u.unverified)
            .max_by_key(|u| u.effective_date());
        if let Some(ssu) = latest_ssu {
            if !present(ssu, installed, catalog, target, &state) {
                let newer_unverified = ssus()
                    .filter(|u| u.unverified && u.effective_date() > ssu.effective_date())
                    .max_by_key(|u| u.effective_date());
                push(
                    ssu,
                    ssu_reason(
                        goal,
                        newer_unverified,
                        stack_ssu(catalog, target, &state),
                        &state,
                    ),
                    None,
                );
            }
        }
        let esu_prep = catalog.updates.iter().filter(applicable).find(|u| {
            u.kind == UpdateKind::EsuPrep && u.implied_from.is_some_and(|f| f <= goal.month)
        });
        if let Some(lpp) = esu_prep {
            if !present(lpp, installed, catalog, target, &state) || below_sp2 {
                push(
                    lpp,
                    format!(
                        "updates from {} on install only with an ESU or Premium Assurance entitlement: this \
                         package prepares the ESU key install and activation",
                        lpp.implied_from.map(|m| m.to_string()).unwrap_or_default()
                    ),
                    Some("needs an ESU (years 1–3), Azure (year 4) or Premium Assurance entitlement".into()),
                );
            }
        }
        let reason = match state.baseline {
            Some(m) if m < goal.month => format!(
                "cumulative: brings every security fix from {} up to {} ({} months)",
                m.plus(1),
                goal.month,
                goal.month.since(m)
            ),
            _ => format!(
                "cumulative: every security fix of the monthly rollups up to {}",
                goal.month
            ),
        };
        push(goal, reason, None);
    }
    // Internet Explorer 9 has its own cumulative updates on Server 2008 SP2.
    let server_core = host
        .os
        .installation
        .as_ref()
        .is_some_and(|i| i.value == Installation::ServerCore);
    if !server_core {
        let ie = catalog
            .updates
            .iter()
            .filter(|u| u.kind == UpdateKind::IeCumulative && u.applies_to(product_id, target.arch))
            .filter(|u| u.month <= goal.month)
            .max_by_key(|u| u.effective_date());
        if let Some(ie) = ie {
            let newer_listed = installed.known(catalog).any(|i| {
                i.kind == UpdateKind::IeCumulative && i.effective_date() >= ie.effective_date()
            });
            if !newer_listed && installed.covering(ie.kb).is_none() {
                push(
                    ie,
                    "Internet Explorer 9 fixes are not in the monthly rollup of Windows Server 2008 SP2; this is \
                     the newest cumulative one"
                        .into(),
                    Some("only if Internet Explorer 9 is installed; Windows Server 2008 ships with IE7".into()),
                );
            }
        }
    }
    if steps.last().is_some_and(|s| s.kind != "reboot") {
        steps.push(reboot(
            "Restart the computer",
            "the updates take effect, and the kernel revision moves, only after a restart",
        ));
    }
    for (i, s) in steps.iter_mut().enumerate() {
        s.order = i + 1;
    }
    steps
}
