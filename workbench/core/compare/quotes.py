"""Quotes across articles: the same words of the same speaker, and how each outlet worded them.

:func:`compare_quotes` pairs the quotes of two documents: two quotes pair when their
speaker is the same library entity (or the same name, where the model made no entity of
it) and their words overlap enough, in any order of the articles. A quote whose speaker
one article does not name pairs only when the words are nearly the same. Each pair
carries a word diff and what each wording has that the other lacks; unpaired quotes are
listed per article, and so are speakers quoted by one article only ("B quotes Hal
Brands; A does not").

:func:`same_statements` groups one speaker's quotes across the library into "the same
statement" clusters (single link over the same overlap test), each quote with its
document's date and outlet where the document has them.

Overlap is measured on content words (stop words left out), as the share of the shorter
quote's words found in the other: one outlet trimming a quote still pairs it.

Cost: :func:`compare_quotes` measures only pairs an index by content word proposes (a
quote is looked up by its rarest words, as many as a pair must share at least one of),
so two book-length documents with thousands of quotes each compare in well under a
second. A comparison measures at most :data:`MAX_PAIR_CHECKS` candidate pairs (a
million; thousands of quotes on one speaker in the same words each could exceed it):
quotes are taken in turn from the start of both documents, and past the cap the rest
are not paired, listed as one-sided, and the summary says the comparison is partial.
"""

from __future__ import annotations

import difflib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..quotes.resolve import AttributedQuote
from .align import STOP_WORDS

MIN_OVERLAP = 0.5
"""Share of the shorter quote's content words found in the other, for the same speaker."""
MIN_OVERLAP_UNNAMED = 0.7
"""The same, when one of the two quotes has no named speaker."""
MIN_SHARED_WORDS = 4
"""Content words two quotes must share at least, whatever the share."""

_WORD = re.compile(r"[\w’'-]+")


def _norm(word: str) -> str:
    return word.lower().replace("’", "'").strip("'-")


def content_words(text: str) -> Counter[str]:
    """The content words of a quote, counted (stop words and one-letter words left out)."""
    return Counter(w for w in map(_norm, _WORD.findall(text)) if len(w) > 1 and w not in STOP_WORDS)


def overlap(a: Counter[str], b: Counter[str]) -> tuple[float, int]:
    """(share of the shorter side's content words found in the other, words shared)."""
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    shared = sum(min(n, large[w]) for w, n in small.items() if w in large)
    shorter = min(sum(a.values()), sum(b.values()))
    return (shared / shorter if shorter else 0.0), shared


@dataclass(frozen=True)
class DiffPart:
    """One stretch of a word diff: ``equal``, ``replace``, ``delete`` (only in A) or
    ``insert`` (only in B), with the words of each side."""

    op: str
    a: str
    b: str

    def to_json(self) -> dict[str, str]:
        return {"op": self.op, "a": self.a, "b": self.b}


def word_diff(a_text: str, b_text: str) -> list[DiffPart]:
    """The word-by-word difference between two wordings (case and punctuation ignored)."""
    a_words, b_words = a_text.split(), b_text.split()
    key_a = [_norm(re.sub(r"[^\w’'-]", "", w)) for w in a_words]
    key_b = [_norm(re.sub(r"[^\w’'-]", "", w)) for w in b_words]
    matcher = difflib.SequenceMatcher(a=key_a, b=key_b, autojunk=False)
    parts = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        parts.append(DiffPart(op, " ".join(a_words[i1:i2]), " ".join(b_words[j1:j2])))
    return parts


@dataclass
class QuotePair:
    """A quote of A and a quote of B that are the same words of the same speaker."""

    a: AttributedQuote
    b: AttributedQuote
    similarity: float
    diff: list[DiffPart] = field(default_factory=list)

    @property
    def speaker(self) -> str:
        return self.a.speaker_name or self.b.speaker_name or "unattributed"

    @property
    def speaker_key(self) -> str | None:
        return self.a.key or self.b.key

    @property
    def only_a(self) -> list[str]:
        """What A's wording has that B's lacks."""
        return [p.a for p in self.diff if p.op in ("replace", "delete") and p.a]

    @property
    def only_b(self) -> list[str]:
        """What B's wording has that A's lacks."""
        return [p.b for p in self.diff if p.op in ("replace", "insert") and p.b]

    @property
    def identical(self) -> bool:
        return all(p.op == "equal" for p in self.diff)

    def to_json(self) -> dict[str, Any]:
        return {
            "speaker": self.speaker,
            "speaker_key": self.speaker_key,
            "similarity": round(self.similarity, 3),
            "a": self.a.to_json(),
            "b": self.b.to_json(),
            "identical": self.identical,
            "only_a": self.only_a,
            "only_b": self.only_b,
            "diff": [p.to_json() for p in self.diff],
        }


