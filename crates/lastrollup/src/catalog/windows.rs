//! Windows identity facts (`catalog/windows.toml`): which NT version and
//! service pack a build is, which family a product name names, what an
//! `OperatingSystemSKU` or `EditionID` means.

use std::sync::OnceLock;

use serde::Deserialize;

/// The text of `windows.toml`, compiled into the binary.
pub const EMBEDDED_TOML: &str = include_str!("../../catalog/windows.toml");

/// The same file as compact JSON, converted from the TOML at build time by
/// `build.rs`: what [`facts`] loads.
pub const EMBEDDED_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/catalog/windows.json"));

/// One known build.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Build {
    /// The build number (`6002`).
    pub build: u32,
    /// The NT version (`6.0`).
    pub nt: String,
    /// The service pack this build is, where the build says it.
    pub service_pack: Option<u8>,
    /// What the build is, for people.
    pub name: String,
    /// Why the build exists, where that needs telling.
    pub notes: Option<String>,
}

/// A revision range of a servicing branch on one build.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BranchRange {
    /// The build the range applies to.
    pub build: u32,
    /// `gdr` or `ldr`.
    pub branch: String,
    /// First revision of the range.
    pub first: u32,
    /// Last revision of the range.
    pub last: u32,
}

/// A product-name pattern.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Product {
    /// Substrings of the normalized product name, any of which matches.
    pub contains: Vec<String>,
    /// The family slug.
    pub family: String,
    /// The NT version.
    pub nt: String,
}

/// The families of one NT version, for when only server/client is known.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NtVersion {
    /// The NT version.
    pub nt: String,
    /// Family of the server releases.
    pub server: String,
    /// Family of the client releases.
    pub client: String,
}

/// An `OperatingSystemSKU` / `EditionID`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sku {
    /// The SKU number.
    pub id: u32,
    /// The registry's `EditionID`.
    pub edition_id: String,
    /// The family slug.
    pub family: String,
    /// The edition slug.
    pub edition: String,
    /// Whether it is a Server Core installation.
    #[serde(default)]
    pub core: bool,
}

/// The first NT 10.0 build.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Nt10 {
    /// Builds from this one on are NT 10.0.
    pub first_build: u32,
}

/// A locale identifier and its name.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Locale {
    /// The LCID in hex, four digits (`0409`).
    pub lcid: String,
    /// The locale name (`en-us`).
    pub tag: String,
}

/// The whole of `windows.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WindowsFacts {
    /// Known builds.
    pub builds: Vec<Build>,
    /// NT 10.0 threshold.
    pub nt10: Nt10,
    /// Branch revision ranges.
    pub branches: Vec<BranchRange>,
    /// Product-name patterns, in match order.
    pub products: Vec<Product>,
    /// Families per NT version.
    pub nt_versions: Vec<NtVersion>,
    /// How "without Hyper-V" is spelled in product names (lower case).
    pub without_hyperv: Vec<String>,
    /// SKUs.
    pub skus: Vec<Sku>,
    /// Locale identifiers.
    #[serde(default)]
    pub locales: Vec<Locale>,
}

impl WindowsFacts {
    /// The known build `build`.
    pub fn build(&self, build: u32) -> Option<&Build> {
        self.builds.iter().find(|b| b.build == build)
    }

    /// The NT version of a build (`6.0` for 6000–6003, `10.0` from 10240 on).
    pub fn nt_of_build(&self, build: u32) -> Option<&str> {
        if build >= self.nt10.first_build {
            return Some("10.0");
        }
        self.build(build).map(|b| b.nt.as_str())
    }

    /// The branch a revision of `build` belongs to, if the build has ranges.
    pub fn branch(&self, build: u32, revision: u32) -> Option<&str> {
        self.branches
            .iter()
            .find(|r| r.build == build && (r.first..=r.last).contains(&revision))
            .map(|r| r.branch.as_str())
    }

    /// Whether `build` has branch ranges at all.
    pub fn has_branch_ranges(&self, build: u32) -> bool {
        self.branches.iter().any(|r| r.build == build)
    }

    /// The product pattern a normalized product name matches.
    pub fn product(&self, normalized_name: &str) -> Option<&Product> {
        self.products.iter().find(|p| {
            p.contains
                .iter()
                .any(|c| normalized_name.contains(c.as_str()))
        })
    }

    /// Families of an NT version.
    pub fn nt_version(&self, nt: &str) -> Option<&NtVersion> {
        self.nt_versions.iter().find(|v| v.nt == nt)
    }

