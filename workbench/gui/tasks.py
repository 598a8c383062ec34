"""Background work for the window: one helper that runs a function on a thread pool.

The function runs on a worker thread and never touches a widget. Its result, its error
and its progress come back to the UI thread by Qt signal (queued, because the signal
object lives in the UI thread), and a :class:`TaskHandle` lets the UI cancel it.

An error in the function, or in the callback that receives its outcome, goes to the
runner's :class:`~.errors.ErrorReporter` unless the caller handles it: nothing a task
does can put a traceback in front of the user.

There are two pools, as in Picard: ``read`` (searches, opening documents, alignment)
and ``write``, a single thread for everything that writes the index or the user's
database, so two writers never race for Whoosh's lock or SQLite's.

:class:`ProgressIndicator` is the status-bar progress bar with a Cancel button; like
Anki's progress dialog it only appears after ~600 ms so that fast work does not flash.
"""

from __future__ import annotations

import inspect
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QToolButton, QWidget

from . import icons
from .errors import ErrorReporter

SHOW_PROGRESS_AFTER_MS = 600
# Progress signals are throttled: a 2,000-file import must not queue 2,000 repaints.
PROGRESS_INTERVAL_S = 0.05


class TaskSignals(QObject):
    """Signals of one task; created in the UI thread so slots run there."""

    progress = Signal(int, int)
    result = Signal(object)
    error = Signal(object)
    finished = Signal()


class TaskHandle:
    """What the UI keeps of a running task: its signals, a label and cancel()."""

    def __init__(self, label: str, show_progress: bool = False) -> None:
        self.label = label
        self.show_progress = show_progress
        self.signals = TaskSignals()
        self._cancelled = threading.Event()
        self.done = False
        self.watched = False  # the progress indicator listens to its progress already

    def cancel(self) -> None:
        """Ask the task to stop; the function sees it through its ``cancel()`` callable."""
        self._cancelled.set()

    def is_cancelled(self) -> bool:
        return self._cancelled.is_set()


