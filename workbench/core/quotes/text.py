"""The text around a quote: sentences, paragraphs, words, and the names the NER found.

Quote extraction needs no parser: it looks a few words before and after each quotation,
within its sentence. Sentences are found by punctuation (a full stop, question or
exclamation mark followed by a capital, a quotation mark or a digit), not after common
abbreviations (``Mr.``, ``U.S.``, initials). Paragraphs are lines.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

SPEAKER_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
"""NER labels that can name a speaker (a person, an organisation, a country, a people)."""

_BREAK = re.compile(r"[.!?…]+[\"'”’)\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9])")
_ABBREVIATION = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|St|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Capt|Jr|Sr|Inc|Corp|Co|Ltd|"
    r"No|vs|Rev|Mt|Ft|Jan|Feb|Mar|Apr|Aug|Sep|Sept|Oct|Nov|Dec)|\b[A-Z]|(?:\b[^\W\d_]\.)+[^\W\d_])\.$"
)
WORD = re.compile(r"[\w’'-]+")
LOOK_BACK = 600
"""Characters looked back for the start of a sentence (a longer one is cut there)."""


MAX_PARAGRAPH = 20_000
"""A line longer than this counts as several paragraphs (look-ups stay bounded)."""


@functools.lru_cache(maxsize=4)
def lower_case_words(text: str) -> frozenset[str]:
    """The words ``text`` writes in lower case, found once per text: a capitalised word
    among them is an ordinary word at the start of a sentence or in a heading ("New"
    where the text also writes "new"), not a name."""
    return frozenset(_LOWER_WORD.findall(text))


_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z][\w'’-]*")


def words_of(listing: str) -> frozenset[str]:
    """The set of white-space separated words of ``listing`` (for word lists)."""
    return frozenset(listing.split())


TITLES = words_of("Mr Mrs Ms Miss Mx Dr Prof Sir Lord Lady Dame Rev")
"""Titles written before a person's name (``Mr Haji-Ioannou``, ``Lord Walker``)."""

PARTICLES = words_of("de da di du del della van von der den la le bin al el")
"""Lower-case words inside a surname (``Mr de Vabres``, ``Van der Sar``)."""


def lone_name(name: str) -> str | None:
    """The one word a name is once its titles are left off ("Davies" of "Mr Davies"),
    with a particle before it ("De Vido" of "Mr De Vido"), or None when more words are
    left ("Will Davies")."""
    parts = [w for w in name.split() if w.rstrip(".") not in TITLES]
    if len(parts) == 2 and parts[0].lower() in PARTICLES:
        return " ".join(parts)
    return parts[0] if len(parts) == 1 else None


def paragraph_start(text: str, pos: int) -> int:
    """Offset of the first character of the paragraph (line) holding ``pos``."""
    floor = max(0, pos - MAX_PARAGRAPH)
    nl = text.rfind("\n", floor, pos)
    return nl + 1 if nl >= 0 else floor


def previous_paragraph_start(text: str, pos: int) -> int:
    """Offset of the first character of the paragraph before the one holding ``pos``
    (blank lines between them skipped), or 0."""
    j = paragraph_start(text, pos) - 1
    while j > 0 and text[j].isspace():
        j -= 1
    return paragraph_start(text, j) if j > 0 else 0


def paragraph_end(text: str, pos: int) -> int:
    """Offset just past the last character of the paragraph (line) holding ``pos``."""
    ceiling = min(len(text), pos + MAX_PARAGRAPH)
    nl = text.find("\n", pos, ceiling)
    return ceiling if nl < 0 else nl


def _real_break(text: str, m: re.Match[str]) -> bool:
    stop = text.find(".", m.start(), m.end())
    return stop < 0 or not abbreviation_ends(text, stop)


def abbreviation_ends(text: str, dot: int) -> bool:
    """True when the full stop at ``dot`` ends an abbreviation or an initial (``Mr.``,
    ``Sen.``, ``Stuart R. Kaplan``), not a sentence."""
    word = text[max(0, dot - 12) : dot].split()[-1:]
    if word and len(word[0]) > 4 and "." not in word[0]:
        return False  # no abbreviation is that long
    return _ABBREVIATION.search(text, max(0, dot - 12), dot + 1) is not None


@functools.lru_cache(maxsize=4)
def _breaks(text: str) -> tuple[list[int], list[int], list[int]]:
    """Every sentence break of ``text``, found once: where each starts, where its final
    punctuation ends, and where the next sentence starts."""
    starts, stops, nexts = [], [], []
    for m in _BREAK.finditer(text):
        if _real_break(text, m):
            starts.append(m.start())
            stops.append(m.start() + len(m.group().rstrip()))
            nexts.append(m.end())
    return starts, stops, nexts


def sentence_start(text: str, pos: int, floor: int = 0) -> int:
    """Offset where the sentence holding ``pos`` starts (never before ``floor``)."""
    floor = max(floor, paragraph_start(text, pos), pos - LOOK_BACK)
    _, _, nexts = _breaks(text)
    i = bisect.bisect_right(nexts, pos) - 1
    return max(floor, nexts[i]) if i >= 0 else floor


def sentence_end(text: str, pos: int, ceiling: int | None = None) -> int:
    """Offset just past the end of the sentence holding ``pos`` (its final punctuation)."""
    limit = paragraph_end(text, pos) if ceiling is None else min(ceiling, paragraph_end(text, pos))
    starts, stops, _ = _breaks(text)
    i = bisect.bisect_left(starts, pos)
    return stops[i] if i < len(starts) and starts[i] < limit else limit


def words(text: str) -> list[str]:
    """The words of ``text`` (letters, digits, apostrophes and hyphens)."""
    return WORD.findall(text)


@dataclass(frozen=True, order=True)
class Name:
    """A name the NER found: offsets and label (PERSON, ORG, GPE, NORP)."""

    start: int
    end: int
    label: str


class Names:
    """The names of one text, sorted, with look-ups by position."""

    def __init__(self, spans: Iterable[tuple[int, int, str]]) -> None:
        self.items = sorted(Name(s, e, lab) for s, e, lab in spans if lab in SPEAKER_LABELS)
        self.starts = [n.start for n in self.items]

    def within(self, start: int, end: int) -> list[Name]:
        """Names lying wholly inside ``[start, end)``, in order."""
        i = bisect.bisect_left(self.starts, start)
        out = []
        while i < len(self.items) and self.items[i].start < end:
            if self.items[i].end <= end:
                out.append(self.items[i])
            i += 1
        return out

    def before(self, pos: int, floor: int) -> list[Name]:
        """Names ending at or before ``pos`` and starting at or after ``floor``, nearest first."""
        return list(reversed(self.within(floor, pos)))

    def at(self, start: int, end: int) -> Name | None:
        """The name that overlaps ``[start, end)`` most, or None."""
        best, overlap = None, 0
        for n in self.within(max(0, start - 100), end + 100):
            o = min(n.end, end) - max(n.start, start)
            if o > overlap:
                best, overlap = n, o
        return best
