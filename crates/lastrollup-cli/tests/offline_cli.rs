//! `lastrollup offline` and `lastrollup verify` as a user runs them: a kit
//! for the library's offline fixtures, its files, the exit codes of verify
//! for an empty kit (1), a kit that is not one (2) and a hand-broken
//! manifest (2, with the line and column), and the JSON result.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../lastrollup/tests/fixtures")
}

fn lastrollup(args: &[&str]) -> Command {
    let mut c = Command::cargo_bin("lastrollup").expect("binary");
    c.env("NO_COLOR", "1").args(args);
    c
}

fn temp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "lastrollup-offline-cli-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&d);
    d
}

/// A kit for the four offline fixtures in `dir`.
fn make_kit(dir: &Path) {
    let captures = fixtures().join("offline");
    lastrollup(&["offline", "--as-of", "2026-06-30", "--out"])
        .arg(dir)
        .arg(&captures)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "4 host(s), 14 file(s) in 2 stage(s)",
        ));
}

#[test]
fn offline_writes_the_kit() {
    let dir = temp("kit");
    make_kit(&dir);
    for f in ["manifest.json", "DOWNLOAD.txt", "README.txt", "install.cmd"] {
        assert!(dir.join(f).is_file(), "{f}");
    }
    assert!(dir.join("payloads").is_dir());
    assert_eq!(std::fs::read_dir(dir.join("payloads")).unwrap().count(), 0);
    let m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(m["schema"], "lastrollup.offline/1");
    let script = std::fs::read_to_string(dir.join("install.cmd")).unwrap();
    assert!(script.starts_with("@echo off\r\n"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn offline_names_a_host_it_cannot_serve() {
    let dir = temp("r2");
    lastrollup(&["offline", "--as-of", "2026-06-30", "--out"])
        .arg(&dir)
        .arg(fixtures().join("check/r2-systeminfo.txt"))
        .assert()
        .code(1)
        .stdout(predicate::str::contains("not in the kit:"));
    // Nothing to install: no installer.
    assert!(!dir.join("install.cmd").exists());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn offline_without_hosts_is_an_error() {
    let dir = temp("none");
    let empty = temp("empty-input");
    std::fs::create_dir_all(&empty).unwrap();
    lastrollup(&["offline", "--out"])
        .arg(&dir)
        .arg(&empty)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no host found"));
    assert!(!dir.exists());
    std::fs::remove_dir_all(&empty).ok();
}

#[test]
fn verify_an_empty_kit_lists_every_file_missing() {
    let dir = temp("empty");
    make_kit(&dir);
    lastrollup(&["verify"])
        .arg(&dir)
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("missing").and(predicate::str::contains(
                "0 of 14 file(s) present and correct",
            )),
        )
        .stdout(predicate::str::contains("kit NOT complete"));
    let out = lastrollup(&["verify", "--format", "json"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["complete"], false);
    assert_eq!(v["expected"], 14);
    assert!(v["seconds"].is_number());
    assert_eq!(v["checks"].as_array().unwrap().len(), 14);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn verify_refuses_what_is_not_a_kit() {
    let dir = temp("not-a-kit");
    std::fs::create_dir_all(&dir).unwrap();
    lastrollup(&["verify"])
        .arg(&dir)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no manifest"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn verify_names_the_line_of_a_broken_manifest() {
    let dir = temp("broken");
    make_kit(&dir);
    let path = dir.join("manifest.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let broken = text.replacen("\"stage\": 1,", "\"stage\": 1,,", 1);
    let line = broken.lines().position(|l| l.contains(",,")).unwrap() + 1;
    std::fs::write(&path, broken).unwrap();
    lastrollup(&["verify"])
        .arg(&dir)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!("manifest.json:{line}:")));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_kit_with_nothing_to_install_says_why_and_has_no_installer() {
    let dir = temp("nothing");
    lastrollup(&["offline", "--as-of", "2026-06-30", "--out"])
        .arg(&dir)
        .arg(fixtures().join("systeminfo/ja_vista_business_x86_6002.txt"))
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "nothing to install on JIMU-PC12: Windows Vista SP2 never had monthly rollups",
        ))
        .stdout(predicate::str::contains("nothing to fetch"))
        .stdout(predicate::str::contains("next: fetch").not());
    assert!(!dir.join("install.cmd").exists());
    std::fs::remove_dir_all(&dir).ok();
}
