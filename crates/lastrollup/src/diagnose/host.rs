//! `diagnose --with CAPTURES…`: what the machine's own evidence (a
//! collector bundle, systeminfo, `wmic qfe`) says about each cause — the
//! SHA-2 flag and installed updates, the servicing stack version, the ESU
//! licence, a pending restart, the edition — so a cause is confirmed or
//! refuted rather than inferred from the logs alone. Refuted causes move
//! after the others.

use serde::Serialize;

use crate::catalog::{BuildRevision, Catalog, UpdateKind};
use crate::host::{Host, Source};

use super::cause::Cause;
use super::model::Evidence;
use super::report::Diagnosis;

/// What a host fact says about a cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// The fact supports the cause.
    Confirms,
    /// The fact contradicts the cause.
    Refutes,
    /// Worth knowing; neither.
    Context,
}

/// One host fact about a cause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HostCheck {
    /// What the fact says about the cause.
    pub verdict: Verdict,
    /// Where the fact comes from, and the fact in words.
    pub evidence: Evidence,
}

fn check(verdict: Verdict, source: &Source, fact: String) -> HostCheck {
    HostCheck {
        verdict,
        evidence: Evidence {
            file: source.file.clone(),
            line: source.line.map_or(1, u64::from),
            text: fact,
        },
    }
}

/// Adds the host's facts to the causes and moves refuted causes down.
pub fn apply(d: &mut Diagnosis, host: &Host, catalog: &Catalog) {
    for c in &mut d.causes {
        c.host = checks(c, host, catalog);
    }
    let refuted = |c: &Cause| {
        c.host.iter().any(|h| h.verdict == Verdict::Refutes)
            && !c.host.iter().any(|h| h.verdict == Verdict::Confirms)
    };
    d.causes.sort_by_key(|c| (c.id == "unknown", refuted(c)));
}

fn checks(c: &Cause, host: &Host, catalog: &Catalog) -> Vec<HostCheck> {
    match c.id.as_str() {
        "missing-sha2" => sha2(host, catalog),
        "missing-ssu" => stack(host, catalog),
        "esu-not-licensed" | "esu-not-eligible" => esu(c, host),
        "pending-reboot" => pending(host),
        _ => Vec::new(),
    }
}

fn installed(host: &Host, kb: u32) -> Option<&Source> {
    host.updates
        .iter()
        .find(|u| u.id.kb() == Some(kb))
        .and_then(|u| u.sources.first())
}

fn sha2(host: &Host, catalog: &Catalog) -> Vec<HostCheck> {
    let mut out = Vec::new();
    if let Some(f) = &host.servicing.sha2_support {
        let (v, words) = if f.value {
            (Verdict::Refutes, "SHA-2 code signing support is installed")
        } else {
            (
                Verdict::Confirms,
                "SHA-2 code signing support is not installed",
            )
        };
        out.push(check(v, &f.source, words.to_owned()));
    }
    for u in catalog
        .updates
        .iter()
        .filter(|u| u.kind == UpdateKind::Sha2)
    {
        if let Some(src) = installed(host, u.kb) {
            out.push(check(
                Verdict::Refutes,
                src,
                format!("{} is installed", u.kb_name()),
            ));
        }
    }
    if let Some(f) = host
        .os
        .family
        .as_ref()
        .filter(|f| f.value == "windows-vista")
    {
        out.push(check(
            Verdict::Context,
            &f.source,
            "Windows Vista: no SHA-2 update was released for it; use WSUS or Legacy Update"
                .to_owned(),
        ));
    }
    out
}

fn stack(host: &Host, catalog: &Catalog) -> Vec<HostCheck> {
    let Some(v) = &host.servicing.stack_version else {
        return Vec::new();
    };
    let Some(have) = BuildRevision::parse(&v.value) else {
        return Vec::new();
    };
    let newest = catalog
        .updates
        .iter()
        .filter(|u| u.kind == UpdateKind::Ssu)
        .filter_map(|u| Some((u, BuildRevision::parse(u.stack_version.as_deref()?)?)))
        .max_by_key(|(_, r)| *r);
    let Some((ssu, threshold)) = newest else {
        return Vec::new();
    };
    let (verdict, words) = if have >= threshold {
        (
            Verdict::Refutes,
            format!(
                "servicing stack {} is at or above {}'s {}",
                v.value,
                ssu.kb_name(),
                threshold_text(threshold)
            ),
        )
    } else {
        (
            Verdict::Confirms,
            format!(
                "servicing stack {} is below {}'s {}",
                v.value,
                ssu.kb_name(),
                threshold_text(threshold)
            ),
        )
    };
    vec![check(verdict, &v.source, words)]
}

fn threshold_text(r: BuildRevision) -> String {
    format!("6.0.{}.{}", r.build, r.revision)
}

fn esu(c: &Cause, host: &Host) -> Vec<HostCheck> {
    let mut out = Vec::new();
    if let (Some(licensed), Some(entries)) = (
        host.servicing.esu_licensed(),
        host.servicing.esu_licenses.as_ref(),
    ) {
        let source = entries.first().map(|e| &e.source);
        let verdict = match (c.id.as_str(), licensed) {
            ("esu-not-licensed", true) => Verdict::Refutes,
            ("esu-not-licensed", false) => Verdict::Confirms,
            _ => Verdict::Context,
        };
        let words = if licensed {
            "slmgr /dlv shows a licensed ESU add-on"
        } else {
            "slmgr /dlv shows no licensed ESU add-on"
        };
        if let Some(src) = source {
            out.push(check(verdict, src, words.to_owned()));
        }
    }
    if let Some(e) = &host.os.edition {
        let excluded = e.value.contains("without-hyper-v")
            || e.value.contains("core")
            || e.value.contains("web");
        if excluded && c.id == "esu-not-eligible" {
            out.push(check(
                Verdict::Confirms,
                &e.source,
                format!("edition {} has no ESU", e.value),
            ));
        }
    }
    if let Some(f) = host
        .os
        .family
        .as_ref()
        .filter(|f| f.value == "windows-vista")
    {
        out.push(check(
            Verdict::Confirms,
            &f.source,
            "Windows Vista has no ESU".to_owned(),
        ));
    }
    out
}

fn pending(host: &Host) -> Vec<HostCheck> {
    match &host.servicing.pending_reboot {
        Some(markers) if !markers.is_empty() => markers
            .iter()
            .map(|m| {
                check(
                    Verdict::Confirms,
                    &m.source,
                    format!("restart pending: {}", m.value),
                )
            })
            .collect(),
        _ => Vec::new(),
    }
}
