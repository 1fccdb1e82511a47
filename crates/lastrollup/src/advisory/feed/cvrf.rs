//! The model shared by the two forms of an MSRC CVRF document (XML and
//! JSON), and how it becomes [`Record`]s.
//!
//! One record per (CVE, NT 6.0 product, Vendor-Fix KB). A CVE that affects an
//! NT 6.0 product with no Vendor Fix for it gets one record with `kb: None`.
//! Severity and impact come from the `Threat`s naming the product (a threat
//! naming no product applies to all); the record date is the CVE's latest
//! `RevisionHistory` date, else the document's current release date.

use rustc_hash::FxHashMap;

use super::{check_records, find_kb, impact_title_case, normalise_cve, note_unusable, parse_date};
use super::{parse_kb, FeedError};
use crate::advisory::{FeedDocument, FeedKind, FixKind, Product, Record, Severity};

/// A CVRF document, as read from either form.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Document {
    /// `DocumentTracking/Identification/ID` (`2022-May`).
    pub id: String,
    /// `DocumentTitle` (`May 2022 Security Updates`).
    pub title: String,
    /// `DocumentTracking/CurrentReleaseDate`.
    pub current_release: String,
    /// `DocumentTracking/InitialReleaseDate`.
    pub initial_release: String,
    /// `ProductTree` `FullProductName`s: (ProductID, name).
    pub products: Vec<(String, String)>,
    /// The `Vulnerability` entries.
    pub vulnerabilities: Vec<Vulnerability>,
}

/// One `Vulnerability` of a CVRF document.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Vulnerability {
    /// `CVE`.
    pub cve: String,
    /// `Title`.
    pub title: String,
    /// `ProductStatuses`: products the CVE affects.
    pub affected: Vec<String>,
    /// `Threats`.
    pub threats: Vec<Threat>,
    /// `Remediations`.
    pub remediations: Vec<Remediation>,
    /// `RevisionHistory` dates.
    pub revision_dates: Vec<String>,
}

/// The kind of a `Threat`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThreatKind {
    /// `Impact` (JSON `0`).
    Impact,
    /// `Severity` (JSON `3`).
    Severity,
    /// Anything else (`Exploit Status`, JSON `1`, ...).
    Other,
}

/// One `Threat`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Threat {
    /// Its type.
    pub kind: ThreatKind,
    /// `Description`.
    pub description: String,
    /// `ProductID`s; empty means every product.
    pub products: Vec<String>,
}

/// One `Remediation`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Remediation {
    /// `Type` is `Vendor Fix` (JSON `2`).
    pub vendor_fix: bool,
    /// `Description`: the KB number for a Vendor Fix.
    pub description: String,
    /// `URL`.
    pub url: String,
    /// `SubType` (`Monthly Rollup`, `Security Only`, ...).
    pub sub_type: String,
    /// `Supercedence` values, each possibly a list.
    pub supercedence: Vec<String>,
    /// `FixedBuild`.
    pub fixed_build: String,
    /// `ProductID`s.
    pub products: Vec<String>,
}

