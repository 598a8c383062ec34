"""Helpers shared by the GUI tests: open a window as the app does, close it, type a query."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from workbench.core.library import Library
from workbench.gui.app import configure_application
from workbench.gui.main_window import MainWindow

WAIT_MS = 15000


def make_window(qtbot, data_dir: Path) -> MainWindow:
    """A shown, active window over the library in ``data_dir``, started like the app does."""
    configure_application(QApplication.instance())
    lib = Library.open(data_dir)
    window = MainWindow(lib)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=WAIT_MS)
    return window


def started_window(qtbot, data_dir: Path) -> MainWindow:
    """:func:`make_window`, started as the app starts it, once its five seeds are listed."""
    window = make_window(qtbot, data_dir)
    window.start()
    qtbot.waitUntil(lambda: len(window.documents.titles) == 5, timeout=WAIT_MS)
    return window


def close_window(window: MainWindow) -> None:
    """Close like the user does and check that no background thread outlives the window."""
    window.close()
    assert window.tasks.active_count() == 0
    window.lib.close()


def type_query(qtbot, window: MainWindow, text: str) -> None:
    """Ctrl+K, type the query, wait for its results to arrive."""
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert window.search_box.hasFocus()
    with qtbot.waitSignal(
        window.search.searchFinished,
        timeout=WAIT_MS,
        check_params_cb=lambda r: r is not None and r.query == text,
    ):
        qtbot.keyClicks(window.search_box, text)
