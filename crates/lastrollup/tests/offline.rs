//! Offline kits: manifests for fixtures of each kind (a Server 2008 "RTM" =
//! SP1 host, a 6002 host, a 2024-01 host, a Vista SP1 host and the mixed
//! fleet of all four), snapshotted; each host's plan order kept; DOWNLOAD.txt
//! and README.txt; reading a manifest back, hand-edited and hostile ones
//! refused.

mod support;

use std::path::PathBuf;

use lastrollup::assess::{Goal, Options};
use lastrollup::catalog::Catalog;
use lastrollup::fleet;
use lastrollup::offline::{download, manifest, read, readme, Manifest};

fn fixture(name: &str) -> PathBuf {
    support::fixtures().join("offline").join(name)
}

/// The manifest for the captures under `paths`, as of 2026-06-30.
fn manifest_of(paths: &[PathBuf], goal: Goal) -> (Manifest, fleet::FleetReport<'static>) {
    let (files, mut errors) = fleet::walk::walk(paths);
    let (read, more) = fleet::walk::read_all(&files);
    errors.extend(more);
    assert!(errors.is_empty(), "{errors:?}");
    let catalog = Catalog::embedded();
    let options = Options {
        as_of: jiff::civil::date(2026, 6, 30),
        goal,
    };
    static KEV: std::sync::OnceLock<lastrollup::assess::exposure::EmbeddedKev<'static>> =
        std::sync::OnceLock::new();
    let kev = KEV.get_or_init(|| lastrollup::assess::exposure::EmbeddedKev(Catalog::embedded()));
    let report = fleet::assess(&read, &errors, catalog, kev, options);
    let m = manifest::build(
        &manifest::host_plans(&report, catalog),
        catalog,
        options.as_of,
        goal,
    );
    (m, report)
}

/// Every host's plan, restarts left out, appears in the manifest in the
/// same order, and a plan's restart between two steps is a stage boundary.
fn assert_plans_kept(m: &Manifest, report: &fleet::FleetReport<'_>) {
    for h in &report.hosts {
        let plan = &report.profiles[h.profile].plan;
        let kit = m.hosts.iter().find(|k| k.id == h.id).unwrap();
        let arch = kit.arch;
        let mut last_stage = 0;
        let mut last_order = 0;
        let mut restart = false;
        for s in plan {
            let Some(kb) = s.kb.as_deref() else {
                restart = true;
                continue;
            };
            let kb: u32 = kb[2..].parse().unwrap();
            let f = m
                .files
                .iter()
                .find(|f| f.kb == kb && Some(f.arch) == arch)
                .unwrap_or_else(|| panic!("{}: KB{kb} not in the kit", h.id));
            assert!(f.order > last_order, "{}: KB{kb} out of order", h.id);
            assert!(f.hosts.contains(&h.id));
            assert!(kit.files.contains(&f.order));
            if restart && last_order > 0 {
                assert!(f.stage > last_stage, "{}: no restart before KB{kb}", h.id);
            }
            restart = false;
            last_stage = f.stage;
            last_order = f.order;
        }
    }
}

#[test]
fn manifests_for_each_kind_of_host() {
    for (name, file) in [
        ("sp1", "SRV-SP1-systeminfo.txt"),
        ("6002", "SRV-6002-systeminfo.txt"),
        ("2024-01", "SRV-2401-systeminfo.txt"),
        ("vista-sp1", "VISTA-SP1-systeminfo.txt"),
    ] {
        let (m, report) = manifest_of(&[fixture(file)], Goal::Final);
        assert_plans_kept(&m, &report);
        insta::assert_snapshot!(format!("offline_manifest_{name}"), manifest::to_json(&m));
    }
}

#[test]
fn the_fleet_kit_merges_the_plans() {
    let (m, report) = manifest_of(&[support::fixtures().join("offline")], Goal::Final);
    assert_plans_kept(&m, &report);
    assert_eq!(m.hosts.len(), 4);
    // Service packs first, alone in their stage; then one stage for the rest.
    assert_eq!(m.files[0].kind, "service_pack");
    assert_eq!(m.stages.len(), 2);
    assert!(m.stages[0]
        .files
        .iter()
        .all(|o| m.files[o - 1].kind == "service_pack"));
    // A file both architectures need is listed once per architecture.
    let rollups: Vec<_> = m.files.iter().filter(|f| f.kb == 5073697).collect();
    assert_eq!(rollups.len(), 2);
    insta::assert_snapshot!("offline_manifest_fleet", manifest::to_json(&m));
    insta::assert_snapshot!("offline_download_fleet", download::render(&m));
    insta::assert_snapshot!("offline_readme_fleet", readme::render(&m));
}

#[test]
fn without_esu_the_kit_stops_at_2020_01() {
    let (m, _) = manifest_of(&[fixture("SRV-6002-systeminfo.txt")], Goal::WithoutEsu);
    assert!(m.files.iter().any(|f| f.kb == 4534303));
    assert!(!m.files.iter().any(|f| f.kind == "esu_prep"));
    // KB4534303's name is public: the kit names it.
    let f = m.files.iter().find(|f| f.kb == 4534303).unwrap();
    assert!(f.name_known, "{f:?}");
}