/// Turns a document into NT 6.0 records: identity is the document id,
/// version its title, released its current release date. Each vulnerability
/// counts as one row read.
pub fn into_feed(name: &str, kind: FeedKind, doc: Document) -> Result<FeedDocument, FeedError> {
    let released = parse_date(&doc.current_release).or_else(|| parse_date(&doc.initial_release));
    let mut out = FeedDocument {
        kind: Some(kind),
        identity: doc.id.trim().to_string(),
        version: doc.title.trim().to_string(),
        released,
        ..FeedDocument::default()
    };
    if out.identity.is_empty() {
        out.identity = out.version.clone();
    }
    // ProductID → NT 6.0 product (others are left out).
    let mut nt60: FxHashMap<&str, Product> = FxHashMap::default();
    for (id, name) in &doc.products {
        if let Some(p) = Product::parse(name) {
            nt60.insert(id.trim(), p);
        }
    }
    let mut seen = rustc_hash::FxHashSet::default();
    for (index, v) in doc.vulnerabilities.iter().enumerate() {
        out.rows_read += 1;
        // Affected NT 6.0 product ids, in order of first mention.
        let mut ids: Vec<&str> = Vec::new();
        let mut listed: rustc_hash::FxHashSet<&str> = rustc_hash::FxHashSet::default();
        let fix_ids = v
            .remediations
            .iter()
            .filter(|r| r.vendor_fix)
            .flat_map(|r| r.products.iter());
        for id in v.affected.iter().chain(fix_ids) {
            let id = id.trim();
            if nt60.contains_key(id) && listed.insert(id) {
                ids.push(id);
            }
        }
        if ids.is_empty() {
            out.rows_other_products += 1;
            continue;
        }
        let Some(cve) = normalise_cve(&v.cve) else {
            note_unusable(&mut out, || {
                format!("vulnerability {}: no CVE id", index + 1)
            });
            continue;
        };
        let date = v
            .revision_dates
            .iter()
            .filter_map(|d| parse_date(d))
            .max()
            .or(released);
        let title = v.title.trim().to_string();
        // Per product: the severity and impact threats naming it, and the
        // Vendor Fixes naming it (indexed once, so that a document listing
        // many products costs no more than its size).
        let mut severity_of: FxHashMap<&str, Severity> = FxHashMap::default();
        let mut impact_of: FxHashMap<&str, String> = FxHashMap::default();
        let mut severity_all = None;
        let mut impact_all = None;
        for t in &v.threats {
            match t.kind {
                ThreatKind::Severity => {
                    let sev = Severity::parse(&t.description);
                    if t.products.is_empty() {
                        severity_all = severity_all.max(Some(sev));
                    }
                    for p in &t.products {
                        let e = severity_of.entry(p.trim()).or_default();
                        *e = (*e).max(sev);
                    }
                }
                ThreatKind::Impact => {
                    let Some(impact) = impact_title_case(&t.description) else {
                        continue;
                    };
                    if t.products.is_empty() && impact_all.is_none() {
                        impact_all = Some(impact.clone());
                    }
                    for p in &t.products {
                        impact_of.entry(p.trim()).or_insert_with(|| impact.clone());
                    }
                }
                ThreatKind::Other => {}
            }
        }
        let mut fixes_of: FxHashMap<&str, Vec<&Remediation>> = FxHashMap::default();
        for r in v.remediations.iter().filter(|r| r.vendor_fix) {
            for p in &r.products {
                let p = p.trim();
                if nt60.contains_key(p) {
                    let list = fixes_of.entry(p).or_default();
                    if !list.iter().any(|x| std::ptr::eq(*x, r)) {
                        list.push(r);
                    }
                }
            }
        }
        for id in ids {
            let Some(product) = nt60.get(id) else {
                continue;
            };
            let severity = severity_of
                .get(id)
                .copied()
                .max(severity_all)
                .unwrap_or_default();
            let impact = impact_of.get(id).cloned().or_else(|| impact_all.clone());
            let mut fixes = 0;
            for r in fixes_of.get(id).into_iter().flatten() {
                let Some(kb) = find_kb(&r.description) else {
                    continue;
                };
                fixes += 1;
                let mut supersedes = Vec::new();
                for s in &r.supercedence {
                    for part in s.split([',', ';', ' ']) {
                        if let Some(n) = parse_kb(part) {
                            if n != kb && !supersedes.contains(&n) {
                                supersedes.push(n);
                            }
                        }
                    }
                }
                let sub_type = r.sub_type.trim();
                let fixed_build = r.fixed_build.trim();
                push(
                    &mut out,
                    &mut seen,
                    name,
                    Record {
                        cve: cve.clone(),
                        title: title.clone(),
                        product: product.clone(),
                        kb: Some(kb),
                        supersedes,
                        fix_kind: (!sub_type.is_empty()).then(|| FixKind::parse(sub_type)),
                        severity,
                        impact: impact.clone(),
                        date,
                        fixed_build: (!fixed_build.is_empty()).then(|| fixed_build.to_string()),
                    },
                )?;
            }
            if fixes == 0 {
                push(
                    &mut out,
                    &mut seen,
                    name,
                    Record {
                        cve: cve.clone(),
                        title: title.clone(),
                        product: product.clone(),
                        kb: None,
                        supersedes: Vec::new(),
                        fix_kind: None,
                        severity,
                        impact: impact.clone(),
                        date,
                        fixed_build: None,
                    },
                )?;
            }
        }
    }
    Ok(out)
}

