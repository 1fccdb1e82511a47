//! Evidence: what a machine says about itself, read from captured files.
//!
//! [`read_file`] is the entry point: it decodes the bytes (see [`text`]),
//! detects the format from content (never from the file name), and hands the
//! text to the parser of that format. Every parser is a pure function from
//! text to [`Record`]s: the facts it read ([`Fact`], each with its line) and
//! the installed updates it listed ([`UpdateEntry`]). Interpreting the facts
//! (what "6.0.6002 Service Pack 2 Build 6002" means) is the job of
//! [`crate::host`].

pub mod bundle;
pub mod code_pages;
pub mod columns;
mod csv_rows;
pub mod kb;
pub mod paste;
pub mod qfe;
pub mod registry;
pub mod servicing;
pub mod systeminfo;
pub mod text;
pub mod version_strings;
pub mod wmic_os;

use serde::Serialize;

use crate::error::{EvidenceError, EvidenceErrorKind};
pub use kb::UpdateId;
pub use text::TextEncoding;

/// The largest file read as one capture. A systeminfo capture is a few KiB, a
/// `wmic qfe` list of a well-patched host well under 1 MiB; anything beyond
/// this is not a capture and is refused rather than held in memory.
pub const MAX_FILE_BYTES: usize = 32 * 1024 * 1024;

/// The formats lastrollup reads, as detected from content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Format {
    /// `systeminfo` default list output (`Label:   value`).
    SysteminfoList,
    /// `systeminfo /FO CSV`, with or without header (`/NH`).
    SysteminfoCsv,
    /// `systeminfo /FO TABLE`.
    SysteminfoTable,
    /// `wmic qfe list full` (`Key=Value` blocks).
    WmicQfeList,
    /// `wmic qfe`, `wmic qfe list brief` and other column tables.
    WmicQfeTable,
    /// `wmic qfe … /format:csv`.
    WmicQfeCsv,
    /// PowerShell `Get-HotFix` table output.
    GetHotfixTable,
    /// PowerShell `Get-HotFix | Export-Csv` / `ConvertTo-Csv`.
    GetHotfixCsv,
    /// `wmic os get … /format:list` (`Key=Value`).
    WmicOsList,
    /// `wmic os get …` column table.
    WmicOsTable,
    /// `reg query "HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion"` output.
    RegQuery,
    /// A `.reg` export (REGEDIT4 or Windows Registry Editor 5.00).
    RegExport,
    /// Version strings found in free text: the `ver` banner, BuildLabEx,
    /// ntoskrnl.exe file versions, SQL Server `@@VERSION`, SMB banners.
    VersionStrings,
    /// The collector bundle's own servicing sections (CBS packages, servicing
    /// stack, SHA-2, IE, .NET, pending reboot, ESU licence); its other
    /// sections keep the format of the command that wrote them.
    CollectorBundle,
}

impl Format {
    /// The stable kebab-case name used in JSON and messages.
    pub fn name(self) -> &'static str {
        match self {
            Format::SysteminfoList => "systeminfo-list",
            Format::SysteminfoCsv => "systeminfo-csv",
            Format::SysteminfoTable => "systeminfo-table",
            Format::WmicQfeList => "wmic-qfe-list",
            Format::WmicQfeTable => "wmic-qfe-table",
            Format::WmicQfeCsv => "wmic-qfe-csv",
            Format::GetHotfixTable => "get-hotfix-table",
            Format::GetHotfixCsv => "get-hotfix-csv",
            Format::WmicOsList => "wmic-os-list",
            Format::WmicOsTable => "wmic-os-table",
            Format::RegQuery => "reg-query",
            Format::RegExport => "reg-export",
            Format::VersionStrings => "version-strings",
            Format::CollectorBundle => "collector-bundle",
        }
    }
}

