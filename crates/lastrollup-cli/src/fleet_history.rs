//! `fleet --history` and `--since`: what changed since an earlier run.

use std::fmt::Write as _;
use std::io::BufReader;

use anyhow::{Context, Result};
use lastrollup::fleet::history::{
    self, compare::HostChange, Changes, History, Knowledge, Snapshot, StateIdentity,
};
use lastrollup::fleet::FleetReport;

use crate::cli::FleetArgs;
use crate::render::{paint, Style};

/// Lines of each host list in the terminal summary.
const LINES: usize = 15;

/// The earlier run to compare with, read before the fleet is assessed so
/// that a bad history file stops the run at once.
pub enum Before {
    /// Neither `--history` nor `--since`.
    Nothing,
    /// A history database and its last complete run.
    History(Box<History>, Option<Snapshot>),
    /// An earlier `--jsonl` export.
    Export(Snapshot),
}

/// Opens the history or reads the export the arguments name.
pub fn load(args: &FleetArgs) -> Result<Before> {
    if let Some(path) = &args.history {
        let h = History::open(path)?;
        let last = h.last_complete()?;
        return Ok(Before::History(Box::new(h), last));
    }
    if let Some(path) = &args.since {
        let file =
            std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
        let name = path.display().to_string();
        return Ok(Before::Export(history::jsonl::read(
            &name,
            BufReader::new(file),
        )?));
    }
    Ok(Before::Nothing)
}

/// Compares the report with the earlier run, records it in the history,
/// and puts the changes into the report.
pub fn apply(before: Before, r: &mut FleetReport<'_>, knowledge: Knowledge) -> Result<()> {
    match before {
        Before::Nothing => {}
        Before::History(mut h, last) => {
            let cur = Snapshot::of(r, knowledge, StateIdentity::Key);
            let now = jiff::Timestamp::now()
                .strftime("%Y-%m-%dT%H:%M:%SZ")
                .to_string();
            let recorded = match &last {
                Some(prev) => history::carry_forward(prev, &cur),
                None => cur.clone(),
            };
            h.record_then(&recorded, &now, env!("CARGO_PKG_VERSION"), pause_in_write)?;
            r.changes = last.map(|prev| history::compare(&prev, &cur, "history"));
        }
        Before::Export(prev) => {
            let cur = Snapshot::of(r, knowledge, StateIdentity::Export);
            r.changes = Some(history::compare(&prev, &cur, "jsonl"));
        }
    }
    Ok(())
}

/// Test hook: `LASTROLLUP_TEST_HISTORY_PAUSE_MS` pauses the run inside the
/// history transaction, before it commits, so that a test can kill the
/// process while it writes (tests/history_cli.rs).
fn pause_in_write() {
    let ms = std::env::var("LASTROLLUP_TEST_HISTORY_PAUSE_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok());
    if let Some(ms) = ms {
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
}

fn month(m: Option<lastrollup::month::Month>) -> String {
    m.map_or_else(|| "?".into(), |m| m.to_string())
}

fn hosts_text(out: &mut String, title: &str, hosts: &[HostChange], clean: fn(&str) -> String) {
    let gone = title.starts_with("gone");
    if hosts.is_empty() {
        return;
    }
    writeln!(out, "  {title}: {}", hosts.len()).ok();
    for h in hosts.iter().take(LINES) {
        let name = clean(h.name.as_deref().unwrap_or(&h.id));
        let change = if gone {
            let seen = h
                .last_seen
                .map(|d| d.to_string())
                .unwrap_or_else(|| "?".into());
            format!(
                "last baseline {}, last seen as of {seen}",
                month(h.month_before)
            )
        } else {
            format!("{} -> {}", month(h.month_before), month(h.month_after))
        };
        writeln!(out, "    {name:<24} {change}").ok();
    }
    if hosts.len() > LINES {
        writeln!(
            out,
            "    … and {} more (--format json lists all)",
            hosts.len() - LINES
        )
        .ok();
    }
}

/// One change of CVEs: its hosts (the first three named), cause and counts.
fn cve_line(out: &mut String, x: &history::compare::CveChange, clean: fn(&str) -> String) {
    let cause = match x.cause {
        history::compare::Cause::Host => "host changed",
        history::compare::Cause::Knowledge => "knowledge changed",
        history::compare::Cause::HostAndKnowledge => "host and knowledge changed",
    };
    let mut named: Vec<String> = x.hosts.iter().take(3).map(|h| clean(h)).collect();
    if x.hosts.len() > 3 {
        named.push(format!("{} more", x.hosts.len() - 3));
    }
    writeln!(
        out,
        "  {} ({cause}): {} CVEs opened, {} closed, {} newly known exploited",
        named.join(", "),
        x.opened.len(),
        x.closed.len(),
        x.newly_known_exploited.len()
    )
    .ok();
}

/// The `Changes since …` section of the terminal summary.
pub fn text(out: &mut String, c: &Changes, clean: fn(&str) -> String) {
    let since = c
        .since
        .as_of
        .map(|d| d.to_string())
        .unwrap_or_else(|| "?".into());
    let from = c.since.run_at.as_deref().unwrap_or("an earlier export");
    writeln!(
        out,
        "{}",
        paint(
            Style::Heading,
            &format!("Changes since the run of {from} (as of {since})")
        )
    )
    .ok();
    let n = &c.counts;
    writeln!(
        out,
        "  {} new, {} gone (stale, not fixed), {} improved, {} regressed, {} changed servicing state",
        n.new_hosts, n.gone_hosts, n.improved, n.regressed, n.state_changed
    )
    .ok();
    match c.knowledge.changed {
        Some(true) => writeln!(
            out,
            "  advisory knowledge changed: {} -> {} ({} newly known exploited)",
            clean(&c.knowledge.before.identity),
            clean(&c.knowledge.after.identity),
            c.knowledge.kev_added.len()
        ),
        Some(false) => writeln!(out, "  advisory knowledge unchanged"),
        None => writeln!(out, "  advisory knowledge of the earlier export unknown"),
    }
    .ok();
    hosts_text(out, "regressed", &c.regressed, clean);
    hosts_text(out, "improved", &c.improved, clean);
    hosts_text(out, "new", &c.new_hosts, clean);
    hosts_text(out, "gone (stale)", &c.gone_hosts, clean);
    for x in c.cves.iter().take(LINES) {
        cve_line(out, x, clean);
    }
    if c.cves.len() > LINES {
        writeln!(
            out,
            "  … and {} more changes of CVEs (--format json lists all)",
            c.cves.len() - LINES
        )
        .ok();
    }
    out.push('\n');
}
