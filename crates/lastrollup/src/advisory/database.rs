//! The advisory database: every imported feed's NT 6.0 records, with their
//! provenance, in one compact versioned file.
//!
//! # File format (version [`FORMAT_VERSION`])
//!
//! ```text
//! magic    8 bytes  "LRADVDB\0"
//! version  u32 LE   FORMAT_VERSION
//! length   u64 LE   length of the body
//! crc32    u32 LE   CRC-32 of the body
//! body     u64 LE length + postcard encoding of the interned tables,
//!          u64 LE count + 26-byte record rows,
//!          u64 LE count + 12-byte supersedence edges
//! ```
//!
//! The body holds interned tables (CVE ids and titles, products, impacts,
//! fixed builds) and fixed-size rows that point into them, so that opening
//! the file is one read, one checksum and one decode without per-row
//! allocation. Records are kept per source, not merged: importing a newer
//! copy of a feed (same [`FeedDocument::identity`]) replaces exactly its
//! rows, and every fact can be traced to the documents that state it.
//!
//! The file is only ever replaced whole: [`Database::save`] writes a
//! temporary file next to it and renames it over the old one, so a failed or
//! interrupted import leaves the previous database intact.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

use super::{
    CveFacts, FeedDocument, FeedKind, FixFact, FixKind, KevEntry, KevView, Product, Record,
    Severity,
};

/// The version of the file format this build reads and writes.
pub const FORMAT_VERSION: u32 = 2;

const MAGIC: [u8; 8] = *b"LRADVDB\0";
const HEADER: usize = 8 + 4 + 8 + 4;
/// No database lastrollup writes comes near this; a larger file is not one.
const MAX_FILE: u64 = 1 << 30;
const NONE: u32 = u32::MAX;

/// Why a database could not be opened or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DbError {
    /// The file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The database file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The file is not a lastrollup advisory database.
    #[error("{path}: not a lastrollup advisory database (no LRADVDB header)")]
    NotADatabase {
        /// The file.
        path: PathBuf,
    },
    /// The file was written by another format version.
    #[error("{path}: advisory database format {found}, this lastrollup reads format {expected}; run `lastrollup db import` again")]
    Version {
        /// The file.
        path: PathBuf,
        /// The version in the file.
        found: u32,
        /// The version this build reads.
        expected: u32,
    },
    /// A document would overflow the database's 16-bit source or product
    /// indices.
    #[error("{file}: the advisory database cannot hold more documents or product names (65,535 of each)")]
    Full {
        /// The document that did not fit.
        file: String,
    },
    /// The file is damaged (truncated, checksum mismatch, bad tables).
    #[error(
        "{path}: the advisory database is damaged ({reason}); run `lastrollup db import` again"
    )]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
}

/// One imported document, as `db status` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceInfo {
    /// The kind of feed.
    pub kind: FeedKind,
    /// What identifies it across imports (`2022-May`, `wesng`, `cisa-kev`).
    pub identity: String,
    /// Its version or title.
    pub version: String,
    /// When it was released or last revised, where it says.
    pub released: Option<Date>,
    /// The file name it was imported from.
    pub file: String,
    /// When it was imported (RFC 3339).
    pub imported: String,
    /// NT 6.0 records kept.
    pub records: u64,
    /// KEV entries kept.
    pub kev: u64,
    /// Rows or entries read in all.
    pub rows_read: u64,
    /// Rows about other products.
    pub rows_other_products: u64,
    /// Unusable rows.
    pub rows_unusable: u64,
    /// The earliest and latest record date.
    pub dates: Option<(Date, Date)>,
}

#[derive(Debug, Clone, Default)]
struct Tables {
    sources: Vec<SourceInfo>,
    /// CVE ids and titles while the database is being changed (empty after
    /// [`Database::decode`], which keeps them in `cve_text` instead).
    cves: Vec<(String, String)>,
    /// Every CVE id and title, concatenated, when the file's copy is not
    /// at hand (an opened file's stays in the file: see `Raw::cve_text`).
    cve_text: String,
    /// End offsets in `cve_text`: id and title of CVE `i` end at `2i`, `2i+1`.
    cve_ends: Vec<u32>,
    products: Vec<Product>,
    impacts: Vec<String>,
    builds: Vec<String>,
    /// Stored after the postcard part as fixed-size little-endian records
    /// (see [`Row::encode`]): decoding them is a copy, not a parse.
    rows: Vec<Row>,
    edges: Vec<Edge>,
    /// KEV entries of CVEs the records name (decoded at open).
    kev: Vec<(KevEntry, u16)>,
    /// Every other KEV entry, postcard-encoded and stored as the last block:
    /// `check` never needs them, so opening does not decode them.
    kev_other: Vec<u8>,
}

/// The postcard part of the file as read: [`TablesRef`]'s fields, with the
/// CVE text borrowed from the file (a third of a megabyte that `check`
/// would otherwise copy onto the heap).
#[derive(Deserialize)]
struct TablesIn<'a> {
    sources: Vec<SourceInfo>,
    #[serde(borrow)]
    cve_text: &'a str,
    cve_ends: Vec<u32>,
    products: Vec<Product>,
    impacts: Vec<String>,
    builds: Vec<String>,
    kev: Vec<(KevEntry, u16)>,
}

/// The serialized fields of [`Tables`], borrowed, in the same order (postcard
/// is not self-describing: the order is the format).
#[derive(Serialize)]
struct TablesRef<'a> {
    sources: &'a [SourceInfo],
    cve_text: &'a str,
    cve_ends: &'a [u32],
    products: &'a [Product],
    impacts: &'a [String],
    builds: &'a [String],
    kev: &'a [(KevEntry, u16)],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Row {
    cve: u32,
    product: u16,
    source: u16,
    /// 0: no KB.
    kb: u32,
    severity: Severity,
    fix_kind: Option<FixKind>,
    /// Index into `impacts`, or `NONE`.
    impact: u32,
    /// Index into `builds`, or `NONE`.
    fixed_build: u32,
    /// `yyyymmdd`, 0 when unknown.
    date: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
