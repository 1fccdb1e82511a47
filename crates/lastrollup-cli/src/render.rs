//! Terminal rendering. Decides nothing: it shows what the library decided.

use std::fmt::Write;

use lastrollup::host::{Host, Severity, Sourced};

use crate::cli::ColorChoice;

/// Maps the `--color` flag to anstream's choice (auto = colour on a terminal
/// only, honouring NO_COLOR / CLICOLOR_FORCE).
pub fn color_choice(c: ColorChoice) -> anstream::ColorChoice {
    match c {
        ColorChoice::Auto => anstream::ColorChoice::Auto,
        ColorChoice::Always => anstream::ColorChoice::Always,
        ColorChoice::Never => anstream::ColorChoice::Never,
    }
}

/// Writes a finished report to standard output in one piece: styled on a
/// terminal (per `--color`), plain otherwise. A report written segment by
/// segment through a stripping stream costs a system call per line, which
/// for a fleet or an exposure list is most of the run.
pub fn print(text: &str, color: ColorChoice) -> std::io::Result<()> {
    use std::io::Write as _;
    let stdout = std::io::stdout();
    let choice = match color_choice(color) {
        anstream::ColorChoice::Auto => anstream::AutoStream::choice(&stdout),
        c => c,
    };
    if choice == anstream::ColorChoice::Never {
        let plain = strip(text);
        let mut out = stdout.lock();
        out.write_all(plain.as_bytes())?;
        out.flush()
    } else {
        let mut out = anstream::AutoStream::new(stdout, choice);
        out.write_all(text.as_bytes())?;
        out.flush()
    }
}

/// `text` without styling. The codes [`paint`] writes are cut out directly
/// (anstream's general parser reads every byte, a tenth of a `check`);
/// any other escape sequence, which only input text could hold, sends the
/// whole text through anstream's parser.
fn strip(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    // A style code holds no escape byte, so every one found starts a code.
    for at in memchr::memchr_iter(0x1b, bytes) {
        // `ESC [` digits and semicolons `m`.
        let code = bytes[at + 1..]
            .strip_prefix(b"[")
            .map(|rest| {
                rest.iter()
                    .take_while(|b| b.is_ascii_digit() || **b == b';')
                    .count()
            })
            .filter(|n| bytes.get(at + 2 + n) == Some(&b'm'));
        let Some(n) = code else {
            return anstream::adapter::strip_str(text).to_string();
        };
        out.push_str(&text[from..at]);
        from = at + 3 + n;
    }
    out.push_str(&text[from.min(text.len())..]);
    out
}

/// Text styles.
#[derive(Debug, Clone, Copy)]
pub enum Style {
    Heading,
    Dim,
    Error,
    Warning,
    Info,
}

/// Wraps text in ANSI codes; anstream strips them where colour is off.
pub fn paint(style: Style, text: &str) -> String {
    let code = match style {
        Style::Heading => "1",
        Style::Dim => "2",
        Style::Error => "1;31",
        Style::Warning => "1;33",
        Style::Info => "1;36",
    };
    format!("\x1b[{code}m{text}\x1b[0m")
}

/// File names in first-seen order, each once (a bundle gives one record per section).
fn file_names<'a>(names: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for n in names {
        if !out.contains(&n) {
            out.push(n);
        }
    }
    out
}

fn val<T: std::fmt::Display>(v: &Option<Sourced<T>>) -> String {
    v.as_ref()
        .map_or_else(|| "unknown".to_owned(), |s| s.value.to_string())
}

fn row(out: &mut String, label: &str, value: String) {
    let _ = writeln!(out, "  {:<14}{value}", label);
}

