//! The `lastrollup` command: a thin shell over the `lastrollup` library.

mod check;
mod cli;
mod collector;
mod db;
mod diagnose;
mod explain;
mod fleet;
mod fleet_history;
mod generate;
mod identify;
mod lint;
mod offline;
mod render;
mod version;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

/// mimalloc rather than the system allocator: a `check` is short and
/// allocation-heavy, and on a virtual machine its time goes largely to page
/// faults; mimalloc's segments cut them from about 1,100 to about 300 per
/// `check` with the advisory database, and the run by about a fifth
/// (BENCHMARKS.md).
///
/// It is built with its `no_thp` feature: mimalloc then never asks for
/// transparent huge pages (`madvise(MADV_HUGEPAGE)`). With them, a `check`
/// that ran right after a memory-heavy process had exited took up to five
/// times as long, the difference all system time (the kernel finding and
/// zeroing 2 MiB pages); without them it takes what it takes otherwise,
/// with no environment variable to set (BENCHMARKS.md, "Stable latency").
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let mut cmd = cli::Cli::command();
    if version::wanted() {
        // Built once, for a process about to print it and exit.
        cmd = cmd.long_version(&*version::long().leak());
    }
    let args = cli::Cli::from_arg_matches(&cmd.get_matches()).unwrap_or_else(|e| e.exit());
    let result = match args.command {
        cli::Command::Identify(a) => identify::run(&a),
        cli::Command::Check(a) => check::run(&a),
        cli::Command::Fleet(a) => fleet::run(&a),
        cli::Command::Offline(a) => offline::run(&a),
        cli::Command::Verify(a) => offline::verify(&a),
        cli::Command::Explain(a) => explain::run(&a),
        cli::Command::Diagnose(a) => diagnose::run(&a),
        cli::Command::Collector(a) => collector::run(&a),
        cli::Command::Lint(a) => lint::run(&a),
        cli::Command::Db(cli::DbCommand::Import(a)) => db::import(&a),
        cli::Command::Db(cli::DbCommand::Status(a)) => db::status(&a),
        cli::Command::Completions(a) => generate::completions(&a),
        cli::Command::Man(a) => generate::man(&a),
    };
    match result {
        Ok(code) => code,
        // A closed pipe (`lastrollup check … | head`) is the reader's choice, not an error.
        Err(e)
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            anstream::eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
