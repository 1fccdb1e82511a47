//! The catalog's cross-checks: what the TOML schema cannot say (ids that
//! refer to other files, supersedence without loops, phases that follow each
//! other, well-formed CVE ids).
//!
//! They run on [`CatalogFiles`]: in `build.rs`, which includes this module
//! (see [`super::files`]) and fails the build when the reviewed TOML does not
//! pass them; in [`super::Catalog::parse`] and [`super::Catalog::assemble`];
//! and so in the tests, which also check that the embedded encoding equals
//! the TOML. [`super::Catalog::load_embedded`] skips them: it decodes exactly
//! what `build.rs` checked.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::files::{err, CatalogError, CatalogFiles};
use super::kev::KnownExploited;
use super::lifecycle::Phase;
use super::products::Product;
use super::updates::{BuildRevision, Release, Update, UpdateKind};
use crate::month::Month;

impl CatalogFiles {
    /// Runs the cross-checks; the error names the file and the entry.
    pub fn validate(&self) -> Result<(), CatalogError> {
        let updates = &self.updates.update;
        let mut by_kb = HashMap::with_capacity(updates.len());
        for (i, u) in updates.iter().enumerate() {
            if by_kb.insert(u.kb, i).is_some() {
                return Err(err("updates.toml", format!("KB{} is listed twice", u.kb)));
            }
        }
        let files = Files {
            products: &self.products.product,
            updates,
            phases: &self.lifecycle.phase,
            known_exploited: &self.kev.cve,
            by_kb,
        };
        files.validate_kev()?;
        self.payloads.validate(updates)?;
        files.validate()
    }
}

/// The parts of the files the checks read, with updates indexed by KB.
struct Files<'a> {
    products: &'a [Product],
    updates: &'a [Update],
    phases: &'a [Phase],
    known_exploited: &'a [KnownExploited],
    by_kb: HashMap<u32, usize>,
}

impl Files<'_> {
    /// The update with number `kb`.
    fn update(&self, kb: u32) -> Option<&Update> {
        self.by_kb.get(&kb).map(|&i| &self.updates[i])
    }

    /// The phases of a family, in order.
    fn phases(&self, family: &str) -> Vec<&Phase> {
        let mut v: Vec<&Phase> = self.phases.iter().filter(|p| p.family == family).collect();
        v.sort_by_key(|p| p.first);
        v
    }

    fn validate_kev(&self) -> Result<(), CatalogError> {
        let f = "kev.toml";
        let mut seen = HashSet::with_capacity(self.known_exploited.len());
        for k in self.known_exploited {
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
        for up in self.updates {
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
        self.validate_ssu_chain()?;
        let p = "products.toml";
        for prod in self.products {
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

    /// The servicing stack updates form one chain: an SSU supersedes only
    /// SSUs released before it, and the known stack versions rise with the
    /// release date (the plan reads a host's stack version against them).
    fn validate_ssu_chain(&self) -> Result<(), CatalogError> {
        let u = "updates.toml";
        let mut ssus: Vec<&Update> = self
            .updates
            .iter()
            .filter(|x| x.kind == UpdateKind::Ssu)
            .collect();
        ssus.sort_by_key(|x| (x.effective_date(), x.kb));
        for x in &ssus {
            for kb in &x.supersedes {
                let ok = self.update(*kb).is_some_and(|y| {
                    y.kind == UpdateKind::Ssu && y.effective_date() < x.effective_date()
                });
                if !ok {
                    return Err(err(
                        u,
                        format!(
                            "{}: an SSU supersedes only earlier SSUs, not KB{kb}",
                            x.kb_name()
                        ),
                    ));
                }
            }
        }
        let mut last: Option<(&Update, BuildRevision)> = None;
        for x in ssus {
            let Some(v) = x.stack_version.as_deref().and_then(BuildRevision::parse) else {
                continue;
            };
            if let Some((prev, pv)) = last {
                if v <= pv {
                    return Err(err(
                        u,
                        format!(
                            "{}: stack_version {v} is not above {pv} of the earlier {}",
                            x.kb_name(),
                            prev.kb_name()
                        ),
                    ));
                }
            }
            last = Some((x, v));
        }
        Ok(())
    }

    /// An update on a supersedence cycle, if there is one: a depth-first
    /// search over the `supersedes` edges between catalog updates (a KB not
    /// in the catalog ends its chain), linear in the number of edges. It
    /// replaces computing `Catalog::supersedes_closure` of every update,
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
}
