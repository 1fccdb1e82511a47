//! `lastrollup verify`'s manifest reader: any bytes as `manifest.json`,
//! checked against the embedded catalog. It must refuse or accept, never
//! panic; what it accepts must serialize and read back to the same manifest.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lastrollup::offline::{manifest, read};

fuzz_target!(|data: &[u8]| {
    let catalog = lastrollup::catalog::Catalog::embedded();
    if let Ok(m) = read::parse("manifest.json", data, catalog) {
        let again = manifest::to_json(&m);
        let back = read::parse("manifest.json", again.as_bytes(), catalog)
            .expect("a manifest that was accepted reads back");
        assert_eq!(back, m);
    }
});
