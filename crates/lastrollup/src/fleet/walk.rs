//! Input: the files under the paths a user gives, read and parsed on every
//! core.
//!
//! Directories are walked recursively in name order, so that the same tree
//! always gives the same list. Inside a walked directory, names that begin
//! with `.` (`.git`, `.DS_Store`) are skipped and symbolic links to
//! directories are not followed (no loops); a path given explicitly is
//! always read. A path that cannot be read becomes an [`EvidenceError`] and
//! never stops the run.

use std::io::Read;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::{EvidenceError, EvidenceErrorKind};
use crate::evidence::{self, EvidenceFile, MAX_FILE_BYTES};

/// The files under `paths`, sorted and without repeats, and the paths that
/// could not be listed.
pub fn walk(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<EvidenceError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => walk_dir(p, &mut files, &mut errors),
            Ok(_) => files.push(p.clone()),
            Err(e) => errors.push(unreadable(p, &e)),
        }
    }
    files.sort();
    files.dedup();
    (files, errors)
}

fn unreadable(path: &Path, e: &std::io::Error) -> EvidenceError {
    EvidenceError::new(
        path.display().to_string(),
        None,
        EvidenceErrorKind::Unreadable {
            reason: e.to_string(),
        },
    )
}

fn walk_dir(dir: &Path, files: &mut Vec<PathBuf>, errors: &mut Vec<EvidenceError>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => return errors.push(unreadable(dir, &e)),
    };
    let mut children: Vec<(PathBuf, std::fs::FileType)> = Vec::new();
    for entry in entries {
        match entry {
            Ok(e) if e.file_name().to_string_lossy().starts_with('.') => {}
            Ok(e) => match e.file_type() {
                Ok(t) => children.push((e.path(), t)),
                Err(err) => errors.push(unreadable(&e.path(), &err)),
            },
            Err(err) => errors.push(unreadable(dir, &err)),
        }
    }
    children.sort_by(|a, b| a.0.cmp(&b.0));
    for (path, kind) in children {
        if kind.is_dir() {
            walk_dir(&path, files, errors);
        } else if kind.is_symlink() {
            // A link to a file is read; a link to a directory is not walked.
            if std::fs::metadata(&path).is_ok_and(|m| m.is_file()) {
                files.push(path);
            }
        } else {
            files.push(path);
        }
    }
}

/// Reads one file, refusing anything larger than a capture can be.
pub fn read(path: &Path) -> Result<Vec<u8>, EvidenceError> {
    let file = std::fs::File::open(path).map_err(|e| unreadable(path, &e))?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| unreadable(path, &e))?;
    Ok(bytes)
}

/// Reads and parses every file, in parallel; the result keeps the order of
/// `paths`. Files that cannot be used come back as errors, in order too.
pub fn read_all(paths: &[PathBuf]) -> (Vec<EvidenceFile>, Vec<EvidenceError>) {
    let results: Vec<Result<EvidenceFile, EvidenceError>> = paths
        .par_iter()
        .map(|p| {
            let bytes = read(p)?;
            evidence::read_file(&p.display().to_string(), &bytes)
        })
        .collect();
    let mut files = Vec::with_capacity(results.len());
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(f) => files.push(f),
            Err(e) => errors.push(e),
        }
    }
    (files, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_sorted_skips_hidden_and_reports_missing() {
        let dir = std::env::temp_dir().join(format!("lastrollup-walk-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("b/c")).unwrap();
        std::fs::create_dir_all(dir.join(".git")).unwrap();
        for f in ["b/c/z.txt", "b/a.txt", "a.txt", ".hidden", ".git/x"] {
            std::fs::write(dir.join(f), "x").unwrap();
        }
        let missing = dir.join("nope");
        let (files, errors) = walk(&[dir.clone(), dir.join("a.txt"), missing]);
        let rel: Vec<String> = files
            .iter()
            .map(|f| f.strip_prefix(&dir).unwrap().display().to_string())
            .collect();
        assert_eq!(rel, ["a.txt", "b/a.txt", "b/c/z.txt"]);
        assert_eq!(errors.len(), 1);
        assert!(errors[0].file.ends_with("nope"), "{:?}", errors[0]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
