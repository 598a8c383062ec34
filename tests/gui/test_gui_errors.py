"""No traceback reaches the user from the app: an unexpected error, in a background task,
in the callback that receives its result, or in any other slot, is written with its
traceback to logs/errors.log in the data directory, and the status bar says so in one line."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer

from workbench.core.errors import UserError
from workbench.gui.errors import install_excepthook
from workbench.gui.main_window import MainWindow

from .support import WAIT_MS

pytestmark = pytest.mark.gui


def error_log(window: MainWindow) -> Path:
    return Path(window.lib.root) / "logs" / "errors.log"


def wait_for_line(qtbot, window: MainWindow, text: str) -> str:
    qtbot.waitUntil(lambda: text in window.statusBar().currentMessage(), timeout=WAIT_MS)
    line = window.statusBar().currentMessage()
    assert "\n" not in line and "Traceback" not in line
    return line


def test_an_unexpected_error_in_a_task_is_logged_and_shown_in_one_line(
    qtbot, window: MainWindow
) -> None:
    def count_the_words() -> int:
        raise KeyError("a bug in a worker")

    window.tasks.run(count_the_words, label="Counting")
    line = wait_for_line(qtbot, window, "errors.log")
    assert line.startswith("Unexpected error (KeyError") and str(error_log(window)) in line
    logged = error_log(window).read_text("utf-8")
    assert "Traceback" in logged and "count_the_words" in logged and "a bug in a worker" in logged


def test_an_error_in_the_callback_that_gets_a_result_is_logged_too(
    qtbot, window: MainWindow
) -> None:
    def show(result: int) -> None:
        raise ValueError(f"cannot show {result}")

    window.tasks.run(lambda: 42, show, label="Answering")
    wait_for_line(qtbot, window, "errors.log")
    logged = error_log(window).read_text("utf-8")
    assert "cannot show 42" in logged and "in show" in logged


def test_an_error_in_any_other_slot_reaches_the_log_through_the_excepthook(
    qtbot, window: MainWindow
) -> None:
    def on_timer() -> None:
        raise ZeroDivisionError("a slot divided by zero")

    restore = install_excepthook(window.errors)
    try:
        QTimer.singleShot(0, on_timer)
        wait_for_line(qtbot, window, "ZeroDivisionError")
    finally:
        restore()
    logged = error_log(window).read_text("utf-8")
    assert "a slot divided by zero" in logged and "on_timer" in logged


def test_an_error_the_engine_foresaw_is_its_own_line_and_not_logged(
    qtbot, window: MainWindow
) -> None:
    def refuse() -> None:
        raise UserError("the selection is outside the document")

    window.tasks.run(refuse, label="Refusing")
    wait_for_line(qtbot, window, "the selection is outside the document")
    assert not error_log(window).exists()


def test_a_search_that_fails_unexpectedly_says_so_in_the_results(
    qtbot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_search(query: str, limit: int = 20):
        raise RuntimeError("the index reader broke")

    monkeypatch.setattr(window.lib, "search", broken_search)
    with qtbot.waitSignal(window.search.searchFinished, timeout=WAIT_MS) as blocker:
        window.search.search_for("Putin")
    assert blocker.args == [None]
    message = window.results.count_label.text()
    assert "RuntimeError" in message and "errors.log" in message and "\n" not in message
    assert "the index reader broke" in error_log(window).read_text("utf-8")


def test_a_search_that_finds_the_index_damaged_says_so_and_rebuilds_it(
    qtbot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    searcher = window.lib._searcher
    real_search = searcher.search

    def damaged_block(*args: object, **kwargs: object) -> object:
        monkeypatch.setattr(searcher, "search", real_search)  # damaged once, as a file is
        raise struct.error("Block tag error")  # what Whoosh raises on garbled postings

    monkeypatch.setattr(searcher, "search", damaged_block)
    with qtbot.waitSignal(window.documents.importFinished, timeout=WAIT_MS) as rebuilt:
        window.search.search_for("Putin")
        line = wait_for_line(qtbot, window, "damaged")
        assert "rebuilt from your files" in line
        message = window.results.count_label.text()
        assert "damaged" in message and "\n" not in message and "errors.log" not in message
    assert rebuilt.args[0] is not None and len(rebuilt.args[0].added) == 5
    qtbot.waitUntil(
        lambda: window.search.last_results is not None and window.search.last_results.total > 0,
        timeout=WAIT_MS,
    )
    assert not error_log(window).exists()
