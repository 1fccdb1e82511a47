//! The whole `check` pipeline: every parser, host reconciliation, the
//! assessment against the embedded catalog and every renderer, on arbitrary
//! bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(file) = lastrollup::evidence::read_file("fuzz.txt", data) {
        let hosts = lastrollup::host::identify(&[file]);
        let options = lastrollup::assess::Options {
            as_of: jiff::civil::date(2026, 11, 23),
            goal: lastrollup::assess::Goal::Final,
        };
        let catalog = lastrollup::catalog::Catalog::embedded();
        let assessments: Vec<_> = lastrollup::assess::assess_all(&hosts, catalog, options);
        let report = lastrollup::report::check::build(&hosts, &assessments, &[], options.as_of, options.goal);
        let _ = lastrollup::report::check::to_json(&report);
        let _ = lastrollup::report::check::to_markdown(&report);
    }
});
