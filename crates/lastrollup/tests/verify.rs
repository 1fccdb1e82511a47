//! `verify` on kits the tests build. Real Microsoft payloads are not at
//! hand, so the tests write their own files and a test catalog whose payload
//! data names them by their own SHA-1 (and SHA-256): a manifest built from
//! it, a complete kit, then one fault at a time — a wrong byte, a truncated
//! file, a renamed one, one for the other architecture, a missing and an
//! extra one, a link, a 10 GB sparse file, a name with a control character.
//! And a kit that `offline` would make for a real fixture, filled with wrong
//! bytes, is rejected file by file.

mod support;

use std::path::{Path, PathBuf};

use lastrollup::assess::{Goal, Step};
use lastrollup::catalog::{Catalog, CatalogSources, EMBEDDED};
use lastrollup::host::Arch;
use lastrollup::offline::verify::{self, Verdict};
use lastrollup::offline::{manifest, read, Manifest};

/// A fresh, empty folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lastrollup-verify-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("payloads")).unwrap();
    dir
}

fn digests(bytes: &[u8]) -> verify::Digests {
    verify::digest(bytes, &mut |_| {}).unwrap()
}

/// The SSU, the SHA-2 update and the final rollup for x64, as the test's files.
struct Payloads {
    ssu: Vec<u8>,
    sha2: Vec<u8>,
    rollup: Vec<u8>,
}

impl Payloads {
    fn new() -> Payloads {
        Payloads {
            ssu: (0..300_000u32).map(|i| (i % 251) as u8).collect(),
            sha2: b"test payload standing in for KB4474419 x64".repeat(1000),
            rollup: b"test payload standing in for KB5073697 x64".repeat(2000),
        }
    }

    fn ssu_name(&self) -> String {
        format!("windows6.0-kb4493730-x64_{}.msu", digests(&self.ssu).sha1)
    }

    fn sha2_name(&self) -> String {
        format!(
            "windows6.0-kb4474419-v4-x64_{}.msu",
            digests(&self.sha2).sha1
        )
    }

    fn rollup_name(&self, arch: &str) -> String {
        format!(
            "windows6.0-kb5073697-{arch}_{}.msu",
            digests(&self.rollup).sha1
        )
    }
}

/// The embedded catalog with the SSU's and SHA-2 update's x64 payload data
/// pointing at the test's files (the rollup's name stays unknown).
fn test_catalog(p: &Payloads) -> Catalog {
    let ssu = digests(&p.ssu);
    let sha2 = digests(&p.sha2);
    let text = EMBEDDED
        .payloads
        .replace("5cb91f4e9000383f061b80f88feffdf228c2443c", &ssu.sha1)
        .replace("09cb148f6ef10779d7352b7269d66a7f23019207", &sha2.sha1);
    // The SSU's SHA-256 (Legacy Update's) becomes the test file's.
    let text = replace_sha256(&text, &p.ssu_name(), &ssu.sha256);
    Catalog::parse(CatalogSources {
        payloads: &text,
        ..EMBEDDED
    })
    .unwrap()
}

/// Sets the `sha256` of the file entry named `name`.
fn replace_sha256(text: &str, name: &str, sha256: &str) -> String {
    let at = text.find(&format!("name = \"{name}\"")).expect("entry");
    let (head, tail) = text.split_at(at);
    let s = tail.find("sha256 = \"").expect("sha256 line");
    let end = s + "sha256 = \"".len() + 64;
    format!("{head}{}sha256 = \"{sha256}{}", &tail[..s], &tail[end..])
}

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

/// The manifest for one x64 host that needs the three updates.
fn test_manifest(catalog: &Catalog) -> Manifest {
    let mut plan = vec![step(4493730), step(4474419), step(5073697)];
    plan.push(Step {
        kb: None,
        kind: "reboot",
        ..step(0)
    });
    let host = manifest::HostPlan {
        id: "test-host".into(),
        name: Some("TEST-HOST".into()),
        product: Some("Windows Server 2008 SP2".into()),
        family: Some("windows-server-2008".into()),
        arch: Some(Arch::X64),
        excluded: None,
        empty_plan: None,
        plan: &plan,
    };
    manifest::build(
        &[host],
        catalog,
        jiff::civil::date(2026, 6, 30),
        Goal::Final,
    )
}

