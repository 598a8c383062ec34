"""Quotes in a reader: a highlight layer, the speaker on hover, the quote at the cursor.

:class:`QuoteMarks` sits on one :class:`~.reader.ReaderView`. It paints the document's
quotes (as ``lib.quotes.of_document`` gives them) in the reader's ``quotes`` layer: a
lilac tint for a quote whose speaker the article names, a grey one for a quote it does
not attribute, so an unattributed quote never looks like a named one. Hovering a quote
shows who said it and how the article says so; moving the caret into a quote says the
same in the status bar (through :attr:`QuoteMarks.cursorQuote`).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from html import escape
from typing import Any

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QColor, QHelpEvent, QTextCharFormat
from PySide6.QtWidgets import QToolTip

from . import icons
from .reader import ReaderView

LAYER = "quotes"
KIND_WORDS = {"direct": "quote", "partial": "partial quote", "indirect": "reported speech"}


def quote_colours() -> dict[str, QColor]:
    """Tints of attributed and unattributed quotes, for light and dark palettes."""
    if icons.is_dark():
        return {"attributed": QColor("#433357"), "unattributed": QColor("#3C3C3C")}
    return {"attributed": QColor("#EEE3FA"), "unattributed": QColor("#E6E6E6")}


def quote_format(attributed: bool) -> QTextCharFormat:
    """The layer's format for a quote: a tint behind the words (under the other layers)."""
    fmt = QTextCharFormat()
    fmt.setBackground(quote_colours()["attributed" if attributed else "unattributed"])
    return fmt


def speaker_line(q: Any) -> str:
    """One line saying whose words a quote is: "Li Zhanshu (said) · quote", "Kerry Brown
    (“he” added) · quote", "a US official (unnamed) · reported speech"."""
    kind = KIND_WORDS.get(q.quote.kind, "quote")
    if not q.attributed and not q.quote.description:
        return f"Unattributed {kind}: the article does not say who said it"
    how = []
    speaker = q.quote.speaker
    if q.attributed and q.quote.attribution in ("pronoun", "role") and speaker is not None:
        how.append(f"“{speaker.text}”")  # resolved from "he", "the spokesman": say so
    elif q.quote.attribution == "continuation":
        how.append("continues")
    if q.quote.cue is not None:
        how.append(q.quote.cue.text)
    return f"{q.who()}{' (' + ' '.join(how) + ')' if how else ''} · {kind}"


def speaker_tooltip(q: Any) -> str:
    """The hover text of a quote: whose words, then the first words of the quote."""
    words = q.text if len(q.text) <= 160 else q.text[:159].rstrip() + "…"
    return f"<b>{escape(speaker_line(q))}</b><br><i>“{escape(words)}”</i>"


class QuoteMarks(QObject):
    """The quotes layer of one reader."""

    cursorQuote = Signal(object)  # the quote the caret moved into, or None when it left one

    def __init__(self, view: ReaderView) -> None:
        super().__init__(view)
        self.view = view
        self.quotes: list[Any] = []
        self._starts: list[int] = []
        self._at_cursor: Any = None
        self._viewport = view.viewport()
        self._viewport.installEventFilter(self)
        view.cursorPositionChanged.connect(self._on_cursor)
        view.documentChanged.connect(lambda _doc: self._forget())

    def _forget(self) -> None:
        self.quotes, self._starts = [], []
        self._at_cursor = None

    def set_quotes(self, quotes: Sequence[Any]) -> None:
        """Mark a document's quotes (offsets into the text the reader shows)."""
        self.quotes = sorted(quotes, key=lambda q: (q.start, q.end))
        self._starts = [q.start for q in self.quotes]
        formats = {True: quote_format(True), False: quote_format(False)}
        self.view.paint_layer(
            LAYER, [(q.start, q.end, formats[bool(q.attributed)]) for q in self.quotes]
        )
        self._at_cursor = None
        self._on_cursor()

    def set_visible(self, visible: bool) -> None:
        self.view.set_layer_visible(LAYER, visible)
        self._at_cursor = None
        self._on_cursor()

    def quote_at(self, offset: int) -> Any:
        """The innermost quote holding the character at ``offset``, or None."""
        i = bisect.bisect_right(self._starts, offset)
        best = None
        # Quotes may nest (a quote inside a quote): look back over the few that start earlier.
        for q in reversed(self.quotes[max(0, i - 8) : i]):
            if q.start <= offset < q.end and (
                best is None or q.end - q.start < best.end - best.start
            ):
                best = q
        return best

    def _offset_at(self, point: QPoint) -> int | None:
        """The text offset under a viewport point, or None off the text."""
        view = self.view
        scrolled = point + QPoint(
            view.horizontalScrollBar().value(), view.verticalScrollBar().value()
        )
        position = view.document().documentLayout().hitTest(scrolled, Qt.HitTestAccuracy.ExactHit)
        return None if position < 0 else view.offset(position)

    def _on_cursor(self) -> None:
        view = self.view
        q = None
        if view.doc is not None and view.layer_visible(LAYER) and self.quotes:
            q = self.quote_at(view.offset(view.textCursor().position()))
        if q is not self._at_cursor:
            self._at_cursor = q
            self.cursorQuote.emit(q)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        # The event's type first: the filter also sees the viewport's last events while
        # the reader is being destroyed, when the reader must not be touched.
        if event.type() == QEvent.Type.ToolTip and self.quotes and obj is self._viewport:
            assert isinstance(event, QHelpEvent)
            offset = self._offset_at(event.pos()) if self.view.layer_visible(LAYER) else None
            q = self.quote_at(offset) if offset is not None else None
            if q is not None:
                QToolTip.showText(event.globalPos(), speaker_tooltip(q), self._viewport)
                return True
        return super().eventFilter(obj, event)
