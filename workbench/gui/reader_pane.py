"""A reader pane: the reader with the document's title, a match counter ("3 of 12") and
previous/next buttons above it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QToolButton, QVBoxLayout, QWidget

from workbench.core.corpus import Document

from . import icons
from .reader import ReaderView


class ReaderPane(QWidget):
    """A reader with its match counter ("3 of 12") and previous/next buttons above it."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._title = ""
        self.setObjectName(f"pane-{name}")
        self.view = ReaderView(self)
        self.view.setObjectName(f"reader-{name}")
        self.caption = QLabel()
        self.caption.setObjectName("paneCaption")
        self.caption.setTextFormat(Qt.TextFormat.PlainText)
        # A long title must not widen the pane (and the window): it is elided by the layout.
        self.caption.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.caption.setMinimumWidth(40)
        self.counter = QLabel()
        self.counter.setObjectName("matchCounter")
        self.prev_button = QToolButton()
        self.prev_button.setIcon(icons.icon("previous"))
        self.prev_button.setToolTip("Previous match (Shift+F3)")
        self.prev_button.setAutoRaise(True)
        self.prev_button.clicked.connect(self.view.previous_match)
        self.next_button = QToolButton()
        self.next_button.setIcon(icons.icon("next"))
        self.next_button.setToolTip("Next match (F3)")
        self.next_button.setAutoRaise(True)
        self.next_button.clicked.connect(self.view.next_match)
        for w in (self.prev_button, self.next_button):
            w.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        bar = QHBoxLayout()
        bar.setContentsMargins(8, 2, 8, 2)
        bar.addWidget(self.caption, 1)
        bar.addWidget(self.counter)
        bar.addWidget(self.prev_button)
        bar.addWidget(self.next_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addLayout(bar)
        lay.addWidget(self.view, 1)
        self.view.matchChanged.connect(self._on_match)
        self.view.documentChanged.connect(self._on_doc)
        self._on_match(0, 0)

    def _on_match(self, current: int, total: int) -> None:
        self.counter.setText(f"{current} of {total}" if total else "")
        self.prev_button.setVisible(total > 0)
        self.next_button.setVisible(total > 0)

    def _on_doc(self, doc: Document | None) -> None:
        self._title = doc.title if doc else ""
        self.caption.setToolTip(f"{doc.title}\n{doc.path}" if doc else "")
        self._elide()

    def _elide(self) -> None:
        text = self._title
        width = max(40, self.caption.width())
        self.caption.setText(
            self.caption.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, width)
        )

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._elide()
