//! The project's reviewed facts, compiled into the binary.
//!
//! Facts live in TOML files under `crates/lastrollup/catalog/`, never in
//! code: builds and SKUs (`windows.toml`), products and their final updates
//! (`products.toml`), every NT 6.0 update that matters for the baseline
//! (`updates.toml`), lifecycle milestones and support phases
//! (`lifecycle.toml`), in-place upgrade paths (`upgrades.toml`) and
//! update-install error codes (`errors.toml`). `build.rs` cross-checks them
//! (`validate.rs`: a catalog that fails the checks does not build) and encodes
//! them ([`files`]); [`Catalog::embedded`] decodes that once per process. The
//! tests in `tests/catalog.rs` compare them with the research facts in
//! `../shared/facts` and the MSRC data in `../shared/data`.

mod date;
pub mod errors;
pub mod files;
pub mod kev;
pub mod lifecycle;
pub mod payloads;
pub mod products;
pub mod updates;
pub mod upgrades;
mod validate;
pub mod windows;

use std::collections::BTreeSet;
use std::sync::OnceLock;

use jiff::civil::Date;
use rustc_hash::FxHashMap;

use crate::host::Arch;

pub use errors::ErrorCode;
pub use files::{CatalogError, CatalogFiles, CatalogSources};
pub use kev::KnownExploited;
pub use lifecycle::{Milestone, Phase};
pub use payloads::{CatalogName, FileUse, Payload, PayloadFile, PayloadStatus};
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
    payloads: include_str!("../../catalog/payloads.toml"),
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
    /// Update payloads (file names and digests) per KB and architecture.
    pub payloads: Vec<Payload>,
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

    /// Loads the embedded catalog from its build-time postcard form
    /// ([`EMBEDDED_POSTCARD`]), without caching: what [`Catalog::embedded`]
    /// does once per process. The result equals `Catalog::parse(EMBEDDED)`.
    ///
    /// The cross-checks do not run here: `build.rs` ran them on the files it
    /// encoded (a catalog that fails them does not build) and checked that
    /// the encoding decodes to the same files, so running them again on
    /// every start would only repeat that.
    pub fn load_embedded() -> Result<Catalog, CatalogError> {
        Ok(Catalog::index(CatalogFiles::decode(EMBEDDED_POSTCARD)?))
    }

    /// Parses and cross-checks catalog files.
    pub fn parse(src: CatalogSources<'_>) -> Result<Catalog, CatalogError> {
        Catalog::assemble(CatalogFiles::from_toml(src)?)
    }

    /// Cross-checks ([`CatalogFiles::validate`]) and indexes deserialized
    /// catalog files.
    pub fn assemble(files: CatalogFiles) -> Result<Catalog, CatalogError> {
        files.validate()?;
        Ok(Catalog::index(files))
    }

    /// Indexes files that passed [`CatalogFiles::validate`] (with a KB
    /// listed twice, the index keeps the later one).
    fn index(files: CatalogFiles) -> Catalog {
        let CatalogFiles {
            products,
            updates,
            lifecycle,
            upgrades,
            errors,
            kev,
            payloads,
        } = files;
        let mut by_kb =
            FxHashMap::with_capacity_and_hasher(updates.update.len(), Default::default());
        let mut superseded_by: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
        for (i, u) in updates.update.iter().enumerate() {
            by_kb.insert(u.kb, i);
            for s in &u.supersedes {
                superseded_by.entry(*s).or_default().push(u.kb);
            }
        }
        Catalog {
            products: products.product,
            updates: updates.update,
            milestones: lifecycle.milestone,
            phases: lifecycle.phase,
            upgrades,
            errors: errors.error,
            known_exploited: kev.cve,
            payloads: payloads.payload,
            by_kb,
            superseded_by,
        }
    }

    /// The update with number `kb`.
    pub fn update(&self, kb: u32) -> Option<&Update> {
        self.by_kb.get(&kb).map(|&i| &self.updates[i])
    }

    /// The payload entry of `kb` on `arch` (every update of the catalog has
    /// one per architecture it is offered for: the build checks it).
    pub fn payload(&self, kb: u32, arch: Arch) -> Option<&Payload> {
        self.payloads.iter().find(|p| p.kb == kb && p.arch == arch)
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

    /// The newest servicing stack update of `product` on `arch` whose
    /// `stack_version` is at or below `stack`: a host whose servicing stack
    /// (`%SystemRoot%\servicing\Version`) is `stack` has it and every SSU
    /// released before it. `None` when `stack` is below every known
    /// threshold.
    pub fn ssu_for_stack(
        &self,
        product: &str,
        arch: Arch,
        stack: BuildRevision,
    ) -> Option<&Update> {
        self.updates
            .iter()
            .filter(|u| u.kind == UpdateKind::Ssu && u.applies_to(product, arch))
            .filter(|u| {
                u.stack_version
                    .as_deref()
                    .and_then(BuildRevision::parse)
                    .is_some_and(|v| v <= stack)
            })
            .max_by_key(|u| u.effective_date())
    }

    /// The newest update in the catalog: the latest effective release date
    /// ([`Update::effective_date`]); on a day with several, a monthly rollup
    /// before the others. `None` only for a catalog without updates.
    pub fn newest_update(&self) -> Option<&Update> {
        self.updates
            .iter()
            .enumerate()
            // On a tie of date and kind, the first in file order.
            .max_by_key(|(i, u)| (u.effective_date(), u.is_cumulative(), std::cmp::Reverse(*i)))
            .map(|(_, u)| u)
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
    fn the_newest_update_is_the_latest_rollup() {
        let c = Catalog::embedded();
        let newest = c.newest_update().expect("updates");
        // No update is later, and a rollup wins a tie with others of its day.
        for u in &c.updates {
            assert!(u.effective_date() <= newest.effective_date(), "KB{}", u.kb);
            if u.effective_date() == newest.effective_date() {
                assert!(newest.is_cumulative() || !u.is_cumulative(), "KB{}", u.kb);
            }
        }
        assert!(newest.is_cumulative());
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
