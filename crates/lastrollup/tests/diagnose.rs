//! `diagnose` on the project's own fixtures (tests/fixtures/diagnose): one
//! small log per cause, named after the cause it must rank first
//! (`none.log`: no failure). The text report of each is a snapshot.

mod support;

use lastrollup::catalog::Catalog;
use lastrollup::diagnose;

fn fixture_logs() -> Vec<(String, std::path::PathBuf)> {
    let dir = support::fixtures().join("diagnose");
    let mut out: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures/diagnose")
        .map(|e| e.expect("dir entry").path())
        .map(|p| {
            let stem = p
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            (stem, p)
        })
        .collect();
    out.sort();
    out
}

fn run(stem: &str, path: &std::path::Path) -> diagnose::Diagnosis {
    let catalog = Catalog::embedded();
    let bytes = std::fs::read(path).expect("fixture");
    let name = format!("{stem}.log");
    let file = diagnose::read_log(&name, bytes.as_slice(), catalog).expect("readable");
    diagnose::diagnose(vec![file], catalog)
}

#[test]
fn every_documented_cause_has_a_fixture_that_ranks_it_first() {
    let logs = fixture_logs();
    for doc in diagnose::cause::documented() {
        let covered = logs.iter().any(|(s, _)| *s == doc.id)
            || ["untrusted-certificate", "scan-loop"].contains(&doc.id.as_str());
        assert!(covered, "no fixture for {}", doc.id);
    }
    for (stem, path) in &logs {
        let d = run(stem, path);
        let first = d.causes.first().map(|c| c.id.as_str());
        let want = (stem != "none").then_some(stem.as_str());
        assert_eq!(first, want, "{stem}: {:#?}", d.causes);
        assert_eq!(d.failure_found, want.is_some(), "{stem}");
        for c in &d.causes {
            assert!(
                !c.evidence.is_empty() && !c.fix.is_empty(),
                "{stem}: {}",
                c.id
            );
        }
    }
}

#[test]
fn fixture_reports_text_snapshots() {
    for (stem, path) in fixture_logs() {
        let d = run(&stem, &path);
        insta::assert_snapshot!(format!("diagnose-{stem}"), d.to_text());
    }
}

#[test]
fn fixes_take_kb_numbers_from_the_catalog() {
    let catalog = Catalog::embedded();
    let path = support::fixtures().join("diagnose/missing-sha2.log");
    let d = run("missing-sha2", &path);
    let sha2 = catalog
        .updates
        .iter()
        .find(|u| u.kind == lastrollup::catalog::UpdateKind::Sha2)
        .expect("a SHA-2 update in the catalog");
    let fix = d.causes[0].fix.join("\n");
    assert!(fix.contains(&sha2.kb_name()), "{fix}");
    for req in &sha2.requires {
        assert!(fix.contains(&format!("KB{req}")), "{fix}");
    }
    assert_eq!(d.causes[0].kb.as_deref(), Some("KB4541506"));
}

#[test]
fn checksur_lists_what_is_still_damaged() {
    let path = support::fixtures().join("diagnose/store-corruption.log");
    let d = run("store-corruption", &path);
    let damaged = &d.causes[0].damaged;
    assert!(
        damaged.iter().all(|f| !f.contains("KB2813170")),
        "{damaged:?}"
    );
    assert!(
        damaged.iter().any(|f| f.ends_with("6.0.1.1.cat")),
        "{damaged:?}"
    );
    assert!(d.causes[0].fix.join(" ").contains("KB2862152"));
    assert_eq!(d.files[0].os.verdict, "nt60");
}

#[test]
fn wrapped_report_event_is_one_attempt() {
    let text = "2023-02-06      11:45:33:713    1188    1418    Report  REPORT EVENT: {87F8BCEC-\nFE1A-47A9-886D-E56112D19E42}    2023-02-06 11:45:28:713+0900    1       182101{5\n3367D29-F57A-442B-9F49-DC50B1334BD4}    205     80070643        Legacy UpdateFai\nlure    Content Install Installation Failure: Windows failed to install the foll\nowing update with error 0x80070643: Update for Windows (KB\n4014984).\n";
    let catalog = Catalog::embedded();
    let file = diagnose::read_log("wu.log", text.as_bytes(), catalog).expect("readable");
    let d = diagnose::diagnose(vec![file], catalog);
    assert_eq!(d.attempts.len(), 1);
    assert_eq!(d.attempts[0].kb.as_deref(), Some("KB4014984"));
    assert_eq!(d.causes[0].id, "unknown");
    assert!(!d.causes[0].missing.is_empty());
}

#[test]
fn a_folder_is_read_file_by_file() {
    let catalog = Catalog::embedded();
    let files = diagnose::read_path(&support::fixtures().join("diagnose"), catalog);
    assert_eq!(files.len(), fixture_logs().len());
    assert!(files.iter().all(Result::is_ok));
}

#[test]
fn routine_agent_warnings_are_not_failures() {
    let text = "2022-11-13\t11:15:01:303\t1048\tfd4\tAgent\tWARNING: Failed to evaluate Installable rule, updateId = {2E2A1D0E-0E7B-4A8E-8B0C-3C6A5E7F1A22}.101, hr = 80242013\n\
                2022-11-13\t11:15:01:304\t1048\tfd4\tPT\tWARNING: Cached cookie has expired or new PID is available\n\
                2022-11-13\t11:15:09:010\t1048\tfd4\tAgent\t  * Found 0 updates and 52 categories in search; evaluated appl. rules of 1290 out of 2110 deployed entities\n";
    let catalog = Catalog::embedded();
    let file = diagnose::read_log("wu.log", text.as_bytes(), catalog).expect("readable");
    let d = diagnose::diagnose(vec![file], catalog);
    assert!(d.causes.is_empty(), "{:#?}", d.causes);
}
