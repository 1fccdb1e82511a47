//! CISA's Known Exploited Vulnerabilities catalog, as JSON
//! (`known_exploited_vulnerabilities.json`) or CSV (same columns).
//!
//! Every entry is kept (KEV lists every vendor; `check` matches CVEs). An
//! entry without a CVE id or a readable `dateAdded` is unusable (counted, an
//! example kept). The identity is `cisa-kev`; the version is the JSON's
//! `catalogVersion` (for the CSV, which has none, `CSV, N entries`), and the
//! release date the JSON's `dateReleased` (for the CSV, the latest
//! `dateAdded`). `ransomware` is `knownRansomwareCampaignUse` = `Known`.

use serde::Deserialize;

use super::cvrf_json::{from_slice, Text};
use super::{check_records, normalise_cve, note_unusable, parse_date, FeedError};
use crate::advisory::{FeedDocument, FeedKind, KevEntry};

/// The KEV document's identity.
pub const IDENTITY: &str = "cisa-kev";

/// Reads the KEV catalog as JSON.
pub fn read_json(name: &str, bytes: &[u8]) -> Result<FeedDocument, FeedError> {
    let kind = FeedKind::KevJson;
    let json: Catalog = from_slice(name, kind, bytes)?;
    let Some(vulnerabilities) = json.vulnerabilities else {
        // An entry-less catalog would replace the imported one with nothing.
        return Err(FeedError::malformed(
            name,
            kind,
            "no `vulnerabilities` array: not the KEV catalog itself",
        ));
    };
    let mut doc = FeedDocument {
        kind: Some(kind),
        identity: IDENTITY.to_string(),
        version: json.catalog_version.0.trim().to_string(),
        released: parse_date(&json.date_released.0),
        ..FeedDocument::default()
    };
    for (i, v) in vulnerabilities.into_iter().enumerate() {
        let fields = Fields {
            cve: &v.cve_id.0,
            vendor: &v.vendor_project.0,
            product: &v.product.0,
            name: &v.vulnerability_name.0,
            date_added: &v.date_added.0,
            due_date: &v.due_date.0,
            ransomware: &v.known_ransomware_campaign_use.0,
        };
        add(&mut doc, name, fields, || format!("entry {}", i + 1))?;
    }
    Ok(doc)
}

/// Reads the KEV catalog as CSV.
pub fn read_csv(name: &str, bytes: &[u8]) -> Result<FeedDocument, FeedError> {
    let kind = FeedKind::KevCsv;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut doc = FeedDocument {
        kind: Some(kind),
        identity: IDENTITY.to_string(),
        ..FeedDocument::default()
    };
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        // LF only, so that a CRLF file's records name their own line; a CR
        // left at the end of the last field is trimmed.
        .terminator(csv::Terminator::Any(b'\n'))
        .from_reader(bytes);
    let fail = |e: csv::Error| FeedError::Malformed {
        file: name.to_string(),
        kind,
        line: e.position().map(|p| p.line()),
        column: None,
        message: e.to_string(),
    };
    let mut row = csv::ByteRecord::new();
    if !csv.read_byte_record(&mut row).map_err(fail)? {
        return Err(FeedError::malformed(name, kind, "no header row"));
    }
    let find = |col: &str| row.iter().position(|f| f.trim_ascii() == col.as_bytes());
    let Some(cve) = find("cveID") else {
        return Err(FeedError::Malformed {
            file: name.to_string(),
            kind,
            line: Some(1),
            column: None,
            message: "the header has no cveID column".to_string(),
        });
    };
    let cols = [
        Some(cve),
        find("vendorProject"),
        find("product"),
        find("vulnerabilityName"),
        find("dateAdded"),
        find("dueDate"),
        find("knownRansomwareCampaignUse"),
    ];
    while csv.read_byte_record(&mut row).map_err(fail)? {
        let line = row.position().map_or(0, |p| p.line());
        let v: Vec<String> = cols
            .iter()
            .map(|c| {
                c.and_then(|c| row.get(c))
                    .map(|f| String::from_utf8_lossy(f).into_owned())
                    .unwrap_or_default()
            })
            .collect();
        let fields = Fields {
            cve: &v[0],
            vendor: &v[1],
            product: &v[2],
            name: &v[3],
            date_added: &v[4],
            due_date: &v[5],
            ransomware: &v[6],
        };
        add(&mut doc, name, fields, || format!("line {line}"))?;
    }
    doc.version = format!("CSV, {} entries", doc.kev.len());
    doc.released = doc.kev.iter().map(|k| k.date_added).max();
    Ok(doc)
}

