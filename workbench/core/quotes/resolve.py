"""Quotes with their speakers as library entities, decided when the quotes are read.

A cached :class:`~.model.Quote` knows only the span of the name its speaker resolves to
in the text. The entity is the one of the document's canonical entities (as
``lib.entities`` gives them, corrections applied) whose mention covers that span most:
"Li said" is Li Zhanshu because the resolver gave the mention "Li" Li Zhanshu's key. A
name the resolver made no entity of is shown as written; a quote with no source is
unattributed, with the description of its speaker when the text gives one.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .model import Quote, Span
from .text import TITLES, lone_name, words_of

if TYPE_CHECKING:
    from ..entities import DocEntity, Entity

UNATTRIBUTED = "unattributed"
_THE = words_of("The the")


@dataclass(frozen=True)
class AttributedQuote:
    """A quote of one document and who said it: a library entity, a name, or nobody."""

    doc_id: str
    quote: Quote
    text: str
    entity: Entity | None = None
    speaker_name: str = ""
    """The entity's name (or the full name the text gives its surname), else the name as
    written, else empty (unattributed); see :func:`speaker_name`."""

    @property
    def start(self) -> int:
        return self.quote.start

    @property
    def end(self) -> int:
        return self.quote.end

    @property
    def key(self) -> str | None:
        """The speaker's entity key, or None."""
        return self.entity.key if self.entity is not None else None

    @property
    def attributed(self) -> bool:
        return bool(self.speaker_name)

    def who(self) -> str:
        """Who said it, for a reader: the name, else the description, else "unattributed"."""
        if self.speaker_name:
            return self.speaker_name
        if self.quote.description:
            return f"{self.quote.description} (unnamed)"
        return UNATTRIBUTED

    def to_json(self) -> dict[str, Any]:
        data = self.quote.to_json()
        data["doc_id"] = self.doc_id
        data["text"] = self.text
        data["speaker"] = self.speaker_name or None
        data["speaker_key"] = self.key
        data["speaker_words"] = self.quote.speaker.text if self.quote.speaker else None
        data["cue"] = self.quote.cue.text if self.quote.cue else None
        data.pop("source", None)
        return data


class MentionIndex:
    """The mentions of a document's entities, sorted, for look-ups by span."""

    def __init__(self, doc_entities: Sequence[DocEntity], text: str) -> None:
        self.text = text
        rows = sorted((m.start, m.end, i) for i, de in enumerate(doc_entities) for m in de.mentions)
        self.rows = rows
        self.starts = [r[0] for r in rows]
        self.entities = [de.entity for de in doc_entities]

    def entity_at(self, span: Span) -> Entity | None:
        """The entity a speaker's name at ``span`` refers to, or None.

        The entity whose mention overlaps the name most, when the mention is the name
        (not a longer span the model ran on into); else, for a lone surname the model
        missed or took for an organisation ("Cole", "Brands"), the one person of the
        document with that surname.
        """
        i = bisect.bisect_left(self.starts, span.start - 200)
        best, overlap, extent = None, 0, (0, 0)
        while i < len(self.rows) and self.rows[i][0] < span.end:
            start, end, index = self.rows[i]
            o = min(end, span.end) - max(start, span.start)
            if o > overlap:
                best, overlap, extent = self.entities[index], o, (start, end)
            i += 1
        covers = overlap >= 0.6 * len(span.text)  # not "Scottish" for "Scottish Executive"
        # the mention is the whole name, not "Swiss" of "Swiss Re"
        named = self.text[extent[0] : extent[1]].split()
        spoken = [w for w in span.text.split() if w.rstrip(".") not in TITLES | _THE]
        same_words = len(named) == len(spoken)
        titled = span.text.split()[0].rstrip(".") in TITLES if span.text.split() else False
        if titled and (best is None or best.type != "PERSON"):
            # "Mr de Vabres" is a person whatever the model called "de Vabres"
            person = self._person_by_surname(span.text)
            if person is not None:
                return person
        if best is not None and extent[0] >= span.start - 4 and extent[1] <= span.end + 4:
            if best.type == "PERSON" and len(best.name.split()) == 1:
                # a lone surname the resolver kept apart from the document's full name
                return self._person_by_surname(best.name) or best
            if best.type == "PERSON" or (len(span.text.split()) > 1 and covers and same_words):
                return best
        person = self._person_by_surname(span.text)
        return person if person is not None else best if covers and same_words else None

    def entity_named(self, description: str) -> Entity | None:
        """The entity a capitalised description names (``The Lib Dems``, ``the Treasury``):
        one whose name or alias it is, once ``the`` is left off."""
        words = description.split()
        if words and words[0].lower() == "the":
            words = words[1:]
        if not words or not all(w[:1].isupper() for w in words):
            return None
        from ..entities import norm_key

        wanted = norm_key(" ".join(words))
        for e in self.entities:
            if norm_key(e.name) == wanted or any(norm_key(a) == wanted for a in e.aliases):
                return e
        return None

    def named(self, name: str) -> Entity | None:
        """The document's entity called ``name``, if any."""
        return next((e for e in self.entities if e.name == name), None)

    def _person_by_surname(self, words: str) -> Entity | None:
        parts = [w for w in words.split() if w.rstrip(".") not in TITLES and not w.islower()]
        if len(parts) != 1:
            return None
        surname = parts[0].casefold()
        found = {
            e.key: e
            for e in self.entities
            if e.type == "PERSON"
            and len(e.name.split()) > 1
            and e.name.split()[-1].casefold() == surname
        }
        return next(iter(found.values())) if len(found) == 1 else None


def is_surname(name: str) -> bool:
    """Whether a speaker's name is one word once titles are left off ("Mr Davies")."""
    return lone_name(name) is not None


def speaker_name(quote: Quote, entity: Entity | None) -> str:
    """The name a quote's speaker is shown by: the entity's, unless that is a surname
    the text gives in full (``quote.full_name``); else the name as written; else empty."""
    if entity is not None and not (quote.full_name and is_surname(entity.name)):
        return entity.name
    if quote.full_name:
        return quote.full_name
    return quote.source.text if quote.source is not None else ""


def attribute_quotes(
    doc_id: str, text: str, quotes: Sequence[Quote], doc_entities: Sequence[DocEntity]
) -> list[AttributedQuote]:
    """The quotes of one document with their speakers resolved to its entities."""
    index = MentionIndex(doc_entities, text)
    out = []
    for q in quotes:
        if q.source is not None:
            entity = index.entity_at(q.source)
        else:
            entity = index.entity_named(q.description)
        if q.full_name and (entity is None or is_surname(entity.name)):
            entity = index.named(q.full_name) or entity
        out.append(
            AttributedQuote(doc_id, q, text[q.start : q.end], entity, speaker_name(q, entity))
        )
    return out
