//! `lastrollup explain`.

use std::fmt::Write as _;
use std::io::Write as _;
use std::process::ExitCode;

use anyhow::Result;
use lastrollup::catalog::Catalog;
use lastrollup::explain::{self, Explanation};

use crate::cli::{ExplainArgs, OutputFormat};

fn line(out: &mut String, label: &str, value: impl std::fmt::Display) {
    let _ = writeln!(out, "  {label:<15}{value}");
}

fn opt<T: std::fmt::Display>(v: &Option<T>) -> String {
    v.as_ref()
        .map_or_else(|| "unknown".to_string(), ToString::to_string)
}

/// The readable form of an explanation.
pub fn text(e: &Explanation) -> String {
    let mut out = String::new();
    match e {
        Explanation::Version(v) => {
            let _ = writeln!(out, "{}", v.input);
            line(&mut out, "NT version", &v.nt_version);
            line(
                &mut out,
                "build",
                format!("{} — {}", v.build, opt(&v.build_name)),
            );
            if let Some(r) = v.revision {
                line(&mut out, "revision", r);
            }
            if let Some(b) = &v.branch {
                line(&mut out, "branch", b.to_uppercase());
            }
            if let Some(a) = v.arch {
                line(&mut out, "architecture", a);
            }
            if let Some(c) = &v.compiled {
                line(&mut out, "compiled", c);
            }
            if let Some(m) = v.month {
                line(&mut out, "implies", format!("the update of {m} or later"));
            }
            if let Some(r) = &v.rollup {
                line(&mut out, "brought by", r);
            }
            if let Some(r) = &v.month_revision {
                line(&mut out, "threshold", r);
            }
            if let Some(n) = &v.next {
                line(&mut out, "next", n);
            }
            for r in &v.remarks {
                let _ = writeln!(out, "\n  {r}");
            }
            if let Some(n) = &v.build_notes {
                let _ = writeln!(out, "\nWhy 6003:\n  {n}");
            }
        }
        Explanation::Update(u) => {
            let _ = writeln!(out, "{} — {}", u.kb, u.title);
            line(
                &mut out,
                "kind",
                format!("{} ({})", u.kind_label, u.release),
            );
            line(&mut out, "released", opt(&u.released));
            line(&mut out, "month", u.month);
            if let Some(r) = &u.revision {
                line(&mut out, "revision", r);
            }
            if let Some(v) = &u.stack_version {
                line(
                    &mut out,
                    "stack version",
                    format!("{v} (a servicing stack at or above it has this update)"),
                );
            }
            line(&mut out, "for", u.products.join(", "));
            line(
                &mut out,
                "architecture",
                u.arch
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
            );
            line(&mut out, "support phase", &u.phase);
            if !u.supersedes.is_empty() {
                line(&mut out, "supersedes", u.supersedes.join(", "));
            }
            if !u.superseded_by.is_empty() {
                line(&mut out, "superseded by", u.superseded_by.join(", "));
            }
            if !u.prerequisites.is_empty() {
                line(&mut out, "needs first", u.prerequisites.join(", "));
            }
            line(&mut out, "sources", u.sources.join(", "));
            if u.unverified {
                line(&mut out, "caution", "rests on one source (unverified)");
            }
            if let Some(n) = &u.notes {
                let _ = writeln!(out, "\n  {n}");
            }
        }
        Explanation::Error(c) => {
            let _ = writeln!(out, "{} — {}", c.code, c.name);
            if !c.aliases.is_empty() {
                line(&mut out, "also written", c.aliases.join(", "));
            }
            line(&mut out, "means", &c.meaning);
            line(&mut out, "on NT 6.0", &c.cause);
            line(&mut out, "what to do", &c.fix);
            line(&mut out, "sources", c.sources.join("; "));
            if let Some(n) = &c.notes {
                let _ = writeln!(out, "\n  {n}");
            }
        }
    }
    out
}

pub fn run(args: &ExplainArgs) -> Result<ExitCode> {
    match explain::explain(&args.what, Catalog::embedded()) {
        Ok(e) => {
            match args.format {
                OutputFormat::Json => writeln!(std::io::stdout(), "{}", explain::to_json(&e))?,
                OutputFormat::Table => write!(std::io::stdout(), "{}", text(&e))?,
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            anstream::eprintln!("error: {e}");
            Ok(ExitCode::from(2))
        }
    }
}
