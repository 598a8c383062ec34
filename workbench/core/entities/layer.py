"""The researcher's corrections as a layer over the automatic resolution.

The same handlers as the in-memory resolution (:mod:`.corrections`) run over
:class:`LayerEntities`, which loads an entity from the store only when a correction
names it, and records what moves instead of moving mentions. The result, a
:class:`Layer`, says:

- which (entity before corrections, name as written) pairs now belong to another entity
  (a merge moves every name of an entity, a split one name);
- the mentions the researcher added, with their entity, and the spans they cover;
- the entities whose name, type, names, stoplist flag or "these are two" marks differ;
- which corrections were skipped, and which were unusable and why.

So a correction costs what it touches: comparing the new layer with the last one gives
the rows to rewrite, with SQL (:mod:`.updater`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from .corrections import BadPayload, Correction, apply_correction
from .normalise import norm_key
from .records import EntityInfo


class BaseEntities(Protocol):
    """The resolution before corrections, as the layer asks for it."""

    def exists(self, key: str) -> bool: ...

    def info(self, key: str) -> EntityInfo:
        """The entity as the rules made it (a fresh object the layer may change)."""

    def named(self, norm: str) -> list[str]:
        """Keys of entities whose name has this normalised form."""

    def aliased(self, norm: str) -> list[str]:
        """Keys of entities written, somewhere, with a name of this normalised form."""

    def text(self, doc_id: str) -> str | None: ...


@dataclass(eq=False)
class Pair:
    """Mentions of one entity (before corrections) written one way, or one added mention."""

    base: str
    form: str
    count: int
    added: int = -1  # index in Layer.added, for a mention the researcher added
    alive: bool = True


@dataclass
class Added:
    """A mention the researcher marked."""

    doc_id: str
    start: int
    end: int
    text: str
    key: str = ""
    alive: bool = True


@dataclass
class Layer:
    """What the corrections change, as data (see the module's docstring)."""

    moved: dict[tuple[str, str], str] = field(default_factory=dict)
    added: list[Added] = field(default_factory=list)
    entities: dict[str, EntityInfo] = field(default_factory=dict)
    gone: set[str] = field(default_factory=set)
    skipped: list[int] = field(default_factory=list)
    unusable: list[tuple[Correction, str]] = field(default_factory=list)

    def key(self, base: str, form: str) -> str:
        """The entity of mentions of ``base`` written ``form``, after the corrections."""
        return self.moved.get((base, form), base)

    def covered(self, doc_id: str) -> list[tuple[int, int]]:
        """Spans the researcher marked in a document (what the model saw there is replaced)."""
        return [(a.start, a.end) for a in self.added if a.doc_id == doc_id]

    def alive_added(self, doc_id: str | None = None) -> list[Added]:
        return [a for a in self.added if a.alive and (doc_id is None or a.doc_id == doc_id)]

    def to_json(self) -> dict[str, Any]:
        return {
            "moved": sorted([b, f, k] for (b, f), k in self.moved.items()),
            "added": [[a.doc_id, a.start, a.end, a.text, a.key, a.alive] for a in self.added],
            "entities": {
                k: [i.name, i.type, sorted(i.forms.items()), i.ignored, sorted(i.distinct_from)]
                for k, i in sorted(self.entities.items())
            },
            "gone": sorted(self.gone),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Layer:
        layer = cls()
        layer.moved = {(b, f): k for b, f, k in data.get("moved", [])}
        layer.added = [
            Added(d, s, e, t, k, alive) for d, s, e, t, k, alive in data.get("added", [])
        ]
        for k, (name, kind, forms, ignored, distinct) in data.get("entities", {}).items():
            layer.entities[k] = EntityInfo(
                k, name, kind, Counter(dict(forms)), ignored, set(distinct)
            )
        layer.gone = set(data.get("gone", []))
        return layer


class LayerEntities:
    """The :class:`~.corrections.CorrectedEntities` a layer is made with."""

    def __init__(self, base: BaseEntities) -> None:
        self.base = base
        self.infos: dict[str, EntityInfo] = {}
        self.gone: set[str] = set()
        self.members: dict[str, list[Pair]] = {}
        self.added: list[Added] = []
        self.pairs: list[Pair] = []

    def _members(self, key: str) -> list[Pair]:
        found = self.members.get(key)
        if found is None:
            found = []
            if key not in self.gone and self.base.exists(key):
                forms = self.info(key).forms
                found = [Pair(key, f, n) for f, n in forms.items()]
            self.members[key] = found
        return found

    def find(self, key: str, name: str | None = None) -> str | None:
        if self.has(key):
            return key
        if not name:
            return None
        target = norm_key(name)
        named = [k for k, i in self.infos.items() if norm_key(i.name) == target]
        named += [k for k in self.base.named(target) if k not in self.infos and k not in self.gone]
        if named:
            return min(named)
        aliased = [k for k, i in self.infos.items() if any(norm_key(f) == target for f in i.forms)]
        aliased += [
            k for k in self.base.aliased(target) if k not in self.infos and k not in self.gone
        ]
        return min(aliased) if aliased else None

    def has(self, key: str) -> bool:
        if key in self.infos:
            return True
        return key not in self.gone and self.base.exists(key)

    def info(self, key: str) -> EntityInfo:
        found = self.infos.get(key)
        if found is None:
            found = self.infos[key] = self.base.info(key)
        return found

    def put(self, info: EntityInfo) -> None:
        self.infos[info.key] = info
        self.gone.discard(info.key)
        self.members.setdefault(info.key, [])

    def drop(self, key: str) -> EntityInfo:
        info = self.info(key)
        del self.infos[key]
        self.gone.add(key)
        return info

    def move(self, key: str, to: str, form: str | None = None) -> int:
        source = self._members(key)
        chosen = [p for p in source if p.alive and (form is None or p.form == form)]
        self.members[key] = [p for p in source if p not in chosen]
        self._members(to).extend(chosen)
        return sum(p.count for p in chosen)

    def text(self, doc_id: str) -> str | None:
        return self.base.text(doc_id)

    def place(self, doc_id: str, start: int, end: int, quote: str, key: str) -> None:
        for pair in self.pairs:
            a = self.added[pair.added]
            if pair.alive and a.doc_id == doc_id and not (a.end <= start or a.start >= end):
                pair.alive = a.alive = False  # an earlier mark this one replaces
        self.added.append(Added(doc_id, start, end, quote))
        pair = Pair("", quote, 1, len(self.added) - 1)
        self.pairs.append(pair)
        self._members(key).append(pair)

    def layer(self) -> Layer:
        out = Layer(entities=dict(self.infos), gone=set(self.gone), added=self.added)
        for key, pairs in self.members.items():
            for p in pairs:
                if p.added >= 0:
                    self.added[p.added].key = key
                elif p.base != key:
                    out.moved[(p.base, p.form)] = key
        return out


def make_layer(base: BaseEntities, corrections: Sequence[Correction]) -> Layer:
    """Apply the corrections, in order, over the store's resolution."""
    ents = LayerEntities(base)
    skipped: list[int] = []
    unusable: list[tuple[Correction, str]] = []
    for corr in corrections:
        try:
            if not apply_correction(corr, ents):
                skipped.append(corr.id)
        except BadPayload as exc:
            skipped.append(corr.id)
            unusable.append((corr, str(exc)))
    layer = ents.layer()
    layer.skipped, layer.unusable = skipped, unusable
    return layer
