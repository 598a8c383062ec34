"""The Notes dock: notes on the current document or pair, anchored passages in the readers.

- The list shows the notes on the document in the left reader, on the pair in compare
  mode (notes anchored in both), all notes, or the deleted ones; it filters by tag and
  by text.
- ``Ctrl+N`` makes a note: on the selected passage, on the pair when each compare pane
  has a selection, else on the document (or, with no document open, a loose note).
- Anchored passages are marked in the readers. Clicking a mark selects its note;
  Enter (or a click) on a note jumps to its passage, opening the document if needed.
- Editing autosaves through the window's single write thread 600 ms after the last
  keystroke, when the editor loses focus, and synchronously when the window closes.
- Delete moves a note to the deleted view; ``Ctrl+Z`` in the list brings it back.
- The search box's results get a "Notes" section with the notes that match.

Everything goes through the Library (``add_note``, ``update_note``, ``notes``,
``search_notes`` ...), so the panel can do nothing the CLI cannot.
"""

from __future__ import annotations

import contextlib
import threading
from typing import Any

from PySide6.QtCore import QEvent, QObject, QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import UserError, WorkbenchError
from workbench.core.notes import Anchor, Note

from .search_panel import quoted

AUTOSAVE_MS = 600  # a keystroke is on disk within a second
NoteRole = Qt.ItemDataRole.UserRole + 1

SCOPE_CURRENT = "current"
SCOPE_ALL = "all"
SCOPE_DELETED = "deleted"


class TagCompleter(QCompleter):
    """Completes the last of several comma-separated tags."""

    def splitPath(self, path: str) -> list[str]:
        return [path.split(",")[-1].strip()]

    def pathFromIndex(self, index: Any) -> str:
        done = self.widget().text().split(",")[:-1] if self.widget() else []
        return ", ".join([t.strip() for t in done if t.strip()] + [str(index.data())])


def note_label(note: Note, titles: dict[str, str]) -> str:
    """Two lines for the list: the note's first line, then where it is anchored and its tags."""
    first = note.title or "(empty note)"
    where = []
    for a in note.anchors:
        if a.whole_document:
            where.append(f"on “{titles.get(a.doc_id, a.doc_id)[:40]}”")
        else:
            quote = a.quote if len(a.quote) <= 50 else a.quote[:47] + "…"
            where.append(("⚠ gone: " if a.orphaned else "") + f"“{quote}”")
    second = "  ·  ".join([*where, " ".join(f"#{t}" for t in note.tags)] if note.tags else where)
    return f"{first}\n{second}" if second else first


