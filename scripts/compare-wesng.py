#!/usr/bin/env python3
"""Compare the CVE exposure of `lastrollup check` with wesng (wes.py).

For each systeminfo capture given, this script

  1. runs wes.py offline against a local definitions.zip (never `--update`)
     and times it; wesng picks the product from the systeminfo text itself;
  2. runs wes.py a second time "pinned" to the product lastrollup assessed
     (wes.py's `--qfe FILE --os N` mode, reading the same KBs from the
     same file) when --pinned is given (slow: minutes); this separates "wesng read another
     product" from genuine differences in how fixes are credited;
  3. runs `lastrollup check --db DB --format json FILE` and times it;
  4. compares the CVE sets and classifies every CVE found by only one tool,
     using the same definitions.zip (supersedence, product rows) and
     `lastrollup explain --format json KB…` (update kind and month).

Standard library only. Exit codes: 0 both tools ran on every file,
2 a tool could not be run or gave no result for a file, or bad arguments.

Example:
  scripts/compare-wesng.py examples/srv-hist01-systeminfo.txt
  scripts/compare-wesng.py --db /tmp/cmp.lrdb --json crates/lastrollup/tests/fixtures/systeminfo/*.txt
"""

import argparse
import concurrent.futures
import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_LASTROLLUP = os.path.join(REPO, "target", "release", "lastrollup")
DEFAULT_DEFINITIONS = os.path.normpath(
    os.path.join(REPO, "..", "shared", "data", "wesng", "definitions.zip"))
DEFAULT_KEV = os.path.normpath(
    os.path.join(REPO, "..", "shared", "data", "kev", "known_exploited_vulnerabilities.json"))

CORE = " (Server Core installation)"

# Short names of the difference classes (the keys of the summary).
C_PRODUCT = "wesng picked another product/SP"
C_FIXED_LISTED = "fix listed as installed (lastrollup credits another KB/product row)"
C_SUPERSEDED = "superseded chain"
C_ROLLUP = "fixed by a rollup month lastrollup counts as covered (cumulative)"
C_IE_CUMULATIVE = "IE cumulative update lastrollup counts as covered"
C_COMPONENT_NA = "component (IE/.NET) lastrollup leaves n/a"
C_COMPONENT_UNV = "component (IE/.NET) lastrollup leaves unverified"
C_UNVERIFIED = "unverified in lastrollup"
C_WES_SUPERSEDED = "superseded chain (wesng hides KBs that a newer, also missing KB supersedes)"
C_WES_OVERLAP = "wesng overlap filter (KB superseded by another still-missing KB)"
C_WES_LISTED = "wesng saw a fix installed (lastrollup does not credit it)"
C_ITANIUM = "duplicate product spelling Itanium-Based/-based"
C_ADV = "ADV advisory ids"
C_SP_ROW = "wesng service-pack pseudo-row (Custom definitions)"
C_CORE = "Server Core-only row (wesng counts it on a full installation)"
C_BAD_ID = "malformed id in the definitions"
C_UNEXPLAINED = "unexplained"


# --------------------------------------------------------------------------
# Products

def parse_product(name):
    """Reads an NT 6.0 product name as the definitions spell it.

    Returns dict(family, arch, sp, core, component) or None (not NT 6.0).
    Server 2008 without a service pack in its name is SP1 (the level it
    shipped at), as lastrollup reads it."""
    name = " ".join(name.split())
    comp = None
    os_part = name
    if " on " in name:
        comp, os_part = name.rsplit(" on ", 1)
    low = os_part.lower()
    core = low.endswith(CORE.lower())
    if core:
        low = low[: -len(CORE)]
    m = re.match(r"^(.*?)(?: service pack (\d))?$", low)
    base, sp = m.group(1), m.group(2)
    sp = int(sp) if sp else 0
    if base.startswith("windows server 2008 for "):
        arch = {"32-bit systems": "x86", "x86-based systems": "x86",
                "x64-based systems": "x64", "itanium-based systems": "ia64"}.get(
                    base[len("windows server 2008 for "):])
        if arch is None:
            return None
        return dict(family="server2008", arch=arch, sp=sp or 1, core=core, component=comp)
    if base in ("windows vista", "windows vista x64 edition") and not core:
        return dict(family="vista", arch="x64" if "x64" in base else "x86", sp=sp,
                    core=False, component=comp)
    return None