/// A complete kit in `dir`; its manifest read back with `catalog`.
fn write_kit(dir: &Path, p: &Payloads, catalog: &Catalog) -> Manifest {
    let m = test_manifest(catalog);
    std::fs::write(dir.join("manifest.json"), manifest::to_json(&m)).unwrap();
    let pay = dir.join("payloads");
    std::fs::write(pay.join(p.ssu_name()), &p.ssu).unwrap();
    std::fs::write(pay.join(p.sha2_name()), &p.sha2).unwrap();
    std::fs::write(pay.join(p.rollup_name("x64")), &p.rollup).unwrap();
    let bytes = std::fs::read(dir.join("manifest.json")).unwrap();
    read::parse("manifest.json", &bytes, catalog).unwrap()
}

fn run(dir: &Path, m: &Manifest) -> verify::Report {
    let listing = verify::list(&dir.join("payloads")).unwrap();
    let mut seen = 0;
    let total = listing.bytes_to_read();
    let hashed = verify::hash_all(listing, &mut |n| seen += n);
    assert_eq!(seen, total, "progress covers every byte read");
    let report = verify::check(m, &hashed);
    // Every report the tests make holds to the published schema, with the
    // `seconds` the command line adds.
    let mut json = serde_json::to_value(&report).unwrap();
    json["seconds"] = serde_json::json!(0.25);
    support::json_schema::check_against(
        &support::json_schema::schema_file("verify-1.schema.json"),
        &json.to_string(),
        dir.to_string_lossy().as_ref(),
    );
    report
}

/// The verdict of the line about KB `kb` (or about file `file`).
fn verdict_of(r: &verify::Report, kb: u32, arch: Arch) -> Verdict {
    r.checks
        .iter()
        .find(|c| c.kb == Some(kb) && c.arch == Some(arch))
        .unwrap_or_else(|| panic!("no line for KB{kb} {arch}: {r:#?}"))
        .verdict
}

#[test]
fn a_complete_kit_verifies_and_names_what_was_checked() {
    let p = Payloads::new();
    let catalog = test_catalog(&p);
    let dir = scratch("complete");
    let m = write_kit(&dir, &p, &catalog);
    assert_eq!(m.files.len(), 3);
    assert!(
        m.files[2].file_name.is_none(),
        "the rollup's name stays unknown"
    );
    let r = run(&dir, &m);
    assert!(r.complete, "{r:#?}");
    assert_eq!((r.ok, r.expected), (3, 3));
    assert_eq!(r.checks[0].checked, ["name", "catalog", "sha256"]);
    assert_eq!(r.checks[1].checked, ["name", "catalog"]);
    assert_eq!(r.checks[2].checked, ["name"]);
    assert!(r.checks[2].reason.contains("its own name only"));
    // The same manifest against the real catalog data: refused as edited.
    let bytes = std::fs::read(dir.join("manifest.json")).unwrap();
    let e = read::parse("manifest.json", &bytes, Catalog::embedded()).unwrap_err();
    assert!(e.message.contains("was the manifest edited"), "{e}");
    std::fs::remove_dir_all(&dir).ok();
}

/// A complete kit with one fault made by `fault`, verified.
fn with_fault(name: &str, fault: impl FnOnce(&Path, &Payloads)) -> verify::Report {
    let p = Payloads::new();
    let catalog = test_catalog(&p);
    let dir = scratch(name);
    let m = write_kit(&dir, &p, &catalog);
    fault(&dir.join("payloads"), &p);
    let r = run(&dir, &m);
    std::fs::remove_dir_all(&dir).ok();
    assert!(!r.complete, "{name}: {r:#?}");
    r
}

#[test]
fn a_wrong_byte_is_corruption() {
    let r = with_fault("byte", |dir, p| {
        let mut bytes = p.ssu.clone();
        bytes[123_456] ^= 1;
        std::fs::write(dir.join(p.ssu_name()), bytes).unwrap();
    });
    assert_eq!(verdict_of(&r, 4493730, Arch::X64), Verdict::Corrupted);
    assert_eq!(verdict_of(&r, 4474419, Arch::X64), Verdict::Ok);
    assert_eq!(r.ok, 2);
}

