//! Reading version text: systeminfo's `OS Version` line, dotted versions,
//! service-pack text, BuildLab/BuildLabEx strings, architecture spellings.

use std::sync::OnceLock;

use regex::Regex;

use super::Arch;

fn re(cell: &'static OnceLock<Regex>, p: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(p).unwrap_or_else(|e| panic!("static regex {p}: {e}")))
}

/// A dotted version `major.minor[.build[.revision]]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dotted {
    /// `6.0` as (6, 0).
    pub nt: (u32, u32),
    /// The build, if present.
    pub build: Option<u32>,
    /// The revision, if present.
    pub revision: Option<u32>,
}

impl Dotted {
    /// The NT version as text (`6.0`).
    pub fn nt_text(&self) -> String {
        format!("{}.{}", self.nt.0, self.nt.1)
    }
}

/// Reads `6.0`, `6.0.6003` or `6.0.6003.20491` at the start of `text`.
pub fn dotted(text: &str) -> Option<Dotted> {
    // Compiling the regex costs more than a whole `check` reads, so ASCII
    // text is read by hand; the regex answers only where Unicode white
    // space or word characters could change the answer.
    match dotted_ascii(text) {
        Ascii::Answer(d) => d,
        Ascii::Unicode => dotted_regex(text),
    }
}

/// The answer of a hand-written reader, or a sign that the text needs the
/// Unicode rules of the regex it stands for.
enum Ascii<T> {
    Answer(T),
    Unicode,
}

