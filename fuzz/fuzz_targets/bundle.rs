//! The collector bundle: marker splitting, per-section decoding and every
//! section parser, on arbitrary bytes after the bundle's first line.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut bytes = b"#lastrollup-bundle 1\r\n".to_vec();
    bytes.extend_from_slice(data);
    if let Ok(file) = lastrollup::evidence::read_file("fuzz.txt", &bytes) {
        let _ = lastrollup::host::identify(&[file]);
    }
});
