//! `verify`: is the `payloads/` folder of a kit complete and correct?
//!
//! [`list`] looks at the folder without following anything out of it (a
//! symbolic link is reported, never opened); [`digest`] streams each regular
//! file through SHA-1 and SHA-256 in fixed-size blocks (a kit is gigabytes;
//! nothing is read whole); [`check`] matches the files with the manifest's
//! entries, which [`super::read::parse`] has already held to the catalog's
//! payload data. Each entry gets one verdict, and each file nobody expects
//! gets one too: present and right, missing, corrupted (its content is not
//! the digest its name says), renamed (the right content under another
//! name), for the other architecture, unexpected, a link, too large.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::Serialize;
use sha1::Digest as _;

use super::manifest::{KitFile, Manifest};
use super::read::is_plain_name;
use crate::catalog::CatalogName;
use crate::host::Arch;

/// The largest file hashed: no NT 6.0 update comes near it (the largest,
/// the all-language service packs, are under 1 GiB). A larger file is
/// reported, not read.
pub const MAX_PAYLOAD_BYTES: u64 = 4 << 30;

/// The block size of the streaming digest.
const BLOCK: usize = 1 << 20;

/// What a folder entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryType {
    /// A regular file.
    File,
    /// A symbolic link (never followed).
    Symlink,
    /// A directory or anything else that is not a regular file.
    Other,
}

/// One entry of the `payloads/` folder.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Its name (lossy when not UTF-8).
    pub name: String,
    /// Whether the name is valid UTF-8 and a plain file name.
    pub plain: bool,
    /// What it is.
    pub kind: EntryType,
    /// Its size in bytes (regular files).
    pub size: u64,
    /// Its path.
    pub path: PathBuf,
}

impl Entry {
    /// Whether [`hash_all`] reads it: a regular file with a plain name, up
    /// to [`MAX_PAYLOAD_BYTES`].
    pub fn readable(&self) -> bool {
        self.kind == EntryType::File && self.plain && self.size <= MAX_PAYLOAD_BYTES
    }
}

/// The `payloads/` folder as listed, sorted by name.
#[derive(Debug, Clone, Default)]
pub struct Listing {
    /// The entries.
    pub entries: Vec<Entry>,
}

impl Listing {
    /// The bytes [`hash_all`] will read: the regular files with plain
    /// names up to [`MAX_PAYLOAD_BYTES`].
    pub fn bytes_to_read(&self) -> u64 {
        self.entries
            .iter()
            .filter(|e| e.readable())
            .map(|e| e.size)
            .sum()
    }
}

/// Lists `dir` (one level, nothing followed). An error means the folder
/// itself cannot be used: missing, a link, or unreadable.
pub fn list(dir: &Path) -> std::io::Result<Listing> {
    let meta = std::fs::symlink_metadata(dir)?;
    if !meta.is_dir() {
        return Err(std::io::Error::other(format!(
            "{} is not a folder{}",
            dir.display(),
            if meta.file_type().is_symlink() {
                " (a symbolic link, not followed out of the kit)"
            } else {
                ""
            }
        )));
    }
    let mut entries = Vec::new();
    for e in std::fs::read_dir(dir)? {
        let e = e?;
        let meta = std::fs::symlink_metadata(e.path())?;
        let t = meta.file_type();
        let name = e.file_name();
        let text = name.to_str();
        entries.push(Entry {
            name: name.to_string_lossy().into_owned(),
            plain: text.is_some_and(is_plain_name),
            kind: if t.is_symlink() {
                EntryType::Symlink
            } else if t.is_file() {
                EntryType::File
            } else {
                EntryType::Other
            },
            size: meta.len(),
            path: e.path(),
        });
    }
    entries.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Listing { entries })
}

/// A file's digests, lower-case hex.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digests {
    /// SHA-1.
    pub sha1: String,
    /// SHA-256.
    pub sha256: String,
    /// Bytes read.
    pub bytes: u64,
}

