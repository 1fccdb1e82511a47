//! The advisory database on the real data: opening the index file (map,
//! checksum, table decoding, index checks) and computing one host's
//! exposure from it. The database is imported once, before timing, from
//! `../shared/data/wesng/definitions.zip` and the KEV catalog
//! (`LASTROLLUP_SHARED` overrides `../shared`); without them the benchmarks
//! say they are skipped and measure nothing.
//!
//! Run: `cargo bench -p lastrollup --bench database`. Results are recorded
//! in BENCHMARKS.md with the machine they were measured on.

use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion};
use lastrollup::advisory::database::Database;
use lastrollup::advisory::feed;
use lastrollup::assess::exposure::{self, AdvisorySource};
use lastrollup::assess::{self, Goal, Options};
use lastrollup::catalog::Catalog;
use lastrollup::{evidence, host};

fn shared() -> Option<PathBuf> {
    let dir = std::env::var_os("LASTROLLUP_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    dir.join("data/wesng/definitions.zip")
        .exists()
        .then_some(dir)
}

/// Imports the real feeds into a database file under the target folder.
fn build(shared: &Path) -> PathBuf {
    let mut db = Database::new();
    for file in [
        "data/wesng/definitions.zip",
        "data/kev/known_exploited_vulnerabilities.json",
    ] {
        let bytes = std::fs::read(shared.join(file)).expect("feed");
        let doc = feed::read(file, &bytes, &mut |_, _| {}).expect("feed reads");
        db.add(doc, file, "2026-11-23T00:00:00Z").expect("fits");
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/bench-advisories.lrdb");
    db.save(&path).expect("saved");
    path
}

fn database(c: &mut Criterion) {
    let Some(shared) = shared() else {
        eprintln!("database benchmarks skipped: ../shared/data/wesng/definitions.zip is not there");
        return;
    };
    let path = build(&shared);
    let mut g = c.benchmark_group("advisory_database");
    g.bench_function("open", |b| {
        b.iter_with_large_drop(|| Database::open(&path).unwrap())
    });
    let db = Database::open(&path).unwrap();
    let text = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/srv-hist01-systeminfo.txt"),
    )
    .unwrap();
    let files = vec![evidence::read_file("srv-hist01-systeminfo.txt", &text).unwrap()];
    let hosts = host::identify(&files);
    let catalog = Catalog::embedded();
    let options = Options {
        as_of: jiff::civil::date(2026, 11, 23),
        goal: Goal::Final,
    };
    let a = assess::assess(&hosts[0], catalog, options);
    let source: &dyn AdvisorySource = &db;
    g.bench_function("exposure_srv_hist01", |b| {
        b.iter_with_large_drop(|| exposure::exposure(&hosts[0], catalog, &a, source).unwrap())
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(3));
    targets = database
}
criterion_main!(benches);
