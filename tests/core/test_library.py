"""The Library: incremental indexing, ids, bad files, and rebuilding a broken index."""

from __future__ import annotations

import json
import os
import shutil
import threading
from pathlib import Path

import pytest

from workbench.core import index
from workbench.core.errors import LibraryBusy, UnknownDocument
from workbench.core.library import Library

from ..support import BBC, CNN_LI_ZHANSHU, bbc_files, run_at_once


def test_reindexing_is_incremental(tmp_path: Path, seeds_copy: Path) -> None:
    with Library.open(tmp_path / "data") as lib:
        first = lib.add_paths([seeds_copy])
        assert first.counts() == {
            "added": 5,
            "updated": 0,
            "unchanged": 0,
            "removed": 0,
            "skipped": 0,
        }
        again = lib.add_paths([seeds_copy])
        assert again.counts() == {
            "added": 0,
            "updated": 0,
            "unchanged": 5,
            "removed": 0,
            "skipped": 0,
        }

        # Edit one article, delete another, add a new one.
        edited = seeds_copy / f"{CNN_LI_ZHANSHU}.txt"
        head, sep, tail = edited.read_text("utf-8").partition("\n\n")
        edited.write_text(
            head + sep + "A new paragraph about Zhongnanhai gardens.\n\n" + tail, "utf-8"
        )
        removed = next(p for p in seeds_copy.iterdir() if p.name.startswith("000"))
        removed.unlink()
        (seeds_copy / "new.md").write_text(
            "# Fresh article\n\nVolodin spoke again in Moscow.\n", "utf-8"
        )

        third = lib.add_paths([seeds_copy])
        assert third.counts() == {
            "added": 1,
            "updated": 1,
            "unchanged": 3,
            "removed": 1,
            "skipped": 0,
        }
        assert third.updated == [CNN_LI_ZHANSHU] and third.added == ["new"]
        assert {h.id for h in lib.search("zhongnanhai").hits} >= {CNN_LI_ZHANSHU}
        assert not any(d.id.startswith("000") for d in lib.documents())
        assert lib.search("Fresh").hits[0].id == "new"


def test_refresh_reindexes_every_added_folder(tmp_path: Path, seeds_copy: Path) -> None:
    with Library.open(tmp_path / "data") as lib:
        lib.add_paths([seeds_copy])
        (seeds_copy / "later.txt").write_text(
            "Later title\n\nSomething about Samarkand and Modi.", "utf-8"
        )
        report = lib.refresh()
        assert report.added == ["later"] and report.unchanged == 5
        assert lib.roots == [str(seeds_copy.resolve())]


def test_bad_files_are_skipped_and_good_ones_still_found(tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    good = bbc_files("business", 60)
    for f in good:
        shutil.copy(f, folder / f.name)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 50)
    (folder / "huge.txt").write_bytes(b"x")
    (folder / "huge.txt").chmod(0o000)  # unreadable (when not running as root) or read fine
    with Library.open(tmp_path / "data") as lib:
        report = lib.add_paths([folder])
        reasons = {Path(s.path).name: s.reason for s in report.skipped}
        assert reasons["empty.txt"] == "empty file"
        assert "binary" in reasons["binary.txt"]
        assert len(report.added) >= len(good)
        title = good[7].read_text("utf-8").split("\n", 1)[0]
        assert lib.search(f'title:"{title}"').hits[0].id == good[7].stem


