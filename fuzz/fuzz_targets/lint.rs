//! The lint engine on arbitrary bytes: decoding, the prefilter and every
//! rule must never panic, and every finding must point inside the input.
//! The fixes too: applying every edit (safe or not) never panics and keeps
//! the number of lines, and once the safe edits are applied, linting the
//! result proposes no safe edit again (`--fix` is idempotent).
#![no_main]

use lastrollup::lint::{fix, lint_bytes, Config, Finding};
use libfuzzer_sys::fuzz_target;

fn safe_edits(findings: &[Finding]) -> Vec<fix::Edit> {
    fix::edits(findings).into_iter().filter(|e| e.safe).collect()
}

fuzz_target!(|data: &[u8]| {
    let names = ["x.ps1", "x.cmd", "x.vbs", "x.nsi", "x.wxs", "x.py", "x"];
    let name = names[data.first().map_or(0, |b| *b as usize % names.len())];
    let config = Config::default();
    let Some(findings) = lint_bytes(name, data, &config) else {
        return;
    };
    let lines = data.iter().filter(|&&b| b == b'\n').count() + 1;
    for f in &findings {
        assert!(f.line >= 1 && f.line <= lines.max(1) * 2);
        assert!(f.column >= 1);
    }
    if let Ok(all) = fix::rewrite(data, &fix::edits(&findings)) {
        assert_eq!(all.old.split('\n').count(), all.new.split('\n').count());
    }
    let Ok(once) = fix::rewrite(data, &safe_edits(&findings)) else {
        return;
    };
    if once.applied.is_empty() {
        return;
    }
    let bytes = once.bytes();
    let again = lint_bytes(name, &bytes, &config).expect("still text");
    let twice = fix::rewrite(&bytes, &safe_edits(&again)).expect("still rewritable");
    assert!(twice.applied.is_empty(), "{:?}", twice.applied);
});
