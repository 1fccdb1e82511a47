//! The CSAF 2.0 reader on any bytes.
#![no_main]

use lastrollup::advisory::{feed, FeedKind};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = feed::read_as(FeedKind::Csaf, "fuzz.json", data, &mut |_, _| {});
});
