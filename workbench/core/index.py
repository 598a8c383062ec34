"""The index on disk: the Whoosh index and the document store beside it, opened, checked,
recreated when unusable, and written together.

Both are caches: everything in them can be rebuilt from the source files. The index
carries a stamp (``workbench-index.json``) with the schema version; an index of another
version, a corrupt one, one whose document store does not match it, or one left
half-written by a killed process is reported by :func:`open_index` as
:class:`IndexUnusable`, so the Library can rebuild it.

Readers map the index's segment files into memory and read them in place (Whoosh's own
compound-file reader copies each file into a ``BytesIO`` first: at 50,000 articles that
was a gigabyte per process before any search).
"""

from __future__ import annotations

import errno
import itertools
import json
import marshal
import os
import pickle
import queue
import secrets
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from whoosh import index
from whoosh import writing as whoosh_writing
from whoosh.codec.whoosh3 import W3Codec, W3PerDocReader, W3Segment
from whoosh.filedb.compound import CompoundStorage
from whoosh.filedb.structfile import BufferFile
from whoosh.index import clean_files
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.util import IDCHARS
from whoosh.util.filelock import try_for

from .analysis import with_language
from .corpus import Document
from .docstore import STORE_NAME, DocumentStore
from .errors import LibraryBusy, WorkbenchError
from .files import (
    DENIED,
    FULL,
    IO_ERROR,
    READ_ONLY,
    CannotWrite,
    cannot_write,
    exclusive,
    storage_problem,
    write_text_atomic,
)
from .search import SCHEMA_VERSION, document_fields, make_schema

STAMP_FILE = "workbench-index.json"
DIRTY_FILE = "workbench-writing"
WRITER_TIMEOUT = 15.0


class IndexUnusable(WorkbenchError):
    """The index must be rebuilt; ``str(exc)`` says why, in one line."""


class IndexDamaged(WorkbenchError):
    """A search found the index damaged; it has been recreated empty, to be rebuilt."""


# --------------------------------------------------------------------------- opening


def _stamp() -> dict[str, Any]:
    return {"schema": SCHEMA_VERSION, "whoosh_fields": sorted(make_schema().names())}


def open_index(directory: Path) -> tuple[index.Index, DocumentStore]:
    """Open the index and document store in ``directory``, or raise :class:`IndexUnusable`.

    A missing index is created. The checks read a few bytes of each part, never the
    whole index: a damaged posting found later, in a search, is reported then.
    """
    directory.mkdir(parents=True, exist_ok=True)
    try:
        exists = index.exists_in(str(directory))
    except Exception as exc:  # a garbled table of contents raises here already
        raise IndexUnusable(f"the search index is damaged ({type(exc).__name__})") from None
    if not exists:
        if any(directory.iterdir()):
            raise IndexUnusable("the search index is incomplete")
        return create_index(directory)
    try:
        stamp = json.loads((directory / STAMP_FILE).read_text("utf-8"))
    except FileNotFoundError:
        raise IndexUnusable("the search index has no version stamp") from None
    except (OSError, ValueError):
        raise IndexUnusable("the search index's version stamp is unreadable") from None
    if stamp != _stamp():
        raise IndexUnusable(
            f"the search index is from another version (schema {stamp.get('schema')}, "
            f"this Workbench uses {SCHEMA_VERSION})"
        )
    store: DocumentStore | None = None
    try:
        ix = index.open_dir(str(directory))
        idle = _lock_is_free(ix)  # else another process is writing: the two may differ now
        if (directory / DIRTY_FILE).exists() and idle:
            raise IndexUnusable("the search index was left half-written by an interrupted import")
        with ix.searcher() as s:
            # Touch every segment so truncated or garbled files fail here, not mid-search.
            count = s.doc_count()
            for _ in s.lexicon("id"):
                break
        store = DocumentStore(directory / STORE_NAME)
        if idle and store.count() != count:
            raise IndexUnusable("the list of documents does not match the search index")
    except Exception as exc:  # Whoosh and SQLite raise many kinds on a damaged index
        if store is not None:
            store.close()
        if isinstance(exc, IndexUnusable):
            raise
        # A full disk, a read-only or foreign folder, a failing disk: not damage, so the
        # index is left as it is.
        if storage_problem(exc) is not None:
            raise unreadable(exc, directory) from None
        raise IndexUnusable(f"the search index is damaged ({type(exc).__name__})") from None
    return ix, store


