//! The manifest as the input of `install.cmd`
//! ([`super::install_script::ScriptPlan`]): one target per architecture the
//! kit serves, with the product families of its hosts, and the manifest's
//! stages restricted to that architecture's files.
//!
//! A file every host of its architecture needs is for every computer of that
//! architecture; one that only some need names their computer names, so
//! that the script skips it elsewhere. When a host needing it has no name
//! the script can match (`%COMPUTERNAME%`: 1–63 of `A-Z a-z 0-9 - _`), the
//! file is for every computer of the architecture: the script installs only
//! what is missing, and `wusa` answers "not applicable" for the rest.

use super::install_script::{parse_sha1, KitTarget, Payload, ScriptPlan, Stage};
use super::manifest::{KitFile, KitHost, Manifest};
use crate::advisory::Family;
use crate::catalog::Catalog;
use crate::host::Arch;

/// The family of a catalog family slug.
fn family(slug: &str) -> Option<Family> {
    match slug {
        "windows-server-2008" => Some(Family::WindowsServer2008),
        "windows-vista" => Some(Family::WindowsVista),
        _ => None,
    }
}

/// Whether `name` is a computer name the script can compare with
/// `%COMPUTERNAME%`.
fn computer_name(name: &str) -> bool {
    (1..=63).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The plan of `install.cmd` for `m`; `None` when the kit holds no file.
pub fn script_plan(m: &Manifest, catalog: &Catalog) -> Option<ScriptPlan> {
    let mut targets = Vec::new();
    for arch in [Arch::X86, Arch::X64, Arch::Ia64] {
        let hosts: Vec<&KitHost> = m
            .hosts
            .iter()
            .filter(|h| h.excluded.is_none() && h.arch == Some(arch) && !h.files.is_empty())
            .collect();
        let mut families: Vec<Family> = hosts
            .iter()
            .filter_map(|h| h.family.as_deref().and_then(family))
            .collect();
        families.sort();
        families.dedup();
        let stages = stages_for(m, arch, &hosts, catalog);
        if !stages.is_empty() && !families.is_empty() {
            targets.push(KitTarget {
                arch,
                families,
                stages,
            });
        }
    }
    (!targets.is_empty()).then_some(ScriptPlan { targets })
}

/// The manifest's stages, with `arch`'s files only; empty stages dropped.
fn stages_for(m: &Manifest, arch: Arch, hosts: &[&KitHost], catalog: &Catalog) -> Vec<Stage> {
    m.stages
        .iter()
        .map(|s| Stage {
            payloads: s
                .files
                .iter()
                .filter_map(|o| m.files.get(o.wrapping_sub(1)))
                .filter(|f| f.arch == arch)
                .filter_map(|f| payload(f, hosts, catalog))
                .collect(),
        })
        .filter(|s| !s.payloads.is_empty())
        .collect()
}

/// A title the script can log: printable ASCII without the characters cmd
/// reads as syntax (`&|<>^%!"`), each other character a space.
fn script_title(title: &str) -> String {
    let clean: String = title
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && !"&|<>^%!\"".contains(c) || c == ' ' {
                c
            } else {
                ' '
            }
        })
        .take(300)
        .collect();
    clean.trim().to_string()
}

/// One file as the script reads it.
fn payload(f: &KitFile, hosts: &[&KitHost], catalog: &Catalog) -> Option<Payload> {
    let kind = catalog.update(f.kb)?.kind;
    let needing: Vec<&KitHost> = hosts
        .iter()
        .copied()
        .filter(|h| f.hosts.contains(&h.id))
        .collect();
    let names: Option<Vec<String>> = needing
        .iter()
        .map(|h| h.name.clone().filter(|n| computer_name(n)))
        .collect();
    let hosts = match names {
        Some(names) if needing.len() < hosts.len() => names,
        _ => Vec::new(),
    };
    Some(Payload {
        kb: f.kb,
        kind,
        title: script_title(&f.title),
        file_name: f.file_name.clone(),
        sha1: f.sha1.as_deref().and_then(parse_sha1),
        hosts,
    })
}
