//! `diagnose` over the labelled logs in ../shared/corpus: the right root
//! cause first on at least 90 % of the labelled files.
//!
//! `logs-more/LABELS.csv` names a root cause per file (`root_cause`); the
//! finer label names map onto the documented cause ids (docs/diagnose.md)
//! with [`expected_id`]. `logs/LABELS.csv` has no cause column (its
//! `root_cause_reached` is free text, mostly "not established"): those files
//! are checked for reading without error and for the NT 6.0 verdict of
//! the files marked NOT_NT60 where the lines carry a version.

mod support;

use std::path::Path;

use lastrollup::catalog::Catalog;
use lastrollup::diagnose;

/// The documented id a label's `root_cause` means; `None` = no failure.
fn expected_id(label: &str) -> Option<&str> {
    match label {
        "none" | "" => None,
        "catroot-db-log-full" => Some("catroot-corruption"),
        "scan-loop-missing-updates" => Some("scan-loop"),
        "wsus-signing-cert-untrusted" => Some("untrusted-certificate"),
        "wsus-max-round-trips" => Some("wsus-server"),
        "pending-package" => Some("pending-reboot"),
        other => Some(other),
    }
}

fn diagnose_file(path: &Path, name: &str) -> diagnose::Diagnosis {
    let catalog = Catalog::embedded();
    let files: Vec<_> = diagnose::read_path(path, catalog)
        .into_iter()
        .map(|r| r.unwrap_or_else(|e| panic!("{name}: {e}")))
        .collect();
    diagnose::diagnose(files, catalog)
}

#[test]
fn labelled_root_cause_first_on_90_percent() {
    let Some(shared) = support::shared() else {
        return;
    };
    let dir = shared.join("corpus/logs-more");
    let rows = support::csv_rows(&dir.join("LABELS.csv"));
    assert!(rows.len() >= 10, "labels: {}", rows.len());
    let mut right = 0;
    let mut report = Vec::new();
    for row in &rows {
        let file = &row["file"];
        let want = expected_id(&row["root_cause"]);
        let d = diagnose_file(&dir.join(file), file);
        let got = d.causes.first().map(|c| c.id.as_str());
        let ok = got == want;
        right += usize::from(ok);
        report.push(format!(
            "{} {:<28} want {:<24} got {:<24} ({})",
            if ok { "ok  " } else { "MISS" },
            row["root_cause"],
            want.unwrap_or("(none)"),
            got.unwrap_or("(none)"),
            file
        ));
    }
    let pct = right * 100 / rows.len();
    println!("{}\n{right}/{} = {pct} %", report.join("\n"), rows.len());
    assert!(
        right * 10 >= rows.len() * 9,
        "{}\n{right}/{}",
        report.join("\n"),
        rows.len()
    );
}

#[test]
fn unlabelled_corpus_reads_and_flags_other_windows() {
    let Some(shared) = support::shared() else {
        return;
    };
    let dir = shared.join("corpus/logs");
    for row in support::csv_rows(&dir.join("LABELS.csv")) {
        let file = &row["file"];
        let d = diagnose_file(&dir.join(file), file);
        let verdict = d.files[0].os.verdict;
        if file.contains("NOT_NT60") {
            assert_ne!(verdict, "nt60", "{file}");
        }
        println!(
            "{file}: {verdict}, first cause {:?}",
            d.causes.first().map(|c| &c.id)
        );
    }
}
