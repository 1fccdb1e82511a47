//! `exact-build-6002`: a build number compared for equality with 6002.

use std::sync::LazyLock;

use regex::Regex;

use super::{
    clusters, glued_after, nsis_int_cmp, operand_is_other_quantity, re, single_equals_compares,
    Hit, Proposal, RuleMeta, Severity,
};
use crate::lint::source::Source;
use crate::lint::Language;

/// The rule.
pub struct Rule;

static META: RuleMeta = RuleMeta {
    id: "exact-build-6002",
    code: "NT60001",
    summary: "Build number compared for equality with 6002, so build 6003 fails the test",
    severity: Severity::Error,
    what: "Finds equality tests of a build number against 6002 (`==`, `-eq`, `EQU`, Perl `eq`, \
           `case`, `when`, `in (6001, 6002)`, `-notin 6001, 6002`, `new[] { 6001, 6002 }.Contains(b)`, \
           C# `is 6001 or 6002`, Pascal `Result := (V.Build = 6002)`, MSI `WindowsBuild = 6002`, \
           VB `If sBuild = \"6002\"`, NSIS `${If} $0 = 6002`, `StrCmp $0 \"6002\" label` and an \
           `IntCmp $0 6002 eq lt gt` whose equal jump goes neither where less nor where greater \
           goes, a named collection of builds (`SUPPORTED = {6001, 6002}`) tested for membership \
           elsewhere in the file (`build not in SUPPORTED`, `-in $builds`)), the number \
           quoted or not (`\"%BUILD%\"==\"6002\"`, `'6002' { }` in a PowerShell `switch`), when \
           the same group of tests does not also accept 6003.",
    why: "The March 2019 rollups (preview KB4489887, first Patch-Tuesday rollup KB4493471) \
          raised Windows Server 2008 SP2 and Vista SP2 from build 6002 to 6003, because the \
          revision counter had run out. Every host patched since then reports 6003, is still \
          SP2, and no longer passes `build == 6002`: it falls into an `else` branch (\"unknown \
          OS\", \"unsupported\"), or into the next rung of a build ladder (reported as Windows 7).",
    bad: "if (osvi.dwBuildNumber == 6002) { name = \"Vista SP2 / Server 2008 SP2\"; }",
    good: "if (osvi.dwMajorVersion == 6 && osvi.dwMinorVersion == 0 && osvi.dwBuildNumber >= 6002) {\n    name = \"Vista SP2 / Server 2008 SP2\";\n}",
    fix: "test the NT 6.0 family (major 6, minor 0) and `build >= 6002` for SP2, or accept both 6002 and 6003",
    fix_safety: "The edit turns the equality into a minimum: `== 6002` / `=== 6002` / VB `= 6002` \
                 become `>= 6002`, `-eq 6002` becomes `-ge 6002`, `EQU 6002` becomes `GEQ 6002`. \
                 It is **safe** (applied by `--fix`) only when the same condition also pins the NT \
                 6.0 family with `&&`/`and` and no `||`/`or` (major version 6 and minor version 0, \
                 or MSI `VersionNT = 600`): NT 6.0 has no build above 6003, so the test changes for \
                 build 6003 alone. Anywhere else `>= 6002` would also accept Windows 7 and later, \
                 so the edit is only shown by `--diff`. Tests written `6002 == build`, `case`, \
                 `when` and lists get no edit.",
    not_flagged: "Groups of tests that also accept 6003 (`6002 || 6003`); comparisons whose operand \
                  is named for another quantity (`port == 6002`, `pid`, `status`, `code`, `count`; \
                  for a one-letter operand, the line names it: `Atoi(os.Getenv(\"METRICS_PORT\")); \
                  n == 6002`); file-version checks that \
                  bound the revision on the same line (`build == 6002 && revision < 19597`: every \
                  6003 file postdates such a fix); `>=` minimums; tests of 6000 or 6001 alone.",
};