/// What a fact is about. The value of a fact is kept as the text the machine
/// printed; [`crate::host`] interprets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Key {
    /// The computer name.
    HostName,
    /// The domain or workgroup.
    Domain,
    /// The machine's role text (`OS Configuration`) or `ProductType` number.
    Role,
    /// The product name (`OS Name`, `Caption`, `ProductName`, banner text).
    ProductName,
    /// systeminfo's whole `OS Version` value (`6.0.6002 Service Pack 2 Build 6002`).
    VersionLine,
    /// A dotted version: `6.0`, `6.0.6003` or `6.0.6003.20491`.
    Version,
    /// The build number alone (`6003`).
    Build,
    /// The service pack as text (`Service Pack 2`) or number (`2`).
    ServicePack,
    /// The architecture as the source spells it (`x64-based PC`, `64-bit`, `amd64`).
    Architecture,
    /// The system locale (`en-us;English (United States)`, or an LCID such as `0409`).
    Locale,
    /// When the OS was installed, as printed.
    InstallDate,
    /// The Windows product ID (`89578-OEM-7332157-00204`): systeminfo's
    /// `Product ID`, the registry's `ProductId`, `wmic os`'s `SerialNumber`.
    ProductId,
    /// When the OS last booted, as printed.
    BootTime,
    /// The `BuildLab` string (`6003.vistasp2_ldr_escrow.190320-1700`).
    BuildLab,
    /// The `BuildLabEx` string (`6003.20491.amd64fre.vistasp2_ldr_escrow.190320-1700`).
    BuildLabEx,
    /// The file version of ntoskrnl.exe (`6.0.6003.20491`).
    KernelVersion,
    /// `OperatingSystemSKU`: the edition as a number.
    Sku,
    /// `EditionID` from the registry (`ServerEnterprise`).
    EditionId,
    /// The servicing stack version (newest folder under `servicing\Version`).
    StackVersion,
    /// SHA-2 code signing support: `present (…)` or `absent`.
    Sha2Support,
    /// A pending-reboot marker, or `none` when the collector found none.
    PendingReboot,
    /// An ESU licence entry of `slmgr /dlv all` (`Licensed | name`), or `none`.
    EsuLicense,
    /// Internet Explorer's version (`svcVersion`, else `Version`).
    IeVersion,
    /// A .NET Framework version (`v4\Full: 4.6.01590`).
    DotNetVersion,
}

/// One value read from a capture, with the line it was read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fact {
    /// What the value is about.
    pub key: Key,
    /// The value as printed (trimmed).
    pub value: String,
    /// 1-based line in the file.
    pub line: u32,
}

/// One installed update as a capture lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UpdateEntry {
    /// The update's identity (KB number, GUID, or other text).
    pub id: UpdateId,
    /// When it was installed, as ISO date where the source's format is
    /// unambiguous, otherwise as printed.
    pub installed_on: Option<String>,
    /// The update's description (`Security Update`, `Hotfix` …) where listed.
    pub description: Option<String>,
    /// 1-based line in the file.
    pub line: u32,
}

/// Something a parser noticed that the user should know: a field it could not
/// read, a list that looks truncated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    /// Stable kebab-case id (see docs/findings.md).
    pub id: &'static str,
    /// 1-based line, if the note is about one line.
    pub line: Option<u32>,
    /// What was noticed, for a person.
    pub message: String,
}

/// What one parser read about one host from one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Record {
    /// The format the record was read from.
    pub format: Format,
    /// The host name this record names, if it names one.
    pub host: Option<String>,
    /// The language of the labels, where the format has localized labels.
    pub language: Option<String>,
    /// Every fact read, in file order.
    pub facts: Vec<Fact>,
    /// Every installed update listed, in file order.
    pub updates: Vec<UpdateEntry>,
    /// Whether the record carries an installed-update list, even an empty
    /// one (systeminfo prints `Hotfix(s): N/A` when nothing is installed),
    /// as opposed to a format that lists no updates at all.
    pub update_list: bool,
    /// What the parser noticed.
    pub notes: Vec<Note>,
}

impl Record {
    /// An empty record of `format`.
    pub fn new(format: Format) -> Self {
        Self {
            format,
            host: None,
            language: None,
            facts: Vec::new(),
            updates: Vec::new(),
            update_list: false,
            notes: Vec::new(),
        }
    }

    /// Whether the record lists installed updates (possibly none).
    pub fn lists_updates(&self) -> bool {
        self.update_list || !self.updates.is_empty()
    }

    /// Adds a fact unless the value is empty.
    pub fn push(&mut self, key: Key, value: &str, line: u32) {
        let value = text::trim(value);
        if !value.is_empty() {
            self.facts.push(Fact {
                key,
                value: value.to_owned(),
                line,
            });
        }
    }

    /// The first fact with `key`.
    pub fn fact(&self, key: Key) -> Option<&Fact> {
        self.facts.iter().find(|f| f.key == key)
    }
}

/// Everything read from one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EvidenceFile {
    /// The file name as the caller gave it.
    pub file: String,
    /// The encoding the file was read in.
    pub encoding: TextEncoding,
    /// One record per host the file describes (a `/FO CSV` fleet capture
    /// describes several).
    pub records: Vec<Record>,
}

