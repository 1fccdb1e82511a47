//! Feed parsers: each reads one kind of document into a [`FeedDocument`].
//!
//! [`detect`] recognises a feed from its content (never its name) and
//! [`read`] reads it:
//!
//! * [`wesng`]: wesng's `definitions.zip` and its CSV members, streamed;
//! * [`cvrf_xml`] and [`cvrf_json`]: an MSRC CVRF 1.1 month document, in its
//!   XML and JSON forms (both read into the model of [`cvrf`]);
//! * [`csaf`]: a CSAF 2.0 document (MSRC publishes one per CVE);
//! * [`kev`]: CISA's Known Exploited Vulnerabilities catalog, JSON or CSV.
//!
//! Every parser keeps only NT 6.0 products (see
//! [`Product::parse`](super::Product::parse)), never panics on any bytes, and
//! reports a broken document as a [`FeedError`] naming the file and, where it
//! can, the line and column.
//!
//! ```
//! use lastrollup::advisory::{feed, FeedKind};
//! let csv = b"cveID,vendorProject,product,vulnerabilityName,dateAdded,shortDescription,requiredAction,dueDate,knownRansomwareCampaignUse,notes,cwes\n\
//! CVE-2017-0144,Microsoft,Windows,SMBv1,2022-02-10,x,y,2022-08-10,Known,,\n";
//! assert_eq!(feed::detect(csv), Some(FeedKind::KevCsv));
//! let doc = feed::read("kev.csv", csv, &mut |_, _| {}).unwrap();
//! assert_eq!(doc.kev.len(), 1);
//! assert!(doc.kev[0].ransomware);
//! ```

pub mod csaf;
pub mod cvrf;
pub mod cvrf_json;
pub mod cvrf_xml;
pub mod kev;
pub mod wesng;

use std::fmt;

use jiff::civil::Date;
use memchr::memmem;

use super::{FeedDocument, FeedKind};

/// The largest feed file read (wesng's `definitions.zip` is 4 MB, a CVRF
/// month 4 MB, the KEV catalog 1.5 MB).
pub const MAX_FEED_BYTES: u64 = 256 * 1024 * 1024;

/// The largest uncompressed CSV member of a wesng zip (the real `CVEs_*.csv`
/// is 135 MB); a larger one is refused as a likely zip bomb.
pub const MAX_MEMBER_BYTES: u64 = 1024 * 1024 * 1024;

/// The most records or KEV entries one document may yield (the whole wesng
/// file yields about 57,000 NT 6.0 records).
pub const MAX_RECORDS: usize = 2_000_000;

/// How many examples of unusable rows a [`FeedDocument`] keeps.
pub const MAX_EXAMPLES: usize = 10;

/// Why a feed could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FeedError {
    /// The content is none of the supported feed kinds.
    #[error("{file}: unrecognised feed: {reason}")]
    Unrecognised {
        /// The file's name.
        file: String,
        /// What was looked for and not found.
        reason: String,
    },
    /// The kind was recognised but the content is broken.
    #[error("{file}{loc}: malformed {kind}: {message}", loc = Location(*.line, *.column), kind = .kind.as_str())]
    Malformed {
        /// The file's name.
        file: String,
        /// The kind the content was read as.
        kind: FeedKind,
        /// 1-based line of the fault, where known.
        line: Option<u64>,
        /// 1-based column (in bytes) of the fault, where known.
        column: Option<u64>,
        /// What is wrong.
        message: String,
    },
    /// The file, a member of it, or what it yields is over a limit.
    #[error("{file}: too large: {what} is {size}, more than the limit of {limit}")]
    TooLarge {
        /// The file's name.
        file: String,
        /// What is too large (`the file`, `member CVEs_20260628.csv`, ...).
        what: String,
        /// Its size (bytes, or records).
        size: u64,
        /// The limit.
        limit: u64,
    },
}

/// `:line:column`, `:line` or nothing.
struct Location(Option<u64>, Option<u64>);

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.0, self.1) {
            (Some(l), Some(c)) => write!(f, ":{l}:{c}"),
            (Some(l), None) => write!(f, ":{l}"),
            _ => Ok(()),
        }
    }
}