/// Streams `r` through SHA-1 and SHA-256 in 1 MiB blocks; `progress` is
/// told the size of each block read.
pub fn digest(mut r: impl Read, progress: &mut dyn FnMut(u64)) -> std::io::Result<Digests> {
    let mut sha1 = sha1::Sha1::new();
    let mut sha256 = sha2::Sha256::new();
    let mut buf = vec![0u8; BLOCK];
    let mut bytes = 0u64;
    loop {
        let n = match r.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        sha1.update(&buf[..n]);
        sha256.update(&buf[..n]);
        bytes += n as u64;
        progress(n as u64);
    }
    Ok(Digests {
        sha1: hex(&sha1.finalize()),
        sha256: hex(&sha256.finalize()),
        bytes,
    })
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        write!(s, "{b:02x}").unwrap_or_default();
    }
    s
}

/// The schema id of `verify --format json`.
pub const VERIFY_SCHEMA: &str = "lastrollup.verify/1";

/// The verdict on one entry of the manifest or one file of the folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Present, and its digests are what its name and the catalog say.
    Ok,
    /// No file for the entry.
    Missing,
    /// The content is not what the name (or the catalog) says: altered,
    /// truncated, or another file.
    Corrupted,
    /// The right content under another name.
    Renamed,
    /// A file of the kit's KB for another architecture.
    OtherArchitecture,
    /// A file the manifest does not name.
    Unexpected,
    /// A symbolic link: not followed.
    Symlink,
    /// A folder or device, not a regular file.
    NotAFile,
    /// A name with path characters, control characters or invalid UTF-8.
    UnsafeName,
    /// Larger than any update: not read.
    TooLarge,
    /// Could not be read.
    Unreadable,
}

/// One line of the result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// The verdict.
    pub verdict: Verdict,
    /// The manifest entry (`order`), when the line is about one.
    pub order: Option<usize>,
    /// Its KB.
    pub kb: Option<u32>,
    /// Its architecture.
    pub arch: Option<Arch>,
    /// The file in `payloads/`, when there is one.
    pub file: Option<String>,
    /// Why, in a sentence.
    pub reason: String,
    /// What its SHA-1 was checked against (`name`, `catalog`, `sha256`).
    pub checked: Vec<&'static str>,
}

/// The result of `verify`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The schema id, [`VERIFY_SCHEMA`] (`docs/schema/verify-1.schema.json`).
    pub schema: &'static str,
    /// Every manifest entry is present and right, and nothing else is there.
    pub complete: bool,
    /// Files the manifest names.
    pub expected: usize,
    /// Of them, present and right.
    pub ok: usize,
    /// Bytes read.
    pub bytes: u64,
    /// Entries first (in install order), then the other files.
    pub checks: Vec<Check>,
}

/// A listed file with its digests (or why it has none).
#[derive(Debug)]
pub struct Hashed {
    /// The entry.
    pub entry: Entry,
    /// The digests, for regular files read.
    pub digests: Option<Digests>,
    /// Why a regular file could not be read.
    pub error: Option<String>,
}

/// Reads every regular file of `listing` (up to [`MAX_PAYLOAD_BYTES`]).
pub fn hash_all(listing: Listing, progress: &mut dyn FnMut(u64)) -> Vec<Hashed> {
    listing
        .entries
        .into_iter()
        .map(|entry| {
            if !entry.readable() {
                return Hashed {
                    entry,
                    digests: None,
                    error: None,
                };
            }
            match File::open(&entry.path).and_then(|f| digest(f, progress)) {
                Ok(d) => Hashed {
                    entry,
                    digests: Some(d),
                    error: None,
                },
                Err(e) => Hashed {
                    entry,
                    digests: None,
                    error: Some(e.to_string()),
                },
            }
        })
        .collect()
}