/// `^\s*([0-9]{1,2})\.([0-9]{1,2})(?:\.([0-9]{1,5}))?(?:\.([0-9]{1,5}))?\b`
/// for text whose deciding characters are ASCII.
fn dotted_ascii(text: &str) -> Ascii<Option<Dotted>> {
    let b = text.as_bytes();
    let mut i = b
        .iter()
        .take_while(|c| c.is_ascii_whitespace() || **c == 0x0b)
        .count();
    if b.get(i).is_some_and(|c| !c.is_ascii()) {
        return Ascii::Unicode;
    }
    // A run of digits at `at`: its value and end.
    let run = |at: usize| {
        let n = b[at.min(b.len())..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        (at + n, n)
    };
    // After a digit, `\b` holds when no word character follows.
    let boundary = |at: usize| match b.get(at) {
        None => Some(true),
        Some(c) if c.is_ascii() => Some(!(c.is_ascii_alphanumeric() || *c == b'_')),
        Some(_) => None,
    };
    let value = |from: usize, to: usize| text.get(from..to).and_then(|s| s.parse::<u32>().ok());
    let (end1, n1) = run(i);
    if !(1..=2).contains(&n1) || b.get(end1) != Some(&b'.') {
        return Ascii::Answer(None);
    }
    let major = value(i, end1);
    i = end1 + 1;
    let (end2, n2) = run(i);
    if !(1..=2).contains(&n2) {
        return Ascii::Answer(None);
    }
    let minor = value(i, end2);
    let nt = match (major, minor) {
        (Some(a), Some(b)) => (a, b),
        _ => return Ascii::Answer(None),
    };
    // The optional parts, in the order the regex tries them.
    let mut build = None;
    let mut revision = None;
    let mut end = end2;
    if b.get(end2) == Some(&b'.') {
        let (end3, n3) = run(end2 + 1);
        if (1..=5).contains(&n3) {
            let mut taken = false;
            if b.get(end3) == Some(&b'.') {
                let (end4, n4) = run(end3 + 1);
                if (1..=5).contains(&n4) {
                    match boundary(end4) {
                        Some(true) => {
                            build = value(end2 + 1, end3);
                            revision = value(end3 + 1, end4);
                            end = end4;
                            taken = true;
                        }
                        Some(false) => {}
                        None => return Ascii::Unicode,
                    }
                }
            }
            if !taken {
                // `.` is no word character: the build alone always ends
                // on a boundary when a dot follows.
                match boundary(end3) {
                    Some(true) => {
                        build = value(end2 + 1, end3);
                        end = end3;
                    }
                    Some(false) => {}
                    None => return Ascii::Unicode,
                }
            }
        }
    }
    match boundary(end) {
        Some(true) => Ascii::Answer(Some(Dotted {
            nt,
            build,
            revision,
        })),
        Some(false) => Ascii::Answer(None),
        None => Ascii::Unicode,
    }
}

fn dotted_regex(text: &str) -> Option<Dotted> {
    static R: OnceLock<Regex> = OnceLock::new();
    let c = re(
        &R,
        r"^\s*([0-9]{1,2})\.([0-9]{1,2})(?:\.([0-9]{1,5}))?(?:\.([0-9]{1,5}))?\b",
    )
    .captures(text)?;
    let n = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
    Some(Dotted {
        nt: (n(1)?, n(2)?),
        build: n(3),
        revision: n(4),
    })
}

/// systeminfo's `OS Version` value in any language:
/// `6.0.6002 Service Pack 2 Build 6002`, `6.1.7601 Service Pack 1 version 7601`,
/// `6.3.9600 Н/Д построение 9600`. Returns the dotted version and the service
/// pack when the line states one.
pub fn version_line(text: &str) -> Option<(Dotted, Option<u8>)> {
    let d = dotted(text)?;
    Some((d, service_pack(text)))
}

/// The service pack number in `Service Pack 2`, `SP2`, or a bare `2`.
pub fn service_pack(text: &str) -> Option<u8> {
    let t = text.trim();
    if let Ok(n) = t.parse::<u8>() {
        return Some(n);
    }
    if t.is_ascii() {
        service_pack_ascii(t)
    } else {
        // Case-insensitive Unicode matching (`ſ`, the Kelvin sign) is the
        // regex's.
        service_pack_regex(t)
    }
}

/// `(?i)(?:service pack|\bsp)\s*([0-9]{1,2})\b` over ASCII text: the first
/// match from the left.
fn service_pack_ascii(t: &str) -> Option<u8> {
    let b = t.as_bytes();
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let starts = |at: usize, w: &[u8]| {
        b.get(at..at + w.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(w))
    };
    // `\s*([0-9]{1,2})\b` from `at`.
    let number = |at: usize| {
        let at = at
            + b[at..]
                .iter()
                .take_while(|c| c.is_ascii_whitespace() || **c == 0x0b)
                .count();
        let n = b[at..].iter().take_while(|c| c.is_ascii_digit()).count();
        if !(1..=2).contains(&n) || b.get(at + n).is_some_and(|c| word(*c)) {
            return None;
        }
        t.get(at..at + n)?.parse::<u8>().ok()
    };
    (0..b.len()).find_map(|i| {
        if starts(i, b"service pack") {
            if let Some(n) = number(i + 12) {
                return Some(n);
            }
        }
        if starts(i, b"sp") && (i == 0 || !word(b[i - 1])) {
            return number(i + 2);
        }
        None
    })
}

fn service_pack_regex(t: &str) -> Option<u8> {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, r"(?i)(?:service pack|\bsp)\s*([0-9]{1,2})\b")
        .captures(t)
        .and_then(|c| c[1].parse().ok())
}

/// A parsed BuildLab or BuildLabEx string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildLab {
    /// The build.
    pub build: u32,
    /// The revision (BuildLabEx only).
    pub revision: Option<u32>,
    /// The architecture (BuildLabEx only).
    pub arch: Option<Arch>,
    /// The branch name (`vistasp2_ldr_escrow`).
    pub branch_name: String,
    /// Compile time as `YYYY-MM-DDTHH:MM`.
    pub compiled: Option<String>,
}