static OP_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r#"(?i)(?:===?|!==?|-c?eq\b|-c?ne\b|\bEQU\b|\bNEQ\b|\beq\b|\bne\b|\bcase\b|\bwhen\b|\bis\b)\s*\(?\s*["']?(600[0-3])"#,
    )
});
static OP_AFTER: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(600[0-3])\s*(?:===?|!==?|-c?eq\b|\bEQU\b)"));
static SWITCH_CLAUSE: LazyLock<Regex> =
    LazyLock::new(|| re(r#"^\s*(["']?)(600[0-3])["']?\s*(?:\{|=>|->)"#));
static LIST: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:\bin\b|-(?:not)?in\b|-(?:not)?contains\b|contains\s*\(|includes\s*\(|\bcase\b|\bwhen\b)[^;]*?\b600[0-3]\s*,\s*600[0-3]|\bis\s+\(?\s*600[0-3](?:\s+or\s+600[0-3])+|[\[{(]\s*\d{4}(?:\s*,\s*\d{4})+\s*[\]})]\s*\.\s*(?:contains|includes|include\?|indexof)\s*\(",
    )
});
static LIST_ITEM: LazyLock<Regex> = LazyLock::new(|| re(r"\b(600[0-3])\b"));
static SINGLE_EQ: LazyLock<Regex> =
    LazyLock::new(|| re(r#"(?i)(?:\w*build\w*|\bbn|\w*ver\w*)\s*=\s*["']?(600[0-3])"#));
static MSI_BUILD: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\bWindowsBuild\s*=\s*(600[0-3])"));
/// NSIS `StrCmp $0 "6002" equal [not_equal]`.
static NSIS_STRCMP: LazyLock<Regex> =
    LazyLock::new(|| re(r#"(?i)^\s*StrCmpS?\s+\S+\s+["']?(600[0-3])\b"#));
/// A name bound to a literal collection of builds (`SUPPORTED = {6001, 6002,
/// 7601}`, `$builds = @(6001, 6002)`, `const BUILDS = [6001, 6002]`).
static BUILD_SET: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)[$@]?(\w+)\s*(?::\s*[\w\[\]<>, ]+)?=\s*(?:new\s*[\w<>\[\]]*\s*)?[@\[{(]+\s*\d{4}(?:\s*,\s*\d{4})+\s*[\]})]",
    )
});
/// NSIS LogicLib: `${If} $0 = 6002` (`=` is integer equality there) and
/// `${Case} 6002`.
static NSIS_LOGIC_EQ: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\$\{(?:If|ElseIf|AndIf|OrIf|IfNot|Unless|AndUnless|OrUnless|ElseUnless|While|Until|DoWhile|DoUntil|LoopWhile|LoopUntil)\}\s+\S+\s*=\s*(600[0-3])|\$\{Case\}\s+(600[0-3])",
    )
});
static BUILD_CONTEXT: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)build|\bbn\b|\bver|version|osvi|\$_"));
pub(crate) static REVISION: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)revision|\brev\b|\bqfe\b|\bubr\b|minor_?build|\bspbuild"));
static HAS_6003: LazyLock<Regex> = LazyLock::new(|| re(r"(?:^|[^\d.])(?:6\.0\.)?6003(?:[^\d]|$)"));

/// The equality operator right before a build number (`at` is the end of
/// the text searched).
static EQ_OPERATOR: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)(?:^|[^<>!=:])(===?|-c?eq\b|\bEQU\b|=)\s*\(?\s*$"));
/// A condition that pins NT 6.0: major 6 and minor 0, or MSI `VersionNT = 600`.
static NT60_PINNED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)major\w*\s*(?:==|-eq\b|=)\s*6\b.*minor\w*\s*(?:==|-eq\b|=)\s*0\b|minor\w*\s*(?:==|-eq\b|=)\s*0\b.*major\w*\s*(?:==|-eq\b|=)\s*6\b|\bVersionNT\s*=\s*600\b",
    )
});
/// An alternative in the condition, which `>=` could widen.
static ALTERNATIVE: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\|\||-or\b|\bor\b|\borelse\b"));

/// One equality test of a build number: (line index, byte column, build).
type Test = (usize, usize, u16);

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn edits(&self, line: &str, at: usize, language: crate::lint::Language) -> Vec<Proposal> {
        let mut forms = vec![&*OP_BEFORE, &*MSI_BUILD];
        if language.equals_compares() {
            forms.push(&*SINGLE_EQ);
        }
        let mut starts: Vec<usize> = forms
            .iter()
            .flat_map(|re| re.captures_iter(line).filter_map(|c| c.get(1)))
            .map(|m| m.start())
            .filter(|&s| s > at)
            .collect();
        starts.push(at);
        starts.sort_unstable();
        starts.dedup();
        starts
            .into_iter()
            .filter_map(|s| self.edit(line, s))
            .collect()
    }

    fn edit(&self, line: &str, at: usize) -> Option<Proposal> {
        if line.get(at..at + 4) != Some("6002") || glued_after(line, at + 4) {
            return None;
        }
        let op = EQ_OPERATOR.captures(line.get(..at)?)?.get(1)?;
        let replacement = match op.as_str() {
            "==" | "===" | "=" => ">=",
            "EQU" => "GEQ",
            o if o.eq_ignore_ascii_case("equ") => "geq",
            o if o.eq_ignore_ascii_case("-eq") => "-ge",
            o if o.eq_ignore_ascii_case("-ceq") => "-cge",
            _ => return None,
        };
        Some(Proposal {
            start: op.start(),
            end: op.end(),
            replacement: replacement.to_string(),
            safe: NT60_PINNED.is_match(line) && !ALTERNATIVE.is_match(line),
        })
    }

    fn check(&self, src: &Source<'_>, out: &mut Vec<Hit>) {
        let tests: Vec<Test> = src
            .candidates
            .iter()
            .flat_map(|&i| tests_on(src, i))
            .collect();
        let lines: Vec<usize> = tests.iter().map(|t| t.0).collect();
        for (first, last) in clusters(&lines, 12) {
            let span = src.span(first as isize - 3, last as isize + 3);
            if span.iter().any(|l| HAS_6003.is_match(l)) {
                continue;
            }
            for &(i, col, _) in tests
                .iter()
                .filter(|t| (first..=last).contains(&t.0) && t.2 == 6002)
            {
                out.push(Hit {
                    index: i,
                    column: col,
                    message:
                        "build compared for equality with 6002: a Vista SP2 / Server 2008 SP2 \
                              host with any 2019 or later rollup is build 6003 and fails this test"
                            .into(),
                });
            }
        }
    }
}

