//! `lastrollup lint` from the command line: exit codes, the text form, the
//! formats and `--explain`.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../lastrollup/tests/fixtures/lint")
}

fn lastrollup() -> Command {
    let mut c = Command::cargo_bin("lastrollup").expect("binary");
    c.env("NO_COLOR", "1").current_dir(fixtures());
    c
}

#[test]
fn exit_codes() {
    lastrollup()
        .args(["lint", "good_exact_build.ps1"])
        .assert()
        .code(0);
    lastrollup()
        .args(["lint", "bad_exact_build.ps1"])
        .assert()
        .code(1);
    lastrollup().args(["lint", "missing.ps1"]).assert().code(2);
    lastrollup()
        .args(["lint", "--select", "no-such-rule", "."])
        .assert()
        .code(2);
}

#[test]
fn text_has_location_caret_and_help() {
    let out = lastrollup()
        .args(["lint", "bad_exact_version.bat"])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("bad_exact_version.bat:2:13: error[exact-version-string] NT60002 "),
        "{text}"
    );
    assert!(
        text.contains("2 | ver | find \"6.0.6002\" >nul\n  |             ^\n"),
        "{text}"
    );
    assert!(text.contains("  = help: match the NT 6.0 family"), "{text}");
}

#[test]
fn json_sarif_and_baseline() {
    let out = lastrollup()
        .args(["lint", "--format", "json", "."])
        .output()
        .expect("run");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(doc["schema"], "lastrollup.lint/1");
    let dir = std::env::temp_dir().join(format!("lastrollup-lint-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp");
    let base = dir.join("base.json");
    std::fs::write(&base, &out.stdout).expect("write");
    lastrollup()
        .args(["lint", "--baseline"])
        .arg(&base)
        .arg(".")
        .assert()
        .code(0);
    let out = lastrollup()
        .args(["lint", "--format", "sarif", "."])
        .output()
        .expect("run");
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).expect("sarif");
    assert_eq!(log["version"], "2.1.0");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn explain() {
    let out = lastrollup()
        .args(["lint", "--explain", "NT60003"])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("# build-upper-bound (NT60003)"), "{text}");
    lastrollup()
        .args(["lint", "--explain", "nope"])
        .assert()
        .code(2);
}

#[test]
fn fix_writes_safe_edits_and_diff_writes_nothing() {
    let dir = std::env::temp_dir().join(format!("lastrollup-cli-fix-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("check.ps1");
    let text = "if ($os.BuildNumber -le 6002) { 'NT 6.0' }\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\
                \r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\nif ($os.BuildNumber -eq 6002) { 'SP2' }\r\n";
    std::fs::write(&path, text).expect("write");
    let mut cmd = Command::cargo_bin("lastrollup").expect("binary");
    let out = cmd
        .env("NO_COLOR", "1")
        .current_dir(&dir)
        .args(["lint", "--diff", "check.ps1"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let diff = String::from_utf8_lossy(&out.stdout);
    assert!(
        diff.starts_with(
            "--- a/check.ps1\n+++ b/check.ps1\n@@ -1,4 +1,4 @@ build-upper-bound (safe)\n"
        ),
        "{diff}"
    );
    assert!(
        diff.contains(
            "-if ($os.BuildNumber -eq 6002) { 'SP2' }\n+if ($os.BuildNumber -ge 6002) { 'SP2' }\n"
        ),
        "{diff}"
    );
    assert!(diff.contains("exact-build-6002 (unsafe)"), "{diff}");
    assert_eq!(std::fs::read_to_string(&path).expect("read"), text);

    let mut cmd = Command::cargo_bin("lastrollup").expect("binary");
    let out = cmd
        .env("NO_COLOR", "1")
        .current_dir(&dir)
        .args(["lint", "--fix", "check.ps1"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1), "the unsafe one is left");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("fixed 1 finding(s) in 1 file(s); 1 unsafe fix(es) not applied"),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("check.ps1:21:") && !stdout.contains("check.ps1:1:"),
        "{stdout}"
    );
    let fixed = std::fs::read_to_string(&path).expect("read");
    assert_eq!(fixed, text.replace("-le 6002", "-le 6003"));
    let _ = std::fs::remove_dir_all(&dir);
}
