#!/usr/bin/env bash
# Builds a CBS.log of SIZE_MB megabytes (default 1024) from real CBS lines
# (the CBS records of ../shared/corpus and the project's fixtures, repeated;
# one failure block every ~10,000 lines), then times `grep -c` counting its
# error lines against `lastrollup diagnose` on it, and reports diagnose's peak
# memory (GNU time). The file is deleted at the end.
#   scripts/bench-diagnose.sh [SIZE_MB] [BINARY]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
size_mb="${1:-1024}"
bin="${2:-$here/target/release/lastrollup}"
shared="${LASTROLLUP_SHARED:-$here/../shared}"
work=$(mktemp -d /tmp/bench-diagnose.XXXXXX)
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
# Real lines: every CBS record of the corpus and fixtures.
cat "$shared"/corpus/logs-more/*cbs*.log "$shared"/corpus/logs-more/theorypc*.log \
    "$here"/crates/lastrollup/tests/fixtures/diagnose/*.log 2>/dev/null \
  | tr -d '\r' | grep -E '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8}, (Info|Warning|Error) ' > "$work/real.txt"
grep -E ', Info ' "$work/real.txt" | grep -v -i -E 'fail|error|pending|esu:|corrupt|0x8' > "$work/quiet.txt"
grep -v -x -F -f "$work/quiet.txt" "$work/real.txt" > "$work/loud.txt"
# A block: 10,000 quiet lines then the loud ones.
python3 - "$work" <<'PY'
import sys, itertools
w = sys.argv[1]
quiet = open(f"{w}/quiet.txt").read().splitlines()
loud = open(f"{w}/loud.txt").read().splitlines()
block = [q for q, _ in zip(itertools.cycle(quiet), range(10000))] + loud
open(f"{w}/block.txt", "w", newline="").write("\r\n".join(block) + "\r\n")
PY
block_bytes=$(stat -c %s "$work/block.txt")
reps=$(( size_mb * 1024 * 1024 / block_bytes + 1 ))
for _ in $(seq "$reps"); do cat "$work/block.txt"; done > "$work/CBS.log"
ls -l "$work/CBS.log"
cat "$work/CBS.log" > /dev/null   # warm the page cache for both
echo "grep -c ', Error':"
/usr/bin/time -f "  %e s, %U s user, %S s sys, %M KB max RSS" grep -c ', Error' "$work/CBS.log"
echo "lastrollup diagnose (every core; RAYON_NUM_THREADS=1: one):"
/usr/bin/time -f "  %e s, %U s user, %S s sys, %M KB max RSS" "$bin" diagnose "$work/CBS.log" > "$work/out.txt" || true
RAYON_NUM_THREADS=1 /usr/bin/time -f "  one thread: %e s, %U s user, %S s sys, %M KB max RSS" \
  "$bin" diagnose "$work/CBS.log" > /dev/null || true
head -5 "$work/out.txt"
# Side by side (--output=pipe: GNU grep stops at the first match when its
# output is /dev/null, hyperfine's default).
if command -v hyperfine > /dev/null; then
  hyperfine -N --output=pipe -w 1 -r "${RUNS:-5}" -i "grep -c ', Error' $work/CBS.log" \
    "$bin diagnose $work/CBS.log" "env RAYON_NUM_THREADS=1 $bin diagnose $work/CBS.log"
fi