/// Reads one captured file: decodes it, detects its format and parses it.
///
/// `name` is only used in errors and provenance; the format is detected from
/// the content. Returns an error naming the file (and line, where it applies)
/// when the file is empty, too large, or of no supported format.
pub fn read_file(name: &str, bytes: &[u8]) -> Result<EvidenceFile, EvidenceError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(EvidenceError::new(
            name,
            None,
            EvidenceErrorKind::TooLarge {
                size: bytes.len(),
                limit: MAX_FILE_BYTES,
            },
        ));
    }
    if bundle::is_bundle(bytes) && bundle::has_lf_lines(bytes) {
        return Ok(EvidenceFile {
            file: name.to_owned(),
            encoding: TextEncoding::Mixed,
            records: bundle::parse(bytes),
        });
    }
    let (text, encoding) = text::decode(bytes, &systeminfo::labels::code_page_hint);
    if text
        .trim_matches(|c: char| c.is_whitespace() || c == '\0' || c == '\u{FEFF}')
        .is_empty()
    {
        return Err(EvidenceError::new(name, None, EvidenceErrorKind::Empty));
    }
    let lines = text::lines(&text);
    let records = match paste::undo(&text, &lines) {
        None => match bundle::start_in_lines(&lines) {
            Some(start) => Ok(bundle_in_lines(&lines[start..])),
            None => parse_lines(&lines),
        },
        Some(restored) => parse_restored(&restored),
    }
    .map_err(|(line, kind)| EvidenceError::new(name, line, kind))?;
    Ok(EvidenceFile {
        file: name.to_owned(),
        encoding,
        records,
    })
}

/// The records of a bundle read from decoded lines, the first its
/// `#lastrollup-bundle` line (see [`bundle::start_in_lines`]), with the
/// lines' own numbers. The lines are joined with `\n` (whatever ended them
/// before) and each section is decoded again from that UTF-8, which every
/// section reader accepts.
fn bundle_in_lines(lines: &[text::Line<'_>]) -> Vec<Record> {
    let mut joined = String::new();
    for l in lines {
        joined.push_str(l.text);
        joined.push('\n');
    }
    let mut records = bundle::parse(joined.as_bytes());
    let before = lines.first().map_or(0, |l| l.number.saturating_sub(1));
    for r in &mut records {
        bundle::shift(r, before);
    }
    records
}

/// Parses text that [`paste::undo`] restored: every line read is mapped
/// back to the line of the pasted text it came from, and each record gets
/// the notes that say what was undone.
fn parse_restored(
    restored: &paste::Unpasted,
) -> Result<Vec<Record>, (Option<u32>, EvidenceErrorKind)> {
    let lines = text::lines(&restored.text);
    let start = bundle::start_in_lines(&lines);
    let parsed = match start {
        Some(start) => Ok(bundle_in_lines(&lines[start..])),
        None => parse_lines(&lines),
    };
    let mut records =
        parsed.map_err(|(line, kind)| (line.map(|l| restored.original_line(l)), kind))?;
    for r in &mut records {
        for f in &mut r.facts {
            f.line = restored.original_line(f.line);
        }
        for u in &mut r.updates {
            u.line = restored.original_line(u.line);
        }
        for n in &mut r.notes {
            n.line = n.line.map(|l| restored.original_line(l));
        }
        // A bundle's records are one host's: its own record says it once.
        if start.is_none() || r.format == Format::CollectorBundle {
            r.notes.extend(restored.notes.iter().cloned());
        }
    }
    Ok(records)
}

/// Detects the format of decoded text and parses it.
///
/// Formats are tried from the most specific signature to the least: a `.reg`
/// header, `reg query` value lines, systeminfo's labels, `HotFixID` columns,
/// `Key=Value` lists, and last the loose version strings. The error carries
/// the line it is about, if any.
pub fn parse_text(text: &str) -> Result<Vec<Record>, (Option<u32>, EvidenceErrorKind)> {
    parse_lines(&text::lines(text))
}

/// [`parse_text`] of text already split into lines.
fn parse_lines(lines: &[text::Line<'_>]) -> Result<Vec<Record>, (Option<u32>, EvidenceErrorKind)> {
    if let Some(records) = registry::parse(lines)? {
        return Ok(records);
    }
    if let Some(records) = systeminfo::parse(lines) {
        return Ok(records);
    }
    if let Some(records) = qfe::parse(lines) {
        return Ok(records);
    }
    if let Some(records) = wmic_os::parse(lines) {
        return Ok(records);
    }
    if let Some(record) = version_strings::parse(lines) {
        return Ok(vec![record]);
    }
    Err((
        None,
        EvidenceErrorKind::Unrecognised {
            reason: "no systeminfo block, wmic or Get-HotFix output, registry output, ver banner or Windows version \
                     string was found"
                .into(),
        },
    ))
}

/// The bytes of every file under `tests/fixtures`, for tests that compare
/// a fast path with the general code on every capture.
#[cfg(test)]
pub(crate) fn fixture_files() -> Vec<Vec<u8>> {
    fn walk(dir: &std::path::Path, out: &mut Vec<Vec<u8>>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(&path, out);
            } else {
                out.push(std::fs::read(path).unwrap());
            }
        }
    }
    let mut out = Vec::new();
    walk(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures"),
        &mut out,
    );
    out
}
