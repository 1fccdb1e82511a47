//! The parts of the page rendered here, readable without JavaScript and in
//! print: summary, changes, trends, worst hosts, known-exploited CVEs,
//! lifecycle, machines sharing a name, files not used.
//!
//! Every text from the input goes through [`text`]: markup characters
//! become entities, and invisible or direction-changing characters (Bidi
//! controls such as U+202E, other controls, zero-width characters) become a
//! visible `⟨U+202E⟩`, inside `<bdi>` where a name is shown.
//!
//! The sections are a list of functions ([`SECTIONS`]); a new part of the
//! report is one more function.

use std::fmt::Write as _;

use super::{svg, Extras};
use crate::fleet::report::{goal_text, headline, state_rows};
use crate::fleet::FleetReport;

/// One section of the page.
pub type Section = fn(&mut String, &FleetReport<'_>, &Extras);

/// The sections, in page order.
pub const SECTIONS: &[Section] = &[
    summary, changes, trends, worst, hosts, kev, lifecycle, collisions, errors,
];

/// Whether a character is invisible or changes the direction of text
/// (Unicode Bidi_Control, zero-width and line-separator characters, other
/// controls): shown as `⟨U+XXXX⟩`.
pub fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{061C}' | '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// Appends `s` as HTML text (also safe in a double-quoted attribute).
pub fn text_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if is_hidden(c) => {
                write!(out, "\u{27E8}U+{:04X}\u{27E9}", u32::from(c)).ok();
            }
            c => out.push(c),
        }
    }
}

/// `s` as HTML text.
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    text_into(&mut out, s);
    out
}

/// A name from the input: isolated from the surrounding direction.
fn name(s: &str) -> String {
    format!("<bdi>{}</bdi>", text(s))
}

/// `<head>`: the policy first, then the rest.
pub fn head(out: &mut String, r: &FleetReport<'_>, csp: &str, style: &str) {
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    writeln!(
        out,
        "<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">",
        // Our own text: quotes in it are single, hashes are base64.
        csp.replace('"', "&quot;")
    )
    .ok();
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str("<meta name=\"referrer\" content=\"no-referrer\">\n");
    writeln!(out, "<title>Fleet servicing — as of {}</title>", r.as_of).ok();
    writeln!(out, "<style>{style}</style>\n</head>").ok();
}

/// `<body>` up to the data: header, navigation, every section, the empty
/// drill-down dialog.
pub fn body(out: &mut String, r: &FleetReport<'_>, extras: &Extras) {
    out.push_str("<body>\n<header>\n<h1>Fleet servicing report</h1>\n");
    writeln!(
        out,
        "<p class=\"meta\">As of {} · goal: {} · lastrollup {} · advisory facts: {}</p>",
        r.as_of,
        goal_text(r.goal),
        env!("CARGO_PKG_VERSION"),
        text(
            &serde_json::to_string(&r.advisory)
                .unwrap_or_default()
                .replace('"', "")
        )
    )
    .ok();
    writeln!(
        out,
        "<p class=\"headline\">{}</p>\n</header>",
        text(&headline(r))
    )
    .ok();
    nav(out, r, extras);
    out.push_str("<main>\n");
    for section in SECTIONS {
        section(out, r, extras);
    }
    out.push_str("</main>\n<dialog id=\"drill\" aria-labelledby=\"drill-title\"></dialog>\n");
}

fn nav(out: &mut String, r: &FleetReport<'_>, extras: &Extras) {
    let s = &r.summary;
    let links = [
        ("summary", "Summary", true),
        ("actions", "Next actions", true),
        ("changes", "Changes", extras.changes.is_some()),
        ("trends", "Trends", extras.trend.len() > 1),
        ("worst", "Worst hosts", !s.worst_hosts.is_empty()),
        ("hosts", "All hosts", true),
        ("kev", "Known-exploited CVEs", true),
        ("lifecycle", "Lifecycle", true),
        (
            "collisions",
            "Shared names",
            !s.identity_collisions.is_empty(),
        ),
        ("errors", "Files not used", !r.errors.is_empty()),
    ];
    out.push_str("<nav aria-label=\"Sections\"><ul>");
    for (id, label, _) in links.iter().filter(|l| l.2) {
        write!(out, "<li><a href=\"#{id}\">{label}</a></li>").ok();
    }
    out.push_str("</ul></nav>\n");
}

fn tile(out: &mut String, value: usize, label: &str, class: &str) {
    write!(
        out,
        "<li class=\"tile {class}\"><span class=\"n\">{value}</span> <span class=\"l\">{label}</span></li>"
    )
    .ok();
}