/// The readable form of `identify`.
pub fn identify_table(hosts: &[Host]) -> String {
    let mut out = String::new();
    for (i, h) in hosts.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let name = h
            .name
            .as_ref()
            .map_or("(unnamed host)", |n| n.value.as_str());
        let files = file_names(h.sources.iter().map(|s| s.file.as_str()));
        let _ = writeln!(
            out,
            "{}  {}",
            paint(Style::Heading, name),
            paint(Style::Dim, &files.join(", "))
        );
        let os = &h.os;
        let product = os
            .product_name
            .as_ref()
            .map_or_else(|| "unknown".to_owned(), |p| p.value.clone());
        row(
            &mut out,
            "Windows",
            format!(
                "{product}  [{}, NT {}]",
                val(&os.family),
                val(&os.nt_version)
            ),
        );
        let mut edition = val(&os.edition);
        if let Some(inst) = &os.installation {
            let _ = write!(edition, " ({})", inst.value);
        }
        row(&mut out, "Edition", edition);
        row(&mut out, "Architecture", val(&os.arch));
        let sp = os.service_pack.as_ref().map_or_else(
            || "unknown".to_owned(),
            |s| {
                if s.value == 0 {
                    "none".into()
                } else {
                    format!("SP{}", s.value)
                }
            },
        );
        let revision = os
            .revision
            .as_ref()
            .map_or_else(|| "unknown".to_owned(), |r| r.value.to_string());
        row(
            &mut out,
            "Build",
            format!(
                "{}  revision {revision}  branch {}  service pack {sp}",
                val(&os.build),
                val(&os.branch)
            ),
        );
        if let Some(lab) = &os.build_lab {
            let date = os
                .build_lab_date
                .as_ref()
                .map_or(String::new(), |d| format!("  (compiled {})", d.value));
            row(&mut out, "Build lab", format!("{}{date}", lab.value));
        }
        row(
            &mut out,
            "Role",
            format!("{}  domain {}", val(&h.role), val(&h.domain)),
        );
        row(&mut out, "Locale", val(&h.locale));
        let kbs: Vec<String> = h
            .updates
            .iter()
            .take(12)
            .map(|u| u.id.to_string())
            .collect();
        let more = if h.updates.len() > 12 {
            format!(" … and {} more", h.updates.len() - 12)
        } else {
            String::new()
        };
        row(
            &mut out,
            "Updates",
            if h.updates.is_empty() {
                "none listed".into()
            } else {
                format!("{} listed: {}{more}", h.updates.len(), kbs.join(" "))
            },
        );
        for f in &h.findings {
            let (style, word) = match f.severity {
                Severity::Error => (Style::Error, "error"),
                Severity::Warning => (Style::Warning, "warning"),
                Severity::Info => (Style::Info, "info"),
            };
            let _ = writeln!(out, "  {}[{}] {}", paint(style, word), f.id, f.message);
            for s in &f.sources {
                let _ = writeln!(out, "      {}", paint(Style::Dim, &format!("--> {s}")));
            }
        }
    }
    out
}

fn severity_style(s: Severity) -> Style {
    match s {
        Severity::Error => Style::Error,
        Severity::Warning => Style::Warning,
        Severity::Info => Style::Info,
    }
}

