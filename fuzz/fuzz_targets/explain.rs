//! `lastrollup explain`'s reading of a version, KB or error code.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = lastrollup::explain::explain(text, lastrollup::catalog::Catalog::embedded());
    }
});
