//! What makes a plan safe to turn into a script: every string that reaches
//! `install.cmd` is checked here, so nothing from a manifest can add a
//! command, a redirection or a variable reference to it.

use std::sync::OnceLock;

use regex::Regex;

use crate::catalog::UpdateKind;
use crate::host::Arch;

use super::plan::{sha1_hex, KitTarget, Payload, ScriptPlan};

/// Why a plan cannot be turned into a script.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{at}: {kind}")]
pub struct InstallScriptError {
    /// Where in the plan: `x64 stage 2 KB4493730`, `the kit`.
    pub at: String,
    /// What is wrong.
    pub kind: InstallScriptErrorKind,
}

/// What is wrong with a plan.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InstallScriptErrorKind {
    /// The plan has no target.
    #[error("the kit has no target (no architecture)")]
    NoTarget,
    /// Two targets for one architecture.
    #[error("a second target for the same architecture")]
    DuplicateArch,
    /// A target that names no product family.
    #[error("the target names no product family")]
    NoFamily,
    /// A target without stages, or a stage without payloads.
    #[error("nothing to install (an empty target or stage)")]
    Empty,
    /// KB number 0 or longer than eight digits.
    #[error("KB number {0} is not a KB number")]
    BadKb(u32),
    /// A title with a character that is not printable ASCII or that cmd
    /// would read as syntax.
    #[error(
        "the title has the character {0:?}: only printable ASCII without &|<>^%!\" is allowed"
    )]
    BadTitle(char),
    /// A title that is empty or too long.
    #[error("the title is empty or longer than 300 characters")]
    TitleLength,
    /// A file name that is not an Update Catalog name.
    #[error("the file name {0:?} is not an Update Catalog name (windows6.0-kbNNNNNNN-ARCH_<sha1>.msu, .exe for service packs)")]
    BadFileName(String),
    /// A file name for another KB, architecture or kind of file.
    #[error("the file name {name:?} does not fit the payload ({why})")]
    FileNameMismatch {
        /// The file name.
        name: String,
        /// What does not fit.
        why: String,
    },
    /// The SHA-1 given differs from the one in the file name.
    #[error("the SHA-1 {given} differs from the one in the file name ({named})")]
    Sha1Mismatch {
        /// The SHA-1 the plan gives.
        given: String,
        /// The SHA-1 in the file name.
        named: String,
    },
    /// A payload whose file cannot be verified: a file name without SHA-1
    /// and no SHA-1 given.
    #[error("no SHA-1 is known for {0:?}: the script could not verify it")]
    NoSha1(String),
    /// A service pack without a file name (it is an `.exe`, not found by
    /// the `.msu` search).
    #[error("a service pack needs its exact file name")]
    ServicePackWithoutFile,
    /// An unsafe computer name.
    #[error("the host name {0:?} is not a computer name (1-63 of A-Z a-z 0-9 - _)")]
    BadHost(String),
}

/// The architecture as it appears in catalog file names.
pub(crate) fn arch_token(arch: Arch) -> &'static str {
    match arch {
        Arch::X86 => "x86",
        Arch::X64 => "x64",
        Arch::Ia64 => "ia64",
    }
}

/// Checks the whole plan.
pub fn check(plan: &ScriptPlan) -> Result<(), InstallScriptError> {
    let kit = |kind| InstallScriptError {
        at: "the kit".to_owned(),
        kind,
    };
    if plan.targets.is_empty() {
        return Err(kit(InstallScriptErrorKind::NoTarget));
    }
    for (i, t) in plan.targets.iter().enumerate() {
        if plan.targets[..i].iter().any(|o| o.arch == t.arch) {
            return Err(kit(InstallScriptErrorKind::DuplicateArch));
        }
        check_target(t)?;
    }
    Ok(())
}