@dataclass
class QuoteComparison:
    """The quotes two documents share (paired) and those only one of them has."""

    paired: list[QuotePair]
    only_a: list[AttributedQuote]
    only_b: list[AttributedQuote]
    complete: bool = True
    """False when the comparison stopped at :data:`MAX_PAIR_CHECKS`: quotes it had not
    reached are listed as one-sided though they may have a pair."""

    def speakers_only(self, side: str) -> list[str]:
        """Speakers quoted by one side (``"a"`` or ``"b"``) and not at all by the other."""
        mine = self.only_a if side == "a" else self.only_b
        theirs = [*(p.b if side == "a" else p.a for p in self.paired)]
        theirs += self.only_b if side == "a" else self.only_a
        taken = {_speaker_id(q) for q in theirs}
        out: list[str] = []
        for q in mine:
            if q.speaker_name and _speaker_id(q) not in taken and q.speaker_name not in out:
                out.append(q.speaker_name)
        return out

    def summary(self) -> list[str]:
        """One line per speaker quoted by one article only: "B quotes Hal Brands; A does not"."""
        lines = [f"A quotes {name}; B does not" for name in self.speakers_only("a")]
        lines += [f"B quotes {name}; A does not" for name in self.speakers_only("b")]
        if not self.complete:
            lines.append(
                f"Quotes compared in part: over {MAX_PAIR_CHECKS:,} candidate pairs; "
                "later quotes were not paired"
            )
        return lines

    def to_json(self) -> dict[str, Any]:
        return {
            "paired": [p.to_json() for p in self.paired],
            "only_a": [q.to_json() for q in self.only_a],
            "only_b": [q.to_json() for q in self.only_b],
            "summary": self.summary(),
        }


def _speaker_id(q: AttributedQuote) -> str:
    return q.key or (q.speaker_name.casefold() if q.speaker_name else "")


def _may_pair(a: AttributedQuote, b: AttributedQuote, share: float, shared: int) -> bool:
    if shared < MIN_SHARED_WORDS:
        return False
    sa, sb = _speaker_id(a), _speaker_id(b)
    if sa and sb:
        return sa == sb and share >= MIN_OVERLAP
    return share >= MIN_OVERLAP_UNNAMED


MAX_PAIR_CHECKS = 1_000_000
"""Candidate pairs whose overlap one comparison measures at most (see :func:`compare_quotes`)."""


@dataclass
class _Side:
    """One document's quotes, their content words, and an index of them by word."""

    quotes: Sequence[AttributedQuote]
    words: list[Counter[str]]
    sizes: list[int]
    speakers: list[str]
    by_word: dict[str, list[int]]
    by_speaker_word: dict[tuple[str, str], list[int]]

    @classmethod
    def of(cls, quotes: Sequence[AttributedQuote]) -> _Side:
        words = [content_words(q.text) for q in quotes]
        speakers = [_speaker_id(q) for q in quotes]
        by_word: dict[str, list[int]] = defaultdict(list)
        by_speaker_word: dict[tuple[str, str], list[int]] = defaultdict(list)
        for i, w in enumerate(words):
            for token in w:
                by_word[token].append(i)
                by_speaker_word[speakers[i], token].append(i)
        sizes = [sum(w.values()) for w in words]
        return cls(quotes, words, sizes, speakers, by_word, by_speaker_word)

    def may_share(self, words: Counter[str], speaker: str) -> Iterable[list[int]]:
        """The posting lists, one per word, of this side's quotes that a quote with
        ``words`` by ``speaker`` may pair with, probed in the order given."""
        for token in words:
            if not speaker:
                yield self.by_word.get(token, [])
            else:
                yield self.by_speaker_word.get((speaker, token), [])
                yield self.by_speaker_word.get(("", token), [])


def _probe_words(words: Counter[str], size: int, other: _Side) -> Counter[str]:
    """The words of a quote of ``size`` content words through which it must meet any
    quote of ``other`` at least as long that it can pair with: its rarest words (rarest in
    ``other``) up to ``size - need + 1`` occurrences, ``need`` being the fewest shared
    words a pair needs. A pair shares at least ``need`` word occurrences, and all but
    ``need - 1`` of them lie in that prefix, so one shared word is among them."""
    share = min(MIN_OVERLAP, MIN_OVERLAP_UNNAMED)
    need = max(MIN_SHARED_WORDS, math.floor(share * size))
    room = size - need + 1
    probe: Counter[str] = Counter()
    order = sorted(words, key=lambda t: (len(other.by_word.get(t, ())), t))
    for token in order:
        if room <= 0:
            break
        probe[token] = words[token]
        room -= words[token]
    return probe


def _candidates(i: int, mine: _Side, other: _Side, longer: Callable[[int, int], bool]) -> set[int]:
    """Quotes of ``other`` that share a probe word with quote ``i`` of ``mine`` and whose
    length passes ``longer(mine's size, theirs)``."""
    size = mine.sizes[i]
    found: set[int] = set()
    if size < MIN_SHARED_WORDS:
        return found
    probe = _probe_words(mine.words[i], size, other)
    for posting in other.may_share(probe, mine.speakers[i]):
        found.update(j for j in posting if longer(size, other.sizes[j]))
    return found


