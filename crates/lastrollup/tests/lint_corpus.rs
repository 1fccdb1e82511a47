//! `lastrollup lint` on the labelled corpus (`../shared/corpus/scripts`):
//! file-level precision and recall against LABELS.csv. A file labelled
//! `brittle` must get at least one finding, a file labelled `ok` none;
//! `unclear` files are not counted.

mod support;

use lastrollup::lint::{lint_bytes, Config};

#[test]
fn corpus_precision_and_recall() {
    let Some(shared) = support::shared() else {
        return;
    };
    let dir = shared.join("corpus/scripts");
    let rows = support::csv_rows(&dir.join("LABELS.csv"));
    let (mut tp, mut fp, mut fn_, mut tn) = (0u32, 0u32, 0u32, 0u32);
    let mut report = String::new();
    for row in &rows {
        let (file, verdict) = (&row["file"], row["verdict"].as_str());
        let bytes = std::fs::read(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        let findings = lint_bytes(file, &bytes, &Config::default()).unwrap_or_default();
        let flagged = !findings.is_empty();
        let rules: Vec<String> = findings
            .iter()
            .map(|f| format!("{}@{}", f.rule, f.line))
            .collect();
        match (verdict, flagged) {
            ("brittle", true) => tp += 1,
            ("brittle", false) => fn_ += 1,
            ("ok", true) => fp += 1,
            ("ok", false) => tn += 1,
            _ => {}
        }
        report.push_str(&format!("{verdict:8} {:5} {file} {rules:?}\n", flagged));
    }
    let precision = f64::from(tp) / f64::from((tp + fp).max(1));
    let recall = f64::from(tp) / f64::from((tp + fn_).max(1));
    println!("{report}");
    println!("tp={tp} fp={fp} fn={fn_} tn={tn} precision={precision:.3} recall={recall:.3}");
    assert!(
        tp + fn_ >= 20,
        "too few brittle rows: the labels were not read"
    );
    assert!(
        precision >= 0.95,
        "precision {precision:.3} < 0.95\n{report}"
    );
    assert!(recall >= 0.95, "recall {recall:.3} < 0.95\n{report}");
}
