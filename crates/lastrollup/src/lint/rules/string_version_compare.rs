//! `string-version-compare`: an OS version compared as a string.

use std::sync::LazyLock;

use regex::Regex;

use super::{re, version_names, Hit, RuleMeta, Severity};
use crate::lint::source::Source;
use crate::lint::Language;

/// The rule.
pub struct Rule;

static META: RuleMeta = RuleMeta {
    id: "string-version-compare",
    code: "NT60020",
    summary: "OS version compared as a string with <, >, GEQ or compareTo, so \"10.0\" sorts before \"6.0\"",
    severity: Severity::Warning,
    what: "Finds ordering comparisons between a version that is a string and a dotted literal: \
           Python `platform.version() >= '6.0'`, Node `os.release() < '6.1'`, Ruby \
           `node['platform_version'] >= '6.0'`, batch `if \"%VER%\" GEQ \"6.0\"`, VBScript \
           `objOS.Version >= \"6.0\"`, PowerShell `(Get-WmiObject Win32_OperatingSystem).Version \
           -ge \"6.0\"`, Java/C# `compareTo(\"6.0\")`, Inno `GetWindowsVersionString >= '6.0'`. \
           In Python, JavaScript/TypeScript, Go, Ruby, Jinja and Puppet (where `<` on two strings \
           compares characters) and Perl (`lt`, `gt`, `le`, `ge`), also any ordering comparison \
           with a Windows version that carries its build (`x < \"6.0.6002\"`, `'10.0.17763'`), \
           and ordering comparisons of a name the file assigns an OS version string to \
           (`ver = platform.version()` … `ver >= \"6.0\"`; `const rel = os.release()`).",
    why: "Strings compare character by character: \"10.0.14393\" < \"6.0.6003\" because '1' < '6', \
          and \"6.0.6003\" > \"6.0.10000\". A minimum-version gate written this way refuses \
          Windows 10 and accepts nonsense; an NT 6.0 range test breaks as soon as a component \
          gains a digit.",
    bad: "if platform.version() >= '6.0':\n    use_vista_api()",
    good: "if sys.getwindowsversion()[:2] >= (6, 0):\n    use_vista_api()",
    fix: "parse the version first ([version] in PowerShell, System.Version, a tuple of ints, Gem::Version) and compare numbers",
    fix_safety: "No automatic fix: the parse call differs per language and must handle junk input.",
    not_flagged: "Typed versions (`[Environment]::OSVersion.Version -ge \"6.0\"` is converted to \
                  [version] by PowerShell; `[version]$v -ge '6.0'`); numeric comparisons \
                  (`.to_f < 6.0`, `CInt(...)`); version-aware compares on the line (`LooseVersion`, \
                  `Gem::Version`, `versioncmp`, Jinja `version(...)`); version strings that are \
                  not the OS's (`puppet_version < '4.0.0'`).",
};

const LIT: &str = r#"["']\d+\.\d+(?:\.\d+)*["']"#;

