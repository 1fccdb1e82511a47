//! Which Windows a log comes from, from version fingerprints in its lines.

use serde::Serialize;

use super::clues::{self, Clues};

/// A Windows family a fingerprint points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum OsFamily {
    /// Windows XP / Server 2003 (NT 5.x).
    Nt5,
    /// Vista / Server 2008 (NT 6.0).
    Nt60,
    /// Windows 7 / Server 2008 R2 (NT 6.1).
    Nt61,
    /// Windows 8 / 8.1 / Server 2012 (R2).
    Nt62,
    /// Windows 10 / 11 / Server 2016 and later.
    Nt10,
}

impl OsFamily {
    /// How people call it.
    pub fn label(self) -> &'static str {
        match self {
            OsFamily::Nt5 => "Windows XP / Server 2003 (NT 5.x)",
            OsFamily::Nt60 => "Windows Vista / Server 2008 (NT 6.0)",
            OsFamily::Nt61 => "Windows 7 / Server 2008 R2 (NT 6.1)",
            OsFamily::Nt62 => "Windows 8 / Server 2012 (NT 6.2 / 6.3)",
            OsFamily::Nt10 => "Windows 10 / Server 2016 or later",
        }
    }
}

/// Fingerprints, lower case: (text, family).
const FINGERPRINTS: &[(&str, OsFamily)] = &[
    ("~~6.0.", OsFamily::Nt60),
    ("windows6.0-", OsFamily::Nt60),
    ("6.0.6001.", OsFamily::Nt60),
    ("6.0.6002.", OsFamily::Nt60),
    ("6.0.6003.", OsFamily::Nt60),
    ("binary version 6.0.", OsFamily::Nt60),
    ("windows vista", OsFamily::Nt60),
    ("~~6.1.", OsFamily::Nt61),
    ("windows6.1-", OsFamily::Nt61),
    ("6.1.7600.", OsFamily::Nt61),
    ("6.1.7601.", OsFamily::Nt61),
    ("7.5.7601.", OsFamily::Nt61),
    ("\\win7", OsFamily::Nt61),
    ("binary version 6.1.", OsFamily::Nt61),
    ("~~6.2.", OsFamily::Nt62),
    ("~~6.3.", OsFamily::Nt62),
    ("6.2.9200.", OsFamily::Nt62),
    ("6.3.9600.", OsFamily::Nt62),
    ("windows8-", OsFamily::Nt62),
    ("windows8.1-", OsFamily::Nt62),
    ("windowsblue-", OsFamily::Nt62),
    ("~~10.0.", OsFamily::Nt10),
    ("v10.0.", OsFamily::Nt10),
    ("windows10.0-", OsFamily::Nt10),
    ("windowsxp-", OsFamily::Nt5),
    ("windowsserver2003-", OsFamily::Nt5),
    ("5.1.2600.", OsFamily::Nt5),
    ("5.2.3790.", OsFamily::Nt5),
    (
        "\\windows\\softwaredistribution\\download\\s-1-5-18",
        OsFamily::Nt5,
    ),
];

/// The [`Clues`] bit of each of [`FINGERPRINTS`], in its order.
const FINGERPRINT_BITS: [u128; FINGERPRINTS.len()] = {
    let mut bits = [0; FINGERPRINTS.len()];
    let mut i = 0;
    while i < FINGERPRINTS.len() {
        bits[i] = clues::bit(FINGERPRINTS[i].0);
        i += 1;
    }
    bits
};

/// The [`Clues`] bits of every fingerprint.
const FINGERPRINT_MASK: u128 = {
    let mut m = 0;
    let mut i = 0;
    while i < FINGERPRINT_BITS.len() {
        m |= FINGERPRINT_BITS[i];
        i += 1;
    }
    m
};

/// Fingerprint counts of one file.
#[derive(Debug, Clone, Default)]
pub struct OsScan {
    hits: Vec<(OsFamily, u64, u64)>,
}

impl OsScan {
    /// Looks for fingerprints on line `line`.
    pub fn scan(&mut self, line: u64, text: &str) {
        self.scan_with(line, text, Clues::find(text));
    }

    /// [`OsScan::scan`] with the text's [`Clues`] already found: the first
    /// fingerprint in the list order the text holds counts, when the
    /// text has a digit or a `v`.
    pub fn scan_with(&mut self, line: u64, text: &str, clues: Clues) {
        if !clues.any(FINGERPRINT_MASK)
            || !text
                .bytes()
                .any(|b| b.is_ascii_digit() || b == b'v' || b == b'V')
        {
            return;
        }
        let Some(family) = FINGERPRINTS
            .iter()
            .zip(FINGERPRINT_BITS)
            .find(|(_, bit)| clues.has(*bit))
            .map(|((_, family), _)| *family)
        else {
            return;
        };
        match self.hits.iter_mut().find(|(f, _, _)| *f == family) {
            Some(h) => h.2 += 1,
            None => self.hits.push((family, line, 1)),
        }
    }

    /// Adds the counts of the lines after this scan's, `offset` lines on
    /// (`later`'s line numbers count from the first line after them).
    pub fn absorb(&mut self, later: OsScan, offset: u64) {
        for (family, line, n) in later.hits {
            match self.hits.iter_mut().find(|(f, _, _)| *f == family) {
                Some(h) => h.2 += n,
                None => self.hits.push((family, line + offset, n)),
            }
        }
    }

    /// The family with most fingerprints (ties: NT 6.0 first), and the
    /// line of its first one.
    pub fn verdict(&self) -> Option<(OsFamily, u64)> {
        self.hits
            .iter()
            .max_by_key(|(f, _, n)| (*n, *f == OsFamily::Nt60))
            .map(|(f, line, _)| (*f, *line))
    }
}

/// What the logs say about the Windows they come from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OsReading {
    /// `nt60`, `not-nt60` or `unknown`.
    pub verdict: &'static str,
    /// The family found, as people call it.
    pub family: Option<&'static str>,
    /// The first line of the file that says so.
    pub line: Option<u64>,
}
