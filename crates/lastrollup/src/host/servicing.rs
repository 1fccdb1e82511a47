//! The servicing state of a host, as the collector bundle reports it: the
//! servicing stack version, SHA-2 support, pending restarts, the ESU licence,
//! Internet Explorer and .NET Framework versions.

use serde::Serialize;

use super::{Source, Sourced, SourcedRecord};
use crate::evidence::Key;

/// What the collector found about servicing. Every field is absent when the
/// evidence has no collector bundle.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Servicing {
    /// The servicing stack version (`6.0.6003.21569`).
    pub stack_version: Option<Sourced<String>>,
    /// Whether SHA-2 code signing support is installed.
    pub sha2_support: Option<Sourced<bool>>,
    /// Pending-restart markers; `Some` with an empty list when the collector
    /// looked and found none.
    pub pending_reboot: Option<Vec<Sourced<String>>>,
    /// ESU licence entries of `slmgr /dlv all` (`Licensed | name`); `Some`
    /// with an empty list when it shows no ESU add-on.
    pub esu_licenses: Option<Vec<Sourced<String>>>,
    /// Internet Explorer's version.
    pub ie_version: Option<Sourced<String>>,
    /// .NET Framework versions.
    pub dotnet: Vec<Sourced<String>>,
}

impl Servicing {
    /// Whether a licensed ESU add-on is present (`None`: not known).
    pub fn esu_licensed(&self) -> Option<bool> {
        self.esu_licenses
            .as_ref()
            .map(|v| v.iter().any(|e| e.value.starts_with("Licensed |")))
    }

    /// Whether a restart is pending (`None`: not known).
    pub fn reboot_pending(&self) -> Option<bool> {
        self.pending_reboot.as_ref().map(|v| !v.is_empty())
    }
}

/// Reads the servicing facts of a host's records.
pub(super) fn read(records: &[SourcedRecord<'_>]) -> Servicing {
    let mut s = Servicing::default();
    for sr in records {
        for f in &sr.record.facts {
            let src = || Source {
                file: sr.file.file.clone(),
                line: Some(f.line),
                format: sr.record.format,
                derived: None,
            };
            let sourced = |v: String| Sourced {
                value: v,
                source: src(),
            };
            match f.key {
                Key::StackVersion if s.stack_version.is_none() => {
                    s.stack_version = Some(sourced(f.value.clone()))
                }
                Key::Sha2Support if s.sha2_support.is_none() => {
                    s.sha2_support = Some(Sourced {
                        value: f.value.starts_with("present"),
                        source: src(),
                    })
                }
                Key::PendingReboot => {
                    let list = s.pending_reboot.get_or_insert_with(Vec::new);
                    if f.value != "none" {
                        list.push(sourced(f.value.clone()));
                    }
                }
                Key::EsuLicense => {
                    let list = s.esu_licenses.get_or_insert_with(Vec::new);
                    if f.value != "none" {
                        list.push(sourced(f.value.clone()));
                    }
                }
                Key::IeVersion if s.ie_version.is_none() => {
                    s.ie_version = Some(sourced(f.value.clone()))
                }
                Key::DotNetVersion => s.dotnet.push(sourced(f.value.clone())),
                _ => {}
            }
        }
    }
    s
}
