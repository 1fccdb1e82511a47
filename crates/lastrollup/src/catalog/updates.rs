//! Updates (`catalog/updates.toml`): every monthly rollup, security-only
//! update, servicing stack update, prerequisite and Internet Explorer 9
//! cumulative update of NT 6.0, with dates, fixed builds and supersedence.
//!
//! `build.rs` includes this module to encode the catalog (see
//! [`super::files`]): it may use nothing of the crate but `Arch`, `Month`
//! and `Severity`, and no serde attribute that postcard cannot carry.

use std::fmt;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::host::Arch;
use crate::month::Month;

/// What an update is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UpdateKind {
    /// A service pack (SP2).
    ServicePack,
    /// A servicing stack update.
    Ssu,
    /// SHA-2 code signing support (KB4474419).
    Sha2,
    /// The ESU licensing preparation package.
    EsuPrep,
    /// A monthly rollup (cumulative).
    MonthlyRollup,
    /// A security-only update (that month's security fixes only).
    SecurityOnly,
    /// An Internet Explorer cumulative update.
    IeCumulative,
}

impl UpdateKind {
    /// The stable snake_case name used in JSON.
    pub fn name(self) -> &'static str {
        match self {
            UpdateKind::ServicePack => "service_pack",
            UpdateKind::Ssu => "ssu",
            UpdateKind::Sha2 => "sha2",
            UpdateKind::EsuPrep => "esu_prep",
            UpdateKind::MonthlyRollup => "monthly_rollup",
            UpdateKind::SecurityOnly => "security_only",
            UpdateKind::IeCumulative => "ie_cumulative",
        }
    }

    /// How people call it.
    pub fn label(self) -> &'static str {
        match self {
            UpdateKind::ServicePack => "service pack",
            UpdateKind::Ssu => "servicing stack update",
            UpdateKind::Sha2 => "SHA-2 code signing support",
            UpdateKind::EsuPrep => "ESU licensing preparation package",
            UpdateKind::MonthlyRollup => "monthly rollup",
            UpdateKind::SecurityOnly => "security-only update",
            UpdateKind::IeCumulative => "Internet Explorer cumulative update",
        }
    }
}

impl fmt::Display for UpdateKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How an update was released.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Release {
    /// On Patch Tuesday (second Tuesday of the month).
    PatchTuesday,
    /// A "Preview of Monthly Rollup" (third or fourth week, non-security fixes).
    Preview,
    /// Out of band, outside the monthly schedule.
    OutOfBand,
    /// A standalone package (service pack, SSU, prerequisite).
    Standalone,
}

impl Release {
    /// The stable kebab-case name.
    pub fn name(self) -> &'static str {
        match self {
            Release::PatchTuesday => "patch-tuesday",
            Release::Preview => "preview",
            Release::OutOfBand => "out-of-band",
            Release::Standalone => "standalone",
        }
    }
}

/// Where a revision value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RevisionBasis {
    /// MSRC `FixedBuild`: the OS build revision of the fix.
    FixedBuild,
    /// A scanner's ntoskrnl.exe threshold.
    Ntoskrnl,
    /// Another file's version (not the kernel's).
    OtherFile,
}

/// A `6.0.<build>.<revision>` version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BuildRevision {
    /// Build (`6003`).
    pub build: u32,
    /// Revision (`20491`).
    pub revision: u32,
}

impl BuildRevision {
    /// Parses `6.0.6003.20491`.
    pub fn parse(text: &str) -> Option<BuildRevision> {
        let rest = text.trim().strip_prefix("6.0.")?;
        let (b, r) = rest.split_once('.')?;
        Some(BuildRevision {
            build: b.parse().ok()?,
            revision: r.parse().ok()?,
        })
    }
}

impl fmt::Display for BuildRevision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "6.0.{}.{}", self.build, self.revision)
    }
}

/// One update as written in `updates.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Update {
    /// KB number.
    pub kb: u32,
    /// What it is.
    pub kind: UpdateKind,
    /// How it was released.
    pub release: Release,
    /// Title, for people.
    pub title: String,
    /// Release date, where known.
    #[serde(default, with = "super::date::option")]
    pub released: Option<Date>,
    /// The servicing month it belongs to.
    pub month: Month,
    /// Fixed build / kernel threshold (`6.0.6003.20491`), where known.
    pub revision: Option<String>,
    /// Where the revision comes from.
    pub revision_basis: Option<RevisionBasis>,
    /// Product ids (`products.toml`) it applies to.
    pub products: Vec<String>,
    /// Architectures it is offered for.
    pub arch: Vec<Arch>,
    /// Support phase (`lifecycle.toml` phase id) of its release.
    pub phase: String,
    /// KBs it supersedes.
    #[serde(default)]
    pub supersedes: Vec<u32>,
    /// KBs that must be installed first.
    #[serde(default)]
    pub requires: Vec<u32>,
    /// For prerequisites: the first month whose updates cannot install
    /// without it (so an installed update of that month or later implies it).
    pub implied_from: Option<Month>,
    /// For SSUs: the servicing stack version it installs (the folder name
    /// under `%SystemRoot%\servicing\Version`), where known.
    pub stack_version: Option<String>,
    /// Where the facts come from.
    pub sources: Vec<String>,
    /// What is uncertain.
    pub notes: Option<String>,
    /// Whether key facts rest on one source only.
    #[serde(default)]
    pub unverified: bool,
}

impl Update {
    /// `KB4493471`.
    pub fn kb_name(&self) -> String {
        format!("KB{}", self.kb)
    }

    /// The parsed revision.
    pub fn build_revision(&self) -> Option<BuildRevision> {
        self.revision.as_deref().and_then(BuildRevision::parse)
    }

    /// Whether it is offered for `product` on `arch`.
    pub fn applies_to(&self, product: &str, arch: Arch) -> bool {
        self.arch.contains(&arch) && self.products.iter().any(|p| p == product)
    }

    /// Whether it carries security fixes for the whole OS (rollups, previews,
    /// security-only, out-of-band).
    pub fn is_os_security(&self) -> bool {
        matches!(
            self.kind,
            UpdateKind::MonthlyRollup | UpdateKind::SecurityOnly
        )
    }

    /// Whether it is cumulative: a monthly rollup of any release type.
    pub fn is_cumulative(&self) -> bool {
        self.kind == UpdateKind::MonthlyRollup
    }

    /// The release date, or Patch Tuesday of its month when the date is not known.
    pub fn effective_date(&self) -> Date {
        self.released.unwrap_or_else(|| match self.release {
            // Previews ship in the third or fourth week: after Patch Tuesday.
            Release::Preview => self
                .month
                .patch_tuesday()
                .checked_add(jiff::Span::new().days(7))
                .unwrap_or_else(|_| self.month.patch_tuesday()),
            _ => self.month.patch_tuesday(),
        })
    }
}

/// The whole of `updates.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct UpdatesFile {
    /// The updates.
    pub update: Vec<Update>,
}
