//! The collector script is strictly read-only, and `lastrollup collector`
//! hands it out byte for byte.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use regex::RegexSet;

fn script_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../collector/lastrollup-collect.cmd")
}

fn helper_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../collector/lastrollup-collect.vbs")
}

/// What a VBScript would call to change a system or write a file.
fn vbs_forbidden() -> RegexSet {
    RegexSet::new([
        r"(?i)\bReg(Write|Delete)\b",
        r"(?i)\b(CreateTextFile|DeleteFile|DeleteFolder|CopyFile|CopyFolder|MoveFile|MoveFolder|CreateFolder)\b",
        r"(?i)\bOpenTextFile\s*\([^,]*,\s*[^1\s]",
        r"(?i)\.(Run|Exec|ShellExecute)\b",
        r"(?i)\b(ExecMethod_?|Put_|SpawnInstance_|SetInfo)\b",
        r"(?i)WScript\.Shell|Shell\.Application",
    ])
    .expect("patterns")
}

#[test]
fn the_helper_only_reads() {
    let vbs = std::fs::read_to_string(helper_path()).expect("collector helper");
    let set = vbs_forbidden();
    let bad: Vec<String> = vbs
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim_start().starts_with('\''))
        .filter(|(_, l)| set.is_match(l))
        .map(|(i, l)| format!("line {}: {l}", i + 1))
        .collect();
    assert!(
        bad.is_empty(),
        "the helper must be read-only:\n{}",
        bad.join("\n")
    );
    for l in [
        "Set ts = fso.OpenTextFile(path, 2, True)",
        "fso.DeleteFile \"x\"",
        "sh.RegWrite \"HKLM\\X\", 1",
        "CreateObject(\"WScript.Shell\").Run \"cmd\"",
    ] {
        assert!(set.is_match(l), "not caught: {l}");
    }
    assert!(!set.is_match("Set ts = fso.OpenTextFile(path, 1, False, 0)"));
}

/// Commands and verbs that change a system. A line of the script that
/// matches one of these (outside comments) fails the test.
fn forbidden() -> RegexSet {
    RegexSet::new([
        r"(?i)\breg(\.exe)?\s+(add|delete|import|export|copy|save|restore|load|unload|flags)\b",
        r"(?i)\bregedit\b|\bregini\b",
        r"(?i)\bsc(\.exe)?\s+(\\\\\S+\s+)?(config|stop|start|delete|create|pause|continue|failure|sdset|control)\b",
        r"(?i)\bnet(\.exe)?\s+(stop|start|user|localgroup|group|share|use|accounts|config|pause|continue|time)\b",
        r"(?i)\b(bcdedit|bootcfg|wusa|pkgmgr|ocsetup|dism|bitsadmin|shutdown|gpupdate|setx|mklink|vssadmin|cipher|msiexec|takeown|icacls|cacls|attrib|robocopy|xcopy|diskpart|defrag|chkdsk|compact|convert)\b",
        r"(?i)\bwmic\b.*\b(call|set|delete|create)\b",
        r"(?i)\bnetsh\b.*\b(set|add|delete|reset|dump)\b",
        r"(?i)\bschtasks\b.*/(create|change|delete|run|end)\b",
        r"(?i)\bfsutil\b.*\b(set|create|delete|setzerodata|seteof|setshortname|createnew)\b",
        r"(?i)\bformat\s+[a-z]:",
        r"(?i)^\s*(@?)(move|ren|rename|rd|rmdir|md|mkdir|copy)\b",
        r"(?i)[&|(]\s*(move|ren|rename|rd|rmdir|md|mkdir|copy)\b",
        r"(?i)\b(del|erase)\b",
        r"(?i)\bslmgr(\.vbs)?\b",
    ])
    .expect("patterns")
}

/// Lines of the script that are not comments.
fn code_lines(script: &str) -> Vec<(usize, &str)> {
    script
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty())
        .filter(|(_, l)| {
            let low = l.to_ascii_lowercase();
            !(low.starts_with("rem ")
                || low == "rem"
                || low.starts_with("::")
                || low.starts_with("@rem"))
        })
        .collect()
}

/// Problems of one line: forbidden commands, and redirections to anything
/// but the collector's own output file or `nul`.
fn problems(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let set = forbidden();
    for i in set.matches(line).iter() {
        // slmgr is allowed to display licences only.
        if i == set.len() - 1 {
            let low = line.to_ascii_lowercase();
            if low.contains("/dlv") || low.contains("/dli") {
                continue;
            }
        }
        out.push(format!("forbidden command (pattern {i})"));
    }
    let redirect =
        regex::Regex::new(r#"(?i)(?:^|[^0-9&])[12]?>>?\s*("[^"]*"|[^\s&|)']+)"#).expect("pattern");
    for c in redirect.captures_iter(line) {
        let target = c[1].trim_matches('"').to_ascii_lowercase();
        let ok = ["nul", "%out%", "!out!", "&1", "&2"].contains(&target.as_str());
        if !ok {
            out.push(format!("writes to {target}"));
        }
    }
    out
}

#[test]
fn the_script_changes_nothing_but_its_own_output() {
    let script = std::fs::read_to_string(script_path()).expect("collector script");
    let mut bad = Vec::new();
    for (n, l) in code_lines(&script) {
        for p in problems(l) {
            bad.push(format!("line {n}: {p}: {l}"));
        }
    }
    assert!(
        bad.is_empty(),
        "the collector must be read-only:\n{}",
        bad.join("\n")
    );
    // It does run the commands the assessment needs.
    for needed in [
        "systeminfo",
        "wmic qfe list full",
        "reg query",
        "slmgr.vbs\" /dlv all",
        "servicing\\Version",
    ] {
        assert!(script.contains(needed), "the script does not run {needed}");
    }
}

#[test]
fn the_scan_catches_what_changes_a_system() {
    for l in [
        "reg add HKLM\\Software\\X /v Y /d 1",
        "sc config wuauserv start= disabled",
        "net stop wuauserv",
        "wmic qfe call uninstall",
        "wusa x.msu /quiet",
        "bcdedit /set testsigning on",
        "cscript //nologo slmgr.vbs /ipk XXXXX",
        "del C:\\Windows\\Temp\\*",
        "echo x > C:\\Windows\\win.ini",
        "copy a b",
        "if exist x (rd /s /q y)",
        "schtasks /create /tn x /tr y",
    ] {
        assert!(!problems(l).is_empty(), "not caught: {l}");
    }
    for l in [
        "reg query \"HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\" >>\"%OUT%\" 2>&1",
        "cscript //nologo \"%SystemRoot%\\system32\\slmgr.vbs\" /dlv all <nul >>\"%OUT%\" 2>&1",
        "net session >nul 2>&1 && set \"LR_ELEVATED=yes\"",
    ] {
        assert!(
            problems(l).is_empty(),
            "false alarm on {l}: {:?}",
            problems(l)
        );
    }
}

#[test]
fn the_binary_hands_out_the_script() {
    let script = std::fs::read(script_path()).expect("collector script");
    let out = Command::cargo_bin("lastrollup")
        .unwrap()
        .arg("collector")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(out.stdout, script);
    let dir =
        std::env::temp_dir().join(format!("lastrollup-collector-test-{}", std::process::id()));
    Command::cargo_bin("lastrollup")
        .unwrap()
        .args(["collector", "--write"])
        .arg(&dir)
        .assert()
        .success();
    assert_eq!(
        std::fs::read(dir.join("lastrollup-collect.cmd")).unwrap(),
        script
    );
    std::fs::remove_dir_all(&dir).ok();
}
