"""Quotes in a library: what finding and storing them adds to entity extraction, and how
fast a speaker's quotes and the ``speaker:``/``quote:`` searches answer.

    python bench/bench_quotes_library.py [--docs N] [--rounds R] [--speaker NAME]

Builds a library of ``--docs`` BBC articles (default: all 2,095) in a temporary folder,
runs entity extraction (NER in worker processes, resolution, and the quotes of every
document found and stored as each step is resolved) and prints the time spent in the
quote step apart. Then, in alternating rounds (medians printed): ``lib.quotes.statements``
(what ``workbench quotes --speaker`` runs), ``by_speaker``, ``counts``, and searches with
``speaker:``, ``quote:``, both, next to ``entity:`` and a plain word on the same library.

    python bench/bench_quotes_library.py --books N [--rounds R]

Compares the quotes of two book-length texts instead: N BBC politics articles joined into
one text against the next N (speakers resolved by the spaCy model as the library does),
with ``compare_quotes`` (candidates from an index by word) and with the reference that
measures every pair of quotes (tests/core/test_quotes_compare_index.py), alternating
rounds, medians printed, and checks both give the same result.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workbench.core.library import Library  # noqa: E402
from workbench.core.quotes.manager import QuoteManager  # noqa: E402

CORPORA = ROOT.parent / "shared" / "corpora"
if not CORPORA.exists():
    CORPORA = Path("/work/shared/corpora")


def _bbc(limit: int, into: Path) -> int:
    sections = sorted(p for p in (CORPORA / "bbc-news").iterdir() if p.is_dir())
    files = [f for s in sections for f in sorted(s.glob("*.txt"))]
    if limit < len(files):  # an even share of each section
        per = max(1, limit // len(sections))
        files = [f for s in sections for f in sorted(s.glob("*.txt"))[:per]]
    for f in files:
        target = into / f.parent.name
        target.mkdir(exist_ok=True)
        shutil.copy(f, target / f.name)
    return len(files)


def _timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def compare_books(n: int, rounds: int) -> None:
    """Time compare_quotes against measuring every pair, on two book-length texts."""
    from tests.core.test_quotes_compare_index import quotes_of, reference
    from workbench.core.compare.quotes import compare_quotes

    files = sorted((CORPORA / "bbc-news" / "politics").glob("*.txt"))[: 2 * n]
    books = {
        name: "\n\n".join(f.read_text(encoding="utf-8") for f in part)
        for name, part in (("A", files[:n]), ("B", files[n : 2 * n]))
    }
    quotes = quotes_of(books)
    a, b = quotes["A"], quotes["B"]
    print(f"== two books of {n} BBC politics articles: {len(a)} x {len(b)} quotes")
    times: dict[str, list[float]] = {"index": [], "every pair": []}
    for _ in range(rounds):
        times["index"].append(_timed(lambda: compare_quotes(a, b)))
        times["every pair"].append(_timed(lambda: reference(a, b)))
    result = compare_quotes(a, b)
    same = result.to_json() == reference(a, b)
    print(f"  {len(result.paired)} pairs, complete: {result.complete}, same as every pair: {same}")
    for name, values in times.items():
        print(f"  compare_quotes, {name:<12} {statistics.median(values):8.3f} s")
    ratio = statistics.median(times["every pair"]) / statistics.median(times["index"])
    print(f"  speed-up {ratio:.0f}x")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--speaker", default="Tony Blair")
    ap.add_argument("--books", type=int, default=0)
    args = ap.parse_args()
    if args.books:
        compare_books(args.books, args.rounds)
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder, data = Path(tmp) / "bbc", Path(tmp) / "data"
        folder.mkdir()
        n = _bbc(args.docs, folder)
        quote_seconds = [0.0]
        original = QuoteManager.after_resolve

        def timed_after_resolve(self: QuoteManager, inputs, removed) -> None:  # type: ignore[no-untyped-def]
            start = time.perf_counter()
            original(self, inputs, removed)
            quote_seconds[0] += time.perf_counter() - start

        QuoteManager.after_resolve = timed_after_resolve  # type: ignore[method-assign]
        with Library.open(data) as lib:
            started = time.perf_counter()
            lib.add_paths([folder])
            imported = time.perf_counter() - started
            report = lib.entities.extract()
            QuoteManager.after_resolve = original  # type: ignore[method-assign]
            total = report.seconds
            print(f"== {n} BBC articles, {report.words} words")
            print(f"  import (index)                    {imported:7.2f} s")
            print(
                f"  entity extraction, all             {total:7.2f} s "
                f"(NER {report.ner_seconds:.2f} s in the model's processes)"
            )
            print(
                f"  of which quotes found and stored   {quote_seconds[0]:7.2f} s "
                f"({100 * quote_seconds[0] / max(total - quote_seconds[0], 1e-9):.1f}% "
                "added to the rest of extraction)"
            )
            started = time.perf_counter()
            counts = lib.quotes.counts()
            first = time.perf_counter() - started
            print(f"  quotes stored: {sum(counts.values())} attributed to {len(counts)} entities")
            print(f"  counts, first call (a pass over every quote)  {1000 * first:8.1f} ms")
            speaker = args.speaker
            quoted = lib.quotes.by_speaker(speaker)
            print(
                f"  {speaker}: {len(quoted)} quotes in {len({d for d, _ in quoted})} documents, "
                f"{len(lib.quotes.statements(speaker))} statements"
            )
            cases: dict[str, Callable[[], object]] = {
                "quotes --speaker (statements)": lambda: lib.quotes.statements(speaker),
                "by_speaker": lambda: lib.quotes.by_speaker(speaker),
                "counts (kept till the cache changes)": lib.quotes.counts,
                f'search speaker:"{speaker}"': lambda: lib.search(f'speaker:"{speaker}"'),
                "search quote:economy": lambda: lib.search("quote:economy"),
                f'search speaker:"{speaker}" quote:labour': lambda: lib.search(
                    f'speaker:"{speaker}" quote:labour'
                ),
                f'search entity:"{speaker}" (reference)': lambda: lib.search(f'entity:"{speaker}"'),
                "search economy (reference)": lambda: lib.search("economy"),
            }
            times: dict[str, list[float]] = {k: [] for k in cases}
            for _ in range(args.rounds):
                for name, fn in cases.items():
                    times[name].append(_timed(fn))
            print(f"\n== latency, median of {args.rounds} alternating rounds")
            for name, values in times.items():
                print(f"  {name:<46} {1000 * statistics.median(values):8.1f} ms")
            for q in (f'speaker:"{speaker}"', "quote:economy", "economy"):
                print(f"  {q}: {lib.search(q).total} documents")


if __name__ == "__main__":
    main()