def unreadable(exc: BaseException, directory: Path) -> WorkbenchError:
    """The line for an index the disk or folder would not let us open (nothing deleted)."""
    refused = cannot_write(exc, "nothing", directory)
    problem = refused.problem if refused is not None else ""
    why = {
        FULL: "the disk is full",
        READ_ONLY: "the folder is read-only",
        DENIED: "permission was denied",
        IO_ERROR: "the disk reported an I/O error",
    }.get(problem)
    detail = str(exc).split("\n", 1)[0]
    said = f"{why} ({detail})" if why else detail
    return WorkbenchError(f"the search index in {directory} cannot be opened: {said}")


def open_or_recreate(directory: Path) -> tuple[index.Index, DocumentStore, str | None]:
    """Open the index in ``directory``, or recreate it empty if it is unusable.

    Returns the index, its document store and, if it was recreated, why. Two processes
    starting on one data directory at once (the app and a ``workbench`` command, say)
    take turns here under a lock file beside the index, so one never sees the other's
    half-created index, and an unusable index is recreated once, not by both.
    """
    busy = (
        f"Another Workbench process has been opening the index in {directory} for "
        f"{WRITER_TIMEOUT:.0f} s; try again when it has finished."
    )
    if directory.exists() and not directory.is_dir():
        raise WorkbenchError(
            f"{directory} is a file, where Workbench keeps its search index: move it out of "
            "the way (Workbench will not delete it) and try again"
        )
    with exclusive(_opening_lock(directory), WRITER_TIMEOUT, busy):
        try:
            return (*open_index(directory), None)
        except IndexUnusable as exc:
            try:
                return (*create_index(directory), str(exc))
            except (OSError, sqlite3.Error) as failure:
                refused = cannot_write(failure, "the new, empty index", directory)
                if refused is None:
                    raise
                raise CannotWrite(
                    f"{exc}; it cannot be rebuilt: {refused}", refused.problem
                ) from None


def _opening_lock(directory: Path) -> Path:
    """The lock file processes take turns under to open (and to commit to) the index."""
    return directory.parent / f".{directory.name}.lock"


def _lock_is_free(ix: index.Index) -> bool:
    """True when no process is writing the index (False where the file system cannot lock:
    then nobody can be known to be idle)."""
    lock = ix.lock("WRITELOCK")
    try:
        if lock.acquire(blocking=False):
            lock.release()
            return True
    except OSError:
        pass
    return False


def create_index(directory: Path) -> tuple[index.Index, DocumentStore]:
    """Create an empty index and document store, replacing what was there."""
    directory.mkdir(parents=True, exist_ok=True)
    for child in directory.iterdir():
        if child.is_file():
            child.unlink()
    ix = index.create_in(str(directory), make_schema())
    write_text_atomic(directory / STAMP_FILE, json.dumps(_stamp()))
    return ix, DocumentStore(directory / STORE_NAME)


# --------------------------------------------------------------------------- reading in place


class _ViewReader:
    """A read-only file over a memoryview: reads copy only the bytes they return."""

    def __init__(self, view: memoryview) -> None:
        self._view = view
        self._pos = 0

    def read(self, n: int = -1) -> bytes:
        end = len(self._view) if n is None or n < 0 else min(len(self._view), self._pos + n)
        data = bytes(self._view[self._pos : end])
        self._pos = end
        return data

    def readline(self) -> bytes:
        view = self._view
        end = self._pos
        while end < len(view) and view[end] != 0x0A:
            end += 1
        return self.read(end + 1 - self._pos)

    def seek(self, pos: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._pos, os.SEEK_END: len(self._view)}[whence]
        self._pos = base + pos
        return self._pos

    def tell(self) -> int:
        return self._pos

    def close(self) -> None:
        self._view = memoryview(b"")


