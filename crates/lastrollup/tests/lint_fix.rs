//! `--fix` and `--diff`: safe edits round-trip in every language that has
//! a fixable form, keep the file's encoding and line endings, are
//! idempotent, and leave no finding of the fixed rule; unsafe edits are
//! shown, never applied.

use std::path::{Path, PathBuf};

use lastrollup::lint::fix::{self, encode, Encoding};
use lastrollup::lint::{lint_paths, Config, Finding};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lastrollup-fix-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

fn lint(path: &Path) -> Vec<Finding> {
    let out = lint_paths(&[path.to_path_buf()], &Config::default());
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    out.findings
}

/// Applies the safe fixes to `path` as `--fix` does; how many were applied.
fn fix_safe(path: &Path) -> usize {
    let mut n = 0;
    for p in fix::plan(&lint(path), true) {
        let r = p.result.expect("rewritable");
        if !r.applied.is_empty() {
            fix::write_atomically(Path::new(&p.path), &r.bytes()).expect("write");
            n += r.applied.len();
        }
    }
    n
}

/// (file name, line before, line after --fix, the rule fixed)
const SAFE: &[(&str, &str, &str, &str)] = &[
    (
        "a.ps1",
        "if ($os.BuildNumber -le 6002) { 'NT 6.0' }",
        "if ($os.BuildNumber -le 6003) { 'NT 6.0' }",
        "build-upper-bound",
    ),
    (
        "b.ps1",
        "if ($v.Major -eq 6 -and $v.Minor -eq 0 -and $v.Build -eq 6002) { 'SP2' }",
        "if ($v.Major -eq 6 -and $v.Minor -eq 0 -and $v.Build -ge 6002) { 'SP2' }",
        "exact-build-6002",
    ),
    (
        "c.cmd",
        "if %BUILD% LSS 6003 goto nt60",
        "if %BUILD% LEQ 6003 goto nt60",
        "build-upper-bound",
    ),
    (
        "d.c",
        "if (osvi.dwMajorVersion == 6 && osvi.dwMinorVersion == 0 && osvi.dwBuildNumber == 6002) {",
        "if (osvi.dwMajorVersion == 6 && osvi.dwMinorVersion == 0 && osvi.dwBuildNumber >= 6002) {",
        "exact-build-6002",
    ),
    (
        "e.cs",
        "if (Environment.OSVersion.Version.Build <= 6002) {",
        "if (Environment.OSVersion.Version.Build <= 6003) {",
        "build-upper-bound",
    ),
    (
        "f.js",
        "if (build < 6003) { legacy(); }",
        "if (build <= 6003) { legacy(); }",
        "build-upper-bound",
    ),
    (
        "g.py",
        "if build <= 6002:",
        "if build <= 6003:",
        "build-upper-bound",
    ),
    (
        "h.vbs",
        "If major = 6 And minor = 0 And build = 6002 Then",
        "If major = 6 And minor = 0 And build >= 6002 Then",
        "exact-build-6002",
    ),
    (
        "i.go",
        "if build <= 6002 {",
        "if build <= 6003 {",
        "build-upper-bound",
    ),
    (
        "j.java",
        "if (osBuild < 6003) {",
        "if (osBuild <= 6003) {",
        "build-upper-bound",
    ),
    (
        "k.rb",
        "if build <= 6002",
        "if build <= 6003",
        "build-upper-bound",
    ),
    (
        "l.pl",
        "if ($build <= 6002) {",
        "if ($build <= 6003) {",
        "build-upper-bound",
    ),
    (
        "m.iss",
        "if Version.Build <= 6002 then",
        "if Version.Build <= 6003 then",
        "build-upper-bound",
    ),
    (
        "n.nsi",
        "${If} $Build <= 6002",
        "${If} $Build <= 6003",
        "build-upper-bound",
    ),
    (
        "o.wxs",
        "<Condition><![CDATA[VersionNT = 600 AND WindowsBuild = 6002]]></Condition>",
        "<Condition><![CDATA[VersionNT = 600 AND WindowsBuild >= 6002]]></Condition>",
        "exact-build-6002",
    ),
    (
        "p.yml",
        "when: build|int <= 6002",
        "when: build|int <= 6003",
        "build-upper-bound",
    ),
    (
        "q.kt",
        "if (6003 > build) {",
        "if (6003 >= build) {",
        "build-upper-bound",
    ),
];

