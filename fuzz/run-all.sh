#!/usr/bin/env bash
# Runs every fuzz target for SECONDS seconds each (default 600), one after the
# other, with a bounded input size and memory, and prints one summary line per
# target. Seed the corpora first with ./seed.sh.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
secs="${1:-600}"
cd "$here"
for t in read_file systeminfo qfe wmic_os registry version_strings check bundle explain \
         feed feed_wesng_csv feed_cvrf_xml feed_cvrf_json feed_csaf feed_kev db_decode lint \
         diagnose diagnose_cbs diagnose_split diagnose_windowsupdate diagnose_checksur diagnose_setupapi \
         diagnose_eventlog diagnose_text diagnose_cabinet diagnose_evtx offline_manifest; do
  log="$here/logs/$t.log"; mkdir -p "$here/logs"
  cargo +nightly fuzz run -O "$t" -- -max_total_time="$secs" -max_len=262144 -rss_limit_mb=2048 -timeout=10 >"$log" 2>&1
  rc=$?
  stats=$(grep -E "^#[0-9]+.*(DONE|pulse)" "$log" | tail -1)
  echo "$t exit=$rc $stats"
done
