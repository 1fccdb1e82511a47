//! The kit's `install.cmd`, run for real under Wine with stand-ins for
//! `wusa.exe` and `certutil.exe`.
//!
//! Wine's cmd, reg, whoami, find and net run the script's checks; the Wine
//! prefix is set to Windows Server 2008 (`winecfg -v win2008`: NT 6.0,
//! ProductType ServerNT) and gets Component Based Servicing keys and package
//! manifests for an installed and an install-pending update. Wine has no
//! working `certutil -hashfile` (it prints nothing) and no real wusa, so:
//!
//! * the wusa stand-in (a `.cmd` named by `LASTROLLUP_TEST_WUSA`) appends
//!   each call to `calls.txt` and returns the exit code `codes.txt` gives for
//!   the file name;
//! * the certutil stand-in (`LASTROLLUP_TEST_CERTUTIL`) hashes by content:
//!   it looks the file's size and content up in a table of every payload
//!   content the test wrote, with its real SHA-1 computed here, and prints
//!   it as Vista's certutil does (byte pairs with spaces) or unspaced. A
//!   corrupted payload therefore gets its own, different SHA-1.
//!
//! One Wine prefix is made once per user and reused (a fresh one takes
//! seconds and 700 MB); the kits live in a folder per test process. Without
//! `wine` on the PATH the tests say they are skipped; with
//! `LASTROLLUP_REQUIRE_WINE=1` (set by `.ci/run` when Wine can be had) a
//! missing Wine fails them.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use lastrollup::advisory::Family;
use lastrollup::catalog::{Catalog, UpdateKind};
use lastrollup::host::Arch;
use lastrollup::offline::install_script::{
    render, sha1_hex, KitTarget, Payload, ScriptPlan, Stage, TEST_CERTUTIL_VARIABLE,
    TEST_WUSA_VARIABLE,
};
use sha1::{Digest, Sha1};

/// The update the prefix shows as installed (CurrentState 0x70).
const INSTALLED_KB: u32 = 4474419;
/// The update the prefix shows as waiting for a restart (0x60).
const PENDING_KB: u32 = 4499180;

struct Wine {
    prefix: PathBuf,
    computer: String,
}

fn wine_command(prefix: &Path) -> Command {
    let mut c = Command::new("wine");
    c.env("WINEPREFIX", prefix)
        .env("WINEDEBUG", "-all")
        // No Mono/Gecko install prompts in a fresh prefix.
        .env("WINEDLLOVERRIDES", "mscoree,mshtml=")
        .stdin(Stdio::null());
    c
}

fn to_wine(p: &Path) -> String {
    format!("Z:{}", p.display().to_string().replace('/', "\\"))
}

