"""A labelled text-reuse set made from BBC articles by documented rewriting rules.

For each source article A (BBC, MIT licence) three pairs (A, B) are made, B labelled as
an agency-copy study would label the newspaper text:

- **wholly derived**: B is A cut down and reworked as an editor would: the first
  paragraph kept; each other paragraph kept with probability 0.7 and each of its
  sentences with 0.8; a kept sentence of 14 words or more cut to its core clause with
  probability 0.5 (the longest piece of at least 6 words between clause boundaries:
  commas, semicolons, dashes, "which", "who", "while", "but", "and", "because",
  "although"); light rewording (each word in a small synonym table replaced with
  probability 0.3, "he said"-style attributions dropped); two paragraphs after the lead
  swapped.
- **partially derived**: B is another article C of the same section, sharing no 8-word
  shingle with A, with 1 to 3 sentences of A inserted at random places, each cut to its
  core clause with probability 0.7 and lightly reworded.
- **not derived**: B is another article of the same section sharing no 8-word shingle
  with A: for half of the sources a random one, for the other half the one on the
  nearest topic (the most shared words of five letters or more), which is the hard case
  for word-overlap measures: the same story told independently.

Source articles are split in two halves by a hash of their id: constants are chosen on
the ``tune`` half and the figures reported on the ``report`` half.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass

WHOLLY, PARTIAL, NOT_DERIVED = "wholly", "partially", "not"

SYNONYMS = {
    "said": "stated",
    "says": "states",
    "people": "persons",
    "government": "administration",
    "company": "firm",
    "firm": "company",
    "rise": "increase",
    "increase": "rise",
    "announced": "said",
    "big": "large",
    "large": "big",
    "started": "began",
    "began": "started",
    "buy": "purchase",
    "help": "assist",
    "shows": "indicates",
    "expected": "forecast",
    "about": "around",
    "because": "as",
    "also": "",
    "very": "",
    "new": "fresh",
    "major": "key",
    "important": "key",
    "plans": "proposals",
    "figures": "data",
    "month": "month",
    "bid": "attempt",
    "cut": "reduce",
    "warned": "cautioned",
}
_CLAUSE_CUT = re.compile(
    r",|;| - | – |\b(?:which|who|while|but|and|because|although)\b", re.IGNORECASE
)
_ATTRIBUTION = re.compile(
    r",? (?:he|she|they|it) (?:said|added|says)\b|,? said (?:Mr|Mrs|Ms)\.? \w+", re.IGNORECASE
)
_SENTENCE = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’]))\s+(?=[\"“‘A-Z0-9])")


@dataclass
class LabelledPair:
    source: str
    other: str | None
    a: str
    b: str
    label: str
    half: str


def half_of(doc_id: str) -> str:
    """``tune`` or ``report``, fixed by a hash of the source article's id."""
    return "tune" if hashlib.md5(doc_id.encode()).digest()[0] % 2 == 0 else "report"


def sentences(paragraph: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(paragraph) if s.strip()]


def core_clause(sentence: str) -> str:
    """The longest piece of at least 6 words between clause boundaries, as a sentence."""
    if len(sentence.split()) < 14:
        return sentence
    pieces = [p.strip(' ,;-–"“”') for p in _CLAUSE_CUT.split(sentence)]
    pieces = [p for p in pieces if len(p.split()) >= 6]
    if not pieces:
        return sentence
    best = max(pieces, key=lambda p: len(p.split())).rstrip(".!?")
    return best[0].upper() + best[1:] + "."


def reword(sentence: str, rng: random.Random) -> str:
    sentence = _ATTRIBUTION.sub("", sentence)
    out = []
    for word in sentence.split(" "):
        bare = word.strip(".,;:\"“”'’").lower()
        if bare in SYNONYMS and rng.random() < 0.3:
            replacement = SYNONYMS[bare]
            if not replacement:
                continue
            word = word.replace(bare, replacement) if bare in word else replacement
        out.append(word)
    return " ".join(out)


def condensed_copy(text: str, rng: random.Random) -> str:
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    if not paragraphs:
        return text
    out = [paragraphs[0]]
    for paragraph in paragraphs[1:]:
        if rng.random() >= 0.7:
            continue
        kept = []
        for s in sentences(paragraph):
            if rng.random() >= 0.8:
                continue
            if rng.random() < 0.5:
                s = core_clause(s)
            kept.append(reword(s, rng))
        if kept:
            out.append(" ".join(kept))
    if len(out) >= 4:
        i, j = rng.sample(range(1, len(out)), 2)
        out[i], out[j] = out[j], out[i]
    return "\n\n".join(out)


