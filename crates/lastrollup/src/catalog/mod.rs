//! The project's reviewed facts, compiled into the binary.
//!
//! Facts live in TOML files under `crates/lastrollup/catalog/`, never in
//! code: builds and SKUs (`windows.toml`), products and their final updates
//! (`products.toml`), every NT 6.0 update that matters for the baseline
//! (`updates.toml`), lifecycle milestones and support phases
//! (`lifecycle.toml`), in-place upgrade paths (`upgrades.toml`) and
//! update-install error codes (`errors.toml`). [`Catalog::embedded`] loads
//! and cross-checks them once; the tests in `tests/catalog.rs` compare them
//! with the research facts in `../shared/facts` and the MSRC data in
//! `../shared/data`.

pub mod errors;
pub mod files;
pub mod kev;
pub mod lifecycle;
pub mod products;
pub mod updates;
pub mod upgrades;
pub mod windows;

use std::collections::BTreeSet;
use std::sync::OnceLock;

use jiff::civil::Date;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::host::Arch;
use crate::month::Month;
use files::err;

pub use errors::ErrorCode;
pub use files::{CatalogError, CatalogFiles, CatalogSources};
pub use kev::KnownExploited;
pub use lifecycle::{Milestone, Phase};
pub use products::Product;
pub use updates::{BuildRevision, Release, Update, UpdateKind};

/// The files compiled into the binary.
pub const EMBEDDED: CatalogSources<'static> = CatalogSources {
    products: include_str!("../../catalog/products.toml"),
    updates: include_str!("../../catalog/updates.toml"),
    lifecycle: include_str!("../../catalog/lifecycle.toml"),
    upgrades: include_str!("../../catalog/upgrades.toml"),
    errors: include_str!("../../catalog/errors.toml"),
    kev: include_str!("../../catalog/kev.toml"),
};

/// The same files as deserialized structs ([`CatalogFiles`]) in postcard
/// form, encoded from the TOML at build time by `build.rs`. This is what
/// [`Catalog::embedded`] loads: it decodes in a fraction of the instructions
/// that serde_json needs for the same facts as JSON (and the `toml` crate
/// needs for the TOML).
pub const EMBEDDED_POSTCARD: &[u8] =
    include_bytes!(concat!(env!("OUT_DIR"), "/catalog/catalog.postcard"));

/// All servicing facts, cross-checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Catalog {
    /// Products.
    pub products: Vec<Product>,
    /// Updates, in the file's order (by date).
    pub updates: Vec<Update>,
    /// Milestones.
    pub milestones: Vec<Milestone>,
    /// Support phases.
    pub phases: Vec<Phase>,
    /// In-place upgrade paths.
    pub upgrades: upgrades::UpgradesFile,
    /// Error codes.
    pub errors: Vec<ErrorCode>,
    /// Known-exploited CVEs of NT 6.0 SP2 (for `check` without a database).
    pub known_exploited: Vec<KnownExploited>,
    by_kb: FxHashMap<u32, usize>,
    superseded_by: FxHashMap<u32, Vec<u32>>,
}

