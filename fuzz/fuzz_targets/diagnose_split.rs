//! A CBS log read in byte ranges (`diagnose::split`, the parallel path for
//! large files) must give exactly what the one-pass reading gives: the
//! first byte picks the number of ranges (1–8), the rest is the log.
#![no_main]

use lastrollup::catalog::Catalog;
use lastrollup::diagnose::{self, split};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&n, log)) = data.split_first() else {
        return;
    };
    let catalog = Catalog::embedded();
    let whole = diagnose::read_log("fuzz.log", log, catalog);
    let parts = split::read_split("fuzz.log", log, usize::from(n % 8) + 1, catalog);
    match (whole, parts) {
        (Ok(a), Ok(b)) => assert_eq!(a, b),
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
        (a, b) => panic!("one pass {:?}, ranges {:?}", a.is_ok(), b.is_ok()),
    }
});
