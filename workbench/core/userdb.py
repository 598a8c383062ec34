"""The user's own database (SQLite): notes and entity corrections, the user's work.

Unlike the index and the entity cache, nothing here is a cache: it is never rebuilt,
dropped or silently rewritten.

- WAL journal with ``synchronous=FULL``: a saved note survives a power cut (in WAL mode
  ``NORMAL`` would only risk the last transactions on power loss, but these are notes).
- Foreign keys on, and a busy timeout so two Workbench processes can write in turn;
  every write is a ``BEGIN IMMEDIATE`` transaction (:func:`transaction`), so a writer
  waits for the lock instead of failing when it would have to upgrade a read lock.
- The schema version lives in ``PRAGMA user_version``; the migrations
  (:mod:`workbench.core.userschema`) are applied in order, each in its own transaction.
- A database from a newer Workbench is refused with a clear message and left untouched:
  its version is read through a read-only connection before anything (even the journal
  mode) is set.
- A file that is not a readable SQLite database, fails ``PRAGMA quick_check`` or is
  empty (0 bytes) is moved aside (never overwritten, never deleted) and a fresh one
  started; the one-line message names the moved file and the newest daily backup.
- Where the disk or the folder refuses writing (full, a read-only mount, another
  user's folder), the database is opened read-only: reading works and every write is
  refused in one line (:class:`~workbench.core.files.CannotWrite`). Text that is not
  UTF-8 is read with U+FFFD in place of the bad bytes, never rewritten.
- :func:`backup_if_due` copies the database once a day with the SQLite backup API into
  ``<data dir>/backups``, keeping the last :data:`BACKUPS_KEPT`.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from .errors import LibraryBusy, WorkbenchError
from .files import CannotWrite, cannot_write, read_only_connection, refusal, write_atomic
from .userschema import MIGRATIONS, SCHEMA_VERSION

DB_NAME = "workbench.sqlite3"
BACKUP_DIR = "backups"
BACKUP_PREFIX = "workbench-"
BACKUPS_KEPT = 7
BUSY_TIMEOUT_MS = 10_000

# SQLite's primary result codes that mean "this file is not a usable database", as
# opposed to a lock, a full disk or a permission problem, which must never lead to moving
# the user's file.
_DAMAGED = frozenset({sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB})


def is_damage(exc: sqlite3.Error) -> bool:
    """True when SQLite says the file itself is damaged or not a database (by result code)."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code is not None and (code & 0xFF) in _DAMAGED


def is_busy(exc: sqlite3.Error) -> bool:
    """True when another connection holds the lock SQLite waited for."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code is not None and (code & 0xFF) in {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}


def is_disk_full(exc: sqlite3.Error) -> bool:
    """True when a write failed because the disk is full."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code is not None and (code & 0xFF) == sqlite3.SQLITE_FULL


class NewerDatabase(WorkbenchError):
    """The database was written by a newer Workbench; it is not opened or changed."""


class DatabaseUnavailable(WorkbenchError):
    """The database could not be opened (locked, unreadable folder, disk full, ...)."""


class _Corrupt(Exception):
    """Internal: the file is damaged; ``str(exc)`` says how."""


class _Emptied(_Corrupt):
    """Internal: the file is there but empty (a database, once made, never is)."""


def db_path(data_dir: Path) -> Path:
    """Where the user database lives in a data directory."""
    return data_dir / DB_NAME


def backup_dir(data_dir: Path) -> Path:
    """Where the daily backups are kept."""
    return data_dir / BACKUP_DIR


