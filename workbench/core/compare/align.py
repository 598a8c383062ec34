"""Shared passages (text reuse) between two texts.

News articles copy and paraphrase one another. :func:`align` finds the passages two
texts in the same language share, in whatever order they appear, in four steps:

1. **Words.** Each text is cut into words (with their offsets) and sentences, in any
   script (:mod:`workbench.core.text`: Unicode words and sentence terminals; in scripts
   written without spaces each character is a unit, so two texts that cut a name into
   words differently still match). Words are folded (case, accents, letter variants),
   possessives and inner punctuation dropped (``Russia's`` → ``russia``, ``3,000`` →
   ``3000``) and stemmed (Porter for English, Snowball for the text's language), so
   ``enlarging``/``enlarged`` agree.
2. **Candidates.** Every sentence gets a set of features: pairs of neighbouring content
   words (stop words left out), and pairs with one word skipped between them so that a
   single substituted word does not hide a match. Two sentences that share at least two
   features are a candidate pair. Features are looked up in a dictionary, so sentences
   are paired wherever they are in either text: reordered passages are found (passim's
   monotone alignment misses them).
3. **Local alignment.** For each candidate pair the word sequences are aligned (a
   longest-common-subsequence alignment from rapidfuzz: gaps and substitutions are
   allowed), and the best-scoring stretch of that alignment is kept, as Smith-Waterman
   would: matched content words score +1, matched stop words +0.5, every unmatched word
   -0.5. This cuts a shared clause out of a longer sentence.
4. **Passages.** Local hits that follow one another in both texts (small gaps allowed)
   are merged into one passage, realigned as a whole, and scored. A passage is reported
   when both sides have at least ``min_words`` words, its similarity (share of words
   matched, ``2·matched / (words_a + words_b)``) is at least ``min_similarity``, and it
   covers at least half of the sentences it touches on both sides (on one side is enough
   for a passage of twice ``min_words``), or is a clause whose content words are rare
   enough in the library (see :func:`_is_reuse`): an editor's condensed copy keeps a
   sentence's core clause. This is what keeps stock phrases ("according to experts",
   "the prime minister said on Tuesday") from being reported as reuse: they are made of
   words found in every other article.

Where passages overlap, the best one keeps the text and the others are dropped, so each
stretch of text is paired with its best counterpart. ``align(a, b)`` is symmetric:
``align(b, a)`` returns the same pairs with the sides swapped (the work is always done
in one canonical order).

Inside each pair, ``a_diff``/``b_diff`` list the runs of words that have no counterpart
on the other side, as absolute (start, end) offsets into each text, a run of neighbouring
words being one span: the GUI shows them like a word diff.

"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz.distance import Indel

from .. import text as textlib
from .rarity import PRIOR_RARITY, WordRarity, library_rarity, passage_rarity
from .words import (
    _STOP_STEMS,
    STOP_WORDS,
    PreparedText,
    normalise,
    prepare,
    word_count,
)

__all__ = [
    "DEFAULT_MIN_SIMILARITY",
    "DEFAULT_MIN_WORDS",
    "PRIOR_RARITY",
    "STOP_WORDS",
    "_STOP_STEMS",
    "PassagePair",
    "PreparedText",
    "WordRarity",
    "align",
    "library_rarity",
    "normalise",
    "passage_rarity",
    "prepare",
    "word_count",
]

DEFAULT_MIN_WORDS = 8
DEFAULT_MIN_SIMILARITY = 0.5

# Scores of the local alignment (step 3).
_MATCH_CONTENT = 1.0
_MATCH_STOP = 0.5
_UNMATCHED = -0.5
# A local hit needs this many matched content words to be worth merging.
_MIN_HIT_CONTENT = 3
# Candidate generation limits (see _candidates): they only matter for long, repetitive texts.
_MAX_FEATURE_SENTENCES = 100
_MAX_CANDIDATES = 25
# Hits are merged into one passage when at most this many words separate them on each side.
_MAX_GAP_WORDS = 25
# A passage must cover at least this share of the words of the sentences it touches (see
# _is_reuse): a phrase inside two long, otherwise different sentences is not reuse...
_MIN_SENTENCE_COVER = 0.5
# ...unless it is a clause of at least CLAUSE_MIN_CONTENT content words whose words are
# rare enough in the library: the sum of their rarities (0..1 each, see library_rarity)
# reaches CLAUSE_MIN_RARITY. A condensed sentence (one side covers at least
# CONDENSED_COVER of its sentence: an editor cut the other side's sentence down to it)
# needs CONDENSED_MIN_CONTENT content words and CONDENSED_MIN_RARITY. Chosen on the tuning half of the bench's labelled set
# (bench/bench_compare.py), where they keep false alarms on BBC at zero.
CLAUSE_MIN_CONTENT = 6.0
CLAUSE_MIN_RARITY = 3.4
CONDENSED_COVER = 0.8
CONDENSED_MIN_CONTENT = 4.0
CONDENSED_MIN_RARITY = 2.0


# --------------------------------------------------------------------------- results


@dataclass
class PassagePair:
    """A passage of text A and its counterpart in text B.

    Offsets are into each Document's reader text: ``text_a[a_start:a_end] == a_text``.
    ``similarity`` is the share of words matched (1.0: the same words in the same order).
    ``a_diff``/``b_diff`` are the (start, end) offsets of the runs of words that have no
    counterpart on the other side.
    """

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    a_text: str
    b_text: str
    similarity: float
    a_diff: list[tuple[int, int]] = field(default_factory=list)
    b_diff: list[tuple[int, int]] = field(default_factory=list)

    @property
    def a_words(self) -> int:
        """Words of the A side (characters of scripts without spaces weighted)."""
        return word_count(self.a_text)

    @property
    def b_words(self) -> int:
        """Words of the B side."""
        return word_count(self.b_text)

    def swapped(self) -> PassagePair:
        """The same pair seen from the other text."""
        return PassagePair(
            self.b_start,
            self.b_end,
            self.a_start,
            self.a_end,
            self.b_text,
            self.a_text,
            self.similarity,
            list(self.b_diff),
            list(self.a_diff),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "a_start": self.a_start,
            "a_end": self.a_end,
            "b_start": self.b_start,
            "b_end": self.b_end,
            "a_text": self.a_text,
            "b_text": self.b_text,
            "similarity": round(self.similarity, 3),
            "a_diff": [list(s) for s in self.a_diff],
            "b_diff": [list(s) for s in self.b_diff],
        }


# --------------------------------------------------------------------------- alignment


@dataclass
class _Hit:
    """A locally aligned stretch: word ranges [a0, a1) and [b0, b1), and its score."""

    a0: int
    a1: int
    b0: int
    b1: int
    score: float


def _pairs(a: Sequence[str], b: Sequence[str]) -> list[tuple[int, int]]:
    """Matched (i, j) word positions of an LCS alignment of two word sequences."""
    out: list[tuple[int, int]] = []
    for op in Indel.opcodes(a, b):
        if op.tag == "equal":
            out.extend(
                zip(range(op.src_start, op.src_end), range(op.dest_start, op.dest_end), strict=True)
            )
    return out


# Words written joined on one side and apart on the other are matched when at most this
# many words on each side, between two matches, spell the same when joined.
_MAX_JOINED = 3


def _spelled(p: PreparedText, base: int, idx: range) -> str:
    return "".join(textlib.fold(p.text[p.starts[base + i] : p.ends[base + i]]) for i in idx)


def _aligned_pairs(
    pa: PreparedText, pb: PreparedText, a0: int, a1: int, b0: int, b1: int
) -> list[tuple[int, int]]:
    """Matched (i, j) positions (relative to a0, b0) of the words of two ranges.

    An LCS alignment of the stems, plus the words written joined in one text and apart in
    the other (German compounds, Urdu and Persian words split or not, "anti-piracy" /
    "antipiracy"): a gap between two matches whose words spell the same when joined is
    matched too, each word of the longer side paired with one of the shorter (so a
    position may appear twice, in order).
    """
    pairs = _pairs(pa.stems[a0:a1], pb.stems[b0:b1])
    out: list[tuple[int, int]] = []
    prev = (-1, -1)
    for nxt in [*pairs, (a1 - a0, b1 - b0)]:
        ga, gb = range(prev[0] + 1, nxt[0]), range(prev[1] + 1, nxt[1])
        if (
            0 < len(ga) <= _MAX_JOINED
            and 0 < len(gb) <= _MAX_JOINED
            and len(ga) != len(gb)
            and len(joined := _spelled(pa, a0, ga)) >= 4
            and joined == _spelled(pb, b0, gb)
        ):
            n = max(len(ga), len(gb))
            out.extend((ga[min(k, len(ga) - 1)], gb[min(k, len(gb) - 1)]) for k in range(n))
        out.append(nxt)
        prev = nxt
    out.pop()
    return out


def _local_hit(pa: PreparedText, pb: PreparedText, sa: int, sb: int) -> _Hit | None:
    """The best-scoring local alignment between sentence ``sa`` of A and ``sb`` of B."""
    a_lo, a_hi = pa.sentences[sa]
    b_lo, b_hi = pb.sentences[sb]
    pairs = _aligned_pairs(pa, pb, a_lo, a_hi, b_lo, b_hi)
    if not pairs:
        return None
    # Kadane over the matches: between two consecutive matches, every skipped word on
    # either side costs _UNMATCHED. The best segment starts and ends on a match.
    best = (0.0, 0, 0)
    run_score = 0.0
    run_start = 0
    content_a = pa.content
    for k, (i, j) in enumerate(pairs):
        gain = _MATCH_CONTENT if content_a[a_lo + i] else _MATCH_STOP
        if k:
            pi, pj = pairs[k - 1]
            if i == pi or j == pj:
                gain = 0.0  # one word of a word written joined here and apart there
            gap = max(0, i - pi - 1) + max(0, j - pj - 1)
            run_score += gap * _UNMATCHED
        if run_score <= 0:
            run_score = 0.0
            run_start = k
        run_score += gain
        if run_score > best[0]:
            best = (run_score, run_start, k)
    score, first, last = best
    matched = pairs[first : last + 1]
    if sum(1 for i in {i for i, _ in matched} if content_a[a_lo + i]) < _MIN_HIT_CONTENT:
        return None
    return _Hit(
        a_lo + matched[0][0],
        a_lo + matched[-1][0] + 1,
        b_lo + matched[0][1],
        b_lo + matched[-1][1] + 1,
        score,
    )


def _candidates(pa: PreparedText, pb: PreparedText) -> list[tuple[int, int]]:
    """Sentence pairs (index in A, index in B) sharing at least two features."""
    where: dict[tuple[str, str], list[int]] = defaultdict(list)
    for sb, feats in enumerate(pb.features):
        for f in feats:
            where[f].append(sb)
    out: list[tuple[int, int]] = []
    for sa, feats in enumerate(pa.features):
        shared: dict[int, int] = defaultdict(int)
        for f in feats:
            found = where.get(f, ())
            # A feature in very many sentences is boilerplate of that text; it cannot tell
            # which sentence is the counterpart, and would make the work quadratic.
            if len(found) > _MAX_FEATURE_SENTENCES:
                continue
            for sb in found:
                shared[sb] += 1
        best = sorted((-n, sb) for sb, n in shared.items() if n >= 2)[:_MAX_CANDIDATES]
        out.extend((sa, sb) for _, sb in best)
    return out


def _chain(hits: list[_Hit]) -> list[list[_Hit]]:
    """Group hits that follow one another, in the same order, in both texts."""
    chains: list[list[_Hit]] = []
    open_chains: list[list[_Hit]] = []
    for h in sorted(hits, key=lambda h: (h.a0, h.b0)):
        # Hits come in A order: a chain ending too far before this hit can never grow again.
        open_chains = [c for c in open_chains if c[-1].a1 >= h.a0 - _MAX_GAP_WORDS]
        best: list[_Hit] | None = None
        best_gap = _MAX_GAP_WORDS * 2 + 1
        for c in open_chains:
            last = c[-1]
            gap_a = h.a0 - last.a1
            gap_b = h.b0 - last.b1
            # Hits cut from neighbouring sentences may overlap by a few words.
            if (
                -3 <= gap_a <= _MAX_GAP_WORDS
                and -3 <= gap_b <= _MAX_GAP_WORDS
                and h.a1 > last.a1
                and h.b1 > last.b1
            ):
                gap = max(gap_a, 0) + max(gap_b, 0)
                if gap < best_gap:
                    best, best_gap = c, gap
        if best is None:
            chains.append([h])
            open_chains.append(chains[-1])
        else:
            best.append(h)
    return chains


def _runs(
    indices: Iterable[int], starts: Sequence[int], ends: Sequence[int]
) -> list[tuple[int, int]]:
    """Runs of consecutive word indices as (start, end) character offsets."""
    out: list[tuple[int, int]] = []
    prev = -2
    for i in indices:
        if i == prev + 1 and out:
            out[-1] = (out[-1][0], ends[i])
        else:
            out.append((starts[i], ends[i]))
        prev = i
    return out


@dataclass
class _Passage:
    a0: int
    a1: int
    b0: int
    b1: int
    matched: int
    content_matched: list[int]
    similarity: float
    a_diff: list[tuple[int, int]]
    b_diff: list[tuple[int, int]]


def _passage(pa: PreparedText, pb: PreparedText, a0: int, a1: int, b0: int, b1: int) -> _Passage:
    pairs = _aligned_pairs(pa, pb, a0, a1, b0, b1)
    if pairs:
        # Trim unmatched words at the edges, left over from merging.
        fa, fb = pairs[0]
        la, lb = pairs[-1]
        a0, a1, b0, b1 = a0 + fa, a0 + la + 1, b0 + fb, b0 + lb + 1
        pairs = [(i - fa, j - fb) for i, j in pairs]
    matched_a = {i for i, _ in pairs}
    matched_b = {j for _, j in pairs}
    na, nb = a1 - a0, b1 - b0
    sim = (len(matched_a) + len(matched_b)) / (na + nb) if na + nb else 0.0
    content_matched = sorted(a0 + i for i in matched_a if pa.content[a0 + i])
    a_diff = _runs((a0 + i for i in range(na) if i not in matched_a), pa.starts, pa.ends)
    b_diff = _runs((b0 + j for j in range(nb) if j not in matched_b), pb.starts, pb.ends)
    return _Passage(a0, a1, b0, b1, len(pairs), content_matched, sim, a_diff, b_diff)


def _sentence_cover(p: PreparedText, w0: int, w1: int) -> float:
    """Share of the words of the sentences touched by words [w0, w1) that the range covers."""
    total = 0
    for lo, hi in p.sentences:
        if hi > w0 and lo < w1:
            total += hi - lo
    return (w1 - w0) / total if total else 0.0


def _is_reuse(
    pa: PreparedText, pb: PreparedText, p: _Passage, min_words: int, rarity: WordRarity | None
) -> bool:
    """Whether a passage is reuse rather than a stock phrase.

    It is when it covers at least half of the sentences it touches on both sides, or on
    one side if it is long (twice ``min_words``): a long quote cut out of two longer
    sentences. A shorter clause is reuse when it has enough content words that are rare
    enough in the library (see the constants): a condensed sentence (a whole sentence on
    one side) needs fewer than a clause inside two longer sentences. "according to a senior official" is made of common words; "achieved the
    required target in 6.1 overs for one wicket" is not.
    """
    ca = _sentence_cover(pa, p.a0, p.a1)
    cb = _sentence_cover(pb, p.b0, p.b1)
    if min(ca, cb) >= _MIN_SENTENCE_COVER:
        return True
    long_enough = min(p.a1 - p.a0, p.b1 - p.b0) >= 2 * min_words
    if long_enough and max(ca, cb) >= _MIN_SENTENCE_COVER:
        return True
    content = sum(
        textlib.SPACELESS_WEIGHT if textlib.is_spaceless(pa.stems[i]) else 1.0
        for i in p.content_matched
    )
    if max(ca, cb) >= CONDENSED_COVER:
        needed_content, needed_rarity = CONDENSED_MIN_CONTENT, CONDENSED_MIN_RARITY
    else:
        needed_content, needed_rarity = CLAUSE_MIN_CONTENT, CLAUSE_MIN_RARITY
    if content < needed_content:
        return False
    return passage_rarity(pa, p.content_matched, rarity) >= needed_rarity


def _overlap(x0: int, x1: int, y0: int, y1: int) -> int:
    return max(0, min(x1, y1) - max(x0, y0))


def _align_prepared(
    pa: PreparedText,
    pb: PreparedText,
    min_words: int,
    min_similarity: float,
    rarity: WordRarity | None = None,
) -> list[PassagePair]:
    hits = []
    for sa, sb in _candidates(pa, pb):
        hit = _local_hit(pa, pb, sa, sb)
        if hit is not None:
            hits.append(hit)
    passages: list[_Passage] = []
    for chain in _chain(hits):
        p = _passage(
            pa,
            pb,
            min(h.a0 for h in chain),
            max(h.a1 for h in chain),
            min(h.b0 for h in chain),
            max(h.b1 for h in chain),
        )
        if (
            pa.weight(p.a0, p.a1) >= min_words
            and pb.weight(p.b0, p.b1) >= min_words
            and p.similarity >= min_similarity
            and len(p.content_matched) >= _MIN_HIT_CONTENT
            and _is_reuse(pa, pb, p, min_words, rarity)
        ):
            passages.append(p)
    # Each stretch of text keeps its best counterpart: drop passages that mostly overlap,
    # on either side, one that matched more words.
    passages.sort(key=lambda p: (-p.matched, -p.similarity, p.a0, p.b0))
    kept: list[_Passage] = []
    for p in passages:
        clash = False
        for k in kept:
            if _overlap(p.a0, p.a1, k.a0, k.a1) * 2 > p.a1 - p.a0 or (
                _overlap(p.b0, p.b1, k.b0, k.b1) * 2 > p.b1 - p.b0
            ):
                clash = True
                break
        if not clash:
            kept.append(p)
    kept.sort(key=lambda p: (p.a0, p.b0))
    out = []
    for p in kept:
        a_start, a_end = pa.starts[p.a0], pa.ends[p.a1 - 1]
        b_start, b_end = pb.starts[p.b0], pb.ends[p.b1 - 1]
        out.append(
            PassagePair(
                a_start,
                a_end,
                b_start,
                b_end,
                pa.text[a_start:a_end],
                pb.text[b_start:b_end],
                p.similarity,
                p.a_diff,
                p.b_diff,
            )
        )
    return out


def align(
    text_a: str,
    text_b: str,
    min_words: int = DEFAULT_MIN_WORDS,
    min_similarity: float = DEFAULT_MIN_SIMILARITY,
    *,
    rarity: WordRarity | None = None,
    languages: tuple[str | None, str | None] = (None, None),
) -> list[PassagePair]:
    """The passages ``text_a`` and ``text_b`` share, in the order they appear in ``text_a``.

    ``min_words``: the fewest words a passage has on each side; ``min_similarity``: the
    lowest share of matched words (0..1); ``rarity``: how rare a word is in the library
    (:func:`library_rarity`; without it every word counts as common, and only clauses of
    more content words are reported); ``languages``: the texts' languages (ISO 639-1),
    detected when None. See the module docstring for the method.
    """
    if (len(text_a), text_a) > (len(text_b), text_b):
        # Work in one canonical order so that align(a, b) and align(b, a) agree exactly.
        flipped = align(
            text_b,
            text_a,
            min_words,
            min_similarity,
            rarity=rarity,
            languages=(languages[1], languages[0]),
        )
        return sorted((p.swapped() for p in flipped), key=lambda p: (p.a_start, p.b_start))
    pa, pb = prepare(text_a, languages[0]), prepare(text_b, languages[1])
    return _align_prepared(pa, pb, min_words, min_similarity, rarity)
