"""Scoring extracted quotes against hand labels (``tests/data/quotes-gold.json``), and
reported speech against labelled sentences (``tests/data/reported-gold.json``).

Used by ``bench/bench_quotes.py`` and the gold-set tests. A label is a dict with
``start``, ``end``, ``text``, ``kind`` (direct, partial, term), ``speaker`` (or None),
``via`` and optionally ``also``, ``group`` and ``doubtful`` (see the gold set's README).
Found quotes are matched to labels one to one, exact spans first, then overlapping ones.

A reported-speech label is one sentence (``start``, ``end``) with ``reported`` (whether
it reports someone's words without quotation marks), ``speaker`` (the name the article
gives, or None), ``speaker_kind`` (named, unnamed) and ``words`` (the reported clause).
What was found for it is the reported speech (``indirect`` quotes) over the sentence.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .resolve import AttributedQuote, attribute_quotes

_TITLE = re.compile(r"^(?:mr|mrs|ms|miss|dr|sir|prof|lord|lady) ")


def _norm(name: str) -> str:
    from ..entities import norm_key

    return _TITLE.sub("", norm_key(name))


def attribute_texts(
    texts: Sequence[str], spans: Sequence[list[tuple[int, int, str]]], indirect: bool = True
) -> list[list[AttributedQuote]]:
    """Each text's quotes from its NER spans, with their speakers resolved to the texts'
    entities as the library resolves them; reported speech left out without ``indirect``."""
    from ..entities import finish, prepare
    from .extract import extract_quotes

    ids = [str(i) for i in range(len(texts))]
    resolved = finish(
        prepare(list(zip(ids, texts, strict=True)), dict(zip(ids, spans, strict=True)))
    )
    out = []
    for doc_id, text, doc_spans in zip(ids, texts, spans, strict=True):
        quotes = [q for q in extract_quotes(text, doc_spans) if indirect or q.kind != "indirect"]
        out.append(attribute_quotes(doc_id, text, quotes, resolved.doc_entities.get(doc_id, [])))
    return out


@dataclass
class Tally:
    """Counts for one part of the gold set."""

    tp_exact: int = 0
    tp_overlap: int = 0
    predicted: int = 0
    gold: int = 0
    neutral_hits: int = 0
    direct_tp: int = 0
    direct_predicted: int = 0
    direct_gold: int = 0
    speaker: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    unnamed: list[int] = field(default_factory=lambda: [0, 0])
    group: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)


def _forms(found: AttributedQuote) -> set[str]:
    names = {found.speaker_name} if found.speaker_name else set()
    if found.entity is not None and found.speaker_name == found.entity.name:
        names.update(found.entity.aliases)
    return {_norm(n) for n in names}


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return min(a[1], b[1]) > max(a[0], b[0])


def _match(gold: list[dict[str, Any]], found: list[AttributedQuote]) -> dict[int, int]:
    """Gold index -> found index: exact spans first, then overlapping ones, one to one."""
    pairs: dict[int, int] = {}
    used: set[int] = set()
    for exact in (True, False):
        for gi, g in enumerate(gold):
            if gi in pairs:
                continue
            for fi, f in enumerate(found):
                if fi in used:
                    continue
                hit = (f.start, f.end) == (g["start"], g["end"])
                if hit or (not exact and _overlaps((f.start, f.end), (g["start"], g["end"]))):
                    pairs[gi] = fi
                    used.add(fi)
                    break
    return pairs


def score_document(t: Tally, doc: dict[str, Any], text: str, found: list[AttributedQuote]) -> None:
    gold = doc["quotes"]
    pairs = _match(gold, found)
    matched = set(pairs.values())
    for gi, g in enumerate(gold):
        fi = pairs.get(gi)
        f = found[fi] if fi is not None else None
        exact = f is not None and (f.start, f.end) == (g["start"], g["end"])
        if g["kind"] == "term" or g.get("doubtful"):
            if f is not None and g["kind"] != "term":
                t.neutral_hits += 1
            continue
        t.gold += 1
        t.tp_exact += exact
        t.tp_overlap += f is not None
        if g["kind"] == "direct":
            t.direct_gold += 1
            t.direct_tp += exact
        if f is None:
            t.errors.append(f"missed   {doc['path']}: {g['text'][:70]!r}")
            continue
        _score_speaker(t, doc, g, f)
    for fi, f in enumerate(found):
        if fi in matched:
            gi = next(k for k, v in pairs.items() if v == fi)
            if gold[gi]["kind"] == "term":
                t.predicted += 1
                t.errors.append(f"term     {doc['path']}: {f.text[:70]!r}")
            elif not gold[gi].get("doubtful"):
                t.predicted += 1
                t.direct_predicted += gold[gi]["kind"] == "direct"
            continue
        t.predicted += 1
        t.direct_predicted += f.quote.kind == "direct"
        t.errors.append(f"extra    {doc['path']}: {f.text[:70]!r}")


def _score_speaker(t: Tally, doc: dict[str, Any], g: dict[str, Any], f: AttributedQuote) -> None:
    if g.get("group"):
        names = {_norm(n) for n in g["group"]}
        forms = _forms(f)
        t.group["a name among them" if forms & names else "another name" if forms else "none"] += 1
        return
    if g["speaker"] is None:
        t.unnamed[1] += 1
        if f.speaker_name:
            t.unnamed[0] += 1
            t.errors.append(f"invented {doc['path']}: {g['text'][:50]!r} -> {f.speaker_name}")
        return
    wanted = {_norm(n) for n in [g["speaker"], *g.get("also", [])]}
    ok = bool(_forms(f) & wanted)
    for key in ("all", g["via"]):
        t.speaker[key][0] += ok
        t.speaker[key][1] += 1
    if not ok:
        t.errors.append(
            f"speaker  {doc['path']}: {g['text'][:40]!r} is {g['speaker']}, "
            f"not {f.speaker_name or 'unattributed'} ({f.quote.attribution})"
        )


@dataclass
class ReportedTally:
    """Counts for reported speech over labelled sentences."""

    sentences: int = 0
    gold: int = 0
    """Sentences that report speech."""
    found: int = 0
    """Sentences where reported speech was found."""
    both: int = 0
    words: int = 0
    """Of ``both``: the words found cover at least half of the reported words, and are not
    more than twice as long."""
    named: list[int] = field(default_factory=lambda: [0, 0])
    """Sentences found whose speaker the article names: [speaker right, all]."""
    named_gold: int = 0
    unnamed: list[int] = field(default_factory=lambda: [0, 0])
    """Sentences found whose speaker the article does not name: [given a name, all]."""
    errors: list[str] = field(default_factory=list)


def _reported_name(name: str) -> str:
    key = _norm(name)
    return key[4:] if key.startswith("the ") else key


def score_reported(
    t: ReportedTally, label: dict[str, Any], text: str, found: list[AttributedQuote]
) -> None:
    """Score the reported speech found in ``text`` over one labelled sentence."""
    start, end = label["start"], label["end"]
    hits = [
        f for f in found if f.quote.kind == "indirect" and _overlaps((f.start, f.end), (start, end))
    ]
    t.sentences += 1
    t.gold += label["reported"]
    t.found += bool(hits)
    t.named_gold += label["reported"] and label["speaker_kind"] == "named"
    sentence = text[start:end]
    where = f"{label['path']}: {sentence[:60]!r}"
    if not label["reported"]:
        if hits:
            t.errors.append(f"extra    {where} -> {hits[0].text[:40]!r}")
        return
    if not hits:
        t.errors.append(f"missed   {where}")
        return
    t.both += 1
    w_start = start + sentence.find(label["words"])
    w_end = w_start + len(label["words"])
    best = max(hits, key=lambda f: min(f.end, w_end) - max(f.start, w_start))
    covered = max(0, min(best.end, w_end) - max(best.start, w_start))
    t.words += covered * 2 >= w_end - w_start and best.end - best.start <= 2 * (w_end - w_start)
    names = {_reported_name(n) for n in _forms(best)}
    if label["speaker_kind"] == "named":
        ok = _reported_name(label["speaker"]) in names
        t.named[0] += ok
        t.named[1] += 1
        if not ok:
            t.errors.append(
                f"speaker  {where} is {label['speaker']}, not {best.speaker_name or 'unattributed'}"
            )
    else:
        t.unnamed[1] += 1
        if best.speaker_name:
            t.unnamed[0] += 1
            t.errors.append(f"invented {where} -> {best.speaker_name}")


def _prf(tp: int, predicted: int, gold: int) -> str:
    p = tp / predicted if predicted else 0.0
    r = tp / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return f"P {p:.3f}  R {r:.3f}  F1 {f:.3f}"


def prf(tp: int, predicted: int, gold: int) -> tuple[float, float, float]:
    """Precision, recall and F1."""
    p = tp / predicted if predicted else 0.0
    r = tp / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)
