"""The user's own database (SQLite): notes and entity corrections, the user's work.

Unlike the index and the entity cache, nothing here is a cache: it is never rebuilt,
dropped or silently rewritten.

- WAL journal with ``synchronous=FULL``: a saved note survives a power cut.
- Foreign keys on, and a busy timeout so two Workbench processes can write in turn.
- The schema version lives in ``PRAGMA user_version``; :data:`MIGRATIONS` are applied in
  order, each in its own transaction.
- A database from a newer Workbench is refused with a clear message and left untouched.
- A file that is not a readable SQLite database is moved aside (never overwritten) and a
  fresh one started; the message names the moved file and the backups folder.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from .errors import WorkbenchError

DB_NAME = "workbench.sqlite3"
BUSY_TIMEOUT_MS = 10_000


class NewerDatabase(WorkbenchError):
    """The database was written by a newer Workbench; it is not opened or changed."""


def _v1_corrections(db: sqlite3.Connection) -> None:
    # Entity corrections made by the researcher, applied in ``id`` order. ``kind`` is one
    # of rename, merge, split, retype, ignore, add; ``payload`` is JSON (shapes below; see
    # workbench.core.entities._apply_correction):
    #   rename {key, old_name, name}      retype {key, name, type}     ignore {key, name}
    #   merge  {keys, names, name|null}   split  {key, name, alias}
    #   add    {doc_id, start, end, text, type}
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


Migration = Callable[[sqlite3.Connection], None]
# Append only: a migration, once released, is never edited.
MIGRATIONS: list[Migration] = [_v1_corrections]
SCHEMA_VERSION = len(MIGRATIONS)


def db_path(data_dir: Path) -> Path:
    return data_dir / DB_NAME


def connect(data_dir: Path, on_notice: Callable[[str], None] | None = None) -> sqlite3.Connection:
    """Open (creating or migrating) the user database in ``data_dir``."""
    path = db_path(data_dir)
    try:
        db = _open(path)
        version = db.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise WorkbenchError(f"the notes database {path} is locked by another program") from None
        moved = _move_aside(path)
        if on_notice:
            on_notice(
                f"The notes database was damaged ({exc}); it was moved to {moved.name} and a new "
                f"one started. Your daily backups are in {data_dir / 'backups'}."
            )
        db = _open(path)
        version = 0
    if version > SCHEMA_VERSION:
        db.close()
        raise NewerDatabase(
            f"the notes database {path} is from a newer Workbench (schema {version}, this one "
            f"knows {SCHEMA_VERSION}); it was not changed. Please update Workbench."
        )
    for number in range(version + 1, SCHEMA_VERSION + 1):
        with db:  # one transaction per migration
            db.execute("BEGIN IMMEDIATE")
            # Another process may have migrated while we waited for the lock.
            if db.execute("PRAGMA user_version").fetchone()[0] >= number:
                continue
            MIGRATIONS[number - 1](db)
            db.execute(f"PRAGMA user_version = {number}")
    return db


def _open(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False)
    db.row_factory = sqlite3.Row
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = FULL")
    db.execute("PRAGMA foreign_keys = ON")
    # Reading the schema fails here, not later, if the file is not a database.
    db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    return db


def _move_aside(path: Path) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    path.rename(target)
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.rename(target.with_name(target.name + suffix))
    return target