fn push(
    out: &mut FeedDocument,
    seen: &mut rustc_hash::FxHashSet<Record>,
    name: &str,
    record: Record,
) -> Result<(), FeedError> {
    if seen.contains(&record) {
        out.rows_duplicate += 1;
        return Ok(());
    }
    seen.insert(record.clone());
    out.records.push(record);
    check_records(name, out.records.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Document {
        Document {
            id: "2022-May".into(),
            title: "May 2022 Security Updates".into(),
            current_release: "2026-02-21T04:01:03".into(),
            initial_release: "2022-05-10T08:00:00".into(),
            products: vec![
                (
                    "9312".into(),
                    "Windows Server 2008 for 32-bit Systems Service Pack 2".into(),
                ),
                (
                    "11568".into(),
                    "Windows 10 Version 1809 for 32-bit Systems".into(),
                ),
            ],
            vulnerabilities: vec![
                Vulnerability {
                    cve: "CVE-2022-26925".into(),
                    title: "LSA Spoofing".into(),
                    affected: vec!["9312".into(), "11568".into()],
                    threats: vec![
                        Threat {
                            kind: ThreatKind::Severity,
                            description: "Important".into(),
                            products: vec!["9312".into()],
                        },
                        Threat {
                            kind: ThreatKind::Impact,
                            description: "Spoofing".into(),
                            products: vec![],
                        },
                    ],
                    remediations: vec![Remediation {
                        vendor_fix: true,
                        description: "5014010".into(),
                        sub_type: "Monthly Rollup".into(),
                        supercedence: vec!["5012658".into()],
                        fixed_build: "6.0.6003.21481".into(),
                        products: vec!["9312".into()],
                        ..Remediation::default()
                    }],
                    revision_dates: vec!["2022-05-10T08:00:00".into(), "2022-06-01".into()],
                },
                Vulnerability {
                    cve: "CVE-2022-0001".into(),
                    affected: vec!["9312".into()],
                    ..Vulnerability::default()
                },
                Vulnerability {
                    cve: "CVE-2022-0002".into(),
                    affected: vec!["11568".into()],
                    ..Vulnerability::default()
                },
                Vulnerability {
                    cve: "".into(),
                    affected: vec!["9312".into()],
                    ..Vulnerability::default()
                },
            ],
        }
    }

    #[test]
    fn records() {
        let out = into_feed("m.xml", FeedKind::CvrfXml, doc()).unwrap();
        assert_eq!(out.identity, "2022-May");
        assert_eq!(out.released, Some(jiff::civil::date(2026, 2, 21)));
        assert_eq!(
            (out.rows_read, out.rows_other_products, out.rows_unusable),
            (4, 1, 1)
        );
        assert_eq!(out.records.len(), 2);
        let r = &out.records[0];
        assert_eq!(r.kb, Some(5014010));
        assert_eq!(r.supersedes, vec![5012658]);
        assert_eq!(r.fix_kind, Some(FixKind::MonthlyRollup));
        assert_eq!(r.severity, Severity::Important);
        assert_eq!(r.impact.as_deref(), Some("Spoofing"));
        assert_eq!(r.date, Some(jiff::civil::date(2022, 6, 1)));
        assert_eq!(r.fixed_build.as_deref(), Some("6.0.6003.21481"));
        let n = &out.records[1];
        assert_eq!((n.kb, n.date), (None, Some(jiff::civil::date(2026, 2, 21))));
    }
}
