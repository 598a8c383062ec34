"""What every reader returns, the limits every reader keeps, and the skip exception.

A reader turns one file's bytes into a :class:`ParsedFile`: the reader text (paragraphs
separated by blank lines, list items as ``- `` lines, table rows as lines, headings as
their own paragraphs), a title, the metadata the file itself gives, and its sections
(pages of a PDF, chapters of an EPUB) as ``(offset, label)`` pairs into the text.

Nothing here touches the network, and no reader runs a script.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..corpus import Document

MAX_FILE_BYTES = 20 * 1024 * 1024
"""Text, Markdown and HTML files larger than this are skipped: no article is 20 MB."""
MAX_CONTAINER_BYTES = 100 * 1024 * 1024
"""PDF, Word, OpenDocument, EPUB and MHTML files may be this large (they carry images)."""
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
"""A zip container (DOCX, ODT, EPUB) whose parts unpack to more than this is refused."""
MAX_RATIO = 200
"""A zip part that unpacks to more than this many times its packed size is a zip bomb."""
MAX_PAGES = 1000
"""PDFs with more pages than this are skipped (a book scan or a print dump, not an article)."""
MAX_TEXT_CHARS = 10_000_000
"""Reader text beyond this many characters is not kept (the file is skipped, not cut)."""

Section = tuple[int, str]


class SkippedFile(Exception):
    """A file that cannot become a Document; ``str(exc)`` is the reason shown to the user."""


@dataclass
class ParsedFile:
    """A file read and cleaned, before it is given an id.

    ``sections`` are ``(offset, label)`` pairs in text order: where each page ("p. 4") or
    chapter ("Chapter 2") starts in ``text``. ``date`` is ISO (``YYYY-MM-DD``, or shorter
    where only the year or month is known); ``authors`` are names in the source's order.
    """

    path: str
    sha: str
    title: str
    text: str
    date: str | None = None
    authors: tuple[str, ...] = ()
    site: str = ""
    url: str = ""
    language: str = ""
    format: str = ""
    pages: int = 0
    sections: tuple[Section, ...] = ()
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def author(self) -> str:
        """The authors as one line ("A; B")."""
        return "; ".join(self.authors)

    def to_document(self, doc_id: str) -> Document:
        """This file as the Document with id ``doc_id``."""
        from ..corpus import document_of

        return document_of(self, doc_id)


@dataclass
class Extracted:
    """What a format reader found, before the common checks and the file's identity."""

    text: str
    title: str = ""
    date: str | None = None
    authors: tuple[str, ...] = ()
    site: str = ""
    url: str = ""
    language: str = ""
    pages: int = 0
    sections: tuple[Section, ...] = ()


class TextBuilder:
    """Builds reader text block by block, recording where sections start.

    Blocks are joined by a blank line; a list item or table row that follows another
    of its kind is joined by a single line break, so a list reads as one block.
    """

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0
        self._last_kind = ""
        self.sections: list[Section] = []
        self._pending_label: str | None = None

    @property
    def length(self) -> int:
        return self._length

    def section(self, label: str) -> None:
        """Start a section (a page, a chapter) at the next block."""
        self._pending_label = label

    def add(self, block: str, kind: str = "p") -> None:
        """Add one block: ``kind`` "p" (paragraph or heading), "li" or "tr"."""
        block = block.strip()
        if not block:
            return
        if self._parts:
            sep = "\n" if kind in ("li", "tr") and kind == self._last_kind else "\n\n"
            self._parts.append(sep)
            self._length += len(sep)
        if self._pending_label is not None:
            if self.sections and self.sections[-1][0] == self._length:
                self.sections.pop()  # an empty section before this one
            self.sections.append((self._length, self._pending_label))
            self._pending_label = None
        self._parts.append(block)
        self._length += len(block)
        self._last_kind = kind

    def text(self) -> str:
        return "".join(self._parts)


_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def tidy(text: str) -> str:
    """One line of text with runs of white space made one space and invisible marks removed."""
    return _SPACES.sub(" ", _ZERO_WIDTH.sub("", text.replace("\n", " ").replace("\r", " "))).strip()


def label_of(offset: int, sections: Sequence[Section]) -> str | None:
    """The label of the section that holds ``offset`` (None before the first section)."""
    found = None
    for start, label in sections:
        if start > offset:
            break
        found = label
    return found


def first_line(blocks: Iterable[str], limit: int = 200) -> str:
    """The first non-empty block, as one line of at most ``limit`` characters."""
    for block in blocks:
        line = tidy(block)
        if line:
            return line[:limit]
    return ""


def _key(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().casefold()


def drop_front_matter(found: Extracted, limit: int = 6) -> Extracted:
    """``found`` without the leading blocks that repeat its title, authors, site or date
    (a title page, or the title, byline and date a converter puts above the text): the
    reader shows those in its header. A date standing alone there is the document's
    date (rather than its file's creation). Section offsets move with the text.
    """
    from .plain import find_date

    known = {_key(v) for v in (found.title, found.site, found.date or "", *found.authors)}
    known.discard("")
    text = found.text
    cut = 0
    for _ in range(limit):
        end = text.find("\n\n", cut)
        block = text[cut:] if end == -1 else text[cut:end]
        stated = find_date(block) if len(block) <= 40 else None
        if stated:
            found.date = stated
        elif _key(block) not in known:
            break
        cut = len(text) if end == -1 else end + 2
    if not cut or cut >= len(text):
        return found
    sections: list[Section] = []
    for offset, label in found.sections:
        moved = max(0, offset - cut)
        if sections and sections[-1][0] == moved:
            sections[-1] = (moved, label)  # a section left empty gives way to the next
        else:
            sections.append((moved, label))
    found.text = text[cut:]
    found.sections = tuple(sections)
    return found