    /// The language of a locale as either form prints it: `0409`, `en-us`
    /// and `en-us;English (United States)` are all `en`.
    pub fn locale_language(&self, value: &str) -> String {
        let v = value
            .split(';')
            .next()
            .unwrap_or(value)
            .trim()
            .to_ascii_lowercase();
        let tag = self
            .locales
            .iter()
            .find(|l| l.lcid.eq_ignore_ascii_case(v.trim_start_matches("0x")))
            .map_or(v.as_str(), |l| l.tag.as_str());
        tag.split('-').next().unwrap_or(tag).to_string()
    }

    /// The SKU with number `id`.
    pub fn sku(&self, id: u32) -> Option<&Sku> {
        self.skus.iter().find(|s| s.id == id)
    }

    /// The SKU with registry `EditionID` `edition_id` (case-insensitive).
    pub fn edition_id(&self, edition_id: &str) -> Option<&Sku> {
        self.skus
            .iter()
            .find(|s| s.edition_id.eq_ignore_ascii_case(edition_id.trim()))
    }

    fn validate(&self) -> Result<(), String> {
        let mut ids: Vec<u32> = self.skus.iter().map(|s| s.id).collect();
        ids.sort_unstable();
        if ids.windows(2).any(|w| w[0] == w[1]) {
            return Err("duplicate SKU id".into());
        }
        for b in &self.builds {
            if self.nt_version(&b.nt).is_none() && b.nt != "5.0" {
                return Err(format!(
                    "build {}: NT {} has no nt_versions entry",
                    b.build, b.nt
                ));
            }
        }
        for r in &self.branches {
            if r.first > r.last || self.build(r.build).is_none() {
                return Err(format!("bad branch range {r:?}"));
            }
        }
        Ok(())
    }
}

/// Parses and validates a `windows.toml`.
pub fn parse(text: &str) -> Result<WindowsFacts, String> {
    let facts: WindowsFacts = toml::from_str(text).map_err(|e| e.to_string())?;
    facts.validate()?;
    Ok(facts)
}

/// Loads and validates the embedded facts from their build-time JSON form
/// ([`EMBEDDED_JSON`]), without caching: what [`facts`] does once per
/// process. The result equals `parse(EMBEDDED_TOML)`.
pub fn load_embedded() -> Result<WindowsFacts, String> {
    let facts: WindowsFacts = serde_json::from_str(EMBEDDED_JSON).map_err(|e| e.to_string())?;
    facts.validate()?;
    Ok(facts)
}

/// The embedded facts.
pub fn facts() -> &'static WindowsFacts {
    static FACTS: OnceLock<WindowsFacts> = OnceLock::new();
    // Validated by the `embedded_windows_facts_are_valid` test: a broken table
    // is a build defect, not an input error.
    FACTS.get_or_init(|| {
        load_embedded().unwrap_or_else(|e| panic!("embedded windows.toml is invalid: {e}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_windows_facts_are_valid() {
        let f = parse(EMBEDDED_TOML).unwrap();
        assert_eq!(f.nt_of_build(6003), Some("6.0"));
        assert_eq!(f.nt_of_build(17763), Some("10.0"));
        assert_eq!(f.build(6001).unwrap().service_pack, Some(1));
        assert_eq!(f.branch(6002, 18005), Some("gdr"));
        assert_eq!(f.branch(6002, 24565), Some("ldr"));
        assert_eq!(f.branch(6003, 20491), None);
        assert_eq!(f.sku(38).unwrap().edition, "enterprise-without-hyper-v");
        assert_eq!(f.edition_id("serverenterprisev").unwrap().id, 38);
        assert_eq!(
            f.product("windows server 2008 r2 standard").unwrap().nt,
            "6.1"
        );
        assert_eq!(f.product("windows server 2008 standard").unwrap().nt, "6.0");
        assert_eq!(f.locale_language("0409"), "en");
        assert_eq!(f.locale_language("en-us;English (United States)"), "en");
        assert_eq!(f.locale_language("de;Deutsch (Deutschland)"), "de");
        assert_eq!(f.locale_language("0407"), "de");
        assert_ne!(f.locale_language("0407"), f.locale_language("0409"));
    }

    #[test]
    fn the_build_time_json_equals_the_toml() {
        let toml = parse(EMBEDDED_TOML).unwrap();
        assert_eq!(load_embedded().unwrap(), toml);
        assert_eq!(facts(), &toml);
    }

    #[test]
    fn a_broken_record_is_rejected() {
        let bad = EMBEDDED_TOML.replace("first = 16384", "first = 30000");
        assert!(parse(&bad).is_err());
        assert!(parse("builds = 3").is_err());
    }
}
