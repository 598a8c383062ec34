"""Shared passages (align) and related articles, on the seeds and on real BBC articles."""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.core import compare
from workbench.core.compare import PassagePair, align
from workbench.core.corpus import parse_file
from workbench.core.errors import UnknownDocument, UserError

from ..support import (
    BBC,
    CNN_LI_ZHANSHU,
    CNN_RETELLING_BOL,
    CNN_TRANSLATION,
    FRATERNIZATION,
    PUTIN_IMMUNITY,
    SEEDS,
)


def seed_text(doc_id: str) -> str:
    return parse_file(SEEDS / f"{doc_id}.txt").text


def bbc_text(name: str) -> str:
    return parse_file(BBC / f"{name}.txt").text


def words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def assert_offsets(pairs: list[PassagePair], a: str, b: str) -> None:
    """Every offset slices exactly the reported text; every diff run lies inside its passage."""
    for p in pairs:
        assert 0 <= p.a_start < p.a_end <= len(a)
        assert 0 <= p.b_start < p.b_end <= len(b)
        assert a[p.a_start : p.a_end] == p.a_text
        assert b[p.b_start : p.b_end] == p.b_text
        for s, e in p.a_diff:
            assert p.a_start <= s < e <= p.a_end
        for s, e in p.b_diff:
            assert p.b_start <= s < e <= p.b_end
        assert 0.0 < p.similarity <= 1.0


def coverage(pairs: list[PassagePair], a: str, b: str) -> tuple[float, float]:
    return (
        sum(words(p.a_text) for p in pairs) / words(a),
        sum(words(p.b_text) for p in pairs) / words(b),
    )


# --------------------------------------------------------------------------- seeds


@pytest.fixture(scope="module")
def cnn_pairs() -> tuple[str, str, list[PassagePair]]:
    a, b = seed_text(CNN_RETELLING_BOL), seed_text(CNN_LI_ZHANSHU)
    return a, b, align(a, b)


def find(pairs: list[PassagePair], a_part: str, b_part: str) -> PassagePair:
    for p in pairs:
        if a_part in p.a_text and b_part in p.b_text:
            return p
    raise AssertionError(f"no passage pairs {a_part!r} with {b_part!r}: {pairs}")


def test_retellings_align_on_the_reworded_li_zhanshu_quote(cnn_pairs):
    a, b, pairs = cnn_pairs
    p = find(
        pairs,
        "enlarging their presence near the Russian borders, seriously endangering national security",
        "expanding their presence near Russia’s borders, seriously threatening national security",
    )
    assert 0.7 <= p.similarity < 1.0
    a_changed = {a[s:e] for s, e in p.a_diff}
    b_changed = {b[s:e] for s, e in p.b_diff}
    # The rewording shows as a word diff; the words both share do not.
    assert any("enlarging" in w for w in a_changed) and "endangering" in a_changed
    assert "expanding" in b_changed and "threatening" in b_changed
    assert not any("national" in w or "security" in w for w in a_changed | b_changed)


def test_retellings_align_on_the_second_li_zhanshu_quote(cnn_pairs):
    _, _, pairs = cnn_pairs
    find(
        pairs,
        "China understands and supports Russia on issues that represent its vital interests",
        "China understands and supports Russia on issues that represent its vital interests",
    )


def test_retellings_align_on_the_territory_passage(cnn_pairs):
    _, _, pairs = cnn_pairs
    p = find(pairs, "more than 3,000 square kilometers", "more than 3,000 square kilometers")
    assert "since April" in p.a_text and "since April" in p.b_text
    assert p.similarity >= compare.DEFAULT_MIN_SIMILARITY


def test_seed_offsets_slice_the_reported_text(cnn_pairs):
    a, b, pairs = cnn_pairs
    assert_offsets(pairs, a, b)


def _sentences_touched(text: str, start: int, end: int) -> int:
    prepared = compare.prepare(text)
    return sum(
        1
        for lo, hi in prepared.sentences
        if prepared.ends[hi - 1] > start and prepared.starts[lo] < end
    )


@pytest.mark.parametrize(
    "x, y",
    [
        (PUTIN_IMMUNITY, FRATERNIZATION),
        (PUTIN_IMMUNITY, CNN_LI_ZHANSHU),
        (FRATERNIZATION, CNN_RETELLING_BOL),
        (CNN_TRANSLATION, CNN_LI_ZHANSHU),
        (CNN_TRANSLATION, CNN_RETELLING_BOL),
    ],
)
def test_articles_without_a_common_source_share_nothing_longer_than_a_sentence(x, y):
    a, b = seed_text(x), seed_text(y)
    pairs = align(a, b)
    assert_offsets(pairs, a, b)
    for p in pairs:
        assert _sentences_touched(a, p.a_start, p.a_end) <= 1
        assert _sentences_touched(b, p.b_start, p.b_end) <= 1


