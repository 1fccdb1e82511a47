//! Update payloads (`catalog/payloads.toml`): for every update of
//! `updates.toml` on every architecture it is offered for, the Microsoft
//! Update Catalog file name(s), the SHA-1 each name embeds, the SHA-256 where
//! a source gives one, a download address, the sources — or the explicit
//! statement that no file name is known.
//!
//! Also the reading of a catalog file name ([`CatalogName::parse`]):
//! `windows6.0-kb4493730-x64_5cb91f4e….msu` says its KB, architecture and
//! SHA-1. The offline kit's manifest and `verify` use it, and the build's
//! cross-checks (`validate.rs`) hold every name of the file to it.
//!
//! `build.rs` includes this module to encode the catalog (see
//! [`super::files`]): it may use nothing of the crate but `Arch`, `Month`
//! and `Severity`, and no serde attribute that postcard cannot carry.

use serde::{Deserialize, Serialize};

use super::files::{err, CatalogError};
use super::updates::Update;
use crate::host::Arch;

/// Whether a kit can name the file of a payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PayloadStatus {
    /// One file is [`FileUse::Expected`].
    Known,
    /// Names exist, but none a kit should expect (low confidence or another
    /// form only): a kit treats it as unknown.
    Unconfirmed,
    /// No public source gives a file name.
    Unknown,
}

/// What a listed file is to a kit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileUse {
    /// The file a kit names and expects.
    Expected,
    /// Another build or form of the same update (5-language service pack,
    /// Download Center name, Windows Update `.cab`).
    Alternative,
    /// Printed only by a source of low confidence.
    Unconfirmed,
}

/// One file of a payload.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PayloadFile {
    /// The file name as the source spelled it.
    pub name: String,
    /// What the file is to a kit.
    #[serde(rename = "use")]
    pub role: FileUse,
    /// The SHA-1 the name embeds (40 lower-case hex digits).
    pub sha1: Option<String>,
    /// The SHA-256 a source gives (64 lower-case hex digits).
    pub sha256: Option<String>,
    /// One download address a source printed.
    pub url: Option<String>,
    /// `owner/repo:path@commit`; the first is the URL's source.
    pub sources: Vec<String>,
    /// What to know about this file.
    pub note: Option<String>,
}

/// The files of one update on one architecture.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Payload {
    /// KB number (an update of `updates.toml`).
    pub kb: u32,
    /// Architecture.
    pub arch: Arch,
    /// Whether a kit can name the file.
    pub status: PayloadStatus,
    /// The files, the expected one first.
    #[serde(default)]
    pub file: Vec<PayloadFile>,
}

impl Payload {
    /// The file a kit expects, when the status is [`PayloadStatus::Known`].
    pub fn expected(&self) -> Option<&PayloadFile> {
        self.file.iter().find(|f| f.role == FileUse::Expected)
    }
}

/// The whole of `payloads.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PayloadsFile {
    /// The payloads.
    #[serde(default)]
    pub payload: Vec<Payload>,
}

impl PayloadsFile {
    /// The cross-checks: one entry per update of `updates` and architecture
    /// it is offered for, and no other; a status that matches the files;
    /// digests of the right length in lower-case hex; every catalog name's
    /// KB, architecture and SHA-1 equal to the entry's.
    pub fn validate(&self, updates: &[Update]) -> Result<(), CatalogError> {
        let f = "payloads.toml";
        let mut seen = std::collections::HashSet::with_capacity(self.payload.len());
        for p in &self.payload {
            let who = format!("KB{} {}", p.kb, p.arch);
            if !seen.insert((p.kb, p.arch)) {
                return Err(err(f, format!("{who} is listed twice")));
            }
            let offered = updates
                .iter()
                .any(|u| u.kb == p.kb && u.arch.contains(&p.arch));
            if !offered {
                return Err(err(f, format!("{who}: no such update in updates.toml")));
            }
            p.validate_files(&who)?;
        }
        for u in updates {
            for a in &u.arch {
                if !seen.contains(&(u.kb, *a)) {
                    return Err(err(
                        f,
                        format!("KB{} {a}: no entry (write `status = \"unknown\"` when no file name is known)", u.kb),
                    ));
                }
            }
        }
        Ok(())
    }
}

