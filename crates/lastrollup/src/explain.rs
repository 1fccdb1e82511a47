//! `lastrollup explain`: what a version string, a KB or an error code means
//! on NT 6.0, from the catalog alone.

use jiff::civil::Date;
use serde::Serialize;

use crate::assess::kernel::{self, TOLERANCE};
use crate::assess::Target;
use crate::catalog::{windows, BuildRevision, Catalog, ErrorCode, UpdateKind};
use crate::host::{version, Arch};
use crate::month::Month;

/// What a version string says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VersionExplanation {
    /// The text as given.
    pub input: String,
    /// NT version (`6.0`).
    pub nt_version: String,
    /// Build.
    pub build: u32,
    /// Revision, when the text has one.
    pub revision: Option<u32>,
    /// What the build is.
    pub build_name: Option<String>,
    /// Service pack of the build.
    pub service_pack: Option<u8>,
    /// `gdr` / `ldr`, where the revision says.
    pub branch: Option<String>,
    /// Architecture, where a BuildLabEx says.
    pub arch: Option<Arch>,
    /// Compile time, where a build-lab string says.
    pub compiled: Option<String>,
    /// The newest servicing month whose update the revision reaches.
    pub month: Option<Month>,
    /// The update that brings this kernel (`KB4489887`): the one whose
    /// revision the kernel reaches, or that month's Patch-Tuesday rollup of
    /// the same build when the threshold is a security-only update.
    pub rollup: Option<String>,
    /// The revision that month's update brings.
    pub month_revision: Option<String>,
    /// The next month's update and the revision it brings, if any.
    pub next: Option<String>,
    /// Why build 6003 exists, when the build is 6002 or 6003.
    pub build_notes: Option<String>,
    /// Remarks about this reading.
    pub remarks: Vec<String>,
}

/// What a KB is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UpdateExplanation {
    /// `KB4493471`.
    pub kb: String,
    /// Kind (`monthly_rollup`).
    pub kind: &'static str,
    /// Kind, for people.
    pub kind_label: &'static str,
    /// Release type.
    pub release: &'static str,
    /// Title.
    pub title: String,
    /// Release date.
    pub released: Option<Date>,
    /// Servicing month.
    pub month: Month,
    /// Fixed build / kernel threshold.
    pub revision: Option<String>,
    /// For a servicing stack update: the servicing stack version it installs
    /// (`%SystemRoot%\servicing\Version`), where known. A host at or above
    /// it has this SSU.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stack_version: Option<String>,
    /// Products.
    pub products: Vec<String>,
    /// Architectures.
    pub arch: Vec<Arch>,
    /// Support phase id and name.
    pub phase: String,
    /// KBs it supersedes (directly).
    pub supersedes: Vec<String>,
    /// KBs that supersede it (directly).
    pub superseded_by: Vec<String>,
    /// Prerequisites: listed ones and those every update of its month needs.
    pub prerequisites: Vec<String>,
    /// Where the facts come from.
    pub sources: Vec<String>,
    /// Remarks.
    pub notes: Option<String>,
    /// Whether key facts rest on one source.
    pub unverified: bool,
}

/// An explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Explanation {
    /// A version or build-lab string.
    Version(VersionExplanation),
    /// A KB of the catalog.
    Update(UpdateExplanation),
    /// An error code.
    Error(ErrorCode),
}

/// Why nothing could be explained.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExplainError {
    /// The KB is not in the catalog.
    #[error(
        "KB{0} is not in the catalog: it holds the NT 6.0 monthly rollups, security-only updates, servicing \
         stack updates, prerequisites and Internet Explorer 9 cumulative updates from October 2018 on"
    )]
    UnknownKb(u32),
    /// A version that is not NT 6.0.
    #[error("{0} is not an NT 6.0 version (6.0.6000–6.0.6003)")]
    NotNt60(String),
    /// An error code the catalog does not describe.
    #[error("{0} is not an update-install error the catalog describes")]
    UnknownError(String),
    /// Nothing recognisable.
    #[error(
        "`{0}` is not a version (6.0.6003.20491, a BuildLabEx), a KB (KB4493471) or an error code (0x80092004)"
    )]
    Unrecognised(String),
}

/// Explains `query` from the catalog.
pub fn explain(query: &str, catalog: &Catalog) -> Result<Explanation, ExplainError> {
    let q = query.trim();
    if let Some(kb) = kb_number(q) {
        return explain_kb(kb, catalog).map(Explanation::Update);
    }
    // A bare number the catalog knows as a KB (`4474419`).
    if let Some(kb) = q
        .parse::<u32>()
        .ok()
        .filter(|kb| catalog.update(*kb).is_some())
    {
        return explain_kb(kb, catalog).map(Explanation::Update);
    }
    if let Some(v) = explain_version(q, catalog)? {
        return Ok(Explanation::Version(v));
    }
    if let Some(e) = catalog.error_code(q) {
        return Ok(Explanation::Error(e.clone()));
    }
    if crate::catalog::errors::parse_code(q).is_some()
        && (q.starts_with("0x") || q.starts_with("0X") || q.starts_with('-') || q.len() >= 7)
    {
        return Err(ExplainError::UnknownError(q.to_string()));
    }
    Err(ExplainError::Unrecognised(q.to_string()))
}

