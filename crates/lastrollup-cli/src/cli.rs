//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Where a Windows Server 2008 SP2 / Vista SP2 (NT 6.0) machine stands
/// against its final servicing baseline.
///
/// lastrollup reads what a machine says about itself — systeminfo output,
/// `wmic qfe` / Get-HotFix lists, `wmic os`, registry captures, `ver`
/// banners, build strings — in any language and encoding, offline.
#[derive(Debug, Parser)]
#[command(name = "lastrollup", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Say where each host stands against its final servicing baseline, and
    /// what to install, in order, to get there.
    ///
    /// Give every file of a host together (systeminfo, `wmic qfe list full`,
    /// registry captures, version strings — the formats `identify` reads).
    /// For each host: a one-paragraph verdict, the security baseline month
    /// (the last month up to which every security release is covered by an
    /// installed monthly rollup or security-only update), the months behind
    /// the final update, the ordered install plan with a reason per step,
    /// the CVEs it is still open to (known-exploited first), findings (where
    /// the evidence contradicts itself) and the lifecycle.
    ///
    /// CVE exposure comes from the advisory database when one was imported
    /// (`lastrollup db import`), else from a built-in table of the
    /// known-exploited CVEs of NT 6.0. A CVE is "open" when the evidence shows
    /// none of its fixes, "unverified" when the evidence cannot tell.
    ///
    /// Exit codes:
    ///   0  every host has reached its goal, is open to no CVE an update
    ///      within the goal fixes, and has no warning or error finding
    ///   1  a host is behind, is open to such a CVE, or has a warning or
    ///      error finding
    ///   2  a file could not be used, or the arguments are wrong
    ///   3  a host is not NT 6.0 (the report says what it is)
    /// When several apply, the highest wins (2 over 3 over 1).
    ///
    /// Examples:
    ///   lastrollup check examples/srv-hist01-*.txt
    ///   lastrollup check --as-of 2024-06-30 --format markdown captures/*.txt > report.md
    ///   lastrollup check --goal without-esu --format json host1/* > host1.json
    #[command(verbatim_doc_comment)]
    Check(CheckArgs),

    /// Assess a whole fleet: every host under the given files and folders, in one run.
    ///
    /// Give files and folders (read recursively; names beginning with `.`
    /// are skipped) holding captures of any format `check` reads: collector
    /// bundles, systeminfo lists and /FO CSV exports of many hosts, wmic qfe
    /// lists, registry captures, version strings. Captures are grouped into
    /// hosts by name *and* identity (domain, product ID, install date): two
    /// machines that share a name are reported apart, with an
    /// `identity-collision` finding. A file that cannot be used is listed
    /// with its reason and never stops the run.
    ///
    /// The report: hosts by state (at the final baseline, months behind in
    /// buckets, not NT 6.0, unassessable), the next best actions across the
    /// fleet, the known-exploited CVEs by hosts open to them, the worst
    /// hosts, lifecycle, and every error. `--format json` writes the
    /// `lastrollup.fleet/1` contract (docs/fleet.md): per host the `host`
    /// and `os` objects of `check`, its baseline, counts, and the id of its
    /// exposure profile; each distinct servicing state is one profile,
    /// listed once with its CVE ids.
    ///
    /// `--history FILE` keeps every run in a SQLite database (safe on a
    /// network share) and adds what changed since its last complete run:
    /// new and gone (stale) hosts, improved and regressed baselines, CVEs
    /// opened and closed, and whether the hosts or the advisory knowledge
    /// changed. `--since FILE.jsonl` compares with an earlier `--jsonl`
    /// export instead.
    ///
    /// Exit codes:
    ///   0  every host has reached its goal, is open to no CVE an update
    ///      within the goal fixes, and has no warning or error finding
    ///   1  a host is behind, is open to such a CVE, or has a warning or
    ///      error finding
    ///   2  a file could not be used, no host was found, an export could
    ///      not be written, the history could not be read or written, or
    ///      the arguments are wrong
    ///   3  a host is not NT 6.0
    /// When several apply, the highest wins (2 over 3 over 1).
    ///
    /// Examples:
    ///   lastrollup fleet captures/
    ///   lastrollup fleet --format markdown --as-of 2026-06-30 plant-a/ plant-b/ > fleet.md
    ///   lastrollup fleet --csv hosts.csv --jsonl hosts.jsonl --cve-csv host-cves.csv captures/
    ///   lastrollup fleet --html fleet.html --as-of 2026-06-30 captures/
    ///   lastrollup fleet --format json --db /srv/lastrollup.lrdb usb/*.lastrollup.txt > fleet.json
    ///   lastrollup fleet --history //fs01/it/lastrollup-history.db captures/
    ///   lastrollup fleet --since last-month.jsonl --jsonl this-month.jsonl captures/
    #[command(verbatim_doc_comment)]
    Fleet(FleetArgs),

    /// Make an offline update kit: what air-gapped hosts need, to fetch elsewhere.
    ///
    /// Give the captures of one host, a folder of captures, or a whole fleet
    /// (everything `fleet` reads). lastrollup computes each host's install
    /// plan (as `check` does) and writes into DIR:
    ///
    ///   manifest.json  the lastrollup.offline/1 manifest: every file in
    ///                  install order with KB, architecture, expected name,
    ///                  SHA-1 (and SHA-256 where known), the hosts that need
    ///                  it and the stages with a restart after each
    ///                  (docs/offline.md, docs/schema/offline-1.schema.json)
    ///   DOWNLOAD.txt   one line per file: name, SHA-1, address (or the
    ///                  Update Catalog search where no name is known)
    ///   README.txt     the steps for whoever fetches, checks and carries it
    ///   install.cmd    the installer to run on each machine
    ///   payloads/      empty: put the fetched files here
    ///
    /// Then fetch the files, run `lastrollup verify DIR`, carry DIR to each
    /// machine and run install.cmd there as Administrator.
    ///
    /// Where the catalog knows no file name for an update (most rollups of
    /// 2018–2023 and 2025), the manifest asks for any
    /// windows6.0-kbNNNNNNN-ARCH_<sha1>.msu of that KB from the Microsoft
    /// Update Catalog; verify then checks the file against the SHA-1 in its name.
    ///
    /// Exit codes:
    ///   0  the kit was written and every host with updates to install is in it
    ///   1  the kit was written, but a host could not be given anything
    ///      (not NT 6.0, not assessed, architecture unknown: README.txt says why)
    ///   2  a capture could not be used, no host was found, DIR could not be
    ///      written, or the arguments are wrong
    ///
    /// Examples:
    ///   lastrollup offline usb/PLANT-HIST02.lastrollup.txt --out kit/
    ///   lastrollup offline captures/ --out //fs01/it/kit-2026-06 --as-of 2026-06-30
    ///   lastrollup offline --goal without-esu host/*.txt --out kit/
    #[command(verbatim_doc_comment)]
    Offline(OfflineArgs),

    /// Check an offline kit: every file present, named right, and intact.
    ///
    /// Reads DIR/manifest.json (as `offline` wrote it; a manifest edited by
    /// hand is checked against the catalog's payload data and refused with
    /// the line and column of any JSON error) and every file in
    /// DIR/payloads/, each streamed through SHA-1 and SHA-256. For each file
    /// the manifest names: present, its SHA-1 equal to the digest in its
    /// Update Catalog name and to the catalog data (and its SHA-256 where
    /// known), its KB and architecture those of the entry. Missing,
    /// corrupted or truncated, renamed, other-architecture and unexpected
    /// files are each named with the reason; symbolic links are reported,
    /// never followed. Progress goes to stderr; the result says how long it took.
    ///
    /// Exit codes:
    ///   0  the kit is complete and correct
    ///   1  the kit has problems (each is listed)
    ///   2  the kit cannot be checked: no manifest, a manifest that is not
    ///      valid, payloads/ missing or a link, or the arguments are wrong
    ///
    /// Examples:
    ///   lastrollup verify kit/
    ///   lastrollup verify --format json E:\kit > verify.json
    #[command(verbatim_doc_comment)]
    Verify(VerifyArgs),

    /// Explain a version string, a KB or an update error code.
    ///
    /// A version (`6.0.6003.20491`, a BuildLabEx such as
    /// `6003.20491.amd64fre.vistasp2_ldr_escrow.190320-1700`): which build and
    /// branch it is, which monthly rollup month the revision implies, and why
    /// build 6002 became 6003. A KB (`KB4493471`): what it is, when it came,
    /// what it supersedes and needs. An error code (`0x80092004`, `-2146885628`,
    /// `CRYPT_E_NOT_FOUND`): what it means on NT 6.0 and what to do.
    ///
    /// Exit codes: 0 explained; 2 not recognised or not in the catalog.
    ///
    /// Examples:
    ///   lastrollup explain 6.0.6003.20491
    ///   lastrollup explain KB4474419
    ///   lastrollup explain 0x80092004
    #[command(verbatim_doc_comment)]
    Explain(ExplainArgs),

    /// Say why an update failed, from the machine's logs, and what to do.
    ///
    /// Give log files or folders (read recursively): CBS.log, CBS.persist.log
    /// and CbsPersist_*.log from %windir%\Logs\CBS (and the CbsPersist_*.cab
    /// archives there, read in place), CheckSUR.log and CheckSUR.persist.log
    /// (System Update Readiness Tool), the NT 6.0 %windir%\WindowsUpdate.log,
    /// setupapi.dev.log / setupapi.app.log, Event Log exports (.evtx, or the
    /// text of `wevtutil qe System /f:text` and Event Viewer copies), or text
    /// with wusa / pkgmgr exit codes. The format and encoding of each
    /// file are detected from content; logs are streamed, never read whole.
    ///
    /// The report: the causes, most likely first, each with its id
    /// (docs/diagnose.md), error code, update, evidence lines (file:line)
    /// and the fix as ordered steps; then the install attempts found.
    /// `--format json` writes the `lastrollup.diagnose/1` contract
    /// (docs/schema/diagnose-1.schema.json).
    ///
    /// Exit codes:
    ///   0  no failure found
    ///   1  a failure was found (see the causes)
    ///   2  a file could not be used, or the arguments are wrong
    ///
    /// Examples:
    ///   lastrollup diagnose CBS.log WindowsUpdate.log
    ///   lastrollup diagnose C:\copies\Logs\CBS
    ///   lastrollup diagnose --format json logs/ > diagnosis.json
    ///   lastrollup diagnose CBS.log --with HOST01.lastrollup.txt
    #[command(verbatim_doc_comment)]
    Diagnose(DiagnoseArgs),

    /// Print or write the collector script to run on an NT 6.0 machine.
    ///
    /// `lastrollup-collect.cmd` uses built-in tools only (cmd, reg, wmic,
    /// systeminfo, cscript slmgr.vbs; no PowerShell) and is strictly
    /// read-only: it writes nothing but its own output file,
    /// `%COMPUTERNAME%.lastrollup.txt`. Run it in an elevated prompt on the
    /// machine, bring the file back, and give it to `check` like any capture.
    /// See docs/collector.md for USB-stick, psexec, GPO and SCCM use.
    ///
    /// Examples:
    ///   lastrollup collector --write E:\
    ///   lastrollup collector > lastrollup-collect.cmd
    #[command(verbatim_doc_comment)]
    Collector(CollectorArgs),

    /// Find scripts, installers and programs that break on build 6003 or
    /// misread NT 6.0.
    ///
    /// Walks files and directories (honouring .gitignore, skipping hidden
    /// and binary files, in parallel) and reports OS checks that stopped
    /// working when the 2019 rollups moved Vista SP2 / Server 2008 SP2 from
    /// build 6002 to 6003, that call Server 2008 "Vista", or that confuse
    /// Server 2008 with 2008 R2. Languages: batch, PowerShell, VBScript, Python,
    /// C#, VB.NET, C/C++, Go, JavaScript/TypeScript, Java, Ruby, Perl, Inno
    /// Setup, NSIS, WiX/MSI, Puppet/Salt/Ansible; other text files get the
    /// rules that need no grammar. UTF-16 files are read right.
    ///
    /// Suppress one finding with a comment naming the rule:
    /// `lastrollup: ignore[exact-build-6002]` (this line),
    /// `lastrollup: ignore-next-line[RULE]`, `lastrollup: ignore-file[RULE]`.
    /// A `[lint]` section in ./lastrollup.toml may set `select` and `ignore`.
    ///
    /// Exit codes:
    ///   0  no finding
    ///   1  findings
    ///   2  a file could not be read, or the arguments are wrong
    ///
    /// Examples:
    ///   lastrollup lint scripts/ installer/
    ///   lastrollup lint --format sarif . > lastrollup.sarif
    ///   lastrollup lint --select exact-build-6002,build-upper-bound src/
    ///   lastrollup lint --format json . > baseline.json; lastrollup lint --baseline baseline.json .
    ///   lastrollup lint --explain server-as-vista
    #[command(verbatim_doc_comment)]
    Lint(LintArgs),

    /// Read captured files and say which machine(s) and which Windows they describe.
    ///
    /// Give every file of a host together: systeminfo output, `wmic qfe list
    /// full`, `wmic os get … /format:list`, `reg query` of
    /// HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion or a .reg export,
    /// `ver` output, BuildLabEx or ntoskrnl.exe version strings. The format and
    /// encoding are detected from content. Files naming the same host name are
    /// one host; files naming no host join the only named host.
    ///
    /// Exit codes: 0 every file was identified (NT 6.0 or not); 2 a file could
    /// not be used (its name and the reason are printed on stderr; the other
    /// files are still reported).
    ///
    /// Examples:
    ///   lastrollup identify systeminfo.txt qfe.txt
    ///   lastrollup identify --format json captures/*.txt > identity.json
    #[command(verbatim_doc_comment)]
    Identify(IdentifyArgs),

    /// Import and inspect the advisory database (CVE-level data for `check`).
    ///
    /// Without a database, `check` still flags the known-exploited CVEs of a
    /// small built-in table. Import the full data once and `check` lists every
    /// CVE a host is still open to, known-exploited first:
    ///
    ///   lastrollup db import definitions.zip known_exploited_vulnerabilities.json
    ///   lastrollup db status
    ///
    /// The database lives in your data directory (`lastrollup db status`
    /// prints where); `--db PATH` or the LASTROLLUP_DB environment variable
    /// put it elsewhere. See docs/advisories.md.
    #[command(verbatim_doc_comment, subcommand)]
    Db(DbCommand),

    /// Print the shell completion script for a shell.
    ///
    /// Generated from the same definitions as the help. Install it where
    /// your shell looks for completions, for example:
    ///
    ///   lastrollup completions bash > ~/.local/share/bash-completion/completions/lastrollup
    ///   lastrollup completions zsh > ~/.zfunc/_lastrollup   (with fpath+=~/.zfunc)
    ///   lastrollup completions fish > ~/.config/fish/completions/lastrollup.fish
    ///   lastrollup completions powershell >> $PROFILE
    ///
    /// The Debian package installs the bash, zsh and fish scripts itself.
    #[command(verbatim_doc_comment)]
    Completions(CompletionsArgs),

    /// Print or write the manual pages.
    ///
    /// Generated from the same definitions as the help: one page per
    /// command (lastrollup(1), lastrollup-check(1), lastrollup-db-import(1)…).
    /// Without --out, prints the page of the command named (the main page
    /// when none is) for `man -l -`; with --out, writes every page there.
    ///
    /// Examples:
    ///   lastrollup man | man -l -
    ///   lastrollup man db import | man -l -
    ///   lastrollup man --out ~/.local/share/man/man1
    #[command(verbatim_doc_comment)]
    Man(ManArgs),
}

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Read advisory feeds into the database.
    ///
    /// The kind of each file is detected from its content:
    ///   wesng definitions.zip, or one of its CSV files (CVEs_*.csv, Custom_*.csv)
    ///   MSRC CVRF documents: XML as api.msrc.microsoft.com serves them, or JSON
    ///   CSAF 2.0 JSON documents (MSRC publishes one per CVE)
    ///   the CISA Known Exploited Vulnerabilities catalog, JSON or CSV
    /// A folder is read whole (every file in it, recursively).
    ///
    /// Only NT 6.0 products (Windows Server 2008 and Vista, and components on
    /// them such as Internet Explorer 9 or .NET Framework) are kept, with the
    /// document each record came from. Importing a newer copy of a document
    /// (the same CVRF month, the same CSAF advisory, KEV, wesng) replaces the
    /// older one; other documents already imported stay.
    ///
    /// The database file is replaced in one step at the end: if any file is
    /// unreadable or malformed, or the import is interrupted, nothing is
    /// written and the previous database stays as it was.
    ///
    /// Exit codes: 0 imported; 2 a file could not be used (nothing written).
    ///
    /// Examples:
    ///   lastrollup db import definitions.zip
    ///   lastrollup db import msrc/2026-Jan.xml kev/known_exploited_vulnerabilities.csv
    ///   lastrollup db import --replace feeds/
    #[command(verbatim_doc_comment)]
    Import(DbImportArgs),

    /// Show the database in use: where it is, its documents, dates and counts.
    ///
    /// Exit codes: 0 a database was found and read; 1 there is none yet;
    /// 2 it is damaged or unreadable.
    #[command(verbatim_doc_comment)]
    Status(DbStatusArgs),
}

