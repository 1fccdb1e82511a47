//! Reconciling the records of one host into a [`Host`].
//!
//! Every attribute is gathered as candidates (value, source, priority) from
//! all records; the candidate of highest priority wins, and when candidates
//! disagree a `sources-disagree` finding lists every distinct value with its
//! source. Priorities follow how directly a source reads the machine: the
//! kernel file's own version beats the registry, which beats `wmic`, which
//! beats systeminfo's rendering of the registry, which beats a banner.

use std::cmp::Reverse;
use std::fmt::Display;

use super::finding::{Finding, Severity};
use super::product;
use super::version::{self, BuildLab};
use super::{
    Arch, Host, Installation, InstalledUpdate, Role, Source, SourceFile, Sourced, SourcedRecord,
};
use crate::catalog::windows::facts;
use crate::evidence::systeminfo::labels::labels;
use crate::evidence::{Fact, Format, Key};

struct Cand<T> {
    value: T,
    source: Source,
    priority: u8,
}

/// How authoritative a source is for a fact.
fn priority(format: Format, key: Key) -> u8 {
    match (format, key) {
        (Format::VersionStrings | Format::CollectorBundle, Key::KernelVersion) => 95,
        (Format::RegQuery | Format::RegExport, _) => 90,
        (Format::VersionStrings, Key::BuildLabEx | Key::BuildLab) => 88,
        (Format::WmicOsList | Format::WmicOsTable, _) => 85,
        (Format::SysteminfoList | Format::SysteminfoCsv | Format::SysteminfoTable, _) => 80,
        (Format::VersionStrings, _) => 60,
        _ => 40,
    }
}

fn source(sr: &SourcedRecord<'_>, fact: &Fact, derived: Option<String>) -> Source {
    Source {
        file: sr.file.file.clone(),
        line: Some(fact.line),
        format: sr.record.format,
        derived,
    }
}

/// Picks the best candidate; records a finding when candidates disagree
/// (compared by `key`).
fn pick<T: Clone + Display>(
    field: &str,
    mut cands: Vec<Cand<T>>,
    key: impl Fn(&T) -> String,
    findings: &mut Vec<Finding>,
) -> Option<Sourced<T>> {
    cands.sort_by_key(|c| Reverse(c.priority));
    let first = cands.first()?;
    let mut distinct: Vec<(String, &Cand<T>)> = Vec::new();
    for c in &cands {
        let k = key(&c.value);
        if !distinct.iter().any(|(d, _)| *d == k) {
            distinct.push((k, c));
        }
    }
    if distinct.len() > 1 {
        let listed: Vec<String> = distinct
            .iter()
            .map(|(_, c)| format!("{} ({})", c.value, c.source))
            .collect();
        findings.push(
            Finding::new(
                "sources-disagree",
                Severity::Warning,
                format!(
                    "the evidence disagrees on {field}: {}; lastrollup shows {} (the most direct source) — find out \
                     which capture is current (a pending reboot, a failed install, or files from different times)",
                    listed.join(" vs "),
                    first.value
                ),
            )
            .with_sources(distinct.iter().map(|(_, c)| c.source.to_string()).collect()),
        );
    }
    Some(Sourced {
        value: first.value.clone(),
        source: first.source.clone(),
    })
}

fn same<T: Display>(v: &T) -> String {
    v.to_string().to_lowercase()
}

