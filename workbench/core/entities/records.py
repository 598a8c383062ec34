"""The entity contract: what the rest of Workbench receives (mentions, entities,
suggestions, extraction reports), the entity types, and the errors entity features raise."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..changes import Changes
from ..errors import UserError, WorkbenchError
from ..serialise import JsonMixin

ENTITY_TYPES = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT")
OTHER_TYPES = ("DATE", "TIME", "MONEY", "QUANTITY", "PERCENT")
"""Spans a reader may show, but that are not entities for comparison."""
NOT_NAME_LABELS = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"})
"""Labels that say a span is a date, a time or a number, not a name."""

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]
RawSpan = tuple[int, int, str]
"""One span as the model gives it: start and end offsets into the text, and its label."""


class EntitiesUnavailable(WorkbenchError):
    """No spaCy English model can be loaded; entity features are off."""


class UnknownEntity(UserError):
    """No entity has the key or name given."""


@dataclass(frozen=True)
class Mention:
    """One occurrence of an entity: offsets into ``Document.text`` and the text there."""

    start: int
    end: int
    text: str


@dataclass
class Entity(JsonMixin):
    """A canonical entity: its stable key, display name, type and the other names it goes by."""

    key: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)


@dataclass
class DocEntity:
    """One canonical entity in one document, with all its mentions there."""

    entity: Entity
    mentions: list[Mention]

    def to_json(self, offsets: bool = True) -> dict[str, Any]:
        data = {**self.entity.to_json(), "count": len(self.mentions)}
        if offsets:
            data["mentions"] = [
                {"start": m.start, "end": m.end, "text": m.text} for m in self.mentions
            ]
        return data


@dataclass
class Suggestion:
    """Two entities whose names are nearly identical: perhaps one, for the researcher to decide."""

    keys: tuple[str, str]
    names: tuple[str, str]
    type: str
    score: float
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {
            "keys": list(self.keys),
            "names": list(self.names),
            "type": self.type,
            "score": round(self.score, 3),
            "reason": self.reason,
        }


@dataclass
class EntityReport:
    """What an entity extraction did."""

    documents: int = 0
    processed: int = 0
    cached: int = 0
    words: int = 0
    entities: int = 0
    model: str = ""
    cancelled: bool = False
    seconds: float = 0.0
    ner_seconds: float = 0.0
    changes: Changes = field(default_factory=Changes)

    def summary(self) -> str:
        text = (
            f"{self.entities} entities in {self.documents} documents "
            f"({self.processed} processed, {self.cached} from cache)"
        )
        return text + (" (cancelled)" if self.cancelled else "")

    def to_json(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "processed": self.processed,
            "cached": self.cached,
            "words": self.words,
            "entities": self.entities,
            "model": self.model,
            "cancelled": self.cancelled,
            "seconds": round(self.seconds, 3),
            "ner_seconds": round(self.ner_seconds, 3),
        }


# --------------------------------------------------------------------------- the resolver's working records


@dataclass
class MentionRecord:
    """A mention while the resolver works on it: where, as written, and the entity it is given."""

    start: int
    end: int
    form: str
    label: str | None  # the model's label; None for propagated and user mentions
    key: str
    local: bool = False  # linked by a rule that holds only in this document
    origin: str = "ner"  # ner, user, propagated


@dataclass
class EntityInfo:
    """An entity while the resolver works on it: its names with their counts, its votes."""

    key: str
    name: str
    type: str
    forms: Counter[str] = field(default_factory=Counter)
    ignored: bool = False
    distinct_from: set[str] = field(default_factory=set)  # keys the researcher said are others
