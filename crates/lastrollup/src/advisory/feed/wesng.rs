//! wesng's definitions: `definitions.zip` and its CSV members.
//!
//! The zip holds `CVEs_YYYYMMDD.csv` (135 MB uncompressed, every MSRC row of
//! every product), `Custom_YYYYMMDD.csv` (hand-made rows, with `#` comment
//! lines) and `Version_X.txt` (the wes.py version the file needs). Each CSV
//! member is streamed: a [`Prefilter`] cuts the decompressed bytes into
//! records (counting quotes, so a quoted line break stays inside its record)
//! and passes on only the header and the records that mention `Windows
//! Server 2008` or `Windows Vista` anywhere (about one in nine); the `csv`
//! crate parses those, reusing one buffer, and a row whose `AffectedProduct`
//! names neither is dropped before anything is allocated; the rest go
//! through [`Product::parse`]. Nothing holds the whole CSV in memory.
//!
//! Per row: the CVE is trimmed and upper-cased (empty or the literal `CVE`:
//! unusable); the KB loses a leading `KB` (empty: `None`; not a number:
//! unusable); `Supersedes` is split on `;` and loses `None` and the row's own
//! KB; the impact is put in title case; `DatePosted` (`YYYYMMDD`) becomes
//! the record date. Rows giving a [`Record`] equal to an earlier one (the
//! upstream file repeats many rows exactly) are dropped and counted in
//! [`FeedDocument::rows_duplicate`].

use std::io::Read;

use memchr::memmem::Finder;
use rustc_hash::{FxHashMap, FxHashSet};

use super::{
    check_records, impact_title_case, normalise_cve, note_unusable, parse_date, parse_kb,
    FeedError, MAX_MEMBER_BYTES,
};
use crate::advisory::{FeedDocument, FeedKind, Product, Record, Severity};

/// The columns of a wesng definitions CSV, in upstream order.
pub const COLUMNS: [&str; 10] = [
    "DatePosted",
    "CVE",
    "BulletinKB",
    "Title",
    "AffectedProduct",
    "AffectedComponent",
    "Severity",
    "Impact",
    "Supersedes",
    "Exploits",
];

/// Reads a wesng `definitions.zip`: every `CVEs_*.csv` and `Custom_*.csv`
/// member, into one document with identity `wesng`.
pub fn read_zip(
    name: &str,
    bytes: &[u8],
    progress: &mut dyn FnMut(u64, u64),
) -> Result<FeedDocument, FeedError> {
    let kind = FeedKind::WesngZip;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| FeedError::malformed(name, kind, format!("not a readable zip: {e}")))?;
    // Classify the members first (names only).
    let mut csvs: Vec<(usize, String)> = Vec::new();
    let mut cves_member: Option<String> = None;
    let mut custom_member: Option<String> = None;
    let mut version: Option<String> = None;
    for i in 0..archive.len() {
        let Some(member) = archive.name_for_index(i) else {
            continue;
        };
        let base = member.rsplit(['/', '\\']).next().unwrap_or(member);
        if base.starts_with("CVEs_") && base.ends_with(".csv") {
            cves_member.get_or_insert_with(|| base.to_string());
            csvs.push((i, base.to_string()));
        } else if base.starts_with("Custom_") && base.ends_with(".csv") {
            custom_member.get_or_insert_with(|| base.to_string());
            csvs.push((i, base.to_string()));
        } else if let Some(v) = base
            .strip_prefix("Version_")
            .and_then(|v| v.strip_suffix(".txt"))
        {
            version = Some(v.to_string());
        }
    }
    if csvs.is_empty() {
        return Err(FeedError::malformed(
            name,
            kind,
            "no CVEs_*.csv or Custom_*.csv member",
        ));
    }
    let mut doc = FeedDocument {
        kind: Some(kind),
        identity: "wesng".to_string(),
        ..FeedDocument::default()
    };
    let mut parts: Vec<String> = Vec::new();
    parts.extend(cves_member.iter().cloned());
    parts.extend(custom_member.iter().cloned());
    doc.version = parts.join(" + ");
    if let Some(v) = &version {
        doc.version.push_str(&format!(" (wes.py >= {v})"));
    }
    doc.released = cves_member
        .as_deref()
        .and_then(|m| m.strip_prefix("CVEs_"))
        .and_then(|m| m.strip_suffix(".csv"))
        .and_then(parse_date);

    let total = bytes.len() as u64;
    let mut state = RowState::default();
    let mut done_compressed = 0u64;
    for (index, member) in csvs {
        let file = archive.by_index(index).map_err(|e| {
            FeedError::malformed(name, kind, format!("member {member}: cannot read it: {e}"))
        })?;
        let size = file.size();
        let compressed = file.compressed_size();
        if size > MAX_MEMBER_BYTES {
            return Err(FeedError::TooLarge {
                file: name.to_string(),
                what: format!("member {member}"),
                size,
                limit: MAX_MEMBER_BYTES,
            });
        }
        // Never read more than the limit, whatever the header claims.
        let reader = Counting {
            inner: file.take(MAX_MEMBER_BYTES + 1),
            read: 0,
            next_report: REPORT_EVERY,
            report: &mut |read: u64| {
                let scaled = if size == 0 {
                    0
                } else {
                    (u128::from(read.min(size)) * u128::from(compressed) / u128::from(size)) as u64
                };
                progress((done_compressed + scaled).min(total), total);
            },
        };
        read_rows(name, kind, Some(&member), reader, &mut doc, &mut state)?;
        done_compressed += compressed;
    }
    Ok(doc)
}

