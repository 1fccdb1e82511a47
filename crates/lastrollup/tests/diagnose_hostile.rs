//! `diagnose` on hostile input: runs of NUL bytes (what a crash leaves in
//! CBS.log), megabyte lines, truncated UTF-16, mixed encodings, random
//! bytes, and a long stream whose matches must stay bounded.

use std::io::{BufReader, Read};

use lastrollup::catalog::Catalog;
use lastrollup::diagnose::{self, lines::MAX_LINE_BYTES, sink::EVENTS_PER_SIGNAL};
use proptest::prelude::*;

const PENDING: &str = "2011-04-20 03:05:41, Info                  CBS    Failed to get transaction analysis because of pending operations. hr: 0x80070bc9\r\n";

fn run(bytes: &[u8]) -> Result<diagnose::Diagnosis, lastrollup::EvidenceError> {
    let catalog = Catalog::embedded();
    let file = diagnose::read_log("hostile.log", bytes, catalog)?;
    Ok(diagnose::diagnose(vec![file], catalog))
}

#[test]
fn nul_runs_do_not_hide_what_follows() {
    let mut bytes = b"2011-04-20 03:05:40, Info                  CBS    Loaded Servicing Stack v6.0.6002.18005\r\n".to_vec();
    bytes.extend(std::iter::repeat_n(0u8, 3 * 1024 * 1024));
    bytes.extend_from_slice(b"\r\n");
    bytes.extend_from_slice(PENDING.as_bytes());
    let d = run(&bytes).expect("readable");
    assert_eq!(d.causes[0].id, "pending-reboot");
    assert_eq!(d.causes[0].evidence[0].line, 3);
}

#[test]
fn megabyte_lines_are_cut() {
    let mut bytes = vec![b'A'; 4 * 1024 * 1024];
    bytes.extend_from_slice(b"\n");
    bytes.extend_from_slice(PENDING.as_bytes());
    let d = run(&bytes).expect("readable");
    assert_eq!(d.files[0].truncated_lines, 1);
    assert_eq!(d.causes[0].id, "pending-reboot");
    assert!(d.causes[0]
        .evidence
        .iter()
        .all(|e| e.text.len() <= 4 * MAX_LINE_BYTES));
}

#[test]
fn truncated_utf16_and_mixed_encodings() {
    let mut utf16 = vec![0xFF, 0xFE];
    for u in PENDING.encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    utf16.push(b'x'); // half a code unit at the end
    assert_eq!(run(&utf16).expect("utf-16").causes[0].id, "pending-reboot");
    let mut mixed =
        b"Windows update \xabKB5014010\xbb could not be installed because of error 2359302\r\n"
            .to_vec();
    mixed.extend_from_slice("caf\u{e9} ok\r\n".as_bytes());
    let d = run(&mixed).expect("mixed");
    assert_eq!(d.causes[0].id, "already-installed");
}

#[test]
fn empty_input_is_unusable() {
    assert!(run(b"").is_err());
    assert!(run(b"\r\n\r\n  \r\n").is_err());
}

/// A reader that repeats one line `n` times without holding them.
struct Repeat {
    line: &'static [u8],
    left: usize,
    pos: usize,
}

impl Read for Repeat {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let mut n = 0;
        while n < buf.len() && self.left > 0 {
            let take = (self.line.len() - self.pos).min(buf.len() - n);
            buf[n..n + take].copy_from_slice(&self.line[self.pos..self.pos + take]);
            n += take;
            self.pos += take;
            if self.pos == self.line.len() {
                self.pos = 0;
                self.left -= 1;
            }
        }
        Ok(n)
    }
}

#[test]
fn a_long_stream_keeps_a_bounded_number_of_events() {
    let catalog = Catalog::embedded();
    let reader = BufReader::new(Repeat {
        line: PENDING.as_bytes(),
        left: 100_000,
        pos: 0,
    });
    let file = diagnose::read_log("big.log", reader, catalog).expect("readable");
    assert_eq!(file.lines, 100_000);
    assert!(file.events.len() <= 2 * EVENTS_PER_SIGNAL);
    assert!(file.dropped_events > 90_000);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let _ = run(&bytes);
    }

    #[test]
    fn spliced_real_lines_never_panic(
        picks in proptest::collection::vec((0usize..6, 0usize..200), 1..40)
    ) {
        let parts: [&[u8]; 6] = [
            PENDING.as_bytes(),
            b"2022-11-13\t11:15:01:303\t1048\tfd4\tMisc\tWARNING: WinHttp: SendRequestUsingProxy failed for <https://www.update.microsoft.com/x>. error 0x80072efe\n",
            b"(f) CBS MUM Corrupt 0x800B0100  servicing\\Packages\\Package_for_KB978601~31bf3856ad364e35~amd64~~6.0.1.0.mum\n",
            b"Event[0]:\n  Source: ESENT\n  Level: Error\n  Description: \n",
            b"\xff\xfe\x00\x00\x00",
            b"<<<  [Exit status: FAILURE(0xe0000248)]\n",
        ];
        let mut bytes = Vec::new();
        for (i, cut) in picks {
            let p = parts[i];
            bytes.extend_from_slice(&p[..cut.min(p.len())]);
        }
        let _ = run(&bytes);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// What the per-reader fuzz targets run: every reader forced onto any bytes.
    #[test]
    fn every_reader_on_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        use lastrollup::diagnose::LogFormat;
        let catalog = Catalog::embedded();
        for format in [
            LogFormat::Cbs,
            LogFormat::WindowsUpdate,
            LogFormat::CheckSur,
            LogFormat::SetupApi,
            LogFormat::EventLog,
            LogFormat::Mixed,
            LogFormat::Text,
        ] {
            if let Ok(f) = diagnose::read_log_as("fuzz.log", bytes.as_slice(), Some(format), catalog) {
                let _ = diagnose::diagnose(vec![f], catalog).to_text();
            }
        }
    }
}