struct Edge {
    kb: u32,
    supersedes: u32,
    product: u16,
    source: u16,
}

const ROW: usize = 26;
const EDGE: usize = 12;

/// Whether `at` is a character boundary of the UTF-8 text `text`.
fn is_char_boundary(text: &[u8], at: usize) -> bool {
    // A UTF-8 continuation byte is 0b10xx_xxxx: -64..=-1 as i8.
    at == text.len() || text.get(at).is_some_and(|b| (*b as i8) >= -0x40)
}

/// The fixed-size rows of a block, as arrays (see [`Row::decode`]).
fn raw_rows(block: &[u8]) -> impl Iterator<Item = &[u8; ROW]> + Clone {
    // `chunks_exact` yields only whole rows, so every conversion succeeds.
    block
        .chunks_exact(ROW)
        .filter_map(|r| <&[u8; ROW]>::try_from(r).ok())
}

/// Splits a block off `rest`: a u64 count, then `count × size` bytes.
fn take_block<'b>(rest: &mut &'b [u8], size: usize) -> Result<&'b [u8], String> {
    if rest.len() < 8 {
        return Err("a table is cut short".into());
    }
    let mut n = [0u8; 8];
    n.copy_from_slice(&rest[..8]);
    let count = u64::from_le_bytes(n);
    let len = usize::try_from(count)
        .ok()
        .and_then(|c| c.checked_mul(size))
        .filter(|len| *len <= rest.len() - 8)
        .ok_or_else(|| format!("a table claims {count} entries, more than the file holds"))?;
    let block = &rest[8..8 + len];
    *rest = &rest[8 + len..];
    Ok(block)
}

fn le32(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn le16(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

const SEVERITIES: [Severity; 5] = [
    Severity::Unrated,
    Severity::Low,
    Severity::Moderate,
    Severity::Important,
    Severity::Critical,
];
const FIX_KINDS: [FixKind; 6] = [
    FixKind::MonthlyRollup,
    FixKind::SecurityOnly,
    FixKind::SecurityUpdate,
    FixKind::IeCumulative,
    FixKind::ServicingStack,
    FixKind::Other,
];

impl Row {
    fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.cve.to_le_bytes());
        out.extend_from_slice(&self.product.to_le_bytes());
        out.extend_from_slice(&self.source.to_le_bytes());
        out.extend_from_slice(&self.kb.to_le_bytes());
        out.push(
            SEVERITIES
                .iter()
                .position(|s| *s == self.severity)
                .unwrap_or(0) as u8,
        );
        out.push(
            self.fix_kind
                .and_then(|k| FIX_KINDS.iter().position(|x| *x == k))
                .map_or(0, |i| i as u8 + 1),
        );
        out.extend_from_slice(&self.impact.to_le_bytes());
        out.extend_from_slice(&self.fixed_build.to_le_bytes());
        out.extend_from_slice(&self.date.to_le_bytes());
    }

    /// Whether the severity and update kind bytes are ones [`Row::encode`]
    /// writes (checked for every row at open).
    fn valid(b: &[u8; ROW]) -> bool {
        usize::from(b[12]) < SEVERITIES.len() && usize::from(b[13]) <= FIX_KINDS.len()
    }

    /// Reads a row that [`Row::valid`] accepted (an unknown byte would read
    /// as unrated, no kind). A whole row as an array: no field needs a
    /// bounds check.
    fn decode(b: &[u8; ROW]) -> Row {
        let u32_at = |at: usize| u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]);
        let u16_at = |at: usize| u16::from_le_bytes([b[at], b[at + 1]]);
        Row {
            cve: u32_at(0),
            product: u16_at(4),
            source: u16_at(6),
            kb: u32_at(8),
            severity: SEVERITIES
                .get(usize::from(b[12]))
                .copied()
                .unwrap_or_default(),
            fix_kind: usize::from(b[13])
                .checked_sub(1)
                .and_then(|k| FIX_KINDS.get(k).copied()),
            impact: u32_at(14),
            fixed_build: u32_at(18),
            date: u32_at(22),
        }
    }
}

/// The largest index of each kind that the record rows hold and whether
/// they are in CVE order: what opening checks, in one pass over the rows.
struct RowBounds {
    /// Whether there is a row at all.
    any: bool,
    cve: u32,
    product: u16,
    source: u16,
    /// Impact and build indices plus one, so that `NONE` (none) wraps to 0.
    impact: u32,
    build: u32,
    sorted: bool,
}

impl RowBounds {
    fn of_rows(rows: &[Row]) -> RowBounds {
        let mut b = RowBounds::new();
        for r in rows {
            b.add(r.cve, r.product, r.source, r.impact, r.fixed_build);
        }
        b
    }

    /// Over the file's rows; `None` when a severity or update-kind byte is
    /// not one [`Row::encode`] writes.
    fn of_bytes(rows: &[u8]) -> Option<RowBounds> {
        let mut b = RowBounds::new();
        let mut bytes_ok = true;
        for r in raw_rows(rows) {
            bytes_ok &= Row::valid(r);
            let row = Row::decode(r);
            b.add(
                row.cve,
                row.product,
                row.source,
                row.impact,
                row.fixed_build,
            );
        }
        bytes_ok.then_some(b)
    }

    fn new() -> RowBounds {
        RowBounds {
            any: false,
            cve: 0,
            product: 0,
            source: 0,
            impact: 0,
            build: 0,
            sorted: true,
        }
    }

