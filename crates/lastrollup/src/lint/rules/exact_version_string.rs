//! `exact-version-string`: a version string matched exactly against
//! `6.0.6002` (or against `6.0` where the value is a full version).

use std::sync::LazyLock;

use regex::Regex;

use super::{
    clusters, glued_after, glued_before, re, single_equals_compares, version_names, Hit, RuleMeta,
    Severity, FAMILY_LITERAL, OS_SOURCE,
};
use crate::lint::source::Source;

/// The rule.
pub struct Rule;

static META: RuleMeta = RuleMeta {
    id: "exact-version-string",
    code: "NT60002",
    summary: "Version string matched exactly against 6.0.6002 (or 6.0.6003 alone), so one of the two SP2 builds is missed",
    severity: Severity::Error,
    what: "Finds `6.0.600x` version strings used in an exact or substring match: `== \"6.0.6002\"`, \
           `-eq '6.0.6002'`, `ver | find \"6.0.6002\"`, `Contains(\"6.0.6002\")`, Go \
           `strings.HasPrefix(v, \"6.0.6002\")`, Ruby `start_with?('6.0.6002')`, C `wcscmp(v, \
           L\"6.0.6002\")` and the other `str…cmp` / `wcs…cmp` / `lstrcmp…` functions, \
           `6.0.6002.0` (a four-part OS version whose revision is 0), `case \"6.0.6002\":`, \
           a PowerShell `switch` clause (`'^6\\.0\\.6002' {` under `switch -Regex` too) or a Puppet `case` option (`'6.0.6002': {`), VB / Pascal \
           `If oOS.Version = \"6.0.6002\"`, a regular expression (`=~ /6\\.0\\.6002/`, \
           `/^6\\.0\\.6002/.test(…)`, `re.match(r\"6\\.0\\.6002\"`), Ansible \
           `version('6.0.6002', '==')`, an entry of a comma-separated list of versions (an array \
           used with `includes`, an `.ini` value), a key of a map that the file looks up with \
           the OS version (`NAMES[os.release()]`, `names.get(ver)`), `OSVersion.ToString() == \"Microsoft Windows NT \
           6.0.6002 Service Pack 2\"` — when the same group of tests does not accept both 6.0.6002 and \
           6.0.6003 and the file has no `\"6.0\"` family fallback. Also finds a full version \
           (`platform_version`, `platform.version()`, `os.release()`) compared for equality with \
           `'6.0'`, which is never true.",
    why: "Since the March 2019 rollups an up-to-date Vista SP2 / Server 2008 SP2 host reports \
          `6.0.6003` (`ver`: `Microsoft Windows [Version 6.0.6003]`); hosts never patched since \
          then still report `6.0.6002`. A match on one string misses the other half of the \
          fleet: a login script falls through to its XP branch, an installer says \"unsupported \
          OS\", a cleanup script runs a DISM option NT 6.0 does not have.",
    bad: "ver | find \"6.0.6002\" >nul\nif %ERRORLEVEL% == 0 goto server2008",
    good: "ver | findstr /L /C:\"Version 6.0.\" >nul\nif %ERRORLEVEL% == 0 goto nt60",
    fix: "match the NT 6.0 family (\"6.0.\" prefix, or Major.Minor 6.0 on a parsed version), or list both 6.0.6002 and 6.0.6003",
    fix_safety: "No automatic fix: adding `6.0.6003` next to `6.0.6002` in a lookup table is safe \
                 in itself, but whether the table is the only test the rule cannot prove.",
    not_flagged: "Tables that list both 6.0.6002 and 6.0.6003; files with a `\"6.0\"` / `\"6.0.\"` \
                  family fallback; prefixes such as `find \"6.0.600\"`; four-part file versions \
                  (`6.0.6002.18005`); keys of maps that are never looked up with the OS version \
                  (`'6.0.6002': 'Vista SP2'` in a table read only for macOS); \
                  a lone version assigned to a key (`Version=6.0.6002`) or a VB variable; \
                  `MinVersion=6.0.6002` (a minimum).",
};

