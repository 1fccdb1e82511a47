//! Parser throughput on real-shaped captures (the project's own fixtures).
//!
//! Run: `cargo bench -p lastrollup --bench parse`. Results are recorded in
//! BENCHMARKS.md with the machine they were measured on.

use std::path::Path;

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};

fn fixture(rel: &str) -> Vec<u8> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn bench_file(c: &mut Criterion, group: &str, rel: &str) {
    let bytes = fixture(rel);
    let mut g = c.benchmark_group(group);
    g.throughput(Throughput::Bytes(bytes.len() as u64));
    g.bench_function(rel, |b| {
        b.iter(|| {
            lastrollup::evidence::read_file("bench.txt", black_box(&bytes)).map(|f| f.records.len())
        })
    });
    g.finish();
}

fn systeminfo(c: &mut Criterion) {
    for rel in [
        "systeminfo/en_srv2008_standard_x64_6003.txt",
        "systeminfo/de_srv2008_enterprise_x64_6003.txt",
        "systeminfo/ja_vista_business_x86_6002.txt",
        "systeminfo/en_srv2008_standard_x64_6003_utf16le.txt",
        "systeminfo/en_fleet_3hosts_csv_noheader.txt",
    ] {
        bench_file(c, "systeminfo", rel);
    }
}

fn qfe(c: &mut Criterion) {
    for rel in [
        "qfe/wmic_qfe_list_full_srv2008_x64_utf16le.txt",
        "qfe/wmic_qfe_csv_two_hosts_utf16le.txt",
    ] {
        bench_file(c, "wmic_qfe", rel);
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(3));
    targets = systeminfo, qfe
}
criterion_main!(benches);