impl Catalog {
    /// The catalog compiled into the binary.
    pub fn embedded() -> &'static Catalog {
        static CATALOG: OnceLock<Catalog> = OnceLock::new();
        // Checked by the `embedded_catalog_is_valid` test: a broken catalog is
        // a build defect, not an input error.
        CATALOG.get_or_init(|| {
            Catalog::load_embedded().unwrap_or_else(|e| panic!("embedded catalog is invalid: {e}"))
        })
    }

    /// Loads and cross-checks the embedded catalog from its build-time
    /// postcard form ([`EMBEDDED_POSTCARD`]), without caching: what
    /// [`Catalog::embedded`] does once per process. The result equals
    /// `Catalog::parse(EMBEDDED)`.
    pub fn load_embedded() -> Result<Catalog, CatalogError> {
        Catalog::assemble(CatalogFiles::decode(EMBEDDED_POSTCARD)?)
    }

    /// Parses and cross-checks catalog files.
    pub fn parse(src: CatalogSources<'_>) -> Result<Catalog, CatalogError> {
        Catalog::assemble(CatalogFiles::from_toml(src)?)
    }

    /// Indexes and cross-checks deserialized catalog files.
    pub fn assemble(files: CatalogFiles) -> Result<Catalog, CatalogError> {
        let CatalogFiles {
            products,
            updates,
            lifecycle,
            upgrades,
            errors,
            kev,
        } = files;
        let mut by_kb =
            FxHashMap::with_capacity_and_hasher(updates.update.len(), Default::default());
        let mut superseded_by: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
        for (i, u) in updates.update.iter().enumerate() {
            if by_kb.insert(u.kb, i).is_some() {
                return Err(err("updates.toml", format!("KB{} is listed twice", u.kb)));
            }
            for s in &u.supersedes {
                superseded_by.entry(*s).or_default().push(u.kb);
            }
        }
        let catalog = Catalog {
            products: products.product,
            updates: updates.update,
            milestones: lifecycle.milestone,
            phases: lifecycle.phase,
            upgrades,
            errors: errors.error,
            known_exploited: kev.cve,
            by_kb,
            superseded_by,
        };
        catalog.validate()?;
        Ok(catalog)
    }

    fn validate_kev(&self) -> Result<(), CatalogError> {
        let f = "kev.toml";
        let mut seen =
            FxHashSet::with_capacity_and_hasher(self.known_exploited.len(), Default::default());
        for k in &self.known_exploited {
            let well_formed =
                k.id.strip_prefix("CVE-")
                    .and_then(|r| r.split_once('-'))
                    .is_some_and(|(y, n)| {
                        y.len() == 4
                            && n.len() >= 4
                            && y.bytes().chain(n.bytes()).all(|b| b.is_ascii_digit())
                    });
            if !well_formed {
                return Err(err(f, format!("`{}` is not a CVE id", k.id)));
            }
            if !seen.insert(k.id.as_str()) {
                return Err(err(f, format!("{} is listed twice", k.id)));
            }
            if k.families.is_empty()
                || k.families
                    .iter()
                    .any(|fam| fam != "windows-server-2008" && fam != "windows-vista")
            {
                return Err(err(f, format!("{}: families must be NT 6.0 slugs", k.id)));
            }
            if k.fixed_by.is_empty() != k.month.is_none() {
                return Err(err(
                    f,
                    format!("{}: a fixing month goes with fixing KBs", k.id),
                ));
            }
        }
        Ok(())
    }

    fn validate(&self) -> Result<(), CatalogError> {
        self.validate_kev()?;
        let u = "updates.toml";
        // The phase ids of each product's family, looked up once rather than
        // per update: this loop runs on every start.
        let product_phases: Vec<(&Product, Vec<&str>)> = self
            .products
            .iter()
            .map(|prod| {
                let ids = self.phases.iter().filter(|ph| ph.family == prod.family);
                (prod, ids.map(|ph| ph.id.as_str()).collect())
            })
            .collect();
        for up in &self.updates {
            // Formatted only into an error message.
            let who = up.kb;
            if up.products.is_empty() || up.arch.is_empty() {
                return Err(err(u, format!("KB{who}: no product or architecture")));
            }
            for p in &up.products {
                let Some((prod, phases)) = product_phases.iter().find(|(prod, _)| prod.id == *p)
                else {
                    return Err(err(u, format!("KB{who}: unknown product `{p}`")));
                };
                if !phases.contains(&up.phase.as_str()) {
                    return Err(err(
                        u,
                        format!(
                            "KB{who}: phase `{}` is not a phase of {}",
                            up.phase, prod.family
                        ),
                    ));
                }
            }
            match (&up.revision, up.revision_basis) {
                (Some(r), Some(_)) if BuildRevision::parse(r).is_none() => {
                    return Err(err(
                        u,
                        format!("KB{who}: revision `{r}` is not 6.0.<build>.<revision>"),
                    ))
                }
                (Some(_), None) => {
                    return Err(err(u, format!("KB{who}: revision without revision_basis")))
                }
                (None, Some(_)) => {
                    return Err(err(u, format!("KB{who}: revision_basis without revision")))
                }
                _ => {}
            }
            if let Some(d) = up.released {
                if Month::of(d) != up.month && up.release != Release::Standalone {
                    return Err(err(
                        u,
                        format!("KB{who}: released {d} is not in month {}", up.month),
                    ));
                }
            }
            if up.implied_from.is_some()
                && !matches!(
                    up.kind,
                    UpdateKind::Ssu | UpdateKind::Sha2 | UpdateKind::EsuPrep
                )
            {
                return Err(err(
                    u,
                    format!("KB{who}: implied_from is only for prerequisites"),
                ));
            }
            if let Some(v) = &up.stack_version {
                if up.kind != UpdateKind::Ssu || BuildRevision::parse(v).is_none() {
                    return Err(err(u, format!("KB{who}: stack_version `{v}` is only for SSUs, as 6.0.<build>.<revision>")));
                }
            }
            if up.supersedes.contains(&up.kb) || up.requires.contains(&up.kb) {
                return Err(err(u, format!("KB{who}: supersedes or requires itself")));
            }
        }
        // Supersedence must not loop.
        if let Some(up) = self.supersedence_loop() {
            return Err(err(
                u,
                format!("{}: supersedence loops back to itself", up.kb_name()),
            ));
        }
        let p = "products.toml";
        for prod in &self.products {
            for (arch, kb) in prod.final_update.iter().chain(&prod.without_esu) {
                let up = self
                    .update(*kb)
                    .ok_or_else(|| err(p, format!("{}: KB{kb} is not in updates.toml", prod.id)))?;
                if up.kind != UpdateKind::MonthlyRollup || !up.applies_to(&prod.id, *arch) {
                    return Err(err(
                        p,
                        format!("{}: KB{kb} is not a monthly rollup for {arch}", prod.id),
                    ));
                }
            }
            if prod.rollups && (prod.first_rollup_month.is_none() || prod.final_update.is_empty()) {
                return Err(err(
                    p,
                    format!("{}: rollups without first month or final", prod.id),
                ));
            }
        }
        let l = "lifecycle.toml";
        let families: BTreeSet<&str> = self.phases.iter().map(|p| p.family.as_str()).collect();
        for fam in families {
            let phases = self.phases(fam);
            for w in phases.windows(2) {
                let next_day = w[0].last.tomorrow().map_err(|e| err(l, e.to_string()))?;
                if w[1].first != next_day {
                    return Err(err(
                        l,
                        format!(
                            "{fam}: phase {} does not start the day after {} ends",
                            w[1].id, w[0].id
                        ),
                    ));
                }
            }
            if phases.iter().any(|p| p.first > p.last) {
                return Err(err(l, format!("{fam}: a phase ends before it starts")));
            }
        }
        Ok(())
    }

    /// An update on a supersedence cycle, if there is one: a depth-first
    /// search over the `supersedes` edges between catalog updates (a KB not
    /// in the catalog ends its chain), linear in the number of edges. It
    /// replaces computing [`Catalog::supersedes_closure`] of every update,
    /// which was quadratic and a third of the load time.
    fn supersedence_loop(&self) -> Option<&Update> {
        const NEW: u8 = 0;
        const ON_PATH: u8 = 1;
        const DONE: u8 = 2;
        let mut state = vec![NEW; self.updates.len()];
        // (update index, index of its next `supersedes` entry to follow)
        let mut path: Vec<(usize, usize)> = Vec::new();
        for root in 0..self.updates.len() {
            if state[root] != NEW {
                continue;
            }
            state[root] = ON_PATH;
            path.push((root, 0));
            while let Some(top) = path.last_mut() {
                let (i, next) = *top;
                let Some(kb) = self.updates[i].supersedes.get(next) else {
                    state[i] = DONE;
                    path.pop();
                    continue;
                };
                top.1 += 1;
                if let Some(&j) = self.by_kb.get(kb) {
                    match state[j] {
                        NEW => {
                            state[j] = ON_PATH;
                            path.push((j, 0));
                        }
                        // `j` leads to `i`, which supersedes `j`.
                        ON_PATH => return Some(&self.updates[j]),
                        _ => {}
                    }
                }
            }
        }
        None
    }

    /// The update with number `kb`.
    pub fn update(&self, kb: u32) -> Option<&Update> {
        self.by_kb.get(&kb).map(|&i| &self.updates[i])
    }

    /// The product with id `id`.
    pub fn product(&self, id: &str) -> Option<&Product> {
        self.products.iter().find(|p| p.id == id)
    }

    /// The product of a family at a service-pack level.
    pub fn product_for(&self, family: &str, service_pack: u8) -> Option<&Product> {
        self.products
            .iter()
            .find(|p| p.family == family && p.service_pack == service_pack)
    }

    /// The phases of a family, in order.
    pub fn phases(&self, family: &str) -> Vec<&Phase> {
        let mut v: Vec<&Phase> = self.phases.iter().filter(|p| p.family == family).collect();
        v.sort_by_key(|p| p.first);
        v
    }

    /// The phase a day falls in.
    pub fn phase_at(&self, family: &str, day: Date) -> Option<&Phase> {
        self.phases
            .iter()
            .find(|p| p.family == family && p.first <= day && day <= p.last)
    }

    /// The milestones of a family, in date order.
    pub fn milestones(&self, family: &str) -> Vec<&Milestone> {
        let mut v: Vec<&Milestone> = self
            .milestones
            .iter()
            .filter(|m| m.family == family)
            .collect();
        v.sort_by_key(|m| m.date);
        v
    }

    /// The updates that directly supersede `kb`.
    pub fn superseded_by(&self, kb: u32) -> &[u32] {
        self.superseded_by
            .get(&kb)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Every KB that `kb` supersedes, directly or through others.
    pub fn supersedes_closure(&self, kb: u32) -> BTreeSet<u32> {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<u32> = self
            .update(kb)
            .map(|u| u.supersedes.clone())
            .unwrap_or_default();
        while let Some(k) = stack.pop() {
            if seen.insert(k) {
                if let Some(u) = self.update(k) {
                    stack.extend(u.supersedes.iter().copied());
                }
            }
        }
        seen
    }

    /// The updates of a product on one architecture, in date order.
    pub fn updates_for<'a>(
        &'a self,
        product: &'a str,
        arch: Arch,
    ) -> impl Iterator<Item = &'a Update> + 'a {
        self.updates
            .iter()
            .filter(move |u| u.applies_to(product, arch))
    }

    /// The error code or symptom `query` names.
    pub fn error_code(&self, query: &str) -> Option<&ErrorCode> {
        self.errors.iter().find(|e| e.matches(query))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_build_time_encoding_equals_the_toml() {
        let files = CatalogFiles::from_toml(EMBEDDED).unwrap();
        assert_eq!(CatalogFiles::decode(EMBEDDED_POSTCARD).unwrap(), files);
        assert_eq!(files.encode().unwrap(), EMBEDDED_POSTCARD);
        let toml = Catalog::parse(EMBEDDED).unwrap();
        assert_eq!(Catalog::load_embedded().unwrap(), toml);
        assert_eq!(Catalog::embedded(), &toml);
    }

    #[test]
    fn a_damaged_encoding_is_rejected() {
        let n = EMBEDDED_POSTCARD.len();
        assert!(CatalogFiles::decode(&EMBEDDED_POSTCARD[..n - 1]).is_err());
        let mut longer = EMBEDDED_POSTCARD.to_vec();
        longer.push(0);
        let e = CatalogFiles::decode(&longer).unwrap_err();
        assert!(e.message.contains("left over"), "{e}");
    }

    #[test]
    fn a_supersedence_loop_is_rejected() {
        let mut files = CatalogFiles::decode(EMBEDDED_POSTCARD).unwrap();
        let updates = &mut files.updates.update;
        // KB5073697 (January 2026) supersedes KB5071504 (December 2025);
        // make the older one supersede a KB that leads back to it.
        let older = updates.iter().position(|u| u.kb == 5071504).unwrap();
        updates[older].supersedes = vec![5073697];
        let e = Catalog::assemble(files).unwrap_err();
        assert!(e.message.contains("loops back"), "{e}");
        assert!(Catalog::load_embedded().is_ok());
    }

    #[test]
    fn the_decoded_files_are_cross_checked() {
        let mut files = CatalogFiles::decode(EMBEDDED_POSTCARD).unwrap();
        let up = files
            .updates
            .update
            .iter_mut()
            .find(|u| u.phase == "extended")
            .unwrap();
        up.phase = "nope".into();
        let e = Catalog::assemble(files).unwrap_err();
        assert_eq!(e.file, "updates.toml");
        assert!(e.message.contains("is not a phase"), "{e}");
    }
}
