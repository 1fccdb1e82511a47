//! The advisory feed parsers against hand-written fixtures (in the shape of
//! the real formats) and, where the shared folder is present, the real
//! feeds, with expectations computed independently of the parsers.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::PathBuf;

use lastrollup::advisory::feed::{self, FeedError};
use lastrollup::advisory::product::{Family, Product};
use lastrollup::advisory::{FeedDocument, FeedKind, FixKind, Record, Severity};
use lastrollup::host::Arch;
use proptest::prelude::*;

fn fixture(name: &str) -> Vec<u8> {
    let path = support::fixtures().join("feeds").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn read(name: &str, bytes: &[u8]) -> FeedDocument {
    feed::read(name, bytes, &mut |_, _| {}).unwrap_or_else(|e| panic!("{e}"))
}

fn product(name: &str) -> Product {
    Product::parse(name).unwrap_or_else(|| panic!("{name} is not NT 6.0"))
}

/// A wesng zip as upstream packs it: the two CSVs and the version marker.
fn wesng_zip(cves: &[u8], custom: &[u8]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut out);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("CVEs_20990120.csv", options).unwrap();
        zip.write_all(cves).unwrap();
        zip.start_file("Custom_20990101.csv", options).unwrap();
        zip.write_all(custom).unwrap();
        zip.start_file("Version_0.94.txt", options).unwrap();
        zip.write_all(b"This definition file requires you to at least use wes version 0.94\r\n")
            .unwrap();
        zip.finish().unwrap();
    }
    out.into_inner()
}

fn key(r: &Record) -> (String, Product, Option<u32>) {
    (r.cve.clone(), r.product.clone(), r.kb)
}

// ---------------------------------------------------------------- fixtures

#[test]
fn detects_every_fixture_by_content() {
    let cases = [
        ("cvrf-2099-Jan.xml", FeedKind::CvrfXml),
        ("cvrf-2099-Jan.json", FeedKind::CvrfJson),
        ("csaf-cve-2099-0001.json", FeedKind::Csaf),
        ("kev-small.json", FeedKind::KevJson),
        ("kev-small.csv", FeedKind::KevCsv),
        ("CVEs_20990120.csv", FeedKind::WesngCsv),
        ("Custom_20990101.csv", FeedKind::WesngCsv),
    ];
    for (name, kind) in cases {
        assert_eq!(feed::detect(&fixture(name)), Some(kind), "{name}");
        // The name plays no part.
        assert_eq!(read("renamed.bin", &fixture(name)).kind, Some(kind));
    }
    let zip = wesng_zip(
        &fixture("CVEs_20990120.csv"),
        &fixture("Custom_20990101.csv"),
    );
    assert_eq!(feed::detect(&zip), Some(FeedKind::WesngZip));
}

#[test]
fn cvrf_xml_fixture() {
    let doc = read("cvrf-2099-Jan.xml", &fixture("cvrf-2099-Jan.xml"));
    assert_eq!(doc.identity, "2099-Jan");
    assert_eq!(doc.version, "January 2099 Security Updates");
    assert_eq!(doc.released, Some(jiff::civil::date(2099, 2, 1)));
    assert_eq!(
        (doc.rows_read, doc.rows_other_products, doc.rows_unusable),
        (3, 1, 0)
    );
    assert_eq!(doc.records.len(), 10);
    let rollups: Vec<&Record> = doc
        .records
        .iter()
        .filter(|r| r.kb == Some(5099001))
        .collect();
    assert_eq!(rollups.len(), 4);
    for r in &rollups {
        assert_eq!(r.fix_kind, Some(FixKind::MonthlyRollup));
        assert_eq!(r.supersedes, vec![5098001]);
        assert_eq!(r.fixed_build.as_deref(), Some("6.0.6003.99999"));
        assert_eq!(r.impact.as_deref(), Some("Elevation of Privilege"));
        assert_eq!(r.date, Some(jiff::civil::date(2099, 1, 20)));
    }
    let itanium = product("Windows Server 2008 for Itanium-based Systems Service Pack 2");
    for r in doc.records.iter().filter(|r| r.cve == "CVE-2099-0001") {
        let want = if r.product == itanium {
            Severity::Critical
        } else {
            Severity::Important
        };
        assert_eq!(r.severity, want, "{r:?}");
    }
    let security_only = doc.records.iter().find(|r| r.kb == Some(5099002)).unwrap();
    assert_eq!(security_only.fix_kind, Some(FixKind::SecurityOnly));
    assert!(security_only.supersedes.is_empty());
    let ie = doc.records.iter().find(|r| r.kb == Some(5099003)).unwrap();
    assert_eq!(ie.product.component.as_deref(), Some("Internet Explorer 9"));
    assert_eq!(ie.supersedes, vec![5098003, 5097003]);
    assert_eq!(ie.fix_kind, Some(FixKind::IeCumulative));
    assert_eq!(
        ie.title,
        "Internet Explorer Memory Corruption & Spoofing Vulnerability"
    );
    assert_eq!(ie.impact.as_deref(), Some("Remote Code Execution"));
    // Affected with no Vendor Fix (only a workaround): one record, no KB.
    let vista = doc
        .records
        .iter()
        .find(|r| r.product == product("Windows Vista Service Pack 2"))
        .unwrap();
    assert_eq!((vista.kb, vista.severity), (None, Severity::Moderate));
    assert_eq!(vista.date, Some(jiff::civil::date(2099, 2, 1)));
    // No R2, no Windows 10.
    assert!(doc.records.iter().all(|r| r.kb != Some(5099010)));
}

