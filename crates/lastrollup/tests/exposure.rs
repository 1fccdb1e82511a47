//! Exposure against sets computed independently from the MSRC rows
//! (`../shared/data/msrc-nt60.csv`), and the advisory database file.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use jiff::civil::date;
use lastrollup::advisory::database::{Database, DbError};
use lastrollup::advisory::{FeedDocument, FeedKind, Product, Record, Severity};
use lastrollup::assess::exposure::{self, EmbeddedKev, ExposedCve, Exposure, Status};
use lastrollup::assess::{self, Goal, Options};
use lastrollup::catalog::{Catalog, UpdateKind};
use lastrollup::evidence;
use lastrollup::host::{self, Host};

const X64: &str = "Windows Server 2008 for x64-based Systems Service Pack 2";

/// A Server 2008 SP2 x64 systeminfo capture listing `kbs`.
fn systeminfo(kbs: &[u32]) -> String {
    let mut s = String::from(
        "\r\nHost Name:                 SRV-EXPO01\r\n\
         OS Name:                   Microsoft Windows Server 2008 Standard \r\n\
         OS Version:                6.0.6003 Service Pack 2 Build 6003\r\n\
         OS Manufacturer:           Microsoft Corporation\r\n\
         OS Configuration:          Member Server\r\n\
         System Type:               x64-based PC\r\n\
         System Locale:             en-us;English (United States)\r\n",
    );
    s.push_str(&format!(
        "Hotfix(s):                 {} Hotfix(s) Installed.\r\n",
        kbs.len()
    ));
    for (i, kb) in kbs.iter().enumerate() {
        s.push_str(&format!(
            "                           [{:02}]: KB{kb}\r\n",
            i + 1
        ));
    }
    s.push_str("Network Card(s):           N/A\r\n");
    s
}

fn host_of(files: &[(&str, String)]) -> Host {
    let files: Vec<_> = files
        .iter()
        .map(|(name, text)| evidence::read_file(name, text.as_bytes()).unwrap())
        .collect();
    host::identify(&files).remove(0)
}

fn expose<'s>(host: &Host, source: &'s dyn exposure::AdvisorySource) -> Exposure<'s> {
    let catalog = Catalog::embedded();
    let options = Options {
        as_of: date(2026, 11, 23),
        goal: Goal::Final,
    };
    let a = assess::assess(host, catalog, options);
    exposure::exposure(host, catalog, &a, source).expect("assessed")
}

/// The MSRC rows, read with the csv crate straight into records.
struct Rows {
    rows: Vec<csv::StringRecord>,
}

fn rows(shared: &Path) -> Rows {
    let mut rdr = csv::Reader::from_path(shared.join("data/msrc-nt60.csv")).unwrap();
    Rows {
        rows: rdr.records().map(Result::unwrap).collect(),
    }
}

fn database(rows: &Rows) -> Database {
    let mut doc = FeedDocument {
        kind: Some(FeedKind::WesngCsv),
        identity: "test-msrc".into(),
        version: "msrc-nt60.csv".into(),
        ..FeedDocument::default()
    };
    for r in &rows.rows {
        let Some(product) = Product::parse(&r[4]) else {
            continue;
        };
        doc.records.push(Record {
            cve: r[1].to_string(),
            title: r[3].to_string(),
            product,
            kb: r[2].trim().parse().ok(),
            supersedes: r[8]
                .split(';')
                .filter_map(|s| s.trim().parse().ok())
                .collect(),
            fix_kind: None,
            severity: Severity::parse(&r[6]),
            impact: (!r[7].is_empty()).then(|| r[7].to_string()),
            date: jiff::civil::Date::strptime("%Y%m%d", &r[0]).ok(),
            fixed_build: None,
        });
    }
    let mut db = Database::new();
    db.add(doc, "msrc-nt60.csv", "2026-11-23T00:00:00Z")
        .unwrap();
    db
}