/// Reads one bare wesng CSV (`CVEs_*.csv` or `Custom_*.csv`); its identity is
/// `wesng:` and the file name, so that importing the two members separately
/// keeps both; released is its latest `DatePosted`.
pub fn read_csv(
    name: &str,
    bytes: &[u8],
    progress: &mut dyn FnMut(u64, u64),
) -> Result<FeedDocument, FeedError> {
    let kind = FeedKind::WesngCsv;
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let mut doc = FeedDocument {
        kind: Some(kind),
        identity: format!("wesng:{base}"),
        version: base.to_string(),
        ..FeedDocument::default()
    };
    let total = bytes.len() as u64;
    let mut state = RowState::default();
    let reader = Counting {
        inner: bytes,
        read: 0,
        next_report: REPORT_EVERY,
        report: &mut |read: u64| progress(read.min(total), total),
    };
    read_rows(name, kind, None, reader, &mut doc, &mut state)?;
    doc.released = doc.records.iter().filter_map(|r| r.date).max();
    Ok(doc)
}

const REPORT_EVERY: u64 = 4 << 20;

/// A reader that reports how much has been read every few megabytes.
struct Counting<'a, R> {
    inner: R,
    read: u64,
    next_report: u64,
    report: &'a mut dyn FnMut(u64),
}

impl<R: Read> Read for Counting<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if self.read >= self.next_report {
            self.next_report = self.read + REPORT_EVERY;
            (self.report)(self.read);
        }
        Ok(n)
    }
}

/// What carries over between the members of one zip.
#[derive(Default)]
struct RowState {
    /// Records already kept.
    seen: FxHashSet<Record>,
    /// `AffectedProduct` bytes → parsed product (a few hundred distinct).
    products: FxHashMap<Vec<u8>, Option<Product>>,
}

/// Column indexes, from the header.
struct Columns {
    date: Option<usize>,
    cve: usize,
    kb: usize,
    title: Option<usize>,
    product: usize,
    severity: Option<usize>,
    impact: Option<usize>,
    supersedes: Option<usize>,
}

