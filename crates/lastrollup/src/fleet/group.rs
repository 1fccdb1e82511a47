//! Grouping the records of many files into machines.
//!
//! Records naming the same host name are one machine, as in
//! [`crate::host::group`], unless what they say about the machine's identity
//! disagrees: a different domain, a different product ID, or a different
//! install date in the same format. Then they are different machines that
//! share a name (a cloned image, two plants with an `HMI01`): each becomes a
//! host of its own, with an `identity-collision` finding; they are never
//! merged silently.
//!
//! The records of one file that name one host are always one machine.
//! Records that carry no identity (a `wmic qfe` list names the host and
//! nothing else) join the machine of that name in their own directory, else
//! the only machine of that name. Files that name no host join the only
//! host named in their directory; a directory with no named host is one
//! host; in a directory of several hosts each such file is a host of its own
//! (`host-unattributed`).

use std::collections::BTreeMap;
use std::path::Path;

use rustc_hash::FxHashMap;

use crate::evidence::{EvidenceFile, Format, Key, Record};
use crate::host::{host_key, Finding, Severity, SourcedRecord};

/// The records of one machine, with its stable id and the findings grouping
/// raised about it.
#[derive(Debug)]
pub struct HostGroup<'f> {
    /// Stable id: the lower-case host name, with `@` and a digest of its
    /// identity when several machines share the name; `dir:` and the
    /// directory, or `file:` and the file, for captures naming no host.
    pub id: String,
    /// Every record of the machine.
    pub records: Vec<SourcedRecord<'f>>,
    /// `identity-collision` and `host-unattributed` findings.
    pub findings: Vec<Finding>,
}

/// What a set of records says about which machine it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Identity {
    domain: Option<String>,
    product_id: Option<String>,
    /// Install dates as printed, per format and label language (formats
    /// and languages print them differently).
    install: BTreeMap<String, String>,
}

impl Identity {
    fn of(records: &[SourcedRecord<'_>]) -> Identity {
        let mut id = Identity::default();
        for sr in records {
            id.add(sr.record);
        }
        id
    }

    fn add(&mut self, r: &Record) {
        for f in &r.facts {
            let v = f.value.trim();
            match f.key {
                Key::Domain if self.domain.is_none() => self.domain = Some(v.to_lowercase()),
                Key::ProductId if self.product_id.is_none() => {
                    self.product_id = Some(v.to_ascii_uppercase());
                }
                Key::InstallDate => {
                    let class = format!(
                        "{}:{}",
                        format_class(r.format),
                        r.language.as_deref().unwrap_or("")
                    );
                    self.install.entry(class).or_insert_with(|| v.to_owned());
                }
                _ => {}
            }
        }
    }

    fn is_empty(&self) -> bool {
        self.domain.is_none() && self.product_id.is_none() && self.install.is_empty()
    }

    /// Whether nothing known on both sides differs.
    fn compatible(&self, other: &Identity) -> bool {
        let same = |a: &Option<String>, b: &Option<String>| match (a, b) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        };
        same(&self.domain, &other.domain)
            && same(&self.product_id, &other.product_id)
            && self
                .install
                .iter()
                .all(|(k, v)| other.install.get(k).is_none_or(|o| o == v))
    }

    fn merge(&mut self, other: &Identity) {
        if self.domain.is_none() {
            self.domain.clone_from(&other.domain);
        }
        if self.product_id.is_none() {
            self.product_id.clone_from(&other.product_id);
        }
        for (k, v) in &other.install {
            self.install.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }

    /// A short digest for host ids (CRC-32 of the identity, hex).
    fn digest(&self) -> String {
        let mut h = crc32fast::Hasher::new();
        for part in [&self.domain, &self.product_id] {
            h.update(part.as_deref().unwrap_or("").as_bytes());
            h.update(&[0]);
        }
        for (k, v) in &self.install {
            h.update(k.as_bytes());
            h.update(v.as_bytes());
            h.update(&[0]);
        }
        format!("{:08x}", h.finalize())
    }

    fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(d) = &self.domain {
            parts.push(format!("domain {d}"));
        }
        if let Some(p) = &self.product_id {
            parts.push(format!("product ID {p}"));
        }
        if let Some(d) = self.install.values().next() {
            parts.push(format!("installed {d}"));
        }
        parts.join(", ")
    }
}

/// Install dates are compared only between captures that print them alike
/// (and, for systeminfo, in the same language).
fn format_class(f: Format) -> &'static str {
    match f {
        Format::SysteminfoList | Format::SysteminfoCsv | Format::SysteminfoTable => "systeminfo",
        Format::RegQuery | Format::RegExport => "registry",
        Format::WmicOsList | Format::WmicOsTable => "wmic-os",
        _ => "other",
    }
}