#[test]
fn a_truncated_file_is_corruption() {
    let r = with_fault("truncated", |dir, p| {
        std::fs::write(dir.join(p.sha2_name()), &p.sha2[..p.sha2.len() / 2]).unwrap();
    });
    let c = r.checks.iter().find(|c| c.kb == Some(4474419)).unwrap();
    assert_eq!(c.verdict, Verdict::Corrupted);
    assert!(c.reason.contains("truncated"), "{}", c.reason);
}

#[test]
fn a_renamed_file_is_found_by_its_content() {
    let r = with_fault("renamed", |dir, p| {
        std::fs::rename(dir.join(p.ssu_name()), dir.join("KB4493730-x64.msu")).unwrap();
    });
    let c = r.checks.iter().find(|c| c.kb == Some(4493730)).unwrap();
    assert_eq!(c.verdict, Verdict::Renamed);
    assert_eq!(c.file.as_deref(), Some("KB4493730-x64.msu"));
    assert!(
        c.reason.contains(&Payloads::new().ssu_name()),
        "{}",
        c.reason
    );
}

#[test]
fn a_file_for_the_other_architecture_is_named() {
    let r = with_fault("arch", |dir, p| {
        std::fs::rename(
            dir.join(p.rollup_name("x64")),
            dir.join(p.rollup_name("x86")),
        )
        .unwrap();
    });
    assert_eq!(verdict_of(&r, 5073697, Arch::X64), Verdict::Missing);
    assert_eq!(
        verdict_of(&r, 5073697, Arch::X86),
        Verdict::OtherArchitecture
    );
}

#[test]
fn a_missing_and_an_extra_file_are_named() {
    let r = with_fault("missing", |dir, p| {
        std::fs::remove_file(dir.join(p.sha2_name())).unwrap();
        std::fs::write(dir.join("notes.txt"), b"not an update").unwrap();
    });
    assert_eq!(verdict_of(&r, 4474419, Arch::X64), Verdict::Missing);
    let extra = r
        .checks
        .iter()
        .find(|c| c.file.as_deref() == Some("notes.txt"))
        .unwrap();
    assert_eq!(extra.verdict, Verdict::Unexpected);
}

#[test]
fn an_unknown_name_with_the_wrong_content_is_corruption() {
    let r = with_fault("unknown-corrupt", |dir, p| {
        std::fs::write(dir.join(p.rollup_name("x64")), b"something else").unwrap();
    });
    assert_eq!(verdict_of(&r, 5073697, Arch::X64), Verdict::Corrupted);
}

#[test]
fn a_second_file_for_one_update_is_unexpected() {
    let r = with_fault("second", |dir, _| {
        let other = format!("windows6.0-kb5073697-x64_{}.msu", digests(b"x").sha1);
        std::fs::write(dir.join(other), b"x").unwrap();
    });
    let second = r
        .checks
        .iter()
        .find(|c| c.order.is_none() && c.kb == Some(5073697))
        .unwrap();
    assert_eq!(second.verdict, Verdict::Unexpected);
    assert!(second.reason.contains("second file"), "{}", second.reason);
}

