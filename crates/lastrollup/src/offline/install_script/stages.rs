//! The plan-dependent parts of the script: the kit summary, the choice of
//! target, and one block of code per stage and payload. Every value written
//! here passed [`super::check`]: digits, catalog file names, hex, host names
//! of a safe charset, and titles without cmd syntax.

use std::fmt::Write;

use crate::advisory::Family;

use super::check::{arch_token, expected_sha1, InstallScriptError};
use super::plan::{KitTarget, Payload, ScriptPlan};

/// The value of `LR_FAMILY` the script sets for a family.
fn family_token(family: Family) -> &'static str {
    match family {
        Family::WindowsServer2008 => "server2008",
        Family::WindowsVista => "vista",
    }
}

fn family_name(family: Family) -> &'static str {
    match family {
        Family::WindowsServer2008 => "Windows Server 2008",
        Family::WindowsVista => "Windows Vista",
    }
}

/// `rem` lines listing the targets and their stages.
pub(crate) fn summary(plan: &ScriptPlan) -> String {
    let mut out = String::new();
    for t in &plan.targets {
        let families: Vec<&str> = t.families.iter().map(|f| family_name(*f)).collect();
        let _ = writeln!(
            out,
            "rem   {} ({}), {} stage(s):",
            arch_token(t.arch),
            families.join(", "),
            t.stages.len()
        );
        for (i, s) in t.stages.iter().enumerate() {
            let kbs: Vec<String> = s
                .payloads
                .iter()
                .map(|p| {
                    let only = if p.hosts.is_empty() {
                        ""
                    } else {
                        " (some hosts)"
                    };
                    format!("KB{} {}{only}", p.kb, p.kind.name())
                })
                .collect();
            let _ = writeln!(out, "rem     stage {}: {}", i + 1, kbs.join(", "));
        }
    }
    out.trim_end().to_owned()
}

/// What the kit is for, in words (`Windows Server 2008 x64, Windows Vista x86`).
pub(crate) fn kit_for(plan: &ScriptPlan) -> String {
    let mut parts = Vec::new();
    for t in &plan.targets {
        for f in &t.families {
            parts.push(format!("{} {}", family_name(*f), arch_token(t.arch)));
        }
    }
    parts.join(", ")
}

/// Sets `LR_TARGET` to the target of this computer's architecture and
/// family.
pub(crate) fn select(plan: &ScriptPlan) -> String {
    let mut out = String::new();
    for t in &plan.targets {
        let arch = arch_token(t.arch);
        for f in &t.families {
            let _ = writeln!(
                out,
                "if \"%LR_ARCH%\"==\"{arch}\" if \"%LR_FAMILY%\"==\"{}\" set \"LR_TARGET={arch}\"",
                family_token(*f)
            );
        }
    }
    out.trim_end().to_owned()
}

/// The code of every target: resume point, stages, payloads.
pub(crate) fn targets(plan: &ScriptPlan) -> Result<String, InstallScriptError> {
    let mut out = String::new();
    for t in &plan.targets {
        target(&mut out, t)?;
    }
    Ok(out)
}

fn target(out: &mut String, t: &KitTarget) -> Result<(), InstallScriptError> {
    let arch = arch_token(t.arch);
    let n = t.stages.len();
    let _ = write!(
        out,
        "rem ===========================================================================\n\
         rem Target {arch}: {n} stage(s)\n\
         rem ===========================================================================\n\
         :target_{arch}\n\
         set \"LR_STAGES={n}\"\n\
         set \"LR_DONE=0\"\n"
    );
    for s in 1..=n {
        let _ = writeln!(out, "if \"%LR_SDONE%\"==\"{s}\" set \"LR_DONE={s}\"");
    }
    out.push_str("call :resume\n");
    for s in 1..n {
        let _ = writeln!(out, "if \"%LR_DONE%\"==\"{s}\" goto {arch}_stage_{}", s + 1);
    }
    let _ = writeln!(out, "if \"%LR_DONE%\"==\"{n}\" goto {arch}_complete");
    for (i, stage) in t.stages.iter().enumerate() {
        let _ = write!(
            out,
            "\n:{arch}_stage_{s}\nset \"LR_STAGE={s}\"\ncall :stagebegin\n",
            s = i + 1
        );
        for p in &stage.payloads {
            payload(out, t, p).map_err(|kind| InstallScriptError {
                at: format!("{arch} stage {} KB{}", i + 1, p.kb),
                kind,
            })?;
        }
        out.push_str("call :stageend\nif defined LR_STOP goto finish\n");
    }
    let _ = write!(
        out,
        "goto finish\n\
         :{arch}_complete\n\
         set \"LR_MSG=every stage of this kit was completed by an earlier run (state\\%COMPUTERNAME%.txt): nothing to do\"\n\
         call :say\n\
         goto finish\n\n"
    );
    Ok(())
}

fn payload(
    out: &mut String,
    t: &KitTarget,
    p: &Payload,
) -> Result<(), super::check::InstallScriptErrorKind> {
    let sha1 = expected_sha1(t.arch, p)?.unwrap_or_default();
    let _ = write!(
        out,
        "set \"LR_KB={}\"\n\
         set \"LR_KIND={}\"\n\
         set \"LR_TITLE={}\"\n\
         set \"LR_FILE={}\"\n\
         set \"LR_SHA1={sha1}\"\n",
        p.kb,
        p.kind.name(),
        p.title,
        p.file_name.as_deref().unwrap_or(""),
    );
    if p.hosts.is_empty() {
        out.push_str("set \"LR_FORME=1\"\n");
    } else {
        out.push_str("set \"LR_FORME=\"\n");
        for h in &p.hosts {
            let _ = writeln!(out, "if /i \"%COMPUTERNAME%\"==\"{h}\" set \"LR_FORME=1\"");
        }
    }
    out.push_str("call :payload\nif defined LR_FAIL goto failed\n");
    Ok(())
}
