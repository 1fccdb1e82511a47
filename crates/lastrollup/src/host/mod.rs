//! Host identity: all the evidence of one machine reconciled into one
//! identity and one set of installed updates.
//!
//! [`identify`] groups records by host ([`group`]), then for every attribute
//! collects what each source says, picks the most authoritative source, and
//! records every disagreement as a [`Finding`] with both values and their
//! sources: nothing is silently resolved.

pub mod arch;
pub mod finding;
pub mod product;
mod reconcile;
pub mod servicing;
pub mod version;

use std::fmt;

use serde::Serialize;

pub use arch::Arch;
pub use finding::{Finding, Severity};

use crate::evidence::{EvidenceFile, Format, Record, TextEncoding, UpdateId};

/// Where a value came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Source {
    /// The file, as the caller named it.
    pub file: String,
    /// The 1-based line, when the value was read from one line.
    pub line: Option<u32>,
    /// The format of the file.
    pub format: Format,
    /// How the value was derived, when it was not read as is (for example
    /// `service pack of build 6002`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub derived: Option<String>,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{} ({})", self.file, l, self.format.name())?,
            None => write!(f, "{} ({})", self.file, self.format.name())?,
        }
        if let Some(d) = &self.derived {
            write!(f, ", {d}")?;
        }
        Ok(())
    }
}

/// A value with the source it was taken from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sourced<T> {
    /// The value.
    pub value: T,
    /// Where it came from.
    pub source: Source,
}

/// The machine's role on its network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// A domain controller (primary or backup).
    DomainController,
    /// A server that is a member of a domain.
    MemberServer,
    /// A server in a workgroup.
    StandaloneServer,
    /// A workstation that is a member of a domain.
    MemberWorkstation,
    /// A workstation in a workgroup.
    StandaloneWorkstation,
    /// A server, domain membership unknown (`ProductType` 3).
    Server,
    /// A workstation, domain membership unknown (`ProductType` 1).
    Workstation,
}

impl Role {
    /// The role named by a `labels.toml` role key. A `const fn`, so that
    /// the label tables `build.rs` writes name their roles by key.
    pub const fn from_key(key: &str) -> Option<Role> {
        const KEYS: [(&str, Role); 6] = [
            ("primary_domain_controller", Role::DomainController),
            ("backup_domain_controller", Role::DomainController),
            ("member_server", Role::MemberServer),
            ("standalone_server", Role::StandaloneServer),
            ("member_workstation", Role::MemberWorkstation),
            ("standalone_workstation", Role::StandaloneWorkstation),
        ];
        let mut i = 0;
        while i < KEYS.len() {
            if crate::evidence::text::str_eq(KEYS[i].0, key) {
                return Some(KEYS[i].1);
            }
            i += 1;
        }
        None
    }

    /// The stable kebab-case name.
    pub fn name(self) -> &'static str {
        match self {
            Role::DomainController => "domain-controller",
            Role::MemberServer => "member-server",
            Role::StandaloneServer => "standalone-server",
            Role::MemberWorkstation => "member-workstation",
            Role::StandaloneWorkstation => "standalone-workstation",
            Role::Server => "server",
            Role::Workstation => "workstation",
        }
    }

    /// Whether the role is a server role.
    pub fn is_server(self) -> bool {
        matches!(
            self,
            Role::DomainController | Role::MemberServer | Role::StandaloneServer | Role::Server
        )
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Full installation or Server Core.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Installation {
    /// A full installation.
    Full,
    /// A Server Core installation.
    ServerCore,
}

impl fmt::Display for Installation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Installation::Full => "full",
            Installation::ServerCore => "server-core",
        })
    }
}

/// The operating system of a host.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct OsIdentity {
    /// NT version (`6.0`).
    pub nt_version: Option<Sourced<String>>,
    /// Family slug (`windows-server-2008`, `windows-vista`, `windows-server-2008-r2` …).
    pub family: Option<Sourced<String>>,
    /// Product name with trademark signs removed.
    pub product_name: Option<Sourced<String>>,
    /// Edition slug (`enterprise`, `enterprise-without-hyper-v`, `home-premium` …).
    pub edition: Option<Sourced<String>>,
    /// Full or Server Core, where evidence shows it.
    pub installation: Option<Sourced<Installation>>,
    /// Architecture; never guessed.
    pub arch: Option<Sourced<Arch>>,
    /// Service pack number.
    pub service_pack: Option<Sourced<u8>>,
    /// Build number.
    pub build: Option<Sourced<u32>>,
    /// Kernel revision (`6.0.6003.20491` → 20491).
    pub revision: Option<Sourced<u32>>,
    /// Servicing branch (`gdr` / `ldr`).
    pub branch: Option<Sourced<String>>,
    /// BuildLabEx (or BuildLab) string.
    pub build_lab: Option<Sourced<String>>,
    /// Compile date of the build lab string (`2019-03-20T17:00`).
    pub build_lab_date: Option<Sourced<String>>,
}

/// One installed update of a host, merged over all sources that list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InstalledUpdate {
    /// The update.
    pub id: UpdateId,
    /// When it was installed, from the first source that says.
    pub installed_on: Option<String>,
    /// The description, from the first source that gives one.
    pub description: Option<String>,
    /// Every source that lists it.
    pub sources: Vec<Source>,
}