def os_key(p):
    return (p["family"], p["arch"], p["sp"]) if p else None


def describe_key(k):
    if not k:
        return "not NT 6.0"
    fam = "Server 2008" if k[0] == "server2008" else "Vista"
    return "%s %s SP%d" % (fam, k[1], k[2])


def wes_product_matches(productfilter, product):
    """wes.py's determine_missing_patches() product test."""
    if "Service Pack" in productfilter:
        return productfilter in product
    return productfilter in product and (productfilter + " Service Pack") not in product


def kbnum(s):
    s = s.strip().upper()
    return s[2:] if s.startswith("KB") else s


# --------------------------------------------------------------------------
# Definitions (the same file both tools read)

class Definitions:
    def __init__(self, path):
        self.rows = []          # NT 6.0 rows only
        self.by_cve = {}
        self.all_products = set()
        with zipfile.ZipFile(path) as z:
            for n in z.namelist():
                if not (n.startswith("CVEs") or n.startswith("Custom")):
                    continue
                with z.open(n) as f:
                    text = io.TextIOWrapper(f, encoding="utf-8", errors="replace", newline="")
                    lines = (l for l in text if not l.startswith("#"))
                    for r in csv.DictReader(lines):
                        prod = r.get("AffectedProduct") or ""
                        self.all_products.add(prod)
                        if "Vista" not in prod and "Server 2008" not in prod:
                            continue
                        r["_p"] = parse_product(prod)
                        self.rows.append(r)
                        self.by_cve.setdefault(r["CVE"], []).append(r)

    def wes_os_index(self, name):
        """The index wes.py's `--os N` gives `name`: wes.py's own list
        (get_operatingsystems). `--os NAME` with `--qfe` crashes in wes.py 1.03
        (it does not load the definitions first), an index works."""
        regex_wp = re.compile(r'.*(Windows (Server|(\d+.?)+|XP).*)')
        names = sorted(set(wp[0] for wp in regex_wp.findall("\n".join(self.all_products))))
        return names.index(name) if name in names else None

    def rows_for_os(self, cve, key):
        return [r for r in self.by_cve.get(cve, []) if os_key(r["_p"]) == key]

    def supersedes_for_os(self, key):
        sup = {}
        for r in self.rows:
            if os_key(r["_p"]) == key and r["Supersedes"]:
                sup.setdefault(r["BulletinKB"], set()).update(
                    x for x in r["Supersedes"].split(";") if x)
        return sup

    def wes_rows(self, productfilter):
        return [r for r in self.rows if wes_product_matches(productfilter, r["AffectedProduct"])]


def reachable(installed, sup):
    """KBs an installed KB supersedes, directly or through a chain: kb -> via."""
    seen = {}
    stack = [(kb, kb) for kb in installed]
    while stack:
        kb, via = stack.pop()
        if kb in seen:
            continue
        seen[kb] = via
        for s in sup.get(kb, ()):
            stack.append((s, via))
    return seen


# --------------------------------------------------------------------------
# Running the tools

def find_wes():
    for name in ("wes.py", "wes"):
        p = shutil.which(name)
        if p:
            return p
    return None


def wes_command(wes):
    if wes.endswith(".py"):
        return [sys.executable, wes]
    return [wes]