#[test]
fn known_and_unknown_names() {
    let (m, _) = manifest_of(&[fixture("SRV-SP1-systeminfo.txt")], Goal::Final);
    let sp2 = m.files.iter().find(|f| f.kb == 948465).unwrap();
    assert_eq!(
        sp2.file_name.as_deref(),
        Some("windows6.0-kb948465-x64_2eedca0bfa5ae8d1b0acf2117ddc4f15ac5183c9.exe")
    );
    assert!(sp2.sha256.is_some());
    let rollup = m.files.iter().find(|f| f.kb == 5073697).unwrap();
    assert!(!rollup.name_known && rollup.file_name.is_none() && rollup.sha1.is_none());
    assert_eq!(rollup.name_pattern, "windows6.0-kb5073697-x64_<sha1>.msu");
    let text = download::render(&m);
    assert!(
        text.contains("Search.aspx?q=KB5073697+Windows+Server+2008+x64"),
        "{text}"
    );
}

#[test]
fn a_manifest_reads_back_as_written() {
    let (m, _) = manifest_of(&[support::fixtures().join("offline")], Goal::Final);
    let json = manifest::to_json(&m);
    let back = read::parse("manifest.json", json.as_bytes(), Catalog::embedded()).unwrap();
    assert_eq!(back, m);
}

/// The fleet manifest's JSON with `from` replaced by `to` (once).
fn edited(from: &str, to: &str) -> String {
    let (m, _) = manifest_of(&[support::fixtures().join("offline")], Goal::Final);
    let json = manifest::to_json(&m);
    let out = json.replacen(from, to, 1);
    assert_ne!(out, json, "the edit must change the manifest: {from}");
    out
}

fn refused(json: &str) -> read::ManifestError {
    read::parse("kit/manifest.json", json.as_bytes(), Catalog::embedded()).unwrap_err()
}

#[test]
fn hostile_and_hand_edited_manifests_are_refused() {
    let sp2 = "windows6.0-kb948465-x64_2eedca0bfa5ae8d1b0acf2117ddc4f15ac5183c9.exe";
    let cases = [
        (format!("\"file_name\": \"{sp2}\""), format!("\"file_name\": \"../{sp2}\""), "not a plain file name"),
        (format!("\"file_name\": \"{sp2}\""), format!("\"file_name\": \"/tmp/{sp2}\""), "not a plain file name"),
        (format!("\"file_name\": \"{sp2}\""), format!("\"file_name\": \"C:\\\\x\\\\{sp2}\""), "not a plain file name"),
        (format!("\"file_name\": \"{sp2}\""), format!("\"file_name\": \"..\\\\{sp2}\""), "not a plain file name"),
        (format!("\"file_name\": \"{sp2}\""), "\"file_name\": \"evil\\u0007.exe\"".to_string(), "not a plain file name"),
        (format!("\"file_name\": \"{sp2}\""), "\"file_name\": \"payload.exe\"".to_string(), "not an Update Catalog name"),
        // Another file with a self-consistent name and digest: not what the catalog expects.
        (
            format!("\"file_name\": \"{sp2}\",\n      \"sha1\": \"2eedca0bfa5ae8d1b0acf2117ddc4f15ac5183c9\""),
            "\"file_name\": \"windows6.0-kb948465-x64_0000000000000000000000000000000000000000.exe\",\n      \"sha1\": \"0000000000000000000000000000000000000000\"".to_string(),
            "was the manifest edited",
        ),
        ("\"sha1\": \"2eedca0bfa5ae8d1b0acf2117ddc4f15ac5183c9\"".into(), "\"sha1\": \"2eedca0bfa5ae8d1b0acf2117ddc4f15ac5183c8\"".into(), "not the digest in"),
        ("\"schema\": \"lastrollup.offline/1\"".into(), "\"schema\": \"lastrollup.offline/9\"".into(), "schema is"),
        ("\"kind\": \"service_pack\"".into(), "\"kind\": \"monthly_rollup\"".into(), "the catalog says"),
        ("\"order\": 2,".into(), "\"order\": 7,".into(), "order is 7"),
        ("\"kb\": 948465,".into(), "\"kb\": 1234567,".into(), "no such update"),
    ];
    for (from, to, message) in cases {
        let e = refused(&edited(&from, &to));
        assert!(e.message.contains(message), "{to}: {e}");
        assert_eq!(e.file, "kit/manifest.json");
    }
}

#[test]
fn json_errors_name_the_line_and_column() {
    let broken = edited("\"stage\": 1,", "\"stage\": 1,,");
    let e = refused(&broken);
    let line = broken.lines().position(|l| l.contains(",,")).unwrap() + 1;
    assert_eq!(e.line, Some(line), "{e}");
    assert!(e.column.is_some());
    assert!(
        e.to_string()
            .starts_with(&format!("kit/manifest.json:{line}:")),
        "{e}"
    );
    let e = refused("[]");
    assert!(
        e.message.contains("not a lastrollup.offline/1 manifest"),
        "{e}"
    );
    let e = refused(&" ".repeat(read::MAX_MANIFEST_BYTES + 1));
    assert!(e.message.contains("larger than any manifest"), "{e}");
}

