//! What one log record means: error codes, KB numbers and the [`Signal`]
//! of a line, shared by every reader.
//!
//! The rules key on what the servicing stack, the Windows Update Agent,
//! wusa and the event log write when something fails (see
//! docs/diagnose.md and ../shared/facts/update-failures.md), not on any one
//! file: markers such as `Pending transaction content must be resolved`,
//! `ESU: … Not Eligible`, `requires Servicing Stack`, CSI `(F)` records, and
//! the error code in every way it is written (`0x800f0823`, `hr = 80072efe`,
//! `HRESULT_FROM_WIN32(1605)`, signed and unsigned decimals).

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;

use crate::catalog::Catalog;
use crate::evidence::text::find_non_ascii;
use crate::frag;

use super::clues::Clues;
use super::model::Signal;

/// How severe the writer said the record is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Informational (CBS `Info`, most WindowsUpdate.log lines).
    Info,
    /// A warning (`Warning`, `WARNING:`).
    Warning,
    /// An error (`Error`, `FATAL:`, `!!!`, event level Error).
    Error,
    /// The format has no level (pasted text, exit codes, dialogs).
    Unstated,
}

/// One record as a reader hands it to the rules.
#[derive(Debug, Clone, Copy)]
pub struct Record<'a> {
    /// The message text.
    pub text: &'a str,
    /// The writer (`CBS`, `CSI`, `PT` …), if known.
    pub component: Option<&'a str>,
    /// The level.
    pub level: Level,
}

/// The error catalog by code, for the rules: whether a code is known and
/// the cause id its `diagnose` field names; decimal aliases by text.
#[derive(Debug, Default)]
struct CodeIndex {
    catalog: usize,
    by_code: HashMap<u32, Option<&'static str>>,
    aliases: HashMap<String, u32>,
}

impl CodeIndex {
    fn build(catalog: &Catalog) -> Self {
        let mut idx = CodeIndex {
            catalog: std::ptr::from_ref(catalog) as usize,
            ..CodeIndex::default()
        };
        for e in &catalog.errors {
            let Some(code) = crate::catalog::errors::parse_code(&e.code) else {
                continue;
            };
            let id = e
                .diagnose
                .as_deref()
                .and_then(|d| super::cause::doc(d).map(|doc| doc.id.as_str()));
            idx.by_code.insert(code, id);
            for a in &e.aliases {
                idx.aliases.insert(a.clone(), code);
            }
        }
        idx
    }
}

thread_local! {
    static INDEX: RefCell<CodeIndex> = RefCell::new(CodeIndex::default());
}

fn with_index<T>(catalog: &Catalog, f: impl FnOnce(&CodeIndex) -> T) -> T {
    INDEX.with(|cell| {
        let mut idx = cell.borrow_mut();
        if idx.catalog != std::ptr::from_ref(catalog) as usize {
            *idx = CodeIndex::build(catalog);
        }
        f(&idx)
    })
}

/// Whether the catalog knows `code`, and the cause id its `diagnose`
/// field names.
pub fn code_cause(catalog: &Catalog, code: u32) -> (bool, Option<&'static str>) {
    with_index(catalog, |idx| match idx.by_code.get(&code) {
        Some(id) => (true, *id),
        None => (false, None),
    })
}

/// The signal, code and KB of one record; `None` when it says nothing
/// about a failure.
pub fn classify(rec: &Record<'_>, catalog: &Catalog) -> Option<(Signal, Option<u32>)> {
    classify_with(rec, Clues::find(rec.text), catalog)
}

/// [`classify`] with the record's [`Clues`] already found.
pub fn classify_with(
    rec: &Record<'_>,
    clues: Clues,
    catalog: &Catalog,
) -> Option<(Signal, Option<u32>)> {
    if rec.level == Level::Info && !may_matter(rec.text, clues) {
        return None;
    }
    let code = line_code(rec.text, catalog);
    let cause = code.and_then(|c| code_cause(catalog, c).1);
    let signal = specific(clues, rec, cause).or_else(|| by_code(clues, rec, code, catalog))?;
    Some((signal, code))
}

