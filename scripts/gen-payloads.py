#!/usr/bin/env python3
"""Writes crates/lastrollup/catalog/payloads.toml from ../shared/facts/offline.

One-off generator for issue 17 (offline update kits): every update of
catalog/updates.toml, on every architecture it is offered for, gets one
[[payload]] entry: the Update Catalog file name(s) the research facts give
(catalog-files.csv), the SHA-1 embedded in each name, the SHA-256 where
catalog-sha256.csv has one, one URL a source printed, and the sources; or
`status = "unknown"` where the facts give no file name.

Which file a kit expects (`use`):
- "expected": the Update Catalog name with a SHA-1 (for the service packs the
  all-language "glb" build, for KB4493730/KB4474419 the .msu, not the .cab);
- "alternative": another build of the same update (5-language service pack
  builds, Download Center names without a digest, WU .cab forms);
- "unconfirmed": a row whose only source is a code-index file without a named
  repository (NOTES.md: keep out of a shipped manifest until confirmed).
An entry whose files are all unconfirmed/alternative has `status =
"unconfirmed"`: a kit treats it like an unknown name.

Run from the repository root:
    python3 scripts/gen-payloads.py [SHARED_DIR] > crates/lastrollup/catalog/payloads.toml
Review the result; the tests in crates/lastrollup/tests/payloads.rs compare
it with the CSV files.
"""
import csv
import sys
import tomllib

shared = sys.argv[1] if len(sys.argv) > 1 else "../shared"
facts = f"{shared}/facts/offline"
updates = tomllib.load(open("crates/lastrollup/catalog/updates.toml", "rb"))["update"]
rows = list(csv.DictReader(open(f"{facts}/catalog-files.csv", newline="")))
sha256 = {
    (r["kb"], r["arch"], r["filename"]): r
    for r in csv.DictReader(open(f"{facts}/catalog-sha256.csv", newline=""))
}

def q(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

def use_of(r, kind):
    if "code-index" in r["source"]:
        return "unconfirmed"
    name = r["filename"]
    if not r["sha1_from_name"] or not name.endswith((".msu", ".exe")):
        return "alternative"
    if kind == "service_pack":
        # glb builds live in svpk/2008/04 (SP1) and svpk/2009/06 (SP2).
        return "expected" if ("/2008/04/" in r["url"] or "/2009/06/" in r["url"]) else "alternative"
    return "expected"

def note_of(r, kind, use):
    if kind == "service_pack" and r["sha1_from_name"]:
        return "all-language (glb) build" if use == "expected" else "5-language (5lg) build"
    if not r["sha1_from_name"]:
        return "Download Center name: no digest in the name"
    if r["filename"].endswith(".cab"):
        return "Windows Update .cab form (expand + pkgmgr), not the Update Catalog .msu"
    if use == "unconfirmed":
        return "only a code-index file without a named repository prints it: low confidence"
    return None

ARCH_ORDER = {"x86": 0, "x64": 1, "ia64": 2}
USE_ORDER = {"expected": 0, "alternative": 1, "unconfirmed": 2}

print("""# Update payloads: for every update in updates.toml, on every architecture it
# is offered for, the Microsoft Update Catalog file name(s), the SHA-1 each
# name embeds, the SHA-256 where a source gives one, one download address a
# source printed, and the sources; or `status = "unknown"` where no public
# source gives a file name. Reviewed data, generated once by
# scripts/gen-payloads.py from ../shared/facts/offline/catalog-files.csv and
# catalog-sha256.csv (read ../shared/facts/offline/NOTES.md), then reviewed.
# tests/payloads.rs compares every row with those files.
#
# Fields
# - `status`: "known" (one file is `expected`), "unconfirmed" (names exist,
#   but none a kit should expect: only low-confidence or alternative forms),
#   "unknown" (no file name known: a kit asks for any
#   `windows6.0-kbNNNNNNN-ARCH_<sha1>.msu` the Update Catalog offers).
# - `file.use`: "expected" (what a kit names), "alternative" (another build or
#   form of the same update: 5-language service packs, Download Center
#   names, Windows Update .cab forms), "unconfirmed" (only a code-index file
#   without a named repository prints it).
# - `file.sha1`: the 40 hex digits in the name (the Update Catalog names a
#   file by its SHA-1); absent for Download Center names, which carry none.
# - `file.sha256`: from Legacy Update's setup/Patches.ini (or a Microsoft
#   test vector), where one exists.
# - `file.url`: one address a source printed. The folder after the CDN shard
#   is the catalog upload folder, not the release month. Microsoft removed
#   some old files (the IE9 installers, per WSUS Offline 11.9.5): an address
#   is a hint, the name and digest are the identity.
# - `file.sources`: `owner/repo:path@commit`, the first being the source of
#   the URL.
#
# What is not here: most monthly rollup and security-only names (the public
# record holds a dozen rollups), and every SSU not printed by a source. The
# only systematic source is the Update Catalog itself, harvested by a
# maintainer; until then a kit names those by KB and architecture.
""")

by_key = {}
for r in rows:
    by_key.setdefault((int(r["kb"]), r["arch"]), []).append(r)

for u in updates:
    for arch in sorted(u["arch"], key=ARCH_ORDER.get):
        found = by_key.get((u["kb"], arch), [])
        files = sorted(
            ((use_of(r, u["kind"]), r) for r in found),
            key=lambda x: (USE_ORDER[x[0]], x[1]["filename"]),
        )
        uses = [f[0] for f in files]
        status = "known" if "expected" in uses else ("unconfirmed" if files else "unknown")
        assert uses.count("expected") <= 1, (u["kb"], arch, uses)
        print("[[payload]]")
        print(f"kb = {u['kb']}")
        print(f"arch = {q(arch)}")
        print(f"status = {q(status)}")
        for use, r in files:
            print()
            print("[[payload.file]]")
            print(f"name = {q(r['filename'])}")
            print(f"use = {q(use)}")
            if r["sha1_from_name"]:
                print(f"sha1 = {q(r['sha1_from_name'])}")
            s = sha256.get((r["kb"], r["arch"], r["filename"]))
            if s:
                print(f"sha256 = {q(s['sha256'])}")
            if r["url"]:
                print(f"url = {q(r['url'])}")
            print("sources = [" + ", ".join(q(x.strip()) for x in r["source"].split("|")) + "]")
            n = note_of(r, u["kind"], use)
            if n:
                print(f"note = {q(n)}")
        print()