def run_wes(wes, definitions, infile, pinned_os=None, pinned_index=None):
    """Runs wes.py offline; returns a result dict (error set when it failed).

    With `pinned_os`, runs `--qfe FILE --os INDEX` (the KBs come from the same
    file) and checks that wes.py selected `pinned_os`."""
    res = dict(mode="pinned" if pinned_os else "auto", product=None, build=None,
               hotfixes=[], rows=0, cves=[], seconds=None, rc=None, error=None,
               command=None)
    with tempfile.TemporaryDirectory(prefix="cmp-wes-") as tmp:
        out_csv = os.path.join(tmp, "out.csv")
        cmd = wes_command(wes) + ["--definitions", os.path.abspath(definitions)]
        if pinned_os:
            cmd += ["--qfe", os.path.abspath(infile), "--os", str(pinned_index)]
        else:
            cmd += [os.path.abspath(infile)]
        cmd += ["--output", out_csv]
        res["command"] = cmd
        t0 = time.perf_counter()
        try:
            # cwd is a scratch folder: wes.py writes nothing next to the input.
            p = subprocess.run(cmd, cwd=tmp, capture_output=True, text=True,
                               errors="replace", timeout=600)
        except (OSError, subprocess.TimeoutExpired) as e:
            res["error"] = "could not run wes.py: %s" % e
            return res
        res["seconds"] = round(time.perf_counter() - t0, 3)
        res["rc"] = p.returncode
        out = p.stdout
        m = re.search(r"- Name: (.*)", out)
        if m:
            res["product"] = m.group(1).strip()
        m = re.search(r"- Selected Operating System: (.*)", out)
        if m:
            res["product"] = m.group(1).strip()
        m = re.search(r"- Build: (\S+)", out)
        if m:
            res["build"] = m.group(1)
        m = re.search(r"- Installed hotfixes \(\d+\): (.*)", out)
        if m:
            res["hotfixes"] = [kbnum(k) for k in m.group(1).split(",")]
        if pinned_os and res["product"] != pinned_os:
            res["error"] = "wes.py --os %s selected '%s', not '%s'" % (pinned_index, res["product"], pinned_os)
            return res
        err = [l[4:] for l in out.splitlines() if l.startswith("[-] ") and "Missing" not in l
               and "Done" not in l]
        if p.returncode != 0 or err:
            tail = (p.stderr.strip().splitlines() or [""])[-1]
            res["error"] = "; ".join(err) or tail or "exit %d" % p.returncode
            return res
        rows = []
        if os.path.exists(out_csv):
            with open(out_csv, newline="", encoding="utf-8", errors="replace") as f:
                rows = list(csv.DictReader(f))
        elif "No vulnerabilities found" not in out:
            res["error"] = "wes.py wrote no CSV (stdout: %s)" % out.strip().splitlines()[-1:]
            return res
        res["rows"] = len(rows)
        res["_rows"] = rows
        res["cves"] = sorted({r["CVE"] for r in rows if r["CVE"]})
    return res


def run_lastrollup(lastrollup, db, infile):
    res = dict(products=[], open=[], unverified=[], seconds=None, rc=None, error=None,
               hosts=0, nt60=None, command=None)
    cmd = [lastrollup, "check", "--db", db, "--format", "json", "--color", "never", infile]
    res["command"] = cmd
    t0 = time.perf_counter()
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, errors="replace", timeout=600)
    except (OSError, subprocess.TimeoutExpired) as e:
        res["error"] = "could not run lastrollup: %s" % e
        return res
    res["seconds"] = round(time.perf_counter() - t0, 3)
    res["rc"] = p.returncode
    if p.returncode not in (0, 1, 3):
        res["error"] = "exit %d: %s" % (p.returncode, p.stderr.strip()[:500])
        return res
    try:
        doc = json.loads(p.stdout)
    except ValueError as e:
        res["error"] = "unreadable JSON: %s" % e
        return res
    hosts = doc.get("hosts") or []
    res["hosts"] = len(hosts)
    if not hosts:
        res["error"] = "no host in the report"
        return res
    h = hosts[0]
    res["host"] = (h.get("host") or {}).get("name")
    res["verdict"] = h.get("verdict")
    res["installed"] = sorted({kbnum(u["kb"]) for u in h.get("updates") or [] if u.get("kb")})
    base = h.get("baseline") or {}
    res["baseline_month"] = base.get("month")
    res["kernel_month"] = (base.get("kernel") or {}).get("month")
    ex = h.get("exposure")
    res["nt60"] = ex is not None
    if ex is None:
        return res
    res["origin"] = ex.get("origin")
    res["products"] = ex.get("products") or []
    res["counts"] = ex.get("counts")
    res["notes"] = ex.get("notes")
    res["_cves"] = {c["id"]: c for c in ex.get("cves") or []}
    res["open"] = sorted(c["id"] for c in ex["cves"] if c["status"] == "open")
    res["unverified"] = sorted(c["id"] for c in ex["cves"] if c["status"] != "open")
    return res


