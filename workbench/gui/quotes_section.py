"""The compare view's Quotes section: how each article worded the same people's words.

It lists a comparison's quotes (``Comparison.quotes``, a
:class:`~workbench.core.compare.quotes.QuoteComparison`): first the paired quotes, each
with its speaker and the two wordings, the words only the left one has struck through
in red and those only the right one has in green (context between changes shortened
with "…"); then the quotes only one article has, under a line naming the speakers one
article quotes and the other does not ("Right quotes Hal Brands; Left does not").

The section only shows and says what the user picked (:attr:`QuotesSection.activated`);
the :class:`~.quotes_controller.QuotesController` scrolls the panes.
"""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import QPoint, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QKeyEvent,
    QPainter,
    QPalette,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core.compare.quotes import DiffPart, QuoteComparison, QuotePair

from . import icons
from .quote_marks import KIND_WORDS
from .views import Index

RowRole = Qt.ItemDataRole.UserRole + 1  # ("pair", i), ("a", i), ("b", i); None for a heading
CONTEXT_WORDS = 4  # words kept either side of a change in a long unchanged stretch
MAX_ROWS = 200
"""Rows listed per group (paired, only left, only right): a book-length pair of texts has
thousands of quotes, and each row is laid out as rich text on the UI thread."""


def diff_colours() -> dict[str, str]:
    """Backgrounds of words only in the left wording and only in the right one."""
    if icons.is_dark():
        return {"a": "#7A2E2E", "b": "#245C32"}
    return {"a": "#FFCFCF", "b": "#C9F0C9"}


def _shorten(words: str, first: bool, last: bool) -> str:
    """An unchanged stretch, cut to a few words either side of the changes around it."""
    parts = words.split()
    keep = CONTEXT_WORDS * (1 if first or last else 2) + 2
    if len(parts) <= keep:
        return words
    head = [] if first else parts[:CONTEXT_WORDS]
    tail = [] if last else parts[-CONTEXT_WORDS:]
    return " ".join([*head, "…", *tail])


def diff_html(diff: Any) -> tuple[str, str]:
    """The two wordings of a pair as HTML, what each has that the other lacks marked."""
    colours = diff_colours()
    a_html, b_html = [], []
    for i, part in enumerate(diff):
        if part.op == "equal":
            same = escape(_shorten(part.a, i == 0, i == len(diff) - 1))
            a_html.append(same)
            b_html.append(same)
            continue
        if part.a:
            a_html.append(f"<span style='background:{colours['a']}'><s>{escape(part.a)}</s></span>")
        if part.b:
            b_html.append(f"<span style='background:{colours['b']}'>{escape(part.b)}</span>")
    return " ".join(a_html), " ".join(b_html)


def pair_html(pair: Any) -> str:
    """A paired quote: speaker and how alike, then the left and the right wording."""
    a, b = diff_html(pair.diff)
    alike = "the same words" if pair.identical else f"{pair.similarity:.0%} of the words shared"
    return (
        f"<b>{escape(pair.speaker)}</b> · {alike}"
        f"<br><span style='color:gray'>Left:</span> “{a}”"
        f"<br><span style='color:gray'>Right:</span> “{b}”"
    )


def one_sided_html(q: Any) -> str:
    """A quote only one article has: who, and its first words."""
    words = q.text if len(q.text) <= 180 else q.text[:179].rstrip() + "…"
    kind = KIND_WORDS.get(q.quote.kind, "quote")
    who = escape(q.who())
    if not q.attributed:
        who = f"<i>{who}</i>"
    return f"<b>{who}</b> · {kind}<br>“{escape(words)}”"


def only_line(names: list[str], mine: str, other: str) -> str:
    """ "Right quotes Hal Brands and Brian Hartmember; Left does not." """
    if not names:
        return ""
    said = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"{mine} quotes {said}; {other} does not."


