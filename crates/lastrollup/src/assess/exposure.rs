//! Exposure: the CVEs a host is still open to.
//!
//! The updates that fix a CVE named for the host's product fall into groups
//! of alternatives (`Alternatives` below: a rollup and its security-only
//! twin stand in for each other; MS09-037's separate updates for separate
//! files do not). The CVE is closed when every group has an update present,
//! where "present" means any of:
//!
//! - it is in the host's installed-update list;
//! - an update in the list supersedes it, directly or through a chain (the
//!   advisories' supersedence for this product, and the catalog's);
//! - it is a monthly rollup or security-only update of a release that an
//!   installed monthly rollup covers (rollups are cumulative: a rollup covers
//!   every earlier release), or that the kernel revision shows installed;
//! - it is an Internet Explorer cumulative update older than an installed one;
//! - it is a servicing stack update older than an installed one.
//!
//! Otherwise the CVE is **open** when the evidence can show the fix absent
//! (there is an update list, or the fix is a rollup-era update whose month
//! the kernel revision answers), and **unverified** when it cannot (no
//! update list; a component whose presence the evidence does not show, also
//! when only that component's fix is missing).
//!
//! CVEs named only for a component (Internet Explorer 9, .NET Framework)
//! count only when the component is there; a component the evidence shows
//! absent takes its CVEs out.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use super::installed::Installed;
use super::target::{self, Resolution};
use super::Assessment;
use crate::advisory::database::Database;
use crate::advisory::{CveFacts, Family, FixFact, FixKind, Kb, Product, Severity};

pub use crate::advisory::KevView;
use crate::catalog::{Catalog, UpdateKind};
use crate::host::{Arch, Host, Installation};
use crate::month::Month;

/// Where the advisory facts come from.
pub trait AdvisorySource {
    /// Visits what the source says about each CVE of the OS products
    /// `products` and the components on them, each CVE once (the facts of
    /// several products merged).
    fn each_cve<'a>(&'a self, products: &[Product], visit: &mut dyn FnMut(&CveFacts<'a>));
    /// Which KB supersedes which, for those products.
    fn supersedence(&self, products: &[Product]) -> FxHashMap<u32, Vec<u32>>;
    /// `database` or `embedded-kev`.
    fn origin(&self) -> Origin;
    /// Whether the source carries supersedence between the fixing updates,
    /// so that a fix not listed can be told absent (and not merely replaced
    /// by a later standalone update).
    fn has_supersedence(&self) -> bool;
    /// How many CVEs it holds in all, an upper bound on what one host can
    /// be exposed to (0 when unknown).
    fn cve_count(&self) -> usize {
        0
    }
}

/// Which advisory facts an exposure rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    /// The imported advisory database (every CVE).
    Database,
    /// The catalog's small table of known-exploited CVEs (no database).
    EmbeddedKev,
}

impl AdvisorySource for Database {
    fn each_cve<'a>(&'a self, products: &[Product], visit: &mut dyn FnMut(&CveFacts<'a>)) {
        Database::each_cve(self, products, visit);
    }

    fn supersedence(&self, products: &[Product]) -> FxHashMap<u32, Vec<u32>> {
        Database::supersedence(self, products)
    }

    fn origin(&self) -> Origin {
        Origin::Database
    }

    fn has_supersedence(&self) -> bool {
        true
    }

    fn cve_count(&self) -> usize {
        Database::cve_count(self)
    }
}

/// The catalog's known-exploited table as an advisory source.
pub struct EmbeddedKev<'c>(pub &'c Catalog);

impl AdvisorySource for EmbeddedKev<'_> {
    fn each_cve<'a>(&'a self, products: &[Product], visit: &mut dyn FnMut(&CveFacts<'a>)) {
        // The table is per family, for SP2 (both architectures).
        let wanted = |k: &crate::catalog::KnownExploited| {
            products
                .iter()
                .any(|os| os.service_pack == 2 && k.families.iter().any(|f| f == os.family.slug()))
        };
        for k in self.0.known_exploited.iter().filter(|k| wanted(k)) {
            visit(&CveFacts {
                id: &k.id,
                title: &k.name,
                severity: k.severity,
                impact: None,
                affects_os: k.component.is_none(),
                components: k.component.iter().map(String::as_str).collect(),
                fixes: k
                    .fixed_by
                    .iter()
                    .map(|kb| FixFact {
                        kb: *kb,
                        component: k.component.as_deref(),
                        kind: None,
                        // The table's fixes of one CVE are one month's: a
                        // rollup and its security-only twin read as twins.
                        date: k.month.map(Month::patch_tuesday),
                    })
                    .collect(),
                date: None,
                kev: Some(KevView {
                    date_added: k.kev_added,
                    ransomware: k.ransomware,
                }),
                sources: vec!["lastrollup catalog (kev.toml)"],
            });
        }
    }

    fn supersedence(&self, _: &[Product]) -> FxHashMap<u32, Vec<u32>> {
        FxHashMap::default()
    }

    fn origin(&self) -> Origin {
        Origin::EmbeddedKev
    }

    fn has_supersedence(&self) -> bool {
        false
    }
}