/// The expected open set, computed directly from the rows of the exact
/// product name.
///
/// A KB is *closed* when it is listed, reached from a listed KB through the
/// `Supersedes` column or the catalog, or a catalog rollup / security-only
/// (IE cumulative) update of a release the newest listed rollup (IE
/// cumulative) covers. A KB is *cumulative* when the catalog calls it a
/// rollup, security-only or IE cumulative update, or such a catalog update
/// reaches it through supersedence. The KBs of a CVE fall into sets that are
/// merged until nothing changes: two sets merge when a KB of one and a KB of
/// the other are both cumulative, or one is cumulative and both have a row
/// of the same date, or one reaches the other through supersedence. The CVE
/// is open when some set has no closed KB.
fn expected_open(rows: &Rows, listed: &[u32]) -> BTreeSet<String> {
    let catalog = Catalog::embedded();
    let mut supersedes: BTreeMap<u32, BTreeSet<u32>> = BTreeMap::new();
    let mut kbs_of: BTreeMap<String, BTreeMap<u32, BTreeSet<String>>> = BTreeMap::new();
    for r in &rows.rows {
        if &r[4] != X64 {
            continue;
        }
        let kb: Option<u32> = r[2].trim().parse().ok();
        let e = kbs_of.entry(r[1].to_string()).or_default();
        if let Some(kb) = kb {
            e.entry(kb).or_default().insert(r[0].to_string());
            for s in r[8].split(';').filter_map(|s| s.trim().parse::<u32>().ok()) {
                supersedes.entry(kb).or_default().insert(s);
            }
        }
    }
    let reach_from = |start: &[u32]| -> BTreeSet<u32> {
        let mut reach: BTreeSet<u32> = BTreeSet::new();
        let mut todo: Vec<u32> = start.to_vec();
        while let Some(k) = todo.pop() {
            if reach.insert(k) {
                todo.extend(supersedes.get(&k).into_iter().flatten().copied());
                todo.extend(
                    catalog
                        .update(k)
                        .into_iter()
                        .flat_map(|u| u.supersedes.iter().copied()),
                );
            }
        }
        reach
    };
    let reach = reach_from(listed);
    let cumulative_roots: Vec<u32> = catalog
        .updates
        .iter()
        .filter(|u| {
            matches!(
                u.kind,
                UpdateKind::MonthlyRollup | UpdateKind::SecurityOnly | UpdateKind::IeCumulative
            )
        })
        .map(|u| u.kb)
        .collect();
    let cumulative = reach_from(&cumulative_roots);
    let newest_rollup = listed
        .iter()
        .filter_map(|k| catalog.update(*k))
        .filter(|u| u.kind == UpdateKind::MonthlyRollup)
        .map(|u| u.effective_date())
        .max();
    let newest_ie = listed
        .iter()
        .filter_map(|k| catalog.update(*k))
        .filter(|u| u.kind == UpdateKind::IeCumulative)
        .map(|u| u.effective_date())
        .max();
    let newest_ssu = listed
        .iter()
        .filter_map(|k| catalog.update(*k))
        .filter(|u| u.kind == UpdateKind::Ssu)
        .map(|u| u.effective_date())
        .max();
    let closed = |kb: u32| {
        reach.contains(&kb)
            || catalog.update(kb).is_some_and(|u| {
                let d = u.effective_date();
                (matches!(u.kind, UpdateKind::MonthlyRollup | UpdateKind::SecurityOnly)
                    && newest_rollup.is_some_and(|n| d <= n))
                    || (u.kind == UpdateKind::IeCumulative && newest_ie.is_some_and(|n| d <= n))
                    || (u.kind == UpdateKind::Ssu && newest_ssu.is_some_and(|n| d <= n))
            })
    };
    let linked = |a: u32, b: u32, dates: &BTreeMap<u32, BTreeSet<String>>| {
        let (ca, cb) = (cumulative.contains(&a), cumulative.contains(&b));
        (ca && cb)
            || ((ca || cb) && !dates[&a].is_disjoint(&dates[&b]))
            || reach_from(&[a]).contains(&b)
            || reach_from(&[b]).contains(&a)
    };
    kbs_of
        .into_iter()
        .filter(|(_, kbs)| {
            let mut sets: Vec<BTreeSet<u32>> = kbs.keys().map(|k| BTreeSet::from([*k])).collect();
            loop {
                let mut merged = false;
                'scan: for i in 0..sets.len() {
                    for j in i + 1..sets.len() {
                        if sets[i]
                            .iter()
                            .any(|a| sets[j].iter().any(|b| linked(*a, *b, kbs)))
                        {
                            let other = sets.remove(j);
                            sets[i].extend(other);
                            merged = true;
                            break 'scan;
                        }
                    }
                }
                if !merged {
                    break;
                }
            }
            kbs.is_empty() || sets.iter().any(|set| !set.iter().any(|k| closed(*k)))
        })
        .map(|(cve, _)| cve)
        .collect()
}

