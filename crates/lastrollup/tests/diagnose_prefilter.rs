//! The byte-level prefilter (`diagnose::prefilter`) changes how fast a log
//! is read, never what it says: every corpus log, every fixture and
//! generated CBS and WindowsUpdate.log text give the same diagnosis with
//! the prefilter and without it, at several read-buffer sizes (lines that
//! cross a buffer's end are read the slow way).
//!
//! The prefilter starts after the first 64 lines (format detection), so
//! each log is read repeated until it is longer than that.

mod support;

use std::io::BufReader;
use std::path::{Path, PathBuf};

use lastrollup::catalog::Catalog;
use lastrollup::diagnose::{self, ReadOptions};
use proptest::prelude::*;

/// Buffer sizes: tiny (most lines cross a buffer end), small, whole.
const BUFFERS: [usize; 3] = [97, 4096, 1 << 20];

fn diagnosis(bytes: &[u8], prefilter: bool, buffer: usize) -> Option<diagnose::Diagnosis> {
    let catalog = Catalog::embedded();
    let options = ReadOptions {
        prefilter,
        ..ReadOptions::default()
    };
    let reader = BufReader::with_capacity(buffer, bytes);
    let file = diagnose::read_log_with("log", reader, options, catalog).ok()?;
    Some(diagnose::diagnose(vec![file], catalog))
}

fn assert_same(name: &str, bytes: &[u8]) {
    let full = diagnosis(bytes, false, 1 << 20);
    for buffer in BUFFERS {
        let fast = diagnosis(bytes, true, buffer);
        assert!(
            fast == full,
            "{name} (buffer {buffer}): the prefiltered diagnosis differs\n\
             full: {full:#?}\nprefiltered: {fast:#?}"
        );
    }
}

/// The log repeated until it has more than 200 lines.
fn repeated(bytes: &[u8]) -> Vec<u8> {
    let lines = memchr::memchr_iter(b'\n', bytes).count().max(1);
    let mut out = bytes.to_vec();
    if !out.ends_with(b"\n") {
        out.extend_from_slice(b"\r\n");
    }
    let copy = out.clone();
    for _ in 0..(200 / lines + 2) {
        out.extend_from_slice(&copy);
    }
    out
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x != "csv" && x != "md"))
        .collect();
    out.sort();
    out
}

#[test]
fn corpus_logs_read_the_same_with_the_prefilter() {
    let Some(shared) = support::shared() else {
        return;
    };
    let mut seen = 0;
    for sub in ["corpus/logs", "corpus/logs-more"] {
        for path in files_under(&shared.join(sub)) {
            let bytes = std::fs::read(&path).expect("corpus log");
            let name = path.display().to_string();
            assert_same(&name, &bytes);
            assert_same(&format!("{name} repeated"), &repeated(&bytes));
            seen += 1;
        }
    }
    assert!(seen >= 20, "only {seen} corpus logs");
}

#[test]
fn fixtures_read_the_same_with_the_prefilter() {
    for path in files_under(&support::fixtures().join("diagnose")) {
        let bytes = std::fs::read(&path).expect("fixture");
        let name = path.display().to_string();
        assert_same(&name, &bytes);
        assert_same(&format!("{name} repeated"), &repeated(&bytes));
    }
}

#[test]
fn the_prefilter_skips_quiet_lines() {
    // Not a test of sameness: that the fast path is taken at all, so the
    // tests above compare two different ways of reading.
    let quiet = "2025-04-02 07:15:53, Info  CBS    Unloading SysNotify DLL\r\n";
    let p = diagnose::prefilter::Prefilter::for_format(diagnose::LogFormat::Cbs)
        .expect("CBS prefilter");
    let text = quiet.repeat(10);
    let mut scanner = diagnose::prefilter::Scanner::new(p);
    assert_eq!(scanner.quiet_prefix(text.as_bytes(), 0).lines, 9);
}

/// Lines of CBS.log and WindowsUpdate.log shapes, quiet and not.
fn line() -> impl Strategy<Value = String> {
    let cbs_head = prop_oneof![
        Just("2025-04-02 07:15:53, Info                  CBS    "),
        Just("2025-04-02 07:15:53, Info  CSI    "),
        Just("2016-10-31 11:25:11, Error                 CSI    "),
        Just("2016-10-31 11:25:11, Warning CBS "),
        Just("2016-10-31 11:25:11, Perf CBS "),
        Just("2016-10-31 11:25:11, Info"),
        Just("2009-03-27 11:55:29:193 1044 afc Agent  "),
        Just("2022-11-13\t11:15:01:303\t1048\tfd4\tHandler\t"),
        Just("DnldMgr "),
        Just("  "),
        Just("\t"),
        Just(""),
    ];
    let body = prop_oneof![
        Just("Unloading SysNotify DLL"),
        Just("Session: 31171520_2564643148 initialized by client WindowsUpdateAgent."),
        Just("Session: 30787655_1180352103 initialized"),
        Just("CSI Store 616570675040 (0x0000008f8e79df60) initialized"),
        Just("Failed to get store state [HRESULT = 0x80070bc9 - ERROR_FAIL_REBOOT_REQUIRED]"),
        Just("Exec: Processing complete.  Session: 1, Package: Package_for_KB955430~31bf3856ad364e35~x86~~6.0.1.0 [HRESULT = 0x00000000 - S_OK]"),
        Just("WER: Generating failure report for package: Package_for_KB4541506~31bf3856ad364e35~amd64~~6.0.1.5, status: 0x80092004, failure source: Execute"),
        Just("ESU: NO ESU KEY FOUND"),
        Just("Pending transaction content must be resolved, cannot begin another transaction yet"),
        Just("Enumerating Foundation package: Microsoft-Windows-ServerCore-Package~31bf3856ad364e35~amd64~~6.2.9200.16384"),
        Just("returned -2145124329 to the caller"),
        Just("error 2149842967"),
        Just("CBS package identity: Package_for_KB4493730~31bf3856ad364e35~amd64~~6.0.1.2"),
        Just("Completed install of CBS update with type=0, requiresReboot=1, installerError=0, hr=0x0"),
        Just("REPORT EVENT: {1} 2009-03-27 11:55:29:193-0700 1 183 101 {2} 1 80070643 AutomaticUpdates Failure Content Install Installation Failure: KB958690"),
        Just("Trusted Installer is shutting down because: SHUTDOWN_REASON_AUTOSTOP"),
        Just("caf\u{e9} \u{17f}hutdown"),
        Just("a\0b fa\0iled"),
        Just("Thread terminated normally"),
        Just("[gle=0x80004005]"),
        Just("WARNING: Send failed with hr = 80072efe."),
    ];
    (cbs_head, body, any::<bool>())
        .prop_map(|(h, b, crlf)| format!("{h}{b}{}", if crlf { "\r\n" } else { "\n" }))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn generated_logs_read_the_same(
        head in prop::collection::vec(line(), 0..80),
        quiet in 64usize..200,
        tail in prop::collection::vec(line(), 0..120),
        cbs in any::<bool>(),
    ) {
        // A quiet start so the format is detected as CBS or WindowsUpdate.
        let first = if cbs {
            "2025-04-02 07:15:53, Info  CBS    Unloading SysNotify DLL\r\n"
        } else {
            "2009-03-27 11:55:29:193 1044 afc Agent  * Found 0 updates\r\n"
        };
        let mut text = first.repeat(quiet);
        text.extend(head);
        text.push_str(&first.repeat(quiet));
        text.extend(tail);
        assert_same("generated", text.as_bytes());
    }
}