#[cfg(unix)]
#[test]
fn links_are_reported_and_never_followed() {
    let outside =
        std::env::temp_dir().join(format!("lastrollup-verify-outside-{}", std::process::id()));
    std::fs::write(&outside, Payloads::new().ssu).unwrap();
    let target = outside.clone();
    let r = with_fault("symlink", move |dir, p| {
        // The expected name, linked to a file outside the kit with the
        // right content: still refused.
        std::fs::remove_file(dir.join(p.ssu_name())).unwrap();
        std::os::unix::fs::symlink(&target, dir.join(p.ssu_name())).unwrap();
    });
    std::fs::remove_file(&outside).ok();
    assert_eq!(verdict_of(&r, 4493730, Arch::X64), Verdict::Symlink);
    // A payloads folder that is a link is not a kit.
    let dir = scratch("linked-folder");
    std::fs::remove_dir(dir.join("payloads")).unwrap();
    std::os::unix::fs::symlink(std::env::temp_dir(), dir.join("payloads")).unwrap();
    let e = verify::list(&dir.join("payloads")).unwrap_err();
    assert!(e.to_string().contains("not followed"), "{e}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_huge_file_is_not_read() {
    let r = with_fault("huge", |dir, p| {
        // 10 GB, sparse: set_len writes nothing.
        let f = std::fs::File::create(dir.join(p.rollup_name("x64"))).unwrap();
        f.set_len(10_000_000_000).unwrap();
    });
    let c = r.checks.iter().find(|c| c.kb == Some(5073697)).unwrap();
    assert_eq!(c.verdict, Verdict::TooLarge);
    assert!(
        r.bytes < 1_000_000,
        "the big file was read: {} bytes",
        r.bytes
    );
}

#[cfg(unix)]
#[test]
fn names_with_control_characters_are_not_read() {
    let r = with_fault("control", |dir, _| {
        std::fs::write(dir.join("evil\nname.msu"), b"x").unwrap();
        // A backslash is a path separator on the machine the kit goes to.
        std::fs::write(dir.join("..\\evil.msu"), b"x").unwrap();
    });
    let unsafe_names: Vec<&str> = r
        .checks
        .iter()
        .filter(|c| c.verdict == Verdict::UnsafeName)
        .filter_map(|c| c.file.as_deref())
        .collect();
    assert_eq!(unsafe_names, ["..\\\\evil.msu", "evil\\nname.msu"]);
}

#[test]
fn the_digest_streams_in_blocks() {
    let data: Vec<u8> = (0..3_500_000u32).map(|i| (i * 7 % 256) as u8).collect();
    let mut calls = 0;
    let mut total = 0;
    let d = verify::digest(&data[..], &mut |n| {
        calls += 1;
        total += n;
    })
    .unwrap();
    assert!(calls >= 4, "{calls} blocks");
    assert_eq!(total, data.len() as u64);
    assert_eq!(d.bytes, data.len() as u64);
    // Known answers: the empty input.
    let e = digests(b"");
    assert_eq!(e.sha1, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    assert_eq!(
        e.sha256,
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
}

#[test]
fn a_real_fixture_kit_with_wrong_bytes_is_rejected_file_by_file() {
    use lastrollup::assess::Options;
    use lastrollup::fleet;
    let path = support::fixtures().join("offline/SRV-SP1-systeminfo.txt");
    let (files, errors) = fleet::walk::walk(&[path]);
    let (read_files, _) = fleet::walk::read_all(&files);
    let catalog = Catalog::embedded();
    let kev = lastrollup::assess::exposure::EmbeddedKev(catalog);
    let options = Options {
        as_of: jiff::civil::date(2026, 6, 30),
        goal: Goal::Final,
    };
    let report = fleet::assess(&read_files, &errors, catalog, &kev, options);
    let m = manifest::build(
        &manifest::host_plans(&report, catalog),
        catalog,
        options.as_of,
        options.goal,
    );
    assert!(m.files.len() >= 6);
    let dir = scratch("fixture");
    std::fs::write(dir.join("manifest.json"), manifest::to_json(&m)).unwrap();
    let m = read::parse(
        "manifest.json",
        &std::fs::read(dir.join("manifest.json")).unwrap(),
        catalog,
    )
    .unwrap();
    for f in &m.files {
        // The expected name, or a well-formed catalog name whose digest is
        // not that of the content.
        let name = f.file_name.clone().unwrap_or_else(|| {
            f.name_pattern
                .replace("<sha1>", "0123456789abcdef0123456789abcdef01234567")
        });
        std::fs::write(dir.join("payloads").join(name), format!("not KB{}", f.kb)).unwrap();
    }
    let r = run(&dir, &m);
    std::fs::remove_dir_all(&dir).ok();
    assert!(!r.complete);
    assert_eq!(r.checks.len(), m.files.len(), "{r:#?}");
    for c in &r.checks {
        assert_eq!(c.verdict, Verdict::Corrupted, "{c:?}");
    }
}

#[test]
fn another_build_of_a_named_update_is_not_taken_for_it() {
    // The SSU under another (well-formed) catalog name: another build.
    let r = with_fault("other-build", |dir, p| {
        std::fs::remove_file(dir.join(p.ssu_name())).unwrap();
        let other = b"another build of KB4493730 x64";
        let name = format!("windows6.0-kb4493730-x64_{}.msu", digests(other).sha1);
        std::fs::write(dir.join(name), other).unwrap();
    });
    assert_eq!(verdict_of(&r, 4493730, Arch::X64), Verdict::Missing);
    let stray = r
        .checks
        .iter()
        .find(|c| c.order.is_none() && c.kb == Some(4493730))
        .unwrap();
    assert_eq!(stray.verdict, Verdict::Unexpected);
    assert!(stray.reason.contains("another build"), "{}", stray.reason);
}