/// Open or unverified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// The evidence shows none of its fixes.
    Open,
    /// The evidence cannot tell (see `reason`).
    Unverified,
}

/// What closing a CVE takes: groups of updates, one update of every group
/// needed (the updates of one group stand in for each other: a rollup and
/// its security-only twin; separate groups fix separate files). Groups are
/// in order of their lowest KB, each in KB order. Kept flat (groups apart by
/// a 0, which is no KB's number), so that an exposed CVE's fixes are one
/// allocation, not one per group. JSON: `[["KB1", "KB2"], ["KB3"]]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FixGroups(Vec<u32>);

impl FixGroups {
    /// The groups, each a list of KB numbers.
    pub fn groups(&self) -> impl Iterator<Item = &[u32]> {
        self.0.split(|kb| *kb == 0).filter(|g| !g.is_empty())
    }

    /// How many groups.
    pub fn len(&self) -> usize {
        self.groups().count()
    }

    /// Whether no update is named.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Every update of every group, in KB order.
    pub fn kbs(&self) -> Vec<Kb> {
        let mut kbs: Vec<Kb> = self
            .0
            .iter()
            .filter(|kb| **kb != 0)
            .map(|kb| Kb(*kb))
            .collect();
        kbs.sort_unstable();
        kbs.dedup();
        kbs
    }

    /// Builds the groups from (group key, KB) pairs sorted by key and KB.
    fn from_sorted(pairs: &[(u32, u32)]) -> FixGroups {
        let mut out = Vec::with_capacity(pairs.len() + 4);
        let mut last: Option<(u32, u32)> = None;
        for &(group, kb) in pairs {
            match last {
                Some((g, k)) if g == group && k == kb => continue,
                Some((g, _)) if g != group => out.push(0),
                _ => {}
            }
            out.push(kb);
            last = Some((group, kb));
        }
        FixGroups(out)
    }
}

impl Serialize for FixGroups {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        struct Group<'a>(&'a [u32]);
        impl Serialize for Group<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_seq(self.0.iter().map(|kb| Kb(*kb)))
            }
        }
        let mut seq = s.serialize_seq(Some(self.len()))?;
        for g in self.groups() {
            seq.serialize_element(&Group(g))?;
        }
        seq.end()
    }
}

/// One CVE the host is (or may be) open to. Its text is borrowed from the
/// advisory source (`'s`): a host can be open to thousands of CVEs, and
/// copying each id and title was a tenth of a `check`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExposedCve<'s> {
    /// `CVE-2017-0144`.
    pub id: &'s str,
    /// Its title.
    pub title: &'s str,
    /// MSRC severity for the product.
    pub severity: Severity,
    /// Impact, where known.
    pub impact: Option<&'s str>,
    /// KEV facts when CISA lists it as exploited.
    pub kev: Option<KevView>,
    /// What closing it takes (JSON `fix_groups`, and `fixed_by`: every
    /// update of every group, in KB order).
    pub fix_groups: FixGroups,
    /// The month of its earliest fix, where the catalog knows it.
    pub month: Option<Month>,
    /// The component it is named for, when not the OS itself.
    pub component: Option<String>,
    /// Open or unverified.
    pub status: Status,
    /// Why it is unverified.
    pub reason: Option<String>,
}

impl Serialize for ExposedCve<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut out = s.serialize_struct("ExposedCve", 11)?;
        out.serialize_field("id", &self.id)?;
        out.serialize_field("title", &self.title)?;
        out.serialize_field("severity", &self.severity)?;
        out.serialize_field("impact", &self.impact)?;
        out.serialize_field("kev", &self.kev)?;
        out.serialize_field("fixed_by", &self.fixed_by())?;
        out.serialize_field("fix_groups", &self.fix_groups)?;
        out.serialize_field("month", &self.month)?;
        out.serialize_field("component", &self.component)?;
        out.serialize_field("status", &self.status)?;
        out.serialize_field("reason", &self.reason)?;
        out.end()
    }
}

impl ExposedCve<'_> {
    /// Every update that would fix part or all of it, in KB order.
    pub fn fixed_by(&self) -> Vec<Kb> {
        self.fix_groups.kbs()
    }

    /// What closing it takes, for people: `KB1 or KB2` for one group,
    /// `KB1 and (KB2 or KB3)` for several; `None` without a named fix.
    pub fn fix_text(&self) -> Option<String> {
        let several = self.fix_groups.len() > 1;
        let group = |g: &[u32]| {
            let alternatives: Vec<String> = g.iter().map(|kb| Kb(*kb).to_string()).collect();
            let text = alternatives.join(" or ");
            if g.len() > 1 && several {
                format!("({text})")
            } else {
                text
            }
        };
        let parts: Vec<String> = self.fix_groups.groups().map(group).collect();
        (!parts.is_empty()).then(|| parts.join(" and "))
    }
}