#[test]
fn safe_fixes_round_trip_in_every_language() {
    let dir = scratch("langs");
    for (name, before, after, rule) in SAFE {
        let path = dir.join(name);
        std::fs::write(&path, format!("# first\n{before}\n# last\n")).expect("write");
        let found = lint(&path);
        assert!(
            found.iter().any(|f| f.rule == *rule),
            "{name}: not flagged: {found:?}"
        );
        assert_eq!(fix_safe(&path), 1, "{name}");
        let text = std::fs::read_to_string(&path).expect("read");
        assert_eq!(text, format!("# first\n{after}\n# last\n"), "{name}");
        let again = lint(&path);
        assert!(again.iter().all(|f| f.rule != *rule), "{name}: {again:?}");
        assert_eq!(fix_safe(&path), 0, "{name}: second --fix changed something");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn unsafe_edits_are_shown_in_the_diff_and_never_applied() {
    let dir = scratch("unsafe");
    let path = dir.join("ladder.cmd");
    let text = "@echo off\r\nif %BUILD% EQU 6002 goto sp2\r\nif %BUILD% LEQ 6002 goto old\r\n";
    std::fs::write(&path, text).expect("write");
    let findings = lint(&path);
    let all = fix::plan(&findings, false);
    let r = all[0].result.as_ref().expect("rewritable");
    let diff = fix::unified_diff("ladder.cmd", r);
    let expected = "--- a/ladder.cmd\n+++ b/ladder.cmd\n@@ -1,3 +1,3 @@ exact-build-6002 (unsafe), build-upper-bound (safe)\n \
                    @echo off\n-if %BUILD% EQU 6002 goto sp2\n-if %BUILD% LEQ 6002 goto old\n\
                    +if %BUILD% GEQ 6002 goto sp2\n+if %BUILD% LEQ 6003 goto old\n";
    assert_eq!(diff, expected);
    assert_eq!(
        std::fs::read_to_string(&path).expect("read"),
        text,
        "--diff wrote"
    );
    assert_eq!(fix_safe(&path), 1);
    let fixed = std::fs::read_to_string(&path).expect("read");
    assert_eq!(
        fixed,
        "@echo off\r\nif %BUILD% EQU 6002 goto sp2\r\nif %BUILD% LEQ 6003 goto old\r\n"
    );
    // Line 2 is untouched: its edit is unsafe (`GEQ 6002` would also take
    // Windows 7 and later down the SP2 branch).
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn encoding_bom_and_crlf_are_kept() {
    let dir = scratch("enc");
    let text = "# é\r\nif ($v.Major -eq 6 -and $v.Minor -eq 0 -and $v.Build -eq 6002) { 'SP2' }\r\nif ($os.BuildNumber -le 6002) { 'x' }\r\n";
    let fixed = text
        .replace("-eq 6002", "-ge 6002")
        .replace("-le 6002", "-le 6003");
    for (name, enc) in [
        (
            "utf16le-bom.ps1",
            Encoding::Utf16 {
                little: true,
                bom: true,
            },
        ),
        (
            "utf16be-bom.ps1",
            Encoding::Utf16 {
                little: false,
                bom: true,
            },
        ),
        ("utf8-bom.ps1", Encoding::Utf8 { bom: true }),
        ("utf8.ps1", Encoding::Utf8 { bom: false }),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, encode(text, enc)).expect("write");
        assert_eq!(fix_safe(&path), 2, "{name}");
        let bytes = std::fs::read(&path).expect("read");
        assert_eq!(bytes, encode(&fixed, enc), "{name}");
        assert_eq!(fix_safe(&path), 0, "{name}");
        assert!(lint(&path).is_empty(), "{name}");
    }
    // A legacy code page is never rewritten (its encoding cannot be kept exactly).
    let path = dir.join("cp1252.ps1");
    std::fs::write(
        &path,
        b"# caf\xe9\r\nif ($os.BuildNumber -lt 6003) { 'x' }\r\n",
    )
    .expect("write");
    let plans = fix::plan(&lint(&path), true);
    assert_eq!(plans.len(), 1);
    assert!(matches!(plans[0].result, Err(fix::FixError::Encoding)));
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(unix)]
#[test]
fn the_rewrite_keeps_the_file_mode() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("mode");
    let path = dir.join("run.ps1");
    std::fs::write(&path, "if ($os.BuildNumber -lt 6003) { 'x' }\n").expect("write");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o750)).expect("chmod");
    assert_eq!(fix_safe(&path), 1);
    let mode = std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode, 0o750);
    let leftovers: Vec<_> = std::fs::read_dir(&dir).expect("dir").collect();
    assert_eq!(leftovers.len(), 1, "temporary file left behind");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A finding in a later window of a long (minified) line: the text form's
