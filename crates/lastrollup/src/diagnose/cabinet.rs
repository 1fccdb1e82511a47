//! `CbsPersist_*.cab`: the servicing stack's archives of older CBS logs in
//! `%windir%\Logs\CBS`.
//!
//! When CBS.log grows past its limit it is renamed `CbsPersist_<time>.log`
//! and later compressed into a cabinet of the same name. Each member that
//! is a log (`.log`, `.txt`) is read straight from the decompressor (the
//! `cab` crate streams MSZIP and LZX folders block by block), so an archive
//! is never unpacked to disk or held whole, and each is named
//! `archive.cab:member.log` in the evidence. A cabinet that cannot be
//! read, or a member that is not a log, gives an error for that archive or
//! member; the other members are still read.

use std::io::{BufReader, Read, Seek};

use crate::catalog::Catalog;
use crate::error::{EvidenceError, EvidenceErrorKind};

use super::LogFile;

/// Whether the first bytes of a file are a cabinet's (`MSCF`).
pub fn is_cabinet(first: &[u8]) -> bool {
    first.starts_with(b"MSCF")
}

/// Members with these endings are read as logs (lower case).
const LOG_ENDINGS: &[&str] = &[".log", ".txt"];

/// Reads every log member of the cabinet `name` from `reader`.
pub fn read_cabinet<R: Read + Seek>(
    name: &str,
    reader: R,
    catalog: &Catalog,
) -> Vec<Result<LogFile, EvidenceError>> {
    let malformed = |file: &str, message: String| {
        EvidenceError::new(
            file,
            None,
            EvidenceErrorKind::Malformed {
                format: "cabinet",
                message,
            },
        )
    };
    let mut cabinet = match cab::Cabinet::new(reader) {
        Ok(c) => c,
        Err(e) => return vec![Err(malformed(name, format!("not a readable cabinet: {e}")))],
    };
    let members: Vec<String> = cabinet
        .folder_entries()
        .flat_map(|folder| folder.file_entries())
        .map(|file| file.name().to_owned())
        .collect();
    if members.is_empty() {
        return vec![Err(malformed(name, "the cabinet holds no files".into()))];
    }
    let mut out = Vec::new();
    for member in members {
        let label = format!("{name}:{member}");
        let lower = member.to_ascii_lowercase();
        if !LOG_ENDINGS.iter().any(|e| lower.ends_with(e)) {
            out.push(Err(malformed(
                &label,
                "not a log (only .log and .txt members are read)".into(),
            )));
            continue;
        }
        out.push(match cabinet.read_file(&member) {
            Ok(file) => super::read_log(&label, BufReader::with_capacity(64 * 1024, file), catalog),
            Err(e) => Err(malformed(&label, format!("cannot be unpacked: {e}"))),
        });
    }
    out
}
