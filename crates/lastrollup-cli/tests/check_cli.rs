//! `lastrollup check` and `lastrollup explain` as a user runs them: exit
//! codes, the verdict, and snapshots of the human, Markdown and JSON output.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../lastrollup/tests/fixtures")
}

fn cmd() -> Command {
    let mut c = Command::cargo_bin("lastrollup").expect("binary");
    // Never a database of the machine running the tests: exposure comes
    // from the built-in known-exploited table unless a test says otherwise.
    c.current_dir(fixtures())
        .env("NO_COLOR", "1")
        .env("LASTROLLUP_DB", "/nonexistent/lastrollup-test.lrdb");
    c
}

fn check(args: &[&str]) -> Command {
    let mut c = cmd();
    c.args(["check", "--as-of", "2026-11-23"]).args(args);
    c
}

const FINAL: [&str; 2] = [
    "check/final-x64-systeminfo.txt",
    "check/final-x64-buildlabex.txt",
];
const HIST: [&str; 3] = [
    "hosts/srv-hist01/systeminfo.txt",
    "hosts/srv-hist01/reg_currentversion.txt",
    "hosts/srv-hist01/qfe.txt",
];

fn stdout(c: &mut Command) -> String {
    String::from_utf8(c.output().expect("runs").stdout).expect("utf-8")
}

#[test]
fn a_host_at_its_final_baseline_exits_0() {
    check(&FINAL)
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "Windows Server 2008 Enterprise x64 SP2, build 6003.23717 — at the final baseline KB5073697 (2026-01-13)",
        ))
        .stdout(predicate::str::contains("\u{1b}[").not());
}

#[test]
fn a_host_behind_exits_1_and_shows_the_plan() {
    let out = check(&HIST).assert().code(1).get_output().stdout.clone();
    let text = String::from_utf8(out).expect("utf-8");
    assert!(text.contains("Install, in this order:"), "{text}");
    insta::assert_snapshot!("check_text_srv_hist01", text);
}

#[test]
fn a_host_that_is_not_nt60_exits_3() {
    check(&["check/r2-systeminfo.txt"])
        .assert()
        .code(3)
        .stdout(predicate::str::contains(
            "Windows Server 2008 R2 (NT 6.1, build 7601)",
        ));
    // 3 wins over 1 when hosts are mixed; 2 wins over both.
    check(&["check/r2-systeminfo.txt", "check/vista-systeminfo.txt"])
        .assert()
        .code(3);
    check(&["check/r2-systeminfo.txt", "no-such-file.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no-such-file.txt"));
}

#[test]
fn unusable_input_and_bad_arguments_exit_2() {
    check(&["check/final-x64-systeminfo.txt", "no-such-file.txt"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("PLANT-HMI07"))
        .stderr(predicate::str::contains("no-such-file.txt"));
    cmd()
        .args(["check", "--as-of", "2026-13-01", "check/r2-systeminfo.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--as-of"));
    cmd().args(["check"]).assert().code(2);
}

#[test]
fn vista_is_behind_forever() {
    check(&["check/vista-systeminfo.txt"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("never had monthly rollups"))
        .stdout(predicate::str::contains("2017-04-11"));
}

#[test]
fn json_and_markdown_snapshots() {
    let json = stdout(check(&["--format", "json"]).args(HIST));
    let v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(v["schema"], "lastrollup.check/1");
    assert_eq!(v["hosts"][0]["baseline"]["final"]["kb"], "KB5073697");
    insta::assert_snapshot!("check_json_srv_hist01", json);
    let md = stdout(check(&["--format", "markdown"]).args(HIST));
    insta::assert_snapshot!("check_markdown_srv_hist01", md);
    let final_text = stdout(&mut check(&FINAL));
    insta::assert_snapshot!("check_text_final", final_text);
}

#[test]
fn the_goal_can_stop_at_the_last_update_without_esu() {
    let json = stdout(check(&["--format", "json", "--goal", "without-esu"]).args(HIST));
    let v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    let kbs: Vec<&str> = v["hosts"][0]["missing"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["kb"].as_str())
        .collect();
    assert!(kbs.contains(&"KB4534303"), "{kbs:?}");
    assert!(
        !kbs.contains(&"KB5073697") && !kbs.contains(&"KB4538484"),
        "{kbs:?}"
    );
}

#[test]
fn explain_a_version_a_kb_and_an_error() {
    cmd()
        .args(["explain", "6.0.6003.20491"])
        .assert()
        .success()
        .stdout(predicate::str::contains("2019-03"))
        .stdout(predicate::str::contains("Why 6003"));
    let v = stdout(cmd().args([
        "explain",
        "6003.21481.amd64fre.vistasp2_ldr_escrow.220409-1556",
    ]));
    assert!(v.contains("2022-05") && v.contains("KB5014010"), "{v}");
    insta::assert_snapshot!("explain_buildlabex", v);
    let kb = stdout(cmd().args(["explain", "KB4474419"]));
    insta::assert_snapshot!("explain_kb4474419", kb);
    cmd()
        .args(["explain", "-2146885628"])
        .assert()
        .success()
        .stdout(predicate::str::contains("CRYPT_E_NOT_FOUND"))
        .stdout(predicate::str::contains("KB4474419"));
    let json = stdout(cmd().args(["explain", "--format", "json", "KB5073697"]));
    let v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(v["type"], "update");
    assert_eq!(v["released"], "2026-01-13");
}

#[test]
fn explain_refuses_what_it_does_not_know() {
    cmd()
        .args(["explain", "KB1234567"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("KB1234567 is not in the catalog"));
    cmd()
        .args(["explain", "6.1.7601.24000"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not an NT 6.0 version"));
    cmd().args(["explain", "hello"]).assert().code(2);
}

#[test]
fn explain_reads_bare_numbers_and_flags_impossible_versions() {
    cmd()
        .args(["explain", "4474419"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("KB4474419"));
    cmd()
        .args(["explain", "80092004"])
        .assert()
        .success()
        .stdout(predicate::str::contains("CRYPT_E_NOT_FOUND"));
    cmd()
        .args(["explain", "6.0.6003.20000"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "no update released a build-6003 kernel below revision 20489",
        ))
        .stdout(predicate::str::contains("implies").not());
    let json = stdout(cmd().args([
        "explain",
        "--format",
        "json",
        "6003.20491.amd64fre.vistasp2_ldr_escrow.190320-1700",
    ]));
    let v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(v["schema"], "lastrollup.explain/1");
    assert_eq!(v["branch"], "ldr");
    assert_eq!(v["month"], "2019-03");
    assert_eq!(v["rollup"], "KB4489887");
}

#[test]
fn the_goal_decides_the_exit_code() {
    let host = ["check/esu-end-x86-systeminfo.txt"];
    check(&host).assert().code(1);
    check(&["--goal", "without-esu"])
        .args(host)
        .assert()
        .code(0);
}
