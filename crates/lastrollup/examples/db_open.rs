//! Opens an advisory database N times (for callgrind / timing):
//! `db_open PATH [N]`.

fn main() {
    let mut args = std::env::args().skip(1);
    let path = std::path::PathBuf::from(args.next().expect("usage: db_open PATH [N]"));
    let n: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(1);
    let started = std::time::Instant::now();
    let mut cves = 0;
    for _ in 0..n {
        let db = lastrollup::advisory::database::Database::open(&path).expect("open");
        cves += db.sources().len();
    }
    eprintln!("{n} opens in {:?} ({cves})", started.elapsed());
}
