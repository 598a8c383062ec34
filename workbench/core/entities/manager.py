"""``lib.entities``: the library's entities, as the CLI and the GUI ask for them.

The :class:`EntityManager` owns the :class:`EntityEngine` (model, entity cache,
corrections) and keeps the stored resolution (:class:`~.stored.EntityStore`) in step
with the library: documents are resolved when their entities are extracted, or when one
of them is asked for; a correction rewrites what it touches. Reading one document's
entities reads that document's rows. It reaches the library only through the small
:class:`EntityHost` protocol, so this package never imports the Library. Every
correction returns the :class:`~workbench.core.changes.Changes` it made (with the
entity it produced, where there is one) and publishes it.

Search's ``entity:`` is answered from here (:meth:`EntityManager.documents_named`): a
correction rewrites the store's rows it touches and nothing in the search index.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from ..changes import Changes, ChangesWith
from ..corpus import DocInfo, Document
from ..errors import UserError
from ..text import is_english
from ..userdb import UserDatabase
from .cache import text_hash
from .cachedb import CacheRebuilt
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
from .updater import DocInput

if TYPE_CHECKING:  # pandas loads lazily: start-up stays fast
    import pandas as pd

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]

CHUNK = 1000
"""Documents given to the model per step (memory holds one step's texts at a time)."""
RESOLVE_STEP = 250
"""Documents resolved per transaction: a cancel or a quit loses at most that many."""


class DocumentSource(Protocol):
    """The library's documents, read without loading them all (``lib.docs``)."""

    def iter_summaries(
        self, offset: int = 0, limit: int | None = None, batch: int = 2000
    ) -> Iterator[DocInfo]: ...

    def get_many(self, ids: Sequence[str]) -> dict[str, Document]: ...


class EntityHost(Protocol):
    """What the entity manager needs from its library."""

    root: Path
    index_dir: Path

    @property
    def docs(self) -> DocumentSource: ...

    def notice(self, message: str) -> None: ...

    def resolve_id(self, prefix: str) -> str: ...

    def document(self, doc_id: str) -> Document: ...

    def index_generation(self) -> int: ...

    @property
    def db(self) -> UserDatabase: ...

    def publish(self, changes: Changes) -> None: ...


T = TypeVar("T")


def _rebuilt_once(method: Callable[..., T]) -> Callable[..., T]:
    """Run a method again if the entity cache turned out to be damaged on the way (it has
    then been rebuilt, with its notice, and the method starts from the empty cache)."""

    @functools.wraps(method)
    def run(self: EntityManager, *args: Any, **kwargs: Any) -> T:
        try:
            return method(self, *args, **kwargs)
        except CacheRebuilt:
            self._seen_generation = None
            return method(self, *args, **kwargs)

    return run


class EntityManager:
    """Extraction, resolution, corrections and suggestions of one library's entities."""

    def __init__(self, host: EntityHost) -> None:
        self._host = host
        self._lock = threading.Lock()
        self._update_lock = threading.RLock()
        self._engine: EntityEngine | None = None
        self._seen_generation: int | None = None
        self.on_resolved: list[Callable[[Sequence[DocInput], Sequence[str]], None]] = []
        """Called with the documents just resolved (and those forgotten) after each update
        of the stored resolution: the quotes are found there."""
        self.quote_counts: Callable[[], dict[str, int]] | None = None
        """Quotes per entity key, for the entity table's export."""

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

    # ------------------------------------------------------------ documents

    def _library(self) -> _Listing:
        """Every document's id and the hash of its file (no text is read), and which are
        in a language the English model does not read."""
        shas: dict[str, str] = {}
        unread: set[str] = set()
        for info in self._host.docs.iter_summaries():
            shas[info.id] = info.sha
            if not is_english(info.language):
                unread.add(info.id)
        return _Listing(shas, frozenset(unread))

    def _texts(self, ids: Sequence[str]) -> Iterator[tuple[str, str]]:
        """Texts of documents, read a batch at a time."""
        for i in range(0, len(ids), 200):
            found = self._host.docs.get_many(list(ids[i : i + 200]))
            for doc_id in ids[i : i + 200]:
                if doc_id in found:
                    yield doc_id, found[doc_id].text

    def _to_resolve(self, listing: _Listing) -> list[str]:
        """Documents whose stored resolution is missing, from another text, without the
        model's results, or from results the cache no longer holds."""
        library = listing.shas
        engine = self.engine
        stored = engine.store.documents()
        if engine.store.state("model") != engine.model.model_id:
            return sorted(library)
        todo = {
            d
            for d, sha in library.items()
            if d not in stored or stored[d].sha != sha or not stored[d].ner
        }
        kept = [d for d in library if d not in todo and d not in listing.unread]
        cached = engine.cache.cached(
            engine.model.model_id, [stored[d].hash for d in kept], failed=True
        )
        todo.update(d for d in kept if stored[d].hash not in cached)
        return sorted(todo)

    def _resolve(self, docs: Sequence[Document], removed: Sequence[str] = ()) -> int:
        """Resolve documents (with their NER results if cached) and forget the removed."""
        engine = self.engine
        hashes = {d.id: text_hash(d.text) for d in docs}
        read = [hashes[d.id] for d in docs if is_english(d.language)]
        spans = engine.spans(read)
        failed = engine.cache.cached(engine.model.model_id, read, failed=True)
        inputs = [
            DocInput(
                d.id,
                d.sha,
                hashes[d.id],
                d.text,
                spans.get(hashes[d.id], [] if hashes[d.id] in failed else None)
                if is_english(d.language)
                else [],
                is_english(d.language),
            )
            for d in docs
        ]
        corrections = engine.corrections()
        state = {"model": engine.model.model_id, "corrections": _digest(corrections)}
        with self._update_lock:
            try:
                outcome = engine.store.update(inputs, removed, corrections, self._texts, state)
            except CacheRebuilt:  # the file was damaged: the same update, into the new one
                outcome = engine.store.update(inputs, removed, corrections, self._texts, state)
        engine.tell_unusable(outcome.layer.unusable)
        for listener in self.on_resolved:
            listener(inputs, removed)
        return outcome.documents

    def _catch_up(self) -> None:
        """Bring the store in step with what changed behind this process's back: documents
        gone from the library (another process imported), corrections made elsewhere
        (restored from a backup, another process). Cheap when nothing changed: a look at
        the index's generation (the store keeps the one it last saw) and at the
        corrections."""
        engine = self.engine
        if not engine.available()[0]:
            return
        generation = self._host.index_generation()
        gone: list[str] = []
        if generation != self._seen_generation and str(generation) != engine.store.state(
            "generation"
        ):
            library = self._library().shas
            gone = [d for d in engine.store.documents() if d not in library]
        if gone or engine.store.state("corrections") != _digest(engine.corrections()):
            self._resolve([], gone)
        if generation != self._seen_generation:
            engine.store.set_state("generation", str(generation))
            self._seen_generation = generation
        engine.tell_unusable(engine.store.unusable())

    def _ensure(self, doc_ids: Sequence[str]) -> None:
        """Resolve those documents that are not, or not for their current text."""
        self._catch_up()
        stored = self.engine.store.documents(doc_ids)
        docs = self._host.docs.get_many(list(doc_ids))
        stale = [
            d
            for d in docs.values()
            if d.id not in stored or stored[d.id].sha != d.sha or not stored[d.id].ner
        ]
        if stale:
            self._resolve(stale)

    # ------------------------------------------------------------ extraction

    def available(self) -> tuple[bool, str]:
        """(True, "") if a spaCy English model is installed, else (False, why entities are off)."""
        return self.engine.available()

    @_rebuilt_once
    def pending(self) -> int:
        """How many documents have not been through entity extraction yet."""
        if not self.engine.available()[0]:
            return 0
        return len(self._to_resolve(self._library()))

    @_rebuilt_once
    def extract(
        self,
        progress: Progress | None = None,
        cancel: Cancel | None = None,
        n_process: int | None = None,
    ) -> EntityReport:
        """Phase 2 of indexing: NER on every document not yet cached, and their resolution.

        Runs a step of :data:`CHUNK` documents at a time, each saved as it ends: a cancel
        (or a quit) keeps what was done, and the next run goes on from there. Raises
        :class:`EntitiesUnavailable` (one line) when no model can be loaded.
        """
        engine = self.engine
        ok, message = engine.available()
        if not ok:
            raise EntitiesUnavailable(message)
        started = time.perf_counter()
        if engine.forget_other_models():
            engine.store.set_state("model", "")
        listing = self._library()
        library = listing.shas
        todo = self._to_resolve(listing)
        report = EntityReport(documents=len(library), model=engine.model.model_id)
        report.cached = len(library) - len(todo)
        gone = [d for d in engine.store.documents() if d not in library]
        resolved = self._resolve([], gone) if gone else 0
        if not todo and progress:
            progress(report.cached, len(library))
        done = report.cached
        for start in range(0, len(todo), CHUNK):
            docs = self._host.docs.get_many(todo[start : start + CHUNK])
            step = engine.extract(
                [(d.id, d.text) for d in docs.values() if is_english(d.language)],
                progress,
                cancel,
                n_process,
                done,
                len(library),
            )
            _add(report, step)
            done += len(docs) if not step.cancelled else step.cached + step.processed
            # Resolved a few hundred at a time: a cancel is heard between two, and another
            # process waits for the entity cache that long at most.
            found = list(docs.values())
            for i in range(0, len(found), RESOLVE_STEP):
                resolved += self._resolve(found[i : i + RESOLVE_STEP])
                if cancel and cancel():
                    step.cancelled = True
                    break
            if step.cancelled:
                report.cancelled = True
                break
        self._seen_generation = self._host.index_generation()
        engine.store.set_state("generation", str(self._seen_generation))
        report.entities = self.count()
        engine.store.forget_names()
        report.seconds = time.perf_counter() - started
        if report.processed or resolved:
            report.changes = Changes(entities=True)
            self._host.publish(report.changes)
        return report

    @_rebuilt_once
    def extract_missing(self, doc_ids: Sequence[str], cancel: Cancel | None = None) -> bool:
        """Run NER now on those of ``doc_ids`` never processed, and resolve them; False
        if cancelled."""
        engine = self.engine
        found = [self._host.document(d) for d in dict.fromkeys(doc_ids)]
        docs = [(d.id, d.text) for d in found]
        missing = engine.missing([(d.id, d.text) for d in found if is_english(d.language)])
        if missing and engine.extract(missing, cancel=cancel).cancelled:
            return False
        self._ensure([d for d, _ in docs])
        return True

    def count(self) -> int:
        """How many entities the library names (ignored ones left out)."""
        return sum(1 for _ in self.engine.store.entity_counts())

    # ------------------------------------------------------------ reading

    @_rebuilt_once
    def of_document(self, doc_id: str) -> list[DocEntity]:
        """The canonical entities of one document with their mentions, corrections applied.

        Most mentioned first. Empty if no model is available.
        """
        real_id = self._host.resolve_id(doc_id)
        if not self.engine.available()[0]:
            return []
        found = self.engine.store.of_document(real_id)
        if found is None:
            self._ensure([real_id])
            found = self.engine.store.of_document(real_id)
        return found or []

    @_rebuilt_once
    def get(self, key_or_name: str) -> Entity:
        """An entity by its key, its name or one of its aliases (any case)."""
        store = self.engine.store
        self._catch_up()
        found = store.entity(key_or_name)
        if found is not None:
            return found
        wanted = norm_key(key_or_name)
        named = store.named(wanted, main=True)
        by_key = store.entity(wanted)
        candidates = sorted([*named, *([by_key] if by_key else [])], key=lambda e: e.key)
        if candidates:
            return candidates[0]
        hits = store.named(wanted, main=False)
        if len(hits) == 1:
            return hits[0]
        if hits:
            names = ", ".join(f"{e.name} ({e.key})" for e in hits[:5])
            raise UnknownEntity(
                f"'{key_or_name}' is an alias of several entities: {names}; give a key"
            )
        raise UnknownEntity(f"no entity is called '{key_or_name}' (see 'workbench entities')")

    @_rebuilt_once
    def documents_of(self, key: str) -> dict[str, int]:
        """Document id -> number of mentions, for every document naming the entity."""
        return self.engine.store.documents_of(self.get(key).key)

    @_rebuilt_once
    def suggestions(self) -> list[Suggestion]:
        """Pairs of entities with near-identical names, offered for merging (never merged for you)."""
        if not self.engine.available()[0]:
            return []
        self._catch_up()
        return self.engine.store.suggestions()

    @_rebuilt_once
    def table(self) -> pd.DataFrame:
        """Columns name, type, aliases ("; "-joined), documents, mentions, key; most documents first."""
        from .. import tables

        self._catch_up()
        return tables.entity_table(self.engine.store)

    @_rebuilt_once
    def comention_table(self, min_documents: int = 2) -> pd.DataFrame:
        """Pairs of entities named in the same documents (name_a, name_b, documents, key_a, key_b)."""
        from .. import tables

        self._catch_up()
        return tables.comention_table(self.engine.store, min_documents)

    @_rebuilt_once
    def export_table(self, path: str | os.PathLike[str], kind: str = "entities") -> Path:
        """Write the entity table (with how many quotes each entity has, where quotes
        are known), the entity x document matrix or the co-mentions as CSV."""
        from .. import tables

        self._catch_up()
        quotes = self.quote_counts() if self.quote_counts is not None else None
        df, index = tables.table_for_export(self.engine.store, kind, quotes)
        return tables.export_csv(df, Path(path), index=index)

    def corrections(self) -> list[Correction]:
        """The researcher's corrections, oldest first."""
        return self.engine.corrections()

    # ------------------------------------------------------------ the entity: search field

    @_rebuilt_once
    def documents_named(self, term: str, prefix: bool = False) -> set[str]:
        """Ids of documents naming an entity whose key, name, alias or extra search name
        (lower-cased, commas made spaces) equals ``term`` (or starts with it)."""
        return self.engine.store.documents_named(term, prefix)

    @_rebuilt_once
    def entity_terms(self, doc_id: str) -> list[str]:
        """A document's entity search terms, sorted: each entity's key, name, aliases and
        extra search names (a country's official name and ISO codes)."""
        return self.engine.store.entity_terms(doc_id)

    @_rebuilt_once
    def document_counts(self, keys: Sequence[str]) -> dict[str, int]:
        """How many documents name each of these entities (by key)."""
        return self.engine.store.document_counts(keys)

    # ------------------------------------------------------------ corrections
    # Stored in the user database, applied at once, with the index kept in step.

    def _correct(self, kind: str, payload: dict[str, Any]) -> Changes:
        self.engine.correct(kind, payload)
        return self._after_correction()

    @_rebuilt_once
    def _after_correction(self) -> Changes:
        """Apply the corrections to the stored resolution (what they touch)."""
        self._catch_up()
        self._resolve([])
        changes = Changes(entities=True)
        self._host.publish(changes)
        return changes

    def corrections_changed(self) -> Changes:
        """Bring the entities in step after the corrections table changed behind the
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
        store = self.engine.store
        for main in (True, False):
            for ent in store.named(norm_key(match[0]), main):
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


@dataclass(frozen=True)
class _Listing:
    """The library's documents as extraction sees them: id -> file hash, and the ids of
    those in a language the English model does not read (resolved with no entities,
    never given to the model)."""

    shas: dict[str, str]
    unread: frozenset[str]


def _checked_type(type: str) -> str:
    type = type.upper()
    if type not in ENTITY_TYPES:
        raise UserError(f"unknown entity type '{type}' (choose from {', '.join(ENTITY_TYPES)})")
    return type


def _add(report: EntityReport, step: EntityReport) -> None:
    report.processed += step.processed
    report.words += step.words
    report.ner_seconds += step.ner_seconds
    report.cached += step.cached


def _digest(corrections: Sequence[Correction]) -> str:
    """What the stored layer was made from (payloads too: SQLite may give a new
    correction the id of one just undone)."""
    data = [(c.id, c.kind, c.payload) for c in corrections]
    return hashlib.sha1(json.dumps(data, sort_keys=True).encode()).hexdigest()