#[test]
fn cvrf_json_gives_the_same_records_as_xml() {
    let xml = read("2099-Jan.xml", &fixture("cvrf-2099-Jan.xml"));
    let json = read("2099-Jan.json", &fixture("cvrf-2099-Jan.json"));
    assert_eq!(json.kind, Some(FeedKind::CvrfJson));
    assert_eq!(
        (&json.identity, &json.version, json.released),
        (&xml.identity, &xml.version, xml.released)
    );
    assert_eq!(
        (json.rows_read, json.rows_other_products, json.rows_unusable),
        (xml.rows_read, xml.rows_other_products, xml.rows_unusable)
    );
    // The JSON product tree lists the products in another order; the
    // records are the same set.
    let sorted = |d: &FeedDocument| {
        let mut v: Vec<String> = d.records.iter().map(|r| format!("{r:?}")).collect();
        v.sort();
        v
    };
    assert_eq!(sorted(&json), sorted(&xml));
}

#[test]
fn csaf_fixture() {
    let doc = read("csaf.json", &fixture("csaf-cve-2099-0001.json"));
    assert_eq!(doc.identity, "msrc_CVE-2099-0001");
    assert_eq!(
        doc.version,
        "Windows Kernel Elevation of Privilege Vulnerability"
    );
    assert_eq!(doc.released, Some(jiff::civil::date(2099, 1, 20)));
    // The same facts as the CVRF month's CVE-2099-0001, less what CSAF does
    // not carry (sub-type, supersedence, fixed build).
    let xml = read("2099-Jan.xml", &fixture("cvrf-2099-Jan.xml"));
    let facts = |d: &FeedDocument| -> BTreeSet<String> {
        d.records
            .iter()
            .filter(|r| r.cve == "CVE-2099-0001")
            .map(|r| {
                format!(
                    "{} {} {:?} {:?} {:?} {:?}",
                    r.cve, r.product, r.kb, r.severity, r.impact, r.date
                )
            })
            .collect()
    };
    assert_eq!(facts(&doc), facts(&xml));
    assert_eq!(doc.records.len(), 8);
    assert!(doc.records.iter().all(|r| r.fix_kind.is_none()));
}

#[test]
fn kev_json_and_csv_fixtures_agree() {
    let json = read("kev.json", &fixture("kev-small.json"));
    let csv = read("kev.csv", &fixture("kev-small.csv"));
    assert_eq!(json.identity, "cisa-kev");
    assert_eq!(csv.identity, "cisa-kev");
    assert_eq!(json.version, "2099.01.21");
    assert_eq!(json.released, Some(jiff::civil::date(2099, 1, 21)));
    assert_eq!(csv.version, "CSV, 3 entries");
    assert_eq!(csv.released, Some(jiff::civil::date(2099, 1, 20)));
    assert_eq!(json.kev, csv.kev);
    assert_eq!(json.kev.len(), 3);
    assert_eq!(
        json.kev.iter().filter(|k| k.ransomware).count(),
        1,
        "{:?}",
        json.kev
    );
    assert!(json.records.is_empty());
}