    /// Adds one row (no branches: this runs over every row at open).
    fn add(&mut self, cve: u32, product: u16, source: u16, impact: u32, build: u32) {
        // While sorted, the largest CVE so far is the previous row's.
        self.sorted &= cve >= self.cve;
        self.any = true;
        self.cve = self.cve.max(cve);
        self.product = self.product.max(product);
        self.source = self.source.max(source);
        self.impact = self.impact.max(impact.wrapping_add(1));
        self.build = self.build.max(build.wrapping_add(1));
    }

    /// Whether every index is within tables of these lengths.
    fn fit(
        &self,
        cves: usize,
        products: usize,
        sources: usize,
        impacts: usize,
        builds: usize,
    ) -> bool {
        let below = |i: usize, len: usize| !self.any || i < len;
        below(self.cve as usize, cves)
            && below(usize::from(self.product), products)
            && below(usize::from(self.source), sources)
            && self.impact as usize <= impacts
            && self.build as usize <= builds
    }
}

impl Edge {
    fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.kb.to_le_bytes());
        out.extend_from_slice(&self.supersedes.to_le_bytes());
        out.extend_from_slice(&self.product.to_le_bytes());
        out.extend_from_slice(&self.source.to_le_bytes());
    }

    fn decode(b: &[u8]) -> Edge {
        Edge {
            kb: le32(b, 0),
            supersedes: le32(b, 4),
            product: le16(b, 8),
            source: le16(b, 10),
        }
    }
}

/// What adding a document changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddSummary {
    /// Whether an earlier copy of the same document was replaced.
    pub replaced: bool,
    /// The source as recorded.
    pub source: SourceInfo,
}

/// Totals over the whole database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// Distinct CVE (and advisory) ids.
    pub cves: usize,
    /// Distinct NT 6.0 products and components.
    pub products: usize,
    /// Records over all sources.
    pub records: usize,
    /// Distinct (CVE, product, KB) facts after merging sources.
    pub facts: usize,
    /// Distinct fixing KBs.
    pub kbs: usize,
    /// KEV entries (all of KEV), and how many of them are NT 6.0 CVEs.
    pub kev: usize,
    /// KEV CVEs that the records name.
    pub kev_nt60: usize,
    /// Earliest and latest record date.
    pub dates: Option<(Date, Date)>,
}

/// The bytes of an opened database file.
#[derive(Clone)]
struct Raw {
    /// The whole file, mapped or read.
    bytes: std::sync::Arc<dyn AsRef<[u8]> + Send + Sync>,
    /// Where the record rows, the supersedence edges and the undecoded KEV
    /// entries are in it.
    rows: std::ops::Range<usize>,
    edges: std::ops::Range<usize>,
    kev_other: std::ops::Range<usize>,
    /// The CVE text (checked UTF-8 at open).
    cve_text: std::ops::Range<usize>,
}

impl std::fmt::Debug for Raw {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Raw")
            .field("len", &(*self.bytes).as_ref().len())
            .field("rows", &self.rows)
            .field("edges", &self.edges)
            .finish()
    }
}

impl Raw {
    fn block(&self, r: &std::ops::Range<usize>) -> &[u8] {
        (*self.bytes).as_ref().get(r.clone()).unwrap_or_default()
    }
}

/// The record rows, read from the file or from the tables.
enum Rows<'a> {
    Owned(std::slice::Iter<'a, Row>),
    Raw(std::slice::ChunksExact<'a, u8>),
}

impl Iterator for Rows<'_> {
    type Item = Row;

    fn next(&mut self) -> Option<Row> {
        match self {
            Rows::Owned(i) => i.next().copied(),
            Rows::Raw(c) => c
                .find_map(|r| <&[u8; ROW]>::try_from(r).ok())
                .map(Row::decode),
        }
    }
}

/// The advisory database, in memory.
///
/// An opened database reads its fixed-size rows and edges straight from the
/// file's bytes (mapped into memory, so that opening copies and decodes
/// neither); the first change turns them into owned tables.
#[derive(Debug, Clone, Default)]
pub struct Database {
    t: Tables,
    raw: Option<Raw>,
    /// Whether the rows are in CVE order (every file this version writes):
    /// then a CVE's facts are read in one pass without collecting them.
    sorted: bool,
}

fn date_code(d: Option<Date>) -> u32 {
    d.map_or(0, |d| {
        (d.year().max(0) as u32) * 10000 + (d.month() as u32) * 100 + d.day() as u32
    })
}

/// The last row date read and its [`code_date`]: a CVE's rows mostly share
/// one date, and checking a date costs more than comparing two codes.
#[derive(Default)]
struct LastDate {
    code: u32,
    date: Option<Date>,
}

impl LastDate {
    fn of(&mut self, code: u32) -> Option<Date> {
        if code != self.code {
            self.code = code;
            self.date = code_date(code);
        }
        self.date
    }
}

fn code_date(c: u32) -> Option<Date> {
    if c == 0 {
        return None;
    }
    Date::new((c / 10000) as i16, ((c / 100) % 100) as i8, (c % 100) as i8).ok()
}

struct Interner<'a, T: std::hash::Hash + Eq + Clone> {
    table: &'a mut Vec<T>,
    index: FxHashMap<T, u32>,
}

impl<'a, T: std::hash::Hash + Eq + Clone> Interner<'a, T> {
    fn new(table: &'a mut Vec<T>) -> Self {
        let index = table
            .iter()
            .enumerate()
            .map(|(i, v)| (v.clone(), i as u32))
            .collect();
        Interner { table, index }
    }

    fn get(&mut self, v: &T) -> u32 {
        if let Some(i) = self.index.get(v) {
            return *i;
        }
        let i = self.table.len() as u32;
        self.table.push(v.clone());
        self.index.insert(v.clone(), i);
        i
    }
}

