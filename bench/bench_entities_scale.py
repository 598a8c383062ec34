"""Entities at 10,000 to 100,000 articles: resolution, reading, compare, related, corrections.

    .venv/bin/python bench/bench_entities_scale.py [--sizes 10000,50000,100000] [--work DIR]

The corpora are the BBC corpus (2,095 articles, MIT licence) replicated: copy k of an
article edits about 1% of its words (a seeded choice of words gets a suffix), so every
copy has its own text and hash. They are built once under ``--work`` (default
/tmp/workbench-entities-scale, never in the repository) and reused, with each size's
library (imported once with ``index --no-entities``).

Running the model on 100,000 articles takes hours, so the model runs only on the 2,095
originals; **each copy is given the NER results of its original, mapped onto the copy's
text** (words aligned with difflib; a span whose words the copy edited is dropped). The
script says so in its output. Everything after the model is measured for real:

- resolution: ``lib.entities.extract()`` in a process of its own, with every NER result
  cached, so what runs is the resolution into the store. Wall time and the process's peak RSS;
- reading one document's entities (in-process, a fresh Library): median and p95 over
  200 documents;
- ``compare`` of two articles and ``related`` in-process (median of 5), and ``compare``
  as a whole CLI process;
- a correction on the most frequent entity (rename, then merge with another, then undo
  both): seconds each, in-process, without the index field;
- the growth exponent b (cost ~ N^b) between sizes, and the time extrapolated to 100,000
  from the two largest sizes measured.
"""

from __future__ import annotations

import argparse
import bisect
import difflib
import itertools
import json
import math
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workbench.core.entities import text_hash  # noqa: E402
from workbench.core.library import Library  # noqa: E402

BBC = ROOT.parent / "shared" / "corpora" / "bbc-news"
if not BBC.exists():
    BBC = Path("/work/shared/corpora/bbc-news")
_WORD = re.compile(r"\w+")
_EDITABLE = re.compile(r"\b\w{4,}\b")


# --------------------------------------------------------------------------- corpora