#[test]
fn wesng_csv_fixture() {
    let doc = read("CVEs_20990120.csv", &fixture("CVEs_20990120.csv"));
    assert_eq!(doc.rows_read, 14);
    assert_eq!(doc.rows_other_products, 2, "R2 and Windows 10");
    assert_eq!(doc.rows_unusable, 2, "{:?}", doc.unusable_examples);
    assert_eq!(
        doc.unusable_examples,
        vec!["line 12: no CVE id", "line 13: no CVE id"]
    );
    assert_eq!(doc.rows_duplicate, 1);
    assert_eq!(doc.records.len(), 9);
    // Itanium-Based and Itanium-based are one product.
    let itanium: BTreeSet<&Product> = doc
        .records
        .iter()
        .filter(|r| r.product.arch == Arch::Ia64)
        .map(|r| &r.product)
        .collect();
    assert_eq!(itanium.len(), 1);
    let vista = doc.records.iter().find(|r| r.kb == Some(5099004)).unwrap();
    assert_eq!(vista.cve, "CVE-2099-0002");
    assert!(vista.supersedes.is_empty(), "None and its own KB dropped");
    assert_eq!(vista.severity, Severity::Unrated);
    let ie = doc.records.iter().find(|r| r.kb == Some(5099003)).unwrap();
    assert_eq!(ie.supersedes, vec![5098003, 5097003]);
    assert_eq!(ie.impact.as_deref(), Some("Remote Code Execution"));
    let no_kb = doc.records.iter().filter(|r| r.kb.is_none()).count();
    assert_eq!(no_kb, 1);
}

#[test]
fn wesng_zip_built_here() {
    let cves = fixture("CVEs_20990120.csv");
    let custom = fixture("Custom_20990101.csv");
    let zip = wesng_zip(&cves, &custom);
    let mut calls: Vec<(u64, u64)> = Vec::new();
    let doc = feed::read("definitions.zip", &zip, &mut |d, t| calls.push((d, t)))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(doc.identity, "wesng");
    assert_eq!(
        doc.version,
        "CVEs_20990120.csv + Custom_20990101.csv (wes.py >= 0.94)"
    );
    assert_eq!(doc.released, Some(jiff::civil::date(2099, 1, 20)));
    // The CSV's 9 records, the two Vista service packs; the custom MS17-010
    // row names "... x64-based Systems Service Pack 1", the product MSRC
    // calls "... x64-based Systems", so it repeats a CVEs row.
    assert_eq!(doc.records.len(), 11);
    assert_eq!(doc.rows_duplicate, 2);
    assert_eq!(doc.rows_read, 14 + 4);
    let sp2 = doc.records.iter().filter(|r| r.cve == "SPVX86SP2").count();
    assert_eq!(sp2, 2);
    // Progress: from 0 to the whole input, never past it.
    let total = zip.len() as u64;
    assert_eq!(calls.first(), Some(&(0, total)));
    assert_eq!(calls.last(), Some(&(total, total)));
    assert!(calls.iter().all(|(d, t)| d <= t && *t == total));
}

#[test]
fn wesng_zip_without_csv_members_is_malformed() {
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut out);
        zip.start_file("readme.txt", zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(b"hello").unwrap();
        zip.finish().unwrap();
    }
    let e = feed::read("d.zip", &out.into_inner(), &mut |_, _| {}).unwrap_err();
    assert!(e.to_string().contains("no CVEs_*.csv"), "{e}");
}

// ----------------------------------------------------------- hostile input

fn text_fixtures() -> Vec<(&'static str, FeedKind)> {
    vec![
        ("cvrf-2099-Jan.xml", FeedKind::CvrfXml),
        ("cvrf-2099-Jan.json", FeedKind::CvrfJson),
        ("csaf-cve-2099-0001.json", FeedKind::Csaf),
        ("kev-small.json", FeedKind::KevJson),
        ("kev-small.csv", FeedKind::KevCsv),
        ("CVEs_20990120.csv", FeedKind::WesngCsv),
    ]
}

#[test]
fn every_truncation_reads_or_fails_with_a_position() {
    for (name, kind) in text_fixtures() {
        let bytes = fixture(name);
        let complete = bytes.trim_ascii_end().len();
        for cut in (0..complete).step_by(7) {
            let r = feed::read_as(kind, name, &bytes[..cut], &mut |_, _| {});
            if let Err(e) = r {
                match kind {
                    // A cut XML or JSON document is never complete.
                    FeedKind::CvrfXml | FeedKind::CvrfJson | FeedKind::Csaf | FeedKind::KevJson => {
                        assert!(e.line().is_some() || cut == 0, "{name} cut at {cut}: {e}");
                    }
                    _ => assert!(matches!(e, FeedError::Malformed { .. }), "{e}"),
                }
            } else {
                assert!(
                    !matches!(kind, FeedKind::CvrfXml | FeedKind::KevJson),
                    "{name} cut at {cut} read as complete"
                );
            }
        }
    }
    let zip = wesng_zip(
        &fixture("CVEs_20990120.csv"),
        &fixture("Custom_20990101.csv"),
    );
    for cut in (0..zip.len()).step_by(13) {
        let _ = feed::read_as(FeedKind::WesngZip, "d.zip", &zip[..cut], &mut |_, _| {});
    }
}