/// Counts over the exposure.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// CVEs open.
    pub open: usize,
    /// CVEs that may be open (the evidence cannot tell).
    pub unverified: usize,
    /// Open or unverified CVEs that CISA lists as known exploited.
    pub kev: usize,
    /// ... of which known to be used by ransomware.
    pub ransomware: usize,
    /// Open or unverified CVEs by severity.
    pub by_severity: BTreeMap<&'static str, usize>,
    /// CVEs named for the product that the host has a fix for.
    pub fixed: usize,
    /// CVEs named only for components the evidence shows absent.
    pub not_applicable: usize,
}

/// An update and how many exposed CVEs it would close.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FixCount {
    /// `KB5073697`.
    pub kb: Kb,
    /// Exposed CVEs it fixes.
    pub cves: usize,
}

/// The CVEs a host is open to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exposure<'s> {
    /// Which facts it rests on.
    pub origin: Origin,
    /// The MSRC products read (two when the architecture is not known).
    pub products: Vec<String>,
    /// Exposed CVEs: known-exploited first, then by severity.
    pub cves: Vec<ExposedCve<'s>>,
    /// Counts.
    pub counts: Counts,
    /// The updates that close the most exposed CVEs, most first (at most
    /// ten). Each missing group of fixes counts for the newest update that
    /// holds it: the final monthly rollup for a rollup or security-only
    /// update, the newest IE cumulative update for an IE cumulative one, and
    /// otherwise the newest update that supersedes it (or itself).
    pub top_fixes: Vec<FixCount>,
    /// What the reader should know about how it was computed.
    pub notes: Vec<String>,
}