class NotesPanel(QWidget):
    """The Notes dock's widget. Build it with :func:`install_notes_panel`."""

    notesChanged = Signal()  # after any change is saved (tests and the window listen)

    def __init__(self, window: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("notesPanel")
        self.window_ = window
        self.lib = window.lib
        self.current: Note | None = None
        self.deleted_stack: list[int] = []
        self.notes: list[Note] = []
        self.available = True
        self._pending: dict[int, tuple[str, list[str]]] = {}
        self._save_lock = threading.Lock()  # a save pops and writes as one step, in order
        self._loading = False
        self._jump_after_open: Anchor | None = None

        self.scope = QComboBox()
        self.scope.setObjectName("notesScope")
        self.scope.addItem("This document or pair", SCOPE_CURRENT)
        self.scope.addItem("All notes", SCOPE_ALL)
        self.scope.addItem("Deleted (kept 30 days)", SCOPE_DELETED)
        self.tag_filter = QComboBox()
        self.tag_filter.setObjectName("notesTagFilter")
        self.filter = QLineEdit()
        self.filter.setObjectName("notesFilter")
        self.filter.setPlaceholderText("Filter notes…")
        self.filter.setClearButtonEnabled(True)
        self.caption = QLabel()
        self.caption.setObjectName("notesCaption")
        self.caption.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("notesList")
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.anchor_label = QLabel()
        self.anchor_label.setObjectName("noteAnchors")
        self.anchor_label.setWordWrap(True)
        self.anchor_label.setTextFormat(Qt.TextFormat.PlainText)
        self.body = QPlainTextEdit()
        self.body.setObjectName("noteBody")
        self.body.setPlaceholderText("Write the note (Markdown). It saves itself.")
        self.tags = QLineEdit()
        self.tags.setObjectName("noteTags")
        self.tags.setPlaceholderText("tags, comma separated")
        self.tag_model = QStringListModel(self)
        self.completer = TagCompleter(self.tag_model, self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.tags.setCompleter(self.completer)
        self.status = QLabel()
        self.status.setObjectName("noteStatus")
        self.restore_button = QPushButton("Restore")
        self.restore_button.setObjectName("restoreNote")
        self.restore_button.clicked.connect(self.restore_selected)

        top = QHBoxLayout()
        top.addWidget(self.scope, 1)
        top.addWidget(self.tag_filter, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addLayout(top)
        lay.addWidget(self.filter)
        lay.addWidget(self.caption)
        lay.addWidget(self.list, 2)
        lay.addWidget(self.anchor_label)
        lay.addWidget(self.body, 2)
        lay.addWidget(self.tags)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.restore_button)
        lay.addLayout(bottom)
        self.setTabOrder(self.filter, self.list)
        self.setTabOrder(self.list, self.body)
        self.setTabOrder(self.body, self.tags)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_MS)
        self._timer.timeout.connect(self.queue_save)

        self.scope.currentIndexChanged.connect(lambda _i: self.refresh())
        self.tag_filter.currentIndexChanged.connect(lambda _i: self.refresh())
        self.filter.textChanged.connect(lambda _t: self.refresh())
        self.list.currentItemChanged.connect(lambda cur, _prev: self._show_item(cur))
        self.list.itemActivated.connect(lambda item: self.jump_to(item.data(NoteRole)))
        self.list.itemClicked.connect(lambda item: self.jump_to(item.data(NoteRole)))
        self.body.textChanged.connect(self._edited)
        self.tags.textEdited.connect(lambda _t: self._edited())
        for w in (self.body, self.tags):
            w.installEventFilter(self)
        self._set_editor(None)

    # ------------------------------------------------------------ reading

    def _titles(self) -> dict[str, str]:
        return {d.id: d.title for d in self.window_.docs.values()}

    def context(self) -> tuple[str | None, tuple[str, str] | None]:
        """The current document, or the current pair in compare mode."""
        left, right = self.window_.compare.documents()
        if self.window_.compare.compare_mode and left is not None and right is not None:
            return None, (left.id, right.id)
        return (left.id if left is not None else None), None

    def refresh(self) -> None:
        """Reload the list (keeping the selected note) and the marks in the readers."""
        if not self.available:
            return
        self.stash()
        scope = self.scope.currentData()
        doc_id, pair = self.context()
        tag = self.tag_filter.currentData() or None
        text = self.filter.text().strip() or None
        self.restore_button.setVisible(scope == SCOPE_DELETED)
        try:
            if scope == SCOPE_CURRENT and doc_id is None and pair is None:
                self.notes = []
                self.caption.setText("No document open: Ctrl+N makes a note of its own.")
            elif scope == SCOPE_CURRENT:
                self.notes = self.lib.notes.query(doc_id=doc_id, pair=pair, tag=tag, text=text)
                what = "this pair" if pair else "this document"
                self.caption.setText(
                    f"{len(self.notes)} note{'s' if len(self.notes) != 1 else ''} on {what}"
                )
            else:
                self.notes = self.lib.notes.query(
                    tag=tag, text=text, deleted=scope == SCOPE_DELETED
                )
                self.caption.setText(
                    f"{len(self.notes)} note{'s' if len(self.notes) != 1 else ''}"
                    + (" deleted" if scope == SCOPE_DELETED else "")
                )
            self._refresh_tags()
        except WorkbenchError as exc:
            self._unavailable(str(exc))
            return
        # Edits not yet on disk win over what the database says (they are newer).
        with self._save_lock:
            for n in self.notes:
                if n.id in self._pending:
                    n.body, n.tags = self._pending[n.id]
        keep = self.current.id if self.current else None
        titles = self._titles()
        self._loading = True
        self.list.clear()
        for note in self.notes:
            item = QListWidgetItem(note_label(note, titles))
            item.setData(NoteRole, note.id)
            item.setToolTip(note.body[:500])
            self.list.addItem(item)
            if note.id == keep:
                self.list.setCurrentItem(item)
                # The editor keeps what it shows; only the anchors may have changed.
                if self.current is not None:
                    note.body, note.tags = self.current.body, self.current.tags
                self.current = note
                self.anchor_label.setText(self._describe(note))
        self._loading = False
        if keep is not None and not any(n.id == keep for n in self.notes):
            self._set_editor(None)
        self.mark_readers()

    def _refresh_tags(self) -> None:
        tags = self.lib.notes.tags()
        self.tag_model.setStringList([t for t, _ in tags])
        wanted = self.tag_filter.currentData()
        self.tag_filter.blockSignals(True)
        self.tag_filter.clear()
        self.tag_filter.addItem("All tags", "")
        for t, n in tags:
            self.tag_filter.addItem(f"#{t} ({n})", t)
        index = self.tag_filter.findData(wanted) if wanted else 0
        self.tag_filter.setCurrentIndex(max(index, 0))
        self.tag_filter.blockSignals(False)

    def mark_readers(self) -> None:
        """Paint every live note's passages in the documents the readers show."""
        for pane in (self.window_.compare.left, self.window_.compare.right):
            doc = pane.view.doc
            if doc is None:
                continue
            try:
                notes = self.lib.notes.query(doc_id=doc.id)
            except WorkbenchError:
                return
            marks = [
                (a.start, a.end, n.id)
                for n in notes
                for a in n.anchors
                if a.doc_id == doc.id and not a.whole_document and not a.orphaned
            ]
            pane.view.mark_ranges(marks)

    def _unavailable(self, message: str) -> None:
        self.available = False
        self.caption.setText(f"Notes are unavailable: {message}")
        self.list.clear()
        self._set_editor(None)

    # ------------------------------------------------------------ the editor

    def _set_editor(self, note: Note | None) -> None:
        self.current = note
        self._loading = True
        self.body.setPlainText(note.body if note else "")
        self.tags.setText(", ".join(note.tags) if note else "")
        self._loading = False
        editable = note is not None and note.deleted is None
        self.body.setEnabled(editable)
        self.tags.setEnabled(editable)
        self.anchor_label.setText(self._describe(note) if note else "")
        self.status.setText("")

    def _describe(self, note: Note) -> str:
        titles = self._titles()
        parts = []
        for a in note.anchors:
            title = titles.get(a.doc_id, a.doc_id)
            if a.whole_document:
                parts.append(f"On the document “{title}”.")
            elif a.orphaned:
                parts.append(f"“{a.quote}” — this passage is no longer in “{title}” (kept).")
            else:
                parts.append(f"“{a.quote}” — {title}")
        return "\n".join(parts) or "A note of its own (no document)."

    def _show_item(self, item: QListWidgetItem | None) -> None:
        if self._loading:
            return
        self.stash()
        note = next(
            (n for n in self.notes if item is not None and n.id == item.data(NoteRole)), None
        )
        self._set_editor(note)

    def _edited(self) -> None:
        if self._loading or self.current is None:
            return
        self.stash()
        self.status.setText("Editing…")
        self._timer.start()

    def stash(self) -> None:
        """Remember the editor's text as the current note's pending save."""
        note = self.current
        if note is None or note.deleted is not None:
            return
        body = self.body.toPlainText()
        tags = [t.strip() for t in self.tags.text().split(",") if t.strip()]
        if body == note.body and tags == note.tags:
            return
        with self._save_lock:
            self._pending[note.id] = (body, tags)
        note.body, note.tags = body, tags

    def _write_pending(self) -> list[Note]:
        """Write every pending edit (any thread). Pop and write are one step under a lock,
        so an older edit can never be written after a newer one."""
        saved: list[Note] = []
        with self._save_lock:
            # Entries leave _pending only once written, so a refresh meanwhile still
            # sees the newest text.
            for note_id, (body, tags) in list(self._pending.items()):
                # A note deleted meanwhile had its text saved before the delete.
                with contextlib.suppress(UserError):
                    saved.append(self.lib.notes.update(note_id, body=body, tags=tags).value)
                self._pending.pop(note_id, None)
        return saved

    def queue_save(self) -> None:
        """Save pending edits on the window's write thread."""
        self._timer.stop()
        self.stash()
        if not self._pending:
            return
        self.window_.tasks.run(
            self._write_pending, self._saved, self._failed, label="Saving note", write=True
        )

    def save_now(self) -> None:
        """Save pending edits before returning (closing the window)."""
        self._timer.stop()
        self.stash()
        try:
            self._saved(self._write_pending())
        except WorkbenchError as exc:
            self._failed(exc)

    def _saved(self, notes: list[Note]) -> None:
        if notes:
            self.status.setText("Saved")
            titles = self._titles()
            for n in notes:
                for i in range(self.list.count()):
                    item = self.list.item(i)
                    if item.data(NoteRole) == n.id:
                        item.setText(note_label(n, titles))
            self._refresh_tags()
            self.notesChanged.emit()

    def _failed(self, exc: BaseException) -> None:
        # The text stays in the editor and is retried with the next keystroke or close.
        self.status.setText(f"Not saved: {exc}")

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj in (self.body, self.tags) and event.type() == QEvent.Type.FocusOut:
            self.queue_save()
        elif obj is self.window_ and event.type() == QEvent.Type.Close:
            self.save_now()
        return super().eventFilter(obj, event)

    # ------------------------------------------------------------ commands

    def new_note(self) -> Note | None:
        """Ctrl+N: a note on the selection(s), else on the document, else on its own."""
        if not self.available:
            return None
        self.save_now()
        compare = self.window_.compare
        anchors: list[Anchor] = []
        try:
            panes = [compare.left, compare.right] if compare.compare_mode else [compare.left]
            picked = [
                (p.view.doc, p.view.selection_range()) for p in panes if p.view.doc is not None
            ]
            selected = [(d, r) for d, r in picked if r is not None]
            if compare.compare_mode and len(selected) == 2:
                anchors = [self.lib.notes.make_anchor(d.id, *r) for d, r in selected]
            elif selected:
                focused = next((p.view.doc for p in panes if p.view.hasFocus()), None)
                doc, rng = next(((d, r) for d, r in selected if d is focused), selected[0])
                anchors = [self.lib.notes.make_anchor(doc.id, *rng)]
            elif picked:
                anchors = [self.lib.notes.make_anchor(picked[0][0].id)]
            # Made here, not on the write thread: the note must exist before the first
            # keystroke goes into it. It is one small transaction.
            note = self.lib.notes.add("", anchors=anchors).value
        except WorkbenchError as exc:
            self.window_.statusBar().showMessage(f"No note made: {exc}", 8000)
            return None
        self._reveal()
        if self.scope.currentData() == SCOPE_DELETED or (
            self.scope.currentData() == SCOPE_CURRENT and not anchors
        ):
            self.scope.setCurrentIndex(self.scope.findData(SCOPE_ALL))
        self.filter.clear()
        self.tag_filter.setCurrentIndex(0)
        self.current = None
        self.refresh()
        self.select(note.id)  # selecting shows it in the editor
        self.body.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.notesChanged.emit()
        return note

    def select(self, note_id: int) -> bool:
        """Select a note in the list (switching to all notes if it is not shown)."""
        for attempt in range(2):
            for i in range(self.list.count()):
                if self.list.item(i).data(NoteRole) == note_id:
                    self.list.setCurrentRow(i)
                    return True
            if attempt == 0:
                self.scope.setCurrentIndex(self.scope.findData(SCOPE_ALL))
                self.filter.clear()
                self.tag_filter.setCurrentIndex(0)
        return False

    def delete_selected(self) -> None:
        """Delete: the note goes to the deleted view (Ctrl+Z brings it back)."""
        item = self.list.currentItem()
        if item is None or self.scope.currentData() == SCOPE_DELETED:
            return
        note_id = int(item.data(NoteRole))
        self.save_now()
        row = self.list.currentRow()
        self.window_.tasks.run(
            lambda: self.lib.notes.delete(note_id).value,
            lambda _n: self._after_delete(note_id, row),
            self._failed,
            label="Deleting note",
            write=True,
        )

    def _after_delete(self, note_id: int, row: int) -> None:
        self.deleted_stack.append(note_id)
        self.refresh()
        if self.list.count():
            self.list.setCurrentRow(min(row, self.list.count() - 1))
        self.window_.statusBar().showMessage(
            "Note deleted — Ctrl+Z in the notes list brings it back.", 8000
        )
        self.notesChanged.emit()

    def undo_delete(self) -> None:
        """Ctrl+Z: restore the note deleted last."""
        if not self.deleted_stack:
            return
        note_id = self.deleted_stack.pop()
        self.window_.tasks.run(
            lambda: self.lib.notes.restore(note_id).value,
            self._after_restore,
            self._failed,
            label="Restoring note",
            write=True,
        )

    def restore_selected(self) -> None:
        """Restore the note selected in the deleted view."""
        item = self.list.currentItem()
        if item is None or self.scope.currentData() != SCOPE_DELETED:
            return
        note_id = int(item.data(NoteRole))
        if note_id in self.deleted_stack:
            self.deleted_stack.remove(note_id)
        self.window_.tasks.run(
            lambda: self.lib.notes.restore(note_id).value,
            self._after_restore,
            self._failed,
            label="Restoring note",
            write=True,
        )

    def _after_restore(self, note: Note) -> None:
        self.refresh()
        self.select(note.id)
        self.window_.statusBar().showMessage("Note restored.", 5000)
        self.notesChanged.emit()

    def _reveal(self) -> None:
        dock = getattr(self.window_, "notes_dock", None)
        if dock is not None:
            dock.show()
            dock.raise_()

    def focus(self) -> None:
        """Show the dock and put the keyboard in the list."""
        self._reveal()
        self.list.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if self.list.currentRow() < 0 and self.list.count():
            self.list.setCurrentRow(0)

    # ------------------------------------------------------------ jumping

    def jump_to(self, note_id: int) -> None:
        """Show a note's passage: scroll to it and flash it, opening the document if needed."""
        note = next((n for n in self.notes if n.id == note_id), None)
        if note is None:
            try:
                note = self.lib.notes.get(note_id)
            except WorkbenchError:
                return
        live = [a for a in note.anchors if not a.orphaned]
        if not live:
            return
        compare = self.window_.compare
        shown = {
            p.view.doc.id: p
            for p in (compare.left, compare.right)
            if p.view.doc is not None and (p is compare.left or compare.compare_mode)
        }
        for a in live:
            pane = shown.get(a.doc_id)
            if pane is not None:
                self._flash(pane.view, a)
        missing = [a for a in live if a.doc_id not in shown]
        if missing:
            self._jump_after_open = missing[0]
            self.window_.open_document(missing[0].doc_id)

    @staticmethod
    def _flash(view: Any, a: Anchor) -> None:
        if a.whole_document:
            view.scroll_to_offset(0, 0.0)
            return
        view.scroll_to_offset(a.start)
        view.flash(a.start, a.end)

    def on_document_opened(self, side: str, doc: Any) -> None:
        pending = self._jump_after_open
        self.refresh()
        if pending is not None and pending.doc_id == doc.id:
            self._jump_after_open = None
            self._flash(self.window_.compare.pane(side).view, pending)

    def on_mark_clicked(self, note_id: object) -> None:
        """A click on a marked passage selects its note."""
        self._reveal()
        self.select(int(note_id))  # type: ignore[call-overload]


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


def install_notes_panel(window: Any) -> NotesPanel:
    """Build the Notes dock, its actions and its search-results section into ``window``."""
    panel = NotesPanel(window)
    window.notes_dock = window.add_dock(
        "notesDock", "Notes", panel, Qt.DockWidgetArea.RightDockWidgetArea
    )
    if hasattr(window, "entity_dock"):
        window.tabifyDockWidget(window.entity_dock, window.notes_dock)
        window.entity_dock.raise_()

    add = window.actions.add
    add("new-note", "New note (on the selection)", "notes", "Ctrl+N", panel.new_note, "Notes")
    add("focus-notes", "Go to notes", "notes", "Ctrl+Shift+N", panel.focus, "Notes")
    in_list = Qt.ShortcutContext.WidgetWithChildrenShortcut
    delete = add(
        "delete-note",
        "Delete note",
        "cancel",
        QKeySequence.StandardKey.Delete,
        panel.delete_selected,
        "Notes",
        context=in_list,
    )
    undo = add(
        "undo-delete-note",
        "Undo delete note",
        "previous",
        QKeySequence.StandardKey.Undo,
        panel.undo_delete,
        "Notes",
        context=in_list,
    )
    for act in (delete, undo):
        panel.list.addAction(act)
    window.note_results = NoteResults(panel)
    window.results.layout().addWidget(window.note_results)

    def searched(_results: Any) -> None:
        query = window.search_box.text().strip()
        if not query or not panel.available:
            window.note_results.show_notes(query, [])
            return
        window.tasks.run(
            lambda: panel.lib.notes.search(query, limit=20),
            lambda notes: (
                window.note_results.show_notes(query, notes)
                if window.search_box.text().strip() == query
                else None
            ),
            lambda _e: window.note_results.show_notes(query, []),
            label="Searching notes",
        )

    window.searchFinished.connect(searched)
    window.documentOpened.connect(panel.on_document_opened)
    window.importFinished.connect(lambda _r: panel.refresh())  # anchors may have moved
    window.compare.compareModeChanged.connect(lambda _on: panel.refresh())
    for pane in (window.compare.left, window.compare.right):
        pane.view.markClicked.connect(panel.on_mark_clicked)
    window.installEventFilter(panel)  # saves pending edits before the window closes
    # The Panels menu is built after the docks; add the Notes toggle once it exists.
    QTimer.singleShot(
        0,
        lambda: (
            hasattr(window, "_view_menu")
            and window._view_menu.addAction(window.notes_dock.toggleViewAction())
        ),
    )

    def opened(_r: Any) -> None:
        panel.refresh()

    def failed(exc: BaseException) -> None:
        panel._unavailable(str(exc))

    # Opening the user database makes the daily backup: on the write thread, at start.
    window.tasks.run(panel.lib.open_user_data, opened, failed, label="Opening notes", write=True)
    return panel