impl Database {
    /// An empty database.
    pub fn new() -> Database {
        Database::default()
    }

    /// The imported documents.
    pub fn sources(&self) -> &[SourceInfo] {
        &self.t.sources
    }

    /// Whether anything was imported.
    pub fn is_empty(&self) -> bool {
        self.t.sources.is_empty()
    }

    /// Adds a document, replacing an earlier copy with the same identity.
    /// Fails, leaving the database as it was, when the document would take
    /// the source or product tables past their 16-bit indices (65,535
    /// documents, or that many distinct product names).
    pub fn add(
        &mut self,
        doc: FeedDocument,
        file: &str,
        imported: &str,
    ) -> Result<AddSummary, DbError> {
        let limit = usize::from(u16::MAX) - 1;
        let known: FxHashSet<&Product> = self.t.products.iter().collect();
        let new_products: FxHashSet<&Product> = doc
            .records
            .iter()
            .map(|r| &r.product)
            .filter(|p| !known.contains(p))
            .collect();
        if self.t.sources.len() >= limit || known.len() + new_products.len() > limit {
            return Err(DbError::Full {
                file: file.to_string(),
            });
        }
        self.materialise()?;
        self.t.kev = self.all_kev();
        self.t.kev_other.clear();
        self.materialise_cves();
        let replaced = self.remove_identity(&doc.identity);
        let source = self.t.sources.len() as u16;
        let mut dates: Option<(Date, Date)> = None;
        for r in &doc.records {
            if let Some(d) = r.date {
                dates = Some(match dates {
                    Some((a, b)) => (a.min(d), b.max(d)),
                    None => (d, d),
                });
            }
        }
        let info = SourceInfo {
            kind: doc.kind.unwrap_or(FeedKind::WesngCsv),
            identity: doc.identity.clone(),
            version: doc.version.clone(),
            released: doc.released,
            file: file.to_string(),
            imported: imported.to_string(),
            records: doc.records.len() as u64,
            kev: doc.kev.len() as u64,
            rows_read: doc.rows_read,
            rows_other_products: doc.rows_other_products,
            rows_unusable: doc.rows_unusable,
            dates,
        };
        self.t.sources.push(info.clone());
        self.append_records(&doc.records, source);
        self.t.kev.extend(doc.kev.into_iter().map(|k| (k, source)));
        Ok(AddSummary {
            replaced,
            source: info,
        })
    }

    fn append_records(&mut self, records: &[Record], source: u16) {
        let Tables {
            cves,
            products,
            impacts,
            builds,
            rows,
            edges,
            ..
        } = &mut self.t;
        let mut cve_index: FxHashMap<String, u32> = cves
            .iter()
            .enumerate()
            .map(|(i, (id, _))| (id.clone(), i as u32))
            .collect();
        let mut products = Interner::new(products);
        let mut impacts = Interner::new(impacts);
        let mut builds = Interner::new(builds);
        let mut seen_edges: FxHashSet<Edge> = FxHashSet::default();
        for r in records {
            let cve = match cve_index.get(&r.cve) {
                Some(i) => {
                    let title = &mut cves[*i as usize].1;
                    if title.is_empty() && !r.title.is_empty() {
                        *title = r.title.clone();
                    }
                    *i
                }
                None => {
                    let i = cves.len() as u32;
                    cves.push((r.cve.clone(), r.title.clone()));
                    cve_index.insert(r.cve.clone(), i);
                    i
                }
            };
            // `add` checked that every product index fits in 16 bits.
            let product = products.get(&r.product) as u16;
            let impact = r.impact.as_ref().map_or(NONE, |i| impacts.get(i));
            let fixed_build = r.fixed_build.as_ref().map_or(NONE, |b| builds.get(b));
            let kb = r.kb.unwrap_or(0);
            rows.push(Row {
                cve,
                product,
                source,
                kb,
                severity: r.severity,
                fix_kind: r.fix_kind,
                impact,
                fixed_build,
                date: date_code(r.date),
            });
            if kb != 0 {
                for s in &r.supersedes {
                    let e = Edge {
                        kb,
                        supersedes: *s,
                        product,
                        source,
                    };
                    if *s != kb && seen_edges.insert(e) {
                        edges.push(e);
                    }
                }
            }
        }
    }

    /// Removes the source with this identity; returns whether there was one.
    fn remove_identity(&mut self, identity: &str) -> bool {
        let Some(gone) = self.t.sources.iter().position(|s| s.identity == identity) else {
            return false;
        };
        let gone = gone as u16;
        self.t.sources.remove(usize::from(gone));
        let shift = |s: u16| if s > gone { s - 1 } else { s };
        self.t.rows.retain(|r| r.source != gone);
        self.t.edges.retain(|e| e.source != gone);
        self.t.kev.retain(|(_, s)| *s != gone);
        for r in &mut self.t.rows {
            r.source = shift(r.source);
        }
        for e in &mut self.t.edges {
            e.source = shift(e.source);
        }
        for (_, s) in &mut self.t.kev {
            *s = shift(*s);
        }
        self.compact();
        true
    }