/// A file that contributed to a host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceFile {
    /// The file name.
    pub file: String,
    /// Its format.
    pub format: Format,
    /// Its encoding.
    pub encoding: TextEncoding,
    /// The language of its labels, where it has localized labels.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

/// Everything known about one machine.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Host {
    /// Host name.
    pub name: Option<Sourced<String>>,
    /// Domain or workgroup.
    pub domain: Option<Sourced<String>>,
    /// Role.
    pub role: Option<Sourced<Role>>,
    /// System locale (`en-us`, or an LCID such as `0409`).
    pub locale: Option<Sourced<String>>,
    /// Install date, as printed.
    pub install_date: Option<Sourced<String>>,
    /// The Windows product ID; with the name, domain and install date it
    /// tells apart two machines of one name (cloned images, two plants with
    /// an `HMI01`). Not in the `identify` and `check` JSON.
    #[serde(skip)]
    pub product_id: Option<Sourced<String>>,
    /// Last boot time, as printed.
    pub boot_time: Option<Sourced<String>>,
    /// The operating system.
    pub os: OsIdentity,
    /// Installed updates, sorted by identity.
    pub updates: Vec<InstalledUpdate>,
    /// Whether some evidence lists installed updates, even an empty list
    /// (`Hotfix(s): N/A`): then a missing update is known to be missing.
    /// Not in the `identify` JSON, whose `updates` and `sources` say it.
    #[serde(skip)]
    pub update_list: bool,
    /// Servicing state from a collector bundle.
    pub servicing: servicing::Servicing,
    /// What deserves attention.
    pub findings: Vec<Finding>,
    /// The files this host was read from.
    pub sources: Vec<SourceFile>,
}

impl Host {
    /// Whether the evidence shows an NT 6.0 operating system.
    pub fn is_nt60(&self) -> bool {
        self.os
            .nt_version
            .as_ref()
            .is_some_and(|v| v.value == "6.0")
    }
}

/// One record with the file it came from.
#[derive(Debug, Clone, Copy)]
pub struct SourcedRecord<'a> {
    /// The file.
    pub file: &'a EvidenceFile,
    /// The record.
    pub record: &'a Record,
}

/// The grouping key of a host name: `dorvin.example.local` and `DORVIN` are
/// one host (case-insensitive, DNS suffix ignored).
pub fn host_key(name: &str) -> String {
    name.split('.').next().unwrap_or(name).trim().to_lowercase()
}

/// Groups records into hosts: records naming the same host (case-insensitive,
/// ignoring a DNS suffix) are one host. Records that name no host join the
/// only named host when there is exactly one; when no record names a host
/// they are all one host; when several hosts are named, each unnamed file is
/// a host of its own (and says so in a finding).
pub fn group(files: &[EvidenceFile]) -> Vec<Vec<SourcedRecord<'_>>> {
    let mut named: Vec<(String, Vec<SourcedRecord<'_>>)> = Vec::new();
    let mut unnamed: Vec<(usize, SourcedRecord<'_>)> = Vec::new();
    for (fi, file) in files.iter().enumerate() {
        for record in &file.records {
            let sr = SourcedRecord { file, record };
            match record
                .host
                .as_deref()
                .map(host_key)
                .filter(|k| !k.is_empty())
            {
                Some(key) => match named.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, v)) => v.push(sr),
                    None => named.push((key, vec![sr])),
                },
                None => unnamed.push((fi, sr)),
            }
        }
    }
    let mut groups: Vec<Vec<SourcedRecord<'_>>> = named.into_iter().map(|(_, v)| v).collect();
    match groups.len() {
        0 if !unnamed.is_empty() => groups.push(unnamed.into_iter().map(|(_, r)| r).collect()),
        1 => groups[0].extend(unnamed.into_iter().map(|(_, r)| r)),
        _ => {
            let mut by_file: Vec<(usize, Vec<SourcedRecord<'_>>)> = Vec::new();
            for (fi, r) in unnamed {
                match by_file.iter_mut().find(|(f, _)| *f == fi) {
                    Some((_, v)) => v.push(r),
                    None => by_file.push((fi, vec![r])),
                }
            }
            groups.extend(by_file.into_iter().map(|(_, v)| v));
        }
    }
    groups
}

/// Reconciles the records of one machine (grouped by the caller, as
/// [`group`] or `fleet::group` do) into one host.
pub fn reconcile(records: &[SourcedRecord<'_>]) -> Host {
    reconcile::host(records)
}

/// Reconciles the evidence of all files into hosts.
pub fn identify(files: &[EvidenceFile]) -> Vec<Host> {
    let groups = group(files);
    let ambiguous = groups.len() > 1;
    groups
        .into_iter()
        .map(|records| {
            let mut host = reconcile::host(&records);
            if ambiguous && host.name.is_none() {
                host.findings.push(Finding::new(
                    "host-unattributed",
                    Severity::Warning,
                    "these files name no host and were given with files of several hosts, so they are reported as \
                     a host of their own; run them together with the files of their host",
                ));
            }
            host
        })
        .collect()
}
