//! `lastrollup fleet --history` and `--since` as a user runs them: two runs
//! over changed captures, a comparison with an earlier `--jsonl` export, a
//! file that is no history database, and runs killed with SIGKILL.

use std::path::{Path, PathBuf};
use std::process::Command as Std;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

const FIXTURE: &str = "../lastrollup/tests/fixtures/systeminfo/en_srv2008_standard_x64_6003.txt";

fn fixture() -> Vec<u8> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE);
    std::fs::read(p).expect("fixture")
}

/// `bytes` with the first `from` replaced by `to`.
fn replace(bytes: &[u8], from: &str, to: &str) -> Vec<u8> {
    let at = bytes
        .windows(from.len())
        .position(|w| w == from.as_bytes())
        .expect("in the fixture");
    [&bytes[..at], to.as_bytes(), &bytes[at + from.len()..]].concat()
}

fn temp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "lastrollup-history-cli-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

fn fleet(args: &[&str]) -> Command {
    let mut c = Command::cargo_bin("lastrollup").expect("binary");
    c.env("NO_COLOR", "1")
        .env("LASTROLLUP_DB", "/nonexistent/lastrollup-test.lrdb")
        .args(["fleet", "--color", "never"])
        .args(args);
    c
}

/// Writes a host: the fixture under another name, at the final baseline
/// or behind (at January 2024).
fn host(dir: &Path, name: &str, at_final: bool) {
    let mut text = replace(&fixture(), "WIN2008DC01", name);
    if !at_final {
        text = replace(&text, "KB5073697", "KB4493471");
    }
    std::fs::write(dir.join(format!("{name}.txt")), text).expect("write");
}

fn json(c: &mut Command) -> Value {
    let out = c.output().expect("runs");
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&out.stderr));
    })
}

fn ids(v: &Value) -> Vec<&str> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|h| h["id"].as_str().expect("id"))
        .collect()
}

/// Hosts `alpha` (behind → final), `bravo` (final → behind), `charlie`
/// (gone), `delta` (new), `echo` (unchanged).
fn two_runs(dir: &Path) -> (PathBuf, PathBuf) {
    let (a, b) = (dir.join("run1"), dir.join("run2"));
    std::fs::create_dir_all(&a).expect("dir");
    std::fs::create_dir_all(&b).expect("dir");
    for (n, f) in [
        ("ALPHA", false),
        ("BRAVO", true),
        ("CHARLIE", false),
        ("ECHO", false),
    ] {
        host(&a, n, f);
    }
    for (n, f) in [
        ("ALPHA", true),
        ("BRAVO", false),
        ("DELTA", true),
        ("ECHO", false),
    ] {
        host(&b, n, f);
    }
    (a, b)
}

fn check_changes(c: &Value) {
    assert_eq!(ids(&c["new_hosts"]), ["delta"], "{c:#}");
    assert_eq!(ids(&c["gone_hosts"]), ["charlie"], "{c:#}");
    assert_eq!(c["gone_hosts"][0]["month_before"], "2024-01");
    assert_eq!(ids(&c["improved"]), ["alpha"], "{c:#}");
    assert_eq!(c["improved"][0]["month_before"], "2024-01");
    assert_eq!(c["improved"][0]["month_after"], "2026-01");
    assert_eq!(ids(&c["regressed"]), ["bravo"], "{c:#}");
    assert_eq!(c["counts"]["same_state"], 1);
    assert_eq!(c["counts"]["state_changed"], 2);
}

