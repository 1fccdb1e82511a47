//! The `lastrollup.check/1` contract (docs/check.md, schema in
//! docs/schema/check-1.schema.json), the five-second verdict and the
//! Markdown report.

use std::fmt::Write as _;

use jiff::civil::Date;
use serde::Serialize;

use super::identify::{host_view, ErrorView, HostView};
use crate::assess::{Assessment, Baseline, Basis, Goal, LifecycleStatus, Step};
use crate::error::EvidenceError;
use crate::host::{Host, Severity};

/// The schema id of this contract.
pub const SCHEMA: &str = "lastrollup.check/1";

/// The whole document.
#[derive(Debug, Serialize)]
pub struct CheckReport<'a> {
    /// Always [`SCHEMA`].
    pub schema: &'static str,
    /// The day the assessment is for.
    pub as_of: Date,
    /// Where the plans lead.
    pub goal: Goal,
    /// One entry per host.
    pub hosts: Vec<CheckHost<'a>>,
    /// Files that could not be used.
    pub errors: Vec<ErrorView>,
}

/// One host: everything `identify` gives, and the assessment.
#[derive(Debug, Serialize)]
pub struct CheckHost<'a> {
    /// The identity (host, os, updates, findings of both stages, sources, provenance).
    #[serde(flatten)]
    pub identity: HostView<'a>,
    /// The verdict, for people.
    pub verdict: String,
    /// `assessed`, `not-nt60` or `unknown`.
    pub status: &'static str,
    /// Serviced product id.
    pub product: Option<&'a str>,
    /// Architecture the catalog was read for.
    pub assessed_arch: Option<&'a str>,
    /// The baseline.
    pub baseline: Option<&'a Baseline>,
    /// What to install, in order.
    pub missing: &'a [Step],
    /// Lifecycle.
    pub lifecycle: Option<&'a LifecycleStatus>,
    /// Upgrade paths.
    pub upgrades: &'a [crate::assess::upgrade::UpgradeView],
    /// Servicing state from a collector bundle (all null without one).
    pub servicing: ServicingView,
    /// The CVEs the host is open to; null when not computed (host not
    /// assessed).
    pub exposure: Option<&'a crate::assess::exposure::Exposure<'a>>,
}

/// The servicing state of a host, for reports.
#[derive(Debug, Serialize)]
pub struct ServicingView {
    /// Servicing stack version.
    pub stack_version: Option<String>,
    /// SHA-2 code signing support.
    pub sha2_support: Option<bool>,
    /// Whether a restart is pending; null when not checked.
    pub reboot_pending: Option<bool>,
    /// The pending-restart markers found.
    pub pending_markers: Vec<String>,
    /// Whether a licensed ESU add-on is present; null when not checked.
    pub esu_licensed: Option<bool>,
    /// The ESU licence entries (`Licensed | name`).
    pub esu_licenses: Vec<String>,
    /// Internet Explorer version.
    pub ie_version: Option<String>,
    /// .NET Framework versions.
    pub dotnet: Vec<String>,
}

impl ServicingView {
    /// The view of a host's servicing state.
    pub fn of(s: &crate::host::servicing::Servicing) -> ServicingView {
        ServicingView {
            stack_version: s.stack_version.as_ref().map(|v| v.value.clone()),
            sha2_support: s.sha2_support.as_ref().map(|v| v.value),
            reboot_pending: s.reboot_pending(),
            pending_markers: s
                .pending_reboot
                .iter()
                .flatten()
                .map(|m| m.value.clone())
                .collect(),
            esu_licensed: s.esu_licensed(),
            esu_licenses: s
                .esu_licenses
                .iter()
                .flatten()
                .map(|m| m.value.clone())
                .collect(),
            ie_version: s.ie_version.as_ref().map(|v| v.value.clone()),
            dotnet: s.dotnet.iter().map(|v| v.value.clone()).collect(),
        }
    }
}

