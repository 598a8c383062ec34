"""OpenDocument text (``.odt``, LibreOffice's format), read with lxml from its XML.

No maintained reader small enough was found (odfpy has had no release since 2020), and
the format's text is plain XML: ``content.xml`` holds headings (``text:h``),
paragraphs (``text:p``), lists and tables in order; ``meta.xml`` the title, creator
and dates. Footnotes and endnotes follow the text under a "Notes" heading.
"""

from __future__ import annotations

from typing import Any

from .archive import open_zip, read_member
from .base import Extracted, SkippedFile, TextBuilder, drop_front_matter, tidy
from .meta import iso_date, language_code, meaningful_authors, meaningful_title

KIND = "OpenDocument file"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
DC = "{http://purl.org/dc/elements/1.1/}"
META = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"


def _xml(data: bytes) -> Any:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        raise SkippedFile(f"damaged {KIND} (its XML is malformed)") from None


def _inline(el: Any, notes: list[str]) -> str:
    """The text of a paragraph: spaces, tabs and line breaks as written, notes set aside."""
    parts = [el.text or ""]
    for child in el:
        tag = child.tag
        if tag == f"{TEXT}s":
            parts.append(" " * int(child.get(f"{TEXT}c", "1") or 1))
        elif tag == f"{TEXT}tab":
            parts.append("\t")
        elif tag == f"{TEXT}line-break":
            parts.append("\n")
        elif tag == f"{TEXT}note":
            citation = child.find(f"{TEXT}note-citation")
            mark = tidy(citation.text or "") if citation is not None else str(len(notes) + 1)
            body = child.find(f"{TEXT}note-body")
            if body is not None:
                notes.append(f"[{mark}] " + tidy(" ".join(body.itertext())))
        else:
            parts.append(_inline(child, notes))
        parts.append(child.tail or "")
    return "".join(parts)


def _lines(text: str) -> str:
    return "\n".join(t for t in (tidy(line) for line in text.split("\n")) if t)


class _Reader:
    def __init__(self) -> None:
        self.builder = TextBuilder()
        self.notes: list[str] = []
        self.headings: list[str] = []

    def block(self, el: Any, depth: int = 0) -> None:
        tag = el.tag
        if tag == f"{TEXT}h":
            text = _lines(_inline(el, self.notes))
            if text:
                self.headings.append(text)
                self.builder.add(text)
        elif tag == f"{TEXT}p":
            self.builder.add(_lines(_inline(el, self.notes)))
        elif tag == f"{TEXT}list":
            for item in el.iter(f"{TEXT}list-item"):
                if item.getparent() is not el:
                    continue
                self._item(item, depth)
        elif tag == f"{TABLE}table":
            for row in el.iter(f"{TABLE}table-row"):
                cells = [_lines(_inline(c, self.notes)).replace("\n", " ") for c in row]
                cells = [c for c in cells if c]
                if cells:
                    self.builder.add(" | ".join(cells), "tr")
        elif tag == f"{TEXT}section" or tag == f"{OFFICE}text":
            for child in el:
                self.block(child, depth)

    def _item(self, item: Any, depth: int) -> None:
        for child in item:
            if child.tag == f"{TEXT}list":
                for sub in child:
                    if sub.tag == f"{TEXT}list-item":
                        self._item(sub, depth + 1)
            elif child.tag in (f"{TEXT}p", f"{TEXT}h"):
                text = _lines(_inline(child, self.notes)).replace("\n", " ")
                if text:
                    self.builder.add("  " * depth + "- " + text, "li")


def read_odt(data: bytes, stem: str = "") -> Extracted:
    """Read an OpenDocument text's body in order, with its meaningful metadata."""
    archive = open_zip(data, KIND)
    content = _xml(read_member(archive, "content.xml", KIND))
    body = content.find(f"{OFFICE}body/{OFFICE}text")
    if body is None:
        raise SkippedFile("not an OpenDocument text (no text body; a spreadsheet?)")
    reader = _Reader()
    reader.block(body)
    if reader.notes:
        reader.builder.add("Notes")
        for note in reader.notes:
            reader.builder.add(note, "li")
    meta: dict[str, str] = {}
    if "meta.xml" in archive.namelist():
        root = _xml(read_member(archive, "meta.xml", KIND))
        for key, path in (
            ("title", f"{DC}title"),
            ("creator", f"{DC}creator"),
            ("initial", f"{META}initial-creator"),
            ("created", f"{META}creation-date"),
            ("date", f"{DC}date"),
            ("language", f"{DC}language"),
        ):
            el = root.find(f".//{path}")
            if el is not None and el.text:
                meta[key] = el.text
    title = meaningful_title(meta.get("title"))
    if title.casefold() == stem.casefold():
        title = ""
    found = Extracted(
        text=reader.builder.text(),
        title=title or (reader.headings[0][:300] if reader.headings else ""),
        date=iso_date(meta.get("created") or meta.get("date")),
        authors=meaningful_authors(meta.get("initial") or meta.get("creator")),
        language=language_code(meta.get("language")),
    )
    return drop_front_matter(found)
