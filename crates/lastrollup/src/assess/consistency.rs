//! Where the machine's own reports contradict each other or the catalog.

use super::baseline::Coverage;
use super::installed::Installed;
use super::kernel::{KernelMonth, TOLERANCE};
use super::target::Target;
use crate::catalog::updates::RevisionBasis;
use crate::catalog::{Catalog, UpdateKind};
use crate::host::{Finding, Host, Severity};

fn update_sources(host: &Host, kb: u32) -> Vec<String> {
    host.updates
        .iter()
        .filter(|u| u.id.kb() == Some(kb))
        .flat_map(|u| u.sources.iter().map(ToString::to_string))
        .collect()
}

/// Every consistency finding for an NT 6.0 host.
pub fn check(
    host: &Host,
    target: &Target<'_>,
    installed: &Installed,
    coverage: &Coverage,
    kernel: Option<&KernelMonth>,
    catalog: &Catalog,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let os = &host.os;
    let known: Vec<_> = installed.known(catalog).collect();

    // Build 6002 while an update that moves the build to 6003 is installed.
    if let Some(b) = os.build.as_ref().filter(|b| b.value == 6002) {
        if let Some(u) = known
            .iter()
            .filter(|u| u.build_revision().is_some_and(|r| r.build == 6003))
            .min_by_key(|u| u.effective_date())
        {
            let mut sources = vec![b.source.to_string()];
            sources.extend(update_sources(host, u.kb));
            out.push(
                Finding::new(
                    "build-6002-with-6003-update",
                    Severity::Error,
                    format!(
                        "the running build is 6002, but {} ({}) is installed and moves the build to 6003: a \
                         restart is pending or the install failed and was rolled back",
                        u.kb_name(),
                        u.month
                    ),
                )
                .with_sources(sources),
            );
        }
    }

    // The kernel against what the installed updates imply.
    if let Some(k) = kernel {
        let revision_source = os
            .revision
            .as_ref()
            .map(|r| r.source.to_string())
            .into_iter()
            .collect::<Vec<_>>();
        let implied = known
            .iter()
            .filter(|u| u.is_os_security() && u.applies_to(&target.product.id, target.arch))
            .filter_map(|u| u.build_revision().map(|r| (r, *u)))
            .filter(|(_, u)| {
                u.revision_basis != Some(crate::catalog::updates::RevisionBasis::OtherFile)
            })
            .max_by_key(|(r, _)| *r);
        if let (Some((rev, u)), Some(kr)) =
            (implied, crate::catalog::BuildRevision::parse(&k.version))
        {
            let tolerance = if u.revision_basis == Some(RevisionBasis::FixedBuild) {
                TOLERANCE
            } else {
                0
            };
            if (kr.build, kr.revision.saturating_add(tolerance)) < (rev.build, rev.revision) {
                let mut sources = revision_source.clone();
                sources.extend(update_sources(host, u.kb));
                out.push(
                    Finding::new(
                        "revision-below-installed",
                        Severity::Warning,
                        format!(
                            "the kernel is {} but the installed {} ({}) brings {rev}: a restart is pending, or the \
                             install failed and was rolled back",
                            k.version,
                            u.kb_name(),
                            u.month
                        ),
                    )
                    .with_sources(sources),
                );
            }
        }
        if let (Some(km), Some(newest)) = (k.month, installed.newest_security_month(catalog)) {
            if km > newest {
                out.push(
                    Finding::new(
                        "update-list-incomplete",
                        Severity::Warning,
                        format!(
                            "the kernel {} implies the update of {km} or later, but the newest rollup or \
                             security-only update listed is of {newest}: the update list is incomplete (systeminfo \
                             lists only part of a long hotfix list; use `wmic qfe list full` or the collector)",
                            k.version
                        ),
                    )
                    .with_sources(revision_source.clone()),
                );
            }
        }
        if k.month.is_none() && k.version.starts_with("6.0.6003.") {
            out.push(
                Finding::new(
                    "revision-not-released",
                    Severity::Warning,
                    format!(
                        "the kernel {} is a build-6003 revision below any update ever released (build 6003 starts \
                         with the 2019-03 preview rollup at 20489): the kernel may be modified or the capture damaged",
                        k.version
                    ),
                )
                .with_sources(revision_source.clone()),
            );
        }
        if k.beyond_catalog {
            out.push(
                Finding::new(
                    "revision-beyond-final",
                    Severity::Warning,
                    format!(
                        "the kernel {} is newer than the last update ever released for {}: the kernel may be \
                         modified or the capture damaged",
                        k.version, target.product.name
                    ),
                )
                .with_sources(revision_source),
            );
        }
    }

    // Security-only updates without the start of the chain.
    if let (None, Some(newest)) = (coverage.month, coverage.newest_covered) {
        out.push(Finding::new(
            "security-only-gap",
            Severity::Warning,
            format!(
                "updates cover months up to {newest}, but nothing covers {}, the first month of the rollup era: a \
                 security-only update covers its own month only, so there is no baseline month until a monthly \
                 rollup is installed",
                target.product.first_rollup_month.map(|m| m.to_string()).unwrap_or_default()
            ),
        ));
    }
    // A broken security-only chain.
    if !coverage.gaps.is_empty() {
        let gaps: Vec<String> = coverage.gaps.iter().map(ToString::to_string).collect();
        out.push(Finding::new(
            "security-only-gap",
            Severity::Warning,
            format!(
                "security-only updates are installed for later months, but nothing covers {}: a security-only \
                 update covers its own month only, so the baseline stops before the first gap",
                gaps.join(", ")
            ),
        ));
    }

    // Updates listed for another architecture or product.
    let foreign: Vec<String> = known
        .iter()
        .filter(|u| matches!(u.kind, UpdateKind::MonthlyRollup | UpdateKind::SecurityOnly))
        .filter(|u| target.arch_known && !u.applies_to(&target.product.id, target.arch))
        .filter(|u| u.products.contains(&target.product.id))
        .map(|u| u.kb_name())
        .collect();
    if !foreign.is_empty() {
        out.push(Finding::new(
            "update-not-for-arch",
            Severity::Warning,
            format!(
                "{} {} not offered for {}: the architecture or the update list is wrong",
                foreign.join(", "),
                if foreign.len() == 1 { "is" } else { "are" },
                target.arch
            ),
        ));
    }

    if !installed.has_list {
        out.push(Finding::new(
            "no-update-list",
            Severity::Warning,
            match kernel {
                Some(_) => "the evidence lists no installed updates: the baseline is estimated from the kernel \
                            revision alone (a security-only chain cannot be checked); add `wmic qfe list full` or \
                            the collector bundle"
                    .to_string(),
                None => "the evidence lists no installed updates and gives no kernel revision: the baseline \
                         cannot be told; add `wmic qfe list full`, a BuildLabEx / ntoskrnl.exe version or the \
                         collector bundle"
                    .to_string(),
            },
        ));
    }
    out
}