fn tiles(out: &mut String, r: &FleetReport<'_>) {
    let s = &r.summary;
    let behind: usize =
        s.states.behind.iter().map(|b| b.hosts).sum::<usize>() + s.states.behind_unknown;
    let kev_hosts = r
        .hosts
        .iter()
        .filter(|h| h.exposure.known_exploited > 0)
        .count();
    out.push_str("<ul class=\"tiles\">");
    tile(out, s.hosts, "hosts", "");
    tile(out, s.states.at_final, "at the final baseline", "good");
    tile(
        out,
        behind,
        "behind it",
        if behind > 0 { "bad" } else { "" },
    );
    tile(
        out,
        kev_hosts,
        "open to a known-exploited CVE",
        if kev_hosts > 0 { "bad" } else { "" },
    );
    tile(
        out,
        s.states.no_rollups + s.states.not_nt60 + s.states.unassessable,
        "without rollups, not NT 6.0 or unassessable",
        "",
    );
    tile(
        out,
        s.unusable_files,
        "files not used",
        if s.unusable_files > 0 { "warn" } else { "" },
    );
    out.push_str("</ul>\n");
}

fn summary(out: &mut String, r: &FleetReport<'_>, _: &Extras) {
    out.push_str("<section id=\"summary\" aria-labelledby=\"h-summary\">\n<h2 id=\"h-summary\">Summary</h2>\n");
    tiles(out, r);
    out.push_str("<div class=\"split\">\n<table class=\"states\"><caption>Hosts by state</caption>\n<thead><tr><th scope=\"col\">state</th><th scope=\"col\" class=\"num\">hosts</th></tr></thead><tbody>\n");
    for (label, n) in state_rows(&r.summary.states) {
        let zero = if n == 0 { " class=\"zero\"" } else { "" };
        writeln!(
            out,
            "<tr{zero}><th scope=\"row\">{}</th><td class=\"num\">{n}</td></tr>",
            text(&label)
        )
        .ok();
    }
    out.push_str("</tbody></table>\n");
    actions(out, r);
    out.push_str("</div>\n</section>\n");
}

/// The next best actions, beside the states.
fn actions(out: &mut String, r: &FleetReport<'_>) {
    out.push_str("<div id=\"actions\" class=\"actions\">\n<h3>Next best actions</h3>\n");
    if r.summary.next_actions.is_empty() {
        out.push_str("<p>Nothing to install.</p>\n");
    } else {
        out.push_str("<ol class=\"actions\">");
        for a in &r.summary.next_actions {
            write!(out, "<li>{}</li>", text(&a.text)).ok();
        }
        out.push_str("</ol>\n");
    }
    out.push_str("</div>\n");
}

/// A list of hosts from the `changes` object: ids, or objects with
/// `id`/`name` and optional `before`/`after`.
fn change_item(v: &serde_json::Value) -> String {
    let field = |k: &str| {
        v.get(k).and_then(|x| {
            x.as_str()
                .map(str::to_owned)
                .or_else(|| (!x.is_null()).then(|| x.to_string()))
        })
    };
    let who = v
        .as_str()
        .map(str::to_owned)
        .or_else(|| field("name"))
        .or_else(|| field("id"))
        .unwrap_or_else(|| v.to_string());
    let mut item = name(&who);
    let pair = field("month_before")
        .zip(field("month_after"))
        .or_else(|| field("before").zip(field("after")));
    if let Some((b, a)) = pair {
        write!(item, ": {} → {}", text(&b), text(&a)).ok();
    }
    item
}

/// The lists of hosts the changes name, in the order a reader wants them.
const CHANGE_LISTS: [(&str, &str); 4] = [
    ("regressed", "fell behind"),
    ("improved", "caught up"),
    ("new_hosts", "new hosts"),
    ("gone_hosts", "not seen this run (stale, not fixed)"),
];

/// One sentence on what the run is compared with, and whether the advisory
/// facts changed in between (a change of knowledge, not of the hosts).
fn change_basis(out: &mut String, c: &serde_json::Map<String, serde_json::Value>) {
    let since = c.get("since");
    let get = |v: Option<&serde_json::Value>, k: &str| {
        v.and_then(|v| v.get(k))
            .and_then(|x| x.as_str())
            .unwrap_or("?")
            .to_owned()
    };
    write!(
        out,
        "<p>Compared with the run as of {} (from the {}).",
        text(&get(since, "as_of")),
        text(&get(since, "source"))
    )
    .ok();
    let knowledge = c.get("knowledge");
    match knowledge
        .and_then(|k| k.get("changed"))
        .and_then(|x| x.as_bool())
    {
        Some(true) => {
            let ids = |k: &str| {
                knowledge
                    .and_then(|x| x.get(k))
                    .and_then(|x| x.as_array())
                    .map_or(0, Vec::len)
            };
            write!(
                out,
                " The advisory facts changed: {} → {} ({} newly known-exploited, {} no longer listed).",
                text(&get(knowledge.and_then(|k| k.get("before")), "identity")),
                text(&get(knowledge.and_then(|k| k.get("after")), "identity")),
                ids("kev_added"),
                ids("kev_removed")
            )
            .ok();
        }
        Some(false) => out.push_str(" The advisory facts are the same as then."),
        None => out.push_str(" The earlier run's advisory facts are not known."),
    }
    out.push_str("</p>\n");
}

