"""Writing files so that a crash or a power cut never leaves half of one."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path


def write_atomic(path: Path, write: Callable[[Path], object]) -> None:
    """Write ``path`` through a temporary file beside it: ``write(tmp)``, fsync, rename.

    Readers see the old file or the new one, never a partial one.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.partial")
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