/// Computes the exposure of an assessed NT 6.0 host; `None` when the host
/// was not assessed (not NT 6.0, family unknown).
pub fn exposure<'s>(
    host: &Host,
    catalog: &Catalog,
    assessment: &Assessment<'_>,
    source: &'s dyn AdvisorySource,
) -> Option<Exposure<'s>> {
    if assessment.status != "assessed" {
        return None;
    }
    let mut scratch = Vec::new();
    let Resolution::Nt60(target) = target::resolve(host, catalog, &mut scratch) else {
        return None;
    };
    let family = match target.product.family.as_str() {
        "windows-server-2008" => Family::WindowsServer2008,
        "windows-vista" => Family::WindowsVista,
        _ => return None,
    };
    let mut notes = Vec::new();
    let service_pack = match target.service_pack {
        Some(sp) => sp,
        None => {
            notes.push("the service pack is not in the evidence: CVEs are read for SP2".into());
            2
        }
    };
    let server_core = host
        .os
        .installation
        .as_ref()
        .is_some_and(|i| i.value == Installation::ServerCore);
    let arches: Vec<Arch> = if target.arch_known {
        vec![target.arch]
    } else {
        notes.push(
            "the architecture is not in the evidence: CVEs of the x86 and x64 products are both counted"
                .into(),
        );
        vec![Arch::X86, Arch::X64]
    };
    let products: Vec<Product> = arches
        .iter()
        .map(|arch| Product {
            family,
            arch: *arch,
            service_pack,
            server_core: server_core && family == Family::WindowsServer2008,
            component: None,
        })
        .collect();
    let supersedes = source.supersedence(&products);

    let installed = Installed::of(host, catalog);
    let kernel_month = assessment
        .baseline
        .as_ref()
        .and_then(|b| b.kernel.as_ref())
        .and_then(|k| k.month);
    // The servicing stack version a collector read proves an SSU (and every
    // earlier one) as well as a listed SSU does.
    let stack_ssu_date = host
        .servicing
        .stack_version
        .as_ref()
        .and_then(|v| crate::catalog::BuildRevision::parse(&v.value))
        .and_then(|v| catalog.ssu_for_stack(&target.product.id, target.arch, v))
        .map(|u| u.effective_date());
    let mut present = Present::new(
        catalog,
        &installed,
        &supersedes,
        &target.product.id,
        target.arch,
        kernel_month,
    );
    present.ssu_date = present.ssu_date.max(stack_ssu_date);

    let alternatives = Alternatives::new(catalog, &supersedes);
    let kev_months: FxHashMap<&str, Month> = catalog
        .known_exploited
        .iter()
        .filter_map(|k| Some((k.id.as_str(), k.month?)))
        .collect();
    // Component presence, decided once per component name.
    let mut presence: FxHashMap<&str, Option<bool>> = FxHashMap::default();
    let mut component_present = |c: &'s str| -> Option<bool> {
        *presence
            .entry(c)
            .or_insert_with(|| component_on_host(c, host))
    };
    // Reserved whole: growing a vector of a few thousand CVEs copies it.
    let mut cves = Vec::with_capacity(source.cve_count());
    let mut counts = Counts::default();
    let mut applicable: Vec<FixFact<'_>> = Vec::new();
    let mut scratch = GroupScratch::default();
    source.each_cve(&products, &mut |f| {
        // Which of its components are here.
        let mut component_unknown: Option<&str> = None;
        let applies = f.affects_os
            || f.components.iter().any(|c| match component_present(c) {
                Some(p) => p,
                None => {
                    component_unknown.get_or_insert(c);
                    true
                }
            });
        if !applies {
            counts.not_applicable += 1;
            return;
        }
        applicable.clear();
        applicable.extend(
            f.fixes
                .iter()
                .filter(|x| {
                    x.component
                        .is_none_or(|c| component_present(c) != Some(false))
                })
                .copied(),
        );
        let Some(fix_groups) = missing_groups(&applicable, &present, &alternatives, &mut scratch)
        else {
            counts.fixed += 1;
            return;
        };
        let fixes = &scratch.missing;
        let month = fixes
            .iter()
            .filter_map(|x| catalog.update(x.kb).map(|u| u.month))
            .min()
            .or_else(|| kev_months.get(f.id).copied());
        let only_component = !f.affects_os;
        // The OS part is fixed, or there is none: what is missing is for
        // components whose presence the evidence does not show.
        let missing_component: Option<&str> = match fixes.first() {
            Some(first)
                if fixes
                    .iter()
                    .all(|x| x.component.is_some_and(|c| component_present(c).is_none())) =>
            {
                first.component
            }
            _ => None,
        };
        let component_unknown = missing_component.or(component_unknown.filter(|_| only_component));
        let (status, reason) = if let Some(c) = component_unknown {
            (
                Status::Unverified,
                Some(format!(
                    "{} {}, which the evidence does not show installed or absent \
                     (a collector bundle reads it)",
                    if only_component {
                        "named only for"
                    } else {
                        "the OS is fixed; the fix missing is for"
                    },
                    if c.contains(".NET Framework") {
                        ".NET Framework"
                    } else {
                        c
                    }
                )),
            )
        } else if fixes.is_empty() {
            (Status::Open, None)
        } else if installed.has_list {
            if !source.has_supersedence() && fixes.iter().all(|x| catalog.update(x.kb).is_none()) {
                (
                    Status::Unverified,
                    Some(
                        "its fix is not listed, but a later standalone update may supersede it; \
                         import the advisory database to check supersedence"
                            .into(),
                    ),
                )
            } else {
                (Status::Open, None)
            }
        } else if kernel_month.is_some()
            && fixes
                .iter()
                .all(|x| catalog.update(x.kb).is_some_and(|u| u.is_os_security()))
        {
            (Status::Open, None)
        } else {
            (
                Status::Unverified,
                Some("the evidence holds no installed-update list".into()),
            )
        };
        let component = if only_component {
            Some(f.components.join(" / "))
        } else {
            None
        };
        cves.push(ExposedCve {
            id: f.id,
            title: f.title,
            severity: f.severity,
            impact: f.impact,
            kev: f.kev,
            fix_groups,
            month,
            component,
            status,
            reason,
        });
    });
    cves.sort_by_cached_key(order_key);
    let remedies = Remedies::new(catalog, &supersedes, target.product, target.arch);
    let mut by_fix: FxHashMap<u32, usize> = FxHashMap::default();
    let mut closing: Vec<u32> = Vec::new();
    for c in &cves {
        match c.status {
            Status::Open => counts.open += 1,
            Status::Unverified => counts.unverified += 1,
        }
        if let Some(k) = &c.kev {
            counts.kev += 1;
            if k.ransomware {
                counts.ransomware += 1;
            }
        }
        *counts.by_severity.entry(c.severity.as_str()).or_default() += 1;
        closing.clear();
        closing.extend(c.fix_groups.groups().map(|g| remedies.of(g)));
        closing.sort_unstable();
        closing.dedup();
        for kb in &closing {
            *by_fix.entry(*kb).or_default() += 1;
        }
    }
    let mut top_fixes: Vec<FixCount> = by_fix
        .into_iter()
        .map(|(kb, cves)| FixCount { kb: Kb(kb), cves })
        .collect();
    top_fixes.sort_by(|a, b| b.cves.cmp(&a.cves).then_with(|| a.kb.cmp(&b.kb)));
    top_fixes.truncate(10);
    if source.origin() == Origin::EmbeddedKev {
        notes.push(
            "no advisory database: only the known-exploited CVEs of the built-in table are checked; \
             import the full data with `lastrollup db import definitions.zip` (wesng), MSRC CVRF or CSAF documents \
             and the CISA KEV catalog"
                .into(),
        );
    }
    if server_core {
        notes.push("Server Core installation: CVEs of the Server Core product are counted".into());
    }
    Some(Exposure {
        origin: source.origin(),
        products: products.iter().map(Product::name).collect(),
        cves,
        counts,
        top_fixes,
        notes,
    })
}

/// The report order as one number: known exploited first, then by severity,
/// open before unverified, newest CVE first (advisories last).
fn order_key(c: &ExposedCve<'_>) -> u64 {
    let severity = Severity::Critical as u64 - c.severity as u64;
    let (year, seq) = cve_order(c.id);
    (u64::from(c.kev.is_none()) << 63)
        | (severity << 60)
        | ((c.status as u64) << 59)
        | (u64::from(0xFFFF - year.min(0xFFFF)) << 32)
        | u64::from(u32::MAX - seq)
}