def with_inserted_sentences(source: str, host: str, rng: random.Random) -> str:
    pool = [s for p in source.split("\n\n")[1:] for s in sentences(p) if len(s.split()) >= 8]
    if not pool:
        pool = sentences(source)
    chosen = rng.sample(pool, min(len(pool), rng.randint(1, 3)))
    paragraphs = [sentences(p) for p in host.split("\n\n") if p.strip()]
    for s in chosen:
        s = reword(core_clause(s) if rng.random() < 0.7 else s, rng)
        para = paragraphs[rng.randrange(len(paragraphs))]
        para.insert(rng.randint(0, len(para)), s)
    return "\n\n".join(" ".join(p) for p in paragraphs)


def build(
    texts: dict[str, str],
    section: dict[str, str],
    related: set[tuple[str, str]],
    sources: int,
    seed: int = 12,
) -> list[LabelledPair]:
    """Three labelled pairs per source article (see the module docstring)."""
    rng = random.Random(seed)
    ids = sorted(k for k, t in texts.items() if len(t.split("\n\n")) >= 5)
    by_section: dict[str, list[str]] = {}
    for k in ids:
        by_section.setdefault(section[k], []).append(k)

    def unrelated(a: str) -> str:
        while True:
            c = rng.choice(by_section[section[a]])
            if c != a and (min(a, c), max(a, c)) not in related:
                return c

    vocab = {k: set(re.findall(r"\w{5,}", texts[k].lower())) for k in ids}

    def nearest_topic(a: str) -> str:
        others = [
            c for c in by_section[section[a]] if c != a and (min(a, c), max(a, c)) not in related
        ]
        return max(others, key=lambda c: (len(vocab[a] & vocab[c]) / len(vocab[a] | vocab[c]), c))

    out = []
    for n, a in enumerate(rng.sample(ids, min(sources, len(ids)))):
        h = half_of(a)
        out.append(LabelledPair(a, None, texts[a], condensed_copy(texts[a], rng), WHOLLY, h))
        c = unrelated(a)
        partial = with_inserted_sentences(texts[a], texts[c], rng)
        out.append(LabelledPair(a, c, texts[a], partial, PARTIAL, h))
        d = nearest_topic(a) if n % 2 else unrelated(a)
        out.append(LabelledPair(a, d, texts[a], texts[d], NOT_DERIVED, h))
    return out


# --------------------------------------------------------------------------- measures


def auc(scores: Sequence[float], labels: Sequence[bool]) -> float:
    """Area under the ROC curve (ties count half): P(score of a positive > a negative)."""
    pos = sorted(s for s, y in zip(scores, labels, strict=True) if y)
    neg = sorted(s for s, y in zip(scores, labels, strict=True) if not y)
    if not pos or not neg:
        return float("nan")
    import bisect

    total = 0.0
    for s in pos:
        lo = bisect.bisect_left(neg, s)
        hi = bisect.bisect_right(neg, s)
        total += lo + 0.5 * (hi - lo)
    return total / (len(pos) * len(neg))


def f1_at(scores: Sequence[float], labels: Sequence[bool], threshold: float) -> float:
    tp = sum(1 for s, y in zip(scores, labels, strict=True) if s >= threshold and y)
    fp = sum(1 for s, y in zip(scores, labels, strict=True) if s >= threshold and not y)
    fn = sum(1 for s, y in zip(scores, labels, strict=True) if s < threshold and y)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def best_threshold(scores: Sequence[float], labels: Sequence[bool]) -> float:
    """The threshold with the best F1 (the lowest such, scores above 0 only)."""
    candidates = sorted({s for s in scores if s > 0}) or [1e-9]
    return max(candidates, key=lambda t: (f1_at(scores, labels, t), -t))


def containment(a: str, b: str, n: int) -> float:
    """Share of B's word n-grams (lower-cased words) that occur in A."""
    wa, wb = re.findall(r"\w+", a.lower()), re.findall(r"\w+", b.lower())
    ga = {tuple(wa[i : i + n]) for i in range(len(wa) - n + 1)}
    gb = {tuple(wb[i : i + n]) for i in range(len(wb) - n + 1)}
    return len(ga & gb) / len(gb) if gb else 0.0
