"""The library sidebar: the documents of the library in a table that fetches rows on demand.

:class:`LibraryModel` knows how many documents there are and asks a
:class:`DocumentSource` for one page of rows at a time, as the view scrolls (Qt's
``canFetchMore``/``fetchMore``): the list of 100,000 articles costs what the rows on
screen cost. Sorting and the title filter are the source's work, since it sees every
document; a proxy over the rows fetched so far would sort and filter only those.

The columns are declared once in :data:`COLUMNS`; each names the document field it
shows and sorts by: title, words, date, (first) author, site and language. The sidebar is
narrow, so the title keeps at least :data:`TITLE_SHARE` of its width: the other columns
the user shows (the header's context menu) are shown in :data:`FIT_ORDER` while they
fit beside it, and the rest come back as the sidebar is widened.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.core.docstore import DocumentStore

from .views import FilterField, Index, configure_row_table

PAGE_SIZE = 200
"""Rows fetched at a time: a few screens of the sidebar."""


class DocumentRow(Protocol):
    """What the list shows of a document (a :class:`~workbench.core.corpus.Document`, or a
    summary without its text)."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def path(self) -> str: ...
    @property
    def words(self) -> int: ...
    @property
    def date(self) -> str | None: ...
    @property
    def author(self) -> str: ...
    @property
    def site(self) -> str: ...
    @property
    def format(self) -> str: ...
    @property
    def language(self) -> str: ...


@dataclass(frozen=True)
class Column:
    """One column of the library list: the field it shows and sorts by."""

    field: str
    header: str
    text: Callable[[DocumentRow], str]
    sort_key: Callable[[DocumentRow], Any]
    sample: str = ""
    """Text as wide as the column's widest value; empty: the column stretches."""
    padding: int = 16
    right_aligned: bool = False


def _first_author(doc: DocumentRow) -> str:
    return doc.author.split(";", 1)[0].strip()


COLUMNS: tuple[Column, ...] = (
    Column("title", "Title", lambda d: d.title, lambda d: d.title.casefold()),
    Column("words", "Words", lambda d: f"{d.words:,}", lambda d: d.words, "00,000", 24, True),
    Column("date", "Date", lambda d: d.date or "", lambda d: d.date or "", "0000-00-00", 12),
    Column(
        "author", "Author", _first_author, lambda d: _first_author(d).casefold(), "Firstname", 12
    ),
    Column("site", "Site", lambda d: d.site, lambda d: d.site.casefold(), "Guardian", 12),
    Column("language", "Lang", lambda d: d.language, lambda d: d.language, "Lang", 12),
)
HIDDEN_AT_FIRST = frozenset({"words"})
"""Columns the narrow sidebar hides until the header's menu shows them."""
FIT_ORDER = ("date", "language", "site", "author", "words")
"""The columns beside the title, in the order they are given room in a narrow sidebar."""
TITLE_SHARE = 0.4
"""The least share of the list's width the title keeps (so it is never cut to a word)."""
_FIT_NUMBERS = [next(n for n, c in enumerate(COLUMNS) if c.field == f) for f in FIT_ORDER]
"""The column numbers of :data:`FIT_ORDER`."""


class DocumentSource(Protocol):
    """Where the list's rows come from: counted, sorted, filtered and paged by the source."""

    def count(self, title_filter: str = "") -> int:
        """How many documents there are (whose title contains ``title_filter``)."""
        ...

    def page(
        self, offset: int, limit: int, order_by: str, descending: bool, title_filter: str
    ) -> Sequence[DocumentRow]:
        """Rows ``offset`` to ``offset + limit`` in that order, of those matching the filter."""
        ...


class StoreSource:
    """A :class:`DocumentSource` over the library's document store: counting, sorting,
    filtering and paging are SQL queries, and only the rows asked for are read."""

    def __init__(self, store: DocumentStore) -> None:
        self.store = store

    def count(self, title_filter: str = "") -> int:
        return self.store.count_matching(title_filter)

    def page(
        self, offset: int, limit: int, order_by: str, descending: bool, title_filter: str
    ) -> Sequence[DocumentRow]:
        return self.store.page(offset, limit, order_by, descending, title_filter)


class _NoDocuments:
    """The source of a list not filled yet."""

    def count(self, title_filter: str = "") -> int:
        return 0

    def page(
        self, offset: int, limit: int, order_by: str, descending: bool, title_filter: str
    ) -> Sequence[DocumentRow]:
        return []


