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

/// The read-only VBScript helper the script uses for `/logs` (cmd has no `tail`).
pub const HELPER: &[u8] = include_bytes!("../../../collector/lastrollup-collect.vbs");

/// The helper's file name: the script looks for it beside itself.
pub const HELPER_NAME: &str = "lastrollup-collect.vbs";

pub fn run(args: &CollectorArgs) -> Result<ExitCode> {
    match &args.write {
        None => {
            std::io::stdout().write_all(SCRIPT)?;
            anstream::eprintln!(
                "(the /logs option also needs {HELPER_NAME} beside the script: `lastrollup collector --write DIR` \
                 writes both)"
            );
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
    let helper = dir.join(HELPER_NAME);
    std::fs::write(&helper, HELPER)
        .with_context(|| format!("cannot write {}", helper.display()))?;
    anstream::eprintln!(
        "wrote {} and {} — copy both to the machine and run the script in an elevated prompt: {SCRIPT_NAME} \
         [OUTPUT_DIR] [/logs]",
        path.display(),
        helper.display()
    );
    Ok(())
}
