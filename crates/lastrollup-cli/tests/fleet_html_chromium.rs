//! `lastrollup fleet --html`, opened in real headless Chromium (Debian's
//! `chromium` package; `.ci/run` installs it).
//!
//! Over the scenario folders `tests/support/fleet` and
//! `tests/support/fleet-hostile` (host names `<img src=x onerror=…>`,
//! `</script><script>…`, `"><svg onload=…>`, `=HYPERLINK(…)` and one with a
//! right-to-left override U+202E), and over a generated fleet of 10,000
//! hosts: the DOM after the page's script ran holds every host, the hostile
//! names are text (no element was injected, the only scripts are the
//! page's two), the drill-down opens from the URL fragment, and Chromium
//! logs no console message at all (no error, no Content-Security-Policy
//! violation). Screenshots are left in the temp folder to be looked at.
//!
//! Without Chromium the tests print SKIPPED; with `CI=true` or
//! `LASTROLLUP_REQUIRE_CHROMIUM=1` a missing Chromium fails them.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use lastrollup::fleet::html::{self, Extras, TrendPoint};

fn support() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support")
}

fn temp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("lastrollup-html-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

/// The Chromium binary, or `None` (after saying SKIPPED) when it is absent
/// and not required.
fn chromium(test: &str) -> Option<&'static str> {
    for bin in ["chromium", "chromium-browser"] {
        if Command::new(bin)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
        {
            return Some(bin);
        }
    }
    let required = std::env::var("CI").as_deref() == Ok("true")
        || std::env::var("LASTROLLUP_REQUIRE_CHROMIUM").as_deref() == Ok("1");
    assert!(
        !required,
        "Chromium is required here (CI=true) but not installed: apt-get install chromium"
    );
    eprintln!("SKIPPED {test}: chromium is not installed (apt-get install chromium)");
    None
}

/// What Chromium printed: the DOM (with `--dump-dom`) and its log.
struct Run {
    dom: String,
    log: String,
    millis: u128,
}

fn run_chromium(bin: &str, page: &Path, fragment: &str, extra: &[&str]) -> Run {
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    let profile = temp(&format!("profile-{}", RUNS.fetch_add(1, Ordering::Relaxed)));
    let url = format!("file://{}{fragment}", page.display());
    let start = Instant::now();
    let out = Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
            "--host-resolver-rules=MAP * ~NOTFOUND",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(url)
        .output()
        .expect("chromium runs");
    let millis = start.elapsed().as_millis();
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::remove_dir_all(&profile).ok();
    Run {
        dom: String::from_utf8_lossy(&out.stdout).into_owned(),
        log: String::from_utf8_lossy(&out.stderr).into_owned(),
        millis,
    }
}

/// No console message (errors, CSP or Trusted Types violations) and no
/// refused request.
fn assert_clean_log(log: &str) {
    let bad: Vec<&str> = log
        .lines()
        .filter(|l| {
            l.contains(":CONSOLE") || l.contains("Refused") || l.contains("Content Security Policy")
        })
        .collect();
    assert!(bad.is_empty(), "Chromium logged:\n{}", bad.join("\n"));
}

