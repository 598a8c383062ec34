"""compare_quotes looks up candidate pairs in an index by word: it must pair exactly as
measuring every pair of quotes does.

The reference below is that all-pairs algorithm, kept here only as the yardstick. Cases:
seeds 002 and 004; pairs of BBC politics articles (``../shared/corpora/bbc-news``, MIT
licence, read in place) that quote the same person; and thousands of synthetic quotes
built to be hard for the index (a few very common words, repeated words, many near
copies of the same statements, quotes with no speaker).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

import pytest

from workbench.core.compare import quotes as compare
from workbench.core.compare.quotes import (
    MIN_OVERLAP,
    MIN_OVERLAP_UNNAMED,
    MIN_SHARED_WORDS,
    QuoteComparison,
    QuotePair,
    compare_quotes,
    content_words,
    word_diff,
)
from workbench.core.quotes import Quote, extract_quotes
from workbench.core.quotes.resolve import AttributedQuote

from ..support import CNN_LI_ZHANSHU, CNN_RETELLING_BOL, SEEDS

BBC = SEEDS.parents[1] / "shared" / "corpora" / "bbc-news"
if not BBC.exists():
    BBC = SEEDS.parents[2] / "shared" / "corpora" / "bbc-news"


def reference(a_quotes: Sequence[AttributedQuote], b_quotes: Sequence[AttributedQuote]) -> Any:
    """Every pair of quotes measured, best overlap first, each quote paired at most once."""

    def who(q: AttributedQuote) -> str:
        return q.key or (q.speaker_name.casefold() if q.speaker_name else "")

    words_a = [content_words(q.text) for q in a_quotes]
    words_b = [content_words(q.text) for q in b_quotes]
    candidates = []
    for i, qa in enumerate(a_quotes):
        for j, qb in enumerate(b_quotes):
            shared = sum((words_a[i] & words_b[j]).values())
            shorter = min(sum(words_a[i].values()), sum(words_b[j].values()))
            share = shared / shorter if shorter else 0.0
            if shared < MIN_SHARED_WORDS:
                continue
            if who(qa) and who(qb):
                if who(qa) != who(qb) or share < MIN_OVERLAP:
                    continue
            elif share < MIN_OVERLAP_UNNAMED:
                continue
            candidates.append((share, shared, i, j))
    candidates.sort(key=lambda c: (-c[0], -c[1], c[2], c[3]))
    used_a: set[int] = set()
    used_b: set[int] = set()
    paired = []
    for share, _, i, j in candidates:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            qa, qb = a_quotes[i], b_quotes[j]
            paired.append(QuotePair(qa, qb, share, word_diff(qa.text, qb.text)))
    paired.sort(key=lambda p: (p.a.start, p.b.start))
    only_a = [q for i, q in enumerate(a_quotes) if i not in used_a]
    only_b = [q for j, q in enumerate(b_quotes) if j not in used_b]
    return QuoteComparison(paired, only_a, only_b).to_json()


def same_as_reference(a: Sequence[AttributedQuote], b: Sequence[AttributedQuote]) -> int:
    """Assert both ways round that the index gives the reference's result; the pairs made."""
    for left, right in ((a, b), (b, a)):
        result = compare_quotes(left, right)
        assert result.complete
        assert result.to_json() == reference(left, right)
    return len(compare_quotes(a, b).paired)


def quotes_of(texts: dict[str, str]) -> dict[str, list[AttributedQuote]]:
    """The quotes of each text, speakers resolved to entities as the library does."""
    from workbench.core.entities import NerModel, extract, finish, prepare
    from workbench.core.quotes.resolve import attribute_quotes

    spans = dict(zip(texts, extract(NerModel().load(), list(texts.values())), strict=True))
    resolved = finish(prepare(list(texts.items()), spans))
    return {
        i: attribute_quotes(i, t, extract_quotes(t, spans[i]), resolved.doc_entities[i])
        for i, t in texts.items()
    }


@pytest.mark.spacy
def test_the_seeds_pair_as_measuring_every_pair_does() -> None:
    from workbench.core.corpus import parse_file

    ids = (CNN_RETELLING_BOL, CNN_LI_ZHANSHU)
    quotes = quotes_of({i: parse_file(SEEDS / f"{i}.txt").text for i in ids})
    assert same_as_reference(quotes[ids[0]], quotes[ids[1]]) >= 1


