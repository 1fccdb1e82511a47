//! What users read cites public sources, never a path that exists only in
//! the development tree (`../shared/…`): the catalog's values (comments are
//! for reviewers and may name the research files) and `explain`'s answers.

use std::path::Path;

#[test]
fn catalog_values_name_no_development_path() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("catalog");
    let mut offenders = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        for (i, line) in text.lines().enumerate() {
            if line.trim_start().starts_with('#') {
                continue;
            }
            if line.contains("../shared")
                || line.contains("shared/facts")
                || line.contains("shared/data")
            {
                offenders.push(format!("{}:{}: {line}", path.display(), i + 1));
            }
        }
    }
    assert!(offenders.is_empty(), "{}", offenders.join("\n"));
}

#[test]
fn explain_names_no_development_path() {
    let catalog = lastrollup::catalog::Catalog::embedded();
    for query in [
        "6.0.6003.20491",
        "6.0.6002.18005",
        "KB4474419",
        "KB5073697",
        "0x80092004",
    ] {
        let text = format!("{:?}", lastrollup::explain::explain(query, catalog));
        assert!(!text.contains("shared/"), "{query}: {text}");
    }
}
