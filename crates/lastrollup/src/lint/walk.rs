//! Finding and reading the files to lint.
//!
//! Directories are walked with the `ignore` crate (ripgrep's walker): it
//! honours `.gitignore`, `.ignore` and git's exclude files, skips hidden
//! files, never follows symbolic links (so a link loop cannot trap it), and
//! walks in parallel on every core. Writing this by hand with `walkdir` and
//! `rayon` would mean re-implementing gitignore semantics; `ignore` is the
//! de-facto implementation, maintained with ripgrep, and its dependencies
//! (`globset`, `walkdir`, `crossbeam-deque`) are small.
//!
//! A file is read whole up to [`WHOLE_FILE_LIMIT`]; a larger one is read in
//! chunks of lines, each line cut at [`MAX_LINE`] bytes, so memory stays
//! bounded on a 1 GB minified file.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use ignore::{WalkBuilder, WalkState};

use super::source::{self, looks_binary, CHUNK_LINES, CHUNK_OVERLAP, MAX_LINE, WHOLE_FILE_LIMIT};
use super::stream::{utf16_encoding, Utf16Reader};
use super::{Config, Finding, Language, LintError, Outcome};

/// Bytes of chunk text above which a large file's chunk is linted.
const CHUNK_BYTES: usize = 8 * 1024 * 1024;

/// Lints every file under `paths` (files are linted even when ignored).
pub fn run(paths: &[PathBuf], config: &Config) -> Outcome {
    let outcome = Mutex::new(Outcome::default());
    let Some((first, rest)) = paths.split_first() else {
        return Outcome::default();
    };
    let mut builder = WalkBuilder::new(first);
    for p in rest {
        builder.add(p);
    }
    builder.follow_links(false);
    builder.build_parallel().run(|| {
        let outcome = &outcome;
        Box::new(move |entry| {
            match entry {
                Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => {
                    let result = lint_file(e.path(), config);
                    record(outcome, result);
                }
                Ok(_) => {}
                Err(err) => push_error(outcome, LintError::Walk(err.to_string())),
            }
            WalkState::Continue
        })
    });
    outcome.into_inner().unwrap_or_else(|p| p.into_inner())
}

fn record(outcome: &Mutex<Outcome>, result: Result<Option<Vec<Finding>>, LintError>) {
    let mut o = outcome.lock().unwrap_or_else(|p| p.into_inner());
    match result {
        Ok(Some(mut f)) => {
            o.files += 1;
            o.findings.append(&mut f);
        }
        Ok(None) => o.binary += 1,
        Err(e) => o.errors.push(e),
    }
}

fn push_error(outcome: &Mutex<Outcome>, e: LintError) {
    outcome
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .errors
        .push(e);
}

/// Lints one file from disk; `None` when it is binary.
pub fn lint_file(path: &Path, config: &Config) -> Result<Option<Vec<Finding>>, LintError> {
    let io = |source| LintError::Io {
        path: path.to_path_buf(),
        source,
    };
    let name = path.to_string_lossy().into_owned();
    let file = File::open(path).map_err(io)?;
    let size = file.metadata().map_err(io)?.len();
    if size as usize <= WHOLE_FILE_LIMIT {
        let mut bytes = Vec::with_capacity(size as usize);
        file.take(WHOLE_FILE_LIMIT as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(io)?;
        return Ok(super::lint_bytes(&name, &bytes, config));
    }
    lint_large(&name, file, config).map_err(io)
}

/// Lints a large file chunk by chunk (bounded memory). UTF-16 (with or
/// without a byte-order mark) is decoded as a stream; anything else is read
/// as UTF-8, invalid bytes replaced (legacy code pages are not detected in
/// large files: their ASCII, which is all the rules look for, reads the same).
fn lint_large(name: &str, file: File, config: &Config) -> std::io::Result<Option<Vec<Finding>>> {
    let mut reader = BufReader::with_capacity(64 * 1024, file);
    let head = reader.fill_buf()?;
    if looks_binary(head) {
        return Ok(None);
    }
    match utf16_encoding(head) {
        Some(enc) => {
            let decoded = BufReader::with_capacity(64 * 1024, Utf16Reader::new(reader, enc));
            lint_lines_of(name, decoded, config)
        }
        None => lint_lines_of(name, reader, config),
    }
}

/// Lints the lines `reader` yields, in chunks.
fn lint_lines_of(
    name: &str,
    mut reader: impl BufRead,
    config: &Config,
) -> std::io::Result<Option<Vec<Finding>>> {
    let mut chunk = Chunk::new(name, config);
    let mut buf = Vec::with_capacity(MAX_LINE);
    while read_capped_line(&mut reader, &mut buf)? {
        chunk.push(String::from_utf8_lossy(&buf).into_owned());
    }
    chunk.flush();
    Ok(Some(chunk.findings))
}

/// Lines of a large file waiting to be linted.
struct Chunk<'a> {
    name: &'a str,
    config: &'a Config,
    language: Option<Language>,
    lines: Vec<String>,
    bytes: usize,
    /// Line number of `lines[0]`.
    first: usize,
    /// Lines at the front of `lines` already linted (overlap context).
    done: usize,
    findings: Vec<Finding>,
}

