#!/usr/bin/env python3
"""Write a fleet of N hosts, built from the committed fixtures, into a folder.

Every single-host capture among the fixtures (systeminfo in 22 languages and
their code pages, UTF-16LE and UTF-8; list, CSV and table layouts; x86 and
x64; builds 6002 and 6003 at different baselines; Vista and Server 2008; the
two collector bundles; the srv-hist01 example's systeminfo + registry + qfe
set) is a template. Host i is template i mod T, with its host name replaced,
in the file's own encoding, by a name of the same length ending in the
five digits of i (so fixed-width tables keep their columns). One systeminfo
/FO CSV export of many hosts (scripts/gen-fleet-csv.py's rows) is added for a
tenth of the fleet. Deterministic: the same N gives the same bytes.

    python3 scripts/gen-fleet.py 10000 /tmp/fleet10k
    lastrollup fleet --db /tmp/full.lrdb --as-of 2026-06-30 /tmp/fleet10k

Used for the benchmark in BENCHMARKS.md.
"""
import csv
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIX = ROOT / "crates/lastrollup/tests/fixtures"
CODEC = {"utf-16le": "utf-16-le", "utf-8-bom": "utf-8", "utf-8": "utf-8"}


def templates():
    """(files: [(relative name, bytes, codec)], host name) per template."""
    out = []
    with open(FIX / "systeminfo/EXPECTED.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if "fleet" in row["file"]:
                continue
            data = (FIX / "systeminfo" / row["file"]).read_bytes()
            out.append(([(row["file"], data, CODEC.get(row["encoding"], "ascii"))], row["host"]))
    for name, host in [("PLANT-HIST02.lastrollup.txt", "PLANT-HIST02"),
                       ("VISTA-LAB04.lastrollup.txt", "VISTA-LAB04")]:
        out.append(([(name, (FIX / "bundle" / name).read_bytes(), "ascii")], host))
    hist = []
    for name in ["srv-hist01-systeminfo.txt", "srv-hist01-reg.txt", "srv-hist01-qfe.txt"]:
        data = (ROOT / "examples" / name).read_bytes()
        codec = "utf-16-le" if data[:2] == b"\xff\xfe" else "ascii"
        hist.append((name, data, codec))
    out.append((hist, "SRV-HIST01"))
    return [t for t in out if len(t[1]) >= 5]


def rename(data, codec, old, new):
    """Replaces the host name, upper and lower case, in the file's encoding
    and in UTF-16LE (a collector bundle holds sections of both)."""
    for o, n in [(old, new), (old.lower(), new.lower())]:
        for c in {codec, "utf-16-le"}:
            data = data.replace(o.encode(c), n.encode(c))
    return data


def main():
    if len(sys.argv) != 3 or not sys.argv[1].isdigit():
        print("usage: gen-fleet.py HOSTS OUTDIR", file=sys.stderr)
        return 2
    total, out = int(sys.argv[1]), pathlib.Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    in_csv = (total // 10) // 3 * 3
    rows = (FIX / "systeminfo/en_fleet_3hosts_csv_noheader.txt").read_bytes().decode("latin-1").splitlines()
    with open(out / "export-fleet.csv", "wb") as f:
        for i in range(in_csv // 3):
            for row in rows:
                name, rest = row[1:].split('"', 1)
                f.write(f'"{name}-CSV{i:05}"{rest}\r\n'.encode("latin-1"))
    temps = templates()
    for i in range(total - in_csv):
        files, host = temps[i % len(temps)]
        new = host[: len(host) - 5] + f"{i:05}"
        folder = out / f"site{i // 1000:02}" / (new.lower() if len(files) > 1 else "")
        folder.mkdir(parents=True, exist_ok=True)
        for name, data, codec in files:
            target = folder / (f"{i:05}-{name}" if len(files) == 1 else name)
            target.write_bytes(rename(data, codec, host, new))
    return 0


if __name__ == "__main__":
    sys.exit(main())
