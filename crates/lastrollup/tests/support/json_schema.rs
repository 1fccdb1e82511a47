//! A small JSON Schema validator for the keywords the published schemas
//! (`docs/schema/*.schema.json`) use; it refuses a schema that uses any
//! other keyword, so a schema cannot silently outgrow it.

use std::path::Path;

use serde_json::Value;

/// A schema of `docs/schema/`, parsed.
pub fn schema_file(name: &str) -> Value {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../docs/schema")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(p).expect("schema file")).expect("schema is JSON")
}

/// Whether `v` is of JSON Schema type `t`.
fn type_ok(t: &str, v: &Value) -> bool {
    match t {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "integer" => v.is_i64() || v.is_u64(),
        "number" => v.is_number(),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        other => panic!("schema uses unknown type {other}"),
    }
}

/// Validates `v` against `s`, pushing `path: problem` lines into `errs`.
pub fn validate(s: &Value, v: &Value, path: &str, errs: &mut Vec<String>) {
    let Some(obj) = s.as_object() else { return };
    for key in obj.keys() {
        let known = [
            "$schema",
            "$id",
            "title",
            "description",
            "type",
            "properties",
            "required",
            "additionalProperties",
            "items",
            "enum",
            "const",
            "pattern",
            "minimum",
        ];
        assert!(
            known.contains(&key.as_str()),
            "schema keyword {key} is not supported by this validator"
        );
    }
    if let Some(t) = obj.get("type") {
        let ok = match t {
            Value::String(t) => type_ok(t, v),
            Value::Array(ts) => ts.iter().any(|t| type_ok(t.as_str().unwrap_or(""), v)),
            _ => false,
        };
        if !ok {
            errs.push(format!("{path}: {v} is not of type {t}"));
            return;
        }
    }
    if let Some(c) = obj.get("const") {
        if c != v {
            errs.push(format!("{path}: {v} is not {c}"));
        }
    }
    if let Some(Value::Array(e)) = obj.get("enum") {
        if !e.contains(v) {
            errs.push(format!("{path}: {v} is not one of {e:?}"));
        }
    }
    if let (Some(Value::String(p)), Value::String(text)) = (obj.get("pattern"), v) {
        if !regex::Regex::new(p).expect("pattern").is_match(text) {
            errs.push(format!("{path}: {text:?} does not match {p}"));
        }
    }
    if let (Some(min), Some(n)) = (obj.get("minimum").and_then(Value::as_f64), v.as_f64()) {
        if n < min {
            errs.push(format!("{path}: {n} < {min}"));
        }
    }
    if let (Some(items), Value::Array(a)) = (obj.get("items"), v) {
        for (i, x) in a.iter().enumerate() {
            validate(items, x, &format!("{path}[{i}]"), errs);
        }
    }
    if let Value::Object(o) = v {
        let props = obj.get("properties").and_then(Value::as_object);
        if let Some(Value::Array(req)) = obj.get("required") {
            for r in req {
                let r = r.as_str().unwrap_or_default();
                if !o.contains_key(r) {
                    errs.push(format!("{path}: missing {r}"));
                }
            }
        }
        for (k, x) in o {
            match props.and_then(|p| p.get(k)) {
                Some(ps) => validate(ps, x, &format!("{path}.{k}"), errs),
                None => match obj.get("additionalProperties") {
                    Some(Value::Bool(false)) => {
                        errs.push(format!("{path}: unexpected property {k}"))
                    }
                    Some(extra @ Value::Object(_)) => {
                        validate(extra, x, &format!("{path}.{k}"), errs)
                    }
                    _ => {}
                },
            }
        }
    }
}

/// Parses `json` and asserts that it validates against `schema`; `what`
/// names it in the failure.
pub fn check_against(schema: &Value, json: &str, what: &str) {
    let v: Value = serde_json::from_str(json).unwrap_or_else(|e| panic!("{what}: {e}"));
    let mut errs = Vec::new();
    validate(schema, &v, "$", &mut errs);
    assert!(errs.is_empty(), "{what}:\n{}", errs.join("\n"));
}
