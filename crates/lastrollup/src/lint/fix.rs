//! Fixes: the edits rules propose for their findings, applied to a file's
//! text in the file's own encoding, shown as a unified diff or written back
//! atomically.
//!
//! A fix is *safe* when it changes the outcome of the test for build 6003
//! and for no other build (see each rule's "Fix safety"); `--fix` applies
//! only those, `--diff` shows every edit. A file is rewritten only when its
//! text can be written back byte for byte apart from the edits: UTF-8 with
//! or without a BOM, UTF-16 LE/BE with or without a BOM, line endings as
//! they were. Files in a legacy code page, with invalid UTF-8 or unpaired
//! UTF-16 surrogates, or above the whole-file limit are left alone.

use std::io::Write as _;
use std::path::Path;

use super::rules;
use super::source::WHOLE_FILE_LIMIT;
use super::stream::utf16_encoding;
use super::Finding;

/// One edit of one line of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// The finding's rule id.
    pub rule: String,
    /// 1-based line number.
    pub line: usize,
    /// Characters of the line before the window the offsets count from (0
    /// but for a window of a line longer than 4,096 bytes).
    pub window: usize,
    /// Byte offset in the window where the replaced text starts.
    pub start: usize,
    /// Byte offset where it ends.
    pub end: usize,
    /// The window's text up to `end` as it was linted (checked before the
    /// edit is made, so a file changed since is not mangled).
    pub expected: String,
    /// The new text.
    pub replacement: String,
    /// Whether `--fix` may apply it.
    pub safe: bool,
}

/// The edits the rules propose for `findings` (all of one file or many).
pub fn edits(findings: &[Finding]) -> Vec<Edit> {
    findings.iter().flat_map(edits_of).collect()
}

/// The edits for one finding: its own and those of the same rule's later
/// tests on its line.
fn edits_of(f: &Finding) -> Vec<Edit> {
    let Some(rule) = rules::rule(&f.rule) else {
        return Vec::new();
    };
    let at = f
        .column
        .checked_sub(1 + f.snippet_offset)
        .and_then(|n| f.snippet.char_indices().nth(n))
        .map(|(i, _)| i);
    let Some(at) = at else {
        return Vec::new();
    };
    let language = super::Language::detect(&f.path, "");
    rule.edits(&f.snippet, at, language)
        .into_iter()
        .filter_map(|p| {
            Some(Edit {
                rule: f.rule.clone(),
                line: f.line,
                window: f.snippet_offset,
                start: p.start,
                end: p.end,
                expected: f.snippet.get(..p.end)?.to_string(),
                replacement: p.replacement,
                safe: p.safe,
            })
        })
        .collect()
}

/// How a file's text is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8, with a byte-order mark or not.
    Utf8 {
        /// Whether it starts with EF BB BF.
        bom: bool,
    },
    /// UTF-16.
    Utf16 {
        /// Little-endian (else big-endian).
        little: bool,
        /// Whether it starts with a byte-order mark.
        bom: bool,
    },
}

/// Why a file is not rewritten.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum FixError {
    /// Not UTF-8 or UTF-16 that round-trips exactly.
    #[error("not rewritten: neither valid UTF-8 nor valid UTF-16 (a legacy code page or invalid bytes), so its encoding could not be kept")]
    Encoding,
    /// Above the size linted as a whole.
    #[error("not rewritten: larger than {WHOLE_FILE_LIMIT} bytes")]
    TooLarge,
    /// The file could not be read.
    #[error("not rewritten: {0}")]
    Io(String),
}

/// What fixing one file would do.
#[derive(Debug)]
pub struct FilePlan {
    /// The file, as the findings name it.
    pub path: String,
    /// Its rewrite, or why there is none.
    pub result: Result<Rewrite, FixError>,
}

/// Reads every file `findings` name that has an edit and applies its edits
/// (only the safe ones when `safe_only`), in path order. Nothing is written.
pub fn plan(findings: &[Finding], safe_only: bool) -> Vec<FilePlan> {
    let mut by_path: std::collections::BTreeMap<&str, Vec<Edit>> = Default::default();
    for f in findings {
        for e in edits_of(f).into_iter().filter(|e| e.safe || !safe_only) {
            by_path.entry(f.path.as_str()).or_default().push(e);
        }
    }
    by_path
        .into_iter()
        .map(|(path, edits)| FilePlan {
            path: path.to_string(),
            result: std::fs::read(path)
                .map_err(|e| FixError::Io(e.to_string()))
                .and_then(|bytes| rewrite(&bytes, &edits)),
        })
        .collect()
}

