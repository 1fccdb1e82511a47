//! `catalog/payloads.toml` against the research facts
//! (`../shared/facts/offline/catalog-files.csv`, `catalog-sha256.csv`):
//! every file row agrees with a CSV row, every CSV row of an update in the
//! catalog is there, the SHA-256 values are the CSV's, low-confidence rows are
//! never expected; and the build-time checks reject a broken file.

mod support;

use std::collections::{BTreeSet, HashMap};

use lastrollup::catalog::{Catalog, CatalogName, FileUse, PayloadStatus, EMBEDDED};
use lastrollup::host::Arch;

fn catalog() -> &'static Catalog {
    Catalog::embedded()
}

type Row = HashMap<String, String>;

/// The CSV rows keyed by (kb, arch, file name).
fn rows_by_name(rows: &[Row]) -> HashMap<(u32, String, String), &Row> {
    rows.iter()
        .map(|r| {
            let kb: u32 = r["kb"].parse().unwrap();
            ((kb, r["arch"].clone(), r["filename"].clone()), r)
        })
        .collect()
}

#[test]
fn every_file_agrees_with_the_facts_and_every_fact_row_is_there() {
    let Some(shared) = support::shared() else {
        return;
    };
    let dir = shared.join("facts/offline");
    let rows = support::csv_rows(&dir.join("catalog-files.csv"));
    let sha256 = support::csv_rows(&dir.join("catalog-sha256.csv"));
    let by_name = rows_by_name(&rows);
    let sha256_by_name = rows_by_name(&sha256);
    let c = catalog();
    let mut seen = BTreeSet::new();
    for p in &c.payloads {
        for f in &p.file {
            let key = (p.kb, p.arch.to_string(), f.name.clone());
            let row = by_name
                .get(&key)
                .unwrap_or_else(|| panic!("{key:?} is not in catalog-files.csv"));
            assert_eq!(
                f.sha1.as_deref().unwrap_or(""),
                row["sha1_from_name"],
                "{key:?}"
            );
            assert_eq!(f.url.as_deref().unwrap_or(""), row["url"], "{key:?}");
            let sources: Vec<&str> = row["source"].split('|').map(str::trim).collect();
            assert_eq!(f.sources, sources, "{key:?}");
            let low = row["source"].contains("code-index");
            assert_eq!(low, f.role == FileUse::Unconfirmed, "{key:?}");
            let want256 = sha256_by_name.get(&key).map(|r| r["sha256"].as_str());
            assert_eq!(f.sha256.as_deref(), want256, "{key:?}");
            seen.insert(key);
        }
    }
    // Every row of an update the catalog knows is listed.
    for r in &rows {
        let kb: u32 = r["kb"].parse().unwrap();
        if c.update(kb).is_some() {
            let key = (kb, r["arch"].clone(), r["filename"].clone());
            assert!(seen.contains(&key), "{key:?} is missing from payloads.toml");
        }
    }
    // Every SHA-256 of an update the catalog knows is used.
    for r in &sha256 {
        let kb: u32 = r["kb"].parse().unwrap();
        if c.update(kb).is_some() {
            let key = (kb, r["arch"].clone(), r["filename"].clone());
            assert!(seen.contains(&key), "sha256 of {key:?} unused");
        }
    }
    assert!(seen.len() >= 70, "{} files", seen.len());
}

#[test]
fn every_update_has_an_entry_per_architecture() {
    let c = catalog();
    for u in &c.updates {
        for a in &u.arch {
            let p = c
                .payload(u.kb, *a)
                .unwrap_or_else(|| panic!("KB{} {a}: no payload entry", u.kb));
            match p.status {
                PayloadStatus::Known => assert!(p.expected().is_some()),
                PayloadStatus::Unknown => assert!(p.file.is_empty()),
                PayloadStatus::Unconfirmed => {
                    assert!(p.expected().is_none() && !p.file.is_empty())
                }
            }
        }
    }
    assert_eq!(
        c.payloads.len(),
        c.updates.iter().map(|u| u.arch.len()).sum::<usize>()
    );
}