/// The fragments of [`MAY_MATTER`] that are plain text.
const MAY_MATTER_FRAGMENTS: u128 = frag!("fail")
    | frag!("error")
    | frag!("fatal")
    | frag!("warning")
    | frag!("esu:")
    | frag!("pending transaction")
    | frag!("pending operations")
    | frag!("catroot")
    | frag!("catdb")
    | frag!("corrupt")
    | frag!("not enough space")
    | frag!("insufficient disk space")
    | frag!("disk is full")
    | frag!("does not apply")
    | frag!("not applicable")
    | frag!("already installed")
    | frag!("requires servicing stack")
    | frag!("modules installer")
    | frag!("no parents")
    | frag!("(f)")
    | frag!("status_sxs")
    | frag!("over-removing")
    | frag!("0x0")
    | frag!("0x8")
    | frag!("0xc")
    | frag!("signature")
    | frag!("did not verify")
    | frag!("missingfilesystemresource")
    | frag!("reboot")
    | frag!("shutdown")
    | frag!("selfupdate")
    | frag!("self-update")
    | frag!("2359302");

/// The first look at an informational record, as one regular expression:
/// any fragment a rule or a code needs.
pub const MAY_MATTER: &str = concat!(
    "(?i)fail|error|fatal|warning|esu:|pending (?:transaction|operations)|catroot|catdb|",
    "corrupt|not enough space|insufficient disk space|disk is full|does not apply|",
    "not applicable|already installed|requires servicing stack|modules installer|",
    "no parents|\\(f\\)|status_sxs|over-removing|0x[08c]|hr ?[=:]? ?[0-9a-f]{8}|",
    "signature|did not verify|missingfilesystemresource|reboot|shutdown|selfupdate|",
    "self-update|2359302|(?:^|[^0-9])-?2[0-9]{9}(?:[^0-9]|$)",
);

/// A fast first look at an informational record (most of a CBS.log):
/// whether it has any fragment a rule or a code needs ([`MAY_MATTER`]).
/// Records without one say nothing about a failure.
///
/// ASCII text is answered from its [`Clues`] and two byte scans (the
/// `hr` form and ten-digit decimals); other text by the expression, whose
/// case folding is Unicode's (`ſ` matches `s`).
fn may_matter(text: &str, clues: Clues) -> bool {
    if find_non_ascii(text.as_bytes()).is_some() {
        return may_matter_regex(text);
    }
    clues.any(MAY_MATTER_FRAGMENTS)
        || clues.has(frag!("hr")) && has_hr_code(text.as_bytes())
        || has_ten_digit_two(text.as_bytes())
}

fn may_matter_regex(text: &str) -> bool {
    static RE: OnceLock<Option<regex::bytes::Regex>> = OnceLock::new();
    let re = RE.get_or_init(|| regex::bytes::Regex::new(MAY_MATTER).ok());
    re.as_ref().is_none_or(|re| re.is_match(text.as_bytes()))
}

/// `hr ?[=:]? ?[0-9a-f]{8}`, ASCII case-insensitive, anywhere.
fn has_hr_code(b: &[u8]) -> bool {
    memchr::memchr2_iter(b'h', b'H', b).any(|i| {
        let Some(rest) = b.get(i + 1..) else {
            return false;
        };
        let Some(rest) = rest.strip_prefix(b"r").or_else(|| rest.strip_prefix(b"R")) else {
            return false;
        };
        let rest = rest.strip_prefix(b" ").unwrap_or(rest);
        let rest = rest
            .strip_prefix(b"=")
            .or_else(|| rest.strip_prefix(b":"))
            .unwrap_or(rest);
        let rest = rest.strip_prefix(b" ").unwrap_or(rest);
        rest.len() >= 8 && rest[..8].iter().all(u8::is_ascii_hexdigit)
    })
}

/// A run of exactly ten ASCII digits starting with `2`: what
/// `(?:^|[^0-9])-?2[0-9]{9}(?:[^0-9]|$)` matches.
///
/// Only every tenth byte is looked at: a run of ten digits holds exactly
/// one of them, so a text without a digit there (most records) is
/// answered in a tenth of its length; the run around a digit found is
/// then measured whole.
fn has_ten_digit_two(b: &[u8]) -> bool {
    const RUN: usize = 10;
    let mut probe = RUN - 1;
    while let Some(&c) = b.get(probe) {
        if !c.is_ascii_digit() {
            probe += RUN;
            continue;
        }
        let before = b.get(..probe).unwrap_or_default();
        let start = before
            .iter()
            .rposition(|c| !c.is_ascii_digit())
            .map_or(0, |i| i + 1);
        let after = b.get(probe..).unwrap_or_default();
        let end = probe + after.iter().take_while(|c| c.is_ascii_digit()).count();
        if end - start == RUN && b.get(start) == Some(&b'2') {
            return true;
        }
        // The first probe at or past the run's end.
        probe = end / RUN * RUN + RUN - 1;
    }
    false
}

