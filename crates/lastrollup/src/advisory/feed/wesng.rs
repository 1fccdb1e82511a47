//! wesng's definitions: `definitions.zip` and its CSV members.
//!
//! The zip holds `CVEs_YYYYMMDD.csv` (135 MB uncompressed, every MSRC row of
//! every product), `Custom_YYYYMMDD.csv` (hand-made rows, with `#` comment
//! lines) and `Version_X.txt` (the wes.py version the file needs). Each CSV
//! member is streamed through the `csv` crate one record at a time, reusing
//! one buffer; a row whose `AffectedProduct` names neither `Windows Server
//! 2008` nor `Windows Vista` is dropped before anything is allocated, and the
//! rest go through [`Product::parse`]. Nothing holds the whole CSV in memory.
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
        .from_reader(reader);
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
        let line = row.position().map_or(0, |p| p.line());
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
    Ok(())
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
}
