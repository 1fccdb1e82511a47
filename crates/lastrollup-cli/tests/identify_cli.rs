//! The `lastrollup identify` command as a user runs it.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../lastrollup/tests/fixtures")
}

fn cmd() -> Command {
    let mut c = Command::cargo_bin("lastrollup").expect("binary");
    c.current_dir(fixtures()).env("NO_COLOR", "1");
    c
}

#[test]
fn table_output_names_the_host_and_the_disagreement() {
    cmd()
        .args([
            "identify",
            "hosts/srv-hist01/systeminfo.txt",
            "hosts/srv-hist01/reg_currentversion.txt",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("SRV-HIST01"))
        .stdout(predicate::str::contains("Windows Server 2008 Standard"))
        .stdout(predicate::str::contains("warning[sources-disagree]"))
        .stdout(predicate::str::contains("\u{1b}[").not());
}

#[test]
fn json_output_follows_the_contract() {
    let out = cmd()
        .args([
            "identify",
            "--format",
            "json",
            "systeminfo/de_srv2008_enterprise_x64_6003.txt",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).expect("json");
    assert_eq!(v["schema"], "lastrollup.identify/1");
    let h = &v["hosts"][0];
    assert_eq!(h["host"]["name"], "SRV-FS01");
    assert_eq!(h["os"]["nt_version"], "6.0");
    assert_eq!(h["os"]["family"], "windows-server-2008");
    assert_eq!(h["os"]["build"], 6003);
    assert_eq!(h["os"]["arch"], "x64");
    assert_eq!(h["sources"][0]["encoding"], "cp850");
    assert_eq!(h["sources"][0]["language"], "de");
    assert!(h["provenance"]["os.build"]
        .as_str()
        .unwrap()
        .starts_with("systeminfo/de_srv2008_enterprise_x64_6003.txt:"));
    assert!(h["updates"]
        .as_array()
        .unwrap()
        .iter()
        .all(|u| u["source"].is_string()));
}

#[test]
fn unusable_input_exits_2_names_the_file_and_keeps_the_others() {
    let dir = tempdir();
    let junk = dir.join("junk.bin");
    std::fs::write(&junk, b"\x00\x01\x02 not a capture at all \xff\xfe\xfd").unwrap();
    let empty = dir.join("empty.txt");
    std::fs::write(&empty, b"   \r\n").unwrap();
    let out = cmd()
        .arg("identify")
        .arg("--format=json")
        .arg(&junk)
        .arg(&empty)
        .arg("version_strings/ver_banner_es_cp850.txt")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("junk.bin: unrecognised input"))
        .stderr(predicate::str::contains("empty.txt: the file is empty"))
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).expect("json");
    assert_eq!(
        v["hosts"].as_array().unwrap().len(),
        1,
        "the good file is still reported"
    );
    assert_eq!(v["errors"].as_array().unwrap().len(), 2);
}

#[test]
fn a_missing_file_and_a_directory_are_errors_not_panics() {
    cmd()
        .args(["identify", "does-not-exist.txt", "qfe"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("does-not-exist.txt"))
        .stderr(predicate::str::contains(
            "qfe: cannot read it: it is a directory",
        ));
}

#[test]
fn help_teaches_the_inputs_and_exit_codes() {
    cmd()
        .args(["identify", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("`wmic qfe"))
        .stdout(predicate::str::contains("Exit codes"));
    cmd().arg("--version").assert().success();
    cmd().assert().code(2);
}

#[test]
fn reads_standard_input() {
    let bytes =
        std::fs::read(fixtures().join("registry/regedit5_vista_business_x86_6002_utf16le.reg"))
            .unwrap();
    cmd()
        .args(["identify", "-"])
        .write_stdin(bytes)
        .assert()
        .success()
        .stdout(predicate::str::contains("RAD-WS07"))
        .stdout(predicate::str::contains("<stdin>"));
}

fn tempdir() -> PathBuf {
    let d = std::env::temp_dir().join(format!("lastrollup-cli-{}-{}", std::process::id(), line!()));
    std::fs::create_dir_all(&d).unwrap();
    d
}
