"""Reading files into Documents: which files, their size and encoding, and the readers.

A :class:`Document`'s ``text`` is the cleaned reader text. Every offset Workbench
reports (search matches, entity mentions, aligned passages, note anchors, sections)
is an offset into that string, and the index stores exactly that string, so the
reader and the index can never disagree.

Each format has its reader in :mod:`workbench.core.readers` (plain text and Markdown,
web pages, MHTML, PDF, Word, OpenDocument, EPUB); this module finds the files, checks
their size, decodes text files, and turns what a reader found into a Document.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .readers import FORMATS, TEXT_FORMATS, format_of, read
from .readers.base import (
    MAX_CONTAINER_BYTES,
    MAX_FILE_BYTES,
    MAX_TEXT_CHARS,
    Extracted,
    ParsedFile,
    Section,
    SkippedFile,
    label_of,
)
from .readers.plain import clean_lines, find_date, read_text

SUPPORTED_SUFFIXES = frozenset(FORMATS)

__all__ = [
    "MAX_CONTAINER_BYTES",
    "MAX_FILE_BYTES",
    "SUPPORTED_SUFFIXES",
    "DocInfo",
    "Document",
    "ParsedFile",
    "Section",
    "Skip",
    "SkippedFile",
    "clean_lines",
    "content_hash",
    "decode",
    "file_state",
    "find_date",
    "iter_files",
    "parse_file",
    "read_bytes",
    "word_count",
]


@dataclass(frozen=True)
class DocInfo:
    """What the library knows of an article without reading its text (listing a library
    of a hundred thousand articles needs only these), and what its source says about it.

    ``date`` is ISO (day precision where known); ``author`` is the authors joined by
    "; "; ``site`` the publisher or web site; ``format`` the file format ("pdf",
    "html", ...); ``pages`` a PDF's page count; ``sections`` where each page or chapter
    starts in ``text``, as ``(offset, label)`` pairs.
    """

    id: str
    title: str
    path: str
    sha: str
    date: str | None = None
    words: int = 0
    author: str = ""
    site: str = ""
    url: str = ""
    language: str = ""
    format: str = ""
    pages: int = 0
    sections: tuple[Section, ...] = ()

    def summary(self) -> dict[str, object]:
        """The fields listed by ``workbench docs``."""
        return {
            "id": self.id,
            "title": self.title,
            "path": self.path,
            "words": self.words,
            "date": self.date,
            "author": self.author,
            "site": self.site,
            "language": self.language,
            "format": self.format,
            "pages": self.pages,
        }

    def metadata(self) -> dict[str, object]:
        """What the source says about the document (for ``show --json`` and exports)."""
        return {
            "date": self.date,
            "author": self.author,
            "site": self.site,
            "url": self.url,
            "language": self.language,
            "format": self.format,
            "pages": self.pages,
            "sections": [list(s) for s in self.sections],
        }

    def section_at(self, offset: int) -> str | None:
        """The page or chapter holding ``offset`` ("p. 4", "Chapter 2"), if the text has any."""
        return label_of(offset, self.sections) if self.sections else None


@dataclass(frozen=True, kw_only=True)
class Document(DocInfo):
    """One article as the researcher reads it: its metadata and its reader text."""

    text: str


@dataclass
class Skip:
    """A file left out of an import, and why."""

    path: str
    reason: str


def word_count(text: str) -> int:
    """Words as a reader counts them: runs of letters or digits."""
    return len(re.findall(r"\w+", text))


def content_hash(data: bytes) -> str:
    """The content hash that decides whether a file changed."""
    return hashlib.sha1(data).hexdigest()


# --------------------------------------------------------------------------- files


def iter_files(paths: Iterable[str | Path], skipped: list[Skip] | None = None) -> Iterator[Path]:
    """Supported files under ``paths`` (files or folders, recursively), sorted, hidden skipped.

    Each file is yielded once, by its resolved path. A folder that cannot be read, a
    symbolic link that loops and a name that cannot be resolved are reported in
    ``skipped`` with a reason (when given) and never stop the scan.
    """
    seen: set[Path] = set()
    for raw in paths:
        root = _resolved(Path(raw).expanduser(), skipped)
        if root is None:
            continue
        for f in _walk(root, skipped) if root.is_dir() else iter([root]):
            if f not in seen:
                seen.add(f)
                yield f


def _resolved(path: Path, skipped: list[Skip] | None) -> Path | None:
    try:
        return path.resolve(strict=False)
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symbolic link loop
        if skipped is not None:
            skipped.append(Skip(str(path), f"cannot resolve the path ({_why(exc)})"))
        return None


def _walk(root: Path, skipped: list[Skip] | None) -> Iterator[Path]:
    """Supported, non-hidden files under the resolved folder ``root``, sorted, each by its
    resolved path; folders entered once each.

    Only symbolic links are resolved (a file under a resolved folder, reached without a
    link, is already resolved): resolving every one of 100,000 paths took seconds.
    """
    visited: set[tuple[int, int]] = set()
    stack = [root]
    found: list[str] = []  # sorted as strings: sorting Paths is ten times slower
    while stack:
        folder = stack.pop()
        try:
            st = folder.stat()
            if (st.st_dev, st.st_ino) in visited:
                continue  # a link back to a folder already read
            visited.add((st.st_dev, st.st_ino))
            entries = list(os.scandir(folder))
        except OSError as exc:
            if skipped is not None:
                skipped.append(Skip(str(folder), f"cannot read the folder ({_why(exc)})"))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path: Path | None = Path(entry.path)
            try:
                is_dir = entry.is_dir()
                if entry.is_symlink():
                    path = _resolved(Path(entry.path), skipped)
            except OSError:
                is_dir = False
            if path is None:
                continue
            if is_dir:
                stack.append(path)
            elif os.path.splitext(entry.name)[1].lower() in SUPPORTED_SUFFIXES:
                found.append(str(path))
    return (Path(f) for f in sorted(found))


def _why(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


def file_state(path: Path) -> tuple[int, int]:
    """A file's size and modification time (ns), or :class:`SkippedFile` saying why not."""
    try:
        st = path.stat()
    except FileNotFoundError:
        raise SkippedFile("file not found") from None
    except OSError as exc:
        raise SkippedFile(f"cannot read: {exc.strerror or exc}") from None
    return st.st_size, st.st_mtime_ns


