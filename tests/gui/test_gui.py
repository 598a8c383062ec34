"""The desktop app driven by keyboard, as a person would (pytest-qt, offscreen).

Each test gets its own copy of a seeded library, a real MainWindow and a real
QApplication; background work is awaited with qtbot.waitUntil / waitSignal, never sleep,
and every test checks that no worker thread is left running.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication

from workbench.gui.main_window import MainWindow

from ..support import BBC, CNN_LI_ZHANSHU
from .support import WAIT_MS, close_window, make_window, type_query

pytestmark = pytest.mark.gui


def test_type_query_down_enter_opens_document_with_highlights(qtbot, window: MainWindow) -> None:
    type_query(qtbot, window, "Li Zhanshu")
    results = window.search.last_results
    assert results is not None and results.total >= 1
    assert CNN_LI_ZHANSHU in [h.id for h in results.hits]
    assert f"{results.total} document" in window.results.count_label.text()

    qtbot.keyClick(window.search_box, Qt.Key.Key_Down)
    assert window.results.list.hasFocus()
    first = results.hits[0]
    with qtbot.waitSignal(window.documentOpened, timeout=WAIT_MS):
        qtbot.keyClick(window.results.list, Qt.Key.Key_Return)
    reader = window.reader
    assert reader.doc is not None and reader.doc.id == first.id
    # The highlights are exactly the hit's matches, and they cover the words searched for.
    assert reader.layer_ranges("matches") == first.matches
    words = {reader.text_at(s, e).casefold() for s, e in first.matches}
    assert words <= {"li", "zhanshu", "li zhanshu"} and words
    total = len(first.matches)
    assert window.compare.left.counter.text() == f"1 of {total}"
    assert reader.layer_ranges("current") == [first.matches[0]]

    qtbot.keyClick(window, Qt.Key.Key_F3)
    assert window.compare.left.counter.text() == f"2 of {total}"
    assert reader.layer_ranges("current") == [first.matches[1]]
    assert reader.is_visible(first.matches[1][0])
    qtbot.keyClick(window, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert window.compare.left.counter.text() == f"1 of {total}"

    # Esc always returns to the search box, from the reader too.
    reader.setFocus()
    assert not window.search_box.hasFocus()
    qtbot.keyClick(reader, Qt.Key.Key_Escape)
    assert window.search_box.hasFocus()


def test_slash_and_ctrl_f_focus_search_but_slash_types_in_fields(qtbot, window: MainWindow) -> None:
    window.reader.setFocus()
    qtbot.keyClick(window.reader, Qt.Key.Key_Slash)
    assert window.search_box.hasFocus()
    window.library_panel.table.setFocus()
    qtbot.keyClick(window.library_panel.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search_box.hasFocus()
    # In a text field "/" is a character, not a shortcut.
    window.library_panel.filter.setFocus()
    qtbot.keyClicks(window.library_panel.filter, "a/b")
    assert window.library_panel.filter.text() == "a/b"


def _takes(window: MainWindow, field, key: Qt.Key, modifiers, text: str = "") -> bool:
    """Whether the window's filter takes a key from ``field`` for a window shortcut."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent

    event = QKeyEvent(QEvent.Type.ShortcutOverride, key, modifiers, text)
    return window.keys_first.eventFilter(field, event) and not event.isAccepted()


def test_window_keys_win_over_line_editing_keys_in_text_fields(qtbot, window: MainWindow) -> None:
    # On X11 a QLineEdit keeps Ctrl+E (end of line), Ctrl+K and Ctrl+U for itself; the
    # offscreen platform has no such bindings, so the filter is asked directly here (and
    # the app was looked at in a real X window).
    ctrl = Qt.KeyboardModifier.ControlModifier
    for field in (window.search_box, window.entity_panel.filter, window.library_panel.filter):
        assert _takes(window, field, Qt.Key.Key_E, ctrl)  # go to entities
        assert _takes(window, field, Qt.Key.Key_U, ctrl)  # entity underlines
        assert _takes(window, field, Qt.Key.Key_K, ctrl)  # the search box
        # copying, a typed "/" and a key no action has stay the field's
        assert not _takes(window, field, Qt.Key.Key_C, ctrl)
        assert not _takes(window, field, Qt.Key.Key_Slash, Qt.KeyboardModifier.NoModifier, "/")
        assert not _takes(window, field, Qt.Key.Key_B, ctrl)
    window.search_box.setFocus()
    qtbot.keyClick(window.search_box, Qt.Key.Key_E, ctrl)
    assert window.entity_panel.filter.hasFocus()


