//! Parses one file `N` times with `evidence::read_file`, for instruction
//! counts that do not depend on a noisy machine:
//!
//! ```text
//! valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.out \
//!     target/release/examples/parse_loop FILE 101
//! ```
//!
//! The first call also builds the label tables; compare the totals of two
//! runs (say 1 and 101 iterations) to get the cost of one parse.

use std::hint::black_box;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: parse_loop FILE [ITERATIONS]")?;
    let iterations: usize = args.next().map_or(Ok(1), |n| n.parse())?;
    let bytes = std::fs::read(&path)?;
    let mut records = 0;
    for _ in 0..iterations {
        let file = lastrollup::evidence::read_file("bench.txt", black_box(&bytes))?;
        records += file.records.len();
    }
    println!("{records} records");
    Ok(())
}
