//! The input of the generator: what the kit holds, for which machines, in
//! which order. Plain data; [`super::render`] checks every string in it.

use crate::advisory::Family;
use crate::catalog::UpdateKind;
use crate::host::Arch;

/// Everything `install.cmd` needs to know about one kit.
///
/// A kit may hold one target per architecture (a mixed fleet): the script
/// picks the target of the architecture it runs on and refuses to run on an
/// architecture or product family the kit was not made for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptPlan {
    /// One entry per architecture, in the order the kit lists them.
    pub targets: Vec<KitTarget>,
}

/// The machines of one architecture the kit is for, and what they install.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KitTarget {
    /// x86, x64 (or Itanium, Server 2008 only).
    pub arch: Arch,
    /// The product families this target may run on (Server 2008, Vista).
    pub families: Vec<Family>,
    /// Install stages, in order. A restart is required after each stage
    /// except the last, when that stage installed something.
    pub stages: Vec<Stage>,
}

/// Updates installed between two restarts, in order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Stage {
    /// The payloads of the stage, in install order.
    pub payloads: Vec<Payload>,
}

/// One update file of the kit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payload {
    /// KB number.
    pub kb: u32,
    /// What it is (a service pack is an `.exe` run with its own switches;
    /// everything else is an `.msu` run through `wusa`).
    pub kind: UpdateKind,
    /// Title, for the log (printable ASCII without `&|<>^%!"`).
    pub title: String,
    /// The exact Update Catalog file name in `payloads\`, where the catalog
    /// data knows it (`windows6.0-kb4493730-x64_<sha1>.msu`). `None`: the
    /// script looks for `windows6.0-kbNNNNNNN-ARCH_<sha1>.msu` and checks the
    /// file against the SHA-1 in its name.
    pub file_name: Option<String>,
    /// The file's SHA-1, where known. Required when `file_name` carries no
    /// SHA-1; must equal it when it does.
    pub sha1: Option<[u8; 20]>,
    /// Computer names (`%COMPUTERNAME%`) that need it; empty: every host of
    /// the target's architecture.
    pub hosts: Vec<String>,
}

/// Reads 40 hex digits (either case) as a SHA-1.
pub fn parse_sha1(hex: &str) -> Option<[u8; 20]> {
    let bytes = hex.as_bytes();
    if bytes.len() != 40 || !bytes.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    let mut out = [0u8; 20];
    for (i, pair) in bytes.chunks_exact(2).enumerate() {
        let text = std::str::from_utf8(pair).ok()?;
        out[i] = u8::from_str_radix(text, 16).ok()?;
    }
    Some(out)
}

/// The lower-case hex form of a SHA-1.
pub fn sha1_hex(sha1: &[u8; 20]) -> String {
    sha1.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha1_round_trips_and_rejects_junk() {
        let hex = "5cb91f4e8f2f1d1ea9a5d0f4a12f09e9a8b81a4c";
        let bytes = parse_sha1(hex).unwrap();
        assert_eq!(sha1_hex(&bytes), hex);
        assert_eq!(
            parse_sha1(&hex.to_ascii_uppercase()).map(|b| sha1_hex(&b)),
            Some(hex.to_owned())
        );
        assert!(parse_sha1(&hex[1..]).is_none());
        assert!(parse_sha1("+cb91f4e8f2f1d1ea9a5d0f4a12f09e9a8b81a4c").is_none());
        assert!(parse_sha1("zcb91f4e8f2f1d1ea9a5d0f4a12f09e9a8b81a4c").is_none());
    }
}
