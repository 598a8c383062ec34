"""How Workbench holds up as the library grows: 2k, 10k, 50k and 100k articles.

    .venv/bin/python bench/bench_scale.py [--sizes 2000,10000,50000,100000] [--work DIR]
                                          [--rounds N] [--queries N]

The corpora are the BBC corpus (2,095 articles) replicated: copy k of an article edits
about 1% of its words (each tenth word of every tenth line gets a suffix), so every copy
has its own content hash. They are built once under ``--work`` (default
/tmp/workbench-scale) and reused, with each size's library. For every size it prints:

- the import (whole process, no entities): wall and CPU seconds, documents/s, and
  recollindex on the same folder when Recoll is installed;
- an unchanged re-index, Workbench and recollindex, alternating for ``--rounds`` rounds,
  with the ratio of the medians;
- whole-process ``search`` (median over the query mix), ``show``, ``docs --json`` and
  ``compare``: seconds and peak RSS; recollq on the same queries;
- the app (bench/app_probe.py): launch to the window shown, to the library list filled,
  the longest stall and the memory while it then sits idle;
- in-process: the Library just opened (RSS), search p50/p95 over the query mix with
  snippets and offsets (warm), a cold first wildcard, compare and related;
- the growth exponent b (cost ~ N^b) between consecutive sizes.

Entities are not extracted here (bench_entities_scale.py measures them): compare and
related run with whatever entities the library has.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workbench.core.library import Library  # noqa: E402

BBC = ROOT.parent / "shared" / "corpora" / "bbc-news"
PYTHON = sys.executable
QUERIES = [
    "economy",
    "broadband",
    "injury",
    '"interest rates"',
    '"prime minister"',
    "blair AND brown",
    "china NOT japan",
    "(tax OR budget) AND labour",
    "title:record",
    "econom*",
    "*ball",
    "comput*",
    "goverment~",
    "telephon~",
]
_WORD = re.compile(r"\b(\w{4,})\b")


# --------------------------------------------------------------------------- corpora


def variant(text: str, copy: int) -> str:
    """Copy ``copy`` of an article: every tenth line has its tenth word changed."""
    lines = text.split("\n")
    for i in range(copy % 10, len(lines), 10):
        words = list(_WORD.finditer(lines[i]))
        if words:
            m = words[min(len(words) - 1, 9)]
            lines[i] = lines[i][: m.end()] + f"x{copy}" + lines[i][m.end() :]
    return "\n".join(lines)


def build_corpus(work: Path, size: int) -> Path:
    folder = work / f"corpus-{size}"
    originals = sorted(BBC.glob("*/*.txt"))
    if folder.is_dir() and sum(1 for _ in folder.rglob("*.txt")) == size:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    made = 0
    copy = 0
    while made < size:
        for f in originals:
            if made >= size:
                break
            target = folder / f.parent.name / f"{f.stem}-c{copy}.txt"
            target.parent.mkdir(parents=True, exist_ok=True)
            text = f.read_text("utf-8", errors="replace")
            target.write_text(text if copy == 0 else variant(text, copy), "utf-8")
            made += 1
        copy += 1
    return folder


# --------------------------------------------------------------------------- measuring


def run(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak RSS (MB) of one whole process, by /usr/bin/time
    (a child forked from this process would inherit this process's RSS high-water mark)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        done = subprocess.run(
            ["/usr/bin/time", "-f", "%e %U %S %M", "-o", report.name, *cmd],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=ROOT,
            check=False,
        )
        if done.returncode != 0:
            raise SystemExit(f"failed: {' '.join(cmd)}")
        wall, user, system, rss_kb = report.read().split()[-4:]
    return float(wall), float(user) + float(system), int(rss_kb) / 1024


def workbench(data: Path, *args: str) -> list[str]:
    return [PYTHON, "-m", "workbench", "--data-dir", str(data), *args]


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


class Recoll:
    """Recoll's indexer and query tool on the same folder, when installed."""

    def __init__(self, work: Path, corpus: Path) -> None:
        self.conf = work / f"recoll-{corpus.name}"
        self.available = bool(shutil.which("recollindex") and shutil.which("recollq"))
        if self.available:
            self.conf.mkdir(parents=True, exist_ok=True)
            (self.conf / "recoll.conf").write_text(
                f"topdirs = {corpus}\nindexStemmingLanguages = english\nloglevel = 1\n"
                "indexallfilenames = 0\n"
            )
        self.env = {**os.environ, "RECOLL_CONFDIR": str(self.conf)}

    def index(self, fresh: bool = False) -> tuple[float, float, float]:
        if fresh:
            shutil.rmtree(self.conf / "xapiandb", ignore_errors=True)
        return run(["recollindex", "-c", str(self.conf)], self.env)

    def query(self, q: str) -> tuple[float, float, float]:
        words = q.replace('"', "").replace("AND", "").replace("(", "").replace(")", "")
        return run(["recollq", "-c", str(self.conf), "-n", "10", "-q", words], self.env)


def exponent(sizes: list[int], values: list[float]) -> str:
    parts = []
    for (n1, v1), (n2, v2) in zip(
        zip(sizes, values, strict=True), list(zip(sizes, values, strict=True))[1:], strict=False
    ):
        if v1 > 0 and v2 > 0:
            parts.append(f"{math.log(v2 / v1) / math.log(n2 / n1):.2f}")
    return ", ".join(parts) or "-"


# --------------------------------------------------------------------------- one size


