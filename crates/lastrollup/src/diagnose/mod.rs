//! Why an update failed on an NT 6.0 machine, from its logs, and what to do.
//!
//! ```text
//! log files ──► one reader per format ──► events ──► cause ranking ──► report
//!  (streamed,    (cbs, windowsupdate,     (time, KB,   (pure, cause.rs)   (lastrollup.diagnose/1
//!   any encoding) checksur, setupapi,      code,                            JSON, text)
//!                 eventlog, text)          evidence)
//! ```
//!
//! Logs are read line by line through a [`std::io::BufRead`] and never held
//! whole ([`lines`]); the format of each file is detected from its first
//! lines, not its name. A CBS.log of 64 MiB or more is read in byte ranges
//! on every core and the ranges' findings merged in file order
//! ([`split`]), with the result of the one-pass reading. Every reader hands its records to the shared rules
//! ([`rules`]), which key on what the servicing stack, the Windows Update
//! Agent, wusa and the event log write when something fails. [`cause`]
//! turns the events of all files into causes, ranked, each with its
//! evidence (file and line) and the fix as ordered steps with KB numbers
//! from the catalog.
//!
//! ```
//! use lastrollup::catalog::Catalog;
//! use lastrollup::diagnose;
//!
//! let log = "2024-01-10 10:00:00, Info                  CBS    Failed to get transaction analysis because of pending operations. [HRESULT = 0x80070bc9 - ERROR_FAIL_REBOOT_REQUIRED]\n";
//! let file = diagnose::read_log("CBS.log", log.as_bytes(), Catalog::embedded()).unwrap();
//! let report = diagnose::diagnose(vec![file], Catalog::embedded());
//! assert_eq!(report.causes[0].id, "pending-reboot");
//! ```

pub mod cabinet;
pub mod cause;
pub mod cbs;
pub mod checksur;
pub mod clues;
pub mod eventlog;
pub mod evtx;
pub mod host;
pub mod lines;
pub mod model;
pub mod os;
pub mod record;
pub mod report;
pub mod rules;
pub mod setupapi;
pub mod sink;
pub mod split;
pub mod text;
pub mod windowsupdate;

use std::io::BufRead;
use std::path::Path;

use serde::Serialize;

use crate::catalog::Catalog;
use crate::error::{EvidenceError, EvidenceErrorKind};

pub use cause::Cause;
pub use lines::{LineReader, LogLine};
pub use model::{Attempt, AttemptResult, Event, Evidence, Signal};
pub use report::{diagnose, Diagnosis};
use sink::Sink;

/// The log formats read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LogFormat {
    /// CBS.log, CBS.persist.log, CbsPersist_*.log.
    Cbs,
    /// The NT 6.0 text WindowsUpdate.log.
    WindowsUpdate,
    /// CheckSUR.log / CheckSUR.persist.log.
    #[serde(rename = "checksur")]
    CheckSur,
    /// setupapi.dev.log / setupapi.app.log.
    #[serde(rename = "setupapi")]
    SetupApi,
    /// `wevtutil qe /f:text` or Event Viewer text.
    EventLog,
    /// CBS.log and WindowsUpdate.log lines in one file (a pasted excerpt).
    Mixed,
    /// Any other text (exit codes, dialogs, pasted lines).
    Text,
}