#[derive(Debug, Args)]
pub struct DbLocation {
    /// The database file. Defaults to $LASTROLLUP_DB, else
    /// `lastrollup/advisories.lrdb` in the user's data directory.
    #[arg(long, value_name = "PATH")]
    pub db: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DbImportArgs {
    /// Feed files or folders.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Start from an empty database instead of adding to the current one.
    #[arg(long)]
    pub replace: bool,

    #[command(flatten)]
    pub location: DbLocation,
}

#[derive(Debug, Args)]
pub struct DbStatusArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,

    #[command(flatten)]
    pub location: DbLocation,
}

#[derive(Debug, Args)]
pub struct IdentifyArgs {
    /// Captured files to read (`-` reads standard input).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Output format: a readable table, or the `lastrollup.identify/1` JSON
    /// contract (docs/identify.md).
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,

    /// When to colour the output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// What a plan is made for: the day and the goal (`check`, `fleet`,
/// `offline`).
#[derive(Debug, Args)]
pub struct PlanArgs {
    /// The day to assess for (lifecycle, whether updates can still come),
    /// as YYYY-MM-DD. Defaults to today.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<jiff::civil::Date>,

    /// Where the install plan leads: the product's final update, or the last
    /// update that installs without an ESU entitlement (KB4534303, 2020-01).
    #[arg(long, value_enum, default_value_t = GoalArg::Final)]
    pub goal: GoalArg,
}

impl PlanArgs {
    /// The assessment options these flags ask for (`--as-of` defaults to
    /// today in the local zone).
    pub fn options(&self) -> lastrollup::assess::Options {
        lastrollup::assess::Options {
            as_of: self.as_of.unwrap_or_else(crate::check::today),
            goal: match self.goal {
                GoalArg::Final => lastrollup::assess::Goal::Final,
                GoalArg::WithoutEsu => lastrollup::assess::Goal::WithoutEsu,
            },
        }
    }
}

/// Where CVE exposure is read from (`check`, `fleet`).
#[derive(Debug, Args)]
pub struct ExposureArgs {
    /// The advisory database for CVE exposure (see `lastrollup db`).
    /// Defaults to $LASTROLLUP_DB, else the one in the user's data directory;
    /// without one, only the built-in known-exploited table is checked.
    #[arg(long, value_name = "PATH", conflicts_with = "no_db")]
    pub db: Option<PathBuf>,

