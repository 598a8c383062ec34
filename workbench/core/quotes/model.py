"""What a quote is: the quoted words, the cue, the words naming the speaker, and whose words.

A :class:`Quote` is what extraction finds in one text, with offsets only; it is cached per
text hash and extractor version. Which library entity spoke is decided when a quote is
read (:mod:`workbench.core.quotes.store`): ``source`` is the span of the name the speaker
resolves to in the text (the name itself, or for "he", "the spokesman" or a quote that
continues another, the earlier name it refers to), and the entity is the one whose
mention covers that span, so the researcher's corrections (merges, renames) apply.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

EXTRACTOR_VERSION = 10
"""Bumped whenever extraction changes what it finds: cached quotes of another version are
extracted again."""

KINDS = ("direct", "partial", "indirect")
"""``direct``: words between quotation marks that stand as a sentence or more;
``partial``: quoted words inside the writer's own sentence (``called it "a grave
mistake"``); ``indirect``: reported speech without marks (``X said that …``,
``according to X, …``, ``…, X said.``)."""

ATTRIBUTIONS = ("name", "pronoun", "role", "continuation", "none")
"""How the text says who spoke: by name (``Li said``), by a pronoun (``he added``), by a
description (``the spokesman said``), by nothing because the quote continues the one
before, or not at all."""


@dataclass(frozen=True)
class Span:
    """A stretch of the text: offsets into ``Document.text`` and the words there."""

    start: int
    end: int
    text: str

    def to_json(self) -> list[Any]:
        return [self.start, self.end, self.text]

    @classmethod
    def from_json(cls, data: Any) -> Span | None:
        if not data:
            return None
        start, end, text = data
        return cls(int(start), int(end), str(text))


@dataclass(frozen=True)
class Quote:
    """One quotation in one text, as extraction found it (no library entity yet).

    ``start``/``end`` are the quoted words (without the quotation marks). ``cue`` is the
    word or phrase that reports the speech (``said``, ``told``, ``according to``),
    ``speaker`` the words that name the speaker where the quote is attributed (a name,
    pronoun or description), and ``source`` the name those words resolve to in the text:
    the same span for a name, an earlier name for a pronoun, a description or a
    continuation, and None when nothing in the text says who spoke. ``description`` keeps
    the words of an unnamed speaker (``a spokesman for the Home Office``) so they can be
    shown, never passed off as a name.
    """

    start: int
    end: int
    kind: str
    attribution: str
    cue: Span | None = None
    speaker: Span | None = None
    source: Span | None = None
    description: str = ""
    full_name: str = ""
    """The full name the text gives a speaker whose ``source`` is a surname alone
    ("Christophe Dominici" for "said Dominici", where the model tagged the surname only;
    see :mod:`.fullnames`), else empty."""

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "start": self.start,
            "end": self.end,
            "kind": self.kind,
            "attribution": self.attribution,
        }
        for name in ("cue", "speaker", "source"):
            value = getattr(self, name)
            if value is not None:
                data[name] = value.to_json()
        if self.description:
            data["description"] = self.description
        if self.full_name:
            data["full_name"] = self.full_name
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Quote:
        return cls(
            start=int(data["start"]),
            end=int(data["end"]),
            kind=str(data["kind"]),
            attribution=str(data["attribution"]),
            cue=Span.from_json(data.get("cue")),
            speaker=Span.from_json(data.get("speaker")),
            source=Span.from_json(data.get("source")),
            description=str(data.get("description", "")),
            full_name=str(data.get("full_name", "")),
        )