    /// Drops interned values no row uses any more.
    fn compact(&mut self) {
        let t = std::mem::take(&mut self.t);
        let mut out = Tables {
            sources: t.sources,
            kev: t.kev,
            kev_other: t.kev_other,
            ..Tables::default()
        };
        let mut cve_map: FxHashMap<u64, u32> = FxHashMap::default();
        let mut product_map: FxHashMap<u64, u32> = FxHashMap::default();
        let mut impact_map: FxHashMap<u64, u32> = FxHashMap::default();
        let mut build_map: FxHashMap<u64, u32> = FxHashMap::default();
        // Maps an old index to its new one, copying the value on first use.
        fn remap<V: Clone>(
            map: &mut FxHashMap<u64, u32>,
            old: u64,
            from: &[V],
            to: &mut Vec<V>,
        ) -> u32 {
            *map.entry(old).or_insert_with(|| {
                to.push(from[old as usize].clone());
                (to.len() - 1) as u32
            })
        }
        for mut r in t.rows {
            r.cve = remap(&mut cve_map, r.cve.into(), &t.cves, &mut out.cves);
            r.product = remap(
                &mut product_map,
                r.product.into(),
                &t.products,
                &mut out.products,
            ) as u16;
            if r.impact != NONE {
                r.impact = remap(
                    &mut impact_map,
                    r.impact.into(),
                    &t.impacts,
                    &mut out.impacts,
                );
            }
            if r.fixed_build != NONE {
                r.fixed_build = remap(
                    &mut build_map,
                    r.fixed_build.into(),
                    &t.builds,
                    &mut out.builds,
                );
            }
            out.rows.push(r);
        }
        for mut e in t.edges {
            if let Some(p) = product_map.get(&u64::from(e.product)) {
                e.product = *p as u16;
                out.edges.push(e);
            }
        }
        self.t = out;
    }