/// Updates of another family in the list: Vista carrying Server 2008 updates.
pub fn foreign_family_updates(host: &Host, target: &Target<'_>, catalog: &Catalog) -> Vec<Finding> {
    let family = target.product.family.as_str();
    if family != "windows-vista" {
        return Vec::new();
    }
    let installed = Installed::of(host, catalog);
    let server_only: Vec<String> = installed
        .known(catalog)
        .filter(|u| {
            !u.products
                .iter()
                .filter_map(|p| catalog.product(p))
                .any(|p| p.family == family)
        })
        .map(|u| u.kb_name())
        .collect();
    if server_only.is_empty() {
        return Vec::new();
    }
    let sources: Vec<String> = server_only
        .iter()
        .filter_map(|k| k[2..].parse::<u32>().ok())
        .flat_map(|kb| update_sources(host, kb))
        .collect();
    vec![Finding::new(
        "vista-with-server-updates",
        Severity::Error,
        format!(
            "Windows Vista lists Windows Server 2008 updates ({}): they are not offered for Vista; the product name \
             or the update list is wrong, or the updates were forced on",
            server_only.join(", ")
        ),
    )
    .with_sources(sources)]
}

/// What the collector's servicing state says: a pending restart, a missing
/// ESU licence for a goal after January 2020.
pub fn servicing(
    host: &Host,
    goal_month: crate::month::Month,
    baseline: Option<crate::month::Month>,
    without_esu: Option<crate::month::Month>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let s = &host.servicing;
    if let Some(markers) = s.pending_reboot.as_ref().filter(|m| !m.is_empty()) {
        let what: Vec<&str> = markers.iter().map(|m| m.value.as_str()).collect();
        out.push(
            Finding::new(
                "reboot-pending",
                Severity::Warning,
                format!(
                    "a restart is pending ({}): updates installed since the last restart are not active yet, and \
                     further updates may refuse to install until the host restarts",
                    what.join("; ")
                ),
            )
            .with_sources(markers.iter().map(|m| m.source.to_string()).collect()),
        );
    }
    let needs_esu =
        without_esu.is_some_and(|w| goal_month > w) && baseline.is_none_or(|b| b < goal_month);
    if needs_esu && s.esu_licensed() == Some(false) {
        let sources = s
            .esu_licenses
            .iter()
            .flatten()
            .map(|e| e.source.to_string())
            .collect::<Vec<_>>();
        let seen = s
            .esu_licenses
            .iter()
            .flatten()
            .map(|e| e.value.clone())
            .collect::<Vec<_>>();
        out.push(
            Finding::new(
                "esu-not-licensed",
                Severity::Warning,
                format!(
                    "`slmgr /dlv all` shows no licensed ESU add-on{}: updates released after {} will not install; \
                     install the ESU licensing preparation package, then the ESU key, and activate it (or plan to \
                     the last update without ESU with `--goal without-esu`)",
                    if seen.is_empty() { String::new() } else { format!(" ({})", seen.join("; ")) },
                    without_esu.map(|m| m.to_string()).unwrap_or_default()
                ),
            )
            .with_sources(sources),
        );
    }
    out
}