def size_limit(path: Path) -> int:
    """The largest file of this format that is read: text formats 20 MB, others 100 MB."""
    return MAX_FILE_BYTES if format_of(path.suffix) in TEXT_FORMATS else MAX_CONTAINER_BYTES


def read_bytes(path: Path, max_bytes: int | None = None) -> bytes:
    """Read a file's bytes, or raise :class:`SkippedFile` saying why not."""
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise SkippedFile(f"unsupported file type '{path.suffix or path.name}'")
    if max_bytes is None:
        max_bytes = size_limit(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise SkippedFile("file not found") from None
    except OSError as exc:
        raise SkippedFile(f"cannot read: {exc.strerror or exc}") from None
    if size > max_bytes:
        raise SkippedFile(
            f"too large ({size / 1048576:.1f} MB; the limit is {max_bytes / 1048576:.0f} MB)"
        )
    if size == 0:
        raise SkippedFile("empty file")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SkippedFile(f"cannot read: {exc.strerror or exc}") from None


def decode(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM), else the best guess of charset-normalizer."""
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SkippedFile("binary file (contains NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise SkippedFile("binary file or unknown text encoding")
    text = str(best)
    # A "text" that is mostly control characters is a binary file in disguise.
    controls = sum(
        1 for ch in text[:4096] if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f"
    )
    if controls > 0.05 * max(1, min(len(text), 4096)):
        raise SkippedFile("binary file (not text)")
    return text


# --------------------------------------------------------------------------- documents


def document_of(parsed: ParsedFile, doc_id: str) -> Document:
    """A parsed file as the Document with id ``doc_id``."""
    return Document(
        id=doc_id,
        title=parsed.title,
        path=parsed.path,
        text=parsed.text,
        sha=parsed.sha,
        date=parsed.date,
        words=word_count(parsed.text),
        author=parsed.author,
        site=parsed.site,
        url=parsed.url,
        language=parsed.language,
        format=parsed.format,
        pages=parsed.pages,
        sections=parsed.sections,
    )


_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _extract(path: Path, data: bytes) -> Extracted:
    suffix = path.suffix.lower()
    fmt = format_of(suffix)
    if fmt in ("txt", "md"):
        raw = decode(data)
        if not raw.strip():
            raise SkippedFile("empty file (only white space)")
        return read_text(raw, suffix)
    return read(data, suffix, _readable_stem(path))


def _readable_stem(path: Path) -> str:
    """A file name's stem as a title: bytes that are not UTF-8 (kept in the path) shown as
    U+FFFD, so the title can be stored and printed."""
    return path.stem.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def parse_file(path: Path, max_bytes: int | None = None, data: bytes | None = None) -> ParsedFile:
    """Read and clean one file, or raise :class:`SkippedFile` with the reason."""
    if data is None:
        data = read_bytes(path, max_bytes)
    found = _extract(path, data)
    text = _CONTROLS.sub("", found.text)
    if len(text) > MAX_TEXT_CHARS:
        raise SkippedFile(
            f"too much text ({len(text) / 1e6:.1f} million characters; "
            f"the limit is {MAX_TEXT_CHARS / 1e6:.0f} million)"
        )
    title = _CONTROLS.sub("", found.title).strip()
    if not title and not text.strip():
        raise SkippedFile("no text after removing page furniture")
    return ParsedFile(
        path=str(path),
        sha=content_hash(data),
        title=(title or _readable_stem(path) or "Untitled")[:300],
        text=text,
        date=found.date,
        authors=found.authors,
        site=found.site,
        url=found.url,
        language=found.language,
        format=format_of(path.suffix),
        pages=found.pages,
        sections=found.sections,
    )