class Explainer:
    """`lastrollup explain --format json KB` with a cache."""

    def __init__(self, lastrollup):
        self.lastrollup = lastrollup
        self.cache = {}

    def prefetch(self, kbs):
        todo = [k for k in set(kbs) if k not in self.cache and k.isdigit()]
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            for kb, info in zip(todo, pool.map(self._one, todo)):
                self.cache[kb] = info

    def _one(self, kb):
        try:
            p = subprocess.run([self.lastrollup, "explain", "--format", "json", "KB" + kb],
                               capture_output=True, text=True, timeout=60)
            if p.returncode == 0:
                return json.loads(p.stdout)
        except (OSError, ValueError, subprocess.TimeoutExpired):
            pass
        return None

    def get(self, kb):
        if kb not in self.cache:
            self.prefetch([kb])
        return self.cache.get(kb)


# --------------------------------------------------------------------------
# Classification

class Context:
    """What is known about one host, for classifying its differences."""

    def __init__(self, defs, explainer, lr, wes_runs):
        self.defs = defs
        self.ex = explainer
        self.lr = lr
        self.lr_keys = []
        for name in lr["products"]:
            p = parse_product(name)
            if p:
                self.lr_keys.append(os_key(p))
        installed = set(lr.get("installed") or [])
        for w in wes_runs:
            installed.update(w.get("hotfixes") or [])
        self.installed = installed
        self.reach = {}
        for k in self.lr_keys:
            self.reach.update(reachable(installed, defs.supersedes_for_os(k)))
        explainer.prefetch(installed)
        months = {}
        for kb in installed:
            info = explainer.get(kb)
            if info and info.get("month"):
                months.setdefault(info.get("kind"), []).append(info["month"])
        self.rollup_month = max(months.get("monthly_rollup", []), default=None)
        if lr.get("kernel_month") and (not self.rollup_month or lr["kernel_month"] > self.rollup_month):
            self.rollup_month = lr["kernel_month"]
        self.ie_month = max([m for k, v in months.items() if k and "ie" in k for m in v],
                            default=None)
        self._wes_cache = {}

    def wes_view(self, productfilter):
        """Rows wes.py considers for a product, and the KBs it treats as
        installed because some row of the product supersedes them."""
        if productfilter not in self._wes_cache:
            rows = self.defs.wes_rows(productfilter)
            by_cve = {}
            sup = {}
            for r in rows:
                by_cve.setdefault(r["CVE"], []).append(r)
                for s in (r["Supersedes"] or "").split(";"):
                    if s:
                        sup.setdefault(s, r["BulletinKB"])
            self._wes_cache[productfilter] = (by_cve, sup)
        return self._wes_cache[productfilter]

    def kb_label(self, kb):
        info = self.ex.get(kb)
        if not info:
            return "KB%s" % kb
        return "KB%s (%s, %s)" % (kb, info.get("kind_label") or info.get("kind"), info.get("month"))

    def why_lastrollup_omits(self, cve, wes_rows, wes_pf):
        """A CVE wesng lists and lastrollup does not."""
        if not re.match(r"^(CVE-\d{4}-\d+|ADV\d+)$", cve):
            title = wes_rows[0]["Title"] if wes_rows else ""
            if cve.startswith("SP"):
                return C_SP_ROW, "'%s': %s (wesng: 'Missing service pack')" % (cve, title)
            return C_BAD_ID, "id '%s' (KB%s, %s)" % (
                cve, wes_rows[0]["BulletinKB"] if wes_rows else "?", title)
        wes_prods = sorted({r["AffectedProduct"] for r in wes_rows})
        wes_kbs = sorted({r["BulletinKB"] for r in wes_rows})
        lr_rows = [r for k in self.lr_keys for r in self.defs.rows_for_os(cve, k)]
        src = "wesng row: %s, %s" % (", ".join("KB" + k for k in wes_kbs), " | ".join(wes_prods))
        if not lr_rows:
            if any("Itanium" in p for p in wes_prods):
                return C_ITANIUM, src
            cls = C_ADV if cve.startswith("ADV") else C_PRODUCT
            return cls, "%s; no row for %s" % (src, " / ".join(describe_key(k) for k in self.lr_keys))
        core_host = any(n.endswith(CORE) for n in self.lr["products"])
        if not core_host and all(r["_p"]["core"] for r in lr_rows):
            return C_CORE, "%s; lastrollup reads the full installation" % src
        note = "" if any(os_key(parse_product(r["AffectedProduct"])) in self.lr_keys
                         for r in wes_rows) else \
            " [wesng read it from %s]" % " | ".join(wes_prods)
        kbs = sorted({r["BulletinKB"] for r in lr_rows})
        listed = [k for k in kbs if k in self.installed]
        if listed:
            return C_FIXED_LISTED, "KB%s listed; %s%s" % (listed[0], src, note)
        sup = [k for k in kbs if k in self.reach]
        if sup:
            return C_SUPERSEDED, "KB%s superseded by installed KB%s%s" % (
                sup[0], self.reach[sup[0]], note)
        self.ex.prefetch(kbs)
        for k in kbs:
            info = self.ex.get(k)
            if not info:
                continue
            kind = info.get("kind") or ""
            if kind in ("monthly_rollup", "security_only") and self.rollup_month \
                    and info.get("month") and info["month"] <= self.rollup_month:
                return C_ROLLUP, "%s <= installed rollup month %s%s" % (
                    self.kb_label(k), self.rollup_month, note)
            if "ie" in kind and self.ie_month and info.get("month") and info["month"] <= self.ie_month:
                return C_IE_CUMULATIVE, "%s <= installed IE cumulative %s%s" % (
                    self.kb_label(k), self.ie_month, note)
        if all(r["_p"]["component"] for r in lr_rows):
            comps = sorted({r["_p"]["component"] for r in lr_rows})
            return C_COMPONENT_NA, "named only for %s%s" % (", ".join(comps), note)
        return C_UNEXPLAINED, "lastrollup fixes: %s; %s%s" % (
            ", ".join(self.kb_label(k) for k in kbs), src, note)

    def why_wesng_omits(self, cve, wes_pf):
        """A CVE lastrollup lists and wesng (reading `wes_pf`) does not."""
        c = self.lr["_cves"][cve]
        status = c["status"]
        fixed_by = ", ".join(c.get("fixed_by") or [])
        by_cve, sup = self.wes_view(wes_pf)
        mine = by_cve.get(cve, [])
        tag = "" if status == "open" else " [lastrollup: unverified — %s]" % (c.get("reason") or "")
        if status != "open" and c.get("component"):
            cls_unv = C_COMPONENT_UNV
        elif status != "open":
            cls_unv = C_UNVERIFIED
        else:
            cls_unv = None
        if not mine:
            lr_rows = [r for k in self.lr_keys for r in self.defs.rows_for_os(cve, k)]
            if any(r["_p"]["arch"] == "ia64" for r in lr_rows):
                return C_ITANIUM, "fixed by %s%s" % (fixed_by, tag)
            cls = C_ADV if cve.startswith("ADV") else (cls_unv or C_PRODUCT)
            return cls, "'%s' has no row for it; lastrollup: fixed by %s%s" % (wes_pf, fixed_by, tag)
        kbs = sorted({r["BulletinKB"] for r in mine})
        listed = [k for k in kbs if k in self.installed]
        if listed:
            return cls_unv or C_WES_LISTED, "wesng: KB%s installed; lastrollup fixes %s%s" % (
                listed[0], fixed_by, tag)
        hidden = [k for k in kbs if k in sup]
        if hidden:
            return cls_unv or C_WES_SUPERSEDED, "KB%s superseded by KB%s (not installed)%s" % (
                hidden[0], sup[hidden[0]], tag)
        return cls_unv or C_UNEXPLAINED, "wesng rows KB%s%s" % (", KB".join(kbs), tag)


