//! Findings: what a person should know about a host, each with a stable id
//! documented in docs/findings.md.

use serde::Serialize;

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; nothing is wrong.
    Info,
    /// The answer may be wrong or incomplete until this is looked at.
    Warning,
    /// The evidence contradicts itself or the host is in a broken state.
    Error,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable kebab-case id.
    pub id: &'static str,
    /// Severity.
    pub severity: Severity,
    /// What is wrong and what to do, for a person.
    pub message: String,
    /// The sources the finding is about (`file:line (format)`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
}

impl Finding {
    /// A finding without sources.
    pub fn new(id: &'static str, severity: Severity, message: impl Into<String>) -> Self {
        Self {
            id,
            severity,
            message: message.into(),
            sources: Vec::new(),
        }
    }

    /// Adds the sources the finding is about.
    pub fn with_sources(mut self, sources: Vec<String>) -> Self {
        self.sources = sources;
        self
    }
}