    /// Check exposure against the built-in known-exploited table only, even
    /// when a database exists.
    #[arg(long)]
    pub no_db: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Captured files to read (`-` reads standard input).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Output format: text for people, the `lastrollup.check/1` JSON contract
    /// (docs/check.md), or Markdown for tickets and wikis.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,

    #[command(flatten)]
    pub plan: PlanArgs,

    #[command(flatten)]
    pub exposure: ExposureArgs,

    /// When to colour the output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Debug, Args)]
pub struct OfflineArgs {
    /// Capture files and folders of the hosts (folders read recursively).
    #[arg(required = true, value_name = "CAPTURES")]
    pub paths: Vec<PathBuf>,

    /// The kit folder to write (created when missing; files in it are replaced).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,

    #[command(flatten)]
    pub plan: PlanArgs,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The kit folder (with manifest.json and payloads/).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,

    /// Output format: text for people, or JSON (the verdict per file).
    #[arg(long, value_enum, default_value_t = VerifyFormat::Text)]
    pub format: VerifyFormat,

    /// When to colour the output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum VerifyFormat {
    /// One line per file for people.
    Text,
    /// JSON: complete, counts, and every check.
    Json,
}

#[derive(Debug, Args)]
pub struct FleetArgs {
    /// Files and folders to read (folders recursively).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Output format: a summary for people, the `lastrollup.fleet/1` JSON
    /// contract (docs/fleet.md), or Markdown.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,

