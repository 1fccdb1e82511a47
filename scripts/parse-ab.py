#!/usr/bin/env python3
"""Wall-clock A/B of clean-capture parsing between two builds of the
`parse_loop` example: each of the five bench fixtures is parsed N times
(about 60 MB of input per run) by each binary, the two binaries alternating
run by run, and the minimum and median of ROUNDS runs are reported with the
throughput the minimum gives. The minimum is the figure least disturbed by
other work on a shared machine.

    scripts/parse-ab.py ROUNDS [FIXTURE,FIXTURE...]

The binaries are BASE_BIN and HEAD_BIN (environment), built with
`cargo build --profile bench --examples -p lastrollup` in each tree.
"""
import os
import statistics
import subprocess
import sys
import time

bins = {
    "base": os.environ.get("BASE_BIN", "/work/wt-base/target/release/examples/parse_loop"),
    "HEAD": os.environ.get("HEAD_BIN", "target/release/examples/parse_loop"),
}
d = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "crates/lastrollup/tests/fixtures/systeminfo/")
fx0 = ["en_srv2008_standard_x64_6003.txt","de_srv2008_enterprise_x64_6003.txt","ja_vista_business_x86_6002.txt","en_srv2008_standard_x64_6003_utf16le.txt","en_fleet_3hosts_csv_noheader.txt"]
fx = sys.argv[2].split(",") if len(sys.argv) > 2 else fx0
rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 15
for f in fx:
    size = os.path.getsize(d+f)
    n = max(2000, int(60e6 // size))
    t = {k: [] for k in bins}
    for r in range(rounds):
        for k, b in (bins.items() if r % 2 == 0 else reversed(list(bins.items()))):
            s = time.perf_counter(); subprocess.run([b, d+f, str(n)], stdout=subprocess.DEVNULL, check=True); t[k].append(time.perf_counter() - s)
    out = []
    for k in bins:
        mn = min(t[k]); md = statistics.median(t[k])
        out.append(f"{k}: min {mn*1e3:7.1f} ms ({size*n/mn/2**20:6.0f} MiB/s) median {md*1e3:7.1f} ms")
    print(f"{f} ({size} B x {n}): " + " | ".join(out) + f" | min ratio {min(t['HEAD'])/min(t['base']):.3f}", flush=True)
