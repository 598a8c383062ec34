"""One speaker's quotes across the library, and the entity table's quote counts.

:class:`SpeakerQuotesDialog` lists ``lib.quotes.statements(key)``: each statement (the
same words quoted in one or more articles) under a heading saying in how many articles
it appears and whether the wording changed, then each wording with its date, outlet
and article. Enter opens the article at the quote; Ctrl+Enter opens it beside the one
in the reader, to compare; Esc closes.

:func:`with_quote_counts` adds the Quotes column to the entity table's frame.
"""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QLabel, QListWidgetItem, QVBoxLayout, QWidget

from workbench.core.errors import WorkbenchError
from workbench.core.tables import with_quotes

from .quotes_section import QuoteList, RowRole


def with_quote_counts(frame: Any, quotes: Any) -> Any:
    """The entity table with the export's ``quotes`` column (0 for a person never quoted,
    empty for anything else never quoted); without it where quotes cannot be counted."""
    if frame is None or not len(frame):
        return frame
    try:
        counts = quotes.counts()
    except WorkbenchError:  # no model, or a damaged cache: the table still shows
        return frame
    return with_quotes(frame, counts)


def statement_heading(number: int, statement: Any) -> str:
    """ "Statement 2 · 3 articles · the wording varies" """
    n = len(statement.documents)
    varies = " · the wording varies" if n > 1 and statement.varies else ""
    return f"<b>Statement {number}</b> · {n} article{'s' if n != 1 else ''}{varies}"


def wording_html(sq: Any) -> str:
    """One wording: when, where and in which article, then the quoted words."""
    facts = [sq.date or "undated", sq.outlet or "", sq.title or sq.quote.doc_id]
    head = " · ".join(escape(f) for f in facts if f)
    words = sq.quote.text if len(sq.quote.text) <= 400 else sq.quote.text[:399].rstrip() + "…"
    return f"<span style='color:gray'>{head}</span><br>“{escape(words)}”"


class SpeakerQuotesDialog(QDialog):
    """The statements of one speaker; Enter opens an article at the quote."""

    openRequested = Signal(object, bool)  # the AttributedQuote, beside

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("speakerQuotes")
        self.setWindowTitle(f"Quotes of {name}")
        self.resize(640, 560)
        self.label = QLabel(f"Finding the quotes of {name}…")
        self.label.setObjectName("speakerQuotesLabel")
        self.label.setWordWrap(True)
        self.list = QuoteList()
        self.list.setObjectName("speakerQuotesList")
        self.list.activatedRow.connect(self._open)
        hint = QLabel("Enter opens the article at the quote · Ctrl+Enter opens it beside · Esc")
        hint.setObjectName("speakerQuotesHint")
        lay = QVBoxLayout(self)
        lay.addWidget(self.label)
        lay.addWidget(self.list, 1)
        lay.addWidget(hint)
        self.name = name
        self.statements: list[Any] = []

    def show_statements(self, statements: list[Any]) -> None:
        """Fill the list (``lib.quotes.statements``), the first wording current."""
        self.statements = list(statements)
        self.list.clear()
        quotes = sum(len(s.quotes) for s in statements)
        articles = len({q.quote.doc_id for s in statements for q in s.quotes})
        self.label.setText(
            f"{self.name}: {quotes} quote{'s' if quotes != 1 else ''} in {articles} "
            f"article{'s' if articles != 1 else ''}, {len(statements)} "
            f"statement{'s' if len(statements) != 1 else ''}"
        )
        for i, statement in enumerate(statements):
            heading = QListWidgetItem(statement_heading(i + 1, statement))
            heading.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(heading)
            for sq in statement.quotes:
                item = QListWidgetItem(wording_html(sq))
                item.setData(RowRole, sq.quote)
                item.setToolTip(sq.quote.text[:600])
                self.list.addItem(item)
        for row in range(self.list.count()):
            if self.list.item(row).data(RowRole) is not None:
                self.list.setCurrentRow(row)
                break
        self.list.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_message(self, text: str) -> None:
        self.list.clear()
        self.label.setText(text)

    def _open(self, quote: Any, beside: bool) -> None:
        self.accept()
        self.openRequested.emit(quote, beside)
