"""Entry point of the packaged app (the script PyInstaller freezes into ``Workbench``).

    Workbench                     the desktop app
    Workbench --self-test OUTDIR  runs :mod:`workbench.selftest` (offscreen) and exits 0/1
    Workbench ARGS...             the command line, exactly as ``workbench ARGS...``

It also runs unfrozen (``python packaging/launcher.py ...``), which is how the tests
exercise it.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Sequence

SELF_TEST = "--self-test"
# For bench/bench_startup.py: end the process the moment the main window has painted,
# so that the whole-process time measured from outside is the time to a shown window.
EXIT_AFTER_SHOWN = "WORKBENCH_EXIT_AFTER_SHOWN"


def _ensure_streams() -> None:
    """A windowed build (Windows, macOS) has no console: print() must not crash there."""
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115


def _exit_once_shown() -> None:
    """Create the QApplication the GUI will reuse, watching for the main window's first paint."""
    from PySide6.QtCore import QEvent, QObject, Qt, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

    # The same policy workbench.gui.app sets; it must precede the QApplication.
    QApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )
    app = QApplication.instance() or QApplication(sys.argv[:1])

    class FirstPaint(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if (
                event.type() == QEvent.Type.Paint
                and isinstance(obj, QWidget)
                and isinstance(obj.window(), QMainWindow)
            ):
                # After this paint is flushed; os._exit skips waiting for background work.
                QTimer.singleShot(0, lambda: os._exit(0))
            return False

    watcher = FirstPaint(app)
    app.installEventFilter(watcher)


def main(argv: Sequence[str] | None = None) -> int:
    """Dispatch to the self-test, the GUI (no arguments) or the CLI."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == [SELF_TEST]:
        from workbench.selftest import main as selftest_main

        return selftest_main(args[1:])
    from workbench.cli import main as cli_main

    if not args and os.environ.get(EXIT_AFTER_SHOWN):
        _exit_once_shown()
    # With no arguments the CLI starts the desktop app (workbench.cli.cmd_gui).
    return cli_main(args)


if __name__ == "__main__":
    # Whoosh builds large indexes with worker processes; a frozen app must let a
    # spawned child (Windows, macOS) run the worker instead of the app again.
    multiprocessing.freeze_support()
    _ensure_streams()
    sys.exit(main())
