//! The whole pipeline: decoding, format detection, every parser, and host
//! reconciliation, on arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(file) = lastrollup::evidence::read_file("fuzz.txt", data) {
        let hosts = lastrollup::host::identify(&[file]);
        let report = lastrollup::report::identify::build(&hosts, &[]);
        let _ = lastrollup::report::identify::to_json(&report);
    }
});