static GENERIC: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r#"(?i)(?:platform\.version\(\)|platform\.release\(\)|os\.release\(\)|platform_version['"]?\]?|\bos_version\b|\.VersionString\b|kernelversion['"]?\]?|GetWindowsVersionString)\s*(?:<=|>=|<|>)\s*{LIT}"#
    ))
});
static COMPARE_TO: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r#"(?i)(?:os\.version|version\w*)["')\]]*\s*\.\s*compareto\s*\(\s*{LIT}|string\.compare(?:ordinal)?\s*\([^,]*version[^,]*,\s*{LIT}"#
    ))
});
static BATCH: LazyLock<Regex> = LazyLock::new(|| {
    re(r#"(?i)\bif\s+(?:/i\s+)?(?:not\s+)?"?%[^%\s]+%"?\s+(?:GEQ|GTR|LSS|LEQ)\s+"?\d+\.\d+"#)
});
static VB: LazyLock<Regex> =
    LazyLock::new(|| re(&format!(r#"(?i)\.version\s*(?:<=|>=|<|>)\s*{LIT}"#)));
static PS: LazyLock<Regex> =
    LazyLock::new(|| re(&format!(r#"(?i)\.version\)?\s+-(?:lt|le|gt|ge)\s+{LIT}"#)));
static TYPED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\[(?:system\.)?version\]|osversion\.version|psversion|\bcint\b|\bcdbl\b|\bval\(|\bsystem\.version\b|\bversion\s*\(",
    )
});
static WMI: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)win32_operatingsystem"));
/// A Windows version with its build (`"6.0.6002"`, `'10.0.17763'`): no other
/// kind of version looks like it, so comparing it as a string is an OS check.
const NT_BUILD_LIT: &str = r#"["'](?:5\.[012]\.\d{4}|6\.[0-3]\.\d{4}|10\.0\.\d{5})["']"#;
/// An ordering operator on strings: `<` and friends in the languages where
/// two strings compare character by character, Perl's `lt`/`gt`/`le`/`ge`.
const STRING_ORDER: &str = r"(?:<=|>=|<|>|\b(?:lt|gt|le|ge)\b)";
static BUILD_LITERAL_ORDER: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r#"(?i){STRING_ORDER}\s*{NT_BUILD_LIT}|{NT_BUILD_LIT}\s*{STRING_ORDER}"#
    ))
});
/// Parsed or version-aware comparisons on the line.
static PARSED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)looseversion|strictversion|parse_version|version\.parse|gem::version|semver|versioncmp|version_cmp|\[version\]|\bversion\(",
    )
});

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, src: &Source<'_>, out: &mut Vec<Hit>) {
        let mut names: Option<Vec<String>> = None;
        for &i in &src.candidates {
            if let Some(col) = compare(src, src.lines[i], &mut names) {
                out.push(Hit {
                    index: i,
                    column: col,
                    message: "OS version compared as a string: \"10.0\" < \"6.0\" and \"6.0.6003\" > \"6.0.10000\" character by character".into(),
                });
            }
        }
    }
}

/// The byte column of a string comparison of an OS version on `line`;
/// `names` caches [`version_names`], read only when a line needs them.
fn compare(src: &Source<'_>, line: &str, names: &mut Option<Vec<String>>) -> Option<usize> {
    if let Some(m) = GENERIC.find(line).or_else(|| COMPARE_TO.find(line)) {
        return Some(m.start());
    }
    if strings_order(src.language) && !PARSED.is_match(line) {
        if let Some(at) = BUILD_LITERAL_ORDER
            .find(line)
            .map(|m| m.start())
            .or_else(|| named_compare(src, line, names))
        {
            return Some(at);
        }
    }
    let m = match src.language {
        Language::Batch => BATCH.find(line),
        Language::VbScript | Language::VbNet => VB.find(line).filter(|_| !TYPED.is_match(line)),
        Language::PowerShell => PS
            .find(line)
            .filter(|_| !TYPED.is_match(line) && src.any(&WMI)),
        _ => None,
    }?;
    Some(m.start())
}

/// Languages in which `<` on two strings compares them character by
/// character (and Perl, whose `lt` does).
fn strings_order(language: Language) -> bool {
    matches!(
        language,
        Language::Python
            | Language::JavaScript
            | Language::Go
            | Language::Ruby
            | Language::Perl
            | Language::ConfigManagement
    )
}

/// The byte column of an ordering comparison of one of `names` with a
/// dotted literal (`ver >= "6.0"`, `"6.1" > rel`).
fn named_compare(src: &Source<'_>, line: &str, names: &mut Option<Vec<String>>) -> Option<usize> {
    static ORDER: LazyLock<Regex> = LazyLock::new(|| {
        re(&format!(
            r#"(?i)([$@]?\w+)\s*{STRING_ORDER}\s*{LIT}|{LIT}\s*{STRING_ORDER}\s*[$@]?(\w+)"#
        ))
    });
    if !ORDER.is_match(line) {
        return None;
    }
    let names = names.get_or_insert_with(|| version_names(src));
    ORDER.captures_iter(line).find_map(|c| {
        let name = c.get(1).or_else(|| c.get(2))?;
        let bare = name.as_str().trim_start_matches(['$', '@']);
        names.iter().any(|n| n == bare).then_some(name.start())
    })
}
