//! The typed model the log readers produce: events with their evidence.

use serde::Serialize;

/// Where a reported fact comes from: a file, its 1-based line, the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// The file name as given.
    pub file: String,
    /// The 1-based line.
    pub line: u64,
    /// The line's text (a joined record when a log wrapped it).
    pub text: String,
}

/// What a log line says, in terms of update-failure semantics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Signal {
    /// An install or search failed with an error code (the code says more).
    Failure,
    /// The update does not apply to this system.
    NotApplicable,
    /// The update is already installed.
    AlreadyInstalled,
    /// Pending operations (a restart or an unfinished transaction) block servicing.
    PendingOperations,
    /// An automatic restart could not be started.
    RebootFailed,
    /// The component store is damaged (CSI failures, corruption markers).
    StoreCorrupt,
    /// CheckSUR names a damaged or missing file it could not repair.
    DamagedFile,
    /// CheckSUR names a file it needs to repair the store.
    RepairFileNeeded,
    /// The catalog database (catroot2) rejects updates.
    CatrootDatabase,
    /// The machine is not eligible for Extended Security Updates.
    EsuNotEligible,
    /// No ESU key is installed or Windows/ESU is not activated.
    EsuNotLicensed,
    /// The package needs a newer servicing stack.
    StackTooOld,
    /// A prerequisite (e.g. the previous service pack) is missing.
    NoParent,
    /// A signature could not be verified (SHA-2-only signing).
    Signature,
    /// The connection to the update server failed.
    Network,
    /// The WSUS server answered with an error.
    WsusProtocol,
    /// The Windows Update Agent could not update itself.
    SelfUpdateFailed,
    /// A Windows Update scan was cancelled.
    ScanCancelled,
    /// Not enough disk space.
    DiskFull,
    /// The package is for another Windows version or architecture.
    WrongPackage,
}

/// One thing a log says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    /// What it says.
    pub signal: Signal,
    /// The error code on the line, if any.
    pub code: Option<u32>,
    /// The KB the line names, if any.
    pub kb: Option<u32>,
    /// The time on the line as written (local time of the machine).
    pub time: Option<String>,
    /// The writer (`CBS`, `CSI`, `Agent`, `PT` …), if the format has one.
    pub component: Option<String>,
    /// A file or URL the line names (a damaged manifest, a server).
    pub detail: Option<String>,
    /// The line.
    pub evidence: Evidence,
}

/// How an install attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AttemptResult {
    /// Started (no result in the logs).
    Started,
    /// Installed.
    Succeeded,
    /// Installed; a restart finishes it.
    RebootRequired,
    /// Failed.
    Failed,
}

/// One install attempt found in the logs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attempt {
    /// The time as written in the log.
    pub time: Option<String>,
    /// The update, as `KB4474419`.
    pub kb: Option<String>,
    /// How it ended.
    pub result: AttemptResult,
    /// The error code, as `0x80092004`.
    pub error_code: Option<String>,
    /// The line it comes from.
    pub evidence: Evidence,
}

/// Formats `code` as `0x8009200f`.
pub fn hex(code: u32) -> String {
    format!("0x{code:08x}")
}