fn kb_number(q: &str) -> Option<u32> {
    let digits = q
        .strip_prefix("KB")
        .or_else(|| q.strip_prefix("kb"))
        .or_else(|| q.strip_prefix("Kb"))?;
    digits.trim().parse().ok()
}

fn explain_kb(kb: u32, catalog: &Catalog) -> Result<UpdateExplanation, ExplainError> {
    let u = catalog.update(kb).ok_or(ExplainError::UnknownKb(kb))?;
    let name = |k: u32| match catalog.update(k) {
        Some(x) => format!("KB{k} ({}, {})", x.kind.label(), x.month),
        None => format!("KB{k}"),
    };
    let mut prerequisites: Vec<String> = u.requires.iter().map(|k| name(*k)).collect();
    if u.is_os_security() {
        for p in catalog
            .updates
            .iter()
            .filter(|p| p.implied_from.is_some_and(|f| f <= u.month))
            .filter(|p| p.products.iter().any(|x| u.products.contains(x)))
        {
            let n = name(p.kb);
            if !prerequisites.contains(&n) {
                prerequisites.push(n);
            }
        }
    }
    let phase = u
        .products
        .iter()
        .filter_map(|p| catalog.product(p))
        .find_map(|p| {
            catalog
                .phases(&p.family)
                .into_iter()
                .find(|ph| ph.id == u.phase)
        })
        .map(|ph| format!("{} ({})", ph.name, ph.id))
        .unwrap_or_else(|| u.phase.clone());
    Ok(UpdateExplanation {
        kb: u.kb_name(),
        kind: u.kind.name(),
        kind_label: u.kind.label(),
        release: u.release.name(),
        title: u.title.clone(),
        released: u.released,
        month: u.month,
        revision: u.revision.clone(),
        stack_version: u.stack_version.clone(),
        products: u
            .products
            .iter()
            .map(|p| {
                catalog
                    .product(p)
                    .map(|x| x.name.clone())
                    .unwrap_or_else(|| p.clone())
            })
            .collect(),
        arch: u.arch.clone(),
        phase,
        supersedes: u.supersedes.iter().map(|k| name(*k)).collect(),
        superseded_by: catalog.superseded_by(kb).iter().map(|k| name(*k)).collect(),
        prerequisites,
        sources: u.sources.clone(),
        notes: u.notes.clone(),
        unverified: u.unverified,
    })
}