/// A file's text before and after its edits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rewrite {
    /// How the file is stored (and will be written back).
    pub encoding: Encoding,
    /// The text before.
    pub old: String,
    /// The text after.
    pub new: String,
    /// The edits made (stale or overlapping ones are dropped).
    pub applied: Vec<Edit>,
}

impl Rewrite {
    /// The new text in the file's encoding.
    pub fn bytes(&self) -> Vec<u8> {
        encode(&self.new, self.encoding)
    }
}

/// Applies `edits` (all for this file) to its `bytes`.
pub fn rewrite(bytes: &[u8], edits: &[Edit]) -> Result<Rewrite, FixError> {
    if bytes.len() > WHOLE_FILE_LIMIT {
        return Err(FixError::TooLarge);
    }
    let (old, encoding) = decode_exact(bytes).ok_or(FixError::Encoding)?;
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.line, std::cmp::Reverse((e.window, e.start))));
    let mut new = String::with_capacity(old.len() + 16 * edits.len());
    let mut applied = Vec::new();
    let mut pending = sorted.into_iter().peekable();
    for (i, raw) in old.split_inclusive('\n').enumerate() {
        let body = raw.trim_end_matches('\n').trim_end_matches('\r');
        let mut line = body.to_string();
        let mut floor = usize::MAX;
        while let Some(e) = pending.next_if(|e| e.line <= i + 1) {
            let base = match e.window {
                0 => Some(0),
                n => body.char_indices().nth(n).map(|(b, _)| b),
            };
            let Some(base) = base.filter(|_| e.line == i + 1 && e.start <= e.end) else {
                continue;
            };
            let (start, end) = (base + e.start, base + e.end);
            let fits = end <= floor && body.get(base..end) == Some(e.expected.as_str());
            if fits && line.is_char_boundary(start) {
                line.replace_range(start..end, &e.replacement);
                floor = start;
                applied.push(e.clone());
            }
        }
        new.push_str(&line);
        new.push_str(&raw[body.len()..]);
    }
    applied.reverse();
    applied.sort_by_key(|e| (e.line, e.window, e.start));
    Ok(Rewrite {
        encoding,
        old,
        new,
        applied,
    })
}

/// Decodes bytes that re-encode to exactly themselves.
fn decode_exact(bytes: &[u8]) -> Option<(String, Encoding)> {
    if let Some(enc) = utf16_encoding(bytes) {
        let little = enc == encoding_rs::UTF_16LE;
        let bom = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
        let body = &bytes[if bom { 2 } else { 0 }..];
        if body.len() % 2 != 0 {
            return None;
        }
        let units = body.chunks_exact(2).map(|p| {
            let pair = [p[0], p[1]];
            if little {
                u16::from_le_bytes(pair)
            } else {
                u16::from_be_bytes(pair)
            }
        });
        let text: String = char::decode_utf16(units).collect::<Result<_, _>>().ok()?;
        return Some((text, Encoding::Utf16 { little, bom }));
    }
    let (body, bom) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (rest, true),
        None => (bytes, false),
    };
    let text = std::str::from_utf8(body).ok()?;
    Some((text.to_string(), Encoding::Utf8 { bom }))
}

/// Encodes text for a file stored as `encoding`.
pub fn encode(text: &str, encoding: Encoding) -> Vec<u8> {
    match encoding {
        Encoding::Utf8 { bom } => {
            let mut out = if bom {
                b"\xEF\xBB\xBF".to_vec()
            } else {
                Vec::new()
            };
            out.extend_from_slice(text.as_bytes());
            out
        }
        Encoding::Utf16 { little, bom } => {
            let units = bom
                .then_some(0xFEFF_u16)
                .into_iter()
                .chain(text.encode_utf16());
            units
                .flat_map(|u| {
                    if little {
                        u.to_le_bytes()
                    } else {
                        u.to_be_bytes()
                    }
                })
                .collect()
        }
    }
}