static LITERAL: LazyLock<Regex> = LazyLock::new(|| re(r"6\\?\.0\\?\.(600[0-3])"));
static PREFIX_OP: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r#"(?i)(?:===?|!==?|-c?(?:eq|ne|like|notlike|match|notmatch|contains|in)\b|\bEQU\b|\bNEQ\b|equals(?:ignorecase)?\s*\(|contains\s*\(|startswith\s*\(|endswith\s*\(|instr\s*\((?:[^,()]*,){1,2}|indexof\s*\(|includes\s*\(|\b_?(?:str|wcs|mbs|lstr)\w*cmp\w*\s*\([^,]*,|has(?:prefix|suffix)\s*\(.*,|(?:start|end)_with\?\s*\(|\bstrcmps?\s+\S+|\bfind(?:str)?\b(?:\s+/[a-z]+)*(?:\s+/c:)?|\bcase\b|\bwhen\b|\bin\s*[\[(][^\])]*)\s*(?:\[(?:system\.)?version\]\s*)?[@L$]?["'][^"']*$"#,
    )
});
static SUFFIX_OP: LazyLock<Regex> =
    LazyLock::new(|| re(r#"(?i)^[^"']*["']\s*(?:===?|!==?|-eq\b|\.equals)"#));
/// A `switch` clause's opening quote, with a `switch -Regex` anchor.
static SWITCH_START: LazyLock<Regex> = LazyLock::new(|| re(r#"^\s*["']\^?$"#));
static SWITCH_END: LazyLock<Regex> = LazyLock::new(|| re(r#"^\*?["']\s*:?\s*\{"#));
/// A single `=` right before the literal's opening quote (VB, Pascal).
static SINGLE_EQ_PREFIX: LazyLock<Regex> = LazyLock::new(|| re(r#"(?:^|[^<>!=:])=\s*["'][^"']*$"#));
/// Two or more dotted versions in a comma-separated list (an array, a set,
/// an `.ini` value): a table of the exact versions accepted.
static VERSION_LIST: LazyLock<Regex> =
    LazyLock::new(|| re(r#"["']?\d+\.\d+\.\d+["']?(?:\s*,\s*["']?\d+\.\d+\.\d+["']?)+"#));
/// A list entry that is a map key (`'6.0.6002': …`, `"6.0.6002" => …`).
static MAP_KEY: LazyLock<Regex> = LazyLock::new(|| re(r#"^["']?\s*(?::|=>)"#));
/// A regular expression that holds the literal, tested against a string
/// (a substring match): Perl / Ruby `=~ /…/`, JavaScript `/…/.test(`,
/// `.match(/…/`, Python `re.match(r"…"`.
static REGEX_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r#"(?i)(?:[=!]~\s*m?/|\.(?:match|search)\(\s*/|\bre\.(?:match|search|fullmatch)\(\s*r?["'])[^/"']*$"#,
    )
});
static REGEX_SUFFIX: LazyLock<Regex> = LazyLock::new(|| re(r"^[^/]*/[a-z]*\.(?:test|exec)\("));
/// A Jinja / Ansible version test for equality: `version('6.0.6002', '==')`.
static VERSION_TEST_EQ: LazyLock<Regex> =
    LazyLock::new(|| re(r#"(?i)^["']\s*,\s*["'](?:==|eq|=)["']"#));
static MINIMUM: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)minversion|onlybelowversion"));
static FULL_EQ_FAMILY: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r#"(?i)(?:platform_version['"]?\]?|platform\.version\(\)|os\.release\(\)|\.VersionString|OSVersion\.Version\.ToString\(\)|win32_ver\(\)\[1\])\s*(?:===?|-eq\b|\.equals\(|\.eql\?\(?)\s*["']6\.[0-3]["']"#,
    )
});

/// One exact match: (line index, byte column, build).
type Test = (usize, usize, u16);

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, src: &Source<'_>, out: &mut Vec<Hit>) {
        full_version_against_family(src, out);
        let mut keyed: Option<Vec<String>> = None;
        let tests: Vec<Test> = src
            .candidates
            .iter()
            .flat_map(|&i| tests_on(src, i, &mut keyed))
            .collect();
        if tests.is_empty() || src.any(&FAMILY_LITERAL) {
            return;
        }
        let lines: Vec<usize> = tests.iter().map(|t| t.0).collect();
        for (first, last) in clusters(&lines, 15) {
            let span = src.span(first as isize - 5, last as isize + 5);
            let mut builds: Vec<u16> = span.iter().flat_map(|l| literals(l)).map(|t| t.2).collect();
            builds.extend(
                tests
                    .iter()
                    .filter(|t| (first..=last).contains(&t.0))
                    .map(|t| t.2),
            );
            let (has2, has3) = (builds.contains(&6002), builds.contains(&6003));
            let (missing, target) = match (has2, has3) {
                (true, false) => ("6.0.6003", 6002),
                (false, true) => ("6.0.6002", 6003),
                _ => continue,
            };
            for &(i, col, _) in tests
                .iter()
                .filter(|t| (first..=last).contains(&t.0) && t.2 == target)
            {
                out.push(Hit {
                    index: i,
                    column: col,
                    message: format!(
                        "exact match on 6.0.{target} without {missing}: Vista SP2 / Server 2008 SP2 \
                         is 6.0.6002 before the March 2019 rollup and 6.0.6003 after it"
                    ),
                });
            }
        }
    }
}

/// The unglued `6.0.600x` literals of a line: (start, end, build).
fn literals(line: &str) -> Vec<(usize, usize, u16)> {
    LITERAL
        .captures_iter(line)
        .filter_map(|c| {
            let (all, build) = (c.get(0)?, c.get(1)?);
            let end = all.end() + zero_revision(&line[all.end()..]);
            if glued_before(line, all.start()) || glued_after(line, end) {
                return None;
            }
            Some((all.start(), end, build.as_str().parse().ok()?))
        })
        .collect()
}

/// The length of a `.0` revision at the start of `rest`: `6.0.6002.0` is an
/// OS version (Ansible's `distribution_version`, `[version]` printed with
/// four parts), not a file version such as `6.0.6002.18005`.
fn zero_revision(rest: &str) -> usize {
    match rest.as_bytes() {
        [b'.', b'0', next, ..] if !next.is_ascii_alphanumeric() && *next != b'.' => 2,
        [b'.', b'0'] => 2,
        _ => 0,
    }
}

/// The exact-match tests on line `i`. `keyed` caches the maps the file
/// looks up by the OS version (their keys are exact matches).
fn tests_on(src: &Source<'_>, i: usize, keyed: &mut Option<Vec<String>>) -> Vec<Test> {
    let line = src.lines[i];
    if !line.contains("600") || MINIMUM.is_match(line) {
        return Vec::new();
    }
    let single_eq = single_equals_compares(src.language, line, false);
    let lists: Vec<(usize, usize)> = VERSION_LIST
        .find_iter(line)
        .map(|m| (m.start(), m.end()))
        .collect();
    let mut map_key = |at: usize, end: usize| {
        MAP_KEY.is_match(&line[end..]) && {
            let maps = keyed.get_or_insert_with(|| looked_up_by_version(src));
            enclosing_map(src, i, at).is_some_and(|m| maps.iter().any(|k| k == m))
        }
    };
    literals(line)
        .into_iter()
        .filter(|&(at, end, _)| {
            compared(line, at, end)
                || (single_eq && SINGLE_EQ_PREFIX.is_match(&line[..at]))
                || in_list(line, &lists, at, end)
                || VERSION_TEST_EQ.is_match(&line[end..])
                || REGEX_PREFIX.is_match(&line[..at])
                || REGEX_SUFFIX.is_match(&line[end..])
                || map_key(at, end)
        })
        .map(|(at, _, b)| (i, at, b))
        .collect()
}

/// The maps the file indexes with the OS version (`NAMES` in
/// `NAMES[os.release()]`, `names` in `names.get(platform.version())`, `$map`
/// in `$map[$ver]` with `$ver` holding one).
fn looked_up_by_version(src: &Source<'_>) -> Vec<String> {
    static LOOKUP: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)(\w+)(?:[\])]?\s*\[|\s*\.(?:get|fetch|getordefault|trygetvalue)\s*\()\s*([$@]?\w+)?",
        )
    });
    let names = version_names(src);
    let mut maps = Vec::new();
    for l in &src.lines {
        for c in LOOKUP.captures_iter(l) {
            let (Some(map), Some(all)) = (c.get(1), c.get(0)) else {
                continue;
            };
            let key = c
                .get(2)
                .map_or("", |m| m.as_str().trim_start_matches(['$', '@']));
            let by_source = OS_SOURCE
                .find(&l[all.end() - key.len()..])
                .is_some_and(|m| m.start() < 8);
            if by_source || names.iter().any(|n| n == key) {
                maps.push(map.as_str().to_string());
            }
        }
    }
    maps
}

/// The name of the map whose key is the literal at byte `at` of line `i`:
/// the nearest `name = {`, `name: {`, `name := map[…]…{` above it.
fn enclosing_map<'s>(src: &Source<'s>, i: usize, at: usize) -> Option<&'s str> {
    static MAP_OPEN: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r#"(?i)[$@]?(\w+)["']?\s*(?::[^=\n{]*)?(?::=|=>|=|:)\s*(?:new\s+[\w<>, ]+\s*|map\[\w+\]\w+\s*|@)?[{\[(]"#,
        )
    });
    let last = |text: &'s str| MAP_OPEN.captures_iter(text).last().and_then(|c| c.get(1));
    let line: &'s str = src.lines[i];
    if let Some(m) = last(&line[..at]) {
        return Some(m.as_str());
    }
    src.span(i as isize - 40, i as isize - 1)
        .iter()
        .rev()
        .find_map(|l| last(l))
        .map(|m| m.as_str())
}

