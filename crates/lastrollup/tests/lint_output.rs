//! The lint output contracts: the JSON validates against
//! docs/schema/lint-1.schema.json, the SARIF has what GitHub code scanning
//! reads, and docs/lint/<id>.md match the rule documentation.

mod support;

use std::path::{Path, PathBuf};

use lastrollup::lint::{lint_paths, output, rules, Config, Outcome};
use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn outcome() -> Outcome {
    lint_paths(&[support::fixtures().join("lint")], &Config::default())
}

fn type_ok(t: &str, v: &Value) -> bool {
    match t {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "integer" => v.is_u64() || v.is_i64(),
        other => panic!("schema type {other} not supported here"),
    }
}

/// A validator for the keywords lint-1.schema.json uses.
fn validate(s: &Value, v: &Value, path: &str, errs: &mut Vec<String>) {
    if let Some(t) = s.get("type").and_then(Value::as_str) {
        if !type_ok(t, v) {
            errs.push(format!("{path}: not {t}"));
            return;
        }
    }
    if let Some(c) = s.get("const") {
        if c != v {
            errs.push(format!("{path}: {v} is not {c}"));
        }
    }
    if let Some(e) = s.get("enum").and_then(Value::as_array) {
        if !e.contains(v) {
            errs.push(format!("{path}: {v} not in enum"));
        }
    }
    if let (Some(min), Some(n)) = (s.get("minimum").and_then(Value::as_u64), v.as_u64()) {
        if n < min {
            errs.push(format!("{path}: {n} < {min}"));
        }
    }
    if let (Some(p), Some(text)) = (s.get("pattern").and_then(Value::as_str), v.as_str()) {
        if !regex::Regex::new(p).expect("pattern").is_match(text) {
            errs.push(format!("{path}: {text:?} !~ {p}"));
        }
    }
    if let Some(obj) = v.as_object() {
        let props = s.get("properties").and_then(Value::as_object);
        for r in s
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if !obj.contains_key(r.as_str().unwrap_or("")) {
                errs.push(format!("{path}: missing {r}"));
            }
        }
        for (k, val) in obj {
            match props.and_then(|p| p.get(k)) {
                Some(ps) => validate(ps, val, &format!("{path}.{k}"), errs),
                None if s.get("additionalProperties") == Some(&Value::Bool(false)) => {
                    errs.push(format!("{path}: unexpected {k}"))
                }
                None => {}
            }
        }
    }
    if let (Some(items), Some(arr)) = (s.get("items"), v.as_array()) {
        for (i, item) in arr.iter().enumerate() {
            validate(items, item, &format!("{path}[{i}]"), errs);
        }
    }
}

#[test]
fn json_validates_against_the_schema() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("docs/schema/lint-1.schema.json")).expect("schema"),
    )
    .expect("schema JSON");
    let out = outcome();
    assert!(out.findings.len() > 10);
    let doc = output::json(&out, "0.0.0");
    let mut errs = Vec::new();
    validate(&schema, &doc, "$", &mut errs);
    assert!(errs.is_empty(), "{}", errs.join("\n"));
    // A document missing a field is rejected: the validator can fail.
    let mut broken = doc.clone();
    broken["findings"][0]
        .as_object_mut()
        .expect("finding")
        .remove("rule");
    let mut errs = Vec::new();
    validate(&schema, &broken, "$", &mut errs);
    assert!(!errs.is_empty());
}

#[test]
fn sarif_has_what_code_scanning_reads() {
    let out = outcome();
    let log = output::sarif(&out, "0.0.0");
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    let rules_json = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(rules_json.len(), rules::metas().count());
    for r in rules_json {
        for key in [
            "id",
            "shortDescription",
            "fullDescription",
            "help",
            "helpUri",
        ] {
            assert!(!r[key].is_null(), "rule without {key}: {r}");
        }
    }
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), out.findings.len());
    let mut prints = std::collections::HashSet::new();
    for r in results {
        let index = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules_json[index]["id"], r["ruleId"]);
        let loc = &r["locations"][0]["physicalLocation"];
        assert!(loc["region"]["startLine"].as_u64().is_some_and(|l| l >= 1));
        assert!(loc["artifactLocation"]["uri"].is_string());
        let fp = r["partialFingerprints"]["primaryLocationLineHash"]
            .as_str()
            .expect("fingerprint");
        let uri = loc["artifactLocation"]["uri"].as_str().unwrap_or("");
        assert!(
            prints.insert((uri.to_string(), fp.to_string())),
            "duplicate fingerprint {fp}"
        );
    }
}

#[test]
fn baseline_hides_known_findings_only() {
    let out = outcome();
    let doc = output::json(&out, "0.0.0").to_string();
    let base =
        lastrollup::lint::baseline::Baseline::read(Path::new("b.json"), &doc).expect("baseline");
    let mut all = out.findings.clone();
    base.filter(&mut all);
    assert!(all.is_empty());
    let mut extra = out.findings.clone();
    let mut new = extra[0].clone();
    new.snippet.push_str(" # changed");
    extra.push(new);
    base.filter(&mut extra);
    assert_eq!(extra.len(), 1);
}

/// docs/lint/<id>.md are generated from the rule documentation;
/// `LASTROLLUP_BLESS=1` rewrites them.
#[test]
fn rule_pages_match_the_rule_docs() {
    let dir = root().join("docs/lint");
    let bless = std::env::var_os("LASTROLLUP_BLESS").is_some_and(|v| v == "1");
    let mut stale = Vec::new();
    for meta in rules::metas() {
        let path = dir.join(format!("{}.md", meta.id));
        let want = meta.markdown();
        if bless {
            std::fs::create_dir_all(&dir).expect("docs/lint");
            std::fs::write(&path, &want).expect("write page");
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(want.as_str()) {
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "stale rule pages (LASTROLLUP_BLESS=1 to regenerate): {stale:?}"
    );
}
