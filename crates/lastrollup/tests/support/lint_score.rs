//! File-level scoring of `lint` against a labelled set (a folder with a
//! `LABELS.csv` of `file,verdict,…` rows, `brittle` or `ok`), shared by the
//! corpus test and the held-out set's test.

use std::path::Path;

use lastrollup::lint::{lint_bytes, Config};

/// True and false positives and negatives over a labelled set, with one
/// report line per file (verdict, whether lint flagged it, its findings).
pub struct Score {
    pub tp: u32,
    pub fp: u32,
    pub fn_: u32,
    pub tn: u32,
    pub report: String,
}

impl Score {
    /// Precision: of the flagged files, how many are brittle.
    pub fn precision(&self) -> f64 {
        f64::from(self.tp) / f64::from((self.tp + self.fp).max(1))
    }

    /// Recall: of the brittle files, how many are flagged.
    pub fn recall(&self) -> f64 {
        f64::from(self.tp) / f64::from((self.tp + self.fn_).max(1))
    }

    /// Prints the report and the totals, and asserts both figures reach
    /// `floor`.
    pub fn print_and_assert(&self, floor: f64) {
        let (precision, recall) = (self.precision(), self.recall());
        println!("{}", self.report);
        println!(
            "tp={} fp={} fn={} tn={} precision={precision:.3} recall={recall:.3}",
            self.tp, self.fp, self.fn_, self.tn
        );
        assert!(
            precision >= floor,
            "precision {precision:.3} < {floor}\n{}",
            self.report
        );
        assert!(
            recall >= floor,
            "recall {recall:.3} < {floor}\n{}",
            self.report
        );
    }
}

/// Lints every file `dir/LABELS.csv` names and scores it at file level.
pub fn score(dir: &Path) -> Score {
    let rows = super::csv_rows(&dir.join("LABELS.csv"));
    let mut s = Score {
        tp: 0,
        fp: 0,
        fn_: 0,
        tn: 0,
        report: String::new(),
    };
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
            ("brittle", true) => s.tp += 1,
            ("brittle", false) => s.fn_ += 1,
            ("ok", true) => s.fp += 1,
            ("ok", false) => s.tn += 1,
            _ => {}
        }
        s.report
            .push_str(&format!("{verdict:8} {flagged:5} {file} {rules:?}\n"));
    }
    s
}
