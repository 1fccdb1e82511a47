//! The `lastrollup.identify/1` JSON contract (docs/identify.md, schema in
//! docs/schema/identify-1.schema.json).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::error::EvidenceError;
use crate::host::{Finding, Host, Sourced};

/// The schema id of this contract.
pub const SCHEMA: &str = "lastrollup.identify/1";

/// The whole document.
#[derive(Debug, Serialize)]
pub struct IdentifyReport<'a> {
    /// Always [`SCHEMA`].
    pub schema: &'static str,
    /// One entry per host.
    pub hosts: Vec<HostView<'a>>,
    /// Files that could not be used.
    pub errors: Vec<ErrorView>,
}

/// `host` part of a host entry.
#[derive(Debug, Serialize)]
pub struct HostPart<'a> {
    /// Host name.
    pub name: Option<&'a str>,
    /// Domain or workgroup.
    pub domain: Option<&'a str>,
    /// Role slug.
    pub role: Option<&'static str>,
    /// System locale.
    pub locale: Option<&'a str>,
    /// Install date as printed.
    pub install_date: Option<&'a str>,
    /// Boot time as printed.
    pub boot_time: Option<&'a str>,
}

/// `os` part of a host entry.
#[derive(Debug, Serialize)]
pub struct OsPart<'a> {
    /// `6.0`.
    pub nt_version: Option<&'a str>,
    /// Family slug.
    pub family: Option<&'a str>,
    /// Product name.
    pub product_name: Option<&'a str>,
    /// Edition slug.
    pub edition: Option<&'a str>,
    /// `full` / `server-core`.
    pub installation: Option<String>,
    /// `x86` / `x64` / `ia64`.
    pub arch: Option<String>,
    /// Service pack number.
    pub service_pack: Option<u8>,
    /// Build.
    pub build: Option<u32>,
    /// Revision.
    pub revision: Option<u32>,
    /// `gdr` / `ldr`.
    pub branch: Option<&'a str>,
    /// BuildLabEx or BuildLab.
    pub build_lab: Option<&'a str>,
    /// Compile date of the build lab.
    pub build_lab_date: Option<&'a str>,
}

/// One installed update.
#[derive(Debug, Serialize)]
pub struct UpdateView {
    /// `KB…` for KB numbers, null for GUID and other entries.
    pub kb: Option<String>,
    /// The identity as listed (the KB, the GUID, or the text).
    pub id: String,
    /// Install date.
    pub installed_on: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// First source.
    pub source: String,
    /// Every source that lists it.
    pub sources: Vec<String>,
}

/// One file a host was read from.
#[derive(Debug, Serialize)]
pub struct SourceView {
    /// File name.
    pub file: String,
    /// Format name.
    pub format: &'static str,
    /// Encoding name.
    pub encoding: String,
    /// Label language.
    pub language: Option<String>,
}

/// One host.
#[derive(Debug, Serialize)]
pub struct HostView<'a> {
    /// Host part.
    pub host: HostPart<'a>,
    /// OS part.
    pub os: OsPart<'a>,
    /// Installed updates.
    pub updates: Vec<UpdateView>,
    /// Findings.
    pub findings: Vec<&'a Finding>,
    /// Files.
    pub sources: Vec<SourceView>,
    /// For every value shown: where it came from (`file:line (format)`).
    pub provenance: BTreeMap<&'static str, String>,
}

/// A file that could not be used.
#[derive(Debug, Serialize)]
pub struct ErrorView {
    /// File name.
    pub file: String,
    /// Line, where the error is about one.
    pub line: Option<u32>,
    /// What is wrong.
    pub message: String,
}

impl ErrorView {
    /// The view of one evidence error.
    pub fn of(e: &EvidenceError) -> ErrorView {
        ErrorView {
            file: e.file.clone(),
            line: e.line,
            message: e.kind.to_string(),
        }
    }
}

fn v<T>(s: &Option<Sourced<T>>) -> Option<&T> {
    s.as_ref().map(|x| &x.value)
}