def compare(ctx, wes, lr):
    wes_set = set(wes["cves"])
    lr_set = set(lr["open"]) | set(lr["unverified"])
    rows_by_cve = {}
    for r in wes.get("_rows", []):
        rows_by_cve.setdefault(r["CVE"], []).append(r)
    only_wes = []
    for cve in sorted(wes_set - lr_set):
        cls, detail = ctx.why_lastrollup_omits(cve, rows_by_cve.get(cve, []), wes["product"])
        only_wes.append(dict(id=cve, kb=sorted({"KB" + r["BulletinKB"] for r in rows_by_cve.get(cve, [])}),
                             **{"class": cls, "detail": detail}))
    only_lr = []
    for cve in sorted(lr_set - wes_set):
        cls, detail = ctx.why_wesng_omits(cve, wes["product"])
        c = lr["_cves"][cve]
        only_lr.append(dict(id=cve, kb=c.get("fixed_by") or [], status=c["status"],
                            **{"class": cls, "detail": detail}))
    both = wes_set & lr_set
    return dict(both=len(both),
                both_open=len(both & set(lr["open"])),
                only_wesng=only_wes, only_lastrollup=only_lr)


def class_counts(items):
    out = {}
    for i in items:
        out[i["class"]] = out.get(i["class"], 0) + 1
    return dict(sorted(out.items(), key=lambda kv: -kv[1]))


