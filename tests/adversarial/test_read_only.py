"""A read-only data directory (a read-only mount, as a backup drive or a shared folder
is): everything that reads works, notes included, and every write is refused in one
line, the files left byte for byte as they were. The mount is real: a read-only bind
mount in a private mount namespace. The text is the seed articles."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from workbench.core.library import Library

from ..support import CNN_LI_ZHANSHU, CNN_TRANSLATION
from .faults import Run, needs_namespaces, run_cli, tree_bytes

LOCKS = ("*.lock", "*-shm", "*-wal")


@pytest.fixture
def data(data: Path, tmp_path: Path) -> Path:
    """The seeds with a note (conftest), and a backup of the notes beside them."""
    with Library.open(data) as lib:
        lib.notes.export(tmp_path / "backup.json")
    return data


@needs_namespaces
def test_a_read_only_library_reads_everything_and_refuses_writes_in_one_line(
    data: Path, tmp_path: Path
) -> None:
    before = tree_bytes(data, skip=LOCKS)
    out = tmp_path / "out"
    out.mkdir()
    reads = [
        ("search", "Zhanshu"),
        ("docs",),
        ("show", CNN_LI_ZHANSHU),
        ("notes", "list"),
        ("notes", "list", "--text", "Li"),
        ("notes", "export", "-o", str(out / "notes.csv")),
        ("notes", "export", "-o", str(out / "backup.json")),
    ]
    writes = [
        ("notes", "add", CNN_TRANSLATION, "--text", "a new note"),
        ("notes", "delete", "1"),
        ("notes", "import", str(tmp_path / "backup.json")),
        ("index", str(data.parent / "elsewhere")),
        ("notes", "export", "-o", str(data / "notes.md")),
    ]
    (data.parent / "elsewhere").mkdir()
    (data.parent / "elsewhere" / "new.txt").write_text("A new article\n\nAbout trade.", "utf-8")
    done = run_cli(data, [Run(argv) for argv in reads + writes], read_only=True)
    for result in done[: len(reads)]:
        assert result.returncode == 0 and result.stderr == "", (result.args, result.stderr)
    assert "Li Zhanshu" in done[3].stdout and "1 note" in done[3].stdout
    assert "On Li" in (out / "notes.csv").read_text("utf-8")
    for result in done[len(reads) :]:
        assert result.returncode == 1, (result.args, result.stdout)
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
        assert "read-only" in result.stderr and "unexpected" not in result.stderr, result.stderr
    assert "the note was not saved" in done[len(reads)].stderr
    assert tree_bytes(data, skip=LOCKS) == before


@needs_namespaces
def test_a_library_never_written_in_a_read_only_folder_reads_as_empty(tmp_path: Path) -> None:
    """A notes database that is not there yet reads as no notes (it cannot be made)."""
    data = tmp_path / "data"
    with Library.open(data) as lib:
        lib.add_paths([tmp_path / "nothing"])
    assert not (data / "workbench.sqlite3").exists()
    listed, added = run_cli(
        data,
        [Run(("notes", "list")), Run(("notes", "add", "x", "--text", "y"))],
        read_only=True,
    )
    assert listed.returncode == 0 and "0 notes" in listed.stdout, listed.stderr
    assert added.returncode in (1, 2) and added.stderr.count("\n") == 1, added.stderr


@needs_namespaces
@pytest.mark.spacy
def test_a_read_only_library_compares(entity_seeds_dir: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(entity_seeds_dir, data)
    (done,) = run_cli(data, [Run(("compare", CNN_TRANSLATION, CNN_LI_ZHANSHU))], read_only=True)
    assert done.returncode == 0, done.stderr
    assert "Shared passages" in done.stdout
