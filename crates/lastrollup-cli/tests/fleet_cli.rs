//! `lastrollup fleet` as a user runs it over the scenario folder
//! `tests/support/fleet` (two machines named HMI01 in two plants, a host
//! whose name and domain are spreadsheet formulas, a Server 2008 R2 host, a
//! file that is no capture): exit codes, snapshots, exports, formula
//! neutralising, and byte-identical output for the same input.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

fn support() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support")
}

fn fleet(args: &[&str]) -> Command {
    let mut c = Command::cargo_bin("lastrollup").expect("binary");
    c.current_dir(support())
        .env("NO_COLOR", "1")
        .env("LASTROLLUP_DB", "/nonexistent/lastrollup-test.lrdb")
        .args(["fleet", "--as-of", "2026-06-30", "--color", "never"])
        .args(args);
    c
}

fn temp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "lastrollup-fleet-cli-{}-{name}",
        std::process::id()
    ));
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

fn stdout_of(c: &mut Command) -> String {
    String::from_utf8(c.output().expect("runs").stdout).expect("utf-8")
}

#[test]
fn the_scenario_summary_names_the_collision_and_the_unusable_file() {
    let out = fleet(&["fleet"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "fleet/plant-b/notes.txt: unrecognised input",
        ))
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).expect("utf-8");
    assert!(text.contains("hmi01: reported apart as hmi01@"), "{text}");
    assert!(text.contains("not NT 6.0"), "{text}");
    insta::assert_snapshot!("fleet_text_scenario", text);
}

#[test]
fn markdown_lists_states_actions_and_errors() {
    let text = stdout_of(&mut fleet(&["--format", "markdown", "fleet"]));
    assert!(text.contains("## Files that could not be used"), "{text}");
    // The hostile name stays one cell of one table row.
    let row = text
        .lines()
        .find(|l| l.contains("HYPERLINK"))
        .expect("the hostile host is among the worst");
    assert_eq!(row.matches('|').count(), 6, "{row}");
    insta::assert_snapshot!("fleet_markdown_scenario", text);
}

#[test]
fn json_is_the_fleet_contract_with_profiles() {
    let text = stdout_of(&mut fleet(&["--format", "json", "fleet"]));
    let v: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(v["schema"], "lastrollup.fleet/1");
    let hosts = v["hosts"].as_array().expect("hosts");
    assert_eq!(hosts.len(), 4);
    let profiles = v["profiles"].as_array().expect("profiles");
    for h in hosts {
        let p = h["exposure"]["profile"].as_str().expect("profile id");
        assert!(profiles.iter().any(|x| x["id"] == p), "{p}");
        assert!(h["host"].is_object() && h["os"].is_object());
    }
    assert_eq!(v["errors"].as_array().map(Vec::len), Some(1));
}

fn exports(dir: &Path, paths: &[&str]) -> (String, Vec<Vec<u8>>) {
    let names = ["hosts.csv", "hosts.jsonl", "cves.csv"];
    let out: Vec<String> = names
        .iter()
        .map(|n| dir.join(n).display().to_string())
        .collect();
    let mut args = vec![
        "--format",
        "json",
        "--csv",
        &out[0],
        "--jsonl",
        &out[1],
        "--cve-csv",
        &out[2],
    ];
    args.extend_from_slice(paths);
    let json = stdout_of(&mut fleet(&args));
    let files = out
        .iter()
        .map(|p| std::fs::read(p).expect("export"))
        .collect();
    (json, files)
}

#[test]
fn the_same_inputs_give_byte_identical_outputs() {
    let (a, b) = (temp("det-a"), temp("det-b"));
    let first = exports(&a, &["fleet/plant-a", "fleet/plant-b"]);
    // Other order, a file given twice, and the folder again.
    let second = exports(
        &b,
        &["fleet/plant-b", "fleet/plant-a", "fleet/plant-b/notes.txt"],
    );
    assert_eq!(first.0, second.0);
    assert_eq!(first.1, second.1);
    assert!(first.1.iter().all(|f| f.len() > 100));
    std::fs::remove_dir_all(a).ok();
    std::fs::remove_dir_all(b).ok();
}