/// Runs `wine ARGS` to its end (at most five minutes); its stdout.
fn run_wine(prefix: &Path, args: &[&str], env: &[(&str, String)]) -> String {
    let mut cmd = wine_command(prefix);
    cmd.args(args).stdout(Stdio::piped()).stderr(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("wine starts");
    let deadline = Instant::now() + Duration::from_secs(300);
    while child.try_wait().expect("wait").is_none() {
        if Instant::now() > deadline {
            child.kill().ok();
            panic!("wine {args:?} did not finish within 5 minutes");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let out = child.wait_with_output().expect("output");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The shared prefix, made once per test process (and reused between runs).
fn wine() -> Option<&'static Wine> {
    static WINE: OnceLock<Option<Wine>> = OnceLock::new();
    WINE.get_or_init(|| {
        let found = Command::new("wine")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
        if !found {
            assert!(
                std::env::var("LASTROLLUP_REQUIRE_WINE").as_deref() != Ok("1"),
                "LASTROLLUP_REQUIRE_WINE=1 but wine is not installed"
            );
            return None;
        }
        let user = std::env::var("USER").unwrap_or_else(|_| "user".to_owned());
        let prefix = std::env::temp_dir().join(format!("lastrollup-install-wine-{user}"));
        std::fs::create_dir_all(&prefix).unwrap();
        // NT 6.0, Server 2008: CurrentVersion 6.0, ProductType ServerNT.
        run_wine(&prefix, &["winecfg", "-v", "win2008"], &[]);
        let packages = prefix.join("drive_c/windows/servicing/Packages");
        std::fs::create_dir_all(&packages).unwrap();
        let cbs = "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\Packages";
        let mut setup = String::from("@echo off\r\n");
        for (kb, state) in [(INSTALLED_KB, 0x70), (PENDING_KB, 0x60)] {
            let name = format!("Package_for_KB{kb}~31bf3856ad364e35~amd64~~6.0.1.0");
            std::fs::write(packages.join(format!("{name}.mum")), b"<assembly/>").unwrap();
            setup.push_str(&format!(
                "reg add \"{cbs}\\{name}\" /v CurrentState /t REG_DWORD /d {state} /f >nul\r\n"
            ));
        }
        setup.push_str("echo computer=%COMPUTERNAME%\r\n");
        let file = prefix.join("lastrollup-setup.cmd");
        std::fs::write(&file, setup).unwrap();
        let out = run_wine(&prefix, &["cmd", "/c", &to_wine(&file)], &[]);
        let computer = out
            .lines()
            .find_map(|l| l.trim().strip_prefix("computer="))
            .expect("the setup prints the computer name")
            .to_owned();
        Some(Wine { prefix, computer })
    })
    .as_ref()
}

macro_rules! wine_or_skip {
    () => {
        match wine() {
            Some(w) => w,
            None => {
                eprintln!("SKIPPED: wine is not installed (apt-get install wine): install.cmd was not run");
                return;
            }
        }
    };
}

/// One payload file: its content (one line without spaces) and name.
struct File {
    kb: u32,
    content: String,
}

impl File {
    fn new(kb: u32) -> File {
        File {
            kb,
            // A line end: Wine's `set /p` drops the last character of a
            // file without one.
            content: format!("payload-KB{kb}-x64\r\n"),
        }
    }
    fn sha1(&self) -> [u8; 20] {
        sha1_of(self.content.as_bytes())
    }
    fn name(&self) -> String {
        format!(
            "windows6.0-kb{}-x64_{}.msu",
            self.kb,
            sha1_hex(&self.sha1())
        )
    }
}

fn sha1_of(bytes: &[u8]) -> [u8; 20] {
    Sha1::digest(bytes).into()
}

fn payload(f: &File, known_name: bool, hosts: &[&str]) -> Payload {
    Payload {
        kb: f.kb,
        kind: UpdateKind::MonthlyRollup,
        title: format!("Test update (KB{})", f.kb),
        file_name: known_name.then(|| f.name()),
        sha1: None,
        hosts: hosts.iter().map(|h| (*h).to_owned()).collect(),
    }
}

fn plan(arch: Arch, families: &[Family], stages: Vec<Vec<Payload>>) -> ScriptPlan {
    ScriptPlan {
        targets: vec![KitTarget {
            arch,
            families: families.to_vec(),
            stages: stages
                .into_iter()
                .map(|payloads| Stage { payloads })
                .collect(),
        }],
    }
}

/// A kit folder with its script, payloads and stand-ins.
struct Kit {
    dir: PathBuf,
    tools: PathBuf,
}

impl Kit {
    /// Writes the kit: the script of `plan`, the payload files (each with
    /// the content given, which may differ from the content its name was
    /// made from), and the stand-ins with their tables.
    fn new(name: &str, plan: &ScriptPlan, files: &[(&File, &str)], codes: &[(&File, i64)]) -> Kit {
        let root =
            std::env::temp_dir().join(format!("lastrollup-install-kits-{}", std::process::id()));
        let dir = root.join(name).join("kit");
        let tools = root.join(name).join("tools");
        std::fs::remove_dir_all(root.join(name)).ok();
        std::fs::create_dir_all(dir.join("payloads")).unwrap();
        std::fs::create_dir_all(&tools).unwrap();
        std::fs::write(
            dir.join("install.cmd"),
            render(plan).expect("the plan renders"),
        )
        .unwrap();
        let mut hashes = String::new();
        for (i, (f, content)) in files.iter().enumerate() {
            std::fs::write(dir.join("payloads").join(f.name()), content).unwrap();
            let hex = sha1_hex(&sha1_of(content.as_bytes()));
            // Every other file in Vista's spaced form, the rest unspaced.
            let shown = if i % 2 == 0 {
                hex.as_bytes()
                    .chunks(2)
                    .map(|c| std::str::from_utf8(c).unwrap())
                    .collect::<Vec<_>>()
                    .join("_")
            } else {
                hex
            };
            let line = content.trim_end();
            hashes.push_str(&format!("{} {line} {shown}\r\n", content.len()));
        }
        std::fs::write(tools.join("hashes.txt"), hashes).unwrap();
        let codes: String = codes
            .iter()
            .map(|(f, c)| format!("{} {c}\r\n", f.name()))
            .collect();
        std::fs::write(tools.join("codes.txt"), codes).unwrap();
        std::fs::write(tools.join("wusa.cmd"), WUSA_STANDIN.replace('\n', "\r\n")).unwrap();
        std::fs::write(
            tools.join("certutil.cmd"),
            CERTUTIL_STANDIN.replace('\n', "\r\n"),
        )
        .unwrap();
        std::fs::write(
            tools.join("run.cmd"),
            format!(
                "@echo off\r\ncmd /c \"{}\"\r\n>\"{}\" echo %errorlevel%\r\n",
                to_wine(&dir.join("install.cmd")),
                to_wine(&tools.join("rc.txt"))
            ),
        )
        .unwrap();
        Kit { dir, tools }
    }

    /// Runs install.cmd once; its exit code.
    fn run(&self, wine: &Wine) -> i64 {
        std::fs::remove_file(self.tools.join("rc.txt")).ok();
        run_wine(
            &wine.prefix,
            &["cmd", "/c", &to_wine(&self.tools.join("run.cmd"))],
            &[
                (TEST_WUSA_VARIABLE, to_wine(&self.tools.join("wusa.cmd"))),
                (
                    TEST_CERTUTIL_VARIABLE,
                    to_wine(&self.tools.join("certutil.cmd")),
                ),
            ],
        );
        let rc = std::fs::read_to_string(self.tools.join("rc.txt")).expect("run.cmd wrote rc.txt");
        rc.trim().parse().expect("a number")
    }

    /// The files wusa was called with, in order, and its switches.
    fn calls(&self) -> Vec<String> {
        std::fs::read_to_string(self.tools.join("calls.txt"))
            .unwrap_or_default()
            .lines()
            .map(|l| l.trim().to_owned())
            .collect()
    }

    fn log(&self, wine: &Wine) -> String {
        std::fs::read_to_string(self.dir.join("logs").join(format!("{}.log", wine.computer)))
            .expect("the log")
    }

    fn state(&self, wine: &Wine) -> Option<String> {
        std::fs::read_to_string(
            self.dir
                .join("state")
                .join(format!("{}.txt", wine.computer)),
        )
        .ok()
    }

    /// Every file below the kit folder, relative, sorted.
    fn listing(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut todo = vec![self.dir.clone()];
        while let Some(d) = todo.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    todo.push(p);
                } else {
                    let rel = p.strip_prefix(&self.dir).unwrap();
                    out.push(rel.display().to_string());
                }
            }
        }
        out.sort();
        out
    }
}

