"""The Notes dock driven from the keyboard (pytest-qt, offscreen): Ctrl+N on a selection,
autosave, tags, marks in the reader, delete and Ctrl+Z, compare-mode pair notes, search."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor

from workbench.core.library import Library
from workbench.gui.main_window import MainWindow
from workbench.gui.notes_panel import SCOPE_ALL, SCOPE_DELETED, NoteRole

from ..support import CNN_LI_ZHANSHU, CNN_RETELLING_BOL
from .support import WAIT_MS, close_window, make_window

pytestmark = pytest.mark.gui
CTRL = Qt.KeyboardModifier.ControlModifier


def open_window(qtbot, data: Path) -> MainWindow:
    win = make_window(qtbot, data)
    # The document list without start(): no entity extraction to wait for in these tests.
    win.documents.refresh()
    qtbot.waitUntil(lambda: len(win.documents.titles) == 5, timeout=WAIT_MS)
    return win


@pytest.fixture
def data(seeded_library_dir: Path, tmp_path: Path) -> Path:
    dest = tmp_path / "library"
    shutil.copytree(seeded_library_dir, dest)
    return dest


@pytest.fixture
def win(qtbot, data: Path):
    w = open_window(qtbot, data)
    yield w
    close_window(w)


def open_doc(qtbot, win: MainWindow, doc_id: str, beside: bool = False) -> None:
    with qtbot.waitSignal(win.documentOpened, timeout=WAIT_MS):
        win.open_document(doc_id, beside=beside)


def select(view, start: int, end: int) -> None:
    """Select a text range in a reader, as a drag or Shift+arrows would."""
    view.setFocus()
    view.setTextCursor(view.cursor_for(start, end))


# The tag completer's popup is a window; the offscreen platform warns it cannot size it.
@pytest.mark.qt_log_ignore("This plugin does not support")
def test_ctrl_n_on_a_selection_makes_an_anchored_note_that_saves_itself(
    qtbot, win: MainWindow
) -> None:
    panel = win.notes.panel
    open_doc(qtbot, win, CNN_LI_ZHANSHU)
    reader = win.reader
    text = reader.doc.text
    start = text.index("Li Zhanshu")
    end = start + len("Li Zhanshu")
    select(reader, start, end)
    qtbot.keyClick(reader, Qt.Key.Key_N, CTRL)
    qtbot.waitUntil(lambda: panel.body.hasFocus(), timeout=WAIT_MS)
    note = panel.current
    assert note is not None and [(a.doc_id, a.start, a.end, a.quote) for a in note.anchors] == [
        (CNN_LI_ZHANSHU, start, end, "Li Zhanshu")
    ]
    assert (start, end) in reader.layer_ranges("notes")

    qtbot.keyClicks(panel.body, "Xi's closest ally speaks for Beijing")
    # Autosave: no focus change, no close - the text reaches the database by itself.
    qtbot.waitUntil(
        lambda: win.lib.notes.get(note.id).body == "Xi's closest ally speaks for Beijing",
        timeout=WAIT_MS,
    )
    qtbot.waitUntil(
        lambda: panel.list.currentItem().text().startswith("Xi's closest ally"), timeout=WAIT_MS
    )
    qtbot.waitUntil(lambda: panel.status.text() == "Saved", timeout=WAIT_MS)

    # Tags complete from the ones in use; leaving the field saves them.
    win.lib.notes.add("older note", tags=["claims", "china"])
    panel.refresh()
    panel.tags.setFocus()
    qtbot.keyClicks(panel.tags, "cl")
    qtbot.waitUntil(lambda: panel.completer.completionCount() == 1, timeout=WAIT_MS)
    assert panel.completer.currentCompletion() == "claims"
    qtbot.keyClick(panel.tags, Qt.Key.Key_Tab)
    panel.tags.setText(panel.completer.pathFromIndex(panel.completer.currentIndex()) + ", duma")
    panel.tags.textEdited.emit(panel.tags.text())
    panel.list.setFocus()
    qtbot.waitUntil(lambda: win.lib.notes.get(note.id).tags == ["claims", "duma"], timeout=WAIT_MS)


def test_typing_then_closing_at_once_loses_nothing(qtbot, data: Path) -> None:
    win = open_window(qtbot, data)
    open_doc(qtbot, win, CNN_LI_ZHANSHU)
    qtbot.keyClick(win.reader, Qt.Key.Key_N, CTRL)  # no selection: a note on the document
    panel = win.notes.panel
    qtbot.waitUntil(lambda: panel.body.hasFocus(), timeout=WAIT_MS)
    note_id = panel.current.id
    assert panel.current.anchors[0].whole_document
    qtbot.keyClicks(panel.body, "typed just before closing")
    close_window(win)  # before the autosave timer fired
    with Library.open(data) as lib:
        assert lib.notes.get(note_id).body == "typed just before closing"


def test_click_a_mark_selects_its_note_and_enter_on_a_note_jumps_to_its_passage(
    qtbot, win: MainWindow
) -> None:
    panel = win.notes.panel
    doc = win.lib.document(CNN_LI_ZHANSHU)
    first = win.lib.notes.add(
        "about Vladivostok", anchors=[win.lib.notes.anchor_quote(doc.id, "Vladivostok")]
    ).value
    other = win.lib.notes.add(
        "about the Duma", anchors=[win.lib.notes.anchor_quote(doc.id, "State Duma")]
    ).value
    open_doc(qtbot, win, doc.id)
    reader = win.reader
    a = first.anchors[0]
    assert (a.start, a.end) in reader.layer_ranges("notes")
    panel.scope.setCurrentIndex(panel.scope.findData(SCOPE_ALL))
    assert panel.select(other.id) and panel.current.id == other.id

    reader.scroll_to_offset(a.start)
    cur = QTextCursor(reader.document())
    cur.setPosition(reader.position(a.start + 2))
    rect = reader.cursorRect(cur)
    qtbot.mouseClick(
        reader.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(rect.x() + 1, rect.center().y())
    )
    qtbot.waitUntil(
        lambda: panel.current is not None and panel.current.id == first.id, timeout=WAIT_MS
    )

    # From the list: Enter on the note scrolls the reader to the passage and flashes it.
    reader.verticalScrollBar().setValue(0)
    panel.focus()
    panel.select(first.id)
    qtbot.keyClick(panel.list, Qt.Key.Key_Return)
    assert reader.layer_ranges("flash") == [(a.start, a.end)]
    assert reader.is_visible(a.start)


def test_delete_then_ctrl_z_brings_the_note_back(qtbot, win: MainWindow) -> None:
    panel = win.notes.panel
    keep = win.lib.notes.add("keep me").value
    gone = win.lib.notes.add("delete me").value
    qtbot.keyClick(win, Qt.Key.Key_N, CTRL | Qt.KeyboardModifier.ShiftModifier)  # go to notes
    panel.scope.setCurrentIndex(panel.scope.findData(SCOPE_ALL))
    panel.focus()
    assert panel.list.hasFocus()
    assert panel.select(gone.id)
    qtbot.keyClick(panel.list, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: [n.id for n in win.lib.notes.query()] == [keep.id], timeout=WAIT_MS)
    qtbot.waitUntil(lambda: panel.list.count() == 1, timeout=WAIT_MS)
    assert [n.id for n in win.lib.notes.query(deleted=True)] == [gone.id]

    qtbot.keyClick(panel.list, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: len(win.lib.notes.query()) == 2, timeout=WAIT_MS)
    qtbot.waitUntil(
        lambda: panel.current is not None and panel.current.id == gone.id, timeout=WAIT_MS
    )
    assert panel.current.body == "delete me"

    # The deleted view lists a deleted note, read-only, with Restore.
    win.lib.notes.delete(keep.id)
    panel.scope.setCurrentIndex(panel.scope.findData(SCOPE_DELETED))
    assert [panel.list.item(i).data(NoteRole) for i in range(panel.list.count())] == [keep.id]
    panel.list.setCurrentRow(0)
    assert not panel.body.isEnabled() and panel.restore_button.isVisible()


def test_compare_mode_selection_in_each_pane_makes_a_pair_note(qtbot, win: MainWindow) -> None:
    panel = win.notes.panel
    open_doc(qtbot, win, CNN_LI_ZHANSHU)
    open_doc(qtbot, win, CNN_RETELLING_BOL, beside=True)
    assert win.compare.compare_mode
    left, right = win.compare.left.view, win.compare.right.view
    ls = left.doc.text.index("Li Zhanshu")
    rs = right.doc.text.index("Li Zhanshu")
    select(right, rs, rs + 10)
    select(left, ls, ls + 10)
    qtbot.keyClick(left, Qt.Key.Key_N, CTRL)
    qtbot.waitUntil(lambda: panel.body.hasFocus(), timeout=WAIT_MS)
    note = panel.current
    assert {(a.doc_id, a.quote) for a in note.anchors} == {
        (CNN_LI_ZHANSHU, "Li Zhanshu"),
        (CNN_RETELLING_BOL, "Li Zhanshu"),
    }
    assert "this pair" in panel.caption.text()
    assert [panel.list.item(i).data(NoteRole) for i in range(panel.list.count())] == [note.id]
    assert (ls, ls + 10) in left.layer_ranges("notes") and (rs, rs + 10) in right.layer_ranges(
        "notes"
    )
    assert [n.id for n in win.lib.notes.query(pair=(CNN_RETELLING_BOL, CNN_LI_ZHANSHU))] == [
        note.id
    ]


def test_filter_by_text_and_tag(qtbot, win: MainWindow) -> None:
    panel = win.notes.panel
    win.lib.notes.add("Chinese neutrality is a veneer", tags=["china"])
    win.lib.notes.add("Duma statement differs", tags=["duma"])
    win.lib.notes.add("Another Chinese angle", tags=["china", "angle"])
    panel.scope.setCurrentIndex(panel.scope.findData(SCOPE_ALL))
    assert panel.list.count() == 3
    panel.filter.setFocus()
    qtbot.keyClicks(panel.filter, "chinese")
    assert panel.list.count() == 2
    panel.tag_filter.setCurrentIndex(panel.tag_filter.findData("angle"))
    assert panel.list.count() == 1 and panel.list.item(0).text().startswith("Another Chinese angle")
    # Down goes from the filter to the list, on the first note, as Down from the search box
    qtbot.keyClick(panel.filter, Qt.Key.Key_Down)
    assert panel.list.hasFocus() and panel.list.currentRow() == 0


def test_search_box_shows_a_notes_section(qtbot, win: MainWindow) -> None:
    note = win.lib.notes.add(
        "Volodin chaired the Duma meeting",
        anchors=[win.lib.notes.anchor_quote(CNN_LI_ZHANSHU, "Vyacheslav Volodin")],
    ).value
    qtbot.keyClick(win, Qt.Key.Key_K, CTRL)
    qtbot.keyClicks(win.search_box, "volodin")
    section = win.notes.results
    qtbot.waitUntil(lambda: section.isVisible() and section.list.count() == 1, timeout=WAIT_MS)
    assert section.list.item(0).data(NoteRole) == note.id and "Notes" in section.header.text()
    section.list.setFocus()
    section.list.setCurrentRow(0)
    with qtbot.waitSignal(win.documentOpened, timeout=WAIT_MS):
        qtbot.keyClick(section.list, Qt.Key.Key_Return)
    a = note.anchors[0]
    qtbot.waitUntil(lambda: win.reader.layer_ranges("flash") == [(a.start, a.end)], timeout=WAIT_MS)
    assert win.notes.panel.current.id == note.id
    # A query no note matches hides the section.
    win.search_for("zzzznothing")
    qtbot.waitUntil(lambda: not section.isVisible(), timeout=WAIT_MS)


def test_ctrl_n_with_no_document_makes_a_note_of_its_own(qtbot, win: MainWindow) -> None:
    qtbot.keyClick(win, Qt.Key.Key_N, CTRL)
    panel = win.notes.panel
    qtbot.waitUntil(lambda: panel.body.hasFocus(), timeout=WAIT_MS)
    assert panel.current.anchors == []
    qtbot.keyClicks(panel.body, "a thought")
    panel.filter.setFocus()  # focus change saves at once
    qtbot.waitUntil(
        lambda: win.lib.notes.get(panel.current.id).body == "a thought", timeout=WAIT_MS
    )


def test_the_window_starts_on_a_damaged_notes_database_and_notes_work(qtbot, data: Path) -> None:
    from workbench.core import userdb

    garbage = b"a torn write, not a database " * 300
    userdb.db_path(data).write_bytes(garbage)
    win = open_window(qtbot, data)
    try:
        qtbot.waitUntil(lambda: any("damaged" in m for m in win.lib.notices), timeout=WAIT_MS)
        moved = [
            p
            for p in data.glob(f"{userdb.DB_NAME}.corrupt-*")
            if not p.name.endswith(("-wal", "-shm"))
        ]
        assert len(moved) == 1 and moved[0].read_bytes() == garbage
        assert win.notes.panel.available
        qtbot.keyClick(win, Qt.Key.Key_N, CTRL)
        qtbot.waitUntil(lambda: win.notes.panel.body.hasFocus(), timeout=WAIT_MS)
        assert len(win.lib.notes.query()) == 1
    finally:
        close_window(win)
