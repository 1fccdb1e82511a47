#!/usr/bin/env bash
# Times `lastrollup fleet` over a generated fleet and wes.py on one host of
# it, in the same minutes, and measures the fleet run's peak memory.
#
#   scripts/bench-fleet.sh DB [HOSTS] [DEFINITIONS_ZIP]
#
# DB is an advisory database made with `lastrollup db import` (wesng
# definitions.zip + the CISA KEV JSON). The fleet is written by
# scripts/gen-fleet.py to /tmp/fleet<HOSTS> (default 10000 hosts). Needs
# hyperfine, GNU time, wesng (`pip install wesng`) and a release build.
set -euo pipefail
cd "$(dirname "$0")/.."
db=${1:?usage: $0 DB [HOSTS] [DEFINITIONS_ZIP]}
hosts=${2:-10000}
shared=${LASTROLLUP_SHARED:-../shared}
defs=${3:-$shared/data/wesng/definitions.zip}
dir=/tmp/fleet$hosts
rm -rf "$dir"
python3 scripts/gen-fleet.py "$hosts" "$dir"
out=$(mktemp -d)
one=$(find "$dir" -name '*en_srv2008_standard_x64_6003.txt' | sort | head -1)
fleet="target/release/lastrollup fleet --db $db --as-of 2026-06-30 --format json $dir"
hyperfine -N -i --warmup 1 --runs 10 --output=null "$fleet" --export-json "$out/fleet1.json"
hyperfine -N --warmup 1 --runs 5 "wes --definitions $defs $one" --export-json "$out/wes.json"
hyperfine -N -i --warmup 1 --runs 10 --output=null "$fleet" --export-json "$out/fleet2.json"
/usr/bin/time -f "%e s %M KB" $fleet > /dev/null 2> "$out/time.txt" || true
tail -1 "$out/time.txt"
python3 - "$out" "$hosts" <<'PY'
import json, sys
d, n = sys.argv[1], int(sys.argv[2])
def median(name):
    return json.load(open(f"{d}/{name}.json"))["results"][0]["median"]
f1, w, f2 = median("fleet1"), median("wes"), median("fleet2")
print(f"fleet {f1:.3f} s ({n / f1:,.0f} hosts/s), wes.py one host {w:.2f} s, fleet {f2:.3f} s ({n / f2:,.0f} hosts/s) (medians)")
print(f"wes.py on one host / fleet on {n:,} hosts: {w / f1:.1f}x and {w / f2:.1f}x")
PY
