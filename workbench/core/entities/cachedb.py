"""A rebuildable cache in one SQLite file, shared by several parts (NER results, the
resolved entities, quotes), each with its own tables and format version.

Nothing in a cache is the user's work: whatever is wrong with it is repaired by
rebuilding, and the user is told in one line. What "wrong" means is decided by SQLite's
error code (``sqlite3.Error.sqlite_errorcode``), never by the wording of a message:

- ``SQLITE_BUSY``/``SQLITE_LOCKED``: another process is writing; :class:`LibraryBusy`,
  the file is left alone (deleting it would pull it from under the other process);
- ``SQLITE_CORRUPT``/``SQLITE_NOTADB``, text that is not UTF-8, or a table missing its
  columns: the file is damaged; it is deleted and made again, with a notice;
- a full disk, an I/O error, a read-only file or folder: one line
  (:class:`CacheUnavailable`), nothing deleted.

Using it from another package (the quotes, say)::

    QUOTES = CachePart("quotes", 1, ("CREATE TABLE IF NOT EXISTS quotes (...)",), ("quotes",))
    cache = CacheFile(root / "entities-cache.sqlite3", [QUOTES], on_notice)
    try:
        with cache.reading() as conn:
            rows = conn.execute("SELECT ... FROM quotes").fetchall()
        with cache.writing() as conn:      # one transaction
            conn.executemany("INSERT ...", rows)
    except CacheRebuilt:
        ...  # the file was damaged and is now empty: start again (the user was told)

A part whose version changed gets its own tables dropped and made again; the other
parts keep theirs. Two processes may hold the same file: one that finds it rebuilt by
the other (a new inode) reopens it before the next read or write.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .. import userdb
from ..errors import LibraryBusy, WorkbenchError
from ..files import exclusive

# Failures outside the file (a full disk, no permission, an I/O error): never a reason
# to delete it.
_ENVIRONMENT = frozenset(
    {
        sqlite3.SQLITE_PERM,
        sqlite3.SQLITE_READONLY,
        sqlite3.SQLITE_IOERR,
        sqlite3.SQLITE_FULL,
        sqlite3.SQLITE_CANTOPEN,
    }
)


def is_busy(exc: BaseException) -> bool:
    """Another connection holds the lock."""
    return isinstance(exc, sqlite3.Error) and userdb.is_busy(exc)


def is_damaged(exc: BaseException) -> bool:
    """The file's content cannot be trusted: not a database, a corrupt page, or text
    that is not UTF-8 (a garbled page read as a string)."""
    return isinstance(exc, UnicodeDecodeError) or (
        isinstance(exc, sqlite3.Error) and userdb.is_damage(exc)
    )


def is_environment(exc: BaseException) -> bool:
    """A full disk, an I/O error, no permission: nothing is wrong with the file itself."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code is not None and (int(code) & 0xFF) in _ENVIRONMENT


def describe(exc: BaseException) -> str:
    """One short line for an SQLite error: its code name and message."""
    name = getattr(exc, "sqlite_errorname", None)
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return f"{text} ({name})" if name else text


class CacheRebuilt(WorkbenchError):
    """The cache file was damaged and has been made again, empty (the user was told)."""


class CacheUnavailable(WorkbenchError):
    """The cache cannot be read or written for a reason outside the file (disk full,
    permissions); nothing was deleted."""


@dataclass(frozen=True)
class CachePart:
    """One owner's tables in a cache file and the format they are in.

    ``schema`` are ``CREATE ... IF NOT EXISTS`` statements; ``tables`` are dropped when
    the stored version differs from ``version``. ``meta_key`` names the version's row in
    the file's ``meta`` table. ``rebuilt`` is said when the part is made again because
    its version changed (None: say nothing, the part is quick to remake).
    """

    name: str
    version: int
    schema: tuple[str, ...]
    tables: tuple[str, ...]
    meta_key: str = ""
    rebuilt: str | None = None
    check: str = ""
    """A cheap query that fails when the part's tables are unusable (run on open)."""

    @property
    def key(self) -> str:
        return self.meta_key or f"format:{self.name}"


