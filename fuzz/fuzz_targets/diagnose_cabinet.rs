//! `CbsPersist_*.cab` archives (diagnose::cabinet) on arbitrary bytes: every
//! member is read or refused with an error, never a panic, in bounded
//! memory. Seeds: uncompressed cabinets of the diagnose fixtures (seed.sh).
#![no_main]

use std::io::Cursor;

use lastrollup::catalog::Catalog;
use lastrollup::diagnose::{self, cabinet};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let catalog = Catalog::embedded();
    let files: Vec<_> = cabinet::read_cabinet("fuzz.cab", Cursor::new(data), catalog)
        .into_iter()
        .filter_map(Result::ok)
        .collect();
    let _ = diagnose::diagnose(files, catalog).to_text();
});
