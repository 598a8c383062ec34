"""Quotation marks: which characters open and close a quotation, and pairing them into spans.

Every common style is read: English “…” and "…", ‘…’ and '…' (either as the outer or
the inner quotation), German „…“ and »…«, French «…», and Japanese/Chinese 「…」 and
『…』. Whether a mark opens or closes is decided by what is around it (a mark followed by
a word and preceded by a space opens; one preceded by a word or followed by
punctuation closes) before its shape, because scraped and machine-translated text uses
the wrong shape often (``as dynamics change “, he added``).

An apostrophe is not a quotation mark: between letters (``O’Neill``, ``don't``), before a
decade (``’90s``), in ``rock ’n’ roll`` and in elisions (``’em``); a plural possessive
(``the players’ union``) closes only a single quotation that is open.

:func:`pair_marks` walks the marks once, in order, with a small stack (quotes inside
quotes), and follows the multi-paragraph convention: a quotation that reaches the end of a
paragraph continues when the next paragraph opens with the same kind of mark, and a mark
that opens a new sentence while a quotation is open reopens it (BBC texts that lost their
paragraph breaks read ``… sand. "We have to …``). A quotation never closed ends at its
paragraph's end. The walk is linear in the number of marks, and stops after
:data:`MAX_MARKS`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

DOUBLE, SINGLE, GUILLEMET, CORNER = "double", "single", "guillemet", "corner"

FAMILY = {
    '"': DOUBLE,
    "“": DOUBLE,
    "”": DOUBLE,
    "„": DOUBLE,
    "‟": DOUBLE,
    "'": SINGLE,
    "‘": SINGLE,
    "’": SINGLE,
    "‚": SINGLE,
    "‛": SINGLE,
    "«": GUILLEMET,
    "»": GUILLEMET,
    "‹": GUILLEMET,
    "›": GUILLEMET,
    "「": CORNER,
    "」": CORNER,
    "『": CORNER,
    "』": CORNER,
}
OPENING_SHAPE = frozenset("“„‟‘‚‛「『")
"""Marks whose shape says "open" (used when the context allows either)."""
CLOSING_SHAPE = frozenset("”’」』")
CJK_OPEN, CJK_CLOSE = frozenset("「『"), frozenset("」』")
"""Corner brackets are unambiguous and sit between letters without spaces."""
MARK_CHARS = frozenset(FAMILY)

MARK_RUN = re.compile("[" + re.escape("".join(FAMILY)) + "]+")
NOISE_RUN = 3
"""Marks in a row from which on they are noise (real text nests at most two: ``“‘``)."""
MAX_MARKS = 20_000
"""Marks read per document; a text with more is read up to there (no article has that many)."""
MAX_DEPTH = 3
"""Quotes inside quotes inside quotes; deeper marks are ignored."""

_CLOSING_PUNCT = frozenset(",.;:!?)]}…")
_OPENING_CONTEXT = frozenset("([{–—-/:;\u00a0")
_SENTENCE_END = frozenset(".!?…")
_ELISIONS = re.compile(r"(?:em|tis|til|twas|cause|cos|bout|n)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Mark:
    """One quotation mark: where it is, its family, and what its context allows."""

    pos: int
    char: str
    family: str
    can_open: bool
    can_close: bool


@dataclass
class QuotedSpan:
    """A quotation found by pairing marks: the text between its outer marks.

    ``start``/``end`` are the offsets of the quoted words (marks and surrounding white
    space excluded); ``open_mark`` is the position of the opening mark and ``close_mark``
    that of the closing one, or None when the quotation was never closed (it then ends at
    its paragraph's end, or where another quotation opened mid-sentence).
    """

    start: int
    end: int
    open_mark: int
    close_mark: int | None
    family: str
    reopened: list[int] = field(default_factory=list)


def _is_space(ch: str) -> bool:
    return ch == "" or ch.isspace()


def _is_apostrophe(text: str, i: int) -> bool:
    """True for an apostrophe that only looks like a single quotation mark."""
    prev = text[i - 1] if i > 0 else ""
    nxt = text[i + 1] if i + 1 < len(text) else ""
    if prev.isalnum() and nxt.isalnum():
        return True  # O’Neill, don't, China‘s
    if _is_space(prev) or prev in '("“':
        if nxt.isdigit():
            return True  # ’90s
        m = _ELISIONS.match(text, i + 1)
        if m and (m.end() == len(text) or not text[m.end()].isalnum() or text[m.end()] in "'’"):
            # ’em, ’tis, and the ’n’ of rock ’n’ roll (whose second mark sits between n and
            # a space, so it is caught below)
            return True
    return prev == "n" and i >= 2 and text[i - 2] in "'’‘" and _is_space(nxt)


def classify(text: str, i: int) -> Mark | None:
    """The mark at ``text[i]`` with what it can do there, or None for an apostrophe."""
    ch = text[i]
    family = FAMILY[ch]
    if family == SINGLE and _is_apostrophe(text, i):
        return None
    if ch in CJK_OPEN:
        return Mark(i, ch, family, True, False)
    if ch in CJK_CLOSE:
        return Mark(i, ch, family, False, True)
    prev = text[i - 1] if i > 0 else ""
    nxt = text[i + 1] if i + 1 < len(text) else ""
    prev_open = _is_space(prev) or prev in _OPENING_CONTEXT or prev in MARK_CHARS
    can_open = not _is_space(nxt) and nxt not in _CLOSING_PUNCT and prev_open
    can_close = not _is_space(prev) or nxt in _CLOSING_PUNCT or _is_space(nxt)
    if not can_open and not can_close:
        return None  # a mark alone between spaces opens and closes nothing
    return Mark(i, ch, family, can_open, can_close)


def find_marks(text: str, limit: int = MAX_MARKS) -> list[Mark]:
    """The quotation marks of ``text`` in order (apostrophes left out), at most ``limit``.

    A run of :data:`NOISE_RUN` or more marks with nothing between them (four straight quotes) is
    noise, not quotations: it is skipped whole.
    """
    marks: list[Mark] = []
    for run in MARK_RUN.finditer(text):
        if run.end() - run.start() >= NOISE_RUN:
            continue
        for i in range(run.start(), run.end()):
            mark = classify(text, i)
            if mark is not None:
                marks.append(mark)
        if len(marks) >= limit:
            return marks[:limit]
    return marks


def _opens_sentence(text: str, pos: int, floor: int) -> bool:
    """True when the mark at ``pos`` starts a new sentence or paragraph (a reopening)."""
    j = pos - 1
    while j >= floor and text[j] in " \t\u00a0":
        j -= 1
    if j < floor or text[j] == "\n":
        return True
    return text[j] in _SENTENCE_END or (text[j] in MARK_CHARS and j > 0 and text[j - 1] in ".!?")


_SENTENCE_BREAK = re.compile(r"[.!?…][\"'”’]?\s+(?=[A-Z\"“‘'])")


def _last_sentence_end(text: str, floor: int, pos: int) -> int:
    """The end of the last sentence that ends between ``floor`` and ``pos`` (else ``pos``)."""
    last = None
    for m in _SENTENCE_BREAK.finditer(text, floor, pos):
        last = m.start() + 1
    return pos if last is None else last


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _paragraph_end(text: str, pos: int) -> int:
    nl = text.find("\n", pos)
    return len(text) if nl < 0 else nl


def _next_paragraph_reopens(text: str, nl: int, family: str) -> bool:
    """True when the paragraph after the break at ``nl`` starts with an opening mark of ``family``."""
    j = nl
    while j < len(text) and text[j].isspace():
        j += 1
    if j >= len(text) or FAMILY.get(text[j]) != family:
        return False
    mark = classify(text, j)
    return mark is not None and mark.can_open


class _Pairing:
    """The state of one walk over the marks of a text (see :func:`pair_marks`)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.stack: list[Mark] = []
        self.reopened: list[int] = []
        self.found: list[QuotedSpan] = []
        self.checked = 0

    def emit(self, end: int, close_mark: int | None) -> None:
        outer = self.stack[0]
        start, stop = _trimmed(self.text, outer.pos + 1, end)
        if any(ch.isalnum() for ch in self.text[start:stop]):
            self.found.append(
                QuotedSpan(start, stop, outer.pos, close_mark, outer.family, list(self.reopened))
            )
        self.stack.clear()
        self.reopened = []

    def end_at_paragraph(self, upto: int) -> None:
        """Close what is open at the paragraph breaks before ``upto`` unless the next reopens.

        Each stretch of text is searched for breaks once (``checked``), so a quotation
        left open over a long text costs no more than reading it.
        """
        while self.stack:
            last = self.reopened[-1] if self.reopened else self.stack[0].pos
            nl = self.text.find("\n", max(last, self.checked), upto)
            if nl < 0:
                self.checked = max(self.checked, upto)
                return
            if _next_paragraph_reopens(self.text, nl, self.stack[0].family):
                self.reopened.append(nl)  # carried over; the mark itself is seen next
                self.checked = nl + 1
                return
            self.emit(nl, None)

    def feed(self, mark: Mark) -> None:
        self.end_at_paragraph(mark.pos)
        if not self.stack:
            if mark.can_open:
                self.stack.append(mark)
            return  # a closing mark with nothing open: unbalanced, ignored
        top = self.stack[-1]
        families = [m.family for m in self.stack]
        if mark.family == top.family:
            self._same_family(mark)
        elif mark.family in families and mark.can_close:
            # closes an outer quotation whose inner one was never closed
            del self.stack[families.index(mark.family) + 1 :]
            self._same_family(mark)
        elif mark.can_open and len(self.stack) < MAX_DEPTH:
            self.stack.append(mark)

    def _prefers_close(self, mark: Mark) -> bool:
        if mark.can_close and not mark.can_open:
            return True
        if mark.can_open and not mark.can_close:
            return False
        return mark.char not in OPENING_SHAPE or mark.char in CLOSING_SHAPE

    def _same_family(self, mark: Mark) -> None:
        if self._prefers_close(mark):
            if len(self.stack) == 1:
                self.emit(mark.pos, mark.pos)
            else:
                self.stack.pop()
            return
        if len(self.stack) > 1:
            self.stack[-1] = mark  # an inner quotation never closed; this one replaces it
            return
        floor = self.reopened[-1] if self.reopened else self.stack[0].pos + 1
        if _opens_sentence(self.text, mark.pos, floor):
            self.reopened.append(mark.pos)  # the multi-paragraph convention
            return
        if mark.char in OPENING_SHAPE and len(self.stack) < MAX_DEPTH:
            self.stack.append(mark)  # a quote inside a quote in the same style (“… “x” …”)
            return
        # A new quotation opens mid-sentence: the open one lost its closing mark. It ends
        # with the last sentence before this one (the words after it are narration).
        self.emit(_last_sentence_end(self.text, floor, mark.pos), None)
        self.stack.append(mark)

    def finish(self) -> list[QuotedSpan]:
        self.end_at_paragraph(len(self.text))
        if self.stack:
            self.emit(_paragraph_end(self.text, self.stack[0].pos), None)
        return self.found


def pair_marks(text: str, marks: list[Mark] | None = None) -> list[QuotedSpan]:
    """The outermost quotations of ``text``, in order, each with its inner quotations inside."""
    pairing = _Pairing(text)
    for mark in find_marks(text) if marks is None else marks:
        pairing.feed(mark)
    return pairing.finish()