fn check_target(target: &KitTarget) -> Result<(), InstallScriptError> {
    let arch = arch_token(target.arch);
    let at = |kind| InstallScriptError {
        at: arch.to_owned(),
        kind,
    };
    if target.families.is_empty() {
        return Err(at(InstallScriptErrorKind::NoFamily));
    }
    if target.stages.is_empty() {
        return Err(at(InstallScriptErrorKind::Empty));
    }
    for (s, stage) in target.stages.iter().enumerate() {
        if stage.payloads.is_empty() {
            return Err(InstallScriptError {
                at: format!("{arch} stage {}", s + 1),
                kind: InstallScriptErrorKind::Empty,
            });
        }
        for p in &stage.payloads {
            check_payload(target.arch, p).map_err(|kind| InstallScriptError {
                at: format!("{arch} stage {} KB{}", s + 1, p.kb),
                kind,
            })?;
        }
    }
    Ok(())
}

fn check_payload(arch: Arch, p: &Payload) -> Result<(), InstallScriptErrorKind> {
    if p.kb == 0 || p.kb > 99_999_999 {
        return Err(InstallScriptErrorKind::BadKb(p.kb));
    }
    check_title(&p.title)?;
    for h in &p.hosts {
        check_host(h)?;
    }
    expected_sha1(arch, p).map(|_| ())
}

/// The SHA-1 the script checks the file against: the plan's, or the one in
/// the file name; `None` when the file name is unknown and the script takes
/// the SHA-1 from the name of the file it finds.
pub(crate) fn expected_sha1(
    arch: Arch,
    p: &Payload,
) -> Result<Option<String>, InstallScriptErrorKind> {
    let given = p.sha1.as_ref().map(sha1_hex);
    let Some(name) = &p.file_name else {
        if p.kind == UpdateKind::ServicePack {
            return Err(InstallScriptErrorKind::ServicePackWithoutFile);
        }
        return Ok(given);
    };
    let named = check_file_name(arch, p, name)?;
    match (given, named) {
        (Some(g), Some(n)) if g != n => {
            Err(InstallScriptErrorKind::Sha1Mismatch { given: g, named: n })
        }
        (g, n) => g
            .or(n)
            .map(Some)
            .ok_or_else(|| InstallScriptErrorKind::NoSha1(name.clone())),
    }
}

fn file_name_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"^(?i:ie9-)?(?i:windows6\.0-kb)([0-9]{1,8})(?i:-v[0-9]{1,2})?-(?i:(x86|x64|ia64))(?i:-custom)?(?:_([0-9a-f]{40}))?\.(?i:(msu|exe))$",
        )
        .expect("file name pattern")
    })
}

/// Checks a catalog file name against the payload; returns the SHA-1 in it.
fn check_file_name(
    arch: Arch,
    p: &Payload,
    name: &str,
) -> Result<Option<String>, InstallScriptErrorKind> {
    let bad = || InstallScriptErrorKind::BadFileName(name.to_owned());
    let caps = file_name_pattern().captures(name).ok_or_else(bad)?;
    let mismatch = |why: String| InstallScriptErrorKind::FileNameMismatch {
        name: name.to_owned(),
        why,
    };
    let kb: u32 = caps[1].parse().map_err(|_| bad())?;
    if kb != p.kb {
        return Err(mismatch(format!("it is for KB{kb}, not KB{}", p.kb)));
    }
    let file_arch = caps[2].to_ascii_lowercase();
    if file_arch != arch_token(arch) {
        return Err(mismatch(format!(
            "it is for {file_arch}, the target is {}",
            arch_token(arch)
        )));
    }
    let ext = caps[4].to_ascii_lowercase();
    let want = if p.kind == UpdateKind::ServicePack {
        "exe"
    } else {
        "msu"
    };
    if ext != want {
        return Err(mismatch(format!(
            "a {} is installed from a .{want}, not a .{ext}",
            p.kind.name()
        )));
    }
    Ok(caps.get(3).map(|m| m.as_str().to_owned()))
}

fn check_title(title: &str) -> Result<(), InstallScriptErrorKind> {
    if title.trim().is_empty() || title.len() > 300 {
        return Err(InstallScriptErrorKind::TitleLength);
    }
    match title
        .chars()
        .find(|c| !(' '..='~').contains(c) || "&|<>^%!\"".contains(*c))
    {
        Some(c) => Err(InstallScriptErrorKind::BadTitle(c)),
        None => Ok(()),
    }
}

fn check_host(host: &str) -> Result<(), InstallScriptErrorKind> {
    let ok = (1..=63).contains(&host.len())
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(InstallScriptErrorKind::BadHost(host.to_owned()))
    }
}
