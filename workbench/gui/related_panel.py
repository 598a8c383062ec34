"""The Related articles panel: articles related to the one in the left reader.

Each says how much text the two share; Enter (or a double click) opens one beside the
reader, in compare mode. The list is ordered by relatedness or by the share reused.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QComboBox, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from . import icons

KeyRole = Qt.ItemDataRole.UserRole + 1


RELATED_SORTS = (("score", "Most related first"), ("reuse", "Most text reused first"))


def reuse_line(r: Any) -> str:
    """How much a related article and the open one share, e.g. "reuses 62% · 8% of this"."""
    reuse = getattr(r, "reuse", None)
    if reuse is None or not r.passages:
        return ""
    return f"{reuse.level}: it reuses {reuse.a_in_b:.0%} of this, this {reuse.b_in_a:.0%} of it"


class RelatedPanel(QWidget):
    """Articles related to the one in the left pane; Enter opens one beside it.

    Each says how much text the two share; the list is ordered by relatedness or by the
    share reused (the box above it, or Ctrl+Shift+U).
    """

    openBeside = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel("Open an article to see related ones.")
        self.label.setWordWrap(True)
        self.sort_box = QComboBox()
        self.sort_box.setObjectName("relatedSort")
        self.sort_box.setToolTip("Order of the related articles (Ctrl+Shift+U switches)")
        for key, text in RELATED_SORTS:
            self.sort_box.addItem(text, key)
        self.sort_box.currentIndexChanged.connect(lambda _i: self._fill())
        self.list = _RelatedList()
        self.list.setObjectName("relatedList")
        self.list.setWordWrap(True)
        self.list.openBeside.connect(self.openBeside)
        self._related: list[Any] = []
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 0)
        lay.addWidget(self.label)
        lay.addWidget(self.sort_box)
        lay.addWidget(self.list, 1)

    @property
    def sort_key(self) -> str:
        return str(self.sort_box.currentData())

    def toggle_sort(self) -> None:
        """Switch between the two orders."""
        self.sort_box.setCurrentIndex((self.sort_box.currentIndex() + 1) % self.sort_box.count())

    def show_related(self, title: str, related: list[Any]) -> None:
        self._related = list(related)
        self.label.setText(
            f"Related to “{title}”" if related else f"Nothing related to “{title}” found."
        )
        self._fill()

    def _fill(self) -> None:
        current = self.list.currentItem()
        keep = current.data(KeyRole) if current is not None else None
        self.list.clear()
        items = list(self._related)
        if self.sort_key == "reuse":
            items.sort(key=lambda r: (-getattr(r, "reused", 0.0), -r.score, r.id))
        for r in items:
            line = reuse_line(r)
            text = f"{r.title}\n{line + chr(10) if line else ''}{r.reason}"
            item = QListWidgetItem(icons.icon("document"), text)
            item.setData(KeyRole, r.id)
            item.setToolTip(f"score {r.score:.2f} — {r.reason}")
            self.list.addItem(item)
            if r.id == keep:
                self.list.setCurrentItem(item)
        if items and self.list.currentItem() is None:
            self.list.setCurrentRow(0)

    def show_message(self, text: str) -> None:
        self.list.clear()
        self.label.setText(text)


class _RelatedList(QListWidget):
    openBeside = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.itemDoubleClicked.connect(lambda it: self.openBeside.emit(it.data(KeyRole)))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentItem():
            self.openBeside.emit(self.currentItem().data(KeyRole))
            return
        super().keyPressEvent(event)
