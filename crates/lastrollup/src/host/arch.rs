//! The processor architecture of a build. Kept free of crate-internal
//! dependencies: `build.rs` includes this file to encode the catalog.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The processor architecture the OS is built for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Arch {
    /// 32-bit x86.
    X86,
    /// x64 (AMD64).
    X64,
    /// Itanium.
    Ia64,
}

impl fmt::Display for Arch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Arch::X86 => "x86",
            Arch::X64 => "x64",
            Arch::Ia64 => "ia64",
        })
    }
}
