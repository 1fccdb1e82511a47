//! Prepares the reviewed TOML for cheap loading at run time.
//!
//! The catalog (`catalog/*.toml` except `windows.toml`) is deserialized here
//! into the library's own model types, which this script includes with
//! `#[path]` (see `src/catalog/files.rs`), and written in postcard form to
//! `OUT_DIR/catalog/catalog.postcard`; `Catalog::embedded` decodes that
//! instead of parsing text. The TOML files stay the only source. The
//! catalog's cross-checks (`src/catalog/validate.rs`) run here, so a catalog
//! that fails them does not build, and not again at run time; the encoding
//! is decoded again here and must equal what was read, and the unit tests
//! compare the embedded form with the TOML parse.
//!
//! `windows.toml` and the systeminfo label table
//! (`src/evidence/systeminfo/labels.toml`) are translated to compact JSON
//! (`OUT_DIR/catalog/windows.json`, `OUT_DIR/catalog/labels.json`): a
//! mechanical, field-for-field translation (tables become objects, arrays
//! stay in order, a TOML datetime becomes its RFC 3339 string) that
//! serde_json reads in about an eighth of the instructions the `toml` crate
//! needs.

use std::path::Path;

// The catalog model, shared with the library. Each module names its
// crate-internal dependencies as `crate::host::Arch`,
// `crate::advisory::Severity` and `crate::month::Month`, which these paths
// provide. Not everything in them is used here.
#[allow(dead_code)]
#[path = "src/advisory/severity.rs"]
mod advisory;
#[allow(dead_code)]
#[path = "src/host/arch.rs"]
mod host;
#[allow(dead_code)]
#[path = "src/month.rs"]
mod month;
#[allow(dead_code)]
#[path = "src/catalog"]
mod catalog {
    pub mod date;
    pub mod errors;
    pub mod files;
    pub mod kev;
    pub mod lifecycle;
    pub mod products;
    pub mod updates;
    pub mod upgrades;
    pub mod validate;
}

/// The files the catalog encoding depends on, besides `catalog/*.toml`.
const MODEL: [&str; 12] = [
    "src/host/arch.rs",
    "src/advisory/severity.rs",
    "src/month.rs",
    "src/catalog/date.rs",
    "src/catalog/errors.rs",
    "src/catalog/files.rs",
    "src/catalog/kev.rs",
    "src/catalog/lifecycle.rs",
    "src/catalog/products.rs",
    "src/catalog/updates.rs",
    "src/catalog/upgrades.rs",
    "src/catalog/validate.rs",
];

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("catalog");
    std::fs::create_dir_all(&out).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
    encode_catalog(&out.join("catalog.postcard"));
    let sources = [
        ("catalog/windows.toml".to_string(), out.join("windows.json")),
        (
            "src/evidence/systeminfo/labels.toml".to_string(),
            out.join("labels.json"),
        ),
    ];
    for (src, dst) in sources {
        println!("cargo:rerun-if-changed={src}");
        let text = std::fs::read_to_string(&src).unwrap_or_else(|e| panic!("{src}: {e}"));
        let table: toml::Table = toml::from_str(&text).unwrap_or_else(|e| panic!("{src}: {e}"));
        let json = serde_json::to_string(&to_json(toml::Value::Table(table), &src))
            .unwrap_or_else(|e| panic!("{src}: {e}"));
        std::fs::write(&dst, json).unwrap_or_else(|e| panic!("{}: {e}", dst.display()));
    }
}

/// Reads the catalog TOML into the model types, cross-checks them and writes
/// their postcard encoding to `dst`, after checking that it decodes to the
/// same value.
fn encode_catalog(dst: &Path) {
    for f in MODEL {
        println!("cargo:rerun-if-changed={f}");
    }
    let names = [
        "products",
        "updates",
        "lifecycle",
        "upgrades",
        "errors",
        "kev",
    ];
    let texts = names.map(|name| {
        let src = format!("catalog/{name}.toml");
        println!("cargo:rerun-if-changed={src}");
        std::fs::read_to_string(&src).unwrap_or_else(|e| panic!("{src}: {e}"))
    });
    let [products, updates, lifecycle, upgrades, errors, kev] =
        texts.each_ref().map(String::as_str);
    let files = catalog::files::CatalogFiles::from_toml(catalog::files::CatalogSources {
        products,
        updates,
        lifecycle,
        upgrades,
        errors,
        kev,
    })
    .unwrap_or_else(|e| panic!("{e}"));
    // The cross-checks run here, once, rather than on every load.
    files.validate().unwrap_or_else(|e| panic!("{e}"));
    let bytes = files.encode().unwrap_or_else(|e| panic!("{e}"));
    // Catches a model attribute that postcard cannot carry (see files.rs).
    let back = catalog::files::CatalogFiles::decode(&bytes).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        back == files,
        "the postcard encoding of the catalog does not round-trip"
    );
    std::fs::write(dst, bytes).unwrap_or_else(|e| panic!("{}: {e}", dst.display()));
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
