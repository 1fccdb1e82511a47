//! `lastrollup completions` and `lastrollup man`: shell completions and
//! manual pages, generated from the argument definitions in `cli.rs` (the
//! ones `--help` prints), so that they cannot drift apart. The copies in
//! `completions/` and `docs/man/` are checked against this output by
//! `tests/generated.rs`.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs, ManArgs};

/// The command as the generators see it: the definitions without the
/// run-time part of `--version` (the catalog and database lines), and
/// without the `help` subcommand, which needs no page of its own.
fn definitions() -> clap::Command {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    cmd
}

/// The completion script for `shell`.
pub fn completion_script(shell: clap_complete::Shell) -> Vec<u8> {
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "lastrollup", &mut out);
    out
}

/// `lastrollup completions SHELL`.
pub fn completions(args: &CompletionsArgs) -> Result<ExitCode> {
    // Rendered first, then written: clap_complete panics on a failed write,
    // and a closed pipe should end the run quietly (main.rs).
    let script = completion_script(args.shell);
    let mut out = std::io::stdout().lock();
    out.write_all(&script)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// One manual page: `lastrollup-db-import.1` and its roff text.
fn page(cmd: clap::Command) -> Result<(String, Vec<u8>)> {
    let version = cmd.get_version().unwrap_or_default().to_string();
    let man = clap_mangen::Man::new(cmd)
        .source(format!("lastrollup {version}"))
        .manual("lastrollup manual");
    let mut text = Vec::new();
    man.render(&mut text)?;
    Ok((man.get_filename(), text))
}

/// Every manual page, the main command's first, then each subcommand's
/// before its own subcommands, in definition order.
pub fn man_pages() -> Result<Vec<(String, Vec<u8>)>> {
    fn walk(cmd: &clap::Command, out: &mut Vec<(String, Vec<u8>)>) -> Result<()> {
        out.push(page(cmd.clone())?);
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            walk(sub, out)?;
        }
        Ok(())
    }
    let mut pages = Vec::new();
    walk(&definitions(), &mut pages)?;
    Ok(pages)
}

/// `lastrollup man [COMMAND…] [--out DIR]`.
pub fn man(args: &ManArgs) -> Result<ExitCode> {
    if let Some(dir) = &args.out {
        std::fs::create_dir_all(dir).with_context(|| format!("{}", dir.display()))?;
        let pages = man_pages()?;
        for (name, text) in &pages {
            let path = dir.join(name);
            std::fs::write(&path, text).with_context(|| format!("{}", path.display()))?;
        }
        anstream::eprintln!("Wrote {} manual pages to {}", pages.len(), dir.display());
        return Ok(ExitCode::SUCCESS);
    }
    let mut cmd = definitions();
    for (i, name) in args.command.iter().enumerate() {
        let Some(sub) = cmd.find_subcommand(name).cloned() else {
            bail!(
                "no command `lastrollup {}`; pages exist for: {}",
                args.command[..=i].join(" "),
                man_pages()?
                    .iter()
                    .map(|(n, _)| n.trim_end_matches(".1").replace('-', " "))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        };
        cmd = sub;
    }
    let (_, text) = page(cmd)?;
    let mut out = std::io::stdout().lock();
    out.write_all(&text)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
