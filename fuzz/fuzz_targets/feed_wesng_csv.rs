//! The wesng CSV reader (prefilter, csv, row normalisation) on any bytes.
#![no_main]

use lastrollup::advisory::{feed, FeedKind};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = feed::read_as(FeedKind::WesngCsv, "fuzz.csv", data, &mut |_, _| {});
});
