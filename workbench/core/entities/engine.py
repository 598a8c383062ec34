"""The entity engine of one library: the model, the entity cache file (NER results and
the stored resolution, :class:`~.stored.EntityStore`) and the researcher's corrections."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from ..errors import WorkbenchError
from ..userdb import UserDatabase
from .cache import NER_CACHE, NerCache, text_hash
from .corrections import Correction, load_corrections, save_correction, unusable_notice
from .model import NerModel, default_processes, extract
from .records import Cancel, EntityReport, Progress, RawSpan
from .store import STORE_PART
from .stored import EntityStore

PUT_EVERY = 64
"""NER results are saved this many documents at a time (a cancel or a kill loses fewer)."""


class EntityEngine:
    """Entity state of one library: the model, the entity cache and the corrections."""

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
        self._store: EntityStore | None = None
        self._userdb = userdb
        self._lock = threading.RLock()
        self._told: set[tuple[int, str, str]] = set()

    # -- resources

    @property
    def cache(self) -> NerCache:
        with self._lock:
            if self._cache is None:
                self._cache = NerCache(self.root / NER_CACHE, self._notice, [STORE_PART])
            return self._cache

    @property
    def store(self) -> EntityStore:
        """The stored resolution (in the same file as the NER results)."""
        with self._lock:
            if self._store is None or self._store.file is not self.cache.file:
                self._store = EntityStore(self.cache.file)
            return self._store

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
                self._store = None

    def available(self) -> tuple[bool, str]:
        return self.model.available()

    def notice(self, message: str) -> None:
        if self._notice:
            self._notice(message)

    # -- extraction

    def missing(self, docs: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
        """Documents ``(id, text)`` whose NER results are not cached for the current model
        (a document the model failed on counts as done: it is skipped, with its reason)."""
        if not self.model.model_id:
            return []
        hashes = {doc_id: text_hash(text) for doc_id, text in docs}
        done = self.cache.cached(self.model.model_id, hashes.values(), failed=True)
        return [(d, t) for d, t in docs if hashes[d] not in done]

    def spans(self, hashes: Sequence[str]) -> dict[str, list[RawSpan]]:
        """Cached NER results of the current model, by text hash."""
        if not self.model.model_id:
            return {}
        return self.cache.get_all(self.model.model_id, hashes)

    def forget_other_models(self) -> bool:
        """Drop NER results of another model; True if there were any."""
        if not self.model.model_id:
            return False
        old = self.cache.drop_other_models(self.model.model_id)
        if old:
            self.notice(
                f"The entity cache was made by another model ({', '.join(old)}); "
                f"entities are extracted again with {self.model.model_id}."
            )
        return bool(old)

    def extract(
        self,
        docs: Sequence[tuple[str, str]],
        progress: Progress | None = None,
        cancel: Cancel | None = None,
        n_process: int | None = None,
        done: int = 0,
        total: int | None = None,
    ) -> EntityReport:
        """Run NER on every document not yet in the cache; results are saved as they come.

        ``done``/``total`` place these documents in a larger run, for ``progress``.
        """
        started = time.perf_counter()
        report = EntityReport(documents=len(docs), model=self.model.model_id)
        self.forget_other_models()
        todo = self.missing(docs)
        report.cached = len(docs) - len(todo)
        total = len(docs) if total is None else total
        done += report.cached
        if progress:
            progress(done, total)
        if todo:
            nlp = self.model.load()
            if n_process is None:
                n_process = default_processes(len(todo))
            ner_started = time.perf_counter()
            pending: list[tuple[str, list[RawSpan]]] = []
            failed: list[tuple[str, str]] = []
            results = extract(nlp, [t for _, t in todo], n_process, cancel=cancel)
            for (doc_id, text), spans in zip(todo, results, strict=False):
                if isinstance(spans, str):
                    failed.append((text_hash(text), spans))
                    self.notice(
                        f"Entities of {doc_id} could not be extracted ({spans}); it is skipped."
                    )
                else:
                    pending.append((text_hash(text), spans))
                report.processed += 1
                report.words += len(text.split())
                done += 1
                if len(pending) >= PUT_EVERY:
                    self.cache.put_many(self.model.model_id, pending)
                    pending = []
                if progress:
                    progress(done, total)
            self.cache.put_many(self.model.model_id, pending)
            self.cache.put_failures(self.model.model_id, failed)
            report.ner_seconds = time.perf_counter() - ner_started
            report.cancelled = report.processed < len(todo)
        report.seconds = time.perf_counter() - started
        return report

    # -- corrections

    def corrections(self) -> list[Correction]:
        db = self.db
        with db.lock:
            return load_corrections(db.conn)

    def correct(self, kind: str, payload: dict[str, object]) -> int:
        with self._lock, self.db.transaction() as conn:
            return save_correction(conn, kind, dict(payload))

    def delete_correction(self, correction_id: int) -> bool:
        with self._lock, self.db.transaction() as conn:
            cur = conn.execute("DELETE FROM corrections WHERE id = ?", (correction_id,))
            return cur.rowcount > 0

    def tell_unusable(self, unusable: Sequence[tuple[Correction, str]]) -> None:
        """One notice per damaged correction, once per process."""
        for corr, reason in unusable:
            told = (corr.id, corr.kind, json.dumps(corr.payload, sort_keys=True))
            if told not in self._told:
                self.notice(unusable_notice(corr, reason))
            self._told.add(told)
