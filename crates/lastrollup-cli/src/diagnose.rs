//! `lastrollup diagnose`.

use std::process::ExitCode;

use anyhow::Result;
use lastrollup::catalog::Catalog;
use lastrollup::diagnose;

use crate::cli::{DiagnoseArgs, DiagnoseFormat};
use crate::render;

pub fn run(args: &DiagnoseArgs) -> Result<ExitCode> {
    let catalog = Catalog::embedded();
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for p in &args.paths {
        for r in diagnose::read_path(p, catalog) {
            match r {
                Ok(f) => files.push(f),
                Err(e) => errors.push(e),
            }
        }
    }
    let mut report = diagnose::diagnose(files, catalog);
    if !args.with.is_empty() {
        let (captures, capture_errors) = crate::identify::read_all(&args.with);
        errors.extend(capture_errors);
        let hosts = lastrollup::host::identify(&captures);
        if let Some(host) = hosts.first() {
            diagnose::host::apply(&mut report, host, catalog);
        }
        if hosts.len() > 1 {
            report.notes.push(format!(
                "--with: the captures describe {} machines; the first was used",
                hosts.len()
            ));
        }
    }
    let text = match args.format {
        DiagnoseFormat::Json => serde_json::to_string_pretty(&report.to_json())? + "\n",
        DiagnoseFormat::Text => report.to_text(),
    };
    render::print(&text, args.color)?;
    for e in &errors {
        anstream::eprintln!("{}: {e}", render::paint(render::Style::Error, "error"));
    }
    Ok(if !errors.is_empty() {
        ExitCode::from(2)
    } else if report.failure_found {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
