"""The document store: every document's id, path, title and metadata, and its text.

A SQLite database beside the index (``index/documents.sqlite3``), and like the index a
cache rebuilt from the files. It answers what the index cannot answer cheaply: the list
of documents with their titles (without their texts), a document by id or unique id
prefix, the path -> size/modification time/hash map an unchanged re-index compares
against, and one document's text when it is shown or compared. A text is read only when
asked for, so opening one document, comparing two or listing a hundred thousand never
loads the others' texts.

Texts are stored zlib-compressed, and paths as the bytes the file system gave (a file
name that is not valid UTF-8 is kept exactly). Metadata fields a reader adds to
:class:`~workbench.core.corpus.Document` travel in a JSON column, so a new field needs
no change here.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import sqlite3
import threading
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .corpus import DocInfo, Document
from .files import CannotWrite, cannot_write, read_only_connection

STORE_NAME = "documents.sqlite3"
STORE_FORMAT = 1
_CORE = ("id", "path", "title", "sha")
"""Columns of their own; every other DocInfo field goes into the ``fields`` JSON."""


@dataclass(frozen=True)
class FileState:
    """What an import compares a file against: its document and the file it came from."""

    id: str
    sha: str
    size: int
    mtime_ns: int


class DocumentStore:
    """Documents in SQLite; safe to use from several threads.

    Writes go through one connection under a lock; reads through a connection per thread,
    so that a reader (the app listing documents) never waits for an import's transaction
    or another thread's read: in WAL mode it reads the last committed state meanwhile.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.read_only: CannotWrite | None = None
        """Why the store cannot be written (a full disk, a read-only folder), if it cannot:
        it is then read as it is, and every write is refused with this line."""
        self._write_lock = threading.RLock()
        self._writer = self._connect(path)
        try:
            self._prepare(self._writer)
        except sqlite3.Error as exc:
            refused = cannot_write(exc, "the list of documents", path)
            if refused is None or not path.exists():
                self._writer.close()
                raise
            self._writer.close()
            self._writer = self._connect(path, read_only=True)
            self.read_only = refused
        # Reads take a connection from a small pool and give it back: a long read (an
        # extraction streaming every text) never makes another thread (the window) wait.
        self._idle: list[sqlite3.Connection] = []
        self._all: list[sqlite3.Connection] = []
        self._pool_lock = threading.Lock()

    @staticmethod
    def _prepare(db: sqlite3.Connection) -> None:
        db.execute("PRAGMA journal_mode = WAL")
        # An import writes every document in one transaction: 64 MB of page cache keeps
        # the title and path indexes in memory while it does (SQLite's default is 2 MB).
        db.execute("PRAGMA cache_size = -65536")
        db.execute("PRAGMA synchronous = NORMAL")  # a cache: rebuilt if a write is lost
        made = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
        if db.execute("PRAGMA user_version").fetchone()[0] == STORE_FORMAT and made >= {
            "documents",
            "documents_path",
            "documents_title",
        }:
            return  # made already: opening it writes nothing (a full disk can still read it)
        db.execute(
            "CREATE TABLE IF NOT EXISTS documents ("
            " id TEXT PRIMARY KEY, path BLOB NOT NULL, title TEXT NOT NULL,"
            " sha TEXT NOT NULL, fields TEXT NOT NULL, size INTEGER NOT NULL DEFAULT 0,"
            " mtime_ns INTEGER NOT NULL DEFAULT 0, text BLOB NOT NULL)"
        )
        db.execute("CREATE INDEX IF NOT EXISTS documents_path ON documents(path)")
        db.execute(
            "CREATE INDEX IF NOT EXISTS documents_title ON documents(title COLLATE NOCASE, id)"
        )
        db.execute(f"PRAGMA user_version = {STORE_FORMAT}")

    def _writing(self) -> sqlite3.Connection:
        """The connection that writes, or the line saying why nothing can be written."""
        if self.read_only is not None:
            raise self.read_only
        return self._writer

    @staticmethod
    def _connect(path: Path, read_only: bool = False) -> sqlite3.Connection:
        if read_only:
            db = read_only_connection(path)
        else:
            db = sqlite3.connect(path, timeout=10.0, isolation_level=None, check_same_thread=False)
        db.create_function("casefold", 1, lambda t: t.casefold() if t else t, deterministic=True)
        return db

    def _rows(self, sql: str, params: Sequence[object] = ()) -> list[Any]:
        """Every row of one read, through a pooled connection."""
        with self._pool_lock:
            conn = self._idle.pop() if self._idle else None
        if conn is None:
            conn = self._connect(self.path, read_only=self.read_only is not None)
            with self._pool_lock:
                self._all.append(conn)
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            with self._pool_lock:
                self._idle.append(conn)

    def _row(self, sql: str, params: Sequence[object] = ()) -> Any:
        """The first row of one read, or None."""
        rows = self._rows(sql, params)
        return rows[0] if rows else None

    def close(self) -> None:
        with self._write_lock:
            self._writer.close()
        with self._pool_lock:
            for conn in self._all:
                conn.close()
            self._all.clear()
            self._idle.clear()

    # ------------------------------------------------------------ reading

    def count(self) -> int:
        return int(self._row("SELECT count(*) FROM documents")[0])

    def ids(self) -> list[str]:
        """Every id, sorted."""
        return [r[0] for r in self._rows("SELECT id FROM documents ORDER BY id")]

    def has(self, doc_id: str) -> bool:
        row = self._row("SELECT 1 FROM documents WHERE id = ?", (doc_id,))
        return row is not None

    def with_prefix(self, prefix: str, limit: int = 6) -> list[str]:
        """Up to ``limit`` ids starting with ``prefix``, sorted (an index range, not a scan)."""
        rows = self._rows(
            "SELECT id FROM documents WHERE id >= ? AND id < ? ORDER BY id LIMIT ?",
            (prefix, prefix + "\U0010ffff", limit),
        )
        return [r[0] for r in rows]

    def summaries(self, offset: int = 0, limit: int | None = None) -> list[DocInfo]:
        """Documents without their texts, by id; a page of them with ``offset``/``limit``."""
        return [_info(r) for r in self._page(offset, -1 if limit is None else limit)]

    def iter_summaries(
        self, offset: int = 0, limit: int | None = None, batch: int = 2000
    ) -> Iterator[DocInfo]:
        """Documents without their texts, by id, read a batch at a time; ``offset`` and
        ``limit`` choose a page."""
        left = limit
        rows = self._page(offset, batch if left is None else min(batch, left))
        while rows:
            yield from (_info(r) for r in rows)
            if left is not None:
                left -= len(rows)
                if left <= 0:
                    return
            size = batch if left is None else min(batch, left)
            rows = self._rows(
                "SELECT id, path, title, sha, fields FROM documents WHERE id > ? "
                "ORDER BY id LIMIT ?",
                (rows[-1][0], size),
            )

    def _page(self, offset: int, limit: int) -> list[Any]:
        return self._rows(
            "SELECT id, path, title, sha, fields FROM documents ORDER BY id LIMIT ? OFFSET ?",
            (limit, offset),
        )

    def count_matching(self, title_filter: str = "") -> int:
        """How many documents have ``title_filter`` in their title (any case)."""
        if not title_filter:
            return self.count()
        where, params = _title_filter(title_filter)
        row = self._row(f"SELECT count(*) FROM documents {where}", params)
        return int(row[0])

    def page(
        self,
        offset: int,
        limit: int,
        order_by: str = "title",
        descending: bool = False,
        title_filter: str = "",
    ) -> list[DocInfo]:
        """One page of documents without texts, sorted by a field (``title``, ``id`` or any
        metadata field such as ``date`` or ``words``), of those whose title contains
        ``title_filter``: what a list view shows, a page at a time."""
        known = {f.name for f in dataclasses.fields(DocInfo)}
        if order_by not in known:
            raise ValueError(f"unknown field {order_by!r}")
        if order_by in _CORE:
            key = "title COLLATE NOCASE" if order_by == "title" else order_by
        else:
            key = f"json_extract(fields, '$.{order_by}')"
        direction = "DESC" if descending else "ASC"
        where, params = _title_filter(title_filter) if title_filter else ("", [])
        rows = self._rows(
            f"SELECT id, path, title, sha, fields FROM documents {where} "
            f"ORDER BY {key} {direction}, id {direction} LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )
        return [_info(r) for r in rows]

    def get(self, doc_id: str) -> Document | None:
        row = self._row(
            "SELECT id, path, title, sha, fields, text FROM documents WHERE id = ?", (doc_id,)
        )
        return None if row is None else _document(row)

    def get_many(self, ids: Sequence[str]) -> dict[str, Document]:
        """The documents with these ids (those that exist), texts included."""
        out: dict[str, Document] = {}
        for chunk in _chunks(list(dict.fromkeys(ids)), 500):
            marks = ",".join("?" * len(chunk))
            rows = self._rows(
                f"SELECT id, path, title, sha, fields, text FROM documents WHERE id IN ({marks})",
                chunk,
            )
            out.update((r[0], _document(r)) for r in rows)
        return out

    def iter_documents(self, batch: int = 200) -> Iterator[Document]:
        """Every document with its text, by id, a batch in memory at a time."""
        after = ""
        while True:
            rows = self._rows(
                "SELECT id, path, title, sha, fields, text FROM documents WHERE id > ? "
                "ORDER BY id LIMIT ?",
                (after, batch),
            )
            if not rows:
                return
            yield from (_document(r) for r in rows)
            after = rows[-1][0]

    def title(self, doc_id: str) -> str | None:
        row = self._row("SELECT title FROM documents WHERE id = ?", (doc_id,))
        return None if row is None else str(row[0])

    def titles(self) -> dict[str, str]:
        return dict(self._rows("SELECT id, title FROM documents"))

    def files(self) -> dict[str, FileState]:
        """Path -> the state of its document, for an import to compare files against."""
        rows = self._rows("SELECT path, id, sha, size, mtime_ns FROM documents")
        return {os.fsdecode(r[0]): FileState(r[1], r[2], r[3], r[4]) for r in rows}

    # ------------------------------------------------------------ writing

    def put(self, doc: Document, size: int = 0, mtime_ns: int = 0) -> None:
        """Add or replace a document (outside a :meth:`batch`, committed at once)."""
        with self._write_lock:
            self._writing().execute(
                "INSERT OR REPLACE INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    doc.id,
                    os.fsencode(doc.path),
                    doc.title,
                    doc.sha,
                    json.dumps(_extra_fields(doc), ensure_ascii=False),
                    size,
                    mtime_ns,
                    zlib.compress(doc.text.encode("utf-8", "surrogatepass"), 1),
                ),
            )

    def touch(self, doc_id: str, size: int, mtime_ns: int) -> None:
        """Record that a document's file changed its time but not its content."""
        with self._write_lock:
            self._writing().execute(
                "UPDATE documents SET size = ?, mtime_ns = ? WHERE id = ?", (size, mtime_ns, doc_id)
            )

    def delete(self, ids: Iterable[str]) -> None:
        with self._write_lock:
            self._writing().executemany("DELETE FROM documents WHERE id = ?", [(i,) for i in ids])

    def batch(self) -> _Batch:
        """A transaction: the writes inside it are committed together, or not at all."""
        return _Batch(self)

    def clear(self) -> None:
        with self._write_lock:
            self._writing().execute("DELETE FROM documents")


