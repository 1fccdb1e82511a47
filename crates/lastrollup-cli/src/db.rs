//! `lastrollup db import` and `lastrollup db status`, and where the database lives.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use lastrollup::advisory::database::{Database, SourceInfo};
use lastrollup::advisory::feed;

use crate::cli::{DbImportArgs, DbStatusArgs, OutputFormat};
use crate::render::{self, Style};

/// Feed files larger than this are refused before reading (the largest real
/// feed, wesng's definitions.zip, is about 4 MB; a CVRF month about 4 MB).
const MAX_FEED: u64 = 1 << 30;

/// Where the database is, and why there.
#[derive(Debug, Clone)]
pub struct Location {
    /// The file.
    pub path: PathBuf,
    /// `--db`, `LASTROLLUP_DB` or `default`, for messages.
    pub from: &'static str,
    /// Given with `--db`: a missing file there is an error, not "no database".
    pub explicit: bool,
}

/// The user's data directory for lastrollup, per platform.
fn data_dir() -> Option<PathBuf> {
    let env = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if cfg!(windows) {
        env("LOCALAPPDATA").or_else(|| env("APPDATA"))
    } else if cfg!(target_os = "macos") {
        env("HOME").map(|h| h.join("Library/Application Support"))
    } else {
        env("XDG_DATA_HOME").or_else(|| env("HOME").map(|h| h.join(".local/share")))
    }
    .map(|d| d.join("lastrollup"))
}

/// Resolves `--db`, then `LASTROLLUP_DB`, then the data directory.
pub fn locate(explicit: Option<&Path>) -> Result<Location> {
    if let Some(p) = explicit {
        return Ok(Location {
            path: p.to_path_buf(),
            from: "--db",
            explicit: true,
        });
    }
    if let Some(p) = std::env::var_os("LASTROLLUP_DB").filter(|v| !v.is_empty()) {
        return Ok(Location {
            path: PathBuf::from(p),
            from: "LASTROLLUP_DB",
            explicit: false,
        });
    }
    match data_dir() {
        Some(d) => Ok(Location {
            path: d.join("advisories.lrdb"),
            from: "default",
            explicit: false,
        }),
        None => bail!("no data directory (HOME is not set); give the database with --db PATH or LASTROLLUP_DB"),
    }
}

/// Every file under the given paths, folders walked recursively in name order.
fn feed_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).with_context(|| format!("{}", p.display()))?;
        if meta.is_dir() {
            let mut stack = vec![p.clone()];
            let mut found = Vec::new();
            while let Some(d) = stack.pop() {
                for e in std::fs::read_dir(&d).with_context(|| format!("{}", d.display()))? {
                    let e = e.with_context(|| format!("{}", d.display()))?;
                    let path = e.path();
                    let name = e.file_name();
                    if name.to_string_lossy().starts_with('.') {
                        continue;
                    }
                    if e.file_type().map(|t| t.is_dir()).unwrap_or(false) {
                        stack.push(path);
                    } else {
                        found.push(path);
                    }
                }
            }
            found.sort();
            out.extend(found);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

fn progress_bar(len: u64, name: &str) -> Option<indicatif::ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(len);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{prefix:>12} [{bar:30}] {bytes}/{total_bytes} {msg}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar.set_prefix("Reading");
    bar.set_message(name.to_string());
    Some(bar)
}

