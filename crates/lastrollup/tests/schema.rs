//! Every identify JSON the tests produce validates against the published
//! schema (docs/schema/identify-1.schema.json), checked by a small validator
//! for the keywords that schema uses.

mod support;

use std::path::Path;

use support::json_schema::{check_against, schema_file, validate};

use lastrollup::{host, report};
use serde_json::Value;

fn schema() -> Value {
    schema_file("identify-1.schema.json")
}

fn check(json: &str, what: &str) {
    check_against(&schema(), json, what);
}

/// The `check` report of `files`, as JSON, for both goals.
fn check_reports(
    files: &[lastrollup::evidence::EvidenceFile],
    errors: &[lastrollup::EvidenceError],
) -> Vec<String> {
    use lastrollup::assess::{assess, Goal, Options};
    let hosts = host::identify(files);
    let catalog = lastrollup::catalog::Catalog::embedded();
    [Goal::Final, Goal::WithoutEsu]
        .into_iter()
        .map(|goal| {
            let options = Options {
                as_of: jiff::civil::date(2026, 11, 23),
                goal,
            };
            let a: Vec<_> = hosts.iter().map(|h| assess(h, catalog, options)).collect();
            report::check::to_json(&report::check::build(
                &hosts,
                &a,
                errors,
                options.as_of,
                goal,
            ))
        })
        .collect()
}

#[test]
fn every_fixture_check_report_validates() {
    let schema = schema_file("check-1.schema.json");
    let mut folders = support::FORMAT_FOLDERS.to_vec();
    folders.push("hosts/srv-hist01");
    folders.push("check");
    folders.push("bundle");
    let files = support::fixture_files(&folders);
    for (name, path) in &files {
        for json in check_reports(&[support::read(path, name)], &[]) {
            check_against(&schema, &json, name);
        }
    }
    // Several hosts and an unusable file in one report.
    let all: Vec<_> = files.iter().map(|(n, p)| support::read(p, n)).collect();
    let errors = vec![lastrollup::evidence::read_file("empty.txt", b" ").unwrap_err()];
    for json in check_reports(&all, &errors) {
        check_against(&schema, &json, "all fixtures together");
    }
    let mut errs = Vec::new();
    let bad = serde_json::json!({"schema": "lastrollup.check/1", "as_of": "2026-11-23", "goal": "final", "hosts": [{"verdict": 1}], "errors": []});
    validate(&schema, &bad, "$", &mut errs);
    assert!(
        errs.iter().any(|e| e.contains("missing baseline")),
        "{errs:?}"
    );
}

#[test]
fn every_fixture_report_validates() {
    let mut folders = support::FORMAT_FOLDERS.to_vec();
    folders.push("hosts/srv-hist01");
    folders.push("bundle");
    let files = support::fixture_files(&folders);
    for (name, path) in &files {
        let hosts = host::identify(&[support::read(path, name)]);
        check(
            &report::identify::to_json(&report::identify::build(&hosts, &[])),
            name,
        );
    }
    assert!(files.len() >= 45, "{} fixtures", files.len());
}

#[test]
fn reports_with_errors_validate() {
    let errors = vec![
        lastrollup::evidence::read_file("empty.txt", b" ").unwrap_err(),
        lastrollup::evidence::read_file(
            "user.reg",
            b"REGEDIT4\r\n\r\n[HKEY_CURRENT_USER\\X]\r\n\"A\"=\"b\"\r\n",
        )
        .unwrap_err(),
    ];
    check(
        &report::identify::to_json(&report::identify::build(&[], &errors)),
        "errors only",
    );
}

#[test]
fn the_validator_rejects_what_the_schema_forbids() {
    let mut errs = Vec::new();
    let bad = serde_json::json!({"schema": "lastrollup.identify/2", "hosts": [], "errors": [], "extra": 1});
    validate(&schema(), &bad, "$", &mut errs);
    assert!(
        errs.iter()
            .any(|e| e.contains("is not \"lastrollup.identify/1\"")),
        "{errs:?}"
    );
    assert!(
        errs.iter().any(|e| e.contains("unexpected property extra")),
        "{errs:?}"
    );
}

