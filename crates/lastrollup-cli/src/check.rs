//! `lastrollup check`.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use lastrollup::assess::{self, Goal, Options};
use lastrollup::catalog::Catalog;
use lastrollup::host::{self, Severity};
use lastrollup::report;

use crate::cli::{CheckArgs, CheckFormat, GoalArg};
use crate::identify::read_all;
use crate::render;

/// Today in the system's time zone.
fn today() -> jiff::civil::Date {
    jiff::Zoned::now().date()
}

/// Computes exposure from the advisory database when there is one, else from
/// the catalog's known-exploited table.
fn attach_exposure(
    args: &CheckArgs,
    hosts: &[lastrollup::host::Host],
    assessments: &mut [lastrollup::assess::Assessment],
    catalog: &Catalog,
) -> Result<()> {
    use lastrollup::advisory::database::Database;
    use lastrollup::assess::exposure::{attach_all, EmbeddedKev};
    if args.no_db {
        attach_all(hosts, assessments, catalog, &EmbeddedKev(catalog));
        return Ok(());
    }
    let loc = crate::db::locate(args.db.as_deref());
    match loc {
        Ok(loc) if loc.path.exists() => {
            let db = Database::open(&loc.path)?;
            attach_all(hosts, assessments, catalog, &db);
        }
        Ok(loc) if loc.explicit => {
            anyhow::bail!(
                "no advisory database at {}; create it with `lastrollup db import --db {} FEEDS…`",
                loc.path.display(),
                loc.path.display()
            );
        }
        _ => attach_all(hosts, assessments, catalog, &EmbeddedKev(catalog)),
    }
    Ok(())
}

/// Whether the host is open to a CVE that an update within the goal fixes
/// (with `--goal without-esu`, CVEs fixed only after the last update without
/// ESU are out of reach and do not count).
fn open_within_goal(a: &lastrollup::assess::Assessment, goal: Goal) -> bool {
    use lastrollup::assess::exposure::Status;
    let Some(e) = &a.exposure else {
        return false;
    };
    let limit = match goal {
        Goal::Final => None,
        Goal::WithoutEsu => a
            .baseline
            .as_ref()
            .and_then(|b| b.without_esu.as_ref())
            .map(|w| w.month),
    };
    e.cves
        .iter()
        .any(|c| c.status == Status::Open && limit.is_none_or(|l| c.month.is_none_or(|m| m <= l)))
}

pub fn run(args: &CheckArgs) -> Result<ExitCode> {
    let (files, errors) = read_all(&args.files);
    let hosts = host::identify(&files);
    let catalog = Catalog::embedded();
    let options = Options {
        as_of: args.as_of.unwrap_or_else(today),
        goal: match args.goal {
            GoalArg::Final => Goal::Final,
            GoalArg::WithoutEsu => Goal::WithoutEsu,
        },
    };
    let mut assessments: Vec<_> = assess::assess_all(&hosts, catalog, options);
    attach_exposure(args, &hosts, &mut assessments, catalog)?;
    let doc = report::check::build(&hosts, &assessments, &errors, options.as_of, options.goal);
    let mut out = anstream::AutoStream::new(std::io::stdout(), render::color_choice(args.color));
    match args.format {
        CheckFormat::Json => writeln!(out, "{}", report::check::to_json(&doc))?,
        CheckFormat::Markdown => write!(out, "{}", report::check::to_markdown(&doc))?,
        CheckFormat::Text => write!(out, "{}", render::check_text(&doc))?,
    }
    for e in &errors {
        anstream::eprintln!("{}: {e}", render::paint(render::Style::Error, "error"));
    }
    let not_nt60 = assessments.iter().any(|a| a.status == "not-nt60");
    let attention = doc.hosts.iter().zip(&assessments).any(|(h, a)| {
        !a.at_goal()
            || open_within_goal(a, options.goal)
            || h.identity
                .findings
                .iter()
                .any(|f| f.severity >= Severity::Warning)
    });
    Ok(if !errors.is_empty() || hosts.is_empty() {
        ExitCode::from(2)
    } else if not_nt60 {
        ExitCode::from(3)
    } else if attention {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