/// Which ESU years the licensed add-ons cover, against the goal: years 1–3
/// are add-on keys `slmgr` shows; year 4 (Azure) and Premium Assurance are
/// entitlements the evidence cannot show.
pub fn esu_coverage(
    host: &Host,
    target: &Target<'_>,
    goal: &crate::catalog::Update,
    baseline: Option<crate::month::Month>,
    catalog: &Catalog,
) -> Vec<Finding> {
    let Some(licences) = host.servicing.esu_licenses.as_ref() else {
        return Vec::new();
    };
    let year = licences
        .iter()
        .filter(|l| l.value.starts_with("Licensed |"))
        .filter_map(|l| {
            let upper = l.value.to_ascii_uppercase();
            let at = upper.find("YEAR")?;
            upper[at + 4..]
                .chars()
                .find(char::is_ascii_digit)?
                .to_digit(10)
        })
        .max();
    let Some(year) = year else { return Vec::new() };
    let phase_id = format!("esu-{year}");
    let Some(phase) = catalog
        .phases(&target.product.family)
        .into_iter()
        .find(|p| p.id == phase_id)
    else {
        return Vec::new();
    };
    let goal_day = goal.effective_date();
    if goal_day <= phase.last || baseline.is_some_and(|b| b >= goal.month) {
        return Vec::new();
    }
    vec![Finding::new(
        "esu-coverage",
        Severity::Info,
        format!(
            "the licensed ESU add-ons reach year {year}, which covers updates up to {}; {} ({}) needs the Azure \
             year 4 or Premium Assurance entitlement, which a capture cannot show",
            phase.last,
            goal.kb_name(),
            goal.month
        ),
    )
    .with_sources(licences.iter().map(|l| l.source.to_string()).collect())]
}
