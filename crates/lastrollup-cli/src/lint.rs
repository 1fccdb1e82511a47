//! `lastrollup lint`.

use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use lastrollup::lint::{self, baseline::Baseline, fix, output, rules, Config};

use crate::cli::{LintArgs, LintFormat};

/// Runs `lastrollup lint`.
pub fn run(args: &LintArgs) -> Result<ExitCode> {
    if let Some(rule) = &args.explain {
        return explain(rule);
    }
    let config = config(args)?;
    let mut outcome = lint_with_baseline(args, &config)?;
    if args.diff {
        return diff(&outcome);
    }
    if args.fix && apply_safe_fixes(&outcome)? > 0 {
        outcome = lint_with_baseline(args, &config)?;
    }
    let version = env!("CARGO_PKG_VERSION");
    let rendered = match args.format {
        LintFormat::Text => output::text(&outcome),
        LintFormat::Json => format!("{:#}\n", output::json(&outcome, version)),
        LintFormat::Sarif => format!("{:#}\n", output::sarif(&outcome, version)),
    };
    std::io::stdout().lock().write_all(rendered.as_bytes())?;
    for e in &outcome.errors {
        anstream::eprintln!("error: {e}");
    }
    Ok(if !outcome.errors.is_empty() {
        ExitCode::from(2)
    } else if outcome.findings.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn lint_with_baseline(args: &LintArgs, config: &Config) -> Result<lint::Outcome> {
    let mut outcome = lint::lint_paths(&args.paths, config);
    if let Some(path) = &args.baseline {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the baseline {}", path.display()))?;
        Baseline::read(path, &text)?.filter(&mut outcome.findings);
    }
    Ok(outcome)
}

/// `--diff`: every edit as a unified diff on stdout; files that cannot be
/// rewritten on stderr.
fn diff(outcome: &lint::Outcome) -> Result<ExitCode> {
    let mut out = String::new();
    for plan in fix::plan(&outcome.findings, false) {
        match plan.result {
            Ok(r) => out.push_str(&fix::unified_diff(&plan.path, &r)),
            Err(e) => anstream::eprintln!("{}: {e}", plan.path),
        }
    }
    std::io::stdout().lock().write_all(out.as_bytes())?;
    for e in &outcome.errors {
        anstream::eprintln!("error: {e}");
    }
    Ok(if !outcome.errors.is_empty() {
        ExitCode::from(2)
    } else if out.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `--fix`: writes the safe edits back (each file atomically) and says on
/// stderr what was fixed and what was left.
fn apply_safe_fixes(outcome: &lint::Outcome) -> Result<usize> {
    let mut fixed = 0;
    let mut files = 0;
    for plan in fix::plan(&outcome.findings, true) {
        let r = match plan.result {
            Ok(r) if !r.applied.is_empty() => r,
            Ok(_) => continue,
            Err(e) => {
                anstream::eprintln!("{}: {e}", plan.path);
                continue;
            }
        };
        fix::write_atomically(Path::new(&plan.path), &r.bytes())
            .with_context(|| format!("cannot write {}", plan.path))?;
        fixed += r.applied.len();
        files += 1;
    }
    let unsafe_left = fix::edits(&outcome.findings)
        .iter()
        .filter(|e| !e.safe)
        .count();
    anstream::eprintln!(
        "fixed {fixed} finding(s) in {files} file(s); {unsafe_left} unsafe fix(es) not applied (see --diff)"
    );
    Ok(fixed)
}

/// The rule selection: `[lint]` of the config file, then the command line.
fn config(args: &LintArgs) -> Result<Config> {
    let file = args
        .config
        .as_deref()
        .unwrap_or(Path::new("lastrollup.toml"));
    let mut config = match std::fs::read_to_string(file) {
        Ok(text) => Config::from_toml(file, &text)?,
        Err(e) if args.config.is_none() && e.kind() == std::io::ErrorKind::NotFound => {
            Config::default()
        }
        Err(e) => bail!("cannot read {}: {e}", file.display()),
    };
    if !args.select.is_empty() {
        config.select.clone_from(&args.select);
    }
    config.ignore.extend(args.ignore.iter().cloned());
    config.validate()?;
    Ok(config)
}

fn explain(rule: &str) -> Result<ExitCode> {
    let text = if rule == "all" {
        rules::metas()
            .map(|m| format!("{:<8} {:<24} {}\n", m.code, m.id, m.summary))
            .collect()
    } else {
        let Some(meta) = rules::find(rule) else {
            bail!("unknown rule {rule:?}; `lastrollup lint --explain all` lists them");
        };
        meta.markdown()
    };
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