/// The records of one file naming one host (or none).
struct Unit<'f> {
    dir: &'f Path,
    file: String,
    records: Vec<SourcedRecord<'f>>,
}

/// A machine being built: its identity and units.
struct Cluster<'f> {
    identity: Identity,
    units: Vec<Unit<'f>>,
}

fn dir_of(file: &EvidenceFile) -> &Path {
    Path::new(&file.file).parent().unwrap_or(Path::new(""))
}

/// Splits the files into units, keyed by host name (`None`: names no host),
/// in file order.
fn units(files: &[EvidenceFile]) -> Vec<(Option<String>, Unit<'_>)> {
    let mut out: Vec<(Option<String>, Unit<'_>)> = Vec::new();
    // Where each host name of the current file has its unit (a /FO CSV
    // export names thousands of hosts in one file).
    let mut at: FxHashMap<Option<String>, usize> = FxHashMap::default();
    for file in files {
        at.clear();
        for record in &file.records {
            let key = record
                .host
                .as_deref()
                .map(host_key)
                .filter(|k| !k.is_empty());
            let sr = SourcedRecord { file, record };
            match at.get(&key) {
                Some(&i) => out[i].1.records.push(sr),
                None => {
                    at.insert(key.clone(), out.len());
                    out.push((
                        key,
                        Unit {
                            dir: dir_of(file),
                            file: file.file.clone(),
                            records: vec![sr],
                        },
                    ));
                }
            }
        }
    }
    out
}

/// Clusters the units of one name into machines; units without identity
/// are returned apart.
fn cluster<'f>(units: Vec<Unit<'f>>) -> (Vec<Cluster<'f>>, Vec<Unit<'f>>) {
    let mut clusters: Vec<Cluster<'f>> = Vec::new();
    let mut weak = Vec::new();
    for unit in units {
        let id = Identity::of(&unit.records);
        if id.is_empty() {
            weak.push(unit);
            continue;
        }
        match clusters.iter_mut().find(|c| c.identity.compatible(&id)) {
            Some(c) => {
                c.identity.merge(&id);
                c.units.push(unit);
            }
            None => clusters.push(Cluster {
                identity: id,
                units: vec![unit],
            }),
        }
    }
    (clusters, weak)
}

/// Places each identity-less unit: with the one cluster there is, else the
/// first cluster in its directory. Returns the units that fit none.
fn place_weak<'f>(clusters: &mut Vec<Cluster<'f>>, weak: Vec<Unit<'f>>) -> Vec<Unit<'f>> {
    let mut left = Vec::new();
    for unit in weak {
        if clusters.is_empty() {
            clusters.push(Cluster {
                identity: Identity::default(),
                units: vec![unit],
            });
        } else if clusters.len() == 1 {
            clusters[0].units.push(unit);
        } else if let Some(c) = clusters
            .iter_mut()
            .find(|c| c.units.iter().any(|u| u.dir == unit.dir))
        {
            c.units.push(unit);
        } else {
            left.push(unit);
        }
    }
    left
}

fn records_of(units: Vec<Unit<'_>>) -> Vec<SourcedRecord<'_>> {
    units.into_iter().flat_map(|u| u.records).collect()
}

fn unattributed(what: &str) -> Finding {
    Finding::new(
        "host-unattributed",
        Severity::Warning,
        format!(
            "{what}, so it is reported as a host of its own; put it in the folder of its host's other captures"
        ),
    )
}

/// The groups of one host name.
fn named_groups<'f>(name: &str, units: Vec<Unit<'f>>) -> Vec<HostGroup<'f>> {
    let (mut clusters, weak) = cluster(units);
    let left = place_weak(&mut clusters, weak);
    let mut out = Vec::new();
    if clusters.len() == 1 {
        let c = clusters.remove(0);
        out.push(HostGroup {
            id: name.to_owned(),
            records: records_of(c.units),
            findings: Vec::new(),
        });
    } else {
        let ids: Vec<String> = clusters
            .iter()
            .map(|c| format!("{name}@{}", c.identity.digest()))
            .collect();
        for (c, id) in clusters.into_iter().zip(&ids) {
            let others: Vec<&str> = ids
                .iter()
                .filter(|o| *o != id)
                .map(String::as_str)
                .collect();
            let finding = Finding::new(
                "identity-collision",
                Severity::Warning,
                format!(
                    "{} machines are named {name}; this one ({}) is reported apart from {}, never merged: rename \
                     one, or check whether a cloned image kept its name",
                    ids.len(),
                    c.identity.describe(),
                    others.join(", ")
                ),
            )
            .with_sources(c.units.iter().map(|u| u.file.clone()).collect());
            out.push(HostGroup {
                id: id.clone(),
                records: records_of(c.units),
                findings: vec![finding],
            });
        }
    }
    for unit in left {
        out.push(HostGroup {
            id: format!("{name}@file:{}", unit.file),
            findings: vec![unattributed(&format!(
                "several machines are named {name} and this file says nothing that tells which one it is"
            ))],
            records: unit.records,
        });
    }
    out
}

