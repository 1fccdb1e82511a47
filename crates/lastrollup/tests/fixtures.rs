//! Every fixture the project wrote is read and identified as its folder's
//! EXPECTED.csv says. An empty cell means the value must be unknown.

mod support;

use lastrollup::evidence::{text, TextEncoding};
use lastrollup::host;

fn check_folder(folder: &str) -> usize {
    let dir = support::fixtures().join(folder);
    let rows = support::csv_rows(&dir.join("EXPECTED.csv"));
    assert!(!rows.is_empty(), "{folder}/EXPECTED.csv has no rows");
    let mut failures = Vec::new();
    for row in &rows {
        let file = &row["file"];
        let path = dir.join(file);
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let ev = support::read(&path, file);
        let hosts = host::identify(std::slice::from_ref(&ev));
        let h = support::host(&hosts, &row["host"]);
        let mut check = |what: &str, got: String, want: &str| {
            if got != want {
                failures.push(format!(
                    "{folder}/{file} [{}] {what}: got {got:?}, want {want:?}",
                    row["host"]
                ));
            }
        };
        // A pure-ASCII file cannot say which single-byte code page wrote it,
        // nor can bytes that read the same in two code pages (ó is 0xA2 in
        // both cp437 and cp850): then the text must be the same.
        let same_text = |want: &str| {
            let (Some(a), TextEncoding::CodePage(b)) = (
                want.strip_prefix("cp").and_then(|n| n.parse().ok()),
                ev.encoding,
            ) else {
                return false;
            };
            text::decode_code_page(&bytes, a) == text::decode_code_page(&bytes, b)
        };
        if !bytes.is_ascii() && !same_text(&row["encoding"]) {
            check("encoding", ev.encoding.name(), &row["encoding"]);
        }
        let lang = ev
            .records
            .iter()
            .find_map(|r| r.language.clone())
            .unwrap_or_default();
        check("language", lang, &row["language"]);
        check("family", support::text(&h.os.family), &row["family"]);
        check("edition", support::text(&h.os.edition), &row["edition"]);
        check("arch", support::text(&h.os.arch), &row["arch"]);
        check("build", support::text(&h.os.build), &row["build"]);
        let sp =
            h.os.service_pack
                .as_ref()
                .map(|s| format!("SP{}", s.value))
                .unwrap_or_default();
        check("service_pack", sp, &row["service_pack"]);
        check("role", support::text(&h.role), &row["role"]);
        check(
            "locale",
            support::text(&h.locale),
            &row["locale"].to_lowercase(),
        );
        check(
            "hotfix_count",
            h.updates.len().to_string(),
            &row["hotfix_count"],
        );
        if !row["build"].is_empty() {
            check("nt_version", support::text(&h.os.nt_version), "6.0");
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
    rows.len()
}

#[test]
fn systeminfo_fixtures_every_language_and_layout() {
    assert!(check_folder("systeminfo") >= 30);
}

#[test]
fn qfe_and_get_hotfix_fixtures() {
    check_folder("qfe");
}

#[test]
fn wmic_os_fixtures() {
    check_folder("wmic_os");
}

#[test]
fn registry_fixtures() {
    check_folder("registry");
}

#[test]
fn version_string_fixtures() {
    check_folder("version_strings");
}

#[test]
fn one_host_from_three_files_keeps_the_disagreement() {
    let hosts = host::identify(&support::srv_hist01());
    assert_eq!(hosts.len(), 1, "three files of SRV-HIST01 are one host");
    let h = &hosts[0];
    assert_eq!(h.os.build.as_ref().map(|b| b.value), Some(6003));
    assert_eq!(h.os.revision.as_ref().map(|b| b.value), Some(20489));
    assert_eq!(h.updates.len(), 3);
    assert_eq!(
        h.updates[0].sources.len(),
        2,
        "KB955430 is listed by systeminfo and qfe"
    );
    let f = h
        .findings
        .iter()
        .find(|f| f.id == "sources-disagree")
        .expect("build disagreement finding");
    assert!(
        f.message.contains("6003") && f.message.contains("6002"),
        "{}",
        f.message
    );
    assert_eq!(f.sources.len(), 2);
    assert!(
        f.sources.iter().any(|s| s.starts_with("systeminfo.txt:4")),
        "{:?}",
        f.sources
    );
}

#[test]
fn unnamed_files_join_the_only_named_host() {
    let fx = support::fixtures();
    let files = vec![
        support::read(
            &fx.join("hosts/srv-hist01/systeminfo.txt"),
            "systeminfo.txt",
        ),
        support::read(
            &fx.join("version_strings/ntoskrnl_wmic_datafile.txt"),
            "kernel.txt",
        ),
    ];
    let hosts = host::identify(&files);
    assert_eq!(hosts.len(), 1);
    assert_eq!(hosts[0].os.revision.as_ref().map(|r| r.value), Some(22715));
}

#[test]
fn unnamed_files_among_several_hosts_stay_apart() {
    let fx = support::fixtures();
    let files = vec![
        support::read(
            &fx.join("qfe/wmic_qfe_csv_two_hosts_utf16le.txt"),
            "fleet.txt",
        ),
        support::read(
            &fx.join("version_strings/ver_banner_es_cp850.txt"),
            "ver.txt",
        ),
    ];
    let hosts = host::identify(&files);
    assert_eq!(hosts.len(), 3);
    let unnamed = support::host(&hosts, "");
    assert!(unnamed.findings.iter().any(|f| f.id == "host-unattributed"));
}

#[test]
fn unknown_language_is_read_by_the_shape_of_the_values() {
    // The English fixture with every label replaced by a word of no known
    // language, padded as systeminfo pads: the version line, system type,
    // locale, hotfix items and the host name (first field) are still found.
    let path = support::fixtures().join("systeminfo/en_srv2008_standard_x64_6003_utf16le.txt");
    let bytes = std::fs::read(path).unwrap();
    let (text, _) = text::decode(&bytes, &|_| None);
    let mut n = 0;
    let relabelled: String = text
        .lines()
        .map(|l| {
            if l.starts_with(' ') || !l.contains(": ") {
                return format!("{l}\r\n");
            }
            // "OS Version:" etc. → "Qwzx07:" at the same value column.
            let col = l.find(": ").unwrap();
            let value_start = col + 1 + l[col + 1..].len() - l[col + 1..].trim_start().len();
            n += 1;
            let label = format!("Qwzx{n:02}:");
            format!("{label:<value_start$}{}\r\n", &l[value_start..])
        })
        .collect();
    let ev = lastrollup::evidence::read_file("xx.txt", relabelled.as_bytes()).unwrap();
    assert_eq!(ev.records[0].language, None);
    let hosts = host::identify(&[ev]);
    let h = &hosts[0];
    assert_eq!(support::text(&h.name), "APPSRV07");
    assert_eq!(support::text(&h.os.build), "6003");
    assert_eq!(support::text(&h.os.family), "windows-server-2008");
    assert_eq!(support::text(&h.os.arch), "x64");
    assert_eq!(support::text(&h.locale), "en-us");
    assert_eq!(h.updates.len(), 9);
    // Every essential field was found by shape (the role by its value), so
    // nothing is reported unread.
    assert!(
        h.findings.iter().all(|f| f.id != "fields-unread"),
        "{:?}",
        h.findings
    );
    assert_eq!(support::text(&h.role), "member-server");
}
