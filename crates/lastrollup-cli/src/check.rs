//! `lastrollup check`.

use std::process::ExitCode;

use anyhow::Result;
use lastrollup::assess;
use lastrollup::catalog::Catalog;
use lastrollup::host::{self, Severity};
use lastrollup::report;

use crate::cli::{CheckArgs, CheckFormat};
use crate::identify::read_all;
use crate::render;

/// Today in the system's time zone.
pub(crate) fn today() -> jiff::civil::Date {
    let now = jiff::Timestamp::now();
    now.to_zoned(local_zone().unwrap_or_else(jiff::tz::TimeZone::system))
        .date()
}

/// The zone `/etc/localtime` describes, read directly: asking jiff for the
/// system zone by name lists the whole zoneinfo tree (some eighty
/// directories), which took longer than the rest of a `check`. `None` where
/// `TZ` is set or the file is not there (jiff's own lookup handles those).
fn local_zone() -> Option<jiff::tz::TimeZone> {
    if std::env::var_os("TZ").is_some() {
        return None;
    }
    let bytes = std::fs::read("/etc/localtime").ok()?;
    jiff::tz::TimeZone::tzif("localtime", &bytes).ok()
}

/// The advisory database `check` reads, or `None` for the catalog's
/// known-exploited table (`--no-db`, or no database at the default place).
pub(crate) fn open_database(
    db: Option<&std::path::Path>,
    no_db: bool,
) -> Result<Option<lastrollup::advisory::database::Database>> {
    use lastrollup::advisory::database::Database;
    if no_db {
        return Ok(None);
    }
    match crate::db::locate(db) {
        Ok(loc) if loc.path.exists() => Ok(Some(Database::open(&loc.path)?)),
        Ok(loc) if loc.explicit => anyhow::bail!(
            "no advisory database at {}; create it with `lastrollup db import --db {} FEEDS…`",
            loc.path.display(),
            loc.path.display()
        ),
        _ => Ok(None),
    }
}

pub fn run(args: &CheckArgs) -> Result<ExitCode> {
    let (files, errors) = read_all(&args.files);
    let hosts = host::identify(&files);
    let catalog = Catalog::embedded();
    let options = args.plan.options();
    // Exposures borrow their CVE text from the source, which therefore
    // outlives them.
    let db = open_database(args.exposure.db.as_deref(), args.exposure.no_db)?;
    let kev = lastrollup::assess::exposure::EmbeddedKev(catalog);
    let source: &dyn lastrollup::assess::exposure::AdvisorySource = match &db {
        Some(db) => db,
        None => &kev,
    };
    let mut assessments: Vec<_> = assess::assess_all(&hosts, catalog, options);
    lastrollup::assess::exposure::attach_all(&hosts, &mut assessments, catalog, source);
    let doc = report::check::build(&hosts, &assessments, &errors, options.as_of, options.goal);
    let text = match args.format {
        CheckFormat::Json => report::check::to_json(&doc) + "\n",
        CheckFormat::Markdown => report::check::to_markdown(&doc),
        CheckFormat::Text => render::check_text(&doc),
    };
    render::print(&text, args.color)?;
    for e in &errors {
        anstream::eprintln!("{}: {e}", render::paint(render::Style::Error, "error"));
    }
    let not_nt60 = assessments.iter().any(|a| a.status == "not-nt60");
    let attention = doc.hosts.iter().zip(&assessments).any(|(h, a)| {
        !a.at_goal()
            || a.open_within_goal(options.goal)
            || h.identity
                .findings
                .iter()
                .any(|f| f.severity >= Severity::Warning)
    });
    let code = if !errors.is_empty() || hosts.is_empty() {
        ExitCode::from(2)
    } else if not_nt60 {
        ExitCode::from(3)
    } else if attention {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    };
    // The process ends now: handing tens of thousands of small allocations
    // back one by one would cost more than the exposure computation did.
    std::mem::forget(doc);
    std::mem::forget(assessments);
    std::mem::forget(hosts);
    std::mem::forget(files);
    Ok(code)
}