fn read_rows<R: Read>(
    name: &str,
    kind: FeedKind,
    member: Option<&str>,
    reader: R,
    doc: &mut FeedDocument,
    state: &mut RowState,
) -> Result<(), FeedError> {
    let prefix = member.map(|m| format!("{m}: ")).unwrap_or_default();
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .comment(Some(b'#'))
        // Records end at LF only: with the default terminator a CRLF line's
        // LF is left for the next record, whose position then names the line
        // before it. A CR left at the end of the last field is trimmed.
        .terminator(csv::Terminator::Any(b'\n'))
        .buffer_capacity(1 << 16)
        .from_reader(Prefilter::new(reader));
    let fail = |e: csv::Error, prefix: &str| {
        let line = e.position().map(|p| p.line());
        let message = match e.kind() {
            csv::ErrorKind::Io(io) => format!("{prefix}cannot read it: {io}"),
            _ => format!("{prefix}{e}"),
        };
        FeedError::Malformed {
            file: name.to_string(),
            kind,
            line,
            column: None,
            message,
        }
    };
    let mut row = csv::ByteRecord::new();
    // The header: the first record that is not a comment.
    if !csv
        .read_byte_record(&mut row)
        .map_err(|e| fail(e, &prefix))?
    {
        return Err(FeedError::malformed(
            name,
            kind,
            format!("{prefix}no header row"),
        ));
    }
    let find = |col: &str| {
        row.iter().position(|f| {
            let f = f.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(f);
            f.trim_ascii().eq_ignore_ascii_case(col.as_bytes())
        })
    };
    let required = |col: &str| {
        find(col).ok_or_else(|| FeedError::Malformed {
            file: name.to_string(),
            kind,
            line: Some(row.position().map_or(1, |p| p.line())),
            column: None,
            message: format!("{prefix}the header has no {col} column"),
        })
    };
    let cols = Columns {
        date: find("DatePosted"),
        cve: required("CVE")?,
        kb: required("BulletinKB")?,
        title: find("Title"),
        product: required("AffectedProduct")?,
        severity: find("Severity"),
        impact: find("Impact"),
        supersedes: find("Supersedes"),
    };
    let server = Finder::new(b"Windows Server 2008");
    let vista = Finder::new(b"Windows Vista");
    let text = |row: &csv::ByteRecord, i: Option<usize>| -> String {
        i.and_then(|i| row.get(i))
            .map(|f| String::from_utf8_lossy(f).trim().to_string())
            .unwrap_or_default()
    };
    while csv
        .read_byte_record(&mut row)
        .map_err(|e| fail(e, &prefix))?
    {
        doc.rows_read += 1;
        // The line in the member (the prefilter left rows out).
        let line = match csv.get_mut().lines.pop_front() {
            Some(l) => l,
            None => row.position().map_or(0, |p| p.line()),
        };
        let product_bytes = row.get(cols.product).unwrap_or_default();
        if server.find(product_bytes).is_none() && vista.find(product_bytes).is_none() {
            doc.rows_other_products += 1;
            continue;
        }
        let product = match state.products.get(product_bytes) {
            Some(p) => p.clone(),
            None => {
                let p = Product::parse(&String::from_utf8_lossy(product_bytes));
                if state.products.len() < 4096 {
                    state.products.insert(product_bytes.to_vec(), p.clone());
                }
                p
            }
        };
        let Some(product) = product else {
            doc.rows_other_products += 1;
            continue;
        };
        let Some(cve) = normalise_cve(&text(&row, Some(cols.cve))) else {
            note_unusable(doc, || format!("{prefix}line {line}: no CVE id"));
            continue;
        };
        let kb_text = text(&row, Some(cols.kb));
        let kb = if kb_text.is_empty() {
            None
        } else if let Some(kb) = parse_kb(&kb_text) {
            Some(kb)
        } else {
            note_unusable(doc, || {
                format!("{prefix}line {line}: unreadable KB {kb_text:?}")
            });
            continue;
        };
        let mut supersedes: Vec<u32> = Vec::new();
        for part in text(&row, cols.supersedes).split(';') {
            if let Some(s) = parse_kb(part) {
                if Some(s) != kb && !supersedes.contains(&s) {
                    supersedes.push(s);
                }
            }
        }
        let record = Record {
            cve,
            title: text(&row, cols.title),
            product,
            kb,
            supersedes,
            fix_kind: None,
            severity: Severity::parse(&text(&row, cols.severity)),
            impact: impact_title_case(&text(&row, cols.impact)),
            date: parse_date(&text(&row, cols.date)),
            fixed_build: None,
        };
        if state.seen.contains(&record) {
            doc.rows_duplicate += 1;
            continue;
        }
        state.seen.insert(record.clone());
        doc.records.push(record);
        check_records(name, doc.records.len())?;
    }
    let filter = csv.get_ref();
    doc.rows_read += filter.skipped;
    doc.rows_other_products += filter.skipped;
    Ok(())
}

/// Records longer than this are passed on unfiltered, a line at a time, so
/// that an unbalanced quote cannot make the filter buffer the whole input.
const MAX_FILTERED_RECORD: usize = 1 << 20;