# --------------------------------------------------------------------------
# Output

def print_diff(title, items, limit):
    print("  %s: %d" % (title, len(items)))
    groups = {}
    for i in items:
        groups.setdefault(i["class"], []).append(i)
    for cls, its in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        print("    [%s] %d" % (cls, len(its)))
        shown = its if not limit else its[:limit]
        for i in shown:
            print("      %-16s %-10s %s" % (i["id"], ",".join(i["kb"][:2]), i["detail"]))
        if len(shown) < len(its):
            print("      … %d more (--limit 0 shows all)" % (len(its) - len(shown)))


def fmt_s(x):
    return "-" if x is None else "%.2f s" % x


def print_file(r, limit):
    print("=" * 78)
    print(r["file"])
    w, lr = r["wesng"], r["lastrollup"]
    if w["error"]:
        print("  wesng      : ERROR %s (%s)" % (w["error"], fmt_s(w["seconds"])))
    else:
        print("  wesng      : %s (build %s, %d hotfixes) — %d CVEs in %d rows, %s" % (
            w["product"], w["build"], len(w["hotfixes"]), len(w["cves"]), w["rows"], fmt_s(w["seconds"])))
    p = r.get("wesng_pinned")
    if p:
        if p["error"]:
            print("  wesng pin  : ERROR %s" % p["error"])
        else:
            print("  wesng pin  : --os '%s' — %d CVEs in %d rows, %s" % (
                p["product"], len(p["cves"]), p["rows"], fmt_s(p["seconds"])))
    if lr["error"]:
        print("  lastrollup : ERROR %s" % lr["error"])
    elif not lr["nt60"]:
        print("  lastrollup : not NT 6.0 (exit %s), %s — %s" % (lr["rc"], fmt_s(lr["seconds"]), lr.get("verdict")))
    else:
        print("  lastrollup : %s — open %d, unverified %d (exit %d), %s" % (
            " + ".join(lr["products"]), len(lr["open"]), len(lr["unverified"]), lr["rc"], fmt_s(lr["seconds"])))
        if lr.get("baseline_month"):
            print("               baseline %s, installed %s" % (
                lr["baseline_month"], ", ".join("KB" + k for k in lr.get("installed") or []) or "none"))
    for key, label in (("vs_wesng", "wesng (auto)"), ("vs_pinned", "wesng pinned")):
        d = r.get(key)
        if not d:
            continue
        print("  -- lastrollup vs %s: both %d (of which lastrollup open %d), only wesng %d, only lastrollup %d" % (
            label, d["both"], d["both_open"], len(d["only_wesng"]), len(d["only_lastrollup"])))
        print_diff("only in wesng", d["only_wesng"], limit)
        print_diff("only in lastrollup", d["only_lastrollup"], limit)