/// Every fact of the host with its record, in input order.
fn facts_of<'a>(
    records: &'a [SourcedRecord<'a>],
) -> impl Iterator<Item = (&'a SourcedRecord<'a>, &'a Fact)> + 'a {
    records
        .iter()
        .flat_map(|sr| sr.record.facts.iter().map(move |f| (sr, f)))
}

fn strings(
    records: &[SourcedRecord<'_>],
    key: Key,
    map: impl Fn(&str) -> Option<String>,
) -> Vec<Cand<String>> {
    facts_of(records)
        .filter(|(_, f)| f.key == key)
        .filter_map(|(sr, f)| {
            map(&f.value).map(|value| Cand {
                value,
                source: source(sr, f, None),
                priority: priority(sr.record.format, f.key),
            })
        })
        .collect()
}

/// Reconciles the records of one host.
pub(super) fn host(records: &[SourcedRecord<'_>]) -> Host {
    let mut findings = Vec::new();
    let mut host = Host::default();
    let labels = labels();

    host.name = pick(
        "the host name",
        strings(records, Key::HostName, |v| Some(v.trim().to_owned())),
        |v| super::host_key(v),
        &mut findings,
    );
    host.domain = pick(
        "the domain",
        strings(records, Key::Domain, |v| Some(v.trim().to_owned())),
        same,
        &mut findings,
    );
    host.locale = pick(
        "the system locale",
        strings(records, Key::Locale, |v| {
            Some(v.split(';').next().unwrap_or(v).trim().to_lowercase())
        }),
        // `0409` (wmic os) and `en-us` (systeminfo) are one locale.
        |v| crate::catalog::windows::facts().locale_language(v),
        &mut findings,
    );
    host.install_date = pick(
        "the install date",
        strings(records, Key::InstallDate, |v| Some(v.to_owned())),
        |_| String::new(),
        &mut findings,
    );
    host.product_id = pick(
        "the product ID",
        strings(records, Key::ProductId, |v| Some(v.trim().to_owned())),
        |v| v.to_ascii_uppercase(),
        &mut findings,
    );
    host.boot_time = pick(
        "the boot time",
        strings(records, Key::BootTime, |v| Some(v.to_owned())),
        |_| String::new(),
        &mut findings,
    );

    // Role: a specific role (member server) beats a generic one (server).
    let roles: Vec<Cand<Role>> = facts_of(records)
        .filter(|(_, f)| f.key == Key::Role)
        .filter_map(|(sr, f)| {
            let role = labels.role(&f.value).or(match f.value.trim() {
                "1" => Some(Role::Workstation),
                "2" => Some(Role::DomainController),
                "3" => Some(Role::Server),
                _ => None,
            })?;
            let specific = !matches!(role, Role::Server | Role::Workstation);
            Some(Cand {
                value: role,
                source: source(sr, f, None),
                priority: priority(sr.record.format, f.key) + if specific { 20 } else { 0 },
            })
        })
        .collect();
    host.role = pick(
        "the role",
        roles,
        |r| match r {
            Role::DomainController => "dc".into(),
            r if r.is_server() => "server".into(),
            _ => "workstation".into(),
        },
        &mut findings,
    );

    os(records, &mut host, &mut findings);
    host.updates = updates(records);
    host.update_list = records.iter().any(|sr| sr.record.lists_updates());
    host.servicing = super::servicing::read(records);
    host.sources = source_files(records);
    notes(records, &mut findings);
    checks(&mut host, &mut findings);
    host.findings = findings;
    host
}

fn os(records: &[SourcedRecord<'_>], host: &mut Host, findings: &mut Vec<Finding>) {
    let windows = facts();
    let mut nt: Vec<Cand<String>> = Vec::new();
    let mut build: Vec<Cand<u32>> = Vec::new();
    let mut revision: Vec<Cand<u32>> = Vec::new();
    let mut sp: Vec<Cand<u8>> = Vec::new();
    let mut arch: Vec<Cand<Arch>> = Vec::new();
    let mut labs: Vec<Cand<String>> = Vec::new();
    let mut products: Vec<Cand<String>> = Vec::new();
    let mut family: Vec<Cand<String>> = Vec::new();
    let mut edition: Vec<Cand<String>> = Vec::new();
    let mut installation: Vec<Cand<Installation>> = Vec::new();
    let mut says_64bit = None;

    for (sr, f) in facts_of(records) {
        let p = priority(sr.record.format, f.key);
        let src = |d: Option<&str>| source(sr, f, d.map(str::to_owned));
        match f.key {
            Key::VersionLine | Key::Version | Key::KernelVersion => {
                let parsed = if f.key == Key::VersionLine {
                    version::version_line(&f.value)
                } else {
                    version::dotted(&f.value).map(|d| (d, None))
                };
                let Some((d, stated_sp)) = parsed else {
                    continue;
                };
                nt.push(Cand {
                    value: d.nt_text(),
                    source: src(None),
                    priority: p,
                });
                if let Some(b) = d.build {
                    build.push(Cand {
                        value: b,
                        source: src(None),
                        priority: p,
                    });
                }
                if let Some(r) = d.revision {
                    revision.push(Cand {
                        value: r,
                        source: src(None),
                        priority: p,
                    });
                }
                if let Some(s) = stated_sp {
                    sp.push(Cand {
                        value: s,
                        source: src(None),
                        priority: p,
                    });
                } else if f.key == Key::VersionLine {
                    // systeminfo prints "Service Pack N" in this line when one
                    // is installed; without it (or with a localized "N/A")
                    // there is none.
                    sp.push(Cand {
                        value: 0,
                        source: src(Some("no service pack in the OS Version line")),
                        priority: p.saturating_sub(1),
                    });
                }
            }
            Key::Build => {
                if let Ok(b) = f.value.trim().parse::<u32>() {
                    build.push(Cand {
                        value: b,
                        source: src(None),
                        priority: p,
                    });
                }
            }
            Key::ServicePack => {
                if let Some(s) = version::service_pack(&f.value) {
                    sp.push(Cand {
                        value: s,
                        source: src(None),
                        priority: p,
                    });
                }
            }
            Key::Architecture => {
                if let Some(a) = version::arch(&f.value) {
                    arch.push(Cand {
                        value: a,
                        source: src(None),
                        priority: p,
                    });
                } else if version::is_64bit(&f.value) {
                    says_64bit = Some(src(None));
                }
            }
            Key::BuildLab | Key::BuildLabEx => {
                let Some(lab) = version::build_lab(&f.value) else {
                    continue;
                };
                let boost = if f.key == Key::BuildLabEx { 5 } else { 0 };
                labs.push(Cand {
                    value: f.value.trim().to_owned(),
                    source: src(None),
                    priority: p + boost,
                });
                build.push(Cand {
                    value: lab.build,
                    source: src(None),
                    priority: p,
                });
                if let Some(r) = lab.revision {
                    revision.push(Cand {
                        value: r,
                        source: src(None),
                        priority: p,
                    });
                }
                if let Some(a) = lab.arch {
                    arch.push(Cand {
                        value: a,
                        source: src(None),
                        priority: p,
                    });
                }
            }
            Key::ProductName => {
                let cleaned = product::clean(&f.value);
                let reading = product::read(&f.value);
                if let Some(fam) = reading.family {
                    family.push(Cand {
                        value: fam,
                        source: src(None),
                        priority: p,
                    });
                }
                if let Some(n) = reading.nt {
                    nt.push(Cand {
                        value: n,
                        source: src(Some("NT version of the product name")),
                        priority: 20,
                    });
                }
                if let Some(e) = reading.edition {
                    edition.push(Cand {
                        value: e,
                        source: src(None),
                        priority: p,
                    });
                }
                if reading.itanium {
                    arch.push(Cand {
                        value: Arch::Ia64,
                        source: src(Some("Itanium product name")),
                        priority: p,
                    });
                }
                products.push(Cand {
                    value: cleaned,
                    source: src(None),
                    priority: p,
                });
            }
            Key::Sku | Key::EditionId => {
                let sku = if f.key == Key::Sku {
                    f.value
                        .trim()
                        .parse::<u32>()
                        .ok()
                        .and_then(|n| windows.sku(n))
                } else {
                    windows.edition_id(&f.value)
                };
                let Some(sku) = sku else { continue };
                // SKU numbers and EditionIDs repeat across NT versions (28 is
                // Ultimate on Vista and on Windows 7): the table is NT 6.0's,
                // so a record that states another version is not read by it.
                let other_nt = sr.record.facts.iter().any(|x| match x.key {
                    Key::Version => !x.value.trim().starts_with("6.0"),
                    Key::Build => x
                        .value
                        .trim()
                        .parse::<u32>()
                        .is_ok_and(|b| !(6000..=6003).contains(&b)),
                    _ => false,
                });
                if other_nt {
                    continue;
                }
                family.push(Cand {
                    value: sku.family.clone(),
                    source: src(None),
                    priority: p,
                });
                edition.push(Cand {
                    value: sku.edition.clone(),
                    source: src(None),
                    priority: p,
                });
                let inst = if sku.core {
                    Installation::ServerCore
                } else {
                    Installation::Full
                };
                installation.push(Cand {
                    value: inst,
                    source: src(None),
                    priority: p,
                });
            }
            _ => {}
        }
    }

    let os = &mut host.os;
    os.build = pick("the build", build, same, findings);
    os.revision = pick("the kernel revision", revision, same, findings);
    if let Some(b) = &os.build {
        if let Some(n) = windows.nt_of_build(b.value) {
            let mut s = b.source.clone();
            s.derived = Some(format!("NT version of build {}", b.value));
            nt.push(Cand {
                value: n.to_owned(),
                source: s,
                priority: 15,
            });
        }
    }
    os.nt_version = pick("the NT version", nt, same, findings);
    if let Some(b) = &os.build {
        if sp.is_empty() {
            if let Some(s) = windows.build(b.value).and_then(|x| x.service_pack) {
                let mut src = b.source.clone();
                src.derived = Some(format!("service pack of build {}", b.value));
                sp.push(Cand {
                    value: s,
                    source: src,
                    priority: 10,
                });
            }
        }
    }
    os.service_pack = pick("the service pack", sp, same, findings);

    // The family from the NT version and the role, when no name or SKU says it.
    if family.is_empty() {
        if let (Some(n), Some(role)) = (&os.nt_version, &host.role) {
            if let Some(v) = windows.nt_version(&n.value) {
                let fam = if role.value.is_server() {
                    &v.server
                } else {
                    &v.client
                };
                let mut s = role.source.clone();
                s.derived = Some(format!("NT {} and the {} role", n.value, role.value));
                family.push(Cand {
                    value: fam.clone(),
                    source: s,
                    priority: 10,
                });
            }
        }
    }
    os.family = pick("the product family", family, same, findings);
    os.product_name = pick("the product name", products, |_| String::new(), findings);
    os.edition = pick("the edition", edition, same, findings);
    let is_server_2008 = os
        .family
        .as_ref()
        .is_some_and(|f| f.value == "windows-server-2008");
    os.installation = if is_server_2008 {
        pick("the installation type", installation, same, findings)
    } else {
        None
    };

    if arch.is_empty() {
        if let (Some(src), Some(name)) = (says_64bit, &os.product_name) {
            if !name.value.to_lowercase().contains("itanium") {
                let mut s = src;
                s.derived = Some("64-bit and not an Itanium product".into());
                arch.push(Cand {
                    value: Arch::X64,
                    source: s,
                    priority: 50,
                });
            }
        }
    }
    os.arch = pick("the architecture", arch, same, findings);

    os.build_lab = pick("the build lab string", labs, |_| String::new(), findings);
    let lab: Option<BuildLab> = os
        .build_lab
        .as_ref()
        .and_then(|l| version::build_lab(&l.value));
    os.build_lab_date = match (&lab, &os.build_lab) {
        (
            Some(BuildLab {
                compiled: Some(c), ..
            }),
            Some(l),
        ) => Some(Sourced {
            value: c.clone(),
            source: l.source.clone(),
        }),
        _ => None,
    };

    let mut branch: Vec<Cand<String>> = Vec::new();
    if let (Some(l), Some(src)) = (&lab, &os.build_lab) {
        if let Some(b) = version::branch_of_lab(&l.branch_name) {
            branch.push(Cand {
                value: b.to_owned(),
                source: src.source.clone(),
                priority: 60,
            });
        }
    }
    if let (Some(b), Some(r)) = (&os.build, &os.revision) {
        if let Some(br) = windows.branch(b.value, r.value) {
            let mut s = r.source.clone();
            s.derived = Some(format!(
                "revision {} is in the {br} range of build {}",
                r.value, b.value
            ));
            branch.push(Cand {
                value: br.to_owned(),
                source: s,
                priority: 70,
            });
        }
    }
    os.branch = pick("the servicing branch", branch, same, findings);
}

fn updates(records: &[SourcedRecord<'_>]) -> Vec<InstalledUpdate> {
    let mut out: Vec<InstalledUpdate> = Vec::new();
    for sr in records {
        for u in &sr.record.updates {
            let src = Source {
                file: sr.file.file.clone(),
                line: Some(u.line),
                format: sr.record.format,
                derived: None,
            };
            match out.iter_mut().find(|x| x.id == u.id) {
                Some(x) => {
                    if x.installed_on.is_none() {
                        x.installed_on.clone_from(&u.installed_on);
                    }
                    if x.description.is_none() {
                        x.description.clone_from(&u.description);
                    }
                    x.sources.push(src);
                }
                None => out.push(InstalledUpdate {
                    id: u.id.clone(),
                    installed_on: u.installed_on.clone(),
                    description: u.description.clone(),
                    sources: vec![src],
                }),
            }
        }
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

fn source_files(records: &[SourcedRecord<'_>]) -> Vec<SourceFile> {
    let mut out: Vec<SourceFile> = Vec::new();
    for sr in records {
        let sf = SourceFile {
            file: sr.file.file.clone(),
            format: sr.record.format,
            encoding: sr.file.encoding,
            language: sr.record.language.clone(),
        };
        if !out.contains(&sf) {
            out.push(sf);
        }
    }
    out
}

fn notes(records: &[SourcedRecord<'_>], findings: &mut Vec<Finding>) {
    for sr in records {
        for n in &sr.record.notes {
            let severity = match n.id {
                "fields-unread" | "capture-reformatted" => Severity::Info,
                _ => Severity::Warning,
            };
            let at = match n.line {
                Some(l) => format!("{}:{} ({})", sr.file.file, l, sr.record.format.name()),
                None => format!("{} ({})", sr.file.file, sr.record.format.name()),
            };
            findings.push(Finding::new(n.id, severity, n.message.clone()).with_sources(vec![at]));
        }
    }
}

/// Findings about the identity as a whole.
fn checks(host: &mut Host, findings: &mut Vec<Finding>) {
    let os = &host.os;
    let windows = facts();
    match &os.nt_version {
        None => findings.push(Finding::new(
            "os-unknown",
            Severity::Warning,
            "no evidence says which Windows this is (the files list updates only); add the host's systeminfo \
             output or the collector bundle",
        )),
        Some(v) if v.value != "6.0" => {
            let family = os.family.as_ref().map_or("another Windows", |f| f.value.as_str());
            findings.push(
                Finding::new(
                    "not-nt60",
                    Severity::Info,
                    format!("this is {family} (NT {}), not NT 6.0: lastrollup assesses Windows Server 2008 and Windows Vista only", v.value),
                )
                .with_sources(vec![v.source.to_string()]),
            );
        }
        Some(_) => {
            if os.arch.is_none() {
                findings.push(Finding::new(
                    "arch-unknown",
                    Severity::Info,
                    "the architecture could not be read from the evidence and is not guessed (a CPU line such as \
                     `x64 Family 6` does not make the OS x64); add systeminfo's `System Type` or the collector bundle",
                ));
            }
            if let (Some(b), Some(f)) = (&os.build, &os.family) {
                if b.value == 6001 && f.value == "windows-server-2008" {
                    findings.push(Finding::new(
                        "server-2008-rtm-is-sp1",
                        Severity::Info,
                        "build 6001 is Windows Server 2008 \"RTM\", which shipped with Service Pack 1 integrated; \
                         Service Pack 2 (build 6002) is needed before any later update installs",
                    ));
                }
            }
            if let (Some(b), Some(r)) = (&os.build, &os.revision) {
                if windows.has_branch_ranges(b.value) && windows.branch(b.value, r.value).is_none() {
                    findings.push(
                        Finding::new(
                            "revision-outside-known-range",
                            Severity::Warning,
                            format!(
                                "revision {} of build {} is outside the GDR (16384–20479) and LDR (20480–24575) \
                                 ranges Microsoft used: the kernel may be modified or the capture damaged",
                                r.value, b.value
                            ),
                        )
                        .with_sources(vec![r.source.to_string()]),
                    );
                }
            }
        }
    }
    let only_banners = host
        .sources
        .iter()
        .all(|s| s.format == Format::VersionStrings);
    if only_banners && !host.sources.is_empty() {
        findings.push(Finding::new(
            "evidence-partial",
            Severity::Info,
            "only version strings were given (a banner, a build string): they do not list installed updates and \
             may not say the edition or architecture; run systeminfo or the collector on the host",
        ));
    }
}
