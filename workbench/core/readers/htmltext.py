"""HTML (and the XML trafilatura makes of it) to reader text with its structure.

Paragraphs and headings become blocks separated by a blank line, list items ``- ``
lines (nested ones indented), table rows one line each with cells joined by `` | ``,
``<br>`` a line break. Scripts, styles, forms' controls and hidden elements are left
out. The walk visits each element once, so the time is linear in the page's size.

Parsing uses lxml (libxml2), which never fetches anything: no DTD, no stylesheet, no
image is requested, and no script runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from .base import TextBuilder, tidy

# Tags of trafilatura's output format, mapped to the HTML tags that mean the same.
_TRAFILATURA_TAGS = {
    "head": "h2",
    "list": "ul",
    "item": "li",
    "row": "tr",
    "cell": "td",
    "quote": "blockquote",
    "code": "pre",
    "lb": "br",
    "hi": "span",
    "ref": "a",
    "del": "s",
    "graphic": "img",
}
_SKIP = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "math",
        "head",
        "title",
        "meta",
        "link",
        "button",
        "select",
        "option",
        "input",
        "textarea",
        "iframe",
        "object",
        "embed",
        "canvas",
        "audio",
        "video",
        "map",
    }
)
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_BLOCKS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "main",
        "aside",
        "header",
        "footer",
        "nav",
        "blockquote",
        "figure",
        "figcaption",
        "caption",
        "dl",
        "dt",
        "dd",
        "address",
        "center",
        "form",
        "fieldset",
        "details",
        "summary",
        "body",
        "html",
        "hr",
    }
    | _HEADINGS
)
_LISTS = frozenset({"ul", "ol", "menu", "dir"})
_LINE_BREAK = "\x1e"  # a <br>, told apart from a newline in the source (white space)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


def _lines(raw: str) -> str:
    """Text with white space tidied and each <br> a line break (empty lines dropped)."""
    return "\n".join(t for t in (tidy(part) for part in raw.split(_LINE_BREAK)) if t)


def local_name(tag: object) -> str:
    """An element's tag without its XML namespace, lower case ("" for comments and PIs)."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def is_hidden(el: Any) -> bool:
    """True for an element a browser does not show: ``hidden``, ``display: none``,
    ``visibility: hidden`` or ``aria-hidden`` (except the fallback images of formulas)."""
    attrib = el.attrib
    if "hidden" in attrib:
        return True
    style = attrib.get("style")
    if style and _HIDDEN_STYLE.search(style):
        return True
    return attrib.get("aria-hidden") == "true" and "fallback-image" not in attrib.get("class", "")


def drop_hidden(root: Any) -> None:
    """Remove the elements a browser would not show (and everything inside them), and
    navigation (``<nav>``, ``role="navigation"``), which no extractor should keep."""
    doomed = [
        el
        for el in root.iter()
        if isinstance(el.tag, str)
        and (is_hidden(el) or el.tag == "nav" or el.get("role") == "navigation")
    ]
    for el in doomed:
        parent = el.getparent()
        if parent is not None:
            drop_keeping_tail(el)


def drop_keeping_tail(el: Any) -> None:
    """Remove ``el`` from its parent, keeping the text that follows it."""
    parent = el.getparent()
    tail = el.tail
    if tail:
        previous = el.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


class _Walker:
    """One pass over an element tree, feeding a :class:`TextBuilder`."""

    def __init__(self, builder: TextBuilder, tag_map: dict[str, str] | None) -> None:
        self.builder = builder
        self.tag_map = tag_map or {}
        self.inline: list[str] = []
        self.kind = "p"
        self.list_depth = 0
        self.in_item = 0  # inside a list item or a table row: blocks there are inline
        self.in_pre = 0
        self.cells = 0
        self.newline_is_block = tag_map is _TRAFILATURA_TAGS

    def name(self, el: Any) -> str:
        tag = local_name(el.tag)
        return self.tag_map.get(tag, tag)

    def flush(self) -> None:
        raw = "".join(self.inline)
        self.inline = []
        if self.in_pre:
            lines = [ln.rstrip() for ln in raw.replace(_LINE_BREAK, "\n").split("\n")]
            self._add("\n".join(lines).strip("\n"))
        elif self.newline_is_block:
            # trafilatura's text fallback puts one paragraph per line.
            for part in raw.split("\n"):
                self._add(_lines(part))
        else:
            self._add(_lines(raw))

    def _add(self, text: str) -> None:
        if not text.strip():
            return
        if self.kind == "li":
            text = "  " * max(0, self.list_depth - 1) + "- " + text
        self.builder.add(text, self.kind)

    def walk(self, el: Any) -> None:
        tag = self.name(el)
        if not tag or tag in _SKIP:
            return
        if tag == "br":
            self.inline.append(_LINE_BREAK)
        elif tag in ("td", "th"):
            self._cell(el)
            return
        elif tag == "tr":
            self._container(el, "tr")
            return
        elif tag == "li":
            self._container(el, "li")
            return
        elif tag in _LISTS:
            self.list_depth += 1
            self._children(el)
            self.list_depth -= 1
        elif tag == "pre":
            self._pre(el)
            return
        elif tag in _BLOCKS and not self.in_item:
            self._block(el)
            return
        else:
            if tag in _BLOCKS or tag == "img":
                self.inline.append(" ")
            if tag == "img" and el.get("alt") and self.in_item:
                self.inline.append(el.get("alt"))
            self._children(el)

    def _children(self, el: Any) -> None:
        if el.text:
            self.inline.append(el.text)
        for child in el:
            self.walk(child)
            if child.tail:
                self.inline.append(child.tail)

    def _block(self, el: Any) -> None:
        self.flush()
        saved = self.kind
        self.kind = "p"
        self._children(el)
        self.flush()
        self.kind = saved

    def _pre(self, el: Any) -> None:
        self.flush()
        self.in_pre += 1
        saved = self.kind
        self.kind = "p"
        self.inline.append("".join(el.itertext()))
        self.flush()
        self.kind = saved
        self.in_pre -= 1

    def _container(self, el: Any, kind: str) -> None:
        """A list item or a table row: one line, nested lists and tables after it."""
        self.flush()
        saved, saved_cells = self.kind, self.cells
        self.kind, self.cells = kind, 0
        self.in_item += 1
        if el.text:
            self.inline.append(el.text)
        for child in el:
            child_tag = self.name(child)
            if child_tag in _LISTS or child_tag == "table":
                self.flush()
                self.in_item -= 1
                self.walk(child)
                self.in_item += 1
                self.kind = kind
            else:
                self.walk(child)
            if child.tail:
                self.inline.append(child.tail)
        self.in_item -= 1
        self.flush()
        self.kind, self.cells = saved, saved_cells

    def _cell(self, el: Any) -> None:
        if self.kind != "tr":  # a cell outside a row: read as its own line
            self._container(el, "tr")
            return
        if self.cells:
            self.inline.append(" | ")
        self.cells += 1
        self.in_item += 1
        self._children(el)
        self.in_item -= 1


def render(root: Any, builder: TextBuilder | None = None, trafilatura: bool = False) -> str:
    """The reader text of an element tree (``trafilatura``: its XML output format)."""
    builder = builder if builder is not None else TextBuilder()
    walker = _Walker(builder, _TRAFILATURA_TAGS if trafilatura else None)
    walker.walk(root)
    walker.flush()
    return builder.text()


def iter_blocks(text: str) -> Iterator[str]:
    """The blocks (paragraphs, headings, lists) of a reader text."""
    for block in text.split("\n\n"):
        if block.strip():
            yield block
