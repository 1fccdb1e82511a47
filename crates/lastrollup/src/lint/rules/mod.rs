//! The rules: one file per rule, each a pure function from a [`Source`] to
//! hits, with the documentation that feeds `lastrollup lint --explain` and
//! `docs/lint/<id>.md`.

mod build_upper_bound;
mod caption_string_match;
mod exact_build;
mod exact_version_string;
mod r2_confusion;
mod server_as_vista;
mod string_version_compare;
mod versionnt_misencoded;
mod win10_only_version_api;

use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use super::source::Source;
use super::Language;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Wrong on every patched NT 6.0 host (a correctness bug).
    Error,
    /// Wrong on some hosts or in some languages (suspicious).
    Warning,
}

impl Severity {
    /// `error` or `warning`.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// What a rule is, why it exists and how to fix what it finds. The fields
/// follow ruff's documentation template.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable kebab-case id (`exact-build-6002`).
    pub id: &'static str,
    /// Stable short code (`NT60001`).
    pub code: &'static str,
    /// One line: what the rule finds.
    pub summary: &'static str,
    /// Default severity.
    pub severity: Severity,
    /// What it does (Markdown).
    pub what: &'static str,
    /// Why this breaks on build 6003 or misreads NT 6.0 (Markdown).
    pub why: &'static str,
    /// Code that is flagged.
    pub bad: &'static str,
    /// The same intent, written so it survives.
    pub good: &'static str,
    /// The `help:` line shown with every finding.
    pub fix: &'static str,
    /// Whether the fix can be applied mechanically (Markdown).
    pub fix_safety: &'static str,
    /// What the rule deliberately does not flag (Markdown).
    pub not_flagged: &'static str,
}

impl RuleMeta {
    /// Whether `name` is this rule's id or code (case-insensitive).
    pub fn is_named(&self, name: &str) -> bool {
        name.eq_ignore_ascii_case(self.id) || name.eq_ignore_ascii_case(self.code)
    }

    /// The rule's documentation page (`docs/lint/<id>.md`) as Markdown.
    pub fn markdown(&self) -> String {
        format!(
            "# {id} ({code})\n\n{summary}\n\nSeverity: {sev}\n\n## What it does\n\n{what}\n\n\
             ## Why it breaks\n\n{why}\n\n## Example\n\n```text\n{bad}\n```\n\n## Use instead\n\n\
             ```text\n{good}\n```\n\n## Fix\n\n{fix}\n\n## Fix safety\n\n{safety}\n\n\
             ## Not flagged\n\n{not}\n\n## Suppression\n\n\
             `lastrollup: ignore[{id}]` in a comment on the line, `ignore-next-line[{id}]` on the \
             line before, or `ignore-file[{id}]` anywhere in the file.\n",
            id = self.id,
            code = self.code,
            summary = self.summary,
            sev = self.severity.name(),
            what = self.what,
            why = self.why,
            bad = self.bad,
            good = self.good,
            fix = self.fix,
            safety = self.fix_safety,
            not = self.not_flagged,
        )
    }
}

/// Where a rule fired: a line of the source, a byte column in it, and the
/// message for this place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Index into [`Source::lines`].
    pub index: usize,
    /// Byte offset in the line.
    pub column: usize,
    /// What is wrong here.
    pub message: String,
}

/// A lint rule.
pub trait Rule: Sync {
    /// Its documentation and id.
    fn meta(&self) -> &'static RuleMeta;
    /// Its hits on one source.
    fn check(&self, src: &Source<'_>, out: &mut Vec<Hit>);
    /// The edit that fixes this rule's hit at byte `at` of `line`, when the
    /// rule knows one for the form found there.
    fn edit(&self, line: &str, at: usize) -> Option<Proposal> {
        let _ = (line, at);
        None
    }
    /// The edits for the hit at byte `at` and for every later test of the
    /// same form on the line (a finding stands for its line, so one `--fix`
    /// must fix the whole line to be idempotent).
    fn edits(&self, line: &str, at: usize, language: Language) -> Vec<Proposal> {
        let _ = language;
        self.edit(line, at).into_iter().collect()
    }
}

/// A replacement a rule proposes for part of one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    /// Byte offset in the line where the replaced text starts.
    pub start: usize,
    /// Byte offset where it ends.
    pub end: usize,
    /// The new text.
    pub replacement: String,
    /// Whether the edit is safe: it changes the outcome of the test for
    /// build 6003 and for no other build, so `--fix` may apply it.
    pub safe: bool,
}

