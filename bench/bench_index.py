"""Index the BBC corpus and time queries; run Recoll on the same folder when installed.

    .venv/bin/python bench/bench_index.py [--corpus DIR] [--repeat N] [--rounds N]

Prints documents per second, index size, and p50/p95 query latency (snippets and match
offsets included) over a fixed list of queries: words, phrases, boolean, wildcard, fuzzy.
If ``recollindex``/``recollq`` (Debian package recollcmd) are on the PATH, Recoll indexes
the same folder in the same run and the ratio is printed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workbench.core.library import Library

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "bbc-news"

QUERIES = [
    # words
    "economy",
    "election",
    "broadband",
    "oscar",
    "injury",
    "football",
    # phrases
    '"interest rates"',
    '"prime minister"',
    '"mobile phone"',
    '"chief executive"',
    # boolean
    "blair AND brown",
    "music OR film",
    "china NOT japan",
    "(tax OR budget) AND labour",
    "title:record",
    "game AND (sony OR nintendo)",
    # wildcard
    "econom*",
    "comput*",
    "*ball",
    # fuzzy
    "goverment~",
    "telephon~",
    "chelsee~",
]


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def bench_workbench(corpus: Path, repeat: int) -> tuple[float, int, list[float], int]:
    with tempfile.TemporaryDirectory(prefix="wb-bench-") as tmp:
        lib = Library.open(tmp)
        t0 = time.perf_counter()
        report = lib.add_paths([corpus])
        seconds = time.perf_counter() - t0
        docs = len(report.added)
        size = dir_size(Path(tmp) / "index")
        lib.search("warm up")
        latencies = []
        for _ in range(repeat):
            for q in QUERIES:
                t = time.perf_counter()
                results = lib.search(q, limit=10)
                for hit in results.hits:  # offsets and snippets are computed in search()
                    assert hit.snippet is not None
                latencies.append((time.perf_counter() - t) * 1000)
        lib.close()
    return seconds, size, latencies, docs


def bench_recoll(corpus: Path) -> tuple[float, int, list[float]] | None:
    if not (shutil.which("recollindex") and shutil.which("recollq")):
        return None
    with tempfile.TemporaryDirectory(prefix="recoll-bench-") as conf:
        Path(conf, "recoll.conf").write_text(
            f"topdirs = {corpus}\nindexStemmingLanguages = english\nloglevel = 1\n"
            "indexallfilenames = 0\n"
        )
        env = {**os.environ, "RECOLL_CONFDIR": conf}
        t0 = time.perf_counter()
        subprocess.run(
            ["recollindex", "-c", conf, "-z"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        seconds = time.perf_counter() - t0
        size = dir_size(Path(conf) / "xapiandb")
        latencies = []
        for q in ["economy", "interest rates", "blair brown", "econom*"]:
            t = time.perf_counter()
            subprocess.run(
                ["recollq", "-c", conf, "-n", "10", "-q", q],
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            latencies.append((time.perf_counter() - t) * 1000)
        return seconds, size, latencies


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=5, help="times each query is run")
    parser.add_argument(
        "--rounds", type=int, default=3, help="index runs of each tool, alternating"
    )
    args = parser.parse_args()

    ours: list[float] = []
    theirs: list[float] = []
    recoll = None
    for round_ in range(1, max(1, args.rounds) + 1):
        seconds, size, latencies, docs = bench_workbench(args.corpus, args.repeat)
        ours.append(seconds)
        print(
            f"round {round_}: workbench index {seconds:.2f} s, {docs / seconds:.0f} documents/s",
            end="",
        )
        recoll = bench_recoll(args.corpus)
        if recoll is None:
            print()
            continue
        theirs.append(recoll[0])
        print(f"; recollindex {recoll[0]:.2f} s; ratio {seconds / recoll[0]:.2f}")
    seconds = statistics.median(ours)
    print(f"corpus: {args.corpus} ({docs} documents indexed)")
    print(
        f"workbench index: median {seconds:.2f} s of {len(ours)}, {docs / seconds:.0f} documents/s, "
        f"index {size / 1e6:.1f} MB"
    )
    print(
        f"workbench query latency over {len(QUERIES)} queries x {args.repeat} "
        f"(snippets + offsets, last round): p50 {percentile(latencies, 0.5):.2f} ms, "
        f"p95 {percentile(latencies, 0.95):.2f} ms, max {max(latencies):.2f} ms"
    )
    if recoll is None:
        print("recoll: not installed (Debian package recollcmd); no comparison")
        return 0
    r_seconds, r_size, r_lat = statistics.median(theirs), recoll[1], recoll[2]
    print(
        f"recollindex: median {r_seconds:.2f} s of {len(theirs)}, {docs / r_seconds:.0f} documents/s, "
        f"xapian db {r_size / 1e6:.1f} MB"
    )
    print(
        f"ratio of median index times workbench/recoll: {seconds / r_seconds:.2f} "
        "(below 1 means Workbench is faster)"
    )
    print(
        f"recollq whole-process query time (includes process start): median "
        f"{statistics.median(r_lat):.1f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
