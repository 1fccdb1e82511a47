//! `build-upper-bound`: an upper bound on the build that excludes 6003.

use std::sync::LazyLock;

use regex::Regex;

use super::exact_build::REVISION;
use super::{
    glued_after, nsis_int_cmp, operand_is_other_quantity, re, Hit, Proposal, RuleMeta, Severity,
};
use crate::lint::source::Source;

/// The rule.
pub struct Rule;

static META: RuleMeta = RuleMeta {
    id: "build-upper-bound",
    code: "NT60003",
    summary: "Upper bound on the build (<= 6002, < 6003, a range ending at 6002, OnlyBelowVersion 6.0.6003) that excludes build 6003",
    severity: Severity::Error,
    what: "Finds build or version upper bounds that stop at SP2's original build: `<= 6002`, \
           `< 6003`, `-le 6002`, `-lt 6003`, `LEQ 6002`, `&lt;= 6002` in XML, `6000..6002`, \
           `range(6000, 6003)`, `<= '6.0.6002'`, `< [version]'6.0.6003'`, Inno Setup's \
           `OnlyBelowVersion: 6.0.6003`, Ansible / Jinja `is version('6.0.6003', '<')`, a \
           three-way compare such as `versioncmp($v, '6.0.6003') < 0`, and an NSIS \
           `IntCmp $0 6002 lower lower higher` (or `IntCmp $0 6003 lower higher higher`).",
    why: "Build 6003 is Vista SP2 / Server 2008 SP2 with a 2019 or later rollup. A bound that \
          ends at 6002 puts every patched host outside the NT 6.0 range: in an ordered ladder \
          (`<= 6000` RTM, `<= 6001` SP1, `<= 6002` SP2, `<= 7600` Windows 7) build 6003 lands in \
          the next rung and is reported as Windows 7.",
    bad: "else if (build <= 6002) { major = 6; minor = 0; sp = 2; }\nelse if (build <= 7600) { major = 6; minor = 1; sp = 0; }",
    good: "else if (build < 7600) { major = 6; minor = 0; sp = 2; }   /* 6002..7599: NT 6.0 SP2 */",
    fix: "end the NT 6.0 range below the first NT 6.1 build (build < 7600), or compare major.minor",
    fix_safety: "Numeric bounds get a **safe** edit (applied by `--fix`) that moves the bound to \
                 include 6003 and nothing else: `<= 6002` / `-le 6002` / `LEQ 6002` / `&lt;= 6002` \
                 become `<= 6003` (and so on), `< 6003` / `-lt 6003` / `LSS 6003` / `&lt; 6003` \
                 become `<= 6003` / `-le 6003` / `LEQ 6003` / `&lt;= 6003`, `6002 >= x` becomes \
                 `6003 >= x` and `6003 > x` becomes `6003 >= x`. Only build 6003 changes sides. \
                 Version strings (`<= '6.0.6002'`), ranges and `OnlyBelowVersion` get no edit: \
                 moving those bounds also moves file revisions (6.0.6002.18005) or range ends, \
                 which needs judgement. The better rewrite, `< 7600` or a major.minor test, \
                 also accepts pre-release builds between 6003 and 7600 and is left to you.",
    not_flagged: "`< 6002` / `<= 6001` (before SP2: a legitimate pre-SP2 test); operands named for \
                  another quantity (`port <= 6002`); bounds that include \
                  6003 (`<= 6003`, `< 7600`); four-part file versions (`< 6.0.6002.18005`) and \
                  lines that also bound a revision.",
};

static NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:(?:<=|-c?le\b|\bLEQ\b|&lt;=)\s*\(?\s*(6002)|(?:<|-c?lt\b|\bLSS\b|&lt;)\s*\(?\s*(6003)|\b(6002)\s*(?:>=|-ge\b)|\b(6003)\s*>\s*[\w$(])",
    )
});
static VERSION: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r#"(?i)(?:(?:<=|-c?le\b|&lt;=)\s*(?:\[(?:system\.)?version\]\s*)?[@"']?(6\.0\.6002)|(?:<|-c?lt\b|&lt;)\s*(?:\[(?:system\.)?version\]\s*)?[@"']?(6\.0\.6003)|(?:<=)\s*new\s+version\(\s*6\s*,\s*0\s*,\s*(6002)|<\s*new\s+version\(\s*6\s*,\s*0\s*,\s*(6003))"#,
    )
});
static RANGE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:\b600[0-2]\s*\.\.=?\s*(6002)\b|\.\.[.<]\s*(6003)\b|\brange\(\s*\d+\s*,\s*(6003)\s*\)|\buntil\s+(6003)\b|\bbetween\s+\d+\s+and\s+(6002)\b)",
    )
});
/// Version tests written as a call: Jinja / Ansible `x is version('6.0.6003',
/// '<')`, and a three-way compare against zero (`versioncmp($v, '6.0.6003') < 0`,
/// `version_cmp(...) <= 0` with 6.0.6002, `compareVersions(...)`).
static VERSION_CALL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r#"(?i)\bversion(?:_compare)?\(\s*["'](?:(6\.0\.6003)["']\s*,\s*["'](?:<|lt)["']|(6\.0\.6002)["']\s*,\s*["'](?:<=|le)["'])|(?:versioncmp|version_cmp|compare_?versions?|vercmp)\s*\([^()]*["'](?:(6\.0\.6003)["']\s*\)\s*<\s*0|(6\.0\.6002)["']\s*\)\s*<=\s*0)"#,
    )
});
static ONLY_BELOW: LazyLock<Regex> =
    LazyLock::new(|| re(r#"(?i)onlybelowversion\s*[:=]\s*"?(?:[\d.]+\s*,\s*)?(6\.0\.6003)"#));
/// The strict less-than operator right before `< 6003`'s number.
static LESS_THAN: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)(<|&lt;|-c?lt\b|\bLSS\b)\s*\(?\s*$"));
static BUILD_CONTEXT: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)build|\bbn\b|\bver|version|osvi"));

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn edits(&self, line: &str, at: usize, _: crate::lint::Language) -> Vec<Proposal> {
        NUMERIC
            .captures_iter(line)
            .filter_map(|c| c.iter().skip(1).flatten().next())
            .filter(|m| m.start() >= at && !glued_after(line, m.end()))
            .filter_map(|m| self.edit(line, m.start()))
            .collect()
    }

    fn edit(&self, line: &str, at: usize) -> Option<Proposal> {
        let c = NUMERIC
            .captures_iter(line)
            .find(|c| c.iter().skip(1).flatten().any(|m| m.start() == at))?;
        let number = |m: regex::Match<'_>, new: &str| Proposal {
            start: m.start(),
            end: m.end(),
            replacement: new.to_string(),
            safe: true,
        };
        if let Some(m) = c.get(1).or(c.get(3)) {
            return Some(number(m, "6003")); // `<= 6002`, `6002 >=`
        }
        if let Some(m) = c.get(4) {
            let gt = line[m.end()..].find('>')? + m.end();
            return Some(Proposal {
                start: gt,
                end: gt + 1,
                replacement: ">=".into(),
                safe: true,
            }); // `6003 > x`
        }
        let m = c.get(2)?; // `< 6003`
        let op = LESS_THAN.captures(&line[..m.start()])?.get(1)?;
        let replacement = match op.as_str() {
            "<" => "<=",
            "&lt;" => "&lt;=",
            "LSS" => "LEQ",
            o if o.eq_ignore_ascii_case("lss") => "leq",
            o if o.eq_ignore_ascii_case("-lt") => "-le",
            o if o.eq_ignore_ascii_case("-clt") => "-cle",
            _ => return None,
        };
        Some(Proposal {
            start: op.start(),
            end: op.end(),
            replacement: replacement.into(),
            safe: true,
        })
    }

    fn check(&self, src: &Source<'_>, out: &mut Vec<Hit>) {
        for &i in &src.candidates {
            let line = src.lines[i];
            if !line.contains("600") || REVISION.is_match(line) {
                continue;
            }
            if let Some(col) = bound(src, i) {
                out.push(Hit {
                    index: i,
                    column: col,
                    message: "upper bound stops at build 6002: a Vista SP2 / Server 2008 SP2 host \
                              with a 2019 or later rollup (build 6003) falls outside it"
                        .into(),
                });
            }
        }
    }
}

/// The byte column of the first bound on line `i` that excludes 6003.
fn bound(src: &Source<'_>, i: usize) -> Option<usize> {
    let line = src.lines[i];
    let first = |re: &Regex| {
        re.captures_iter(line).find_map(|c| {
            let m = c.iter().skip(1).flatten().next()?;
            (!glued_after(line, m.end())).then_some(m.start())
        })
    };
    let numeric = first(&NUMERIC)
        .filter(|&at| !operand_is_other_quantity(line, at))
        .filter(|_| {
            src.span(i as isize - 20, i as isize)
                .iter()
                .any(|l| BUILD_CONTEXT.is_match(l))
        });
    numeric
        .or_else(|| nsis_bound(line))
        .or_else(|| first(&VERSION))
        .or_else(|| first(&VERSION_CALL))
        .or_else(|| first(&RANGE))
        .or_else(|| {
            ONLY_BELOW
                .captures(line)
                .and_then(|c| c.get(1))
                .map(|m| m.start())
        })
}

/// An NSIS `IntCmp` that sends 6002 one way and 6003 the other with the
/// lower builds on 6002's side: `IntCmp $0 6002 ok ok newer` (`<= 6002`) or
/// `IntCmp $0 6003 newer ok newer` (`< 6003`).
fn nsis_bound(line: &str) -> Option<usize> {
    let (col, value, [equal, less, more]) = nsis_int_cmp(line)?;
    let bound = match value {
        6002 => equal == less && equal != more,
        6003 => less != equal && equal == more,
        _ => false,
    };
    bound.then_some(col)
}