def test_stricter_thresholds_keep_only_the_closer_passages(cnn_pairs):
    a, b, pairs = cnn_pairs
    strict = align(a, b, min_similarity=0.85)
    assert strict and len(strict) < len(pairs)
    assert all(p.similarity >= 0.85 for p in strict)
    assert not align(a, b, min_words=60)


# --------------------------------------------------------------------------- BBC


@pytest.mark.parametrize(
    "x, y",
    [
        ("business/china-continues-breakneck-growth", "business/china-continues-rapid-growth"),
        ("business/bank-holds-interest-rate-at-4-75", "business/uk-interest-rates-held-at-4-75"),
    ],
)
def test_bbc_near_copies_align_over_most_of_both_texts(x, y):
    a, b = bbc_text(x), bbc_text(y)
    pairs = align(a, b)
    assert_offsets(pairs, a, b)
    cov_a, cov_b = coverage(pairs, a, b)
    assert cov_a > 0.8 and cov_b > 0.8


def test_a_copy_with_shuffled_paragraphs_still_aligns():
    a = bbc_text("politics/child-access-law-shake-up-planned")
    paragraphs = a.split("\n\n")
    assert len(paragraphs) >= 6
    order = list(range(len(paragraphs)))
    random.Random(4).shuffle(order)
    assert order != sorted(order)
    b = "\n\n".join(paragraphs[i] for i in order)
    pairs = align(a, b)
    assert_offsets(pairs, a, b)
    cov_a, cov_b = coverage(pairs, a, b)
    assert cov_a > 0.9 and cov_b > 0.9
    # Passages come back in A's order while their B sides are out of order: reordering found.
    b_starts = [p.b_start for p in pairs]
    assert b_starts != sorted(b_starts)


def test_a_stock_phrase_is_not_reuse():
    # Both articles say "interest rates are likely/set to remain on hold" inside otherwise
    # different sentences; that is the house phrase of rate stories, not a copied passage.
    a = bbc_text("business/bank-holds-interest-rate-at-4-75")
    b = bbc_text("business/bank-set-to-leave-rates-on-hold")
    assert not any("remain on hold" in p.a_text for p in align(a, b))
    a2 = bbc_text("sport/hewitt-falls-to-dent")
    b2 = bbc_text("tech/apple-mac-mini-gets-warm-welcome")
    phrase = "according to a senior official who spoke to reporters on Tuesday"
    in_a = (
        f" The club's chairman said the new stadium would open in the spring of next year, "
        f"{phrase}, and that ticket prices for the first season would not rise."
    )
    in_b = (
        f" Rebel forces have withdrawn from the northern town after weeks of heavy fighting "
        f"around the airport, {phrase}, while aid convoys are still waiting at the border."
    )
    # Eleven shared words inside two long, different sentences: a stock phrase.
    assert align(a2 + in_a, b2 + in_b) == []
    # The same words as most of a sentence on both sides: reuse.
    quote = f" The figures were confirmed, {phrase}."
    pairs = align(a2 + quote, b2 + quote)
    assert len(pairs) == 1 and phrase in pairs[0].a_text


def test_unrelated_bbc_articles_share_nothing():
    a = bbc_text("sport/hewitt-falls-to-dent")
    b = bbc_text("business/china-continues-rapid-growth")
    assert align(a, b) == []


def swapped(pairs: list[PassagePair]) -> list[PassagePair]:
    """The pairs seen from the other text, in that text's order."""
    return sorted((p.swapped() for p in pairs), key=lambda p: (p.a_start, p.b_start))


def test_alignment_is_symmetric_on_real_text(cnn_pairs):
    a, b, pairs = cnn_pairs
    assert swapped(align(b, a)) == pairs
    assert [p.a_start for p in pairs] == sorted(p.a_start for p in pairs)


# --------------------------------------------------------------------------- properties

_POOL = [
    s.strip()
    for s in re.split(r"(?<=[.!?])\s+", bbc_text("politics/child-access-law-shake-up-planned"))
    if len(s.split()) >= 6
]
_VOCAB = sorted({w for s in _POOL for w in s.split()})


@st.composite
def sentence(draw: st.DrawFn, source: str | None = None) -> str:
    """A sentence of a real article with up to three words replaced, or a made-up one."""
    if source is None:
        return " ".join(draw(st.lists(st.sampled_from(_VOCAB), min_size=1, max_size=15))) + "."
    words_ = source.split()
    for _ in range(draw(st.integers(0, 3))):
        words_[draw(st.integers(0, len(words_) - 1))] = draw(st.sampled_from(_VOCAB))
    return " ".join(words_)


