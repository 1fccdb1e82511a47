//! Errors the library reports about input it cannot use.

use std::fmt;

/// Why a file could not be used as evidence.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EvidenceErrorKind {
    /// The file holds nothing (or only white space).
    #[error("the file is empty")]
    Empty,
    /// The file is larger than any capture lastrollup reads.
    #[error("the file is {size} bytes, more than the {limit}-byte limit for one capture")]
    TooLarge {
        /// Size of the file in bytes.
        size: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// The file could not be read at all (missing, a directory, no permission).
    #[error("cannot read it: {reason}")]
    Unreadable {
        /// What the operating system said.
        reason: String,
    },
    /// The content matches no supported format.
    #[error("unrecognised input: {reason}")]
    Unrecognised {
        /// What was looked for and not found.
        reason: String,
    },
    /// The format was recognised but the content is broken in a way that
    /// leaves nothing usable.
    #[error("malformed {format}: {message}")]
    Malformed {
        /// The format that was recognised.
        format: &'static str,
        /// What is wrong.
        message: String,
    },
}

/// An error about one input file, with the file name and, where it applies,
/// the 1-based line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceError {
    /// The file name as the caller gave it.
    pub file: String,
    /// The 1-based line the error is about, if it is about one line.
    pub line: Option<u32>,
    /// What went wrong.
    pub kind: EvidenceErrorKind,
}

impl EvidenceError {
    /// Builds an error about `file`.
    pub fn new(file: impl Into<String>, line: Option<u32>, kind: EvidenceErrorKind) -> Self {
        Self {
            file: file.into(),
            line,
            kind,
        }
    }
}

impl fmt::Display for EvidenceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.file, line, self.kind),
            None => write!(f, "{}: {}", self.file, self.kind),
        }
    }
}

impl std::error::Error for EvidenceError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.kind)
    }
}