#[test]
fn hosts_that_cannot_be_served_are_named() {
    // An R2 host is not NT 6.0: it is in the manifest, excluded, with why.
    let (m, _) = manifest_of(
        &[support::fixtures().join("check/r2-systeminfo.txt")],
        Goal::Final,
    );
    assert_eq!(m.hosts.len(), 1);
    assert!(m.hosts[0].excluded.is_some(), "{:?}", m.hosts[0]);
    assert!(m.files.is_empty());
    assert!(readme::render(&m).contains("nothing in this kit"));
}

#[test]
fn the_install_script_plan_follows_the_manifest() {
    use lastrollup::advisory::Family;
    use lastrollup::host::Arch;
    use lastrollup::offline::{install_script, script};
    let catalog = Catalog::embedded();
    let (m, _) = manifest_of(&[support::fixtures().join("offline")], Goal::Final);
    let plan = script::script_plan(&m, catalog).unwrap();
    let archs: Vec<Arch> = plan.targets.iter().map(|t| t.arch).collect();
    assert_eq!(archs, [Arch::X86, Arch::X64]);
    // x86: the Vista SP1 host and the 6002 server.
    assert_eq!(
        plan.targets[0].families,
        [Family::WindowsServer2008, Family::WindowsVista]
    );
    let x64 = &plan.targets[1];
    assert_eq!(x64.families, [Family::WindowsServer2008]);
    // SP2 only for the SP1 host; the final rollup for every x64 host.
    assert_eq!(x64.stages.len(), 2);
    assert_eq!(x64.stages[0].payloads[0].kb, 948465);
    assert_eq!(x64.stages[0].payloads[0].hosts, ["SRV-SP1"]);
    let rollup = x64.stages[1]
        .payloads
        .iter()
        .find(|p| p.kb == 5073697)
        .unwrap();
    assert!(rollup.hosts.is_empty() && rollup.file_name.is_none() && rollup.sha1.is_none());
    // Every file of the manifest is in the plan once, in manifest order.
    let mut kbs: Vec<(Arch, u32)> = Vec::new();
    for t in &plan.targets {
        for s in &t.stages {
            kbs.extend(s.payloads.iter().map(|p| (t.arch, p.kb)));
        }
    }
    assert_eq!(kbs.len(), m.files.len());
    let script = install_script::render(&plan).unwrap();
    for f in m.files.iter().filter_map(|f| f.file_name.as_deref()) {
        assert!(script.contains(f), "{f} not in install.cmd");
    }
    // Each single-host kit renders too; a kit without files has no script.
    for file in [
        "SRV-SP1-systeminfo.txt",
        "SRV-6002-systeminfo.txt",
        "SRV-2401-systeminfo.txt",
        "VISTA-SP1-systeminfo.txt",
    ] {
        let (m, _) = manifest_of(&[fixture(file)], Goal::Final);
        let plan = script::script_plan(&m, catalog).unwrap();
        install_script::render(&plan).unwrap_or_else(|e| panic!("{file}: {e}"));
    }
    let (m, _) = manifest_of(
        &[support::fixtures().join("check/r2-systeminfo.txt")],
        Goal::Final,
    );
    assert!(script::script_plan(&m, catalog).is_none());
}

#[test]
fn a_host_with_nothing_to_install_is_told_why() {
    let (m, _) = manifest_of(
        &[
            support::fixtures().join("systeminfo/ja_vista_business_x86_6002.txt"),
            support::fixtures().join("check/final-x64-systeminfo.txt"),
        ],
        Goal::Final,
    );
    assert!(m.files.is_empty(), "{:?}", m.files);
    assert_eq!(m.hosts.len(), 2);
    let why = |name: &str| {
        let h = m
            .hosts
            .iter()
            .find(|h| h.name.as_deref() == Some(name))
            .unwrap();
        assert!(h.excluded.is_none() && h.files.is_empty(), "{h:?}");
        h.nothing_to_install.clone().unwrap_or_default()
    };
    // Vista SP2: the assessment's own words, not a bare "nothing".
    assert!(why("JIMU-PC12").contains("never had monthly rollups"));
    // The server has the final rollup already.
    assert_eq!(why("PLANT-HMI07"), "it is at the goal already");
    let readme = readme::render(&m);
    assert!(
        readme.contains("JIMU-PC12 (Windows Vista SP2, x86): nothing to install: Windows Vista"),
        "{readme}"
    );
    // The field is optional on reading: a kit written before it existed
    // (no such key) reads, with no reason.
    let json = manifest::to_json(&m);
    let old: String = json
        .lines()
        .filter(|l| !l.contains("\"nothing_to_install\""))
        .collect::<Vec<_>>()
        .join("\n")
        .replace("\"excluded\": null,", "\"excluded\": null");
    assert_ne!(old, json);
    let back = read::parse("manifest.json", old.as_bytes(), Catalog::embedded()).unwrap();
    assert!(back.hosts.iter().all(|h| h.nothing_to_install.is_none()));
}