/// Sort key of an id: `CVE-2017-0144` → (2017, 144); an advisory
/// (`ADV180002`) or anything else → (0, 0), after every CVE in the
/// newest-first order.
fn cve_order(id: &str) -> (u32, u32) {
    let Some(rest) = id.as_bytes().strip_prefix(b"CVE-") else {
        return (0, 0);
    };
    let number = |s: &[u8]| {
        s.iter()
            .try_fold(0u32, |n, b| {
                b.is_ascii_digit()
                    .then(|| n.saturating_mul(10).saturating_add(u32::from(b - b'0')))
            })
            .unwrap_or(0)
    };
    match rest.iter().position(|b| *b == b'-') {
        Some(at) => (number(&rest[..at]), number(&rest[at + 1..])),
        None => (number(rest), 0),
    }
}

/// Which fixes of one CVE stand in for each other.
///
/// MSRC lists several updates for one CVE on one product in two situations
/// that must not be confused: alternatives (a monthly rollup and its
/// security-only twin, an IE cumulative update and the rollup that carries
/// the same fix, an update and the later one that replaces it), any one of
/// which closes the CVE; and separate updates for separate binaries
/// (MS09-037 ships KB973507 for ATL and KB973768 for the HtmlInput control,
/// MS11-024 KB2491683 and KB2506212), all of which are needed. The feeds do
/// not say which; two fixes are taken as alternatives when
///
/// - both are cumulative-family updates (monthly rollup, security-only, IE
///   cumulative: by the feed's kind, the catalog's, or because a catalog
///   update of that family supersedes them), or
/// - they are for the same product or component, their records carry the
///   same date, and one is of the cumulative family: the security-only twin
///   of a rollup the catalog does not hold (KB4457984 beside KB4458010,
///   2018-09), or
/// - one supersedes the other, directly or through a chain (the advisories'
///   supersedence for the product, and the catalog's).
///
/// Every other pair is needed together, as wesng also reads it. Not caught:
/// .NET Framework rollup / security-only pairs, which neither the catalog
/// nor wesng marks (their CVEs are component CVEs, mostly unverified).
struct Alternatives<'a> {
    catalog: &'a Catalog,
    supersedes: &'a FxHashMap<u32, Vec<u32>>,
    cumulative: FxHashSet<u32>,
    /// Every KB some update supersedes: a search for any other ends at once.
    superseded: FxHashSet<u32>,
    /// The search's scratch, kept between searches.
    scratch: std::cell::RefCell<(FxHashSet<u32>, Vec<u32>)>,
    /// Answers already found: (newer << 32 | older) → supersedes. The same
    /// pairs of updates fix many CVEs.
    known: std::cell::RefCell<FxHashMap<u64, bool>>,
}

/// How far a supersedence search goes before giving up (the real chains
/// are a few dozen updates long).
const CHAIN_LIMIT: usize = 512;

impl<'a> Alternatives<'a> {
    fn new(catalog: &'a Catalog, supersedes: &'a FxHashMap<u32, Vec<u32>>) -> Alternatives<'a> {
        let mut cumulative = FxHashSet::default();
        let mut stack: Vec<u32> = catalog
            .updates
            .iter()
            .filter(|u| u.is_os_security() || u.kind == UpdateKind::IeCumulative)
            .map(|u| u.kb)
            .collect();
        while let Some(kb) = stack.pop() {
            if !cumulative.insert(kb) {
                continue;
            }
            if let Some(s) = supersedes.get(&kb) {
                stack.extend(s.iter().copied());
            }
            if let Some(u) = catalog.update(kb) {
                stack.extend(u.supersedes.iter().copied());
            }
        }
        let superseded = supersedes
            .values()
            .flatten()
            .chain(catalog.updates.iter().flat_map(|u| u.supersedes.iter()))
            .copied()
            .collect();
        Alternatives {
            catalog,
            supersedes,
            cumulative,
            superseded,
            scratch: Default::default(),
            known: Default::default(),
        }
    }

    fn is_cumulative(&self, fix: &FixFact) -> bool {
        matches!(
            fix.kind,
            Some(FixKind::MonthlyRollup | FixKind::SecurityOnly | FixKind::IeCumulative)
        ) || self.cumulative.contains(&fix.kb)
    }

    /// Whether `newer` supersedes `older`, directly or through a chain.
    fn supersedes(&self, newer: u32, older: u32) -> bool {
        if !self.superseded.contains(&older) {
            return false;
        }
        let key = (u64::from(newer) << 32) | u64::from(older);
        if let Some(answer) = self.known.borrow().get(&key) {
            return *answer;
        }
        let answer = self.search(newer, older);
        self.known.borrow_mut().insert(key, answer);
        answer
    }

    /// The chain search behind [`Alternatives::supersedes`].
    fn search(&self, newer: u32, older: u32) -> bool {
        let mut scratch = self.scratch.borrow_mut();
        let (seen, stack) = &mut *scratch;
        seen.clear();
        stack.clear();
        stack.push(newer);
        while let Some(kb) = stack.pop() {
            if !seen.insert(kb) || seen.len() > CHAIN_LIMIT {
                continue;
            }
            let direct = self.supersedes.get(&kb).into_iter().flatten();
            let catalog = self
                .catalog
                .update(kb)
                .into_iter()
                .flat_map(|u| u.supersedes.iter());
            for s in direct.chain(catalog) {
                if *s == older {
                    return true;
                }
                stack.push(*s);
            }
        }
        false
    }

    fn alternative(&self, a: &FixFact, b: &FixFact) -> bool {
        let (ca, cb) = (self.is_cumulative(a), self.is_cumulative(b));
        a.kb == b.kb
            || (ca && cb)
            || ((ca || cb) && a.component == b.component && a.date.is_some() && a.date == b.date)
            || self.supersedes(a.kb, b.kb)
            || self.supersedes(b.kb, a.kb)
    }
}

