"""Writing files so that a crash or a power cut never leaves half of one."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from .errors import LibraryBusy


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
