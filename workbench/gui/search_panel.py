"""The search box and the result list.

The search box only emits the query; the search controller debounces it and runs it
in the background, so typing never waits for Whoosh. Results are drawn by a delegate
that renders the snippet's ``**bold**`` matches as rich text.
"""

from __future__ import annotations

import html
import re
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QAbstractTextDocumentLayout, QKeyEvent, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core.search import Hit, SearchResults

from . import icons
from .views import Index


def quoted(query: str) -> str:
    """A query as shown in a sentence: in curly quotes, unless it is a quoted phrase already."""
    query = query.strip()
    inner = query[1:-1]
    if len(query) > 1 and query[0] in '"“' and query[-1] in '"”' and not set(inner) & set('"“”'):
        return f"“{inner}”"
    return f"“{query}”"


HitRole = Qt.ItemDataRole.UserRole + 1


class SearchBox(QLineEdit):
    """The query field. Down moves into the results; Enter opens the first result."""

    downPressed = Signal()
    enterPressed = Signal(bool)  # True with Ctrl: open beside

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchBox")
        self.setPlaceholderText(
            'Search the library — words, "a phrase", entity:"Name", title:word   (Ctrl+K)'
        )
        self.setClearButtonEnabled(True)
        self.addAction(icons.icon("search"), QLineEdit.ActionPosition.LeadingPosition)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Down:
            self.downPressed.emit()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.enterPressed.emit(bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier))
            return
        super().keyPressEvent(event)


def snippet_html(snippet: str) -> str:
    """Hit.snippet marks matched terms with ``**``; make them bold, escape the rest."""
    parts = re.split(r"\*\*(.+?)\*\*", snippet)
    out = []
    for i, part in enumerate(parts):
        text = html.escape(part)
        out.append(f"<b>{text}</b>" if i % 2 else text)
    return "".join(out)


class ResultsModel(QAbstractListModel):
    """The hits of the latest search."""

    def __init__(self) -> None:
        super().__init__()
        self.results: SearchResults | None = None
        self.hits: list[Hit] = []

    def set_results(self, results: SearchResults | None) -> None:
        self.beginResetModel()
        self.results = results
        self.hits = list(results.hits) if results else []
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.hits)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        hit = self.hits[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return hit.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return hit.path
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{hit.title}. {hit.snippet.replace('**', '')}"
        if role == HitRole:
            return hit
        return None


class HitDelegate(QStyledItemDelegate):
    """Draws a hit as: title (bold), source, then the snippet with matches in bold."""

    PAD = 8

    def _document(self, hit: Hit, width: int, option: QStyleOptionViewItem) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setDocumentMargin(0)
        source = hit.site or (hit.path.rsplit("/", 1)[-1] if hit.path else hit.id)
        facts = [source, hit.author.split(";", 1)[0], hit.date or "", hit.page or ""]
        meta = " · ".join(html.escape(f) for f in facts if f)
        doc.setHtml(
            f"<div style='font-weight:600'>{html.escape(hit.title)}</div>"
            f"<div style='font-size:small; color:{option.palette.color(QPalette.ColorRole.PlaceholderText).name()}'>"
            f"{meta}</div>"
            f"<div style='margin-top:3px'>{snippet_html(hit.snippet)}</div>"
        )
        doc.setTextWidth(max(50, width - 2 * self.PAD))
        return doc

    def paint(self, painter, option, index) -> None:
        hit: Hit = index.data(HitRole)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        doc = self._document(hit, option.rect.width(), option)
        painter.save()
        painter.translate(option.rect.left() + self.PAD, option.rect.top() + self.PAD)
        ctx = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        ctx.palette.setColor(QPalette.ColorRole.Text, option.palette.color(role))
        ctx.clip = QRectF(0, 0, option.rect.width() - 2 * self.PAD, option.rect.height() - self.PAD)
        doc.documentLayout().draw(painter, ctx)
        painter.restore()

    def sizeHint(self, option, index) -> QSize:
        hit: Hit = index.data(HitRole)
        width = option.rect.width() or (option.widget.viewport().width() if option.widget else 360)
        doc = self._document(hit, width, option)
        return QSize(width, int(doc.size().height()) + 2 * self.PAD)


class ResultList(QListView):
    """Enter opens the current hit on the left; Ctrl+Enter opens it beside (compare)."""

    openRequested = Signal(object, bool)  # Hit, beside
    upFromTop = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resultList")
        self.setWordWrap(True)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setItemDelegate(HitDelegate(self))
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setAlternatingRowColors(True)
        self.doubleClicked.connect(lambda idx: self._open(idx, False))

    def current_hit(self) -> Hit | None:
        idx = self.currentIndex()
        return idx.data(HitRole) if idx.isValid() else None

    def _open(self, idx: QModelIndex, beside: bool) -> None:
        if idx.isValid():
            self.openRequested.emit(idx.data(HitRole), beside)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            beside = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
            self._open(self.currentIndex(), beside)
            return
        if event.key() == Qt.Key.Key_Up and self.currentIndex().row() <= 0:
            self.upFromTop.emit()
            return
        super().keyPressEvent(event)


class ResultsPanel(QWidget):
    """The total count above the result list."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.count_label = QLabel("Type to search.")
        self.count_label.setObjectName("resultCount")
        self.count_label.setWordWrap(True)
        self.model = ResultsModel()
        self.list = ResultList()
        self.list.setModel(self.model)
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(6, 6, 6, 0)
        self.column.addWidget(self.count_label)
        self.column.addWidget(self.list, 1)

    def show_results(self, results: SearchResults) -> None:
        self.model.set_results(results)
        n, shown = results.total, len(results.hits)
        if n == 0:
            text = f"No documents match {quoted(results.query)}."
        else:
            about = "" if results.total_exact else "about "
            text = f"{about}{n:,} document{'s' if n != 1 else ''} match"
            text += f" (best {shown} shown)" if shown < n else ""
            text += (
                " — the search ran out of time; these are the best found so far"
                if results.partial
                else ""
            )
        self.count_label.setText(text)
        if results.hits:
            self.list.setCurrentIndex(self.model.index(0, 0))

    def show_message(self, text: str) -> None:
        self.model.set_results(None)
        self.count_label.setText(text)
