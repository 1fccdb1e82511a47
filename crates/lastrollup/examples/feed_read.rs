//! Reads advisory feed files and prints what each holds and how long reading
//! took: `cargo run --release --example feed_read -- FILE...`.

use std::time::Instant;

fn main() {
    for path in std::env::args().skip(1) {
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{path}: {e}");
                continue;
            }
        };
        let start = Instant::now();
        let result = lastrollup::advisory::feed::read(&path, &bytes, &mut |_, _| {});
        let elapsed = start.elapsed();
        match result {
            Ok(doc) => println!(
                "{path}: {:?} {:?} {:?} released {:?}: {} records, {} KEV entries; rows read {}, other products {}, unusable {}, duplicates {}; {:.3} s",
                doc.kind,
                doc.identity,
                doc.version,
                doc.released,
                doc.records.len(),
                doc.kev.len(),
                doc.rows_read,
                doc.rows_other_products,
                doc.rows_unusable,
                doc.rows_duplicate,
                elapsed.as_secs_f64()
            ),
            Err(e) => println!("{e}"),
        }
    }
}
