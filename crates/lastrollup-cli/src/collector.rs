//! `lastrollup collector`: the collector script, embedded in the binary so a
//! user with only the binary has it.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::cli::CollectorArgs;

/// The script, byte for byte (CRLF line endings, as cmd wants them).
pub const SCRIPT: &[u8] = include_bytes!("../../../collector/lastrollup-collect.cmd");

/// Its file name.
pub const SCRIPT_NAME: &str = "lastrollup-collect.cmd";

pub fn run(args: &CollectorArgs) -> Result<ExitCode> {
    match &args.write {
        None => {
            std::io::stdout().write_all(SCRIPT)?;
            Ok(ExitCode::SUCCESS)
        }
        Some(dir) => {
            write_to(dir)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn write_to(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let path = dir.join(SCRIPT_NAME);
    std::fs::write(&path, SCRIPT).with_context(|| format!("cannot write {}", path.display()))?;
    anstream::eprintln!(
        "wrote {} — copy it to the machine and run it in an elevated prompt: {SCRIPT_NAME} [OUTPUT_DIR] [/logs]",
        path.display()
    );
    Ok(())
}