/// A reader of one log format: fed one line at a time.
pub trait LogReader {
    /// Reads one line.
    fn line(&mut self, line: &LogLine, sink: &mut Sink<'_>);
    /// The input ended: hand over what is still open.
    fn finish(&mut self, sink: &mut Sink<'_>);
}

/// Whether a line has a format's grammar.
type LineTest = fn(&str) -> bool;

/// Lines looked at to detect the format.
const DETECT_LINES: usize = 64;

/// Detects the format from the first lines.
pub fn detect(first: &[LogLine]) -> LogFormat {
    let tests: [(LogFormat, LineTest); 5] = [
        (LogFormat::CheckSur, checksur::looks_like),
        (LogFormat::SetupApi, setupapi::looks_like),
        (LogFormat::EventLog, eventlog::looks_like),
        (LogFormat::Cbs, cbs::looks_like),
        (LogFormat::WindowsUpdate, windowsupdate::looks_like),
    ];
    let mut best = (LogFormat::Text, 0usize);
    for (format, test) in tests {
        let n = first.iter().filter(|l| test(&l.text)).count();
        if n > best.1 {
            best = (format, n);
        }
    }
    if best.1 == 0
        && first
            .iter()
            .any(|l| windowsupdate::parse_line(&l.text).is_some())
    {
        return LogFormat::WindowsUpdate;
    }
    let cbs = first.iter().any(|l| cbs::looks_like(&l.text));
    let wu = first.iter().any(|l| windowsupdate::looks_like(&l.text));
    if cbs && wu {
        return LogFormat::Mixed;
    }
    best.0
}

fn reader_for(format: LogFormat) -> Box<dyn LogReader> {
    match format {
        LogFormat::Cbs => Box::new(cbs::CbsReader::default()),
        LogFormat::WindowsUpdate => Box::new(windowsupdate::WuReader::default()),
        LogFormat::CheckSur => Box::new(checksur::CheckSurReader::default()),
        LogFormat::SetupApi => Box::new(setupapi::SetupApiReader::default()),
        LogFormat::EventLog => Box::new(eventlog::EventLogReader::default()),
        LogFormat::Text => Box::new(text::TextReader::default()),
        LogFormat::Mixed => Box::new(MixedReader::default()),
    }
}

/// CBS and WindowsUpdate.log lines in one file: each line goes to the
/// reader whose grammar it has; other lines to the one used last.
#[derive(Debug, Default)]
struct MixedReader {
    cbs: cbs::CbsReader,
    wu: windowsupdate::WuReader,
    last_cbs: bool,
}

impl LogReader for MixedReader {
    fn line(&mut self, line: &LogLine, sink: &mut Sink<'_>) {
        if cbs::looks_like(&line.text) {
            self.wu.finish(sink);
            self.last_cbs = true;
        } else if windowsupdate::looks_like(&line.text) {
            self.cbs.finish(sink);
            self.last_cbs = false;
        }
        if self.last_cbs {
            self.cbs.line(line, sink);
        } else {
            self.wu.line(line, sink);
        }
    }

    fn finish(&mut self, sink: &mut Sink<'_>) {
        self.cbs.finish(sink);
        self.wu.finish(sink);
    }
}

/// What one log file says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogFile {
    /// The file name as given.
    pub file: String,
    /// The format detected.
    pub format: LogFormat,
    /// The encoding detected (`utf-8`, `utf-16le`, `cp1252` …).
    pub encoding: String,
    /// Lines read.
    pub lines: u64,
    /// Lines longer than the limit, cut.
    pub truncated_lines: u64,
    /// Events found beyond the per-kind limit (counted, not kept).
    pub dropped_events: u64,
    /// What the lines say about the Windows version.
    pub os: os::OsReading,
    /// What the log says.
    #[serde(skip)]
    pub events: Vec<Event>,
    /// Install attempts.
    #[serde(skip)]
    pub attempts: Vec<Attempt>,
}

/// Reads one log from `reader`, named `name` in every piece of evidence,
/// its format detected from its first lines.
///
/// Fails only when the input cannot be read or holds nothing; text of no
/// known format is read line by line like any other.
pub fn read_log<R: BufRead>(
    name: &str,
    reader: R,
    catalog: &Catalog,
) -> Result<LogFile, EvidenceError> {
    read_log_as(name, reader, None, catalog)
}

/// [`read_log`] with the format given (`Some`) rather than detected.
pub fn read_log_as<R: BufRead>(
    name: &str,
    reader: R,
    format: Option<LogFormat>,
    catalog: &Catalog,
) -> Result<LogFile, EvidenceError> {
    let io_err = |e: std::io::Error| {
        EvidenceError::new(
            name,
            None,
            EvidenceErrorKind::Unreadable {
                reason: e.to_string(),
            },
        )
    };
    let mut lines = LineReader::new(reader);
    let mut first = Vec::new();
    while first.len() < DETECT_LINES {
        match lines.next_line().map_err(io_err)? {
            Some(l) => first.push(l),
            None => break,
        }
    }
    if first.iter().all(|l| l.text.trim().is_empty()) {
        return Err(EvidenceError::new(name, None, EvidenceErrorKind::Empty));
    }
    let format = format.unwrap_or_else(|| detect(&first));
    let mut sink = Sink::new(name, catalog);
    if format == LogFormat::Cbs {
        let mut reader = cbs::CbsReader::default();
        let mut count = (0u64, 0u64);
        for l in &first {
            count.0 = l.number;
            count.1 += u64::from(l.truncated);
            reader.line(l, &mut sink);
        }
        reader
            .read_all(&mut lines, &mut sink, &mut count)
            .map_err(io_err)?;
        reader.finish(&mut sink);
        return Ok(finish_file(sink, format, lines.encoding().name(), count));
    }
    let mut reader = reader_for(format);
    let mut count = (0u64, 0u64);
    let mut feed = |l: &LogLine, sink: &mut Sink<'_>| {
        count.0 = l.number;
        count.1 += u64::from(l.truncated);
        reader.line(l, sink);
    };
    for l in &first {
        feed(l, &mut sink);
    }
    let mut l = LogLine::default();
    while lines.read_into(&mut l).map_err(io_err)? {
        feed(&l, &mut sink);
    }
    reader.finish(&mut sink);
    Ok(finish_file(sink, format, lines.encoding().name(), count))
}