def test_bad_query_gives_one_line_and_typing_goes_on(qtbot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.search.searchFinished, timeout=WAIT_MS):
        window.search_box.setFocus()
        qtbot.keyClicks(window.search_box, "NOT")
    assert (
        "NOT" in window.results.count_label.text() or "nothing" in window.results.count_label.text()
    )
    assert window.results.model.rowCount() == 0
    type_query(qtbot, window, "Volodin")
    assert window.results.model.rowCount() >= 1


def test_library_sidebar_filters_and_opens(qtbot, window: MainWindow) -> None:
    panel = window.library_panel
    assert panel.model.rowCount() == 5
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert panel.filter.hasFocus()
    qtbot.keyClicks(panel.filter, "putin")
    titles = [panel.model.index(r, 0).data() for r in range(panel.model.rowCount())]
    assert titles and all("putin" in t.casefold() for t in titles) and len(titles) < 5
    qtbot.keyClick(panel.filter, Qt.Key.Key_Return)
    assert panel.table.hasFocus()
    with qtbot.waitSignal(window.documentOpened, timeout=WAIT_MS):
        qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    assert window.reader.doc is not None and "putin" in window.reader.doc.title.casefold()
    assert f"{window.reader.doc.words:,} words" in window.reader.toPlainText()
    # Down, as from the search box, also goes to the list, on its first row.
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    panel.table.clearSelection()
    panel.table.setCurrentIndex(QModelIndex())
    qtbot.keyClick(panel.filter, Qt.Key.Key_Down)
    assert panel.table.hasFocus() and panel.table.currentIndex().row() == 0


def test_palette_and_shortcut_sheet_come_from_the_registry(qtbot, window: MainWindow) -> None:
    qtbot.keyClick(
        window,
        Qt.Key.Key_P,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    palette = window.command_palette
    qtbot.waitUntil(lambda: palette.edit.hasFocus(), timeout=WAIT_MS)
    assert set(palette.visible_ids()) == set(window.registry.specs)
    qtbot.keyClicks(palette.edit, "lock scr")
    assert palette.visible_ids()[0] == "lock-scroll"
    assert "Ctrl+Shift+L" in palette.proxy.index(0, 0).data()
    assert not window.registry["lock-scroll"].isChecked()
    qtbot.keyClick(palette.edit, Qt.Key.Key_Return)
    assert window.registry["lock-scroll"].isChecked()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=WAIT_MS)

    qtbot.keyClick(window, Qt.Key.Key_F1)
    sheet = window.shortcut_sheet.browser.toPlainText()
    for spec in window.registry.specs.values():
        assert spec.title in sheet
    assert "Ctrl+K" in sheet and "Ctrl+Shift+P" in sheet and "Alt+Down" in sheet
    qtbot.keyClick(window.shortcut_sheet.browser, Qt.Key.Key_Escape)
    qtbot.waitUntil(window.search_box.hasFocus, timeout=WAIT_MS)  # Esc: back to search, always
    # Every action has an icon, a place in a menu, and the menus follow the registry.
    menu_titles = {
        a.text()
        for m in window.menuBar().findChildren(type(window.menuBar().addMenu("x")))
        for a in m.actions()
    }
    assert {s.title for s in window.registry.specs.values()} <= menu_titles
    assert all(not s.qaction.icon().isNull() for s in window.registry.specs.values())
    # Every action has a key of its own.
    keys = [k for s in window.registry.specs.values() for k in s.key_text().split(", ")]
    assert all(s.key_text() for s in window.registry.specs.values()), [
        s.id for s in window.registry.specs.values() if not s.key_text()
    ]
    assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)


