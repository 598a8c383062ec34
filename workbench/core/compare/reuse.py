"""How much of one text another reuses: shares of words in shared passages, and a level.

For two texts and the passages they share (:func:`~workbench.core.compare.align.align`):

- ``a_in_b``: the share of A's words that lie in passages shared with B ("B reuses 62%
  of A"), and ``b_in_a`` the other way round. Words are the aligner's (characters of
  scripts without spaces count half a word).
- ``level``, in the terms of journalism's text-reuse studies (the METER corpus'
  wholly / partially / non-derived): the share of the derived text that comes from
  the other. The derived text is the later one where both dates are known, else the
  one with the larger share (a condensed rewrite is mostly made of its source).
  ``wholly derived`` from :data:`WHOLLY_DERIVED` of its words (most of it comes from
  the other), ``partially derived`` from :data:`PARTIALLY_DERIVED`, else ``not derived``.
  The thresholds were chosen on the tuning half of the labelled set in
  ``bench/bench_compare.py`` (never on the half it reports): the partial one is the
  F1-best threshold there; the wholly one lies in the gap between the partially derived
  shares (up to 0.20) and the wholly derived ones (from 0.53).
- ``earlier``: ``"a"`` or ``"b"``, the text with the earlier date, when both are dated
  and the dates differ.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .. import analysis
from .align import PassagePair
from .rarity import WordRarity, library_rarity
from .words import PreparedText

WHOLLY = "wholly derived"
PARTIALLY = "partially derived"
NOT_DERIVED = "not derived"
WHOLLY_DERIVED = 0.5
PARTIALLY_DERIVED = 0.005


@dataclass(frozen=True)
class Reuse:
    """How much each of two texts takes from the other (see the module docstring)."""

    a_in_b: float
    b_in_a: float
    level: str
    earlier: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "a_in_b": round(self.a_in_b, 3),
            "b_in_a": round(self.b_in_a, 3),
            "level": self.level,
        }
        if self.earlier is not None:
            out["earlier"] = self.earlier
        return out

    def swapped(self) -> Reuse:
        """The same reuse seen from the other text (A and B exchanged)."""
        earlier = {"a": "b", "b": "a"}.get(self.earlier or "")
        return Reuse(self.b_in_a, self.a_in_b, self.level, earlier)

    @property
    def derived_share(self) -> float:
        """The share of the derived text (the later, else the more covered) that is reused."""
        if self.earlier == "a":
            return self.b_in_a
        if self.earlier == "b":
            return self.a_in_b
        return max(self.a_in_b, self.b_in_a)

    def headline(self, a: str = "A", b: str = "B") -> str:
        """One line for a header, e.g. "B reuses 62% of A; A reuses 20% of B; partially derived".

        Where one text is known to be the earlier, the later one is said to reuse it:
        "B reuses 62% of A; 85% of B comes from A; partially derived; A is earlier".
        """
        if not self.a_in_b and not self.b_in_a:
            return f"{a} and {b} share no passage; {self.level}"
        if self.earlier is None:
            main = f"{b} reuses {_pct(self.a_in_b)} of {a}; {a} reuses {_pct(self.b_in_a)} of {b}"
        elif self.earlier == "a":
            main = (
                f"{b} reuses {_pct(self.a_in_b)} of {a}; {_pct(self.b_in_a)} of {b} comes from {a}"
            )
        else:
            main = (
                f"{a} reuses {_pct(self.b_in_a)} of {b}; {_pct(self.a_in_b)} of {a} comes from {b}"
            )
        parts = [main, self.level]
        if self.earlier is not None:
            parts.append(f"{a if self.earlier == 'a' else b} is earlier")
        return "; ".join(parts)


def _pct(share: float) -> str:
    pct = 100 * share
    return f"{pct:.0f}%" if pct >= 1 or pct == 0 else "<1%"


def covered_share(p: PreparedText, spans: Sequence[tuple[int, int]]) -> float:
    """The share of the words of ``p`` inside the character ``spans`` (which may overlap)."""
    total = p.weight(0, len(p.stems))
    if not total:
        return 0.0
    covered: set[int] = set()
    for start, end in spans:
        lo = bisect_left(p.starts, start)
        hi = bisect_left(p.starts, end)
        covered.update(range(lo, hi))
    return sum(p.weight(i, i + 1) for i in covered) / total


def level_of(share: float) -> str:
    """The journalistic level of a derived text with ``share`` of its words reused."""
    if share >= WHOLLY_DERIVED:
        return WHOLLY
    if share >= PARTIALLY_DERIVED:
        return PARTIALLY
    return NOT_DERIVED


def earlier_of(date_a: str | None, date_b: str | None) -> str | None:
    """``"a"``/``"b"`` for the earlier of two ISO dates, None if either is unknown or they
    may be the same day (equal, or one a year or month the other falls in)."""
    if not date_a or not date_b or date_a.startswith(date_b) or date_b.startswith(date_a):
        return None
    return "a" if date_a < date_b else "b"


def measure_reuse(
    pa: PreparedText,
    pb: PreparedText,
    passages: Sequence[PassagePair],
    date_a: str | None = None,
    date_b: str | None = None,
) -> Reuse:
    """The reuse between two prepared texts, given the passages they share."""
    a_in_b = covered_share(pa, [(x.a_start, x.a_end) for x in passages])
    b_in_a = covered_share(pb, [(x.b_start, x.b_end) for x in passages])
    earlier = earlier_of(date_a, date_b)
    share = Reuse(a_in_b, b_in_a, NOT_DERIVED, earlier).derived_share
    return Reuse(a_in_b, b_in_a, level_of(share), earlier)


def index_rarity(reader: Any, language: str | None) -> WordRarity:
    """How rare words are in the library, from an open index ``reader``'s document
    frequencies in ``language``'s body field (one look-up per word asked)."""
    return library_rarity(reader.doc_count(), analysis.document_frequency(reader, language))
