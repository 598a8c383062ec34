"""GUI test fixtures: a started window over a private copy of the entity library, and a
check (as napari's) that no test leaves a Qt thread running behind it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QThread, QThreadPool


@pytest.fixture(autouse=True)
def no_dangling_threads(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fail a test that leaves a QThread or a thread-pool task running when it ends."""
    started: list[QThread] = []
    original = QThread.start

    def start(self: QThread, *args: object) -> None:
        started.append(self)
        original(self, *args)

    monkeypatch.setattr(QThread, "start", start)
    yield
    running = [t for t in started if t.isRunning()]
    pool = QThreadPool.globalInstance()
    pool.waitForDone(2000)
    assert not running, f"{len(running)} QThread(s) still running after the test"
    assert pool.activeThreadCount() == 0, "the global thread pool still runs a task after the test"


@pytest.fixture
def window(qtbot, library_copy: Path):
    """A started window over a private copy of the entity library; closed (no thread left) after."""
    from .support import close_window, started_window

    win = started_window(qtbot, library_copy)
    yield win
    close_window(win)
