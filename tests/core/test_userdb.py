"""The user database: durable settings, migrations, refusing newer files, damaged files, backups."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from workbench.core import userdb
from workbench.core.library import Library


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def _moved(folder: Path) -> list[Path]:
    """Databases moved aside (their -wal/-shm companions travel with them)."""
    return [
        p
        for p in folder.glob(f"{userdb.DB_NAME}.corrupt-*")
        if not p.name.endswith(("-wal", "-shm"))
    ]


def test_connection_is_durable_and_migrated(tmp_path: Path) -> None:
    db = userdb.connect(tmp_path)
    try:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert db.execute("PRAGMA busy_timeout").fetchone()[0] == userdb.BUSY_TIMEOUT_MS
        assert db.execute("PRAGMA user_version").fetchone()[0] == userdb.SCHEMA_VERSION == 3
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"corrections", "notes", "tags", "note_tags", "anchors", "notes_fts"} <= tables
        # Foreign keys are enforced: an anchor cannot point at a note that does not exist.
        with pytest.raises(sqlite3.IntegrityError):
            db.execute(
                "INSERT INTO anchors(note_id, position, doc_id, start, \"end\") VALUES (999, 0, 'x', 0, 0)"
            )
    finally:
        db.close()


def test_a_v1_database_is_migrated_keeping_its_corrections_and_a_backup(tmp_path: Path) -> None:
    path = userdb.db_path(tmp_path)
    old = sqlite3.connect(path)
    userdb.MIGRATIONS[0](old)
    old.execute("INSERT INTO corrections(kind, payload) VALUES ('rename', '{\"key\": \"putin\"}')")
    old.execute("PRAGMA user_version = 1")
    old.commit()
    old.close()

    db = userdb.connect(tmp_path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == 3
    assert [tuple(r) for r in db.execute("SELECT kind, payload FROM corrections")] == [
        ("rename", '{"key": "putin"}')
    ]
    db.close()
    # The pre-upgrade state is kept beside the daily backups.
    (before,) = userdb.backup_dir(tmp_path).glob("before-schema-3-*.sqlite3")
    copy = sqlite3.connect(before)
    assert copy.execute("PRAGMA user_version").fetchone()[0] == 1
    assert copy.execute("SELECT count(*) FROM corrections").fetchone()[0] == 1
    copy.close()


def test_notes_of_a_v2_database_are_searchable_after_the_full_text_migration(
    tmp_path: Path,
) -> None:
    path = userdb.db_path(tmp_path)
    old = sqlite3.connect(path)
    userdb.MIGRATIONS[0](old)
    userdb.MIGRATIONS[1](old)
    old.execute(
        "INSERT INTO notes(uid, body, created, updated) VALUES ('u1', 'Officials met in "
        "Vladivostok', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')"
    )
    old.execute("INSERT INTO tags(name) VALUES ('forum')")
    old.execute("INSERT INTO note_tags VALUES (1, 1)")
    old.execute("PRAGMA user_version = 2")
    old.commit()
    old.close()

    with Library.open(tmp_path) as lib:
        assert [n.body for n in lib.notes.search("official")] == ["Officials met in Vladivostok"]
        assert [n.id for n in lib.notes.search("forum")] == [1]  # the tag
        (found,) = lib.notes.search("vladivostok")
        assert "**Vladivostok**" in found.snippet
    assert list(userdb.backup_dir(tmp_path).glob("before-schema-3-*.sqlite3"))


def test_a_newer_database_is_refused_and_left_byte_for_byte_unchanged(tmp_path: Path) -> None:
    path = userdb.db_path(tmp_path)
    newer = sqlite3.connect(path)
    newer.execute("CREATE TABLE future (x)")
    newer.execute("INSERT INTO future VALUES ('a note from the future')")
    newer.execute(f"PRAGMA user_version = {userdb.SCHEMA_VERSION + 5}")
    newer.commit()
    newer.close()
    before = _files(tmp_path)

    with pytest.raises(userdb.NewerDatabase, match="newer Workbench") as exc:
        userdb.connect(tmp_path)
    assert "not changed" in str(exc.value)
    # Through the Library, as the app uses it: the notes features say why, nothing changes.
    with Library.open(tmp_path) as lib, pytest.raises(userdb.NewerDatabase):
        lib.notes.query()
    after = {k: v for k, v in _files(tmp_path).items() if k == path.name or k.startswith(path.name)}
    assert after == before  # same bytes, and no -wal/-shm left beside it


def test_a_garbage_file_is_moved_aside_and_a_new_database_started(tmp_path: Path) -> None:
    path = userdb.db_path(tmp_path)
    garbage = b"this is not a database, it is a shopping list\n" * 200
    path.write_bytes(garbage)
    messages: list[str] = []
    db = userdb.connect(tmp_path, on_notice=messages.append)
    db.execute("SELECT count(*) FROM notes").fetchone()
    db.close()
    (moved,) = _moved(tmp_path)
    assert moved.read_bytes() == garbage  # never overwritten
    assert len(messages) == 1 and str(moved) in messages[0] and "no backup was found" in messages[0]


def test_a_damaged_page_is_found_and_the_message_points_at_the_last_backup(tmp_path: Path) -> None:
    with Library.open(tmp_path) as lib:
        for i in range(300):
            lib.notes.add(f"note {i} " + "words " * 40, tags=[f"t{i % 7}"])
        with lib.db.lock:  # a manual backup is not a daily one
            userdb.backup(lib.db.conn, userdb.backup_dir(tmp_path) / "manual.sqlite3")
        made = userdb.backup_if_due(lib.db.conn, tmp_path, today="2026-01-02")
        assert made is not None
    path = userdb.db_path(tmp_path)
    data = bytearray(path.read_bytes())
    assert len(data) > 8 * 4096
    # Scribble over a few pages in the middle, keeping the header: a torn disk write.
    data[4 * 4096 : 7 * 4096] = b"\xa5" * (3 * 4096)
    path.write_bytes(bytes(data))

    messages: list[str] = []
    with Library.open(tmp_path, on_notice=messages.append) as lib:
        lib.open_user_data()
        assert lib.notes.query() == []  # the app starts, with an empty notes database
    (moved,) = _moved(tmp_path)
    assert moved.read_bytes() == bytes(data)
    assert any("damaged" in m and str(made) in m for m in messages), messages

    # The backup the message names really holds the notes.
    copy = sqlite3.connect(made)
    assert copy.execute("SELECT count(*) FROM notes").fetchone()[0] == 300
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    copy.close()


def test_a_locked_or_unreadable_database_is_never_moved(tmp_path: Path) -> None:
    # A folder where the database should be: an error, but not "damage" to move aside.
    userdb.db_path(tmp_path).mkdir()
    with pytest.raises(userdb.DatabaseUnavailable):
        userdb.connect(tmp_path)
    assert userdb.db_path(tmp_path).is_dir()
    assert not list(tmp_path.glob("*.corrupt-*"))


def test_daily_backup_once_a_day_keeping_seven(tmp_path: Path) -> None:
    db = userdb.connect(tmp_path)
    # An empty database is not backed up (it would push good backups out).
    assert userdb.backup_if_due(db, tmp_path, today="2026-03-01") is None
    db.execute(
        "INSERT INTO notes(uid, body, created, updated) VALUES ('u1', 'kept', '2026', '2026')"
    )
    for day in range(1, 11):
        made = userdb.backup_if_due(db, tmp_path, today=f"2026-03-{day:02d}")
        assert made is not None and made.name == f"workbench-2026-03-{day:02d}.sqlite3"
        assert userdb.backup_if_due(db, tmp_path, today=f"2026-03-{day:02d}") is None  # once a day
    names = [p.name for p in userdb.daily_backups(tmp_path)]
    assert names == [f"workbench-2026-03-{d:02d}.sqlite3" for d in range(4, 11)]
    assert not list(userdb.backup_dir(tmp_path).glob("*.partial"))
    copy = sqlite3.connect(userdb.latest_backup(tmp_path))
    assert copy.execute("SELECT body FROM notes").fetchall() == [("kept",)]
    assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # self-contained
    copy.close()
    db.close()


def test_opening_the_library_makes_todays_backup(tmp_path: Path) -> None:
    with Library.open(tmp_path) as lib:
        lib.notes.add("first note")
        assert lib.daily_backup is None  # the database was empty when it opened
    with Library.open(tmp_path) as lib:
        lib.open_user_data()
        assert lib.daily_backup is not None and lib.daily_backup.exists()
    with Library.open(tmp_path) as lib:
        lib.open_user_data()
        assert lib.daily_backup is None  # already done today
    assert len(userdb.daily_backups(tmp_path)) == 1


def test_when_another_connection_moved_the_damaged_file_first_this_one_carries_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = userdb.db_path(tmp_path)
    path.write_bytes(b"garbage " * 1000)
    real = userdb._move_aside

    def beaten_to_it(p: Path) -> Path:
        real(p)  # the other connection (the entity engine's) moves it...
        raise FileNotFoundError(p)  # ...so this one finds nothing left to move

    monkeypatch.setattr(userdb, "_move_aside", beaten_to_it)
    db = userdb.connect(tmp_path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == userdb.SCHEMA_VERSION
    db.close()
    assert len(_moved(tmp_path)) == 1
