//! The `lastrollup` command: a thin shell over the `lastrollup` library.

mod cli;
mod identify;
mod render;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    let result = match args.command {
        cli::Command::Identify(a) => identify::run(&a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            anstream::eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
