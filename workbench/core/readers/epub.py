"""EPUB books, read with ebooklib: chapters in spine order, each a section of the text.

Each chapter's XHTML is read like a page's article (headings, paragraphs, lists,
tables; scripts and styles left out) and starts a section named by the book's table of
contents, else by the chapter's first heading, else "Chapter N". Title, authors, date,
language and publisher come from the package's Dublin Core metadata.
"""

from __future__ import annotations

import io
import warnings
from typing import Any

from .archive import DAMAGED, open_zip, read_member
from .base import Extracted, SkippedFile, TextBuilder, drop_front_matter, tidy
from .htmltext import render
from .meta import iso_date, language_code, meaningful_authors, meaningful_title

KIND = "EPUB book"


def _toc_titles(entries: Any, out: dict[str, str]) -> dict[str, str]:
    """Chapter titles of the table of contents by file name (the first entry per file)."""
    for entry in entries or ():
        if isinstance(entry, (tuple, list)):
            if entry:
                _toc_titles([entry[0]], out)
            if len(entry) > 1:
                _toc_titles(entry[1], out)
            continue
        href = getattr(entry, "href", None)
        title = tidy(getattr(entry, "title", "") or "")
        if href and title:
            out.setdefault(href.split("#", 1)[0], title)
    return out


def _meta(book: Any, name: str) -> list[str]:
    try:
        values = book.get_metadata("DC", name)
    except Exception:
        return []
    return [str(v[0]) for v in values if v and v[0]]


def _load(data: bytes) -> Any:
    from ebooklib import epub

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return epub.read_epub(io.BytesIO(data), options={"ignore_ncx": False})
        except epub.EpubException as exc:
            raise SkippedFile(
                f"damaged {KIND} ({exc.msg if hasattr(exc, 'msg') else exc})"
            ) from None
        except DAMAGED as exc:
            raise SkippedFile(f"damaged {KIND} ({type(exc).__name__})") from None
        except Exception as exc:  # lxml's XMLSyntaxError on a malformed package file
            name = type(exc).__name__
            if "XMLSyntax" in name:
                raise SkippedFile(f"damaged {KIND} (its package XML is malformed)") from None
            raise SkippedFile(f"damaged {KIND} ({name})") from None


def _chapter_root(content: bytes) -> Any:
    import lxml.html

    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
    try:
        return lxml.html.document_fromstring(content, parser=parser)
    except Exception:  # an empty or unreadable chapter
        return None


def check_package(archive: Any) -> None:
    """Refuse a book whose container or package file is not well-formed XML (ebooklib's
    parser would recover from some of it silently and fail later on others)."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    name = "META-INF/container.xml"
    try:
        container = etree.fromstring(read_member(archive, name, KIND), parser)
        rootfile = next(
            (el.get("full-path") for el in container.iter() if el.get("full-path")), None
        )
        if not rootfile:
            raise SkippedFile(f"damaged {KIND} (its container names no package file)")
        name = rootfile
        etree.fromstring(read_member(archive, rootfile, KIND), parser)
    except etree.XMLSyntaxError:
        raise SkippedFile(f"damaged {KIND} (its XML is malformed: {name})") from None


def read_epub(data: bytes, stem: str = "") -> Extracted:
    """Read an EPUB's chapters in spine order, each starting a section."""
    check_package(open_zip(data, KIND))
    book = _load(data)
    titles = _toc_titles(book.toc, {})
    builder = TextBuilder()
    number = 0
    for idref, *_ in book.spine:
        item = book.get_item_with_id(idref)
        if item is None:
            continue
        try:
            content = item.get_content()
        except DAMAGED:
            raise SkippedFile(
                f"damaged {KIND} (chapter {item.get_name()} cannot be unpacked)"
            ) from None
        root = _chapter_root(content) if content else None
        body = root.find("body") if root is not None else None
        if body is None:
            continue
        number += 1
        label = titles.get(item.get_name()) or _first_heading(body) or f"Chapter {number}"
        builder.section(label[:120])
        render(body, builder)
    if not builder.text().strip():
        raise SkippedFile(f"no text in this {KIND}")
    publisher = _meta(book, "publisher")
    title = meaningful_title((_meta(book, "title") or [""])[0])
    found = Extracted(
        text=builder.text(),
        title=title if title.casefold() != stem.casefold() else "",
        date=next((d for d in map(iso_date, _meta(book, "date")) if d), None),
        authors=meaningful_authors(_meta(book, "creator")),
        site=tidy(publisher[0])[:200] if publisher else "",
        language=language_code((_meta(book, "language") or [""])[0]),
        sections=tuple(builder.sections),
    )
    return drop_front_matter(found)


def _first_heading(body: Any) -> str:
    for el in body.iter("h1", "h2", "h3"):
        text = tidy(el.text_content())
        if text:
            return text
    return ""