def connect(data_dir: Path, on_notice: Callable[[str], None] | None = None) -> sqlite3.Connection:
    """Open (creating or migrating) the user database in ``data_dir`` for writing.

    Raises :class:`NewerDatabase` (file untouched), :class:`~workbench.core.files.CannotWrite`
    when the disk or the folder refuses writing (full, read-only, another user's:
    :func:`open_database` then opens it read-only), or :class:`DatabaseUnavailable`.
    A damaged or emptied file is moved aside and reported through ``on_notice``.
    """
    path = db_path(data_dir)
    if path.is_dir():
        raise DatabaseUnavailable(
            f"the notes database {path} is a folder, not a file: move that folder out of the "
            "way and try again"
        )
    try:
        version = _probe(path)
    except (_Corrupt, _Emptied) as exc:
        try:
            moved = _move_aside(path)
        except FileNotFoundError:
            # Another connection (the entity engine, another process) moved it first.
            version = _probe(path)
        except OSError as move_failed:
            raise DatabaseUnavailable(
                f"the notes database {path} is damaged ({exc}) and could not be moved aside "
                f"({move_failed.strerror}); nothing was changed"
            ) from None
        else:
            if on_notice:
                on_notice(_damaged_message(data_dir, moved, exc))
            version = 0
    if version > SCHEMA_VERSION:
        raise NewerDatabase(
            f"the notes database {path} is from a newer Workbench (schema {version}, this one "
            f"knows {SCHEMA_VERSION}); it was not changed. Please update Workbench."
        )
    try:
        db = _open(path)
    except sqlite3.DatabaseError as exc:
        raise _unavailable(exc, "cannot open", path) from None
    try:
        _migrate(db, data_dir)
    except (sqlite3.DatabaseError, OSError) as exc:
        db.close()
        raise _unavailable(exc, "cannot update", path) from None
    return db


def _unavailable(exc: BaseException, doing: str, path: Path) -> WorkbenchError:
    """The error for a database that could not be opened: :class:`CannotWrite` when the
    disk or folder is the reason (the database can still be read), else one line."""
    if isinstance(exc, WorkbenchError):
        return exc
    refused = cannot_write(exc, "the notes database", path)
    if refused is not None:
        return refused
    if isinstance(exc, sqlite3.Error) and is_busy(exc):
        return LibraryBusy(
            f"the notes database {path} is busy in another Workbench process; try again shortly"
        )
    return DatabaseUnavailable(f"{doing} the notes database {path}: {exc}")


def _probe(path: Path) -> int:
    """The schema version of the file, read without changing a byte of it (0 if absent).

    Raises :class:`_Corrupt` if the file is not a sound SQLite database, :class:`_Emptied`
    if it is empty, :class:`~workbench.core.files.CannotWrite` if the disk or folder
    refuses even a reader's shared-memory file, and :class:`DatabaseUnavailable` for any
    other failure (the file is then left alone).
    """
    if not path.exists():
        return 0
    wal = path.with_name(path.name + "-wal")
    if path.stat().st_size == 0 and not (wal.exists() and wal.stat().st_size):
        raise _Emptied("0 bytes: its notes were lost outside Workbench")
    # The version is in the file header (offset 60): a newer database is recognised
    # without even opening it with SQLite, which could leave -wal/-shm files behind.
    with contextlib.suppress(OSError), open(path, "rb") as fh:
        header = fh.read(100)
        if header.startswith(b"SQLite format 3\x00") and len(header) == 100:
            header_version = int.from_bytes(header[60:64], "big", signed=True)
            if header_version > SCHEMA_VERSION:
                return header_version
    try:
        probe = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000
        )
    except sqlite3.DatabaseError as exc:
        raise _unavailable(exc, "cannot open", path) from None
    try:
        version = int(probe.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            return version  # not ours to check, let alone change
        # quick_check reads every page (the notes database is small): damage is found
        # now, at start-up, not in the middle of saving a note.
        problems = [row[0] for row in probe.execute("PRAGMA quick_check(5)")]
        if problems != ["ok"]:
            raise _Corrupt("; ".join(problems)[:200])
        return version
    except sqlite3.DatabaseError as exc:
        if is_damage(exc):
            raise _Corrupt(str(exc)) from None
        raise _unavailable(exc, "cannot read", path) from None
    finally:
        probe.close()


def _tolerant_text(data: bytes) -> str:
    # Text that is not UTF-8 (bytes written into a note by another program) is shown with
    # U+FFFD instead of making every read of the note fail; the stored bytes are not
    # touched unless the researcher edits the note.
    return data.decode("utf-8", "replace")


def _configure(db: sqlite3.Connection) -> sqlite3.Connection:
    db.row_factory = sqlite3.Row
    db.text_factory = _tolerant_text
    return db


def _open(path: Path) -> sqlite3.Connection:
    # isolation_level=None: transactions are explicit (see transaction()), so Python's
    # sqlite3 module never opens or commits one behind our back.
    db = _configure(
        sqlite3.connect(
            path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
        )
    )
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = FULL")
    db.execute("PRAGMA foreign_keys = ON")
    return db


def _open_read_only(path: Path) -> sqlite3.Connection:
    """The database opened for reading only (see :func:`~workbench.core.files.read_only_connection`);
    one that does not exist reads as empty."""
    if not path.exists():
        db = _configure(sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False))
        for number, migration in enumerate(MIGRATIONS, 1):
            migration(db)
            db.execute(f"PRAGMA user_version = {number}")
        return db
    try:
        return _configure(read_only_connection(path, BUSY_TIMEOUT_MS / 1000))
    except sqlite3.Error as exc:
        raise DatabaseUnavailable(f"cannot read the notes database {path}: {exc}") from None


