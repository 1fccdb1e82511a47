//! How labels are compared: [`normalize`], and the hash and probe sequence
//! of the label tables that `build.rs` lays out at compile time.
//!
//! `build.rs` includes this very file (`#[path]`), so the normalized keys
//! and the slots it computes are those the library looks up: one
//! implementation for both. It must therefore depend on `std` only.

/// Normalizes a label or value for comparison: lower case, white space
/// collapsed, no white space around colons, no trailing colon.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    normalize_into(s, &mut out);
    out
}

/// [`normalize`] into `out` (cleared first), so one buffer serves many.
pub fn normalize_into(s: &str, out: &mut String) {
    out.clear();
    if s.is_ascii() {
        normalize_ascii_into(s.as_bytes(), out);
    } else {
        normalize_chars_into(s, out);
    }
}

/// [`normalize_into`] a character at a time (any text).
pub fn normalize_chars_into(s: &str, out: &mut String) {
    let mut pending_space = false;
    for c in s.chars() {
        let c = if c == '：' { ':' } else { c };
        if c.is_whitespace() || c == '\u{A0}' || c == '\u{202F}' {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space && c != ':' && !out.ends_with(':') {
            out.push(' ');
        }
        pending_space = false;
        out.extend(c.to_lowercase());
    }
    while out.ends_with(':') {
        out.pop();
    }
}

/// Whether an ASCII byte is white space as `char::is_whitespace` has it.
pub fn is_ascii_char_whitespace(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r')
}

/// [`normalize_into`] for ASCII text, a byte at a time: the same steps, with
/// ASCII white space and ASCII lower case (which is what `char` white space
/// and lower case are for ASCII characters).
pub fn normalize_ascii_into(s: &[u8], out: &mut String) {
    let mut bytes = std::mem::take(out).into_bytes();
    normalize_ascii_bytes(s, &mut bytes, usize::MAX);
    // ASCII in, ASCII out: never invalid.
    *out = String::from_utf8(bytes).unwrap_or_default();
}

/// The bytes of [`normalize_ascii_into`] into `out` (cleared first); gives
/// up, returning `false`, once more than `limit` bytes are written before
/// trailing colons are dropped (no label is that long).
pub fn normalize_ascii_bytes(s: &[u8], out: &mut Vec<u8>, limit: usize) -> bool {
    out.clear();
    let mut pending_space = false;
    let mut last = None;
    for &b in s {
        if is_ascii_char_whitespace(b) {
            pending_space = last.is_some();
            continue;
        }
        if pending_space && b != b':' && last != Some(b':') {
            out.push(b' ');
        }
        pending_space = false;
        let b = b.to_ascii_lowercase();
        out.push(b);
        last = Some(b);
        if out.len() > limit {
            return false;
        }
    }
    while out.last() == Some(&b':') {
        out.pop();
    }
    true
}

/// The hash of a table key: its length and its first and last eight bytes
/// (overlapping in a shorter key; a key under eight bytes is read as one
/// word), multiplied in as FxHash does, then folded so that the low bits,
/// which pick the slot, depend on all of them. Bytes in between are left
/// out: labels of one length that share both ends are rare, and the key is
/// compared in full anyway. Fixed here, not taken from a hasher crate,
/// because the slots are computed at build time and must not change under
/// the library.
pub fn key_hash(key: &[u8]) -> u64 {
    const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
    let mix = |h: u64, w: u64| (h.rotate_left(5) ^ w).wrapping_mul(K);
    let n = key.len();
    let (first, last) = if n >= 8 {
        (le_u64(key), le_u64(key.get(n - 8..).unwrap_or_default()))
    } else if n >= 4 {
        let tail = le_u32(key.get(n - 4..).unwrap_or_default());
        (u64::from(le_u32(key)), u64::from(tail))
    } else {
        let byte = |i: usize| u64::from(key.get(i).copied().unwrap_or(0));
        (
            byte(0) | byte(n / 2) << 8 | byte(n.wrapping_sub(1)) << 16,
            0,
        )
    };
    let h = mix(mix(n as u64, first), last);
    h ^ (h >> 29) ^ (h >> 47)
}

/// The first eight bytes of `b` as a little-endian number (0 if shorter).
fn le_u64(b: &[u8]) -> u64 {
    b.get(..8)
        .and_then(|w| <[u8; 8]>::try_from(w).ok())
        .map_or(0, u64::from_le_bytes)
}

/// The first four bytes of `b` as a little-endian number (0 if shorter).
fn le_u32(b: &[u8]) -> u32 {
    b.get(..4)
        .and_then(|w| <[u8; 4]>::try_from(w).ok())
        .map_or(0, u32::from_le_bytes)
}

/// The slot a key is looked for first in a table of `len` slots (a power
/// of two): the low bits of its hash. (Truncating to a 32-bit `usize`
/// keeps them.)
pub fn first_slot(key: &[u8], len: usize) -> usize {
    key_hash(key) as usize & len.wrapping_sub(1)
}

/// The slot looked in after `slot` (linear probing, wrapping around).
pub fn next_slot(slot: usize, len: usize) -> usize {
    slot.wrapping_add(1) & len.wrapping_sub(1)
}
