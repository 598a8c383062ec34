"""Damaged and misplaced files: a note that is not UTF-8, a damaged or emptied notes
database, a folder where a database should be, a file where the index should be, a
device given as the data directory. Each is one clear line, and nothing is deleted.
The notes are on the seed articles."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.core import userdb
from workbench.core.library import Library


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_line(err: str) -> str:
    assert err.count("\n") == 1 and "Traceback" not in err and "unexpected" not in err, err
    return err


def test_a_note_that_is_not_utf8_is_listed_and_exported_with_its_bytes_kept(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = b"Caf\xe9 au lait \xff\xfe end"
    db = sqlite3.connect(userdb.db_path(data))
    with db:  # another program writes bytes that are not UTF-8 into a note
        db.execute("UPDATE notes SET body = CAST(? AS TEXT) WHERE id = 1", (raw,))
    assert db.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    db.close()

    code, out, err = run(capsys, "--data-dir", str(data), "notes", "list")
    assert code == 0 and err == "", err
    assert "Caf\ufffd au lait \ufffd\ufffd end" in out
    for fmt in ("md", "csv", "json"):
        target = tmp_path / f"notes.{fmt}"
        code, _, err = run(capsys, "--data-dir", str(data), "notes", "export", "-o", str(target))
        assert code == 0 and err == "", err
        assert "Caf\ufffd au lait" in target.read_text("utf-8").replace("\\ufffd", "\ufffd")
    code, out, _ = run(capsys, "--data-dir", str(data), "notes", "list", "--text", "lait")
    assert code == 0 and "1 note" in out
    db = sqlite3.connect(userdb.db_path(data))
    assert db.execute("SELECT CAST(body AS BLOB) FROM notes WHERE id = 1").fetchone()[0] == raw
    db.close()


def test_a_damaged_notes_database_is_said_in_one_line_and_moved_aside(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with Library.open(data) as lib:
        for i in range(300):
            lib.notes.add(f"note {i} " + "words " * 40)
    path = userdb.db_path(data)
    damaged = bytearray(path.read_bytes())
    damaged[2 * 4096 + 8 : 2 * 4096 + 40] = bytes(32)  # quick_check answers in many lines
    path.write_bytes(bytes(damaged))
    said: list[str] = []
    with Library.open(data, on_notice=said.append) as lib:
        lib.open_user_data()
        assert lib.notes.query() == []
    (notice,) = said
    assert "\n" not in notice and "was damaged" in notice and "no backup was found" in notice
    (moved,) = [p for p in data.glob("*.corrupt-*") if not p.name.endswith(("-wal", "-shm"))]
    assert str(moved) in notice and moved.read_bytes() == bytes(damaged)


def test_an_empty_notes_database_is_not_taken_as_new(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Library.open(data) as lib:
        lib.open_user_data()  # makes today's backup
    backup = userdb.latest_backup(data)
    assert backup is not None
    for side in data.glob("workbench.sqlite3-*"):
        side.unlink()
    userdb.db_path(data).write_bytes(b"")  # emptied by a sync tool or a crash elsewhere
    code, out, err = run(capsys, "--data-dir", str(data), "notes", "list")
    assert code == 0 and "0 notes" in out
    assert "was empty" in one_line(err) and str(backup) in err
    (kept,) = [p for p in data.glob("*.corrupt-*") if not p.name.endswith(("-wal", "-shm"))]
    assert kept.stat().st_size == 0 and str(kept) in err  # kept, never deleted


def test_a_folder_where_the_notes_database_should_be_is_one_line(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = userdb.db_path(data)
    for side in data.glob("workbench.sqlite3*"):
        side.unlink()
    path.mkdir()
    (path / "something.txt").write_text("not ours", "utf-8")
    code, _, err = run(capsys, "--data-dir", str(data), "notes", "list")
    assert code == 1 and "is a folder" in one_line(err) and "I/O" not in err
    assert (path / "something.txt").read_text("utf-8") == "not ours"


def test_a_file_where_the_index_should_be_is_one_line_for_every_command(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.rmtree(data / "index")
    (data / "index").write_text("someone's file", "utf-8")
    for argv in (["docs"], ["search", "Li"], ["notes", "list"], ["index", "--no-entities"]):
        code, _, err = run(capsys, "--data-dir", str(data), *argv)
        assert code == 1 and "is a file" in one_line(err) and "File exists" not in err, argv
    assert (data / "index").read_text("utf-8") == "someone's file"


def test_a_data_directory_that_is_not_a_folder_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "file").write_text("x", "utf-8")
    for where in ("/dev/null", str(tmp_path / "file")):
        code, _, err = run(capsys, "--data-dir", where, "docs")
        assert code == 1 and "not a folder" in one_line(err) and "File exists" not in err, err