/// The rule with this id or code.
pub fn rule(name: &str) -> Option<&'static dyn Rule> {
    ALL.iter().copied().find(|r| r.meta().is_named(name))
}

static ALL: &[&dyn Rule] = &[
    &exact_build::Rule,
    &exact_version_string::Rule,
    &build_upper_bound::Rule,
    &server_as_vista::Rule,
    &r2_confusion::Rule,
    &caption_string_match::Rule,
    &string_version_compare::Rule,
    &win10_only_version_api::Rule,
    &versionnt_misencoded::Rule,
];

/// Every rule, in code order.
pub fn all() -> &'static [&'static dyn Rule] {
    ALL
}

/// The metadata of every rule, in code order.
pub fn metas() -> impl Iterator<Item = &'static RuleMeta> {
    ALL.iter().map(|r| r.meta())
}

/// The rule named `name` (id or code).
pub fn find(name: &str) -> Option<&'static RuleMeta> {
    metas().find(|m| m.is_named(name))
}

/// Compiles a regex written in this module (a constant, never input).
pub(crate) fn re(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|e| panic!("rule regex {pattern:?}: {e}"))
}

/// A product-type test anywhere in the file (client vs server on NT 6.0).
pub(crate) static PRODUCT_TYPE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)product_?type|installationtype|iswindowsserver|isserveros|ver_nt_(workstation|server|domain)|msintproducttype|\b2008server\b|windows_server\?|sm_serverr2|\bis_?server\b|servercore",
    )
});

/// A quoted NT 6.0 family prefix used as a fallback (`"6.0"`, `'6.0.'`,
/// `"6.0.600"`).
pub(crate) static FAMILY_LITERAL: LazyLock<Regex> =
    LazyLock::new(|| re(r#"["']6\.0\.?(600)?["'*]"#));

/// Whether the text at `at` in `line` is preceded by a digit or a dot (so a
/// match on `6002` is not part of `16002` or `1.6002`).
pub(crate) fn glued_before(line: &str, at: usize) -> bool {
    line[..at]
        .chars()
        .next_back()
        .is_some_and(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_')
}

/// Whether the text ending at `end` in `line` continues with a digit or a
/// dotted component (so `6.0.6002` is not `6.0.6002.18005` and `6002` is not
/// `60021`).
pub(crate) fn glued_after(line: &str, end: usize) -> bool {
    let rest = &line.as_bytes()[end.min(line.len())..];
    match rest {
        [c, ..] if c.is_ascii_alphanumeric() || *c == b'_' => true,
        [b'.', d, ..] if d.is_ascii_digit() => true,
        _ => false,
    }
}

/// A condition keyword of VB or Pascal, where a single `=` compares.
static CONDITION_KEYWORD: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\b(?:if|elseif|and|or|andalso|orelse|not|case|when|while|until|then)\b")
});

/// Whether a single `=` on this line compares (VB and Pascal conditions,
/// MSI conditions) rather than assigns. `with_wix`: count every WiX / MSI
/// line, whose bare `=` is always a comparison (but whose quoted `="…"` is
/// an XML attribute).
pub(crate) fn single_equals_compares(language: Language, line: &str, with_wix: bool) -> bool {
    if !language.equals_compares() {
        return false;
    }
    match language {
        Language::Wix => with_wix,
        // Pascal assigns with `:=`, so `Result := (V.Build = 6002)` compares.
        Language::InnoSetup => CONDITION_KEYWORD.is_match(line) || line.contains(":="),
        _ if line.contains(":=") => false,
        _ => CONDITION_KEYWORD.is_match(line),
    }
}

/// The last name of the operand compared with the number at byte `at` of
/// `line` (`port` in `cfg.port == 6002`, `dwBuildNumber` in
/// `osvi.dwBuildNumber <= 6002`); empty when there is none.
fn operand_name(line: &str, at: usize) -> &str {
    static OPERATOR_TAIL: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r#"(?i)\s*(?:[=!<>]=?=?|&[lg]t;=?|-c?[a-z]{2}|\b(?:EQU|NEQ|LSS|LEQ|GTR|GEQ|eq|ne|lt|le|gt|ge|is))\s*[("'\s]*$"#,
        )
    });
    let before = &line[..at];
    let Some(op) = OPERATOR_TAIL.find(before) else {
        return "";
    };
    let before = before[..op.start()].trim_end_matches([')', ']', '"', '\'', '}', ' ']);
    let start = before
        .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .map_or(0, |i| i + 1);
    &before[start..]
}

