//! The `lastrollup.offline/1` manifest: the files an offline kit holds, in
//! install order, built from the install plans of one or many hosts.
//!
//! Each file is one update on one architecture: its KB, kind and title from
//! the catalog; its expected file name, SHA-1, SHA-256 and address from the
//! payload data (`catalog/payloads.toml`) — or, where no name is known, the
//! pattern any Update Catalog file of that KB and architecture has; the
//! hosts whose plans name it. Files are ordered as the plans order their
//! steps (service packs, first SSU, SHA-2, latest SSU, ESU preparation,
//! rollup, Internet Explorer), and grouped into stages: a restart is needed
//! after each stage, wherever some plan puts one between its steps.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::assess::{Goal, Step};
use crate::catalog::{Catalog, PayloadStatus, Update, UpdateKind};
use crate::fleet::FleetReport;
use crate::host::Arch;

/// One host's plan, as the manifest reads it.
#[derive(Debug, Clone)]
pub struct HostPlan<'a> {
    /// Stable id (the fleet's host id).
    pub id: String,
    /// Host name, where the captures give one.
    pub name: Option<String>,
    /// Product name (`Windows Server 2008 SP2`), when assessed.
    pub product: Option<String>,
    /// Product family slug (`windows-server-2008`, `windows-vista`).
    pub family: Option<String>,
    /// Architecture, when the captures say it (never assumed).
    pub arch: Option<Arch>,
    /// Why the host gets nothing from the kit although it may need updates
    /// (not NT 6.0, not assessed, architecture unknown).
    pub excluded: Option<String>,
    /// Why an assessed host's plan is empty (see [`KitHost::nothing_to_install`]).
    pub empty_plan: Option<String>,
    /// The install plan, in order (restart steps included).
    pub plan: &'a [Step],
}

/// A host of the kit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KitHost {
    /// Stable id.
    pub id: String,
    /// Host name.
    pub name: Option<String>,
    /// Product name.
    pub product: Option<String>,
    /// Product family slug (`windows-server-2008`, `windows-vista`).
    pub family: Option<String>,
    /// Architecture.
    pub arch: Option<Arch>,
    /// A restart is pending on the host: restart before installing.
    pub restart_first: bool,
    /// The `order` of each file it needs, in install order.
    pub files: Vec<usize>,
    /// Why the kit holds nothing for it, when that is so.
    pub excluded: Option<String>,
    /// Why the kit holds no file for a host it was made for and that is not
    /// excluded: the host is at the goal already, or its product never had
    /// rollups (Windows Vista SP2). Absent from kits written before it was
    /// added, hence the default.
    #[serde(default)]
    pub nothing_to_install: Option<String>,
}

/// One file to fetch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KitFile {
    /// 1-based install position.
    pub order: usize,
    /// The stage it belongs to (1-based): a restart follows each stage.
    pub stage: usize,
    /// KB number.
    pub kb: u32,
    /// Architecture.
    pub arch: Arch,
    /// `service_pack`, `ssu`, `sha2`, `esu_prep`, `monthly_rollup`,
    /// `security_only` or `ie_cumulative`.
    pub kind: String,
    /// Title.
    pub title: String,
    /// Release date, where known.
    pub released: Option<Date>,
    /// Whether the catalog data names the file.
    pub name_known: bool,
    /// The expected file name, when known.
    pub file_name: Option<String>,
    /// The SHA-1 in that name, when known.
    pub sha1: Option<String>,
    /// The SHA-256, where a source gives one.
    pub sha256: Option<String>,
    /// A download address a source printed.
    pub url: Option<String>,
    /// The shape of any acceptable name:
    /// `windows6.0-kb5073697-x64_<sha1>.msu`.
    pub name_pattern: String,
    /// What to type into the Update Catalog's search.
    pub search: String,
    /// Where the name and digests come from.
    pub sources: Vec<String>,
    /// When it applies only in some cases (ESU entitlement, IE9 installed).
    pub condition: Option<String>,
    /// The ids of the hosts that need it.
    pub hosts: Vec<String>,
}

/// A group of files installed without a restart between them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stage {
    /// 1-based.
    pub stage: usize,
    /// The `order` of its files.
    pub files: Vec<usize>,
    /// Why the restart after it is needed (the plan's reason).
    pub restart_reason: String,
}

/// The whole `lastrollup.offline/1` document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always [`super::SCHEMA`].
    pub schema: String,
    /// The day the plans are for.
    pub as_of: Date,
    /// Where the plans lead.
    pub goal: Goal,
    /// The hosts, by id.
    pub hosts: Vec<KitHost>,
    /// The files, in install order.
    pub files: Vec<KitFile>,
    /// The stages, in order; a restart follows each.
    pub stages: Vec<Stage>,
}

