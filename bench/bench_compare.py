"""Benchmark of the compare engine on the BBC corpus: reuse recall, false alarms, speed.

    python bench/bench_compare.py [--corpus DIR] [--data DIR] [--pairs N] [--related N]

Reuse recall: the pairs of articles that reuse text are found by an independent method,
exact 8-word shingles over lower-cased words (no stemming, no alignment): a pair reuses
text when its shared shingles cover at least 20 words (about a sentence) of one article.
Pairs are put in bands by the share of the shorter article those words are, and the
script reports how many of each band :func:`~workbench.core.compare.align` reports as
sharing a passage. Pairs whose shingles cover fewer words (a stock phrase, a title, a
name with its job) are counted separately: align should mostly leave them out.

False alarms: random pairs that share no 8-word shingle at all (same section, so on the
same topics, and any section), and the share of them align reports as sharing a passage.

Reuse scores (``--labelled N``): a labelled set made from N BBC articles by documented
rewriting rules (``bench/reuse_set.py``: condensed copies, articles with a few condensed
sentences of another inserted, unrelated and same-topic articles), split in two halves
by source article. For Workbench's reuse score (the share of B's words in passages
shared with A) and for word 3-gram and 1-gram containment, it prints AUC and F1 with the
threshold chosen on the ``tune`` half and applied to the ``report`` half; and the
accuracy of the three levels (wholly / partially / not derived) on the report half.
The aligner's clause constants and the level thresholds were chosen on the tune half.
Word rarity comes from the BBC library's index.

Speed: one compare of two articles of typical length (median), cold and with the
prepared texts and entities cached; ``related()`` over the whole corpus.

The BBC library is indexed (and its entities extracted) once into
``bench/out/bbc-library`` and reused.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import reuse_set  # noqa: E402

from workbench.core import analysis, compare  # noqa: E402
from workbench.core.compare import align, library_rarity, measure_reuse  # noqa: E402
from workbench.core.compare.reuse import (  # noqa: E402
    PARTIALLY_DERIVED,
    WHOLLY_DERIVED,
    level_of,
)
from workbench.core.corpus import iter_files  # noqa: E402
from workbench.core.library import Library  # noqa: E402

SHINGLE = 8
REUSE_MIN_WORDS = 20
BANDS = [
    (0.8, "≥80% of the shorter"),
    (0.5, "50–80%"),
    (0.2, "20–50%"),
    (0.0, "<20% (a few sentences)"),
]


def open_library(corpus: Path, data: Path, entities: bool) -> Library:
    lib = Library.open(data)
    expected = sum(1 for _ in iter_files([corpus]))
    if lib.docs.count() != expected:
        print(f"indexing {expected} articles into {data} …", flush=True)
        report = lib.add_paths([corpus])
        print(f"  {report.summary()} in {report.seconds:.1f} s")
    ok, message = lib.entities.available()
    if not entities:
        print("  entity extraction skipped (--no-entities): only entities already cached are used")
    elif not ok:
        print(f"  {message} (entity figures below are without entities)")
    else:
        # Also when every article is in the NER cache: this fills the index's entities
        # field, which related() uses, after a rebuild of the index.
        pending = lib.entities.pending()
        if pending:
            print(f"extracting entities from {pending} articles (minutes, once) …", flush=True)
        print(f"  entities: {lib.entities.extract().summary()}")
    return lib


def shingle_words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def reuse_pairs(texts: dict[str, str]) -> dict[tuple[str, str], tuple[int, float]]:
    """(id_a, id_b) -> (words covered by shared exact shingles, share of the shorter article)."""
    words = {k: shingle_words(t) for k, t in texts.items()}
    shingles = {
        k: {hash(tuple(w[i : i + SHINGLE])) for i in range(len(w) - SHINGLE + 1)}
        for k, w in words.items()
    }
    owners: dict[int, list[str]] = defaultdict(list)
    for k, s in shingles.items():
        for h in s:
            owners[h].append(k)
    pairs: set[tuple[str, str]] = set()
    for ks in owners.values():
        if len(ks) > 1:
            pairs.update(combinations(sorted(ks), 2))
    out = {}
    for a, b in pairs:
        wa, wb = words[a], words[b]
        sb = shingles[b]
        covered: set[int] = set()
        for i in range(len(wa) - SHINGLE + 1):
            if hash(tuple(wa[i : i + SHINGLE])) in sb:
                covered.update(range(i, i + SHINGLE))
        out[(a, b)] = (len(covered), len(covered) / max(1, min(len(wa), len(wb))))
    return out


def band_of(share: float) -> str:
    for low, name in BANDS:
        if share >= low:
            return name
    return BANDS[-1][1]


def labelled_scores(
    texts: dict[str, str],
    section: dict[str, str],
    related: set[tuple[str, str]],
    rarity: compare.WordRarity,
    sources: int,
) -> None:
    """AUC, held-out F1 and level accuracy on the labelled reuse set (module docstring)."""
    started = time.perf_counter()
    pairs = reuse_set.build(texts, section, related, sources)
    scores: dict[str, list[float]] = {"Workbench reuse": [], "word 3-gram": [], "word 1-gram": []}
    levels = []
    for p in pairs:
        passages = align(p.a, p.b, rarity=rarity)
        r = measure_reuse(compare.prepare(p.a), compare.prepare(p.b), passages)
        scores["Workbench reuse"].append(r.b_in_a)
        levels.append(level_of(r.b_in_a))
        scores["word 3-gram"].append(reuse_set.containment(p.a, p.b, 3))
        scores["word 1-gram"].append(reuse_set.containment(p.a, p.b, 1))
    counts = defaultdict(int)
    for p in pairs:
        counts[(p.half, p.label)] += 1
    print(
        f"\nReuse scores on the labelled set ({len(pairs)} pairs from {sources} BBC articles, "
        f"{time.perf_counter() - started:.1f} s; report half: "
        + ", ".join(f"{counts[('report', lab)]} {lab}" for lab in ("wholly", "partially", "not"))
        + ")"
    )
    print(f"  {'score':<17} {'AUC tune':>8} {'AUC report':>10} {'threshold':>9} {'F1 report':>9}")
    for name, sc in scores.items():
        by_half = {
            h: (
                [s for s, p in zip(sc, pairs, strict=True) if p.half == h],
                [p.label != reuse_set.NOT_DERIVED for p in pairs if p.half == h],
            )
            for h in ("tune", "report")
        }
        threshold = reuse_set.best_threshold(*by_half["tune"])
        print(
            f"  {name:<17} {reuse_set.auc(*by_half['tune']):>8.3f} "
            f"{reuse_set.auc(*by_half['report']):>10.3f} {threshold:>9.3f} "
            f"{reuse_set.f1_at(*by_half['report'], threshold):>9.3f}"
        )
    # The level thresholds, as they would be chosen on the tune half: the partial one is
    # the F1 threshold above; the wholly one separates wholly from partially derived best.
    tune = [
        (s, p.label)
        for s, p in zip(scores["Workbench reuse"], pairs, strict=True)
        if p.half == "tune" and p.label != reuse_set.NOT_DERIVED
    ]
    top_partial = max(s for s, lab in tune if lab != reuse_set.WHOLLY)
    low_wholly = min(s for s, lab in tune if lab == reuse_set.WHOLLY)
    print(
        f"  tune half: partially derived shares up to {top_partial:.2f}, wholly derived "
        f"from {low_wholly:.2f}; thresholds in use: wholly {WHOLLY_DERIVED:.2f}, "
        f"partially {PARTIALLY_DERIVED:.3f}"
    )
    names = {"wholly": "wholly derived", "partially": "partially derived", "not": "not derived"}
    report = [(lv, p.label) for lv, p in zip(levels, pairs, strict=True) if p.half == "report"]
    right = sum(1 for lv, lab in report if lv == names[lab])
    print(
        f"  levels right on the report half: {right} / {len(report)} ({100 * right / len(report):.1f}%)"
    )
    for lab in ("wholly", "partially", "not"):
        got = defaultdict(int)
        for lv, la in report:
            if la == lab:
                got[lv] += 1
        print(f"    {names[lab]:<18} -> " + ", ".join(f"{v} {k}" for k, v in sorted(got.items())))


def reuse_recall(texts: dict[str, str], languages: dict[str, str]) -> dict:
    """Print how many of the pairs sharing shingles the aligner finds; return the pairs."""
    started = time.perf_counter()
    pairs = reuse_pairs(texts)
    print(
        f"\nReuse recall (independent method: exact {SHINGLE}-word shingles, "
        f"{time.perf_counter() - started:.1f} s; {len(pairs)} pairs share at least one)"
    )
    totals: dict[str, int] = defaultdict(int)
    found: dict[str, int] = defaultdict(int)
    phrase_total = phrase_found = 0
    missed = []
    started = time.perf_counter()
    for (a, b), (covered, share) in sorted(pairs.items()):
        detected = bool(align(texts[a], texts[b], languages=(languages[a], languages[b])))
        if covered < REUSE_MIN_WORDS:
            phrase_total += 1
            phrase_found += detected
            continue
        band = band_of(share)
        totals[band] += 1
        found[band] += detected
        if not detected:
            missed.append((a, b, covered))
    align_seconds = time.perf_counter() - started
    all_total = sum(totals.values())
    all_found = sum(found.values())
    for _, name in BANDS:
        if totals[name]:
            print(
                f"  {name:<26} {found[name]:>4} / {totals[name]:<4} detected "
                f"({100 * found[name] / totals[name]:.1f}%)"
            )
    print(
        f"  {'all reuse (≥20 words)':<26} {all_found:>4} / {all_total:<4} detected "
        f"({100 * all_found / max(1, all_total):.1f}%)"
    )
    print(
        f"  shared phrases only (<{REUSE_MIN_WORDS} words): {phrase_found} / {phrase_total} "
        f"reported as a passage (these are mostly stock phrases and names)"
    )
    for a, b, covered in missed[:5]:
        print(f"    missed: {a} / {b} ({covered} shingle words)")
    print(
        f"  ({len(pairs)} alignments in {align_seconds:.1f} s, "
        f"{1000 * align_seconds / max(1, len(pairs)):.2f} ms each)"
    )

    return pairs


def false_alarms(
    rng: random.Random,
    ids: list[str],
    section: dict[str, str],
    texts: dict[str, str],
    languages: dict[str, str],
    pairs: dict,
    rarity: object,
    n_pairs: int,
) -> None:
    """Print how many random unrelated pairs (same section, any section) report a passage."""
    by_section: dict[str, list[str]] = defaultdict(list)
    for k in ids:
        by_section[section[k]].append(k)
    print(f"\nFalse alarms (random pairs sharing no {SHINGLE}-word shingle)")
    for label, same in (("same section", True), ("any section", False)):
        n = alarms = 0
        examples = []
        while n < n_pairs:
            a = rng.choice(ids)
            b = rng.choice(by_section[section[a]] if same else ids)
            key = (min(a, b), max(a, b))
            if a == b or key in pairs:
                continue
            n += 1
            found_pairs = align(
                texts[a], texts[b], rarity=rarity, languages=(languages[a], languages[b])
            )
            if found_pairs:
                alarms += 1
                examples.append(f"{a} / {b}: {found_pairs[0].a_text[:70]!r}")
        print(f"  {label:<13} {alarms} / {n} pairs reported a passage ({100 * alarms / n:.2f}%)")
        for e in examples[:3]:
            print(f"    {e}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpora" / "bbc-news")
    ap.add_argument("--data", type=Path, default=ROOT / "bench" / "out" / "bbc-library")
    ap.add_argument("--pairs", type=int, default=2000, help="random pairs for false alarms")
    ap.add_argument("--related", type=int, default=40, help="documents to time related() on")
    ap.add_argument(
        "--labelled", type=int, default=400, help="source articles of the labelled reuse set"
    )
    ap.add_argument(
        "--no-entities",
        action="store_true",
        help="skip entity extraction (about 3 minutes on 2 cores the first time)",
    )
    args = ap.parse_args()

    lib = open_library(args.corpus, args.data, entities=not args.no_entities)
    docs = {d.id: d for d in lib.documents()}
    texts = {k: d.text for k, d in docs.items()}
    languages = {k: d.language for k, d in docs.items()}
    section = {k: Path(d.path).parent.name for k, d in docs.items()}
    print(f"{len(docs)} articles")

    pairs = reuse_recall(texts, languages)

    reader = lib.ix.reader()
    rarity = library_rarity(reader.doc_count(), analysis.document_frequency(reader, "en"))
    labelled_scores(texts, section, set(pairs), rarity, args.labelled)

    # ------------------------------------------------------------ false alarms
    rng = random.Random(20260101)
    ids = sorted(docs)
    false_alarms(rng, ids, section, texts, languages, pairs, rarity, args.pairs)

    # ------------------------------------------------------------ speed
    print("\nSpeed")
    by_words = sorted(ids, key=lambda k: docs[k].words)
    mid = len(by_words) // 2
    a, b = by_words[mid], by_words[mid + 1]
    print(f"  typical articles: {a} ({docs[a].words} words), {b} ({docs[b].words} words)")
    compare.prepare.cache_clear()
    t = time.perf_counter()
    align(texts[a], texts[b], languages=(languages[a], languages[b]))
    print(f"  align, cold (tokenise + stem + align): {1000 * (time.perf_counter() - t):.1f} ms")
    runs = []
    for _ in range(20):
        t = time.perf_counter()
        align(texts[a], texts[b], languages=(languages[a], languages[b]))
        runs.append(time.perf_counter() - t)
    print(f"  align, prepared texts cached: {1000 * statistics.median(runs):.2f} ms (median of 20)")
    if hasattr(lib, "compare"):
        try:
            lib.compare(a, b)  # fills the entity cache (runs NER if needed)
            runs = []
            for _ in range(10):
                t = time.perf_counter()
                lib.compare(a, b)
                runs.append(time.perf_counter() - t)
            print(
                f"  Library.compare with cached entities: {1000 * statistics.median(runs):.1f} ms "
                f"(median of 10; target < 50 ms)"
            )
        except Exception as exc:  # the bench reports, it does not stop
            print(f"  Library.compare unavailable: {exc}")

    sample = rng.sample(ids, min(args.related, len(ids)))
    compare.prepare.cache_clear()
    times = []
    for k in sample:
        t = time.perf_counter()
        lib.related(k, limit=10)
        times.append(time.perf_counter() - t)
    times.sort()
    print(
        f"  related() on {len(ids)} articles, {len(sample)} documents: "
        f"median {1000 * statistics.median(times):.0f} ms, "
        f"90th percentile {1000 * times[int(0.9 * (len(times) - 1))]:.0f} ms, "
        f"max {1000 * times[-1]:.0f} ms"
    )
    related_recall(lib, pairs, rng, args.related)
    lib.close()
    return 0


def related_recall(lib: object, pairs: dict, rng: random.Random, n: int) -> None:
    """Print how many of the articles reusing a document's text (20 or more words of
    shared 8-word shingles, the independent method above) related() lists in its top 10."""
    partners: dict[str, set[str]] = defaultdict(set)
    for (a, b), (covered, _) in pairs.items():
        if covered >= REUSE_MIN_WORDS:
            partners[a].add(b)
            partners[b].add(a)
    sample = rng.sample(sorted(partners), min(n, len(partners)))
    found = wanted = 0
    for k in sample:
        listed = {r.id for r in lib.related(k, limit=10)}  # type: ignore[attr-defined]
        found += len(partners[k] & listed)
        wanted += min(10, len(partners[k]))
    print(
        f"  related() top 10 holds {found} / {wanted} of the articles reusing the document's "
        f"text ({100 * found / max(1, wanted):.1f}%, {len(sample)} documents)"
    )


if __name__ == "__main__":
    sys.exit(main())
