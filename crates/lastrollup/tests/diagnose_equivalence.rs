//! The rules' one-scan fast path ([`diagnose::clues`]) against the code
//! it replaced: the regular expression first look, the marker `RegexSet`,
//! `to_ascii_lowercase` + `contains` for context words and OS
//! fingerprints, the `char` tokeniser. `reference` below is that code as
//! it was on `main` (`3c55ad4`), unchanged but for the catalog lookups; the
//! property tests feed both the same generated records.

use lastrollup::catalog::Catalog;
use lastrollup::diagnose::clues::FRAGMENTS;
use lastrollup::diagnose::os::{OsFamily, OsScan};
use lastrollup::diagnose::rules::{self, Level, Record};
use proptest::prelude::*;

#[allow(clippy::all, clippy::pedantic, dead_code)]
mod reference {
    use std::sync::OnceLock;

    use lastrollup::catalog::Catalog;
    use lastrollup::diagnose::os::OsFamily;
    use lastrollup::diagnose::rules::{self, Level, Record};
    use lastrollup::diagnose::Signal;

    /// The signal, code and KB of one record; `None` when it says nothing
    /// about a failure.
    pub fn classify(rec: &Record<'_>, catalog: &Catalog) -> Option<(Signal, Option<u32>)> {
        if rec.level == Level::Info && !may_matter(rec.text) {
            return None;
        }
        let lower = rec.text.to_ascii_lowercase();
        let code = line_code(rec.text, catalog);
        let cause = code.and_then(|c| rules::code_cause(catalog, c).1);
        let markers = Markers::find(&lower);
        let signal =
            specific(&markers, rec, cause).or_else(|| by_code(&lower, rec, code, catalog))?;
        Some((signal, code))
    }

    /// A fast first look at an informational record (most of a CBS.log): one
    /// scan for any fragment a rule or a code needs. Records without one say
    /// nothing about a failure.
    fn may_matter(text: &str) -> bool {
        static SET: OnceLock<Option<regex::bytes::Regex>> = OnceLock::new();
        let set = SET.get_or_init(|| {
            regex::bytes::Regex::new(concat!(
                "(?i)fail|error|fatal|warning|esu:|pending (?:transaction|operations)|catroot|catdb|",
                "corrupt|not enough space|insufficient disk space|disk is full|does not apply|",
                "not applicable|already installed|requires servicing stack|modules installer|",
                "no parents|\\(f\\)|status_sxs|over-removing|0x[08c]|hr ?[=:]? ?[0-9a-f]{8}|",
                "signature|did not verify|missingfilesystemresource|reboot|shutdown|selfupdate|",
                "self-update|2359302|(?:^|[^0-9])-?2[0-9]{9}(?:[^0-9]|$)",
            ))
            .ok()
        });
        set.as_ref().is_none_or(|re| re.is_match(text.as_bytes()))
    }

    /// The fixed phrases the rules look for (lower case).
    const MARKERS: &[&str] = &[
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
    ];

    /// Which [`MARKERS`] a record has, found in one scan.
    struct Markers(Option<regex::SetMatches>);

    impl Markers {
        fn find(lower: &str) -> Self {
            static SET: OnceLock<Option<regex::RegexSet>> = OnceLock::new();
            let set = SET.get_or_init(|| {
                regex::RegexSet::new(MARKERS.iter().map(|m| regex::escape(m))).ok()
            });
            Markers(set.as_ref().map(|s| s.matches(lower)))
        }

        fn has(&self, marker: &str) -> bool {
            let i = MARKERS.iter().position(|m| *m == marker);
            debug_assert!(i.is_some(), "{marker:?} is not in MARKERS");
            match (&self.0, i) {
                (Some(hits), Some(i)) => hits.matched(i),
                _ => false,
            }
        }
    }

