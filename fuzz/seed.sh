#!/usr/bin/env bash
# Seeds every fuzz target's corpus from the project's own fixtures and the
# real captures in ../shared/corpus (which is never committed: the corpora
# live in fuzz/corpus/, ignored by git).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
shared="${LASTROLLUP_SHARED:-$here/../../shared}"
fixtures="$here/../crates/lastrollup/tests/fixtures"
for t in read_file systeminfo qfe wmic_os registry version_strings; do
  mkdir -p "$here/corpus/$t"
  find "$fixtures" -type f ! -name '*.csv' ! -name '*.snap' -exec cp -t "$here/corpus/$t" {} + 2>/dev/null || true
  if [ -d "$shared/corpus" ]; then
    find "$shared/corpus/systeminfo" "$shared/corpus/logs" -type f ! -name LABELS.csv -exec cp -t "$here/corpus/$t" {} +
  fi
done
echo "seeded: $(ls "$here/corpus/read_file" | wc -l) files per target"
