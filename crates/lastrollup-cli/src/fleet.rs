//! `lastrollup fleet`: a thin shell over `lastrollup::fleet`.

use std::fmt::Write as _;
use std::fs::File;
use std::io::BufWriter;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use lastrollup::catalog::Catalog;
use lastrollup::fleet::history::Knowledge;
use lastrollup::fleet::{self, export, html, report, FleetReport};

use crate::check::open_database;
use crate::cli::{CheckFormat, FleetArgs};
use crate::render::{self, paint, Style};

/// How many known-exploited CVEs the terminal summary lists.
const KEV_LINES: usize = 15;

/// Text from the input, made harmless for a terminal: control characters
/// (escape sequences, line breaks) become U+FFFD.
fn clean(text: &str) -> String {
    text.trim()
        .chars()
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect()
}

fn states_text(out: &mut String, r: &FleetReport<'_>) {
    writeln!(out, "{}", paint(Style::Heading, "Hosts by state")).ok();
    for (label, n) in report::state_rows(&r.summary.states) {
        if n > 0 {
            writeln!(out, "  {label:<32}{n:>7}").ok();
        }
    }
    out.push('\n');
}

fn actions_text(out: &mut String, r: &FleetReport<'_>) {
    writeln!(out, "{}", paint(Style::Heading, "Next best actions")).ok();
    if r.summary.next_actions.is_empty() {
        out.push_str("  nothing to install\n");
    }
    for (i, a) in r.summary.next_actions.iter().enumerate() {
        writeln!(out, "  {:>2}. {}", i + 1, a.text).ok();
    }
    out.push('\n');
}

fn kev_text(out: &mut String, r: &FleetReport<'_>) {
    let rows = &r.summary.known_exploited;
    writeln!(
        out,
        "{}",
        paint(Style::Heading, "Known-exploited CVEs, by hosts open")
    )
    .ok();
    if rows.is_empty() {
        out.push_str("  no host is open to a known-exploited CVE\n");
    }
    for k in rows.iter().take(KEV_LINES) {
        let unverified = if k.hosts_unverified > 0 {
            format!(" (+{} unverified)", k.hosts_unverified)
        } else {
            String::new()
        };
        let ransomware = if k.ransomware { ", ransomware" } else { "" };
        writeln!(
            out,
            "  {:<16} {:>6} hosts{unverified}{ransomware}  {}",
            k.cve,
            k.hosts_open,
            clean(&k.title)
        )
        .ok();
    }
    if rows.len() > KEV_LINES {
        writeln!(
            out,
            "  … and {} more (--format markdown or json lists all)",
            rows.len() - KEV_LINES
        )
        .ok();
    }
    out.push('\n');
}

fn worst_text(out: &mut String, r: &FleetReport<'_>) {
    if r.summary.worst_hosts.is_empty() {
        return;
    }
    writeln!(out, "{}", paint(Style::Heading, "Worst hosts")).ok();
    for w in &r.summary.worst_hosts {
        let behind = w.months_behind.map_or("months behind unknown".into(), |m| {
            format!("{m} months behind")
        });
        writeln!(
            out,
            "  {:<24} {behind}, {} known-exploited and {} CVEs open; next: {}",
            clean(w.name.as_deref().unwrap_or(&w.id)),
            w.known_exploited,
            w.open,
            w.next_step.as_deref().unwrap_or("-")
        )
        .ok();
    }
    out.push('\n');
}

fn lifecycle_text(out: &mut String, r: &FleetReport<'_>) {
    writeln!(out, "{}", paint(Style::Heading, "Lifecycle")).ok();
    for l in &r.summary.lifecycle {
        let phase = l
            .phase
            .as_deref()
            .map(|p| format!(" ({p})"))
            .unwrap_or_default();
        let can = if l.updates_can_still_come {
            "updates can still come"
        } else {
            "no update will come"
        };
        writeln!(
            out,
            "  {}: {}{phase}, {can}: {} hosts",
            l.family, l.state, l.hosts
        )
        .ok();
    }
    out.push('\n');
}

fn collisions_text(out: &mut String, r: &FleetReport<'_>) {
    if r.summary.identity_collisions.is_empty() {
        return;
    }
    writeln!(out, "{}", paint(Style::Warning, "Machines sharing a name")).ok();
    for c in &r.summary.identity_collisions {
        let ids: Vec<String> = c.hosts.iter().map(|h| clean(h)).collect();
        writeln!(
            out,
            "  {}: reported apart as {}",
            clean(&c.name),
            ids.join(", ")
        )
        .ok();
    }
    out.push('\n');
}

