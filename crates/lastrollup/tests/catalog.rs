//! The catalog against the research facts (`../shared/facts`) and the real
//! MSRC data (`../shared/data`): every KB of the facts is in the catalog with
//! the same date, kind, month and build; lifecycle dates match; every
//! Windows Server 2008 SP2 fix in the MSRC CVRF documents is in the catalog
//! with the same kind, fixed build and supersedence; architectures follow
//! the MSRC product rows.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use lastrollup::catalog::{Catalog, Release, UpdateKind};
use lastrollup::host::Arch;
use quick_xml::events::Event;
use quick_xml::Reader;

fn catalog() -> &'static Catalog {
    Catalog::embedded()
}

#[test]
fn embedded_catalog_is_valid() {
    let c = catalog();
    assert!(c.updates.len() > 200);
    let p = c.product("windows-server-2008-sp2").unwrap();
    assert_eq!(p.final_update.get(&Arch::X64), Some(&5073697));
    assert_eq!(p.final_update.get(&Arch::X86), Some(&5073697));
    assert_eq!(p.without_esu.get(&Arch::X64), Some(&4534303));
}

#[test]
fn broken_catalogs_are_rejected() {
    use lastrollup::catalog::EMBEDDED;
    let dup = format!(
        "{}\n{}",
        EMBEDDED.updates,
        &EMBEDDED.updates[EMBEDDED.updates.find("[[update]]").unwrap()..]
    );
    let e = Catalog::parse(lastrollup::catalog::CatalogSources {
        updates: &dup,
        ..EMBEDDED
    })
    .unwrap_err();
    assert!(e.to_string().contains("listed twice"), "{e}");
    let bad_phase = EMBEDDED
        .updates
        .replacen("phase = \"extended\"", "phase = \"eternal\"", 1);
    assert!(Catalog::parse(lastrollup::catalog::CatalogSources {
        updates: &bad_phase,
        ..EMBEDDED
    })
    .is_err());
    let gap = EMBEDDED
        .lifecycle
        .replacen("first = \"2021-01-13\"", "first = \"2021-01-20\"", 1);
    assert_ne!(
        gap, EMBEDDED.lifecycle,
        "the test must change a phase start"
    );
    assert!(Catalog::parse(lastrollup::catalog::CatalogSources {
        lifecycle: &gap,
        ..EMBEDDED
    })
    .is_err());
    // A servicing stack version below an earlier SSU's, and an SSU that
    // supersedes something other than an earlier SSU.
    let low_stack = EMBEDDED.updates.replacen(
        "stack_version = \"6.0.6003.21569\"",
        "stack_version = \"6.0.6003.20000\"",
        1,
    );
    assert_ne!(
        low_stack, EMBEDDED.updates,
        "the test must change a stack version"
    );
    let e = Catalog::parse(lastrollup::catalog::CatalogSources {
        updates: &low_stack,
        ..EMBEDDED
    })
    .unwrap_err();
    assert!(e.to_string().contains("stack_version"), "{e}");
    let odd = EMBEDDED
        .updates
        .replacen("supersedes = [4580971]", "supersedes = [4580378]", 1);
    assert_ne!(
        odd, EMBEDDED.updates,
        "the test must change an SSU's supersedes"
    );
    let e = Catalog::parse(lastrollup::catalog::CatalogSources {
        updates: &odd,
        ..EMBEDDED
    })
    .unwrap_err();
    assert!(e.to_string().contains("only earlier SSUs"), "{e}");
}

