//! Large files decoded as a stream: a UTF-16 file above the whole-file limit
//! is turned into UTF-8 a block at a time, so it is linted line by line in
//! bounded memory like a UTF-8 file.

use std::io::{self, Read};

use encoding_rs::{Decoder, Encoding, UTF_16BE, UTF_16LE};

/// Bytes of UTF-16 read per block.
const BLOCK: usize = 64 * 1024;

/// The UTF-16 byte order of a file whose first bytes are `head`: from its
/// byte-order mark, or, without one, from where the NUL bytes of ASCII text
/// fall (every other byte, all on the same side). `None` for anything else.
pub fn utf16_encoding(head: &[u8]) -> Option<&'static Encoding> {
    if head.starts_with(&[0xFF, 0xFE]) {
        return Some(UTF_16LE);
    }
    if head.starts_with(&[0xFE, 0xFF]) {
        return Some(UTF_16BE);
    }
    let head = &head[..head.len().min(8192) & !1];
    let half = head.len() / 2;
    let even = head.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd = head.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    if half == 0 {
        None
    } else if odd * 10 >= half * 9 && even == 0 {
        Some(UTF_16LE)
    } else if even * 10 >= half * 9 && odd == 0 {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Reads UTF-16 from `inner` and yields it as UTF-8 (a byte-order mark is
/// dropped, unpaired surrogates become U+FFFD).
pub struct Utf16Reader<R> {
    inner: R,
    decoder: Decoder,
    raw: Vec<u8>,
    out: Vec<u8>,
    pos: usize,
    done: bool,
}

impl<R: Read> Utf16Reader<R> {
    /// A reader decoding `inner` with `encoding` (UTF-16LE or UTF-16BE).
    pub fn new(inner: R, encoding: &'static Encoding) -> Self {
        Utf16Reader {
            inner,
            decoder: encoding.new_decoder_with_bom_removal(),
            raw: vec![0; BLOCK],
            out: Vec::new(),
            pos: 0,
            done: false,
        }
    }

    /// Decodes the next block into `out`; false at the end of the input.
    fn refill(&mut self) -> io::Result<bool> {
        if self.done {
            return Ok(false);
        }
        let n = self.inner.read(&mut self.raw)?;
        let last = n == 0;
        // The decoder's own worst case for this input (a pending half code
        // unit or lone surrogate from the last block included), so that it
        // always takes the whole block.
        let room = self.decoder.max_utf8_buffer_length(n).unwrap_or(n * 3 + 16);
        self.out.resize(room, 0);
        let (_, _, written, _) = self
            .decoder
            .decode_to_utf8(&self.raw[..n], &mut self.out, last);
        self.out.truncate(written);
        self.pos = 0;
        self.done = last;
        Ok(true)
    }
}

impl<R: Read> Read for Utf16Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.out.len() {
            if !self.refill()? {
                return Ok(0);
            }
        }
        let n = buf.len().min(self.out.len() - self.pos);
        buf[..n].copy_from_slice(&self.out[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(text: &str, little: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        let units = bom.then_some(0xFEFF).into_iter().chain(text.encode_utf16());
        for u in units {
            out.extend(if little {
                u.to_le_bytes()
            } else {
                u.to_be_bytes()
            });
        }
        out
    }

    #[test]
    fn decodes_both_orders_across_blocks() {
        let text = "é€😀 ver 6.0.6002\r\n".repeat(10_000);
        for (little, bom) in [(true, true), (false, true), (true, false), (false, false)] {
            let bytes = utf16(&text, little, bom);
            let enc = utf16_encoding(&bytes);
            let expected = if little { UTF_16LE } else { UTF_16BE };
            if bom {
                assert_eq!(enc, Some(expected));
            }
            let mut got = String::new();
            Utf16Reader::new(&bytes[..], expected)
                .read_to_string(&mut got)
                .expect("decode");
            assert_eq!(got, text);
        }
        assert_eq!(
            utf16_encoding(&utf16("plain ascii", true, false)),
            Some(UTF_16LE)
        );
        assert_eq!(utf16_encoding(b"plain ascii"), None);
    }
}
