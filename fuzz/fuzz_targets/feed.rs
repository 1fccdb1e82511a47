//! Any bytes through feed detection and reading (all seven kinds, the wesng
//! zip included).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = lastrollup::advisory::feed::detect(data);
    let _ = lastrollup::advisory::feed::read("fuzz", data, &mut |done, total| {
        assert!(done <= total);
    });
});