/// The newest update that holds a group of fixes (see
/// [`Exposure::top_fixes`]).
struct Remedies<'a> {
    catalog: &'a Catalog,
    /// The final monthly rollup for the host's product and architecture.
    final_rollup: Option<u32>,
    /// The newest IE cumulative update for them.
    newest_ie: Option<u32>,
    /// KB → the KBs that supersede it.
    superseded_by: FxHashMap<u32, Vec<u32>>,
    /// Answers for groups of one KB, most groups (a KB fixes many CVEs).
    known: std::cell::RefCell<FxHashMap<u32, u32>>,
}

impl<'a> Remedies<'a> {
    fn new(
        catalog: &'a Catalog,
        supersedes: &FxHashMap<u32, Vec<u32>>,
        product: &crate::catalog::Product,
        arch: Arch,
    ) -> Remedies<'a> {
        let mut superseded_by: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
        let edges = supersedes
            .iter()
            .flat_map(|(kb, olds)| olds.iter().map(move |old| (*kb, *old)))
            .chain(
                catalog
                    .updates
                    .iter()
                    .flat_map(|u| u.supersedes.iter().map(move |old| (u.kb, *old))),
            );
        for (new, old) in edges {
            superseded_by.entry(old).or_default().push(new);
        }
        let newest_ie = catalog
            .updates
            .iter()
            .filter(|u| u.kind == UpdateKind::IeCumulative && u.applies_to(&product.id, arch))
            .max_by_key(|u| u.effective_date())
            .map(|u| u.kb);
        Remedies {
            catalog,
            final_rollup: product.final_update.get(&arch).copied(),
            newest_ie,
            superseded_by,
            known: Default::default(),
        }
    }

    fn of(&self, group: &[u32]) -> u32 {
        let [kb] = group else {
            return self.find(group);
        };
        if let Some(answer) = self.known.borrow().get(kb) {
            return *answer;
        }
        let answer = self.find(group);
        self.known.borrow_mut().insert(*kb, answer);
        answer
    }

    /// [`Remedies::of`], worked out.
    fn find(&self, group: &[u32]) -> u32 {
        let kind = |kb: &u32| self.catalog.update(*kb).map(|u| u.kind);
        if let Some(kb) = self.final_rollup {
            if group.iter().any(|k| {
                matches!(
                    kind(k),
                    Some(UpdateKind::MonthlyRollup | UpdateKind::SecurityOnly)
                )
            }) {
                return kb;
            }
        }
        if let Some(kb) = self.newest_ie {
            if group
                .iter()
                .any(|k| kind(k) == Some(UpdateKind::IeCumulative))
            {
                return kb;
            }
        }
        group
            .iter()
            .map(|kb| self.tip(*kb))
            .max()
            .unwrap_or_default()
    }

    /// The end of the supersedence chain above `kb` (the highest KB number
    /// where it forks), or `kb` itself.
    fn tip(&self, mut kb: u32) -> u32 {
        for _ in 0..CHAIN_LIMIT {
            match self.superseded_by.get(&kb).and_then(|v| v.iter().max()) {
                Some(next) if *next != kb => kb = *next,
                _ => break,
            }
        }
        kb
    }
}

/// Buffers [`missing_groups`] reuses from one CVE to the next.
#[derive(Default)]
struct GroupScratch<'a> {
    parent: Vec<usize>,
    closed: Vec<bool>,
    /// (lowest KB of the group, KB) of every missing fix.
    pairs: Vec<(u32, u32)>,
    lowest: Vec<u32>,
    /// The missing fixes, for the caller.
    missing: Vec<FixFact<'a>>,
}