/// Builds the report. `assessments[i]` belongs to `hosts[i]`.
pub fn build<'a>(
    hosts: &'a [Host],
    assessments: &'a [Assessment<'a>],
    errors: &[EvidenceError],
    as_of: Date,
    goal: Goal,
) -> CheckReport<'a> {
    CheckReport {
        schema: SCHEMA,
        as_of,
        goal,
        hosts: hosts
            .iter()
            .zip(assessments)
            .map(|(h, a)| {
                let mut identity = host_view(h);
                identity.findings.extend(a.findings.iter());
                identity
                    .findings
                    .sort_by_key(|f| std::cmp::Reverse(f.severity));
                CheckHost {
                    identity,
                    verdict: verdict(h, a),
                    status: a.status,
                    product: a.product.as_deref(),
                    assessed_arch: a.arch.as_deref(),
                    baseline: a.baseline.as_ref(),
                    missing: &a.missing,
                    lifecycle: a.lifecycle.as_ref(),
                    upgrades: &a.upgrades,
                    servicing: {
                        let mut v = ServicingView::of(&h.servicing);
                        // No ESU existed for the product (Vista): nothing to report.
                        if !a.esu_product {
                            v.esu_licensed = None;
                            v.esu_licenses.clear();
                        }
                        v
                    },
                    exposure: a.exposure.as_ref(),
                }
            })
            .collect(),
        errors: errors.iter().map(ErrorView::of).collect(),
    }
}

/// Serializes the report as pretty JSON.
pub fn to_json(report: &CheckReport<'_>) -> String {
    serde_json::to_string_pretty(report).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}