/// The plans of every host of a fleet report (`catalog` gives each
/// product's family).
pub fn host_plans<'a>(report: &'a FleetReport<'_>, catalog: &Catalog) -> Vec<HostPlan<'a>> {
    report
        .hosts
        .iter()
        .map(|h| {
            let p = &report.profiles[h.profile];
            let arch = match p.arch.as_deref() {
                Some("x86") => Some(Arch::X86),
                Some("x64") => Some(Arch::X64),
                Some("ia64") => Some(Arch::Ia64),
                _ => None,
            };
            let excluded = if p.status != "assessed" {
                Some(p.reason.clone().unwrap_or_else(|| format!("not assessed ({})", p.status)))
            } else if arch.is_none() {
                Some("the captures do not say the architecture (x86 or x64); add a systeminfo capture".into())
            } else {
                None
            };
            HostPlan {
                empty_plan: (excluded.is_none() && p.plan.is_empty()).then(|| empty_plan_reason(p)),
                id: h.id.clone(),
                name: h.host.name.clone(),
                product: p.product_name.clone(),
                family: p
                    .product
                    .as_deref()
                    .and_then(|id| catalog.product(id))
                    .map(|prod| prod.family.clone()),
                arch,
                excluded,
                plan: &p.plan,
            }
        })
        .collect()
}

/// Why an assessed state has nothing to install: the assessment's
/// `no-rollups` finding when it made one (Windows Vista SP2), else the host
/// is at the goal.
fn empty_plan_reason(p: &crate::fleet::profile::Profile<'_>) -> String {
    match p
        .findings
        .iter()
        .find(|f| f.id == crate::assess::NO_ROLLUPS)
    {
        Some(f) => f.message.clone(),
        None => "it is at the goal already".to_owned(),
    }
}

/// Where a step of `kind` goes in install order, as the plans order them;
/// a service pack by its date (SP1 before SP2).
fn rank(u: &Update) -> (u8, Date) {
    let r = match u.kind {
        UpdateKind::ServicePack => return (0, u.effective_date()),
        UpdateKind::Ssu if u.implied_from.is_some() => 1,
        UpdateKind::Sha2 => 2,
        UpdateKind::Ssu => 3,
        UpdateKind::EsuPrep => 4,
        UpdateKind::MonthlyRollup | UpdateKind::SecurityOnly => 5,
        UpdateKind::IeCumulative => 6,
    };
    (r, Date::MIN)
}

/// The update a step installs, if any (restart steps have none).
fn step_update<'c>(step: &Step, catalog: &'c Catalog) -> Option<&'c Update> {
    let kb = step.kb.as_deref()?.strip_prefix("KB")?.parse().ok()?;
    catalog.update(kb)
}

/// What the plans say about one (KB, arch): the hosts and the condition.
struct Need<'c> {
    update: &'c Update,
    hosts: BTreeSet<String>,
    condition: Option<String>,
}

