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
        // %COMPUTERNAME% is the NetBIOS name: no DNS suffix.
        .map(|h| {
            h.name
                .as_deref()
                .and_then(|n| n.split('.').next())
                .filter(|n| computer_name(n))
                .map(str::to_string)
        })
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assess::{Goal, Step};
    use crate::offline::manifest::{build, HostPlan};

    fn step(kb: u32) -> Step {
        Step {
            order: 0,
            kb: Some(format!("KB{kb}")),
            kind: "",
            title: String::new(),
            released: None,
            reason: String::new(),
            condition: None,
        }
    }

    fn host<'a>(name: &str, plan: &'a [Step]) -> HostPlan<'a> {
        HostPlan {
            id: name.to_ascii_lowercase(),
            name: Some(name.into()),
            product: None,
            family: Some("windows-server-2008".into()),
            arch: Some(Arch::X64),
            excluded: None,
            empty_plan: None,
            plan,
        }
    }

    #[test]
    fn files_only_some_hosts_need_name_their_computers() {
        let catalog = Catalog::embedded();
        let both = [step(4493730)];
        let more = [step(4493730), step(4474419)];
        let hosts = [host("plc-01.plant.example", &more), host("PLC-02", &both)];
        let m = build(&hosts, catalog, jiff::civil::date(2026, 6, 30), Goal::Final);
        let plan = script_plan(&m, catalog).unwrap();
        let payloads = &plan.targets[0].stages[0].payloads;
        assert_eq!(payloads[0].kb, 4493730);
        assert!(payloads[0].hosts.is_empty(), "every x64 host needs it");
        assert_eq!(payloads[1].kb, 4474419);
        assert_eq!(payloads[1].hosts, ["plc-01"]);
        // A host the script cannot name: the file is for every computer.
        let hosts = [host("plc 01!", &more), host("PLC-02", &both)];
        let m = build(&hosts, catalog, jiff::civil::date(2026, 6, 30), Goal::Final);
        let plan = script_plan(&m, catalog).unwrap();
        assert!(plan.targets[0].stages[0].payloads[1].hosts.is_empty());
    }

    #[test]
    fn titles_lose_what_cmd_reads_as_syntax() {
        assert_eq!(
            script_title("A & B | <C> 100% \"x\" – y!"),
            "A   B    C  100   x    y"
        );
    }
}
