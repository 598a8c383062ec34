"""The reader: one document, laid out for long reading, with highlight layers on top.

Every offset the engine reports (search matches, entity mentions, aligned passages, note
anchors) is an offset into ``Document.text``. The reader inserts that text unchanged
after a short header, so a text offset maps to a document position by adding the
header length, corrected for characters outside the BMP (two UTF-16 units in Qt).

Highlights are kept in named layers of (start, end, format) text ranges painted in a
fixed order (quotes, passages, word diffs, entities, notes, search matches, the current
match, a flash), so turning one layer on or off never disturbs the others or the text.
Only the ranges near the viewport become ExtraSelections (``WINDOW_MARGIN`` characters
either side of it; the whole text when it is short): Qt measures every selection it is
given and walks all of them for each block it paints, so a book with thousands of
quotes and entity mentions would stall the window on every change and every paint.
Scrolling near the edge of the painted window paints the next one.

For the notes panel: :meth:`ReaderView.selection_range` gives the selection as text
offsets, :meth:`ReaderView.mark_ranges` paints note anchors, and
:attr:`ReaderView.markClicked` says which mark the reader clicked.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QPainter,
    QPalette,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextFrameFormat,
)
from PySide6.QtWidgets import (
    QTextBrowser,
    QTextEdit,
    QWidget,
)

from workbench.core.corpus import Document

from . import icons

LAYER_ORDER = (
    "quotes",
    "passages",
    "diff",
    "entities",
    "notes",
    "matches",
    "current",
    "flash",
)
SERIF_FAMILIES = (
    "Source Serif 4",
    "Literata",
    "Charter",
    "Georgia",
    "Noto Serif",
    "DejaVu Serif",
    "Liberation Serif",
)
WINDOW_MARGIN = 8_000
"""Characters beyond each edge of the viewport whose highlights are painted."""
READING_CHARS = 72  # characters per line: the comfortable measure for long reading
LINE_HEIGHT_PERCENT = 155


def reading_font(point_size: float = 12.5) -> QFont:
    """The first installed serif made for text, at a reading size."""
    available = set(QFontDatabase.families())
    for family in SERIF_FAMILIES:
        if family in available:
            font = QFont(family)
            break
    else:
        font = QFont()
        font.setStyleHint(QFont.StyleHint.Serif)
    font.setPointSizeF(point_size)
    return font


def highlight_colours() -> dict[str, QColor]:
    """Colours for search highlights that read in light and dark palettes."""
    if icons.is_dark():
        return {
            "match": QColor("#6B5A00"),
            "current": QColor("#C76E00"),
            "current_fg": QColor("#FFFFFF"),
            "flash": QColor("#2F7FD0"),
            "passage": QColor(90, 140, 200, 60),
            "diff": QColor("#8A3B3B"),
            "note": QColor("#4F6B2A"),
        }
    return {
        "match": QColor("#FFF1A8"),
        "current": QColor("#FFA53D"),
        "current_fg": QColor("#000000"),
        "flash": QColor("#8EC5FF"),
        "passage": QColor(70, 130, 200, 38),
        "diff": QColor("#FFC9C9"),
        "note": QColor("#DDF0C0"),
    }


Span = tuple[int, int, QTextCharFormat]


def _by_start(spans: Sequence[Span]) -> tuple[list[int], list[int], int]:
    """A layer's index for window look-ups: its span numbers ordered by start, those
    starts, and the longest span (how far before a window a span may start and reach it)."""
    order = sorted(range(len(spans)), key=lambda i: spans[i][0])
    longest = max((e - s for s, e, _ in spans), default=0)
    return order, [spans[i][0] for i in order], longest


SECTION_GAP = 30
"""Pixels above a page or chapter start, where its marker is drawn."""


def header_line(doc: Document) -> str:
    """The line under the title: who, where, when, and how long."""
    source = doc.path.rsplit("/", 1)[-1] if doc.path else doc.id
    facts = [doc.author, doc.site, doc.date or "", source, f"{doc.words:,} words"]
    if doc.pages:
        facts.append(f"{doc.pages} page" + ("s" if doc.pages != 1 else ""))
    return "  ·  ".join(f for f in facts if f)


class ReaderView(QTextBrowser):
    """A read-only view of one Document with highlight layers addressed by text offsets."""

    matchChanged = Signal(int, int)  # current (1-based, 0 when none), total
    markClicked = Signal(object)  # the key given to mark_ranges
    entityClicked = Signal(object)  # entity key
    documentChanged = Signal(object)  # Document or None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reader")
        self.setOpenLinks(False)
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setFrameShape(QTextBrowser.Shape.NoFrame)
        self.doc: Document | None = None
        self._base = 0
        self._astral: list[int] = []  # text offsets of characters outside the BMP
        self._layers: dict[str, list[Span]] = {k: [] for k in LAYER_ORDER}
        self._index: dict[str, tuple[list[int], list[int], int]] = {}
        self._window: tuple[int, int] | None = None  # the text range the selections cover
        # Each layer's selections for the window they were made for: a change to one layer
        # does not make the others' again (a QTextCursor each, and Qt lays out its block).
        self._built: dict[str, tuple[tuple[int, int], list[QTextEdit.ExtraSelection]]] = {}
        self.matches: list[tuple[int, int]] = []
        self.current_match = -1
        self.entities: list[Any] = []
        self.entity_formats: dict[str, QTextCharFormat] | None = None
        self.entities_visible = True
        self._hidden_layers: set[str] = set()
        self._marks: list[tuple[int, int, object]] = []
        self._entity_spans: list[tuple[int, int, str]] = []
        self._zoom = 0.0
        self.setFont(reading_font())
        self._flash_timer = QTimer(self)
        self._flash_timer.setSingleShot(True)
        self._flash_timer.timeout.connect(lambda: self._set_layer("flash", []))
        self.viewport().installEventFilter(self)
        self.verticalScrollBar().valueChanged.connect(lambda _v: self._follow_viewport())

    # ------------------------------------------------------------ content

    def set_document(self, doc: Document | None, placeholder_html: str = "") -> None:
        """Show a document (or a placeholder page); clears every highlight layer."""
        self.doc = doc
        self._layers = {k: [] for k in LAYER_ORDER}
        self._index = {}
        self._window = None
        self._built = {}
        self.matches, self.current_match = [], -1
        self.entities, self._entity_spans, self._marks = [], [], []
        self._sections: list[tuple[int, str]] = []
        document = self.document()
        document.clear()
        document.setDefaultFont(self.font())
        document.setDocumentMargin(28)
        if doc is None:
            self.setHtml(placeholder_html)
            self._base = 0
            self._astral = []
            self.setExtraSelections([])
            self.matchChanged.emit(0, 0)
            self.documentChanged.emit(None)
            return
        cursor = QTextCursor(document)
        title_fmt = QTextCharFormat()
        title_font = QFont(self.font())
        title_font.setPointSizeF(self.font().pointSizeF() * 1.6)
        title_font.setWeight(QFont.Weight.DemiBold)
        title_fmt.setFont(title_font)
        block = QTextBlockFormat()
        block.setBottomMargin(6)
        block.setLineHeight(120, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        cursor.setBlockFormat(block)
        cursor.insertText(doc.title, title_fmt)
        meta_fmt = QTextCharFormat()
        meta_font = QFont(self.font())
        meta_font.setFamilies([QFont().defaultFamily()])
        meta_font.setPointSizeF(self.font().pointSizeF() * 0.8)
        meta_fmt.setFont(meta_font)
        meta_fmt.setForeground(self.palette().color(QPalette.ColorRole.PlaceholderText))
        meta_block = QTextBlockFormat()
        meta_block.setBottomMargin(18)
        cursor.insertBlock(meta_block, meta_fmt)
        cursor.insertText(header_line(doc), meta_fmt)
        body_block = QTextBlockFormat()
        body_block.setLineHeight(
            LINE_HEIGHT_PERCENT, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value
        )
        cursor.insertBlock(body_block, QTextCharFormat())
        self._base = cursor.position()
        cursor.insertText(doc.text)
        self._astral = [i for i, ch in enumerate(doc.text) if ord(ch) > 0xFFFF]
        self._mark_sections(doc)
        self._apply_measure()
        self.moveCursor(QTextCursor.MoveOperation.Start)
        self.verticalScrollBar().setValue(0)
        self._repaint_layers()
        self.matchChanged.emit(0, 0)
        self.documentChanged.emit(doc)

    def _mark_sections(self, doc: Document) -> None:
        """Room above each page or chapter start for its marker (painted in paintEvent);
        the text itself is untouched, so offsets still map one to one."""
        self._sections = []
        for offset, label in doc.sections:
            if not 0 <= offset < len(doc.text):
                continue
            cursor = QTextCursor(self.document())
            cursor.setPosition(self.position(offset))
            fmt = cursor.blockFormat()
            fmt.setTopMargin(SECTION_GAP)
            cursor.setBlockFormat(fmt)
            self._sections.append((self.position(offset), label))

    def section_markers(self) -> list[tuple[str, int]]:
        """The page and chapter markers as (label, y in the viewport) of those shown."""
        shown = []
        height = self.viewport().height()
        for position, label in self._sections:
            cursor = QTextCursor(self.document())
            cursor.setPosition(position)
            top = self.cursorRect(cursor).top()
            if -SECTION_GAP <= top <= height + SECTION_GAP:
                shown.append((label, top))
        return shown

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if not self._sections:
            return
        painter = QPainter(self.viewport())
        colour = self.palette().color(QPalette.ColorRole.PlaceholderText)
        font = QFont(self.font())
        font.setFamilies([QFont().defaultFamily()])
        font.setPointSizeF(self.font().pointSizeF() * 0.75)
        painter.setFont(font)
        frame = self.document().rootFrame().frameFormat()
        left = int(frame.leftMargin() + self.document().documentMargin())
        right = self.viewport().width() - int(
            frame.rightMargin() + self.document().documentMargin()
        )
        metrics = painter.fontMetrics()
        for label, top in self.section_markers():
            y = top - SECTION_GAP // 2
            width = metrics.horizontalAdvance(label) + 8
            painter.setPen(colour)
            painter.drawLine(left, y, right - width - 4, y)
            painter.drawText(right - width, y + metrics.ascent() // 2 - 1, label)
        painter.end()

    # ------------------------------------------------------------ offsets

    def position(self, offset: int) -> int:
        """Document position of a text offset."""
        return self._base + offset + bisect.bisect_left(self._astral, offset)

    def offset(self, position: int) -> int:
        """Text offset of a document position (clamped to the text)."""
        if self.doc is None:
            return 0
        rel = position - self._base
        # Undo the surrogate correction: astral chars before the offset count twice.
        lo, hi = 0, len(self.doc.text)
        while lo < hi:
            mid = (lo + hi) // 2
            if mid + bisect.bisect_left(self._astral, mid) < rel:
                lo = mid + 1
            else:
                hi = mid
        return max(0, min(lo, len(self.doc.text)))

    def cursor_for(self, start: int, end: int) -> QTextCursor:
        cur = QTextCursor(self.document())
        limit = self.document().characterCount() - 1
        cur.setPosition(min(self.position(start), limit))
        cur.setPosition(min(self.position(end), limit), QTextCursor.MoveMode.KeepAnchor)
        return cur

    def text_at(self, start: int, end: int) -> str:
        """The characters the reader shows for a text range (used by tests to check offsets)."""
        return self.cursor_for(start, end).selectedText().replace("\u2029", "\n")

    def selection_range(self) -> tuple[int, int] | None:
        """The selected text as (start, end) offsets into Document.text, or None."""
        cur = self.textCursor()
        if self.doc is None or not cur.hasSelection():
            return None
        start, end = self.offset(cur.selectionStart()), self.offset(cur.selectionEnd())
        return (start, end) if end > start else None

    def range_rect(self, start: int, end: int) -> QRect:
        """Viewport rectangle spanning a text range (top of start to bottom of end)."""
        a = QTextCursor(self.document())
        a.setPosition(self.position(start))
        b = QTextCursor(self.document())
        b.setPosition(max(self.position(start), self.position(end) - 1))
        ra, rb = self.cursorRect(a), self.cursorRect(b)
        return QRect(0, ra.top(), self.viewport().width(), rb.bottom() - ra.top())

    def is_visible(self, offset: int) -> bool:
        """True if the character at ``offset`` is inside the viewport."""
        cur = QTextCursor(self.document())
        cur.setPosition(self.position(offset))
        r = self.cursorRect(cur)
        return r.bottom() > 0 and r.top() < self.viewport().height()

    def scroll_to_offset(self, offset: int, fraction: float = 0.3) -> None:
        """Scroll so the line holding ``offset`` sits ``fraction`` down the viewport."""
        cur = QTextCursor(self.document())
        cur.setPosition(self.position(offset))
        y = self.cursorRect(cur).top() + self.verticalScrollBar().value()
        self.verticalScrollBar().setValue(int(y - self.viewport().height() * fraction))

    def doc_y(self, offset: int) -> int:
        """Y of a text offset in document coordinates (independent of scrolling)."""
        cur = QTextCursor(self.document())
        cur.setPosition(self.position(offset))
        return self.cursorRect(cur).top() + self.verticalScrollBar().value()

    # ------------------------------------------------------------ layers

    def _selection(self, start: int, end: int, fmt: QTextCharFormat) -> QTextEdit.ExtraSelection:
        sel = QTextEdit.ExtraSelection()
        sel.cursor = self.cursor_for(start, end)
        sel.format = fmt
        return sel

    def _set_layer(self, name: str, spans: Sequence[Span]) -> None:
        self._layers[name] = [(int(s), int(e), f) for s, e, f in spans]
        self._index[name] = _by_start(self._layers[name])
        self._built.pop(name, None)
        self._repaint_layers()

    def _visible_range(self) -> tuple[int, int]:
        """Text offsets of the first and last characters in the viewport."""
        layout = self.document().documentLayout()
        top = float(self.verticalScrollBar().value())
        bottom = top + self.viewport().height()
        fuzzy = Qt.HitTestAccuracy.FuzzyHit
        first = layout.hitTest(QPointF(0.0, top), fuzzy)
        last = layout.hitTest(QPointF(float(self.viewport().width()), bottom), fuzzy)
        return self.offset(max(first, 0)), self.offset(max(last, 0))

    def _paint_window(self) -> tuple[int, int]:
        """The text range whose highlights are painted: the viewport plus a margin."""
        length = len(self.doc.text) if self.doc is not None else 0
        if length <= 2 * WINDOW_MARGIN:
            return 0, length
        first, last = self._visible_range()
        return max(0, first - WINDOW_MARGIN), min(length, last + WINDOW_MARGIN)

    def _in_window(self, name: str, lo: int, hi: int) -> list[Span]:
        """A layer's spans touching [lo, hi], in the order the layer gave them."""
        spans = self._layers[name]
        if not spans:
            return []
        order, starts, longest = self._index.get(name) or _by_start(spans)
        first = bisect.bisect_left(starts, lo - longest)
        last = bisect.bisect_right(starts, hi)
        chosen = sorted(i for i in order[first:last] if spans[i][1] >= lo)
        return [spans[i] for i in chosen]

    def _repaint_layers(self) -> None:
        shown = [
            name
            for name in LAYER_ORDER
            if self._layers[name]
            and name not in self._hidden_layers
            and (name != "entities" or self.entities_visible)
        ]
        if not shown:
            self._window = None
            self.setExtraSelections([])
            return
        window = self._window = self._paint_window()
        merged: list[QTextEdit.ExtraSelection] = []
        for name in shown:
            built = self._built.get(name)
            if built is None or built[0] != window:
                spans = self._in_window(name, *window)
                built = self._built[name] = (window, [self._selection(*span) for span in spans])
            merged.extend(built[1])
        self.setExtraSelections(merged)

    def _follow_viewport(self) -> None:
        """Paint the next window when the viewport comes near the edge of the painted one."""
        if self._window is None or self.doc is None:
            return
        lo, hi = self._window
        length = len(self.doc.text)
        if lo == 0 and hi == length:
            return
        first, last = self._visible_range()
        if (lo > 0 and first < lo + WINDOW_MARGIN // 2) or (
            hi < length and last > hi - WINDOW_MARGIN // 2
        ):
            self._repaint_layers()

    def painted_window(self) -> tuple[int, int] | None:
        """The text range whose highlights are painted now, or None when none are."""
        return self._window

    def paint_layer(self, name: str, ranges: Sequence[Span]) -> None:
        """Paint a layer with (start, end, format) ranges, replacing what it had."""
        self._set_layer(name, ranges)

    def set_layer_visible(self, name: str, visible: bool) -> None:
        """Show or hide one layer (its ranges are kept)."""
        if visible:
            self._hidden_layers.discard(name)
        else:
            self._hidden_layers.add(name)
        self._repaint_layers()

    def layer_visible(self, name: str) -> bool:
        return name not in self._hidden_layers

    def layer_ranges(self, name: str) -> list[tuple[int, int]]:
        """The text ranges of a layer, painted or not (for tests and the compare gutter)."""
        length = len(self.doc.text) if self.doc is not None else 0
        return [(min(max(s, 0), length), min(max(e, 0), length)) for s, e, _ in self._layers[name]]

    def layer_format_at(self, name: str, offset: int) -> QTextCharFormat | None:
        """The format a layer paints at ``offset``, or None."""
        for s, e, f in self._layers[name]:
            if s <= offset < e:
                return f
        return None

    # search matches

    def set_matches(self, matches: Sequence[tuple[int, int]], current: int = 0) -> None:
        """Highlight search matches; the ``current`` one is emphasised and scrolled to."""
        self.matches = [(int(s), int(e)) for s, e in matches]
        fmt = QTextCharFormat()
        fmt.setBackground(highlight_colours()["match"])
        self._layers["matches"] = [(s, e, fmt) for s, e in self.matches]
        self._index["matches"] = _by_start(self._layers["matches"])
        self._built.pop("matches", None)
        self.current_match = -1
        if self.matches:
            self.go_to_match(current)
        else:
            self._set_layer("current", [])
            self.matchChanged.emit(0, 0)

    def go_to_match(self, index: int) -> None:
        if not self.matches:
            return
        self.current_match = index % len(self.matches)
        s, e = self.matches[self.current_match]
        colours = highlight_colours()
        fmt = QTextCharFormat()
        fmt.setBackground(colours["current"])
        fmt.setForeground(colours["current_fg"])
        fmt.setFontUnderline(True)
        self._set_layer("current", [(s, e, fmt)])
        self.scroll_to_offset(s)
        self.matchChanged.emit(self.current_match + 1, len(self.matches))

    def next_match(self) -> None:
        """F3: the next match, wrapping at the end."""
        if self.matches:
            self.go_to_match(self.current_match + 1)

    def previous_match(self) -> None:
        """Shift+F3: the previous match, wrapping at the start."""
        if self.matches:
            self.go_to_match(self.current_match - 1)

    # entities

    def set_entities(
        self, doc_entities: Iterable[Any], formats: dict[str, QTextCharFormat] | None = None
    ) -> None:
        """Underline entity mentions: by type, or with ``formats`` (entity key -> format)."""
        self.entities = list(doc_entities)
        self.entity_formats = formats
        sels: list[Span] = []
        spans = []
        for de in self.entities:
            key = de.entity.key
            fmt = formats.get(key) if formats is not None else None
            if fmt is None:
                fmt = icons.entity_format(de.entity.type)
            fmt = QTextCharFormat(fmt)
            fmt.setToolTip(f"{de.entity.name} ({de.entity.type})")
            for m in de.mentions:
                sels.append((m.start, m.end, fmt))
                spans.append((m.start, m.end, key))
        self._entity_spans = sorted(spans)
        self._set_layer("entities", sels)

    def set_entities_visible(self, visible: bool) -> None:
        self.entities_visible = visible
        self._repaint_layers()

    def entity_at(self, offset: int) -> str | None:
        for s, e, key in self._entity_spans:
            if s <= offset < e:
                return key
        return None

    # passages (compare view)

    def set_passages(
        self, ranges: Sequence[tuple[int, int]], diffs: Sequence[tuple[int, int]] = ()
    ) -> None:
        """Shade aligned passages and mark the words that differ inside them."""
        colours = highlight_colours()
        pfmt = QTextCharFormat()
        pfmt.setBackground(colours["passage"])
        dfmt = QTextCharFormat()
        dfmt.setBackground(colours["diff"])
        self._layers["passages"] = [(int(s), int(e), pfmt) for s, e in ranges]
        self._index["passages"] = _by_start(self._layers["passages"])
        self._built.pop("passages", None)
        self._set_layer("diff", [(s, e, dfmt) for s, e in diffs])

    # notes

    def mark_ranges(
        self, marks: Sequence[tuple[int, int, object]], colour: QColor | None = None
    ) -> None:
        """Paint note anchors: (start, end, key); clicking one emits markClicked(key)."""
        fmt = QTextCharFormat()
        fmt.setBackground(colour or highlight_colours()["note"])
        self._marks = [(int(s), int(e), k) for s, e, k in marks]
        self._set_layer("notes", [(s, e, fmt) for s, e, _ in self._marks])

    def flash(self, start: int, end: int, ms: int = 900) -> None:
        """Briefly paint a range so the eye finds it after a jump."""
        fmt = QTextCharFormat()
        fmt.setBackground(highlight_colours()["flash"])
        fmt.setFontWeight(QFont.Weight.Bold)
        self._set_layer("flash", [(start, end, fmt)])
        self._flash_timer.start(ms)

    # ------------------------------------------------------------ look

    def zoom(self, steps: float) -> None:
        self._zoom = max(-4.0, min(8.0, self._zoom + steps))
        font = reading_font(12.5 + self._zoom)
        self.setFont(font)
        doc = self.doc
        if doc is not None:
            # The layers are text ranges: laid out anew, they are painted as they were.
            layers, index = self._layers, self._index
            matches, current = self.matches, self.current_match
            ents, formats = self.entities, self.entity_formats
            spans, marks = self._entity_spans, self._marks
            self.set_document(doc)
            self._layers, self._index = layers, index
            self.matches, self.current_match = matches, current
            self.entities, self.entity_formats = ents, formats
            self._entity_spans, self._marks = spans, marks
            self._repaint_layers()
            if matches:
                self.go_to_match(max(current, 0))

    def _apply_measure(self) -> None:
        """Keep lines near READING_CHARS characters by widening the side margins."""
        frame = self.document().rootFrame()
        fmt = frame.frameFormat()
        measure = self.fontMetrics().averageCharWidth() * READING_CHARS
        side = max(0, (self.viewport().width() - measure) // 2)
        if fmt.leftMargin() == side and fmt.rightMargin() == side:
            return  # a new frame format lays the whole text out again
        fmt.setLeftMargin(side)
        fmt.setRightMargin(side)
        frame.setFrameFormat(QTextFrameFormat(fmt))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._apply_measure()
        self._follow_viewport()

    def eventFilter(self, obj, event) -> bool:
        if (
            obj is self.viewport()
            and event.type() == QEvent.Type.MouseButtonRelease
            and self.doc
            and not self.textCursor().hasSelection()
        ):
            pos = self.cursorForPosition(
                QPoint(int(event.position().x()), int(event.position().y()))
            )
            off = self.offset(pos.position())
            for s, e, key in self._marks:
                if s <= off < e:
                    self.markClicked.emit(key)
                    break
            else:
                key = self.entity_at(off)
                if key is not None:
                    self.entityClicked.emit(key)
        return super().eventFilter(obj, event)
