"""Set-up shared by the app's views: docks, and tables of rows (the library list, the entity table)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHeaderView,
    QLineEdit,
    QMainWindow,
    QTableView,
    QWidget,
)

Index = QModelIndex | QPersistentModelIndex
"""The index a model's methods are given (Qt passes either kind)."""


def add_dock(
    window: QMainWindow,
    object_name: str,
    title: str,
    widget: QWidget,
    area: Qt.DockWidgetArea = Qt.DockWidgetArea.RightDockWidgetArea,
) -> QDockWidget:
    """Put a panel in a dock of ``window`` (named, so that its place is saved and restored)."""
    dock = QDockWidget(title, window)
    dock.setObjectName(object_name)
    dock.setWidget(widget)
    dock.setFeatures(
        QDockWidget.DockWidgetFeature.DockWidgetMovable
        | QDockWidget.DockWidgetFeature.DockWidgetClosable
        | QDockWidget.DockWidgetFeature.DockWidgetFloatable
    )
    window.addDockWidget(area, dock)
    return dock


def configure_row_table(
    table: QTableView,
    model: QAbstractItemModel,
    sort: tuple[int, Qt.SortOrder],
    selection: QAbstractItemView.SelectionMode,
    fixed: Sequence[tuple[int, str, int]],
) -> None:
    """A sortable table of whole rows, without grid or row numbers, first column stretched.

    ``fixed`` gives (column, sample text, padding): those columns get the width of the
    sample plus the padding. Fixed, not ResizeToContents: that asks the Python model for
    up to 1,000 rows on every change, and each call waits for the GIL while a worker
    indexes (it once blocked the window for 1.7 s).
    """
    table.setModel(model)
    table.setSortingEnabled(True)
    table.sortByColumn(*sort)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(selection)
    table.verticalHeader().hide()
    table.setShowGrid(False)
    table.setWordWrap(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    metrics = table.fontMetrics()
    for column, sample, padding in fixed:
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(column, metrics.horizontalAdvance(sample) + padding)


class FilterField(QLineEdit):
    """A filter field over a list: Down or Enter takes the keyboard to the list, on its
    current row (the first when none is), as Down does from the search box."""

    def __init__(self, name: str, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setPlaceholderText(placeholder)
        self.setClearButtonEnabled(True)
        self.list: QAbstractItemView | None = None
        """The list filtered, set by the panel once it is built."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        keys = (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if self.list is None or event.key() not in keys:
            super().keyPressEvent(event)
            return
        model = self.list.model()
        if not self.list.currentIndex().isValid() and model is not None and model.rowCount():
            self.list.setCurrentIndex(model.index(0, 0))
        self.list.setFocus()
