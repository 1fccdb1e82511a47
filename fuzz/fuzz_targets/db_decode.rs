//! Any bytes as an advisory database file: opened as they are, and again as
//! the body under a valid header (so that mutations get past the checksum and
//! reach the table decoding and index checks). A database that opens is read
//! for every NT 6.0 OS product, re-encoded, and must open again with the same
//! totals.
#![no_main]

use std::path::Path;

use lastrollup::advisory::database::{Database, FORMAT_VERSION};
use lastrollup::advisory::Product;
use libfuzzer_sys::fuzz_target;

const PRODUCTS: [&str; 4] = [
    "Windows Server 2008 for x64-based Systems Service Pack 2",
    "Windows Server 2008 for 32-bit Systems Service Pack 2 (Server Core installation)",
    "Windows Vista Service Pack 2",
    "Windows Vista x64 Edition Service Pack 2",
];

fn exercise(db: Result<Database, lastrollup::advisory::database::DbError>) {
    let Ok(db) = db else { return };
    let totals = db.totals();
    let products: Vec<Product> = PRODUCTS.iter().filter_map(|p| Product::parse(p)).collect();
    let mut seen = 0usize;
    db.each_cve(&products, &mut |f| {
        // Every CVE the rows name is in the CVE table, once per visit.
        assert!(f.affects_os || !f.components.is_empty());
        seen += 1;
    });
    assert!(seen <= totals.cves);
    let _ = db.supersedence(&products);
    let _ = db.facts_for(&products[0]);
    let again = Database::decode(Path::new("again.lrdb"), &db.encode())
        .expect("a database that opened must open again once re-encoded");
    assert_eq!(again.totals(), totals);
}

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz.lrdb");
    exercise(Database::decode(path, data));
    let mut file = Vec::with_capacity(data.len() + 24);
    file.extend_from_slice(b"LRADVDB\0");
    file.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    file.extend_from_slice(&(data.len() as u64).to_le_bytes());
    file.extend_from_slice(&crc32fast::hash(data).to_le_bytes());
    file.extend_from_slice(data);
    exercise(Database::decode(path, &file));
});
