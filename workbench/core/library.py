"""The Library: the one root object through which the CLI and the GUI reach the engine.

A Library lives in a data directory::

    library.json        the folders and files the user added, and the id given to each path
    index/              the Whoosh index and the document store (documents.sqlite3): caches,
                        rebuilt from the files when unusable
    workbench.sqlite3   the user's notes and entity corrections (never a cache)

It owns lifecycle, the manifest and ids, documents, search and import, and one
connection to the user database. Two managers hang off it, as in Anki's collection::

    lib.notes      NotesManager   (core/notes/)     notes, anchors, export, backup
    lib.entities   EntityManager  (core/entities/)  extraction, resolution, corrections
    lib.quotes     QuoteManager   (core/quotes/)    who said what, by document and speaker

Comparing and relating articles are plain functions (core/compare/) that
:meth:`compare` and :meth:`related` call. Every mutation returns a
:class:`~workbench.core.changes.Changes` (in a report, or with the value it made) and
hands it to the subscribers (:meth:`subscribe`): a view refreshes from that one signal.

Long operations take ``progress(done, total)`` and ``cancel()`` callables so that a GUI can
show a progress bar with a Cancel button and a CLI a progress line. Things the user should
know but that are not errors (an index rebuilt, a file skipped) are passed to
``on_notice`` and kept in :attr:`Library.notices`.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Collection, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from . import children, index, search
from . import userdb as userdb_mod
from .changes import Changes, Publisher, Subscriber
from .corpus import Document
from .errors import UnknownDocument, UserError, WorkbenchError
from .files import CannotWrite, exclusive
from .importer import ImportReport, find_files, import_files, resolve_roots
from .manifest import Manifest
from .paths import data_dir as default_data_dir
from .paths import seeds_dir
from .search import Searcher

if TYPE_CHECKING:
    from .compare import Comparison, Related
    from .entities.manager import EntityManager
    from .notes import NotesManager
    from .quotes.manager import QuoteManager
    from .search import SearchResults


Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]

__all__ = ["ImportReport", "Library"]


class Library:
    """A folder of articles, indexed and searchable, with the researcher's notes."""

    def __init__(self, root: Path, on_notice: Callable[[str], None] | None = None) -> None:
        children.install()
        self.root = root
        self.index_dir = root / "index"
        self.notices: list[str] = []
        self._on_notice = on_notice
        # _write_lock serialises writers in this process; readers (the GUI listing
        # documents while an import runs in the background) never wait for a writer.
        self._write_lock = threading.RLock()
        self._db_lock = threading.Lock()
        self._db: userdb_mod.UserDatabase | None = None
        self._publisher = Publisher()
        self.daily_backup: Path | None = None
        """The backup made when this Library opened the user database, if one was due."""
        self.manifest = Manifest(root, self.notice)
        self.ix, self.docs, self.pending_rebuild = index.open_or_recreate(self.index_dir)
        self._searcher = self._make_searcher()

    # The managers are made on first use: a command that only searches or shows a
    # document never imports the entity, note or comparison code.

    @functools.cached_property
    def notes(self) -> NotesManager:
        """The researcher's notes (core/notes/)."""
        from .notes import NotesManager

        manager = NotesManager(self)
        manager.whose_words = lambda doc, start, end: self.quotes.speaker_at(doc, start, end)
        return manager

    @functools.cached_property
    def entities(self) -> EntityManager:
        """The library's entities (core/entities/)."""
        from .entities.manager import EntityManager

        manager = EntityManager(self)  # a document's quotes are found with its entities
        manager.on_resolved.append(lambda docs, gone: self.quotes.after_resolve(docs, gone))
        manager.quote_counts = lambda: self.quotes.counts()
        return manager

    @functools.cached_property
    def quotes(self) -> QuoteManager:
        """Who said what (core/quotes/): each document's quotes and their speakers."""
        from .quotes.manager import QuoteManager

        return QuoteManager(self)

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
        if "entities" in self.__dict__:
            self.entities.close()
        self.docs.close()
        with self._db_lock:
            if self._db is not None:
                self._db.close()  # waits for a write in progress
                self._db = None

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def notice(self, message: str) -> None:
        """Record a one-line message for the user."""
        self.notices.append(message)
        if self._on_notice:
            self._on_notice(message)

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """Call ``callback(changes)`` after every mutation; returns a function that stops it."""
        return self._publisher.subscribe(callback)

    def publish(self, changes: Changes) -> None:
        """Tell the subscribers what a mutation changed."""
        self._publisher.publish(changes)

    def rebuild_if_needed(
        self, progress: Progress | None = None, cancel: Cancel | None = None
    ) -> ImportReport | None:
        """Re-read every added folder into a fresh index if the old one was unusable."""
        if not self.pending_rebuild:
            return None
        self.notice(f"Rebuilding the search index from your files: {self.pending_rebuild}.")
        self.pending_rebuild = None
        return self.refresh(progress, cancel)

    # ----------------------------------------------------------------- user database

    @property
    def db(self) -> userdb_mod.UserDatabase:
        """The user database (opened, migrated and backed up on first use).

        Opening it makes the day's backup and purges notes deleted more than 30 days ago.
        """
        with self._db_lock:
            if self._db is None:
                db = userdb_mod.open_database(self.root, on_notice=self.notice)
                if db.read_only is None:  # else nothing can be written: reading goes on
                    try:
                        self.daily_backup = userdb_mod.backup_if_due(db.conn, self.root)
                    except (OSError, sqlite3.Error) as exc:
                        self.notice(f"Today's backup of your notes could not be written ({exc}).")
                    from .notes import NoteStore

                    with contextlib.suppress(CannotWrite):  # a full disk: purged another day
                        NoteStore(db).purge_deleted()
                self._db = db
            return self._db

    def has_user_data(self) -> bool:
        """True once the user database exists (importing never creates it)."""
        return self._db is not None or userdb_mod.db_path(self.root).exists()

    def open_user_data(self) -> None:
        """Open the user database now (the GUI and CLI call this at start-up), so that a
        message (a damaged file moved aside) is shown at once rather than at the first note."""
        self.db  # noqa: B018 - opening is the point

    def corrections_changed(self) -> Changes:
        """Bring the entity index in step with corrections restored from a backup."""
        return self.entities.corrections_changed()

    # ----------------------------------------------------------------- documents

    def documents(self) -> Iterator[Document]:
        """Every document with its text, by id, read a batch at a time (for a listing,
        ``docs.summaries()`` or ``docs.iter_summaries()`` read no texts)."""
        return self.docs.iter_documents()

    def is_empty(self) -> bool:
        return self.ix.doc_count() == 0

    def resolve_id(self, prefix: str) -> str:
        """The full id for an id or any unique prefix of one."""
        if prefix and self.docs.has(prefix):
            return prefix
        found = self.docs.with_prefix(prefix) if prefix else []
        if len(found) == 1:
            return found[0]
        if not found:
            raise UnknownDocument(f"no document has the id '{prefix}' (see 'workbench docs')")
        shown = ", ".join(found[:5]) + (", …" if len(found) > 5 else "")
        raise UnknownDocument(
            f"'{prefix}' matches {len(found) if len(found) <= 5 else 'several'} documents "
            f"({shown}); give more of the id"
        )

    def document(self, doc_id: str) -> Document:
        """The document with this id or unique id prefix."""
        doc = self.docs.get(self.resolve_id(doc_id))
        if doc is None:  # removed by another process between the two reads
            raise UnknownDocument(f"no document has the id '{doc_id}' (see 'workbench docs')")
        return doc

    def find_document(self, doc_id: str) -> Document | None:
        """The document with exactly this id, or None."""
        return self.docs.get(doc_id)

    def titles(self) -> dict[str, str]:
        """Each document's title, by id."""
        return self.docs.titles()

    # ----------------------------------------------------------------- search

    def search(self, query: str, limit: int = 20) -> search.SearchResults:
        """Run a query in Whoosh's language over titles and bodies, best hits first
        (``speaker:`` and ``quote:`` clauses: see :mod:`workbench.core.quotes.query`)."""
        if limit < 1:
            raise UserError("the number of hits to show must be at least 1")
        from .quotes.query import split_query

        clauses = split_query(query)
        if clauses.any:  # they keep the documents with such quotes
            return self.quotes.search(clauses, limit, self._search)
        return self._search(query, None, limit)

    def _search(self, query: str, ids: Collection[str] | None, limit: int) -> SearchResults:
        with self._reading_index():
            return self._searcher.search(query, limit=limit, only=ids)

    @contextlib.contextmanager
    def _reading_index(self) -> Iterator[None]:
        """Any failure of the index while reading (not a bad query) is damage: the index
        is recreated empty at once and :class:`~workbench.core.index.IndexDamaged` says
        so in one line; :meth:`rebuild_if_needed` then re-reads the files."""
        try:
            yield
        except WorkbenchError:
            raise
        except Exception as exc:  # Whoosh raises many kinds on a damaged file
            reason = f"the search index is damaged ({type(exc).__name__}: {exc})"[:200]
            self.recreate_index(reason)
            raise index.IndexDamaged(f"{reason}; it is being rebuilt from your files") from None

    def recreate_index(self, reason: str) -> None:
        """Replace the index and document store by empty ones; the next
        :meth:`rebuild_if_needed` re-reads every added folder into them."""
        with self._write_lock:
            self._searcher.close()
            self.docs.close()
            with exclusive(
                self.root / f".{self.index_dir.name}.lock",
                index.WRITER_TIMEOUT,
                "another Workbench process is opening the index; try again shortly",
            ):
                self.ix, self.docs = index.create_index(self.index_dir)
            self._searcher = self._make_searcher()
            self.pending_rebuild = reason

    def _make_searcher(self) -> Searcher:
        return Searcher(self.ix, self.docs.get_many, self.index_dir, self._documents_named)

    def _documents_named(self, term: str, prefix: bool) -> set[str]:
        """``entity:``'s documents, from the entity store."""
        return self.entities.documents_named(term, prefix)

    def index_generation(self) -> int:
        """The index's generation: it changes with every commit."""
        return int(self.ix.latest_generation())

    def _writer(self, procs: int = 1) -> contextlib.AbstractContextManager[index.LibraryWriter]:
        return index.writing(self.ix, self.index_dir, self.docs, procs)

    # ----------------------------------------------------------------- importing

    @property
    def roots(self) -> list[str]:
        """The folders and files the user has added."""
        return self.manifest.roots

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
        far is kept and nothing is removed. The report carries the import's changes.
        """
        started = time.perf_counter()
        report = ImportReport()
        roots = resolve_roots(paths, report)
        files = find_files(roots, report)
        with self._write_lock, self._importing():
            # Another process may have imported since this one last looked: start from what
            # is on disk now, so an id is never handed to two files.
            self.manifest.reload()
            existing = self.docs.files()
            self.manifest.adopt({path: state.id for path, state in existing.items()})
            import_files(
                roots,
                files,
                existing,
                self.manifest,
                self._writer,
                self.docs,
                report,
                progress,
                cancel,
            )
            if report.added or report.updated or report.removed:
                self.notes.after_import(report.added + report.updated, report.removed)
            for root in roots:
                if root.exists():
                    self.manifest.add_root(str(root))
            if self.manifest.changed:
                self.manifest.write()
        report.seconds = time.perf_counter() - started
        self.publish(report.changes)
        return report

    def _importing(self) -> contextlib.AbstractContextManager[None]:
        """The cross-process import lock: one import at a time per data directory.

        The index's own write lock covers only the index; this one also covers the
        manifest's path -> id map, which note anchors rely on.
        """
        return exclusive(
            self.root / ".import.lock",
            index.WRITER_TIMEOUT,
            "the library is busy: another Workbench is importing files; try again shortly",
        )

    # ----------------------------------------------------------------- comparing

    def related(self, doc_id: str, limit: int = 10, sort: str = "score") -> list[Related]:
        """Other documents ranked by shared passages, shared entities and wording, best first
        (``sort="reuse"``: by the share of text they reuse)."""
        if limit < 1:
            raise UserError("the number of related documents must be at least 1")
        from . import compare

        real_id = self.resolve_id(doc_id)
        entities = self.entities.of_document(real_id)
        with self._reading_index():
            return compare.find_related(
                self.ix, self.docs, real_id, limit, entities, sort=sort, lookup=self.entities
            )

    def compare(
        self,
        a_id: str,
        b_id: str,
        progress: Progress | None = None,
        cancel: Cancel | None = None,
        min_words: int | None = None,
        min_similarity: float | None = None,
    ) -> Comparison:
        """Shared and unique entities and shared passages of two documents (see
        :func:`~workbench.core.compare.compare_documents`); the passage limits default to
        :data:`~workbench.core.compare.DEFAULT_MIN_WORDS` and ``DEFAULT_MIN_SIMILARITY``."""
        from . import compare

        min_words = compare.DEFAULT_MIN_WORDS if min_words is None else min_words
        if min_similarity is None:
            min_similarity = compare.DEFAULT_MIN_SIMILARITY
        compare.check_options(min_words, min_similarity)
        a, b = self.document(a_id), self.document(b_id)
        # How rare words are in the library decides whether a short shared clause is reuse.
        with self._reading_index():
            reader = self.ix.reader()
        try:
            rarity = compare.index_rarity(reader, a.language)
            limits = (min_words, min_similarity, progress, cancel, rarity)
            return compare.compare_documents(a, b, self.entities, *limits, quotes=self.quotes)
        finally:
            reader.close()

    def export_comparison(
        self,
        a_id: str,
        b_id: str,
        path: str | os.PathLike[str],
        min_words: int | None = None,
        min_similarity: float | None = None,
    ) -> Path:
        """Write the comparison of two documents as Markdown (.md) or CSV (.csv), by suffix."""
        from . import compare

        target = compare.export_target(path)
        result = self.compare(a_id, b_id, min_words=min_words, min_similarity=min_similarity)
        return compare.write_comparison(result, target)
