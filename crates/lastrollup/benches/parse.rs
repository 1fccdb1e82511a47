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

/// A fleet export of 1,002 hosts (about 1.2 MB): the three rows of the
/// `/FO CSV /NH` fixture repeated with numbered host names, so that a cost
/// growing faster than the input would show up as falling throughput.
fn systeminfo_fleet(c: &mut Criterion) {
    let rows = fixture("systeminfo/en_fleet_3hosts_csv_noheader.txt");
    let rows = String::from_utf8_lossy(&rows);
    let mut fleet = String::new();
    for i in 0..334 {
        for row in rows.lines() {
            // Each row begins with the quoted host name: `"FS01",…`.
            let (name, rest) = row[1..].split_once('"').expect("quoted host name");
            fleet.push_str(&format!("\"{name}-{i:04}\"{rest}\r\n"));
        }
    }
    let bytes = fleet.into_bytes();
    // A benchmark of an error path would measure nothing useful.
    let hosts = lastrollup::evidence::read_file("fleet.csv", &bytes)
        .map(|f| f.records.len())
        .unwrap_or_else(|e| panic!("fleet.csv: {e}"));
    assert_eq!(hosts, 1002, "one record per host");
    let mut g = c.benchmark_group("systeminfo_fleet");
    g.throughput(Throughput::Bytes(bytes.len() as u64));
    g.bench_function("csv_1002_hosts", |b| {
        b.iter(|| {
            lastrollup::evidence::read_file("fleet.csv", black_box(&bytes)).map(|f| f.records.len())
        })
    });
    g.finish();
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
    targets = systeminfo, systeminfo_fleet, qfe
}
criterion_main!(benches);
