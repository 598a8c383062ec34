"""PDF files, read with PDFium (pypdfium2): text in reading order, page by page.

PDFium gives each page's text line by line, with each character's position. From
those this module:

- finds a two-column layout (a vertical gutter no line crosses) and reads the left
  column before the right one, with lines spanning both columns (a title, an abstract)
  read where they stand;
- joins lines into paragraphs (a paragraph ends at a wider gap or at a short line that
  ends a sentence), and words hyphenated across a line end;
- drops running headers, footers and page numbers: lines at the top or bottom of a
  page that recur (digits aside) on most pages.

Each page's start is kept as a section ``p. N``. Title, Author and CreationDate are
used where meaningful; else the first heading-like line is the title.
Encrypted, damaged, truncated and image-only files are refused with one line.
"""

from __future__ import annotations

import re
import statistics
import threading
from collections import Counter
from dataclasses import dataclass
from typing import Any

from .base import MAX_PAGES, Extracted, SkippedFile, TextBuilder, tidy
from .meta import iso_date, meaningful_authors, meaningful_title

# PDFium is not thread-safe: one document is read at a time in a process.
_PDFIUM_LOCK = threading.Lock()
# A line recurring at a page's top or bottom on at least this share of pages is furniture.
RUNNING_SHARE = 0.5
# ... or, with a page number beside it, on at least this many pages.
RUNNING_MIN_PAGES = 3
_HYPHENS = ("-", "\u00ad", "\u2010")


@dataclass
class Line:
    """A line of a page as PDFium reads it: its box (PDF units, y upwards) and text."""

    left: float
    right: float
    top: float
    bottom: float
    text: str
    order: int = 0


def _lines(textpage: Any) -> list[Line]:
    """A page's lines in PDFium's order, each with the box of its first and last letters.

    PDFium ends each line with CR LF and marks a hyphen it found at a line end with
    U+FFFE (or U+0002) where it has already joined the two halves.
    """
    text = textpage.get_text_range()
    lines: list[Line] = []
    start = 0
    for match in re.finditer(r"\r\n|\n|\r|$", text):
        end = match.start()
        raw = text[start:end]
        first, last = _ink_bounds(raw)
        if first is not None and last is not None:
            left, bottom, _, top = textpage.get_charbox(start + first, loose=True)
            _, bottom2, right, top2 = textpage.get_charbox(start + last, loose=True)
            lines.append(
                Line(
                    left=left,
                    right=max(right, left),
                    top=max(top, top2),
                    bottom=min(bottom, bottom2),
                    text=_clean(raw),
                    order=len(lines),
                )
            )
        start = match.end()
        if end >= len(text):
            break
    return [ln for ln in lines if ln.text]


def _ink_bounds(raw: str) -> tuple[int | None, int | None]:
    """Indexes of the first and last visible characters of ``raw``."""
    first = next((i for i, ch in enumerate(raw) if not ch.isspace()), None)
    if first is None:
        return None, None
    last = next(i for i in range(len(raw) - 1, -1, -1) if not raw[i].isspace())
    return first, last


_MARKED_HYPHEN = re.compile(r"[\ufffe\x02](?=(\w?))")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufffd]")


def _clean(raw: str) -> str:
    """A line's text: hyphens PDFium joined across a line end removed before a lower-case
    letter (kept as "-" before a capital, as in "Anglo-Saxon"), controls dropped."""
    text = _MARKED_HYPHEN.sub(lambda m: "" if m.group(1).islower() else "-", raw)
    return tidy(_CONTROL.sub("", text))


def _gutter(lines: list[Line], width: float) -> float | None:
    """The x of a gutter between two columns, or None for a one-column page."""
    if len(lines) < 12:
        return None
    best_x, best_crossing = None, len(lines)
    steps = 40
    for k in range(int(steps * 0.3), int(steps * 0.7) + 1):
        x = width * k / steps
        crossing = sum(1 for ln in lines if ln.left < x < ln.right)
        if crossing < best_crossing:
            best_x, best_crossing = x, crossing
    if best_x is None or best_crossing > 0.15 * len(lines):
        return None
    left = sum(1 for ln in lines if ln.right <= best_x)
    right = sum(1 for ln in lines if ln.left >= best_x)
    if min(left, right) < 0.2 * len(lines):
        return None
    return best_x