#[test]
fn a_second_run_reports_new_gone_improved_and_regressed_hosts() {
    let dir = temp("two-runs");
    let (a, b) = two_runs(&dir);
    let db = dir.join("history.db");
    let db = db.to_str().expect("utf-8");
    let first = json(&mut fleet(&[
        "--history",
        db,
        "--as-of",
        "2026-06-30",
        "--format",
        "json",
        a.to_str().expect("utf-8"),
    ]));
    assert!(first["changes"].is_null(), "nothing to compare with yet");
    let second = json(&mut fleet(&[
        "--history",
        db,
        "--as-of",
        "2026-07-31",
        "--format",
        "json",
        b.to_str().expect("utf-8"),
    ]));
    let c = &second["changes"];
    check_changes(c);
    assert_eq!(c["since"]["source"], "history");
    assert_eq!(c["since"]["as_of"], "2026-06-30");
    assert_eq!(c["knowledge"]["changed"], false);
    // Same facts: every CVE change is the hosts' own.
    for x in c["cves"].as_array().expect("cves") {
        assert_eq!(x["cause"], "host", "{x:#}");
    }
    let bravo = c["cves"]
        .as_array()
        .expect("cves")
        .iter()
        .find(|x| x["hosts"][0] == "bravo")
        .expect("bravo's CVEs");
    assert!(!bravo["opened"].as_array().expect("opened").is_empty());
    // The text and Markdown summaries say it too.
    let text = fleet(&[
        "--history",
        db,
        "--as-of",
        "2026-07-31",
        b.to_str().expect("utf-8"),
    ])
    .output()
    .expect("runs");
    let text = String::from_utf8(text.stdout).expect("utf-8");
    assert!(text.contains("Changes since the run of"), "{text}");
    // CHARLIE, missing again, stays gone (stale) with its last known baseline.
    assert!(text.contains("0 new, 1 gone"), "{text}");
    assert!(
        text.contains("last baseline 2024-01, last seen as of 2026-06-30"),
        "{text}"
    );
    let md = fleet(&[
        "--history",
        db,
        "--as-of",
        "2026-06-30",
        "--format",
        "markdown",
        a.to_str().expect("utf-8"),
    ])
    .output()
    .expect("runs");
    let md = String::from_utf8(md.stdout).expect("utf-8");
    assert!(md.contains("## Changes since the run of"), "{md}");
    assert!(md.contains("### Regressed (1)"), "{md}");
    // CHARLIE is back: compared with its last known record, not new.
    assert!(!md.contains("### New hosts"), "{md}");
    assert!(md.contains("### Gone hosts (stale) (1)"), "{md}");
    assert!(
        md.contains("| DELTA | 2026-01 | not seen since the run of 2026-07-31 |"),
        "{md}"
    );
    assert!(md.contains("| ALPHA | 2026-01 | 2024-01 |"), "{md}");
}

#[test]
fn a_new_advisory_database_is_a_change_of_knowledge_not_of_the_hosts() {
    let dir = temp("knowledge");
    let (a, _) = two_runs(&dir);
    let (db, adv) = (dir.join("history.db"), dir.join("adv.lrdb"));
    let kev = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../lastrollup/tests/fixtures/feeds/kev-small.csv");
    let first = json(&mut fleet(&[
        "--no-db",
        "--history",
        db.to_str().expect("utf-8"),
        "--as-of",
        "2026-06-30",
        "--format",
        "json",
        a.to_str().expect("utf-8"),
    ]));
    assert!(first["changes"].is_null());
    Command::cargo_bin("lastrollup")
        .expect("binary")
        .env("LASTROLLUP_DB", &adv)
        .args(["db", "import"])
        .arg(&kev)
        .assert()
        .success();
    let second = json(&mut fleet(&[
        "--db",
        adv.to_str().expect("utf-8"),
        "--history",
        db.to_str().expect("utf-8"),
        "--as-of",
        "2026-06-30",
        "--format",
        "json",
        a.to_str().expect("utf-8"),
    ]));
    let c = &second["changes"];
    assert_eq!(c["knowledge"]["changed"], true, "{c:#}");
    assert_eq!(c["knowledge"]["before"]["origin"], "embedded-kev");
    assert_eq!(c["knowledge"]["after"]["origin"], "database");
    assert!(c["knowledge"]["kev_added"]
        .as_array()
        .expect("kev_added")
        .iter()
        .any(|x| x == "CVE-2099-0001"));
    assert_eq!(c["counts"]["state_changed"], 0, "{c:#}");
    assert_eq!(c["counts"]["same_state"], 4);
    assert!(c["improved"].as_array().expect("improved").is_empty());
    assert!(c["regressed"].as_array().expect("regressed").is_empty());
    for x in c["cves"].as_array().expect("cves") {
        assert_eq!(x["cause"], "knowledge", "{x:#}");
    }
}