    /// Writes the database to bytes.
    pub fn encode(&self) -> Vec<u8> {
        let named: FxHashSet<&str> = (0..self.cve_count()).map(|i| self.cve(i).0).collect();
        let (kev, other): (Vec<_>, Vec<_>) = self
            .all_kev()
            .into_iter()
            .partition(|(k, _)| named.contains(k.cve.as_str()));
        // The packed CVE text: as opened, or built from the pairs a change left.
        let (mut cve_text, mut cve_ends) = (String::new(), Vec::new());
        let opened;
        let (cve_text, cve_ends) = if self.t.cves.is_empty() {
            // Valid UTF-8: checked at open, or a `String`.
            opened = String::from_utf8_lossy(self.cve_text_bytes());
            (&*opened, &self.t.cve_ends)
        } else {
            for (id, title) in &self.t.cves {
                cve_text.push_str(id);
                cve_ends.push(cve_text.len() as u32);
                cve_text.push_str(title);
                cve_ends.push(cve_text.len() as u32);
            }
            (cve_text.as_str(), &cve_ends)
        };
        let tables = TablesRef {
            sources: &self.t.sources,
            cve_text,
            cve_ends,
            products: &self.t.products,
            impacts: &self.t.impacts,
            builds: &self.t.builds,
            kev: &kev,
        };
        let meta = postcard::to_stdvec(&tables).unwrap_or_default();
        let other = postcard::to_stdvec(&other).unwrap_or_default();
        // In CVE order (stable: a CVE's rows keep their source order), so
        // that reading a product's CVEs needs no grouping.
        let mut rows: Vec<Row> = self.rows().collect();
        rows.sort_by_key(|r| r.cve);
        let edges = self.edges().count();
        let mut body =
            Vec::with_capacity(meta.len() + 32 + rows.len() * ROW + edges * EDGE + other.len());
        body.extend_from_slice(&(meta.len() as u64).to_le_bytes());
        body.extend_from_slice(&meta);
        body.extend_from_slice(&(rows.len() as u64).to_le_bytes());
        for r in &rows {
            r.encode(&mut body);
        }
        body.extend_from_slice(&(edges as u64).to_le_bytes());
        for e in self.edges() {
            e.encode(&mut body);
        }
        body.extend_from_slice(&(other.len() as u64).to_le_bytes());
        body.extend_from_slice(&other);
        let mut out = Vec::with_capacity(HEADER + body.len());
        out.extend_from_slice(&MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        out.extend_from_slice(&(body.len() as u64).to_le_bytes());
        out.extend_from_slice(&crc32fast::hash(&body).to_le_bytes());
        out.extend_from_slice(&body);
        out
    }

    /// Reads a database from bytes (`path` names it in errors).
    pub fn decode(path: &Path, bytes: &[u8]) -> Result<Database, DbError> {
        Database::from_backing(path, std::sync::Arc::new(bytes.to_vec()))
    }

    /// Reads a database from the bytes that will back it.
    fn from_backing(
        path: &Path,
        backing: std::sync::Arc<dyn AsRef<[u8]> + Send + Sync>,
    ) -> Result<Database, DbError> {
        let bytes: &[u8] = (*backing).as_ref();
        let corrupt = |reason: String| DbError::Corrupt {
            path: path.to_path_buf(),
            reason,
        };
        if bytes.len() < 8 || bytes[..8] != MAGIC {
            return Err(DbError::NotADatabase {
                path: path.to_path_buf(),
            });
        }
        if bytes.len() < HEADER {
            return Err(corrupt("the header is cut short".into()));
        }
        let word = |at: usize| {
            u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
        };
        let version = word(8);
        if version != FORMAT_VERSION {
            return Err(DbError::Version {
                path: path.to_path_buf(),
                found: version,
                expected: FORMAT_VERSION,
            });
        }
        let mut len = [0u8; 8];
        len.copy_from_slice(&bytes[12..20]);
        let len = u64::from_le_bytes(len);
        let body = &bytes[HEADER..];
        if body.len() as u64 != len {
            return Err(corrupt(format!(
                "the body is {} bytes, the header says {len}",
                body.len()
            )));
        }
        if crc32fast::hash(body) != word(20) {
            return Err(corrupt("checksum mismatch".into()));
        }
        let mut rest = body;
        let meta = take_block(&mut rest, 1).map_err(&corrupt)?;
        let t: TablesIn = postcard::from_bytes(meta).map_err(|e| corrupt(e.to_string()))?;
        // The text's place in the file (postcard borrowed it from `bytes`).
        let text_at = (t.cve_text.as_ptr() as usize).wrapping_sub(bytes.as_ptr() as usize);
        let cve_text = text_at..text_at + t.cve_text.len();
        if bytes.get(cve_text.clone()).map(<[u8]>::as_ptr) != Some(t.cve_text.as_ptr()) {
            return Err(corrupt("the CVE text is not where it was read".into()));
        }
        let t = Tables {
            sources: t.sources,
            cve_ends: t.cve_ends,
            products: t.products,
            impacts: t.impacts,
            builds: t.builds,
            kev: t.kev,
            ..Tables::default()
        };
        // Where a block sits in the file, from what is left after it.
        let offset = |block: &[u8], rest: &[u8]| {
            let end = bytes.len() - rest.len();
            end - block.len()..end
        };
        let rows = take_block(&mut rest, ROW).map_err(&corrupt)?;
        let rows = offset(rows, rest);
        let edges = take_block(&mut rest, EDGE).map_err(&corrupt)?;
        let edges = offset(edges, rest);
        let other = take_block(&mut rest, 1).map_err(&corrupt)?;
        let kev_other = offset(other, rest);
        if !rest.is_empty() {
            return Err(corrupt(format!(
                "{} bytes after the last table",
                rest.len()
            )));
        }
        let mut db = Database {
            t,
            raw: Some(Raw {
                bytes: backing.clone(),
                rows,
                edges,
                kev_other,
                cve_text,
            }),
            sorted: false,
        };
        db.sorted = db.check_indices().map_err(corrupt)?;
        Ok(db)
    }

    /// Every index points into its table, so lookups never fail later.
    /// Returns whether the rows are in CVE order.
    fn check_indices(&self) -> Result<bool, String> {
        let t = &self.t;
        let text = self.cve_text_bytes();
        if t.cve_ends.len() % 2 != 0
            || t.cve_ends.windows(2).any(|w| w[0] > w[1])
            || t.cve_ends
                .iter()
                .any(|e| !is_char_boundary(text, *e as usize))
        {
            return Err("the CVE table's offsets are out of order".into());
        }
        let bounds = match &self.raw {
            Some(raw) => RowBounds::of_bytes(raw.block(&raw.rows))
                .ok_or("a record has an unknown severity or update kind")?,
            None => RowBounds::of_rows(&t.rows),
        };
        if !bounds.fit(
            self.cve_count(),
            t.products.len(),
            t.sources.len(),
            t.impacts.len(),
            t.builds.len(),
        ) {
            return Err("a record points outside its tables".into());
        }
        let sorted = bounds.sorted;
        for e in self.edges() {
            if usize::from(e.product) >= t.products.len()
                || usize::from(e.source) >= t.sources.len()
            {
                return Err("a supersedence edge points outside its tables".into());
            }
        }
        if t.kev
            .iter()
            .any(|(_, s)| usize::from(*s) >= t.sources.len())
        {
            return Err("a KEV entry points outside the sources".into());
        }
        Ok(sorted)
    }

    /// Opens the database file at `path`.
    pub fn open(path: &Path) -> Result<Database, DbError> {
        let io = |source| DbError::Io {
            path: path.to_path_buf(),
            source,
        };
        let size = fs::metadata(path).map_err(io)?.len();
        if size > MAX_FILE {
            return Err(DbError::Corrupt {
                path: path.to_path_buf(),
                reason: format!("{size} bytes is larger than any advisory database"),
            });
        }
        #[cfg(unix)]
        {
            let file = fs::File::open(path).map_err(io)?;
            // SAFETY: lastrollup never writes a database file in place
            // (`save` renames a new file over the old one), so the mapped
            // file does not change while it is mapped; every read of the
            // mapping is bounds-checked against its length.
            let map = unsafe { memmap2::Mmap::map(&file) }.map_err(io)?;
            Database::from_backing(path, std::sync::Arc::new(map))
        }
        // Windows refuses to rename a file over one that is mapped, which
        // would make `db import` fail while a `check` runs: read it instead.
        #[cfg(not(unix))]
        {
            let bytes = fs::read(path).map_err(io)?;
            Database::from_backing(path, std::sync::Arc::new(bytes))
        }
    }

    /// Writes the database to `path` atomically: a temporary file in the same
    /// folder, flushed to disk, then renamed over `path`. On any failure the
    /// previous file is left as it was and the temporary file is removed.
    pub fn save(&self, path: &Path) -> Result<(), DbError> {
        let io = |source| DbError::Io {
            path: path.to_path_buf(),
            source,
        };
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&dir).map_err(io)?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "advisories.lrdb".into());
        let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
        remove_stale_temporaries(&dir, &name);
        let bytes = self.encode();
        let result = (|| {
            let mut f = fs::File::create(&tmp)?;
            f.write_all(&bytes)?;
            f.sync_all()?;
            drop(f);
            fs::rename(&tmp, path)
        })();
        if let Err(e) = result {
            let _ = fs::remove_file(&tmp);
            return Err(io(e));
        }
        Ok(())
    }

    /// How many CVEs (and advisories) the database holds.
    pub fn cve_count(&self) -> usize {
        if self.t.cves.is_empty() {
            self.t.cve_ends.len() / 2
        } else {
            self.t.cves.len()
        }
    }

    /// CVE `i`'s id and title (`i` checked at open).
    fn cve(&self, i: usize) -> (&str, &str) {
        if let Some((id, title)) = self.t.cves.get(i) {
            return (id, title);
        }
        let end = |k: usize| self.t.cve_ends.get(k).map_or(0, |e| *e as usize);
        let start = if i == 0 { 0 } else { end(2 * i - 1) };
        let text = self.cve_text_bytes();
        let piece = |r: std::ops::Range<usize>| match text.get(r) {
            // SAFETY: the whole text was checked to be UTF-8 when it was
            // read (postcard's borrowed `&str` at open; a `String` after a
            // change), and `check_indices` checked that every offset is a
            // character boundary, so every piece is UTF-8. The bytes do not
            // change: they are an `Arc`'s, or a mapping of a file lastrollup
            // never writes in place (the condition the mapping rests on).
            // Checking again per piece cost a thirtieth of a `check`.
            Some(b) => unsafe { std::str::from_utf8_unchecked(b) },
            None => "",
        };
        (piece(start..end(2 * i)), piece(end(2 * i)..end(2 * i + 1)))
    }

    /// Every CVE id and title, concatenated (see `Tables::cve_ends`).
    fn cve_text_bytes(&self) -> &[u8] {
        match &self.raw {
            Some(raw) => raw.block(&raw.cve_text),
            None => self.t.cve_text.as_bytes(),
        }
    }

    /// The record rows.
    fn rows(&self) -> Rows<'_> {
        match &self.raw {
            Some(raw) => Rows::Raw(raw.block(&raw.rows).chunks_exact(ROW)),
            None => Rows::Owned(self.t.rows.iter()),
        }
    }

    /// The rows of the products marked in `wanted` (by product index); a
    /// row of the file is decoded only once its product is known wanted.
    fn rows_of<'s>(&'s self, wanted: &'s [bool]) -> Box<dyn Iterator<Item = Row> + 's> {
        let keep = move |p: u16| wanted.get(usize::from(p)).copied().unwrap_or(false);
        match &self.raw {
            Some(raw) => Box::new(
                raw_rows(raw.block(&raw.rows))
                    .filter(move |b| keep(u16::from_le_bytes([b[4], b[5]])))
                    .map(Row::decode),
            ),
            None => Box::new(self.t.rows.iter().filter(move |r| keep(r.product)).copied()),
        }
    }

    /// The supersedence edges.
    fn edges(&self) -> impl Iterator<Item = Edge> + '_ {
        let raw = self
            .raw
            .as_ref()
            .map(|raw| raw.block(&raw.edges))
            .unwrap_or_default();
        raw.chunks_exact(EDGE)
            .map(Edge::decode)
            .chain(self.t.edges.iter().copied())
    }

    /// The undecoded KEV entries.
    fn kev_other(&self) -> &[u8] {
        match &self.raw {
            Some(raw) => raw.block(&raw.kev_other),
            None => &self.t.kev_other,
        }
    }

    /// Turns the file's rows, edges and undecoded KEV entries into owned
    /// tables, before a change.
    fn materialise(&mut self) -> Result<(), DbError> {
        let Some(raw) = self.raw.take() else {
            return Ok(());
        };
        self.sorted = false;
        self.t.rows = raw_rows(raw.block(&raw.rows)).map(Row::decode).collect();
        self.t.edges = raw
            .block(&raw.edges)
            .chunks_exact(EDGE)
            .map(Edge::decode)
            .collect();
        let other = raw.block(&raw.kev_other);
        // Checked here, not at open (where `check` never needs them): a
        // change must not drop entries it could not read.
        postcard::from_bytes::<Vec<(KevEntry, u16)>>(other).map_err(|e| DbError::Corrupt {
            path: PathBuf::from("advisory database"),
            reason: format!("KEV table: {e}"),
        })?;
        self.t.kev_other = other.to_vec();
        // Valid UTF-8: checked at open.
        self.t.cve_text = String::from_utf8_lossy(raw.block(&raw.cve_text)).into_owned();
        Ok(())
    }

    /// Turns the packed CVE text back into owned pairs, before a change.
    fn materialise_cves(&mut self) {
        if self.t.cves.is_empty() && !self.t.cve_ends.is_empty() {
            self.t.cves = (0..self.t.cve_ends.len() / 2)
                .map(|i| {
                    let (id, title) = self.cve(i);
                    (id.to_string(), title.to_string())
                })
                .collect();
        }
        self.t.cve_text.clear();
        self.t.cve_ends.clear();
    }

    /// Every KEV entry, the ones stored undecoded included.
    fn all_kev(&self) -> Vec<(KevEntry, u16)> {
        let mut all = self.t.kev.clone();
        let other = self.kev_other();
        if !other.is_empty() {
            all.extend(postcard::from_bytes::<Vec<(KevEntry, u16)>>(other).unwrap_or_default());
        }
        all
    }

    /// The CVE ids of every KEV entry, sorted, each once: the
    /// known-exploited set this database knows of.
    pub fn kev_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self.all_kev().into_iter().map(|(k, _)| k.cve).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// Totals over the database.
    pub fn totals(&self) -> Totals {
        let all_kev = self.all_kev();
        let t = &self.t;
        let mut facts: FxHashSet<(u32, u16, u32)> = FxHashSet::default();
        let mut kbs: FxHashSet<u32> = FxHashSet::default();
        let mut dates: Option<(Date, Date)> = None;
        for r in self.rows() {
            facts.insert((r.cve, r.product, r.kb));
            if r.kb != 0 {
                kbs.insert(r.kb);
            }
            if let Some(d) = code_date(r.date) {
                dates = Some(match dates {
                    Some((a, b)) => (a.min(d), b.max(d)),
                    None => (d, d),
                });
            }
        }
        let used: FxHashSet<u32> = self.rows().map(|r| r.cve).collect();
        let kev_ids: FxHashSet<&str> = all_kev.iter().map(|(k, _)| k.cve.as_str()).collect();
        let kev_nt60 = used
            .iter()
            .filter(|c| kev_ids.contains(self.cve(**c as usize).0))
            .count();
        Totals {
            cves: used.len(),
            products: t.products.len(),
            records: self.rows().count(),
            facts: facts.len(),
            kbs: kbs.len(),
            kev: kev_ids.len(),
            kev_nt60,
            dates,
        }
    }

    /// Everything the database says about `os` (an OS product, no component)
    /// and the components on it, grouped by CVE, sources merged; the facts
    /// borrow their text from the database. [`Database::each_cve`] visits the
    /// same facts without collecting them.
    pub fn facts_for(&self, os: &Product) -> Facts<'_> {
        let products = std::slice::from_ref(os);
        let mut cves = Vec::new();
        self.each_cve(products, &mut |f| cves.push(f.clone()));
        Facts {
            cves,
            supersedes: self.supersedence(products),
        }
    }

    /// Visits what the database says about each CVE of the OS products
    /// `products` (components ignored: the components on them are included)
    /// and the components on them, sources and products merged, each CVE
    /// once, in CVE-table order.
    pub fn each_cve<'a>(&'a self, products: &[Product], visit: &mut dyn FnMut(&CveFacts<'a>)) {
        let t = &self.t;
        let wanted: Vec<bool> = t
            .products
            .iter()
            .map(|p| products.iter().any(|os| p.same_os(os)))
            .collect();
        let kev: FxHashMap<&str, KevView> = t
            .kev
            .iter()
            .map(|(k, _)| (k.cve.as_str(), KevView::from(k)))
            .collect();
        let start = |f: &mut CveFacts<'a>, cve: u32| {
            let (id, title) = self.cve(cve as usize);
            f.id = id;
            f.title = title;
            f.kev = kev.get(id).copied();
            f.severity = Severity::Unrated;
            f.impact = None;
            f.affects_os = false;
            f.components.clear();
            f.fixes.clear();
            f.date = None;
            f.sources.clear();
        };
        let rows = self.rows_of(&wanted);
        let mut dates = LastDate::default();
        if self.sorted {
            // One CVE's rows are together: fold them into one reused value.
            let mut f = CveFacts::default();
            let mut current = None;
            for r in rows {
                if current != Some(r.cve) {
                    if current.is_some() {
                        visit(&f);
                    }
                    current = Some(r.cve);
                    start(&mut f, r.cve);
                }
                self.fold_row(&mut f, &r, &mut dates);
            }
            if current.is_some() {
                visit(&f);
            }
        } else {
            // CVE index → its place in `cves` (`NONE` until a row names it).
            let mut slot: Vec<u32> = vec![NONE; self.cve_count()];
            let mut cves: Vec<CveFacts<'a>> = Vec::new();
            for r in rows {
                let at = &mut slot[r.cve as usize];
                if *at == NONE {
                    *at = cves.len() as u32;
                    let mut f = CveFacts::default();
                    start(&mut f, r.cve);
                    cves.push(f);
                }
                self.fold_row(&mut cves[*at as usize], &r, &mut dates);
            }
            cves.iter().for_each(visit);
        }
    }

    /// Adds one row's facts to its CVE's.
    fn fold_row<'a>(&'a self, f: &mut CveFacts<'a>, r: &Row, dates: &mut LastDate) {
        let t = &self.t;
        if f.title.is_empty() {
            f.title = self.cve(r.cve as usize).1;
        }
        let component = t.products[usize::from(r.product)].component.as_deref();
        match component {
            None => f.affects_os = true,
            Some(c) => {
                if !f.components.contains(&c) {
                    f.components.push(c);
                }
            }
        }
        f.severity = f.severity.max(r.severity);
        if f.impact.is_none() && r.impact != NONE {
            f.impact = Some(t.impacts[r.impact as usize].as_str());
        }
        let date = dates.of(r.date);
        if date.is_some() {
            f.date = f.date.max(date);
        }
        if r.kb != 0 {
            match f
                .fixes
                .iter_mut()
                .find(|x| x.kb == r.kb && x.component == component)
            {
                Some(x) => {
                    if x.kind.is_none() {
                        x.kind = r.fix_kind;
                    }
                    x.date = x.date.max(date);
                }
                None => f.fixes.push(FixFact {
                    kb: r.kb,
                    component,
                    kind: r.fix_kind,
                    date,
                }),
            }
        }
        let source = t.sources[usize::from(r.source)].identity.as_str();
        if !f.sources.contains(&source) {
            f.sources.push(source);
        }
    }

    /// Which KB supersedes which, for the OS products `products` and the
    /// components on them.
    pub fn supersedence(&self, products: &[Product]) -> FxHashMap<u32, Vec<u32>> {
        let wanted: Vec<bool> = self
            .t
            .products
            .iter()
            .map(|p| products.iter().any(|os| p.same_os(os)))
            .collect();
        let mut supersedes: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
        for e in self.edges() {
            if wanted[usize::from(e.product)] {
                let v = supersedes.entry(e.kb).or_default();
                if !v.contains(&e.supersedes) {
                    v.push(e.supersedes);
                }
            }
        }
        supersedes
    }
}

/// Removes temporary files that an interrupted import left next to the
/// database (older than ten minutes, so a concurrent import keeps its own).
fn remove_stale_temporaries(dir: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let prefix = format!(".{name}.");
    for e in entries.flatten() {
        let file = e.file_name();
        let file = file.to_string_lossy();
        if !(file.starts_with(&prefix) && file.ends_with(".tmp")) {
            continue;
        }
        let old = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age.as_secs() > 600);
        if old {
            let _ = fs::remove_file(e.path());
        }
    }
}

/// What an advisory source says about one OS product: its CVEs and the
/// supersedence between the fixing updates.
#[derive(Debug, Clone, Default)]
pub struct Facts<'a> {
    /// One entry per CVE.
    pub cves: Vec<CveFacts<'a>>,
    /// KB → the KBs it supersedes, for this product.
    pub supersedes: FxHashMap<u32, Vec<u32>>,
}
