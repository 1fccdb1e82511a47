//! `lastrollup offline` and `lastrollup verify`: a thin shell over
//! `lastrollup::offline`.

use std::io::IsTerminal as _;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use lastrollup::catalog::Catalog;
use lastrollup::fleet;
use lastrollup::offline::{self, download, install_script, manifest, read, readme, script, verify};

use crate::cli::{OfflineArgs, VerifyArgs, VerifyFormat};
use crate::render::{self, paint, Style};

/// Writes `text` to `dir/name`.
fn write(dir: &Path, name: &str, text: &str) -> Result<()> {
    let path = dir.join(name);
    std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))
}

pub fn run(args: &OfflineArgs) -> Result<ExitCode> {
    let (paths, mut errors) = fleet::walk::walk(&args.paths);
    let (files, read_errors) = fleet::walk::read_all(&paths);
    errors.extend(read_errors);
    let catalog = Catalog::embedded();
    let options = args.plan.options();
    let kev = lastrollup::assess::exposure::EmbeddedKev(catalog);
    let report = fleet::assess(&files, &errors, catalog, &kev, options);
    for e in &errors {
        anstream::eprintln!("{}: {e}", paint(Style::Error, "error"));
    }
    if report.hosts.is_empty() {
        anstream::eprintln!(
            "{}: no host found in the captures; no kit written",
            paint(Style::Error, "error")
        );
        return Ok(ExitCode::from(2));
    }
    let plans = manifest::host_plans(&report, catalog);
    let m = manifest::build(&plans, catalog, options.as_of, options.goal);
    let out = &args.out;
    std::fs::create_dir_all(out.join(offline::PAYLOADS))
        .with_context(|| format!("cannot create {}", out.display()))?;
    write(out, offline::MANIFEST, &manifest::to_json(&m))?;
    write(out, "DOWNLOAD.txt", &download::render(&m))?;
    write(out, "README.txt", &readme::render(&m))?;
    match script::script_plan(&m, catalog) {
        Some(plan) => {
            let text = install_script::render(&plan)
                .with_context(|| format!("cannot write the install.cmd of {}", out.display()))?;
            write(out, "install.cmd", &text)?;
        }
        // A kit with nothing to install has no installer.
        None => {
            let stale = out.join("install.cmd");
            if stale.exists() {
                std::fs::remove_file(&stale)
                    .with_context(|| format!("cannot remove {}", stale.display()))?;
            }
        }
    }
    summary(&m, out);
    let excluded = m.hosts.iter().any(|h| h.excluded.is_some());
    Ok(if !errors.is_empty() {
        ExitCode::from(2)
    } else if excluded {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// What was written, for people.
fn summary(m: &offline::Manifest, out: &Path) {
    let unknown = m.files.iter().filter(|f| !f.name_known).count();
    anstream::println!(
        "{}",
        paint(Style::Heading, &format!("Kit written to {}", out.display()))
    );
    println!(
        "  {} host(s), {} file(s) in {} stage(s); {} named by the catalog, {} to find by KB in the Update Catalog",
        m.hosts.len(),
        m.files.len(),
        m.stages.len(),
        m.files.len() - unknown,
        unknown
    );
    for h in m.hosts.iter().filter(|h| h.excluded.is_some()) {
        anstream::println!(
            "  {} {}: {}",
            paint(Style::Warning, "not in the kit:"),
            h.name.as_deref().unwrap_or(&h.id),
            h.excluded.as_deref().unwrap_or_default()
        );
    }
    for h in m.hosts.iter() {
        if let Some(why) = &h.nothing_to_install {
            println!(
                "  nothing to install on {}: {why}",
                h.name.as_deref().unwrap_or(&h.id)
            );
        }
    }
    if m.files.is_empty() {
        println!("  nothing to fetch: no host of the kit needs a file (no install.cmd written)");
    } else {
        println!(
            "  next: fetch the files in DOWNLOAD.txt into payloads/, then `lastrollup verify {}`",
            out.display()
        );
    }
}

/// A byte progress bar on stderr, when stderr is a terminal.
fn progress_bar(len: u64) -> Option<indicatif::ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(len);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{prefix:>12} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar.set_prefix("Verifying");
    Some(bar)
}

/// The manifest of the kit in `dir`, read and checked.
fn load_manifest(dir: &Path) -> Result<offline::Manifest> {
    let path = dir.join(offline::MANIFEST);
    let meta = std::fs::symlink_metadata(&path)
        .with_context(|| format!("{}: no manifest (is this a kit folder?)", path.display()))?;
    anyhow::ensure!(
        meta.is_file(),
        "{}: not a regular file (links are not followed out of the kit)",
        path.display()
    );
    anyhow::ensure!(
        meta.len() <= read::MAX_MANIFEST_BYTES as u64,
        "{}: {} bytes, larger than any manifest",
        path.display(),
        meta.len()
    );
    let bytes = std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(read::parse(
        &path.display().to_string(),
        &bytes,
        Catalog::embedded(),
    )?)
}

pub fn verify(args: &VerifyArgs) -> Result<ExitCode> {
    let started = Instant::now();
    let m = load_manifest(&args.dir)?;
    let payloads = args.dir.join(offline::PAYLOADS);
    let listing = verify::list(&payloads).with_context(|| format!("{}", payloads.display()))?;
    let bar = progress_bar(listing.bytes_to_read());
    let hashed = verify::hash_all(listing, &mut |n| {
        if let Some(b) = &bar {
            b.inc(n);
        }
    });
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let r = verify::check(&m, &hashed);
    let took = started.elapsed();
    match args.format {
        VerifyFormat::Json => {
            let mut v = serde_json::to_value(&r)?;
            v["seconds"] = serde_json::json!(took.as_secs_f64());
            println!("{}", serde_json::to_string_pretty(&v)?);
        }
        VerifyFormat::Text => render::print(&text(&r, took), args.color)?,
    }
    Ok(if r.complete {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Text from the kit folder, made harmless for a terminal.
fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect()
}

fn text(r: &verify::Report, took: std::time::Duration) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    for c in &r.checks {
        let (style, word) = match c.verdict {
            verify::Verdict::Ok => (Style::Heading, "ok"),
            _ => (Style::Error, "FAIL"),
        };
        let what = match (c.kb, c.arch) {
            (Some(kb), Some(a)) => format!("KB{kb} {a}"),
            _ => "-".into(),
        };
        let verdict = serde_json::to_value(c.verdict)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        writeln!(
            out,
            "{:>4} {:<16} {:<18} {}\n     {}",
            paint(style, word),
            what,
            verdict,
            clean(c.file.as_deref().unwrap_or("-")),
            clean(&c.reason)
        )
        .ok();
    }
    let mib = r.bytes as f64 / (1024.0 * 1024.0);
    let secs = took.as_secs_f64();
    writeln!(
        out,
        "\n{} of {} file(s) present and correct; {:.1} MiB read in {:.2} s",
        r.ok, r.expected, mib, secs
    )
    .ok();
    let verdict = if r.complete {
        paint(
            Style::Heading,
            "kit complete: every file is present and correct",
        )
    } else {
        paint(
            Style::Error,
            "kit NOT complete: fix the files marked FAIL and verify again",
        )
    };
    writeln!(out, "{verdict}").ok();
    out
}