def page_lines(lines: list[Line], width: float) -> list[Line]:
    """A page's lines in reading order: PDFium's, but column by column on a two-column
    page, with lines that span the gutter (a title, an abstract) where they stand."""
    gutter = _gutter(lines, width)
    if gutter is None:
        return lines
    spanning = sorted((ln for ln in lines if ln.left < gutter < ln.right), key=lambda ln: -ln.top)
    tops = [ln.top for ln in spanning]
    bands: dict[int, list[Line]] = {}
    for ln in lines:
        if ln.left < gutter < ln.right:
            continue
        band = sum(1 for t in tops if t > ln.top)  # spanning lines above this one
        bands.setdefault(band, []).append(ln)
    out: list[Line] = []
    for band in range(len(spanning) + 1):
        if band:
            out.append(spanning[band - 1])
        members = sorted(bands.get(band, []), key=lambda ln: ln.order)
        out += [ln for ln in members if ln.right <= gutter]
        out += [ln for ln in members if ln.left >= gutter]
    return out


_EDGE_NUMBER = re.compile(r"^\s*\d{1,4}\s+|\s+\d{1,4}\s*$")


def _furniture_key(text: str) -> str:
    """A line with its page number and other digits taken out, for comparing pages."""
    return re.sub(r"\d+", "#", _EDGE_NUMBER.sub("", text).casefold()).strip()


def running_lines(pages: list[list[Line]]) -> set[str]:
    """Keys of lines at the top or bottom of pages that are running headers or footers.

    A line there is one when it recurs (digits aside) on most pages, or when it recurs
    on at least :data:`RUNNING_MIN_PAGES` pages with a page number beside it: a number
    that keeps step with the page (a chapter's header, "12 METRIC SPACES").
    """
    if len(pages) < 2:
        return set()
    counts: Counter[str] = Counter()
    numbered: Counter[tuple[str, int]] = Counter()
    for index, lines in enumerate(pages):
        edge = lines[:2] + lines[-2:]
        counts.update({_furniture_key(ln.text) for ln in edge})
        for ln in edge:
            number = _EDGE_NUMBER.search(ln.text)
            if number:
                step = int(number.group().strip()) - index
                numbered[(_furniture_key(ln.text), step)] += 1
    most = max(3, RUNNING_SHARE * len(pages))
    found = {key for key, n in counts.items() if n >= most}
    need = min(RUNNING_MIN_PAGES, len(pages))
    found |= {key for (key, _), n in numbered.items() if n >= need and key}
    return found


def _is_page_number(text: str) -> bool:
    return bool(
        re.fullmatch(r"[-–—\s]*(page\s+)?\d{1,4}(\s*(/|of)\s*\d{1,4})?[-–—\s]*", text, re.I)
    )


def _paragraphs(lines: list[Line]) -> list[str]:
    """Lines joined into paragraphs, words hyphenated at a line end joined again."""
    if not lines:
        return []
    heights = [ln.top - ln.bottom for ln in lines if ln.top > ln.bottom]
    height = statistics.median(heights) if heights else 10.0
    right_edge = max(ln.right for ln in lines)
    left_edge = min(ln.left for ln in lines)
    width = max(1.0, right_edge - left_edge)
    paragraphs: list[str] = []
    current = ""
    previous: Line | None = None
    for line in lines:
        if previous is not None:
            gap = previous.bottom - line.top
            short_end = (previous.right - left_edge) < 0.75 * width and previous.text.endswith(
                (".", "!", "?", ":", "”", '"', "»")
            )
            # Moved up: the next column, where a sentence may go on.
            new_column = line.top > previous.top + height
            goes_on = not previous.text.endswith((".", "!", "?", ":")) and line.text[:1].islower()
            if gap > 0.9 * height or short_end or (new_column and not goes_on):
                paragraphs.append(current)
                current = ""
        current = _join(current, line.text)
        previous = line
    paragraphs.append(current)
    return [p for p in paragraphs if p.strip()]