static BUILD_NAME: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)build|bld|\bbn\b|ver|release|osvi|^v$|^b$"));
static OTHER_QUANTITY: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)port|pid|errno|error|code|status|count|size|length|timeout|offset|index|year|^(?:id|len|idx|rc|err|line)$",
    )
});

/// Whether the operand compared with the number at byte `at` of `line` is
/// named for something that is not a build number (a port, a process id, an
/// error code, a count), so the comparison is not a build test.
pub(crate) fn operand_is_other_quantity(line: &str, at: usize) -> bool {
    let name = operand_name(line, at);
    // A short name (`n`, `$0`) says nothing: then what the line says
    // before the comparison must (`Atoi(os.Getenv("PORT")); n == 6002`).
    let name = if name.len() < 3 { &line[..at] } else { name };
    !BUILD_NAME.is_match(name) && OTHER_QUANTITY.is_match(name)
}

/// An NSIS `IntCmp`/`IntCmpU` of a value with 600x: (byte column of the
/// number, the number, the equal, less and greater jumps, `0` for none).
pub(crate) fn nsis_int_cmp(line: &str) -> Option<(usize, u16, [&str; 3])> {
    static INT_CMP: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)^\s*IntCmpU?\s+\S+\s+(600[0-3])\b(?:\s+([^\s;#]+))?(?:\s+([^\s;#]+))?(?:\s+([^\s;#]+))?",
        )
    });
    let c = INT_CMP.captures(line)?;
    let n = c.get(1)?;
    let jump = |k: usize| c.get(k).map_or("0", |m| m.as_str());
    Some((
        n.start(),
        n.as_str().parse().ok()?,
        [jump(2), jump(3), jump(4)],
    ))
}

/// Where a string that holds the OS version comes from.
pub(crate) static OS_SOURCE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r#"(?i)platform\.(?:version|release)\(\)|os\.release\(\)|win32_ver\(\)|platform_version|kernelrelease|\bosversion\b|GetWindowsVersionString|Win32::GetOSVersion|os\.version|\(\s*["'`]ver["'`]"#,
    )
});
/// `name = <OS version source>` (with `var`/`let`/`const`/`my`, `:=`, a
/// TypeScript type): the name then holds a version string.
static ASSIGNED: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)(?:^|[\s;(])[$@]?(\w+)\s*(?::\s*\w+\s*)?:?=[^=]"));

/// The names the file assigns an OS version string to (`ver =
/// platform.version()`, `const rel = os.release()`).
pub(crate) fn version_names(src: &Source<'_>) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for line in src.lines.iter().filter(|l| OS_SOURCE.is_match(l)) {
        let Some(c) = ASSIGNED.captures(line) else {
            continue;
        };
        let Some(name) = c.get(1) else { continue };
        let source_after = OS_SOURCE.find_at(line, name.end()).is_some();
        if source_after && !names.iter().any(|n| n == name.as_str()) {
            names.push(name.as_str().to_string());
        }
    }
    names
}

