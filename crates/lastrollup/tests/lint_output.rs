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

/// The official OASIS SARIF 2.1.0 JSON schema (`sarif-schema-2.1.0.json`),
/// as the serde-sarif crate (a dev-dependency) ships it in its source as
/// `src/schema.json`; found through `cargo metadata`, never copied here.
fn official_sarif_schema() -> Value {
    let out = std::process::Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1"])
        .current_dir(root())
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: Value = serde_json::from_slice(&out.stdout).expect("metadata JSON");
    let manifest = meta["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .find(|p| p["name"] == "serde-sarif")
        .and_then(|p| p["manifest_path"].as_str())
        .expect("serde-sarif is a dev-dependency");
    let path = Path::new(manifest).with_file_name("src/schema.json");
    let text = std::fs::read_to_string(&path).expect("serde-sarif ships src/schema.json");
    let schema: Value = serde_json::from_str(&text).expect("schema JSON");
    assert_eq!(
        schema["$id"],
        "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json"
    );
    assert_eq!(
        schema["title"],
        "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    );
    schema
}

/// Validates `doc` against the official schema (draft-07, formats asserted).
fn sarif_errors(schema: &Value, doc: &Value) -> Option<String> {
    let url = schema["$id"].as_str().expect("$id");
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.enable_format_assertions();
    compiler
        .add_resource(url, schema.clone())
        .expect("schema loads");
    let index = compiler
        .compile(url, &mut schemas)
        .expect("schema compiles");
    schemas.validate(doc, index).err().map(|e| format!("{e:#}"))
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let schema = official_sarif_schema();
    let out = outcome();
    assert!(out.findings.len() > 10);
    let log = output::sarif(&out, "0.1.0");
    if let Some(e) = sarif_errors(&schema, &log) {
        panic!("SARIF does not validate:\n{e}");
    }
    // An empty run and an absolute path validate too.
    let mut other = Outcome::default();
    let mut f = out.findings[0].clone();
    f.path = "/abs/dir with space/x.ps1".into();
    other.findings.push(f);
    assert_eq!(
        sarif_errors(&schema, &output::sarif(&Outcome::default(), "0.1.0")),
        None
    );
    assert_eq!(sarif_errors(&schema, &output::sarif(&other, "0.1.0")), None);
    // The validator can fail: a level SARIF does not define, a line 0.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(sarif_errors(&schema, &broken).is_some());
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        0.into();
    assert!(sarif_errors(&schema, &broken).is_some());
    // serde-sarif's types (generated from the same schema) read it back.
    let typed: serde_sarif::sarif::Sarif = serde_json::from_value(log).expect("typed SARIF");
    assert_eq!(typed.runs.len(), 1);
}

/// What GitHub code scanning needs beyond the schema: a rule list with
/// help text and help URIs, `ruleIndex` pointing at the result's rule,
/// `partialFingerprints` (else it computes its own from the file), relative
/// URIs under `%SRCROOT%` (checkout-relative), 1-based lines and columns,
/// no more than 10 locations per result, and unique rule ids.
#[test]
fn sarif_meets_code_scanning_requirements() {
    // As run from the repository root with relative paths, as in CI.
    let mut out = outcome();
    let base = format!("{}/", support::fixtures().display());
    for f in &mut out.findings {
        f.path = f
            .path
            .strip_prefix(&base)
            .expect("under fixtures")
            .to_string();
    }
    let log = output::sarif(&out, "0.1.0");
    let run = &log["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "lastrollup");
    let rules_json = driver["rules"].as_array().expect("rules");
    let ids: std::collections::HashSet<&str> =
        rules_json.iter().filter_map(|r| r["id"].as_str()).collect();
    assert_eq!(ids.len(), rules_json.len(), "rule ids are unique");
    for r in rules_json {
        assert!(r["help"]["text"].as_str().is_some_and(|t| !t.is_empty()));
        assert!(r["help"]["markdown"]
            .as_str()
            .is_some_and(|t| t.starts_with("# ")));
        let uri = r["helpUri"].as_str().expect("helpUri");
        assert!(
            uri.starts_with("https://")
                && uri.ends_with(&format!("{}.md", r["id"].as_str().unwrap_or("")))
        );
        assert!(["error", "warning", "note"]
            .contains(&r["defaultConfiguration"]["level"].as_str().unwrap_or("")));
    }
    let fingerprint = regex::Regex::new("^[0-9a-f]{16}:[1-9][0-9]*$").expect("re");
    for r in run["results"].as_array().expect("results") {
        let index = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules_json[index]["id"], r["ruleId"]);
        let locations = r["locations"].as_array().expect("locations");
        assert!((1..=10).contains(&locations.len()));
        let artifact = &locations[0]["physicalLocation"]["artifactLocation"];
        let uri = artifact["uri"].as_str().expect("uri");
        assert_eq!(artifact["uriBaseId"], "%SRCROOT%", "{uri}");
        assert!(
            !uri.starts_with('/') && !uri.starts_with("./") && !uri.contains('\\'),
            "{uri}"
        );
        let region = &locations[0]["physicalLocation"]["region"];
        assert!(region["startLine"].as_u64().is_some_and(|l| l >= 1));
        assert!(region["startColumn"].as_u64().is_some_and(|c| c >= 1));
        let fp = r["partialFingerprints"]["primaryLocationLineHash"]
            .as_str()
            .expect("fingerprint");
        assert!(fingerprint.is_match(fp), "{fp}");
    }
}
