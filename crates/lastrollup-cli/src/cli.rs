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