/// Reads `6003.20491.amd64fre.vistasp2_ldr_escrow.190320-1700` or
/// `6002.vistasp2_gdr.120305-0430`.
pub fn build_lab(text: &str) -> Option<BuildLab> {
    static EX: OnceLock<Regex> = OnceLock::new();
    static LAB: OnceLock<Regex> = OnceLock::new();
    let t = text.trim();
    let (build, revision, arch, branch, stamp) = if let Some(c) = re(
        &EX,
        r"(?i)^([0-9]{4,5})\.([0-9]{1,5})\.(x86|amd64|ia64|arm64|arm)(?:fre|chk)\.([a-z0-9_]+)\.([0-9]{6}-[0-9]{4})",
    )
    .captures(t)
    {
        let arch = match c[3].to_ascii_lowercase().as_str() {
            "x86" => Some(Arch::X86),
            "amd64" => Some(Arch::X64),
            "ia64" => Some(Arch::Ia64),
            _ => None,
        };
        (c[1].parse().ok()?, c[2].parse().ok(), arch, c[4].to_owned(), c[5].to_owned())
    } else {
        let c = re(&LAB, r"(?i)^([0-9]{4,5})\.([a-z][a-z0-9_]*)\.([0-9]{6}-[0-9]{4})").captures(t)?;
        (c[1].parse().ok()?, None, None, c[2].to_owned(), c[3].to_owned())
    };
    Some(BuildLab {
        build,
        revision,
        arch,
        branch_name: branch.to_ascii_lowercase(),
        compiled: compile_date(&stamp),
    })
}

/// `190320-1700` → `2019-03-20T17:00`.
fn compile_date(stamp: &str) -> Option<String> {
    let (d, t) = stamp.split_once('-')?;
    let n = |s: &str| s.parse::<u32>().ok();
    let (yy, mm, dd) = (n(&d[0..2])?, n(&d[2..4])?, n(&d[4..6])?);
    let (hh, mi) = (n(&t[0..2])?, n(&t[2..4])?);
    if !(1..=12).contains(&mm) || !(1..=31).contains(&dd) || hh > 23 || mi > 59 {
        return None;
    }
    // Build labs of NT 6.0 and later are all from this century.
    Some(format!("{:04}-{mm:02}-{dd:02}T{hh:02}:{mi:02}", 2000 + yy))
}

/// The branch a build-lab branch name says (`vistasp2_gdr` → gdr).
pub fn branch_of_lab(name: &str) -> Option<&'static str> {
    let n = name.to_ascii_lowercase();
    if n.contains("_ldr") {
        Some("ldr")
    } else if n.contains("_gdr") {
        Some("gdr")
    } else {
        None
    }
}

/// Reads an architecture spelling: `x64-based PC`, `X86-based PC`,
/// `Itanium (TM) -based System`, `AMD64`, `x86`, `IA64`, `<X64>`. Returns
/// `None` for `64-bit` (x64 or Itanium: see [`is_64bit`]) and for anything
/// else: the architecture is never guessed.
pub fn arch(text: &str) -> Option<Arch> {
    let t = text.trim().trim_matches(['<', '>']).to_ascii_lowercase();
    if t.starts_with("x64") || t.starts_with("amd64") || t == "em64t" {
        Some(Arch::X64)
    } else if t.starts_with("x86")
        || t == "i386"
        || t.starts_with("32-bit")
        || t.starts_with("32 bit")
    {
        Some(Arch::X86)
    } else if t.starts_with("ia64") || t.starts_with("itanium") {
        Some(Arch::Ia64)
    } else {
        None
    }
}

