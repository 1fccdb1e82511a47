//! A CSAF 2.0 document (`document.csaf_version` `2.0`), as MSRC publishes
//! one per CVE.
//!
//! Read: `document.tracking` (`id` is the identity, `current_release_date`
//! the release and record date), `document.title`, the `product_tree`
//! (`branches` at any depth with their `product`, `full_product_names`, and
//! `relationships` whose `full_product_name` names `X on Y`), and per
//! vulnerability its `cve`, `title`, `product_status` (`known_affected`,
//! `first_affected`, `last_affected`), `remediations` of category
//! `vendor_fix` (the KB is `details`, or else the `KB...` in `details` or
//! `url`), `threats` and `scores`.
//!
//! Severity: CSAF has no severity threat category, so MSRC carries its own
//! rating (Critical, Important, ...) as a threat of category `impact` whose
//! `details` is the rating, next to the `impact` threat whose `details` is
//! the impact (`Remote Code Execution`). A product with no such rating takes
//! the document's `aggregate_severity`, else the highest CVSS v3
//! `baseSeverity` of the scores naming it (HIGH reads as Important, MEDIUM as
//! Moderate). CSAF carries no update sub-type, supersedence or fixed build.

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Deserialize;

use super::cvrf::{self, Document, Remediation, Threat, ThreatKind, Vulnerability};
use super::cvrf_json::{from_slice, or_default, Text, Texts};
use super::{find_kb, FeedError};
use crate::advisory::{FeedDocument, FeedKind, Severity};