/// Passes on the header and the CSV records that mention an NT 6.0 product
/// name anywhere, dropping the rest (and `#` comment lines) unparsed.
///
/// Records are found by line, a record going on while its quotes are
/// unbalanced: the same split as the CSV grammar for well-formed input. On
/// malformed input the split may differ from the `csv` crate's; only the
/// line numbers in messages and the row counts can then be off.
pub struct Prefilter<R> {
    inner: R,
    /// Raw bytes read and not yet judged: `buf[start..]`.
    buf: Vec<u8>,
    start: usize,
    /// Bytes to hand on: `out[out_pos..]`.
    out: Vec<u8>,
    out_pos: usize,
    eof: bool,
    /// Line number (1-based) where the next record starts.
    line: u64,
    header_done: bool,
    /// Inside a record being passed on unfiltered (too long to judge);
    /// `Some(quote parity)`.
    passing: Option<bool>,
    /// The first line of each data record passed on, in order.
    pub lines: std::collections::VecDeque<u64>,
    /// Data records dropped.
    pub skipped: u64,
    server: Finder<'static>,
    vista: Finder<'static>,
}

impl<R: Read> Prefilter<R> {
    /// Wraps a reader of wesng CSV bytes.
    pub fn new(inner: R) -> Prefilter<R> {
        Prefilter {
            inner,
            buf: Vec::with_capacity(1 << 17),
            start: 0,
            out: Vec::with_capacity(1 << 17),
            out_pos: 0,
            eof: false,
            line: 1,
            header_done: false,
            passing: None,
            lines: std::collections::VecDeque::new(),
            skipped: 0,
            server: Finder::new(b"Windows Server 2008"),
            vista: Finder::new(b"Windows Vista"),
        }
    }

    /// Judges the complete records in `buf`, moving kept ones to `out`.
    fn judge(&mut self) {
        loop {
            let rest = &self.buf[self.start..];
            if rest.is_empty() {
                return;
            }
            if let Some(parity) = self.passing {
                // Pass on one line of an over-long record.
                let Some(nl) = memchr::memchr(b'\n', rest) else {
                    if self.eof || rest.len() > MAX_FILTERED_RECORD {
                        let odd = quotes(rest) % 2 == 1;
                        self.passing = Some(parity ^ odd);
                        self.out.extend_from_slice(rest);
                        self.start = self.buf.len();
                    }
                    return;
                };
                let line = &rest[..=nl];
                let odd = quotes(line) % 2 == 1;
                let parity = parity ^ odd;
                self.out.extend_from_slice(line);
                self.start += nl + 1;
                self.line += 1;
                self.passing = parity.then_some(true);
                continue;
            }
            // A comment or an empty line, at the start of a record.
            if rest[0] == b'#' || rest[0] == b'\n' || rest.starts_with(b"\r\n") {
                match memchr::memchr(b'\n', rest) {
                    Some(nl) => {
                        self.start += nl + 1;
                        self.line += 1;
                        continue;
                    }
                    None if self.eof => {
                        self.start = self.buf.len();
                        return;
                    }
                    None => return,
                }
            }
            // The end of the record: the line break after which quotes
            // balance.
            let mut end = None;
            let mut odd = false;
            let mut lines = 0u64;
            let mut from = 0;
            while let Some(nl) = memchr::memchr(b'\n', &rest[from..]) {
                let nl = from + nl;
                odd ^= quotes(&rest[from..nl]) % 2 == 1;
                lines += 1;
                from = nl + 1;
                if !odd {
                    end = Some(from);
                    break;
                }
            }
            let end = match end {
                Some(end) => end,
                None if self.eof => {
                    lines += 1;
                    rest.len()
                }
                None if rest.len() > MAX_FILTERED_RECORD => {
                    // Too long to judge: pass it on as it comes.
                    if self.header_done {
                        self.lines.push_back(self.line);
                    }
                    self.header_done = true;
                    self.out.extend_from_slice(&rest[..from]);
                    self.start += from;
                    self.line += lines;
                    self.passing = Some(odd);
                    continue;
                }
                None => return,
            };
            let record = &rest[..end];
            let keep = !self.header_done
                || self.server.find(record).is_some()
                || self.vista.find(record).is_some();
            if keep {
                if self.header_done {
                    self.lines.push_back(self.line);
                }
                self.header_done = true;
                self.out.extend_from_slice(record);
                if end == rest.len() && !record.ends_with(b"\n") {
                    self.out.push(b'\n');
                }
            } else {
                self.skipped += 1;
            }
            self.start += end;
            self.line += lines;
        }
    }
}

