//! `lastrollup --version`: the version, the embedded catalog's newest update
//! and the advisory database found at the default path.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn lastrollup() -> Command {
    let mut c = Command::cargo_bin("lastrollup").expect("binary");
    c.env("NO_COLOR", "1")
        .env("LASTROLLUP_DB", "/nonexistent/lastrollup-test.lrdb");
    c
}

#[test]
fn version_names_the_catalog_and_the_database() {
    let out = lastrollup().arg("--version").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some(concat!("lastrollup ", env!("CARGO_PKG_VERSION")))
    );
    // The catalog's newest update, as the catalog says, not as written here.
    let catalog = lastrollup::catalog::Catalog::embedded();
    let newest = catalog.newest_update().unwrap();
    let line = lines.next().unwrap();
    assert!(line.starts_with("catalog:"), "{line}");
    assert!(line.contains(&newest.kb_name()), "{line}");
    assert!(
        line.contains(&newest.effective_date().to_string()),
        "{line}"
    );
    let line = lines.next().unwrap();
    assert_eq!(
        line,
        "database: none at /nonexistent/lastrollup-test.lrdb (LASTROLLUP_DB); `check` uses its built-in known-exploited table"
    );
    // `-V` stays one line.
    let out = lastrollup().arg("-V").output().unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        concat!("lastrollup ", env!("CARGO_PKG_VERSION"), "\n")
    );
}

#[test]
fn version_names_a_database_that_is_found() {
    let dir = std::env::temp_dir().join(format!("lastrollup-version-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("lastrollup")).unwrap();
    // A database at the default path under XDG_DATA_HOME, from the wesng
    // CSV fixture.
    let feed = root().join("crates/lastrollup/tests/fixtures/feeds/CVEs_20990120.csv");
    let db = dir.join("lastrollup/advisories.lrdb");
    Command::cargo_bin("lastrollup")
        .unwrap()
        .env_remove("LASTROLLUP_DB")
        .env("XDG_DATA_HOME", &dir)
        .args(["db", "import"])
        .arg(&feed)
        .assert()
        .success();
    assert!(db.exists());
    let out = Command::cargo_bin("lastrollup")
        .unwrap()
        .env_remove("LASTROLLUP_DB")
        .env("XDG_DATA_HOME", &dir)
        .arg("--version")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let line = text.lines().nth(2).unwrap();
    assert!(
        line.starts_with(&format!(
            "database: {} (default), 1 source, imported ",
            db.display()
        )),
        "{line}"
    );
    assert!(line.contains(", records up to 2099-"), "{line}");
    std::fs::remove_dir_all(&dir).unwrap();
}