/// Whether the literal at `at..end` is an entry of one of the version
/// `lists` of the line, and not a map key.
fn in_list(line: &str, lists: &[(usize, usize)], at: usize, end: usize) -> bool {
    lists.iter().any(|&(s, e)| s <= at && end <= e) && !MAP_KEY.is_match(&line[end..])
}

/// Whether the literal starting at `at` sits in a comparison.
fn compared(line: &str, at: usize, end: usize) -> bool {
    let before = &line[..at];
    let start = before.len().saturating_sub(120);
    let mut s = start;
    while !before.is_char_boundary(s) {
        s += 1;
    }
    let before = &before[s..];
    let after = &line[end..];
    PREFIX_OP.is_match(before)
        || SUFFIX_OP.is_match(after)
        || (SWITCH_START.is_match(before) && SWITCH_END.is_match(after))
}

fn full_version_against_family(src: &Source<'_>, out: &mut Vec<Hit>) {
    for &i in &src.candidates {
        if let Some(m) = FULL_EQ_FAMILY.find(src.lines[i]) {
            out.push(Hit {
                index: i,
                column: m.start(),
                message: "a full version such as 6.0.6003 is compared for equality with a \
                          major.minor string; it is never equal, so NT 6.0 is never recognised"
                    .into(),
            });
        }
    }
}