/// Matches the hashed files with the manifest's entries.
pub fn check(manifest: &Manifest, files: &[Hashed]) -> Report {
    let mut claimed = vec![false; files.len()];
    let mut checks = Vec::new();
    for f in &manifest.files {
        checks.extend(check_entry(f, files, &mut claimed));
    }
    for (h, _) in files.iter().zip(&claimed).filter(|(_, c)| !**c) {
        checks.push(check_stray(h, manifest));
    }
    let ok = checks
        .iter()
        .filter(|c| c.verdict == Verdict::Ok && c.order.is_some())
        .count();
    Report {
        schema: VERIFY_SCHEMA,
        complete: checks.iter().all(|c| c.verdict == Verdict::Ok) && ok == manifest.files.len(),
        expected: manifest.files.len(),
        ok,
        bytes: files
            .iter()
            .filter_map(|h| h.digests.as_ref())
            .map(|d| d.bytes)
            .sum(),
        checks,
    }
}

/// A check about manifest entry `f`.
fn line(f: &KitFile, verdict: Verdict, file: Option<&str>, reason: String) -> Check {
    Check {
        verdict,
        order: Some(f.order),
        kb: Some(f.kb),
        arch: Some(f.arch),
        file: file.map(str::to_string),
        reason,
        checked: Vec::new(),
    }
}

/// The verdict on one entry; claims the files it uses.
fn check_entry(f: &KitFile, files: &[Hashed], claimed: &mut [bool]) -> Vec<Check> {
    let by_name = |i: usize, h: &Hashed| {
        !claimed[i]
            && match &f.file_name {
                Some(n) => h.entry.name.eq_ignore_ascii_case(n),
                None => CatalogName::parse(&h.entry.name)
                    .is_some_and(|c| (c.kb, c.arch) == (f.kb, f.arch)),
            }
    };
    let found: Vec<usize> = (0..files.len())
        .filter(|&i| by_name(i, &files[i]))
        .collect();
    if let Some(&i) = found.first() {
        claimed[i] = true;
        return vec![judge(f, &files[i])];
    }
    // The right content under another name?
    if let Some(sha1) = &f.sha1 {
        let renamed = (0..files.len())
            .find(|&i| !claimed[i] && files[i].digests.as_ref().is_some_and(|d| d.sha1 == *sha1));
        if let Some(i) = renamed {
            claimed[i] = true;
            let name = &files[i].entry.name;
            return vec![line(
                f,
                Verdict::Renamed,
                Some(name),
                format!(
                    "`{name}` is KB{} {} (its SHA-1 is {sha1}) but is named otherwise: rename it to `{}`",
                    f.kb,
                    f.arch,
                    f.file_name.as_deref().unwrap_or_default()
                ),
            )];
        }
    }
    vec![line(f, Verdict::Missing, None, missing_reason(f))]
}

fn missing_reason(f: &KitFile) -> String {
    match &f.file_name {
        Some(n) => format!("no `{n}` in payloads/ (see DOWNLOAD.txt)"),
        None => format!(
            "no file named like `{}` in payloads/: search the Microsoft Update Catalog for `{}` and keep the name it gives",
            f.name_pattern, f.search
        ),
    }
}