def _migrate(db: sqlite3.Connection, data_dir: Path) -> None:
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version and version < SCHEMA_VERSION:
        # The user's data before an upgrade changes its shape; kept until deleted by hand.
        backup(
            db,
            backup_dir(data_dir)
            / f"before-schema-{SCHEMA_VERSION}-{time.strftime('%Y%m%d-%H%M%S')}.sqlite3",
        )
    for number in range(version + 1, SCHEMA_VERSION + 1):
        with transaction(db):
            # Another process may have migrated while we waited for the lock.
            current = db.execute("PRAGMA user_version").fetchone()[0]
            if current > SCHEMA_VERSION:
                raise NewerDatabase(
                    f"the notes database was upgraded by a newer Workbench (schema {current}) "
                    "while opening it; it was not changed"
                )
            if current >= number:
                continue
            MIGRATIONS[number - 1](db)
            db.execute(f"PRAGMA user_version = {number}")


class UserDatabase:
    """The one connection a Library has to the user database, and the lock its users share.

    The notes and the entity corrections both live here. One connection has one
    transaction at a time, so every user takes :attr:`lock` around what it does (a
    reentrant lock: a transaction may call helpers that take it again).

    Where the database cannot be written (a read-only folder, a full disk), it is opened
    read-only: :attr:`read_only` says why, reading works, and every write transaction is
    refused with that reason in one line.
    """

    def __init__(
        self, conn: sqlite3.Connection, path: Path, read_only: CannotWrite | None = None
    ) -> None:
        self.conn = conn
        self.path = path
        self.read_only = read_only
        self.lock = threading.RLock()

    def transaction(
        self, what: str = "the change"
    ) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        """A write transaction (``BEGIN IMMEDIATE``), holding the lock; ``what`` names
        what is being saved, for the line said if the disk refuses it."""
        if self.read_only is not None:
            raise refusal(self.read_only.problem, what, self.path)
        return transaction(self.conn, self.lock, what, self.path)

    def query(self, sql: str, params: Sequence[object] = ()) -> list[sqlite3.Row]:
        """Every row a read returns, read under the lock."""
        with self.lock:
            return self.conn.execute(sql, params).fetchall()

    def close(self) -> None:
        """Close the connection once a write in progress has finished."""
        with self.lock:
            self.conn.close()


def open_database(data_dir: Path, on_notice: Callable[[str], None] | None = None) -> UserDatabase:
    """:func:`connect`, wrapped as the :class:`UserDatabase` a Library shares; read-only
    (:attr:`UserDatabase.read_only`) where the disk or folder refuses writing."""
    path = db_path(data_dir)
    try:
        return UserDatabase(connect(data_dir, on_notice), path)
    except CannotWrite as refused:
        conn = _open_read_only(path)
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if version != SCHEMA_VERSION:
            conn.close()
            if version > SCHEMA_VERSION:
                raise NewerDatabase(
                    f"the notes database {path} is from a newer Workbench (schema {version}); "
                    "please update Workbench"
                ) from None
            raise DatabaseUnavailable(
                f"the notes database {path} must be updated for this Workbench, which cannot "
                f"be done now: {refused}"
            ) from None
        return UserDatabase(conn, path, read_only=refused)


