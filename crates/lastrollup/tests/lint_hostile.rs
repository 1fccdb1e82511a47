//! `lint` on hostile input: binary files, invalid encodings, huge lines and
//! files, symlink loops, missing paths. No panic, bounded work, errors
//! reported per path while the rest is linted.

use std::path::PathBuf;

use lastrollup::lint::{lint_bytes, lint_paths, Config};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lastrollup-lint-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

#[test]
fn binary_and_invalid_bytes() {
    assert!(lint_bytes(
        "a.exe",
        b"MZ\x90\x00\x03\x00\x00\x00== 6002",
        &Config::default()
    )
    .is_none());
    let invalid = b"if ($build -eq 6002) { \xff\xfe\xc3 }\n\xc0\xc1\xf5\xff";
    let found = lint_bytes("a.ps1", invalid, &Config::default()).expect("text");
    assert_eq!(found.len(), 1);
    let mut odd = vec![0xFFu8, 0xFE];
    odd.extend([0xD8, 0x00, 0x41]); // unpaired surrogate, odd length
    assert!(lint_bytes("a.ps1", &odd, &Config::default()).is_some());
}

#[test]
fn huge_file_with_huge_lines_is_linted_in_bounded_chunks() {
    let dir = scratch("huge");
    let path = dir.join("minified.js");
    let mut text = String::from("if (build === 6002) { sp2(); }\n");
    text.push_str(&"var a=1;".repeat(2 * 1024 * 1024)); // one 16 MiB line
    text.push_str("\nif (os.release() >= '6.0') { x(); }\n");
    std::fs::write(&path, &text).expect("write");
    let out = lint_paths(&[path], &Config::default());
    let lines: Vec<usize> = out.findings.iter().map(|f| f.line).collect();
    assert_eq!(lines, vec![1, 3], "{:?}", out.findings);
    assert!(out.findings.iter().all(|f| f.snippet.len() <= 4096));
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_missing_paths() {
    let dir = scratch("loop");
    std::fs::create_dir_all(dir.join("a")).expect("a");
    std::os::unix::fs::symlink(&dir, dir.join("a/loop")).expect("symlink");
    std::fs::write(dir.join("a/check.cmd"), "ver | find \"6.0.6002\"\r\n").expect("write");
    std::fs::write(dir.join("a/blob.bin"), [0u8, 1, 2, 3, 0, 0, 7, 8, 9]).expect("write");
    let out = lint_paths(&[dir.clone(), dir.join("missing.ps1")], &Config::default());
    assert_eq!(out.findings.len(), 1);
    assert_eq!(out.files, 1);
    assert_eq!(out.binary, 1);
    assert_eq!(out.errors.len(), 1, "{:?}", out.errors);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn gitignored_and_hidden_files_are_skipped() {
    let dir = scratch("ignore");
    std::fs::create_dir_all(dir.join(".git")).expect(".git");
    std::fs::write(dir.join(".gitignore"), "vendor/\n").expect("gitignore");
    std::fs::create_dir_all(dir.join("vendor")).expect("vendor");
    std::fs::write(dir.join("vendor/x.ps1"), "if ($build -eq 6002) {}\n").expect("write");
    std::fs::write(dir.join(".hidden.ps1"), "if ($build -eq 6002) {}\n").expect("write");
    std::fs::write(dir.join("y.ps1"), "if ($build -eq 6002) {}\n").expect("write");
    let out = lint_paths(std::slice::from_ref(&dir), &Config::default());
    assert_eq!(out.findings.len(), 1);
    assert!(out.findings[0].path.ends_with("y.ps1"));
    let _ = std::fs::remove_dir_all(&dir);
}
