//! One pass over a record's text for every fixed fragment the rules
//! ([`super::rules`]) and the OS fingerprints ([`super::os`]) key on.
//!
//! Each fragment is lower-case ASCII and found ASCII-case-insensitively,
//! which is what `text.to_ascii_lowercase().contains(fragment)` did
//! fragment by fragment: one Aho-Corasick automaton reports all of them,
//! overlapping, in one scan of the record. A rule names a fragment with
//! [`frag!`](crate::frag), checked against [`FRAGMENTS`] when compiling.

use std::sync::OnceLock;

use aho_corasick::automaton::{Automaton, StateID};
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

/// The bit of `fragment` in [`Clues`].
///
/// # Panics
///
/// When `fragment` is not in [`FRAGMENTS`]; [`frag!`](crate::frag) and the
/// tables of [`super::os`] call it in `const` context, where that is a
/// compile error, never a panic at run time.
pub const fn bit(fragment: &str) -> u128 {
    let mut i = 0;
    while i < FRAGMENTS.len() {
        if crate::evidence::text::str_eq(FRAGMENTS[i], fragment) {
            return 1 << i;
        }
        i += 1;
    }
    panic!("not in clues::FRAGMENTS")
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
        let Some(anchors) = anchors() else {
            return Clues(0);
        };
        let mut bits = 0u128;
        anchors.scan(text.as_bytes(), &mut bits);
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

/// Fragments are found by their first [`ANCHOR_LEN`] bytes (their
/// anchor), then compared whole where an anchor ends.
const ANCHOR_LEN: usize = 8;

/// Streams walked side by side over one text: the automaton's next state
/// waits on the table load before it, so one stream per text would leave
/// the core idle between loads.
const STREAMS: usize = 4;
const _: () = assert!(STREAMS == 4, "Anchors::scan walks four streams");

/// The anchors of [`FRAGMENTS`] in one DFA, and which fragments each
/// anchor starts.
#[derive(Debug)]
struct Anchors {
    dfa: DFA,
    start: StateID,
    /// By anchor: its length and the fragments it starts.
    fragments: Vec<(usize, Vec<usize>)>,
}

fn anchors() -> Option<&'static Anchors> {
    static ANCHORS: OnceLock<Option<Anchors>> = OnceLock::new();
    ANCHORS.get_or_init(Anchors::build).as_ref()
}

impl Anchors {
    fn build() -> Option<Self> {
        let mut list: Vec<&str> = Vec::new();
        let mut fragments: Vec<(usize, Vec<usize>)> = Vec::new();
        for (i, f) in FRAGMENTS.iter().enumerate() {
            let anchor = f.get(..f.len().min(ANCHOR_LEN))?;
            match list.iter().position(|a| *a == anchor) {
                Some(k) => fragments[k].1.push(i),
                None => {
                    list.push(anchor);
                    fragments.push((anchor.len(), vec![i]));
                }
            }
        }
        let dfa = DFA::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .start_kind(StartKind::Unanchored)
            .prefilter(false)
            .build(&list)
            .ok()?;
        let start = dfa.start_state(Anchored::No).ok()?;
        Some(Anchors {
            dfa,
            start,
            fragments,
        })
    }

    /// Sets the bit of every fragment in `text`: [`STREAMS`] stretches of
    /// equal length, each overlapping the next by an anchor less one
    /// byte, so every anchor lies whole in one of them.
    fn scan(&self, text: &[u8], bits: &mut u128) {
        let n = text.len();
        let len = (n + (STREAMS - 1) * (ANCHOR_LEN - 1)).div_ceil(STREAMS);
        if n < 8 * STREAMS || len > n {
            return self.scan_one(text, bits);
        }
        let step = len - (ANCHOR_LEN - 1);
        let start = |j: usize| (j * step).min(n - len);
        let stretch = |j: usize| text.get(start(j)..start(j) + len).unwrap_or_default();
        let (t0, t1, t2, t3) = (stretch(0), stretch(1), stretch(2), stretch(3));
        let dfa = &self.dfa;
        let (mut s0, mut s1, mut s2, mut s3) = (self.start, self.start, self.start, self.start);
        let quads = t0.iter().zip(t1).zip(t2).zip(t3);
        for (i, (((&b0, &b1), &b2), &b3)) in quads.enumerate() {
            s0 = dfa.next_state(Anchored::No, s0, b0);
            s1 = dfa.next_state(Anchored::No, s1, b1);
            s2 = dfa.next_state(Anchored::No, s2, b2);
            s3 = dfa.next_state(Anchored::No, s3, b3);
            if dfa.is_special(s0.min(s1).min(s2).min(s3)) {
                for (j, s) in [s0, s1, s2, s3].into_iter().enumerate() {
                    if dfa.is_special(s) {
                        self.matched(s, text, start(j) + i, bits);
                    }
                }
            }
        }
    }

    /// One stream over all of `text`.
    fn scan_one(&self, text: &[u8], bits: &mut u128) {
        let mut sid = self.start;
        for (at, &b) in text.iter().enumerate() {
            sid = self.dfa.next_state(Anchored::No, sid, b);
            if self.dfa.is_special(sid) {
                self.matched(sid, text, at, bits);
            }
        }
    }

    /// Checks the fragments of the anchors that end at `at` in state `sid`.
    fn matched(&self, sid: StateID, text: &[u8], at: usize, bits: &mut u128) {
        if !self.dfa.is_match(sid) {
            return;
        }
        for m in 0..self.dfa.match_len(sid) {
            let Some((len, frags)) = self
                .fragments
                .get(self.dfa.match_pattern(sid, m).as_usize())
            else {
                continue;
            };
            let Some(start) = (at + 1).checked_sub(*len) else {
                continue;
            };
            for &f in frags {
                let whole = FRAGMENTS[f].as_bytes();
                if *bits >> f & 1 == 0
                    && text
                        .get(start..start + whole.len())
                        .is_some_and(|t| t.eq_ignore_ascii_case(whole))
                {
                    *bits |= 1 << f;
                }
            }
        }
    }
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

    /// Texts of fragments, their halves and other bytes, of every length
    /// around the stretch cuts and the one-stream limit: the scan finds
    /// what `contains` does.
    #[test]
    fn finds_what_contains_finds_at_every_cut() {
        let mut pieces: Vec<&[u8]> = FRAGMENTS.iter().map(|f| f.as_bytes()).collect();
        pieces.extend(FRAGMENTS.iter().map(|f| &f.as_bytes()[..f.len() / 2]));
        pieces.extend([
            &b" "[..],
            b"x",
            b"\xff",
            b"~",
            b"0",
            b"FAIL",
            b"Hr",
            b"\xc3\xa9",
        ]);
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..4000 {
            let mut text = Vec::new();
            let want = (next() % 160) as usize;
            while text.len() < want {
                text.extend_from_slice(pieces[(next() % pieces.len() as u64) as usize]);
            }
            let text = String::from_utf8_lossy(&text).into_owned();
            let lower = text.to_ascii_lowercase();
            let clues = Clues::find(&text);
            for (i, f) in FRAGMENTS.iter().enumerate() {
                assert_eq!(
                    clues.0 >> i & 1 == 1,
                    lower.contains(f),
                    "{f:?} in {text:?}"
                );
            }
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
