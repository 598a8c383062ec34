"""Writing files so that a crash or a power cut never leaves half of one, and saying in
one line why the disk or the folder refused a write.

A write can fail for reasons outside Workbench: a full disk, a read-only mount, a folder
that belongs to another user, a failing disk. :func:`storage_problem` recognises them
from the error itself (the ``errno`` of an ``OSError``, the result code of an SQLite
error, never the wording of a message), and :func:`cannot_write` turns one into the
:class:`CannotWrite` line the user reads. Such a failure is never taken for damage:
nothing is deleted or rebuilt because of it.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from .errors import LibraryBusy, WorkbenchError

FULL = "full"
READ_ONLY = "read-only"
DENIED = "denied"
IO_ERROR = "io"
CANNOT_OPEN = "cannot-open"

_ERRNO_PROBLEMS = {
    errno.ENOSPC: FULL,
    errno.EDQUOT: FULL,
    errno.EROFS: READ_ONLY,
    errno.EACCES: DENIED,
    errno.EPERM: DENIED,
    errno.EIO: IO_ERROR,
}
_SQLITE_PROBLEMS = {
    sqlite3.SQLITE_FULL: FULL,
    sqlite3.SQLITE_READONLY: READ_ONLY,
    sqlite3.SQLITE_PERM: DENIED,
    sqlite3.SQLITE_IOERR: IO_ERROR,
    sqlite3.SQLITE_CANTOPEN: CANNOT_OPEN,
}


class CannotWrite(WorkbenchError):
    """The disk or the folder refused a write (full, read-only, not ours, failing).

    What was saved before is intact; ``problem`` is one of :data:`FULL`,
    :data:`READ_ONLY`, :data:`DENIED`, :data:`IO_ERROR`, :data:`CANNOT_OPEN`.
    """

    def __init__(self, message: str, problem: str) -> None:
        super().__init__(message)
        self.problem = problem


def storage_problem(exc: BaseException) -> str | None:
    """Why the disk or folder refused an operation (:data:`FULL`, :data:`READ_ONLY`, ...),
    or None when ``exc`` is something else (a bug, damage, a lock)."""
    if isinstance(exc, CannotWrite):
        return exc.problem
    if isinstance(exc, OSError) and exc.errno is not None:
        return _ERRNO_PROBLEMS.get(exc.errno)
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(exc, sqlite3.Error) and code is not None:
        return _SQLITE_PROBLEMS.get(int(code) & 0xFF)
    return None


def _refined(problem: str, place: Path | None) -> str:
    """A vaguer SQLite answer (cannot open, I/O error) made precise by looking at the
    folder: SQLite says "cannot open" on a read-only mount and "I/O error" when the disk
    is too full for its shared-memory file."""
    if place is None or problem not in {IO_ERROR, CANNOT_OPEN}:
        return problem
    folder = place if place.is_dir() else place.parent
    try:
        info = os.statvfs(folder)
    except (OSError, AttributeError):  # statvfs is POSIX only
        return problem
    if info.f_flag & os.ST_RDONLY:
        return READ_ONLY
    if info.f_bavail * info.f_frsize < 256 * 1024:
        return FULL
    if not os.access(folder, os.W_OK):
        return DENIED
    return problem


def refusal(problem: str, what: str = "the change", place: Path | None = None) -> CannotWrite:
    """The :class:`CannotWrite` line for a ``problem`` (see :func:`storage_problem`)."""
    problem = _refined(problem, place)
    at = f" ({place})" if place is not None else ""
    message = {
        FULL: f"the disk is full{at}: {what} was not saved; free some space and try again "
        "(nothing saved before was lost)",
        READ_ONLY: f"the folder is read-only{at}: {what} was not saved (reading still works)",
        DENIED: f"permission denied{at}: {what} was not saved "
        "(the folder belongs to another user or is locked)",
        IO_ERROR: f"the disk reported an I/O error{at}: {what} was not saved; check the disk",
        CANNOT_OPEN: f"a file Workbench needs cannot be opened{at}: {what} was not saved",
    }[problem]
    return CannotWrite(message, problem)


def cannot_write(
    exc: BaseException, what: str = "the change", where: Path | None = None
) -> CannotWrite | None:
    """The one line for a write the disk or folder refused, or None if ``exc`` is not that.

    ``what`` names what was not saved ("the note", "the export"); ``where`` the file or
    folder, when the error does not name it.
    """
    if isinstance(exc, CannotWrite):
        return exc
    problem = storage_problem(exc)
    if problem is None:
        return None
    named = getattr(exc, "filename", None)
    place = Path(os.fsdecode(named)) if isinstance(named, str | bytes) else where
    return refusal(problem, what, place)


def read_only_connection(path: Path, timeout: float = 10.0) -> sqlite3.Connection:
    """An SQLite database opened for reading where nothing can be written beside it (a
    read-only mount, another user's folder, a full disk).

    SQLite's read-only mode still needs a shared-memory file beside a WAL database, which
    such a folder refuses; ``immutable`` needs none but ignores the WAL, so it is the
    first choice only when the WAL holds nothing. Raises ``sqlite3.Error`` if neither
    way can read it.
    """
    wal = path.with_name(path.name + "-wal")
    wal_used = wal.exists() and wal.stat().st_size > 0
    failure: sqlite3.Error | None = None
    for mode in ("mode=ro", "immutable=1") if wal_used else ("immutable=1",):
        conn = sqlite3.connect(
            f"{path.resolve().as_uri()}?{mode}",
            uri=True,
            timeout=timeout,
            isolation_level=None,
            check_same_thread=False,
        )
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return conn
        except sqlite3.Error as exc:
            conn.close()
            failure = exc
    assert failure is not None
    raise failure


def write_atomic(path: Path, write: Callable[[Path], object]) -> None:
    """Write ``path`` through a temporary file beside it: ``write(tmp)``, fsync, rename.

    Readers see the old file or the new one, never a partial one. The temporary name is
    unique, so two processes writing the same file at once each replace it whole.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    unique = f"{os.getpid()}-{threading.get_ident()}-{uuid.uuid4().hex[:8]}"
    tmp = path.with_name(f".{path.name}.{unique}.partial")
    try:
        write(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        _sync_folder(path.parent)
    except OSError as exc:
        if exc.filename is not None and os.fsdecode(exc.filename) == str(tmp):
            exc.filename = str(path)  # the user knows the file, not its temporary name
        raise
    finally:
        tmp.unlink(missing_ok=True)


def _sync_folder(folder: Path) -> None:
    """Flush a folder's entries to disk, so a rename survives a power cut (POSIX)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return  # Windows cannot open a folder; its renames are journalled by NTFS
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems (network shares) refuse; the rename itself stands
    finally:
        os.close(fd)


def write_text_atomic(path: Path, text: str) -> None:
    """Write UTF-8 text to ``path`` atomically (see :func:`write_atomic`)."""
    write_atomic(path, lambda p: p.write_text(text, "utf-8"))


@contextmanager
def exclusive(lock_path: Path, timeout: float, busy: str) -> Iterator[None]:
    """Hold an OS file lock on ``lock_path`` (shared by processes and threads alike).

    Waits up to ``timeout`` seconds, then raises :class:`LibraryBusy` with the message
    ``busy``. The lock goes with the process, so a crash never leaves it held. Where the
    file system cannot lock at all (some network shares, a read-only folder), the block
    runs without the lock, as a single process always could.
    """
    lock = FileLock(str(lock_path), timeout=timeout)
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        lock.acquire(poll_interval=0.05)
    except Timeout:
        raise LibraryBusy(busy) from None
    except (OSError, NotImplementedError):
        yield
        return
    try:
        yield
    finally:
        lock.release()