struct Fields<'a> {
    cve: &'a str,
    vendor: &'a str,
    product: &'a str,
    name: &'a str,
    date_added: &'a str,
    due_date: &'a str,
    ransomware: &'a str,
}

fn add(
    doc: &mut FeedDocument,
    name: &str,
    f: Fields<'_>,
    at: impl Fn() -> String,
) -> Result<(), FeedError> {
    doc.rows_read += 1;
    let Some(cve) = normalise_cve(f.cve) else {
        note_unusable(doc, || format!("{}: no CVE id", at()));
        return Ok(());
    };
    let Some(date_added) = parse_date(f.date_added) else {
        note_unusable(doc, || {
            format!("{}: {cve}: unreadable dateAdded {:?}", at(), f.date_added)
        });
        return Ok(());
    };
    doc.kev.push(KevEntry {
        cve,
        date_added,
        ransomware: f.ransomware.trim().eq_ignore_ascii_case("known"),
        vendor: f.vendor.trim().to_string(),
        product: f.product.trim().to_string(),
        name: f.name.trim().to_string(),
        due_date: parse_date(f.due_date),
    });
    check_records(name, doc.kev.len())
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Catalog {
    #[serde(rename = "catalogVersion")]
    catalog_version: Text,
    #[serde(rename = "dateReleased")]
    date_released: Text,
    vulnerabilities: Option<Vec<Entry>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Entry {
    #[serde(rename = "cveID")]
    cve_id: Text,
    #[serde(rename = "vendorProject")]
    vendor_project: Text,
    product: Text,
    #[serde(rename = "vulnerabilityName")]
    vulnerability_name: Text,
    #[serde(rename = "dateAdded")]
    date_added: Text,
    #[serde(rename = "dueDate")]
    due_date: Text,
    #[serde(rename = "knownRansomwareCampaignUse")]
    known_ransomware_campaign_use: Text,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_and_csv() {
        let json = br#"{"title": "CISA Catalog", "catalogVersion": "2025.08.25", "dateReleased": "2025-08-25T17:04:19.9796Z", "count": 2,
          "vulnerabilities": [
            {"cveID": "CVE-2017-0144", "vendorProject": "Microsoft", "product": "Windows", "vulnerabilityName": "Microsoft Windows SMBv1 Remote Code Execution Vulnerability",
             "dateAdded": "2022-02-10", "shortDescription": "x", "requiredAction": "y", "dueDate": "2022-08-10", "knownRansomwareCampaignUse": "Known", "notes": "", "cwes": ["CWE-20"]},
            {"cveID": "", "dateAdded": "2022-02-10"},
            {"cveID": "CVE-2020-0001", "dateAdded": "soon"}
          ]}"#;
        let doc = read_json("kev.json", json).unwrap();
        assert_eq!(doc.version, "2025.08.25");
        assert_eq!(doc.released, Some(jiff::civil::date(2025, 8, 25)));
        assert_eq!((doc.rows_read, doc.rows_unusable, doc.kev.len()), (3, 2, 1));
        let k = &doc.kev[0];
        assert!(k.ransomware);
        assert_eq!(k.due_date, Some(jiff::civil::date(2022, 8, 10)));
        let csv = b"cveID,vendorProject,product,vulnerabilityName,dateAdded,shortDescription,requiredAction,dueDate,knownRansomwareCampaignUse,notes,cwes\n\
CVE-2017-0144,Microsoft,Windows,\"Microsoft Windows SMBv1 Remote Code Execution Vulnerability\",2022-02-10,x,y,2022-08-10,Known,,CWE-20\n";
        let c = read_csv("kev.csv", csv).unwrap();
        assert_eq!(c.kev, doc.kev);
        assert_eq!(c.version, "CSV, 1 entries");
        assert_eq!(c.released, Some(jiff::civil::date(2022, 2, 10)));
    }

    #[test]
    fn errors() {
        let e = read_json("k.json", b"{\"vulnerabilities\": [\n{\"cveID\": {}}]}").unwrap();
        assert_eq!(e.rows_unusable, 1);
        let e = read_json("k.json", b"{\"vulnerabilities\": [\n{\"cveID\": []}]}").unwrap_err();
        assert_eq!(e.line(), Some(2));
        let e = read_csv("k.csv", b"a,b\n").unwrap_err();
        assert!(e.to_string().contains("no cveID column"), "{e}");
    }
}
