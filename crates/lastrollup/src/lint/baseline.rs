//! Baselines: report only findings that an earlier `--format json` output
//! did not already have.
//!
//! A finding is matched by path, rule and the text of its line (white space
//! ignored), not by line number, so edits above a finding do not bring it
//! back; each baseline entry absorbs one finding.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

use super::{Finding, LintError};

/// The findings of an earlier run, counted by key.
#[derive(Debug, Default)]
pub struct Baseline {
    counts: HashMap<(String, String, String), usize>,
}

#[derive(Deserialize)]
struct Document {
    schema: String,
    findings: Vec<Finding>,
}

fn key(f: &Finding) -> (String, String, String) {
    let text: String = f.snippet.split_whitespace().collect::<Vec<_>>().join(" ");
    (f.path.replace('\\', "/"), f.rule.clone(), text)
}

impl Baseline {
    /// Reads a `lastrollup.lint/1` JSON document.
    pub fn read(path: &Path, text: &str) -> Result<Self, LintError> {
        let bad = |message: String| LintError::BadInput {
            path: path.to_path_buf(),
            message,
        };
        let doc: Document = serde_json::from_str(text).map_err(|e| bad(e.to_string()))?;
        if doc.schema != super::output::SCHEMA {
            return Err(bad(format!(
                "schema is {:?}, expected {:?}",
                doc.schema,
                super::output::SCHEMA
            )));
        }
        let mut counts = HashMap::new();
        for f in &doc.findings {
            *counts.entry(key(f)).or_insert(0) += 1;
        }
        Ok(Baseline { counts })
    }

    /// Removes from `findings` those the baseline already has.
    pub fn filter(&self, findings: &mut Vec<Finding>) {
        let mut left = self.counts.clone();
        findings.retain(|f| match left.get_mut(&key(f)) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        });
    }
}