#[test]
fn corpus_reports_validate() {
    let Some(shared) = support::shared() else {
        return;
    };
    for e in std::fs::read_dir(shared.join("corpus/systeminfo")).unwrap() {
        let p = e.unwrap().path();
        let bytes = std::fs::read(&p).unwrap();
        let (hosts, errors) = match lastrollup::evidence::read_file("c.txt", &bytes) {
            Ok(ev) => (host::identify(&[ev]), vec![]),
            Err(e) => (vec![], vec![e]),
        };
        check(
            &report::identify::to_json(&report::identify::build(&hosts, &errors)),
            &p.display().to_string(),
        );
    }
}

/// The fleet report of the fixtures, the examples and the CLI's fleet
/// scenario, as JSON, against `source`.
fn fleet_json(source: &(dyn lastrollup::assess::exposure::AdvisorySource + Sync)) -> String {
    lastrollup::fleet::report::to_json(&fleet_report(source))
}

/// The fleet report of the fixtures, the examples and the CLI's fleet
/// scenario, against `source`.
fn fleet_report<'s>(
    source: &'s (dyn lastrollup::assess::exposure::AdvisorySource + Sync),
) -> lastrollup::fleet::FleetReport<'s> {
    use lastrollup::assess::{Goal, Options};
    use lastrollup::fleet;
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let paths = [
        support::fixtures(),
        root.join("../../examples"),
        root.join("../lastrollup-cli/tests/support/fleet"),
    ];
    let (files, mut errors) = fleet::walk::walk(&paths);
    let (read, more) = fleet::walk::read_all(&files);
    errors.extend(more);
    let options = Options {
        as_of: jiff::civil::date(2026, 6, 30),
        goal: Goal::WithoutEsu,
    };
    let catalog = lastrollup::catalog::Catalog::embedded();
    let report = fleet::assess(&read, &errors, catalog, source, options);
    assert!(report.hosts.len() > 40 && !report.errors.is_empty());
    report
}

#[test]
fn fleet_changes_validate() {
    use lastrollup::fleet::history::{self, Knowledge, Snapshot, StateIdentity};
    let catalog = lastrollup::catalog::Catalog::embedded();
    let kev = lastrollup::assess::exposure::EmbeddedKev(catalog);
    let mut report = fleet_report(&kev);
    let cur = Snapshot::of(&report, Knowledge::embedded(catalog), StateIdentity::Key);
    // An earlier run without one host, with one host more, one host a few
    // months further behind, a CVE more in each state, and older facts.
    let mut prev = cur.clone();
    let first = prev.hosts.keys().next().cloned().unwrap();
    prev.hosts.remove(&first);
    let mut extra = prev.hosts.values().next().cloned().unwrap();
    extra.id = "gone-host".into();
    prev.hosts.insert(extra.id.clone(), extra);
    let behind = prev.hosts.values_mut().find(|h| h.month.is_some()).unwrap();
    behind.month = behind.month.map(|m| m.plus(-3));
    for cves in prev.states.values_mut() {
        cves.push("CVE-2000-0001".into());
    }
    prev.knowledge.identity = "an older table".into();
    prev.run_at = "2026-05-31T06:00:00Z".into();
    let changes = history::compare(&prev, &cur, "history");
    assert_eq!((changes.new_hosts.len(), changes.gone_hosts.len()), (1, 1));
    assert_eq!(changes.improved.len(), 1);
    assert!(!changes.cves.is_empty());
    report.changes = Some(changes);
    let fleet = schema_file("fleet-1.schema.json");
    check_against(
        &fleet,
        &lastrollup::fleet::report::to_json(&report),
        "fleet with changes",
    );
}

/// A database of the feed fixtures and, when `../shared` is there, the real
/// wesng definitions and CISA KEV catalog.
fn feed_database() -> lastrollup::advisory::database::Database {
    use lastrollup::advisory::feed;
    let mut paths = vec![
        support::fixtures().join("feeds/CVEs_20990120.csv"),
        support::fixtures().join("feeds/kev-small.json"),
    ];
    if let Some(shared) = support::shared() {
        paths = vec![
            shared.join("data/wesng/definitions.zip"),
            shared.join("data/kev/known_exploited_vulnerabilities.json"),
        ];
    }
    let mut db = lastrollup::advisory::database::Database::new();
    for p in paths {
        let bytes = std::fs::read(&p).expect("feed");
        let doc = feed::read(&p.display().to_string(), &bytes, &mut |_, _| {}).expect("feed reads");
        db.add(doc, "feed", "2026-06-30T00:00:00Z").expect("adds");
    }
    db
}