#[test]
fn every_fact_kb_is_in_the_catalog_with_the_same_date_kind_and_build() {
    let Some(shared) = support::shared() else {
        return;
    };
    let rows = support::csv_rows(&shared.join("facts/servicing-2008sp2.csv"));
    assert!(rows.len() >= 205, "the facts have {} rows", rows.len());
    let c = catalog();
    let mut problems = Vec::new();
    for r in &rows {
        let kb: u32 = r["kb"].parse().unwrap();
        let Some(u) = c.update(kb) else {
            problems.push(format!("KB{kb} missing"));
            continue;
        };
        let kind_ok = match r["kind"].as_str() {
            "other_prereq" => matches!(u.kind, UpdateKind::Sha2 | UpdateKind::EsuPrep),
            k => u.kind.name() == k,
        };
        if !kind_ok {
            problems.push(format!("KB{kb}: kind {} vs facts {}", u.kind, r["kind"]));
        }
        let released = u.released.map(|d| d.to_string()).unwrap_or_default();
        if released != r["release_date"] {
            problems.push(format!(
                "KB{kb}: released {released:?} vs facts {:?}",
                r["release_date"]
            ));
        }
        if u.month.to_string() != r["month"] {
            problems.push(format!("KB{kb}: month {} vs facts {}", u.month, r["month"]));
        }
        if u.revision.clone().unwrap_or_default() != r["kernel_or_file_revision"] {
            problems.push(format!(
                "KB{kb}: revision {:?} vs facts {:?}",
                u.revision, r["kernel_or_file_revision"]
            ));
        }
        if !u.products.iter().any(|p| p == "windows-server-2008-sp2") {
            problems.push(format!("KB{kb}: not for Windows Server 2008 SP2"));
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// Finds the date in the row of a Markdown table whose first cell starts with `label`.
fn md_row<'a>(md: &'a str, label: &str) -> &'a str {
    md.lines()
        .find(|l| l.trim_start_matches('|').trim_start().starts_with(label))
        .unwrap_or_else(|| panic!("no row {label:?} in lifecycle.md"))
}

#[test]
fn lifecycle_dates_match_the_facts() {
    let Some(shared) = support::shared() else {
        return;
    };
    let md = std::fs::read_to_string(shared.join("facts/lifecycle.md")).unwrap();
    let (server, vista) = md.split_once("## Windows Vista").expect("a Vista section");
    let c = catalog();
    let checks = [
        (
            "windows-server-2008",
            "extended",
            "End of extended support",
            server,
        ),
        ("windows-server-2008", "esu-1", "ESU year 1 ends", server),
        ("windows-server-2008", "esu-2", "ESU year 2 ends", server),
        ("windows-server-2008", "esu-3", "ESU year 3 ends", server),
        (
            "windows-server-2008",
            "azure-esu-4",
            "Azure-only ESU year 4",
            server,
        ),
        (
            "windows-server-2008",
            "premium-assurance",
            "Premium Assurance end",
            server,
        ),
        (
            "windows-vista",
            "extended",
            "End of extended support",
            vista,
        ),
        (
            "windows-vista",
            "mainstream",
            "End of mainstream support",
            vista,
        ),
    ];
    for (family, phase, label, section) in checks {
        let p = c
            .phases(family)
            .into_iter()
            .find(|p| p.id == phase)
            .unwrap_or_else(|| panic!("{family} {phase}"));
        let row = md_row(section, label);
        assert!(
            row.contains(&p.last.to_string()),
            "{family} {phase} ends {} but the facts say: {row}",
            p.last
        );
    }
    // Server 2008's last phase ends on the day of the last update.
    let last = c.phases("windows-server-2008").last().unwrap().last;
    assert_eq!(c.update(5073697).unwrap().released, Some(last));
}

/// The Vendor Fix remediations of Windows Server 2008 SP2 products in a CVRF document.
#[derive(Debug, Default)]
struct Fix {
    sub_type: String,
    fixed_builds: BTreeSet<String>,
    supersedes: BTreeSet<u32>,
}

fn cvrf_fixes(path: &Path) -> BTreeMap<u32, Fix> {
    let xml = std::fs::read_to_string(path).unwrap();
    let mut reader = Reader::from_str(&xml);
    reader.config_mut().trim_text(true);
    let mut products: BTreeMap<String, String> = BTreeMap::new();
    let mut path_stack: Vec<String> = Vec::new();
    let mut product_id = String::new();
    // The current remediation.
    let mut rem: Option<(String, BTreeMap<&'static str, Vec<String>>)> = None;
    let mut out: BTreeMap<u32, Fix> = BTreeMap::new();
    let mut remediations = Vec::new();
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                if name == "FullProductName" {
                    product_id = e
                        .try_get_attribute("ProductID")
                        .unwrap()
                        .map(|a| a.unescape_value().unwrap().into_owned())
                        .unwrap_or_default();
                }
                if name == "Remediation" {
                    let t = e
                        .try_get_attribute("Type")
                        .unwrap()
                        .map(|a| a.unescape_value().unwrap().into_owned())
                        .unwrap_or_default();
                    rem = Some((t, BTreeMap::new()));
                }
                path_stack.push(name);
            }
            Event::Text(t) => {
                let raw = t.decode().unwrap();
                let text = quick_xml::escape::unescape(&raw).unwrap().into_owned();
                match path_stack.last().map(String::as_str) {
                    Some("FullProductName") => {
                        products.insert(product_id.clone(), text);
                    }
                    Some(
                        field @ ("Description" | "Supercedence" | "ProductID" | "SubType"
                        | "FixedBuild"),
                    ) => {
                        if let Some((_, fields)) = rem.as_mut() {
                            let key: &'static str = match field {
                                "Description" => "kb",
                                "Supercedence" => "supersedes",
                                "ProductID" => "product",
                                "SubType" => "subtype",
                                _ => "fixed",
                            };
                            fields.entry(key).or_default().push(text);
                        }
                    }
                    _ => {}
                }
            }
            Event::End(_) if path_stack.pop().as_deref() == Some("Remediation") => {
                if let Some(r) = rem.take() {
                    remediations.push(r);
                }
            }
            Event::End(_) => {}
            Event::Eof => break,
            _ => {}
        }
    }
    for (t, fields) in remediations {
        if t != "Vendor Fix" {
            continue;
        }
        let for_2008_sp2 = fields.get("product").into_iter().flatten().any(|id| {
            products.get(id).is_some_and(|n| {
                n.starts_with("Windows Server 2008 for") && n.contains("Service Pack 2")
            })
        });
        let Some(kb) = fields
            .get("kb")
            .and_then(|v| v.first())
            .and_then(|k| k.parse::<u32>().ok())
        else {
            continue;
        };
        if !for_2008_sp2 {
            continue;
        }
        let fix = out.entry(kb).or_default();
        if let Some(s) = fields.get("subtype").and_then(|v| v.first()) {
            fix.sub_type = s.clone();
        }
        fix.fixed_builds
            .extend(fields.get("fixed").into_iter().flatten().cloned());
        for s in fields.get("supersedes").into_iter().flatten() {
            fix.supersedes.extend(
                s.split([';', ','])
                    .filter_map(|k| k.trim().parse::<u32>().ok()),
            );
        }
    }
    out
}

