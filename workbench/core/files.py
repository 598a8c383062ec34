"""Writing files so that a crash or a power cut never leaves half of one."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from whoosh.util.filelock import FileLock, try_for

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
    finally:
        tmp.unlink(missing_ok=True)


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
    lock = FileLock(str(lock_path))
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        held = try_for(lambda: lock.acquire(blocking=False), timeout=timeout, delay=0.05)
    except OSError:
        yield
        return
    if not held:
        raise LibraryBusy(busy)
    try:
        yield
    finally:
        lock.release()