def _join(current: str, text: str) -> str:
    if not current:
        return text
    if current.endswith(_HYPHENS) and len(current) > 1 and current[-2].isalpha():
        if text[:1].islower():
            return current[:-1] + text
        return current + text  # a compound broken at its hyphen: "Anglo-" "Saxon"
    return current + " " + text


def _open(data: bytes, pdfium: Any) -> Any:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc).lower()
        if "password" in message:
            raise SkippedFile("encrypted PDF (it needs a password)") from None
        raise SkippedFile("damaged PDF (PDFium cannot read it)") from None


def _metadata(pdf: Any) -> dict[str, str]:
    try:
        return {k: str(v).replace("\x00", "") for k, v in pdf.get_metadata_dict().items()}
    except Exception:  # metadata that cannot be decoded is as good as none
        return {}


def read_pdf(data: bytes, stem: str = "") -> Extracted:
    """Read a PDF's text page by page, with its meaningful metadata."""
    if not data.startswith(b"%PDF-") and b"%PDF-" not in data[:1024]:
        raise SkippedFile("not a PDF file (no PDF header)")
    if b"%%EOF" not in data[-4096:]:
        raise SkippedFile("damaged PDF (truncated: its end is missing)")
    import pypdfium2 as pdfium

    with _PDFIUM_LOCK:
        pdf = _open(data, pdfium)
        try:
            pages = len(pdf)
            if pages > MAX_PAGES:
                raise SkippedFile(f"too many pages ({pages}; the limit is {MAX_PAGES})")
            if pages == 0:
                raise SkippedFile("damaged PDF (no pages)")
            meta = _metadata(pdf)
            page_texts = [_page_lines(pdf, i) for i in range(pages)]
        finally:
            pdf.close()
    return _assemble(page_texts, meta, stem)


def _page_lines(pdf: Any, index: int) -> list[Line]:
    page = pdf[index]
    try:
        width = page.get_width()
        textpage = page.get_textpage()
        try:
            return page_lines(_lines(textpage), width)
        finally:
            textpage.close()
    finally:
        page.close()


def _assemble(pages: list[list[Line]], meta: dict[str, str], stem: str) -> Extracted:
    if sum(len(ln.text) for lines in pages for ln in lines) < 20:
        raise SkippedFile("no text layer (a scan?)")
    running = running_lines(pages)
    builder = TextBuilder()
    first_lines: list[str] = []
    for number, lines in enumerate(pages, 1):
        kept = [
            ln
            for k, ln in enumerate(lines)
            if not (
                (k < 2 or k >= len(lines) - 2)
                and (_furniture_key(ln.text) in running or _is_page_number(ln.text))
            )
        ]
        builder.section(f"p. {number}")
        for paragraph in _paragraphs(kept):
            builder.add(paragraph)
            if len(first_lines) < 8:
                first_lines.append(paragraph)
    title = meaningful_title(meta.get("Title"))
    if title.casefold() == stem.casefold():
        title = ""
    return Extracted(
        text=builder.text(),
        title=title or _heading_like(first_lines),
        date=iso_date(meta.get("CreationDate"), pdf=True),
        authors=meaningful_authors(meta.get("Author")),
        pages=len(pages),
        sections=tuple(builder.sections),
    )


def _heading_like(paragraphs: list[str]) -> str:
    """The first short line that reads as a heading (letters, no sentence end)."""
    for paragraph in paragraphs:
        line = tidy(paragraph)
        if (
            3 <= len(line) <= 150
            and sum(ch.isalpha() for ch in line) >= 3
            and not _is_page_number(line)
            and not line.endswith((",", ";"))
        ):
            return line
    return ""