#[test]
fn since_compares_with_an_earlier_jsonl_export() {
    let dir = temp("since");
    let (a, b) = two_runs(&dir);
    let export = dir.join("run1.jsonl");
    fleet(&[
        "--as-of",
        "2026-06-30",
        "--jsonl",
        export.to_str().expect("utf-8"),
        a.to_str().expect("utf-8"),
    ])
    .assert()
    .code(1);
    let v = json(&mut fleet(&[
        "--since",
        export.to_str().expect("utf-8"),
        "--as-of",
        "2026-07-31",
        "--format",
        "json",
        b.to_str().expect("utf-8"),
    ]));
    let c = &v["changes"];
    check_changes(c);
    assert_eq!(c["since"]["source"], "jsonl");
    assert_eq!(c["since"]["as_of"], "2026-06-30");
    assert!(c["since"]["run_at"].is_null());
    assert!(
        c["knowledge"]["changed"].is_null(),
        "an export does not say"
    );
}

#[test]
fn a_file_that_is_no_history_database_is_a_clear_error() {
    let dir = temp("hostile");
    host(&dir, "ALPHA", true);
    let bad = dir.join("not-a-db.db");
    let garbage = b"this is not SQLite\n\x00\x01\x02".repeat(300);
    std::fs::write(&bad, &garbage).expect("write");
    fleet(&[
        "--history",
        bad.to_str().expect("utf-8"),
        dir.join("ALPHA.txt").to_str().expect("utf-8"),
    ])
    .assert()
    .code(2)
    .stderr(predicate::str::contains(
        "not a lastrollup history database",
    ))
    .stderr(predicate::str::contains("panicked").not());
    assert_eq!(
        std::fs::read(&bad).expect("read"),
        garbage,
        "left as it was"
    );
    // Another program's SQLite database is no history either.
    let other = dir.join("other.sqlite");
    rusqlite::Connection::open(&other)
        .and_then(|c| c.execute_batch("CREATE TABLE t (x)"))
        .expect("sqlite");
    fleet(&[
        "--history",
        other.to_str().expect("utf-8"),
        dir.join("ALPHA.txt").to_str().expect("utf-8"),
    ])
    .assert()
    .code(2)
    .stderr(predicate::str::contains(
        "not a lastrollup history database",
    ));
    // And an export that is no export.
    fleet(&[
        "--since",
        bad.to_str().expect("utf-8"),
        dir.join("ALPHA.txt").to_str().expect("utf-8"),
    ])
    .assert()
    .code(2)
    .stderr(predicate::str::contains("not JSON"));
}

/// The database's integrity, and the as-of days of its complete runs.
fn complete_runs(db: &Path) -> Vec<String> {
    let c = rusqlite::Connection::open(db).expect("open");
    let ok: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity_check");
    assert_eq!(ok, "ok");
    let incomplete: i64 = c
        .query_row("SELECT count(*) FROM runs WHERE complete = 0", [], |r| {
            r.get(0)
        })
        .expect("count");
    assert_eq!(incomplete, 0, "a run is complete or absent");
    let mut st = c
        .prepare("SELECT as_of FROM runs WHERE complete = 1 ORDER BY run_id")
        .expect("prepare");
    let rows = st.query_map([], |r| r.get(0)).expect("query");
    rows.collect::<Result<_, _>>().expect("rows")
}

fn generate(dir: &Path, hosts: usize) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/gen-fleet.py");
    let ok = Std::new("python3")
        .arg(script)
        .arg(hosts.to_string())
        .arg(dir)
        .status()
        .expect("python3 runs scripts/gen-fleet.py");
    assert!(ok.success());
}