/// A name as Chromium serializes the text our page made of it: invisible
/// and direction characters as `⟨U+XXXX⟩`, then `&`, `<`, `>` escaped.
fn as_dom_text(name: &str) -> String {
    let shown: String = name
        .chars()
        .map(|c| {
            if lastrollup::fleet::html::page::is_hidden(c) {
                format!("\u{27E8}U+{:04X}\u{27E9}", u32::from(c))
            } else {
                c.to_string()
            }
        })
        .collect();
    shown
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Runs `lastrollup fleet` with `--html` and `--format json`; the host names.
fn fleet_html(out: &Path, inputs: &[PathBuf]) -> Vec<String> {
    let o = Command::new(env!("CARGO_BIN_EXE_lastrollup"))
        .env("LASTROLLUP_DB", "/nonexistent/lastrollup-test.lrdb")
        .args([
            "fleet",
            "--no-db",
            "--as-of",
            "2026-06-30",
            "--format",
            "json",
            "--html",
        ])
        .arg(out)
        .args(inputs)
        .output()
        .expect("lastrollup runs");
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("fleet JSON");
    json["hosts"]
        .as_array()
        .expect("hosts")
        .iter()
        .map(|h| {
            h["host"]["name"]
                .as_str()
                .or(h["id"].as_str())
                .unwrap_or_default()
                .to_owned()
        })
        .collect()
}

/// The DOM holds every host as a row header, the hostile names as text.
fn assert_every_host_is_text(dom: &str, names: &[String]) {
    assert!(
        dom.contains(&format!("data-ready=\"{}\"", names.len())),
        "the script ran to the end"
    );
    let rows = dom.matches("<tr tabindex=\"0\" data-i=").count();
    assert_eq!(rows, names.len(), "one row per host");
    for n in names {
        let cell = format!("<bdi>{}</bdi>", as_dom_text(n));
        assert!(dom.contains(&cell), "host {n:?} shown as text ({cell})");
    }
    // Injected markup would appear as elements: none did.
    for bad in ["<img", "<svg onload", "<script>alert"] {
        assert!(!dom.contains(bad), "{bad} in the DOM");
    }
    assert_eq!(
        dom.matches("<script").count(),
        2,
        "only the page's two scripts"
    );
}

#[test]
fn the_scenario_dashboard_shows_every_host_as_text_in_chromium() {
    let Some(bin) = chromium("the_scenario_dashboard") else {
        return;
    };
    let dir = temp("scenario");
    let page = dir.join("fleet.html");
    let names = fleet_html(
        &page,
        &[support().join("fleet"), support().join("fleet-hostile")],
    );
    assert_eq!(names.len(), 9);
    let run = run_chromium(bin, &page, "#n=all", &["--dump-dom"]);
    assert_clean_log(&run.log);
    assert_every_host_is_text(&run.dom, &names);
    assert!(
        run.dom.contains("aria-sort=\"descending\""),
        "sorted by a column"
    );
    assert!(run.dom.contains("SRV\u{27E8}U+202E\u{27E9}01-LAB"));
    let shot = dir.join("fleet.png");
    let arg = format!("--screenshot={}", shot.display());
    let run = run_chromium(bin, &page, "", &[&arg, "--window-size=1400,2400"]);
    assert_clean_log(&run.log);
    assert!(
        std::fs::metadata(&shot).is_ok_and(|m| m.len() > 10_000),
        "a screenshot"
    );
    eprintln!("screenshot: {}", shot.display());
}

#[test]
fn the_drill_down_opens_from_the_fragment() {
    let Some(bin) = chromium("the_drill_down") else {
        return;
    };
    let dir = temp("drill");
    let page = dir.join("fleet.html");
    fleet_html(&page, &[support().join("fleet-hostile")]);
    // `<img src=x onerror=alert(1)>` as its id, percent-encoded.
    let fragment = "#state=5&host=%3Cimg+src%3Dx+onerror%3Dalert%281%29%3E";
    let run = run_chromium(bin, &page, fragment, &["--dump-dom"]);
    assert_clean_log(&run.log);
    let dialog = &run.dom[run.dom.find("<dialog").expect("the dialog")..];
    let dialog = &dialog[..dialog.find("</dialog>").expect("its end")];
    assert!(
        dialog.starts_with("<dialog id=\"drill\" aria-labelledby=\"drill-title\" open=\"\""),
        "{dialog}"
    );
    assert!(dialog.contains("&lt;img src=x onerror=alert(1)&gt;</bdi></h2>"));
    for part in [
        "Install plan",
        "KB4474419",
        "SHA-2 code signing",
        "updates from 2019-10 on",
        "Open known-exploited CVEs",
        "CVE-2019-0708",
    ] {
        assert!(dialog.contains(part), "{part} in the drill-down");
    }
    let shot = dir.join("drill.png");
    let arg = format!("--screenshot={}", shot.display());
    let run = run_chromium(bin, &page, fragment, &[&arg, "--window-size=1400,1000"]);
    assert_clean_log(&run.log);
    eprintln!("screenshot: {}", shot.display());
}

/// A systeminfo `/FO CSV /NH` export of `n` hosts: the rows of the committed
/// 3-host fixture with numbered names (as scripts/gen-fleet-csv.py writes).
fn fleet_csv(n: usize) -> Vec<u8> {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../lastrollup/tests/fixtures/systeminfo/en_fleet_3hosts_csv_noheader.txt");
    let bytes = std::fs::read(fixture).expect("fixture");
    let rows: Vec<&[u8]> = bytes
        .split(|b| *b == b'\n')
        .filter(|r| r.len() > 2)
        .collect();
    let mut out = Vec::new();
    for i in 0..n {
        let row = rows[i % rows.len()]
            .strip_suffix(b"\r")
            .unwrap_or(rows[i % rows.len()]);
        let close = 1 + row[1..]
            .iter()
            .position(|b| *b == b'"')
            .expect("a quoted name");
        out.extend_from_slice(&row[..close]);
        out.extend_from_slice(format!("-{:05}", i / rows.len()).as_bytes());
        out.extend_from_slice(&row[close..]);
        out.extend_from_slice(b"\r\n");
    }
    out
}

#[test]
fn ten_thousand_hosts_stay_usable_in_chromium() {
    let Some(bin) = chromium("ten_thousand_hosts") else {
        return;
    };
    let dir = temp("10k");
    let csv = dir.join("fleet-10000.csv");
    std::fs::write(&csv, fleet_csv(9_996)).expect("write the fleet");
    let page = dir.join("fleet.html");
    let names = fleet_html(&page, &[csv, support().join("fleet-hostile")]);
    assert_eq!(names.len(), 10_001);
    let size = std::fs::metadata(&page).map(|m| m.len()).unwrap_or(0);
    assert!(size < 6 * 1024 * 1024, "{size} bytes for 10,001 hosts");
    // The default view: one page of rows, fast.
    let first = run_chromium(bin, &page, "", &["--dump-dom"]);
    assert_clean_log(&first.log);
    assert_eq!(first.dom.matches("<tr tabindex=\"0\" data-i=").count(), 100);
    assert!(first.dom.contains("1–100 of 10,001 matching"));
    // Every host, all rows at once.
    let all = run_chromium(bin, &page, "#n=all", &["--dump-dom"]);
    assert_clean_log(&all.log);
    assert_every_host_is_text(&all.dom, &names);
    // A search through the fragment.
    let found = run_chromium(bin, &page, "#q=fs01-0001", &["--dump-dom"]);
    assert!(found.dom.contains("1–10 of 10 matching"), "search by name");
    let init = |dom: &str| {
        dom.split("data-init-ms=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap_or("?")
            .to_owned()
    };
    eprintln!(
        "10,001 hosts: {size} bytes; script {} ms, Chromium start+load+dump {} ms (page of 100); \
         script {} ms, {} ms (all rows)",
        init(&first.dom),
        first.millis,
        init(&all.dom),
        all.millis
    );
}

#[test]
fn trends_and_changes_render_without_errors() {
    let Some(bin) = chromium("trends_and_changes") else {
        return;
    };
    let dir = temp("trend");
    let paths = [support().join("fleet-hostile")];
    let (files, errors) =
        lastrollup::fleet::walk::read_all(&lastrollup::fleet::walk::walk(&paths).0);
    let catalog = lastrollup::catalog::Catalog::embedded();
    let kev = lastrollup::assess::exposure::EmbeddedKev(catalog);
    let options = lastrollup::assess::Options {
        as_of: jiff::civil::date(2026, 6, 30),
        goal: lastrollup::assess::Goal::Final,
    };
    let report = lastrollup::fleet::assess(&files, &errors, catalog, &kev, options);
    let point = |m, d, hosts, at_final, kev_open| TrendPoint {
        as_of: jiff::civil::date(2026, m, d),
        hosts,
        at_final,
        kev_open,
    };
    let extras = Extras {
        changes: Some(serde_json::json!({
            "new_hosts": [{"id": "srv\u{202e}01-lab", "name": "SRV\u{202e}01-LAB"}],
            "gone_hosts": ["<img src=x onerror=alert(2)>"],
            "improved": [],
            "regressed": [{"id": "x", "name": "</script><script>alert(3)</script>", "before": "2025-12", "after": "2019-05"}]
        })),
        trend: vec![
            point(1, 31, 4, 0, 420),
            point(2, 28, 5, 1, 380),
            point(4, 30, 5, 3, 170),
            point(6, 30, 5, 4, 85),
        ],
    };
    let page = dir.join("trend.html");
    std::fs::write(&page, html::render(&report, &extras)).expect("write");
    let shot = dir.join("trend.png");
    let arg = format!("--screenshot={}", shot.display());
    let run = run_chromium(bin, &page, "", &["--dump-dom"]);
    assert_clean_log(&run.log);
    assert_eq!(run.dom.matches("<polyline").count(), 3);
    assert!(run.dom.contains("Changes since the previous run"));
    for bad in ["<img", "<script>alert"] {
        assert!(!run.dom.contains(bad), "{bad} in the DOM");
    }
    let run = run_chromium(bin, &page, "", &[&arg, "--window-size=1400,1400"]);
    assert_clean_log(&run.log);
    eprintln!("screenshot: {}", shot.display());
}
