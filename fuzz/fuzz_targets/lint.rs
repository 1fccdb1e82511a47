//! The lint engine on arbitrary bytes: decoding, the prefilter and every
//! rule must never panic, and every finding must point inside the input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let names = ["x.ps1", "x.cmd", "x.vbs", "x.nsi", "x.wxs", "x.py", "x"];
    let name = names[data.first().map_or(0, |b| *b as usize % names.len())];
    let config = lastrollup::lint::Config::default();
    if let Some(findings) = lastrollup::lint::lint_bytes(name, data, &config) {
        let lines = data.iter().filter(|&&b| b == b'\n').count() + 1;
        for f in findings {
            assert!(f.line >= 1 && f.line <= lines.max(1) * 2);
            assert!(f.column >= 1);
        }
    }
});