fn open_os_cves(e: &Exposure) -> BTreeSet<String> {
    e.cves
        .iter()
        .filter(|c| c.status == Status::Open && c.component.is_none())
        .map(|c| c.id.to_string())
        .collect()
}

#[test]
fn exposure_matches_sets_computed_from_the_msrc_rows() {
    let Some(shared) = support::shared() else {
        return;
    };
    let rows = rows(&shared);
    let db = database(&rows);
    let scenarios: &[(&str, &[u32])] = &[
        ("final rollup only", &[5073697]),
        (
            "final rollup, SHA-2, SSU, MS17-010",
            &[4474419, 4493730, 5073697, 4012598],
        ),
        ("2019-03 rollup", &[4489880]),
        ("2023-05 security-only", &[5026427]),
        ("nothing listed but an unrelated KB", &[955430]),
        ("2020-01 rollup (last without ESU)", &[4534303]),
        (
            "final rollup and one of two separate fixes of three bulletins",
            &[5073697, 973507, 2506212, 2481109],
        ),
        ("final rollup and the 2024-06 SSU", &[5073697, 5039341]),
    ];
    let catalog = Catalog::embedded();
    for (name, kbs) in scenarios {
        for kb in *kbs {
            if ![955430, 4012598, 973507, 2506212, 2481109].contains(kb) {
                assert!(
                    catalog.update(*kb).is_some(),
                    "{name}: KB{kb} must be a catalog update"
                );
            }
        }
        let host = host_of(&[("systeminfo.txt", systeminfo(kbs))]);
        let e = expose(&host, &db);
        let want = expected_open(&rows, kbs);
        let got = open_os_cves(&e);
        let missing: Vec<_> = want.difference(&got).take(5).collect();
        let extra: Vec<_> = got.difference(&want).take(5).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{name}: {} expected, {} reported; not reported {missing:?}, not expected {extra:?}",
            want.len(),
            got.len()
        );
        assert!(
            !want.is_empty(),
            "{name}: the scenario must leave something open"
        );
    }
}

