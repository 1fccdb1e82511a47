//! `lastrollup identify`.

use std::io::Read;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use lastrollup::evidence::{self, EvidenceFile, MAX_FILE_BYTES};
use lastrollup::{host, report, EvidenceError, EvidenceErrorKind};

use crate::cli::{IdentifyArgs, OutputFormat};
use crate::render;

/// Reads one input file, refusing anything larger than a capture can be.
pub fn read_input(path: &Path) -> Result<(String, Vec<u8>), EvidenceError> {
    let name = path.display().to_string();
    let io_err = |e: std::io::Error| {
        EvidenceError::new(
            name.clone(),
            None,
            EvidenceErrorKind::Unreadable {
                reason: e.to_string(),
            },
        )
    };
    let mut bytes = Vec::new();
    if name == "-" {
        std::io::stdin()
            .take(MAX_FILE_BYTES as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(io_err)?;
        return Ok(("<stdin>".into(), bytes));
    }
    if path.is_dir() {
        return Err(EvidenceError::new(
            name,
            None,
            EvidenceErrorKind::Unreadable {
                reason: "it is a directory; give the files in it".into(),
            },
        ));
    }
    let file = std::fs::File::open(path).map_err(io_err)?;
    file.take(MAX_FILE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(io_err)?;
    Ok((name, bytes))
}

/// Reads and parses every input; errors are collected, never fatal.
pub fn read_all(paths: &[std::path::PathBuf]) -> (Vec<EvidenceFile>, Vec<EvidenceError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        match read_input(p).and_then(|(name, bytes)| evidence::read_file(&name, &bytes)) {
            Ok(f) => files.push(f),
            Err(e) => errors.push(e),
        }
    }
    (files, errors)
}

pub fn run(args: &IdentifyArgs) -> Result<ExitCode> {
    let (files, errors) = read_all(&args.files);
    let hosts = host::identify(&files);
    let text = match args.format {
        OutputFormat::Json => {
            let doc = report::identify::build(&hosts, &errors);
            report::identify::to_json(&doc) + "\n"
        }
        OutputFormat::Table => render::identify_table(&hosts),
    };
    render::print(&text, args.color)?;
    for e in &errors {
        anstream::eprintln!("{}: {e}", render::paint(render::Style::Error, "error"));
    }
    Ok(if errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}