_SWAPPED_OPS = {"delete": "insert", "insert": "delete"}


def swapped_quotes(quotes: QuoteComparison) -> QuoteComparison:
    """The same quotes seen from the other side (the panes swapped)."""
    paired = [
        QuotePair(
            p.b,
            p.a,
            p.similarity,
            [DiffPart(_SWAPPED_OPS.get(d.op, d.op), d.b, d.a) for d in p.diff],
        )
        for p in quotes.paired
    ]
    return QuoteComparison(paired, list(quotes.only_b), list(quotes.only_a), quotes.complete)


class HtmlDelegate(QStyledItemDelegate):
    """Draws a row's text as wrapped rich text (the diff's colours and strike-through)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._sizes: dict[tuple[str, int], QSize] = {}  # (html, width): measured once

    @staticmethod
    def _width(option: QStyleOptionViewItem) -> int:
        """The width a row's text wraps at (the view's, where a size is asked without a row)."""
        width = option.rect.width()
        if width <= 0 and option.widget is not None:
            width = option.widget.viewport().width()  # type: ignore[attr-defined]
        return max(80, width - 4)  # 4 px for the current row's bar

    def _document(self, option: QStyleOptionViewItem, index: Index) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setDocumentMargin(4)
        doc.setHtml(str(index.data(Qt.ItemDataRole.DisplayRole) or ""))
        doc.setTextWidth(self._width(option))
        return doc

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: Index,
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        doc = self._document(opt, index)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        # The current row is tinted and barred, not filled: the diff's colours and the
        # grey labels must stay readable on it.
        opt.state &= ~QStyle.StateFlag.State_Selected
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        if selected:
            mark = QColor(
                opt.palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.Highlight)
            )
            painter.fillRect(
                opt.rect.adjusted(0, 0, 0, -1), QColor(mark.red(), mark.green(), mark.blue(), 45)
            )
            painter.fillRect(opt.rect.x(), opt.rect.y(), 3, opt.rect.height() - 1, mark)
        context = QAbstractTextDocumentLayout.PaintContext()
        # Headings are disabled rows (the keyboard skips them) but read as text, not greyed.
        colour = opt.palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.Text)
        context.palette.setColor(QPalette.ColorRole.Text, colour)
        painter.save()
        painter.translate(opt.rect.topLeft() + QPoint(4, 0))
        painter.setClipRect(QRectF(0, 0, opt.rect.width() - 4, opt.rect.height()))
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        key = (str(index.data(Qt.ItemDataRole.DisplayRole) or ""), self._width(opt))
        size = self._sizes.get(key)
        if size is None:
            if len(self._sizes) > 2000:
                self._sizes.clear()
            doc = self._document(opt, index)
            size = self._sizes[key] = QSize(int(doc.idealWidth()), int(doc.size().height()) + 2)
        return size


class QuoteList(QListWidget):
    """A list of quote rows drawn as rich text; Enter or a click on a row says which."""

    activatedRow = Signal(object, bool)  # the row's data; True for Ctrl+Enter ("beside")

    def __init__(self) -> None:
        super().__init__()
        self.setItemDelegate(HtmlDelegate(self))
        self.setWordWrap(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.setUniformItemSizes(False)
        # Rows are laid out a batch at a time between events, so a long list never
        # holds up the window while its rich-text heights are measured.
        self.setLayoutMode(QListView.LayoutMode.Batched)
        self.setBatchSize(25)
        self.itemClicked.connect(self._emit)

    def _emit(self, item: QListWidgetItem, beside: bool = False) -> None:
        row = item.data(RowRole)
        if row is not None:
            self.activatedRow.emit(row, beside)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter acts on the row here; the platform may not turn it into itemActivated.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentItem():
            ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
            self._emit(self.currentItem(), ctrl)
            return
        super().keyPressEvent(event)


class QuotesSection(QWidget):
    """Paired quotes, then the quotes only one article has."""

    activated = Signal(object)  # ("pair", i), ("a", i) or ("b", i)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("quotesSection")
        title = QLabel("Quotes in the two articles")
        title.setObjectName("legendTitle")
        self.message = QLabel()
        self.message.setObjectName("quotesMessage")
        self.message.setWordWrap(True)
        self.list = QuoteList()
        self.list.setObjectName("quotesList")
        self.list.activatedRow.connect(lambda row, _beside: self.activated.emit(tuple(row)))
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addWidget(title)
        lay.addWidget(self.message)
        lay.addWidget(self.list, 1)
        self.quotes: Any = None
        self.clear("")

    def clear(self, message: str) -> None:
        """No comparison (or no quotes to show): one line saying why."""
        self.quotes = None
        self.list.clear()
        self.message.setText(message)
        self.message.setVisible(bool(message))

    def populate(self, quotes: Any) -> None:
        """Show a QuoteComparison whose ``a`` is the left article."""
        self.list.clear()
        self.quotes = quotes
        if not (quotes.paired or quotes.only_a or quotes.only_b):
            self.message.setText("Neither article quotes anyone.")
            self.message.show()
            return
        n = len(quotes.paired)
        said = (
            f"{n} quote{'s' if n != 1 else ''} in both: Enter shows a pair, "
            "Alt+Shift+Down the next one."
            if n
            else "No quote is in both articles."
        )
        if not quotes.complete:
            said += " Compared in part: later quotes were not paired (too many to compare)."
        self.message.setText(said)
        self.message.show()
        self._heading(f"In both ({n})")
        for i, pair in enumerate(quotes.paired[:MAX_ROWS]):
            self._row(pair_html(pair), ("pair", i), f"{pair.speaker}: the two wordings")
        self._more(n)
        for side, mine, other in (("a", "Left", "Right"), ("b", "Right", "Left")):
            one_sided = quotes.only_a if side == "a" else quotes.only_b
            self._heading(f"Only {mine.lower()} ({len(one_sided)})")
            line = only_line(quotes.speakers_only(side), mine, other)
            if line:
                self._heading(line, bold=False)
            for i, q in enumerate(one_sided[:MAX_ROWS]):
                self._row(one_sided_html(q), (side, i), q.text[:500])
            self._more(len(one_sided))
        # No current row yet: making one lays the list out at once (Alt+Q picks the first).

    def _more(self, total: int) -> None:
        if total > MAX_ROWS:
            self._heading(
                f"… and {total - MAX_ROWS:,} more ('workbench compare --json' lists them all)",
                bold=False,
            )

    def _heading(self, text: str, bold: bool = True) -> None:
        html = (
            f"<b>{escape(text)}</b>" if bold else f"<span style='color:gray'>{escape(text)}</span>"
        )
        item = QListWidgetItem(html)
        item.setFlags(Qt.ItemFlag.NoItemFlags)
        item.setData(RowRole, None)
        self.list.addItem(item)

    def _row(self, html: str, row: tuple[str, int], tip: str) -> None:
        item = QListWidgetItem(html)
        item.setData(RowRole, row)
        item.setToolTip(tip)
        self.list.addItem(item)

    def rows(self) -> list[tuple[str, int]]:
        """Every selectable row's (kind, index), in list order."""
        out = []
        for i in range(self.list.count()):
            row = self.list.item(i).data(RowRole)
            if row is not None:
                out.append(tuple(row))
        return out

    def select_row(self, row: tuple[str, int]) -> None:
        """Make a row current (and scroll the list to it)."""
        for i in range(self.list.count()):
            data = self.list.item(i).data(RowRole)
            if data is not None and tuple(data) == tuple(row):
                self.list.setCurrentRow(i)
                self.list.scrollToItem(self.list.item(i))
                return

    def select_first(self) -> None:
        rows = self.rows()
        if rows:
            self.select_row(rows[0])