#[test]
fn wrong_types_fail_with_a_position() {
    let cases: [(&[u8], usize); 5] = [
        (
            b"{\"DocumentTitle\": \"x\",\n\"Vulnerability\": [{\"Threats\": 7}]}",
            2,
        ),
        (
            b"{\"DocumentTitle\": \"x\",\n\"ProductTree\": {\"FullProductName\": \"oops\"}}",
            2,
        ),
        (
            b"{\"document\": {\"csaf_version\": \"2.0\"},\n\"product_tree\": {\"branches\": [1]}}",
            2,
        ),
        (
            b"{\"catalogVersion\": \"1\",\n\n\"vulnerabilities\": \"none\"}",
            3,
        ),
        (
            b"{\"catalogVersion\": \"1\", \"vulnerabilities\": [\n{\"cveID\": [1]}]}",
            2,
        ),
    ];
    for (bytes, line) in cases {
        let e = feed::read("w.json", bytes, &mut |_, _| {}).unwrap_err();
        assert_eq!(e.line(), Some(line as u64), "{e}");
        assert!(e.to_string().starts_with(&format!("w.json:{line}:")), "{e}");
    }
}

#[test]
fn deep_nesting_is_refused_not_a_stack_overflow() {
    let mut json = b"{\"DocumentTitle\": \"x\", \"ProductTree\": {\"Branch\": ".to_vec();
    for _ in 0..100_000 {
        json.extend_from_slice(b"[{\"Items\": ");
    }
    assert!(feed::read("deep.json", &json, &mut |_, _| {}).is_err());
    let mut xml = b"<cvrfdoc>".to_vec();
    for _ in 0..100_000 {
        xml.extend_from_slice(b"<a>");
    }
    let e = feed::read("deep.xml", &xml, &mut |_, _| {}).unwrap_err();
    assert!(e.to_string().contains("nested too deep"), "{e}");
}

fn all_fixture_bytes() -> Vec<(FeedKind, Vec<u8>)> {
    let mut out: Vec<(FeedKind, Vec<u8>)> = text_fixtures()
        .into_iter()
        .map(|(name, kind)| (kind, fixture(name)))
        .collect();
    out.push((
        FeedKind::WesngZip,
        wesng_zip(
            &fixture("CVEs_20990120.csv"),
            &fixture("Custom_20990101.csv"),
        ),
    ));
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let _ = feed::read("any", &bytes, &mut |_, _| {});
        for kind in [FeedKind::WesngZip, FeedKind::WesngCsv, FeedKind::CvrfXml, FeedKind::CvrfJson, FeedKind::Csaf, FeedKind::KevJson, FeedKind::KevCsv] {
            let _ = feed::read_as(kind, "any", &bytes, &mut |_, _| {});
        }
    }

    #[test]
    fn mutated_fixtures_never_panic(which in 0usize..7, edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..16)) {
        let fixtures = all_fixture_bytes();
        let (kind, mut bytes) = fixtures[which % fixtures.len()].clone();
        for (at, b) in edits {
            let i = at.index(bytes.len());
            bytes[i] = b;
        }
        let _ = feed::read("m", &bytes, &mut |_, _| {});
        let _ = feed::read_as(kind, "m", &bytes, &mut |_, _| {});
    }
}

// ------------------------------------------------------------- shared data

fn shared_data() -> Option<PathBuf> {
    support::shared().map(|s| s.join("data"))
}

fn read_path(path: &std::path::Path) -> FeedDocument {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    read(&name, &bytes)
}

