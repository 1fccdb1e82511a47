//! `lint`: find scripts, installers and programs that break on NT 6.0 build
//! 6003 or misread the NT 6.0 family.
//!
//! In March 2019 the monthly rollups raised Windows Server 2008 SP2 / Vista
//! SP2 from build 6002 to 6003. Code that tests `build == 6002`, matches
//! `"6.0.6002"`, bounds the build at `<= 6002`, calls every NT 6.0 host
//! "Vista" or matches "Windows Server 2008*" stopped recognising the machines
//! it was written for. This module finds those checks.
//!
//! The layers, each depending only on the ones before it:
//!
//! ```text
//! walk (files) ──► source (decoded, capped lines, language, prefilter)
//!             ──► rules (pure, one file per rule) ──► Finding ──► output
//! ```
//!
//! ```
//! use lastrollup::lint::{lint_text, Config};
//! let findings = lint_text("check.ps1", "if ($os.BuildNumber -eq 6002) { 'SP2' }\n", &Config::default());
//! assert_eq!(findings[0].rule, "exact-build-6002");
//! ```

pub mod baseline;
pub mod fix;
pub mod language;
pub mod output;
pub mod rules;
pub mod source;
pub mod stream;
pub mod walk;

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

pub use language::Language;
pub use rules::{RuleMeta, Severity};

/// One place where a check breaks on build 6003 or misreads NT 6.0.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// The file, as it was named on the command line or found under it.
    pub path: String,
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, in characters, of the start of the offending code.
    pub column: usize,
    /// The rule's stable kebab-case id.
    pub rule: String,
    /// How bad it is.
    pub severity: Severity,
    /// What is wrong here.
    pub message: String,
    /// What to do about it.
    pub fix: String,
    /// The offending line without trailing white space (its first 4,096 bytes at most,
    /// or the 4,096-byte window of a longer line that the finding is in).
    pub snippet: String,
    /// Characters of the line before `snippet` starts: 0 but for a window of
    /// a line longer than 4,096 bytes. Not part of the JSON contract.
    #[serde(skip)]
    pub snippet_offset: usize,
}

/// Which rules run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// Only these rules (ids or codes); empty means every rule.
    pub select: Vec<String>,
    /// Never these rules (ids or codes).
    pub ignore: Vec<String>,
}

impl Config {
    /// Whether the rule with this metadata is enabled.
    pub fn enabled(&self, meta: &RuleMeta) -> bool {
        let named = |list: &[String]| list.iter().any(|s| meta.is_named(s));
        (self.select.is_empty() || named(&self.select)) && !named(&self.ignore)
    }

    /// Reads the `[lint]` section (`select = [...]`, `ignore = [...]`) of a
    /// `lastrollup.toml`; a file without the section gives the default.
    pub fn from_toml(path: &std::path::Path, text: &str) -> Result<Self, LintError> {
        #[derive(Deserialize, Default)]
        #[serde(deny_unknown_fields)]
        struct Section {
            #[serde(default)]
            select: Vec<String>,
            #[serde(default)]
            ignore: Vec<String>,
        }
        #[derive(Deserialize)]
        struct File {
            #[serde(default)]
            lint: Option<Section>,
        }
        let file: File = toml::from_str(text).map_err(|e| LintError::BadInput {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        let section = file.lint.unwrap_or_default();
        let config = Config {
            select: section.select,
            ignore: section.ignore,
        };
        config.validate()?;
        Ok(config)
    }

    /// Checks that every name in `select` and `ignore` is a known rule.
    pub fn validate(&self) -> Result<(), LintError> {
        for name in self.select.iter().chain(&self.ignore) {
            if rules::find(name).is_none() {
                return Err(LintError::UnknownRule(name.clone()));
            }
        }
        Ok(())
    }
}

/// Why linting could not be done, or not for one file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LintError {
    /// A file or directory could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The directory walk failed somewhere (a loop, a permission).
    #[error("{0}")]
    Walk(String),
    /// A rule name that no rule has.
    #[error("unknown rule {0:?} (see `lastrollup lint --explain` for the list)")]
    UnknownRule(String),
    /// A baseline or configuration file that cannot be used.
    #[error("{path}: {message}")]
    BadInput {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
}

/// What one lint run found.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Every finding, sorted by path, line and column.
    pub findings: Vec<Finding>,
    /// Files or directories that could not be read; the rest were linted.
    pub errors: Vec<LintError>,
    /// How many files were linted.
    pub files: usize,
    /// How many files were skipped as binary.
    pub binary: usize,
}

/// Lints the text of one file named `path` (the language comes from the
/// name and the first line).
pub fn lint_text(path: &str, text: &str, config: &Config) -> Vec<Finding> {
    let language = Language::detect(path, text.lines().next().unwrap_or(""));
    let mut out = source::lint_text(path, language, text, config);
    sort(&mut out);
    out
}

/// Lints the raw bytes of one file: decodes them (UTF-8, UTF-16 with or
/// without a BOM, legacy code pages) and lints the text. Returns `None` for
/// a binary file.
pub fn lint_bytes(path: &str, bytes: &[u8], config: &Config) -> Option<Vec<Finding>> {
    if source::looks_binary(bytes) {
        return None;
    }
    if !source::may_match(bytes) {
        return Some(Vec::new());
    }
    if let Some(text) = source::plain_utf8(bytes) {
        return Some(lint_text(path, text, config));
    }
    let text = source::decode(bytes)?;
    Some(lint_text(path, &text, config))
}

/// Lints files and directories (directories are walked in parallel,
/// honouring `.gitignore`; see [`walk`]).
pub fn lint_paths(paths: &[PathBuf], config: &Config) -> Outcome {
    let mut outcome = walk::run(paths, config);
    sort(&mut outcome.findings);
    outcome
}

fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (&a.path, a.line, a.column, &a.rule).cmp(&(&b.path, b.line, b.column, &b.rule))
    });
}