class _Batch:
    def __init__(self, store: DocumentStore) -> None:
        self.store = store

    def __enter__(self) -> DocumentStore:
        self.store._write_lock.acquire()
        try:
            self.store._writing().execute("BEGIN IMMEDIATE")
        except BaseException:
            self.store._write_lock.release()
            raise
        return self.store

    def __exit__(self, kind: object, *rest: object) -> None:
        writer = self.store._writer
        try:
            writer.execute("COMMIT" if kind is None else "ROLLBACK")
        except sqlite3.Error:
            # A commit the disk refused: leave no transaction open (SQLite may have
            # rolled it back already).
            if writer.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    writer.execute("ROLLBACK")
            if kind is None:
                raise
        finally:
            self.store._write_lock.release()


def _title_filter(text: str) -> tuple[str, list[str]]:
    """A WHERE clause for titles containing ``text`` in any case. SQLite's LIKE folds the
    case of ASCII letters only: other text is compared casefolded, by a Python function."""
    if text.isascii():
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return "WHERE title LIKE ? ESCAPE '\\'", [f"%{escaped}%"]
    return "WHERE instr(casefold(title), ?) > 0", [text.casefold()]


def _extra_fields(doc: DocInfo) -> dict[str, Any]:
    data = {f.name: getattr(doc, f.name) for f in dataclasses.fields(DocInfo)}
    for name in _CORE:
        data.pop(name, None)
    return data


def _info(row: Sequence[Any]) -> DocInfo:
    doc_id, path, title, sha, fields = row[:5]
    return DocInfo(id=doc_id, path=os.fsdecode(path), title=title, sha=sha, **_fields(fields))


def _document(row: Sequence[Any]) -> Document:
    doc_id, path, title, sha, fields, blob = row
    text = zlib.decompress(blob).decode("utf-8", "surrogatepass")
    return Document(
        id=doc_id, path=os.fsdecode(path), title=title, sha=sha, text=text, **_fields(fields)
    )


def _fields(raw: str) -> dict[str, Any]:
    known = {f.name for f in dataclasses.fields(DocInfo)}
    data = json.loads(raw)
    # A field this version does not know (a store written by a newer one) is left out.
    return {k: _frozen(v) for k, v in data.items() if k in known}


def _frozen(value: Any) -> Any:
    """JSON lists back as the tuples a frozen dataclass holds."""
    return tuple(_frozen(v) for v in value) if isinstance(value, list) else value


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