#[test]
fn separate_fixes_are_all_needed_and_twins_are_alternatives() {
    let Some(shared) = support::shared() else {
        return;
    };
    let db = database(&rows(&shared));
    fn cve<'s>(e: &Exposure<'s>, id: &str) -> Option<ExposedCve<'s>> {
        e.cves.iter().find(|c| c.id == id).cloned()
    }
    // MS09-037 ships, for Server 2008 x64 SP2, KB973507 (ATL), KB973540
    // (Windows Media Player 11) and KB973346; MS11-024 KB2491683 and
    // KB2506212: a part of each set leaves the CVE open, and the advice names
    // only the missing ones.
    let host = host_of(&[("s.txt", systeminfo(&[5073697, 973507, 2506212]))]);
    let e = expose(&host, &db);
    for (id, missing) in [
        ("CVE-2008-0015", &["KB973346", "KB973540"][..]),
        ("CVE-2010-3974", &["KB2491683"][..]),
    ] {
        let c = cve(&e, id).unwrap_or_else(|| panic!("{id} open"));
        assert_eq!(c.status, Status::Open, "{id}");
        let fixed_by: Vec<String> = c.fixed_by().iter().map(|k| k.to_string()).collect();
        assert_eq!(fixed_by, missing, "{id}");
    }
    let host = host_of(&[(
        "s.txt",
        systeminfo(&[5073697, 973507, 973540, 973346, 2506212, 2491683]),
    )]);
    let e = expose(&host, &db);
    assert!(cve(&e, "CVE-2008-0015").is_none());
    assert!(cve(&e, "CVE-2010-3974").is_none());
    // KB4458010 (2018-09 rollup, reached from the catalog's chain) and its
    // security-only twin KB4457984, which no catalog entry names: the final
    // rollup closes the CVE without the twin.
    assert!(cve(&e, "CVE-2018-8271").is_none());
    // The SSU KB4565353 (2020-07) is held by any later SSU.
    let without_ssu = expose(&host_of(&[("s.txt", systeminfo(&[5073697]))]), &db);
    assert!(cve(&without_ssu, "CVE-2020-1346").is_some());
    let with_ssu = expose(&host_of(&[("s.txt", systeminfo(&[5073697, 5039341]))]), &db);
    assert!(cve(&with_ssu, "CVE-2020-1346").is_none());
}

#[test]
fn a_saved_database_gives_the_same_exposure_as_the_one_built() {
    // Saved, the rows are in CVE order and read in one pass; built in
    // memory, they are grouped first. Both must agree, for both arches.
    let Some(shared) = support::shared() else {
        return;
    };
    let built = database(&rows(&shared));
    let saved = Database::decode(Path::new("t.lrdb"), &built.encode()).unwrap();
    for kbs in [&[5073697][..], &[4489880], &[]] {
        let text = systeminfo(kbs);
        let no_arch = text.replace("System Type:               x64-based PC\r\n", "");
        for text in [text, no_arch] {
            let host = host_of(&[("s.txt", text)]);
            let (a, b) = (expose(&host, &built), expose(&host, &saved));
            assert!(a.cves.len() > 100);
            assert_eq!(a, b, "{kbs:?}");
        }
    }
    // The collecting reader agrees with the visiting one.
    let x64 = Product::parse(X64).unwrap();
    let facts = saved.facts_for(&x64);
    let mut seen = Vec::new();
    built.each_cve(std::slice::from_ref(&x64), &mut |f| {
        seen.push(f.id.to_string())
    });
    let mut ids: Vec<String> = facts.cves.iter().map(|f| f.id.to_string()).collect();
    ids.sort();
    seen.sort();
    assert_eq!(ids, seen);
}

#[test]
fn the_update_closing_the_most_is_the_final_rollup_not_an_old_one() {
    // A host at the 2019-03 rollup misses a hundred monthly rollups; every
    // CVE one of them fixes is closed by the newest, which the advice names.
    let Some(shared) = support::shared() else {
        return;
    };
    let db = database(&rows(&shared));
    let e = expose(&host_of(&[("s.txt", systeminfo(&[4489880]))]), &db);
    let top = &e.top_fixes[0];
    assert_eq!(top.kb.to_string(), "KB5073697", "{:?}", e.top_fixes);
    let rollup_era = e
        .cves
        .iter()
        .filter(|c| {
            c.fixed_by().iter().any(|k| {
                Catalog::embedded()
                    .update(k.0)
                    .is_some_and(|u| u.is_os_security())
            })
        })
        .count();
    assert_eq!(top.cves, rollup_era);
    // No old rollup is advised.
    for f in &e.top_fixes[1..] {
        let u = Catalog::embedded().update(f.kb.0);
        assert!(!u.is_some_and(|u| u.is_os_security()), "{f:?}");
    }
}

