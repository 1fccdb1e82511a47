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

/// A fleet export of 1,002 hosts (1,179,020 bytes): the three rows of the
/// `/FO CSV /NH` fixture repeated with numbered host names, byte for byte
/// what `scripts/gen-fleet-csv.py 1002` writes, so that a cost growing
/// faster than the input would show up as falling throughput.
fn systeminfo_fleet(c: &mut Criterion) {
    let rows = fixture("systeminfo/en_fleet_3hosts_csv_noheader.txt");
    let mut bytes = Vec::with_capacity(1_179_020);
    for i in 0..334 {
        // Built on bytes: the fixture is cp437 (`José Ramírez`), and a
        // lossy UTF-8 round trip would bench the UTF-8 path instead.
        for row in rows.split(|&b| b == b'\n') {
            let row = row.strip_suffix(b"\r").unwrap_or(row);
            if row.is_empty() {
                continue;
            }
            // Each row begins with the quoted host name: `"FS01",…`.
            let close = 1 + row[1..]
                .iter()
                .position(|&b| b == b'"')
                .expect("quoted host name");
            bytes.extend_from_slice(&row[..close]);
            bytes.extend_from_slice(format!("-{i:05}").as_bytes());
            bytes.extend_from_slice(&row[close..]);
            bytes.extend_from_slice(b"\r\n");
        }
    }
    assert_eq!(bytes.len(), 1_179_020, "the export gen-fleet-csv.py writes");
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the fixture's code-page bytes are kept"
    );
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
