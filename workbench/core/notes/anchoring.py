"""Anchors: finding a quoted passage again when its document changes.

An anchor is what the W3C Web Annotation model calls a TextPositionSelector (``start``/
``end``: offsets into ``Document.text``) together with a TextQuoteSelector (``quote``
with a little ``prefix`` and ``suffix`` context). The offsets are fast; the quote makes
the anchor robust: :func:`relocate` finds the passage again, exactly first and then
fuzzily, and an anchor whose quote is gone is kept and flagged ``orphaned``, never
deleted.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from .. import text as textlib
from ..errors import UserError
from .model import CONTEXT_CHARS, FUZZY_MIN_CHARS, FUZZY_MIN_SCORE, Anchor


def anchor_at(doc_id: str, text: str, start: int, end: int, context: int = CONTEXT_CHARS) -> Anchor:
    """The anchor for ``text[start:end]``; ``start == end`` makes a whole-document anchor."""
    if not (0 <= start <= end <= len(text)):
        raise UserError(f"the passage {start}-{end} is outside the document (0-{len(text)})")
    if start == end:
        return Anchor(doc_id)
    return Anchor(
        doc_id,
        start,
        end,
        text[start:end],
        text[max(0, start - context) : start],
        text[end : end + context],
    )


def _loose_pattern(quote: str) -> re.Pattern[str] | None:
    words = quote.split()
    if not words:
        return None
    return re.compile(r"\s+".join(re.escape(w) for w in words), re.IGNORECASE)


def find_quote(text: str, quote: str) -> tuple[int, int] | None:
    """Where ``quote`` first occurs in ``text``: exactly, else ignoring case and spacing."""
    if not quote.strip():
        return None
    at = text.find(quote)
    if at >= 0:
        return at, at + len(quote)
    pattern = _loose_pattern(quote)
    m = pattern.search(text) if pattern else None
    return (m.start(), m.end()) if m else None


def _context_score(anchor: Anchor, text: str, start: int, end: int) -> float:
    from rapidfuzz import fuzz

    score = 0.0
    if anchor.prefix:
        score += fuzz.ratio(anchor.prefix, text[max(0, start - len(anchor.prefix)) : start])
    if anchor.suffix:
        score += fuzz.ratio(anchor.suffix, text[end : end + len(anchor.suffix)])
    return score


def _best(anchor: Anchor, text: str, spans: Sequence[tuple[int, int]]) -> tuple[int, int]:
    # The occurrence whose surroundings look most like the old ones; then the nearest.
    return max(spans, key=lambda s: (_context_score(anchor, text, *s), -abs(s[0] - anchor.start)))


def _fuzzy_find(text: str, quote: str) -> tuple[int, int] | None:
    """The passage of ``text`` most like ``quote``, if it scores :data:`FUZZY_MIN_SCORE`.

    rapidfuzz's partial ratio finds the region (a window as long as the quote); the
    passage's ends are then chosen among nearby word boundaries, so an edited passage
    that grew or shrank by a few words is matched whole.
    """
    from rapidfuzz import fuzz

    rough = fuzz.partial_ratio_alignment(quote, text, score_cutoff=FUZZY_MIN_SCORE - 15)
    if rough is None:
        return None
    slack = max(8, len(quote) // 3)
    lo, hi = max(0, rough.dest_start - slack), min(len(text), rough.dest_end + slack)
    window = text[lo:hi]
    if textlib.needs_unicode_words(window):
        # Vowel signs, joiners, scripts without spaces: each unit of text (a word, or a
        # character of Chinese or Japanese) is a possible start and end.
        units = textlib.word_list(window)
        starts, ends = [s for s, _, _ in units], [e for _, e, _ in units]
    else:
        starts = [m.start() for m in re.finditer(r"\b\w", window)]
        ends = [m.end() for m in re.finditer(r"\w\b[^\w\s]?", window)]
    best: tuple[float, int, int] | None = None
    for s in starts:
        for e in ends:
            if e <= s or not (0.5 * len(quote) <= e - s <= 1.5 * len(quote)):
                continue
            score = fuzz.ratio(quote, text[lo + s : lo + e])
            if best is None or score > best[0]:
                best = (score, lo + s, lo + e)
    if best is None or best[0] < FUZZY_MIN_SCORE:
        return None
    return best[1], best[2]


def relocate(anchor: Anchor, text: str | None, context: int = CONTEXT_CHARS) -> Anchor:
    """Find ``anchor`` again in a document's new ``text`` (``None``: the document is gone).

    In order: the same offsets still hold the quote; the quote occurs exactly (the
    occurrence with the most similar context wins); it occurs with different case or
    spacing; a fuzzy match (rapidfuzz) scores at least :data:`FUZZY_MIN_SCORE`. If none
    holds, the anchor comes back unchanged but ``orphaned`` - never dropped.
    """
    if text is None:
        return replace(anchor, orphaned=True)
    if anchor.whole_document:
        return replace(anchor, orphaned=False)

    def at(span: tuple[int, int]) -> Anchor:
        return anchor_at(anchor.doc_id, text, span[0], span[1], context)

    q = anchor.quote
    if text[anchor.start : anchor.end] == q:
        candidates = [(anchor.start, anchor.end)]
        # Same text at the same place; still prefer an occurrence with the old context
        # if the text around it changed (the passage may have moved onto a repeat).
        if _context_score(anchor, text, anchor.start, anchor.end) < 150:
            candidates += [(m.start(), m.start() + len(q)) for m in re.finditer(re.escape(q), text)]
        return at(_best(anchor, text, candidates))
    exact = [(m.start(), m.start() + len(q)) for m in re.finditer(re.escape(q), text)]
    if exact:
        return at(_best(anchor, text, exact))
    pattern = _loose_pattern(q)
    loose = [(m.start(), m.end()) for m in pattern.finditer(text)] if pattern else []
    if loose:
        return at(_best(anchor, text, loose))
    if len(q.strip()) >= FUZZY_MIN_CHARS:
        found = _fuzzy_find(text, q)
        if found is not None:
            return at(found)
    return replace(anchor, orphaned=True)