#[test]
fn hotfix_na_is_an_empty_list_not_a_missing_one() {
    let Some(shared) = support::shared() else {
        return;
    };
    let db = database(&rows(&shared));
    // A host at SP2 itself (build 6002.18005): nothing installed.
    let text = systeminfo(&[])
        .replace("0 Hotfix(s) Installed.", "N/A")
        .replace(
            "6.0.6003 Service Pack 2 Build 6003",
            "6.0.6002 Service Pack 2 Build 6002",
        );
    assert!(text.contains("Hotfix(s):                 N/A"));
    let e = expose(&host_of(&[("s.txt", text)]), &db);
    // Only component CVEs (IE, .NET) stay unverified, never for want of a list.
    assert!(e.counts.open > 1000, "{:?}", e.counts);
    for c in e.cves.iter().filter(|c| c.status == Status::Unverified) {
        let reason = c.reason.as_deref().unwrap_or_default();
        assert!(
            !reason.contains("no installed-update list"),
            "{}: {reason}",
            c.id
        );
    }
    let eternal_blue = e.cves.iter().find(|c| c.id == "CVE-2017-0144").unwrap();
    assert_eq!(eternal_blue.status, Status::Open);
    // Next to a build-6003 kernel, an empty list contradicts the kernel: it
    // is no list, and what the kernel cannot answer stays unverified.
    let text = systeminfo(&[]).replace("0 Hotfix(s) Installed.", "N/A");
    let e = expose(&host_of(&[("s.txt", text)]), &db);
    assert!(e
        .cves
        .iter()
        .any(|c| c.reason.as_deref() == Some("the evidence holds no installed-update list")));
}

#[test]
fn a_host_at_its_final_baseline_shows_no_cve_fixed_by_a_monthly_rollup() {
    let Some(shared) = support::shared() else {
        return;
    };
    let db = database(&rows(&shared));
    let catalog = Catalog::embedded();
    let host = host_of(&[("systeminfo.txt", systeminfo(&[5073697]))]);
    let e = expose(&host, &db);
    for c in &e.cves {
        for kb in &c.fixed_by() {
            let kb: u32 = kb.0;
            assert!(
                !catalog.update(kb).is_some_and(|u| u.is_os_security()),
                "{} is fixed by {kb}, a rollup-era update",
                c.id
            );
        }
    }
    // The same host a month behind is open to January 2026's CVEs.
    let behind = host_of(&[("systeminfo.txt", systeminfo(&[5071504]))]);
    let e2 = expose(&behind, &db);
    assert!(e2
        .cves
        .iter()
        .any(|c| c.fixed_by().iter().any(|k| k.to_string() == "KB5073697")));
    assert!(e2.counts.open > e.counts.open);
}

#[test]
fn without_an_update_list_only_rollup_era_fixes_are_decided_by_the_kernel() {
    let Some(shared) = support::shared() else {
        return;
    };
    let db = database(&rows(&shared));
    // A registry capture alone: kernel revision 6003.21481 (May 2022).
    let reg = "\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\r\n    \
               ProductName    REG_SZ    Windows Server (R) 2008 Standard\r\n    \
               CurrentVersion    REG_SZ    6.0\r\n    CurrentBuild    REG_SZ    6003\r\n    \
               CSDVersion    REG_SZ    Service Pack 2\r\n    \
               BuildLabEx    REG_SZ    6003.21481.amd64fre.vistasp2_ldr_escrow.220414-1700\r\n";
    let host = host_of(&[("reg.txt", reg.to_string())]);
    let e = expose(&host, &db);
    let catalog = Catalog::embedded();
    assert!(
        e.counts.open > 0 && e.counts.unverified > 0,
        "{:?}",
        e.counts
    );
    for c in &e.cves {
        let rollup_era = c
            .fixed_by()
            .iter()
            .all(|k| catalog.update(k.0).is_some_and(|u| u.is_os_security()));
        match c.status {
            Status::Open => assert!(rollup_era, "{} open without an update list", c.id),
            Status::Unverified => assert!(c.reason.is_some()),
        }
        if c.status == Status::Open {
            assert!(
                c.month.is_some_and(|m| m > "2022-05".parse().unwrap()),
                "{}: {:?}",
                c.id,
                c.month
            );
        }
    }
}