impl Payload {
    /// The checks of one entry's files (`who` names it in errors).
    fn validate_files(&self, who: &str) -> Result<(), CatalogError> {
        let f = "payloads.toml";
        let expected = self
            .file
            .iter()
            .filter(|x| x.role == FileUse::Expected)
            .count();
        let consistent = match self.status {
            PayloadStatus::Known => expected == 1,
            PayloadStatus::Unconfirmed => expected == 0 && !self.file.is_empty(),
            PayloadStatus::Unknown => self.file.is_empty(),
        };
        if !consistent {
            return Err(err(
                f,
                format!(
                    "{who}: status `{:?}` does not match its {} file(s), {expected} expected",
                    self.status,
                    self.file.len()
                ),
            ));
        }
        for file in &self.file {
            let name = &file.name;
            if name.is_empty() || name.contains(['/', '\\', ':']) || name.starts_with('.') {
                return Err(err(f, format!("{who}: `{name}` is not a plain file name")));
            }
            if file.sources.is_empty() {
                return Err(err(f, format!("{who}: `{name}` has no source")));
            }
            if let Some(h) = &file.sha256 {
                if !is_lower_hex(h, 64) {
                    return Err(err(
                        f,
                        format!("{who}: `{name}`: sha256 must be 64 lower-case hex digits"),
                    ));
                }
            }
            match (CatalogName::parse(name), &file.sha1) {
                (Some(n), Some(sha1)) => {
                    if n.kb != self.kb || n.arch != self.arch {
                        return Err(err(
                            f,
                            format!("{who}: `{name}` names KB{} {}", n.kb, n.arch),
                        ));
                    }
                    if !is_lower_hex(sha1, 40) || n.sha1 != *sha1 {
                        return Err(err(
                            f,
                            format!("{who}: `{name}`: sha1 `{sha1}` is not the digest in the name"),
                        ));
                    }
                }
                (None, None) if file.role == FileUse::Alternative => {}
                (None, _) => {
                    return Err(err(f, format!("{who}: `{name}` is not a catalog name with a SHA-1 (only an alternative may lack one)")));
                }
                (Some(_), None) => {
                    return Err(err(
                        f,
                        format!("{who}: `{name}` embeds a SHA-1 but has no sha1 field"),
                    ));
                }
            }
        }
        Ok(())
    }
}

/// What a Microsoft Update Catalog file name says:
/// `[ie9-]windows6.0-kb<N>[-vN]-<arch>[-suffix]_<sha1>.<msu|exe|cab>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogName {
    /// KB number.
    pub kb: u32,
    /// Architecture.
    pub arch: Arch,
    /// The SHA-1 in the name, lower case.
    pub sha1: String,
    /// `msu`, `exe` or `cab`.
    pub extension: String,
}

/// Whether `s` is `len` lower-case hex digits.
pub fn is_lower_hex(s: &str, len: usize) -> bool {
    s.len() == len
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

impl CatalogName {
    /// Reads a catalog file name (any letter case); `None` for anything
    /// else, Download Center names without a digest included.
    pub fn parse(name: &str) -> Option<CatalogName> {
        let lower = name.to_ascii_lowercase();
        let (stem, extension) = lower.rsplit_once('.')?;
        if !matches!(extension, "msu" | "exe" | "cab") {
            return None;
        }
        let (head, sha1) = stem.rsplit_once('_')?;
        if !is_lower_hex(sha1, 40) {
            return None;
        }
        let head = head.strip_prefix("ie9-").unwrap_or(head);
        let rest = head.strip_prefix("windows6.0-kb")?;
        let mut parts = rest.split('-');
        let kb: u32 = parts.next()?.parse().ok()?;
        let mut part = parts.next()?;
        if part.len() >= 2 && part.starts_with('v') && part[1..].bytes().all(|b| b.is_ascii_digit())
        {
            part = parts.next()?;
        }
        let arch = match part {
            "x86" => Arch::X86,
            "x64" => Arch::X64,
            "ia64" => Arch::Ia64,
            _ => return None,
        };
        // At most one suffix (`-custom`, `-rc1`, `-mergedpkg`).
        let suffix_ok = match (parts.next(), parts.next()) {
            (None, _) => true,
            (Some(s), None) => !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric()),
            _ => false,
        };
        suffix_ok.then(|| CatalogName {
            kb,
            arch,
            sha1: sha1.to_string(),
            extension: extension.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_names_are_read() {
        let n = CatalogName::parse(
            "windows6.0-kb4474419-v4-x64_09cb148f6ef10779d7352b7269d66a7f23019207.msu",
        )
        .unwrap();
        assert_eq!((n.kb, n.arch), (4474419, Arch::X64));
        assert_eq!(n.sha1, "09cb148f6ef10779d7352b7269d66a7f23019207");
        let ie = CatalogName::parse(
            "IE9-Windows6.0-KB4534251-X86_3433FE33CB17A5D7F4A9801AFFFD122C8D90EDF3.MSU",
        )
        .unwrap();
        assert_eq!(
            (ie.kb, ie.arch, ie.extension.as_str()),
            (4534251, Arch::X86, "msu")
        );
        for bad in [
            "Windows6.0-KB948465-X64.exe",
            "windows6.0-kb4493730-arm_5cb91f4e9000383f061b80f88feffdf228c2443c.msu",
            "windows6.0-kb4493730-x64_5cb91f4e9000383f061b80f88feffdf228c2443.msu",
            "windows6.0-kb4493730-x64_5cb91f4e9000383f061b80f88feffdf228c2443c.zip",
            "windows6.0-kb4493730-x64-a-b_5cb91f4e9000383f061b80f88feffdf228c2443c.msu",
            "../windows6.0-kb4493730-x64_5cb91f4e9000383f061b80f88feffdf228c2443c.msu",
        ] {
            assert_eq!(CatalogName::parse(bad), None, "{bad}");
        }
    }
}