fn title_case(slug: &str) -> String {
    slug.split('-')
        .map(|w| match w {
            "r2" => "R2".to_string(),
            "hyper" => "Hyper".to_string(),
            "v" => "V".to_string(),
            "without" | "for" | "with" => w.to_string(),
            "hpc" => "HPC".to_string(),
            w => {
                let mut c = w.chars();
                c.next()
                    .map(|f| f.to_uppercase().chain(c).collect())
                    .unwrap_or_default()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
        .replace("Hyper V", "Hyper-V")
}

/// `Windows Server 2008 Enterprise x64 SP2, build 6003`, from what is known.
pub fn os_summary(host: &Host) -> String {
    let os = &host.os;
    let mut out = match os.family.as_ref() {
        Some(f) => title_case(&f.value),
        None => match os.nt_version.as_ref() {
            Some(nt) => format!("Windows NT {}", nt.value),
            None => "Unknown Windows".to_string(),
        },
    };
    if let Some(e) = &os.edition {
        out.push(' ');
        out.push_str(&title_case(&e.value));
    }
    if os
        .installation
        .as_ref()
        .is_some_and(|i| i.value == crate::host::Installation::ServerCore)
    {
        out.push_str(" (Server Core)");
    }
    if let Some(a) = &os.arch {
        write!(out, " {}", a.value).ok();
    }
    if let Some(sp) = &os.service_pack {
        if sp.value > 0 {
            write!(out, " SP{}", sp.value).ok();
        }
    }
    if let Some(b) = &os.build {
        write!(out, ", build {}", b.value).ok();
        if let Some(r) = &os.revision {
            write!(out, ".{}", r.value).ok();
        }
    }
    out
}

fn final_text(b: &Baseline) -> String {
    match b.final_update.released {
        Some(d) => format!("{} ({d})", b.final_update.kb),
        None => format!("{} ({})", b.final_update.kb, b.final_update.month),
    }
}

/// The one-paragraph verdict a person reads in five seconds.
pub fn verdict(host: &Host, a: &Assessment<'_>) -> String {
    let who = os_summary(host);
    let mut out = match (a.status, a.baseline.as_ref()) {
        ("not-nt60", _) => format!(
            "{} — not Windows Server 2008 / Vista (NT 6.0); not assessed",
            a.reason.as_deref().unwrap_or(&who)
        ),
        ("unknown", _) => format!(
            "{who} — could not be assessed: {}",
            a.reason.as_deref().unwrap_or("not enough evidence")
        ),
        (_, None) => {
            let family = host.os.family.as_ref().map(|f| title_case(&f.value));
            let name = family
                .as_deref()
                .or(a.product_name.as_deref())
                .unwrap_or("this product");
            format!("{who} — {name} never had monthly rollups, so no baseline month applies")
        }
        (_, Some(b)) if b.at_final => format!("{who} — at the final baseline {}", final_text(b)),
        (_, Some(b)) => {
            let via = if b.via.is_empty() {
                String::new()
            } else {
                format!(" ({})", b.via.join(" + "))
            };
            let start = match (b.month, b.basis) {
                (_, Basis::None) if host.os.service_pack.as_ref().is_some_and(|s| s.value < 2) => {
                    "needs Service Pack 2 before any rollup".to_string()
                }
                (Some(m), Basis::KernelRevision) => {
                    format!("security baseline {m}{via}, from the kernel alone")
                }
                (Some(m), _) => format!("security baseline {m}{via}"),
                (None, Basis::None) if b.kernel.is_none() => {
                    let floor = if host.os.build.as_ref().is_some_and(|b| b.value == 6003) {
                        "; build 6003 means at least the 2019-03 preview rollup"
                    } else {
                        ""
                    };
                    format!(
                        "security baseline unknown (no update list and no kernel revision{floor})"
                    )
                }
                (None, _) => match b.newest_covered {
                    Some(n) => format!(
                        "no security baseline: nothing covers the first rollup month, although updates cover \
                         months up to {n}"
                    ),
                    None => match (&b.kernel, b.basis) {
                        (Some(k), Basis::None) => {
                            format!("the kernel {} proves no update of the rollup era", k.version)
                        }
                        _ => "no monthly rollup or security-only update of the rollup era is installed".into(),
                    },
                },
            };
            match b.months_behind {
                Some(n) => format!(
                    "{who} — {start}, {n} monthly rollup{} behind the final baseline {}",
                    if n == 1 { "" } else { "s" },
                    final_text(b)
                ),
                None => format!("{who} — {start}; the final baseline is {}", final_text(b)),
            }
        }
    };
    // The last update for this host's architecture once it is out, else the
    // end of support when every phase has ended.
    let final_out = a
        .baseline
        .as_ref()
        .and_then(|b| b.final_update.released)
        .zip(a.lifecycle.as_ref())
        .filter(|(d, l)| *d < l.as_of)
        .map(|(d, _)| d);
    match (final_out, a.lifecycle.as_ref()) {
        (Some(d), _) => {
            write!(out, "; no update has come since {d}").ok();
        }
        (None, Some(l)) if !l.updates_can_still_come => {
            if let Some(d) = l.updates_end {
                write!(out, "; support ended {d}").ok();
            }
        }
        _ => {}
    }
    out.push('.');
    out
}

fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Info => "info",
        Severity::Warning => "warning",
        Severity::Error => "error",
    }
}

fn md_escape(text: &str) -> String {
    text.replace('|', "\\|")
}

/// The report as Markdown (one section per host), for tickets and wikis.
pub fn to_markdown(report: &CheckReport<'_>) -> String {
    let mut out = String::new();
    writeln!(out, "# lastrollup check — as of {}\n", report.as_of).ok();
    for h in &report.hosts {
        let name = h.identity.host.name.unwrap_or("(unnamed host)");
        writeln!(out, "## {name}\n\n{}\n", h.verdict).ok();
        if let Some(b) = h.baseline {
            writeln!(out, "| | |\n|---|---|").ok();
            writeln!(
                out,
                "| Security baseline | {} |",
                b.month
                    .map(|m| m.to_string())
                    .unwrap_or_else(|| "none".into())
            )
            .ok();
            if !b.via.is_empty() {
                writeln!(out, "| Via | {} |", b.via.join(", ")).ok();
            }
            writeln!(out, "| Final baseline | {} |", final_text(b)).ok();
            let behind = b
                .months_behind
                .map_or_else(|| "unknown".to_string(), |n| n.to_string());
            writeln!(out, "| Months behind | {behind} |").ok();
            if let Some(w) = &b.without_esu {
                writeln!(out, "| Last update without ESU | {} ({}) |", w.kb, w.month).ok();
            }
            if let Some(k) = &b.kernel {
                writeln!(
                    out,
                    "| Kernel | {} ({}) |",
                    k.version,
                    k.month
                        .map(|m| format!("implies {m}"))
                        .unwrap_or_else(|| "before the first rollup".into())
                )
                .ok();
            }
            out.push('\n');
        }
        if !h.missing.is_empty() {
            writeln!(out, "### Install, in this order\n").ok();
            for s in h.missing {
                let kb =
                    s.kb.as_deref()
                        .map(|k| format!("**{k}** "))
                        .unwrap_or_default();
                let cond = s
                    .condition
                    .as_deref()
                    .map(|c| format!(" _({c})_"))
                    .unwrap_or_default();
                writeln!(out, "{}. {kb}{} — {}{cond}", s.order, s.title, s.reason).ok();
            }
            out.push('\n');
        }
        if let Some(e) = h.exposure {
            exposure_markdown(&mut out, e);
        }
        if !h.identity.findings.is_empty() {
            writeln!(
                out,
                "### Findings\n\n| severity | id | finding |\n|---|---|---|"
            )
            .ok();
            for f in &h.identity.findings {
                writeln!(
                    out,
                    "| {} | `{}` | {} |",
                    severity_word(f.severity),
                    f.id,
                    md_escape(&f.message)
                )
                .ok();
            }
            out.push('\n');
        }
        if let Some(l) = h.lifecycle {
            writeln!(out, "### Lifecycle\n").ok();
            match &l.phase {
                Some(p) => writeln!(
                    out,
                    "On {}: {} ({} – {}); entitlement: {}.\n",
                    l.as_of, p.name, p.first, p.last, p.entitlement
                )
                .ok(),
                None => writeln!(
                    out,
                    "On {}: every support phase has ended{}.\n",
                    l.as_of,
                    l.updates_end
                        .map(|d| format!(" (last day {d})"))
                        .unwrap_or_default()
                )
                .ok(),
            };
            for m in &l.milestones {
                writeln!(out, "- {} — {}", m.date, m.title).ok();
            }
            out.push('\n');
        }
    }
    if !report.errors.is_empty() {
        writeln!(out, "## Files that could not be used\n").ok();
        for e in &report.errors {
            let line = e.line.map(|l| format!(":{l}")).unwrap_or_default();
            writeln!(out, "- `{}{line}`: {}", e.file, e.message).ok();
        }
    }
    out
}

/// The exposure section of the Markdown report: counts, then every
/// known-exploited CVE (open or unverified) in a table.
fn exposure_markdown(out: &mut String, e: &crate::assess::exposure::Exposure<'_>) {
    use crate::assess::exposure::{Origin, Status};
    let c = &e.counts;
    writeln!(out, "### Exposure\n").ok();
    let origin = match e.origin {
        Origin::Database => "the advisory database",
        Origin::EmbeddedKev => {
            "the built-in table of known-exploited CVEs (no advisory database imported)"
        }
    };
    writeln!(
        out,
        "From {origin}, for {}: **{} open**, {} unverified; {} known exploited ({} used by ransomware).\n",
        e.products.join(", "),
        c.open,
        c.unverified,
        c.kev,
        c.ransomware
    )
    .ok();
    let kev: Vec<_> = e.cves.iter().filter(|x| x.kev.is_some()).collect();
    if !kev.is_empty() {
        writeln!(
            out,
            "| CVE | severity | status | KEV added | fixed by | title |\n|---|---|---|---|---|---|"
        )
        .ok();
        for x in kev {
            let k = x.kev.as_ref().map(|k| {
                format!(
                    "{}{}",
                    k.date_added,
                    if k.ransomware { " (ransomware)" } else { "" }
                )
            });
            writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                x.id,
                x.severity.as_str(),
                match x.status {
                    Status::Open => "open",
                    Status::Unverified => "unverified",
                },
                k.unwrap_or_default(),
                x.fix_text().unwrap_or_default(),
                x.title.replace('|', "\\|")
            )
            .ok();
        }
        out.push('\n');
    }
    for n in &e.notes {
        writeln!(out, "> {n}\n").ok();
    }
}
