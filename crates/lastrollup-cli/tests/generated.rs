//! The shell completions in `completions/` and the manual pages in
//! `docs/man/` are what the binary generates from its argument definitions
//! today. Packages and `cargo install` users take the committed copies, so
//! a changed option must change them too:
//!
//!   LASTROLLUP_BLESS=1 cargo test -p lastrollup-cli --test generated
//!
//! rewrites them from the current definitions.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn bless() -> bool {
    std::env::var_os("LASTROLLUP_BLESS").is_some_and(|v| v == "1")
}

fn lastrollup() -> Command {
    let mut c = Command::cargo_bin("lastrollup").expect("binary");
    c.env("NO_COLOR", "1")
        .env("LASTROLLUP_DB", "/nonexistent/lastrollup-test.lrdb");
    c
}

/// The files of a folder by name.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries {
            let e = e.unwrap();
            out.insert(
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            );
        }
    }
    out
}

/// Compares what the binary generates with the committed folder, or, when
/// blessing, replaces the folder's contents with it.
fn compare(dir: &Path, generated: BTreeMap<String, Vec<u8>>) {
    let committed = files(dir);
    if bless() {
        std::fs::create_dir_all(dir).unwrap();
        for name in committed.keys().filter(|n| !generated.contains_key(*n)) {
            std::fs::remove_file(dir.join(name)).unwrap();
        }
        for (name, text) in &generated {
            std::fs::write(dir.join(name), text).unwrap();
        }
        return;
    }
    let mut stale = Vec::new();
    for (name, text) in &generated {
        match committed.get(name) {
            None => stale.push(format!("{name} is missing")),
            Some(t) if t != text => stale.push(format!("{name} differs")),
            Some(_) => {}
        }
    }
    for name in committed.keys().filter(|n| !generated.contains_key(*n)) {
        stale.push(format!("{name} is no longer generated"));
    }
    assert!(
        stale.is_empty(),
        "{} is not what the binary generates ({}); run\n  LASTROLLUP_BLESS=1 cargo test -p lastrollup-cli --test generated\nand commit the result",
        dir.display(),
        stale.join(", ")
    );
}

#[test]
fn completions_are_current() {
    let mut generated = BTreeMap::new();
    for (shell, file) in [
        ("bash", "lastrollup.bash"),
        ("zsh", "_lastrollup"),
        ("fish", "lastrollup.fish"),
        ("powershell", "_lastrollup.ps1"),
        ("elvish", "lastrollup.elv"),
    ] {
        let out = lastrollup().args(["completions", shell]).output().unwrap();
        assert!(out.status.success(), "completions {shell}");
        let text = String::from_utf8(out.stdout).unwrap();
        // Every command is completed.
        for sub in [
            "check",
            "explain",
            "collector",
            "identify",
            "db",
            "completions",
            "man",
        ] {
            assert!(text.contains(sub), "{shell} completion lacks {sub}");
        }
        generated.insert(file.to_string(), text.into_bytes());
    }
    compare(&root().join("completions"), generated);
}

#[test]
fn man_pages_are_current() {
    let dir = std::env::temp_dir().join(format!("lastrollup-man-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    lastrollup()
        .args(["man", "--out"])
        .arg(&dir)
        .assert()
        .success();
    let generated = files(&dir);
    std::fs::remove_dir_all(&dir).unwrap();
    // One page per command, each naming itself.
    for cmd in [
        "lastrollup",
        "lastrollup-check",
        "lastrollup-explain",
        "lastrollup-collector",
        "lastrollup-identify",
        "lastrollup-db",
        "lastrollup-db-import",
        "lastrollup-db-status",
        "lastrollup-completions",
        "lastrollup-man",
    ] {
        let page = generated
            .get(&format!("{cmd}.1"))
            .unwrap_or_else(|| panic!("no page for {cmd}"));
        let head = format!(".TH {cmd} 1 ");
        assert!(String::from_utf8_lossy(page).contains(&head), "{cmd}.1");
    }
    compare(&root().join("docs/man"), generated);
}

#[test]
fn man_prints_one_page_and_refuses_an_unknown_command() {
    let out = lastrollup().args(["man", "db", "import"]).output().unwrap();
    assert!(out.status.success());
    let committed = std::fs::read(root().join("docs/man/lastrollup-db-import.1")).unwrap();
    if !bless() {
        assert_eq!(out.stdout, committed);
    }
    let out = lastrollup().args(["man", "db", "nope"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no command `lastrollup db nope`"));
}
