//! Hostile input: arbitrary bytes, mutated captures, pathological shapes.
//! Nothing may panic; everything is bounded.

mod support;

use lastrollup::evidence::{read_file, MAX_FILE_BYTES};
use lastrollup::host;
use lastrollup::EvidenceErrorKind;
use proptest::prelude::*;

fn all_fixture_bytes() -> Vec<Vec<u8>> {
    let mut folders = support::FORMAT_FOLDERS.to_vec();
    folders.push("hosts/srv-hist01");
    support::fixture_files(&folders)
        .into_iter()
        .map(|(_, p)| std::fs::read(p).unwrap())
        .collect()
}

fn pipeline(bytes: &[u8]) {
    if let Ok(file) = read_file("p.txt", bytes) {
        let hosts = host::identify(&[file]);
        let _ = lastrollup::report::identify::to_json(&lastrollup::report::identify::build(
            &hosts,
            &[],
        ));
        // The assessment and its renderers take whatever identify made of it.
        let options = lastrollup::assess::Options {
            as_of: jiff::civil::date(2026, 11, 23),
            goal: lastrollup::assess::Goal::Final,
        };
        let catalog = lastrollup::catalog::Catalog::embedded();
        let assessments: Vec<_> = lastrollup::assess::assess_all(&hosts, catalog, options);
        let report = lastrollup::report::check::build(
            &hosts,
            &assessments,
            &[],
            options.as_of,
            options.goal,
        );
        let _ = lastrollup::report::check::to_json(&report);
        let _ = lastrollup::report::check::to_markdown(&report);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        pipeline(&bytes);
    }

    #[test]
    fn arbitrary_bundles_never_panic(body in proptest::collection::vec(any::<u8>(), 0..4096), markers in proptest::collection::vec((0usize..4096, 0usize..6), 0..12)) {
        // Arbitrary bytes with bundle markers sprinkled in.
        let mut bytes = b"#lastrollup-bundle 1\r\n".to_vec();
        let mut body = body;
        for (pos, m) in markers {
            let marker: &[u8] = [&b"\r\n#begin systeminfo systeminfo\r\n"[..], b"\r\n#end systeminfo exit=0\r\n", b"\r\n#begin cbs-packages x\r\n", b"\r\n#begin esu x\r\n", b"\r\n#end esu exit=-1\r\n", b"\r\n#computer \r\n"][m];
            let at = pos.min(body.len());
            body.splice(at..at, marker.iter().copied());
        }
        bytes.extend_from_slice(&body);
        pipeline(&bytes);
    }

    #[test]
    fn explain_never_panics(query in ".{0,80}") {
        let _ = lastrollup::explain::explain(&query, lastrollup::catalog::Catalog::embedded());
    }

    #[test]
    fn explain_never_panics_on_version_shapes(a in 0u32..100_000, b in 0u32..100_000, lab in "[a-z0-9_]{0,12}") {
        let c = lastrollup::catalog::Catalog::embedded();
        for q in [format!("6.0.{a}.{b}"), format!("{a}.{b}.amd64fre.{lab}.190320-1700"), format!("KB{a}{b}"), format!("-{a}{b}"), format!("0x{a:x}")] {
            let _ = lastrollup::explain::explain(&q, c);
        }
    }

    #[test]
    fn mutated_fixtures_never_panic(idx in 0usize..64, edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..16), cut in any::<usize>()) {
        let all = all_fixture_bytes();
        let mut bytes = all[idx % all.len()].clone();
        for (pos, b) in edits {
            let n = bytes.len().max(1);
            if !bytes.is_empty() { bytes[pos % n] = b; }
        }
        let cut = cut % (bytes.len() + 1);
        pipeline(&bytes[..cut]);
        pipeline(&bytes);
    }
}

#[test]
fn oversized_input_is_refused_not_read() {
    let big = vec![b'a'; MAX_FILE_BYTES + 1];
    let err = read_file("big.txt", &big).unwrap_err();
    assert!(matches!(err.kind, EvidenceErrorKind::TooLarge { .. }));
    assert!(err.to_string().starts_with("big.txt: "));
}

#[test]
fn pathological_shapes_finish() {
    // One huge line of colons, a million short lines, deep CSV quoting.
    let colons = ":".repeat(2_000_000);
    pipeline(colons.as_bytes());
    let many = "Host Name: A\n".repeat(200_000);
    pipeline(many.as_bytes());
    let quotes = "\"".repeat(1_000_000);
    pipeline(quotes.as_bytes());
    let wide = format!("Host Name:{}X\n", " ".repeat(1_000_000));
    pipeline(wide.as_bytes());
    let labels =
        "OS Name:                   Microsoft Windows Server 2008 Standard\n".repeat(50_000);
    pipeline(labels.as_bytes());
}

#[test]
fn errors_name_the_file_and_the_line() {
    let text = b"REGEDIT4\r\n\r\n[HKEY_CURRENT_USER\\Software\\X]\r\n\"A\"=\"b\"\r\n";
    let err = read_file("user.reg", text).unwrap_err();
    assert_eq!(err.line, Some(4));
    assert!(
        err.to_string()
            .starts_with("user.reg:4: malformed reg-export"),
        "{err}"
    );
}