BBC_PAIRS = [
    ("politics/goldsmith-denies-war-advice-claim", "politics/goldsmith-i-was-not-leant-on"),
    ("politics/blair-rejects-iraq-advice-calls", "politics/goldsmith-denies-war-advice-claim"),
    ("politics/uk-heading-wrong-way-howard", "politics/uk-heading-wrong-way-says-howard"),
    ("politics/conservative-backing-for-id-cards", "politics/howard-denies-split-over-id-cards"),
    ("politics/blair-pledges-unity-to-labour-mps", "politics/brown-in-appeal-for-labour-unity"),
    ("politics/clarke-defends-terror-detentions", "politics/lords-wrong-on-detainees-straw"),
    ("business/bank-holds-interest-rate-at-4-75", "business/uk-interest-rates-held-at-4-75"),
    ("business/golden-rule-intact-says-ex-aide", "politics/brown-ally-rejects-budget-spree"),
    ("sport/parry-firm-over-gerrard", "sport/parry-puts-gerrard-above-money"),
    ("tech/domain-system-opens-door-to-scams", "tech/domain-system-scam-fear"),
]
"""Articles on the same story, most quoting the same people in the same or other words
(found by their quotes' words), and some pairs further apart."""


@pytest.mark.spacy
def test_bbc_articles_quoting_the_same_people_pair_as_measuring_every_pair_does() -> None:
    names = sorted({name for pair in BBC_PAIRS for name in pair})
    quotes = quotes_of({n: (BBC / f"{n}.txt").read_text(encoding="utf-8") for n in names})
    made = [same_as_reference(quotes[a], quotes[b]) for a, b in BBC_PAIRS]
    assert sum(m > 0 for m in made) >= 8, made
    far = list(zip(names, reversed(names), strict=True))  # mostly different stories
    for a, b in far:
        same_as_reference(quotes[a], quotes[b])


VOCAB = [f"w{i}" for i in range(400)]
SPEAKERS = ["Ann Lee", "Tony Blair", "Gordon Brown", "Michael Howard", ""]


def synthetic(rng: random.Random, doc_id: str, n: int, bases: list[list[str]]) -> list[Any]:
    """``n`` quotes: near copies of ``bases`` (words dropped, changed, repeated, moved),
    padded with very common words; a fifth with no speaker."""
    out = []
    for k in range(n):
        words = list(rng.choice(bases))
        for _ in range(rng.randint(0, 3)):
            op = rng.random()
            if op < 0.4 and len(words) > 1:
                words.pop(rng.randrange(len(words)))
            elif op < 0.7:
                words[rng.randrange(len(words))] = rng.choice(VOCAB)
            else:
                words.append(rng.choice(words))
        words += rng.choices(["said", "people", "government", "w0"], k=rng.randint(0, 3))
        rng.shuffle(words)
        text = " ".join(words)
        speaker = rng.choice(SPEAKERS)
        quote = Quote(100 * k, 100 * k + len(text), "direct", "name" if speaker else "none")
        out.append(AttributedQuote(doc_id, quote, text, None, speaker))
    return out


def test_thousands_of_near_copies_pair_as_measuring_every_pair_does() -> None:
    rng = random.Random(7)
    zipf = [1 / (r + 1) for r in range(len(VOCAB))]
    bases = [rng.choices(VOCAB, weights=zipf, k=rng.randint(2, 24)) for _ in range(150)]
    bases += [["no"] * 5, ["w1", "w1", "w1", "w1", "w2"]]
    a, b = synthetic(rng, "a", 900, bases), synthetic(rng, "b", 800, bases)
    assert same_as_reference(a, b) >= 250


def test_past_the_cap_the_comparison_says_it_is_partial(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(3)
    bases = [rng.choices(VOCAB[:40], k=12) for _ in range(5)]
    a, b = synthetic(rng, "a", 300, bases), synthetic(rng, "b", 300, bases)
    full = compare_quotes(a, b)
    assert full.complete and not any("in part" in line for line in full.summary())
    monkeypatch.setattr(compare, "MAX_PAIR_CHECKS", 2_000)
    part = compare_quotes(a, b)
    assert not part.complete and 0 < len(part.paired) < len(full.paired)
    assert len(part.paired) * 2 + len(part.only_a) + len(part.only_b) == len(a) + len(b)
    assert "Quotes compared in part: over 2,000 candidate pairs" in part.summary()[-1]