/// Markers that say what happened whatever the code.
fn specific(clues: Clues, rec: &Record<'_>, code_cause: Option<&str>) -> Option<Signal> {
    if clues.has(frag!("esu:")) {
        if clues.any(frag!("no esu key") | frag!("not activated")) {
            return Some(Signal::EsuNotLicensed);
        }
        if clues.any(frag!("not eligible") | frag!("checks failed")) {
            return Some(Signal::EsuNotEligible);
        }
        return None;
    }
    if clues.any(frag!("requires servicing stack") | frag!("modules installer must be updated")) {
        return Some(Signal::StackTooOld);
    }
    if clues.any(
        frag!("no parents for sp package")
            | frag!("must be installed or scheduled for installation"),
    ) {
        return Some(Signal::NoParent);
    }
    if clues.any(
        frag!("pending transaction content must be resolved")
            | frag!("because of pending operations"),
    ) {
        return Some(Signal::PendingOperations);
    }
    if clues.any(frag!("catroot2") | frag!("catdb"))
        && (clues.any(frag!("-614") | frag!("rollback") | frag!("rejected"))
            || rec.level == Level::Error)
    {
        return Some(Signal::CatrootDatabase);
    }
    // A CSI failure whose code names another cause (`(F) 80092004`) is
    // that cause, not corruption.
    let elsewhere = code_cause.is_some_and(|id| id != "store-corruption");
    if !elsewhere && is_store_marker(clues, rec) {
        return Some(Signal::StoreCorrupt);
    }
    later_markers(clues)
}

/// The markers [`specific`] looks at after store corruption.
fn later_markers(clues: Clues) -> Option<Signal> {
    if clues
        .any(frag!("not enough space") | frag!("insufficient disk space") | frag!("disk is full"))
    {
        return Some(Signal::DiskFull);
    }
    if clues.any(frag!("does not apply to your") | frag!("not applicable to your")) {
        return Some(Signal::NotApplicable);
    }
    if clues.has(frag!("failed to reboot"))
        || clues.has(frag!("initiatesystemshutdown") | frag!("failed"))
    {
        return Some(Signal::RebootFailed);
    }
    if clues.has(frag!("failed to filter search results")) {
        return Some(Signal::ScanCancelled);
    }
    if clues.any(frag!("no signature") | frag!("signature of the object did not verify")) {
        return Some(Signal::Signature);
    }
    None
}

/// CSI failure records and the servicing stack's corruption markers.
fn is_store_marker(clues: Clues, rec: &Record<'_>) -> bool {
    clues.any(
        frag!("mark store corruption")
            | frag!("store corruption flag")
            | frag!("missingfilesystemresource")
            | frag!("failed to verify manifest against catalog")
            | frag!("component store corrupt"),
    ) || (rec.component == Some("CSI") && rec.level == Level::Error && clues.has(frag!("(f)")))
        || clues.any(frag!("status_sxs_") | frag!("over-removing a tlc"))
}

/// A record whose meaning comes from its code (and the catalog's
/// `diagnose` field), or a failure worded as such.
fn by_code(clues: Clues, rec: &Record<'_>, code: Option<u32>, catalog: &Catalog) -> Option<Signal> {
    let code = code?;
    let id = code_cause(catalog, code).1;
    let failing = is_failure_context(clues, rec);
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
        Some("missing-sha2") if is_network(clues, rec) => Some(Signal::Network),
        Some("missing-sha2") => Some(Signal::Signature),
        // CBS logs many lookups of absent files at Info level.
        Some("store-corruption") if rec.level == Level::Info && code == 0x8007_0002 => None,
        _ if clues.any(frag!("selfupdate") | frag!("self-update")) => {
            Some(Signal::SelfUpdateFailed)
        }
        _ if rec.component == Some("PT") => Some(Signal::WsusProtocol),
        // A warning with a code nothing names is routine agent chatter
        // (`WARNING: … hr = 8024400D`), not a failure, unless it is the
        // result of the run.
        _ if rec.level == Level::Warning && !clues.has(frag!("exit code")) => None,
        _ if code >= 0x8000_0000 => Some(Signal::Failure),
        _ if id.is_some() => Some(Signal::Failure),
        _ => None,
    }
}

