"""Zip containers (Word, OpenDocument, EPUB), opened only when they are safe to unpack.

A zip file says how large each part unpacks to. A container whose parts add up to more
than :data:`~workbench.core.readers.base.MAX_UNPACKED_BYTES`, or with a part that
unpacks to more than :data:`~workbench.core.readers.base.MAX_RATIO` times its packed
size, is refused as a zip bomb before anything is unpacked. Python's ``zipfile``
never unpacks more than a part's declared size (it checks the CRC at the end), so a
part that lies about its size fails as damaged rather than filling the memory.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from .base import MAX_RATIO, MAX_UNPACKED_BYTES, SkippedFile

# Errors that reading a damaged container can raise, whichever library reads it.
DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, OSError, KeyError, ValueError)


def open_zip(data: bytes, kind: str) -> zipfile.ZipFile:
    """The zip container in ``data``, checked against zip bombs; ``kind`` names the format
    in the reasons ("Word file", "EPUB book")."""
    if not data.startswith(b"PK"):
        raise SkippedFile(f"not a {kind} (not a zip container)")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError):
        raise SkippedFile(f"damaged {kind} (truncated or not a complete zip container)") from None
    total = 0
    for info in infos:
        total += info.file_size
        packed = max(1, info.compress_size)
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * packed:
            raise SkippedFile(
                f"refused: a zip bomb ({info.filename} would unpack {info.file_size // packed}"
                f" times its size; the limit is {MAX_RATIO})"
            )
    if total > MAX_UNPACKED_BYTES:
        raise SkippedFile(
            f"refused: unpacks to {total / 1048576:.0f} MB "
            f"(the limit is {MAX_UNPACKED_BYTES / 1048576:.0f} MB)"
        )
    return archive


def read_member(archive: zipfile.ZipFile, name: str, kind: str) -> bytes:
    """One part of a checked container, or :class:`SkippedFile` if it is missing or damaged."""
    try:
        return archive.read(name)
    except KeyError:
        raise SkippedFile(f"damaged {kind} (its part {name} is missing)") from None
    except DAMAGED:
        raise SkippedFile(f"damaged {kind} (its part {name} cannot be unpacked)") from None
