//! One pass over a record's text for every fixed fragment the rules
//! ([`super::rules`]) and the OS fingerprints ([`super::os`]) key on.
//!
//! Each fragment is lower-case ASCII and found ASCII-case-insensitively,
//! which is what `text.to_ascii_lowercase().contains(fragment)` did
//! fragment by fragment: one Aho-Corasick automaton reports all of them,
//! overlapping, in one scan of the record. A rule names a fragment with
//! [`frag!`](crate::frag), checked against [`FRAGMENTS`] when compiling.

use std::sync::OnceLock;

use aho_corasick::automaton::Automaton;
use aho_corasick::dfa::DFA;
use aho_corasick::{Anchored, MatchKind, StartKind};

/// Every fragment looked for, lower case. Order is the bit order of
/// [`Clues`]; at most 128.
pub const FRAGMENTS: &[&str] = &[
    // The rules' markers (rules::specific, rules::is_store_marker).
    "esu:",
    "no esu key",
    "not activated",
    "not eligible",
    "checks failed",
    "requires servicing stack",
    "modules installer must be updated",
    "no parents for sp package",
    "must be installed or scheduled for installation",
    "pending transaction content must be resolved",
    "because of pending operations",
    "catroot2",
    "catdb",
    "-614",
    "rollback",
    "rejected",
    "not enough space",
    "insufficient disk space",
    "disk is full",
    "does not apply to your",
    "not applicable to your",
    "failed to reboot",
    "initiatesystemshutdown",
    "failed",
    "failed to filter search results",
    "no signature",
    "signature of the object did not verify",
    "mark store corruption",
    "store corruption flag",
    "missingfilesystemresource",
    "failed to verify manifest against catalog",
    "component store corrupt",
    "(f)",
    "status_sxs_",
    "over-removing a tlc",
    // The first look at informational records (rules::may_matter).
    "fail",
    "error",
    "fatal",
    "warning",
    "pending transaction",
    "pending operations",
    "catroot",
    "corrupt",
    "does not apply",
    "not applicable",
    "already installed",
    "modules installer",
    "no parents",
    "status_sxs",
    "over-removing",
    "0x0",
    "0x8",
    "0xc",
    "hr",
    "signature",
    "did not verify",
    "reboot",
    "shutdown",
    "selfupdate",
    "self-update",
    "2359302",
    // Failure context and network words (rules::by_code).
    "returned",
    "exit code",
    "errorlevel",
    "could not",
    "status:",
    "winhttp",
    "send failed",
    "sendrequest",
    "http",
    "proxy",
    // OS fingerprints (os::FINGERPRINTS).
    "~~6.0.",
    "windows6.0-",
    "6.0.6001.",
    "6.0.6002.",
    "6.0.6003.",
    "binary version 6.0.",
    "windows vista",
    "~~6.1.",
    "windows6.1-",
    "6.1.7600.",
    "6.1.7601.",
    "7.5.7601.",
    "\\win7",
    "binary version 6.1.",
    "~~6.2.",
    "~~6.3.",
    "6.2.9200.",
    "6.3.9600.",
    "windows8-",
    "windows8.1-",
    "windowsblue-",
    "~~10.0.",
    "v10.0.",
    "windows10.0-",
    "windowsxp-",
    "windowsserver2003-",
    "5.1.2600.",
    "5.2.3790.",
    "\\windows\\softwaredistribution\\download\\s-1-5-18",
];

/// The bit of `fragment` in [`Clues`]; fails to compile (in a `const`
/// context) when it is not in [`FRAGMENTS`].
pub const fn bit(fragment: &str) -> u128 {
    let mut i = 0;
    while i < FRAGMENTS.len() {
        if str_eq(FRAGMENTS[i], fragment) {
            return 1 << i;
        }
        i += 1;
    }
    panic!("not in clues::FRAGMENTS")
}

const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The bit of a fragment, computed when compiling: `frag!("esu:")`.
#[macro_export]
#[doc(hidden)]
macro_rules! frag {
    ($s:literal) => {
        const { $crate::diagnose::clues::bit($s) }
    };
}

/// Which [`FRAGMENTS`] a text holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Clues(pub u128);

impl Clues {
    /// Scans `text` once.
    pub fn find(text: &str) -> Self {
        let Some(dfa) = automaton() else {
            return Clues(0);
        };
        let Ok(mut sid) = dfa.start_state(Anchored::No) else {
            return Clues(0);
        };
        let mut bits = 0u128;
        for &b in text.as_bytes() {
            sid = dfa.next_state(Anchored::No, sid, b);
            if dfa.is_special(sid) && dfa.is_match(sid) {
                for i in 0..dfa.match_len(sid) {
                    bits |= 1 << dfa.match_pattern(sid, i).as_usize();
                }
            }
        }
        Clues(bits)
    }

    /// Whether the text holds every fragment of `mask` (one [`frag!`] or
    /// several or-ed).
    pub fn has(self, mask: u128) -> bool {
        self.0 & mask == mask && mask != 0
    }

    /// Whether the text holds any fragment of `mask`.
    pub fn any(self, mask: u128) -> bool {
        self.0 & mask != 0
    }
}

/// The automaton over [`FRAGMENTS`]: a DFA, walked byte by byte so that
/// every match (overlapping) sets its bit.
fn automaton() -> Option<&'static DFA> {
    static AC: OnceLock<Option<DFA>> = OnceLock::new();
    AC.get_or_init(|| {
        DFA::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .start_kind(StartKind::Unanchored)
            .prefilter(false)
            .build(FRAGMENTS)
            .ok()
    })
    .as_ref()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_fit_and_are_lower_case_and_distinct() {
        assert!(FRAGMENTS.len() <= 128);
        for (i, f) in FRAGMENTS.iter().enumerate() {
            assert_eq!(f.to_ascii_lowercase(), *f);
            assert!(f.is_ascii());
            assert!(!FRAGMENTS[..i].contains(f), "{f} twice");
        }
    }

    #[test]
    fn every_fragment_as_contains_would_find_it() {
        let text = "X: Failed To Reboot; HTTP://x ~~6.0.6002.1 ESU: not eligible";
        let lower = text.to_ascii_lowercase();
        let clues = Clues::find(text);
        for (i, f) in FRAGMENTS.iter().enumerate() {
            assert_eq!(clues.0 >> i & 1 == 1, lower.contains(f), "{f}");
        }
    }
}
