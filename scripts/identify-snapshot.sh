#!/usr/bin/env bash
# Writes `lastrollup identify --format json` of every file under the test
# fixtures, examples/ and the shared corpus into DIR (one .json per file,
# stdout then stderr and the exit code), so two builds can be compared with
# `diff -r DIR1 DIR2`.
# Usage: scripts/identify-snapshot.sh BINARY DIR [SHARED]
set -euo pipefail
bin=$1 out=$2 shared=${3:-../shared}
mkdir -p "$out"
n=0
while IFS= read -r -d '' f; do
    name=$(printf '%s' "$f" | tr '/' '_')
    { "$bin" identify --format json "$f" 2>&1; echo "exit $?"; } > "$out/$name.json" || true
    n=$((n + 1))
done < <(find crates/lastrollup/tests/fixtures examples "$shared/corpus" -type f -print0 | sort -z)
echo "$n files" >&2