def _strict_text(data: bytes) -> str:
    # A damaged page read as text raises UnicodeDecodeError, which is_damaged knows.
    return data.decode("utf-8")


class CacheFile:
    """One SQLite cache file: opened under a cross-process lock, checked, rebuilt when
    damaged, and reached through :meth:`reading` and :meth:`writing`."""

    BUSY_TIMEOUT = 10.0
    """Seconds to wait for another process's transaction before saying the cache is busy."""

    def __init__(
        self,
        path: Path,
        parts: Iterable[CachePart],
        on_notice: Callable[[str], None] | None = None,
        label: str = "entity cache",
        lost: str = "Entities will be extracted again.",
        busy_timeout: float | None = None,
    ) -> None:
        self.path = path
        self.busy_timeout = self.BUSY_TIMEOUT if busy_timeout is None else busy_timeout
        self.parts = list(parts)
        self.label = label
        self.lost = lost
        self.generation = 0
        """Bumped every time the file is made again: a user of the cache that keeps
        state of its own compares it to know when to start over."""
        self._notice = on_notice
        self._lock = threading.RLock()
        self._read_lock = threading.RLock()
        self._inode: int | None = None
        self._reader: sqlite3.Connection | None = None
        self.conn = self._open()

    # ----------------------------------------------------------------- opening

    def busy_message(self) -> str:
        return (
            f"the {self.label} {self.path} is busy in another Workbench process; try again shortly"
        )

    def _open(self) -> sqlite3.Connection:
        # Processes opening the cache at once take turns: switching a new database to WAL
        # needs it to itself, and a lock must not be taken for damage.
        with exclusive(self.path.with_name(self.path.name + ".lock"), 15.0, self.busy_message()):
            return self._open_locked()

    def _open_locked(self) -> sqlite3.Connection:
        try:
            conn = self._connect()
            try:
                self._check_parts(conn)
            except BaseException:
                conn.close()
                raise
            return conn
        except (sqlite3.Error, UnicodeDecodeError, ValueError) as exc:
            if is_busy(exc):
                raise LibraryBusy(self.busy_message()) from None
            if is_environment(exc):
                raise CacheUnavailable(
                    f"cannot open the {self.label} {self.path}: {describe(exc)}"
                ) from None
            self._delete(f"it was unreadable ({describe(exc)})")
            return self._connect()

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(
            self.path, timeout=self.busy_timeout, isolation_level=None, check_same_thread=False
        )
        conn.text_factory = _strict_text
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")  # a cache: losing the last write is harmless
        conn.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
        for part in self.parts:
            self._create(conn, part)
        with contextlib.suppress(OSError):
            self._inode = os.stat(self.path).st_ino
        return conn

    def _create(self, conn: sqlite3.Connection, part: CachePart) -> None:
        for statement in part.schema:
            conn.execute(statement)
        conn.execute("INSERT OR IGNORE INTO meta VALUES (?, ?)", (part.key, str(part.version)))

    def _check_parts(self, conn: sqlite3.Connection) -> None:
        for part in self.parts:
            row = conn.execute("SELECT value FROM meta WHERE name = ?", (part.key,)).fetchone()
            if row is None or row[0] != str(part.version):
                self._remake_part(conn, part, row[0] if row else "?")
            elif part.check:
                conn.execute(part.check).fetchall()

    def _remake_part(self, conn: sqlite3.Connection, part: CachePart, found: str) -> None:
        conn.execute("BEGIN IMMEDIATE")
        try:
            for table in part.tables:
                conn.execute(f'DROP TABLE IF EXISTS "{table}"')
            conn.execute("DELETE FROM meta WHERE name = ?", (part.key,))
            self._create(conn, part)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        if part.rebuilt and self._notice:
            self._notice(
                f"The {self.label} was rebuilt: its {part.name} part is from another "
                f"version (format {found}). {part.rebuilt}"
            )

    def add_part(self, part: CachePart) -> None:
        """Bring one more part's tables into the file (made, or remade if its version changed)."""
        with self._lock:
            self.parts.append(part)
            try:
                self._create(self.conn, part)
                self._check_parts(self.conn)
            except (sqlite3.Error, UnicodeDecodeError) as exc:
                self._failed(exc)

    def _delete(self, why: str) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(str(self.path) + suffix).unlink(missing_ok=True)
        self.generation += 1
        if self._notice:
            self._notice(f"The {self.label} was rebuilt: {why}. {self.lost}")

    # ----------------------------------------------------------------- using

    def _replaced(self) -> bool:
        try:
            inode: int | None = os.stat(self.path).st_ino
        except OSError:
            inode = None
        return inode != self._inode

    def _reopen_if_replaced(self) -> None:
        """Another process may have rebuilt the file: follow it to the new one (called
        holding the write lock; the read lock is always taken after it)."""
        if self._replaced():
            with self._read_lock:
                self._close_reader()
                with contextlib.suppress(sqlite3.Error):
                    self.conn.close()
                self.generation += 1
                self.conn = self._open()

    def _close_reader(self) -> None:
        if self._reader is not None:
            with contextlib.suppress(sqlite3.Error):
                self._reader.close()
            self._reader = None

    def reader(self) -> sqlite3.Connection:
        """A connection of its own for reads: in WAL mode it reads the last committed
        state while a write transaction runs on :attr:`conn` (call under :meth:`reading`)."""
        if self._reader is None:
            reader = sqlite3.connect(
                self.path, timeout=self.busy_timeout, isolation_level=None, check_same_thread=False
            )
            reader.text_factory = _strict_text
            self._reader = reader
        return self._reader

    def _failed(self, exc: BaseException) -> None:
        """Turn an error met while using the file into the right one line, rebuilding
        the file first if it is damaged."""
        if is_busy(exc):
            raise LibraryBusy(self.busy_message()) from None
        if is_damaged(exc):
            with self._read_lock:
                self._close_reader()
            with contextlib.suppress(sqlite3.Error):
                self.conn.close()
            with exclusive(
                self.path.with_name(self.path.name + ".lock"), 15.0, self.busy_message()
            ):
                self._delete(f"it was damaged ({describe(exc)})")
                self.conn = self._connect()
            raise CacheRebuilt(f"the {self.label} was damaged and has been rebuilt") from None
        if is_environment(exc):
            raise CacheUnavailable(
                f"cannot use the {self.label} {self.path}: {describe(exc)}"
            ) from None
        raise exc

    @contextlib.contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """A connection for reads (its own: a write in progress does not hold it up).
        Raises :class:`CacheRebuilt` when the file turned out to be damaged (it is then
        empty)."""
        if self._replaced():
            with self._lock:
                self._reopen_if_replaced()
        failure: BaseException | None = None
        with self._read_lock:
            try:
                yield self.reader()
            except (sqlite3.Error, UnicodeDecodeError) as exc:
                failure = exc
        if failure is not None:
            with self._lock:
                self._failed(failure)

    @contextlib.contextmanager
    def writing(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (``BEGIN IMMEDIATE`` ... ``COMMIT``), rolled back on any
        error. Raises :class:`CacheRebuilt` when the file turned out to be damaged."""
        with self._lock:
            self._reopen_if_replaced()
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                try:
                    yield self.conn
                except BaseException:
                    with contextlib.suppress(sqlite3.Error):
                        self.conn.execute("ROLLBACK")
                    raise
                self.conn.execute("COMMIT")
            except (sqlite3.Error, UnicodeDecodeError) as exc:
                with contextlib.suppress(sqlite3.Error):
                    if self.conn.in_transaction:
                        self.conn.execute("ROLLBACK")
                self._failed(exc)

    def close(self) -> None:
        with self._read_lock:
            self._close_reader()
        with self._lock, contextlib.suppress(sqlite3.Error):
            self.conn.close()