class _MappedFile(BufferFile):
    """Whoosh's in-memory file, reading the mapped pages in place instead of a copy."""

    def __init__(self, buf: memoryview, name: str | None = None) -> None:
        self._buf = buf
        self._name = name
        self.file = _ViewReader(buf)
        self.onclose = None
        self.is_real = False
        self.is_closed = False

    def subset(self, position: int, length: int, name: str | None = None) -> _MappedFile:
        return _MappedFile(self._buf[position : position + length], name=name or self._name)


class _MappedStorage(CompoundStorage):
    def open_file(self, name: str, *args: Any, **kwargs: Any) -> Any:
        if self._source is None:
            return super().open_file(name, *args, **kwargs)
        offset, length = self.range(name)
        return _MappedFile(memoryview(self._source)[offset : offset + length], name=name)


def _unique_name(size: int = 16) -> str:
    # From the system's randomness, not the random module's: a program or test framework
    # that seeds that module (Hypothesis does, per example) must not make two segments of
    # one index share a name.
    return "".join(secrets.choice(IDCHARS) for _ in range(size))


class _MappedSegment(W3Segment):
    @classmethod
    def _random_id(cls, size: int = 16) -> str:
        return _unique_name(size)

    def open_compound_file(self, storage: Any) -> _MappedStorage:
        name = self.make_filename(self.COMPOUND_EXT)
        return _MappedStorage(storage.open_file(name), use_mmap=storage.supports_mmap)


class _CachedLengths(W3PerDocReader):
    """Whoosh's per-document reader, reading each document's field length once.

    Writing a segment asks for the length of a document's field once per posting (to
    keep each block's shortest and longest document for BM25), which is a seek and a
    read in the lengths column each time: 370,000 of them for the BBC corpus, a third
    of the time spent committing. Scoring asks for the same lengths over and over too.
    """

    def __init__(self, storage: Any, segment: Any) -> None:
        super().__init__(storage, segment)
        self._lengths: dict[tuple[int, str], int | None] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        key = (docnum, fieldname)
        try:
            length = self._lengths[key]
        except KeyError:
            length = self._lengths[key] = super().doc_field_length(docnum, fieldname, None)
        return default if length is None else length


class IndexCodec(W3Codec):
    """Whoosh 3's codec with uncompressed posting blocks, cached field lengths and
    segments read in place.

    Uncompressed blocks: indexing the BBC corpus is 20% faster (3.3 -> 2.6 s) for an
    index of 30 MB instead of 18 MB, the size of Recoll's.
    """

    def __init__(self) -> None:
        super().__init__(compression=0)

    def per_document_reader(self, storage: Any, segment: Any) -> _CachedLengths:
        return _CachedLengths(storage, segment)

    def new_segment(self, storage: Any, indexname: str) -> _MappedSegment:
        return _MappedSegment(self, indexname)


# --------------------------------------------------------------------------- writing


class _ChunkedPool(whoosh_writing.PostingPool):
    """Whoosh's posting pool, spilling sorted runs to disk a chunk at a time.

    A library too large for the pool's memory (10,000 BBC articles and up) spills its
    postings to temporary runs and merges them back. Whoosh writes and reads a run one
    posting per call (1.7 million calls each way for 10,000 articles, a fifth of the
    import); here a run is marshalled in chunks of :data:`RUN_CHUNK` postings.
    """

    def _write_run(self, f: Any, items: Iterable[Any]) -> None:
        it = iter(items)
        while chunk := list(itertools.islice(it, RUN_CHUNK)):
            marshal.dump(chunk, f)
        f.close()

    def _read_run(self, path: str) -> Iterator[Any]:
        f = self._open_run(path)
        try:
            while True:
                try:
                    chunk = marshal.load(f)
                except EOFError:
                    return
                yield from chunk
        finally:
            f.close()
            self._remove_run(path)


RUN_CHUNK = 20_000
POOL_MB_WITH_THREADS = 4
# The writer builds its pool by this module-level name (its poolclass argument is
# ignored), in this process and in the writer processes it forks.
whoosh_writing.PostingPool = _ChunkedPool