fn is_network(clues: Clues, rec: &Record<'_>) -> bool {
    clues.any(frag!("winhttp") | frag!("send failed") | frag!("sendrequest") | frag!("http"))
        || rec.component == Some("Misc") && clues.has(frag!("proxy"))
}

/// Whether the record reports a failure (rather than quoting a code).
fn is_failure_context(clues: Clues, rec: &Record<'_>) -> bool {
    if matches!(rec.level, Level::Error | Level::Warning) {
        return true;
    }
    clues.any(
        frag!("fail")
            | frag!("error")
            | frag!("fatal")
            | frag!("returned")
            | frag!("exit code")
            | frag!("errorlevel")
            | frag!("could not")
            | frag!("status:"),
    ) || rec.level == Level::Unstated && is_bare_number(rec.text)
}

fn is_bare_number(s: &str) -> bool {
    let t = s.trim().trim_start_matches('-');
    !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit())
}

/// Every error code written on the line, in order.
pub fn codes<'a>(text: &'a str, catalog: &Catalog) -> Vec<u32> {
    let mut out = Vec::new();
    // Every spelling of a code has a digit.
    if !text.bytes().any(|b| b.is_ascii_digit()) {
        return out;
    }
    if text.is_ascii() {
        ascii_codes(text, catalog, &mut out);
    } else {
        let mut previous = "";
        text.split(is_separator).for_each(|token: &'a str| {
            // The shortest code is seven characters (`0x10000`, `2359302`),
            // every one with a digit;
            // `[gle=0x80004005]` is the thread's last error, not the status.
            if token.len() >= 7
                && token.bytes().any(|b| b.is_ascii_digit())
                && !previous.ends_with("gle")
            {
                out.extend(token_code(token, catalog));
            }
            if !token.is_empty() {
                previous = token;
            }
        });
    }
    if let Some(code) = win32_wrapper(text) {
        out.push(code);
    }
    out
}

/// [`codes`] of ASCII text: the same tokens, found from their digits
/// (a token without one holds no code) and split by byte; the token
/// before one is found by looking back from it.
fn ascii_codes(text: &str, catalog: &Catalog, out: &mut Vec<u32>) {
    let bytes = text.as_bytes();
    let separator = |b: u8| ASCII_SEPARATORS.get(usize::from(b)) == Some(&true);
    let mut from = 0;
    while let Some(digit) = bytes
        .get(from..)
        .and_then(|rest| rest.iter().position(u8::is_ascii_digit))
    {
        let digit = from + digit;
        let before = bytes.get(..digit).unwrap_or_default();
        let start = before
            .iter()
            .rposition(|&b| separator(b))
            .map_or(0, |i| i + 1);
        let after = bytes.get(digit..).unwrap_or_default();
        let end = digit
            + after
                .iter()
                .position(|&b| separator(b))
                .unwrap_or(after.len());
        // The token before: back over the separators, then its end.
        let mut previous_end = start;
        while previous_end > 0 && bytes.get(previous_end - 1).is_some_and(|&b| separator(b)) {
            previous_end -= 1;
        }
        let after_gle =
            previous_end >= 3 && bytes.get(previous_end - 3..previous_end) == Some(b"gle");
        let token = text.get(start..end).unwrap_or_default();
        if token.len() >= 7 && !after_gle {
            out.extend(token_code(token, catalog));
        }
        from = end;
    }
}

/// The ASCII separators of [`codes`], by byte: white space and `,;'"=()[]<>`.
const ASCII_SEPARATORS: [bool; 128] = {
    let mut t = [false; 128];
    let list = b",;'\"=()[]<> \t\n\x0b\x0c\r";
    let mut i = 0;
    while i < list.len() {
        t[list[i] as usize] = true;
        i += 1;
    }
    t
};

/// Whether `c` separates the tokens [`codes`] looks at: white space or
/// one of `,;'"=()[]<>`.
fn is_separator(c: char) -> bool {
    match u8::try_from(c) {
        Ok(b) if b < 128 => ASCII_SEPARATORS[usize::from(b)],
        _ => c.is_whitespace(),
    }
}