/// The verdict on a file found under the entry's name (or pattern).
fn judge(f: &KitFile, h: &Hashed) -> Check {
    let name = h.entry.name.as_str();
    if let Some(early) = unreadable(h) {
        let mut c = early;
        c.order = Some(f.order);
        c.kb = Some(f.kb);
        c.arch = Some(f.arch);
        return c;
    }
    let Some(d) = &h.digests else {
        return line(f, Verdict::Unreadable, Some(name), "not read".into());
    };
    // The name's digest: the manifest's (held to the catalog) or, for a
    // name the catalog does not know, the file's own.
    let Some(want) = f
        .sha1
        .clone()
        .or_else(|| CatalogName::parse(name).map(|c| c.sha1))
    else {
        return line(
            f,
            Verdict::Unexpected,
            Some(name),
            "no SHA-1 in its name".into(),
        );
    };
    if d.sha1 != want {
        return line(
            f,
            Verdict::Corrupted,
            Some(name),
            format!(
                "its SHA-1 is {} but its name says {want}: the file is damaged, truncated ({} bytes) or not the update; fetch it again",
                d.sha1, d.bytes
            ),
        );
    }
    let mut checked = vec!["name"];
    if f.sha1.is_some() {
        checked.push("catalog");
    }
    if let Some(s) = &f.sha256 {
        if d.sha256 != *s {
            return line(
                f,
                Verdict::Corrupted,
                Some(name),
                format!("its SHA-256 is {} but the catalog data says {s}", d.sha256),
            );
        }
        checked.push("sha256");
    }
    let mut c = line(
        f,
        Verdict::Ok,
        Some(name),
        format!("KB{} {}, {} bytes", f.kb, f.arch, d.bytes),
    );
    if f.sha1.is_none() {
        c.reason.push_str("; the catalog data has no name for it: checked against the digest in its own name only");
    }
    c.checked = checked;
    c
}

/// The verdict on a folder entry that could not be hashed, if so.
fn unreadable(h: &Hashed) -> Option<Check> {
    let e = &h.entry;
    let (verdict, reason) = if !e.plain {
        (
            Verdict::UnsafeName,
            format!(
                "`{}`: not a plain file name; not read",
                e.name.escape_debug()
            ),
        )
    } else if e.kind == EntryType::Symlink {
        (
            Verdict::Symlink,
            "a symbolic link: not followed out of the kit; put the file itself here".into(),
        )
    } else if e.kind == EntryType::Other {
        (Verdict::NotAFile, "not a regular file".into())
    } else if e.size > MAX_PAYLOAD_BYTES {
        (
            Verdict::TooLarge,
            format!(
                "{} bytes: larger than any NT 6.0 update ({} GiB); not read",
                e.size,
                MAX_PAYLOAD_BYTES >> 30
            ),
        )
    } else if let Some(err) = &h.error {
        (Verdict::Unreadable, err.clone())
    } else {
        return None;
    };
    Some(Check {
        verdict,
        order: None,
        kb: None,
        arch: None,
        file: Some(e.name.escape_debug().to_string()),
        reason,
        checked: Vec::new(),
    })
}

/// The verdict on a file no entry claimed.
fn check_stray(h: &Hashed, manifest: &Manifest) -> Check {
    if let Some(c) = unreadable(h) {
        return c;
    }
    let name = h.entry.name.as_str();
    let mut c = Check {
        verdict: Verdict::Unexpected,
        order: None,
        kb: None,
        arch: None,
        file: Some(name.to_string()),
        reason: "the manifest does not name it: remove it, or make the kit again".into(),
        checked: Vec::new(),
    };
    if let Some(n) = CatalogName::parse(name) {
        c.kb = Some(n.kb);
        c.arch = Some(n.arch);
        let other = manifest
            .files
            .iter()
            .find(|f| f.kb == n.kb && f.arch != n.arch);
        let same_arch = manifest
            .files
            .iter()
            .find(|f| f.kb == n.kb && f.arch == n.arch);
        match (other, same_arch) {
            (Some(f), None) => {
                c.verdict = Verdict::OtherArchitecture;
                c.reason = format!(
                    "KB{} for {}, but the kit needs it for {}: fetch the {} file",
                    n.kb, n.arch, f.arch, f.arch
                );
            }
            (_, Some(f)) => {
                c.reason = match &f.file_name {
                    Some(want) => format!(
                        "another file of KB{} {} than the one the kit names (`{want}`): another build or \
                         revision; remove it and fetch that one",
                        n.kb, n.arch
                    ),
                    None => format!("a second file for KB{} {}: keep one", n.kb, n.arch),
                };
            }
            (None, None) => {}
        }
    }
    c
}