    /// Markers that say what happened whatever the code.
    fn specific(markers: &Markers, rec: &Record<'_>, code_cause: Option<&str>) -> Option<Signal> {
        let has = |s: &str| markers.has(s);
        if has("esu:") {
            if has("no esu key") || has("not activated") {
                return Some(Signal::EsuNotLicensed);
            }
            if has("not eligible") || has("checks failed") {
                return Some(Signal::EsuNotEligible);
            }
            return None;
        }
        if has("requires servicing stack") || has("modules installer must be updated") {
            return Some(Signal::StackTooOld);
        }
        if has("no parents for sp package")
            || has("must be installed or scheduled for installation")
        {
            return Some(Signal::NoParent);
        }
        if has("pending transaction content must be resolved")
            || has("because of pending operations")
        {
            return Some(Signal::PendingOperations);
        }
        if (has("catroot2") || has("catdb"))
            && (has("-614") || has("rollback") || has("rejected") || rec.level == Level::Error)
        {
            return Some(Signal::CatrootDatabase);
        }
        // A CSI failure whose code names another cause (`(F) 80092004`) is
        // that cause, not corruption.
        let elsewhere = code_cause.is_some_and(|id| id != "store-corruption");
        if !elsewhere && is_store_marker(markers, rec) {
            return Some(Signal::StoreCorrupt);
        }
        if has("not enough space") || has("insufficient disk space") || has("disk is full") {
            return Some(Signal::DiskFull);
        }
        if has("does not apply to your") || has("not applicable to your") {
            return Some(Signal::NotApplicable);
        }
        if has("failed to reboot") || (has("initiatesystemshutdown") && has("failed")) {
            return Some(Signal::RebootFailed);
        }
        if has("failed to filter search results") {
            return Some(Signal::ScanCancelled);
        }
        if has("no signature") || has("signature of the object did not verify") {
            return Some(Signal::Signature);
        }
        None
    }

    /// CSI failure records and the servicing stack's corruption markers.
    fn is_store_marker(markers: &Markers, rec: &Record<'_>) -> bool {
        let has = |s: &str| markers.has(s);
        has("mark store corruption")
            || has("store corruption flag")
            || has("missingfilesystemresource")
            || has("failed to verify manifest against catalog")
            || has("component store corrupt")
            || (rec.component == Some("CSI") && rec.level == Level::Error && has("(f)"))
            || has("status_sxs_")
            || has("over-removing a tlc")
    }

    /// A record whose meaning comes from its code (and the catalog's
    /// `diagnose` field), or a failure worded as such.
    fn by_code(
        lower: &str,
        rec: &Record<'_>,
        code: Option<u32>,
        catalog: &Catalog,
    ) -> Option<Signal> {
        let code = code?;
        let id = rules::code_cause(catalog, code).1;
        let failing = is_failure_context(lower, rec);
        match id {
            Some("not-applicable") => Some(Signal::NotApplicable),
            Some("already-installed") => Some(Signal::AlreadyInstalled),
            Some("pending-reboot") => Some(Signal::PendingOperations),
            Some("missing-ssu") => Some(Signal::StackTooOld),
            Some("missing-prerequisite") => Some(Signal::NoParent),
            Some("disk-space") => Some(Signal::DiskFull),
            Some("scan-loop") => Some(Signal::ScanCancelled),
            _ if !failing => None,
            Some("wsus-server") => Some(Signal::WsusProtocol),
            Some("network-proxy") => Some(Signal::Network),
            Some("missing-sha2") if is_network(lower, rec) => Some(Signal::Network),
            Some("missing-sha2") => Some(Signal::Signature),
            // CBS logs many lookups of absent files at Info level.
            Some("store-corruption") if rec.level == Level::Info && code == 0x8007_0002 => None,
            _ if lower.contains("selfupdate") || lower.contains("self-update") => {
                Some(Signal::SelfUpdateFailed)
            }
            _ if rec.component == Some("PT") => Some(Signal::WsusProtocol),
            // A warning with a code nothing names is routine agent chatter
            // (`WARNING: … hr = 8024400D`), not a failure, unless it is the
            // result of the run.
            _ if rec.level == Level::Warning && !lower.contains("exit code") => None,
            _ if code >= 0x8000_0000 => Some(Signal::Failure),
            _ if id.is_some() => Some(Signal::Failure),
            _ => None,
        }
    }

    fn is_network(lower: &str, rec: &Record<'_>) -> bool {
        lower.contains("winhttp")
            || lower.contains("send failed")
            || lower.contains("sendrequest")
            || lower.contains("http")
            || rec.component == Some("Misc") && lower.contains("proxy")
    }

    /// Whether the record reports a failure (rather than quoting a code).
    fn is_failure_context(lower: &str, rec: &Record<'_>) -> bool {
        if matches!(rec.level, Level::Error | Level::Warning) {
            return true;
        }
        [
            "fail",
            "error",
            "fatal",
            "returned",
            "exit code",
            "errorlevel",
            "could not",
            "status:",
        ]
        .iter()
        .any(|w| lower.contains(w))
            || rec.level == Level::Unstated && is_bare_number(lower)
    }