/// The groups of alternative fixes (see [`Alternatives`]) a CVE still
/// needs: `None` when every group has a present fix; the fixes of the
/// missing groups are left in `scratch.missing`. A CVE without fixes needs
/// nothing it could name (empty groups).
fn missing_groups<'f>(
    fixes: &[FixFact<'f>],
    present: &Present<'_>,
    alternatives: &Alternatives<'_>,
    scratch: &mut GroupScratch<'f>,
) -> Option<FixGroups> {
    scratch.missing.clear();
    match fixes {
        [] => return Some(FixGroups::default()),
        [one] => {
            if present.has(one.kb) {
                return None;
            }
            scratch.missing.push(*one);
            return Some(FixGroups(vec![one.kb]));
        }
        _ => {}
    }
    // Union-find over the fixes (a handful per CVE).
    let GroupScratch {
        parent,
        closed,
        pairs,
        lowest,
        missing,
    } = scratch;
    parent.clear();
    parent.extend(0..fixes.len());
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for i in 0..fixes.len() {
        for j in i + 1..fixes.len() {
            let (ri, rj) = (root(parent, i), root(parent, j));
            if ri != rj && alternatives.alternative(&fixes[i], &fixes[j]) {
                parent[rj] = ri;
            }
        }
    }
    closed.clear();
    closed.resize(fixes.len(), false);
    lowest.clear();
    lowest.resize(fixes.len(), u32::MAX);
    for (i, x) in fixes.iter().enumerate() {
        let r = root(parent, i);
        closed[r] |= present.has(x.kb);
        lowest[r] = lowest[r].min(x.kb);
    }
    pairs.clear();
    for (i, x) in fixes.iter().enumerate() {
        let r = root(parent, i);
        if !closed[r] {
            pairs.push((lowest[r], x.kb));
            missing.push(*x);
        }
    }
    if missing.is_empty() {
        return None;
    }
    pairs.sort_unstable();
    Some(FixGroups::from_sorted(pairs))
}

/// Whether an update counts as present on the host.
struct Present<'a> {
    catalog: &'a Catalog,
    /// Listed KBs and everything they supersede.
    reachable: FxHashSet<u32>,
    /// The newest installed monthly rollup's date.
    rollup_date: Option<Date>,
    /// The newest installed IE cumulative update's date.
    ie_date: Option<Date>,
    /// The newest installed servicing stack update's date (listed, or
    /// proved by the servicing stack version).
    ssu_date: Option<Date>,
    kernel_month: Option<Month>,
    product: &'a str,
    arch: Arch,
    /// Answers already given (a KB fixes many CVEs).
    known: std::cell::RefCell<FxHashMap<u32, bool>>,
}

impl<'a> Present<'a> {
    fn new(
        catalog: &'a Catalog,
        installed: &Installed,
        supersedes: &FxHashMap<u32, Vec<u32>>,
        product: &'a str,
        arch: Arch,
        kernel_month: Option<Month>,
    ) -> Present<'a> {
        let mut reachable: FxHashSet<u32> = FxHashSet::default();
        let mut stack: Vec<u32> = installed.listed.iter().copied().collect();
        while let Some(kb) = stack.pop() {
            if !reachable.insert(kb) {
                continue;
            }
            if let Some(s) = supersedes.get(&kb) {
                stack.extend(s.iter().copied());
            }
            if let Some(u) = catalog.update(kb) {
                stack.extend(u.supersedes.iter().copied());
            }
        }
        let newest = |kind: UpdateKind| {
            installed
                .known(catalog)
                .filter(|u| u.kind == kind)
                .map(|u| u.effective_date())
                .max()
        };
        Present {
            catalog,
            reachable,
            rollup_date: newest(UpdateKind::MonthlyRollup),
            ie_date: newest(UpdateKind::IeCumulative),
            ssu_date: newest(UpdateKind::Ssu),
            kernel_month,
            product,
            arch,
            known: Default::default(),
        }
    }

    fn has(&self, kb: u32) -> bool {
        if let Some(answer) = self.known.borrow().get(&kb) {
            return *answer;
        }
        let answer = self.decide(kb);
        self.known.borrow_mut().insert(kb, answer);
        answer
    }

    /// [`Present::has`], worked out.
    fn decide(&self, kb: u32) -> bool {
        if self.reachable.contains(&kb) {
            return true;
        }
        let Some(u) = self.catalog.update(kb) else {
            return false;
        };
        if u.is_os_security() && u.applies_to(self.product, self.arch) {
            if self.rollup_date.is_some_and(|d| u.effective_date() <= d) {
                return true;
            }
            if self.kernel_month.is_some_and(|m| u.month <= m) {
                return true;
            }
        }
        // A servicing stack update carries the whole stack, so a later one
        // holds an earlier one's fixes (the catalog's reading; the data
        // records no supersedence between them).
        if u.kind == UpdateKind::Ssu
            && u.applies_to(self.product, self.arch)
            && self.ssu_date.is_some_and(|d| u.effective_date() <= d)
        {
            return true;
        }
        u.kind == UpdateKind::IeCumulative && self.ie_date.is_some_and(|d| u.effective_date() <= d)
    }
}

