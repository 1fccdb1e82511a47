//! The collector script, run for real under Wine (cmd, reg, wmic and cscript
//! exist there), and its bundle read back by lastrollup.
//!
//! Wine is not Windows: its systeminfo prints nothing, its wmic has no
//! `qfe`/`datafile` aliases and no `/format:list`, and there is no
//! slmgr.vbs. So this test checks what Wine can show: the script runs to the
//! end, writes one well-formed bundle with every section in order, and the
//! sections Wine can answer (`reg query`) are parsed. Without `wine` on the
//! PATH the test says it is skipped; with `LASTROLLUP_REQUIRE_WINE=1` (set by
//! `.ci/run` when it could install Wine) a missing Wine fails it.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use lastrollup::evidence::{bundle, read_file, Format};

const SECTIONS: &[&str] = &[
    "systeminfo",
    "wmic-os",
    "wmic-qfe",
    "reg-currentversion",
    "ntoskrnl",
    "cbs-packages",
    "servicing-version",
    "sha2",
    "ie",
    "dotnet",
    "pending",
    "esu",
];

fn wine_available() -> bool {
    Command::new("wine")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn the_collector_runs_under_wine_and_its_bundle_reads() {
    if !wine_available() {
        assert!(
            std::env::var("LASTROLLUP_REQUIRE_WINE").as_deref() != Ok("1"),
            "LASTROLLUP_REQUIRE_WINE=1 but wine is not installed"
        );
        eprintln!(
            "SKIPPED: wine is not installed (apt-get install wine) — the collector was not run"
        );
        return;
    }
    let root = std::env::temp_dir().join(format!("lastrollup-wine-{}", std::process::id()));
    let (prefix, dir, out) = (root.join("prefix"), root.join("in"), root.join("out"));
    for d in [&prefix, &dir, &out] {
        std::fs::create_dir_all(d).unwrap();
    }
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../collector");
    for f in ["lastrollup-collect.cmd", "lastrollup-collect.vbs"] {
        std::fs::copy(repo.join(f), dir.join(f)).unwrap();
    }
    let unix_to_wine = |p: &Path| format!("Z:{}", p.display().to_string().replace('/', "\\"));
    let mut child = Command::new("wine")
        .args([
            "cmd",
            "/c",
            &unix_to_wine(&dir.join("lastrollup-collect.cmd")),
            &unix_to_wine(&out),
        ])
        .env("WINEPREFIX", &prefix)
        .env("WINEDEBUG", "-all")
        // No Mono/Gecko install prompts in a fresh prefix.
        .env("WINEDLLOVERRIDES", "mscoree,mshtml=")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("wine starts");
    // The collector must finish within two minutes on a slow machine; a
    // fresh Wine prefix adds its own start-up time.
    let deadline = std::time::Instant::now() + Duration::from_secs(300);
    loop {
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        if std::time::Instant::now() > deadline {
            child.kill().ok();
            panic!("the collector did not finish under Wine within 5 minutes");
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    let bundle_file = std::fs::read_dir(&out)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.to_string_lossy().ends_with(".lastrollup.txt"))
        .expect("the collector wrote its bundle");
    let bytes = std::fs::read(&bundle_file).unwrap();
    let split = bundle::split(&bytes);
    let ids: Vec<&str> = split.sections.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, SECTIONS, "every section, in order");
    assert!(split.finished.is_some(), "the bundle ends with #finished");
    assert!(split.unterminated.is_empty());
    assert!(
        split.sections.iter().all(|s| s.exit.is_some()),
        "every section records its exit code"
    );
    let file = read_file("wine.lastrollup.txt", &bytes).expect("the bundle reads");
    assert!(
        file.records.iter().any(|r| r.format == Format::RegQuery),
        "Wine's `reg query` of CurrentVersion is parsed: {:?}",
        file.records.iter().map(|r| r.format).collect::<Vec<_>>()
    );
    // Only the collector's own file was written into the output folder.
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 1);
    std::fs::remove_dir_all(&root).ok();
}
