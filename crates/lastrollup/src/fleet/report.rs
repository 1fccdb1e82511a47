//! Rendering the [`FleetReport`]: the `lastrollup.fleet/1` JSON contract
//! (docs/fleet.md, schema in docs/schema/fleet-1.schema.json) and Markdown.
//! No decision is made here.

use std::fmt::Write as _;

use super::history::compare::{Cause, Changes, HostChange};
use super::summary::{States, Summary};
use super::FleetReport;
use crate::assess::Goal;

/// Serializes the report as pretty JSON.
pub fn to_json(report: &FleetReport<'_>) -> String {
    // Plain structs of strings, numbers and dates: serializing cannot fail.
    serde_json::to_string_pretty(report).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}

/// Writes the report as pretty JSON, followed by a line break, without
/// holding the whole text in memory (a fleet's JSON is tens of megabytes).
pub fn write_json<W: std::io::Write>(report: &FleetReport<'_>, mut out: W) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut out, report)?;
    out.write_all(b"\n")?;
    out.flush()
}

/// Text safe in a Markdown table cell and in running text: no line breaks,
/// no table pipes, no markup or HTML.
pub fn md_cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '|' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '&' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The goal, for people.
pub fn goal_text(goal: Goal) -> &'static str {
    match goal {
        Goal::Final => "the final baseline",
        Goal::WithoutEsu => "the last baseline without ESU",
    }
}

/// Hosts by state as (label, count) rows, in a fixed order.
pub fn state_rows(s: &States) -> Vec<(String, usize)> {
    let mut rows = vec![("at the final baseline".to_string(), s.at_final)];
    for b in &s.behind {
        rows.push((format!("{} months behind", b.label), b.hosts));
    }
    rows.push(("behind, months unknown".into(), s.behind_unknown));
    rows.push(("NT 6.0 without monthly rollups".into(), s.no_rollups));
    rows.push(("not NT 6.0".into(), s.not_nt60));
    rows.push(("unassessable".into(), s.unassessable));
    rows
}

/// The one-paragraph headline.
pub fn headline(report: &FleetReport<'_>) -> String {
    let s = &report.summary;
    let goal = match report.goal {
        Goal::Final => String::new(),
        Goal::WithoutEsu => format!(", {} at {}", s.states.at_goal, goal_text(report.goal)),
    };
    format!(
        "{} hosts in {} distinct servicing states; {} at the final baseline{goal}; {} file(s) could not be used.",
        s.hosts, s.profiles, s.states.at_final, s.unusable_files
    )
}

fn states_md(out: &mut String, s: &Summary) {
    out.push_str("## Hosts by state\n\n| state | hosts |\n|---|---:|\n");
    for (label, n) in state_rows(&s.states) {
        writeln!(out, "| {label} | {n} |").ok();
    }
    out.push('\n');
}

fn actions_md(out: &mut String, s: &Summary) {
    out.push_str("## Next best actions\n\n");
    if s.next_actions.is_empty() {
        out.push_str("Nothing to install.\n");
    }
    for (i, a) in s.next_actions.iter().enumerate() {
        writeln!(out, "{}. {}", i + 1, md_cell(&a.text)).ok();
    }
    out.push('\n');
}

fn kev_md(out: &mut String, s: &Summary) {
    out.push_str("## Known-exploited CVEs\n\n");
    if s.known_exploited.is_empty() {
        out.push_str("No host is open to a known-exploited CVE.\n\n");
        return;
    }
    out.push_str("| CVE | hosts open | hosts unverified | in KEV since | ransomware | title |\n");
    out.push_str("|---|---:|---:|---|---|---|\n");
    for k in &s.known_exploited {
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            k.cve,
            k.hosts_open,
            k.hosts_unverified,
            k.date_added,
            if k.ransomware { "yes" } else { "" },
            md_cell(&k.title)
        )
        .ok();
    }
    out.push('\n');
}

fn worst_md(out: &mut String, s: &Summary) {
    out.push_str("## Worst hosts\n\n");
    if s.worst_hosts.is_empty() {
        out.push_str("Every host has reached its goal and is open to no CVE.\n\n");
        return;
    }
    out.push_str("| host | months behind | known-exploited open | CVEs open | next step |\n");
    out.push_str("|---|---:|---:|---:|---|\n");
    for w in &s.worst_hosts {
        writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            md_cell(w.name.as_deref().unwrap_or(&w.id)),
            w.months_behind.map_or("?".into(), |m| m.to_string()),
            w.known_exploited,
            w.open,
            w.next_step.as_deref().unwrap_or("")
        )
        .ok();
    }
    out.push('\n');
}

fn lifecycle_md(out: &mut String, s: &Summary) {
    out.push_str("## Lifecycle\n\n| family | state | phase | updates can still come | hosts |\n");
    out.push_str("|---|---|---|---|---:|\n");
    for l in &s.lifecycle {
        writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            l.family,
            l.state,
            md_cell(l.phase.as_deref().unwrap_or("")),
            if l.updates_can_still_come {
                "yes"
            } else {
                "no"
            },
            l.hosts
        )
        .ok();
    }
    out.push('\n');
}

