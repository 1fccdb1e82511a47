//! `server-as-vista`: NT 6.0 named "Vista" with no product-type check.

use std::sync::LazyLock;

use regex::Regex;

use super::{re, Hit, RuleMeta, Severity, PRODUCT_TYPE};
use crate::lint::source::Source;
use crate::lint::Language;

/// The rule.
pub struct Rule;

static META: RuleMeta = RuleMeta {
    id: "server-as-vista",
    code: "NT60010",
    summary: "NT 6.0 reported as \"Vista\" with no product-type check, so Windows Server 2008 is misnamed",
    severity: Severity::Warning,
    what: "Finds a family-level NT 6.0 test (`\"6.0\"`, `ver | findstr \"6.0.\"`, `StrCmp $R1 '6.0'`, \
           `Major == 6 && Minor == 0`, `IsWindowsVistaSP2OrGreater()` and the other VersionHelpers \
           Vista tests, NSIS `${IsWinVista}`) whose result, on the same or the next few lines, is a name \
           that says Vista and not Server 2008 — when nothing in the file asks for the product \
           type. Also finds Python's `platform.release() == 'Vista'` in files that never handle \
           `'2008Server'`.",
    why: "Windows Vista and Windows Server 2008 are the same NT 6.0 (same version numbers, same \
          builds 6000–6003). Only the product type (`ProductType` / `wProductType` 1 = workstation, \
          2 = domain controller, 3 = server; `InstallationType`; `MsiNTProductType`) tells them \
          apart. A script that calls every 6.0 host \"Vista\" mislabels servers in inventories, \
          picks client-only code paths on servers, and (Python) never matches on Server 2008, \
          where `platform.release()` is `'2008Server'`.",
    bad: "VER | FINDSTR /I \"6.0.\" > NUL\nIF %ERRORLEVEL% EQU 0 (SET Version=Windows Vista)",
    good: "VER | FINDSTR /L /C:\"Version 6.0.\" > NUL\nIF %ERRORLEVEL% EQU 0 (\n  wmic os get ProductType | FINDSTR /X \"1\" > NUL && (SET Version=Windows Vista) || (SET Version=Windows Server 2008)\n)",
    fix: "read the product type (ProductType / wProductType / InstallationType / MsiNTProductType) before naming an NT 6.0 host Vista or Server 2008",
    fix_safety: "No automatic fix: it needs a new query on the target machine.",
    not_flagged: "Names that cover both (\"Vista / Server 2008\", \"Vista or 2008\"); files that read \
                  a product type anywhere; exact-build tables (they are judged by the \
                  exact-version rules); MSI conditions that test `MsiNTProductType`.",
};

static FAMILY: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r#"(?i)["']6\.0\.?["']|\bVersionNT(?:64)?\s*=\s*600\b|major\w*\s*(?:==|-eq|=)\s*6\b[^;{]*minor\w*\s*(?:==|-eq|=)\s*0\b|\bIsWindowsVista(?:SP[12])?OrGreater\s*\(\s*\)|\$\{IsWinVista\}"#,
    )
});
static OTHER_TEST: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r#"["']\d+\.\d+\.?["']|\bVersionNT|major\w*\s*(?:==|-eq)|\bIsWindows\w+\(|\$\{(?:Is|AtLeast|AtMost)Win"#,
    )
});
static ORDERING: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r#"(?i)(?:<=?|>=?|-c?(?:lt|le|gt|ge)|\b(?:LSS|LEQ|GTR|GEQ))\s*(?:\[(?:system\.)?version\]\s*)?$"#,
    )
});
static QUOTED: LazyLock<Regex> = LazyLock::new(|| re(r#""([^"]*)"|'([^']*)'"#));
static BATCH_SET: LazyLock<Regex> = LazyLock::new(|| re(r#"(?i)\bset\s+"?\w+=([^"&)|]*)"#));
static PY_RELEASE: LazyLock<Regex> = LazyLock::new(|| {
    re(r#"(?i)(?:release\(\)|win32_ver\(\)\[0\])\s*(?:==|!=|\bin\b)\s*[(\[]?\s*["']Vista["']"#)
});
static HANDLES_2008_SERVER: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\b2008server\b"));

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, src: &Source<'_>, out: &mut Vec<Hit>) {
        let mut product_type: Option<bool> = None;
        let mut knows_type = || *product_type.get_or_insert_with(|| src.any(&PRODUCT_TYPE));
        for &i in &src.candidates {
            let line = src.lines[i];
            if let Some(m) = PY_RELEASE.find(line) {
                if !src.any(&HANDLES_2008_SERVER) {
                    out.push(hit(i, m.start(), "'Vista' is what platform.release() says on Vista only; on Windows Server 2008 it is '2008Server', which this file never tests"));
                }
                continue;
            }
            let Some(m) = FAMILY.find(line) else { continue };
            if ORDERING.is_match(&line[..m.start()]) {
                continue;
            }
            if names_vista_only(src, i, m.end()) && !knows_type() {
                out.push(hit(i, m.start(), "NT 6.0 is named Vista here, but Windows Server 2008 is NT 6.0 too and nothing checks the product type"));
            }
        }
    }
}

fn hit(index: usize, column: usize, message: &str) -> Hit {
    Hit {
        index,
        column,
        message: message.into(),
    }
}

/// Whether the consequence of the test ending at `end` on line `i` names
/// Vista and not Server 2008.
fn names_vista_only(src: &Source<'_>, i: usize, end: usize) -> bool {
    let rest = &src.lines[i][end..];
    let mut names = names(rest, src.language == Language::Nsis);
    for line in src.span(i as isize + 1, i as isize + 3) {
        if OTHER_TEST.is_match(line) {
            break;
        }
        names.extend(names_in(line));
    }
    names.iter().any(|n| is_vista_only(n))
}

fn names(rest: &str, labels: bool) -> Vec<String> {
    let mut out = names_in(rest);
    if labels {
        out.extend(rest.split_whitespace().map(str::to_string));
    }
    out
}

/// Quoted strings and batch `set NAME=VALUE` values on a line.
fn names_in(line: &str) -> Vec<String> {
    let quoted = QUOTED
        .captures_iter(line)
        .filter_map(|c| c.get(1).or_else(|| c.get(2)))
        .map(|m| m.as_str().to_string());
    let set = BATCH_SET
        .captures_iter(line)
        .filter_map(|c| c.get(1))
        .map(|m| m.as_str().to_string());
    quoted.chain(set).collect()
}

fn is_vista_only(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.contains("vista")
        && ![
            "2008", "server", "longhorn", "*", "%", "/", "later", "newer", "above", "higher", "+",
        ]
        .iter()
        .any(|w| n.contains(w))
}