class _WriterProcess(SubWriterTask):
    """Whoosh's writer process, failing quietly: a write the disk refused ends it with
    that error's number as its exit code, anything else is logged; the parent then says
    what happened (:class:`_ParallelWriter`). Whoosh's own would print a traceback on
    the user's terminal and vanish, and the parent would commit without its documents.
    """

    def run(self) -> None:
        try:
            super().run()
        except OSError as exc:
            raise SystemExit(exc.errno or _FAILED) from None
        except Exception as exc:
            from .errorlog import log_error

            log_error(exc, Path(self.storage.folder).parent)
            raise SystemExit(_FAILED) from None


_FAILED = 255
"""A writer process's exit code for a failure that is not an error number (1 is EPERM)."""


class _ParallelWriter(MpWriter):
    """Whoosh's parallel writer, checking its processes: a process that failed stops the
    import before anything is committed, and a full queue never waits on a dead one."""

    def _new_task(self) -> _WriterProcess:
        task = _WriterProcess(
            self.storage,
            self.indexname,
            self.jobqueue,
            self.resultqueue,
            self.subargs,
            self.multisegment,
        )
        self.tasks.append(task)
        task.start()
        return task

    def _check_processes(self) -> None:
        for task in self.tasks:
            code = task.exitcode
            if code:
                if code != _FAILED and code in errno.errorcode:
                    raise OSError(code, os.strerror(code), self.storage.folder)
                raise WorkbenchError(
                    "a process writing the search index failed; nothing was changed (the "
                    "details are in logs/errors.log)"
                )

    def _enqueue(self) -> None:
        # Whoosh's, but the job is handed over a moment at a time, checking meanwhile that
        # the processes that would take it are still there.
        docs: list[Any] = self.docbuffer
        filename = f"{_unique_name(28)}.doclist"
        with self.temp_storage().create_file(filename).raw_file() as f:
            for item in docs:
                pickle.dump(item, f, 2)
        if len(self.tasks) < self.procs:
            self._new_task()
        job = (filename, len(docs))
        while True:
            try:
                self.jobqueue.put(job, timeout=0.5)
                break
            except queue.Full:
                self._check_processes()
        self.docbuffer: list[Any] = []

    def commit(self, *args: Any, **kwargs: Any) -> None:
        self._check_processes()
        super().commit(*args, **kwargs)

    def _commit_toc(self, segments: Any) -> None:
        self._check_processes()  # they have all ended by now: none may have failed
        super()._commit_toc(segments)


class LibraryWriter:
    """Writes documents to the index and the document store together."""

    def __init__(self, writer: Any, store: DocumentStore) -> None:
        self.whoosh = writer
        self.store = store

    def add(self, doc: Document, size: int = 0, mtime_ns: int = 0, new: bool = True) -> None:
        """Index a document (``new=False``: replacing the one with its id).

        A document whose source does not say its language gets the detected one.
        """
        doc = with_language(doc)
        fields = document_fields(doc)
        if new:
            self.whoosh.add_document(**fields)
        else:
            self.whoosh.update_document(**fields)
        self.store.put(doc, size, mtime_ns)

    def delete(self, doc_id: str) -> None:
        self.whoosh.delete_by_term("id", doc_id)
        self.store.delete([doc_id])


def _abandon(writer: Any, ix: index.Index) -> None:
    """Cancel a writer (the caller holds the index's write lock): its worker processes
    stopped, and the files of a commit that failed halfway removed (on a full disk they
    would keep it full)."""
    for task in getattr(writer, "tasks", None) or []:
        with suppress(Exception):
            task.terminate()
            task.join(5)
    with suppress(Exception):
        writer.cancel()
    if not getattr(writer, "is_closed", True):
        with suppress(Exception):
            writer._finish()
    with suppress(Exception):
        toc = ix._read_toc()
        clean_files(ix.storage, ix.indexname, toc.generation, toc.segments)