/// The readable form of `check`: verdict first, then the plan, findings and
/// lifecycle.
pub fn check_text(doc: &lastrollup::report::check::CheckReport<'_>) -> String {
    let mut out = String::new();
    for (i, h) in doc.hosts.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let name = h.identity.host.name.unwrap_or("(unnamed host)");
        let files = file_names(h.identity.sources.iter().map(|s| s.file.as_str()));
        let _ = writeln!(
            out,
            "{}  {}",
            paint(Style::Heading, name),
            paint(Style::Dim, &files.join(", "))
        );
        let _ = writeln!(out, "{}", h.verdict);
        if let Some(b) = h.baseline {
            if let Some(k) = &b.kernel {
                let implied = k.month.map_or_else(
                    || "older than the first rollup".to_owned(),
                    |m| format!("implies {m}"),
                );
                let _ = writeln!(out, "  {:<14}{} ({implied})", "kernel", k.version);
            }
            if let Some(w) = &b.without_esu {
                let _ = writeln!(out, "  {:<14}{} ({})", "without ESU", w.kb, w.month);
            }
        }
        let sv = &h.servicing;
        if let Some(v) = &sv.stack_version {
            let _ = writeln!(out, "  {:<14}{v}", "stack");
        }
        if let Some(b) = sv.sha2_support {
            let _ = writeln!(
                out,
                "  {:<14}{}",
                "SHA-2",
                if b { "supported" } else { "not installed" }
            );
        }
        if let Some(l) = sv.esu_licensed {
            let what = if l {
                sv.esu_licenses.join("; ")
            } else {
                "no licensed ESU add-on".to_owned()
            };
            let _ = writeln!(out, "  {:<14}{what}", "ESU licence");
        }
        if let Some(p) = sv.reboot_pending {
            let what = if p {
                sv.pending_markers.join("; ")
            } else {
                "none".to_owned()
            };
            let _ = writeln!(out, "  {:<14}{what}", "restart due");
        }
        if let Some(v) = &sv.ie_version {
            let _ = writeln!(out, "  {:<14}{v}", "IE");
        }
        if !h.missing.is_empty() {
            let _ = writeln!(
                out,
                "\n{}",
                paint(Style::Heading, "Install, in this order:")
            );
            for s in h.missing {
                let kb = s.kb.as_deref().unwrap_or("—");
                let _ = writeln!(out, "  {:>2}. {:<10} {}", s.order, kb, s.title);
                let _ = writeln!(out, "      {}", paint(Style::Dim, &s.reason));
                if let Some(c) = &s.condition {
                    let _ = writeln!(out, "      {}", paint(Style::Dim, &format!("({c})")));
                }
            }
        }
        if let Some(e) = h.exposure {
            exposure_text(&mut out, e);
        }
        if !h.identity.findings.is_empty() {
            let _ = writeln!(out, "\n{}", paint(Style::Heading, "Findings:"));
            for f in &h.identity.findings {
                let sev = format!("{:?}", f.severity).to_lowercase();
                let _ = writeln!(
                    out,
                    "  {} [{}] {}",
                    paint(severity_style(f.severity), &sev),
                    f.id,
                    f.message
                );
                for s in &f.sources {
                    let _ = writeln!(out, "      {}", paint(Style::Dim, s));
                }
            }
        }
        if let Some(l) = h.lifecycle {
            let _ = writeln!(out, "\n{}", paint(Style::Heading, "Lifecycle:"));
            match &l.phase {
                Some(p) => {
                    let _ = writeln!(
                        out,
                        "  on {}: {} (until {}); entitlement: {}",
                        l.as_of, p.name, p.last, p.entitlement
                    );
                }
                None => {
                    let end = l
                        .updates_end
                        .map(|d| format!("; the last ended {d}"))
                        .unwrap_or_default();
                    let _ = writeln!(out, "  on {}: every support phase has ended{end}", l.as_of);
                }
            }
            if let Some(d) = l.extended_support_end {
                let _ = writeln!(out, "  extended support ended {d}");
            }
        }
        if !h.upgrades.is_empty() {
            let _ = writeln!(out, "\n{}", paint(Style::Heading, "Upgrade:"));
        }
        for u in h.upgrades {
            match &u.to {
                Some(to) => {
                    let _ = writeln!(out, "  in-place upgrade: {to}");
                }
                None => {
                    let _ = writeln!(
                        out,
                        "  no in-place upgrade: {}",
                        u.notes.as_deref().unwrap_or("")
                    );
                }
            }
        }
    }
    for e in &doc.errors {
        let line = e.line.map(|l| format!(":{l}")).unwrap_or_default();
        let _ = writeln!(
            out,
            "\n{} {}{line}: {}",
            paint(Style::Error, "unusable:"),
            e.file,
            e.message
        );
    }
    out
}