fn dates(s: &SourceInfo) -> String {
    match s.dates {
        Some((a, b)) => format!("{a} .. {b}"),
        None => "no dates".into(),
    }
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub fn import(args: &DbImportArgs) -> Result<ExitCode> {
    let loc = locate(args.location.db.as_deref())?;
    let mut db = if args.replace || !loc.path.exists() {
        Database::new()
    } else {
        Database::open(&loc.path).map_err(|e| {
            anyhow::anyhow!("{e}\n  (to start a new database instead, add --replace)")
        })?
    };
    let files = feed_files(&args.paths)?;
    if files.is_empty() {
        bail!(
            "no files to import under {}",
            args.paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let imported = jiff::Timestamp::now().to_string();
    let mut out = anstream::stderr();
    let mut failed = 0usize;
    for path in &files {
        let name = path.display().to_string();
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        if size > MAX_FEED {
            writeln!(
                out,
                "{}: {name}: {size} bytes is larger than any advisory feed (limit {MAX_FEED})",
                render::paint(Style::Error, "error")
            )?;
            failed += 1;
            continue;
        }
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                writeln!(out, "{}: {name}: {e}", render::paint(Style::Error, "error"))?;
                failed += 1;
                continue;
            }
        };
        let bar = progress_bar(bytes.len() as u64, &name);
        let mut tick = |done: u64, total: u64| {
            if let Some(b) = &bar {
                b.set_length(total);
                b.set_position(done);
            }
        };
        let result = feed::read(&name, &bytes, &mut tick);
        if let Some(b) = &bar {
            b.finish_and_clear();
        }
        match result {
            Ok(doc) => {
                let summary = match db.add(doc, &name, &imported) {
                    Ok(s) => s,
                    Err(e) => {
                        writeln!(out, "{}: {e}", render::paint(Style::Error, "error"))?;
                        failed += 1;
                        continue;
                    }
                };
                let s = &summary.source;
                writeln!(
                    out,
                    "{:>12} {name}: {} \u{2014} {}; {} NT 6.0 records{} of {} rows read, {}{}{}",
                    render::paint(
                        Style::Info,
                        if summary.replaced { "Replaced" } else { "Read" }
                    ),
                    s.kind.as_str(),
                    s.version,
                    thousands(s.records),
                    if s.kev > 0 {
                        format!(", {} KEV entries", thousands(s.kev))
                    } else {
                        String::new()
                    },
                    thousands(s.rows_read),
                    dates(s),
                    if s.rows_unusable > 0 {
                        format!("; {} unusable rows skipped", thousands(s.rows_unusable))
                    } else {
                        String::new()
                    },
                    s.released
                        .map(|d| format!("; released {d}"))
                        .unwrap_or_default(),
                )?;
            }
            Err(e) => {
                writeln!(out, "{}: {e}", render::paint(Style::Error, "error"))?;
                failed += 1;
            }
        }
    }
    if failed > 0 {
        writeln!(
            out,
            "{}: {failed} of {} files could not be imported; the database was not changed ({})",
            render::paint(Style::Error, "error"),
            files.len(),
            loc.path.display()
        )?;
        return Ok(ExitCode::from(2));
    }
    db.save(&loc.path)?;
    let t = db.totals();
    writeln!(
        out,
        "{:>12} {}: {} sources, {} CVEs on {} NT 6.0 products and components, {} fixing KBs, {} known exploited",
        render::paint(Style::Info, "Wrote"),
        loc.path.display(),
        db.sources().len(),
        thousands(t.cves as u64),
        t.products,
        thousands(t.kbs as u64),
        t.kev_nt60,
    )?;
    Ok(ExitCode::SUCCESS)
}

pub fn status(args: &DbStatusArgs) -> Result<ExitCode> {
    let loc = locate(args.location.db.as_deref())?;
    if !loc.path.exists() {
        match args.format {
            OutputFormat::Json => println!(
                "{}",
                serde_json::json!({"schema": "lastrollup.db-status/1", "path": loc.path, "from": loc.from, "exists": false})
            ),
            OutputFormat::Table => println!(
                "No advisory database at {} ({}).\n`check` uses its built-in table of known-exploited CVEs until you import one:\n  lastrollup db import definitions.zip known_exploited_vulnerabilities.json",
                loc.path.display(),
                loc.from
            ),
        }
        return Ok(ExitCode::from(1));
    }
    let started = std::time::Instant::now();
    let db = Database::open(&loc.path)?;
    let opened = started.elapsed();
    let t = db.totals();
    let size = std::fs::metadata(&loc.path).map(|m| m.len()).unwrap_or(0);
    match args.format {
        OutputFormat::Json => {
            let v = serde_json::json!({
                "schema": "lastrollup.db-status/1",
                "path": loc.path,
                "from": loc.from,
                "exists": true,
                "bytes": size,
                "format": lastrollup::advisory::database::FORMAT_VERSION,
                "totals": t,
                "sources": db.sources(),
            });
            println!("{}", serde_json::to_string_pretty(&v)?);
        }
        OutputFormat::Table => {
            let mut o = anstream::stdout();
            writeln!(
                o,
                "Database   {} ({}, {} bytes, format {}, opened in {:.1} ms)",
                loc.path.display(),
                loc.from,
                thousands(size),
                lastrollup::advisory::database::FORMAT_VERSION,
                opened.as_secs_f64() * 1000.0
            )?;
            writeln!(
                o,
                "Contents   {} CVEs on {} products and components, {} fixing KBs, {} records ({} distinct facts)",
                thousands(t.cves as u64),
                t.products,
                thousands(t.kbs as u64),
                thousands(t.records as u64),
                thousands(t.facts as u64)
            )?;
            writeln!(
                o,
                "KEV        {} entries, {} of them NT 6.0 CVEs",
                thousands(t.kev as u64),
                t.kev_nt60
            )?;
            if let Some((a, b)) = t.dates {
                writeln!(o, "Dates      {a} .. {b}")?;
            }
            writeln!(o, "\nSources")?;
            for s in db.sources() {
                writeln!(
                    o,
                    "  {} {} \u{2014} {}",
                    render::paint(Style::Heading, &s.identity),
                    s.kind.as_str(),
                    s.version
                )?;
                writeln!(
                    o,
                    "      {} records{}, {}; from {} at {}",
                    thousands(s.records),
                    if s.kev > 0 {
                        format!(", {} KEV entries", thousands(s.kev))
                    } else {
                        String::new()
                    },
                    dates(s),
                    s.file,
                    s.imported
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
