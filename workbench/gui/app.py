"""Starting the desktop app: QApplication, name, icon, stylesheet, the Library and the window.

``workbench`` with no arguments calls :func:`main`. The Library is opened here (not in
the window) so that the window can be built around any Library, as the tests do.

No traceback reaches the user: while the window runs, every uncaught exception goes to
the window's error reporter (logged with its traceback, one line in the status bar),
and an error before the window exists is logged and shown in one line in a message box.
"""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QMessageBox

from workbench import __version__
from workbench.core import errorlog
from workbench.core.errors import WorkbenchError
from workbench.core.library import Library
from workbench.core.paths import resources_dir

from . import icons
from .errors import STATUS_MS, install_excepthook

APP_NAME = "Workbench"


class NoticeBridge(QObject):
    """Library notices may come from worker threads; a signal carries them to the UI thread."""

    notice = Signal(str)


def configure_application(app: QApplication) -> None:
    """Name, icon and stylesheet; idempotent so tests can call it on pytest-qt's app."""
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("workbench")
    app.setWindowIcon(icons.app_icon())
    qss = resources_dir() / "workbench.qss"
    if qss.exists():
        app.setStyleSheet(qss.read_text("utf-8"))


def main(data_dir: str | os.PathLike[str] | None = None) -> int:
    """Open the library in ``data_dir`` (or the default) and run the window until it closes."""
    from .main_window import MainWindow

    # Workers (indexing, NER) run Python too; with the default 5 ms switch interval every
    # UI callback into Python can wait that long for the GIL, and a repaint makes hundreds.
    sys.setswitchinterval(0.001)
    app = QApplication.instance()
    if app is None:
        # Only allowed before the application object exists (else Qt warns).
        QApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
        )
        app = QApplication(sys.argv[:1])
    configure_application(app)  # type: ignore[arg-type]
    bridge = NoticeBridge()
    try:
        lib = Library.open(data_dir, on_notice=bridge.notice.emit)
    except WorkbenchError as exc:
        QMessageBox.critical(None, APP_NAME, str(exc))
        return exc.exit_code
    try:
        window = MainWindow(lib)
    except Exception as exc:
        QMessageBox.critical(None, APP_NAME, errorlog.unexpected(exc, lib.root))
        lib.close()
        return 1
    restore_hook = install_excepthook(window.errors)
    try:
        bridge.notice.connect(lambda m: window.statusBar().showMessage(m, STATUS_MS))
        for message in lib.notices:
            window.statusBar().showMessage(message, STATUS_MS)
        window.show()
        # Without a window manager (kiosk, Xvfb) nobody activates the window, and Qt then
        # ignores every window shortcut (F3, Alt+Down, Ctrl+\); ask for activation ourselves.
        window.raise_()
        window.activateWindow()
        window.start()
        code = app.exec()
        window.shutdown()
        return int(code)
    finally:
        restore_hook()
        lib.close()
