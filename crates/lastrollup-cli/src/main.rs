//! The `lastrollup` command: a thin shell over the `lastrollup` library.

mod check;
mod cli;
mod collector;
mod db;
mod explain;
mod fleet;
mod identify;
mod render;

use std::process::ExitCode;

use clap::Parser;

/// mimalloc rather than the system allocator: a `check` is short and
/// allocation-heavy, and on a virtual machine its time goes largely to page
/// faults; mimalloc's segments cut them from about 1,100 to about 300 per
/// `check` with the advisory database, and the run by about a fifth
/// (BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    let result = match args.command {
        cli::Command::Identify(a) => identify::run(&a),
        cli::Command::Check(a) => check::run(&a),
        cli::Command::Fleet(a) => fleet::run(&a),
        cli::Command::Explain(a) => explain::run(&a),
        cli::Command::Collector(a) => collector::run(&a),
        cli::Command::Db(cli::DbCommand::Import(a)) => db::import(&a),
        cli::Command::Db(cli::DbCommand::Status(a)) => db::status(&a),
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
