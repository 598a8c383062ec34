"""Rule 8: the contract objects a resolution hands out (:class:`Resolved`), and the
search terms of an entity."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .corrections import Correction
from .normalise import by_use
from .records import DocEntity, Entity, EntityInfo, Mention, MentionRecord, Suggestion
from .suggestions import suggestions


@dataclass
class Resolved:
    """The library's entities after resolution, corrections and propagation."""

    entities: dict[str, Entity]
    doc_entities: dict[str, list[DocEntity]]
    skipped_corrections: list[int] = field(default_factory=list)
    search_names: dict[str, list[str]] = field(default_factory=dict)
    """Extra names indexed for an entity (a country's official name and ISO codes)."""

    distinct: set[frozenset[str]] = field(default_factory=set)
    """Pairs of entity keys the researcher said are two entities: never suggested again."""

    unusable_corrections: list[tuple[Correction, str]] = field(default_factory=list)
    """Corrections whose stored payload is damaged, with what is wrong with it."""

    _suggestions: list[Suggestion] | None = field(default=None, repr=False)

    @property
    def suggestions(self) -> list[Suggestion]:
        """Near-identical names to offer for merging; computed on first use (a second on BBC)."""
        if self._suggestions is None:
            self._suggestions = [
                s
                for s in suggestions(self.entities, self.doc_entities)
                if frozenset(s.keys) not in self.distinct
            ]
        return self._suggestions

    def documents_of(self, key: str) -> dict[str, int]:
        """Document id -> number of mentions, for one entity."""
        return {
            d: len(de.mentions)
            for d, des in self.doc_entities.items()
            for de in des
            if de.entity.key == key
        }

    def index_terms(self, doc_id: str) -> list[str]:
        """What goes in a document's ``entities`` index field: key, name and every alias."""
        return entity_terms(
            (de.entity for de in self.doc_entities.get(doc_id, [])), self.search_names
        )


def entity_terms(
    entities: Iterable[Entity], search_names: Mapping[str, Sequence[str]]
) -> list[str]:
    """The search terms of some entities: key, name, every alias and extra search name,
    lower-cased, commas made spaces; sorted, each once."""
    terms: dict[str, None] = {}
    for e in entities:
        for t in (e.key, e.name, *e.aliases, *search_names.get(e.key, ())):
            terms[term_of(t)] = None
    return sorted(t for t in terms if t)


def term_of(name: str) -> str:
    """A name as the ``entity:`` search field holds it."""
    return name.replace(",", " ").strip().lower()


def contract(
    infos: Mapping[str, EntityInfo],
    mentions: Mapping[str, Sequence[MentionRecord]],
    search_names: Mapping[str, list[str]],
    skipped: list[int],
    unusable: list[tuple[Correction, str]],
) -> Resolved:
    """Rule 8: the entities (ignored ones left out) and each document's entities, most
    mentioned first."""
    entities: dict[str, Entity] = {}
    for key, info in infos.items():
        if info.ignored:
            continue
        aliases = [f for f in by_use(info.forms) if f != info.name]
        entities[key] = Entity(key=key, name=info.name, type=info.type, aliases=aliases)
    doc_entities: dict[str, list[DocEntity]] = {}
    for doc_id, ms in mentions.items():
        grouped: dict[str, list[Mention]] = defaultdict(list)
        for m in ms:
            if m.key in entities:
                grouped[m.key].append(Mention(m.start, m.end, m.form))
        des = [DocEntity(entities[k], sorted(v, key=lambda x: x.start)) for k, v in grouped.items()]
        des.sort(key=lambda de: (-len(de.mentions), de.entity.name))
        doc_entities[doc_id] = des
    distinct = {
        frozenset((key, other))
        for key, info in infos.items()
        for other in info.distinct_from
        if key in entities and other in entities
    }
    return Resolved(
        entities,
        doc_entities,
        skipped,
        {k: list(v) for k, v in search_names.items() if k in entities},
        distinct,
        unusable,
    )
