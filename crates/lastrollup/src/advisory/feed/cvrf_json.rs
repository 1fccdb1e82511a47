//! An MSRC CVRF document in its JSON form (what `api.msrc.microsoft.com/cvrf`
//! returns when asked for `application/json`).
//!
//! The shape differs from the XML in a few ways, all handled here:
//! `DocumentTitle`, `Title`, `Description`, `ID` are objects `{"Value": ...}`;
//! `ProductTree.FullProductName` is `[{"ProductID", "Value"}]` (and the
//! `Branch` tree nests `Items`); `ProductID` is an array; `Supercedence` a
//! string; and the `Type` of a threat or remediation is an integer. The
//! integers follow MSRC's PowerShell module `MsrcSecurityUpdates`
//! (`Get-MsrcCvrfAffectedSoftware`: threat `0` Impact, `3` Severity,
//! remediation `2` Vendor Fix; `Get-MsrcThreatExploitStatus`: threat `1`
//! Exploit Status). The text names of the XML form are accepted as well.
//!
//! The structs are tolerant: unknown fields are ignored, every field may be
//! missing or `null`, text may be a bare string, a number or `{"Value"}`,
//! and `ProductID` may be one string or an array. A value of another type
//! (an object where text belongs) is an error at its line and column.

use std::fmt;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use super::cvrf::{self, Document, Remediation, Threat, ThreatKind, Vulnerability};
use super::FeedError;
use crate::advisory::{FeedDocument, FeedKind};

/// Reads a CVRF JSON document into NT 6.0 records (see [`cvrf::into_feed`]).
pub fn read(name: &str, bytes: &[u8]) -> Result<FeedDocument, FeedError> {
    let doc = parse(name, bytes)?;
    cvrf::into_feed(name, FeedKind::CvrfJson, doc)
}

/// Reads the JSON into the shared CVRF model.
pub fn parse(name: &str, bytes: &[u8]) -> Result<Document, FeedError> {
    let json: JsonDocument = from_slice(name, FeedKind::CvrfJson, bytes)?;
    if json.tracking.identification.id.0.trim().is_empty() && json.vulnerabilities.is_none() {
        // Neither an id nor vulnerabilities: importing it would add an empty,
        // nameless source.
        return Err(FeedError::malformed(
            name,
            FeedKind::CvrfJson,
            "no DocumentTracking id and no Vulnerability array: not a CVRF document",
        ));
    }
    let mut doc = Document {
        id: json.tracking.identification.id.0,
        title: json.title.0,
        current_release: json.tracking.current_release.0,
        initial_release: json.tracking.initial_release.0,
        products: Vec::new(),
        vulnerabilities: Vec::new(),
    };
    for p in json.product_tree.full_product_name.unwrap_or_default() {
        doc.products.push((p.product_id.0, p.value.0));
    }
    let mut branches = json.product_tree.branch.unwrap_or_default();
    while let Some(b) = branches.pop() {
        if !b.product_id.0.is_empty() {
            doc.products.push((b.product_id.0, b.value.0));
        }
        for p in b.full_product_name.unwrap_or_default() {
            doc.products.push((p.product_id.0, p.value.0));
        }
        branches.extend(b.items.unwrap_or_default());
    }
    for v in json.vulnerabilities.unwrap_or_default() {
        let mut out = Vulnerability {
            cve: v.cve.0,
            title: v.title.0,
            ..Vulnerability::default()
        };
        for s in v.product_statuses.unwrap_or_default() {
            let t = s.kind.0.to_ascii_lowercase();
            // MSRC's JSON only lists affected products (its `Type` 3); a
            // status spelled out as not affected or fixed is left out.
            if t.contains("not affected") || t.contains("fixed") {
                continue;
            }
            out.affected.extend(s.product_id.0.into_iter().map(|t| t.0));
        }
        for t in v.threats.unwrap_or_default() {
            let kind = match t.kind.0.trim().to_ascii_lowercase().as_str() {
                "0" | "impact" => ThreatKind::Impact,
                "3" | "severity" => ThreatKind::Severity,
                _ => ThreatKind::Other,
            };
            out.threats.push(Threat {
                kind,
                description: t.description.0,
                products: t.product_id.0.into_iter().map(|t| t.0).collect(),
            });
        }
        for r in v.remediations.unwrap_or_default() {
            let t = r.kind.0.trim().to_ascii_lowercase();
            out.remediations.push(Remediation {
                vendor_fix: t == "2" || t == "vendor fix",
                description: r.description.0,
                url: r.url.0,
                sub_type: r.sub_type.0,
                supercedence: r.supercedence.0.into_iter().map(|t| t.0).collect(),
                fixed_build: r.fixed_build.0,
                products: r.product_id.0.into_iter().map(|t| t.0).collect(),
            });
        }
        for rev in v.revision_history.unwrap_or_default() {
            out.revision_dates.push(rev.date.0);
        }
        doc.vulnerabilities.push(out);
    }
    Ok(doc)
}

