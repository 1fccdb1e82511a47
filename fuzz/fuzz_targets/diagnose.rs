//! `diagnose` as the command runs it: format detected from content, every
//! reader reachable, then the cause ranking and both report forms.
#![no_main]

use lastrollup::catalog::Catalog;
use lastrollup::diagnose;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let catalog = Catalog::embedded();
    if let Ok(file) = diagnose::read_log("fuzz.log", data, catalog) {
        let d = diagnose::diagnose(vec![file], catalog);
        let _ = d.to_text();
        let _ = d.to_json();
    }
});
