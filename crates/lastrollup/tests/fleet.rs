//! The fleet pipeline over the scenario folder of the CLI tests
//! (`crates/lastrollup-cli/tests/support/fleet`: two machines named HMI01 in
//! two plants, a host with a hostile name, a Server 2008 R2 host and a file
//! that is no capture), over the fixtures, and over copies of one host.

mod support;

use std::path::{Path, PathBuf};

use lastrollup::assess::exposure::EmbeddedKev;
use lastrollup::assess::{Goal, Options};
use lastrollup::catalog::Catalog;
use lastrollup::fleet::{self, FleetReport};

fn scenario() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../lastrollup-cli/tests/support/fleet")
}

fn options() -> Options {
    Options {
        as_of: jiff::civil::date(2026, 6, 30),
        goal: Goal::Final,
    }
}

fn run(paths: &[PathBuf]) -> FleetReport<'static> {
    static KEV: std::sync::OnceLock<EmbeddedKev<'static>> = std::sync::OnceLock::new();
    let kev = KEV.get_or_init(|| EmbeddedKev(Catalog::embedded()));
    let (files, mut errors) = fleet::walk::walk(paths);
    let (read, read_errors) = fleet::walk::read_all(&files);
    errors.extend(read_errors);
    fleet::assess(&read, &errors, Catalog::embedded(), kev, options())
}

#[test]
fn two_machines_with_one_name_are_reported_apart() {
    let r = run(&[scenario()]);
    let hmi: Vec<_> = r
        .hosts
        .iter()
        .filter(|h| h.id.starts_with("hmi01@"))
        .collect();
    assert_eq!(
        hmi.len(),
        2,
        "{:?}",
        r.hosts.iter().map(|h| &h.id).collect::<Vec<_>>()
    );
    for h in &hmi {
        assert!(
            h.findings.ids.contains(&"identity-collision"),
            "{:?}",
            h.findings
        );
        assert_eq!(h.findings.host.len(), 1);
    }
    let a = hmi
        .iter()
        .find(|h| h.host.domain.as_deref() == Some("plant-a.example"))
        .expect("plant-a's HMI01");
    // The qfe list names HMI01 and nothing else: it joins the HMI01 of its folder.
    assert!(
        a.sources
            .iter()
            .any(|s| s.ends_with("plant-a/hmi01-qfe.csv")),
        "{:?}",
        a.sources
    );
    assert_eq!(a.product_id.as_deref(), Some("92516-082-0000000-76001"));
    let b = hmi.iter().find(|h| h.id != a.id).expect("plant-b's HMI01");
    assert!(
        b.sources.iter().all(|s| s.contains("plant-b")),
        "{:?}",
        b.sources
    );
    assert_ne!(a.exposure.profile, b.exposure.profile);
    assert_eq!(r.summary.identity_collisions.len(), 1);
    assert_eq!(r.summary.identity_collisions[0].hosts.len(), 2);
}

#[test]
fn an_unusable_file_is_listed_and_the_others_are_reported() {
    let r = run(&[scenario()]);
    assert_eq!(r.errors.len(), 1);
    assert!(r.errors[0].file.ends_with("notes.txt"), "{:?}", r.errors);
    assert_eq!(r.hosts.len(), 4);
    assert_eq!(r.summary.unusable_files, 1);
    assert_eq!(r.summary.states.not_nt60, 1);
}

#[test]
fn every_host_is_in_one_state_and_points_at_its_profile() {
    let fixtures = support::fixtures();
    let r = run(&[
        scenario(),
        fixtures.clone(),
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples"),
    ]);
    let s = &r.summary.states;
    let behind: usize = s.behind.iter().map(|b| b.hosts).sum();
    assert_eq!(
        s.at_final + behind + s.behind_unknown + s.no_rollups + s.not_nt60 + s.unassessable,
        r.hosts.len()
    );
    let total: usize = r.profiles.iter().map(|p| p.hosts).sum();
    assert_eq!(total, r.hosts.len());
    for h in &r.hosts {
        let p = &r.profiles[h.profile];
        assert_eq!(h.exposure.profile, p.id);
        assert_eq!(h.status, p.status);
        let open = p.exposure.as_ref().map_or(0, |e| e.open.len());
        assert_eq!(h.exposure.open, open, "{}", h.id);
    }
    for p in &r.profiles {
        for id in p
            .exposure
            .iter()
            .flat_map(|e| e.open.iter().chain(&e.unverified))
        {
            assert!(r.cves.contains_key(id), "{id} of {} not in cves", p.id);
        }
    }
    // "install KB5073697: N hosts reach the final baseline" counts the hosts
    // whose plan holds the final rollup.
    let with_final = r
        .hosts
        .iter()
        .filter(|h| {
            h.baseline
                .as_ref()
                .is_some_and(|b| b.next_steps.iter().any(|k| k == "KB5073697"))
        })
        .count();
    let action = r.summary.next_actions.iter().find(|a| a.kb == "KB5073697");
    assert_eq!(action.map_or(0, |a| a.reach_goal), with_final);
    assert!(with_final > 0);
}

/// Writes `n` copies of one capture, each with its own host name.
fn copies(n: usize, dir: &Path) {
    let bytes =
        std::fs::read(support::fixtures().join("check/final-x64-systeminfo.txt")).expect("fixture");
    let text = String::from_utf8(bytes).expect("ASCII fixture");
    let text = text.replace("KB5073697", "KB4493471");
    std::fs::create_dir_all(dir).expect("temp dir");
    for i in 0..n {
        let t = text
            .replace("PLANT-HMI07", &format!("COPY-{i:03}"))
            .replace(
                "92516-082-0000000-76000",
                &format!("92516-082-0000000-{i:05}"),
            );
        std::fs::write(dir.join(format!("{i:03}.txt")), t).expect("write");
    }
}

#[test]
fn hosts_in_one_state_share_one_profile_and_the_output_does_not_grow_with_cves() {
    let base = std::env::temp_dir().join(format!("lastrollup-fleet-{}", std::process::id()));
    let (few, many) = (base.join("few"), base.join("many"));
    copies(2, &few);
    copies(40, &many);
    let (a, b) = (run(&[few]), run(&[many]));
    assert_eq!((a.hosts.len(), b.hosts.len()), (2, 40));
    assert_eq!((a.profiles.len(), b.profiles.len()), (1, 1));
    assert_eq!(b.profiles[0].hosts, 40);
    let open = b.hosts[0].exposure.open;
    assert!(open > 10, "{open}");
    let count = |r: &FleetReport<'_>| fleet::report::to_json(r).matches("CVE-").count();
    // 38 more hosts, not one more CVE id in the document.
    assert_eq!(count(&a), count(&b));
    std::fs::remove_dir_all(&base).expect("clean up");
}