#[test]
fn msrc_cvrf_fixes_match_the_catalog() {
    let Some(shared) = support::shared() else {
        return;
    };
    let c = catalog();
    let mut seen = 0;
    for doc in ["2022-May.xml", "2026-Jan.xml"] {
        let fixes = cvrf_fixes(&shared.join("data/msrc-cvrf").join(doc));
        assert!(
            !fixes.is_empty(),
            "{doc}: no Windows Server 2008 SP2 fix found"
        );
        for (kb, fix) in &fixes {
            let kind = match fix.sub_type.as_str() {
                "Monthly Rollup" => UpdateKind::MonthlyRollup,
                "Security Only" => UpdateKind::SecurityOnly,
                "IE Cumulative" => UpdateKind::IeCumulative,
                "Servicing Stack Update" | "ServicingStackUpdate" => UpdateKind::Ssu,
                // Standalone security updates (.NET, components) are not baseline updates.
                _ => continue,
            };
            let u = c.update(*kb).unwrap_or_else(|| {
                panic!("{doc}: KB{kb} ({}) is not in the catalog", fix.sub_type)
            });
            assert_eq!(u.kind, kind, "{doc}: KB{kb}");
            if matches!(kind, UpdateKind::MonthlyRollup | UpdateKind::SecurityOnly)
                && !fix.fixed_builds.is_empty()
            {
                let rev = u.revision.clone().unwrap_or_default();
                assert!(
                    fix.fixed_builds.contains(&rev),
                    "{doc}: KB{kb} revision {rev} vs MSRC {:?}",
                    fix.fixed_builds
                );
            }
            for s in &fix.supersedes {
                assert!(
                    u.supersedes.contains(s),
                    "{doc}: MSRC says KB{kb} supersedes KB{s}; the catalog does not"
                );
            }
            seen += 1;
        }
    }
    assert!(seen >= 4, "only {seen} fixes compared");
    // The two documents' Server 2008 SP2 pairs.
    let may = c.update(5014010).unwrap();
    assert_eq!(
        (may.kind, may.revision.as_deref()),
        (UpdateKind::MonthlyRollup, Some("6.0.6003.21481"))
    );
    assert_eq!(c.update(5073697).unwrap().supersedes, [5071504]);
}

