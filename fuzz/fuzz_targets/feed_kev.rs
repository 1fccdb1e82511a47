//! The CISA KEV readers (JSON and CSV) on any bytes.
#![no_main]

use lastrollup::advisory::{feed, FeedKind};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = feed::read_as(FeedKind::KevJson, "fuzz.json", data, &mut |_, _| {});
    let _ = feed::read_as(FeedKind::KevCsv, "fuzz.csv", data, &mut |_, _| {});
});