    #[command(flatten)]
    pub plan: PlanArgs,

    #[command(flatten)]
    pub exposure: ExposureArgs,

    /// Also write one CSV row per host (UTF-8 with BOM, RFC 4180).
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,

    /// Also write one JSON object per host and line (for SIEM ingestion).
    #[arg(long, value_name = "FILE")]
    pub jsonl: Option<PathBuf>,

    /// Also write one CSV row per host and open or unverified CVE.
    #[arg(long, value_name = "FILE")]
    pub cve_csv: Option<PathBuf>,

    /// Also write the dashboard: one self-contained HTML file that opens
    /// offline in a browser (summary, worst hosts, every host, a page per host).
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Keep every run in this SQLite history database (created when
    /// missing) and report what changed since its last complete run.
    #[arg(long, value_name = "FILE", conflicts_with = "since")]
    pub history: Option<PathBuf>,

    /// Report what changed since an earlier `--jsonl` export (without a
    /// history database; known-exploited CVEs only).
    #[arg(long, value_name = "FILE.jsonl")]
    pub since: Option<PathBuf>,

    /// When to colour the output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// Verdict, plan, exposure, findings and lifecycle for people.
    Text,
    /// The versioned JSON contract.
    Json,
    /// Markdown.
    Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GoalArg {
    /// The last update of the product (KB5073697, 2026-01-13, on x86/x64).
    Final,
    /// The last update installable without an ESU entitlement.
    WithoutEsu,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// The command whose page to print (`check`, `db import`); none for the
    /// main page.
    #[arg(value_name = "COMMAND", conflicts_with = "out")]
    pub command: Vec<String>,

    /// Write every page (`lastrollup.1`, `lastrollup-check.1`, …) into this
    /// folder instead of printing one.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CollectorArgs {
    /// Write `lastrollup-collect.cmd` and its read-only helper
    /// `lastrollup-collect.vbs` (used for `/logs`) into this folder instead of
    /// printing the script.
    #[arg(long, value_name = "DIR")]
    pub write: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A version string, a KB or an error code.
    #[arg(value_name = "WHAT", allow_hyphen_values = true)]
    pub what: String,

    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Files and directories to lint.
    #[arg(value_name = "PATH", required_unless_present = "explain")]
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = LintFormat::Text)]
    pub format: LintFormat,

