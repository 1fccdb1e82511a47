//! Windows version strings found in free text: the `ver` banner in any
//! language, `BuildLab`/`BuildLabEx` strings, ntoskrnl.exe file versions,
//! SQL Server `@@VERSION`, and SMB banners from network scanners.
//!
//! These are the last resort of format detection: a file in which none of
//! them is found is unrecognised input.

use std::sync::OnceLock;

use regex::Regex;

use super::text::Line;
use super::{Format, Key, Record};

struct Patterns {
    ver: Regex,
    build_lab_ex: Regex,
    build_lab: Regex,
    file_version: Regex,
    sql: Regex,
    smb_os: Regex,
    build_version: Regex,
    computer: Regex,
    domain: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| {
        let r = |p: &str| Regex::new(p).unwrap_or_else(|e| panic!("static regex {p}: {e}"));
        Patterns {
            // `Microsoft Windows [Version 6.0.6002]`, `[Versión 6.0.6002]`, `[Версия 6.0.6003]`, `[版本 6.0.6002]`.
            ver: r(r"(?i)Microsoft Windows\s*\[[^\][0-9]]{0,40}?([0-9]{1,2}\.[0-9]{1,2}\.[0-9]{4,5}(?:\.[0-9]{1,5})?)\s*\]"),
            build_lab_ex: r(r"(?i)\b[0-9]{4,5}\.[0-9]{1,5}\.(?:x86|amd64|ia64|arm64|arm)(?:fre|chk)\.[a-z0-9_]+\.[0-9]{6}-[0-9]{4}\b"),
            build_lab: r(r"(?i)\b[0-9]{4,5}\.[a-z][a-z0-9_]*\.[0-9]{6}-[0-9]{4}\b"),
            file_version: r(r"\b[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{4,5}\.[0-9]{1,5}\b"),
            // `on Windows NT 6.0 <X64> (Build 6003: Service Pack 2)`.
            sql: r(r"(?i)Windows NT ([0-9]{1,2}\.[0-9]{1,2})\s*(?:<(X64|X86|IA64)>)?\s*\(Build ([0-9]{4,5})(?::\s*Service Pack ([0-9]+))?"),
            // `Windows Server (R) 2008 Enterprise 6003 Service Pack 2`.
            smb_os: r(r"(?i)(Windows[^:()\[\]]*?(?:\(R\)|\(TM\))?[^:()\[\]]*?) ([0-9]{4,5}) Service Pack ([0-9]+)"),
            build_version: r(r"(?i)build version:\s*([0-9]{1,2}\.[0-9]{1,2}\.[0-9]{4,5})"),
            computer: r(r"(?i)^[\s|_]*(?:NB computer name|NetBIOS computer name|computer name)\s*:\s*([^\s\\]+)"),
            domain: r(r"(?i)^[\s|_]*(?:NB domain name|NetBIOS domain name|domain name|workgroup)\s*:\s*([^\s\\]+)"),
        }
    })
}

