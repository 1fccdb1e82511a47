//! `install.cmd`: the batch script of an offline update kit, which installs
//! the kit's updates on a Windows Vista SP2 / Server 2008 SP2 machine.
//!
//! [`render`] turns a [`ScriptPlan`] (targets by architecture, stages of
//! payloads) into a `cmd.exe` script, CRLF and ASCII only. The script:
//!
//! * refuses to run unless elevated, on NT 6.0, on an architecture and
//!   product family the kit was made for, and with no restart pending;
//! * per payload: skips it when the kit names other computers for it or when
//!   Component Based Servicing shows it installed; finds its file in
//!   `payloads\` (the exact catalog name, or the one
//!   `windows6.0-kbNNNNNNN-ARCH_<sha1>.msu`); checks its SHA-1 with
//!   `certutil -hashfile`; runs `wusa FILE /quiet /norestart` (a service
//!   pack: its `.exe` with `/quiet /norestart`); reads the exit code and, on
//!   a failure, explains it from the error catalog (`catalog/errors.toml`);
//! * stops after a stage that installed something (exit code 3010), records
//!   the stage in `state\%COMPUTERNAME%.txt` and goes on from there on the
//!   next run; logs every step to `logs\%COMPUTERNAME%.log`.
//!
//! The static part of the script is `template.cmd` beside this file; the
//! plan-dependent parts come from `stages.rs` and the error table from
//! `explain.rs`. Every string of the plan is checked first (`check.rs`,
//! [`InstallScriptError`]): a manifest cannot add a command to the script. `docs/offline.md` documents
//! the script's exit codes and files.

mod check;
mod explain;
mod plan;
mod stages;
mod text;

use sha2::{Digest, Sha256};

use crate::catalog::Catalog;

pub use check::{InstallScriptError, InstallScriptErrorKind};
pub use plan::{parse_sha1, sha1_hex, KitTarget, Payload, ScriptPlan, Stage};

/// The static part of the script, with `@@NAME@@` placeholders.
const TEMPLATE: &str = include_str!("template.cmd");

/// The environment variable that replaces `wusa.exe` in the script, for
/// lastrollup's own tests (the Wine test); the log says when it is set.
pub const TEST_WUSA_VARIABLE: &str = "LASTROLLUP_TEST_WUSA";

/// The environment variable that replaces `certutil.exe` in the script,
/// for lastrollup's own tests.
pub const TEST_CERTUTIL_VARIABLE: &str = "LASTROLLUP_TEST_CERTUTIL";

/// The `install.cmd` of a kit: CRLF line ends, ASCII only.
///
/// Fails when the plan is empty or a string in it is unsafe or inconsistent
/// (a file name that is not a catalog name or is for another KB or
/// architecture, a SHA-1 that differs from the one in the file name, a
/// payload that cannot be verified, a host name or title with characters
/// cmd would read as syntax).
pub fn render(plan: &ScriptPlan) -> Result<String, InstallScriptError> {
    check::check(plan)?;
    let script = TEMPLATE
        .replace("@@VERSION@@", env!("CARGO_PKG_VERSION"))
        .replace("@@KIT@@", &kit_id(plan))
        .replace("@@SUMMARY@@", &stages::summary(plan))
        .replace("@@KITFOR@@", &stages::kit_for(plan))
        .replace("@@SELECT@@", &stages::select(plan))
        .replace("@@TARGETS@@", &stages::targets(plan)?)
        .replace(
            "@@EXPLAIN@@",
            &explain::explain_table(&Catalog::embedded().errors),
        );
    debug_assert!(script.is_ascii(), "the script is ASCII only");
    Ok(crlf(&script))
}

/// An id of the plan (12 hex digits): the state file of another kit is not
/// taken for this one's.
pub fn kit_id(plan: &ScriptPlan) -> String {
    let mut h = Sha256::new();
    for t in &plan.targets {
        h.update(format!("target {:?} {:?}\n", t.arch, t.families));
        for (i, s) in t.stages.iter().enumerate() {
            h.update(format!("stage {i}\n"));
            for p in &s.payloads {
                h.update(format!(
                    "{} {} {:?} {:?} {:?}\n",
                    p.kb,
                    p.kind.name(),
                    p.file_name,
                    p.sha1.as_ref().map(sha1_hex),
                    p.hosts
                ));
            }
        }
    }
    h.finalize()[..6]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn crlf(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 30);
    for line in text.lines() {
        out.push_str(line);
        out.push_str("\r\n");
    }
    out
}