    /// Run only these rules (ids or codes, comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub select: Vec<String>,

    /// Never run these rules (ids or codes, comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub ignore: Vec<String>,

    /// Report only findings that are not in this earlier `--format json` output.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Read `[lint]` settings from this file instead of ./lastrollup.toml.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Print a rule's documentation (or, with `all`, the list of rules) and exit.
    #[arg(long, value_name = "RULE")]
    pub explain: Option<String>,

    /// Apply the safe fixes (those that change the test's outcome for build 6003 only),
    /// then report what is left.
    #[arg(long, conflicts_with = "diff")]
    pub fix: bool,

    /// Print every fix, safe and unsafe, as a unified diff instead of the findings;
    /// nothing is written. Exit 1 when there is a fix.
    #[arg(long)]
    pub diff: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LintFormat {
    /// path:line:col, rule, message, the line with a caret, and the fix.
    Text,
    /// The `lastrollup.lint/1` JSON contract (docs/schema/lint-1.schema.json).
    Json,
    /// SARIF 2.1.0 for GitHub code scanning.
    Sarif,
}

#[derive(Debug, Args)]
pub struct DiagnoseArgs {
    /// Log files or folders to read.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Captures of the same machine (collector bundle, systeminfo, wmic qfe
    /// …): its SHA-2 flag, installed updates, servicing stack version, ESU
    /// licence and pending restart confirm or refute each cause.
    #[arg(long = "with", value_name = "CAPTURE", num_args = 1..)]
    pub with: Vec<PathBuf>,

    /// Output format: text for people, or the `lastrollup.diagnose/1` JSON
    /// contract (docs/diagnose.md).
    #[arg(long, value_enum, default_value_t = DiagnoseFormat::Text)]
    pub format: DiagnoseFormat,

    /// When to colour the output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiagnoseFormat {
    /// Text for people.
    Text,
    /// The versioned JSON contract.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// A table for people.
    Table,
    /// The versioned JSON contract.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour on a terminal only.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}