/// The manifest for `hosts` (see the module doc).
pub fn build(hosts: &[HostPlan<'_>], catalog: &Catalog, as_of: Date, goal: Goal) -> Manifest {
    let mut needs: BTreeMap<((u8, Date), u32, Arch), Need<'_>> = BTreeMap::new();
    // Rank pairs some plan separates with a restart, with its reason.
    let mut restarts: BTreeMap<(u8, Date), String> = BTreeMap::new();
    for h in hosts.iter().filter(|h| h.excluded.is_none()) {
        let Some(arch) = h.arch else { continue };
        let mut last: Option<(u8, Date)> = None;
        // A restart between two install steps (the one after the last step
        // ends the last stage anyway).
        let mut pending: Option<&str> = None;
        for step in h.plan {
            if step.kind == "reboot" {
                pending = Some(&step.reason);
                continue;
            }
            let Some(u) = step_update(step, catalog) else {
                continue;
            };
            if let (Some(before), Some(reason)) = (last, pending.take()) {
                restarts.entry(before).or_insert_with(|| reason.to_string());
            }
            let r = rank(u);
            last = Some(r);
            let need = needs.entry((r, u.kb, arch)).or_insert_with(|| Need {
                update: u,
                hosts: BTreeSet::new(),
                condition: step.condition.clone(),
            });
            need.hosts.insert(h.id.clone());
        }
    }
    let (files, stages) = files_and_stages(&needs, &restarts, catalog);
    Manifest {
        schema: super::SCHEMA.to_string(),
        as_of,
        goal,
        hosts: kit_hosts(hosts, &files),
        files,
        stages,
    }
}

/// The files in install order, each with its stage, and the stages.
fn files_and_stages(
    needs: &BTreeMap<((u8, Date), u32, Arch), Need<'_>>,
    restarts: &BTreeMap<(u8, Date), String>,
    catalog: &Catalog,
) -> (Vec<KitFile>, Vec<Stage>) {
    let mut files = Vec::with_capacity(needs.len());
    let mut stages: Vec<Stage> = Vec::new();
    let mut stage = 1;
    let mut entries = needs.iter().peekable();
    while let Some(((r, _, arch), need)) = entries.next() {
        let order = files.len() + 1;
        files.push(kit_file(order, stage, *arch, need, catalog));
        match stages.last_mut() {
            Some(s) if s.stage == stage => s.files.push(order),
            _ => stages.push(Stage {
                stage,
                files: vec![order],
                restart_reason: String::new(),
            }),
        }
        let next_rank = entries.peek().map(|((nr, _, _), _)| *nr);
        let ends_stage = next_rank.is_none_or(|nr| nr != *r && restarts.contains_key(r));
        if ends_stage {
            if let Some(s) = stages.last_mut() {
                s.restart_reason = restarts
                    .get(r)
                    .cloned()
                    .unwrap_or_else(|| "the updates take effect only after a restart".to_string());
            }
            stage += 1;
        }
    }
    (files, stages)
}

/// `windows6.0-kb5073697-x64_<sha1>.msu` (`.exe` for a service pack).
pub fn name_pattern(kb: u32, arch: Arch, kind: UpdateKind) -> String {
    let ext = if kind == UpdateKind::ServicePack {
        "exe"
    } else {
        "msu"
    };
    format!("windows6.0-kb{kb}-{arch}_<sha1>.{ext}")
}

fn kit_file(order: usize, stage: usize, arch: Arch, need: &Need<'_>, catalog: &Catalog) -> KitFile {
    let u = need.update;
    let payload = catalog.payload(u.kb, arch);
    let expected = payload
        .filter(|p| p.status == PayloadStatus::Known)
        .and_then(|p| p.expected());
    KitFile {
        order,
        stage,
        kb: u.kb,
        arch,
        kind: u.kind.name().to_string(),
        title: u.title.clone(),
        released: u.released,
        name_known: expected.is_some(),
        file_name: expected.map(|f| f.name.clone()),
        sha1: expected.and_then(|f| f.sha1.clone()),
        sha256: expected.and_then(|f| f.sha256.clone()),
        url: expected.and_then(|f| f.url.clone()),
        name_pattern: name_pattern(u.kb, arch, u.kind),
        search: format!("KB{} {}", u.kb, search_words(u, arch)),
        sources: expected.map(|f| f.sources.clone()).unwrap_or_default(),
        condition: need.condition.clone(),
        hosts: need.hosts.iter().cloned().collect(),
    }
}

/// The words that pick the right entry among a KB's Update Catalog results.
fn search_words(u: &Update, arch: Arch) -> String {
    let product = if u
        .products
        .iter()
        .any(|p| p.starts_with("windows-server-2008"))
    {
        "Windows Server 2008"
    } else {
        "Windows Vista"
    };
    let arch_words = match arch {
        Arch::X86 => "x86",
        Arch::X64 => "x64",
        Arch::Ia64 => "Itanium",
    };
    format!("{product} {arch_words}")
}

fn kit_hosts(hosts: &[HostPlan<'_>], files: &[KitFile]) -> Vec<KitHost> {
    let mut out: Vec<KitHost> = hosts
        .iter()
        .map(|h| {
            let own: Vec<usize> = files
                .iter()
                .filter(|f| f.hosts.contains(&h.id))
                .map(|f| f.order)
                .collect();
            KitHost {
                id: h.id.clone(),
                name: h.name.clone(),
                product: h.product.clone(),
                family: h.family.clone(),
                arch: h.arch,
                restart_first: h.excluded.is_none()
                    && h.plan.first().is_some_and(|s| s.kind == "reboot"),
                nothing_to_install: own.is_empty().then(|| h.empty_plan.clone()).flatten(),
                files: own,
                excluded: h.excluded.clone(),
            }
        })
        .collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

/// The manifest as pretty JSON with a final line break.
pub fn to_json(m: &Manifest) -> String {
    // Serializing strings, numbers and dates cannot fail.
    serde_json::to_string_pretty(m).unwrap_or_default() + "\n"
}