fn identity_md(out: &mut String, s: &Summary) {
    if s.identity_collisions.is_empty() {
        return;
    }
    out.push_str("## Machines sharing a name\n\n");
    for c in &s.identity_collisions {
        let ids: Vec<String> = c.hosts.iter().map(|h| md_cell(h)).collect();
        writeln!(out, "- {}: {}", md_cell(&c.name), ids.join(", ")).ok();
    }
    out.push('\n');
}

fn errors_md(out: &mut String, report: &FleetReport<'_>) {
    if report.errors.is_empty() {
        return;
    }
    out.push_str("## Files that could not be used\n\n| file | line | reason |\n|---|---:|---|\n");
    for e in &report.errors {
        writeln!(
            out,
            "| {} | {} | {} |",
            md_cell(&e.file),
            e.line.map(|l| l.to_string()).unwrap_or_default(),
            md_cell(&e.message)
        )
        .ok();
    }
    out.push('\n');
}

/// Rows of each host list in the Markdown changes section.
const CHANGE_ROWS: usize = 50;

fn month(m: Option<crate::month::Month>) -> String {
    m.map_or_else(|| "?".into(), |m| m.to_string())
}

fn change_hosts_md(out: &mut String, title: &str, hosts: &[HostChange]) {
    if hosts.is_empty() {
        return;
    }
    writeln!(out, "### {title} ({})\n\n| host | baseline before | baseline after | known-exploited open before | after |\n|---|---|---|---:|---:|", hosts.len()).ok();
    let opt = |n: Option<usize>| n.map(|n| n.to_string()).unwrap_or_default();
    for h in hosts.iter().take(CHANGE_ROWS) {
        // A gone host is stale: not seen, never fixed.
        let after = match h.last_seen {
            Some(d) => format!("not seen since the run of {d}"),
            None => month(h.month_after),
        };
        writeln!(
            out,
            "| {} | {} | {after} | {} | {} |",
            md_cell(h.name.as_deref().unwrap_or(&h.id)),
            month(h.month_before),
            opt(h.kev_open_before),
            opt(h.kev_open_after)
        )
        .ok();
    }
    if hosts.len() > CHANGE_ROWS {
        writeln!(
            out,
            "\n… and {} more (the JSON lists all).",
            hosts.len() - CHANGE_ROWS
        )
        .ok();
    }
    out.push('\n');
}

fn knowledge_md(out: &mut String, c: &Changes) {
    let k = &c.knowledge;
    match k.changed {
        Some(true) => writeln!(
            out,
            "Advisory knowledge changed: {} → {}; {} CVE(s) newly known exploited.\n",
            md_cell(&k.before.identity),
            md_cell(&k.after.identity),
            k.kev_added.len()
        ),
        Some(false) => writeln!(out, "Advisory knowledge unchanged.\n"),
        None => writeln!(out, "The earlier export does not say which advisory knowledge it rests on; only known-exploited CVEs are compared.\n"),
    }
    .ok();
}

fn cve_changes_md(out: &mut String, c: &Changes) {
    if c.cves.is_empty() {
        return;
    }
    out.push_str("### CVEs opened and closed\n\n| hosts | cause | opened | closed | newly known exploited |\n|---:|---|---:|---:|---:|\n");
    for x in &c.cves {
        let cause = match x.cause {
            Cause::Host => "host changed",
            Cause::Knowledge => "knowledge changed",
            Cause::HostAndKnowledge => "host and knowledge changed",
        };
        writeln!(
            out,
            "| {} | {cause} | {} | {} | {} |",
            x.hosts.len(),
            x.opened.len(),
            x.closed.len(),
            x.newly_known_exploited.len()
        )
        .ok();
    }
    out.push('\n');
}

/// The `Changes since …` section.
fn changes_md(out: &mut String, c: &Changes) {
    let from = c.since.run_at.as_deref().unwrap_or("an earlier export");
    let as_of = c
        .since
        .as_of
        .map(|d| d.to_string())
        .unwrap_or_else(|| "?".into());
    writeln!(
        out,
        "## Changes since the run of {} (as of {as_of})\n",
        md_cell(from)
    )
    .ok();
    let n = &c.counts;
    writeln!(
        out,
        "{} new, {} gone (stale, not counted as fixed), {} improved, {} regressed, {} changed servicing state.\n",
        n.new_hosts, n.gone_hosts, n.improved, n.regressed, n.state_changed
    )
    .ok();
    knowledge_md(out, c);
    change_hosts_md(out, "Regressed", &c.regressed);
    change_hosts_md(out, "Improved", &c.improved);
    change_hosts_md(out, "New hosts", &c.new_hosts);
    change_hosts_md(out, "Gone hosts (stale)", &c.gone_hosts);
    cve_changes_md(out, c);
}

/// The report as Markdown, for tickets and wikis: the summary sections and
/// every error (the per-host table is in the CSV export).
pub fn to_markdown(report: &FleetReport<'_>) -> String {
    let mut out = String::new();
    writeln!(
        out,
        "# lastrollup fleet — as of {}\n\n{}\n",
        report.as_of,
        headline(report)
    )
    .ok();
    if let Some(c) = &report.changes {
        changes_md(&mut out, c);
    }
    let s = &report.summary;
    states_md(&mut out, s);
    actions_md(&mut out, s);
    kev_md(&mut out, s);
    worst_md(&mut out, s);
    lifecycle_md(&mut out, s);
    identity_md(&mut out, s);
    errors_md(&mut out, report);
    out
}
