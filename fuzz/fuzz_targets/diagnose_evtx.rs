//! `.evtx` exports (diagnose::evtx) on arbitrary bytes: a clear error or a
//! reading, never a panic. The input is prefixed with the file magic so
//! the fuzzer starts past it. Seeds: own header-only and cut files
//! (seed.sh); real exports can be added to the corpus locally, never
//! committed.
#![no_main]

use std::io::Cursor;

use lastrollup::catalog::Catalog;
use lastrollup::diagnose::{self, evtx};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let catalog = Catalog::embedded();
    let mut bytes = b"ElfFile\0".to_vec();
    bytes.extend_from_slice(data);
    if let Ok(file) = evtx::read_evtx("fuzz.evtx", Cursor::new(bytes), catalog) {
        let _ = diagnose::diagnose(vec![file], catalog).to_text();
    }
});
