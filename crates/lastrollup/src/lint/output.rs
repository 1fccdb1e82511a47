//! Renderers for lint findings: text like rustc/ruff, the versioned JSON
//! contract `lastrollup.lint/1`, and SARIF 2.1.0 for GitHub code scanning.
//! Renderers decide nothing: they only format an [`Outcome`].

use std::collections::HashMap;
use std::fmt::Write as _;

use serde_json::{json, Value};
use unicode_width::UnicodeWidthStr;

use super::rules::{self, RuleMeta};
use super::{Finding, Outcome};

/// The JSON contract id.
pub const SCHEMA: &str = "lastrollup.lint/1";

/// Where the rule pages are published (`helpUri` in SARIF).
pub const DOCS_BASE: &str = "https://example.invalid/lastrollup/blob/main/docs/lint/";

/// The human-readable report: one block per finding, then a summary line.
pub fn text(outcome: &Outcome) -> String {
    let mut out = String::new();
    for f in &outcome.findings {
        finding_text(&mut out, f);
    }
    let files: std::collections::BTreeSet<&str> =
        outcome.findings.iter().map(|f| f.path.as_str()).collect();
    let _ = writeln!(
        out,
        "{} finding{} in {} file{} ({} file{} linted)",
        outcome.findings.len(),
        plural(outcome.findings.len()),
        files.len(),
        plural(files.len()),
        outcome.files,
        plural(outcome.files),
    );
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// One finding in rustc style: location, rule and message, the line with a
/// caret under the column, and the fix.
pub fn finding_text(out: &mut String, f: &Finding) {
    let code = rules::find(&f.rule).map_or("", |m| m.code);
    let _ = writeln!(
        out,
        "{}:{}:{}: {}[{}] {} {}",
        f.path,
        f.line,
        f.column,
        f.severity.name(),
        f.rule,
        code,
        f.message
    );
    let number = f.line.to_string();
    let pad = " ".repeat(number.len());
    let (shown, caret) = display_line(&f.snippet, f.column.saturating_sub(f.snippet_offset));
    let _ = writeln!(out, "{pad} |");
    let _ = writeln!(out, "{number} | {shown}");
    let _ = writeln!(out, "{pad} | {}^", " ".repeat(caret));
    let _ = writeln!(out, "{pad} = help: {}\n", f.fix);
}

/// The line as shown (tabs expanded, common indentation removed, at most
/// 160 columns around the caret) and the caret's display column.
fn display_line(line: &str, column: usize) -> (String, usize) {
    let expanded: String = line.replace('\t', "    ");
    let before: String = line
        .chars()
        .take(column.saturating_sub(1))
        .collect::<String>()
        .replace('\t', "    ");
    let indent = expanded.len() - expanded.trim_start().len();
    let shown = &expanded[indent..];
    let caret = before.width().saturating_sub(indent);
    if shown.width() <= 160 {
        return (shown.to_string(), caret);
    }
    let start = caret.saturating_sub(60);
    let window: String = shown.chars().skip(start).take(160).collect();
    (format!("…{window}…"), caret - start + 1)
}

/// The `lastrollup.lint/1` JSON document.
pub fn json(outcome: &Outcome, version: &str) -> Value {
    json!({
        "schema": SCHEMA,
        "tool": { "name": "lastrollup", "version": version },
        "files": outcome.files,
        "findings": outcome.findings,
        "errors": outcome.errors.iter().map(|e| json!({ "message": e.to_string() })).collect::<Vec<_>>(),
    })
}

/// A SARIF 2.1.0 log with one run, every rule in `tool.driver.rules` (so
/// `ruleIndex` is stable), and `partialFingerprints` on every result.
pub fn sarif(outcome: &Outcome, version: &str) -> Value {
    let metas: Vec<&RuleMeta> = rules::metas().collect();
    let rules: Vec<Value> = metas.iter().map(|m| sarif_rule(m)).collect();
    let mut seen: HashMap<(String, u64), usize> = HashMap::new();
    let results: Vec<Value> = outcome
        .findings
        .iter()
        .map(|f| {
            let hash = line_hash(f);
            let n = seen.entry((f.path.clone(), hash)).or_insert(0);
            *n += 1;
            sarif_result(f, &metas, hash, *n)
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "lastrollup",
                "version": version,
                "semanticVersion": version,
                "informationUri": "https://example.invalid/lastrollup",
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

fn sarif_level(m: &RuleMeta) -> &'static str {
    match m.severity {
        rules::Severity::Error => "error",
        rules::Severity::Warning => "warning",
    }
}

fn sarif_rule(m: &RuleMeta) -> Value {
    json!({
        "id": m.id,
        "name": m.code,
        "shortDescription": { "text": m.summary },
        "fullDescription": { "text": m.what },
        "help": {
            "text": format!("{}\n\nFix: {}", m.why, m.fix),
            "markdown": m.markdown(),
        },
        "helpUri": format!("{DOCS_BASE}{}.md", m.id),
        "defaultConfiguration": { "level": sarif_level(m) },
        "properties": { "tags": ["nt60", "compatibility"], "precision": "high" },
    })
}

fn sarif_result(f: &Finding, metas: &[&RuleMeta], hash: u64, occurrence: usize) -> Value {
    let index = metas.iter().position(|m| m.id == f.rule).unwrap_or(0);
    json!({
        "ruleId": f.rule,
        "ruleIndex": index,
        "level": f.severity.name(),
        "message": { "text": format!("{} (help: {})", f.message, f.fix) },
        "locations": [{ "physicalLocation": {
            "artifactLocation": artifact(&f.path),
            "region": { "startLine": f.line, "startColumn": f.column },
        }}],
        "partialFingerprints": {
            "primaryLocationLineHash": format!("{hash:016x}:{occurrence}"),
        },
    })
}

/// The artifact location: relative to `%SRCROOT%` for a relative path, a
/// `file://` URI for an absolute one.
fn artifact(path: &str) -> Value {
    let u = uri(path);
    if u.starts_with('/') {
        json!({ "uri": format!("file://{u}") })
    } else if u.as_bytes().get(1) == Some(&b':') {
        json!({ "uri": format!("file:///{u}") })
    } else {
        json!({ "uri": u, "uriBaseId": "%SRCROOT%" })
    }
}

/// A relative URI for a path: forward slashes, no leading `./`, spaces and
/// `%` escaped.
fn uri(path: &str) -> String {
    let p = path.replace('\\', "/");
    let p = p.trim_start_matches("./");
    p.replace('%', "%25").replace(' ', "%20")
}

/// FNV-1a over the rule id and the line's text without white space: stable
/// when lines above move or indentation changes.
pub fn line_hash(f: &Finding) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let bytes = f
        .rule
        .bytes()
        .chain([0])
        .chain(f.snippet.bytes().filter(|b| !b.is_ascii_whitespace()));
    for b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caret_under_column_after_indent_and_tabs() {
        let (shown, caret) = display_line("\tif (b == 6002)", 11);
        assert_eq!(shown, "if (b == 6002)");
        assert_eq!(&shown[caret..caret + 4], "6002");
    }

    #[test]
    fn long_lines_are_windowed() {
        let line = format!("{}x == 6002{}", "a".repeat(500), "b".repeat(500));
        let (shown, caret) = display_line(&line, 506);
        assert!(shown.chars().count() <= 162);
        assert_eq!(shown.chars().nth(caret), Some('6'));
    }

    #[test]
    fn uris_are_relative() {
        assert_eq!(uri(r".\scripts\a b.ps1"), "scripts/a%20b.ps1");
        assert_eq!(uri("./x/%y.cmd"), "x/%25y.cmd");
    }
}
