#!/usr/bin/env bash
# Instructions per systeminfo parse (callgrind) for the five bench fixtures:
# `parse_loop FILE 101` minus `parse_loop FILE 1`, divided by 100, and the
# total of the single-parse run (which includes first-use costs).
# Build first: cargo build --profile profiling --examples -p lastrollup
# (the release code with symbols; counts taken before issue 20 used
# `--release`, which then had no LTO: see BENCHMARKS.md).
# Usage: scripts/parse-instructions.sh [PARSE_LOOP_BINARY]
set -euo pipefail
bin=${1:-${CARGO_TARGET_DIR:-target}/profiling/examples/parse_loop}
dir=crates/lastrollup/tests/fixtures/systeminfo
refs() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "$1" "$2" 2>&1 |
        awk '/refs:/ { gsub(",", "", $4); print $4 }'
}
for f in en_srv2008_standard_x64_6003.txt de_srv2008_enterprise_x64_6003.txt \
    ja_vista_business_x86_6002.txt en_srv2008_standard_x64_6003_utf16le.txt \
    en_fleet_3hosts_csv_noheader.txt; do
    one=$(refs "$dir/$f" 1)
    many=$(refs "$dir/$f" 101)
    echo "$f $(((many - one) / 100)) per parse (first run total: $one)"
done