fn explain_version(q: &str, catalog: &Catalog) -> Result<Option<VersionExplanation>, ExplainError> {
    let facts = windows::facts();
    let mut lab_branch: Option<&'static str> = None;
    let (nt, build, revision, arch, compiled, mut remarks) =
        if let Some(lab) = version::build_lab(q) {
            lab_branch = version::branch_of_lab(&lab.branch_name);
            let nt = facts.nt_of_build(lab.build).unwrap_or("?").to_string();
            let mut remarks = Vec::new();
            if let Some(b) = version::branch_of_lab(&lab.branch_name) {
                remarks.push(format!(
                    "the build lab `{}` is the {} branch",
                    lab.branch_name,
                    b.to_uppercase()
                ));
            }
            (nt, lab.build, lab.revision, lab.arch, lab.compiled, remarks)
        } else if let Some(d) = version::dotted(q) {
            let Some(build) = d.build else {
                return Ok(None);
            };
            (d.nt_text(), build, d.revision, None, None, Vec::new())
        } else {
            return Ok(None);
        };
    if nt != "6.0" {
        return Err(ExplainError::NotNt60(q.to_string()));
    }
    let b = facts.build(build);
    // The revision range says the branch on 6002; a build lab says it on any build.
    let branch = revision
        .and_then(|r| facts.branch(build, r))
        .or(lab_branch)
        .map(str::to_string);
    let mut out = VersionExplanation {
        input: q.to_string(),
        nt_version: nt,
        build,
        revision,
        build_name: b.map(|x| x.name.clone()),
        service_pack: b.and_then(|x| x.service_pack),
        branch,
        arch,
        compiled,
        month: None,
        rollup: None,
        month_revision: None,
        next: None,
        build_notes: facts
            .build(6003)
            .and_then(|x| x.notes.clone())
            .filter(|_| matches!(build, 6002 | 6003)),
        remarks: Vec::new(),
    };
    if let (Some(rev), Some(product)) = (revision, catalog.product("windows-server-2008-sp2")) {
        let target = Target {
            product,
            arch: arch.unwrap_or(Arch::X64),
            arch_known: arch.is_some(),
            service_pack: Some(2),
        };
        let thresholds = kernel::thresholds(catalog, &target);
        // The last update of the product on this architecture; without one,
        // the newest month of any architecture (the catalog validates that
        // a rollup product has a final update).
        let final_month = product
            .final_update
            .get(&target.arch)
            .or_else(|| product.final_update.values().max())
            .and_then(|kb| catalog.update(*kb))
            .map(|u| u.month)
            .or_else(|| thresholds.iter().map(|t| t.month).max());
        let Some(final_month) = final_month else {
            out.remarks = remarks;
            return Ok(Some(out));
        };
        let kernel = BuildRevision {
            build,
            revision: rev,
        };
        let km = kernel::month_of(&thresholds, kernel, final_month);
        out.month = km.month;
        if let Some(m) = km.month {
            if let Some(t) = thresholds
                .iter()
                .find(|t| Some(t.update.kb_name()) == km.kb)
            {
                out.month_revision = Some(format!("{} ({})", t.revision, t.update.kb_name()));
                // The rollup that brings this kernel: the hit itself when it is
                // one, else that month's Patch-Tuesday rollup on the same build.
                out.rollup = if t.update.kind == UpdateKind::MonthlyRollup {
                    Some(t.update.kb_name())
                } else {
                    catalog
                        .updates_for(&product.id, target.arch)
                        .find(|u| {
                            u.kind == UpdateKind::MonthlyRollup
                                && u.month == t.update.month
                                && u.release == crate::catalog::Release::PatchTuesday
                                && u.build_revision().is_some_and(|r| r.build == build)
                        })
                        .map(|u| u.kb_name())
                };
            }
            // The next revision step above this kernel.
            if let Some(n) = thresholds
                .iter()
                .filter(|t| {
                    (t.revision.build, t.revision.revision)
                        > (build, rev.saturating_add(t.tolerance))
                })
                .min_by_key(|t| t.revision)
            {
                out.next = Some(format!(
                    "{} brings {} ({})",
                    n.month,
                    n.revision,
                    n.update.kb_name()
                ));
            }
            remarks.push(format!(
                "a kernel at this revision has at least the update of {m} (Windows Server 2008 SP2); the revision \
                 alone cannot tell a monthly rollup from a security-only update, and MSRC fixed builds may be up \
                 to {TOLERANCE} above the ntoskrnl.exe version"
            ));
        } else if let Some(first) = thresholds
            .iter()
            .filter(|_| build != 6003)
            .min_by_key(|t| t.month)
        {
            remarks.push(format!(
                "older than the first monthly rollup ({}, {}): the host has no rollup-era update in its kernel",
                first.month, first.revision
            ));
        }
        if km.beyond_catalog {
            remarks.push(
                "newer than the last update ever released: a modified kernel or a mistyped version"
                    .into(),
            );
        }
        let first_6003 = thresholds
            .iter()
            .filter(|t| t.revision.build == 6003)
            .map(|t| t.revision.revision)
            .min();
        if build == 6003 && first_6003.is_some_and(|f| rev < f) {
            remarks.push(format!(
                "no update released a build-6003 kernel below revision {}: a modified kernel or a mistyped version",
                first_6003.unwrap_or_default()
            ));
        }
        if build == 6002 && rev < 16384 {
            remarks.push("revisions below 16384 are not from a GDR or LDR servicing branch".into());
        }
    }
    // The same dotted form names a servicing stack (`%SystemRoot%\servicing\Version`).
    if let Some(rev) = revision.filter(|_| version::build_lab(q).is_none()) {
        let v = crate::catalog::BuildRevision {
            build,
            revision: rev,
        };
        for u in catalog.updates.iter().filter(|u| {
            u.stack_version
                .as_deref()
                .and_then(crate::catalog::BuildRevision::parse)
                == Some(v)
        }) {
            remarks.push(format!(
                "as a servicing stack version (the folder under %SystemRoot%\\servicing\\Version) it is the one {} \
                 ({}, {}) installs: a host at or above it has that update and every earlier one",
                u.kb_name(),
                u.kind.label(),
                u.month
            ));
        }
    }
    out.remarks = remarks;
    Ok(Some(out))
}

/// The schema id of `explain --format json` (docs/explain.md).
pub const SCHEMA: &str = "lastrollup.explain/1";

#[derive(Serialize)]
struct Envelope<'a> {
    schema: &'static str,
    #[serde(flatten)]
    explanation: &'a Explanation,
}

/// The explanation as pretty JSON, with its schema id.
pub fn to_json(e: &Explanation) -> String {
    serde_json::to_string_pretty(&Envelope {
        schema: SCHEMA,
        explanation: e,
    })
    .unwrap_or_else(|err| format!("{{\"error\":\"{err}\"}}"))
}