/// Parses JSON, turning serde's error into a positioned [`FeedError`].
pub(crate) fn from_slice<'a, T: Deserialize<'a>>(
    name: &str,
    kind: FeedKind,
    bytes: &'a [u8],
) -> Result<T, FeedError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    serde_json::from_slice(bytes).map_err(|e| {
        let (line, column) = (e.line() as u64, e.column() as u64);
        let mut message = e.to_string();
        // serde_json appends " at line L column C"; the position is shown
        // in front instead.
        if let Some(at) = message.rfind(" at line ") {
            message.truncate(at);
        }
        FeedError::Malformed {
            file: name.to_string(),
            kind,
            line: (line > 0).then_some(line),
            column: (line > 0).then_some(column.max(1)),
            message,
        }
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct JsonDocument {
    #[serde(rename = "DocumentTitle")]
    title: Text,
    #[serde(rename = "DocumentTracking", deserialize_with = "or_default")]
    tracking: Tracking,
    #[serde(rename = "ProductTree", deserialize_with = "or_default")]
    product_tree: ProductTree,
    #[serde(rename = "Vulnerability")]
    vulnerabilities: Option<Vec<JsonVulnerability>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Tracking {
    #[serde(rename = "Identification", deserialize_with = "or_default")]
    identification: Identification,
    #[serde(rename = "CurrentReleaseDate")]
    current_release: Text,
    #[serde(rename = "InitialReleaseDate")]
    initial_release: Text,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Identification {
    #[serde(rename = "ID")]
    id: Text,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ProductTree {
    #[serde(rename = "FullProductName")]
    full_product_name: Option<Vec<FullProductName>>,
    #[serde(rename = "Branch")]
    branch: Option<Vec<Branch>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct FullProductName {
    #[serde(rename = "ProductID")]
    product_id: Text,
    #[serde(rename = "Value")]
    value: Text,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Branch {
    #[serde(rename = "Items")]
    items: Option<Vec<Branch>>,
    #[serde(rename = "FullProductName")]
    full_product_name: Option<Vec<FullProductName>>,
    #[serde(rename = "ProductID")]
    product_id: Text,
    #[serde(rename = "Value")]
    value: Text,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct JsonVulnerability {
    #[serde(rename = "CVE")]
    cve: Text,
    #[serde(rename = "Title")]
    title: Text,
    #[serde(rename = "ProductStatuses")]
    product_statuses: Option<Vec<Status>>,
    #[serde(rename = "Threats")]
    threats: Option<Vec<JsonThreat>>,
    #[serde(rename = "Remediations")]
    remediations: Option<Vec<JsonRemediation>>,
    #[serde(rename = "RevisionHistory")]
    revision_history: Option<Vec<Revision>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Status {
    #[serde(rename = "ProductID")]
    product_id: Texts,
    #[serde(rename = "Type")]
    kind: Text,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct JsonThreat {
    #[serde(rename = "Type")]
    kind: Text,
    #[serde(rename = "Description")]
    description: Text,
    #[serde(rename = "ProductID")]
    product_id: Texts,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct JsonRemediation {
    #[serde(rename = "Type")]
    kind: Text,
    #[serde(rename = "Description")]
    description: Text,
    #[serde(rename = "URL")]
    url: Text,
    #[serde(rename = "SubType")]
    sub_type: Text,
    #[serde(rename = "Supercedence")]
    supercedence: Texts,
    #[serde(rename = "FixedBuild")]
    fixed_build: Text,
    #[serde(rename = "ProductID")]
    product_id: Texts,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Revision {
    #[serde(rename = "Date")]
    date: Text,
}

/// A struct that may also be `null`.
pub(crate) fn or_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// Text as CVRF JSON writes it: a string, a number, `true`/`false`,
/// `{"Value": ...}`, or `null` (empty).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Text(pub(crate) String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Text, D::Error> {
        d.deserialize_any(TextVisitor)
    }
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Text;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("text, a number, or an object with a Value")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
        Ok(Text(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Text, E> {
        Ok(Text(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
        Ok(Text(v.to_string()))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
        Ok(Text(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text, E> {
        Ok(Text(v.to_string()))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Text, E> {
        Ok(Text(v.to_string()))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Text, E> {
        Ok(Text::default())
    }
    fn visit_none<E: de::Error>(self) -> Result<Text, E> {
        Ok(Text::default())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Text, A::Error> {
        let mut out = Text::default();
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if key == "Value" {
                out = map.next_value::<Text>()?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(out)
    }
}

/// One text or an array of them (`ProductID`, `Supercedence`); `null` is
/// none.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Texts(pub(crate) Vec<Text>);

impl<'de> Deserialize<'de> for Texts {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Texts, D::Error> {
        d.deserialize_any(TextsVisitor)
    }
}

struct TextsVisitor;

impl<'de> Visitor<'de> for TextsVisitor {
    type Value = Texts;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("text or an array of text")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Texts, A::Error> {
        let mut out = Vec::new();
        while let Some(t) = seq.next_element::<Text>()? {
            out.push(t);
        }
        Ok(Texts(out))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Texts, E> {
        Ok(Texts(vec![Text(v.to_string())]))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Texts, E> {
        Ok(Texts(vec![Text(v.to_string())]))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Texts, E> {
        Ok(Texts(vec![Text(v.to_string())]))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Texts, E> {
        Ok(Texts::default())
    }
    fn visit_none<E: de::Error>(self) -> Result<Texts, E> {
        Ok(Texts::default())
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Texts, A::Error> {
        Ok(Texts(vec![TextVisitor.visit_map(map)?]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advisory::{FixKind, Severity};

    const DOC: &str = r#"{
  "DocumentTitle": {"Value": "May 2022 Security Updates"},
  "DocumentTracking": {
    "Identification": {"ID": {"Value": "2022-May"}, "Alias": {"Value": "2022-May"}},
    "Status": 2, "Version": "1.0",
    "CurrentReleaseDate": "2026-02-21T04:01:03",
    "InitialReleaseDate": "2022-05-10T08:00:00"
  },
  "ProductTree": {
    "Branch": [{"Items": [{"Items": [{"ProductID": "9318", "Value": "Windows Server 2008 for x64-based Systems Service Pack 2"}], "Type": 3, "Name": "Windows"}], "Type": 0, "Name": "Microsoft"}],
    "FullProductName": [{"ProductID": "9312", "Value": "Windows Server 2008 for 32-bit Systems Service Pack 2"}]
  },
  "Vulnerability": [{
    "Title": {"Value": "Windows LSA Spoofing Vulnerability"},
    "CVE": "CVE-2022-26925",
    "ProductStatuses": [{"ProductID": ["9312", "9318"], "Type": 3}],
    "Threats": [
      {"Description": {"Value": "Spoofing"}, "ProductID": ["9312", "9318"], "Type": 0},
      {"Description": {"Value": "Critical"}, "ProductID": ["9312", "9318"], "Type": 3},
      {"Description": {"Value": "Publicly Disclosed:Yes;Exploited:Yes"}, "Type": 1}
    ],
    "Remediations": [
      {"Description": {"Value": "5014010"}, "URL": "https://catalog.update.microsoft.com/v7/site/Search.aspx?q=KB5014010",
       "Supercedence": "5012658", "ProductID": ["9312", "9318"], "Type": 2, "SubType": "Monthly Rollup",
       "FixedBuild": "6.0.6003.21481", "RestartRequired": {"Value": "Yes"}},
      {"Description": {"Value": "5014010"}, "ProductID": ["9312"], "Type": 5}
    ],
    "RevisionHistory": [{"Number": "1.0", "Date": "2022-05-10T08:00:00", "Description": {"Value": "Information published."}}],
    "Unknown": {"anything": [1, 2, 3]}
  }]
}"#;

    #[test]
    fn reads_a_small_document() {
        let out = read("m.json", DOC.as_bytes()).unwrap();
        assert_eq!(out.identity, "2022-May");
        assert_eq!(out.records.len(), 2);
        for r in &out.records {
            assert_eq!(r.kb, Some(5014010));
            assert_eq!(r.severity, Severity::Critical);
            assert_eq!(r.impact.as_deref(), Some("Spoofing"));
            assert_eq!(r.fix_kind, Some(FixKind::MonthlyRollup));
            assert_eq!(r.supersedes, vec![5012658]);
        }
    }

    #[test]
    fn tolerant_but_positioned() {
        let out = read(
            "m.json",
            br#"{"DocumentTitle": "x", "DocumentTracking": {"Identification": {"ID": "2022-May"}}, "Vulnerability": null, "ProductTree": null}"#,
        )
        .unwrap();
        assert_eq!(out.version, "x");
        let e = read(
            "m.json",
            b"{\"DocumentTitle\": \"x\",\n \"Vulnerability\": 5}",
        )
        .unwrap_err();
        assert_eq!(e.line(), Some(2), "{e}");
        assert!(e.to_string().starts_with("m.json:2:"), "{e}");
        let e = read("m.json", &DOC.as_bytes()[..DOC.len() / 2]).unwrap_err();
        assert!(e.line().is_some(), "{e}");
        let e = read("m.json", br#"{"Vulnerability": [{"CVE": ["a"]}]}"#).unwrap_err();
        assert!(e.line().is_some(), "{e}");
    }
}