/// The code that matters on a line: the first failure HRESULT or code
/// the catalog knows a cause for.
pub fn line_code(text: &str, catalog: &Catalog) -> Option<u32> {
    let all = codes(text, catalog);
    let known = |c: u32| code_cause(catalog, c).1.is_some();
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
    if as_u32 >= 0x8000_0000 || with_index(catalog, |idx| idx.aliases.contains_key(t)) {
        return Some(as_u32);
    }
    None
}

/// `HRESULT_FROM_WIN32(1605)` → 0x80070645.
fn win32_wrapper(text: &str) -> Option<u32> {
    static FINDER: OnceLock<memchr::memmem::Finder<'static>> = OnceLock::new();
    let finder = FINDER.get_or_init(|| memchr::memmem::Finder::new("HRESULT_FROM_WIN32("));
    let start = finder.find(text.as_bytes())? + finder.needle().len();
    let rest = text.get(start..)?;
    let end = rest.find(')')?;
    let n: u32 = rest.get(..end)?.trim().parse().ok()?;
    (n > 0 && n < 0x10000).then_some(0x8007_0000 | n)
}

/// The KB number a line names (`KB4474419`, `Package_for_KB978601~…`,
/// `windows6.1-kb3172605-x64.cab`).
pub fn kb(text: &str) -> Option<u32> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i + 2 < bytes.len() {
        if bytes[i].eq_ignore_ascii_case(&b'k') && bytes[i + 1].eq_ignore_ascii_case(&b'b') {
            let before_ok = i == 0 || !bytes[i - 1].is_ascii_alphabetic();
            // `KB4014984`, or `KB 4014984` as wrapped and pasted copies write it.
            let start = i + 2 + usize::from(bytes[i + 2] == b' ');
            let digits = bytes[start..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            let after_ok = bytes
                .get(start + digits)
                .is_none_or(|b| !b.is_ascii_alphanumeric());
            if before_ok && after_ok && (6..=7).contains(&digits) {
                let s = std::str::from_utf8(&bytes[start..start + digits]).ok()?;
                return s.parse().ok();
            }
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cat() -> &'static Catalog {
        Catalog::embedded()
    }

    #[test]
    fn codes_in_every_spelling() {
        assert_eq!(line_code("hr = 80072efe.", cat()), Some(0x8007_2efe));
        assert_eq!(line_code("returned -2145124329", cat()), Some(0x8024_0017));
        assert_eq!(line_code("2359302", cat()), Some(0x0024_0006));
        assert_eq!(
            line_code("Not Eligible:HRESULT_FROM_WIN32(1605)", cat()),
            Some(0x8007_0645)
        );
        assert_eq!(
            line_code("{87F8BCEC-FE1A-47A9-886D-E56112D19E42}", cat()),
            None
        );
        assert_eq!(line_code("3010", cat()), None);
    }

    /// Every text of digits, `2`s, `-` and letters up to 24 bytes long,
    /// sampled: the probing scan says what the expression says.
    #[test]
    fn ten_digit_two_as_the_expression_has_it() {
        let re = regex::bytes::Regex::new("(?:^|[^0-9])-?2[0-9]{9}(?:[^0-9]|$)").unwrap();
        let alphabet = b"2-x17";
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        for n in 0..40_000u64 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = (n % 25) as usize;
            let text: Vec<u8> = (0..len)
                .map(|i| alphabet[((seed >> (2 * i)) % 5) as usize])
                .collect();
            assert_eq!(
                has_ten_digit_two(&text),
                re.is_match(&text),
                "{:?}",
                String::from_utf8_lossy(&text)
            );
        }
        for text in [
            "2564643148",
            "x2564643148",
            "12564643148",
            "a2000000000b 2111111111",
        ] {
            assert_eq!(
                has_ten_digit_two(text.as_bytes()),
                re.is_match(text.as_bytes())
            );
        }
    }

    #[test]
    fn kb_forms() {
        assert_eq!(kb("Package_for_KB978601~31bf"), Some(978_601));
        assert_eq!(kb("windows6.1-kb3172605-x64.cab"), Some(3_172_605));
        assert_eq!(kb("(KB4014984)."), Some(4_014_984));
        assert_eq!(kb("no kb here"), None);
    }

    #[test]
    fn info_noise_is_not_a_failure() {
        let rec = Record {
            text: "Failed to query DisableWerReporting flag. [HRESULT = 0x80070002 - ERROR_FILE_NOT_FOUND]",
            component: Some("CBS"),
            level: Level::Info,
        };
        assert_eq!(classify(&rec, cat()), None);
    }
}
