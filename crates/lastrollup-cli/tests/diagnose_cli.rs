//! The `lastrollup diagnose` command as a user runs it: exit codes, both
//! output forms, folders.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../lastrollup/tests/fixtures/diagnose")
}

fn cmd() -> Command {
    let mut c = Command::cargo_bin("lastrollup").expect("binary");
    c.current_dir(fixtures()).env("NO_COLOR", "1");
    c
}

#[test]
fn a_failure_exits_1_with_cause_evidence_and_fix() {
    cmd()
        .args(["diagnose", "missing-sha2.log"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("1. missing-sha2"))
        .stdout(predicate::str::contains("missing-sha2.log:4:"))
        .stdout(predicate::str::contains("KB4474419"));
}

#[test]
fn no_failure_exits_0() {
    cmd()
        .args(["diagnose", "none.log"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("no failure found"));
}

#[test]
fn unusable_input_exits_2_and_names_the_file() {
    cmd()
        .args(["diagnose", "none.log", "no-such-file.log"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no-such-file.log"));
}

#[test]
fn json_is_the_versioned_contract() {
    let out = cmd()
        .args([
            "diagnose",
            "--format",
            "json",
            "pending-reboot.log",
            "store-corruption.log",
        ])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).expect("JSON");
    assert_eq!(v["schema"], "lastrollup.diagnose/1");
    assert_eq!(v["files"].as_array().map(Vec::len), Some(2));
    let ids: Vec<&str> = v["causes"]
        .as_array()
        .expect("causes")
        .iter()
        .filter_map(|c| c["id"].as_str())
        .collect();
    assert!(
        ids.contains(&"pending-reboot") && ids.contains(&"store-corruption"),
        "{ids:?}"
    );
}

#[test]
fn a_folder_is_read_recursively() {
    cmd()
        .args(["diagnose", "."])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("17 file(s) read"));
}

#[test]
fn help_has_examples_and_exit_codes() {
    cmd()
        .args(["diagnose", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Examples:"))
        .stdout(predicate::str::contains("Exit codes:"));
}

#[test]
fn with_host_evidence_refutes_or_confirms() {
    let bundle = fixtures().join("../bundle/PLANT-HIST02.lastrollup.txt");
    let out = cmd()
        .args([
            "diagnose",
            "--format",
            "json",
            "esu-not-licensed.log",
            "missing-sha2.log",
            "--with",
        ])
        .arg(&bundle)
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).expect("JSON");
    let causes = v["causes"].as_array().expect("causes");
    let verdict = |id: &str| {
        causes
            .iter()
            .find(|c| c["id"] == id)
            .and_then(|c| c["host"][0]["verdict"].as_str())
            .map(str::to_owned)
    };
    // The bundle shows SHA-2 support and a licensed ESU add-on.
    assert_eq!(verdict("missing-sha2").as_deref(), Some("refutes"));
    assert_eq!(verdict("esu-not-licensed").as_deref(), Some("refutes"));
}

#[test]
fn a_damaged_evtx_or_cabinet_exits_2_and_names_the_file() {
    let dir = std::env::temp_dir().join(format!("lastrollup-damaged-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    // An .evtx header cut after its magic, and a cabinet header of garbage.
    let evtx = dir.join("System.evtx");
    std::fs::write(&evtx, b"ElfFile\0\x01\x02\x03").expect("write evtx");
    let cab = dir.join("CbsPersist_20240110100000.cab");
    let mut garbage = b"MSCF".to_vec();
    garbage.extend((0..120u8).map(|b| b.wrapping_mul(31)));
    std::fs::write(&cab, garbage).expect("write cab");
    for (file, kind) in [(&evtx, "evtx"), (&cab, "cabinet")] {
        cmd()
            .arg("diagnose")
            .arg("none.log")
            .arg(file)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(file.display().to_string()))
            .stderr(predicate::str::contains(kind));
    }
    std::fs::remove_dir_all(&dir).ok();
}
