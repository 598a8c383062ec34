"""The notes' data: :class:`Note`, :class:`Anchor`, reports and the errors a user sees."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ..changes import Changes
from ..errors import UserError
from ..serialise import JsonMixin

CONTEXT_CHARS = 32
"""Characters of context kept before and after a quote."""
FUZZY_MIN_SCORE = 85.0
"""rapidfuzz partial-ratio score (0-100) a changed passage needs to count as the quote."""
FUZZY_MIN_CHARS = 12
"""Shorter quotes are only found exactly: a fuzzy match of a few letters means nothing."""
PURGE_AFTER_DAYS = 30
EXPORT_FORMAT = "workbench-notes"
EXPORT_VERSION = 1
FORMATS = ("md", "csv", "json")


class UnknownNote(UserError):
    """No (live) note has this id."""


class QuoteNotFound(UserError):
    """The quoted text is not in the document."""


class BadNotesFile(UserError):
    """A file given to import is not a Workbench notes backup."""


@dataclass
class Anchor(JsonMixin):
    """A passage of a document: offsets into ``Document.text`` plus the quote and its context."""

    doc_id: str
    start: int = 0
    end: int = 0
    quote: str = ""
    prefix: str = ""
    suffix: str = ""
    orphaned: bool = False

    @property
    def whole_document(self) -> bool:
        """True for a note on the document rather than on a passage of it."""
        return not self.quote


@dataclass
class Note(JsonMixin):
    """A research note: a Markdown body, tags, and the passages it is about."""

    id: int
    body: str
    tags: list[str] = field(default_factory=list)
    anchors: list[Anchor] = field(default_factory=list)
    created: str = ""
    updated: str = ""
    deleted: str | None = None
    uid: str = ""
    snippet: str = field(default="", compare=False)
    """In search results: the body around the matched words, matches in ``**``."""

    json_exclude = ("snippet",)

    @property
    def doc_ids(self) -> list[str]:
        """The documents this note is anchored in, in anchor order, without repeats."""
        return list(dict.fromkeys(a.doc_id for a in self.anchors))

    @property
    def title(self) -> str:
        """The first line of the body, for lists."""
        first = self.body.strip().split("\n", 1)[0] if self.body.strip() else ""
        return re.sub(r"^#+\s*", "", first)[:120]


@dataclass
class ReanchorReport:
    """What re-anchoring after a document change did."""

    unchanged: int = 0
    moved: int = 0
    orphaned: int = 0
    recovered: int = 0

    def summary(self) -> str:
        """What moved, was found again or was orphaned, in words."""
        parts = [f"{self.moved} followed their moved text"] if self.moved else []
        if self.recovered:
            parts.append(f"{self.recovered} found their text again")
        if self.orphaned:
            parts.append(f"{self.orphaned} orphaned (their text is gone; the notes are kept)")
        return ", ".join(parts)

    def merge(self, other: ReanchorReport) -> None:
        self.unchanged += other.unchanged
        self.moved += other.moved
        self.orphaned += other.orphaned
        self.recovered += other.recovered


@dataclass
class NotesImport:
    """What importing a notes backup did."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    corrections_added: int = 0
    changes: Changes = field(default_factory=Changes)

    def summary(self) -> str:
        return (
            f"{self.added} notes added, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.corrections_added} entity corrections added"
        )


def now() -> str:
    """The current UTC time as ISO 8601 with milliseconds (sorts as text)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
