//! `win10-only-version-api`: version data that NT 6.0 does not have.

use std::sync::LazyLock;

use regex::Regex;

use super::{re, Hit, RuleMeta, Severity};
use crate::lint::source::Source;

/// The rule.
pub struct Rule;

static META: RuleMeta = RuleMeta {
    id: "win10-only-version-api",
    code: "NT60030",
    summary: "Reads CurrentMajorVersionNumber / CurrentMinorVersionNumber, which NT 6.0 does not have, with no fallback",
    severity: Severity::Error,
    what: "Finds reads of the registry values `CurrentMajorVersionNumber` and \
           `CurrentMinorVersionNumber` under `HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion` \
           in files that never read `CurrentVersion` (or another version source such as \
           `Win32_OperatingSystem`, `GetVersionEx`, `RtlGetVersion`) as a fallback.",
    why: "These values (and `UBR`) were introduced with Windows 10. On Vista / Server 2008 the \
          key has `CurrentVersion` = \"6.0\" and `CurrentBuild`/`CurrentBuildNumber` = \"6003\" \
          only, so code that reads the new values and stops when they are missing fails on \
          every NT 6.0 host, whatever its build.",
    bad: "maj, _, err := k.GetIntegerValue(\"CurrentMajorVersionNumber\")\nif err != nil {\n    log.Fatal(err)\n}",
    good: "maj, _, err := k.GetIntegerValue(\"CurrentMajorVersionNumber\")\nif err != nil {\n    cv, _, _ := k.GetStringValue(\"CurrentVersion\") // \"6.0\" on Vista / Server 2008\n    maj, min = parseMajorMinor(cv)\n}",
    fix: "fall back to the CurrentVersion value (\"6.0\") or use RtlGetVersion when the Windows 10 values are absent",
    fix_safety: "No automatic fix.",
    not_flagged: "Files that also read `CurrentVersion` or use another version API.",
};

static NEW_VALUE: LazyLock<Regex> =
    LazyLock::new(|| re(r#"(?i)["'\s]Current(?:Major|Minor)VersionNumber\b"#));
static FALLBACK: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r#"(?i)["']CurrentVersion["']|/v\s+"?CurrentVersion\b|\bwin32_operatingsystem\b|getversionex|rtlgetversion|getwindowsversion|\.osversion\b|os\.release\(|getversion\("#,
    )
});

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, src: &Source<'_>, out: &mut Vec<Hit>) {
        let mut first = src
            .candidates
            .iter()
            .filter_map(|&i| NEW_VALUE.find(src.lines[i]).map(|m| (i, m.start() + 1)));
        if let Some((i, col)) = first.next() {
            if !src.any(&FALLBACK) {
                out.push(Hit {
                    index: i,
                    column: col,
                    message: "CurrentMajorVersionNumber exists from Windows 10 on; NT 6.0 has only CurrentVersion (\"6.0\"), and nothing here falls back to it".into(),
                });
            }
        }
    }
}