fn spawn(db: &Path, fleet_dir: &Path, as_of: &str) -> std::process::Child {
    Std::new(assert_cmd::cargo::cargo_bin("lastrollup"))
        .env("LASTROLLUP_DB", "/nonexistent/lastrollup-test.lrdb")
        .args(["fleet", "--format", "json", "--as-of", as_of, "--history"])
        .arg(db)
        .arg(fleet_dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn")
}

/// A run that pauses inside its history transaction, before the commit.
fn spawn_paused(db: &Path, fleet_dir: &Path, as_of: &str) -> std::process::Child {
    Std::new(assert_cmd::cargo::cargo_bin("lastrollup"))
        .env("LASTROLLUP_DB", "/nonexistent/lastrollup-test.lrdb")
        .env("LASTROLLUP_TEST_HISTORY_PAUSE_MS", "60000")
        .args(["fleet", "--format", "json", "--as-of", as_of, "--history"])
        .arg(db)
        .arg(fleet_dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn")
}

#[cfg(unix)]
#[test]
fn a_run_killed_at_any_moment_leaves_the_earlier_runs_intact() {
    let dir = temp("sigkill");
    let fleet_dir = dir.join("fleet");
    generate(&fleet_dir, 2000);
    let db = dir.join("history.db");
    let start = Instant::now();
    let status = spawn(&db, &fleet_dir, "2026-06-01").wait().expect("wait");
    let full = start.elapsed();
    assert!(status.code().is_some(), "the first run completes");
    let mut expected = vec!["2026-06-01".to_string()];
    // Early (reading, assessing) and late (writing the run) moments.
    let moments = [0.01, 0.05, 0.3, 0.8, 0.9, 0.92, 0.94, 0.96, 0.98, 1.0];
    let journal = db.with_file_name("history.db-journal");
    let mut mid_write = 0;
    for (i, f) in moments.iter().enumerate() {
        let as_of = format!("2026-07-{:02}", i + 1);
        let mut child = spawn(&db, &fleet_dir, &as_of);
        std::thread::sleep(full.mul_f64(*f).max(Duration::from_millis(50)));
        let finished = child.try_wait().expect("try_wait").is_some();
        child.kill().ok();
        child.wait().expect("wait");
        // A journal left behind: the kill landed inside the write.
        mid_write += usize::from(journal.exists());
        let runs = complete_runs(&db);
        if finished || runs.last() == Some(&as_of) {
            expected.push(as_of);
        }
        assert_eq!(runs, expected, "after a kill at {f} of a run");
    }
    eprintln!(
        "{mid_write} of {} kills landed inside the write transaction",
        moments.len()
    );
    // And twice for certain: paused inside the transaction, after every
    // row of the run is written and it is marked complete, before it commits.
    for day in ["2026-08-01", "2026-08-02"] {
        let mut child = spawn_paused(&db, &fleet_dir, day);
        let waited = Instant::now();
        while !journal.exists() && waited.elapsed() < Duration::from_secs(120) {
            std::thread::sleep(Duration::from_millis(20));
        }
        std::thread::sleep(Duration::from_millis(100));
        assert!(journal.exists(), "the run is inside its write transaction");
        child.kill().ok();
        child.wait().expect("wait");
        assert_eq!(
            complete_runs(&db),
            expected,
            "a run killed before its commit is absent"
        );
    }
    // The next run compares with the last complete one.
    let out = Command::cargo_bin("lastrollup")
        .expect("binary")
        .env("LASTROLLUP_DB", "/nonexistent/lastrollup-test.lrdb")
        .args([
            "fleet",
            "--format",
            "json",
            "--as-of",
            "2026-08-31",
            "--history",
        ])
        .arg(&db)
        .arg(&fleet_dir)
        .output()
        .expect("runs");
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    let last = expected.last().expect("a complete run");
    assert_eq!(v["changes"]["since"]["as_of"], last.as_str());
    assert_eq!(v["changes"]["counts"]["new_hosts"], 0);
    assert_eq!(v["changes"]["counts"]["gone_hosts"], 0);
    assert_eq!(complete_runs(&db).len(), expected.len() + 1);
    let _ = std::fs::remove_dir_all(&dir);
}
