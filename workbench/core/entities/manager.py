"""``lib.entities``: the library's entities, as the CLI and the GUI ask for them.

The :class:`EntityManager` owns the :class:`EntityEngine` (model, NER cache, resolution)
and keeps the index's ``entities`` field in step with it. It reaches the library only
through the small :class:`EntityHost` protocol, so this package never imports the
Library. Every correction returns the :class:`~workbench.core.changes.Changes` it made
(with the entity it produced, where there is one) and publishes it.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ..changes import Changes, ChangesWith
from ..corpus import Document
from ..errors import UserError
from ..files import write_text_atomic
from ..userdb import UserDatabase
from .contract import Resolved
from .corrections import Correction
from .engine import EntityEngine
from .normalise import norm_key, normalise_span
from .records import (
    ENTITY_TYPES,
    DocEntity,
    EntitiesUnavailable,
    Entity,
    EntityReport,
    Suggestion,
    UnknownEntity,
)

if TYPE_CHECKING:  # pandas loads lazily: start-up stays fast
    import pandas as pd

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]

SYNC_STAMP = "workbench-entities.json"
"""In the index folder: what the index's entity fields were last synced to (a rebuilt
index loses it, as it should)."""


class EntityHost(Protocol):
    """What the entity manager needs from its library."""

    root: Path
    index_dir: Path

    def notice(self, message: str) -> None: ...

    def resolve_id(self, prefix: str) -> str: ...

    def document(self, doc_id: str) -> Document: ...

    def doc_texts(self) -> list[tuple[str, str]]: ...

    def doc_ids(self) -> list[str]: ...

    def index_generation(self) -> int: ...

    def write_entity_fields(self, terms: dict[str, list[str]]) -> int: ...

    def entity_fields(self) -> dict[str, str]: ...

    @property
    def db(self) -> UserDatabase: ...

    def publish(self, changes: Changes) -> None: ...


class EntityManager:
    """Extraction, resolution, corrections and suggestions of one library's entities."""

    def __init__(self, host: EntityHost) -> None:
        self._host = host
        self._lock = threading.Lock()
        self._engine: EntityEngine | None = None

    @property
    def engine(self) -> EntityEngine:
        """The engine, made on first use (the model itself loads only when NER runs)."""
        with self._lock:
            if self._engine is None:
                host = self._host
                self._engine = EntityEngine(
                    host.root, on_notice=host.notice, userdb=lambda: host.db
                )
            return self._engine

    def close(self) -> None:
        with self._lock:
            if self._engine is not None:
                self._engine.close()
                self._engine = None

    def _resolved(self) -> Resolved:
        return self.engine.resolved(self._host.doc_texts())

    # ------------------------------------------------------------ extraction

    def available(self) -> tuple[bool, str]:
        """(True, "") if a spaCy English model is installed, else (False, why entities are off)."""
        return self.engine.available()

    def pending(self) -> int:
        """How many documents have not been through entity extraction yet."""
        engine = self.engine
        if not engine.available()[0]:
            return 0
        return len(engine.missing(self._host.doc_texts()))

    def extract(
        self,
        progress: Progress | None = None,
        cancel: Cancel | None = None,
        n_process: int | None = None,
    ) -> EntityReport:
        """Phase 2 of indexing: NER on every document not yet cached, then the entity index.

        Raises :class:`EntitiesUnavailable` (one line) when no model can be loaded. On
        cancel, the documents processed so far stay cached.
        """
        engine = self.engine
        ok, message = engine.available()
        if not ok:
            raise EntitiesUnavailable(message)
        started = time.perf_counter()
        docs = self._host.doc_texts()
        report = engine.extract(docs, progress, cancel, n_process)
        if not report.cancelled:
            # A re-run with nothing new (same texts, NER results, corrections and index)
            # need not resolve the library again: the index says what it last received.
            digest = engine.digest(docs)
            synced = self._sync_stamp()
            if (
                synced.get("digest") == digest
                and synced.get("generation") == self._host.index_generation()
            ):
                report.entities = int(synced.get("entities", 0))
            else:
                resolved = engine.resolved(docs)
                report.entities = _count_present(resolved)
                report.index_updated = self._sync_index(resolved)
                self._write_sync_stamp(digest, report.entities)
        report.seconds = time.perf_counter() - started
        if report.processed or report.index_updated:
            report.changes = Changes(entities=True)
            self._host.publish(report.changes)
        return report

    def extract_missing(self, doc_ids: Sequence[str], cancel: Cancel | None = None) -> bool:
        """Run NER now on those of ``doc_ids`` never processed; False if cancelled."""
        engine = self.engine
        docs = [(d, self._host.document(d).text) for d in dict.fromkeys(doc_ids)]
        missing = engine.missing(docs)
        if not missing:
            return True
        return not engine.extract(missing, cancel=cancel).cancelled

    def _sync_stamp(self) -> dict[str, Any]:
        try:
            data = json.loads((self._host.index_dir / SYNC_STAMP).read_text("utf-8"))
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

    def _write_sync_stamp(self, digest: str, entities: int) -> None:
        stamp = {
            "digest": digest,
            "generation": self._host.index_generation(),
            "entities": entities,
        }
        with contextlib.suppress(OSError):  # only an optimisation: the next run resolves again
            write_text_atomic(self._host.index_dir / SYNC_STAMP, json.dumps(stamp))

    def _sync_index(self, resolved: Resolved) -> int:
        """Rewrite the ``entities`` field of documents whose entity terms changed.

        The field holds, for each canonical entity in the document, its key, its name and
        every alias, so that ``entity:"Li Zhanshu"``, ``entity:Li`` or ``entity:"U.S."``
        find the same articles without any query rewriting.
        """
        stored = self._host.entity_fields()
        changed: dict[str, list[str]] = {}
        for doc_id in self._host.doc_ids():
            terms = resolved.index_terms(doc_id)
            if ",".join(terms) != stored.get(doc_id, ""):
                changed[doc_id] = terms
        return self._host.write_entity_fields(changed) if changed else 0

    # ------------------------------------------------------------ reading

    def of_document(self, doc_id: str) -> list[DocEntity]:
        """The canonical entities of one document with their mentions, corrections applied.

        Most mentioned first. Empty if no model is available.
        """
        real_id = self._host.resolve_id(doc_id)
        if not self.engine.available()[0]:
            return []
        return list(self._resolved().doc_entities.get(real_id, []))

    def get(self, key_or_name: str) -> Entity:
        """An entity by its key, its name or one of its aliases (any case)."""
        resolved = self._resolved()
        if key_or_name in resolved.entities:
            return resolved.entities[key_or_name]
        wanted = norm_key(key_or_name)
        for e in resolved.entities.values():
            if norm_key(e.name) == wanted or e.key == wanted:
                return e
        hits = [
            e for e in resolved.entities.values() if any(norm_key(a) == wanted for a in e.aliases)
        ]
        if len(hits) == 1:
            return hits[0]
        if hits:
            names = ", ".join(f"{e.name} ({e.key})" for e in hits[:5])
            raise UnknownEntity(
                f"'{key_or_name}' is an alias of several entities: {names}; give a key"
            )
        raise UnknownEntity(f"no entity is called '{key_or_name}' (see 'workbench entities')")

    def documents_of(self, key: str) -> dict[str, int]:
        """Document id -> number of mentions, for every document naming the entity."""
        return self._resolved().documents_of(self.get(key).key)

    def suggestions(self) -> list[Suggestion]:
        """Pairs of entities with near-identical names, offered for merging (never merged for you)."""
        if not self.engine.available()[0]:
            return []
        return list(self._resolved().suggestions)

    def table(self) -> pd.DataFrame:
        """Columns name, type, aliases ("; "-joined), documents, mentions, key; most documents first."""
        from .. import tables

        return tables.entity_table(self._resolved())

    def comention_table(self, min_documents: int = 2) -> pd.DataFrame:
        """Pairs of entities named in the same documents (name_a, name_b, documents, key_a, key_b)."""
        from .. import tables

        return tables.comention_table(self._resolved(), min_documents)

    def export_table(self, path: str | os.PathLike[str], kind: str = "entities") -> Path:
        """Write the entity table, the entity x document matrix or the co-mentions as CSV."""
        from .. import tables

        df, index = tables.table_for_export(self._resolved(), self._host.doc_ids(), kind)
        return tables.export_csv(df, Path(path), index=index)

    def corrections(self) -> list[Correction]:
        """The researcher's corrections, oldest first."""
        return self.engine.corrections()

    # ------------------------------------------------------------ corrections
    # Stored in the user database, applied at once, with the index kept in step.

    def _correct(self, kind: str, payload: dict[str, Any]) -> Changes:
        self.engine.correct(kind, payload)
        return self._after_correction()

    def _after_correction(self) -> Changes:
        """Bring the index in step with the corrections at once, and remember that it is."""
        engine = self.engine
        docs = self._host.doc_texts()
        resolved = engine.resolved(docs)
        self._sync_index(resolved)
        self._write_sync_stamp(engine.digest(docs), _count_present(resolved))
        changes = Changes(entities=True)
        self._host.publish(changes)
        return changes

    def corrections_changed(self) -> Changes:
        """Bring the entity index in step after the corrections table changed behind the
        manager's back (a restored backup). Does nothing without a model."""
        if self.engine.available()[0]:
            return self._after_correction()
        return Changes()

    def rename(self, key: str, name: str) -> ChangesWith[Entity]:
        """Give an entity another display name (its key stays the same)."""
        e = self.get(key)
        name = " ".join(name.split())
        if not name:
            raise UserError("a new name cannot be empty")
        changes = self._correct("rename", {"key": e.key, "old_name": e.name, "name": name})
        return changes.with_value(self.get(e.key))

    def merge(self, keys: Sequence[str], name: str | None = None) -> ChangesWith[Entity]:
        """Make several entities one; it keeps the first one's key, and ``name`` if given."""
        found = [self.get(k) for k in keys]
        unique = list({e.key: e for e in found}.values())
        if len(unique) < 2:
            raise UserError("give at least two different entities to merge")
        payload = {"keys": [e.key for e in unique], "names": [e.name for e in unique], "name": name}
        changes = self._correct("merge", payload)
        return changes.with_value(self.get(unique[0].key))

    def split(self, key: str, alias: str) -> ChangesWith[Entity]:
        """Take one alias off an entity: its mentions become an entity of their own (returned)."""
        e = self.get(key)
        match = [a for a in e.aliases if a == alias] or [
            a for a in e.aliases if norm_key(a) == norm_key(alias)
        ]
        if not match:
            aliases = ", ".join(e.aliases) or "none"
            raise UserError(f"'{alias}' is not an alias of {e.name} (aliases: {aliases})")
        changes = Changes()
        for a in match:
            changes = changes | self._correct("split", {"key": e.key, "name": e.name, "alias": a})
        for ent in self._resolved().entities.values():
            if (match[0] == ent.name or match[0] in ent.aliases) and ent.key != e.key:
                return changes.with_value(ent)
        return changes.with_value(self.get(norm_key(match[0])))

    def retype(self, key: str, type: str) -> ChangesWith[Entity]:
        """Change an entity's type (one of ENTITY_TYPES)."""
        type = _checked_type(type)
        e = self.get(key)
        changes = self._correct("retype", {"key": e.key, "name": e.name, "type": type})
        return changes.with_value(self.get(e.key))

    def dismiss(self, key_a: str, key_b: str) -> Changes:
        """Say two entities offered as one are two: the pair is not suggested again (undoable)."""
        a, b = self.get(key_a), self.get(key_b)
        if a.key == b.key:
            raise UserError("give two different entities")
        return self._correct("distinct", {"keys": [a.key, b.key], "names": [a.name, b.name]})

    def ignore(self, key: str) -> Changes:
        """Put an entity on the stoplist: it is no longer shown, counted, indexed or propagated."""
        e = self.get(key)
        return self._correct("ignore", {"key": e.key, "name": e.name})

    def add(self, doc_id: str, start: int, end: int, type: str) -> ChangesWith[Entity]:
        """Mark the selected text of a document as an entity (joining one of that name, if any).

        The name is then also found wherever else it appears verbatim.
        """
        doc = self._host.document(doc_id)
        type = _checked_type(type)
        text = doc.text
        if not (0 <= start < end <= len(text)):
            raise UserError(f"the selection {start}-{end} is outside the document (0-{len(text)})")
        # A selection made with the mouse often stops inside a word: take whole words.
        while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
            start -= 1
        while end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
            end += 1
        spans = normalise_span(text, start, end)
        if not spans:
            raise UserError(f"'{text[start:end]}' is not a name (a name has a capital letter)")
        s, e = spans[0]
        quote = text[s:e]
        payload = {"doc_id": doc.id, "start": s, "end": e, "text": quote, "type": type}
        changes = self._correct("add", payload)
        for de in self.of_document(doc.id):
            if any(m.start == s and m.end == e for m in de.mentions):
                return changes.with_value(de.entity)
        raise UserError(f"'{quote}' could not be added")  # pragma: no cover - defensive

    def undo(self, correction_id: int) -> Changes:
        """Remove one correction (the entities are as if it had never been made)."""
        if not self.engine.delete_correction(correction_id):
            raise UserError(f"there is no correction {correction_id}")
        return self._after_correction()


def _checked_type(type: str) -> str:
    type = type.upper()
    if type not in ENTITY_TYPES:
        raise UserError(f"unknown entity type '{type}' (choose from {', '.join(ENTITY_TYPES)})")
    return type


def _count_present(resolved: Resolved) -> int:
    return len({de.entity.key for des in resolved.doc_entities.values() for de in des})
