"""A full disk (and a failing one): every writer says so in one line and nothing intact is
deleted. The index, the document store, the manifest, the notes database, the entity
cache and the exports are each made to fail, on a real full file system (a small tmpfs
in a private mount namespace) and, for the writers Python drives, with one chosen write
failing in this process (``ENOSPC`` and ``EIO``). The text is the seed articles and BBC
business articles (MIT licence)."""

from __future__ import annotations

import errno
import shutil
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.core import index, userdb
from workbench.core.library import Library

from ..support import BBC, CNN_LI_ZHANSHU, CNN_TRANSLATION, bbc_files
from .faults import Run, fail_writes, needs_namespaces, run_cli, tree_bytes

DISK_FULL = "the disk is full"


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for f in bbc_files("business", 40):
        shutil.copy(f, folder / f.name)
    return folder


def _intact(data: Path, documents: int = 5, notes: int = 1) -> None:
    """The library opens as it was: its documents searchable, its notes there, and no
    half-written file or import marker left behind."""
    with Library.open(data) as lib:
        assert lib.pending_rebuild is None, lib.pending_rebuild
        assert lib.docs.count() == documents and lib.ix.doc_count() == documents
        assert lib.search("Zhanshu").total == 2
        assert len(lib.notes.query()) == notes
    assert not list(data.rglob("*.partial"))
    assert not (data / "index" / index.DIRTY_FILE).exists()


def _one_line(err: str) -> str:
    assert err.count("\n") == 1 and "Traceback" not in err and "unexpected" not in err, err
    return err


# --------------------------------------------------------------------------- a real full disk


@needs_namespaces
def test_on_a_full_disk_reading_works_and_every_write_is_one_line_losing_nothing(
    data: Path, articles: Path, tmp_path: Path
) -> None:
    writes = {  # what is written: (the command, bytes left free on the disk)
        "import": (["index", str(articles), "--no-entities"], 0),
        # 510 articles: written by two processes, which fail on their own.
        "parallel import": (["index", str(BBC / "business"), "--no-entities"], 2_000_000),
        "note": (["notes", "add", CNN_TRANSLATION, "--text", "a note " * 500], 0),
        "export": (["notes", "export", "-o", str(data / "notes.md")], 0),
    }
    reads = (["search", "Zhanshu"], ["notes", "list"], ["docs"], ["show", CNN_LI_ZHANSHU])
    runs = [
        Run(tuple(argv), full=True, free=free, kept=tmp_path / f"kept-{name}")
        for name, (argv, free) in writes.items()
    ] + [Run(tuple(argv), full=True, kept=tmp_path / f"kept-{argv[0]}") for argv in reads]
    done = run_cli(data, runs)
    for name, result, run in zip(writes, done, runs, strict=False):
        assert result.returncode == 1, (name, result.stdout, result.stderr)
        line = _one_line(result.stderr)
        assert DISK_FULL in line, (name, line)
        if name == "note":
            assert "the note was not saved" in line
        assert run.kept is not None
        _intact(run.kept)
        assert not (run.kept / "notes.md").exists()
        leftovers = [
            p.name
            for p in (run.kept / "index").iterdir()
            if p.name.startswith("MAIN_") and p.suffix not in {".seg", ""}
        ]
        assert not leftovers, f"half a segment left: {leftovers}"
    for result in done[len(writes) :]:
        assert result.returncode == 0 and result.stderr == "", (result.args, result.stderr)
        assert result.stdout


@needs_namespaces
@pytest.mark.spacy
def test_on_a_full_disk_the_entity_cache_is_kept(entity_seeds_dir: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(entity_seeds_dir, data)
    cache = {n: b for n, b in tree_bytes(data).items() if n.startswith("entities-cache")}
    kept = tmp_path / "kept"
    (done,) = run_cli(data, [Run(("entities", "--limit", "3"), full=True, kept=kept)])
    assert done.returncode in (0, 1) and "rebuilt" not in done.stderr, done.stderr
    if done.returncode:
        _one_line(done.stderr)
    after = {n: b for n, b in tree_bytes(kept).items() if n.startswith("entities-cache")}
    assert after.get("entities-cache.sqlite3") == cache["entities-cache.sqlite3"]


# --------------------------------------------------------------------------- one write failing


def _said(error: int) -> str:
    return DISK_FULL if error == errno.ENOSPC else "I/O error"


def _run(capsys: pytest.CaptureFixture[str], data: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data), *argv])
    out, err = capsys.readouterr()
    return code, out, err