impl FeedError {
    /// A [`FeedError::Malformed`] without a position.
    pub(crate) fn malformed(file: &str, kind: FeedKind, message: impl Into<String>) -> FeedError {
        FeedError::Malformed {
            file: file.to_string(),
            kind,
            line: None,
            column: None,
            message: message.into(),
        }
    }

    /// A [`FeedError::Malformed`] at a byte offset of `bytes`.
    pub(crate) fn malformed_at(
        file: &str,
        kind: FeedKind,
        bytes: &[u8],
        offset: usize,
        message: impl Into<String>,
    ) -> FeedError {
        let (line, column) = line_column(bytes, offset);
        FeedError::Malformed {
            file: file.to_string(),
            kind,
            line: Some(line),
            column: Some(column),
            message: message.into(),
        }
    }

    /// The 1-based line of the fault, where known.
    pub fn line(&self) -> Option<u64> {
        match self {
            FeedError::Malformed { line, .. } => *line,
            _ => None,
        }
    }
}

/// The 1-based line and column (in bytes) of a byte offset.
pub(crate) fn line_column(bytes: &[u8], offset: usize) -> (u64, u64) {
    let offset = offset.min(bytes.len());
    let before = &bytes[..offset];
    let line = memchr::memchr_iter(b'\n', before).count() as u64 + 1;
    let start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
    (line, (offset - start) as u64 + 1)
}

/// Recognises a feed from its content; `None` when it is none of the
/// supported kinds.
pub fn detect(bytes: &[u8]) -> Option<FeedKind> {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return Some(FeedKind::WesngZip);
    }
    let body = skip_bom_and_space(bytes);
    let head = &body[..body.len().min(1 << 20)];
    match body.first()? {
        b'<' => {
            let start = &head[..head.len().min(8192)];
            memmem::find(start, b"cvrfdoc").map(|_| FeedKind::CvrfXml)
        }
        b'{' => {
            let has = |key: &[u8]| memmem::find(head, key).is_some();
            if json_not_a_feed(head).is_some() {
                None
            } else if has(b"\"csaf_version\"") {
                Some(FeedKind::Csaf)
            } else if has(b"\"catalogVersion\"") || has(b"\"cveID\"") {
                Some(FeedKind::KevJson)
            } else if has(b"\"DocumentTracking\"")
                || has(b"\"ProductTree\"")
                || has(b"\"DocumentTitle\"")
                || has(b"\"Vulnerability\"")
            {
                Some(FeedKind::CvrfJson)
            } else {
                None
            }
        }
        _ => {
            // A CSV: the first line that is not a comment is the header.
            let mut rest = body;
            loop {
                let end = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
                let line = &rest[..end];
                if line.first() == Some(&b'#') && end < rest.len() {
                    rest = &rest[end + 1..];
                    continue;
                }
                let header: Vec<u8> = line.iter().copied().filter(|b| *b != b'"').collect();
                if header.starts_with(b"DatePosted,CVE,BulletinKB") {
                    return Some(FeedKind::WesngCsv);
                }
                if header.starts_with(b"cveID,vendorProject") {
                    return Some(FeedKind::KevCsv);
                }
                return None;
            }
        }
    }
}

/// Reads one feed file, detecting its kind from its content. `progress` is
/// called now and then with (bytes done, bytes total) of the input.
pub fn read(
    name: &str,
    bytes: &[u8],
    progress: &mut dyn FnMut(u64, u64),
) -> Result<FeedDocument, FeedError> {
    check_size(name, bytes)?;
    let Some(kind) = detect(bytes) else {
        return Err(FeedError::Unrecognised {
            file: name.to_string(),
            reason: unrecognised_reason(bytes),
        });
    };
    read_as(kind, name, bytes, progress)
}

/// Reads one feed file as the given kind (for callers that know it, and the
/// fuzz targets).
pub fn read_as(
    kind: FeedKind,
    name: &str,
    bytes: &[u8],
    progress: &mut dyn FnMut(u64, u64),
) -> Result<FeedDocument, FeedError> {
    check_size(name, bytes)?;
    let total = bytes.len() as u64;
    progress(0, total);
    let doc = match kind {
        FeedKind::WesngZip => wesng::read_zip(name, bytes, progress),
        FeedKind::WesngCsv => wesng::read_csv(name, bytes, progress),
        FeedKind::CvrfXml => cvrf_xml::read(name, bytes, progress),
        FeedKind::CvrfJson => cvrf_json::read(name, bytes),
        FeedKind::Csaf => csaf::read(name, bytes),
        FeedKind::KevJson => kev::read_json(name, bytes),
        FeedKind::KevCsv => kev::read_csv(name, bytes),
    }?;
    progress(total, total);
    Ok(doc)
}

