#!/usr/bin/env bash
# Times `lastrollup check --db` and wes.py on the same systeminfo file in one
# window (check, wes.py, check again) and prints the medians and ratios.
#
#   scripts/bench-check-vs-wesng.sh DB [SYSTEMINFO] [DEFINITIONS_ZIP]
#
# DB is an advisory database made with `lastrollup db import`; the defaults
# are examples/srv-hist01-systeminfo.txt and ../shared's definitions.zip.
# Needs hyperfine, wesng (`pip install wesng`) and a release build
# (`cargo build --release -p lastrollup-cli`, the profile users install;
# the bench profile, debug info and no LTO, shares target/release with it,
# so build again after a `cargo bench` of the whole workspace). Stop
# other work on the machine first: the ratio is only meaningful when both
# run under the same conditions.
set -euo pipefail
cd "$(dirname "$0")/.."
db=${1:?usage: $0 DB [SYSTEMINFO] [DEFINITIONS_ZIP]}
input=${2:-examples/srv-hist01-systeminfo.txt}
shared=${LASTROLLUP_SHARED:-../shared}
defs=${3:-$shared/data/wesng/definitions.zip}
out=$(mktemp -d)
check="target/release/lastrollup check --db $db $input"
wes="wes --definitions $defs $input"
hyperfine -N -i --warmup 10 --runs 200 "$check" --export-json "$out/check1.json"
hyperfine -N --warmup 2 --runs 10 "$wes" --export-json "$out/wes.json"
hyperfine -N -i --warmup 10 --runs 200 "$check" --export-json "$out/check2.json"
python3 - "$out" <<'PY'
import json, sys
d = sys.argv[1]
def median(name):
    return json.load(open(f"{d}/{name}.json"))["results"][0]["median"]
c1, w, c2 = median("check1"), median("wes"), median("check2")
print(f"check {c1 * 1000:.2f} ms, wes.py {w:.2f} s, check {c2 * 1000:.2f} ms (medians)")
print(f"ratio {w / c1:.0f}x and {w / c2:.0f}x")
PY