def measure(size: int, work: Path, rounds: int, queries: int) -> dict[str, float]:
    corpus = build_corpus(work, size)
    data = work / f"data-{size}"
    recoll = Recoll(work, corpus)
    out: dict[str, float] = {}
    print(f"\n=== {size:,} articles ({corpus})")
    if not (data / "index").is_dir():
        wall, cpu, rss = run(workbench(data, "index", str(corpus), "--no-entities"))
        out["import_s"] = wall
        print(
            f"import: {wall:.1f} s wall, {cpu:.1f} s CPU, {size / wall:.0f} docs/s, "
            f"peak {rss:.0f} MB"
        )
        if recoll.available:
            rw, rc, _ = recoll.index(fresh=True)
            print(
                f"  recollindex: {rw:.1f} s wall, {rc:.1f} s CPU; ratio {wall / rw:.2f} (CPU {cpu / rc:.2f})"
            )
    ours, theirs = [], []
    for _ in range(rounds):
        ours.append(run(workbench(data, "index", "--no-entities"))[0])
        if recoll.available:
            theirs.append(recoll.index()[0])
    out["reindex_s"] = statistics.median(ours)
    line = f"unchanged re-index: {out['reindex_s']:.2f} s (median of {rounds})"
    if theirs:
        line += f"; recollindex {statistics.median(theirs):.2f} s; ratio {out['reindex_s'] / statistics.median(theirs):.2f}"
    print(line)

    qs = QUERIES[:queries]
    cli = [run(workbench(data, "search", q)) for q in qs]
    out["cli_search_s"] = statistics.median(c[0] for c in cli)
    out["cli_search_mb"] = max(c[2] for c in cli)
    line = f"CLI search: median {out['cli_search_s']:.2f} s, peak {out['cli_search_mb']:.0f} MB"
    if recoll.available:
        line += f"; recollq median {statistics.median(recoll.query(q)[0] for q in qs):.2f} s"
    print(line)

    with Library.open(data) as lib:
        ids = lib.docs.ids()
    rng = random.Random(size)
    a, b = rng.sample(ids, 2)
    show = run(workbench(data, "show", a))
    docs = run(workbench(data, "docs", "--json"))
    cmp_ = run(workbench(data, "compare", a, b))
    out["cli_show_s"], out["cli_compare_s"] = show[0], cmp_[0]
    print(
        f"CLI show: {show[0]:.2f} s, {show[2]:.0f} MB; docs --json: {docs[0]:.2f} s, "
        f"{docs[2]:.0f} MB; compare: {cmp_[0]:.2f} s, {cmp_[2]:.0f} MB"
    )

    probe = subprocess.run(
        [PYTHON, str(ROOT / "bench" / "app_probe.py"), str(data)],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if probe.returncode == 0 and probe.stdout.strip():
        app = json.loads(probe.stdout.strip().splitlines()[-1])
        out["app_shown_s"], out["app_rss_mb"] = app["shown"], app["rss_mb"]
        print(
            f"app: window shown {app['shown']:.2f} s, list filled {app['listed'] - app['shown']:+.2f} s "
            f"later; then idle: worst stall {app['idle_worst_ms']:.0f} ms, RSS {app['rss_mb']:.0f} MB"
        )
    else:
        print(f"app: the probe failed: {probe.stderr.strip().splitlines()[-1:]}")

    before = rss_mb()
    t0 = time.perf_counter()
    lib = Library.open(data)
    opened = time.perf_counter() - t0
    out["open_mb"] = rss_mb() - before
    t0 = time.perf_counter()
    lib.search("*ball")
    cold = (time.perf_counter() - t0) * 1000
    for q in qs:
        lib.search(q)
    lat = []
    for _ in range(3):
        for q in qs:
            t0 = time.perf_counter()
            lib.search(q, limit=20)
            lat.append((time.perf_counter() - t0) * 1000)
    out["search_p50_ms"], out["search_p95_ms"] = pct(lat, 0.5), pct(lat, 0.95)
    print(
        f"in-process: open {opened:.2f} s, +{out['open_mb']:.0f} MB; search p50 "
        f"{out['search_p50_ms']:.1f} ms, p95 {out['search_p95_ms']:.1f} ms; cold first "
        f"wildcard {cold:.0f} ms"
    )
    pairs = [tuple(rng.sample(ids, 2)) for _ in range(5)]
    lib.compare(*pairs[0])  # the model, if any, loads once
    times = []
    for x, y in pairs:
        t0 = time.perf_counter()
        lib.compare(x, y)
        times.append((time.perf_counter() - t0) * 1000)
    out["compare_ms"] = statistics.median(times)
    times = []
    for x, _ in pairs:
        t0 = time.perf_counter()
        lib.related(x)
        times.append((time.perf_counter() - t0) * 1000)
    out["related_ms"] = statistics.median(times)
    print(
        f"in-process: compare median {out['compare_ms']:.0f} ms, related median {out['related_ms']:.0f} ms; RSS {rss_mb():.0f} MB"
    )
    lib.close()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="2000,10000,50000,100000")
    parser.add_argument("--work", type=Path, default=Path("/tmp/workbench-scale"))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--queries", type=int, default=len(QUERIES))
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    args.work.mkdir(parents=True, exist_ok=True)
    results = [measure(n, args.work, args.rounds, args.queries) for n in sizes]
    if len(sizes) > 1:
        print("\ngrowth exponent b (cost ~ N^b) between consecutive sizes:")
        for key in results[0]:
            values = [r.get(key, 0.0) for r in results]
            print(f"  {key:16} {exponent(sizes, values)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
