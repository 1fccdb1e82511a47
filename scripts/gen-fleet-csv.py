#!/usr/bin/env python3
"""Write a systeminfo `/FO CSV /NH` fleet export of N hosts to stdout.

The rows are those of the committed 3-host fixture, repeated with numbered
host names ("FS01-00000", ...), exactly as `benches/parse.rs` builds its
1,002-host input. Used for the scaling measurements in BENCHMARKS.md:

    python3 scripts/gen-fleet-csv.py 10020 > /tmp/fleet10020.csv
"""
import pathlib
import sys

FIXTURE = (pathlib.Path(__file__).resolve().parent.parent
           / "crates/lastrollup/tests/fixtures/systeminfo/en_fleet_3hosts_csv_noheader.txt")


def main() -> int:
    if len(sys.argv) != 2 or not sys.argv[1].isdigit() or int(sys.argv[1]) % 3:
        print("usage: gen-fleet-csv.py HOSTS   (a multiple of 3)", file=sys.stderr)
        return 2
    rows = FIXTURE.read_bytes().decode("latin-1").splitlines()
    out = sys.stdout.buffer
    for i in range(int(sys.argv[1]) // 3):
        for row in rows:
            # Each row begins with the quoted host name: "FS01",...
            name, rest = row[1:].split('"', 1)
            out.write(f'"{name}-{i:05}"{rest}\r\n'.encode("latin-1"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
