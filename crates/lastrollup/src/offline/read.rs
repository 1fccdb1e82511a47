//! Reading a manifest back: it may have been edited by hand, damaged on the
//! way, or written by someone else. [`parse`] refuses JSON errors (with line
//! and column), a wrong schema, file names that are not plain names (path
//! separators, `..`, drive letters, control characters) or that do not say
//! the entry's KB, architecture and SHA-1, and names or digests that
//! contradict the catalog's payload data.

use super::manifest::{KitFile, Manifest};
use crate::catalog::payloads::is_lower_hex;
use crate::catalog::{Catalog, CatalogName, PayloadStatus};

/// The largest manifest read (a kit for every NT 6.0 update on every
/// architecture for tens of thousands of hosts stays far below it).
pub const MAX_MANIFEST_BYTES: usize = 64 << 20;

/// A manifest that cannot be used, with where and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}{}: {message}", at(*line, *column))]
pub struct ManifestError {
    /// The manifest's path as given.
    pub file: String,
    /// 1-based line, for JSON errors.
    pub line: Option<usize>,
    /// 1-based column, for JSON errors.
    pub column: Option<usize>,
    /// What is wrong.
    pub message: String,
}

fn at(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!(":{l}:{c}"),
        (Some(l), None) => format!(":{l}"),
        _ => String::new(),
    }
}

/// Whether `name` is a plain file name: no path separator, no drive or
/// stream colon, not `.`/`..` or hidden, no control character, at most 255
/// bytes.
pub fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 255
        && !name.starts_with('.')
        && !name.contains(['/', '\\', ':'])
        && !name.chars().any(char::is_control)
}

/// Reads and checks the manifest `bytes` of the file `file`.
pub fn parse(file: &str, bytes: &[u8], catalog: &Catalog) -> Result<Manifest, ManifestError> {
    let fail = |message: String| ManifestError {
        file: file.to_string(),
        line: None,
        column: None,
        message,
    };
    if bytes.len() > MAX_MANIFEST_BYTES {
        return Err(fail(format!(
            "{} bytes: larger than any manifest ({} MiB); not read",
            bytes.len(),
            MAX_MANIFEST_BYTES >> 20
        )));
    }
    let m: Manifest = serde_json::from_slice(bytes).map_err(|e| ManifestError {
        file: file.to_string(),
        line: Some(e.line()),
        column: Some(e.column()),
        message: format!("not a lastrollup.offline/1 manifest: {e}"),
    })?;
    check(&m, catalog).map_err(fail)?;
    Ok(m)
}

/// The checks of a parsed manifest; the message names the entry.
pub fn check(m: &Manifest, catalog: &Catalog) -> Result<(), String> {
    if m.schema != super::SCHEMA {
        return Err(format!(
            "schema is `{}`, expected `{}`",
            m.schema,
            super::SCHEMA
        ));
    }
    let mut seen = std::collections::HashSet::new();
    let mut stage = 1;
    for (i, f) in m.files.iter().enumerate() {
        let who = format!("files[{i}] (KB{} {})", f.kb, f.arch);
        if f.order != i + 1 {
            return Err(format!("{who}: order is {}, expected {}", f.order, i + 1));
        }
        if !seen.insert((f.kb, f.arch)) {
            return Err(format!("{who}: listed twice"));
        }
        if f.stage < stage || f.stage > stage + 1 {
            return Err(format!(
                "{who}: stage {} does not follow stage {stage}",
                f.stage
            ));
        }
        stage = f.stage;
        check_file(f, catalog).map_err(|e| format!("{who}: {e}"))?;
    }
    for h in &m.hosts {
        if let Some(o) = h.files.iter().find(|o| **o == 0 || **o > m.files.len()) {
            return Err(format!("host `{}`: no file with order {o}", h.id));
        }
    }
    Ok(())
}

/// One file's name and digests, against themselves and the catalog.
fn check_file(f: &KitFile, catalog: &Catalog) -> Result<(), String> {
    let Some(u) = catalog.update(f.kb).filter(|u| u.arch.contains(&f.arch)) else {
        return Err("no such update in the catalog".into());
    };
    if f.kind != u.kind.name() {
        return Err(format!(
            "kind `{}`, but the catalog says `{}`",
            f.kind,
            u.kind.name()
        ));
    }
    if f.name_known != f.file_name.is_some() || f.file_name.is_some() != f.sha1.is_some() {
        return Err("name_known, file_name and sha1 must be given together".into());
    }
    if let Some(h) = &f.sha256 {
        if !is_lower_hex(h, 64) {
            return Err("sha256 is not 64 lower-case hex digits".into());
        }
    }
    let (Some(name), Some(sha1)) = (&f.file_name, &f.sha1) else {
        return Ok(());
    };
    if !is_plain_name(name) {
        return Err(format!(
            "file name `{}` is not a plain file name",
            name.escape_debug()
        ));
    }
    let Some(n) = CatalogName::parse(name) else {
        return Err(format!(
            "`{name}` is not an Update Catalog name with a SHA-1"
        ));
    };
    if (n.kb, n.arch) != (f.kb, f.arch) {
        return Err(format!("`{name}` is KB{} {}", n.kb, n.arch));
    }
    if n.sha1 != *sha1 {
        return Err(format!("sha1 `{sha1}` is not the digest in `{name}`"));
    }
    let expected = catalog
        .payload(f.kb, f.arch)
        .filter(|p| p.status == PayloadStatus::Known)
        .and_then(|p| p.expected());
    if let Some(e) = expected {
        if e.name != *name || e.sha256.is_some() && e.sha256 != f.sha256 {
            return Err(format!(
                "the catalog's payload data expects `{}`{}; was the manifest edited?",
                e.name,
                e.sha256
                    .as_deref()
                    .map(|h| format!(" (SHA-256 {h})"))
                    .unwrap_or_default()
            ));
        }
    }
    Ok(())
}
