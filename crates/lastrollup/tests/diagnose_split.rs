//! `diagnose::split` (a large CBS.log read in byte ranges over the cores)
//! against the one-pass reading: the same `LogFile` (events, attempts,
//! evidence lines, OS verdict, counts, encoding) on generated CBS logs
//! with continuation and blank lines, lines in legacy code pages, NUL
//! runs, over-long lines, and more events of a kind than are kept.

use lastrollup::catalog::Catalog;
use lastrollup::diagnose::{self, split};
use proptest::prelude::*;

/// Lines of the diagnose fixtures: real CBS records, failures among them.
fn fixture_lines() -> Vec<Vec<u8>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diagnose");
    let mut out = Vec::new();
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures")
        .map(|e| e.expect("entry").path())
        .collect();
    paths.sort();
    for p in paths {
        let bytes = std::fs::read(&p).expect("fixture");
        out.extend(bytes.split(|&b| b == b'\n').map(<[u8]>::to_vec));
    }
    out
}

fn line() -> impl Strategy<Value = Vec<u8>> {
    let pool = fixture_lines();
    prop_oneof![
        12 => proptest::sample::select(pool),
        2 => Just(b"2020-03-11 10:02:12, Info                  CBS    WER: Generating failure report for package: Package_for_KB4541506~31bf3856ad364e35~amd64~~6.0.1.5, status: 0x80092004, failure source: Execute\r".to_vec()),
        2 => Just(b"2011-04-20 03:05:41, Error                 CSI    00000004 (F) STATUS_SXS_ASSEMBLY_MISSING [gle=0x80004005]\r".to_vec()),
        1 => Just(b"2011-04-20 03:05:41, Info                  CBS    Exec: Processing complete.  Session: 30145891_290218745, Package: Package_for_KB978601~31bf3856ad364e35~x86~~6.0.1.0 [HRESULT = 0x800f0823]\r".to_vec()),
        1 => Just(b"    continued 0x80070002 ~~6.1.7601.1\r".to_vec()),
        1 => Just(b"\r".to_vec()),
        1 => Just(b"".to_vec()),
        1 => proptest::collection::vec(128u8..=255, 1..6)
            .prop_map(|hi| [b"2011-04-20 03:05:41, Info  CBS    caf".to_vec(), hi, b" failed 0x80070005".to_vec()].concat()),
        1 => proptest::collection::vec(any::<u8>(), 0..40),
        1 => Just([vec![0u8; 40], b"2011-04-20 03:05:41, Error CBS x".to_vec()].concat()),
    ]
}