/// Counts the `"` in `bytes` (summed in 64-byte blocks, which compilers
/// turn into vector code).
fn quotes(bytes: &[u8]) -> usize {
    let mut chunks = bytes.chunks_exact(64);
    let mut n = 0usize;
    for chunk in &mut chunks {
        n += usize::from(chunk.iter().map(|b| u8::from(*b == b'"')).sum::<u8>());
    }
    n + chunks.remainder().iter().filter(|b| **b == b'"').count()
}

impl<R: Read> Read for Prefilter<R> {
    fn read(&mut self, into: &mut [u8]) -> std::io::Result<usize> {
        while self.out_pos == self.out.len() {
            self.out.clear();
            self.out_pos = 0;
            self.judge();
            if !self.out.is_empty() {
                break;
            }
            if self.eof {
                return Ok(0);
            }
            // Keep the unjudged tail, then read more.
            self.buf.drain(..self.start);
            self.start = 0;
            let len = self.buf.len();
            self.buf.resize(len + (1 << 16), 0);
            let n = self.inner.read(&mut self.buf[len..])?;
            self.buf.truncate(len + n);
            if n == 0 {
                self.eof = true;
            }
        }
        let n = into.len().min(self.out.len() - self.out_pos);
        into[..n].copy_from_slice(&self.out[self.out_pos..self.out_pos + n]);
        self.out_pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "\"DatePosted\",\"CVE\",\"BulletinKB\",\"Title\",\"AffectedProduct\",\"AffectedComponent\",\"Severity\",\"Impact\",\"Supersedes\",\"Exploits\"\r\n";

    fn csv(rows: &str) -> FeedDocument {
        let text = format!("{HEADER}{rows}");
        read_csv("CVEs_20260628.csv", text.as_bytes(), &mut |_, _| {}).unwrap()
    }

    #[test]
    fn keeps_nt60_rows_and_normalises() {
        let doc = csv(concat!(
            "\"20220510\",\"cve-2022-26925 \",\"KB5014010\",\"LSA Spoofing\",\"Windows Server 2008 for x64-based Systems Service Pack 2\",\"\",\"Important\",\"Remote code execution\",\"5012658;None;5014010\",\"\"\r\n",
            "\"20220510\",\"CVE-2022-26925\",\"5014011\",\"LSA Spoofing\",\"Windows Server 2008 R2 for x64-based Systems Service Pack 1\",\"\",\"Important\",\"Spoofing\",\"\",\"\"\r\n",
            "\"20220510\",\"CVE-2022-26925\",\"5014012\",\"LSA Spoofing\",\"Windows 10 Version 1809 for x64-based Systems\",\"\",\"Important\",\"Spoofing\",\"\",\"\"\r\n",
            "\"20161108\",\"\",\"3198510\",\"x\",\"Windows Vista Service Pack 2\",\"\",\"Important\",\"\",\"\",\"\"\r\n",
            "\"20170314\",\"CVE\",\"4012583\",\"x\",\"Windows Vista Service Pack 2\",\"\",\"Important\",\"\",\"\",\"\"\r\n",
            "\"20220510\",\"CVE-2022-1\",\"\",\"x\",\"Windows Vista Service Pack 2\",\"\",\"None\",\"\",\"\",\r\n",
            "\"20220510\",\"CVE-2022-1\",\"\",\"x\",\"Windows Vista Service Pack 2\",\"\",\"None\",\"\",\"\",\r\n",
        ));
        assert_eq!(doc.rows_read, 7);
        assert_eq!(doc.rows_other_products, 2);
        assert_eq!(doc.rows_unusable, 2);
        assert_eq!(doc.rows_duplicate, 1);
        assert_eq!(
            doc.unusable_examples,
            vec!["line 5: no CVE id", "line 6: no CVE id"]
        );
        assert_eq!(doc.records.len(), 2);
        let r = &doc.records[0];
        assert_eq!(r.cve, "CVE-2022-26925");
        assert_eq!(r.kb, Some(5014010));
        assert_eq!(r.supersedes, vec![5012658]);
        assert_eq!(r.severity, Severity::Important);
        assert_eq!(r.impact.as_deref(), Some("Remote Code Execution"));
        assert_eq!(r.date, Some(jiff::civil::date(2022, 5, 10)));
        let v = &doc.records[1];
        assert_eq!(
            (v.kb, v.severity, v.impact.as_deref()),
            (None, Severity::Unrated, None)
        );
        assert_eq!(doc.identity, "wesng:CVEs_20260628.csv");
        assert_eq!(doc.released, Some(jiff::civil::date(2022, 5, 10)));
    }

    #[test]
    fn comments_and_short_rows() {
        let doc = csv("# Service Packs\r\n\"20080318\",\"SPVX86SP1\",\"936330\",\"Windows Vista Service Pack 1 (KB936330)\",\"Windows Vista\"\r\n\"x\"\r\n");
        assert_eq!(doc.rows_read, 2);
        assert_eq!(doc.records.len(), 1);
        assert_eq!(doc.records[0].cve, "SPVX86SP1");
        assert_eq!(doc.records[0].impact, None);
    }

    #[test]
    fn unreadable_kb_is_unusable() {
        let doc = csv(
            "\"20130827\",\"SPX\",\"SP81X86\",\"x\",\"Windows Vista\",\"\",\"\",\"\",\"\",\"\"\r\n",
        );
        assert_eq!(doc.rows_unusable, 1);
        assert!(doc.unusable_examples[0].contains("unreadable KB"));
    }

    #[test]
    fn header_without_columns_is_malformed() {
        let e = read_csv("a.csv", b"\"DatePosted\",\"CVE\"\n1,2\n", &mut |_, _| {}).unwrap_err();
        assert_eq!(e.line(), Some(1));
        assert!(e.to_string().contains("no BulletinKB column"), "{e}");
        assert!(read_csv("a.csv", b"", &mut |_, _| {}).is_err());
    }

    #[test]
    fn zip_garbage_is_malformed() {
        let e = read_zip("d.zip", b"PK\x03\x04garbage", &mut |_, _| {}).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("d.zip: malformed wesng definitions.zip"),
            "{e}"
        );
    }