/// Whether a component is on the host: `Some(true)`/`Some(false)` when the
/// evidence says, `None` when it does not.
fn component_on_host(component: &str, host: &Host) -> Option<bool> {
    let c = component.to_ascii_lowercase();
    if let Some(rest) = c.strip_prefix("internet explorer ") {
        let major: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let ie = host.servicing.ie_version.as_ref()?;
        let have: String = ie
            .value
            .trim()
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        return Some(!major.is_empty() && major == have);
    }
    if let Some(at) = c.find(".net framework ") {
        let version: String = c[at + ".net framework ".len()..]
            .chars()
            .take_while(|ch| ch.is_ascii_digit() || *ch == '.')
            .collect();
        if host.servicing.dotnet.is_empty() {
            return None;
        }
        let major_minor: String = version.split('.').take(2).collect::<Vec<_>>().join(".");
        // Registry lines read `v2.0.50727: 2.0.50727.4016`, `v4\Full: 4.6.01590`.
        let versions: BTreeSet<String> = host
            .servicing
            .dotnet
            .iter()
            .filter_map(|d| d.value.rsplit(':').next())
            .map(|v| v.trim().split('.').take(2).collect::<Vec<_>>().join("."))
            .collect();
        if !versions.contains(&major_minor) {
            return Some(false);
        }
        // 4.x updates in place (4.6.2 replaces 4.6): the registry's build
        // number tells them apart, which this does not map; only a two-part
        // version is certain.
        return if version.split('.').count() <= 2 || !major_minor.starts_with('4') {
            Some(true)
        } else {
            None
        };
    }
    // XML Core Services 3.0, VBScript 5.7, the Hyperlink Object Library:
    // parts of every NT 6.0 installation.
    Some(true)
}

/// Computes the exposure of every assessed host (`assessments[i]` belongs
/// to `hosts[i]`) and stores it in its assessment.
pub fn attach_all<'s>(
    hosts: &[Host],
    assessments: &mut [Assessment<'s>],
    catalog: &Catalog,
    source: &'s dyn AdvisorySource,
) {
    for (h, a) in hosts.iter().zip(assessments.iter_mut()) {
        a.exposure = exposure(h, catalog, a, source);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cve(groups: &[(u32, u32)]) -> ExposedCve<'static> {
        ExposedCve {
            id: "CVE-2008-0015",
            title: "t",
            severity: Severity::Critical,
            impact: None,
            kev: None,
            fix_groups: FixGroups::from_sorted(groups),
            month: None,
            component: None,
            status: Status::Open,
            reason: None,
        }
    }

    #[test]
    fn fix_groups_flat_form_and_text() {
        // Pairs are (lowest KB of the group, KB), sorted; repeats collapse.
        let c = cve(&[
            (973346, 973346),
            (973507, 973507),
            (973507, 973768),
            (973507, 973768),
        ]);
        let groups: Vec<&[u32]> = c.fix_groups.groups().collect();
        assert_eq!(groups, vec![&[973346][..], &[973507, 973768][..]]);
        assert_eq!(c.fix_groups.len(), 2);
        assert_eq!(
            c.fix_text().as_deref(),
            Some("KB973346 and (KB973507 or KB973768)")
        );
        assert_eq!(c.fixed_by(), vec![Kb(973346), Kb(973507), Kb(973768)]);
        let json = serde_json::to_value(&c).unwrap();
        assert_eq!(
            json["fix_groups"],
            serde_json::json!([["KB973346"], ["KB973507", "KB973768"]])
        );
        assert_eq!(
            json["fixed_by"],
            serde_json::json!(["KB973346", "KB973507", "KB973768"])
        );
        let one = cve(&[(5073697, 5073697), (5073697, 5073700)]);
        assert_eq!(one.fix_text().as_deref(), Some("KB5073697 or KB5073700"));
        let none = cve(&[]);
        assert!(none.fix_groups.is_empty());
        assert_eq!(none.fix_text(), None);
        assert_eq!(
            serde_json::to_value(&none).unwrap()["fix_groups"],
            serde_json::json!([])
        );
    }

    #[test]
    fn report_order() {
        assert_eq!(cve_order("CVE-2017-0144"), (2017, 144));
        assert_eq!(cve_order("ADV180002"), (0, 0));
        assert_eq!(cve_order("CVE-20x7-1"), (0, 1));
        let mut kev = cve(&[]);
        kev.kev = Some(KevView {
            date_added: jiff::civil::date(2022, 2, 10),
            ransomware: false,
        });
        let mut newer = cve(&[]);
        newer.id = "CVE-2020-0001";
        let mut low = cve(&[]);
        low.severity = Severity::Low;
        let mut unverified = cve(&[]);
        unverified.status = Status::Unverified;
        let plain = cve(&[]);
        let mut all = [&low, &unverified, &plain, &newer, &kev];
        all.sort_by_key(|c| order_key(c));
        let ids: Vec<(&str, Severity, Status, bool)> = all
            .iter()
            .map(|c| (c.id, c.severity, c.status, c.kev.is_some()))
            .collect();
        assert_eq!(
            ids,
            vec![
                ("CVE-2008-0015", Severity::Critical, Status::Open, true),
                ("CVE-2020-0001", Severity::Critical, Status::Open, false),
                ("CVE-2008-0015", Severity::Critical, Status::Open, false),
                (
                    "CVE-2008-0015",
                    Severity::Critical,
                    Status::Unverified,
                    false
                ),
                ("CVE-2008-0015", Severity::Low, Status::Open, false),
            ]
        );
    }
}