def variant(text: str, copy: int) -> str:
    """Copy ``copy`` of an article: about one word in a hundred gets a suffix."""
    rng = random.Random(copy * 7919 + len(text))
    words = list(_EDITABLE.finditer(text))
    chosen = sorted(rng.sample(range(len(words)), max(1, len(words) // 100))) if words else []
    out, last = [], 0
    for i in chosen:
        m = words[i]
        out += [text[last : m.end()], f"q{copy}"]
        last = m.end()
    return "".join(out) + text[last:]


def build_corpus(work: Path, size: int) -> Path:
    folder = work / f"corpus-{size}"
    if folder.is_dir() and sum(1 for _ in folder.rglob("*.txt")) == size:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    originals = sorted(BBC.glob("*/*.txt"))
    made = copy = 0
    while made < size:
        for f in originals:
            if made >= size:
                break
            target = folder / f.parent.name / f"{f.stem}--c{copy}.txt"
            target.parent.mkdir(parents=True, exist_ok=True)
            text = f.read_text("utf-8", errors="replace")
            target.write_text(text if copy == 0 else variant(text, copy), "utf-8")
            made += 1
        copy += 1
    return folder


def cli(data: Path, *args: str) -> tuple[float, float, float, str]:
    """Run the CLI; wall seconds, that process's peak RSS (MB), its CPU seconds, stdout."""
    return child([sys.executable, "-m", "workbench", "--data-dir", str(data), *args])


def child(cmd: list[str]) -> tuple[float, float, float, str]:
    """Run a process; wall seconds, its own peak RSS (MB), its CPU seconds, stdout."""
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, text=True, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        if proc.returncode:
            raise SystemExit(f"{' '.join(cmd[-3:])} failed: {err.read().strip()[-1500:]}")
        return seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime, out.read()


def original_ner(work: Path) -> tuple[dict[str, str], dict[str, list], str]:
    """The model's results on the 2,095 originals (text and spans by file stem), run once."""
    saved = work / "bbc-ner.json"
    if saved.exists():
        data = json.loads(saved.read_text("utf-8"))
        return data["texts"], data["spans"], data["model"]
    data_dir = work / "bbc-originals"
    shutil.rmtree(data_dir, ignore_errors=True)
    print("running the model once on the 2,095 originals ...", flush=True)
    with Library.open(data_dir) as lib:
        lib.add_paths([BBC])
        lib.entities.extract()
        docs = list(lib.documents())
        spans = lib.entities.engine.spans([text_hash(d.text) for d in docs])
        model = lib.entities.engine.model.model_id
    texts = {Path(d.path).stem: d.text for d in docs}
    found = {Path(d.path).stem: spans.get(text_hash(d.text), []) for d in docs}
    saved.write_text(json.dumps({"texts": texts, "spans": found, "model": model}), "utf-8")
    return texts, found, model


def map_spans(original: str, copy: str, spans: list) -> list:
    """The original's spans on the copy: words aligned, a span whose words the copy edited
    dropped (and any span whose text is not the same on the copy)."""
    if original == copy:
        return [tuple(s) for s in spans]
    a = [(m.start(), m.group()) for m in _WORD.finditer(original)]
    b = [(m.start(), m.group()) for m in _WORD.finditer(copy)]
    same: dict[int, int] = {}
    matcher = difflib.SequenceMatcher(None, [w for _, w in a], [w for _, w in b], autojunk=False)
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            same[block.a + k] = block.b + k
    starts = [s for s, _ in a]
    out = []
    for start, end, label in spans:
        i = bisect.bisect_right(starts, start) - 1
        if i < 0 or i not in same:
            continue
        s = b[same[i]][0] + (start - a[i][0])
        e = s + (end - start)
        if copy[s:e] == original[start:end]:
            out.append((s, e, label))
    return out


def give_ner(data: Path, texts: dict[str, str], spans: dict[str, list], model: str) -> int:
    """Put mapped NER results for every document of a library into its entity cache."""
    from workbench.core.entities.cache import NER_CACHE, NerCache

    cache = NerCache(data / NER_CACHE)
    have = 0
    with Library.open(data) as lib:
        batch = []
        for doc in lib.documents():
            stem = Path(doc.path).stem.split("--c")[0]
            if stem not in texts:
                continue
            batch.append((text_hash(doc.text), map_spans(texts[stem], doc.text, spans[stem])))
            if len(batch) >= 1000:
                cache.put_many(model, batch)
                have += len(batch)
                batch = []
        cache.put_many(model, batch)
        have += len(batch)
    cache.close()
    return have


# --------------------------------------------------------------------------- measuring

RESOLVE = """
import json, sys, time
from workbench.core.library import Library
with Library.open(sys.argv[1]) as lib:
    started = time.perf_counter()
    report = lib.entities.extract()
    seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "processed": report.processed, "cached": report.cached,
                  "entities": report.entities}))
"""


def resolve(data: Path) -> dict[str, float]:
    """The resolution in a process of its own: its result, wall and CPU time, peak RSS."""
    wall, rss, cpu, out = child([sys.executable, "-c", RESOLVE, str(data)])
    result = json.loads(out.strip().splitlines()[-1])
    result.update(rss=rss, cpu=cpu, wall=wall)
    return result


def ms(seconds: float) -> str:
    return f"{1000 * seconds:8.1f} ms"


def timed(fn, rounds: int = 5) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def in_process(data: Path) -> dict[str, float]:
    out: dict[str, float] = {}
    rng = random.Random(5)
    with Library.open(data) as lib:
        ids = lib.docs.ids()
        sample = rng.sample(ids, min(200, len(ids)))
        lib.entities.of_document(sample[0])  # the process's first look at the library
        times = []
        for doc_id in sample:
            started = time.perf_counter()
            lib.entities.of_document(doc_id)
            times.append(time.perf_counter() - started)
        times.sort()
        out["read_p50"] = statistics.median(times)
        out["read_p95"] = times[int(0.95 * (len(times) - 1))]
        a, b = sample[1], sample[2]
        out["compare"] = timed(lambda: lib.compare(a, b))
        out["related"] = timed(lambda: lib.related(sample[3]), 3)
        table = list(lib.entities.engine.store.entity_counts())
        table.sort(key=lambda t: (-t[1], t[0].key))
        top, second = table[0][0], table[1][0]
        out["top_docs"] = table[0][1]
        # entity: is answered by the store: the most frequent entity, a rare one, with a word.
        rare = next(e for e, docs, _ in reversed(table) if docs >= 2 and " " in e.name)
        lib.search(f'entity:"{top.name}"')  # the segments' id maps made (or read) once
        out["search_top"] = timed(lambda: lib.search(f'entity:"{top.name}"'))
        out["search_rare"] = timed(lambda: lib.search(f'entity:"{rare.name}"'))
        out["search_word"] = timed(lambda: lib.search(f'entity:"{top.name}" AND minister'))
        print(
            f"  most frequent entity: {top.name} ({table[0][1]} documents, {table[0][2]} mentions)"
        )
        started = time.perf_counter()
        lib.entities.rename(top.key, top.name + " (renamed)")
        out["rename"] = time.perf_counter() - started
        started = time.perf_counter()
        lib.entities.merge([top.key, second.key])
        out["merge"] = time.perf_counter() - started
        started = time.perf_counter()
        for corr in reversed(lib.entities.corrections()[-2:]):
            lib.entities.undo(corr.id)
        out["undo"] = (time.perf_counter() - started) / 2
        out["ids"] = [a, b]  # type: ignore[assignment]
    return out


def exponent(n1: int, n2: int, v1: float, v2: float) -> float:
    return math.log(v2 / v1) / math.log(n2 / n1) if v1 > 0 and v2 > 0 else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,50000,100000")
    parser.add_argument("--work", type=Path, default=Path("/tmp/workbench-entities-scale"))
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    args.work.mkdir(parents=True, exist_ok=True)
    texts, spans, model = original_ner(args.work)
    print(
        "NER: the model ran on the 2,095 originals only; each copy is given its original's "
        "results mapped onto the copy's text (not the model run on the copy)."
    )
    rows: dict[int, dict[str, float]] = {}
    for size in sizes:
        corpus = build_corpus(args.work, size)
        data = args.work / f"data-{size}"
        seconds, _, _, _ = cli(data, "index", str(corpus), "--no-entities")  # quick when done
        print(f"{size}: imported (or found imported) in {seconds:.1f} s", flush=True)
        # A fresh entity cache, and no corrections left by an interrupted run.
        for name in ("entities-cache.sqlite3", "workbench.sqlite3"):
            for suffix in ("", "-wal", "-shm"):
                (data / (name + suffix)).unlink(missing_ok=True)
        (data / "index" / "workbench-entities.json").unlink(missing_ok=True)
        given = give_ner(data, texts, spans, model)
        r = resolve(data)
        row = {"resolve": r["seconds"], "cpu": r["cpu"], "rss": r["rss"], "entities": r["entities"]}
        row.update(in_process(data))
        a, b = row.pop("ids")  # type: ignore[misc]
        row["compare_cli"], row["compare_rss"], row["compare_cpu"], _ = cli(data, "compare", a, b)
        rows[size] = row
        print(
            f"{size:>7} docs ({given} NER results given, {r['processed']} run): "
            f"resolution {r['seconds']:7.1f} s, CPU {r['cpu']:.1f} s "
            f"({1000 * r['cpu'] / size:.2f} ms CPU/doc), "
            f"peak RSS {r['rss']:.0f} MB, {r['entities']} entities\n"
            f"          one document's entities p50 {ms(row['read_p50'])}, p95 {ms(row['read_p95'])}\n"
            f"          compare in-process {ms(row['compare'])}, whole CLI process "
            f"{row['compare_cli']:.2f} s ({row['compare_cpu']:.2f} s CPU, {row['compare_rss']:.0f} MB); "
            f"related {ms(row['related'])}\n"
            f'          search entity:"most frequent" {ms(row["search_top"])}, a rare one '
            f"{ms(row['search_rare'])}, with a word {ms(row['search_word'])}\n"
            f"          correction on the most frequent entity: rename {row['rename']:.2f} s, "
            f"merge {row['merge']:.2f} s, undo {row['undo']:.2f} s",
            flush=True,
        )
    measured = sorted(rows)
    for n1, n2 in itertools.pairwise(measured):
        parts = ", ".join(
            f"{k} {exponent(n1, n2, rows[n1][k], rows[n2][k]):.2f}"
            for k in (
                "resolve",
                "cpu",
                "read_p50",
                "compare",
                "related",
                "search_top",
                "rename",
                "merge",
                "rss",
            )
        )
        print(f"exponent b {n1} -> {n2}: {parts}")
    if len(measured) >= 2 and measured[-1] < 100_000:
        n1, n2 = measured[-2], measured[-1]
        b = exponent(n1, n2, rows[n1]["resolve"], rows[n2]["resolve"])
        print(
            f"resolution extrapolated to 100,000: {rows[n2]['resolve'] * (100_000 / n2) ** b:.0f} s"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
