"""Quote extraction: accuracy on the hand-labelled gold set, and its cost next to NER.

    python bench/bench_quotes.py [--split tune|test|heldout|all] [--docs N] [--rounds R]
                                 [--errors] [--parser]

Accuracy (tests/data/quotes-gold.json, made as tests/data/quotes-gold.md says): the
spaCy model runs on each labelled article, quotes are extracted from its spans, and the
speakers are resolved to the articles' entities exactly as the library does. Printed for
the tune part (developed on), the test part (reported on), the held-out part (a sample
labelled last, by a session that never saw the extractor's output) and all:

- quote spans (direct and partial quotes; reported speech without marks is not in the
  gold set and not counted), precision and recall, exact and overlapping. A quoted term
  found as a quote counts against precision; a "doubtful" label counts neither way;
- direct quotes alone: the gold direct quotes, and what was found over them or found as
  a direct quote over nothing (partial quotes left out on both sides);
- speaker accuracy on quotes found (exact or overlapping) whose speaker the article
  names, overall and by how the article attributes them (name, pronoun, description,
  continuation, none);
- quotes whose speaker the article does not name: how many got a name anyway (the goal
  is none), and words said jointly (a joint statement): a name among them, another, none.

Reported speech (tests/data/reported-gold.json, made as tests/data/reported-gold.md
says): 150 labelled BBC sentences, by part (tune, test) and all. Whether a sentence
reports speech (precision and recall of finding some over it), whether the words found
match the reported words, and the speaker: right among those found whose speaker the
article names, right among all whose speaker it names (end to end), and unnamed speakers
given a name.

Speed (BBC corpus, --docs articles across its sections): NER alone (the pipeline as the
entity extraction runs it, one process) and quote extraction from its spans, in
alternating rounds; medians, words per second, and what extraction adds to NER. With
--parser, also what the model's dependency parser (tok2vec and parser) would add, had
the rules needed a parse.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.data.fetch_pages import source_path  # noqa: E402
from workbench.core.corpus import parse_file  # noqa: E402
from workbench.core.entities import NerModel, extract  # noqa: E402
from workbench.core.quotes import Quote, extract_quotes  # noqa: E402
from workbench.core.quotes.evaluate import (  # noqa: E402
    ReportedTally,
    Tally,
    attribute_texts,
    prf,
    score_document,
    score_reported,
)

GOLD = ROOT / "tests" / "data" / "quotes-gold.json"
REPORTED_GOLD = ROOT / "tests" / "data" / "reported-gold.json"
SPLITS = ("tune", "test", "heldout")
"""The gold set's parts: developed on, reported on, and held out (labelled last, blind)."""
CORPORA = ROOT.parent / "shared" / "corpora"
if not CORPORA.exists():
    CORPORA = Path("/work/shared/corpora")


def _prf(tp: int, predicted: int, gold: int) -> str:
    p, r, f = prf(tp, predicted, gold)
    return f"P {p:.3f}  R {r:.3f}  F1 {f:.3f}"


def report(name: str, t: Tally, errors: bool) -> None:
    print(f"\n== {name}: {t.gold} quotes to find ({t.direct_gold} direct), {t.predicted} found")
    print(f"  spans, exact       {_prf(t.tp_exact, t.predicted, t.gold)}")
    print(f"  spans, overlapping {_prf(t.tp_overlap, t.predicted, t.gold)}")
    print(f"  direct only, exact {_prf(t.direct_tp, t.direct_predicted, t.direct_gold)}")
    print(f"  doubtful labels found (not counted): {t.neutral_hits}")
    ok, n = t.speaker["all"]
    print(f"  speaker named in the article: {ok}/{n} = {ok / n if n else 0:.3f}")
    for via in ("name", "pronoun", "role", "continuation", "none"):
        if via in t.speaker:
            ok, n = t.speaker[via]
            print(f"    by {via:<13} {ok}/{n} = {ok / n:.3f}")
    invented, n = t.unnamed
    print(f"  speaker not named: {invented} of {n} given a name anyway (goal 0)")
    if t.group:
        print(f"  said jointly: {dict(t.group)}")
    if errors:
        for line in t.errors:
            print("    " + line)


def accuracy(split: str, errors: bool) -> None:
    gold = json.loads(GOLD.read_text("utf-8"))
    docs = [d for d in gold["documents"] if split == "all" or d["split"] == split]
    texts = []
    for d in docs:
        text = parse_file(source_path(d["path"])).text
        if hashlib.sha1(text.encode("utf-8")).hexdigest() != d["sha1"]:
            print(f"warning: {d['path']} reads differently from when it was labelled")
        texts.append(text)
    spans = list(extract(NerModel().load(), texts))
    tallies = {part: Tally() for part in (*SPLITS, "all")}
    for d, text, found in zip(
        docs, texts, attribute_texts(texts, spans, indirect=False), strict=True
    ):
        for part in (d["split"], "all"):
            score_document(tallies[part], d, text, found)
    for part in (*SPLITS, "all"):
        if split in (part, "all") and tallies[part].gold:
            report(part, tallies[part], errors and part == "tune")


