"""The Library facade: the one door through which the CLI and the GUI reach the engine.

A Library lives in a data directory::

    library.json      the folders and files the user added, and the id given to each path
    index/            the Whoosh index (a cache, rebuilt from the files when unusable)

Long operations take ``progress(done, total)`` and ``cancel()`` callables so that a GUI can
show a progress bar with a Cancel button and a CLI a progress line. Things the user should
know but that are not errors (an index rebuilt, a file skipped) are passed to
``on_notice`` and kept in :attr:`Library.notices`.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import compare, corpus, search
from . import notes as notes_mod
from . import userdb as userdb_mod
from .compare import DEFAULT_MIN_SIMILARITY, DEFAULT_MIN_WORDS  # defaults of compare()
from .corpus import Document, Skip, SkippedFile
from .errors import UnknownDocument, UserError, WorkbenchError
from .files import exclusive, write_text_atomic
from .notes import Anchor, Note, NotesImport, NoteStore, ReanchorReport
from .paths import data_dir as default_data_dir
from .paths import seeds_dir

if TYPE_CHECKING:  # entities and tables import spaCy/pandas lazily: startup stays fast
    import pandas as pd

    from .entities import Correction, DocEntity, Entity, EntityEngine, EntityReport, Suggestion
    from .search import SearchResults

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]

MANIFEST = "library.json"
MANIFEST_VERSION = 1
# Above this many files to write, the index is built with one writer process per core.
PARALLEL_WRITE_MIN = 400


def writer_processes(documents: int) -> int:
    """How many processes should write ``documents`` documents to the index.

    Large batches use both cores, but only from a single-threaded process: Whoosh's
    parallel writer forks, and forking while other threads run (a GUI's Qt and worker
    threads) can leave the child deadlocked on a lock some thread held.
    """
    if documents < PARALLEL_WRITE_MIN or threading.active_count() > 1:
        return 1
    return min(2, os.cpu_count() or 1)


@dataclass
class ImportReport:
    """What an import did, with each skipped file and its reason."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)
    cancelled: bool = False
    seconds: float = 0.0

    def counts(self) -> dict[str, int]:
        return {
            "added": len(self.added),
            "updated": len(self.updated),
            "unchanged": self.unchanged,
            "removed": len(self.removed),
            "skipped": len(self.skipped),
        }

    def summary(self) -> str:
        c = self.counts()
        text = ", ".join(f"{v} {k}" for k, v in c.items())
        return text + (" (cancelled)" if self.cancelled else "")

    def to_json(self) -> dict[str, Any]:
        return {
            **self.counts(),
            "cancelled": self.cancelled,
            "seconds": round(self.seconds, 3),
            "skipped_files": [{"path": s.path, "reason": s.reason} for s in self.skipped],
        }