/// Groups sorted line indexes into clusters whose neighbours are at most
/// `gap` lines apart.
pub(crate) fn clusters(indexes: &[usize], gap: usize) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    for &i in indexes {
        match out.last_mut() {
            Some((_, end)) if i <= *end + gap => *end = i,
            _ => out.push((i, i)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_codes_are_unique_kebab_case() {
        let metas: Vec<_> = metas().collect();
        for (i, m) in metas.iter().enumerate() {
            assert!(m
                .id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'));
            assert!(m.code.starts_with("NT60"));
            assert!(!m.summary.contains('\n'));
            for other in &metas[i + 1..] {
                assert_ne!(m.id, other.id);
                assert_ne!(m.code, other.code);
            }
        }
    }

    #[test]
    fn clusters_split_on_gaps() {
        assert_eq!(clusters(&[1, 2, 10, 30], 8), vec![(1, 10), (30, 30)]);
        assert!(clusters(&[], 3).is_empty());
    }

    #[test]
    fn operands_named_for_other_quantities() {
        let at = |line: &str| line.find("600").unwrap_or(line.len());
        for line in [
            "if (port == 6002)",
            "if cfg.ListenPort <= 6002 {",
            "if ($pid -eq 6002)",
            "if n, _ := strconv.Atoi(os.Getenv(\"METRICS_PORT\")); n == 6002 {",
        ] {
            assert!(operand_is_other_quantity(line, at(line)), "{line}");
        }
        for line in [
            "if (osvi.dwBuildNumber == 6002)",
            "if ($os.BuildNumber -eq \"6002\")",
            "if \"%BUILD%\"==\"6002\" (",
            "if ($_ -eq 6002) { $count++ }",
            "IntCmp $0 6002 ok 0 0",
        ] {
            assert!(!operand_is_other_quantity(line, at(line)), "{line}");
        }
        assert_eq!(operand_name("x.port == 6002", 10), "port");
        assert_eq!(operand_name("6002", 0), "");
    }

    #[test]
    fn nsis_int_cmp_jumps() {
        assert_eq!(
            nsis_int_cmp("  IntCmp $0 6002 sp2 0 0"),
            Some((12, 6002, ["sp2", "0", "0"]))
        );
        assert_eq!(
            nsis_int_cmp("IntCmpU $R2 6003 a b"),
            Some((12, 6003, ["a", "b", "0"]))
        );
        assert_eq!(nsis_int_cmp("IntCmp $0 7600 a b c"), None);
        assert_eq!(nsis_int_cmp("StrCmp $0 6002 a b"), None);
    }

    #[test]
    fn single_equals() {
        // (language, line, with_wix, expected)
        let cases = [
            (Language::VbScript, "If v = \"6.0.6002\" Then", false, true),
            (Language::VbScript, "v = \"6.0.6002\"", false, false),
            (
                Language::InnoSetup,
                "Result := (V.Build = 6002);",
                false,
                true,
            ),
            (Language::VbNet, "Call F(x := 6002)", false, false),
            (Language::Wix, "WindowsBuild = 6002", true, true),
            (Language::Wix, "WindowsBuild = 6002", false, false),
            (Language::Python, "if b = 6002", true, false),
        ];
        for (language, line, with_wix, expected) in cases {
            assert_eq!(
                single_equals_compares(language, line, with_wix),
                expected,
                "{language:?} {line:?} with_wix {with_wix}"
            );
        }
    }

    #[test]
    fn glue() {
        assert!(glued_after("6.0.6002.18005", 8));
        assert!(!glued_after("6.0.6002 SP2", 8));
        assert!(!glued_after("6.0.6002.", 8));
        assert!(glued_before("16002", 1));
    }
}