impl<'a> Chunk<'a> {
    fn new(name: &'a str, config: &'a Config) -> Self {
        Chunk {
            name,
            config,
            language: None,
            lines: Vec::new(),
            bytes: 0,
            first: 1,
            done: 0,
            findings: Vec::new(),
        }
    }

    fn push(&mut self, line: String) {
        if self.language.is_none() {
            self.language = Some(Language::detect(self.name, &line));
        }
        self.bytes += line.len();
        self.lines.push(line);
        if self.lines.len() >= CHUNK_LINES || self.bytes >= CHUNK_BYTES {
            self.flush();
        }
    }

    fn flush(&mut self) {
        if self.lines.len() <= self.done {
            return;
        }
        let language = self.language.unwrap_or(Language::Text);
        let keep_from = self.first + self.done;
        let found = source::lint_lines(
            self.name,
            language,
            self.lines.iter().map(String::as_str),
            self.first,
            self.config,
        );
        self.findings
            .extend(found.into_iter().filter(|f| f.line >= keep_from));
        let cut = self.lines.len().saturating_sub(CHUNK_OVERLAP);
        self.lines.drain(..cut);
        self.first += cut;
        self.done = self.lines.len();
        self.bytes = self.lines.iter().map(String::len).sum();
    }
}

/// Reads one line into `buf` (newline included), keeping at most
/// [`MAX_LINE`] bytes of it and skipping the rest. False at end of input.
fn read_capped_line(reader: &mut impl BufRead, buf: &mut Vec<u8>) -> std::io::Result<bool> {
    buf.clear();
    let mut any = false;
    loop {
        let available = reader.fill_buf()?;
        if available.is_empty() {
            return Ok(any);
        }
        any = true;
        let (take, done) = match memchr::memchr(b'\n', available) {
            Some(p) => (p + 1, true),
            None => (available.len(), false),
        };
        let room = MAX_LINE.saturating_sub(buf.len());
        buf.extend_from_slice(&available[..take.min(room)]);
        reader.consume(take);
        if done {
            if buf.last() == Some(&b'\n') {
                buf.pop();
            }
            return Ok(true);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capped_lines() {
        let long = "x".repeat(MAX_LINE * 3);
        let input = format!("a\n{long}\nb");
        let mut r = BufReader::with_capacity(16, input.as_bytes());
        let mut buf = Vec::new();
        let mut lines = Vec::new();
        while read_capped_line(&mut r, &mut buf).unwrap() {
            lines.push(buf.len());
        }
        assert_eq!(lines, vec![1, MAX_LINE, 1]);
    }

    #[test]
    fn chunks_keep_line_numbers_and_context() {
        let config = Config::default();
        let mut chunk = Chunk::new("big.ps1", &config);
        for i in 0..(CHUNK_LINES * 2 + 10) {
            let line = if i == CHUNK_LINES + 3 {
                "if ($os.BuildNumber -eq 6002) { 'SP2' }".to_string()
            } else {
                format!("Write-Host {i}")
            };
            chunk.push(line);
        }
        chunk.flush();
        assert_eq!(chunk.findings.len(), 1);
        assert_eq!(chunk.findings[0].line, CHUNK_LINES + 4);
    }
}