@st.composite
def article_pair(draw: st.DrawFn) -> tuple[str, str]:
    """Two texts sharing some sentences (reworded, reordered) among others of their own."""
    shared = draw(st.lists(st.sampled_from(_POOL), max_size=4, unique=True))
    texts = []
    for _ in range(2):
        parts = [draw(sentence(s)) for s in shared]
        parts += [
            draw(sentence(draw(st.sampled_from([None, *_POOL]))))
            for _ in range(draw(st.integers(0, 3)))
        ]
        parts = draw(st.permutations(parts))
        texts.append(draw(st.sampled_from([" ", "\n\n"])).join(parts))
    return texts[0], texts[1]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(article_pair())
def test_alignment_is_symmetric_and_offsets_stay_in_bounds(texts):
    a, b = texts
    forward = align(a, b)
    backward = align(b, a)
    assert swapped(backward) == forward
    assert_offsets(forward, a, b)
    assert_offsets(backward, b, a)


@settings(max_examples=30, deadline=None)
@given(st.text(max_size=300), st.text(max_size=300))
def test_any_text_aligns_without_error(a, b):
    pairs = align(a, b, min_words=2, min_similarity=0.2)
    assert_offsets(pairs, a, b)


def test_a_text_aligns_with_itself_as_one_passage():
    a = bbc_text("tech/apple-mac-mini-gets-warm-welcome")
    pairs = align(a, a)
    assert len(pairs) == 1
    assert pairs[0].a_text == pairs[0].b_text and pairs[0].similarity == 1.0
    assert pairs[0].a_diff == [] and pairs[0].b_diff == []


# --------------------------------------------------------------------------- related


def test_related_finds_the_other_retelling_first(seeded):
    related = seeded.related(CNN_RETELLING_BOL, limit=3)
    assert related[0].id == CNN_LI_ZHANSHU
    assert "shared passage" in related[0].reason
    assert related[0].passages >= 3
    assert CNN_RETELLING_BOL not in {r.id for r in related}
    assert len(related) <= 3
    assert [r.score for r in related] == sorted((r.score for r in related), reverse=True)
    # Articles with no shared passage still get a reason.
    assert all(r.reason for r in related)


def test_related_rejects_bad_requests(seeded):
    with pytest.raises(UnknownDocument):
        seeded.related("no-such-doc")
    with pytest.raises(UserError):
        seeded.related(CNN_LI_ZHANSHU, limit=0)


BBC_SAMPLE = [
    "business/china-continues-breakneck-growth",
    "business/china-continues-rapid-growth",
    "business/bank-holds-interest-rate-at-4-75",
    "business/uk-interest-rates-held-at-4-75",
    "business/bank-set-to-leave-rates-on-hold",
    "business/bank-opts-to-leave-rates-on-hold",
    "sport/hewitt-falls-to-dent",
    "sport/hewitt-falls-to-dent-in-adelaide",
    "sport/dent-continues-adelaide-progress",
    "tech/apple-mac-mini-gets-warm-welcome",
    "tech/format-wars-could-confuse-users",
]


@pytest.fixture(scope="module")
def bbc_library(tmp_path_factory: pytest.TempPathFactory):
    from workbench.core.library import Library

    src = tmp_path_factory.mktemp("bbc")
    for name in BBC_SAMPLE:
        (src / name.replace("/", "__")).with_suffix(".txt").write_bytes(
            (BBC / f"{name}.txt").read_bytes()
        )
    # Some unrelated articles so that the index has to choose.
    for f in sorted((BBC / "entertainment").glob("*.txt"))[:20]:
        (src / f"entertainment__{f.name}").write_bytes(f.read_bytes())
    lib = Library.open(tmp_path_factory.mktemp("bbc-data"))
    lib.add_paths([src])
    yield lib
    lib.close()


@pytest.mark.parametrize(
    "doc, copy",
    [
        ("business__china-continues-breakneck-growth", "business__china-continues-rapid-growth"),
        ("sport__hewitt-falls-to-dent-in-adelaide", "sport__hewitt-falls-to-dent"),
        ("business__uk-interest-rates-held-at-4-75", "business__bank-holds-interest-rate-at-4-75"),
    ],
)
def test_related_ranks_the_reprint_first(bbc_library, doc, copy):
    related = bbc_library.related(doc, limit=5)
    assert related[0].id == copy
    assert related[0].shared_words > 50
    assert re.match(
        r"1 shared passage \(\d+ words, \d+% of the shorter article\)", related[0].reason
    )
    # Sport stories are not related to business ones by shared text.
    assert not any(r.passages for r in related[1:] if r.id.split("__")[0] != doc.split("__")[0])