#[test]
fn without_a_database_the_known_exploited_table_is_checked() {
    let catalog = Catalog::embedded();
    let at_final = host_of(&[("systeminfo.txt", systeminfo(&[5073697, 4012598]))]);
    let kev = EmbeddedKev(catalog);
    let e = expose(&at_final, &kev);
    assert_eq!(e.origin, exposure::Origin::EmbeddedKev);
    assert!(e.cves.iter().all(|c| c.kev.is_some()));
    assert!(
        !e.cves.iter().any(|c| c.id == "CVE-2017-0144"),
        "MS17-010 is listed"
    );
    assert!(
        e.cves.iter().all(|c| c.status == Status::Unverified),
        "a final host has only unverifiable pre-rollup entries"
    );
    let old = host_of(&[("systeminfo.txt", systeminfo(&[4489880]))]);
    let e = expose(&old, &kev);
    let open: Vec<_> = e.cves.iter().filter(|c| c.status == Status::Open).collect();
    assert!(!open.is_empty());
    assert!(open
        .iter()
        .all(|c| c.month.is_some_and(|m| m > "2019-03".parse().unwrap())));
    assert!(e.notes.iter().any(|n| n.contains("db import")));
}

fn tiny_db() -> Database {
    let p = Product::parse(X64).unwrap();
    let mut db = Database::new();
    let rec = |cve: &str, kb: u32, sup: &[u32]| Record {
        cve: cve.into(),
        title: format!("{cve} title"),
        product: p.clone(),
        kb: Some(kb),
        supersedes: sup.to_vec(),
        fix_kind: None,
        severity: Severity::Important,
        impact: Some("Remote Code Execution".into()),
        date: Some(date(2020, 1, 14)),
        fixed_build: None,
    };
    db.add(
        FeedDocument {
            kind: Some(FeedKind::CvrfXml),
            identity: "2020-Jan".into(),
            version: "January 2020".into(),
            records: vec![
                rec("CVE-2020-0601", 4534303, &[4530695]),
                rec("CVE-2020-0611", 4534303, &[]),
            ],
            ..FeedDocument::default()
        },
        "2020-Jan.xml",
        "2026-11-23T00:00:00Z",
    )
    .unwrap();
    db
}

#[test]
fn database_round_trips_and_replaces_a_document_by_identity() {
    let mut db = tiny_db();
    let bytes = db.encode();
    let back = Database::decode(Path::new("x.lrdb"), &bytes).unwrap();
    assert_eq!(back.encode(), bytes);
    assert_eq!(back.totals().cves, 2);
    let p = Product::parse(X64).unwrap();
    let summary = db
        .add(
            FeedDocument {
                kind: Some(FeedKind::CvrfXml),
                identity: "2020-Jan".into(),
                version: "January 2020 (revised)".into(),
                records: vec![Record {
                    cve: "CVE-2020-0601".into(),
                    title: String::new(),
                    product: p,
                    kb: Some(4534303),
                    supersedes: vec![],
                    fix_kind: None,
                    severity: Severity::Critical,
                    impact: None,
                    date: None,
                    fixed_build: None,
                }],
                ..FeedDocument::default()
            },
            "2020-Jan.xml",
            "2026-11-24T00:00:00Z",
        )
        .unwrap();
    assert!(summary.replaced);
    assert_eq!(db.sources().len(), 1);
    assert_eq!(db.totals().cves, 1);
    assert_eq!(db.totals().records, 1);
}