class Library:
    """A folder of articles, indexed and searchable."""

    def __init__(self, root: Path, on_notice: Callable[[str], None] | None = None) -> None:
        self.root = root
        self.index_dir = root / "index"
        self.notices: list[str] = []
        self._on_notice = on_notice
        # _docs_lock guards the in-memory document cache and is only held briefly;
        # _write_lock serialises writers in this process, so that readers (the GUI listing
        # documents while an import runs in the background) never wait for a writer.
        self._docs_lock = threading.RLock()
        self._write_lock = threading.RLock()
        self._docs: dict[str, Document] | None = None
        self._docs_generation = -2
        self.pending_rebuild: str | None = None
        self._manifest = self._read_manifest()
        self.ix, self.pending_rebuild = search.open_or_recreate(self.index_dir)
        self._searcher = search.Searcher(self.ix)
        self._init_user_data()  # notes (issue 6)

    # ----------------------------------------------------------------- lifecycle

    @classmethod
    def open(
        cls,
        data_dir: str | os.PathLike[str] | None = None,
        on_notice: Callable[[str], None] | None = None,
    ) -> Library:
        """Open (creating if needed) the library in ``data_dir`` or the default data dir.

        If the index had to be recreated, :attr:`pending_rebuild` says why; call
        :meth:`rebuild_if_needed` (in the background, in a GUI) to re-read the files.
        """
        return cls(default_data_dir(data_dir), on_notice=on_notice)

    def close(self) -> None:
        self._searcher.close()
        self._close_entities()
        self._close_user_data()  # notes (issue 6)

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def notice(self, message: str) -> None:
        """Record a one-line message for the user."""
        self.notices.append(message)
        if self._on_notice:
            self._on_notice(message)

    def rebuild_if_needed(
        self, progress: Progress | None = None, cancel: Cancel | None = None
    ) -> ImportReport | None:
        """Re-read every added folder into a fresh index if the old one was unusable."""
        if not self.pending_rebuild:
            return None
        self.notice(f"Rebuilding the search index from your files: {self.pending_rebuild}.")
        self.pending_rebuild = None
        report = self.refresh(progress, cancel)
        # The rebuilt index has empty entity fields; refill them. Entities are cached per
        # content hash, so this re-runs the model only on documents it never saw.
        if not report.cancelled and self.entities_available()[0]:
            self.extract_entities(cancel=cancel)
        return report

    # ----------------------------------------------------------------- manifest

    def _read_manifest(self) -> dict[str, Any]:
        path = self.root / MANIFEST
        try:
            data = json.loads(path.read_text("utf-8"))
            if isinstance(data, dict) and isinstance(data.get("ids"), dict):
                data.setdefault("roots", [])
                return data
        except FileNotFoundError:
            pass
        except (OSError, ValueError):
            self.notice(f"The list of added folders ({path}) was unreadable and has been reset.")
        return {"version": MANIFEST_VERSION, "roots": [], "ids": {}}

    def _write_manifest(self) -> None:
        write_text_atomic(
            self.root / MANIFEST, json.dumps(self._manifest, indent=1, ensure_ascii=False)
        )

    def _importing(self) -> contextlib.AbstractContextManager[None]:
        """The cross-process import lock: one import at a time per data directory.

        The index's own write lock covers only the index; this one also covers the
        manifest's path -> id map, which note anchors rely on.
        """
        return exclusive(
            self.root / ".import.lock",
            search.WRITER_TIMEOUT,
            "the library is busy: another Workbench is importing files; try again shortly",
        )

    @property
    def roots(self) -> list[str]:
        """The folders and files the user has added."""
        return list(self._manifest["roots"])

    def _assign_id(self, path: str, taken: set[str]) -> str:
        """The id of ``path``, a new one if it has none; ``taken`` holds the ids handed out
        (passed in: building it for every new file made importing 2,000 files quadratic)."""
        ids: dict[str, str] = self._manifest["ids"]
        if path in ids:
            return ids[path]
        stem = Path(path).stem
        candidate, n = stem, 1
        while candidate in taken:
            n += 1
            candidate = f"{stem}-{n}"
        ids[path] = candidate
        taken.add(candidate)
        return candidate

    # ----------------------------------------------------------------- documents

    def _load_docs(self) -> dict[str, Document]:
        with self._docs_lock:
            generation = self.ix.latest_generation()
            if self._docs is None or generation != self._docs_generation:
                with self.ix.searcher() as s:
                    docs = [search.document_from_fields(f) for f in s.all_stored_fields()]
                self._docs = {d.id: d for d in sorted(docs, key=lambda d: d.id)}
                self._docs_generation = generation
            return self._docs

    def documents(self) -> list[Document]:
        """Every document, ordered by id."""
        return list(self._load_docs().values())

    def is_empty(self) -> bool:
        return self.ix.doc_count() == 0

    def resolve_id(self, prefix: str) -> str:
        """The full id for an id or any unique prefix of one."""
        docs = self._load_docs()
        if prefix in docs:
            return prefix
        found = [i for i in docs if i.startswith(prefix)] if prefix else []
        if len(found) == 1:
            return found[0]
        if not found:
            raise UnknownDocument(f"no document has the id '{prefix}' (see 'workbench docs')")
        shown = ", ".join(found[:5]) + (", …" if len(found) > 5 else "")
        raise UnknownDocument(
            f"'{prefix}' matches {len(found)} documents ({shown}); give more of the id"
        )

    def document(self, doc_id: str) -> Document:
        """The document with this id or unique id prefix."""
        return self._load_docs()[self.resolve_id(doc_id)]

    # ----------------------------------------------------------------- search

    def search(self, query: str, limit: int = 20) -> search.SearchResults:
        """Run a query in Whoosh's language over titles and bodies, best hits first."""
        return self._searcher.search(query, limit=limit)

    # ----------------------------------------------------------------- importing

    def add_seeds(
        self, progress: Progress | None = None, cancel: Cancel | None = None
    ) -> ImportReport:
        """Index the bundled default corpus."""
        return self.add_paths([seeds_dir()], progress, cancel)

    def refresh(
        self, progress: Progress | None = None, cancel: Cancel | None = None
    ) -> ImportReport:
        """Re-index every added folder and file: new, changed and deleted files are noticed."""
        return self.add_paths(self.roots, progress, cancel)

    def add_paths(
        self,
        paths: Iterable[str | os.PathLike[str]],
        progress: Progress | None = None,
        cancel: Cancel | None = None,
    ) -> ImportReport:
        """Index files and folders (recursively). Only new or changed files are re-read.

        Files that were indexed from one of ``paths`` but are gone are removed. Bad files
        are skipped with a reason and never abort the import. On cancel, what was read so
        far is kept and nothing is removed.
        """
        started = time.perf_counter()
        report = ImportReport()
        roots = [Path(p).expanduser().resolve() for p in paths]
        files: list[Path] = []
        for root in roots:
            if not root.exists():
                report.skipped.append(Skip(str(root), "not found"))
                continue
            files.extend(corpus.iter_files([root]))
        files = list(dict.fromkeys(files))
        total = len(files)
        seen: set[str] = set()
        gone: list[str] = []

        with self._write_lock, self._importing():
            # Another process may have imported since this one last looked: start from what
            # is on disk now, so an id is never handed to two files.
            self._manifest = self._read_manifest()
            taken = set(self._manifest["ids"].values())
            existing = {d.path: d for d in self._load_docs().values()}
            new_files = sum(1 for f in files if str(f) not in existing)
            procs = writer_processes(new_files)
            with contextlib.ExitStack() as stack:
                writer = None  # opened at the first change, so an unchanged re-index writes nothing
                for done, path in enumerate(files, 1):
                    if cancel and cancel():
                        report.cancelled = True
                        break
                    key = str(path)
                    seen.add(key)
                    try:
                        data = corpus.read_bytes(path)
                        old = existing.get(key)
                        if old is not None and old.sha == corpus.content_hash(data):
                            report.unchanged += 1
                        else:
                            doc = corpus.parse_file(path, data=data).to_document(
                                self._assign_id(key, taken)
                            )
                            if writer is None:
                                writer = stack.enter_context(
                                    search.writing(self.ix, self.index_dir, procs)
                                )
                            # Parsing the next files overlaps with the writer processes indexing these.
                            fields_ = search.document_fields(doc)
                            if old is not None:
                                writer.update_document(**fields_)
                                report.updated.append(doc.id)
                            else:
                                writer.add_document(**fields_)
                                report.added.append(doc.id)
                    except SkippedFile as exc:
                        report.skipped.append(Skip(key, str(exc)))
                        if key in existing:
                            gone.append(existing[key].id)
                    if progress:
                        progress(done, total)

                if not report.cancelled:
                    for doc in existing.values():
                        if doc.path in seen:
                            continue
                        p = Path(doc.path)
                        if any(p == r or r in p.parents for r in roots) and not p.exists():
                            gone.append(doc.id)
                    report.removed = sorted(set(gone))
                if report.removed:
                    if writer is None:
                        writer = stack.enter_context(search.writing(self.ix, self.index_dir, procs))
                    for doc_id in report.removed:
                        writer.delete_by_term("id", doc_id)
            self._docs = None

            self._reanchor_after_import(
                report.added + report.updated, report.removed
            )  # notes (issue 6)
            for root in roots:
                if root.exists() and str(root) not in self._manifest["roots"]:
                    self._manifest["roots"].append(str(root))
            self._write_manifest()
        report.seconds = time.perf_counter() - started
        return report

    # ================================================================ notes (issue 6, notes helper)
    # The user database (notes, entity corrections) opens on first use. Opening it makes
    # the daily backup and purges notes deleted more than 30 days ago, once per process.
    # Nothing here ever drops a note: see workbench/core/notes.py and userdb.py.

    def _init_user_data(self) -> None:
        self._userdb: sqlite3.Connection | None = None
        self._note_store: NoteStore | None = None
        self._userdb_lock = threading.Lock()

    def _close_user_data(self) -> None:
        with self._userdb_lock:
            if self._userdb is not None and self._note_store is not None:
                with self._note_store.lock:  # let a write in progress finish
                    self._userdb.close()
                self._userdb = None
                self._note_store = None

    @property
    def userdb(self) -> sqlite3.Connection:
        """The user database connection (opened, migrated and backed up on first use)."""
        return self.note_store.db

    @property
    def note_store(self) -> NoteStore:
        """The notes in the user database."""
        with self._userdb_lock:
            if self._note_store is None:
                db = userdb_mod.connect(self.root, on_notice=self.notice)
                self._userdb = db
                self._note_store = NoteStore(db)
                self._start_user_data(self._note_store)
            return self._note_store

    def _start_user_data(self, store: NoteStore) -> None:
        try:
            made = userdb_mod.backup_if_due(store.db, self.root)
            if made is not None:
                self.daily_backup = made
        except (OSError, sqlite3.Error) as exc:
            self.notice(f"Today's backup of your notes could not be written ({exc}).")
        store.purge_deleted()

    daily_backup: Path | None = None
    """The backup made when this Library opened the user database, if one was due."""

    def open_user_data(self) -> None:
        """Open the user database now (the GUI and CLI call this at start-up).

        Any message (a damaged file moved aside) reaches ``on_notice`` at once rather
        than at the first note; the daily backup is made.
        """
        self.note_store  # noqa: B018 - opening is the point

    def backup_user_data(self, target: str | os.PathLike[str] | None = None) -> Path:
        """Copy the user database now (to ``target``, or a dated file in the backups folder)."""
        path = (
            Path(target)
            if target
            else (
                userdb_mod.backup_dir(self.root)
                / f"manual-{time.strftime('%Y%m%d-%H%M%S')}.sqlite3"
            )
        )
        with self.note_store.lock:
            return userdb_mod.backup(self.userdb, path)

    def _doc_or_none(self, doc_id: str) -> Document | None:
        return self._load_docs().get(doc_id)

    def make_anchor(self, doc_id: str, start: int = 0, end: int = 0) -> Anchor:
        """An anchor on ``document(doc_id).text[start:end]``; ``start == end``: the whole document."""
        doc = self.document(doc_id)
        return notes_mod.anchor_at(doc.id, doc.text, start, end)

    def anchor_quote(self, doc_id: str, quote: str) -> Anchor:
        """An anchor on the first place ``quote`` occurs (ignoring case and spacing if need be)."""
        doc = self.document(doc_id)
        span = notes_mod.find_quote(doc.text, quote)
        if span is None:
            short = quote if len(quote) <= 60 else quote[:57] + "…"
            raise notes_mod.QuoteNotFound(
                f"the quote “{short}” is not in {doc.id} ({doc.title[:60]})"
            )
        return notes_mod.anchor_at(doc.id, doc.text, *span)

    def _checked_anchors(self, anchors: Iterable[Anchor]) -> tuple[list[Anchor], dict[str, str]]:
        """Anchors checked against the documents, with the quote and context filled in."""
        out: list[Anchor] = []
        shas: dict[str, str] = {}
        for a in anchors:
            doc = self._doc_or_none(a.doc_id)
            if doc is None:
                if a.orphaned:  # an orphan of a removed document keeps its place
                    out.append(a)
                    continue
                doc = self.document(a.doc_id)
            shas[doc.id] = doc.sha
            if a.orphaned:
                out.append(notes_mod.relocate(a, doc.text))
                continue
            made = notes_mod.anchor_at(doc.id, doc.text, a.start, a.end)
            if a.quote and made.quote != a.quote:
                raise UserError(
                    f"the anchor's quote does not match {doc.id} at {a.start}-{a.end}; "
                    "make anchors with Library.make_anchor or anchor_quote"
                )
            out.append(made)
        return out, shas

    def add_note(self, body: str, tags: Iterable[str] = (), anchors: Iterable[Anchor] = ()) -> Note:
        """Save a new note; when this returns it is on disk."""
        checked, shas = self._checked_anchors(anchors)
        return self.note_store.add(body, tags, checked, shas)

    def update_note(
        self,
        note_id: int,
        body: str | None = None,
        tags: Iterable[str] | None = None,
        anchors: Iterable[Anchor] | None = None,
    ) -> Note:
        """Change a note's body, tags or anchors (only what is given)."""
        if anchors is None:
            return self.note_store.update(note_id, body, tags)
        checked, shas = self._checked_anchors(anchors)
        return self.note_store.update(note_id, body, tags, checked, shas)

    def delete_note(self, note_id: int) -> Note:
        """Move a note to the deleted view; :meth:`restore_note` undoes it (for 30 days)."""
        return self.note_store.delete(note_id)

    def restore_note(self, note_id: int) -> Note:
        """Bring back a deleted note."""
        return self.note_store.restore(note_id)

    def note(self, note_id: int) -> Note:
        """One live note by id."""
        return self.note_store.get(note_id)

    def notes(
        self,
        doc_id: str | None = None,
        pair: tuple[str, str] | None = None,
        tag: str | None = None,
        text: str | None = None,
        deleted: bool = False,
    ) -> list[Note]:
        """Notes on a document, on a pair of documents (both anchored), with a tag, or
        containing text; all live notes with no filter; ``deleted=True``: the deleted view."""

        def full(i: str) -> str:
            try:
                return self.resolve_id(i)
            except UnknownDocument:
                return i  # a removed document's notes are still listed

        return self.note_store.query(
            doc_id=full(doc_id) if doc_id else None,
            pair=(full(pair[0]), full(pair[1])) if pair else None,
            tag=tag,
            text=text,
            deleted=deleted,
        )

    def search_notes(self, query: str, limit: int = 50) -> list[Note]:
        """Notes whose text, tags or quotes contain every term of a search-box query."""
        return self.note_store.search(query, limit=limit)

    def note_tags(self) -> list[tuple[str, int]]:
        """Tags in use and how many notes carry each (for completion), most used first."""
        return self.note_store.tags()

    def export_notes(self, path: str | os.PathLike[str], fmt: str | None = None) -> int:
        """Write notes as md (by document), csv (note x anchor) or json (full backup,
        with entity corrections); the format defaults to the file's suffix."""
        titles = {d.id: d.title for d in self._load_docs().values()}
        return notes_mod.export(self.note_store, Path(path), fmt, titles)

    def import_notes(self, path: str | os.PathLike[str]) -> NotesImport:
        """Restore a JSON backup (notes and entity corrections); importing twice changes nothing."""
        report = self.note_store.restore_json(notes_mod.read_backup(Path(path)))
        self.reanchor_notes()
        if report.corrections_added:
            self.entity_corrections_changed()  # (entities helper) the index follows at once
        return report

    def reanchor_notes(self, doc_ids: Iterable[str] | None = None) -> ReanchorReport:
        """Find anchors again in documents that changed since they were made."""
        docs = self._load_docs()
        wanted = set(doc_ids) if doc_ids is not None else None
        report = ReanchorReport()
        for doc_id, shas in self.note_store.anchored_docs().items():
            if wanted is not None and doc_id not in wanted:
                continue
            doc = docs.get(doc_id)
            if doc is not None and shas == {doc.sha}:
                continue
            report.merge(
                self.note_store.reanchor(doc_id, doc.text if doc else None, doc.sha if doc else "")
            )
        return report

    def _reanchor_after_import(self, written: Iterable[str], removed: Iterable[str]) -> None:
        written, removed = list(written), list(removed)
        if not written and not removed:
            return
        if self._note_store is None and not userdb_mod.db_path(self.root).exists():
            return  # no notes yet: do not create the database while indexing
        try:
            store = self.note_store
            anchored = store.anchored_docs()
        except WorkbenchError as exc:
            self.notice(f"Notes were not re-anchored to the changed documents: {exc}")
            return
        if not anchored.keys() & (set(written) | set(removed)):
            return
        docs = self._load_docs()
        report = ReanchorReport()
        for doc_id in written:
            doc = docs.get(doc_id)
            if doc is not None and doc_id in anchored and anchored[doc_id] != {doc.sha}:
                report.merge(store.reanchor(doc_id, doc.text, doc.sha))
        for doc_id in removed:
            if doc_id in anchored:
                report.merge(store.reanchor(doc_id, None))
        self.last_reanchor = report
        if report.moved or report.orphaned or report.recovered:
            parts = [f"{report.moved} followed their moved text"] if report.moved else []
            if report.recovered:
                parts.append(f"{report.recovered} found their text again")
            if report.orphaned:
                parts.append(f"{report.orphaned} orphaned (their text is gone; the notes are kept)")
            self.notice("Note anchors in changed documents: " + ", ".join(parts) + ".")

    last_reanchor: ReanchorReport | None = None
    """What re-anchoring did after the last import (None if there was nothing to do)."""

    # ================================================================= entities
    # (the entities helper's section: extraction, resolution, corrections, entity search)

    _entity_engine_obj: EntityEngine | None = None

    def _entities(self) -> EntityEngine:
        with self._docs_lock:
            if self._entity_engine_obj is None:
                from .entities import EntityEngine

                self._entity_engine_obj = EntityEngine(self.root, on_notice=self.notice)
            return self._entity_engine_obj

    def _close_entities(self) -> None:
        if self._entity_engine_obj is not None:
            self._entity_engine_obj.close()
            self._entity_engine_obj = None

    def _doc_texts(self) -> list[tuple[str, str]]:
        return [(d.id, d.text) for d in self._load_docs().values()]

    def _resolved(self) -> Any:
        return self._entities().resolved(self._doc_texts())

    def entities_available(self) -> tuple[bool, str]:
        """(True, "") if a spaCy English model is installed, else (False, why entities are off)."""
        return self._entities().available()

    def entities_pending(self) -> int:
        """How many documents have not been through entity extraction yet."""
        engine = self._entities()
        if not engine.available()[0]:
            return 0
        return len(engine.missing(self._doc_texts()))

    def extract_entities(
        self,
        progress: Progress | None = None,
        cancel: Cancel | None = None,
        n_process: int | None = None,
    ) -> EntityReport:
        """Phase 2 of indexing: NER on every document not yet cached, then the entity index.

        Raises :class:`~workbench.core.entities.EntitiesUnavailable` (one line) when no
        model can be loaded. On cancel, the documents processed so far stay cached.
        """
        from .entities import EntitiesUnavailable

        engine = self._entities()
        ok, message = engine.available()
        if not ok:
            raise EntitiesUnavailable(message)
        started = time.perf_counter()
        docs = self._doc_texts()
        report = engine.extract(docs, progress, cancel, n_process)
        if not report.cancelled:
            # A re-run with nothing new (same texts, NER results, corrections and index)
            # need not resolve the library again: the index says what it last received.
            digest = engine.digest(docs)
            synced = self._entity_sync_stamp()
            if (
                synced.get("digest") == digest
                and synced.get("generation") == self.ix.latest_generation()
            ):
                report.entities = int(synced.get("entities", 0))
            else:
                resolved = engine.resolved(docs)
                report.entities = len(
                    {de.entity.key for des in resolved.doc_entities.values() for de in des}
                )
                report.index_updated = self._sync_entity_index(resolved)
                self._write_entity_sync_stamp(digest, report.entities)
        report.seconds = time.perf_counter() - started
        return report

    _ENTITY_STAMP = "workbench-entities.json"  # in index/: a rebuilt index loses it, as it should

    def _entity_sync_stamp(self) -> dict[str, Any]:
        try:
            data = json.loads((self.index_dir / self._ENTITY_STAMP).read_text("utf-8"))
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

    def _write_entity_sync_stamp(self, digest: str, entities: int) -> None:
        stamp = {"digest": digest, "generation": self.ix.latest_generation(), "entities": entities}
        with contextlib.suppress(OSError):  # only an optimisation: the next run resolves again
            write_text_atomic(self.index_dir / self._ENTITY_STAMP, json.dumps(stamp))

    def _sync_entity_index(self, resolved: Any) -> int:
        """Rewrite the ``entities`` field of documents whose entity terms changed.

        The field holds, for each canonical entity in the document, its key, its name and
        every alias, so that ``entity:"Li Zhanshu"``, ``entity:Li`` or ``entity:"U.S."``
        find the same articles without any query rewriting.
        """
        with self._write_lock:
            docs = self._load_docs()
            with self.ix.searcher() as s:
                stored = {f["id"]: f.get("entities", "") for f in s.all_stored_fields()}
            changed = []
            for doc_id, doc in docs.items():
                terms = resolved.index_terms(doc_id)
                if ",".join(terms) != stored.get(doc_id, ""):
                    changed.append((doc, terms))
            if not changed:
                return 0
            # A first extraction rewrites every document: use both cores, as imports do.
            procs = writer_processes(len(changed))
            with search.writing(self.ix, self.index_dir, procs=procs) as writer:
                for doc, terms in changed:
                    writer.update_document(**search.document_fields(doc, terms))
            self._docs = None
            return len(changed)

    def entities(self, doc_id: str) -> list[DocEntity]:
        """The canonical entities of one document with their mentions, corrections applied.

        Most mentioned first. Empty if no model is available.
        """
        real_id = self.resolve_id(doc_id)
        if not self._entities().available()[0]:
            return []
        return list(self._resolved().doc_entities.get(real_id, []))

    def other_spans(self, doc_id: str) -> list[tuple[int, int, str]]:
        """Dates, times, amounts and percentages the model found in a document: (start, end, label).

        For a reader to show; they are not entities. Empty until the document's entities
        have been extracted, or without a model.
        """
        from .entities import OTHER_TYPES, text_hash

        doc = self.document(doc_id)
        engine = self._entities()
        if not engine.model.model_id:
            return []
        h = text_hash(doc.text)
        spans = engine.cache.get_all(engine.model.model_id, [h]).get(h, [])
        return sorted((s, e, label) for s, e, label in spans if label in OTHER_TYPES)

    def all_entities(self) -> list[Entity]:
        """Every canonical entity named in at least one document, by name."""
        if not self._entities().available()[0]:
            return []
        resolved = self._resolved()
        present = {de.entity.key for des in resolved.doc_entities.values() for de in des}
        return sorted(
            (resolved.entities[k] for k in present), key=lambda e: (e.name.casefold(), e.key)
        )

    def entity(self, key_or_name: str) -> Entity:
        """An entity by its key, its name or one of its aliases (any case)."""
        from .entities import UnknownEntity, norm_key

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

    def entity_documents(self, key: str) -> dict[str, int]:
        """Document id -> number of mentions, for every document naming the entity."""
        return self._resolved().documents_of(self.entity(key).key)

    def entity_suggestions(self) -> list[Suggestion]:
        """Pairs of entities with near-identical names, offered for merging (never merged for you)."""
        if not self._entities().available()[0]:
            return []
        return list(self._resolved().suggestions)

    def entity_table(self) -> pd.DataFrame:
        """Columns name, type, aliases ("; "-joined), documents, mentions, key; most documents first."""
        from . import tables

        return tables.entity_table(self._resolved())

    def entity_document_matrix(self) -> pd.DataFrame:
        """Mention counts, entity keys x document ids."""
        from . import tables

        return tables.document_matrix(self._resolved(), list(self._load_docs()))

    def comention_table(self, min_documents: int = 2) -> pd.DataFrame:
        """Pairs of entities named in the same documents (name_a, name_b, documents, key_a, key_b)."""
        from . import tables

        return tables.comention_table(self._resolved(), min_documents)

    def export_entity_table(self, path: str | os.PathLike[str], kind: str = "entities") -> Path:
        """Write the entity table, the entity x document matrix or the co-mentions as CSV."""
        from . import tables

        df, index = tables.table_for_export(self._resolved(), list(self._load_docs()), kind)
        return tables.export_csv(df, Path(path), index=index)

    def search_entity(self, query: str, entity: str, limit: int = 20) -> SearchResults:
        """Search, keeping only documents that name ``entity`` (a key, name or alias)."""
        ids = set(self.entity_documents(entity))
        return self._searcher.search(query, limit=limit, filter_ids=ids)

    # -- corrections: stored in the user database, applied at once, index kept in step

    def _correct(self, kind: str, payload: dict[str, Any]) -> int:
        engine = self._entities()
        cid = engine.correct(kind, payload)
        self._after_correction()
        return cid

    def entity_corrections_changed(self) -> None:
        """Call after the corrections table changed behind the Library's back (a restored
        backup): brings the entity index in step. Does nothing without a model."""
        if self._entities().available()[0]:
            self._after_correction()

    def _after_correction(self) -> None:
        """Bring the index in step with the corrections at once, and remember that it is."""
        engine = self._entities()
        docs = self._doc_texts()
        resolved = engine.resolved(docs)
        self._sync_entity_index(resolved)
        entities = len({de.entity.key for des in resolved.doc_entities.values() for de in des})
        self._write_entity_sync_stamp(engine.digest(docs), entities)

    def rename_entity(self, key: str, name: str) -> Entity:
        """Give an entity another display name (its key stays the same)."""
        from .errors import UserError

        e = self.entity(key)
        name = " ".join(name.split())
        if not name:
            raise UserError("a new name cannot be empty")
        self._correct("rename", {"key": e.key, "old_name": e.name, "name": name})
        return self.entity(e.key)

    def merge_entities(self, keys: Sequence[str], name: str | None = None) -> Entity:
        """Make several entities one; it keeps the first one's key, and ``name`` if given."""
        from .errors import UserError

        found = [self.entity(k) for k in keys]
        unique = list({e.key: e for e in found}.values())
        if len(unique) < 2:
            raise UserError("give at least two different entities to merge")
        payload = {"keys": [e.key for e in unique], "names": [e.name for e in unique], "name": name}
        self._correct("merge", payload)
        return self.entity(unique[0].key)

    def split_alias(self, key: str, alias: str) -> Entity:
        """Take one alias off an entity: its mentions become an entity of their own (returned)."""
        from .entities import norm_key
        from .errors import UserError

        e = self.entity(key)
        match = [a for a in e.aliases if a == alias] or [
            a for a in e.aliases if norm_key(a) == norm_key(alias)
        ]
        if not match:
            raise UserError(
                f"'{alias}' is not an alias of {e.name} (aliases: {', '.join(e.aliases) or 'none'})"
            )
        for a in match:
            self._correct("split", {"key": e.key, "name": e.name, "alias": a})
        resolved = self._resolved()
        for ent in resolved.entities.values():
            if (match[0] == ent.name or match[0] in ent.aliases) and ent.key != e.key:
                return ent
        return self.entity(norm_key(match[0]))

    def retype_entity(self, key: str, type: str) -> Entity:
        """Change an entity's type (one of ENTITY_TYPES)."""
        from .entities import ENTITY_TYPES
        from .errors import UserError

        type = type.upper()
        if type not in ENTITY_TYPES:
            raise UserError(f"unknown entity type '{type}' (choose from {', '.join(ENTITY_TYPES)})")
        e = self.entity(key)
        self._correct("retype", {"key": e.key, "name": e.name, "type": type})
        return self.entity(e.key)

    def dismiss_suggestion(self, key_a: str, key_b: str) -> None:
        """Say two entities offered as one are two: the pair is not suggested again (undoable)."""
        from .errors import UserError

        a, b = self.entity(key_a), self.entity(key_b)
        if a.key == b.key:
            raise UserError("give two different entities")
        self._correct("distinct", {"keys": [a.key, b.key], "names": [a.name, b.name]})

    def ignore_entity(self, key: str) -> None:
        """Put an entity on the stoplist: it is no longer shown, counted, indexed or propagated."""
        e = self.entity(key)
        self._correct("ignore", {"key": e.key, "name": e.name})

    def add_entity(self, doc_id: str, start: int, end: int, type: str) -> Entity:
        """Mark the selected text of a document as an entity (joining one of that name, if any).

        The name is then also found wherever else it appears verbatim.
        """
        from .entities import ENTITY_TYPES, normalise_span
        from .errors import UserError

        doc = self.document(doc_id)
        type = type.upper()
        if type not in ENTITY_TYPES:
            raise UserError(f"unknown entity type '{type}' (choose from {', '.join(ENTITY_TYPES)})")
        if not (0 <= start < end <= len(doc.text)):
            raise UserError(
                f"the selection {start}-{end} is outside the document (0-{len(doc.text)})"
            )
        text = doc.text
        # A selection made with the mouse often stops inside a word: take whole words.
        while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
            start -= 1
        while end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
            end += 1
        spans = normalise_span(text, start, end)
        if not spans:
            raise UserError(f"'{doc.text[start:end]}' is not a name (a name has a capital letter)")
        s, e = spans[0]
        quote = doc.text[s:e]
        self._correct("add", {"doc_id": doc.id, "start": s, "end": e, "text": quote, "type": type})
        for de in self.entities(doc.id):
            if any(m.start == s and m.end == e for m in de.mentions):
                return de.entity
        raise UserError(f"'{quote}' could not be added")  # pragma: no cover - defensive

    def entity_corrections(self) -> list[Correction]:
        """The researcher's corrections, oldest first."""
        return self._entities().corrections()

    def undo_correction(self, correction_id: int) -> None:
        """Remove one correction (the entities are as if it had never been made)."""
        from .errors import UserError

        if not self._entities().delete_correction(correction_id):
            raise UserError(f"there is no correction {correction_id}")
        self._after_correction()

    # ----------------------------------------------------------------- compare (issue 4)
    # Owned by the compare helper: shared passages, shared/unique entities, related articles.

    def related(self, doc_id: str, limit: int = 10) -> list[compare.Related]:
        """Other documents ranked by shared passages, shared entities and wording, best first."""
        if limit < 1:
            raise UserError("the number of related documents must be at least 1")
        real_id = self.resolve_id(doc_id)
        return compare.find_related(self.ix, real_id, limit, self.entities(real_id))

    def compare(
        self,
        a_id: str,
        b_id: str,
        progress: Progress | None = None,
        cancel: Cancel | None = None,
        min_words: int = DEFAULT_MIN_WORDS,
        min_similarity: float = DEFAULT_MIN_SIMILARITY,
    ) -> compare.Comparison:
        """Shared and unique entities and shared passages of two documents.

        Entities come from :meth:`entities` (corrections applied). If either document has
        not been through entity extraction yet, it is extracted now (both at most: the
        rest of the library waits for ``extract_entities``). Without a model the entity
        lists are empty and ``notes`` says why. Raises
        :class:`~workbench.core.compare.ComparisonCancelled` when ``cancel()`` turns true.
        """
        if min_words < 1:
            raise UserError("the minimum passage length must be at least 1 word")
        if not 0.0 <= min_similarity <= 1.0:
            raise UserError("the minimum similarity must be between 0 and 1")
        a, b = self.document(a_id), self.document(b_id)
        total = 3
        notes: list[str] = []

        def step(done: int) -> None:
            if cancel and cancel():
                raise compare.ComparisonCancelled("the comparison was cancelled")
            if progress:
                progress(done, total)

        step(0)
        ok, message = self.entities_available()
        a_entities: list[DocEntity] = []
        b_entities: list[DocEntity] = []
        if ok:
            engine = self._entities()
            missing = engine.missing([(d.id, d.text) for d in {a.id: a, b.id: b}.values()])
            try:
                if missing:
                    report = engine.extract(missing, cancel=cancel)
                    if report.cancelled:
                        raise compare.ComparisonCancelled("the comparison was cancelled")
                step(1)
                a_entities, b_entities = self.entities(a.id), self.entities(b.id)
            except compare.ComparisonCancelled:
                raise
            except WorkbenchError as exc:
                # The model failed to load: the passages are still worth showing.
                notes.append(str(exc))
        else:
            notes.append(message)
        step(2)
        passages = compare.align(a.text, b.text, min_words, min_similarity)
        shared, only_a, only_b = compare.compare_entities(a, b, a_entities, b_entities)
        step(3)
        return compare.Comparison(a, b, shared, only_a, only_b, passages, notes)

    def export_comparison(
        self,
        a_id: str,
        b_id: str,
        path: str | os.PathLike[str],
        min_words: int = DEFAULT_MIN_WORDS,
        min_similarity: float = DEFAULT_MIN_SIMILARITY,
    ) -> Path:
        """Write the comparison of two documents as Markdown (.md) or CSV (.csv), by suffix."""
        import csv
        import io

        target = Path(path).expanduser()
        suffix = target.suffix.lower()
        if suffix not in {".md", ".markdown", ".csv"}:
            raise UserError(
                f"cannot export a comparison to '{target.name}': give a .md or .csv file name"
            )
        result = self.compare(a_id, b_id, min_words=min_words, min_similarity=min_similarity)
        if suffix == ".csv":
            buf = io.StringIO()
            writer = csv.DictWriter(buf, fieldnames=compare.CSV_COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(compare.comparison_rows(result))
            content = buf.getvalue()
        else:
            content = compare.comparison_markdown(result)
        if not target.parent.is_dir():
            raise UserError(f"cannot write {target}: the folder {target.parent} does not exist")
        try:
            write_text_atomic(target, content)
        except OSError as exc:
            raise WorkbenchError(f"cannot write {target}: {exc.strerror or exc}") from None
        return target
