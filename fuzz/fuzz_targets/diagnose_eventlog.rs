//! The `diagnose` eventlog reader alone (format forced, not detected), then the
//! cause ranking, on arbitrary bytes.
#![no_main]

use lastrollup::catalog::Catalog;
use lastrollup::diagnose::{self, LogFormat};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let catalog = Catalog::embedded();
    if let Ok(file) = diagnose::read_log_as("fuzz.log", data, Some(LogFormat::EventLog), catalog) {
        let _ = diagnose::diagnose(vec![file], catalog).to_text();
    }
});