def compare_quotes(
    a_quotes: Sequence[AttributedQuote], b_quotes: Sequence[AttributedQuote]
) -> QuoteComparison:
    """Pair the quotes of two documents (best overlap first, each quote at most once).

    Only quotes that share a content word are measured (an index by word proposes them),
    at most :data:`MAX_PAIR_CHECKS` pairs; past that the comparison is partial (see
    :class:`QuoteComparison`)."""
    a, b = _Side.of(a_quotes), _Side.of(b_quotes)
    candidates, complete = _scored_pairs(a, b)
    candidates.sort(key=lambda c: (-c[0], -c[1], c[2], c[3]))
    used_a: set[int] = set()
    used_b: set[int] = set()
    paired = []
    for share, _, i, j in candidates:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        qa, qb = a_quotes[i], b_quotes[j]
        paired.append(QuotePair(qa, qb, share, word_diff(qa.text, qb.text)))
    paired.sort(key=lambda p: (p.a.start, p.b.start))
    only_a = [q for i, q in enumerate(a_quotes) if i not in used_a]
    only_b = [q for j, q in enumerate(b_quotes) if j not in used_b]
    return QuoteComparison(paired, only_a, only_b, complete)


def _scored_pairs(a: _Side, b: _Side) -> tuple[list[tuple[float, int, int, int]], bool]:
    """The pairs that may pair, as ``(share, shared, i, j)``, and whether every candidate
    was measured. Quotes are taken in turn from the start of both documents, the k-th of
    A with the quotes of B at least as long, the k-th of B with the quotes of A longer
    than it, so each candidate pair is met once."""
    scored: list[tuple[float, int, int, int]] = []
    checks = 0
    for k in range(max(len(a.quotes), len(b.quotes))):
        found: list[tuple[int, int]] = []
        if k < len(a.quotes):
            found += [(k, j) for j in _candidates(k, a, b, lambda n, m: m >= n)]
        if k < len(b.quotes):
            found += [(i, k) for i in _candidates(k, b, a, lambda n, m: m > n)]
        checks += len(found)
        if checks > MAX_PAIR_CHECKS:
            return scored, False
        for i, j in found:
            share, shared = overlap(a.words[i], b.words[j])
            if _may_pair(a.quotes[i], b.quotes[j], share, shared):
                scored.append((share, shared, i, j))
    return scored, True


# --------------------------------------------------------------------------- library-wide


@dataclass
class StatementQuote:
    """One wording of a statement: the quote, and its document's date and outlet."""

    quote: AttributedQuote
    title: str = ""
    date: str | None = None
    outlet: str | None = None

    def to_json(self) -> dict[str, Any]:
        data = self.quote.to_json()
        data.update({"title": self.title, "date": self.date, "outlet": self.outlet})
        return data


@dataclass
class Statement:
    """Quotes of one speaker across the library that are the same statement, oldest first."""

    speaker: str
    quotes: list[StatementQuote]

    @property
    def documents(self) -> list[str]:
        return list(dict.fromkeys(q.quote.doc_id for q in self.quotes))

    @property
    def varies(self) -> bool:
        """True when the wordings differ (beyond case and punctuation)."""
        first = self.quotes[0].quote.text
        return any(
            not all(p.op == "equal" for p in word_diff(first, q.quote.text))
            for q in self.quotes[1:]
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "speaker": self.speaker,
            "documents": self.documents,
            "varies": self.varies,
            "quotes": [q.to_json() for q in self.quotes],
        }


DocumentInfo = Callable[[str], tuple[str, str | None, str | None]]
"""A document id -> (title, date, outlet) look-up."""


def same_statements(quotes: Iterable[AttributedQuote], info: DocumentInfo) -> list[Statement]:
    """Group one speaker's quotes into statements: quotes pair (single link) when their
    words overlap as in :func:`compare_quotes`. Largest statements first; quotes of one
    statement oldest first (undated last)."""
    items = list(quotes)
    words = [content_words(q.text) for q in items]
    by_word: dict[str, list[int]] = defaultdict(list)
    for i, w in enumerate(words):
        for token in w:
            by_word[token].append(i)
    parent = list(range(len(items)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, w in enumerate(words):
        seen: Counter[int] = Counter()
        for token in w:
            seen.update(j for j in by_word[token] if j > i)
        for j, common in seen.items():
            if common < MIN_SHARED_WORDS // 2:
                continue
            share, shared = overlap(w, words[j])
            if _may_pair(items[i], items[j], share, shared):
                parent[root(i)] = root(j)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(items)):
        groups[root(i)].append(i)
    statements = []
    for members in groups.values():
        wordings = []
        for i in members:
            title, date, outlet = info(items[i].doc_id)
            wordings.append(StatementQuote(items[i], title, date, outlet))
        wordings.sort(key=lambda s: (s.date is None, s.date or "", s.quote.doc_id, s.quote.start))
        speaker = next((s.quote.speaker_name for s in wordings if s.quote.speaker_name), "")
        statements.append(Statement(speaker, wordings))
    statements.sort(key=lambda s: (-len(s.documents), -len(s.quotes), s.quotes[0].quote.doc_id))
    return statements