/// The build-equality tests on line `i` (none when the line bounds a
/// revision or nothing nearby talks about builds or versions).
fn tests_on(src: &Source<'_>, i: usize) -> Vec<Test> {
    let line = src.lines[i];
    if !line.contains("600") || REVISION.is_match(line) {
        return Vec::new();
    }
    let mut found: Vec<Test> = equality_numbers(src.language, line)
        .into_iter()
        .filter(|m| !glued_after(line, m.end()) && !operand_is_other_quantity(line, m.start()))
        .filter_map(|m| Some((i, m.start(), m.as_str().parse::<u16>().ok()?)))
        .collect();
    if src.language == Language::Nsis {
        found.extend(nsis_equality(i, line));
    }
    let list = LIST.find(line).or_else(|| tested_set(src, line));
    if let Some(m) = list {
        for n in LIST_ITEM.captures_iter(m.as_str()).filter_map(|c| c.get(1)) {
            if let Ok(b) = n.as_str().parse::<u16>() {
                found.push((i, m.start() + n.start(), b));
            }
        }
    }
    found.sort_unstable();
    found.dedup();
    if !found.is_empty()
        && !src
            .span(i as isize - 20, i as isize)
            .iter()
            .any(|l| BUILD_CONTEXT.is_match(l))
    {
        return Vec::new();
    }
    found
}

/// The 600x numbers on `line` that an equality operator, a switch clause
/// or (in the languages that have them) a single `=` or an NSIS LogicLib /
/// `StrCmp` test compares with.
fn equality_numbers(language: Language, line: &str) -> Vec<regex::Match<'_>> {
    let mut matches: Vec<regex::Match<'_>> = Vec::new();
    for re in [&*OP_BEFORE, &*OP_AFTER, &*MSI_BUILD] {
        matches.extend(re.captures_iter(line).filter_map(|c| c.get(1)));
    }
    matches.extend(SWITCH_CLAUSE.captures_iter(line).filter_map(|c| c.get(2)));
    if single_equals_compares(language, line, true) {
        matches.extend(SINGLE_EQ.captures_iter(line).filter_map(|c| c.get(1)));
    }
    if language == Language::Nsis {
        let logic = NSIS_LOGIC_EQ.captures_iter(line);
        matches.extend(logic.filter_map(|c| c.get(1).or_else(|| c.get(2))));
        matches.extend(NSIS_STRCMP.captures_iter(line).filter_map(|c| c.get(1)));
    }
    matches
}

/// The longest collection name [`tested_set`] looks up.
const MAX_SET_NAME: usize = 128;

/// The build collection bound to a name on this line, when the file tests
/// membership in that name elsewhere (`build not in SUPPORTED`, `-in
/// $builds`, `BUILDS.includes(b)`, `Builds.Contains(b)`).
fn tested_set<'l>(src: &Source<'_>, line: &'l str) -> Option<regex::Match<'l>> {
    let c = BUILD_SET.captures(line)?;
    // The name comes from the file: no identifier is this long, and the
    // pattern built from it is compiled without a panic on any error.
    let name = c.get(1)?.as_str();
    if name.len() > MAX_SET_NAME {
        return None;
    }
    let name = regex::escape(name);
    let member = Regex::new(&format!(
        r"(?i)(?:\bin|-(?:not)?in|-(?:not)?contains)\s+[$@]?{name}\b|\b{name}\s*\.\s*(?:includes|contains|include\?|has|indexOf)\s*\("
    ))
    .ok()?;
    src.lines
        .iter()
        .any(|l| member.is_match(l))
        .then(|| c.get(0))
        .flatten()
}

/// An NSIS `IntCmp` whose equal jump goes neither where less nor where
/// greater goes: an equality test (`IntCmp $0 6002 sp2 0 0`).
fn nsis_equality(i: usize, line: &str) -> Option<Test> {
    let (col, value, [equal, less, more]) = nsis_int_cmp(line)?;
    (equal != less && equal != more).then_some((i, col, value))
}
