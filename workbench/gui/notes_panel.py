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
- The list, the marks and that section follow the change signal: a note changed
  anywhere (this panel, a restored backup, an import that moved anchors) shows at once.

Everything goes through ``Library.notes``, so the panel can do nothing the CLI cannot.
:class:`~.notes_controller.NotesController` builds the dock, its commands and the
search section.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QEvent, QObject, QStringListModel, Qt, QTimer, Signal
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

from workbench.core.corpus import Document
from workbench.core.errors import UserError, WorkbenchError
from workbench.core.notes import Anchor, Note

from .context import WindowContext
from .reader import ReaderView
from .views import FilterField

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
        widget = self.widget()
        done = widget.text().split(",")[:-1] if isinstance(widget, QLineEdit) else []
        return ", ".join([t.strip() for t in done if t.strip()] + [str(index.data())])


def shortened(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, an ellipsis saying where it was cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def note_label(note: Note, titles: Mapping[str, str]) -> str:
    """Two lines for the list: the note's first line, then where it is anchored and its tags."""
    first = note.title or "(empty note)"
    where = []
    for a in note.anchors:
        if a.whole_document:
            where.append(f"on “{shortened(titles.get(a.doc_id, a.doc_id), 40)}”")
        else:
            quote = shortened(a.quote, 50)
            where.append(("⚠ gone: " if a.orphaned else "") + f"“{quote}”")
    second = "  ·  ".join([*where, " ".join(f"#{t}" for t in note.tags)] if note.tags else where)
    return f"{first}\n{second}" if second else first


class NotesPanel(QWidget):
    """The Notes dock's widget (built by :class:`~.notes_controller.NotesController`)."""

    openRequested = Signal(str)  # a document to open, to show a note's passage
    revealRequested = Signal()  # show the dock

    def __init__(
        self,
        ctx: WindowContext,
        titles: Callable[[], Mapping[str, str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("notesPanel")
        self.ctx = ctx
        self.lib = ctx.lib
        self._titles = titles
        self.current: Note | None = None
        self.deleted_stack: list[int] = []
        self.notes: list[Note] = []
        self.available = True
        self._pending: dict[int, tuple[str, list[str]]] = {}
        self._save_lock = threading.Lock()  # a save pops and writes as one step, in order
        self._loading = False
        self._jump_after_open: Anchor | None = None
        # Whose words an anchored passage is ("the words of Li Zhanshu", or ""): set by
        # the controller, from lib.notes.speaker.
        self.whose: Callable[[Anchor], str] = lambda _anchor: ""

        self.scope = QComboBox()
        self.scope.setObjectName("notesScope")
        self.scope.addItem("This document or pair", SCOPE_CURRENT)
        self.scope.addItem("All notes", SCOPE_ALL)
        self.scope.addItem("Deleted (kept 30 days)", SCOPE_DELETED)
        self.tag_filter = QComboBox()
        self.tag_filter.setObjectName("notesTagFilter")
        self.filter = FilterField("notesFilter", "Filter notes…")
        self.caption = QLabel()
        self.caption.setObjectName("notesCaption")
        self.caption.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("notesList")
        self.filter.list = self.list
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

    def context(self) -> tuple[str | None, tuple[str, str] | None]:
        """The current document, or the current pair in compare mode."""
        left, right = self.ctx.readers.documents()
        if self.ctx.readers.compare_mode and left is not None and right is not None:
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
        for pane in (self.ctx.readers.left, self.ctx.readers.right):
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
                whose = self.whose(a)
                parts.append(f"“{a.quote}” — {title}" + (f" · {whose}" if whose else ""))
        return "\n".join(parts) or "A note of its own (no document)."

    def show_anchors(self) -> None:
        """Say again where the current note is anchored (whose words it is may be known now)."""
        if self.current is not None:
            self.anchor_label.setText(self._describe(self.current))

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
        self.ctx.tasks.run(
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

    def _failed(self, exc: BaseException) -> None:
        # The text stays in the editor and is retried with the next keystroke or close.
        self.status.setText(f"Not saved: {self.ctx.errors.describe(exc)}")

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj in (self.body, self.tags) and event.type() == QEvent.Type.FocusOut:
            self.queue_save()
        return super().eventFilter(obj, event)

    # ------------------------------------------------------------ commands

    def new_note(self) -> Note | None:
        """Ctrl+N: a note on the selection(s), else on the document, else on its own."""
        if not self.available:
            return None
        self.save_now()
        compare = self.ctx.readers
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
            self.ctx.show_status(f"No note made: {exc}", 8000)
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
        # Undoable at once: a restore queued on the one write thread runs after the delete.
        self.deleted_stack.append(note_id)

        def failed(exc: BaseException) -> None:
            if note_id in self.deleted_stack:
                self.deleted_stack.remove(note_id)
            self._failed(exc)

        self.ctx.tasks.run(
            lambda: self.lib.notes.delete(note_id).value,
            lambda _n: self._after_delete(row),
            failed,
            label="Deleting note",
            write=True,
        )

    def _after_delete(self, row: int) -> None:
        # The change signal, queued before this result, has refreshed the list already.
        if self.list.count():
            self.list.setCurrentRow(min(row, self.list.count() - 1))
        self.ctx.show_status("Note deleted — Ctrl+Z in the notes list brings it back.", 8000)

    def undo_delete(self) -> None:
        """Ctrl+Z: restore the note deleted last."""
        if not self.deleted_stack:
            return
        note_id = self.deleted_stack.pop()
        self.ctx.tasks.run(
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
        self.ctx.tasks.run(
            lambda: self.lib.notes.restore(note_id).value,
            self._after_restore,
            self._failed,
            label="Restoring note",
            write=True,
        )

    def _after_restore(self, note: Note) -> None:
        self.select(note.id)  # the change signal has put it back in the list
        self.ctx.show_status("Note restored.", 5000)

    def _reveal(self) -> None:
        self.revealRequested.emit()

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
        compare = self.ctx.readers
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
            self.openRequested.emit(missing[0].doc_id)

    @staticmethod
    def _flash(view: ReaderView, a: Anchor) -> None:
        if a.whole_document:
            view.scroll_to_offset(0, 0.0)
            return
        view.scroll_to_offset(a.start)
        view.flash(a.start, a.end)

    def on_document_opened(self, side: str, doc: Document) -> None:
        pending = self._jump_after_open
        self.refresh()
        if pending is not None and pending.doc_id == doc.id:
            self._jump_after_open = None
            self._flash(self.ctx.readers.pane(side).view, pending)

    def on_mark_clicked(self, note_id: object) -> None:
        """A click on a marked passage selects its note."""
        self._reveal()
        self.select(int(note_id))  # type: ignore[call-overload]