class LibraryModel(QAbstractTableModel):
    """The library list: a count from the source, and the rows fetched so far."""

    def __init__(self, page_size: int = PAGE_SIZE) -> None:
        super().__init__()
        self.page_size = page_size
        self.source: DocumentSource = _NoDocuments()
        self.rows: list[DocumentRow] = []
        self.order_by = COLUMNS[0].field
        self.descending = False
        self.title_filter = ""
        self._matching = 0

    def set_source(self, source: DocumentSource) -> None:
        """Show another source's documents (the library changed), from the top."""
        self.source = source
        self._reload()

    def set_filter(self, text: str) -> None:
        """Show only documents whose title contains ``text`` (any case)."""
        self.title_filter = text.strip()
        self._reload()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.order_by = COLUMNS[column].field
        self.descending = order == Qt.SortOrder.DescendingOrder
        self._reload()

    def _reload(self) -> None:
        self.beginResetModel()
        self._matching = self.source.count(self.title_filter)
        self.rows = []
        self.endResetModel()
        # The first page at once: the list is never empty while a view decides to ask.
        self.fetchMore(QModelIndex())

    def matching(self) -> int:
        """How many documents the list holds with the filter applied (fetched or not)."""
        return self._matching

    def total(self) -> int:
        """How many documents the library holds."""
        return self._matching if not self.title_filter else self.source.count()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self.rows) < self._matching

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or len(self.rows) >= self._matching:
            return
        start = len(self.rows)
        page = self.source.page(
            start, self.page_size, self.order_by, self.descending, self.title_filter
        )
        if not page:
            self._matching = start  # the source holds fewer than it counted
            return
        self.beginInsertRows(QModelIndex(), start, start + len(page) - 1)
        self.rows.extend(page)
        self.endInsertRows()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section].header
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        doc = self.rows[index.row()]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(doc)
        if role == Qt.ItemDataRole.ToolTipRole:
            facts = [doc.author, doc.site, doc.date or "", doc.format.upper()]
            return "\n".join([doc.title, " · ".join(f for f in facts if f), doc.path])
        if role == Qt.ItemDataRole.TextAlignmentRole and column.right_aligned:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return doc.id
        return None


class LibraryPanel(QWidget):
    """The library sidebar: a filter field over the table of documents."""

    openRequested = Signal(str, bool)  # doc id, beside

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.filter = FilterField("libraryFilter", "Filter by title…")
        self.model = LibraryModel()
        self.table = _DocTable()
        self.table.setObjectName("libraryTable")
        configure_row_table(
            self.table,
            self.model,
            (0, Qt.SortOrder.AscendingOrder),
            QAbstractItemView.SelectionMode.SingleSelection,
            [(i, c.sample, c.padding) for i, c in enumerate(COLUMNS) if c.sample],
        )
        # The sidebar is narrow: the title takes what the other columns leave (see
        # fit_columns), and the header's context menu shows or hides the columns.
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.table.horizontalHeader()
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self._widths = {n: header.sectionSize(n) for n in range(1, len(COLUMNS))}
        """The fixed columns' widths (a hidden column's section reads 0)."""
        self.wanted = {c.field for c in COLUMNS[1:] if c.field not in HIDDEN_AT_FIRST}
        """The columns the user shows beside the title (shown while they fit)."""
        for column in COLUMNS[1:]:
            toggle = QAction(column.header, header)
            toggle.setCheckable(True)
            toggle.setChecked(column.field in self.wanted)
            toggle.toggled.connect(lambda on, f=column.field: self._want(f, on))
            header.addAction(toggle)
        self.table.resized.connect(self.fit_columns)
        self.fit_columns()
        self.table.openRequested.connect(self.openRequested)
        self.count = QLabel()
        self.count.setObjectName("libraryCount")
        self.filter.textChanged.connect(self._filter)
        self.filter.list = self.table
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 0)
        lay.addWidget(self.filter)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.count)

    def set_source(self, source: DocumentSource) -> None:
        """List the documents of ``source`` (in the order and with the filter shown)."""
        self.model.set_source(source)
        self._update_count()

    def _want(self, field: str, on: bool) -> None:
        if on:
            self.wanted.add(field)
        else:
            self.wanted.discard(field)
        self.fit_columns()

    def fit_columns(self) -> None:
        """Show the wanted columns, in :data:`FIT_ORDER`, while the title keeps its share."""
        width = self.table.viewport().width()
        room = width - max(int(width * TITLE_SHARE), 1)
        for field, number in zip(FIT_ORDER, _FIT_NUMBERS, strict=True):
            size = self._widths[number]
            show = field in self.wanted and size <= room
            if show:
                room -= size
            if self.table.isColumnHidden(number) == show:
                self.table.setColumnHidden(number, not show)

    def _filter(self, text: str) -> None:
        self.model.set_filter(text)
        self._update_count()
        if self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(0, 0))

    def _update_count(self) -> None:
        total, shown = self.model.total(), self.model.matching()
        self.count.setText(
            f"{total:,} documents" if shown == total else f"{shown:,} of {total:,} documents"
        )


class _DocTable(QTableView):
    openRequested = Signal(str, bool)
    resized = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.doubleClicked.connect(lambda idx: self._open(idx, False))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.resized.emit()

    def _open(self, idx: QModelIndex, beside: bool) -> None:
        if idx.isValid():
            self.openRequested.emit(idx.siblingAtColumn(0).data(Qt.ItemDataRole.UserRole), beside)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._open(
                self.currentIndex(), bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
            )
            return
        super().keyPressEvent(event)
