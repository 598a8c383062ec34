"""Errors in the app: one line in the status bar, never a traceback.

An error the engine foresaw (a :class:`~workbench.core.errors.WorkbenchError`) is shown
as its own message. Anything else is a bug: its traceback goes to the error log in the
data directory (:mod:`workbench.core.errorlog`, which the command line uses too) and the
user reads one line naming the log. Errors reach the reporter from background tasks
(:mod:`.tasks`), from the callbacks that receive their results, and, through
:func:`install_excepthook`, from any other slot or thread.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Signal

from workbench.core import errorlog
from workbench.core.errors import WorkbenchError
from workbench.core.files import cannot_write
from workbench.core.index import IndexDamaged

STATUS_MS = 15000


class ErrorReporter(QObject):
    """Turns an exception into the one line the user reads (``message``)."""

    message = Signal(str)  # the line to show
    unexpected = Signal(str)  # the line of an error that was logged (a bug)
    indexDamaged = Signal(str)  # a search found the index damaged: it must be rebuilt

    def __init__(self, data_dir: Path | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.data_dir = data_dir

    def describe(self, exc: BaseException) -> str:
        """The line to show; an unexpected error is logged with its traceback first."""
        if isinstance(exc, IndexDamaged):  # recreated empty by the engine, to be refilled
            self.indexDamaged.emit(str(exc))
        if isinstance(exc, WorkbenchError):
            return str(exc).split("\n", 1)[0]
        refused = cannot_write(exc)  # a full disk, a read-only folder: not a bug
        if refused is not None:
            return str(refused)
        line = errorlog.unexpected(exc, self.data_dir)
        line = line[:1].upper() + line[1:]
        self.unexpected.emit(line)
        return line

    def report(self, exc: BaseException) -> None:
        """Describe ``exc`` and emit the line (thread-safe: the signal is queued)."""
        self.message.emit(self.describe(exc))


def install_excepthook(reporter: ErrorReporter) -> Callable[[], None]:
    """Send every uncaught exception (a slot, a thread) to ``reporter``; returns the undo.

    Qt calls ``sys.excepthook`` for an exception that escapes a slot or an event
    handler; without this hook Python prints the traceback to the terminal.
    """
    old_hook, old_thread_hook = sys.excepthook, threading.excepthook

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if not isinstance(exc, Exception):  # Ctrl+C in a terminal, SystemExit: as usual
            old_hook(kind, exc, tb)
            return
        reporter.report(exc.with_traceback(tb))

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None or not isinstance(args.exc_value, Exception):
            old_thread_hook(args)
            return
        reporter.report(args.exc_value)

    sys.excepthook, threading.excepthook = hook, thread_hook

    def restore() -> None:
        sys.excepthook, threading.excepthook = old_hook, old_thread_hook

    return restore
