//! Damaged `.evtx` exports give a clear error naming the file, never a
//! panic: a cut header, random bytes after the magic, and a valid header
//! whose chunk is garbage. (Reading real records is checked in the
//! module's unit tests on records built in memory: no Microsoft-made
//! `.evtx` file is committed.)

use std::io::Cursor;

use lastrollup::catalog::Catalog;
use lastrollup::diagnose::evtx;

fn read(bytes: Vec<u8>) -> Result<lastrollup::diagnose::LogFile, lastrollup::EvidenceError> {
    evtx::read_evtx("System.evtx", Cursor::new(bytes), Catalog::embedded())
}

/// Bytes from a small linear congruential generator.
fn noise(n: usize, seed: u32) -> Vec<u8> {
    let mut x = seed;
    (0..n)
        .map(|_| {
            x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (x >> 24) as u8
        })
        .collect()
}

/// A file header as the format describes it (version 3.1, one chunk,
/// CRC32 of the first 120 bytes), padded to 4 KiB.
fn header() -> Vec<u8> {
    let mut h = b"ElfFile\0".to_vec();
    h.extend(0u64.to_le_bytes()); // first chunk
    h.extend(0u64.to_le_bytes()); // last chunk
    h.extend(1u64.to_le_bytes()); // next record id
    h.extend(128u32.to_le_bytes()); // header size
    h.extend(1u16.to_le_bytes()); // minor version
    h.extend(3u16.to_le_bytes()); // major version
    h.extend(4096u16.to_le_bytes()); // header block size
    h.extend(1u16.to_le_bytes()); // chunks
    h.resize(120, 0);
    h.extend(0u32.to_le_bytes()); // flags
    let crc = crc32fast::hash(&h[..120]);
    h.extend(crc.to_le_bytes());
    h.resize(4096, 0);
    h
}

fn assert_clear_error(what: &str, bytes: Vec<u8>) {
    assert!(evtx::is_evtx(&bytes), "{what}: not routed as .evtx");
    let err = read(bytes).expect_err(what).to_string();
    assert!(err.contains("System.evtx"), "{what}: {err}");
}

#[test]
fn a_cut_header_is_an_error() {
    let mut bytes = header();
    bytes.truncate(24);
    assert_clear_error("cut header", bytes);
}

#[test]
fn random_bytes_after_the_magic_are_an_error() {
    for seed in 1..20 {
        let mut bytes = b"ElfFile\0".to_vec();
        bytes.extend(noise(70_000, seed));
        assert_clear_error("random bytes", bytes);
    }
}

#[test]
fn a_valid_header_with_garbage_chunks_is_an_error() {
    let mut bytes = header();
    bytes.extend_from_slice(b"ElfChnk\0");
    bytes.extend(noise(65_536 - 8, 7));
    assert_clear_error("garbage chunk", bytes.clone());
    // Without the chunk magic as well.
    let mut bytes = header();
    bytes.extend(noise(2 * 65_536, 9));
    assert_clear_error("no chunk magic", bytes);
}