fn check_size(name: &str, bytes: &[u8]) -> Result<(), FeedError> {
    let size = bytes.len() as u64;
    if size > MAX_FEED_BYTES {
        return Err(FeedError::TooLarge {
            file: name.to_string(),
            what: "the file".to_string(),
            size,
            limit: MAX_FEED_BYTES,
        });
    }
    Ok(())
}

fn unrecognised_reason(bytes: &[u8]) -> String {
    let body = skip_bom_and_space(bytes);
    match body.first() {
        None => "the file is empty".to_string(),
        Some(b'<') => "XML, but not an MSRC CVRF document (no cvrfdoc root)".to_string(),
        Some(b'{') => json_not_a_feed(&body[..body.len().min(1 << 20)])
            .unwrap_or("JSON, but none of MSRC CVRF, CSAF 2.0 or the CISA KEV catalog")
            .to_string(),
        Some(_) => "expected a wesng definitions.zip or CSV, an MSRC CVRF document (XML or JSON), a CSAF 2.0 document, or the CISA KEV catalog (JSON or CSV)".to_string(),
    }
}

/// JSON files that sit next to feeds and name their keys without being
/// one: a JSON Schema (CISA publishes one beside the KEV catalog, and its
/// `properties` name every KEV key) and the MSRC API's index of CVRF
/// documents. Returns why the file is not a feed.
fn json_not_a_feed(head: &[u8]) -> Option<&'static str> {
    let start = &head[..head.len().min(4096)];
    let has = |key: &[u8]| memmem::find(start, key).is_some();
    if has(b"\"$schema\"") && has(b"json-schema.org") {
        return Some(
            "a JSON Schema, which describes a feed but holds no entries; import the feed itself",
        );
    }
    if has(b"\"@odata.context\"") && has(b"\"CvrfUrl\"") {
        return Some("the MSRC API's index of CVRF documents, which names months but holds no vulnerabilities; import the month documents themselves (e.g. 2026-Jan.xml)");
    }
    None
}

fn skip_bom_and_space(bytes: &[u8]) -> &[u8] {
    let b = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    &b[start..]
}

/// Reads a date at the start of `s`: `2022-05-10`, `2022-05-10T08:00:00Z`,
/// or `20220510`.
pub(crate) fn parse_date(s: &str) -> Option<Date> {
    let s = s.trim();
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let part = b.get(r)?;
        if part.is_empty() || !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(part).ok()?.parse().ok()
    };
    let (y, m, d) = if b.get(4) == Some(&b'-') && b.get(7) == Some(&b'-') {
        if b.len() > 10 && b[10].is_ascii_digit() {
            return None;
        }
        (num(0..4)?, num(5..7)?, num(8..10)?)
    } else if b.len() == 8 {
        (num(0..4)?, num(4..6)?, num(6..8)?)
    } else {
        return None;
    };
    Date::new(
        i16::try_from(y).ok()?,
        i8::try_from(m).ok()?,
        i8::try_from(d).ok()?,
    )
    .ok()
}

/// Reads a KB number: `5014010`, `KB5014010`, ` kb5014010 `.
pub(crate) fn parse_kb(s: &str) -> Option<u32> {
    let s = s.trim();
    let s = s
        .strip_prefix("KB")
        .or_else(|| s.strip_prefix("kb"))
        .or_else(|| s.strip_prefix("Kb"))
        .unwrap_or(s)
        .trim();
    if s.is_empty() || s.len() > 9 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok().filter(|n| *n > 0)
}

