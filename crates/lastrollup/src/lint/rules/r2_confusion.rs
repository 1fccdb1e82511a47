//! `r2-confusion`: Windows Server 2008 (NT 6.0) and 2008 R2 (NT 6.1) mixed up.

use std::sync::LazyLock;

use regex::Regex;

use super::{re, Hit, RuleMeta, Severity};
use crate::lint::source::Source;

/// The rule.
pub struct Rule;

static META: RuleMeta = RuleMeta {
    id: "r2-confusion",
    code: "NT60011",
    summary: "Server 2008 and Server 2008 R2 confused: a caption wildcard on \"2008\" or NT 6.1 named Server 2008",
    severity: Severity::Error,
    what: "Finds substring or wildcard matches of an OS caption against \"2008\" (`-like \"*2008*\"`, \
           `Contains(\"2008\")`, `InStr(1, Caption, \"2008\")`, `FINDSTR /C:\"2008\"`, Python \
           `\"2008\" in platform.platform()`, AD's `$_.OperatingSystem -match 'Server 2008'`, \
           `\"Windows Server 2008*\"`) with no R2 test \
           nearby, and NT 6.1 tests (`\"6.1\"`, build 7600/7601) whose result is named \"Server \
           2008\" without R2.",
    why: "Windows Server 2008 is NT 6.0 (builds 6000–6003); Windows Server 2008 R2 is NT 6.1 \
          (7600/7601), a different kernel with a different update stream, different VMware guest \
          IDs, different tools. A wildcard on \"2008\" catches both, so whatever follows is right \
          for one and wrong for the other; naming 6.1 \"Server 2008\" sends R2 hosts down NT 6.0 \
          paths.",
    bad: "if ($os.Caption -like \"*2008*\" -and $os.OSArchitecture -eq \"64-bit\") { $expected = 'windows7Server64Guest' }",
    good: "$v = [version]$os.Version\nif ($v.Major -eq 6 -and $v.Minor -eq 0) { $expected = 'winLonghorn64Guest' }      # Server 2008\nelseif ($v.Major -eq 6 -and $v.Minor -eq 1) { $expected = 'windows7Server64Guest' } # Server 2008 R2",
    fix: "decide on the version (6.0 = Server 2008, 6.1 = Server 2008 R2) and the product type, not on \"2008\" in the caption",
    fix_safety: "No automatic fix: which of the two the code meant is a human decision.",
    not_flagged: "Caption matches with an R2 test within ten lines (an ordered R2-first ladder); \
                  literals that name R2; NT 6.1 names that include R2 or Windows 7 only.",
};

static CAPTION_CONTEXT: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)caption|os\s?name|productname|osfullname|os\.name|%osver%|\$osver\b|\bos_?description|\.operatingsystem\b|platform\.platform\(\)|\bwin32_ver\(\)",
    )
});
static SUBSTRING_2008: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r#"(?i)(?:-i?like|-i?match|contains\s*\(|instr\s*\((?:[^,()]*,){1,2}|indexof\s*\(|includes\s*\(|startswith\s*\(|\bfind(?:str)?\b(?:\s+/[a-z]+)*(?:\s+/c:)?|=~)\s*["']([^"']*2008[^"']*)["']"#,
    )
});
/// Python's substring test, the literal first: `"2008" in platform.platform()`.
static IN_2008: LazyLock<Regex> =
    LazyLock::new(|| re(r#"["']([^"']*2008[^"']*)["']\s+(?:not\s+)?in\s+\S"#));
static R2_LITERAL: LazyLock<Regex> = LazyLock::new(|| re(r#"(?i)["'][^"']*r2[^"']*["']|2008r2"#));
static NT61_TEST: LazyLock<Regex> = LazyLock::new(|| {
    re(r#"(?i)["']6\.1(?:\.760[01])?\.?["']|(?:===?|-eq\b|\bcase\b)\s*\(?\s*760[01]\b"#)
});
static OTHER_TEST: LazyLock<Regex> = LazyLock::new(|| {
    re(r#"["']\d+\.\d+(?:\.\d+)?\.?["']|(?:===?|-eq\b|\bcase\b)\s*\(?\s*\d{4}\b"#)
});
static QUOTED: LazyLock<Regex> = LazyLock::new(|| re(r#""([^"]*)"|'([^']*)'"#));

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, src: &Source<'_>, out: &mut Vec<Hit>) {
        for &i in &src.candidates {
            if let Some(col) = caption_wildcard(src, i) {
                out.push(Hit { index: i, column: col, message: "caption matched on \"2008\" with no R2 test nearby: this catches both Windows Server 2008 (NT 6.0) and 2008 R2 (NT 6.1)".into() });
            } else if let Some(col) = nt61_named_2008(src, i) {
                out.push(Hit { index: i, column: col, message: "NT 6.1 is Windows Server 2008 R2 (or Windows 7), but is named Server 2008 here".into() });
            }
        }
    }
}

fn caption_wildcard(src: &Source<'_>, i: usize) -> Option<usize> {
    let line = src.lines[i];
    let c = SUBSTRING_2008
        .captures(line)
        .or_else(|| IN_2008.captures(line))?;
    let lit = c.get(1)?;
    let text = lit.as_str().to_ascii_lowercase();
    if text.contains("r2") || text.contains('®') || text.contains("(r)") {
        return None;
    }
    let context = src.span(i as isize - 15, i as isize);
    if !context.iter().any(|l| CAPTION_CONTEXT.is_match(l)) {
        return None;
    }
    let near = src.span(i as isize - 10, i as isize + 10);
    if near.iter().any(|l| R2_LITERAL.is_match(l)) {
        return None;
    }
    Some(lit.start())
}

fn nt61_named_2008(src: &Source<'_>, i: usize) -> Option<usize> {
    let line = src.lines[i];
    let m = NT61_TEST.find(line)?;
    let mut lines = vec![&line[m.end()..]];
    for l in src.span(i as isize + 1, i as isize + 3) {
        if OTHER_TEST.is_match(l) {
            break;
        }
        lines.push(l);
    }
    let misnamed = lines.iter().any(|l| {
        QUOTED
            .captures_iter(l)
            .filter_map(|c| c.get(1).or_else(|| c.get(2)))
            .any(|n| {
                let n = n.as_str().to_ascii_lowercase();
                n.contains("server 2008") && !n.contains("r2")
            })
    });
    misnamed.then_some(m.start())
}