def strip_private(obj):
    if isinstance(obj, dict):
        return {k: strip_private(v) for k, v in obj.items() if not k.startswith("_")}
    if isinstance(obj, list):
        return [strip_private(v) for v in obj]
    return obj


# --------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(
        description="Compare lastrollup check's CVE exposure with wesng (wes.py) on systeminfo captures.",
        epilog=__doc__.split("\n\n", 1)[1], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="+", metavar="SYSTEMINFO", help="systeminfo capture(s)")
    ap.add_argument("--lastrollup", default=DEFAULT_LASTROLLUP,
                    help="lastrollup binary (default: %(default)s)")
    ap.add_argument("--definitions", default=DEFAULT_DEFINITIONS,
                    help="wesng definitions.zip, read by both tools (default: %(default)s)")
    ap.add_argument("--db", help="lastrollup advisory database; created from --definitions "
                    "(and --kev) when the file does not exist (default: a temporary one)")
    ap.add_argument("--kev", default=DEFAULT_KEV,
                    help="CISA KEV catalog imported with the definitions when the database is "
                    "created; '' for none (default: %(default)s)")
    ap.add_argument("--wes", help="wes.py or the `wes` entry point (default: the first on PATH)")
    ap.add_argument("--pinned", action="store_true",
                    help="also run wes.py pinned to lastrollup's product (`--qfe FILE --os N`); "
                    "slow: wes.py 1.03 needs minutes for the ~13,000 rows of Server 2008 SP2")
    ap.add_argument("--limit", type=int, default=0, metavar="N",
                    help="list at most N CVEs per class in the text output (default: all)")
    ap.add_argument("--json", action="store_true", help="print a machine-readable summary")
    args = ap.parse_args()

    def fail(msg):
        print("compare-wesng: " + msg, file=sys.stderr)
        sys.exit(2)

    wes = args.wes or find_wes()
    if not wes or not (os.path.isfile(wes) or shutil.which(wes)):
        fail("wes.py not found (pip install wesng, or give --wes PATH)")
    if not os.path.isfile(args.lastrollup):
        fail("lastrollup binary not found: %s" % args.lastrollup)
    if not os.path.isfile(args.definitions):
        fail("definitions not found: %s" % args.definitions)
    for f in args.files:
        if not os.path.isfile(f):
            fail("no such file: %s" % f)

    tmpdir = tempfile.mkdtemp(prefix="cmp-wesng-")
    try:
        db = args.db or os.path.join(tmpdir, "cmp.lrdb")
        import_info = None
        if not os.path.exists(db):
            cmd = [args.lastrollup, "db", "import", "--db", db, args.definitions]
            if args.kev and os.path.isfile(args.kev):
                cmd.append(args.kev)
            t0 = time.perf_counter()
            p = subprocess.run(cmd, capture_output=True, text=True, errors="replace")
            import_info = dict(command=cmd, seconds=round(time.perf_counter() - t0, 3), rc=p.returncode)
            if p.returncode != 0:
                fail("lastrollup db import failed (exit %d): %s" % (p.returncode, p.stderr.strip()))
            if not args.json:
                print("imported %s into %s in %.2f s" % (args.definitions, db, import_info["seconds"]))

        explainer = Explainer(args.lastrollup)
        defs = None
        results = []
        tool_error = False
        for f in args.files:
            r = dict(file=f)
            w = run_wes(wes, args.definitions, f)
            lr = run_lastrollup(args.lastrollup, db, f)
            r["wesng"], r["lastrollup"] = w, lr
            pinned = None
            if args.pinned and not lr["error"] and lr["nt60"] and len(lr["products"]) == 1:
                pin = lr["products"][0].replace(CORE, "")
                if not w["error"] and w["product"] == pin:
                    pinned = None  # wesng already read this product
                    r["pinned_note"] = "wesng already read lastrollup's product"
                else:
                    if defs is None:
                        defs = Definitions(args.definitions)
                    idx = defs.wes_os_index(pin)
                    if idx is None:
                        r["pinned_note"] = "wes.py has no product '%s' to pin to" % pin
                    else:
                        pinned = run_wes(wes, args.definitions, f, pinned_os=pin, pinned_index=idx)
                        r["wesng_pinned"] = pinned
            elif args.pinned and lr["nt60"] and len(lr["products"]) > 1:
                r["pinned_note"] = "lastrollup read two products (architecture unknown): not pinned"
            if w["error"] or lr["error"]:
                tool_error = True
            if not lr["error"] and lr["nt60"]:
                if defs is None:
                    defs = Definitions(args.definitions)
                runs = [x for x in (w, pinned) if x and not x["error"]]
                ctx = Context(defs, explainer, lr, runs)
                if not w["error"]:
                    r["vs_wesng"] = compare(ctx, w, lr)
                if pinned and not pinned["error"]:
                    r["vs_pinned"] = compare(ctx, pinned, lr)
            results.append(r)
            if not args.json:
                print_file(r, args.limit)
                sys.stdout.flush()

        if args.json:
            summary = []
            for r in results:
                s = strip_private(r)
                for key in ("vs_wesng", "vs_pinned"):
                    if key in s:
                        s[key]["classes_only_wesng"] = class_counts(s[key]["only_wesng"])
                        s[key]["classes_only_lastrollup"] = class_counts(s[key]["only_lastrollup"])
                summary.append(s)
            json.dump(dict(schema="lastrollup.compare-wesng/1", definitions=args.definitions, db=db,
                           wes=wes, lastrollup=args.lastrollup, db_import=import_info, files=summary),
                      sys.stdout, indent=2)
            print()
        else:
            print("=" * 78)
            print("%-60s %8s %8s %5s %5s %5s" % ("file", "wesng", "wes-pin", "open", "unv", "both"))
            for r in results:
                w, lr, p = r["wesng"], r["lastrollup"], r.get("wesng_pinned")
                print("%-60s %8s %8s %5s %5s %5s" % (
                    r["file"][-60:],
                    "err" if w["error"] else len(w["cves"]),
                    "-" if not p else ("err" if p["error"] else len(p["cves"])),
                    "err" if lr["error"] else len(lr["open"]),
                    "err" if lr["error"] else len(lr["unverified"]),
                    r["vs_wesng"]["both"] if "vs_wesng" in r else "-"))
        return 2 if tool_error else 0
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