@contextlib.contextmanager
def transaction(
    db: sqlite3.Connection,
    lock: threading.RLock | None = None,
    what: str = "the change",
    where: Path | None = None,
) -> Iterator[sqlite3.Connection]:
    """A write transaction: ``BEGIN IMMEDIATE``, committed on success, rolled back on error.

    ``lock`` serialises threads sharing one connection (a connection has one
    transaction at a time). A write the disk or folder refuses (full, read-only) is
    rolled back and raised as :class:`~workbench.core.files.CannotWrite` naming ``what``;
    a lock held too long by another process as :class:`LibraryBusy`.
    """

    def explained(exc: sqlite3.Error) -> BaseException:
        refused = cannot_write(exc, what, where)
        if refused is not None:
            return refused
        if is_busy(exc):
            return LibraryBusy(
                "the notes database is busy in another Workbench process; try again shortly"
            )
        return exc

    with lock if lock is not None else contextlib.nullcontext():
        try:
            db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise explained(exc) from None
        try:
            yield db
            db.execute("COMMIT")
        except BaseException as exc:
            # SQLite rolls back by itself after some failures (a full disk): then there is
            # no transaction left to roll back.
            if db.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    db.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise explained(exc) from None
            raise


def _damaged_message(data_dir: Path, moved: Path, problem: _Corrupt) -> str:
    """The one line saying what happened to the file, where it went and where the backup is."""
    latest = latest_backup(data_dir)
    where = (
        f"your latest backup is {latest} (copy it to {db_path(data_dir)} while Workbench is "
        "closed to restore it)"
        if latest
        else f"no backup was found in {backup_dir(data_dir)}"
    )
    reason = " ".join(str(problem).split())  # quick_check's lines, as one
    what = "was empty" if isinstance(problem, _Emptied) else "was damaged"
    return (
        f"The notes database {what} ({reason}); it was moved to {moved} and a new one was "
        f"started. Nothing was deleted: {where}."
    )


def _move_aside(path: Path) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    path.rename(target)
    # The WAL may hold the most recent commits: it travels with its database.
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.rename(target.with_name(target.name + suffix))
    return target


# --------------------------------------------------------------------------- backups


def _copy_database(db: sqlite3.Connection, tmp: Path) -> None:
    out = sqlite3.connect(tmp)
    try:
        db.backup(out)
        out.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
    finally:
        out.close()


def backup(db: sqlite3.Connection, target: Path) -> Path:
    """Copy the live database to ``target`` with the SQLite backup API (consistent snapshot).

    The copy is written beside the target and renamed into place, so a backup file is
    either complete or absent.
    """
    # write_atomic gives the copy a name of its own per process and thread: two Workbench
    # processes starting at once may both make the day's backup.
    write_atomic(target, lambda tmp: _copy_database(db, tmp))
    return target


def daily_backups(data_dir: Path) -> list[Path]:
    """The daily backups, oldest first (their names sort by date)."""
    folder = backup_dir(data_dir)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{BACKUP_PREFIX}????-??-??.sqlite3"))


def latest_backup(data_dir: Path) -> Path | None:
    """The newest daily backup, if any."""
    found = daily_backups(data_dir)
    return found[-1] if found else None


def backup_if_due(
    db: sqlite3.Connection, data_dir: Path, today: str | None = None, keep: int = BACKUPS_KEPT
) -> Path | None:
    """Make today's backup unless it exists; keep the newest ``keep``. Returns the new file.

    An empty database (no notes, no corrections) is not backed up: after a damaged file
    was moved aside, a week of empty copies must not push the good backups out.
    """
    today = today or time.strftime("%Y-%m-%d")
    target = backup_dir(data_dir) / f"{BACKUP_PREFIX}{today}.sqlite3"
    if target.exists() or _is_empty(db):
        return None
    made = backup(db, target)
    for old in daily_backups(data_dir)[:-keep]:
        old.unlink(missing_ok=True)
    return made


def _is_empty(db: sqlite3.Connection) -> bool:
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return not any(
        db.execute(f'SELECT 1 FROM "{t}" LIMIT 1').fetchone()
        for t in ("notes", "corrections")
        if t in tables
    )
