#!/usr/bin/env python3
"""Times a command right after a memory-heavy process has exited, for
several binaries in turn (one run of each per round, so that every binary
sees the same minutes), and prints wall and system time per binary.

    scripts/bench-after-memory-hog.py [--rounds N] [--hog list|bytearray] \\
        [--env NAME=VALUE@INDEX ...] BINARY... -- ARGS...

(options before the binaries).

Each run: start the memory hog (a Python process that fills about 600-700 MB
and exits), wait for it, then run `BINARY ARGS` and read its wall time and
its own user and system time (wait4). `--hog list` fills the memory with
8 million small string objects (~700 MB resident, like wes.py's ~560 MB of
Python objects); `--hog bytearray` with one 600 MiB bytearray touched every
4 KiB. `--env NAME=VALUE@INDEX` adds an environment variable for one
binary (for example MIMALLOC_ALLOW_THP=0@0), which is then listed as its own
variant. Used for BENCHMARKS.md, "Stable latency".
"""
import argparse
import math
import os
import statistics
import subprocess
import sys
import time

HOGS = {
    "list": "x=[str(i)*3 for i in range(8000000)]",
    "bytearray": "x=bytearray(600*1024*1024); x[::4096]=b'1'*len(x[::4096])",
}


def run(argv, env):
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            fd = os.open(os.devnull, os.O_WRONLY)
            os.dup2(fd, 1)
            os.dup2(fd, 2)
            os.execve(argv[0], argv, env)
        finally:
            os._exit(127)
    _, status, ru = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    return wall * 1000, ru.ru_utime * 1000, ru.ru_stime * 1000, ru.ru_minflt, code


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--rounds", type=int, default=30)
    p.add_argument("--hog", choices=sorted(HOGS), default="list")
    p.add_argument("--env", action="append", default=[])
    p.add_argument("rest", nargs=argparse.REMAINDER)
    a = p.parse_args()
    if "--" not in a.rest:
        p.error("give BINARY... -- ARGS...")
    i = a.rest.index("--")
    binaries, args = a.rest[:i], a.rest[i + 1 :]
    for b in binaries:
        if not os.access(b, os.X_OK):
            p.error(f"{b} is not an executable (options go before the binaries)")
    variants = [(b, b, dict(os.environ)) for b in binaries]
    for spec in a.env:
        assign, _, index = spec.rpartition("@")
        name, _, value = assign.partition("=")
        b = binaries[int(index)]
        env = dict(os.environ)
        env[name] = value
        variants.append((f"{name}={value} {b}", b, env))
    results = {label: [] for label, _, _ in variants}
    for _ in range(a.rounds):
        for label, binary, env in variants:
            subprocess.run([sys.executable, "-c", HOGS[a.hog]], check=True)
            results[label].append(run([binary, *args], env))
    print(f"{a.rounds} rounds, hog '{a.hog}', command: BINARY {' '.join(args)}")
    for label, runs in results.items():
        wall = sorted(r[0] for r in runs)
        sys_t = [r[2] for r in runs]
        codes = sorted({r[4] for r in runs})
        print(
            f"{label}: wall median {statistics.median(wall):.1f} ms, "
            f"p90 {wall[math.ceil(len(wall) * 0.9) - 1]:.1f}, max {wall[-1]:.1f}, "
            f"mean {statistics.mean(wall):.1f}; system mean {statistics.mean(sys_t):.1f} ms, "
            f"max {max(sys_t):.1f}; user mean {statistics.mean(r[1] for r in runs):.1f} ms; "
            f"minor faults median {statistics.median(r[3] for r in runs):.0f}; exit codes {codes}"
        )
        print("   wall ms:", " ".join(f"{r[0]:.0f}" for r in runs))


if __name__ == "__main__":
    main()