#[test]
fn architectures_follow_the_msrc_rows() {
    let Some(shared) = support::shared() else {
        return;
    };
    let rows = support::csv_rows(&shared.join("data/msrc-nt60.csv"));
    let mut arch_of: BTreeMap<u32, BTreeSet<Arch>> = BTreeMap::new();
    for r in &rows {
        let product = r["AffectedProduct"].as_str();
        if !product.starts_with("Windows Server 2008 for") || !product.contains("Service Pack 2") {
            continue;
        }
        let Ok(kb) = r["BulletinKB"].parse::<u32>() else {
            continue;
        };
        let arch = if product.contains("Itanium") {
            Arch::Ia64
        } else if product.contains("x64") {
            Arch::X64
        } else {
            Arch::X86
        };
        arch_of.entry(kb).or_default().insert(arch);
    }
    let c = catalog();
    let mut checked = 0;
    for u in c
        .updates
        .iter()
        .filter(|u| u.is_os_security() && u.release != Release::Preview)
    {
        let Some(seen) = arch_of.get(&u.kb) else {
            continue;
        };
        // MSRC rows list every architecture the update exists for, except
        // that Itanium rows stop with January 2020.
        for a in seen {
            assert!(
                u.arch.contains(a),
                "KB{}: MSRC lists {a}, the catalog does not",
                u.kb
            );
        }
        if !seen.contains(&Arch::Ia64) {
            assert!(
                !u.arch.contains(&Arch::Ia64) || u.month <= "2020-01".parse().unwrap(),
                "KB{}: ia64 without MSRC rows",
                u.kb
            );
        }
        checked += 1;
    }
    assert!(
        checked > 150,
        "only {checked} updates compared with MSRC rows"
    );
    // No rollup or security-only update for Itanium after January 2020.
    let ia64_after = c
        .updates
        .iter()
        .filter(|u| {
            u.is_os_security()
                && u.arch.contains(&Arch::Ia64)
                && u.month > "2020-01".parse().unwrap()
        })
        .count();
    assert_eq!(ia64_after, 0);
}

#[test]
fn kernel_tolerance_never_blurs_two_months() {
    use lastrollup::assess::kernel::TOLERANCE;
    let c = catalog();
    let mut pt: Vec<_> = c
        .updates
        .iter()
        .filter(|u| u.kind == UpdateKind::MonthlyRollup && u.release == Release::PatchTuesday)
        .filter_map(|u| u.build_revision().map(|r| (u.month, r, u.revision_basis)))
        .collect();
    pt.sort_by_key(|x| (x.0, x.1));
    for w in pt.windows(2) {
        let ((m0, r0, _), (m1, r1, basis)) = (w[0], w[1]);
        // The tolerance applies below MSRC fixed builds only.
        if r0.build == r1.build
            && basis == Some(lastrollup::catalog::updates::RevisionBasis::FixedBuild)
        {
            assert!(
                r1.revision > r0.revision + TOLERANCE,
                "{m0} {r0} and {m1} {r1} are within the tolerance"
            );
        }
    }
}