def test_layout_and_entity_toggle_are_remembered(qtbot, library_copy: Path) -> None:
    win = make_window(qtbot, library_copy)
    assert win.registry["toggle-entities"].isChecked()
    qtbot.keyClick(win, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
    assert not win.registry["toggle-entities"].isChecked()
    assert not win.reader.entities_visible
    win.library_dock.hide()
    close_window(win)

    again = make_window(qtbot, library_copy)
    assert not again.registry["toggle-entities"].isChecked()
    assert not again.reader.entities_visible
    assert again.library_dock.isHidden()
    assert not again.results_dock.isHidden()
    close_window(again)


def test_first_run_indexes_seeds_in_background_then_hints(qtbot, tmp_path: Path) -> None:
    win = make_window(qtbot, tmp_path / "fresh")
    assert win.lib.is_empty()
    with qtbot.waitSignal(win.documents.importFinished, timeout=WAIT_MS) as blocker:
        win.start()
        # start() returns at once; the window is usable while the seeds are indexed.
        assert win.search_box.hasFocus()
    report = blocker.args[0]
    assert len(report.added) == 5 and not report.skipped
    qtbot.waitUntil(lambda: win.library_panel.model.rowCount() == 5, timeout=WAIT_MS)
    hint = win.reader.toPlainText()
    assert "Five shortcuts" in hint and "Ctrl+Shift+P" in hint and "Ctrl+Enter" in hint
    close_window(win)


def test_import_lists_skipped_files_with_reasons(qtbot, window: MainWindow, tmp_path: Path) -> None:
    folder = tmp_path / "incoming"
    folder.mkdir()
    for f in sorted((BBC / "tech").glob("*.txt"))[:3]:
        shutil.copy(f, folder / f.name)
    (folder / "empty.txt").write_text("")
    (folder / "image.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00binary")
    # The list follows the import by the change signal: wait for both.
    with (
        qtbot.waitSignal(window.documents.listed, timeout=WAIT_MS),
        qtbot.waitSignal(window.documents.importFinished, timeout=WAIT_MS) as blocker,
    ):
        window.documents.import_paths([str(folder)])
    report = blocker.args[0]
    assert len(report.added) == 3
    reasons = {Path(s.path).name: s.reason for s in report.skipped}
    assert set(reasons) == {"empty.txt", "image.html"}
    lst = window.documents.skipped_dialog.findChild(
        type(window.documents.skipped_dialog.children()[-1]), "skippedList"
    )
    shown = [lst.item(i).text() for i in range(lst.count())]
    assert any("empty.txt" in s and reasons["empty.txt"] in s for s in shown)
    assert window.library_panel.model.rowCount() == 8
    window.documents.skipped_dialog.close()


def test_import_can_be_cancelled_and_keeps_what_was_read(qtbot, window: MainWindow) -> None:
    handle = None

    def cancel_on_first_progress(done: int, total: int) -> None:
        if handle is not None:
            handle.cancel()

    with qtbot.waitSignal(window.documents.importFinished, timeout=WAIT_MS) as blocker:
        handle = window.documents.import_paths([str(BBC / "sport")])
        handle.signals.progress.connect(cancel_on_first_progress)
    report = blocker.args[0]
    assert report.cancelled
    n = 5 + len(report.added)  # the list follows by the change signal
    qtbot.waitUntil(lambda: window.library_panel.model.rowCount() == n, timeout=WAIT_MS)
    assert 5 <= window.library_panel.model.rowCount() < 5 + len(list((BBC / "sport").glob("*.txt")))
    assert "cancelled" in window.statusBar().currentMessage()


def test_a_slow_search_never_blocks_typing_and_stale_results_are_dropped(
    qtbot, window: MainWindow
) -> None:
    import threading

    release = threading.Event()
    real_search = window.lib.search
    seen: list[str] = []

    def slow_search(query: str, limit: int = 20):
        seen.append(query)
        if query == "Putin":
            release.wait(10)  # the first query hangs until the test lets it go
        return real_search(query, limit=limit)

    window.lib.search = slow_search  # type: ignore[method-assign]
    window.search_box.setFocus()
    qtbot.keyClicks(window.search_box, "Putin")
    qtbot.waitUntil(lambda: seen == ["Putin"], timeout=WAIT_MS)
    # The search is stuck in the background; the window still takes every keystroke.
    qtbot.keyClicks(window.search_box, " Volodin")
    assert window.search_box.text() == "Putin Volodin"
    with qtbot.waitSignal(
        window.search.searchFinished,
        timeout=WAIT_MS,
        check_params_cb=lambda r: r is not None and r.query == "Putin Volodin",
    ):
        release.set()
    qtbot.waitUntil(lambda: not window.tasks.running(), timeout=WAIT_MS)  # "Putin" finished too
    # Only the latest query's results are shown, whatever order the searches finished in.
    assert window.search.last_results.query == "Putin Volodin"
    assert all(h.id in window.documents.titles for h in window.search.last_results.hits)


def test_reader_offsets_survive_astral_characters_and_serve_the_notes_api(qtbot) -> None:
    from PySide6.QtGui import QTextCursor

    from workbench.core.corpus import Document
    from workbench.gui.reader import ReaderView

    text = "Emoji 😀 before Volodin.\n\nSecond 🇷🇺 paragraph names Li Zhanshu here."
    doc = Document(id="x", title="Astral", path="/tmp/x.txt", text=text, sha="", words=10)
    view = ReaderView()
    qtbot.addWidget(view)
    view.resize(700, 400)
    view.show()
    view.set_document(doc)
    spans = [
        (text.index("Volodin"), text.index("Volodin") + 7),
        (text.index("Li Zhanshu"), text.index("Li Zhanshu") + 10),
    ]
    view.set_matches(spans)
    assert [view.text_at(s, e) for s, e in spans] == ["Volodin", "Li Zhanshu"]
    assert view.layer_ranges("matches") == spans
    # A selection made in the widget comes back as offsets into Document.text.
    cur = view.cursor_for(*spans[1])
    view.setTextCursor(cur)
    assert view.selection_range() == spans[1]
    view.setTextCursor(QTextCursor(view.document()))
    # Marks for notes: painted, and a click on one says which.
    view.mark_ranges([(spans[0][0], spans[0][1], 42)])
    assert view.layer_ranges("notes") == [spans[0]]
    rect = view.cursorRect(view.cursor_for(spans[0][0] + 2, spans[0][0] + 2))
    with qtbot.waitSignal(view.markClicked, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == [42]


def test_progress_bar_appears_for_long_work_and_its_cancel_button_stops_it(
    qtbot, window: MainWindow
) -> None:
    import threading

    started = threading.Event()

    def long_work(progress, cancel) -> str:
        started.set()
        n = 0
        while not cancel():
            n += 1
            progress(n % 100, 100)
            threading.Event().wait(0.01)  # a worker's pace, not the test's
        return "cancelled"

    results: list[str] = []
    handle = window.tasks.run(long_work, results.append, label="Long work", show_progress=True)
    indicator = window.progress
    assert not indicator.isVisible()  # fast work never flashes a bar
    qtbot.waitUntil(indicator.isVisible, timeout=WAIT_MS)
    assert indicator.label.text() == "Long work" and started.is_set()
    qtbot.mouseClick(indicator.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: results == ["cancelled"], timeout=WAIT_MS)
    assert handle.done
    qtbot.waitUntil(lambda: not indicator.isVisible(), timeout=WAIT_MS)


def test_a_query_is_quoted_once_in_messages() -> None:
    from workbench.gui.search_panel import quoted

    assert quoted('"Li Zhanshu"') == "“Li Zhanshu”"  # a phrase query is not quoted twice
    assert quoted("Li Zhanshu") == "“Li Zhanshu”"
    assert quoted('"a" OR "b"') == '“"a" OR "b"”'  # two phrases: the whole query, quoted


def test_first_window_fits_the_screen(qtbot, tmp_path: Path) -> None:
    # 1400 x 880 where there is room; on a smaller screen (the offscreen one is 800 x 800,
    # a laptop 1366 x 768) it takes 95% of it, centred, so nothing is cut off.
    win = make_window(qtbot, tmp_path / "fresh")
    room = win.screen().availableGeometry()
    assert win.width() == min(1400, int(room.width() * 0.95))
    assert win.height() == min(880, int(room.height() * 0.95))
    assert room.contains(win.geometry())
    close_window(win)
