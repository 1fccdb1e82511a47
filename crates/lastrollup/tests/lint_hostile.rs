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

fn utf16(text: &str, little: bool, bom: bool) -> Vec<u8> {
    let units = bom
        .then_some(0xFEFF_u16)
        .into_iter()
        .chain(text.encode_utf16());
    units
        .flat_map(|u| {
            if little {
                u.to_le_bytes()
            } else {
                u.to_be_bytes()
            }
        })
        .collect()
}

#[test]
fn utf16_files_above_the_whole_file_limit_are_decoded_as_a_stream() {
    let dir = scratch("utf16big");
    let mut text = String::from("if ($os.BuildNumber -eq 6002) { 'SP2' }\r\n");
    // 125,000 lines of 34 characters: 8.5 MB in UTF-16, above the 8 MiB limit.
    for i in 0..125_000 {
        text.push_str(&format!("Write-Host 'line {i:>10}' # é\r\n"));
    }
    text.push_str("ver | find \"6.0.6002\"\r\n");
    let last = text.lines().count();
    for (name, little, bom) in [
        ("le-bom.ps1", true, true),
        ("be-bom.ps1", false, true),
        ("le.ps1", true, false),
    ] {
        let path = dir.join(name);
        let bytes = utf16(&text, little, bom);
        assert!(bytes.len() > 8 * 1024 * 1024);
        std::fs::write(&path, &bytes).expect("write");
        let out = lint_paths(&[path], &Config::default());
        let lines: Vec<usize> = out.findings.iter().map(|f| f.line).collect();
        assert_eq!(lines, vec![1, last], "{name}: {:?}", out.findings);
        assert!(out.errors.is_empty() && out.binary == 0, "{name}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// `chmod 000` blocks reading only for an unprivileged user: as root (CI
/// containers often are) the file is readable and is linted, which the test
/// then checks instead, saying so.
#[cfg(unix)]
#[test]
fn unreadable_files_and_directories_are_reported_and_the_rest_linted() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("unreadable");
    std::fs::create_dir_all(dir.join("locked")).expect("locked");
    std::fs::write(dir.join("locked/inside.cmd"), "ver | find \"6.0.6002\"\r\n").expect("write");
    std::fs::write(dir.join("secret.ps1"), "if ($build -eq 6002) {}\n").expect("write");
    std::fs::write(dir.join("open.ps1"), "if ($build -eq 6002) {}\n").expect("write");
    let mode = |p: &std::path::Path, m| {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).expect("chmod")
    };
    mode(&dir.join("secret.ps1"), 0o000);
    mode(&dir.join("locked"), 0o000);
    let privileged = std::fs::read(dir.join("secret.ps1")).is_ok();
    let out = lint_paths(std::slice::from_ref(&dir), &Config::default());
    mode(&dir.join("locked"), 0o755);
    let found: Vec<&str> = out.findings.iter().map(|f| f.path.as_str()).collect();
    if privileged {
        eprintln!(
            "running with privileges: chmod 000 does not block reading, so every file is linted"
        );
        assert_eq!(out.findings.len(), 3, "{found:?}");
        assert!(out.errors.is_empty(), "{:?}", out.errors);
    } else {
        assert_eq!(out.findings.len(), 1, "{found:?}");
        assert!(found[0].ends_with("open.ps1"));
        let errors: Vec<String> = out.errors.iter().map(ToString::to_string).collect();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(
            errors.iter().any(|e| e.contains("secret.ps1")),
            "{errors:?}"
        );
        assert!(errors.iter().any(|e| e.contains("locked")), "{errors:?}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A directory of 100,000 small files (100 directories of 1,000), one in
/// 1,000 with a finding. Runs in the normal test suite (a few seconds in a
/// debug build on two cores).
#[test]
fn a_directory_of_100000_files() {
    let dir = scratch("many");
    for d in 0..100 {
        let sub = dir.join(format!("d{d:03}"));
        std::fs::create_dir_all(&sub).expect("mkdir");
        for f in 0..1000 {
            let text = if f == 500 {
                "if ($build -eq 6002) { 'SP2' }\n"
            } else {
                "Write-Host 'hello'\n"
            };
            std::fs::write(sub.join(format!("f{f:04}.ps1")), text).expect("write");
        }
    }
    let start = std::time::Instant::now();
    let out = lint_paths(std::slice::from_ref(&dir), &Config::default());
    eprintln!("100,000 files linted in {:?}", start.elapsed());
    assert_eq!(out.files, 100_000);
    assert_eq!(out.findings.len(), 100);
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_build_set_with_a_huge_name_is_not_compiled_into_a_pattern() {
    // `tested_set` builds a regex from the set's name; a name as long as a
    // line window must neither panic nor stall, and a short one still works.
    let long = format!("{}_BUILDS", "S".repeat(4000));
    for name in [long.as_str(), "SUPPORTED_BUILDS"] {
        let text = format!(
            "import sys\n\n{name} = {{6001, 6002, 7601}}\n\ndef check():\n    if sys.getwindowsversion().build not in {name}:\n        raise SystemExit(1)\n"
        );
        let findings = lint_bytes("check.py", text.as_bytes(), &Config::default());
        let flagged = findings.is_some_and(|f| !f.is_empty());
        assert_eq!(flagged, name.len() < 100, "{}", name.len());
    }
}
