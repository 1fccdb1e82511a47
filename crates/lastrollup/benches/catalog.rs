//! Loading the embedded catalog: the reviewed TOML parsed with the `toml`
//! crate against the build-time postcard form that `Catalog::embedded` uses
//! (and the windows facts: TOML against their build-time JSON form).
//! Both include the same cross-checks; neither is cached. The loaded value
//! is dropped outside the timing, as a process never drops its catalog.
//!
//! Run: `cargo bench -p lastrollup --bench catalog`. Results are recorded in
//! BENCHMARKS.md with the machine they were measured on.

use criterion::{criterion_group, criterion_main, Criterion};
use lastrollup::catalog::{windows, Catalog, EMBEDDED};

fn catalog(c: &mut Criterion) {
    let mut g = c.benchmark_group("catalog_load");
    g.bench_function("toml", |b| {
        b.iter_with_large_drop(|| Catalog::parse(EMBEDDED).unwrap())
    });
    g.bench_function("postcard", |b| {
        b.iter_with_large_drop(|| Catalog::load_embedded().unwrap())
    });
    g.finish();
}

fn windows_facts(c: &mut Criterion) {
    let mut g = c.benchmark_group("windows_facts_load");
    g.bench_function("toml", |b| {
        b.iter_with_large_drop(|| windows::parse(windows::EMBEDDED_TOML).unwrap())
    });
    g.bench_function("json", |b| {
        b.iter_with_large_drop(|| windows::load_embedded().unwrap())
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(3));
    targets = catalog, windows_facts
}
criterion_main!(benches);
