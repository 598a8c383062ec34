"""The notes controller: the Notes dock, its commands, and the notes under the search results.

:class:`NotesController` builds the :class:`~.notes_panel.NotesPanel` in a dock,
registers its commands, refreshes it from the change signal and fills
:class:`NoteResults`, the "Notes" section under the search results.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QVBoxLayout,
    QWidget,
)

from workbench.core.changes import Changes
from workbench.core.corpus import Document
from workbench.core.errors import WorkbenchError
from workbench.core.notes import Anchor, Note

from .context import WindowContext
from .notes_panel import NoteRole, NotesPanel, note_label
from .search_panel import quoted
from .views import add_dock


class NoteResults(QWidget):
    """The "Notes" section under the search results: notes matching the search box."""

    def __init__(self, panel: NotesPanel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noteResults")
        self.panel = panel
        self.header = QLabel("Notes")
        self.header.setObjectName("noteResultsHeader")
        self.list = QListWidget()
        self.list.setObjectName("noteResultsList")
        self.list.setWordWrap(True)
        self.list.setMaximumHeight(180)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 6, 0, 0)
        lay.addWidget(self.header)
        lay.addWidget(self.list)
        self.list.itemActivated.connect(self._open)
        self.list.itemClicked.connect(self._open)
        self.hide()

    def show_notes(self, query: str, notes: list[Note]) -> None:
        self.list.clear()
        titles = self.panel._titles()
        for n in notes:
            item = QListWidgetItem(note_label(n, titles))
            item.setData(NoteRole, n.id)
            self.list.addItem(item)
        self.header.setText(f"Notes — {len(notes)} match {quoted(query)}")
        self.setVisible(bool(notes))

    def _open(self, item: QListWidgetItem) -> None:
        note_id = int(item.data(NoteRole))
        self.panel._reveal()
        self.panel.select(note_id)
        self.panel.jump_to(note_id)


class Speakers(QObject):
    """The page each anchored passage starts on (``lib.notes.page``) and whose words it is
    (``lib.notes.speaker``: the named speaker of the quote it lies in), looked up in the
    background and kept until something changes."""

    found = Signal()  # an answer arrived: the panel says where the note is again

    def __init__(self, ctx: WindowContext, parent: QObject) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._known: dict[tuple[str, int, int], str] = {}

    def whose(self, anchor: Anchor) -> str:
        """ "p. 4 · the words of Li Zhanshu", either part, or "" (none, or not known yet)."""
        key = (anchor.doc_id, anchor.start, anchor.end)
        if key in self._known:
            return self._known[key]
        self._known[key] = ""  # asked once; the answer replaces it
        notes = self.ctx.lib.notes

        def look() -> str:
            page, who = notes.page(anchor), notes.speaker(anchor)
            return " · ".join(filter(None, [page, f"the words of {who}" if who else None]))

        def done(said: str) -> None:
            self._known[key] = said
            if said:
                self.found.emit()

        self.ctx.tasks.run(look, done, lambda _e: None, label="Notes")
        return ""

    def forget(self) -> None:
        self._known.clear()


class NotesController(QObject):
    """The Notes dock, its commands and the search section, fed by the change signal."""

    def __init__(
        self, ctx: WindowContext, window: QMainWindow, titles: Callable[[], Mapping[str, str]]
    ) -> None:
        super().__init__(window)
        self.ctx = ctx
        self.panel = NotesPanel(ctx, titles)
        self.dock = add_dock(window, "notesDock", "Notes", self.panel)
        self.results = NoteResults(self.panel)
        self.speakers = Speakers(ctx, self)
        self.panel.whose = self.speakers.whose
        self.speakers.found.connect(self.panel.show_anchors)
        self._query = ""
        self.panel.revealRequested.connect(self.reveal)
        for pane in (ctx.readers.left, ctx.readers.right):
            pane.view.markClicked.connect(self.panel.on_mark_clicked)
        ctx.readers.compareModeChanged.connect(lambda _on: self.panel.refresh())
        ctx.changes.changed.connect(self._on_changed)
        # Opening the user database makes the daily backup: on the write thread, at once.
        ctx.tasks.run(
            ctx.lib.open_user_data,
            lambda _r: self.panel.refresh(),
            self._unavailable,
            label="Opening notes",
            write=True,
        )

    def _unavailable(self, exc: BaseException) -> None:
        self.panel._unavailable(self.ctx.errors.describe(exc))

    def register_actions(self) -> None:
        add = self.ctx.registry.add
        panel = self.panel
        add("new-note", "New note (on the selection)", "notes", "Ctrl+N", panel.new_note, "Notes")
        add("focus-notes", "Go to notes", "notes", "Ctrl+Shift+N", panel.focus, "Notes")
        # Delete and Ctrl+Z act in the notes list only (elsewhere they mean something else).
        in_list = Qt.ShortcutContext.WidgetWithChildrenShortcut
        SK = QKeySequence.StandardKey
        for id, title, icon, key, handler in (
            ("delete-note", "Delete note", "cancel", SK.Delete, panel.delete_selected),
            ("undo-delete-note", "Undo delete note", "previous", SK.Undo, panel.undo_delete),
        ):
            panel.list.addAction(add(id, title, icon, key, handler, "Notes", context=in_list))

    def reveal(self) -> None:
        self.dock.show()
        self.dock.raise_()

    def _on_changed(self, changes: Changes) -> None:
        if changes.entities or changes.library or changes.notes:
            self.speakers.forget()  # a correction renames speakers; an edit moves anchors
            self.panel.show_anchors()
        # An import may have moved anchors; a restored backup changes the whole list.
        if changes.notes or changes.note_list or changes.library:
            self.panel.refresh()
            if changes.notes or changes.note_list:
                self.search(self._query)

    def on_document_opened(self, side: str, doc: Document) -> None:
        self.panel.on_document_opened(side, doc)

    def search(self, query: str) -> None:
        """Show the notes matching the search box's query under its results."""
        self._query = query
        if not query or not self.panel.available:
            self.results.show_notes(query, [])
            return

        def done(notes: list[Note]) -> None:
            if self._query == query:
                self.results.show_notes(query, notes)

        def failed(exc: BaseException) -> None:
            self.results.show_notes(query, [])  # a query notes cannot take: no section
            if not isinstance(exc, WorkbenchError):
                self.ctx.errors.report(exc)

        self.ctx.tasks.run(
            lambda: self.ctx.lib.notes.search(query, limit=20),
            done,
            failed,
            label="Searching notes",
        )

    def save_now(self) -> None:
        """Write edits not yet saved (the window is closing)."""
        self.panel.save_now()
