"""Word documents (``.docx``), read with python-docx.

Paragraphs, headings, lists and tables are taken in document order; footnotes follow
the text under a "Notes" heading, each with its number. Title, author and creation
date come from the document's core properties where they are meaningful (not "Word
Document", not "Administrator"); else the first heading is the title.
"""

from __future__ import annotations

import io
from typing import Any

from .archive import DAMAGED, open_zip
from .base import Extracted, SkippedFile, TextBuilder, drop_front_matter, tidy
from .meta import iso_date, language_code, meaningful_authors, meaningful_title

KIND = "Word file"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _style(paragraph: Any) -> str:
    try:
        return (paragraph.style.name or "").lower() if paragraph.style is not None else ""
    except (KeyError, ValueError):
        return ""


def _is_list_item(paragraph: Any, style: str) -> bool:
    if style.startswith("list") or "bullet" in style or "number" in style:
        return True
    ppr = paragraph._p.pPr
    return ppr is not None and ppr.find(f"{_W}numPr") is not None


def _paragraph(paragraph: Any, builder: TextBuilder, headings: list[str]) -> None:
    text = "\n".join(t for t in (tidy(line) for line in paragraph.text.split("\n")) if t)
    if not text:
        return
    style = _style(paragraph)
    if style.startswith(("heading", "title")):
        headings.append(text)
        builder.add(text)
    elif _is_list_item(paragraph, style):
        builder.add("- " + text, "li")
    else:
        builder.add(text)


def _table(table: Any, builder: TextBuilder) -> None:
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            value = tidy(cell.text)
            if value and (not cells or cells[-1] != value):  # merged cells repeat their text
                cells.append(value)
        if cells:
            builder.add(" | ".join(cells), "tr")


def _footnotes(document: Any) -> list[str]:
    """The footnotes' texts, numbered in order as Word shows them (separators left out)."""
    for part in document.part.package.parts:
        if str(part.partname).endswith("/footnotes.xml"):
            from lxml import etree

            parser = etree.XMLParser(resolve_entities=False, no_network=True)
            root = etree.fromstring(part.blob, parser)
            notes: list[str] = []
            for note in root.iter(f"{_W}footnote"):
                if note.get(f"{_W}type") in ("separator", "continuationSeparator"):
                    continue
                text = tidy("".join(t.text or "" for t in note.iter(f"{_W}t")))
                if text:
                    notes.append(f"[{len(notes) + 1}] {text}")
            return notes
    return []


def read_docx(data: bytes, stem: str = "") -> Extracted:
    """Read a Word document's text in order, with its meaningful core properties."""
    open_zip(data, KIND)  # refuses zip bombs and truncated files before python-docx unpacks
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
        builder = TextBuilder()
        headings: list[str] = []
        for block in document.iter_inner_content():
            if hasattr(block, "rows"):
                _table(block, builder)
            else:
                _paragraph(block, builder, headings)
        notes = _footnotes(document)
        props = document.core_properties
        title, author = props.title, props.author
        created, language = props.created, props.language
    except (PackageNotFoundError, *DAMAGED) as exc:
        raise SkippedFile(f"damaged {KIND} ({type(exc).__name__})") from None
    except Exception as exc:  # lxml's XMLSyntaxError, python-docx's own errors
        raise SkippedFile(f"damaged {KIND} ({type(exc).__name__}: {str(exc)[:80]})") from None
    if notes:
        builder.add("Notes")
        for note in notes:
            builder.add(note, "li")
    title = meaningful_title(title)
    if title.casefold() == stem.casefold():
        title = ""
    found = Extracted(
        text=builder.text(),
        title=title or (headings[0][:300] if headings else ""),
        date=iso_date(created),
        authors=meaningful_authors(author),
        language=language_code(language),
    )
    return drop_front_matter(found)