/// Whether an architecture spelling only says "64-bit" (`OSArchitecture`).
pub fn is_64bit(text: &str) -> bool {
    let t = text.trim().to_ascii_lowercase();
    t.starts_with("64-bit")
        || t.starts_with("64 bit")
        || t.starts_with("64 бит")
        || t.starts_with("64 位")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Text built from the characters the readers decide on: digits, dots,
    /// the letters of "service pack", white space (ASCII, vertical tab, and
    /// Unicode), word characters beyond ASCII.
    fn versionish() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::strategy::Strategy;
        proptest::collection::vec(
            proptest::sample::select(vec![
                "0",
                "1",
                "2",
                "6",
                "9",
                ".",
                ".",
                " ",
                "\t",
                "\u{b}",
                "\u{a0}",
                "_",
                "a",
                "é",
                "S",
                "s",
                "P",
                "p",
                "ervice",
                "ack",
                "ſ",
                "service pack",
                "SP",
                "6.0.",
                "6002",
                "-",
                "/",
            ]),
            0..12,
        )
        .prop_map(|parts| parts.concat())
    }

    proptest::proptest! {
        #[test]
        fn dotted_by_hand_agrees_with_the_regex(text in versionish()) {
            let by_hand = match dotted_ascii(&text) {
                Ascii::Answer(d) => d,
                Ascii::Unicode => dotted_regex(&text),
            };
            proptest::prop_assert_eq!(by_hand, dotted_regex(&text), "{:?}", text);
        }

        #[test]
        fn service_pack_by_hand_agrees_with_the_regex(text in versionish()) {
            let t = text.trim();
            if t.is_ascii() {
                proptest::prop_assert_eq!(service_pack_ascii(t), service_pack_regex(t), "{:?}", t);
            }
        }
    }

    #[test]
    fn hand_readers_agree_on_tricky_text() {
        for text in [
            "6.0.6002 Service Pack 2 Build 6002",
            "  6.0.6003.20491",
            "6.0.6003.204917",
            "6.0.600312",
            "6.0.6002a",
            "6.0.6002.1234a",
            "6.123",
            "16.10.1",
            "6.0.",
            "6.0_",
            "6.0.6002\u{e9}",
            "\u{a0}6.0.6002",
            "\u{b}6.0",
            "6.0.6002.18005.1",
        ] {
            let by_hand = match dotted_ascii(text) {
                Ascii::Answer(d) => d,
                Ascii::Unicode => dotted_regex(text),
            };
            assert_eq!(by_hand, dotted_regex(text), "{text:?}");
            assert_eq!(dotted(text), dotted_regex(text), "{text:?}");
        }
        for text in [
            "Service Pack 2",
            "SERVICE PACK 12",
            "service pack 123",
            "xsp2 sp3",
            "SP 2",
            "Service Pack2x SP1",
            "_sp2",
            "sp",
            "Service Pack \u{b}2",
            "Windows Server 2008 SP2",
        ] {
            assert_eq!(
                service_pack_ascii(text),
                service_pack_regex(text),
                "{text:?}"
            );
        }
    }

    #[test]
    fn version_lines_in_any_language() {
        let (d, sp) = version_line("6.0.6002 Service Pack 2 Build 6002").unwrap();
        assert_eq!((d.nt, d.build, sp), ((6, 0), Some(6002), Some(2)));
        let (d, sp) = version_line("6.3.9600 Н/Д построение 9600").unwrap();
        assert_eq!((d.build, sp), (Some(9600), None));
        assert_eq!(
            version_line("6.1.7601 Service Pack 1 version 7601")
                .unwrap()
                .1,
            Some(1)
        );
    }

    #[test]
    fn build_labs() {
        let b = build_lab("6003.20491.amd64fre.vistasp2_ldr_escrow.190320-1700").unwrap();
        assert_eq!(b.build, 6003);
        assert_eq!(b.revision, Some(20491));
        assert_eq!(b.arch, Some(Arch::X64));
        assert_eq!(b.compiled.as_deref(), Some("2019-03-20T17:00"));
        assert_eq!(branch_of_lab(&b.branch_name), Some("ldr"));
        let b = build_lab("6002.vistasp2_gdr.120305-0430").unwrap();
        assert_eq!((b.build, b.revision), (6002, None));
        assert!(build_lab("6002.vistasp2_gdr.129905-0430")
            .unwrap()
            .compiled
            .is_none());
    }

    #[test]
    fn architectures_are_never_guessed() {
        assert_eq!(arch("x64-based PC"), Some(Arch::X64));
        assert_eq!(arch("X86-based PC"), Some(Arch::X86));
        assert_eq!(arch("Itanium (TM) -based System"), Some(Arch::Ia64));
        assert_eq!(arch("<X64>"), Some(Arch::X64));
        assert_eq!(arch("64-bit"), None);
        assert!(is_64bit("64-bit"));
        assert_eq!(arch("Multiprocessor Free"), None);
    }
}