/// Scans every line for version strings. `None` when nothing was found.
pub(crate) fn parse(lines: &[Line<'_>]) -> Option<Record> {
    let p = patterns();
    let mut record = Record::new(Format::VersionStrings);
    // Which lines mention ntoskrnl, computed once (a version up to three
    // lines below such a line is the kernel's).
    let mentions_kernel: Vec<bool> = lines
        .iter()
        .map(|l| l.text.to_ascii_lowercase().contains("ntoskrnl"))
        .collect();
    for (idx, line) in lines.iter().enumerate() {
        let t = line.text;
        let n = line.number;
        if let Some(c) = p.ver.captures(t) {
            record.push(Key::Version, &c[1], n);
        }
        let lab_ex = p.build_lab_ex.find(t);
        if let Some(m) = lab_ex {
            record.push(Key::BuildLabEx, m.as_str(), n);
        } else if let Some(m) = p.build_lab.find(t) {
            record.push(Key::BuildLab, m.as_str(), n);
        }
        // A four-part file version on a line about ntoskrnl.exe (or right
        // under the command that asked for it).
        let about_kernel = mentions_kernel[idx.saturating_sub(3)..=idx]
            .iter()
            .any(|&m| m);
        if about_kernel && lab_ex.is_none() {
            if let Some(m) = p.file_version.find(t) {
                record.push(Key::KernelVersion, m.as_str(), n);
            }
        }
        if let Some(c) = p.sql.captures(t) {
            record.push(Key::Version, &c[1], n);
            record.push(Key::Build, &c[3], n);
            if let Some(a) = c.get(2) {
                record.push(Key::Architecture, a.as_str(), n);
            }
            if let Some(sp) = c.get(4) {
                record.push(Key::ServicePack, sp.as_str(), n);
            }
        } else if let Some(c) = p.smb_os.captures(t) {
            let product = c[1].trim();
            let product = product.rsplit_once(": ").map_or(product, |(_, p)| p).trim();
            record.push(Key::ProductName, product, n);
            record.push(Key::Build, &c[2], n);
            record.push(Key::ServicePack, &c[3], n);
        }
        if let Some(c) = p.build_version.captures(t) {
            record.push(Key::Version, &c[1], n);
        }
        if let Some(c) = p.computer.captures(t) {
            record.push(Key::HostName, &c[1], n);
        }
        if let Some(c) = p.domain.captures(t) {
            record.push(Key::Domain, &c[1], n);
        }
    }
    record.host = record.fact(Key::HostName).map(|f| f.value.clone());
    (!record.facts.is_empty()).then_some(record)
}

/// Scans decoded text for version strings only.
pub fn parse_str(text: &str) -> Option<Record> {
    parse(&super::text::lines(text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::text::lines;

    fn facts(text: &str) -> Vec<(Key, String)> {
        parse(&lines(text))
            .map(|r| r.facts.into_iter().map(|f| (f.key, f.value)).collect())
            .unwrap_or_default()
    }

    #[test]
    fn ver_banners_in_any_language() {
        for t in [
            "Microsoft Windows [Version 6.0.6003]",
            "Microsoft Windows [Versión 6.0.6002]",
            "Microsoft Windows [Версия 6.0.6003]",
            "Microsoft Windows [版本 6.0.6002]",
        ] {
            let f = facts(t);
            assert_eq!(f[0].0, Key::Version, "{t}");
            assert!(f[0].1.starts_with("6.0.600"), "{t}");
        }
    }

    #[test]
    fn build_lab_ex_and_kernel_versions() {
        let f = facts("BuildLabEx: 6003.20491.amd64fre.vistasp2_ldr_escrow.190320-1700");
        assert_eq!(
            f,
            vec![(
                Key::BuildLabEx,
                "6003.20491.amd64fre.vistasp2_ldr_escrow.190320-1700".into()
            )]
        );
        let f = facts("wmic datafile where name=\"C:\\\\Windows\\\\System32\\\\ntoskrnl.exe\" get Version\nVersion\n6.0.6003.23717\n");
        assert_eq!(f, vec![(Key::KernelVersion, "6.0.6003.23717".into())]);
    }

    #[test]
    fn sql_and_smb() {
        let f = facts("Microsoft SQL Server 2008 R2 (SP3) - 10.50.6000.34 (X64) on Windows NT 6.0 <X64> (Build 6003: Service Pack 2) (Hypervisor)");
        assert!(f.contains(&(Key::Build, "6003".into())));
        assert!(f.contains(&(Key::Architecture, "X64".into())));
        let f = facts("  Native OS:              Windows Server (R) 2008 Enterprise without Hyper-V 6003 Service Pack 2");
        assert!(f.contains(&(
            Key::ProductName,
            "Windows Server (R) 2008 Enterprise without Hyper-V".into()
        )));
        assert!(f.contains(&(Key::Build, "6003".into())));
    }

    #[test]
    fn nothing_found() {
        assert!(parse(&lines("hello\nworld")).is_none());
    }
}
