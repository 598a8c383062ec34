"""One reader per file format, each turning a file's bytes into text, title and metadata.

:func:`read` picks the reader by the file's suffix. Readers are imported when first
needed, so that starting Workbench does not load lxml, trafilatura or PDFium.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from .base import Extracted, SkippedFile

# suffix -> (format name, module, function); the format name is what ``format:`` finds.
FORMATS: dict[str, tuple[str, str, str]] = {
    ".txt": ("txt", "plain", "read_text"),
    ".md": ("md", "plain", "read_text"),
    ".markdown": ("md", "plain", "read_text"),
    ".html": ("html", "html", "read_page"),
    ".htm": ("html", "html", "read_page"),
    ".xhtml": ("html", "html", "read_page"),
    ".mhtml": ("mhtml", "mhtml", "read_mhtml"),
    ".mht": ("mhtml", "mhtml", "read_mhtml"),
    ".pdf": ("pdf", "pdf", "read_pdf"),
    ".docx": ("docx", "docx", "read_docx"),
    ".epub": ("epub", "epub", "read_epub"),
    ".odt": ("odt", "odt", "read_odt"),
}
TEXT_FORMATS = frozenset({"txt", "md", "html"})
"""Formats read as text (their size limit is the smaller one)."""


def format_of(suffix: str) -> str:
    """The format name of a file suffix ("" if unsupported)."""
    entry = FORMATS.get(suffix.lower())
    return entry[0] if entry else ""


def read(data: bytes, suffix: str, stem: str = "") -> Extracted:
    """Read ``data`` (a file's bytes) with the reader for ``suffix``.

    Text formats (txt, md) are decoded by the caller and not handled here.
    """
    entry = FORMATS.get(suffix.lower())
    if entry is None:
        raise SkippedFile(f"unsupported file type '{suffix}'")
    _, module_name, function_name = entry
    module = importlib.import_module(f"{__name__}.{module_name}")
    reader: Callable[..., Extracted] = getattr(module, function_name)
    if module_name in ("pdf", "docx", "epub", "odt"):
        return reader(data, stem)
    return reader(data)


__all__ = ["FORMATS", "Extracted", "SkippedFile", "format_of", "read"]
