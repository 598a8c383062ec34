"""The user's own database (SQLite): notes and entity corrections, the user's work.

Unlike the index and the entity cache, nothing here is a cache: it is never rebuilt,
dropped or silently rewritten.

- WAL journal with ``synchronous=FULL``: a saved note survives a power cut (in WAL mode
  ``NORMAL`` would only risk the last transactions on power loss, but these are notes).
- Foreign keys on, and a busy timeout so two Workbench processes can write in turn;
  every write is a ``BEGIN IMMEDIATE`` transaction (:func:`transaction`), so a writer
  waits for the lock instead of failing when it would have to upgrade a read lock.
- The schema version lives in ``PRAGMA user_version``; :data:`MIGRATIONS` are applied in
  order, each in its own transaction.
- A database from a newer Workbench is refused with a clear message and left untouched:
  its version is read through a read-only connection before anything (even the journal
  mode) is set.
- A file that is not a readable SQLite database, or fails ``PRAGMA quick_check``, is
  moved aside (never overwritten, never deleted) and a fresh one started; the message
  names the moved file and the newest daily backup.
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

from .errors import WorkbenchError
from .files import write_atomic

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


def _v1_corrections(db: sqlite3.Connection) -> None:
    # Entity corrections made by the researcher, applied in ``id`` order. ``kind`` is one
    # of rename, merge, split, retype, ignore, add, distinct; ``payload`` is JSON (shapes
    # below; see workbench.core.entities, where each kind has its handler):
    #   rename {key, old_name, name}      retype {key, name, type}     ignore {key, name}
    #   merge  {keys, names, name|null}   split  {key, name, alias}
    #   add    {doc_id, start, end, text, type}
    #   distinct {keys: [a, b], names: [a, b]}   (two entities offered as one are two)
    # An entity is named by key and by name, so a correction still applies when a later
    # corpus or model gives it another key. A plain table: the notes backup exports and
    # imports it row by row.
    db.execute(
        """CREATE TABLE corrections (
               id INTEGER PRIMARY KEY,
               kind TEXT NOT NULL,
               payload TEXT NOT NULL,
               created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
           )"""
    )


def _v2_notes(db: sqlite3.Connection) -> None:
    # Research notes (workbench.core.notes). ``uid`` is the note's identity across
    # databases, so importing a backup twice (or into another machine's database)
    # never duplicates a note. ``deleted`` is set instead of removing the row so a
    # delete can be undone; rows deleted more than 30 days ago are purged at start-up.
    db.execute(
        """CREATE TABLE notes (
               id INTEGER PRIMARY KEY AUTOINCREMENT,
               uid TEXT NOT NULL UNIQUE,
               body TEXT NOT NULL DEFAULT '',
               created TEXT NOT NULL,
               updated TEXT NOT NULL,
               deleted TEXT
           )"""
    )
    db.execute("CREATE INDEX notes_deleted ON notes(deleted)")
    db.execute(
        """CREATE TABLE tags (
               id INTEGER PRIMARY KEY,
               name TEXT NOT NULL UNIQUE COLLATE NOCASE
           )"""
    )
    db.execute(
        """CREATE TABLE note_tags (
               note_id INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
               tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
               PRIMARY KEY (note_id, tag_id)
           )"""
    )
    db.execute("CREATE INDEX note_tags_tag ON note_tags(tag_id)")
    # An anchor is a TextPositionSelector (start, end: offsets into Document.text) plus
    # a TextQuoteSelector (quote, prefix, suffix) to find the text again when the
    # document changes. ``doc_sha`` is the document version the offsets refer to.
    # start = end = 0 with an empty quote is a note on the whole document.
    db.execute(
        """CREATE TABLE anchors (
               id INTEGER PRIMARY KEY,
               note_id INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
               position INTEGER NOT NULL,
               doc_id TEXT NOT NULL,
               start INTEGER NOT NULL,
               "end" INTEGER NOT NULL,
               quote TEXT NOT NULL DEFAULT '',
               prefix TEXT NOT NULL DEFAULT '',
               suffix TEXT NOT NULL DEFAULT '',
               orphaned INTEGER NOT NULL DEFAULT 0,
               doc_sha TEXT NOT NULL DEFAULT '',
               UNIQUE (note_id, position)
           )"""
    )
    db.execute("CREATE INDEX anchors_doc ON anchors(doc_id)")


_NOTE_SEARCH_ROW = """
    SELECT n.id, n.body,
           coalesce((SELECT group_concat(t.name, ' ') FROM note_tags nt
                     JOIN tags t ON t.id = nt.tag_id WHERE nt.note_id = n.id), ''),
           coalesce((SELECT group_concat(a.quote, ' ') FROM anchors a
                     WHERE a.note_id = n.id), '')
    FROM notes n"""


def _v3_note_search(db: sqlite3.Connection) -> None:
    # Full-text search over the notes (SQLite FTS5): one row per note (rowid = note id)
    # with its body, its tags and its anchors' quotes, Porter-stemmed Unicode words with
    # accents folded. Triggers keep it in step with every write, so no code path can
    # forget to; deleted notes stay indexed and the queries leave them out.
    db.execute(
        "CREATE VIRTUAL TABLE notes_fts USING fts5(body, tags, quotes, "
        "tokenize = 'porter unicode61 remove_diacritics 2')"
    )
    triggers = {
        "notes_fts_note_added": ("AFTER INSERT ON notes", "new.id"),
        "notes_fts_note_edited": ("AFTER UPDATE OF body ON notes", "new.id"),
        "notes_fts_tag_added": ("AFTER INSERT ON note_tags", "new.note_id"),
        "notes_fts_tag_removed": ("AFTER DELETE ON note_tags", "old.note_id"),
        "notes_fts_anchor_added": ("AFTER INSERT ON anchors", "new.note_id"),
        "notes_fts_anchor_moved": ("AFTER UPDATE OF quote ON anchors", "new.note_id"),
        "notes_fts_anchor_removed": ("AFTER DELETE ON anchors", "old.note_id"),
    }
    for name, (when, note_id) in triggers.items():
        db.execute(
            f"CREATE TRIGGER {name} {when} BEGIN "
            f"DELETE FROM notes_fts WHERE rowid = {note_id}; "
            f"INSERT INTO notes_fts(rowid, body, tags, quotes) {_NOTE_SEARCH_ROW} "
            f"WHERE n.id = {note_id}; END"
        )
    db.execute(
        "CREATE TRIGGER notes_fts_note_purged AFTER DELETE ON notes BEGIN "
        "DELETE FROM notes_fts WHERE rowid = old.id; END"
    )
    db.execute(f"INSERT INTO notes_fts(rowid, body, tags, quotes) {_NOTE_SEARCH_ROW}")


Migration = Callable[[sqlite3.Connection], None]
# Append only: a migration, once released, is never edited.
MIGRATIONS: list[Migration] = [_v1_corrections, _v2_notes, _v3_note_search]
SCHEMA_VERSION = len(MIGRATIONS)


def db_path(data_dir: Path) -> Path:
    """Where the user database lives in a data directory."""
    return data_dir / DB_NAME


def backup_dir(data_dir: Path) -> Path:
    """Where the daily backups are kept."""
    return data_dir / BACKUP_DIR


def connect(data_dir: Path, on_notice: Callable[[str], None] | None = None) -> sqlite3.Connection:
    """Open (creating or migrating) the user database in ``data_dir``.

    Raises :class:`NewerDatabase` (file untouched) or :class:`DatabaseUnavailable`.
    A damaged file is moved aside and reported through ``on_notice``.
    """
    path = db_path(data_dir)
    try:
        version = _probe(path)
    except _Corrupt as exc:
        try:
            moved = _move_aside(path)
        except FileNotFoundError:
            # Another connection (the entity engine, another process) moved it first.
            version = _probe(path)
        else:
            if on_notice:
                on_notice(_damaged_message(data_dir, moved, str(exc)))
            version = 0
    if version > SCHEMA_VERSION:
        raise NewerDatabase(
            f"the notes database {path} is from a newer Workbench (schema {version}, this one "
            f"knows {SCHEMA_VERSION}); it was not changed. Please update Workbench."
        )
    try:
        db = _open(path)
    except sqlite3.DatabaseError as exc:
        raise DatabaseUnavailable(f"cannot open the notes database {path}: {exc}") from None
    try:
        _migrate(db, data_dir)
    except sqlite3.DatabaseError as exc:
        db.close()
        raise DatabaseUnavailable(f"cannot update the notes database {path}: {exc}") from None
    return db


def _probe(path: Path) -> int:
    """The schema version of the file, read without changing a byte of it (0 if absent).

    Raises :class:`_Corrupt` if the file is not a sound SQLite database, and
    :class:`DatabaseUnavailable` for any other failure (the file is then left alone).
    """
    if not path.exists():
        return 0
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
        raise DatabaseUnavailable(f"cannot open the notes database {path}: {exc}") from None
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
        raise DatabaseUnavailable(f"cannot read the notes database {path}: {exc}") from None
    finally:
        probe.close()


def _open(path: Path) -> sqlite3.Connection:
    # isolation_level=None: transactions are explicit (see transaction()), so Python's
    # sqlite3 module never opens or commits one behind our back.
    db = sqlite3.connect(
        path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
    )
    db.row_factory = sqlite3.Row
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = FULL")
    db.execute("PRAGMA foreign_keys = ON")
    return db


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
    """

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self.lock = threading.RLock()

    def transaction(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        """A write transaction (``BEGIN IMMEDIATE``), holding the lock."""
        return transaction(self.conn, self.lock)

    def query(self, sql: str, params: Sequence[object] = ()) -> list[sqlite3.Row]:
        """Every row a read returns, read under the lock."""
        with self.lock:
            return self.conn.execute(sql, params).fetchall()

    def close(self) -> None:
        """Close the connection once a write in progress has finished."""
        with self.lock:
            self.conn.close()


def open_database(data_dir: Path, on_notice: Callable[[str], None] | None = None) -> UserDatabase:
    """:func:`connect`, wrapped as the :class:`UserDatabase` a Library shares."""
    return UserDatabase(connect(data_dir, on_notice), db_path(data_dir))


@contextlib.contextmanager
def transaction(
    db: sqlite3.Connection, lock: threading.RLock | None = None
) -> Iterator[sqlite3.Connection]:
    """A write transaction: ``BEGIN IMMEDIATE``, committed on success, rolled back on error.

    ``lock`` serialises threads sharing one connection (a connection has one
    transaction at a time).
    """
    with lock if lock is not None else contextlib.nullcontext():
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")


def _damaged_message(data_dir: Path, moved: Path, reason: str) -> str:
    latest = latest_backup(data_dir)
    where = (
        f"your latest backup is {latest} (copy it to {db_path(data_dir)} while Workbench is closed to restore it)"
        if latest
        else f"no backup was found in {backup_dir(data_dir)}"
    )
    return (
        f"The notes database was damaged ({reason}); it was moved to {moved} and a new one "
        f"was started. Nothing was deleted: {where}."
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