/// Groups the records of all files into machines, sorted by id.
pub fn group(files: &[EvidenceFile]) -> Vec<HostGroup<'_>> {
    let mut by_name: FxHashMap<String, Vec<Unit<'_>>> = FxHashMap::default();
    let mut unnamed: Vec<Unit<'_>> = Vec::new();
    for (key, unit) in units(files) {
        match key {
            Some(k) => by_name.entry(k).or_default().push(unit),
            None => unnamed.push(unit),
        }
    }
    let mut groups: Vec<HostGroup<'_>> = by_name
        .into_iter()
        .flat_map(|(name, units)| named_groups(&name, units))
        .collect();
    groups.sort_by(|a, b| a.id.cmp(&b.id));
    place_unnamed(&mut groups, unnamed);
    groups.sort_by(|a, b| a.id.cmp(&b.id));
    groups
}

/// Places the units that name no host (see the module documentation).
fn place_unnamed<'f>(groups: &mut Vec<HostGroup<'f>>, unnamed: Vec<Unit<'f>>) {
    let mut by_dir: BTreeMap<&'f Path, Vec<Unit<'f>>> = BTreeMap::new();
    for u in unnamed {
        by_dir.entry(u.dir).or_default().push(u);
    }
    let mut dirs: FxHashMap<&'f Path, Vec<usize>> = FxHashMap::default();
    for (i, g) in groups.iter().enumerate() {
        for r in &g.records {
            let v = dirs.entry(dir_of(r.file)).or_default();
            if v.last() != Some(&i) {
                v.push(i);
            }
        }
    }
    for (dir, units) in by_dir {
        let here = dirs.get(dir).map_or(&[][..], Vec::as_slice);
        match here {
            [] => groups.push(HostGroup {
                id: format!("dir:{}", dir.display()),
                records: records_of(units),
                findings: Vec::new(),
            }),
            [one] => groups[*one].records.extend(records_of(units)),
            _ => {
                for u in units {
                    groups.push(HostGroup {
                        id: format!("file:{}", u.file),
                        findings: vec![unattributed(
                            "this file names no host and its folder holds captures of several hosts",
                        )],
                        records: u.records,
                    });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, bytes: &[u8]) -> EvidenceFile {
        crate::evidence::read_file(name, bytes).unwrap()
    }

    const SYSTEMINFO: &[u8] =
        include_bytes!("../../tests/fixtures/systeminfo/en_srv2008_standard_x64_6003.txt");
    const BANNER: &[u8] = b"Microsoft Windows [Version 6.0.6003]\r\n";

    #[test]
    fn files_naming_no_host_join_the_host_of_their_folder() {
        let files = [
            file("a/systeminfo.txt", SYSTEMINFO),
            file("a/ver.txt", BANNER),
            file("b/ver.txt", BANNER),
            file("b/ver2.txt", BANNER),
        ];
        let groups = group(&files);
        let ids: Vec<&str> = groups.iter().map(|g| g.id.as_str()).collect();
        assert_eq!(ids, ["dir:b", "win2008dc01"]);
        assert_eq!(groups[0].records.len(), 2);
        let named: Vec<&str> = groups[1]
            .records
            .iter()
            .map(|r| r.file.file.as_str())
            .collect();
        assert_eq!(named, ["a/systeminfo.txt", "a/ver.txt"]);
        assert!(groups.iter().all(|g| g.findings.is_empty()));
    }

    #[test]
    fn one_name_with_two_identities_is_two_hosts() {
        let other = String::from_utf8_lossy(SYSTEMINFO).replace("Domain:", "Domain:   x");
        let files = [
            file("a/systeminfo.txt", SYSTEMINFO),
            file("b/systeminfo.txt", other.as_bytes()),
            file("c/ver.txt", BANNER),
        ];
        let groups = group(&files);
        let named: Vec<&HostGroup<'_>> = groups
            .iter()
            .filter(|g| g.id.starts_with("win2008dc01@"))
            .collect();
        assert_eq!(
            named.len(),
            2,
            "{:?}",
            groups.iter().map(|g| &g.id).collect::<Vec<_>>()
        );
        assert!(named
            .iter()
            .all(|g| g.findings[0].id == "identity-collision"));
        assert_ne!(named[0].id, named[1].id);
        // The banner in its own folder is a host of its own, not merged into either.
        assert!(groups.iter().any(|g| g.id == "dir:c"));
        assert_eq!(groups.len(), 3);
    }
}
