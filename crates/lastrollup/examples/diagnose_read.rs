//! Reads one log the way `lastrollup diagnose` does, with the byte-level
//! prefilter (`fast`) or without it (`full`), and prints the number of
//! lines, events and causes: for timing and profiling the two paths on
//! the same build (BENCHMARKS.md, diagnose).
//!
//!   cargo run --profile bench --example diagnose_read -- fast|full FILE

use std::io::BufReader;

use lastrollup::catalog::Catalog;
use lastrollup::diagnose::{self, ReadOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(mode), Some(path)) = (args.next(), args.next()) else {
        return Err("usage: diagnose_read fast|full FILE".into());
    };
    let options = ReadOptions {
        prefilter: mode == "fast",
        ..ReadOptions::default()
    };
    let catalog = Catalog::embedded();
    let file = std::fs::File::open(&path)?;
    let reader = BufReader::with_capacity(1024 * 1024, file);
    let log = diagnose::read_log_with(&path, reader, options, catalog)?;
    let (lines, events) = (log.lines, log.events.len());
    let report = diagnose::diagnose(vec![log], catalog);
    let first = report.causes.first().map_or("none", |c| c.id.as_str());
    println!("{lines} lines, {events} events, first cause {first}");
    Ok(())
}
