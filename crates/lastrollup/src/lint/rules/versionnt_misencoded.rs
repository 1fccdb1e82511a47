//! `versionnt-misencoded`: an MSI `VersionNT` compared with a value no
//! Windows NT has.

use std::sync::LazyLock;

use regex::Regex;

use super::{glued_after, re, Hit, RuleMeta, Severity};
use crate::lint::source::Source;

/// The rule.
pub struct Rule;

static META: RuleMeta = RuleMeta {
    id: "versionnt-misencoded",
    code: "NT60040",
    summary: "MSI VersionNT compared with a value below 400 (e.g. 100 for \"Windows 10\"), so the condition is always true or always false",
    severity: Severity::Error,
    what: "Finds Windows Installer conditions that compare `VersionNT` or `VersionNT64` with a \
           number below 400.",
    why: "`VersionNT` is major × 100 + minor: 400 for NT 4.0, 500–502 for 2000/XP/2003, 600 for \
          Vista / Server 2008, 601 for 7 / 2008 R2, 602, 603 for later releases. A value such as \
          100 (meant as \"Windows 10\") or 60 (meant as \"6.0\") matches no release: \
          `VersionNT >= 100` is true everywhere, so a launch condition meant to require Windows \
          10 lets Server 2008 SP2 install.",
    bad: "<Launch Condition=\"VersionNT >= 100\" Message=\"Requires Windows 10 or later\" />",
    good: "<Launch Condition=\"VersionNT >= 603 AND WindowsBuild >= 10240\" Message=\"Requires Windows 10 or later\" />",
    fix: "compare VersionNT with major*100+minor (600 = NT 6.0) and use WindowsBuild for builds",
    fix_safety: "No automatic fix: the intended version has to be read from the message or the author.",
    not_flagged: "Valid encodings (400 and above).",
};

static VERSION_NT: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\bVersionNT(?:64)?\s*(?:>=|<=|<>|=|<|>|&gt;=?|&lt;=?|&lt;&gt;)\s*(\d{1,3})")
});

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, src: &Source<'_>, out: &mut Vec<Hit>) {
        for &i in &src.candidates {
            let line = src.lines[i];
            for c in VERSION_NT.captures_iter(line) {
                let (Some(all), Some(n)) = (c.get(0), c.get(1)) else {
                    continue;
                };
                let value: u16 = n.as_str().parse().unwrap_or(u16::MAX);
                if value < 400 && !glued_after(line, n.end()) {
                    out.push(Hit {
                        index: i,
                        column: all.start(),
                        message: format!("VersionNT is major*100+minor (600 for NT 6.0); {value} matches no Windows release, so this test is constant"),
                    });
                }
            }
        }
    }
}