@pytest.mark.slow
def test_a_thousand_good_files_and_three_bad_ones_import_a_thousand(tmp_path: Path) -> None:
    folder = tmp_path / "big"
    good = sorted(BBC.glob("*/*.txt"))[:1000]
    for f in good:
        dest = folder / f.parent.name / f.name
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(f, dest)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "zeros.html").write_bytes(b"\x00" * 4096)
    (folder / "huge.md").write_bytes(b"word " * (21 * 1024 * 1024 // 5))
    with Library.open(tmp_path / "data") as lib:
        report = lib.add_paths([folder])
        assert len(report.added) == 1000
        assert len(report.skipped) == 3
        assert {Path(s.path).name for s in report.skipped} == {"empty.txt", "zeros.html", "huge.md"}
        assert any("too large" in s.reason for s in report.skipped)
        assert lib.docs.count() == 1000


def test_ids_are_stems_with_collisions_disambiguated(tmp_path: Path) -> None:
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "report.txt").write_text(
            f"Report {sub}\n\nText of report {sub}.", "utf-8"
        )
    with Library.open(tmp_path / "data") as lib:
        lib.add_paths([tmp_path / "a", tmp_path / "b"])
        assert sorted(d.id for d in lib.documents()) == ["report", "report-2"]
        assert lib.document("report-2").title == "Report b"
        # Ids stay with their paths across re-imports.
        lib.add_paths([tmp_path / "b", tmp_path / "a"])
        assert lib.document("report").title == "Report a"


def test_any_unique_prefix_finds_a_document(seeded: Library) -> None:
    assert seeded.document("004").id == CNN_LI_ZHANSHU
    with pytest.raises(UnknownDocument, match="matches 5 documents"):
        seeded.document("00")
    with pytest.raises(UnknownDocument, match="no document"):
        seeded.document("zzz")


def _index_dir(data: Path) -> Path:
    return data / "index"


@pytest.mark.parametrize(
    "damage", ["garbled-toc", "truncated-segment", "old-version", "no-stamp", "half-written"]
)
def test_unusable_index_is_rebuilt_from_the_files(
    tmp_path: Path, seeds_copy: Path, damage: str
) -> None:
    data = tmp_path / "data"
    with Library.open(data) as lib:
        lib.add_paths([seeds_copy])
    ix = _index_dir(data)
    if damage == "garbled-toc":
        toc = next(ix.glob("_MAIN_*.toc"))
        toc.write_bytes(b"\x00garbage" * 10)
    elif damage == "truncated-segment":
        seg = max(ix.glob("*.seg"), key=lambda p: p.stat().st_size)
        seg.write_bytes(seg.read_bytes()[:100])
    elif damage == "old-version":
        (ix / index.STAMP_FILE).write_text(json.dumps({"schema": 1}))
    elif damage == "no-stamp":
        (ix / index.STAMP_FILE).unlink()
    elif damage == "half-written":
        (ix / index.DIRTY_FILE).write_text("12345")
    notices: list[str] = []
    with Library.open(data, on_notice=notices.append) as lib:
        assert lib.pending_rebuild
        report = lib.rebuild_if_needed()
        assert report is not None and len(report.added) == 5
        assert len(notices) == 1 and notices[0].startswith("Rebuilding the search index")
        assert "\n" not in notices[0] and "Traceback" not in notices[0]
        assert lib.search('"Li Zhanshu"').total == 2
    # And the rebuilt index opens cleanly.
    with Library.open(data) as lib:
        assert lib.pending_rebuild is None


def test_a_second_writer_waits_then_says_busy(
    tmp_path: Path, seeds_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index, "WRITER_TIMEOUT", 0.3)
    with Library.open(tmp_path / "data") as lib:
        lib.add_paths([seeds_copy])
        lock = lib.ix.lock("WRITELOCK")
        assert lock.acquire(blocking=False)
        try:
            (seeds_copy / "x.txt").write_text("X\n\nNew text.", "utf-8")
            with pytest.raises(LibraryBusy, match="busy"):
                lib.add_paths([seeds_copy])
            # Readers keep working while the lock is held.
            assert lib.search('"Li Zhanshu"').total == 2
        finally:
            lock.release()
        assert lib.add_paths([seeds_copy]).added == ["x"]


def test_readers_work_while_a_writer_commits(tmp_path: Path) -> None:
    files = bbc_files("tech", 80)
    with Library.open(tmp_path / "data") as lib:
        lib.add_paths(files[:20])
        errors: list[BaseException] = []
        totals: list[int] = []
        done = threading.Event()

        def read() -> None:
            try:
                while not done.is_set():
                    totals.append(lib.search("computer OR software").total)
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        reader = threading.Thread(target=read)
        reader.start()
        try:
            lib.add_paths(files)
        finally:
            done.set()
            reader.join()
        assert not errors
        assert totals and totals[-1] <= lib.search("computer OR software").total


def test_cancel_keeps_what_was_read_and_removes_nothing(tmp_path: Path, seeds_copy: Path) -> None:
    with Library.open(tmp_path / "data") as lib:
        calls = []

        def cancel() -> bool:
            return len(calls) >= 2

        report = lib.add_paths(
            [seeds_copy], progress=lambda d, t: calls.append((d, t)), cancel=cancel
        )
        assert report.cancelled
        assert len(report.added) == 2 and lib.docs.count() == 2
        assert calls[-1] == (2, 5)


def test_listing_documents_never_waits_for_an_import(tmp_path: Path, seeds_copy: Path) -> None:
    """The GUI lists documents while an import runs in the background: no shared lock."""
    with Library.open(tmp_path / "data") as lib:
        lib.add_paths(bbc_files("politics", 3))
        listed = threading.Event()
        in_import = threading.Event()

        def progress(done: int, total: int) -> None:
            in_import.set()
            listed.wait(timeout=10)

        worker = threading.Thread(target=lambda: lib.add_paths([seeds_copy], progress=progress))
        worker.start()
        try:
            assert in_import.wait(timeout=10)
            # The import is paused mid-way holding its writer; listing must still answer.
            result: list[int] = []
            reader = threading.Thread(target=lambda: result.append(lib.docs.count()))
            reader.start()
            reader.join(timeout=5)
            assert result == [3], "documents() blocked behind the import"
        finally:
            listed.set()
            worker.join()
        assert lib.docs.count() == 8


@pytest.mark.spacy
def test_rebuilt_index_refills_entity_fields(tmp_path: Path, seeds_copy: Path) -> None:
    data = tmp_path / "data"
    with Library.open(data) as lib:
        lib.add_paths([seeds_copy])
        if not lib.entities.available()[0]:
            pytest.skip("no spaCy model")
        lib.entities.extract(n_process=1)
        before = {h.id for h in lib.search('entity:"Li Zhanshu"').hits}
        assert before
    (_index_dir(data) / index.STAMP_FILE).unlink()
    with Library.open(data) as lib:
        lib.rebuild_if_needed()
        assert {h.id for h in lib.search('entity:"Li Zhanshu"').hits} == before


def test_parallel_writers_are_never_forked_from_a_threaded_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workbench.core import importer as library

    monkeypatch.setattr(library, "PARALLEL_WRITE_MIN", 2)
    if threading.active_count() == 1:  # other tests (Qt pools) may have left threads behind
        assert library.writer_processes(10) == min(2, os.cpu_count() or 1)
    seen: list[int] = []
    worker = threading.Thread(target=lambda: seen.append(library.writer_processes(10)))
    worker.start()
    worker.join()
    assert seen == [1]
    # And an import running in a worker thread (as in the GUI) writes in-process.
    procs: list[int] = []
    real_writing = index.writing

    def spy(ix, directory, store, procs_=1):
        procs.append(procs_)
        return real_writing(ix, directory, store, procs_)

    monkeypatch.setattr(index, "writing", spy)
    with Library.open(tmp_path / "data") as lib:
        t = threading.Thread(target=lambda: lib.add_paths(bbc_files("sport", 5)))
        t.start()
        t.join()
        assert procs == [1] and lib.docs.count() == 5


OPENER = """
import sys
from workbench.core.library import Library

data, folders = sys.argv[2], sys.argv[3:]
wait_for_go()
with Library.open(data) as lib:
    said = lib.pending_rebuild or "opened"
    if folders:
        said += f" added {len(lib.add_paths(folders).added)}"
    print(said, flush=True)
"""


def _open_at_once(data: Path, count: int, folders: list[Path] | None = None) -> list[str]:
    """``count`` processes open ``data`` at the same instant; process i then imports ``folders[i]``."""
    argvs = [[str(data), *([str(folders[i])] if folders else [])] for i in range(count)]
    return run_at_once(OPENER, argvs, data.parent / "go")


def test_processes_opening_a_new_data_dir_at_once_all_succeed(tmp_path: Path) -> None:
    # The app and a `workbench` command started together on a new data directory: each
    # must open the one index the other created, not trip over its half-created files.
    data = tmp_path / "data"
    assert _open_at_once(data, 6) == ["opened"] * 6
    with Library.open(data) as lib:
        assert lib.pending_rebuild is None


def test_an_unusable_index_opened_by_processes_at_once_is_recreated_once(
    tmp_path: Path, seeds_copy: Path
) -> None:
    data = tmp_path / "data"
    with Library.open(data) as lib:
        lib.add_paths([seeds_copy])
    (_index_dir(data) / index.STAMP_FILE).write_text(json.dumps({"schema": 1}))
    said = _open_at_once(data, 4)
    assert sorted(said).count("opened") == 3, said
    assert next(s for s in said if s != "opened").startswith(
        "the search index is from another version"
    )


def test_processes_importing_at_once_never_give_one_id_to_two_files(tmp_path: Path) -> None:
    # Both folders hold files with the same names, so every id needs disambiguating, and
    # the manifest (path -> id, which note anchors rely on) must end up with all of them.
    folders = []
    for name in ("first", "second"):
        folder = tmp_path / name
        folder.mkdir()
        for i in range(40):
            (folder / f"article{i}.txt").write_text(
                f"{name} article {i}\n\nBody of {name} {i}.", "utf-8"
            )
        folders.append(folder)
    data = tmp_path / "data"
    assert sorted(_open_at_once(data, 2, folders)) == ["opened added 40"] * 2
    with Library.open(data) as lib:
        docs = list(lib.documents())
        assert len(docs) == 80 and len({d.id for d in docs}) == 80
        manifest = json.loads((data / "library.json").read_text("utf-8"))
        assert {d.path: d.id for d in docs} == manifest["ids"]
        assert sorted(manifest["roots"]) == sorted(str(f) for f in folders)
        for doc in docs:
            assert Path(doc.path).read_text("utf-8").startswith(doc.title)


def test_an_import_waits_for_another_then_says_busy(
    tmp_path: Path, seeds_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from filelock import FileLock

    monkeypatch.setattr(index, "WRITER_TIMEOUT", 0.3)
    data = tmp_path / "data"
    with Library.open(data) as lib:
        other = FileLock(str(data / ".import.lock"), thread_local=False)
        other.acquire(timeout=0)  # another process importing
        try:
            with pytest.raises(LibraryBusy, match="another Workbench is importing"):
                lib.add_paths([seeds_copy])
            assert list(lib.documents()) == []  # nothing half-done
        finally:
            other.release()
        assert len(lib.add_paths([seeds_copy]).added) == 5


def test_a_file_system_that_cannot_lock_still_opens_and_says_why_it_cannot_import(
    tmp_path: Path, seeds_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Some network shares refuse file locks. Opening and searching need none; writing the
    # index does (Whoosh's own lock), so an import says so in one line.
    import errno

    from filelock import UnixFileLock
    from whoosh.util import filelock

    from workbench.core.errors import WorkbenchError

    data = tmp_path / "data"
    with Library.open(data) as lib:
        lib.add_paths([seeds_copy])

    def cannot_lock(self, blocking=False):
        raise OSError(errno.ENOLCK, "No locks available")

    def cannot_lock_either(self, *args, **kwargs):
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(filelock.FileLock, "acquire", cannot_lock)
    monkeypatch.setattr(UnixFileLock, "_acquire", cannot_lock_either)
    with Library.open(data) as lib:
        assert lib.search('"Li Zhanshu"').total == 2
        (seeds_copy / "new.txt").write_text("New\n\nA new article.", "utf-8")
        with pytest.raises(WorkbenchError, match="cannot be written: No locks available"):
            lib.add_paths([seeds_copy])