/// Reads a CSAF 2.0 document into NT 6.0 records.
pub fn read(name: &str, bytes: &[u8]) -> Result<FeedDocument, FeedError> {
    let kind = FeedKind::Csaf;
    let csaf: Csaf = from_slice(name, kind, bytes)?;
    let version = csaf.document.csaf_version.0.trim();
    if !version.starts_with('2') {
        return Err(FeedError::malformed(
            name,
            kind,
            format!("csaf_version is {version:?}, not 2.0"),
        ));
    }
    let aggregate = Severity::parse(&csaf.document.aggregate_severity.text.0);
    let mut doc = Document {
        id: csaf.document.tracking.id.0,
        title: csaf.document.title.0,
        current_release: csaf.document.tracking.current_release_date.0,
        initial_release: csaf.document.tracking.initial_release_date.0,
        products: Vec::new(),
        vulnerabilities: Vec::new(),
    };
    let tree = csaf.product_tree;
    for p in tree.full_product_names.unwrap_or_default() {
        doc.products.push((p.product_id.0, p.name.0));
    }
    for r in tree.relationships.unwrap_or_default() {
        if let Some(p) = r.full_product_name {
            doc.products.push((p.product_id.0, p.name.0));
        }
    }
    let mut branches = tree.branches.unwrap_or_default();
    while let Some(b) = branches.pop() {
        if let Some(p) = b.product {
            doc.products.push((p.product_id.0, p.name.0));
        }
        branches.extend(b.branches.unwrap_or_default());
    }
    for v in csaf.vulnerabilities.unwrap_or_default() {
        let mut out = Vulnerability {
            cve: v.cve.0,
            title: v.title.0,
            ..Vulnerability::default()
        };
        let status = v.product_status;
        for ids in [
            status.known_affected,
            status.first_affected,
            status.last_affected,
        ] {
            out.affected.extend(ids.0.into_iter().map(|t| t.0));
        }
        for r in v.remediations.unwrap_or_default() {
            let vendor_fix = r.category.0.trim().eq_ignore_ascii_case("vendor_fix");
            let description = if find_kb(&r.details.0).is_some() {
                r.details.0
            } else if find_kb(&r.url.0).is_some() {
                r.url.0.clone()
            } else {
                r.details.0
            };
            out.remediations.push(Remediation {
                vendor_fix,
                description,
                url: r.url.0,
                products: r.product_ids.0.into_iter().map(|t| t.0).collect(),
                ..Remediation::default()
            });
        }
        let mut rated: FxHashSet<String> = FxHashSet::default();
        let mut rated_all = false;
        for t in v.threats.unwrap_or_default() {
            let category = t.category.0.trim().to_ascii_lowercase();
            let products: Vec<String> = t.product_ids.0.into_iter().map(|t| t.0).collect();
            let kind = if category == "impact" {
                if Severity::parse(&t.details.0) != Severity::Unrated {
                    if products.is_empty() {
                        rated_all = true;
                    }
                    rated.extend(products.iter().map(|p| p.trim().to_string()));
                    ThreatKind::Severity
                } else {
                    ThreatKind::Impact
                }
            } else {
                ThreatKind::Other
            };
            out.threats.push(Threat {
                kind,
                description: t.details.0,
                products,
            });
        }
        if !rated_all {
            // Fallbacks for the products MSRC gave no rating: the document's
            // aggregate severity, else the highest CVSS rating naming them.
            let mut cvss: FxHashMap<String, Severity> = FxHashMap::default();
            if aggregate == Severity::Unrated {
                for s in v.scores.unwrap_or_default() {
                    let sev = Severity::parse(&s.cvss_v3.base_severity.0);
                    for p in s.products.0 {
                        let e = cvss.entry(p.0.trim().to_string()).or_default();
                        *e = (*e).max(sev);
                    }
                }
            }
            let mut unrated: Vec<String> = Vec::new();
            for p in out
                .affected
                .iter()
                .chain(out.remediations.iter().flat_map(|r| r.products.iter()))
            {
                let p = p.trim();
                if rated.insert(p.to_string()) {
                    unrated.push(p.to_string());
                }
            }
            for id in unrated {
                let severity = if aggregate != Severity::Unrated {
                    aggregate
                } else {
                    cvss.get(&id).copied().unwrap_or_default()
                };
                if severity != Severity::Unrated {
                    out.threats.push(Threat {
                        kind: ThreatKind::Severity,
                        description: severity.as_str().to_string(),
                        products: vec![id],
                    });
                }
            }
        }
        doc.vulnerabilities.push(out);
    }
    cvrf::into_feed(name, kind, doc)
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Csaf {
    #[serde(deserialize_with = "or_default")]
    document: CsafDocument,
    #[serde(deserialize_with = "or_default")]
    product_tree: ProductTree,
    vulnerabilities: Option<Vec<CsafVulnerability>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CsafDocument {
    csaf_version: Text,
    title: Text,
    #[serde(deserialize_with = "or_default")]
    tracking: Tracking,
    #[serde(deserialize_with = "or_default")]
    aggregate_severity: AggregateSeverity,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Tracking {
    id: Text,
    current_release_date: Text,
    initial_release_date: Text,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct AggregateSeverity {
    text: Text,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ProductTree {
    branches: Option<Vec<Branch>>,
    full_product_names: Option<Vec<FullProductName>>,
    relationships: Option<Vec<Relationship>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Branch {
    branches: Option<Vec<Branch>>,
    product: Option<FullProductName>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct FullProductName {
    product_id: Text,
    name: Text,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Relationship {
    full_product_name: Option<FullProductName>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CsafVulnerability {
    cve: Text,
    title: Text,
    #[serde(deserialize_with = "or_default")]
    product_status: ProductStatus,
    remediations: Option<Vec<CsafRemediation>>,
    threats: Option<Vec<CsafThreat>>,
    scores: Option<Vec<Score>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ProductStatus {
    known_affected: Texts,
    first_affected: Texts,
    last_affected: Texts,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CsafRemediation {
    category: Text,
    details: Text,
    product_ids: Texts,
    url: Text,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CsafThreat {
    category: Text,
    details: Text,
    product_ids: Texts,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Score {
    #[serde(deserialize_with = "or_default")]
    cvss_v3: Cvss,
    products: Texts,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Cvss {
    #[serde(rename = "baseSeverity")]
    base_severity: Text,
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"{
  "document": {
    "category": "csaf_security_advisory", "csaf_version": "2.0",
    "title": "Windows SMB Remote Code Execution Vulnerability",
    "tracking": {"id": "msrc_CVE-2017-0143", "current_release_date": "2024-06-11T07:00:00.000Z", "initial_release_date": "2017-03-14T07:00:00.000Z"}
  },
  "product_tree": {
    "branches": [{"category": "vendor", "name": "Microsoft", "branches": [{"category": "product_family", "name": "Windows",
      "branches": [{"category": "product_name", "name": "Windows Server 2008 for x64-based Systems Service Pack 2",
                    "product": {"product_id": "9318", "name": "Windows Server 2008 for x64-based Systems Service Pack 2"}},
                   {"category": "product_name", "name": "Windows Vista Service Pack 2",
                    "product": {"product_id": "9500", "name": "Windows Vista Service Pack 2"}}]}]}],
    "relationships": [{"category": "installed_on", "product_reference": "1", "relates_to_product_reference": "9318",
      "full_product_name": {"product_id": "1-9318", "name": "Internet Explorer 9 on Windows Server 2008 for x64-based Systems Service Pack 2"}}]
  },
  "vulnerabilities": [{
    "cve": "CVE-2017-0143", "title": "Windows SMB Remote Code Execution Vulnerability",
    "product_status": {"known_affected": ["9318", "9500", "1-9318"]},
    "remediations": [{"category": "vendor_fix", "details": "4012598", "product_ids": ["9318", "9500"], "url": "https://catalog.update.microsoft.com/v7/site/Search.aspx?q=KB4012598"}],
    "threats": [
      {"category": "impact", "details": "Remote Code Execution", "product_ids": ["9318", "9500", "1-9318"]},
      {"category": "impact", "details": "Critical", "product_ids": ["9318"]},
      {"category": "exploit_status", "details": "Publicly Disclosed:No;Exploited:Yes"}
    ],
    "scores": [{"cvss_v3": {"baseScore": 8.1, "baseSeverity": "HIGH", "version": "3.1"}, "products": ["9318", "9500", "1-9318"]}]
  }]
}"#;

    #[test]
    fn reads_a_small_document() {
        let out = read("c.json", DOC.as_bytes()).unwrap();
        assert_eq!(out.identity, "msrc_CVE-2017-0143");
        assert_eq!(out.released, Some(jiff::civil::date(2024, 6, 11)));
        assert_eq!(out.records.len(), 3);
        let server = &out.records[0];
        assert_eq!(
            (server.kb, server.severity),
            (Some(4012598), Severity::Critical)
        );
        assert_eq!(server.impact.as_deref(), Some("Remote Code Execution"));
        let vista = &out.records[1];
        assert_eq!(
            (vista.kb, vista.severity),
            (Some(4012598), Severity::Important)
        );
        let ie = &out.records[2];
        assert_eq!(ie.product.component.as_deref(), Some("Internet Explorer 9"));
        assert_eq!(ie.kb, None);
    }

    #[test]
    fn refuses_other_versions_and_wrong_types() {
        let e = read("c.json", br#"{"document": {"csaf_version": "1.2"}}"#).unwrap_err();
        assert!(e.to_string().contains("not 2.0"), "{e}");
        let e = read(
            "c.json",
            b"{\"document\": {\"csaf_version\": \"2.0\"},\n\"vulnerabilities\": {}}",
        )
        .unwrap_err();
        assert_eq!(e.line(), Some(2), "{e}");
    }
}