#[test]
fn fleet_reports_validate() {
    let fleet = schema_file("fleet-1.schema.json");
    let kev = lastrollup::assess::exposure::EmbeddedKev(lastrollup::catalog::Catalog::embedded());
    check_against(&fleet, &fleet_json(&kev), "fleet, built-in KEV table");
    let db = feed_database();
    let json = fleet_json(&db);
    assert!(json.contains("\"advisory\": \"database\""));
    check_against(&fleet, &json, "fleet, advisory database");
}

#[test]
fn fleet_host_and_os_are_the_objects_of_check() {
    let fleet = schema_file("fleet-1.schema.json");
    let check = schema_file("check-1.schema.json");
    let host = &fleet["properties"]["hosts"]["items"]["properties"];
    let checked = &check["properties"]["hosts"]["items"]["properties"];
    assert_eq!(host["host"], checked["host"]);
    assert_eq!(host["os"], checked["os"]);
}

/// Every `diagnose` report of the project's fixtures and of the shared
/// corpus validates against docs/schema/diagnose-1.schema.json.
#[test]
fn diagnose_reports_match_their_schema() {
    use lastrollup::catalog::Catalog;
    use lastrollup::diagnose;
    let schema = schema_file("diagnose-1.schema.json");
    let catalog = Catalog::embedded();
    let mut dirs = vec![support::fixtures().join("diagnose")];
    if let Some(shared) = support::shared() {
        dirs.push(shared.join("corpus/logs"));
        dirs.push(shared.join("corpus/logs-more"));
    }
    let mut n = 0;
    for dir in dirs {
        for r in diagnose::read_path(&dir, catalog) {
            let Ok(file) = r else { continue };
            let name = file.file.clone();
            let d = diagnose::diagnose(vec![file], catalog);
            let json = serde_json::to_string(&d.to_json()).expect("JSON");
            check_against(&schema, &json, &name);
            n += 1;
        }
    }
    assert!(n >= 17, "{n} reports checked");
}

/// The offline kit manifest of the captures under `path`.
fn offline_manifest(path: &Path, goal: lastrollup::assess::Goal) -> String {
    use lastrollup::offline::manifest;
    let (files, errors) = lastrollup::fleet::walk::walk(&[path.to_path_buf()]);
    let (read, _) = lastrollup::fleet::walk::read_all(&files);
    let catalog = lastrollup::catalog::Catalog::embedded();
    let kev = lastrollup::assess::exposure::EmbeddedKev(catalog);
    let options = lastrollup::assess::Options {
        as_of: jiff::civil::date(2026, 6, 30),
        goal,
    };
    let report = lastrollup::fleet::assess(&read, &errors, catalog, &kev, options);
    let m = manifest::build(
        &manifest::host_plans(&report, catalog),
        catalog,
        options.as_of,
        goal,
    );
    manifest::to_json(&m)
}

#[test]
fn offline_manifests_match_their_schema() {
    use lastrollup::assess::Goal;
    let schema = schema_file("offline-1.schema.json");
    let fixtures = support::fixtures();
    // The kit fixtures, every fixture (R2, unassessable hosts, bundles
    // with a pending restart), and the examples.
    for path in [
        fixtures.join("offline"),
        fixtures.clone(),
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples"),
    ] {
        for goal in [Goal::Final, Goal::WithoutEsu] {
            let json = offline_manifest(&path, goal);
            check_against(&schema, &json, &path.display().to_string());
        }
    }
    // The validator sees what the schema forbids.
    let json = offline_manifest(&fixtures.join("offline"), Goal::Final);
    let bad = json.replacen("\"sha1\": \"", "\"sha1\": \"X", 1);
    let mut errs = Vec::new();
    validate(
        &schema,
        &serde_json::from_str(&bad).unwrap(),
        "$",
        &mut errs,
    );
    assert!(errs.iter().any(|e| e.contains("sha1")), "{errs:?}");
}