/// (CVE, product, KB) of a wesng CSV, computed with the csv crate alone.
fn wesng_keys(path: &std::path::Path) -> BTreeSet<(String, Product, Option<u32>)> {
    let mut out = BTreeSet::new();
    for row in support::csv_rows(path) {
        let cve = row["CVE"].trim().to_ascii_uppercase();
        if cve.is_empty() || cve == "CVE" {
            continue;
        }
        let Some(product) = Product::parse(&row["AffectedProduct"]) else {
            continue;
        };
        let kb = row["BulletinKB"].trim();
        // Custom rows naming a service pack by a made-up id in place of a KB
        // (`SPSRV8X86SP2`) are unusable.
        let kb = match kb {
            "" => None,
            kb => match kb.parse::<u32>() {
                Ok(n) => Some(n),
                Err(_) => continue,
            },
        };
        out.insert((cve, product, kb));
    }
    out
}

#[test]
fn shared_definitions_zip_matches_the_filtered_csvs() {
    let Some(data) = shared_data() else { return };
    let zip = read_path(&data.join("wesng/definitions.zip"));
    assert_eq!(zip.identity, "wesng");
    assert_eq!(
        zip.version,
        "CVEs_20260628.csv + Custom_20190321.csv (wes.py >= 0.94)"
    );
    assert_eq!(zip.released, Some(jiff::civil::date(2026, 6, 28)));
    let got: BTreeSet<_> = zip.records.iter().map(key).collect();
    let mut want = wesng_keys(&data.join("msrc-nt60.csv"));
    want.extend(wesng_keys(&data.join("custom-nt60.csv")));
    assert_eq!(got.len(), want.len());
    assert!(got == want, "the record sets differ");
    // The 14 rows without a usable CVE id (7 empty, 7 literal "CVE"), and
    // whatever duplicates of them upstream has.
    assert!(zip.rows_unusable >= 14, "{}", zip.rows_unusable);

    // The filtered CSV read on its own: every row is NT 6.0, 14 unusable.
    let csv = read_path(&data.join("msrc-nt60.csv"));
    assert_eq!(csv.rows_read, 56_796);
    assert_eq!(csv.rows_other_products, 0);
    assert_eq!(csv.rows_unusable, 14);
    assert_eq!(csv.records.len() as u64 + csv.rows_duplicate, 56_796 - 14);
    let dates: BTreeSet<_> = csv.records.iter().filter_map(|r| r.date).collect();
    assert_eq!(dates.first(), Some(&jiff::civil::date(2008, 11, 11)));
    assert_eq!(dates.last(), Some(&jiff::civil::date(2026, 2, 10)));
    let cves: BTreeSet<&str> = csv.records.iter().map(|r| r.cve.as_str()).collect();
    assert_eq!(cves.iter().filter(|c| c.starts_with("CVE-")).count(), 4_439);
    assert_eq!(cves.iter().filter(|c| c.starts_with("ADV")).count(), 10);
    let kbs: BTreeSet<u32> = csv.records.iter().filter_map(|r| r.kb).collect();
    assert_eq!(kbs.len(), 1_209);
    // Itanium-Based and Itanium-based Server 2008 SP2 are one product.
    let itanium_sp2: BTreeSet<&Product> = csv
        .records
        .iter()
        .filter(|r| {
            r.product.arch == Arch::Ia64
                && r.product.service_pack == 2
                && r.product.component.is_none()
        })
        .map(|r| &r.product)
        .collect();
    assert_eq!(itanium_sp2.len(), 1);
}

fn cvrf_month(data: &std::path::Path, file: &str) -> FeedDocument {
    let doc = read_path(&data.join("msrc-cvrf").join(file));
    assert_eq!(doc.kind, Some(FeedKind::CvrfXml));
    doc
}

/// CVEs naming a Server 2008 OS product (not a component on one), as the
/// shared README counts them.
fn server_2008_cves(doc: &FeedDocument) -> BTreeSet<&str> {
    doc.records
        .iter()
        .filter(|r| r.product.family == Family::WindowsServer2008 && r.product.component.is_none())
        .map(|r| r.cve.as_str())
        .collect()
}