#[test]
fn error_codes_match_their_decimal_forms() {
    for e in &catalog().errors {
        let Some(code) = lastrollup::catalog::errors::parse_code(&e.code) else {
            continue;
        };
        for a in &e.aliases {
            if let Some(n) = lastrollup::catalog::errors::parse_code(a) {
                assert_eq!(n, code, "{}: alias {a}", e.code);
            }
        }
    }
    let c = catalog();
    assert_eq!(c.error_code("-2146885628").unwrap().code, "0x80092004");
    assert_eq!(
        c.error_code("0X80092004").unwrap().name,
        "CRYPT_E_NOT_FOUND"
    );
    assert_eq!(
        c.error_code("crypt_e_not_found").unwrap().code,
        "0x80092004"
    );
}

/// `kev.toml` against its sources, recomputed here: every KEV CVE named for an
/// NT 6.0 SP2 product (or a component on one) in the wesng rows is listed,
/// with the families, component, fixing KBs, month and KEV facts the data
/// gives, and nothing else is listed.
#[test]
fn kev_table_matches_shared_data() {
    let Some(shared) = support::shared() else {
        return;
    };
    let kev: serde_json::Value = serde_json::from_slice(
        &std::fs::read(shared.join("data/kev/known_exploited_vulnerabilities.json")).unwrap(),
    )
    .unwrap();
    let kev: BTreeMap<String, (String, bool)> = kev["vulnerabilities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["cveID"].as_str().unwrap().to_string(),
                (
                    v["dateAdded"].as_str().unwrap().to_string(),
                    v["knownRansomwareCampaignUse"] == "Known",
                ),
            )
        })
        .collect();
    #[derive(Default)]
    struct Expect {
        families: BTreeSet<&'static str>,
        os_row: bool,
        components: BTreeSet<String>,
        kbs: BTreeSet<u32>,
        severity: lastrollup::advisory::Severity,
    }
    let mut first_posted: BTreeMap<u32, String> = BTreeMap::new();
    let mut expect: BTreeMap<String, Expect> = BTreeMap::new();
    let mut rdr = csv::Reader::from_path(shared.join("data/msrc-nt60.csv")).unwrap();
    for row in rdr.records() {
        let row = row.unwrap();
        let (date, cve, kb, product) = (&row[0], &row[1], row[2].trim(), &row[4]);
        let kb: Option<u32> = kb.parse().ok();
        if let Some(kb) = kb {
            let e = first_posted.entry(kb).or_insert_with(|| date.to_string());
            if date < e.as_str() {
                *e = date.to_string();
            }
        }
        let (component, os) = match product.rsplit_once(" on ") {
            Some((c, os)) => (Some(c), os),
            None => (None, product),
        };
        if !kev.contains_key(cve) || !os.contains("Service Pack 2") || os.contains("R2") {
            continue;
        }
        let e = expect.entry(cve.to_string()).or_default();
        e.families.insert(if os.contains("Vista") {
            "windows-vista"
        } else {
            "windows-server-2008"
        });
        match component {
            Some(c) => {
                e.components.insert(c.to_string());
            }
            None => e.os_row = true,
        }
        e.kbs.extend(kb);
        e.severity = e
            .severity
            .max(lastrollup::advisory::Severity::parse(&row[6]));
    }
    let c = catalog();
    let table: BTreeMap<&str, _> = c
        .known_exploited
        .iter()
        .map(|k| (k.id.as_str(), k))
        .collect();
    assert_eq!(
        table.keys().copied().collect::<Vec<_>>(),
        expect.keys().map(String::as_str).collect::<Vec<_>>(),
        "kev.toml lists other CVEs than the data gives"
    );
    assert_eq!(table.len(), 173, "shared/data/README.md counts 173");
    for (id, e) in &expect {
        let k = table[id.as_str()];
        assert_eq!(
            k.families
                .iter()
                .map(String::as_str)
                .collect::<BTreeSet<_>>(),
            e.families,
            "{id}"
        );
        let component =
            (!e.os_row).then(|| e.components.iter().cloned().collect::<Vec<_>>().join(" / "));
        assert_eq!(k.component, component, "{id}");
        assert_eq!(
            k.fixed_by.iter().copied().collect::<BTreeSet<_>>(),
            e.kbs,
            "{id}"
        );
        let month = e
            .kbs
            .iter()
            .filter_map(|kb| match c.update(*kb) {
                Some(u) => Some(u.month.to_string()),
                None => first_posted
                    .get(kb)
                    .map(|d| format!("{}-{}", &d[..4], &d[4..6])),
            })
            .min();
        assert_eq!(k.month.map(|m| m.to_string()), month, "{id}");
        assert_eq!(k.severity, e.severity, "{id}");
        let (added, ransomware) = &kev[id];
        assert_eq!(&k.kev_added.to_string(), added, "{id}");
        assert_eq!(k.ransomware, *ransomware, "{id}");
    }
}