/// Writes `bytes` over `path` atomically: a temporary file in the same
/// directory (with the original's permissions), synced, then renamed over
/// the original.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{name}.lastrollup-fix.{}.tmp", std::process::id()));
    let result = (|| {
        let permissions = std::fs::metadata(path)?.permissions();
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        std::fs::set_permissions(&tmp, permissions)?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Lines of context around each change in a diff.
const CONTEXT: usize = 3;

/// A unified diff of `old` to `new` (the same number of lines: edits never
/// add or remove one) for the file named `path`; each hunk header names the
/// edits in it and whether they are safe. Empty when nothing changed.
pub fn unified_diff(path: &str, rewrite: &Rewrite) -> String {
    let old: Vec<&str> = rewrite.old.split_inclusive('\n').collect();
    let new: Vec<&str> = rewrite.new.split_inclusive('\n').collect();
    let changed: Vec<usize> = (0..old.len().min(new.len()))
        .filter(|&i| old[i] != new[i])
        .collect();
    if changed.is_empty() {
        return String::new();
    }
    let mut out = format!("--- a/{path}\n+++ b/{path}\n");
    for (first, last) in rules::clusters(&changed, 2 * CONTEXT) {
        let from = first.saturating_sub(CONTEXT);
        let to = (last + CONTEXT).min(old.len() - 1);
        let notes: Vec<String> = rewrite
            .applied
            .iter()
            .filter(|e| (first + 1..=last + 1).contains(&e.line))
            .map(|e| format!("{} ({})", e.rule, if e.safe { "safe" } else { "unsafe" }))
            .collect();
        let n = to - from + 1;
        out.push_str(&format!(
            "@@ -{0},{n} +{0},{n} @@ {1}\n",
            from + 1,
            notes.join(", ")
        ));
        let mut i = from;
        while i <= to {
            if old[i] == new[i] {
                diff_line(&mut out, ' ', old[i]);
                i += 1;
                continue;
            }
            let run_end = (i..=to).find(|&j| old[j] == new[j]).unwrap_or(to + 1);
            for line in &old[i..run_end] {
                diff_line(&mut out, '-', line);
            }
            for line in &new[i..run_end] {
                diff_line(&mut out, '+', line);
            }
            i = run_end;
        }
    }
    out
}

fn diff_line(out: &mut String, mark: char, line: &str) {
    out.push(mark);
    match line.strip_suffix('\n') {
        Some(body) => {
            out.push_str(body.strip_suffix('\r').unwrap_or(body));
            out.push('\n');
        }
        None => {
            out.push_str(line.strip_suffix('\r').unwrap_or(line));
            out.push_str("\n\\ No newline at end of file\n");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(line: usize, start: usize, end: usize, expected: &str, new: &str) -> Edit {
        Edit {
            rule: "exact-build-6002".into(),
            line,
            window: 0,
            start,
            end,
            expected: expected.into(),
            replacement: new.into(),
            safe: true,
        }
    }

    #[test]
    fn edits_keep_line_endings_and_skip_stale_ones() {
        let text = "a == 6002\r\nb == 6002\r\nc";
        let edits = [
            edit(1, 2, 4, "a ==", ">="),
            edit(2, 2, 4, "x ==", ">="), // stale: line 2 is not "x =="
            edit(3, 0, 1, "c", "d"),
        ];
        let r = rewrite(text.as_bytes(), &edits).expect("utf-8");
        assert_eq!(r.new, "a >= 6002\r\nb == 6002\r\nd");
        assert_eq!(r.applied.len(), 2);
        let diff = unified_diff("x.ps1", &r);
        assert!(diff.contains("-a == 6002\n+a >= 6002\n"), "{diff}");
        assert!(
            diff.contains("-c\n\\ No newline at end of file\n+d\n"),
            "{diff}"
        );
    }

    #[test]
    fn encodings_round_trip_or_are_refused() {
        for enc in [
            Encoding::Utf8 { bom: true },
            Encoding::Utf16 {
                little: true,
                bom: true,
            },
            Encoding::Utf16 {
                little: false,
                bom: true,
            },
            Encoding::Utf16 {
                little: true,
                bom: false,
            },
        ] {
            let bytes = encode("if ($b -eq 6002) { 'é' }\r\n", enc);
            let r = rewrite(&bytes, &[]).expect("exact");
            assert_eq!(r.encoding, enc);
            assert_eq!(r.bytes(), bytes);
        }
        assert_eq!(rewrite(b"caf\xe9 6002", &[]), Err(FixError::Encoding));
        assert_eq!(
            rewrite(b"\xFF\xFEa\x00\x00\xD8", &[]),
            Err(FixError::Encoding)
        );
    }
}
