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
    let assessments: Vec<_> = assess::assess_all(&hosts, catalog, options);
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
