"""The rebuildable cache file the entity cache is built on, and that other parts (quotes)
share: parts with their own versions, damage rebuilt with a notice, errors by SQLite's
result code."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from workbench.core.entities.cachedb import (
    CacheFile,
    CachePart,
    CacheRebuilt,
    is_busy,
    is_damaged,
    is_environment,
)

QUOTES = CachePart(
    "quotes",
    1,
    ("CREATE TABLE IF NOT EXISTS quotes (hash TEXT PRIMARY KEY, data TEXT NOT NULL)",),
    ("quotes",),
    rebuilt="Quotes will be found again.",
)
NOTES = CachePart(
    "words",
    1,
    ("CREATE TABLE IF NOT EXISTS words (word TEXT PRIMARY KEY, n INTEGER NOT NULL)",),
    ("words",),
)


def _put(cache: CacheFile) -> None:
    with cache.writing() as conn:
        conn.execute("INSERT OR REPLACE INTO quotes VALUES ('h1', 'a quote')")
        conn.execute("INSERT OR REPLACE INTO words VALUES ('word', 3)")


def test_a_part_of_another_version_is_remade_alone(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    cache = CacheFile(path, [QUOTES, NOTES])
    _put(cache)
    cache.close()
    told: list[str] = []
    newer = CachePart("quotes", 2, QUOTES.schema, QUOTES.tables, rebuilt=QUOTES.rebuilt)
    cache = CacheFile(path, [newer, NOTES], told.append)
    with cache.reading() as conn:
        assert conn.execute("SELECT count(*) FROM quotes").fetchone()[0] == 0
        assert conn.execute("SELECT n FROM words").fetchone()[0] == 3  # kept
    assert told == [
        "The entity cache was rebuilt: its quotes part is from another version (format 1). "
        "Quotes will be found again."
    ]
    cache.close()


def test_a_part_added_later_gets_its_tables(tmp_path: Path) -> None:
    cache = CacheFile(tmp_path / "cache.sqlite3", [NOTES])
    cache.add_part(QUOTES)
    _put(cache)
    with cache.reading() as conn:
        assert conn.execute("SELECT data FROM quotes").fetchone()[0] == "a quote"
    cache.close()


def test_damage_met_while_reading_rebuilds_the_file_and_others_follow(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    told: list[str] = []
    cache = CacheFile(path, [QUOTES, NOTES], told.append, label="quote cache", lost="")
    other = CacheFile(path, [QUOTES, NOTES])  # another process, or another part's owner
    _put(cache)
    with cache.writing() as conn:  # a row whose text is not UTF-8, as a damaged page gives
        conn.execute("UPDATE quotes SET data = CAST(x'ff41' AS TEXT)")
    with pytest.raises(CacheRebuilt), cache.reading() as conn:
        conn.execute("SELECT data FROM quotes").fetchall()
    assert cache.generation == 1 and len(told) == 1
    assert told[0].startswith("The quote cache was rebuilt: it was damaged (")
    with cache.reading() as conn:
        assert conn.execute("SELECT count(*) FROM quotes").fetchone()[0] == 0
    _put(cache)
    with other.reading() as conn:  # it follows the new file
        assert conn.execute("SELECT data FROM quotes").fetchone()[0] == "a quote"
    assert other.generation == 1
    cache.close()
    other.close()


def test_a_file_that_is_no_database_is_made_again(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    path.write_bytes(b"not a database at all " * 400)
    told: list[str] = []
    cache = CacheFile(path, [QUOTES], told.append)
    with cache.writing() as conn:
        conn.execute("INSERT INTO quotes VALUES ('h', 'q')")
    assert len(told) == 1 and "it was unreadable" in told[0]
    cache.close()


def test_errors_are_told_apart_by_result_code(tmp_path: Path) -> None:
    path = tmp_path / "x.sqlite3"
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("CREATE TABLE t (x)")
    other = sqlite3.connect(path, timeout=0.05)
    db.execute("BEGIN EXCLUSIVE")
    with pytest.raises(sqlite3.OperationalError) as busy:
        other.execute("INSERT INTO t VALUES (1)")
    db.execute("ROLLBACK")
    assert is_busy(busy.value) and not is_damaged(busy.value) and not is_environment(busy.value)
    (tmp_path / "junk.sqlite3").write_bytes(b"junk" * 1000)
    with pytest.raises(sqlite3.DatabaseError) as junk:
        sqlite3.connect(tmp_path / "junk.sqlite3").execute("SELECT * FROM sqlite_master")
    assert is_damaged(junk.value) and not is_busy(junk.value)
    assert is_damaged(UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"))
    ro = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    with pytest.raises(sqlite3.OperationalError) as readonly:
        ro.execute("INSERT INTO t VALUES (1)")
    assert is_environment(readonly.value) and not is_damaged(readonly.value)
    for conn in (db, other, ro):
        conn.close()