class _Runnable(QRunnable):
    def __init__(self, fn: Callable[..., Any], handle: TaskHandle, kwargs: dict[str, Any]) -> None:
        super().__init__()
        self.fn = fn
        self.handle = handle
        self.kwargs = kwargs
        self._last_progress = 0.0

    def _progress(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done >= total or now - self._last_progress >= PROGRESS_INTERVAL_S:
            self._last_progress = now
            self.handle.signals.progress.emit(int(done), int(total))

    def run(self) -> None:
        signals = self.handle.signals
        try:
            kwargs = dict(self.kwargs)
            params = _parameters(self.fn)
            if "progress" in params:
                kwargs.setdefault("progress", self._progress)
            if "cancel" in params:
                kwargs.setdefault("cancel", self.handle.is_cancelled)
            result = self.fn(**kwargs)
        except Exception as exc:  # delivered to the UI (with its __traceback__), one line shown
            signals.error.emit(exc)
        else:
            signals.result.emit(result)
        finally:
            signals.finished.emit()


def _parameters(fn: Callable[..., Any]) -> set[str]:
    try:
        return set(inspect.signature(fn).parameters)
    except (TypeError, ValueError):
        return set()


class TaskRunner(QObject):
    """Owns the pools and every running task; :meth:`shutdown` cancels and waits for all."""

    started = Signal(object)  # TaskHandle
    ended = Signal(object)

    def __init__(self, errors: ErrorReporter, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.errors = errors
        self.read_pool = QThreadPool(self)
        self.read_pool.setMaxThreadCount(3)
        self.write_pool = QThreadPool(self)
        self.write_pool.setMaxThreadCount(1)
        self._running: set[TaskHandle] = set()
        self.closed = False

    def run(
        self,
        fn: Callable[..., Any],
        on_result: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[int, int], None] | None = None,
        *,
        label: str = "",
        write: bool = False,
        show_progress: bool = False,
        **kwargs: Any,
    ) -> TaskHandle:
        """Run ``fn(**kwargs)`` in the background and deliver its outcome by signal.

        ``fn`` gets ``progress`` and ``cancel`` callables if it has parameters of those
        names. ``write=True`` queues it on the single-thread write pool. With
        ``show_progress`` the status-bar indicator follows it. Without ``on_error`` an
        error goes to the error reporter, as does an error raised by a callback.
        """
        handle = TaskHandle(label, show_progress)
        if self.closed:  # a change arriving while the window closes starts nothing
            handle.done = True
            return handle
        sig = handle.signals
        if on_result:
            sig.result.connect(self._guarded(on_result))
        sig.error.connect(self._guarded(on_error or self.errors.report))
        if on_progress:
            sig.progress.connect(self._guarded(on_progress))
        sig.finished.connect(lambda: self._finish(handle))
        self._running.add(handle)
        (self.write_pool if write else self.read_pool).start(_Runnable(fn, handle, kwargs))
        self.started.emit(handle)
        return handle

    def _guarded(self, callback: Callable[..., None]) -> Callable[..., None]:
        """``callback`` as a slot: skipped once the window closed, its errors reported."""

        def slot(*args: Any) -> None:
            if self.closed:
                return
            try:
                callback(*args)
            except Exception as exc:
                self.errors.report(exc)

        return slot

    def _finish(self, handle: TaskHandle) -> None:
        handle.done = True
        self._running.discard(handle)
        if not self.closed:
            self.ended.emit(handle)

    def active_count(self) -> int:
        return self.read_pool.activeThreadCount() + self.write_pool.activeThreadCount()

    def running(self) -> list[TaskHandle]:
        return [h for h in self._running if not h.done]

    def shutdown(self, timeout_ms: int = 30000) -> None:
        """Cancel every task and wait for the workers, so no thread outlives the window."""
        for handle in list(self._running):
            handle.cancel()
        self.read_pool.waitForDone(timeout_ms)
        self.write_pool.waitForDone(timeout_ms)
        self.closed = True


class ProgressIndicator(QWidget):
    """Status-bar progress bar with Cancel, shown ~600 ms after a long task starts."""

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setMaximumWidth(220)
        self.bar.setTextVisible(True)
        self.cancel_button = QToolButton()
        self.cancel_button.setIcon(icons.icon("cancel"))
        self.cancel_button.setText("Cancel")
        self.cancel_button.setToolTip("Cancel (the work done so far is kept)")
        self.cancel_button.setAutoRaise(True)
        self.cancel_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.cancel_button.clicked.connect(self.cancel_current)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.label)
        lay.addWidget(self.bar)
        lay.addWidget(self.cancel_button)
        self.hide()
        self._current: TaskHandle | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SHOW_PROGRESS_AFTER_MS)
        self._timer.timeout.connect(self._reveal)
        runner.started.connect(self._on_started)
        runner.ended.connect(self._on_ended)

    @Slot(object)
    def _on_started(self, handle: TaskHandle) -> None:
        if not handle.show_progress:
            return
        self._current = handle
        self.label.setText(handle.label)
        self.bar.setRange(0, 0)
        if not handle.watched:
            handle.watched = True
            handle.signals.progress.connect(lambda d, t, h=handle: self._on_progress(h, d, t))
        self._timer.start()

    def _on_progress(self, handle: TaskHandle, done: int, total: int) -> None:
        if handle is not self._current:
            return
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        self.bar.setFormat(f"{done:,} of {total:,}")

    @Slot(object)
    def _on_ended(self, handle: TaskHandle) -> None:
        if handle is not self._current:
            return
        others = [h for h in self.runner.running() if h.show_progress]
        if others:
            self._on_started(others[-1])
            return
        self._current = None
        self._timer.stop()
        self.hide()

    def _reveal(self) -> None:
        if self._current is not None and not self._current.done:
            self.show()

    def cancel_current(self) -> None:
        """Cancel the task whose progress is shown."""
        if self._current is not None:
            self._current.cancel()
            self.label.setText(self._current.label + " — cancelling…")