fn log() -> impl Strategy<Value = Vec<u8>> {
    let head = b"2011-04-20 03:05:40, Info                  CBS    Loaded Servicing Stack v6.0.6002.18005\r\n".to_vec();
    (
        proptest::collection::vec(line(), 0..400),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(move |(lines, bom, long)| {
            let mut out = if bom {
                b"\xEF\xBB\xBF".to_vec()
            } else {
                Vec::new()
            };
            out.extend_from_slice(&head);
            for (i, l) in lines.iter().enumerate() {
                if long && i == lines.len() / 2 {
                    out.extend(std::iter::repeat_n(b'A', 20_000));
                }
                out.extend_from_slice(l);
                out.push(b'\n');
            }
            out
        })
}

fn same(bytes: &[u8], ranges: usize) {
    let catalog = Catalog::embedded();
    let whole = diagnose::read_log("s.log", bytes, catalog).map_err(|e| e.to_string());
    let parts = split::read_split("s.log", bytes, ranges, catalog).map_err(|e| e.to_string());
    assert_eq!(whole, parts, "{ranges} ranges");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn ranges_read_as_one_pass(bytes in log(), ranges in 2usize..9) {
        same(&bytes, ranges);
    }
}

/// What `bytes` gives read as CBS line by line, every line copied into a
/// `LogLine` and fed to `LogReader::line` (the reading before
/// `CbsReader::read_all` took whole lines from the read buffer), against
/// `read_log_as` through a buffer of `capacity` bytes.
fn same_as_line_by_line(bytes: &[u8], capacity: usize) {
    use lastrollup::diagnose::cbs::CbsReader;
    use lastrollup::diagnose::sink::Sink;
    use lastrollup::diagnose::{LineReader, LogFormat, LogReader};
    let catalog = Catalog::embedded();
    // The same buffer for both: a byte-order mark is told from the bytes
    // of the first fill.
    let input = || std::io::BufReader::with_capacity(capacity, bytes);
    let Ok(file) = diagnose::read_log_as("s.log", input(), Some(LogFormat::Cbs), catalog) else {
        return;
    };
    let mut lines = LineReader::new(input());
    let mut sink = Sink::new("s.log", catalog);
    let mut reader = CbsReader::default();
    let (mut count, mut truncated) = (0, 0);
    while let Some(l) = lines.next_line().expect("in-memory read") {
        count = l.number;
        truncated += u64::from(l.truncated);
        reader.line(&l, &mut sink);
    }
    reader.finish(&mut sink);
    assert_eq!(file.events, sink.events, "events, buffer of {capacity}");
    assert_eq!(
        file.attempts,
        sink.attempts.into_iter().collect::<Vec<_>>(),
        "attempts"
    );
    assert_eq!(file.dropped_events, sink.dropped);
    assert_eq!((file.lines, file.truncated_lines), (count, truncated));
    let os = sink.os.verdict();
    assert_eq!(
        (file.os.family, file.os.line),
        (os.map(|(f, _)| f.label()), os.map(|(_, l)| l))
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn buffered_lines_read_as_line_by_line(
        bytes in log(),
        capacity in prop_oneof![1usize..300, 300usize..70_000],
    ) {
        same_as_line_by_line(&bytes, capacity);
    }
}

#[test]
fn buffered_records_between_continuations() {
    let start = "2011-04-20 03:05:41, Info                  CBS    Loaded Servicing Stack v6.0.6002.18005\r\n";
    let failed = "2011-04-20 03:05:42, Error                 CSI    00000004 (F) STATUS_SXS_ASSEMBLY_MISSING\r\n";
    let reboot = "2011-04-20 03:05:43, Error                 CBS    Failed to reboot system. [HRESULT = 0x80070bc9]\r\n";
    let quiet = "2011-04-20 03:05:44, Info                  CBS    Session: 30145891_290218745 initialized\r\n";
    let mut log = start.repeat(70);
    for i in 0..2000 {
        // A record with a continuation, closed by a record of one line
        // that is read in place: its events come after the open one's.
        log.push_str(match i % 6 {
            0 => failed,
            1 => "   [gle=0x80004005] 0x800f0823 failed\r\n",
            2 => reboot,
            4 => "\r\n",
            _ => quiet,
        });
    }
    for capacity in [1, 7, 64, 100, 333, 4096, 65_536] {
        same_as_line_by_line(log.as_bytes(), capacity);
    }
}

#[test]
fn many_events_of_one_kind_across_ranges() {
    let line = "2011-04-20 03:05:41, Error                 CSI    00000004 (F) STATUS_SXS_ASSEMBLY_MISSING\r\n";
    let attempt = "2020-03-11 10:02:12, Info                  CBS    WER: Generating failure report for package: Package_for_KB4541506~31bf3856ad364e35~amd64~~6.0.1.5, status: 0x80092004\r\n";
    let mut log = String::new();
    for i in 0..1000 {
        log.push_str(if i % 3 == 0 { attempt } else { line });
        if i % 7 == 0 {
            log.push_str("   a continuation ~~6.1.7601.1\r\n");
        }
    }
    for ranges in [2, 3, 5, 8, 64] {
        same(log.as_bytes(), ranges);
    }
}

#[test]
fn code_pages_met_in_later_ranges() {
    let mut log = Vec::new();
    for i in 0..300 {
        log.extend_from_slice(b"2011-04-20 03:05:41, Info  CBS    line ");
        log.extend_from_slice(i.to_string().as_bytes());
        match i % 100 {
            10 => log.extend_from_slice(b" \xe9t\xe9 failed 0x80070005"),
            60 => log.extend_from_slice(b" \xce\xf8\xe8\xe1\xea\xe0 failed 0x80070005"),
            _ => {}
        }
        log.extend_from_slice(b"\r\n");
    }
    for ranges in 2..9 {
        same(&log, ranges);
    }
}

#[test]
fn not_cbs_or_utf16_is_read_in_one_pass() {
    let mut utf16 = vec![0xFF, 0xFE];
    for u in "2011-04-20 03:05:41, Error CBS failed 0x80070005\r\n"
        .repeat(50)
        .encode_utf16()
    {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    same(&utf16, 4);
    same(b"wusa.exe KB4474419.msu\n5\n".repeat(40).as_slice(), 4);
    same(b"", 4);
}