#[test]
fn shared_cvrf_2022_may() {
    let Some(data) = shared_data() else { return };
    let doc = cvrf_month(&data, "2022-May.xml");
    assert_eq!(doc.identity, "2022-May");
    assert_eq!(doc.version, "May 2022 Security Updates");
    assert_eq!(doc.released, Some(jiff::civil::date(2026, 2, 21)));
    assert_eq!(doc.rows_read, 191);
    assert_eq!(server_2008_cves(&doc).len(), 27);
    let sp2 = product("Windows Server 2008 for x64-based Systems Service Pack 2");
    let rollup = doc
        .records
        .iter()
        .find(|r| r.kb == Some(5014010) && r.product == sp2)
        .expect("KB5014010 for Server 2008 x64 SP2");
    assert_eq!(rollup.fix_kind, Some(FixKind::MonthlyRollup));
    assert_eq!(rollup.supersedes, vec![5012658]);
    assert_eq!(rollup.fixed_build.as_deref(), Some("6.0.6003.21481"));
    let security_only = doc
        .records
        .iter()
        .find(|r| r.kb == Some(5014006) && r.product == sp2)
        .expect("KB5014006");
    assert_eq!(security_only.fix_kind, Some(FixKind::SecurityOnly));
    assert_eq!(security_only.fixed_build.as_deref(), Some("6.0.6003.21481"));
    // Every Server 2008 SP2 product the month names (ProductIDs 9312, 10287,
    // 9318, 9344) has the rollup.
    let with_rollup: BTreeSet<&Product> = doc
        .records
        .iter()
        .filter(|r| r.kb == Some(5014010))
        .map(|r| &r.product)
        .collect();
    assert_eq!(with_rollup.len(), 4, "{with_rollup:?}");
}

#[test]
fn shared_cvrf_2026_jan() {
    let Some(data) = shared_data() else { return };
    let doc = cvrf_month(&data, "2026-Jan.xml");
    assert_eq!(doc.identity, "2026-Jan");
    assert_eq!(doc.rows_read, 310);
    assert_eq!(server_2008_cves(&doc).len(), 26);
    let by_kb: BTreeMap<u32, &Record> = doc
        .records
        .iter()
        .filter_map(|r| r.kb.map(|k| (k, r)))
        .filter(|(k, _)| *k == 5073697 || *k == 5073700)
        .collect();
    let rollup = by_kb.get(&5073697).expect("KB5073697");
    assert_eq!(rollup.fix_kind, Some(FixKind::MonthlyRollup));
    assert_eq!(rollup.supersedes, vec![5071504]);
    assert_eq!(rollup.fixed_build.as_deref(), Some("6.0.6003.23717"));
    let security_only = by_kb.get(&5073700).expect("KB5073700");
    assert_eq!(security_only.fix_kind, Some(FixKind::SecurityOnly));
}

#[test]
fn shared_kev_json_and_csv_agree() {
    let Some(data) = shared_data() else { return };
    let json = read_path(&data.join("kev/known_exploited_vulnerabilities.json"));
    let csv = read_path(&data.join("kev/known_exploited_vulnerabilities.csv"));
    assert_eq!(json.kind, Some(FeedKind::KevJson));
    assert_eq!(csv.kind, Some(FeedKind::KevCsv));
    assert_eq!(json.version, "2025.08.25");
    assert_eq!(json.released, Some(jiff::civil::date(2025, 8, 25)));
    assert_eq!(csv.version, "CSV, 1404 entries");
    assert_eq!(json.kev.len(), 1_404);
    assert_eq!(json.rows_unusable, 0);
    assert_eq!(json.kev, csv.kev);
    // Cross-check one entry and the ransomware flag against the raw JSON.
    let raw: serde_json::Value = serde_json::from_slice(
        &std::fs::read(data.join("kev/known_exploited_vulnerabilities.json")).unwrap(),
    )
    .unwrap();
    let known = raw["vulnerabilities"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["knownRansomwareCampaignUse"] == "Known")
        .count();
    assert_eq!(json.kev.iter().filter(|k| k.ransomware).count(), known);
    let eternal = json.kev.iter().find(|k| k.cve == "CVE-2017-0144").unwrap();
    assert_eq!(eternal.vendor, "Microsoft");
    assert!(eternal.ransomware);
}

#[test]
fn shared_side_files_are_refused_not_imported_empty() {
    // The KEV JSON Schema and the MSRC update index sit next to the feeds in
    // ../shared/data; a glob import must not take them for feeds (the schema
    // would replace the KEV catalog with an empty one).
    let Some(data) = shared_data() else { return };
    for (file, why) in [
        (
            "kev/known_exploited_vulnerabilities_schema.json",
            "a JSON Schema",
        ),
        ("msrc-cvrf/updates-index.json", "index of CVRF documents"),
    ] {
        let bytes = std::fs::read(data.join(file)).unwrap();
        assert_eq!(feed::detect(&bytes), None, "{file}");
        let e = feed::read(file, &bytes, &mut |_, _| {}).unwrap_err();
        assert!(e.to_string().contains(why), "{file}: {e}");
    }
}