/// caret is under it and its fix lands at its place in the real line.
#[test]
fn long_lines_are_fixed_and_shown_at_the_right_place() {
    let dir = scratch("long");
    let path = dir.join("bundle.min.js");
    let before = "é;".repeat(3000);
    let after = "z;".repeat(3000);
    let text = format!("{before}if(build<=6002){{old()}};{after}\n");
    std::fs::write(&path, &text).expect("write");
    let found = lint(&path);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].snippet_offset > 0, "not in a later window");
    assert_eq!(
        found[0].column,
        before.chars().count() + "if(build<=".len() + 1
    );
    let mut shown = String::new();
    lastrollup::lint::output::finding_text(&mut shown, &found[0]);
    let lines: Vec<&str> = shown.lines().collect();
    let caret = lines[3].find('^').expect("caret");
    let under: String = lines[2].chars().skip(caret).take(4).collect();
    assert_eq!(under, "6002", "{shown}");
    assert_eq!(fix_safe(&path), 1);
    let fixed = std::fs::read_to_string(&path).expect("read");
    assert_eq!(fixed, text.replace("<=6002", "<=6003"));
    assert_eq!(fix_safe(&path), 0);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Found by the fuzz target: a line with two bounds is one finding, and one
/// `--fix` must fix both (else a second `--fix` changes something).
#[test]
fn every_test_on_a_fixed_line_is_fixed_at_once() {
    let dir = scratch("twice");
    let path = dir.join("two.ps1");
    let text = "if ($build -le 6002) { 'a' } elseif ($old -le 6002 -or $b -le 6002) { 'b' }\n\
                if ($v.Major -eq 6 -and $v.Minor -eq 0 -and ($v.Build -eq 6002 -and $w.Build -eq 6002)) {}\n";
    std::fs::write(&path, text).expect("write");
    assert_eq!(fix_safe(&path), 5);
    let fixed = std::fs::read_to_string(&path).expect("read");
    assert_eq!(
        fixed,
        "if ($build -le 6003) { 'a' } elseif ($old -le 6003 -or $b -le 6003) { 'b' }\n\
         if ($v.Major -eq 6 -and $v.Minor -eq 0 -and ($v.Build -ge 6002 -and $w.Build -ge 6002)) {}\n"
    );
    assert_eq!(fix_safe(&path), 0);
    let crash = "if ($build -lt 6002) { 'needs SP2' }\nif ($build -le 6002) { &NT 6.0 ild -le 6002) { &NT 6.0 SP2' }\n";
    std::fs::write(&path, crash).expect("write");
    assert_eq!(fix_safe(&path), 2);
    assert_eq!(fix_safe(&path), 0);
    let _ = std::fs::remove_dir_all(&dir);
}
