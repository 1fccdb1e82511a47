//! `lastrollup db import` / `db status` and `check` with a database, on the
//! real feeds of `../shared/data`.

use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Stdio};
use std::time::Duration;

use assert_cmd::Command;

fn shared() -> Option<PathBuf> {
    let dir = std::env::var_os("LASTROLLUP_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    if dir.join("data").is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!(
            "CI=true but the shared folder is missing at {}",
            dir.display()
        );
    }
    eprintln!("SKIPPED: no shared folder at {}", dir.display());
    None
}

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("lastrollup-dbcli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn cmd(db: &Path) -> Command {
    let mut c = Command::cargo_bin("lastrollup").unwrap();
    c.env("NO_COLOR", "1").env("LASTROLLUP_DB", db);
    c
}

#[test]
fn import_status_and_check_with_the_real_feeds() {
    let Some(shared) = shared() else { return };
    let dir = tmp("real");
    let db = dir.join("adv.lrdb");
    let data = shared.join("data");
    let out = cmd(&db)
        .args(["db", "import"])
        .arg(data.join("wesng/definitions.zip"))
        .arg(data.join("kev/known_exploited_vulnerabilities.json"))
        .arg(data.join("msrc-cvrf/2026-Jan.xml"))
        .assert()
        .success()
        .get_output()
        .clone();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("wesng definitions.zip"), "{err}");
    assert!(err.contains("CISA KEV JSON"), "{err}");
    assert!(err.contains("MSRC CVRF XML"), "{err}");
    assert!(err.contains("Wrote"), "{err}");

    let status = cmd(&db)
        .args(["db", "status", "--format", "json"])
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&status.get_output().stdout).unwrap();
    assert_eq!(v["sources"].as_array().unwrap().len(), 3);
    let cves = v["totals"]["cves"].as_u64().unwrap();
    assert!(
        (4000..5000).contains(&cves),
        "{cves} CVEs (README: 4,439 ids)"
    );
    assert!(v["totals"]["kev_nt60"].as_u64().unwrap() >= 170);

    // Re-importing KEV as CSV replaces the JSON copy (same identity).
    let again = cmd(&db)
        .args(["db", "import"])
        .arg(data.join("kev/known_exploited_vulnerabilities.csv"))
        .assert()
        .success();
    assert!(String::from_utf8_lossy(&again.get_output().stderr).contains("Replaced"));
    let status = cmd(&db)
        .args(["db", "status", "--format", "json"])
        .assert()
        .success();
    let v2: serde_json::Value = serde_json::from_slice(&status.get_output().stdout).unwrap();
    assert_eq!(v2["sources"].as_array().unwrap().len(), 3);

    // check with the database: exposure from it, KEV first.
    let out = cmd(&db)
        .args(["check", "--as-of", "2026-11-23", "--format", "json"])
        .arg(examples().join("srv-hist01-systeminfo.txt"))
        .arg(examples().join("srv-hist01-reg.txt"))
        .arg(examples().join("srv-hist01-qfe.txt"))
        .assert()
        .code(1)
        .get_output()
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let e = &v["hosts"][0]["exposure"];
    assert_eq!(e["origin"], "database");
    let list = e["cves"].as_array().unwrap();
    assert!(list.len() > 500, "{} CVEs", list.len());
    let first_non_kev = list.iter().position(|c| c["kev"].is_null()).unwrap();
    assert!(
        list[first_non_kev..].iter().all(|c| c["kev"].is_null()),
        "KEV first"
    );
    assert!(list
        .iter()
        .any(|c| c["id"] == "CVE-2019-0708" && c["status"] == "open"));

    // --no-db ignores it.
    let out = cmd(&db)
        .args([
            "check",
            "--no-db",
            "--as-of",
            "2026-11-23",
            "--format",
            "json",
        ])
        .arg(examples().join("srv-hist01-systeminfo.txt"))
        .assert()
        .code(1)
        .get_output()
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["hosts"][0]["exposure"]["origin"], "embedded-kev");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_bad_feed_leaves_the_database_unchanged_and_exits_2() {
    let dir = tmp("bad");
    let db = dir.join("adv.lrdb");
    let kev = dir.join("kev.csv");
    std::fs::write(
        &kev,
        "cveID,vendorProject,product,vulnerabilityName,dateAdded,shortDescription,requiredAction,dueDate,knownRansomwareCampaignUse,notes,cwes\n\
         CVE-2017-0144,Microsoft,SMBv1,Microsoft SMBv1 Remote Code Execution Vulnerability,2022-02-10,x,y,2022-08-10,Known,,\n",
    )
    .unwrap();
    cmd(&db).args(["db", "import"]).arg(&kev).assert().success();
    let before = std::fs::read(&db).unwrap();
    let bad = dir.join("broken.json");
    std::fs::write(
        &bad,
        "{\"catalogVersion\":\"x\",\"vulnerabilities\":[{\"cveID\": 5",
    )
    .unwrap();
    let out = cmd(&db)
        .args(["db", "import"])
        .arg(&bad)
        .assert()
        .code(2)
        .get_output()
        .clone();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("broken.json"), "{err}");
    assert!(err.contains("not changed"), "{err}");
    assert_eq!(std::fs::read(&db).unwrap(), before);
    // Unrecognised content is named as such.
    let junk = dir.join("notes.txt");
    std::fs::write(&junk, "hello\n").unwrap();
    let out = cmd(&db)
        .args(["db", "import"])
        .arg(&junk)
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(String::from_utf8_lossy(&out.stderr).contains("unrecognised"));
    assert_eq!(std::fs::read(&db).unwrap(), before);
    // A damaged database is refused by check and status, with the path.
    std::fs::write(&db, &before[..before.len() / 2]).unwrap();
    let out = cmd(&db)
        .args(["db", "status"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(String::from_utf8_lossy(&out.stderr).contains("damaged"));
    cmd(&db)
        .args(["check"])
        .arg(examples().join("srv-hist01-systeminfo.txt"))
        .assert()
        .code(2);
    // No database: status says how to make one, exit 1.
    let none = dir.join("none.lrdb");
    let out = cmd(&none)
        .args(["db", "status"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    assert!(String::from_utf8_lossy(&out.stdout).contains("db import"));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Kills imports of the real definitions at several moments: the database
/// file is always either the previous one or a complete new one.
#[test]
fn killing_an_import_leaves_the_previous_database_intact() {
    let Some(shared) = shared() else { return };
    let dir = tmp("kill");
    let db = dir.join("adv.lrdb");
    let kev = shared.join("data/kev/known_exploited_vulnerabilities.csv");
    cmd(&db).args(["db", "import"]).arg(&kev).assert().success();
    let before = std::fs::read(&db).unwrap();
    let bin = assert_cmd::cargo::cargo_bin("lastrollup");
    let mut outcomes = (0, 0);
    for wait_ms in [5u64, 40, 150, 400, 900, 1600] {
        let mut child = StdCommand::new(&bin)
            .env("LASTROLLUP_DB", &db)
            .args(["db", "import"])
            .arg(shared.join("data/wesng/definitions.zip"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(wait_ms));
        let _ = child.kill();
        let status = child.wait().unwrap();
        let now = std::fs::read(&db).unwrap();
        if now == before {
            outcomes.0 += 1;
        } else {
            // The import finished before the kill: a complete, readable database.
            assert!(status.success(), "changed although killed at {wait_ms} ms");
            cmd(&db).args(["db", "status"]).assert().success();
            outcomes.1 += 1;
            std::fs::write(&db, &before).unwrap();
        }
        cmd(&db).args(["db", "status"]).assert().success();
    }
    assert!(
        outcomes.0 >= 1,
        "no kill landed during an import: {outcomes:?}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
