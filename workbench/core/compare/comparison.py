"""What two documents share: the comparison result, and their shared and unique entities.

:func:`compare_entities` splits two documents' canonical entities (from
``Library.entities``, so the researcher's corrections apply) into shared, only in A and
only in B, each sorted by salience: mentions, plus a bonus when the entity is named in
the title or in the lead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..corpus import Document
from ..errors import WorkbenchError
from .align import PassagePair
from .reuse import Reuse

if TYPE_CHECKING:
    from ..entities import DocEntity, Entity, Mention
    from .quotes import QuoteComparison

TITLE_BONUS = 3.0
LEAD_BONUS = 2.0
LEAD_CHARS = 400
"""A mention starting in the first LEAD_CHARS characters of the text is in the lead."""


class ComparisonCancelled(WorkbenchError):
    """The user cancelled a comparison."""


@dataclass
class EntityComparison:
    """One canonical entity and its mentions in each of the two documents compared."""

    entity: Entity
    a_mentions: list[Mention]
    b_mentions: list[Mention]
    salience: float = 0.0

    @property
    def count_a(self) -> int:
        return len(self.a_mentions)

    @property
    def count_b(self) -> int:
        return len(self.b_mentions)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.entity.name,
            "type": self.entity.type,
            "aliases": list(self.entity.aliases),
            "count_a": self.count_a,
            "count_b": self.count_b,
            "key": self.entity.key,
            "salience": round(self.salience, 2),
            "a_mentions": [[m.start, m.end] for m in self.a_mentions],
            "b_mentions": [[m.start, m.end] for m in self.b_mentions],
        }


@dataclass
class Comparison:
    """What two documents have in common and where they differ."""

    a: Document
    b: Document
    shared_entities: list[EntityComparison]
    only_a: list[EntityComparison]
    only_b: list[EntityComparison]
    shared_passages: list[PassagePair]
    notes: list[str] = field(default_factory=list)
    """One-line remarks for the user, e.g. why there are no entities."""
    reuse: Reuse | None = None
    """How much each text reuses of the other (shares of words in shared passages, level)."""
    quotes: QuoteComparison | None = None
    """The two documents' quotes, paired by speaker and words (None without the entity
    model: quotes need it)."""

    def to_json(self) -> dict[str, Any]:
        def doc(d: Document) -> dict[str, Any]:
            return {
                "id": d.id,
                "title": d.title,
                "path": d.path,
                "words": d.words,
                "date": d.date,
                "language": d.language,
            }

        out: dict[str, Any] = {
            "a": doc(self.a),
            "b": doc(self.b),
            "shared_entities": [e.to_json() for e in self.shared_entities],
            "only_a": [e.to_json() for e in self.only_a],
            "only_b": [e.to_json() for e in self.only_b],
            "shared_passages": [p.to_json() for p in self.shared_passages],
            "notes": list(self.notes),
        }
        if self.reuse is not None:
            out["reuse"] = self.reuse.to_json()
        out["quotes"] = self.quotes.to_json() if self.quotes is not None else None
        return out


def _names_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    forms = sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True)
    if not forms:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(f) for f in forms) + r")(?!\w)", re.I)


def salience(doc: Document, entity: Entity, mentions: Sequence[Mention]) -> float:
    """Mentions, plus TITLE_BONUS if the title names the entity, plus LEAD_BONUS if the lead does."""
    score = float(len(mentions))
    pattern = _names_pattern([entity.name, *entity.aliases, *(m.text for m in mentions)])
    if pattern is not None and pattern.search(doc.title):
        score += TITLE_BONUS
    if any(m.start < LEAD_CHARS for m in mentions):
        score += LEAD_BONUS
    return score


def compare_entities(
    a: Document, b: Document, a_entities: Sequence[DocEntity], b_entities: Sequence[DocEntity]
) -> tuple[list[EntityComparison], list[EntityComparison], list[EntityComparison]]:
    """(shared, only in A, only in B), each sorted by salience, most salient first.

    Entities are matched by their canonical key, so aliases ("Putin", "Vladimir Putin")
    and the researcher's merges count as one entity. A shared entity's salience is the sum
    of its salience in both documents.
    """
    in_a = {de.entity.key: de for de in a_entities}
    in_b = {de.entity.key: de for de in b_entities}
    shared, only_a, only_b = [], [], []
    for key, de in in_a.items():
        other = in_b.get(key)
        sal_a = salience(a, de.entity, de.mentions)
        if other is None:
            only_a.append(EntityComparison(de.entity, list(de.mentions), [], sal_a))
        else:
            sal = sal_a + salience(b, other.entity, other.mentions)
            shared.append(EntityComparison(de.entity, list(de.mentions), list(other.mentions), sal))
    for key, de in in_b.items():
        if key not in in_a:
            only_b.append(
                EntityComparison(
                    de.entity, [], list(de.mentions), salience(b, de.entity, de.mentions)
                )
            )

    def order(e: EntityComparison) -> tuple[float, str, str]:
        return (-e.salience, e.entity.name.casefold(), e.entity.key)

    return sorted(shared, key=order), sorted(only_a, key=order), sorted(only_b, key=order)
