"""NER throughput on the BBC corpus: words per second, cold and cached, and the cost of each step.

    python bench/bench_entities.py [--docs N] [--processes 1|2|both]

Cold: the entity cache is empty, the model runs on every document (loading the model is
timed apart), then the resolution into the store and the index's entity field. Cached:
the same library again in a fresh engine, nothing to process or resolve. Then a
correction on the most frequent entity. Prints numbers only; the target is at least
10,000 words/s cold on a 2-core machine. (bench_entities_scale.py measures 10k-100k.)
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workbench.core import entities
from workbench.core.library import Library

BBC = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "bbc-news"
if not BBC.exists():
    BBC = Path("/work/shared/corpora/bbc-news")


def run(docs_limit: int | None, processes: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "bbc"
        files = sorted(BBC.glob("*/*.txt"))
        if docs_limit:
            files = files[:docs_limit]
        for f in files:
            dest = folder / f.parent.name / f.name
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.symlink(f, dest)
        with Library.open(Path(tmp) / "data") as lib:
            t = time.perf_counter()
            lib.add_paths([folder])
            index_s = time.perf_counter() - t
            words = sum(len(d.text.split()) for d in lib.documents())
            engine = lib.entities.engine
            t = time.perf_counter()
            engine.model.load()
            load_s = time.perf_counter() - t

            report = lib.entities.extract(n_process=processes)
            cold = report.ner_seconds
            print(f"documents {report.documents}, words {words}, processes {processes}")
            print(f"  phase 1 (searchable)       {index_s:7.2f} s")
            print(f"  model load                 {load_s:7.2f} s")
            print(f"  NER cold                   {cold:7.2f} s  {words / cold:9.0f} words/s")
            print(
                f"  phase 2 total (NER+resolve) {report.seconds:7.2f} s, {report.entities} entities"
            )
            lib.entities.close()
            t = time.perf_counter()
            again = lib.entities.extract(n_process=processes)
            cached = time.perf_counter() - t
            assert again.processed == 0
            print(f"  cached re-run              {cached:7.2f} s (nothing to resolve)")
            top = lib.entities.table().iloc[0]
            t = time.perf_counter()
            lib.entities.rename(str(top.key), str(top["name"]) + " (renamed)")
            print(
                f"  a correction, applied      {time.perf_counter() - t:7.2f} s "
                f"({int(top.documents)} documents' index entries rewritten)"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=None, help="only the first N BBC articles")
    parser.add_argument("--processes", choices=["1", "2", "both"], default="2")
    args = parser.parse_args()
    ok, message = entities.NerModel().available()
    if not ok:
        print(message)
        return
    procs = [1, 2] if args.processes == "both" else [int(args.processes)]
    for p in procs:
        run(args.docs, p)


if __name__ == "__main__":
    main()