/// Finds a KB number inside free text: a whole value (`5014010`), or the
/// first `KB` followed by digits (`Security Update KB5014010`, a catalog URL
/// ending `?q=KB5014010`).
pub(crate) fn find_kb(s: &str) -> Option<u32> {
    if let Some(kb) = parse_kb(s) {
        return Some(kb);
    }
    let b = s.as_bytes();
    let mut i = 0;
    while i + 2 < b.len() {
        if b[i].eq_ignore_ascii_case(&b'k') && b[i + 1].eq_ignore_ascii_case(&b'b') {
            let start = i + 2;
            let end = b[start..]
                .iter()
                .position(|c| !c.is_ascii_digit())
                .map_or(b.len(), |p| start + p);
            if end > start {
                if let Some(kb) = s.get(start..end).and_then(parse_kb) {
                    return Some(kb);
                }
            }
            i = end.max(i + 1);
        } else {
            i += 1;
        }
    }
    None
}

/// Title case for an impact (`Remote code execution` →
/// `Remote Code Execution`), keeping short joining words lower case
/// (`Denial of Service`). Empty → `None`.
pub(crate) fn impact_title_case(s: &str) -> Option<String> {
    const SMALL: [&str; 9] = ["of", "in", "on", "and", "or", "the", "for", "to", "a"];
    let mut out = String::with_capacity(s.len());
    for (i, word) in s.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let lower = word.to_lowercase();
        if i > 0 && SMALL.contains(&lower.as_str()) {
            out.push_str(&lower);
        } else {
            let mut chars = lower.chars();
            if let Some(first) = chars.next() {
                out.extend(first.to_uppercase());
                out.push_str(chars.as_str());
            }
        }
    }
    (!out.is_empty()).then_some(out)
}

/// Normalises a CVE (or advisory) id: trimmed, upper case. `None` when it
/// is empty or the literal `CVE` (a header repeated as data).
pub(crate) fn normalise_cve(s: &str) -> Option<String> {
    let id = s.trim().to_ascii_uppercase();
    if id.is_empty() || id == "CVE" {
        None
    } else {
        Some(id)
    }
}

/// Notes an unusable row in `doc`, keeping the first [`MAX_EXAMPLES`]
/// reasons.
pub(crate) fn note_unusable(doc: &mut FeedDocument, example: impl FnOnce() -> String) {
    doc.rows_unusable += 1;
    if doc.unusable_examples.len() < MAX_EXAMPLES {
        doc.unusable_examples.push(example());
    }
}

