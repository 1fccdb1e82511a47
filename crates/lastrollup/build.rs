//! Converts the reviewed catalog TOML (`catalog/*.toml`) into compact JSON
//! in `OUT_DIR/catalog/`, which `src/catalog` embeds and deserializes at run
//! time into the same serde structs: serde_json reads the same facts in
//! about an eighth of the instructions the `toml` crate needs. The TOML
//! files stay the only source; this is a mechanical, field-for-field
//! translation (tables become objects, arrays stay in order, a TOML datetime
//! becomes its RFC 3339 string). `deny_unknown_fields` and the catalog's
//! cross-checks still run on the JSON at load time, and the unit tests in
//! `src/catalog` compare the JSON load with the TOML parse.
//!
//! The systeminfo label table (`src/evidence/systeminfo/labels.toml`) is
//! translated the same way, to `OUT_DIR/labels.json`, for the same reason:
//! it is read on every run that parses a systeminfo capture.

use std::path::Path;

/// The catalog files, as named under `catalog/`.
const FILES: [&str; 7] = [
    "products",
    "updates",
    "lifecycle",
    "upgrades",
    "errors",
    "kev",
    "windows",
];

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("catalog");
    std::fs::create_dir_all(&out).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
    let sources = FILES
        .iter()
        .map(|name| {
            (
                format!("catalog/{name}.toml"),
                out.join(format!("{name}.json")),
            )
        })
        .chain(std::iter::once((
            "src/evidence/systeminfo/labels.toml".to_string(),
            out.join("labels.json"),
        )));
    for (src, dst) in sources {
        println!("cargo:rerun-if-changed={src}");
        let text = std::fs::read_to_string(&src).unwrap_or_else(|e| panic!("{src}: {e}"));
        let table: toml::Table = toml::from_str(&text).unwrap_or_else(|e| panic!("{src}: {e}"));
        let json = serde_json::to_string(&to_json(toml::Value::Table(table), &src))
            .unwrap_or_else(|e| panic!("{src}: {e}"));
        std::fs::write(&dst, json).unwrap_or_else(|e| panic!("{}: {e}", dst.display()));
    }
}

/// The JSON form of a TOML value.
fn to_json(v: toml::Value, src: &str) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        toml::Value::String(s) => J::String(s),
        toml::Value::Integer(i) => J::from(i),
        toml::Value::Float(f) => J::Number(
            serde_json::Number::from_f64(f)
                .unwrap_or_else(|| panic!("{src}: {f} has no JSON form")),
        ),
        toml::Value::Boolean(b) => J::Bool(b),
        toml::Value::Datetime(d) => J::String(d.to_string()),
        toml::Value::Array(a) => J::Array(a.into_iter().map(|x| to_json(x, src)).collect()),
        toml::Value::Table(t) => {
            J::Object(t.into_iter().map(|(k, x)| (k, to_json(x, src))).collect())
        }
    }
}