/// Reads lines already decoded from a container format (`.evtx`) as
/// `format`; `encoding` names what they were decoded from.
fn read_decoded(
    name: &str,
    format: LogFormat,
    encoding: &str,
    lines: impl Iterator<Item = LogLine>,
    catalog: &Catalog,
) -> LogFile {
    let mut sink = Sink::new(name, catalog);
    let mut reader = reader_for(format);
    let mut count = 0u64;
    for l in lines {
        count += 1;
        reader.line(&l, &mut sink);
    }
    reader.finish(&mut sink);
    finish_file(sink, format, encoding.to_owned(), (count, 0))
}

fn finish_file(sink: Sink<'_>, format: LogFormat, encoding: String, count: (u64, u64)) -> LogFile {
    let os = match sink.os.verdict() {
        Some((family, line)) => os::OsReading {
            verdict: if family == os::OsFamily::Nt60 {
                "nt60"
            } else {
                "not-nt60"
            },
            family: Some(family.label()),
            line: Some(line),
        },
        None => os::OsReading {
            verdict: "unknown",
            family: None,
            line: None,
        },
    };
    LogFile {
        file: sink.file,
        format,
        encoding,
        lines: count.0,
        truncated_lines: count.1,
        dropped_events: sink.dropped,
        os,
        events: sink.events,
        attempts: sink.attempts.into_iter().collect(),
    }
}

/// Reads a file, or every file under a folder (recursively, names starting
/// with `.` skipped, in name order). A cabinet (`CbsPersist_*.cab`) gives
/// one result per member ([`cabinet`]); an `.evtx` export is read by
/// [`evtx`].
pub fn read_path(path: &Path, catalog: &Catalog) -> Vec<Result<LogFile, EvidenceError>> {
    let mut out = Vec::new();
    collect(path, catalog, &mut out, 0);
    out
}

fn collect(
    path: &Path,
    catalog: &Catalog,
    out: &mut Vec<Result<LogFile, EvidenceError>>,
    depth: u32,
) {
    let name = path.display().to_string();
    let unreadable = |e: std::io::Error| {
        EvidenceError::new(
            &name,
            None,
            EvidenceErrorKind::Unreadable {
                reason: e.to_string(),
            },
        )
    };
    if path.is_dir() && depth < 8 {
        let mut entries: Vec<_> = match std::fs::read_dir(path) {
            Ok(rd) => rd.filter_map(Result::ok).map(|e| e.path()).collect(),
            Err(e) => return out.push(Err(unreadable(e))),
        };
        entries.sort();
        for p in entries {
            if !p
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            {
                collect(&p, catalog, out, depth + 1);
            }
        }
        return;
    }
    match open_peeked(path) {
        Ok((f, magic)) if evtx::is_evtx(&magic) => {
            out.push(evtx::read_evtx(&name, std::io::BufReader::new(f), catalog));
        }
        Ok((f, magic)) if cabinet::is_cabinet(&magic) => {
            out.extend(cabinet::read_cabinet(
                &name,
                std::io::BufReader::new(f),
                catalog,
            ));
        }
        Ok((f, _)) => out.push(read_plain(&name, path, f, catalog)),
        Err(e) => out.push(Err(unreadable(e))),
    }
}

/// Reads a plain log file: a large CBS.log over the cores in byte ranges
/// ([`split`]), anything else in one pass.
fn read_plain(
    name: &str,
    path: &Path,
    f: std::fs::File,
    catalog: &Catalog,
) -> Result<LogFile, EvidenceError> {
    let len = f.metadata().map_or(0, |m| m.len());
    let ranges = split::ranges_for(len);
    if ranges > 1 {
        return split::read_split(name, &split::FileSource::new(path, len), ranges, catalog);
    }
    read_log(
        name,
        std::io::BufReader::with_capacity(64 * 1024, f),
        catalog,
    )
}

/// Opens `path` and reads its first eight bytes (fewer when it is
/// shorter), leaving the file at its start.
fn open_peeked(path: &Path) -> std::io::Result<(std::fs::File, Vec<u8>)> {
    use std::io::{Read, Seek};
    let mut f = std::fs::File::open(path)?;
    let mut magic = Vec::with_capacity(8);
    (&mut f).take(8).read_to_end(&mut magic)?;
    f.rewind()?;
    Ok((f, magic))
}