#[test]
fn names_digests_and_choices_hold() {
    let c = catalog();
    for p in &c.payloads {
        for f in &p.file {
            if let Some(n) = CatalogName::parse(&f.name) {
                assert_eq!((n.kb, n.arch), (p.kb, p.arch), "{}", f.name);
                assert_eq!(Some(&n.sha1), f.sha1.as_ref(), "{}", f.name);
            }
        }
        if let Some(e) = p.expected() {
            // What a kit expects is a catalog name installable as shipped.
            let n = CatalogName::parse(&e.name).unwrap();
            assert!(n.extension != "cab", "{}", e.name);
        }
    }
    // The reviewed choices: the all-language service packs, the .msu forms.
    let name = |kb, arch| {
        c.payload(kb, arch)
            .and_then(|p| p.expected())
            .map(|f| f.name.as_str())
    };
    assert_eq!(
        name(948465, Arch::X64),
        Some("windows6.0-kb948465-x64_2eedca0bfa5ae8d1b0acf2117ddc4f15ac5183c9.exe")
    );
    assert_eq!(
        name(4493730, Arch::X86),
        Some("windows6.0-kb4493730-x86_ab4368f19db796680ff445a7769886c4cdc009a0.msu")
    );
    assert_eq!(
        name(4474419, Arch::X64),
        Some("windows6.0-kb4474419-v4-x64_09cb148f6ef10779d7352b7269d66a7f23019207.msu")
    );
    // Code-index-only names are not expected.
    assert_eq!(
        c.payload(4580971, Arch::X64).unwrap().status,
        PayloadStatus::Unconfirmed
    );
    assert_eq!(
        c.payload(4517134, Arch::X64).unwrap().status,
        PayloadStatus::Unconfirmed
    );
    // The final rollup's name is not public.
    assert_eq!(
        c.payload(5073697, Arch::X64).unwrap().status,
        PayloadStatus::Unknown
    );
}

#[test]
fn broken_payload_files_are_rejected() {
    let cases = [
        // SHA-1 field that is not the name's digest.
        (
            "sha1 = \"5cb91f4e9000383f061b80f88feffdf228c2443c\"",
            "sha1 = \"5cb91f4e9000383f061b80f88feffdf228c2443d\"",
            "not the digest in the name",
        ),
        // Upper-case hex.
        (
            "sha256 = \"bc8e2a4b663b41fdb4b154a2398c1c5e72ca6ac5651cb421152c344fb08a829e\"",
            "sha256 = \"BC8E2A4B663B41FDB4B154A2398C1C5E72CA6AC5651CB421152C344FB08A829E\"",
            "64 lower-case hex",
        ),
        // Short SHA-256.
        (
            "sha256 = \"bc8e2a4b663b41fdb4b154a2398c1c5e72ca6ac5651cb421152c344fb08a829e\"",
            "sha256 = \"bc8e2a4b\"",
            "64 lower-case hex",
        ),
        // An architecture the update is not offered for.
        (
            "kb = 5073697\narch = \"x64\"",
            "kb = 5073697\narch = \"ia64\"",
            "no such update",
        ),
        // A status that says unknown where a file is expected.
        (
            "kb = 4493730\narch = \"x64\"\nstatus = \"known\"",
            "kb = 4493730\narch = \"x64\"\nstatus = \"unknown\"",
            "does not match",
        ),
        // A name of another architecture.
        (
            "name = \"windows6.0-kb4493730-x64_5cb91f4e9000383f061b80f88feffdf228c2443c.msu\"",
            "name = \"windows6.0-kb4493730-x86_5cb91f4e9000383f061b80f88feffdf228c2443c.msu\"",
            "names KB4493730 x86",
        ),
        // A path instead of a name.
        (
            "name = \"windows6.0-kb4493730-x64_5cb91f4e9000383f061b80f88feffdf228c2443c.msu\"",
            "name = \"../windows6.0-kb4493730-x64_5cb91f4e9000383f061b80f88feffdf228c2443c.msu\"",
            "not a plain file name",
        ),
    ];
    for (from, to, message) in cases {
        let text = EMBEDDED.payloads.replacen(from, to, 1);
        assert_ne!(
            text, EMBEDDED.payloads,
            "the case must change the file: {from}"
        );
        let e = Catalog::parse(lastrollup::catalog::CatalogSources {
            payloads: &text,
            ..EMBEDDED
        })
        .unwrap_err();
        assert_eq!(e.file, "payloads.toml");
        assert!(e.message.contains(message), "{to}: {e}");
    }
    // An entry removed: the update has none on that architecture.
    let at = EMBEDDED.payloads.find("[[payload]]\nkb = 5073697").unwrap();
    let removed = format!(
        "{}{}",
        &EMBEDDED.payloads[..at],
        &EMBEDDED.payloads[at + "[[payload]]\n".len()..]
            .split_once("[[payload]]")
            .map(|(_, rest)| format!("[[payload]]{rest}"))
            .unwrap()
    );
    let e = Catalog::parse(lastrollup::catalog::CatalogSources {
        payloads: &removed,
        ..EMBEDDED
    })
    .unwrap_err();
    assert!(e.message.contains("KB5073697 x86: no entry"), "{e}");
}
