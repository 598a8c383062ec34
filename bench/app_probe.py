"""Start the app on a library as ``workbench`` does, and report how soon it is usable.

    QT_QPA_PLATFORM=offscreen python bench/app_probe.py DATA_DIR

Prints one JSON line: seconds from the start of this process to the main window's first
paint (``shown``) and to the library list's first page (``listed``), the longest
event-loop stall in the ``idle`` seconds after that, and the resident memory then. Used
by bench_scale.py, one process per measurement.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import json  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QElapsedTimer, QEvent, QObject, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget  # noqa: E402


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main() -> int:
    data_dir, idle = sys.argv[1], float(sys.argv[2]) if len(sys.argv) > 2 else 3.0
    QApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )
    app = QApplication(sys.argv[:1])
    from workbench.core.library import Library
    from workbench.gui.app import configure_application
    from workbench.gui.main_window import MainWindow

    configure_application(app)
    report: dict[str, float] = {}

    class FirstPaint(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if (
                "shown" not in report
                and event.type() == QEvent.Type.Paint
                and isinstance(obj, QWidget)
                and isinstance(obj.window(), QMainWindow)
            ):
                report["shown"] = time.perf_counter() - STARTED
            return False

    painted = FirstPaint(app)
    app.installEventFilter(painted)
    lib = Library.open(data_dir)
    window = MainWindow(lib)
    gaps: list[float] = []
    clock = QElapsedTimer()
    tick = QTimer()
    tick.setInterval(10)

    def on_tick() -> None:
        gaps.append(clock.restart())

    def listed() -> None:
        if "listed" in report:
            return
        report["listed"] = time.perf_counter() - STARTED
        clock.start()
        tick.start()
        QTimer.singleShot(int(idle * 1000), finish)

    def finish() -> None:
        tick.stop()
        report["idle_worst_ms"] = max(gaps, default=0.0)
        report["rss_mb"] = rss_mb()
        print(json.dumps(report), flush=True)
        window.close()
        app.quit()

    tick.timeout.connect(on_tick)
    window.documents.listed.connect(listed)
    window.show()
    window.start()
    app.exec()
    lib.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