/// The changes since the previous run, when the report has them.
fn changes(out: &mut String, _: &FleetReport<'_>, extras: &Extras) {
    let Some(serde_json::Value::Object(c)) = &extras.changes else {
        return;
    };
    out.push_str("<section id=\"changes\" aria-labelledby=\"h-changes\">\n<h2 id=\"h-changes\">Changes since the previous run</h2>\n");
    change_basis(out, c);
    out.push_str("<dl class=\"changes\">\n");
    for (key, label) in CHANGE_LISTS {
        let items = c
            .get(key)
            .and_then(|v| v.as_array())
            .map_or(&[][..], Vec::as_slice);
        write!(
            out,
            "<dt>{label} <span class=\"count\">{}</span></dt><dd>",
            items.len()
        )
        .ok();
        let shown: Vec<String> = items.iter().take(200).map(change_item).collect();
        out.push_str(&if shown.is_empty() {
            "none".to_owned()
        } else {
            shown.join(", ")
        });
        if items.len() > 200 {
            write!(out, " … and {} more", items.len() - 200).ok();
        }
        out.push_str("</dd>\n");
    }
    cve_changes(
        out,
        c.get("cves")
            .and_then(|v| v.as_array())
            .map_or(&[][..], Vec::as_slice),
    );
    out.push_str("</dl>\n</section>\n");
}

/// CVEs opened and closed, one line per group of hosts that made the same
/// change, with its cause (the hosts, the advisory facts, or both).
fn cve_changes(out: &mut String, groups: &[serde_json::Value]) {
    write!(
        out,
        "<dt>CVE changes <span class=\"count\">{}</span></dt><dd>",
        groups.len()
    )
    .ok();
    if groups.is_empty() {
        out.push_str("none");
    }
    let count =
        |g: &serde_json::Value, k: &str| g.get(k).and_then(|x| x.as_array()).map_or(0, Vec::len);
    for g in groups.iter().take(50) {
        let cause = g.get("cause").and_then(|x| x.as_str()).unwrap_or("?");
        write!(
            out,
            "<div>{} host(s): {} opened, {} closed, {} newly known-exploited (cause: {})</div>",
            count(g, "hosts"),
            count(g, "opened"),
            count(g, "closed"),
            count(g, "newly_known_exploited"),
            text(cause)
        )
        .ok();
    }
    out.push_str("</dd>\n");
}

fn trends(out: &mut String, _: &FleetReport<'_>, extras: &Extras) {
    if extras.trend.len() < 2 {
        return;
    }
    out.push_str("<section id=\"trends\" aria-labelledby=\"h-trends\">\n<h2 id=\"h-trends\">Trends</h2>\n<div class=\"charts\">");
    svg::chart(out, &extras.trend, svg::Series::AtFinal);
    svg::chart(out, &extras.trend, svg::Series::KevOpen);
    out.push_str("</div>\n");
    svg::table(out, &extras.trend);
    out.push_str("</section>\n");
}

fn worst(out: &mut String, r: &FleetReport<'_>, _: &Extras) {
    let rows = &r.summary.worst_hosts;
    if rows.is_empty() {
        return;
    }
    out.push_str(
        "<section id=\"worst\" aria-labelledby=\"h-worst\">\n<h2 id=\"h-worst\">Worst hosts</h2>\n",
    );
    out.push_str("<table class=\"worst\"><caption>The hosts with the most open known-exploited CVEs, then the most months behind</caption>\n<thead><tr><th scope=\"col\">host</th><th scope=\"col\" class=\"num\">months behind</th><th scope=\"col\" class=\"num\">known-exploited open</th><th scope=\"col\" class=\"num\">CVEs open</th><th scope=\"col\">next step</th></tr></thead><tbody>\n");
    for w in rows {
        writeln!(
            out,
            "<tr data-host=\"{}\"><th scope=\"row\">{}</th><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
            text(&w.id),
            name(w.name.as_deref().unwrap_or(&w.id)),
            w.months_behind.map_or("?".into(), |m| m.to_string()),
            w.known_exploited,
            w.open,
            text(w.next_step.as_deref().unwrap_or("—"))
        )
        .ok();
    }
    out.push_str("</tbody></table>\n</section>\n");
}