def reported(split: str, errors: bool) -> None:
    labels = json.loads(REPORTED_GOLD.read_text("utf-8"))["sentences"]
    paths = sorted({s["path"] for s in labels})
    texts = [parse_file(source_path(p)).text for p in paths]
    spans = list(extract(NerModel().load(), texts))
    found = dict(zip(paths, zip(texts, attribute_texts(texts, spans), strict=True), strict=True))
    tallies = {part: ReportedTally() for part in ("tune", "test", "all")}
    for label in labels:
        text, quotes = found[label["path"]]
        if hashlib.sha1(text.encode("utf-8")).hexdigest() != label["sha1"]:
            print(f"warning: {label['path']} reads differently from when it was labelled")
        for part in (label["split"], "all"):
            score_reported(tallies[part], label, text, quotes)
    for part in ("tune", "test", "all"):
        if split not in ("all", part):
            continue
        t = tallies[part]
        ok, n = t.named
        invented, unnamed = t.unnamed
        print(f"\n== reported speech, {part}: {t.sentences} sentences, {t.gold} report speech")
        print(f"  found over a sentence  {_prf(t.both, t.found, t.gold)}")
        print(f"  words right            {t.words}/{t.both}")
        print(f"  speaker named, found   {ok}/{n} = {ok / n if n else 0:.3f}")
        print(f"  speaker named, all     {ok}/{t.named_gold} = {ok / max(t.named_gold, 1):.3f}")
        print(f"  speaker not named: {invented} of {unnamed} given a name anyway")
        if errors and part == "tune":
            for line in t.errors:
                print("    " + line)


def speed(docs_limit: int, rounds: int) -> None:
    texts = _speed_texts(docs_limit)
    words = sum(len(t.split()) for t in texts)
    nlp = NerModel().load()
    list(extract(nlp, texts[:8]))  # warm up
    ner_times, quote_times = [], []
    spans: list[list[tuple[int, int, str]]] = []
    found: list[Quote] = []
    for _ in range(rounds):
        start = time.perf_counter()
        spans = list(extract(nlp, texts))
        ner_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        found = [q for text, s in zip(texts, spans, strict=True) for q in extract_quotes(text, s)]
        quote_times.append(time.perf_counter() - start)
    ner, quotes = statistics.median(ner_times), statistics.median(quote_times)
    kinds = Counter(q.kind for q in found)
    print(f"\n== speed: {len(texts)} BBC articles, {words} words, {rounds} alternating rounds")
    print(f"  NER (one process)      {ner:7.2f} s  {words / ner:9.0f} words/s")
    print(f"  quote extraction       {quotes:7.2f} s  {words / quotes:9.0f} words/s")
    print(f"  extraction adds {100 * quotes / ner:.1f}% to NER (goal at most 30%)")
    print(f"  quotes found: {dict(kinds)}")


def parser_cost(docs_limit: int, rounds: int) -> None:
    """What a dependency parse would add: the model's tok2vec and parser run over the same
    texts as NER, in rounds alternating with NER alone (quote extraction reads no parse)."""
    import spacy

    from workbench.core.entities.model import NOT_FOR_NER

    texts = _speed_texts(docs_limit)
    words = sum(len(t.split()) for t in texts)
    ner = NerModel().load()
    package = NerModel().package
    parse = spacy.load(package, exclude=[n for n in NOT_FOR_NER if n not in ("tok2vec", "parser")])
    list(parse.pipe(texts[:8]))
    ner_times, parse_times = [], []
    for _ in range(rounds):
        start = time.perf_counter()
        list(extract(ner, texts))
        ner_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        for _doc in parse.pipe(texts, batch_size=32):
            pass
        parse_times.append(time.perf_counter() - start)
    n, pa = statistics.median(ner_times), statistics.median(parse_times)
    print(f"\n== dependency parse ({package}): {len(texts)} articles, {words} words")
    print(f"  NER alone              {n:7.2f} s  {words / n:9.0f} words/s")
    print(f"  tok2vec + parser       {pa:7.2f} s  {words / pa:9.0f} words/s")
    print(f"  a parse would add {100 * pa / n:.0f}% to NER (the rules need none)")


def _speed_texts(docs_limit: int) -> list[str]:
    files = []
    sections = sorted(p for p in (CORPORA / "bbc-news").iterdir() if p.is_dir())
    per = max(1, docs_limit // len(sections))
    for section in sections:
        files += sorted(section.glob("*.txt"))[:per]
    return [parse_file(f).text for f in files]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=(*SPLITS, "all"), default="all")
    ap.add_argument("--docs", type=int, default=500, help="BBC articles for the speed run")
    ap.add_argument("--rounds", type=int, default=3, help="speed rounds (0: no speed run)")
    ap.add_argument("--errors", action="store_true", help="list the tune part's errors")
    ap.add_argument("--no-speed", action="store_true")
    ap.add_argument("--parser", action="store_true", help="also time a dependency parse")
    args = ap.parse_args()
    accuracy(args.split, args.errors)
    if args.split != "heldout":
        reported(args.split, args.errors)
    if not args.no_speed and args.rounds > 0:
        speed(args.docs, args.rounds)
        if args.parser:
            parser_cost(args.docs, args.rounds)


if __name__ == "__main__":
    main()
