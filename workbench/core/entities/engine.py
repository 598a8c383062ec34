"""The entity engine of one library: the model, the NER cache, the corrections and the
resolution, recomputed only when the texts, the cached NER results or the corrections
change."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..errors import WorkbenchError
from ..userdb import UserDatabase
from .cache import NER_CACHE, NerCache, text_hash
from .contract import Resolved
from .corrections import Correction, load_corrections, save_correction, unusable_notice
from .model import NerModel, default_processes, extract
from .records import Cancel, EntityReport, Progress, RawSpan
from .resolve import Prepared, finish, prepare

RESOLVER_VERSION = 2
"""Bumped when the resolution rules change, so that an upgraded Workbench rewrites the
index's entity fields (the raw NER cache stays valid: it depends on the model only)."""


class EntityEngine:
    """Entity state of one library: the model, the NER cache, corrections and the resolution.

    The resolution is recomputed only when the documents' texts, the cached NER results
    or the corrections change, and then for the whole library (it is corpus-wide by nature;
    on the 2,095 BBC articles it takes about a second).
    """

    def __init__(
        self,
        root: Path,
        on_notice: Callable[[str], None] | None = None,
        packages: Sequence[str] | None = None,
        userdb: Callable[[], UserDatabase] | None = None,
    ) -> None:
        self.root = root
        self._notice = on_notice
        self.model = NerModel(packages)
        self._cache: NerCache | None = None
        self._userdb = userdb
        self._lock = threading.RLock()
        self._resolved: Resolved | None = None
        self._signature: tuple[Any, ...] | None = None
        self._prepared: Prepared | None = None
        self._prepared_signature: tuple[Any, ...] | None = None
        self._told: set[tuple[int, str, str]] = set()

    # -- resources

    @property
    def cache(self) -> NerCache:
        with self._lock:
            if self._cache is None:
                self._cache = NerCache(self.root / NER_CACHE, self._notice)
            return self._cache

    @property
    def db(self) -> UserDatabase:
        """The library's user database, where the corrections live."""
        if self._userdb is None:
            raise WorkbenchError("entity corrections need the library's user database")
        return self._userdb()

    def close(self) -> None:
        with self._lock:
            if self._cache is not None:
                self._cache.close()
                self._cache = None

    def available(self) -> tuple[bool, str]:
        return self.model.available()

    # -- extraction

    def missing(self, docs: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
        """Documents ``(id, text)`` whose NER results are not cached for the current model."""
        if not self.model.model_id:
            return []
        hashes = {doc_id: text_hash(text) for doc_id, text in docs}
        cached = self.cache.cached(self.model.model_id, hashes.values())
        return [(d, t) for d, t in docs if hashes[d] not in cached]

    def extract(
        self,
        docs: Sequence[tuple[str, str]],
        progress: Progress | None = None,
        cancel: Cancel | None = None,
        n_process: int | None = None,
    ) -> EntityReport:
        """Run NER on every document not yet in the cache; results are saved as they come."""
        started = time.perf_counter()
        report = EntityReport(documents=len(docs), model=self.model.model_id)
        if self.model.model_id:
            old = self.cache.drop_other_models(self.model.model_id)
            if old and self._notice:
                self._notice(
                    f"The entity cache was made by another model ({', '.join(old)}); "
                    f"entities are extracted again with {self.model.model_id}."
                )
        todo = self.missing(docs)
        report.cached = len(docs) - len(todo)
        total = len(docs)
        if progress:
            progress(report.cached, total)
        if todo:
            nlp = self.model.load()
            if n_process is None:
                n_process = default_processes(len(todo))
            ner_started = time.perf_counter()
            pending: list[tuple[str, list[RawSpan]]] = []
            done = report.cached
            texts = [t for _, t in todo]
            for (_doc_id, text), spans in zip(
                todo, extract(nlp, texts, n_process, cancel=cancel), strict=False
            ):
                pending.append((text_hash(text), spans))
                report.processed += 1
                report.words += len(text.split())
                done += 1
                if len(pending) >= 64:
                    self.cache.put_many(self.model.model_id, pending)
                    pending = []
                if progress:
                    progress(done, total)
            if pending:
                self.cache.put_many(self.model.model_id, pending)
            report.ner_seconds = time.perf_counter() - ner_started
            report.cancelled = report.processed < len(todo)
        report.seconds = time.perf_counter() - started
        return report

    # -- resolution

    def corrections(self) -> list[Correction]:
        db = self.db
        with db.lock:
            return load_corrections(db.conn)

    def _signature_of(self, docs: Sequence[tuple[str, str]]) -> tuple[Any, ...]:
        corrections = self.corrections()
        hashes = [(d, text_hash(t)) for d, t in docs]
        # Payloads too: SQLite may give a new correction the id of one just undone.
        return (
            tuple(hashes),
            tuple((c.id, c.kind, json.dumps(c.payload, sort_keys=True)) for c in corrections),
            self.model.model_id,
            self._cache_generation(),
            RESOLVER_VERSION,
        )

    def digest(self, docs: Sequence[tuple[str, str]]) -> str:
        """A short fingerprint of everything the resolution depends on."""
        with self._lock:
            data = json.dumps(self._signature_of(docs), separators=(",", ":"))
        return hashlib.sha1(data.encode("utf-8")).hexdigest()

    def resolved(self, docs: Sequence[tuple[str, str]]) -> Resolved:
        """The resolved entities of ``docs``, recomputed only when something changed."""
        with self._lock:
            corrections = self.corrections()
            signature = self._signature_of(docs)
            hashes = list(signature[0])
            if self._resolved is not None and signature == self._signature:
                return self._resolved
            base = signature[0], signature[2], signature[3]
            if self._prepared is None or self._prepared_signature != base:
                raw: dict[str, list[RawSpan]] = {}
                if self.model.model_id:
                    cached = self.cache.get_all(self.model.model_id, (h for _, h in hashes))
                    raw = {d: cached[h] for d, h in hashes if h in cached}
                self._prepared = prepare(docs, raw)
                self._prepared_signature = base
            # Only the corrections changed (or nothing was resolved yet): rules 6-8 only.
            self._resolved = finish(self._prepared.copy(), corrections)
            self._signature = signature
            self._tell_unusable(self._resolved)
            return self._resolved

    def _tell_unusable(self, resolved: Resolved) -> None:
        """One notice per damaged correction, once per process."""
        for corr, reason in resolved.unusable_corrections:
            told = (corr.id, corr.kind, json.dumps(corr.payload, sort_keys=True))
            if told not in self._told and self._notice:
                self._notice(unusable_notice(corr, reason))
            self._told.add(told)

    def _cache_generation(self) -> tuple[int, int]:
        # Rows are only added or replaced: their count tells whether extraction ran since
        # (and the file's generation whether it was rebuilt).
        return self.cache.count(), self.cache.file.generation

    def invalidate(self) -> None:
        """Forget the resolution, so the next one starts from the raw NER results."""
        with self._lock:
            self._resolved = None
            self._signature = None
            self._prepared = None
            self._prepared_signature = None

    # -- corrections

    def correct(self, kind: str, payload: dict[str, Any]) -> int:
        with self._lock, self.db.transaction() as conn:
            return save_correction(conn, kind, payload)  # the next resolution sees it

    def delete_correction(self, correction_id: int) -> bool:
        with self._lock, self.db.transaction() as conn:
            cur = conn.execute("DELETE FROM corrections WHERE id = ?", (correction_id,))
            return cur.rowcount > 0
