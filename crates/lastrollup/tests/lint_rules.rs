//! Each rule on the project's own fixtures (tests/fixtures/lint): every
//! `bad_*` file must get findings, every `good_*` file none, and the exact
//! findings are pinned in insta snapshots.

mod support;

use lastrollup::lint::{lint_bytes, lint_text, Config};

fn fixtures() -> Vec<(String, Vec<u8>)> {
    let dir = support::fixtures().join("lint");
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .expect("fixtures/lint")
        .map(|e| {
            let p = e.expect("entry").path();
            let name = p
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            (name, std::fs::read(&p).expect("fixture"))
        })
        .collect();
    out.sort();
    out
}

fn render(name: &str, bytes: &[u8]) -> String {
    let findings = lint_bytes(name, bytes, &Config::default()).expect("text fixture");
    findings
        .iter()
        .map(|f| {
            format!(
                "{}:{}:{} [{}] {}\n",
                f.path, f.line, f.column, f.rule, f.message
            )
        })
        .collect()
}

#[test]
fn bad_fixtures_are_flagged_and_good_ones_are_not() {
    let mut problems = Vec::new();
    for (name, bytes) in fixtures() {
        let text = render(&name, &bytes);
        if name.starts_with("bad_") && text.is_empty() {
            problems.push(format!("{name}: no finding"));
        }
        if name.starts_with("good_") && !text.is_empty() {
            problems.push(format!("{name}: unexpected\n{text}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn findings_snapshot() {
    for (name, bytes) in fixtures() {
        if name.starts_with("good_") {
            continue;
        }
        insta::assert_snapshot!(format!("lint_{name}"), render(&name, &bytes));
    }
}

#[test]
fn suppression_comments_name_the_rule_and_scope() {
    let bytes = std::fs::read(support::fixtures().join("lint/suppressed.ps1")).expect("fixture");
    let findings = lint_bytes("suppressed.ps1", &bytes, &Config::default()).expect("text");
    let lines: Vec<usize> = findings.iter().map(|f| f.line).collect();
    assert_eq!(
        lines,
        vec![4],
        "only the line whose comment names another rule is reported"
    );
}

#[test]
fn select_and_ignore() {
    let src = "if ($build -eq 6002) { 'x' }\nif ($build -le 6002) { 'y' }\n";
    let only = Config {
        select: vec!["NT60003".into()],
        ignore: vec![],
    };
    let rules: Vec<String> = lint_text("a.ps1", src, &only)
        .into_iter()
        .map(|f| f.rule)
        .collect();
    assert_eq!(rules, vec!["build-upper-bound"]);
    let without = Config {
        select: vec![],
        ignore: vec!["build-upper-bound".into()],
    };
    let rules: Vec<String> = lint_text("a.ps1", src, &without)
        .into_iter()
        .map(|f| f.rule)
        .collect();
    assert_eq!(rules, vec!["exact-build-6002"]);
    assert!(Config {
        select: vec!["no-such-rule".into()],
        ignore: vec![]
    }
    .validate()
    .is_err());
}

#[test]
fn utf16_with_bom_is_read() {
    let text = "\u{feff}if ($os.BuildNumber -eq 6002) { 'SP2' }\r\n";
    let bytes: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let findings = lint_bytes("x.ps1", &bytes, &Config::default()).expect("text");
    assert_eq!(findings.len(), 1);
    assert_eq!((findings[0].line, findings[0].column), (1, 25));
}