    fn filtered(text: &[u8]) -> (String, Vec<u64>, u64) {
        let mut f = Prefilter::new(text);
        let mut out = Vec::new();
        f.read_to_end(&mut out).unwrap();
        (
            String::from_utf8_lossy(&out).into_owned(),
            f.lines.iter().copied().collect(),
            f.skipped,
        )
    }

    #[test]
    fn prefilter_keeps_whole_records() {
        let text = b"# c\r\nh\r\n\"a\",\"Windows 7\"\r\n\"b\nline two\",\"Windows Vista\"\r\n\r\n# \"odd\r\n\"c\",\"Windows Server 2008\"";
        let (out, lines, skipped) = filtered(text);
        assert_eq!(
            out,
            "h\r\n\"b\nline two\",\"Windows Vista\"\r\n\"c\",\"Windows Server 2008\"\n"
        );
        assert_eq!(lines, vec![4, 8]);
        assert_eq!(skipped, 1);
    }

    #[test]
    fn prefilter_passes_an_unbalanced_quote_through_in_bounded_steps() {
        // A record that balances within the limit is judged as a whole.
        let mut text = b"h\n\"open".to_vec();
        text.extend(std::iter::repeat_n(b'x', MAX_FILTERED_RECORD / 2));
        text.extend_from_slice(b"\nmore\"\n\"d\",\"Windows Vista\"\n\"e\"\n");
        let (out, lines, skipped) = filtered(&text);
        assert_eq!(out, "h\n\"d\",\"Windows Vista\"\n");
        assert_eq!((lines, skipped), (vec![4], 2));
        // A longer one is passed on unjudged.
        let mut text = b"h\n\"open".to_vec();
        text.extend(std::iter::repeat_n(b'x', 2 * MAX_FILTERED_RECORD));
        text.extend_from_slice(b"\nmore\"\n\"d\",\"Windows Vista\"\n\"e\"\n");
        let (out, lines, skipped) = filtered(&text);
        assert!(out.ends_with("x\nmore\"\n\"d\",\"Windows Vista\"\n"));
        assert_eq!(out.len(), text.len() - 4);
        assert_eq!((lines, skipped), (vec![2, 4], 1));
        let mut text = b"h\n\"".to_vec();
        text.extend(std::iter::repeat_n(b'y', 3 * MAX_FILTERED_RECORD));
        let (out, _, _) = filtered(&text);
        assert_eq!(out.len(), text.len());
    }
}
