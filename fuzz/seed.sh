#!/usr/bin/env bash
# Seeds every fuzz target's corpus from the project's own fixtures and the
# real captures in ../shared/corpus (which is never committed: the corpora
# live in fuzz/corpus/, ignored by git).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
shared="${LASTROLLUP_SHARED:-$here/../../shared}"
fixtures="$here/../crates/lastrollup/tests/fixtures"
for t in read_file systeminfo qfe wmic_os registry version_strings check bundle; do
  mkdir -p "$here/corpus/$t"
  find "$fixtures" -type f ! -name '*.csv' ! -name '*.snap' -exec cp -t "$here/corpus/$t" {} + 2>/dev/null || true
  if [ -d "$shared/corpus" ]; then
    find "$shared/corpus/systeminfo" "$shared/corpus/logs" -type f ! -name LABELS.csv -exec cp -t "$here/corpus/$t" {} +
  fi
done
# explain reads one query: versions, build labs, KBs and error codes.
mkdir -p "$here/corpus/explain"
i=0
for q in 6.0.6003.20491 6.0.6002.24565 6.0.6001.18000 6003.20491.amd64fre.vistasp2_ldr_escrow.190320-1700 \
         6002.vistasp2_gdr.120305-0430 KB4474419 kb5073697 0x80092004 -2146885628 2359302 CRYPT_E_NOT_FOUND; do
  printf '%s' "$q" > "$here/corpus/explain/seed-$i"; i=$((i + 1))
done
echo "seeded: $(ls "$here/corpus/read_file" | wc -l) files per target"