/// Refuses a document that yields more than [`MAX_RECORDS`].
pub(crate) fn check_records(name: &str, count: usize) -> Result<(), FeedError> {
    if count > MAX_RECORDS {
        return Err(FeedError::TooLarge {
            file: name.to_string(),
            what: "the number of records".to_string(),
            size: count as u64,
            limit: MAX_RECORDS as u64,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(parse_date("20220510"), Some(jiff::civil::date(2022, 5, 10)));
        assert_eq!(
            parse_date("2022-05-10T08:00:00"),
            Some(jiff::civil::date(2022, 5, 10))
        );
        assert_eq!(
            parse_date("2025-08-25T17:04:19.9796Z"),
            Some(jiff::civil::date(2025, 8, 25))
        );
        assert_eq!(parse_date("2022-13-10"), None);
        assert_eq!(parse_date("2022-05-100"), None);
        assert_eq!(parse_date("2022051"), None);
        assert_eq!(parse_date("２０２２0510"), None);
        assert_eq!(parse_date(""), None);
    }

    #[test]
    fn kbs() {
        assert_eq!(parse_kb("KB5014010"), Some(5014010));
        assert_eq!(parse_kb(" 5014010 "), Some(5014010));
        assert_eq!(parse_kb("None"), None);
        assert_eq!(parse_kb("99999999999"), None);
        assert_eq!(parse_kb("0"), None);
        assert_eq!(find_kb("Security Update KB5120999"), Some(5120999));
        assert_eq!(
            find_kb("https://catalog.update.microsoft.com/v7/site/Search.aspx?q=KB5014010"),
            Some(5014010)
        );
        assert_eq!(find_kb("kb"), None);
        assert_eq!(find_kb("CBL-Mariner Releases"), None);
    }

    #[test]
    fn impacts() {
        assert_eq!(
            impact_title_case("Remote code execution").as_deref(),
            Some("Remote Code Execution")
        );
        assert_eq!(
            impact_title_case("denial of service").as_deref(),
            Some("Denial of Service")
        );
        assert_eq!(
            impact_title_case("Defense in Depth").as_deref(),
            Some("Defense in Depth")
        );
        assert_eq!(impact_title_case("  "), None);
    }

    #[test]
    fn positions() {
        assert_eq!(line_column(b"ab\ncd\nef", 0), (1, 1));
        assert_eq!(line_column(b"ab\ncd\nef", 4), (2, 2));
        assert_eq!(line_column(b"ab\ncd\nef", 99), (3, 3));
    }

    #[test]
    fn detection() {
        assert_eq!(detect(b""), None);
        assert_eq!(detect(b"PK\x03\x04rest"), Some(FeedKind::WesngZip));
        assert_eq!(
            detect(b"\xEF\xBB\xBF\"DatePosted\",\"CVE\",\"BulletinKB\",\"Title\"\r\n"),
            Some(FeedKind::WesngCsv)
        );
        assert_eq!(
            detect(b"# comment\n\"DatePosted\",\"CVE\",\"BulletinKB\"\n"),
            Some(FeedKind::WesngCsv)
        );
        assert_eq!(
            detect(b"<?xml version=\"1.0\"?>\n<cvrf:cvrfdoc xmlns:cvrf=\"x\">"),
            Some(FeedKind::CvrfXml)
        );
        assert_eq!(detect(b"<html>"), None);
        assert_eq!(
            detect(b"{\"document\": {\"csaf_version\": \"2.0\"}}"),
            Some(FeedKind::Csaf)
        );
        assert_eq!(
            detect(b"{\"catalogVersion\": \"1\"}"),
            Some(FeedKind::KevJson)
        );
        assert_eq!(
            detect(b"{\"DocumentTitle\": {\"Value\": \"x\"}}"),
            Some(FeedKind::CvrfJson)
        );
        assert_eq!(detect(b"{\"a\": 1}"), None);
        assert_eq!(detect(b"hello"), None);
    }

    #[test]
    fn schemas_and_indexes_are_not_feeds() {
        // CISA's schema names every KEV key; importing it as the catalog
        // would replace the real one with nothing.
        let schema = b"{\"$schema\": \"http://json-schema.org/draft-07/schema#\",\n\"properties\": {\"catalogVersion\": {}, \"vulnerabilities\": {}}}";
        assert_eq!(detect(schema), None);
        let e = read(
            "known_exploited_vulnerabilities_schema.json",
            schema,
            &mut |_, _| {},
        )
        .unwrap_err();
        assert!(e.to_string().contains("a JSON Schema"), "{e}");
        let index = b"{\"@odata.context\":\"https://api.msrc.microsoft.com/$metadata#Updates\",\"value\":[{\"ID\":\"2026-Jan\",\"DocumentTitle\":\"January 2026 Security Updates\",\"CvrfUrl\":\"https://x\"}]}";
        assert_eq!(detect(index), None);
        let e = read("updates-index.json", index, &mut |_, _| {}).unwrap_err();
        assert!(e.to_string().contains("index of CVRF documents"), "{e}");
        // Recognised by a key, but without the array that makes it a feed.
        let e = read("k.json", b"{\"catalogVersion\": \"1\"}", &mut |_, _| {}).unwrap_err();
        assert!(e.to_string().contains("no `vulnerabilities` array"), "{e}");
        let e = read(
            "c.json",
            b"{\"DocumentTitle\": {\"Value\": \"x\"}}",
            &mut |_, _| {},
        )
        .unwrap_err();
        assert!(e.to_string().contains("not a CVRF document"), "{e}");
    }

    #[test]
    fn error_display() {
        let e = FeedError::Malformed {
            file: "2022-May.xml".into(),
            kind: FeedKind::CvrfXml,
            line: Some(1234),
            column: Some(5),
            message: "unexpected end".into(),
        };
        assert_eq!(
            e.to_string(),
            "2022-May.xml:1234:5: malformed MSRC CVRF XML: unexpected end"
        );
        let e = FeedError::malformed("a.zip", FeedKind::WesngZip, "no CSV member");
        assert_eq!(
            e.to_string(),
            "a.zip: malformed wesng definitions.zip: no CSV member"
        );
        let e = read("x.bin", b"hello", &mut |_, _| {}).unwrap_err();
        assert!(e.to_string().starts_with("x.bin: unrecognised feed: "));
    }
}
