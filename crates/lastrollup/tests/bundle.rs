//! Collector bundles end to end: split, every section parsed by its own
//! parser with the bundle's line numbers, the servicing state, and the
//! assessment that uses it.

mod support;

use lastrollup::assess::{assess, Goal, Options};
use lastrollup::catalog::Catalog;
use lastrollup::evidence::{read_file, Format, TextEncoding};
use lastrollup::host::{self, Host};

const AS_OF: Options = Options {
    as_of: jiff::civil::date(2026, 11, 23),
    goal: Goal::Final,
};

fn bundle(name: &str) -> Vec<u8> {
    std::fs::read(support::fixtures().join("bundle").join(name)).expect("bundle fixture")
}

fn host_of(bytes: &[u8]) -> Host {
    let file = read_file("bundle.txt", bytes).expect("a bundle reads");
    assert_eq!(file.encoding, TextEncoding::Mixed);
    let mut hosts = host::identify(&[file]);
    assert_eq!(hosts.len(), 1, "one bundle is one host");
    hosts.remove(0)
}

fn ids(a: &lastrollup::assess::Assessment) -> Vec<&'static str> {
    a.findings.iter().map(|f| f.id).collect()
}

#[test]
fn a_server_bundle_reads_every_section() {
    let bytes = bundle("PLANT-HIST02.lastrollup.txt");
    let file = read_file("PLANT-HIST02.lastrollup.txt", &bytes).unwrap();
    let formats: Vec<Format> = file.records.iter().map(|r| r.format).collect();
    for f in [
        Format::SysteminfoList,
        Format::WmicOsList,
        Format::WmicQfeList,
        Format::RegQuery,
        Format::CollectorBundle,
    ] {
        assert!(formats.contains(&f), "{f:?} missing from {formats:?}");
    }
    let h = host_of(&bytes);
    assert_eq!(support::text(&h.name), "PLANT-HIST02");
    assert_eq!(support::text(&h.os.family), "windows-server-2008");
    assert_eq!(support::text(&h.os.arch), "x64");
    assert_eq!(support::text(&h.os.build), "6003");
    assert_eq!(support::text(&h.os.revision), "22413");
    // The revision comes from the ntoskrnl section, on its bundle line.
    let rev = h.os.revision.as_ref().unwrap();
    let line = rev.source.line.unwrap() as usize;
    let text = String::from_utf8_lossy(&bytes);
    assert!(
        text.lines().count() > line,
        "line {line} is inside the bundle"
    );
    assert!(h.updates.iter().any(|u| u.id.kb() == Some(5034173)));
    let s = &h.servicing;
    assert_eq!(support::text(&s.stack_version), "6.0.6003.21569");
    assert_eq!(s.sha2_support.as_ref().map(|v| v.value), Some(true));
    assert_eq!(s.reboot_pending(), Some(true));
    assert_eq!(s.esu_licensed(), Some(true));
    // No false disagreement between wmic's LCID and systeminfo's locale name.
    assert!(
        !h.findings.iter().any(|f| f.id == "sources-disagree"),
        "{:?}",
        h.findings
    );
}

#[test]
fn a_server_bundle_is_assessed_with_its_servicing_state() {
    let h = host_of(&bundle("PLANT-HIST02.lastrollup.txt"));
    let a = assess(&h, Catalog::embedded(), AS_OF);
    let b = a.baseline.as_ref().unwrap();
    assert_eq!(b.month.map(|m| m.to_string()).as_deref(), Some("2024-01"));
    // The rollup is installed, but the restart is pending: the kernel is still December's.
    assert!(ids(&a).contains(&"reboot-pending"), "{:?}", ids(&a));
    assert!(
        ids(&a).contains(&"revision-below-installed"),
        "{:?}",
        ids(&a)
    );
    assert!(!ids(&a).contains(&"esu-not-licensed"));
    let plan: Vec<&str> = a.missing.iter().filter_map(|s| s.kb.as_deref()).collect();
    for present in ["KB4493730", "KB4474419", "KB4538484"] {
        assert!(!plan.contains(&present), "{present} in {plan:?}");
    }
    assert!(plan.contains(&"KB5073697"));
    // The pending restart comes first; years 1-3 do not reach 2026-01.
    assert_eq!(a.missing[0].kind, "reboot");
    assert!(ids(&a).contains(&"esu-coverage"), "{:?}", ids(&a));
    let report = lastrollup::report::check::build(
        std::slice::from_ref(&h),
        std::slice::from_ref(&a),
        &[],
        AS_OF.as_of,
        AS_OF.goal,
    );
    insta::assert_snapshot!(
        "bundle_plant_hist02_check",
        lastrollup::report::check::to_json(&report)
    );
}