#[test]
fn csv_exports_are_rfc4180_with_bom_and_neutralised_formulas() {
    let dir = temp("csv");
    let (json, files) = exports(&dir, &["fleet"]);
    let v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    let hosts_csv = &files[0];
    assert!(hosts_csv.starts_with("\u{FEFF}".as_bytes()));
    assert!(hosts_csv.windows(2).any(|w| w == b"\r\n"));
    let mut r = csv::Reader::from_reader(&hosts_csv[3..]);
    let header: Vec<String> = r
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    assert_eq!(header[..3], ["host_id", "host_name", "domain"]);
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.expect("row")).collect();
    assert_eq!(rows.len(), 4);
    let scada = rows
        .iter()
        .find(|r| r[col("host_name")].contains("HYPERLINK"))
        .expect("hostile host");
    assert_eq!(
        &scada[col("host_name")],
        "'=HYPERLINK(\"http://x/?q\",\"x\")"
    );
    assert_eq!(&scada[col("host_id")], "'=hyperlink(\"http://x/?q\",\"x\")");
    assert_eq!(&scada[col("domain")], "'-2+3");
    // Numeric columns stay numbers.
    let months: i64 = scada[col("months_behind")].parse().expect("a number");
    assert!(months > 12);
    assert!(!scada[col("build")].starts_with('\''));
    // JSON Lines: one host per line.
    let lines: Vec<serde_json::Value> = std::str::from_utf8(&files[1])
        .expect("utf-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert_eq!(lines.len(), 4);
    assert!(lines
        .iter()
        .all(|l| l["schema"] == "lastrollup.fleet.host/1"));
    // One row per host and open or unverified CVE.
    let expected: u64 = v["hosts"]
        .as_array()
        .expect("hosts")
        .iter()
        .map(|h| {
            h["exposure"]["open"].as_u64().unwrap_or(0)
                + h["exposure"]["unverified"].as_u64().unwrap_or(0)
        })
        .sum();
    let cve_rows = csv::Reader::from_reader(&files[2][3..]).records().count() as u64;
    assert_eq!(cve_rows, expected);
    assert!(expected > 0);
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn a_host_that_is_not_nt60_exits_3() {
    fleet(&["fleet/plant-b/sql09-systeminfo.txt"])
        .assert()
        .code(3)
        .stdout(predicate::str::contains("not NT 6.0"));
}

#[test]
fn a_host_behind_exits_1() {
    fleet(&["fleet/plant-b/hmi01-systeminfo.txt"])
        .assert()
        .code(1);
}

#[test]
fn help_teaches_with_examples_and_exit_codes() {
    let mut c = Command::cargo_bin("lastrollup").expect("binary");
    c.args(["fleet", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Exit codes:"))
        .stdout(predicate::str::contains("lastrollup fleet --csv hosts.csv"));
}

/// `../shared` (or `$LASTROLLUP_SHARED`); `None` (test skipped) when absent,
/// a failure under `CI=true`.
fn shared() -> Option<PathBuf> {
    let dir = std::env::var_os("LASTROLLUP_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    if dir.join("corpus").is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var("CI").map_or(true, |v| v != "true"),
        "CI=true but no shared folder at {}",
        dir.display()
    );
    eprintln!("SKIPPED: no shared folder at {}", dir.display());
    None
}

#[test]
fn every_real_capture_is_a_host_source_or_a_listed_error() {
    let Some(shared) = shared() else { return };
    let corpus = shared.join("corpus/systeminfo");
    let text = stdout_of(&mut fleet(&[
        "--format",
        "json",
        &corpus.display().to_string(),
    ]));
    let v: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let mut seen: Vec<String> = Vec::new();
    for h in v["hosts"].as_array().expect("hosts") {
        for s in h["sources"].as_array().expect("sources") {
            seen.push(s.as_str().expect("file").to_owned());
        }
    }
    for e in v["errors"].as_array().expect("errors") {
        seen.push(e["file"].as_str().expect("file").to_owned());
    }
    for f in std::fs::read_dir(&corpus).expect("corpus") {
        let p = f.expect("entry").path();
        let name = p.display().to_string();
        assert!(
            seen.contains(&name),
            "{name} is neither a host's source nor an error"
        );
    }
}