/// The servicing stack updates of Windows Server 2008 SP2, in date order.
fn ssus() -> Vec<&'static lastrollup::catalog::Update> {
    let mut v: Vec<_> = catalog()
        .updates
        .iter()
        .filter(|u| u.kind == UpdateKind::Ssu)
        .collect();
    v.sort_by_key(|u| (u.effective_date(), u.kb));
    v
}

#[test]
fn the_ssu_chain_is_ordered_and_its_stack_versions_rise() {
    let v = ssus();
    assert!(v.len() >= 19, "{} SSUs", v.len());
    let mut last_stack = None;
    for u in &v {
        assert!(
            u.products.iter().any(|p| p == "windows-server-2008-sp2"),
            "{}",
            u.kb_name()
        );
        assert!(!u.sources.is_empty(), "{} has no source", u.kb_name());
        if let Some(s) = u.stack_version.as_deref() {
            let s = lastrollup::catalog::BuildRevision::parse(s).unwrap();
            assert!(
                last_stack < Some(s),
                "{} stack {s} does not rise",
                u.kb_name()
            );
            last_stack = Some(s);
        }
        for kb in &u.supersedes {
            let old = catalog().update(*kb).unwrap();
            assert_eq!(
                old.kind,
                UpdateKind::Ssu,
                "{} supersedes KB{kb}",
                u.kb_name()
            );
            assert!(old.effective_date() < u.effective_date(), "{}", u.kb_name());
        }
    }
    // The plan's SSU rests on Microsoft data: the newest confirmed SSU has a
    // Microsoft source (MSRC, a Microsoft-written script or document).
    let newest = v.iter().rev().find(|u| !u.unverified).unwrap();
    assert!(
        newest
            .sources
            .iter()
            .any(|s| s.starts_with("msrc") || s == "ms-script" || s == "azure-docs"),
        "{}: {:?}",
        newest.kb_name(),
        newest.sources
    );
    // Every unverified SSU says why in its notes.
    for u in v.iter().filter(|u| u.unverified) {
        assert!(
            u.notes.as_deref().is_some_and(|n| !n.is_empty()),
            "{}",
            u.kb_name()
        );
    }
}

#[test]
fn the_facts_ssus_are_confirmed_in_the_catalog() {
    let Some(shared) = support::shared() else {
        return;
    };
    let rows = support::csv_rows(&shared.join("facts/servicing-2008sp2.csv"));
    let facts: Vec<u32> = rows
        .iter()
        .filter(|r| r["kind"] == "ssu")
        .map(|r| r["kb"].parse().unwrap())
        .collect();
    assert!(facts.len() >= 10, "{facts:?}");
    for kb in &facts {
        let u = catalog().update(*kb).unwrap();
        assert!(!u.unverified, "KB{kb} is an SSU of the facts table");
    }
    // The facts' newest SSU is no older than the newest confirmed one.
    let newest_fact = facts
        .iter()
        .filter_map(|kb| catalog().update(*kb))
        .map(|u| u.effective_date())
        .max()
        .unwrap();
    let newest_confirmed = ssus().into_iter().rev().find(|u| !u.unverified).unwrap();
    assert!(
        newest_confirmed.effective_date() <= newest_fact,
        "{} is newer than every SSU of the facts table",
        newest_confirmed.kb_name()
    );
}

