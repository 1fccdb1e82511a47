//! The `registry` parser alone, on text decoded from arbitrary bytes the way
//! `read_file` decodes it.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (text, _) = lastrollup::evidence::text::decode(data, &lastrollup::evidence::systeminfo::labels::code_page_hint);
    let _ = lastrollup::evidence::registry::parse_str(&text);
});