fn hosts(out: &mut String, r: &FleetReport<'_>, _: &Extras) {
    writeln!(
        out,
        "<section id=\"hosts\" aria-labelledby=\"h-hosts\">\n<h2 id=\"h-hosts\">All hosts</h2>\n\
         <noscript><p>The table of all {} hosts, with search and a page per host, needs JavaScript. \
         The CSV export (<code>lastrollup fleet --csv FILE</code>) has every host.</p></noscript>\n\
         <p class=\"print-only\">The table of all hosts is not printed: the CSV export has every host.</p>\n\
         <div id=\"app\"></div>\n</section>",
        r.summary.hosts
    )
    .ok();
}

fn kev(out: &mut String, r: &FleetReport<'_>, _: &Extras) {
    out.push_str("<section id=\"kev\" aria-labelledby=\"h-kev\">\n<h2 id=\"h-kev\">Known-exploited CVEs</h2>\n");
    let rows = &r.summary.known_exploited;
    if rows.is_empty() {
        out.push_str("<p>No host is open to a known-exploited CVE.</p>\n</section>\n");
        return;
    }
    out.push_str("<table class=\"kev\"><caption>CVEs CISA lists as exploited, by hosts open to them</caption>\n<thead><tr><th scope=\"col\">CVE</th><th scope=\"col\" class=\"num\">hosts open</th><th scope=\"col\" class=\"num\">hosts unverified</th><th scope=\"col\">in KEV since</th><th scope=\"col\">ransomware</th><th scope=\"col\">title</th></tr></thead><tbody>\n");
    for k in rows {
        writeln!(
            out,
            "<tr><th scope=\"row\">{}</th><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            text(&k.cve),
            k.hosts_open,
            k.hosts_unverified,
            k.date_added,
            if k.ransomware { "yes" } else { "" },
            text(&k.title)
        )
        .ok();
    }
    out.push_str("</tbody></table>\n</section>\n");
}

fn lifecycle(out: &mut String, r: &FleetReport<'_>, _: &Extras) {
    out.push_str("<section id=\"lifecycle\" aria-labelledby=\"h-lifecycle\">\n<h2 id=\"h-lifecycle\">Lifecycle</h2>\n");
    out.push_str("<table><caption>Hosts by family and lifecycle state</caption>\n<thead><tr><th scope=\"col\">family</th><th scope=\"col\">state</th><th scope=\"col\">phase</th><th scope=\"col\">updates can still come</th><th scope=\"col\" class=\"num\">hosts</th></tr></thead><tbody>\n");
    for l in &r.summary.lifecycle {
        writeln!(
            out,
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td></tr>",
            text(&l.family),
            text(l.state),
            text(l.phase.as_deref().unwrap_or("")),
            if l.updates_can_still_come { "yes" } else { "no" },
            l.hosts
        )
        .ok();
    }
    out.push_str("</tbody></table>\n</section>\n");
}

fn collisions(out: &mut String, r: &FleetReport<'_>, _: &Extras) {
    let rows = &r.summary.identity_collisions;
    if rows.is_empty() {
        return;
    }
    out.push_str("<section id=\"collisions\" aria-labelledby=\"h-collisions\">\n<h2 id=\"h-collisions\">Machines sharing a name</h2>\n<p>Different machines (another domain, product ID or install date) with one name, reported apart:</p>\n<ul>");
    for c in rows {
        let ids: Vec<String> = c.hosts.iter().map(|h| name(h)).collect();
        write!(out, "<li>{}: {}</li>", name(&c.name), ids.join(", ")).ok();
    }
    out.push_str("</ul>\n</section>\n");
}

fn errors(out: &mut String, r: &FleetReport<'_>, _: &Extras) {
    if r.errors.is_empty() {
        return;
    }
    out.push_str("<section id=\"errors\" aria-labelledby=\"h-errors\">\n<h2 id=\"h-errors\">Files that could not be used</h2>\n");
    out.push_str("<table><caption>Files not used, with the reason</caption>\n<thead><tr><th scope=\"col\">file</th><th scope=\"col\" class=\"num\">line</th><th scope=\"col\">reason</th></tr></thead><tbody>\n");
    for e in &r.errors {
        writeln!(
            out,
            "<tr><th scope=\"row\">{}</th><td class=\"num\">{}</td><td>{}</td></tr>",
            name(&e.file),
            e.line.map(|l| l.to_string()).unwrap_or_default(),
            text(&e.message)
        )
        .ok();
    }
    out.push_str("</tbody></table>\n</section>\n");
}
