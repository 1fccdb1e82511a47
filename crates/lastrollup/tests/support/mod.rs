//! Shared helpers of the integration tests.
#![allow(dead_code)]

pub mod json_schema;
pub mod lint_score;
pub mod mangle;

use std::path::{Path, PathBuf};

use lastrollup::evidence::{self, EvidenceFile};
use lastrollup::host::Host;

/// The project's own fixtures.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// `../shared` (or `$LASTROLLUP_SHARED`), if present. Without it a test
/// prints that it is skipped; under CI (`CI=true`) a missing shared folder
/// fails the test instead.
pub fn shared() -> Option<PathBuf> {
    let dir = std::env::var_os("LASTROLLUP_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    if dir.join("corpus").is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!(
            "CI=true but the shared folder is missing at {} (set LASTROLLUP_SHARED)",
            dir.display()
        );
    }
    eprintln!(
        "SKIPPED: no shared folder at {} (set LASTROLLUP_SHARED to run this test)",
        dir.display()
    );
    None
}

/// Reads one file by path, naming it `name` in provenance.
pub fn read(path: &Path, name: &str) -> EvidenceFile {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    evidence::read_file(name, &bytes).unwrap_or_else(|e| panic!("{e}"))
}

/// A minimal CSV reader for the test label files (no quoted commas in them
/// except where quoted; handles double quotes).
pub fn csv_rows(path: &Path) -> Vec<std::collections::HashMap<String, String>> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut rows = Vec::new();
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let headers = reader.headers().expect("header").clone();
    for r in reader.records() {
        let r = r.expect("csv row");
        rows.push(
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_owned(), v.to_owned()))
                .collect(),
        );
    }
    rows
}

/// The value of an optional sourced field as text ("" when unknown).
pub fn text<T: std::fmt::Display>(v: &Option<lastrollup::host::Sourced<T>>) -> String {
    v.as_ref().map(|s| s.value.to_string()).unwrap_or_default()
}

/// Finds the host named `name` (case-insensitive), or the only unnamed host.
pub fn host<'a>(hosts: &'a [Host], name: &str) -> &'a Host {
    hosts
        .iter()
        .find(|h| match &h.name {
            Some(n) => n.value.eq_ignore_ascii_case(name),
            None => name.is_empty(),
        })
        .unwrap_or_else(|| {
            panic!(
                "no host {name:?} among {:?}",
                hosts.iter().map(|h| text(&h.name)).collect::<Vec<_>>()
            )
        })
}

/// The fixture folders with one capture per file.
pub const FORMAT_FOLDERS: [&str; 5] = [
    "systeminfo",
    "qfe",
    "wmic_os",
    "registry",
    "version_strings",
];

/// Every capture in `folders` (EXPECTED.csv files left out), sorted, with
/// its name relative to the fixtures folder.
pub fn fixture_files(folders: &[&str]) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    for folder in folders {
        for e in
            std::fs::read_dir(fixtures().join(folder)).unwrap_or_else(|e| panic!("{folder}: {e}"))
        {
            let path = e.expect("dir entry").path();
            if path.extension().is_some_and(|x| x == "csv") {
                continue;
            }
            let name = format!(
                "{folder}/{}",
                path.file_name().unwrap_or_default().to_string_lossy()
            );
            out.push((name, path));
        }
    }
    out.sort();
    out
}

/// The three captures of the example host SRV-HIST01, named by file name.
pub fn srv_hist01() -> Vec<EvidenceFile> {
    let dir = fixtures().join("hosts/srv-hist01");
    ["systeminfo.txt", "reg_currentversion.txt", "qfe.txt"]
        .iter()
        .map(|f| read(&dir.join(f), f))
        .collect()
}