/// The summary for people.
fn text(r: &FleetReport<'_>) -> String {
    let mut out = String::new();
    writeln!(
        out,
        "{}\n{}\n",
        paint(
            Style::Heading,
            &format!("lastrollup fleet — as of {}", r.as_of)
        ),
        report::headline(r)
    )
    .ok();
    if let Some(c) = &r.changes {
        crate::fleet_history::text(&mut out, c, clean);
    }
    states_text(&mut out, r);
    actions_text(&mut out, r);
    kev_text(&mut out, r);
    worst_text(&mut out, r);
    lifecycle_text(&mut out, r);
    collisions_text(&mut out, r);
    out
}

/// Writes one export file through `write`.
fn write_export(
    path: &Path,
    write: impl FnOnce(BufWriter<File>) -> Result<(), export::ExportError>,
) -> Result<()> {
    let file = File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    write(BufWriter::with_capacity(1 << 16, file))
        .with_context(|| format!("cannot write {}", path.display()))
}

fn exports(args: &FleetArgs, r: &FleetReport<'_>) -> Result<()> {
    if let Some(p) = &args.csv {
        write_export(p, |w| export::hosts_csv(r, w))?;
    }
    if let Some(p) = &args.jsonl {
        write_export(p, |w| export::hosts_jsonl(r, w))?;
    }
    if let Some(p) = &args.cve_csv {
        write_export(p, |w| export::cves_csv(r, w))?;
    }
    if let Some(p) = &args.html {
        let extras = html_extras(args, r)?;
        write_export(p, |w| {
            html::write(r, &extras, w).map_err(export::ExportError::from)
        })?;
    }
    Ok(())
}

/// What the dashboard shows beyond the report: the changes since the last
/// run, and the trend over every complete run of the history (this one
/// included: it was recorded before anything is rendered).
fn html_extras(args: &FleetArgs, r: &FleetReport<'_>) -> Result<html::Extras> {
    let changes = r.changes.as_ref().map(serde_json::to_value).transpose()?;
    let trend = match &args.history {
        Some(path) => {
            let history = lastrollup::fleet::history::History::open(path)
                .with_context(|| format!("{}: reading the trend", path.display()))?;
            lastrollup::fleet::history::trend(&history)?
                .into_iter()
                .filter_map(|t| {
                    Some(html::TrendPoint {
                        as_of: t.as_of?,
                        hosts: t.hosts,
                        at_final: t.at_final,
                        kev_open: t.kev_open,
                    })
                })
                .collect()
        }
        None => Vec::new(),
    };
    Ok(html::Extras { changes, trend })
}

/// The exit code the report calls for (see `lastrollup fleet --help`).
fn exit_code(r: &FleetReport<'_>) -> ExitCode {
    let attention = r.hosts.iter().any(|h| {
        let p = &r.profiles[h.profile];
        !h.baseline.as_ref().is_some_and(|b| b.at_goal)
            || p.open_within_goal(r.goal)
            || h.findings.error + h.findings.warning > 0
    });
    if !r.errors.is_empty() || r.hosts.is_empty() {
        ExitCode::from(2)
    } else if r.summary.states.not_nt60 > 0 {
        ExitCode::from(3)
    } else if attention {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

pub fn run(args: &FleetArgs) -> Result<ExitCode> {
    let (paths, mut errors) = fleet::walk::walk(&args.paths);
    let (files, read_errors) = fleet::walk::read_all(&paths);
    errors.extend(read_errors);
    let catalog = Catalog::embedded();
    let options = args.plan.options();
    let before = crate::fleet_history::load(args)?;
    let db = open_database(args.exposure.db.as_deref(), args.exposure.no_db)?;
    let kev = lastrollup::assess::exposure::EmbeddedKev(catalog);
    let source: &(dyn lastrollup::assess::exposure::AdvisorySource + Sync) = match &db {
        Some(db) => db,
        None => &kev,
    };
    let mut r = fleet::assess(&files, &errors, catalog, source, options);
    drop(files);
    let knowledge = match &db {
        Some(db) => Knowledge::of_database(db),
        None => Knowledge::embedded(catalog),
    };
    crate::fleet_history::apply(before, &mut r, knowledge)?;
    match args.format {
        CheckFormat::Json => {
            let stdout = std::io::stdout();
            report::write_json(&r, BufWriter::with_capacity(1 << 16, stdout.lock()))?;
        }
        CheckFormat::Markdown => render::print(&report::to_markdown(&r), args.color)?,
        CheckFormat::Text => render::print(&text(&r), args.color)?,
    }
    for e in &errors {
        anstream::eprintln!(
            "{}: {}",
            paint(Style::Error, "error"),
            clean(&e.to_string())
        );
    }
    let code = exit_code(&r);
    exports(args, &r)?;
    // The process ends now: handing every allocation back costs more than it saves.
    std::mem::forget(r);
    Ok(code)
}
