"""Notes benchmark: saving, re-anchoring after edits, searching, exporting, importing.

Builds a library from BBC business articles in a temporary folder, anchors notes to
real sentences, then edits a third of the files (a paragraph added at the top, one
quoted sentence reworded, one deleted) and re-indexes: re-anchoring must move, find
fuzzily or orphan every anchor. Prints numbers; asserts nothing about speed.

    python bench/bench_notes.py [--docs 300] [--notes 1000]
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workbench.core.library import Library

BBC = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "bbc-news"


def timed(label: str, fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    print(f"{label:<44} {time.perf_counter() - started:8.3f} s")
    return result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=300)
    ap.add_argument("--notes", type=int, default=1000)
    args = ap.parse_args()
    rng = random.Random(6)
    tmp = Path(tempfile.mkdtemp(prefix="bench-notes-"))
    try:
        corpus = tmp / "corpus"
        corpus.mkdir()
        for f in sorted((BBC / "business").glob("*.txt"))[: args.docs]:
            shutil.copy(f, corpus / f.name)
        with Library.open(tmp / "data") as lib:
            timed(f"index {args.docs} BBC business articles", lib.add_paths, [corpus])
            docs = list(lib.documents())
            plans = []
            for _ in range(args.notes):
                doc = rng.choice(docs)
                sentences = [s for s in re.split(r"(?<=[.!?])\s+", doc.text) if 40 <= len(s) <= 200]
                if sentences:
                    plans.append((doc.id, rng.choice(sentences)))

            def add_all() -> list[int]:
                return [
                    lib.notes.add(
                        f"note on {d}", tags=[f"t{i % 9}"], anchors=[lib.notes.anchor_quote(d, q)]
                    ).value.id
                    for i, (d, q) in enumerate(plans)
                ]

            started = time.perf_counter()
            ids = add_all()
            took = time.perf_counter() - started
            print(
                f"{'add ' + str(len(ids)) + ' anchored notes (one commit each)':<44} {took:8.3f} s"
                f"  ({took / len(ids) * 1000:.2f} ms per note, synchronous=FULL)"
            )

            # Edit a third of the anchored files.
            by_doc: dict[str, list[str]] = {}
            for d, q in plans:
                by_doc.setdefault(d, []).append(q)
            edited = sorted(by_doc)[: max(1, len(by_doc) // 3)]
            reworded: set[tuple[str, str]] = set()
            deleted: set[tuple[str, str]] = set()
            paths = {d.id: Path(d.path) for d in docs}
            for d in edited:
                raw = paths[d].read_text("utf-8", errors="replace")
                quotes = by_doc[d]
                lines = raw.split("\n", 1)
                raw = (
                    lines[0]
                    + "\nAn editor's note added at the top of the article moves every offset.\n"
                    + (lines[1] if len(lines) > 1 else "")
                )
                changed = quotes[0].replace(" the ", " a ", 1).replace(",", "", 1)
                raw = raw.replace(quotes[0], changed)
                if changed != quotes[0]:
                    reworded.add((d, quotes[0]))
                if len(quotes) > 1 and quotes[1] != quotes[0]:
                    raw = raw.replace(quotes[1], "")
                    deleted.add((d, quotes[1]))
                paths[d].write_text(raw, "utf-8")
            timed(f"re-index {len(edited)} edited files + re-anchor", lib.refresh)
            r = lib.notes.last_reanchor
            assert r is not None
            print(
                f"  anchors: {r.moved} moved, {r.orphaned} orphaned, {r.unchanged} unchanged, "
                f"{r.recovered} recovered"
            )
            notes = lib.notes.query()
            wrong = 0
            current = {d.id: d.text for d in lib.documents()}
            for n in notes:
                for a in n.anchors:
                    if not a.orphaned and current[a.doc_id][a.start : a.end] != a.quote:
                        wrong += 1
            print(f"  live anchors whose offsets do not hold their quote: {wrong}")
            expect_orphans = sum(1 for d, q in plans if (d, q) in deleted)
            expect_fuzzy = sum(1 for d, q in plans if (d, q) in reworded and (d, q) not in deleted)
            found_fuzzy = sum(
                1
                for n in notes
                for a in n.anchors
                if not a.orphaned and (a.doc_id, a.quote) not in {(d, q) for d, q in plans}
            )
            print(
                f"  expected orphans (quote deleted): {expect_orphans}; reworded quotes: {expect_fuzzy}, "
                f"found again fuzzily: {found_fuzzy}"
            )

            hits = timed(
                "search_notes('market') x100 over all notes",
                lambda: [lib.notes.search("market") for _ in range(100)],
            )
            print(f"  {len(hits[0])} notes match 'market'")
            for fmt in ("md", "csv", "json"):
                timed(
                    f"export {len(notes)} notes as {fmt}",
                    lib.export_notes,
                    tmp / f"notes.{fmt}",
                    fmt,
                )
        fresh = tmp / "fresh"
        with Library.open(fresh) as other:
            report = timed(
                "import the JSON backup into an empty library",
                other.import_notes,
                tmp / "notes.json",
            )
            print(f"  {report.summary()}")
            again = timed("import it again (idempotent)", other.import_notes, tmp / "notes.json")
            print(f"  {again.summary()}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
