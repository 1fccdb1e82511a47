//! Which product a host is assessed against: its family at Service Pack 2,
//! on its architecture, or why it cannot be assessed.

use std::collections::BTreeSet;

use crate::catalog::{Catalog, Product};
use crate::host::{Arch, Finding, Host, Severity};

/// What a host is assessed against.
#[derive(Debug, Clone)]
pub struct Target<'c> {
    /// The serviced product (the family at SP2).
    pub product: &'c Product,
    /// Architecture used for catalog look-ups.
    pub arch: Arch,
    /// Whether the architecture was read from evidence (not assumed).
    pub arch_known: bool,
    /// The host's current service pack, where known.
    pub service_pack: Option<u8>,
}

/// Why a host is or is not assessed.
#[derive(Debug, Clone)]
pub enum Resolution<'c> {
    /// An NT 6.0 host with a known family.
    Nt60(Target<'c>),
    /// Not NT 6.0: what it is instead.
    NotNt60 {
        /// For people: `Windows Server 2008 R2 (NT 6.1, build 7601)`.
        what: String,
    },
    /// NT 6.0 or unknown, but the family could not be told.
    Unknown {
        /// Why.
        why: String,
    },
}

fn family_name(slug: &str) -> String {
    let mut out = String::new();
    for (i, w) in slug.split('-').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        match w {
            "r2" => out.push_str("R2"),
            w => {
                let mut c = w.chars();
                if let Some(f) = c.next() {
                    out.extend(f.to_uppercase());
                    out.push_str(c.as_str());
                }
            }
        }
    }
    out
}

/// Decides what `host` is assessed against; adds a finding when an
/// assumption had to be made.
pub fn resolve<'c>(
    host: &Host,
    catalog: &'c Catalog,
    findings: &mut Vec<Finding>,
) -> Resolution<'c> {
    let os = &host.os;
    let nt = os.nt_version.as_ref().map(|v| v.value.as_str());
    let family = os.family.as_ref().map(|f| f.value.as_str());
    if let Some(nt) = nt.filter(|nt| *nt != "6.0") {
        let name = family.map(family_name).unwrap_or_else(|| "Windows".into());
        let build = os
            .build
            .as_ref()
            .map(|b| format!(", build {}", b.value))
            .unwrap_or_default();
        return Resolution::NotNt60 {
            what: format!("{name} (NT {nt}{build})"),
        };
    }
    if nt.is_none() && family.is_none() {
        return Resolution::Unknown {
            why: "neither the NT version nor the product could be read from the evidence".into(),
        };
    }
    let installed: BTreeSet<u32> = host.updates.iter().filter_map(|u| u.id.kb()).collect();
    let family = match family {
        Some(f) => f.to_string(),
        None => {
            // Only server-only rollups or a server role tell the family.
            let server_updates = installed.iter().any(|kb| {
                catalog.update(*kb).is_some_and(|u| {
                    u.products
                        .iter()
                        .filter_map(|p| catalog.product(p))
                        .all(|p| p.family == "windows-server-2008")
                })
            });
            let server_role = host.role.as_ref().is_some_and(|r| r.value.is_server());
            if server_updates || server_role {
                findings.push(Finding::new(
                    "family-inferred",
                    Severity::Info,
                    format!(
                        "the product name is not in the evidence; assessed as Windows Server 2008 because {}",
                        if server_role {
                            "the host has a server role"
                        } else {
                            "it has Server 2008 rollups installed"
                        }
                    ),
                ));
                "windows-server-2008".to_string()
            } else {
                return Resolution::Unknown {
                    why: "NT 6.0, but whether Windows Server 2008 or Windows Vista could not be read (no product \
                          name, no role, no server-only update)"
                        .into(),
                };
            }
        }
    };
    let Some(product) = catalog.product_for(&family, 2) else {
        return Resolution::Unknown {
            why: format!("the catalog has no serviced product for family `{family}`"),
        };
    };
    let service_pack = os.service_pack.as_ref().map(|s| s.value).or_else(|| {
        os.build.as_ref().and_then(|b| match b.value {
            6000 => Some(0),
            6001 => Some(1),
            6002 | 6003 => Some(2),
            _ => None,
        })
    });
    let (arch, arch_known) = match os.arch.as_ref() {
        Some(a) => (a.value, true),
        None => {
            let x86 = product.final_update.get(&Arch::X86);
            let x64 = product.final_update.get(&Arch::X64);
            let ia64 = product.final_update.get(&Arch::Ia64);
            if x86 == x64 {
                if let (Some(main), Some(itanium)) = (x64, ia64) {
                    if main != itanium {
                        findings.push(Finding::new(
                            "arch-assumed",
                            Severity::Warning,
                            format!(
                                "the architecture is unknown: assessed as x86/x64 (final update KB{main}); on \
                                 Itanium the final update is KB{itanium}"
                            ),
                        ));
                    }
                }
                (Arch::X64, false)
            } else {
                return Resolution::Unknown {
                    why: "the architecture is unknown and the final update differs between x86 and x64".into(),
                };
            }
        }
    };
    if !product.arch.contains(&arch) {
        return Resolution::Unknown {
            why: format!("{} does not exist for {arch}", product.name),
        };
    }
    Resolution::Nt60(Target {
        product,
        arch,
        arch_known,
        service_pack,
    })
}
