//! A CBS log read in byte ranges (`diagnose::split`, the parallel path for
//! large files) must give exactly what the one-pass reading gives: the
//! first byte picks the number of ranges (1–8), the rest is the log. The
//! one-pass reading (whole lines taken from the read buffer, here one of
//! 1–256 bytes) must in turn give what feeding every line to the CBS
//! reader as a `LogLine` gives.
#![no_main]

use lastrollup::catalog::Catalog;
use lastrollup::diagnose::cbs::CbsReader;
use lastrollup::diagnose::sink::Sink;
use lastrollup::diagnose::{self, split, LineReader, LogFormat, LogReader};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&n, log)) = data.split_first() else {
        return;
    };
    let catalog = Catalog::embedded();
    let whole = diagnose::read_log("fuzz.log", log, catalog);
    let parts = split::read_split("fuzz.log", log, usize::from(n % 8) + 1, catalog);
    match (whole, parts) {
        (Ok(a), Ok(b)) => assert_eq!(a, b),
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
        (a, b) => panic!("one pass {:?}, ranges {:?}", a.is_ok(), b.is_ok()),
    }
    // The same buffer for both: a byte-order mark is told from the
    // bytes of the first fill.
    let input = || std::io::BufReader::with_capacity(usize::from(n) + 1, log);
    if let Ok(file) = diagnose::read_log_as("fuzz.log", input(), Some(LogFormat::Cbs), catalog) {
        let mut lines = LineReader::new(input());
        let mut sink = Sink::new("fuzz.log", catalog);
        let mut reader = CbsReader::default();
        let mut count = 0;
        while let Ok(Some(l)) = lines.next_line() {
            count = l.number;
            reader.line(&l, &mut sink);
        }
        reader.finish(&mut sink);
        assert_eq!(file.events, sink.events);
        assert_eq!(file.attempts, sink.attempts.into_iter().collect::<Vec<_>>());
        assert_eq!((file.lines, file.dropped_events), (count, sink.dropped));
    }
});