#[test]
fn damaged_databases_are_refused_with_the_reason() {
    let bytes = tiny_db().encode();
    let path = Path::new("adv.lrdb");
    assert!(matches!(
        Database::decode(path, b"hello"),
        Err(DbError::NotADatabase { .. })
    ));
    assert!(matches!(
        Database::decode(path, &bytes[..bytes.len() - 3]),
        Err(DbError::Corrupt { .. })
    ));
    let mut flipped = bytes.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 0x55;
    let e = Database::decode(path, &flipped).unwrap_err();
    assert!(e.to_string().contains("checksum"), "{e}");
    let mut newer = bytes.clone();
    newer[8] = 99;
    assert!(matches!(
        Database::decode(path, &newer),
        Err(DbError::Version { found: 99, .. })
    ));
    // Every truncation is an error, never a panic.
    for cut in 0..bytes.len() {
        assert!(Database::decode(path, &bytes[..cut]).is_err());
    }
}

/// `bytes` with the first record row changed by `edit` and the checksum
/// made to match, so that only the table checks can refuse it.
fn with_first_row(bytes: &[u8], edit: impl Fn(&mut [u8])) -> Vec<u8> {
    let mut out = bytes.to_vec();
    let body = 24;
    let meta = u64::from_le_bytes(out[body..body + 8].try_into().unwrap()) as usize;
    let rows = body + 8 + meta;
    assert!(u64::from_le_bytes(out[rows..rows + 8].try_into().unwrap()) > 0);
    edit(&mut out[rows + 8..rows + 8 + 26]);
    let crc = crc32fast::hash(&out[body..]);
    out[20..24].copy_from_slice(&crc.to_le_bytes());
    out
}

#[test]
fn rows_pointing_outside_their_tables_are_refused() {
    let bytes = tiny_db().encode();
    let path = Path::new("adv.lrdb");
    // Unchanged, re-checksummed: still opens.
    assert!(Database::decode(path, &with_first_row(&bytes, |_| {})).is_ok());
    let refused = |edit: &dyn Fn(&mut [u8]), why: &str| {
        let e = Database::decode(path, &with_first_row(&bytes, edit)).unwrap_err();
        assert!(e.to_string().contains(why), "{e}");
    };
    let outside = "points outside its tables";
    refused(
        &|r| r[0..4].copy_from_slice(&u32::MAX.to_le_bytes()),
        outside,
    );
    refused(
        &|r| r[0..4].copy_from_slice(&1000u32.to_le_bytes()),
        outside,
    );
    refused(&|r| r[4..6].copy_from_slice(&500u16.to_le_bytes()), outside);
    refused(&|r| r[6..8].copy_from_slice(&7u16.to_le_bytes()), outside);
    refused(
        &|r| r[14..18].copy_from_slice(&900u32.to_le_bytes()),
        outside,
    );
    refused(
        &|r| r[18..22].copy_from_slice(&(u32::MAX - 1).to_le_bytes()),
        outside,
    );
    refused(&|r| r[12] = 5, "unknown severity");
    refused(&|r| r[13] = 7, "unknown severity");
    // "No impact" and "no build" are in range.
    let none = with_first_row(&bytes, |r| {
        r[14..18].copy_from_slice(&u32::MAX.to_le_bytes());
        r[18..22].copy_from_slice(&u32::MAX.to_le_bytes());
    });
    assert!(Database::decode(path, &none).is_ok());
}

#[test]
fn save_replaces_the_file_whole() {
    let dir = std::env::temp_dir().join(format!("lastrollup-db-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let path = dir.join("sub/advisories.lrdb");
    let db = tiny_db();
    db.save(&path).unwrap();
    assert_eq!(Database::open(&path).unwrap().encode(), db.encode());
    let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() != "advisories.lrdb")
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    // A save that cannot write leaves the old file.
    let blocked = dir.join("blocked");
    std::fs::create_dir_all(blocked.join("advisories.lrdb")).unwrap();
    assert!(db.save(&blocked.join("advisories.lrdb")).is_err());
    std::fs::remove_dir_all(&dir).unwrap();
}