    fn is_bare_number(s: &str) -> bool {
        let t = s.trim().trim_start_matches('-');
        !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit())
    }

    /// Every error code written on the line, in order.
    pub fn codes(text: &str, catalog: &Catalog) -> Vec<u32> {
        let mut out = Vec::new();
        let mut previous = "";
        for token in text.split(|c: char| c.is_whitespace() || ",;'\"=()[]<>".contains(c)) {
            // `[gle=0x80004005]` is the thread's last error, not the status.
            if !previous.ends_with("gle") {
                if let Some(code) = token_code(token, catalog) {
                    out.push(code);
                }
            }
            if !token.is_empty() {
                previous = token;
            }
        }
        if let Some(code) = win32_wrapper(text) {
            out.push(code);
        }
        out
    }

    /// The code that matters on a line: the first failure HRESULT or code
    /// the catalog knows a cause for.
    pub fn line_code(text: &str, catalog: &Catalog) -> Option<u32> {
        let all = codes(text, catalog);
        let known = |c: u32| rules::code_cause(catalog, c).1.is_some();
        all.iter()
            .copied()
            .find(|&c| known(c))
            .or_else(|| all.iter().copied().find(|&c| c >= 0x8000_0000))
    }

    fn token_code(token: &str, catalog: &Catalog) -> Option<u32> {
        let t = token.trim_matches(|c: char| ".:!*{}".contains(c));
        if let Some(hex) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
            let v = u32::from_str_radix(hex, 16).ok()?;
            return (v >= 0x10000).then_some(v);
        }
        if t.len() == 8
            && t.bytes().all(|b| b.is_ascii_hexdigit())
            && t.bytes().any(|b| b.is_ascii_digit())
            && matches!(t.as_bytes()[0], b'8' | b'c' | b'C')
        {
            return u32::from_str_radix(t, 16).ok();
        }
        decimal_code(t, catalog)
    }

    /// `-2145124329`, `2149842967` (any failure HRESULT) or a decimal the
    /// catalog lists as an alias (`2359302`).
    fn decimal_code(t: &str, catalog: &Catalog) -> Option<u32> {
        let digits = t.strip_prefix('-').unwrap_or(t);
        if digits.len() < 7 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let v: i64 = t.parse().ok()?;
        let as_u32 = if v < 0 {
            u32::try_from(v + (1i64 << 32)).ok()?
        } else {
            u32::try_from(v).ok()?
        };
        if as_u32 >= 0x8000_0000
            || catalog
                .errors
                .iter()
                .any(|e| e.aliases.iter().any(|a| a == t))
        {
            return Some(as_u32);
        }
        None
    }

    /// `HRESULT_FROM_WIN32(1605)` → 0x80070645.
    fn win32_wrapper(text: &str) -> Option<u32> {
        let start = text.find("HRESULT_FROM_WIN32(")? + "HRESULT_FROM_WIN32(".len();
        let rest = text.get(start..)?;
        let end = rest.find(')')?;
        let n: u32 = rest.get(..end)?.trim().parse().ok()?;
        (n > 0 && n < 0x10000).then_some(0x8007_0000 | n)
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

    /// Fingerprint counts of one file.
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct OsScan {
        hits: Vec<(OsFamily, u64, u64)>,
    }

    impl OsScan {
        /// Looks for fingerprints on line `line`.
        pub fn scan(&mut self, line: u64, text: &str) {
            if !text
                .bytes()
                .any(|b| b.is_ascii_digit() || b == b'v' || b == b'V')
            {
                return;
            }
            let lower = text.to_ascii_lowercase();
            for (print, family) in FINGERPRINTS {
                if lower.contains(print) {
                    match self.hits.iter_mut().find(|(f, _, _)| f == family) {
                        Some(h) => h.2 += 1,
                        None => self.hits.push((*family, line, 1)),
                    }
                    return;
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
}

/// `cbs::parse_line` as it was: split with `char::is_whitespace`.
fn reference_parse_line(text: &str) -> Option<(&str, &str, &str, &str)> {
    if !lastrollup::diagnose::record::starts_with_date(text) || text.len() < 21 {
        return None;
    }
    let time = text.get(..19)?;
    let rest = text.get(19..)?.strip_prefix(',')?.trim_start();
    let (level, rest) = rest.split_once(char::is_whitespace)?;
    if !matches!(level, "Info" | "Warning" | "Error" | "Perf") {
        return None;
    }
    let rest = rest.trim_start();
    let (component, message) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    Some((time, level, component, message.trim_start()))
}

fn catalog() -> &'static Catalog {
    Catalog::embedded()
}

/// Pieces records are made of: every fragment in several cases, codes in
/// their spellings, Unicode that folds onto ASCII (`ſ`, `K`), white space
/// that is not ASCII, and plain words.
fn piece() -> impl Strategy<Value = String> {
    let frags: Vec<String> = FRAGMENTS.iter().map(|s| (*s).to_owned()).collect();
    let upper: Vec<String> = FRAGMENTS.iter().map(|s| s.to_ascii_uppercase()).collect();
    prop_oneof![
        4 => proptest::sample::select(frags),
        1 => proptest::sample::select(upper),
        2 => proptest::sample::select(vec![
            "0x80070002", "0x800f0823", "hr = 80072efe", "hr:0x80070bc9", "HR=8024400d",
            "-2145124329", "2149842967", "2359302", "2564643148", "12564643148", "-2564643148",
            "HRESULT_FROM_WIN32(1605)", "[gle=0x80004005]", "(F) 80092004", "80092004",
            "0x0000008f8e79df60", "c0000005", "8024400D", "0x1", "KB4474419", "Package_for_KB978601~31bf",
            "eſu:", "faiL", "\u{212a}B4474419", "disk is fuLL", "hr\u{a0}80072efe", "\u{a0}", "\u{2003}",
            "\u{85}", "\u{b}", "\u{c}", "\u{1c}", "é", "~~6.0.6002.18005", "windowsblue-", "windowsxp-",
            "WER: Generating failure report for package:", "status: 0x80240017", "exit code",
            "Exec: Processing complete", "selfupdate", "Misc", "proxy", ".msu", "=", ",", ";", "(", ")",
        ].into_iter().map(str::to_owned).collect::<Vec<_>>()),
        3 => "[ -~]{0,12}",
        1 => "[0-9]{1,11}",
        1 => "\\PC{0,4}",
    ]
}

fn record_text() -> impl Strategy<Value = String> {
    proptest::collection::vec((piece(), "[ ,:=_.-]{0,2}"), 0..8)
        .prop_map(|v| v.into_iter().map(|(p, s)| p + &s).collect())
}

fn level() -> impl Strategy<Value = Level> {
    proptest::sample::select(vec![
        Level::Info,
        Level::Warning,
        Level::Error,
        Level::Unstated,
    ])
}

fn component() -> impl Strategy<Value = Option<&'static str>> {
    proptest::sample::select(vec![
        None,
        Some("CBS"),
        Some("CSI"),
        Some("PT"),
        Some("Misc"),
    ])
}

fn same_as_reference(text: &str, level: Level, component: Option<&str>) {
    let rec = Record {
        text,
        component,
        level,
    };
    assert_eq!(
        rules::classify(&rec, catalog()),
        reference::classify(&rec, catalog()),
        "{text:?} {level:?} {component:?}"
    );
    let (mut new, mut old) = (OsScan::default(), reference::OsScan::default());
    new.scan(7, text);
    old.scan(7, text);
    assert_eq!(new.verdict(), old.verdict(), "{text:?}");
    assert_eq!(
        rules::codes(text, catalog()),
        reference::codes(text, catalog()),
        "{text:?}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(20_000))]

    #[test]
    fn cbs_lines_split_as_before(
        level in "(Info|Warning|Error|Perf|Inf|)",
        pads in proptest::collection::vec("[ \t\u{b}\u{c}\u{85}\u{a0}\u{2003}\u{1c}]{0,3}", 4),
        component in "[A-Za-z\u{e9}]{0,4}",
        text in record_text(),
    ) {
        let line = format!(
            "2011-04-20 03:05:41,{}{level}{}{component}{}{text}{}",
            pads[0], pads[1], pads[2], pads[3]
        );
        let new = lastrollup::diagnose::cbs::parse_line(&line)
            .map(|p| (p.time, p.level, p.component, p.message));
        prop_assert_eq!(new, reference_parse_line(&line));
    }

    #[test]
    fn classify_and_os_scan_match_the_old_code(
        text in record_text(), level in level(), component in component()
    ) {
        same_as_reference(&text, level, component);
    }
}

#[test]
fn every_fragment_alone_and_in_context() {
    for f in FRAGMENTS {
        for text in [
            (*f).to_owned(),
            f.to_ascii_uppercase(),
            format!("Failed x {f} 0x80070002"),
            format!("{f} 2564643148 hr = 80072efe"),
        ] {
            for level in [Level::Info, Level::Warning, Level::Error, Level::Unstated] {
                for component in [None, Some("CBS"), Some("CSI"), Some("PT"), Some("Misc")] {
                    same_as_reference(&text, level, component);
                }
            }
        }
    }
}

#[test]
fn os_family_of_each_fingerprint() {
    let mut scan = OsScan::default();
    scan.scan(1, "Package_for_KB4541506~31bf3856ad364e35~amd64~~6.0.1.5");
    assert_eq!(scan.verdict(), Some((OsFamily::Nt60, 1)));
}