#[test]
fn the_ssu_chain_follows_the_offline_research() {
    let Some(shared) = support::shared() else {
        return;
    };
    // NOTES.md: "… gives the SSU chain and the servicing-stack version each one
    // brings: KB4493730 (2019-04, 6.0.6003.20484) → KB4537830 (2020-02) → … ;"
    let notes = std::fs::read_to_string(shared.join("facts/offline/NOTES.md")).unwrap();
    let start = notes
        .find("gives the SSU chain")
        .expect("NOTES.md names the WSUS Offline SSU chain");
    let end = start + notes[start..].find(';').unwrap();
    let chain_text = notes[start..end]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let re = regex::Regex::new(r"KB(\d+) \((\d{4}-\d{2})(?:, (?:6\.0\.6003\.)?(\d+))?\)").unwrap();
    let chain: Vec<(u32, String, Option<String>)> = re
        .captures_iter(&chain_text)
        .map(|c| {
            (
                c[1].parse().unwrap(),
                c[2].to_string(),
                c.get(3).map(|v| format!("6.0.6003.{}", v.as_str())),
            )
        })
        .collect();
    assert!(chain.len() >= 10, "{chain_text}");
    let mut problems = Vec::new();
    let mut previous: Option<&lastrollup::catalog::Update> = None;
    for (kb, month, stack) in &chain {
        let Some(u) = catalog().update(*kb) else {
            problems.push(format!("KB{kb} missing"));
            continue;
        };
        if u.kind != UpdateKind::Ssu {
            problems.push(format!("KB{kb}: kind {}", u.kind));
        }
        if &u.month.to_string() != month {
            problems.push(format!("KB{kb}: month {} vs {month}", u.month));
        }
        if stack.is_some() && &u.stack_version != stack {
            problems.push(format!("KB{kb}: stack {:?} vs {stack:?}", u.stack_version));
        }
        if let Some(p) = previous {
            if p.effective_date() >= u.effective_date() {
                problems.push(format!("KB{kb} is not after {}", p.kb_name()));
            }
            if !catalog().supersedes_closure(*kb).contains(&p.kb) {
                problems.push(format!("KB{kb} does not supersede {}", p.kb_name()));
            }
        }
        previous = Some(u);
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_ssu_download_of_the_offline_research_is_in_the_catalog() {
    let Some(shared) = support::shared() else {
        return;
    };
    let rows = support::csv_rows(&shared.join("facts/offline/catalog-files.csv"));
    let mut problems = Vec::new();
    let mut seen = BTreeSet::new();
    for r in rows.iter().filter(|r| r["kind"] == "ssu") {
        let kb: u32 = r["kb"].parse().unwrap();
        seen.insert(kb);
        let Some(u) = catalog().update(kb) else {
            problems.push(format!("KB{kb} missing"));
            continue;
        };
        if u.kind != UpdateKind::Ssu {
            problems.push(format!("KB{kb}: kind {}", u.kind));
        }
        if !r["month"].is_empty() && u.month.to_string() != r["month"] {
            problems.push(format!("KB{kb}: month {} vs {}", u.month, r["month"]));
        }
        let arch: Arch = match r["arch"].as_str() {
            "x86" => Arch::X86,
            "x64" => Arch::X64,
            "ia64" => Arch::Ia64,
            a => panic!("arch {a}"),
        };
        if !u.arch.contains(&arch) {
            problems.push(format!("KB{kb}: no {arch} in {:?}", u.arch));
        }
    }
    assert!(seen.len() >= 8, "{seen:?}");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
