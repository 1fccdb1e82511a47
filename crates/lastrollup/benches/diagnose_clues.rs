//! The per-record steps of `diagnose` on CBS messages: the clue scan
//! (`Clues::find`) and the code search (`rules::line_code`), each over
//! the messages of every CBS line of `benches/data/cbs-routine.log` (the
//! routine records most of a CBS.log is made of; written for this bench)
//! and of the project's diagnose fixtures (failures).
//!
//! Run: `cargo bench -p lastrollup --bench diagnose_clues`. These isolate
//! what `scripts/bench-diagnose.sh` times together (the 1 GB run), with
//! less noise; results are in BENCHMARKS.md ("Issue 19, session 12" and
//! "session 13").

use std::path::Path;

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use lastrollup::catalog::Catalog;
use lastrollup::diagnose::{cbs, clues::Clues, rules};

/// The message of every CBS line of the routine log and the diagnose
/// fixtures.
fn messages() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("tests/fixtures/diagnose");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "log"))
        .collect();
    files.sort();
    files.insert(0, root.join("benches/data/cbs-routine.log"));
    let mut out = Vec::new();
    for p in files {
        let text = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        let text = String::from_utf8_lossy(&text);
        out.extend(
            text.lines()
                .filter_map(|l| cbs::parse_line(l.trim_end()).map(|p| p.message.to_owned())),
        );
    }
    assert!(out.len() > 40, "too few CBS lines: {}", out.len());
    out
}

fn clues(c: &mut Criterion) {
    let msgs = messages();
    let bytes: usize = msgs.iter().map(String::len).sum();
    let catalog = Catalog::embedded();
    let mut g = c.benchmark_group("diagnose_messages");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("Clues::find", |b| {
        b.iter(|| {
            msgs.iter()
                .map(|m| Clues::find(black_box(m)).0.count_ones())
                .sum::<u32>()
        })
    });
    // The same bytes as one text: the walk without a per-message cost.
    let joined = msgs.concat();
    g.bench_function("Clues::find joined", |b| {
        b.iter(|| Clues::find(black_box(&joined)).0.count_ones())
    });
    g.bench_function("rules::line_code", |b| {
        b.iter(|| {
            msgs.iter()
                .filter_map(|m| rules::line_code(black_box(m), catalog))
                .count()
        })
    });
    g.finish();
}

criterion_group!(benches, clues);
criterion_main!(benches);