const WUSA_STANDIN: &str = r#"@echo off
rem Test stand-in for wusa.exe: records the call, returns the code of codes.txt.
>>"%~dp0calls.txt" echo %~nx1 %2 %3
set "rc=0"
for /f "usebackq tokens=1,2" %%A in ("%~dp0codes.txt") do if /i "%%A"=="%~nx1" set "rc=%%B"
exit /b %rc%
"#;

const CERTUTIL_STANDIN: &str = r#"@echo off
rem Test stand-in for certutil -hashfile: the SHA-1 of the file's content,
rem looked up by size and content in hashes.txt ("_" prints as a space).
setlocal
set "L="
set /p L=<"%~2"
set "Z=%~z2"
set "H="
for /f "usebackq tokens=1,2,3" %%A in ("%~dp0hashes.txt") do if "%%A"=="%Z%" if "%%B"=="%L%" set "H=%%C"
if not defined H goto unknown
echo SHA1 hash of file %~2:
echo %H:_= %
echo CertUtil: -hashfile command completed successfully.
exit /b 0
:unknown
echo CertUtil: -hashfile command FAILED: 0x80070002 (not in the test's table)
exit /b 2
"#;

fn server_x64(stages: Vec<Vec<Payload>>) -> ScriptPlan {
    plan(Arch::X64, &[Family::WindowsServer2008], stages)
}

#[test]
fn stages_run_in_order_skip_what_is_not_needed_and_resume_after_restarts() {
    let wine = wine_or_skip!();
    let (ssu, sha2, other, mine) = (
        File::new(4493730),
        File::new(INSTALLED_KB),
        File::new(4500001),
        File::new(4500002),
    );
    let (rollup, na, last) = (File::new(5073697), File::new(5000002), File::new(5000003));
    let plan = server_x64(vec![
        vec![
            payload(&ssu, true, &[]),
            payload(&sha2, true, &[]),
            payload(&other, true, &["SOMEONE-ELSE"]),
            payload(
                &mine,
                true,
                &["someone-else", &wine.computer.to_ascii_lowercase()],
            ),
        ],
        // The rollup's file name is unknown: found by KB and architecture.
        vec![payload(&rollup, false, &[]), payload(&na, true, &[])],
        vec![payload(&last, true, &[])],
    ]);
    let all = [&ssu, &sha2, &other, &mine, &rollup, &na, &last];
    let files: Vec<(&File, &str)> = all.iter().map(|f| (*f, f.content.as_str())).collect();
    let kit = Kit::new("order", &plan, &files, &[(&ssu, 3010), (&na, -2145124329)]);
    let call = |f: &File| format!("{} /quiet /norestart", f.name());

    assert_eq!(kit.run(wine), 3010, "{}", kit.log(wine));
    assert_eq!(kit.calls(), [call(&ssu), call(&mine)]);
    let state = kit.state(wine).expect("a state file");
    assert!(state.contains("done=1"), "{state}");

    assert_eq!(kit.run(wine), 3010, "{}", kit.log(wine));
    assert_eq!(
        kit.calls(),
        [call(&ssu), call(&mine), call(&rollup), call(&na)]
    );

    assert_eq!(kit.run(wine), 0, "{}", kit.log(wine));
    assert_eq!(kit.calls().len(), 5);
    assert_eq!(kit.calls()[4], call(&last));

    assert_eq!(kit.run(wine), 0, "{}", kit.log(wine));
    assert_eq!(kit.calls().len(), 5, "a complete kit runs nothing");

    let log = kit.log(wine);
    assert!(!log.contains("REFUSED"), "{log}");
    for needed in [
        &format!("KB{INSTALLED_KB}: already installed (Package_for_KB{INSTALLED_KB}~"),
        "KB4500001: skipped, the kit does not list",
        &format!("KB4493730: SHA-1 {} verified", sha1_hex(&ssu.sha1())),
        &format!("KB5073697: found payloads\\{}", rollup.name()),
        "KB4493730: installed, a restart is needed (exit code 3010)",
        "KB5000002: not installed, exit code -2145124329 (0x80240017 WU_E_NOT_APPLICABLE)",
        "stage 1 of 3 is installed. Restart the computer",
        "it goes on with stage 2.",
        "state: stage 1 of 3 was completed by an earlier run",
        "all 3 stages are installed.",
        "every stage of this kit was completed by an earlier run",
        "install.cmd ends with exit code 3010",
        "install.cmd ends with exit code 0",
        "TEST MODE: wusa is",
    ] {
        assert!(log.contains(needed), "{needed:?} not in the log:\n{log}");
    }
    // Every line of the log starts with the date and time.
    for line in log.lines() {
        let stamp = line.split_whitespace().take(2).collect::<Vec<_>>();
        assert!(
            stamp.len() == 2 && stamp.iter().all(|s| s.chars().any(|c| c.is_ascii_digit())),
            "no time stamp: {line}"
        );
    }
    let computer = &wine.computer;
    let mut expected: Vec<String> = all
        .iter()
        .map(|f| format!("payloads/{}", f.name()))
        .collect();
    expected.extend([
        "install.cmd".to_owned(),
        format!("logs/{computer}.log"),
        format!("state/{computer}.txt"),
    ]);
    expected.sort();
    assert_eq!(
        kit.listing(),
        expected,
        "the script writes its log and state only"
    );
}

#[test]
fn a_failure_stops_the_run_and_is_explained_from_the_error_catalog() {
    let wine = wine_or_skip!();
    let (a, b, c) = (File::new(4500010), File::new(4500011), File::new(4500012));
    let plan = server_x64(vec![
        vec![
            payload(&a, true, &[]),
            payload(&b, true, &[]),
            payload(&c, true, &[]),
        ],
        vec![payload(&File::new(4500013), false, &[])],
    ]);
    let files: Vec<(&File, &str)> = [&a, &b, &c]
        .iter()
        .map(|f| (*f, f.content.as_str()))
        .collect();
    let kit = Kit::new("failure", &plan, &files, &[(&b, -2146885628)]);
    assert_eq!(kit.run(wine), 4, "{}", kit.log(wine));
    assert_eq!(
        kit.calls(),
        [
            format!("{} /quiet /norestart", a.name()),
            format!("{} /quiet /norestart", b.name())
        ]
    );
    assert!(kit.state(wine).is_none(), "no stage was completed");
    let log = kit.log(wine);
    let entry = Catalog::embedded().error_code("0x80092004").unwrap();
    for needed in [
        "KB4500011: FAILED: ",
        "ended with exit code -2146885628 (0x80092004)",
        &format!("0x80092004 {}: {}", entry.name, entry.meaning),
        &format!("likely cause: {}", entry.cause),
        &format!("what to do: {}", entry.fix),
        "cause id missing-sha2",
        "install.cmd ends with exit code 4",
    ] {
        assert!(log.contains(needed), "{needed:?} not in the log:\n{log}");
    }
    assert!(!log.contains("KB4500012: installing"), "{log}");
}

#[test]
fn an_exit_code_the_catalog_does_not_know_is_shown_in_hex() {
    let wine = wine_or_skip!();
    let a = File::new(4500020);
    let plan = server_x64(vec![vec![payload(&a, true, &[])]]);
    let kit = Kit::new("unknown-code", &plan, &[(&a, &a.content)], &[(&a, 1234)]);
    assert_eq!(kit.run(wine), 4, "{}", kit.log(wine));
    let log = kit.log(wine);
    assert!(log.contains("exit code 1234 (0x000004d2)"), "{log}");
    assert!(log.contains("try lastrollup explain 0x000004d2"), "{log}");
}

#[test]
fn a_corrupted_payload_is_refused_before_wusa_runs() {
    let wine = wine_or_skip!();
    let (good, bad) = (File::new(4500030), File::new(4500031));
    let plan = server_x64(vec![vec![
        payload(&good, true, &[]),
        payload(&bad, false, &[]),
    ]]);
    // Same size, one byte changed: only its content says it is not the file.
    let damaged = bad.content.replace("x64", "x65");
    let kit = Kit::new(
        "corrupted",
        &plan,
        &[(&good, &good.content), (&bad, &damaged)],
        &[],
    );
    assert_eq!(kit.run(wine), 3, "{}", kit.log(wine));
    assert_eq!(kit.calls(), [format!("{} /quiet /norestart", good.name())]);
    let log = kit.log(wine);
    let needed = format!(
        "KB4500031: REFUSED payloads\\{}: its SHA-1 is {}, expected {}",
        bad.name(),
        sha1_hex(&sha1_of(damaged.as_bytes())),
        sha1_hex(&bad.sha1())
    );
    assert!(log.contains(&needed), "{needed:?} not in the log:\n{log}");
}

#[test]
fn missing_and_ambiguous_payloads_stop_before_anything_runs() {
    let wine = wine_or_skip!();
    let missing = File::new(4500040);
    let plan = server_x64(vec![vec![payload(&missing, true, &[])]]);
    let kit = Kit::new("missing", &plan, &[], &[]);
    assert_eq!(kit.run(wine), 3, "{}", kit.log(wine));
    assert!(kit.calls().is_empty());
    assert!(kit
        .log(wine)
        .contains(&format!("KB4500040: MISSING payloads\\{}", missing.name())));

    // Two files for one KB whose name is unknown: which one is meant?
    let (one, two) = (File::new(4500041), File::new(4500041));
    let two = File {
        content: two.content.replace("x64", "x64-other"),
        ..two
    };
    let plan = server_x64(vec![vec![payload(&one, false, &[])]]);
    let kit = Kit::new(
        "ambiguous",
        &plan,
        &[(&one, &one.content), (&two, &two.content)],
        &[],
    );
    assert_eq!(kit.run(wine), 3, "{}", kit.log(wine));
    assert!(kit.calls().is_empty());
    assert!(kit
        .log(wine)
        .contains("KB4500041: 2 files windows6.0-kb4500041-x64_*.msu in payloads\\"));
}

#[test]
fn a_kit_for_another_architecture_or_product_is_refused() {
    let wine = wine_or_skip!();
    let f = File::new(4500050);
    let x86 = plan(
        Arch::X86,
        &[Family::WindowsServer2008],
        vec![vec![Payload {
            file_name: Some(f.name().replace("-x64_", "-x86_")),
            ..payload(&f, false, &[])
        }]],
    );
    let kit = Kit::new("x86-only", &x86, &[], &[]);
    assert_eq!(kit.run(wine), 2, "{}", kit.log(wine));
    assert!(kit.calls().is_empty());
    let log = kit.log(wine);
    assert!(
        log.contains(
            "REFUSED: this kit is for Windows Server 2008 x86; this computer is server2008 x64"
        ),
        "{log}"
    );

    let vista = plan(
        Arch::X64,
        &[Family::WindowsVista],
        vec![vec![payload(&f, true, &[])]],
    );
    let kit = Kit::new("vista-only", &vista, &[(&f, &f.content)], &[]);
    assert_eq!(kit.run(wine), 2, "{}", kit.log(wine));
    assert!(kit.calls().is_empty());
    assert!(kit
        .log(wine)
        .contains("REFUSED: this kit is for Windows Vista x64; this computer is server2008 x64"));
}

#[test]
fn an_update_waiting_for_a_restart_is_skipped_and_the_stage_stops() {
    let wine = wine_or_skip!();
    let (pending, next) = (File::new(PENDING_KB), File::new(4500060));
    let plan = server_x64(vec![
        vec![payload(&pending, true, &[])],
        vec![payload(&next, true, &[])],
    ]);
    let kit = Kit::new(
        "pending",
        &plan,
        &[(&pending, &pending.content), (&next, &next.content)],
        &[],
    );
    assert_eq!(kit.run(wine), 3010, "{}", kit.log(wine));
    assert!(kit.calls().is_empty());
    assert!(kit
        .log(wine)
        .contains(&format!("KB{PENDING_KB}: installed, waiting for a restart")));
}

/// The embedded catalog with the x64 payload data of KB4493730 and
/// KB5039341 naming the test's files (KB5073697's name stays unknown).
fn kit_catalog(ssu: &File, ssu2: &File) -> Catalog {
    use lastrollup::catalog::{CatalogSources, EMBEDDED};
    let text = EMBEDDED
        .payloads
        .replace(
            "5cb91f4e9000383f061b80f88feffdf228c2443c",
            &sha1_hex(&ssu.sha1()),
        )
        .replace(
            "2dfad504a6771157472ed3647d021e7b3211c505",
            &sha1_hex(&ssu2.sha1()),
        );
    Catalog::parse(CatalogSources {
        payloads: &text,
        ..EMBEDDED
    })
    .expect("the test catalog")
}

#[test]
fn a_kit_made_from_plans_installs_in_the_manifest_order() {
    use lastrollup::assess::{Goal, Step};
    use lastrollup::offline::{manifest, script};
    let wine = wine_or_skip!();
    let (ssu, ssu2, rollup) = (File::new(4493730), File::new(5039341), File::new(5073697));
    let catalog = kit_catalog(&ssu, &ssu2);
    let step = |kb: Option<u32>| Step {
        order: 0,
        kb: kb.map(|k| format!("KB{k}")),
        kind: if kb.is_some() { "" } else { "reboot" },
        title: String::new(),
        released: None,
        reason: "restart".into(),
        condition: None,
    };
    // This computer needs all three; another one only the newer SSU and the
    // rollup.
    let mine = [
        step(Some(4493730)),
        step(Some(5039341)),
        step(Some(5073697)),
        step(None),
    ];
    let theirs = [step(Some(5039341)), step(Some(5073697)), step(None)];
    let host = |name: &str, plan: &'static [Step]| manifest::HostPlan {
        id: name.to_ascii_lowercase(),
        name: Some(name.to_owned()),
        product: Some("Windows Server 2008 SP2".into()),
        family: Some("windows-server-2008".into()),
        arch: Some(Arch::X64),
        excluded: None,
        empty_plan: None,
        plan,
    };
    let mine: &'static [Step] = Box::leak(Box::new(mine));
    let theirs: &'static [Step] = Box::leak(Box::new(theirs));
    let hosts = [host(&wine.computer, mine), host("OTHER-HOST", theirs)];
    let m = manifest::build(
        &hosts,
        &catalog,
        jiff::civil::date(2026, 6, 30),
        Goal::Final,
    );
    assert_eq!(m.files.len(), 3);
    assert_eq!(m.files[0].file_name.as_deref(), Some(ssu.name().as_str()));
    assert!(m.files[2].file_name.is_none());
    let plan = script::script_plan(&m, &catalog).expect("a script plan");
    let files: Vec<(&File, &str)> = [&ssu, &ssu2, &rollup]
        .iter()
        .map(|f| (*f, f.content.as_str()))
        .collect();
    let kit = Kit::new("from-plans", &plan, &files, &[(&rollup, 3010)]);
    let call = |f: &File| format!("{} /quiet /norestart", f.name());
    assert_eq!(kit.run(wine), 3010, "{}", kit.log(wine));
    assert_eq!(kit.calls(), [call(&ssu), call(&ssu2), call(&rollup)]);
    assert_eq!(kit.run(wine), 0, "{}", kit.log(wine));
    assert_eq!(kit.calls().len(), 3, "a complete kit runs nothing");
}
