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
# The diagnose targets: the per-cause fixtures and the labelled logs.
for t in diagnose diagnose_cbs diagnose_split diagnose_windowsupdate diagnose_checksur diagnose_setupapi diagnose_eventlog diagnose_text; do
  mkdir -p "$here/corpus/$t"
  cp -t "$here/corpus/$t" "$fixtures"/diagnose/*
  if [ -d "$shared/corpus" ]; then
    find "$shared/corpus/logs" "$shared/corpus/logs-more" -type f ! -name LABELS.csv -exec cp -t "$here/corpus/$t" {} +
  fi
done
# The cabinet target: each diagnose fixture in an uncompressed cabinet
# (CFHEADER, one CFFOLDER, one CFFILE, one CFDATA block of at most 32 KiB).
mkdir -p "$here/corpus/diagnose_cabinet"
python3 - "$fixtures/diagnose" "$here/corpus/diagnose_cabinet" <<'PY'
import os, struct, sys
src, dst = sys.argv[1], sys.argv[2]
for name in sorted(os.listdir(src)):
    data = open(os.path.join(src, name), "rb").read()[:32768]
    member = ("CbsPersist_" + name).encode() + b"\0"
    files_at = 36 + 8
    data_at = files_at + 16 + len(member)
    total = data_at + 8 + len(data)
    head = b"MSCF" + struct.pack("<IIIIIBBHHHHH", 0, total, 0, files_at, 0, 3, 1, 1, 1, 0, 0, 0)
    folder = struct.pack("<IHH", data_at, 1, 0)
    entry = struct.pack("<IIHHHH", len(data), 0, 0, 0x5a21, 0, 0x20) + member
    block = struct.pack("<IHH", 0, len(data), len(data)) + data
    open(os.path.join(dst, name + ".cab"), "wb").write(head + folder + entry + block)
PY
# The evtx target (input = the file after its 8-byte magic): a version 3.1
# header for one chunk, alone, with an empty chunk, and cut.
mkdir -p "$here/corpus/diagnose_evtx"
python3 - "$here/corpus/diagnose_evtx" <<'PY'
import struct, sys, zlib
dst = sys.argv[1]
head = b"ElfFile\0" + struct.pack("<QQQIHHHH", 0, 0, 1, 128, 1, 3, 4096, 1)
head = head.ljust(120, b"\0") + struct.pack("<I", 0)
head = head + struct.pack("<I", zlib.crc32(head[:120]))
head = head.ljust(4096, b"\0")
chunk = b"ElfChnk\0".ljust(65536, b"\0")
for i, body in enumerate([head, head + chunk, head[:60], head + chunk[:512]]):
    open(f"{dst}/seed-{i}", "wb").write(body[8:])
PY
# The advisory feed targets: the feed fixtures, a small wesng zip built from
# them, and SMALL slices of the real feeds in ../shared/data.
feeds="$fixtures/feeds"
data="$shared/data"
for t in feed feed_wesng_csv feed_cvrf_xml feed_cvrf_json feed_csaf feed_kev; do
  mkdir -p "$here/corpus/$t"
  cp -t "$here/corpus/$t" "$feeds"/*
done
if command -v python3 >/dev/null; then
  python3 - "$feeds" "$here/corpus/feed/wesng-small.zip" <<'PY'
import sys, zipfile
feeds, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    z.write(f"{feeds}/CVEs_20990120.csv", "CVEs_20990120.csv")
    z.write(f"{feeds}/Custom_20990101.csv", "Custom_20990101.csv")
    z.writestr("Version_0.94.txt", "This definition file requires you to at least use wes version 0.94\r\n")
PY
fi
if [ -d "$data" ]; then
  head -n 200 "$data/msrc-nt60.csv" > "$here/corpus/feed_wesng_csv/msrc-nt60-head.csv"
  head -n 40 "$data/custom-nt60.csv" > "$here/corpus/feed_wesng_csv/custom-nt60-head.csv"
  head -n 20 "$data/kev/known_exploited_vulnerabilities.csv" > "$here/corpus/feed_kev/kev-head.csv"
  head -c 6000 "$data/kev/known_exploited_vulnerabilities.json" > "$here/corpus/feed_kev/kev-head.json"
  # One CVRF vulnerability naming Windows Server 2008 SP2 (ProductID 9312):
  # the document head, a one-product tree, the vulnerability without notes.
  if command -v python3 >/dev/null; then
    python3 - "$data/msrc-cvrf/2022-May.xml" "$here/corpus/feed_cvrf_xml/2022-May-one-vuln.xml" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
head = text[: text.index("<cvrf:DocumentNotes>")]
vulns = re.findall(r"<vuln:Vulnerability\b.*?</vuln:Vulnerability>", text, re.S)
vuln = min((v for v in vulns if ">9312<" in v), key=len)
vuln = re.sub(r"<vuln:Notes>.*?</vuln:Notes>", "", vuln, flags=re.S)
tree = ('<prod:ProductTree>\n    <prod:FullProductName ProductID="9312">'
        "Windows Server 2008 for 32-bit Systems Service Pack 2</prod:FullProductName>\n  </prod:ProductTree>\n  ")
open(sys.argv[2], "w", encoding="utf-8").write(head + tree + vuln + "\n</cvrf:cvrfdoc>\n")
PY
    cp "$here/corpus/feed_cvrf_xml/2022-May-one-vuln.xml" "$here/corpus/feed/"
  fi
fi
echo "seeded: $(ls "$here/corpus/feed" | wc -l) files for feed"
# The advisory database decoder: a database imported from the feed fixtures,
# whole and as a bare body (the target also reads its input as the body under
# a valid header, so that mutations get past the checksum).
mkdir -p "$here/corpus/db_decode"
(cd "$here/.." && cargo run --release -q -p lastrollup-cli -- db import \
  --db "$here/corpus/db_decode/fixtures.lrdb" "$feeds"/* >/dev/null)
tail -c +25 "$here/corpus/db_decode/fixtures.lrdb" > "$here/corpus/db_decode/fixtures.body"
# The offline manifest reader: the manifests of the kit fixtures (one host
# of each kind and the mixed fleet), as `lastrollup offline` writes them.
mkdir -p "$here/corpus/offline_manifest"
for f in "$fixtures"/offline/*.txt "$fixtures/offline"; do
  out=$(mktemp -d)
  (cd "$here/.." && cargo run --release -q -p lastrollup-cli -- offline --as-of 2026-06-30 --out "$out" "$f" >/dev/null) || true
  cp "$out/manifest.json" "$here/corpus/offline_manifest/$(basename "$f" .txt).json"
  rm -rf "$out"
done
echo "seeded: $(ls "$here/corpus/offline_manifest" | wc -l) files for offline_manifest"
# lint: the per-rule fixtures and the labelled scripts.
mkdir -p "$here/corpus/lint"
cp -t "$here/corpus/lint" "$fixtures"/lint/*
if [ -d "$shared/corpus/scripts" ]; then
  find "$shared/corpus/scripts" -type f ! -name '*.csv' -exec cp -t "$here/corpus/lint" {} +
fi
echo "seeded: $(ls "$here/corpus/lint" | wc -l) files for lint"