def _refused(exc: BaseException, directory: Path) -> CannotWrite | None:
    """The one line for a write the disk or folder refused (None for anything else)."""
    return cannot_write(exc, "the change to the search index", directory)


@contextmanager
def writing(
    ix: index.Index, directory: Path, store: DocumentStore, procs: int = 1
) -> Iterator[LibraryWriter]:
    """A writer that waits up to :data:`WRITER_TIMEOUT` for the lock, then says the library is busy.

    A marker file is present while the writer is open, so that an import killed halfway is
    recognised the next time the index is opened. Leaving the block normally commits the
    index and then the document store's transaction, both under the lock processes take
    to open the index, so no process opens the two while they disagree. An exception, or
    a commit the disk refuses (a full disk), cancels both: the index and the store are
    left as they were, and a refused write is said in one line
    (:class:`~workbench.core.files.CannotWrite`).
    """
    # The posting pool is sorted in one call that holds the interpreter lock: in a process
    # with other threads (the app, whose window must repaint) a smaller pool keeps each
    # sort short, at the cost of more runs merged at the end.
    limitmb = 128 if threading.active_count() == 1 else POOL_MB_WITH_THREADS
    # The write lock is taken here, not by the writer: a writer whose construction fails
    # (its first file refused by a full disk) would otherwise keep the lock, and every
    # later import in this process would say the library is busy.
    lock = _write_lock(ix, directory)
    options: dict[str, Any] = {"_lk": False, "limitmb": limitmb, "codec": IndexCodec()}
    try:
        if procs > 1:
            # The processes' own writers never lock (Whoosh makes them with _lk=False).
            subargs = {k: v for k, v in options.items() if k != "_lk"}
            writer = _ParallelWriter(ix, procs=procs, multisegment=True, subargs=subargs, **options)
        else:
            writer = ix.writer(**options)
    except BaseException as exc:
        lock.release()
        refused = _refused(exc, directory) if isinstance(exc, OSError) else None
        if refused is not None:
            raise refused from None
        raise
    try:
        yield from _written(ix, directory, store, writer)
    finally:
        with suppress(Exception):
            lock.release()


def _write_lock(ix: index.Index, directory: Path) -> Any:
    """Whoosh's write lock on the index, waited for up to :data:`WRITER_TIMEOUT`."""
    lock = ix.lock("WRITELOCK")
    try:
        held = try_for(lambda: lock.acquire(blocking=False), WRITER_TIMEOUT, delay=0.1)
    except OSError as exc:  # a read-only folder, or a file system that cannot lock
        raise _refused(exc, directory) or WorkbenchError(
            f"the search index in {directory} cannot be written: {exc.strerror or exc}"
        ) from None
    if not held:
        raise LibraryBusy(
            "the library is busy: another Workbench is updating the index; try again shortly"
        )
    return lock


def _written(
    ix: index.Index, directory: Path, store: DocumentStore, writer: Any
) -> Iterator[LibraryWriter]:
    """The body of :func:`writing` once its writer exists (the lock is held)."""
    marker = directory / DIRTY_FILE
    try:
        marker.write_text(str(os.getpid()), "utf-8")
        batch = store.batch()
        batch.__enter__()
    except BaseException as exc:
        _abandon(writer, ix)
        # A marker half-written (a full disk) must not make the intact index look damaged.
        marker.unlink(missing_ok=True)
        refused = _refused(exc, directory)
        if refused is not None:
            raise refused from None
        raise
    index_committed = False
    try:
        yield LibraryWriter(writer, store)
        busy = "another Workbench process is opening the index; try again shortly"
        with exclusive(_opening_lock(directory), WRITER_TIMEOUT, busy):
            writer.commit()
            index_committed = True
            batch.__exit__(None, None, None)
    except BaseException as exc:
        if not index_committed:
            _abandon(writer, ix)
            batch.__exit__(type(exc), exc, None)
            marker.unlink(missing_ok=True)
        # else the index is ahead of the store: the marker stays, and the next start
        # rebuilds both from the files.
        refused = _refused(exc, directory)
        if refused is not None:
            raise refused from None
        raise
    marker.unlink(missing_ok=True)