/// The exposure section of `check`: counts, then the known-exploited CVEs.
fn exposure_text(out: &mut String, e: &lastrollup::assess::exposure::Exposure<'_>) {
    use lastrollup::assess::exposure::{Origin, Status};
    let c = &e.counts;
    let origin = match e.origin {
        Origin::Database => "advisory database",
        Origin::EmbeddedKev => "built-in known-exploited table",
    };
    let _ = writeln!(
        out,
        "\n{} {}",
        paint(Style::Heading, "Exposure:"),
        paint(
            Style::Dim,
            &format!("({origin}; {})", e.products.join(", "))
        )
    );
    let kev = if c.kev > 0 {
        paint(
            Style::Error,
            &format!(
                "{} known exploited{}",
                c.kev,
                if c.ransomware > 0 {
                    format!(" ({} used by ransomware)", c.ransomware)
                } else {
                    String::new()
                }
            ),
        )
    } else {
        "none known exploited".to_owned()
    };
    let _ = writeln!(
        out,
        "  {} open, {} unverified \u{2014} {kev}",
        c.open, c.unverified
    );
    if !c.by_severity.is_empty() {
        let order = ["critical", "important", "moderate", "low", "unrated"];
        let parts: Vec<String> = order
            .iter()
            .filter_map(|s| c.by_severity.get(s).map(|n| format!("{s} {n}")))
            .collect();
        let _ = writeln!(out, "  {}", parts.join(" \u{b7} "));
    }
    // Open known-exploited CVEs first, two lines each.
    let open_kev: Vec<_> = e
        .cves
        .iter()
        .filter(|x| x.kev.is_some() && x.status == Status::Open)
        .collect();
    if !open_kev.is_empty() {
        let _ = writeln!(out, "  {}", paint(Style::Heading, "Known exploited, open:"));
    }
    for x in &open_kev {
        let k = x.kev.as_ref().map(|k| {
            format!(
                "KEV {}{}",
                k.date_added,
                if k.ransomware { ", ransomware" } else { "" }
            )
        });
        let fix = match x.fix_text() {
            None => "no fix named".to_owned(),
            Some(text) => format!(
                "fix: {text}{}",
                x.month.map(|m| format!(" ({m})")).unwrap_or_default()
            ),
        };
        let _ = writeln!(
            out,
            "  {:<16} {:<10} {}",
            paint(Style::Error, x.id),
            x.severity.as_str(),
            k.unwrap_or_default()
        );
        let _ = writeln!(
            out,
            "      {}",
            paint(
                Style::Dim,
                &format!(
                    "{}{}; {fix}",
                    x.title,
                    x.component
                        .as_deref()
                        .map(|c| format!(" [{c}]"))
                        .unwrap_or_default()
                )
            )
        );
    }
    // Unverified known-exploited CVEs, grouped by why.
    let mut why: std::collections::BTreeMap<&str, Vec<&str>> = std::collections::BTreeMap::new();
    for x in e
        .cves
        .iter()
        .filter(|x| x.kev.is_some() && x.status == Status::Unverified)
    {
        why.entry(x.reason.as_deref().unwrap_or("the evidence cannot tell"))
            .or_default()
            .push(x.id);
    }
    for (reason, ids) in &why {
        let _ = writeln!(
            out,
            "  {} known exploited, unverified: {}",
            paint(Style::Warning, &ids.len().to_string()),
            reason
        );
        let _ = writeln!(out, "      {}", paint(Style::Dim, &ids.join(" ")));
    }
    let rest = e.cves.iter().filter(|x| x.kev.is_none()).count();
    if rest > 0 {
        let _ = writeln!(
            out,
            "  {rest} more CVEs (not known exploited); `--format json` lists them all"
        );
    }
    if !e.top_fixes.is_empty() && e.origin == Origin::Database {
        let tops: Vec<String> = e
            .top_fixes
            .iter()
            .take(5)
            .map(|f| format!("{} ({})", f.kb, f.cves))
            .collect();
        let _ = writeln!(out, "  updates closing the most: {}", tops.join(", "));
    }
    for n in &e.notes {
        let _ = writeln!(out, "  {}", paint(Style::Dim, &format!("note: {n}")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strip_agrees_with_anstream() {
        let painted = format!(
            "{} plain {}\n{}{}",
            paint(Style::Heading, "Head"),
            paint(Style::Error, "CVE-2017-0144"),
            paint(Style::Dim, ""),
            paint(Style::Warning, "ü 3")
        );
        for text in [
            painted.as_str(),
            "",
            "no codes at all",
            "a lone \x1b at the end \x1b",
            "\x1b[1;31mred\x1b[0m and \x1b]0;title\x07 an OSC",
            "\x1b[2K erase line, not a style",
            "\x1b[",
            "x\x1b[12",
            "\x1b[0m\x1b[0m",
        ] {
            assert_eq!(
                strip(text),
                anstream::adapter::strip_str(text).to_string(),
                "{text:?}"
            );
        }
    }
}