#[test]
fn a_missing_esu_licence_is_a_finding() {
    let bytes = bundle("PLANT-HIST02.lastrollup.txt");
    let text = String::from_utf8_lossy(&bytes).into_owned();
    assert!(text.contains("ESU-Year"), "the fixture has ESU add-ons");
    // Same host, with no ESU add-on in `slmgr /dlv all` (byte-level edit
    // keeps the UTF-16 sections intact: the names are in the OEM section).
    let edited = replace_bytes(&bytes, b"ESU-Year", b"XYZ-Year");
    let h = host_of(&edited);
    assert_eq!(h.servicing.esu_licensed(), Some(false));
    let a = assess(&h, Catalog::embedded(), AS_OF);
    assert!(ids(&a).contains(&"esu-not-licensed"), "{:?}", ids(&a));
    // Up to the last update without ESU, no licence is needed.
    let w = assess(
        &h,
        Catalog::embedded(),
        Options {
            goal: Goal::WithoutEsu,
            ..AS_OF
        },
    );
    assert!(!ids(&w).contains(&"esu-not-licensed"), "{:?}", ids(&w));
}

#[test]
fn the_servicing_stack_version_says_which_ssus_the_host_has() {
    let bytes = bundle("PLANT-HIST02.lastrollup.txt");
    let c = Catalog::embedded();
    let ssu_step = |bytes: &[u8]| {
        let h = host_of(bytes);
        let a = assess(&h, c, AS_OF);
        a.missing.into_iter().find(|s| s.kind == "ssu")
    };
    // 6.0.6003.21569 is KB5016129's stack (the bundle also lists KB5016129);
    // the newest confirmed SSU (2024-06) has no known stack version, so it is
    // still planned, and the reason says what the stack shows.
    let step = ssu_step(&bytes).expect("an SSU step");
    assert!(
        step.reason
            .contains("6.0.6003.21569 is that of KB5016129 (2022-07)"),
        "{}",
        step.reason
    );
    // Only the stack version, no SSU on the update lists: 6.0.6003.20951 is
    // KB4580971's (2020-10) and proves every SSU up to it, KB4493730 included.
    let mut edited = bytes.clone();
    for kb in [&b"KB4493730"[..], b"KB4536953", b"KB5016129"] {
        edited = replace_bytes(&edited, kb, b"KB9999999");
    }
    let edited = replace_bytes(&edited, b"6.0.6003.21569", b"6.0.6003.20951");
    let h = host_of(&edited);
    let a = assess(&h, c, AS_OF);
    let plan: Vec<&str> = a.missing.iter().filter_map(|s| s.kb.as_deref()).collect();
    assert!(!plan.contains(&"KB4493730"), "{plan:?}");
    let step = a
        .missing
        .iter()
        .find(|s| s.kind == "ssu")
        .expect("an SSU step");
    assert!(
        step.reason
            .contains("6.0.6003.20951 is that of KB4580971 (2020-10)"),
        "{}",
        step.reason
    );
    let kb4580971 = c.update(4580971).unwrap();
    let stack = lastrollup::catalog::BuildRevision::parse("6.0.6003.20951").unwrap();
    let arch = lastrollup::host::Arch::X64;
    assert_eq!(
        c.ssu_for_stack("windows-server-2008-sp2", arch, stack)
            .map(|u| u.kb),
        Some(kb4580971.kb)
    );
    // One revision below it: the SSU before it with a known stack version.
    let below = lastrollup::catalog::BuildRevision::parse("6.0.6003.20950").unwrap();
    assert_eq!(
        c.ssu_for_stack("windows-server-2008-sp2", arch, below)
            .map(|u| u.kb),
        Some(4572374)
    );
    // Below the first SSU's stack, nothing is proved.
    let sp2 = lastrollup::catalog::BuildRevision::parse("6.0.6002.18005").unwrap();
    assert_eq!(c.ssu_for_stack("windows-server-2008-sp2", arch, sp2), None);
}

fn replace_bytes(hay: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(hay.len());
    let mut i = 0;
    while i < hay.len() {
        if hay[i..].starts_with(from) {
            out.extend_from_slice(to);
            i += from.len();
        } else {
            out.push(hay[i]);
            i += 1;
        }
    }
    out
}

#[test]
fn a_vista_bundle() {
    let h = host_of(&bundle("VISTA-LAB04.lastrollup.txt"));
    assert_eq!(support::text(&h.os.family), "windows-vista");
    assert_eq!(h.servicing.reboot_pending(), Some(false));
    assert_eq!(
        h.servicing.sha2_support.as_ref().map(|v| v.value),
        Some(false)
    );
    let a = assess(&h, Catalog::embedded(), AS_OF);
    assert!(ids(&a).contains(&"no-rollups"));
    assert!(
        !ids(&a).contains(&"esu-not-licensed"),
        "Vista never had ESU: {:?}",
        ids(&a)
    );
}

#[test]
fn a_cut_bundle_reads_what_it_has_and_says_so() {
    let bytes = bundle("PLANT-HIST02.lastrollup.txt");
    let cut = &bytes[..bytes.len() / 3];
    let file = read_file("cut.txt", cut).unwrap();
    let notes: Vec<&str> = file
        .records
        .iter()
        .flat_map(|r| r.notes.iter().map(|n| n.id))
        .collect();
    assert!(notes.contains(&"capture-truncated"), "{notes:?}");
    assert!(file
        .records
        .iter()
        .any(|r| r.format == Format::SysteminfoList));
}