/// Builds the report for `hosts` and the files that failed.
pub fn build<'a>(hosts: &'a [Host], errors: &[EvidenceError]) -> IdentifyReport<'a> {
    IdentifyReport {
        schema: SCHEMA,
        hosts: hosts.iter().map(host_view).collect(),
        errors: errors.iter().map(ErrorView::of).collect(),
    }
}

/// The identity part of one host's report.
pub fn host_view(h: &Host) -> HostView<'_> {
    let os = &h.os;
    let mut provenance = BTreeMap::new();
    let mut note = |k: &'static str, s: Option<&crate::host::Source>| {
        if let Some(s) = s {
            provenance.insert(k, s.to_string());
        }
    };
    note("host.name", h.name.as_ref().map(|x| &x.source));
    note("host.domain", h.domain.as_ref().map(|x| &x.source));
    note("host.role", h.role.as_ref().map(|x| &x.source));
    note("host.locale", h.locale.as_ref().map(|x| &x.source));
    note(
        "host.install_date",
        h.install_date.as_ref().map(|x| &x.source),
    );
    note("host.boot_time", h.boot_time.as_ref().map(|x| &x.source));
    note("os.nt_version", os.nt_version.as_ref().map(|x| &x.source));
    note("os.family", os.family.as_ref().map(|x| &x.source));
    note(
        "os.product_name",
        os.product_name.as_ref().map(|x| &x.source),
    );
    note("os.edition", os.edition.as_ref().map(|x| &x.source));
    note(
        "os.installation",
        os.installation.as_ref().map(|x| &x.source),
    );
    note("os.arch", os.arch.as_ref().map(|x| &x.source));
    note(
        "os.service_pack",
        os.service_pack.as_ref().map(|x| &x.source),
    );
    note("os.build", os.build.as_ref().map(|x| &x.source));
    note("os.revision", os.revision.as_ref().map(|x| &x.source));
    note("os.branch", os.branch.as_ref().map(|x| &x.source));
    note("os.build_lab", os.build_lab.as_ref().map(|x| &x.source));
    HostView {
        host: HostPart {
            name: v(&h.name).map(String::as_str),
            domain: v(&h.domain).map(String::as_str),
            role: v(&h.role).map(|r| r.name()),
            locale: v(&h.locale).map(String::as_str),
            install_date: v(&h.install_date).map(String::as_str),
            boot_time: v(&h.boot_time).map(String::as_str),
        },
        os: OsPart {
            nt_version: v(&os.nt_version).map(String::as_str),
            family: v(&os.family).map(String::as_str),
            product_name: v(&os.product_name).map(String::as_str),
            edition: v(&os.edition).map(String::as_str),
            installation: v(&os.installation).map(ToString::to_string),
            arch: v(&os.arch).map(ToString::to_string),
            service_pack: v(&os.service_pack).copied(),
            build: v(&os.build).copied(),
            revision: v(&os.revision).copied(),
            branch: v(&os.branch).map(String::as_str),
            build_lab: v(&os.build_lab).map(String::as_str),
            build_lab_date: v(&os.build_lab_date).map(String::as_str),
        },
        updates: h
            .updates
            .iter()
            .map(|u| {
                let sources: Vec<String> = u.sources.iter().map(ToString::to_string).collect();
                UpdateView {
                    kb: u.id.kb().map(|n| format!("KB{n}")),
                    id: u.id.to_string(),
                    installed_on: u.installed_on.clone(),
                    description: u.description.clone(),
                    source: sources.first().cloned().unwrap_or_default(),
                    sources,
                }
            })
            .collect(),
        findings: h.findings.iter().collect(),
        sources: h
            .sources
            .iter()
            .map(|s| SourceView {
                file: s.file.clone(),
                format: s.format.name(),
                encoding: s.encoding.name(),
                language: s.language.clone(),
            })
            .collect(),
        provenance,
    }
}

/// Serializes the report as pretty JSON.
pub fn to_json(report: &IdentifyReport<'_>) -> String {
    // Serializing plain structs of strings and numbers cannot fail.
    serde_json::to_string_pretty(report).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}