# Whoosh leaves the files of a segment whose write failed open (as on a real full disk);
# they are closed when the abandoned writer is collected.
@pytest.mark.filterwarnings(
    "ignore:Exception ignored in. <_io.FileIO name='.*/index/:pytest.PytestUnraisableExceptionWarning"
)
@pytest.mark.parametrize(
    ("target", "error"),
    [
        ("*/index/" + index.DIRTY_FILE, errno.ENOSPC),
        ("*/index/MAIN_*", errno.ENOSPC),
        ("*/index/MAIN_*", errno.EIO),
        ("*/index/*.toc", errno.ENOSPC),
        ("*/library.json", errno.ENOSPC),
        ("*/library.json", errno.EIO),
    ],
    ids=["marker", "segment", "segment-EIO", "table of contents", "manifest", "manifest-EIO"],
)
def test_a_failed_write_during_an_import_is_one_line_and_keeps_the_library(
    data: Path,
    articles: Path,
    capsys: pytest.CaptureFixture[str],
    error: int,
    target: str,
) -> None:
    manifest = (data / "library.json").read_bytes()
    with fail_writes(target, error) as faults:
        code, _, err = _run(capsys, data, "index", str(articles), "--no-entities")
    assert faults.refused, "the chosen write never happened"
    assert code == 1 and _said(error) in _one_line(err), err
    assert (data / "library.json").read_bytes() == manifest
    if target.endswith("library.json"):
        # The documents were committed before the list of folders failed: kept, not lost.
        _intact(data, documents=45)
    else:
        _intact(data)
    # With the fault gone the same import goes through, ids as they would have been.
    code, out, _ = _run(capsys, data, "index", str(articles), "--no-entities")
    assert code == 0 and "removed" in out
    _intact(data, documents=45)


@pytest.mark.parametrize(
    ("fmt", "error"),
    [("md", errno.ENOSPC), ("csv", errno.ENOSPC), ("json", errno.ENOSPC), ("csv", errno.EIO)],
)
def test_a_failed_notes_export_keeps_the_earlier_export_whole(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], error: int, fmt: str
) -> None:
    target = tmp_path / f"notes.{fmt}"
    assert _run(capsys, data, "notes", "export", "-o", str(target))[0] == 0
    earlier = target.read_bytes()
    with fail_writes(str(target), error) as faults:
        code, _, err = _run(capsys, data, "notes", "export", "-o", str(target))
    assert faults.refused and code == 1 and _said(error) in _one_line(err), err
    assert "the export was not saved" in err
    assert target.read_bytes() == earlier
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


@pytest.mark.parametrize("suffix", ["md", "csv"])
def test_a_failed_comparison_export_is_one_line(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str
) -> None:
    target = tmp_path / f"comparison.{suffix}"
    with fail_writes(str(target), errno.ENOSPC) as faults:
        code, _, err = _run(
            capsys, data, "compare", CNN_TRANSLATION, CNN_LI_ZHANSHU, "--export", str(target)
        )
    assert faults.refused and code == 1 and DISK_FULL in _one_line(err), err
    assert not target.exists()


@pytest.mark.spacy
def test_a_failed_entity_table_keeps_the_earlier_table_whole(
    library_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "entities.csv"
    assert _run(capsys, library_copy, "entities", "--table", str(target))[0] == 0
    earlier = target.read_bytes()
    with fail_writes(str(target), errno.ENOSPC) as faults:
        code, _, err = _run(capsys, library_copy, "entities", "--table", str(target))
    assert faults.refused and code == 1 and DISK_FULL in _one_line(err), err
    assert target.read_bytes() == earlier


def test_a_note_on_a_full_disk_is_not_a_read_error(
    data: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite's own full-disk answer (SQLITE_FULL), made by capping the database's size."""
    import sqlite3

    real_connect = sqlite3.connect

    def capped(*args: object, **kwargs: object) -> sqlite3.Connection:
        conn = real_connect(*args, **kwargs)  # type: ignore[arg-type]
        if str(args[0]).endswith(userdb.DB_NAME):
            pages = conn.execute("PRAGMA page_count").fetchone()[0]
            conn.execute(f"PRAGMA max_page_count = {pages}")
        return conn

    monkeypatch.setattr(sqlite3, "connect", capped)
    before = (data / userdb.DB_NAME).stat().st_size
    code, _, err = _run(capsys, data, "notes", "add", CNN_TRANSLATION, "--text", "x" * 200_000)
    assert code == 1 and DISK_FULL in _one_line(err) and "cannot read" not in err, err
    monkeypatch.undo()
    assert (data / userdb.DB_NAME).stat().st_size >= before
    _intact(data)
