"""How responsive the window stays while the BBC corpus (2,095 articles) is imported through it.

A 10 ms QTimer runs on the UI thread for the whole import; the gap between two ticks
beyond the interval is time the event loop could not run (a frozen window). While the
import runs, a query is typed into the search box key by key every 250 ms, so searching
under load is measured too. After the import, entity extraction starts in the background
and is measured for a few seconds more, then cancelled.

Prints the worst gap, the 99th percentile and how many gaps exceeded 100 ms (the target
is none). Run: QT_QPA_PLATFORM=offscreen python bench/bench_gui_responsiveness.py
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from workbench.core.library import Library
from workbench.gui.app import configure_application
from workbench.gui.main_window import MainWindow

BBC = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "bbc-news"
TICK_MS = 10


class GapMeter:
    """Records how late each tick of a fast timer fires."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.clock = QElapsedTimer()
        self.gaps: list[float] = []
        self.phase_gaps: dict[str, list[float]] = {}
        self.phase = "startup"

    def start(self) -> None:
        self.clock.start()
        self.timer.start()

    def _tick(self) -> None:
        elapsed = self.clock.nsecsElapsed() / 1e6
        self.clock.restart()
        gap = max(0.0, elapsed - TICK_MS)
        self.gaps.append(gap)
        self.phase_gaps.setdefault(self.phase, []).append(gap)


def summary(gaps: list[float]) -> str:
    if not gaps:
        return "no samples"
    q = statistics.quantiles(gaps, n=100)[98] if len(gaps) > 100 else max(gaps)
    over = sum(g > 100 for g in gaps)
    return f"worst {max(gaps):6.1f} ms · p99 {q:5.1f} ms · >100 ms: {over} · samples {len(gaps)}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", default=str(BBC))
    parser.add_argument(
        "--extract-seconds",
        type=float,
        default=8.0,
        help="how long to keep measuring while entities are extracted",
    )
    args = parser.parse_args()

    sys.setswitchinterval(0.001)  # as workbench.gui.app.main does
    app = QApplication.instance() or QApplication([])
    configure_application(app)
    data = Path(tempfile.mkdtemp(prefix="wb-bench-gui-"))
    lib = Library.open(data)
    window = MainWindow(lib)
    window.show()
    meter = GapMeter()
    meter.start()
    started = time.perf_counter()
    query = iter("tony blair election")
    state: dict[str, object] = {}

    def type_next_key() -> None:
        ch = next(query, None)
        if ch is None:
            typer.stop()
            return
        QTest.keyClicks(window.search_box, ch)

    typer = QTimer()
    typer.setInterval(250)
    typer.timeout.connect(type_next_key)

    def begin_import() -> None:
        window.documents.importFinished.disconnect(begin_import)
        meter.phase = "import"
        state["import_start"] = time.perf_counter()
        window.documents.importFinished.connect(import_done)
        window.focus_search()
        typer.start()
        window.documents.import_paths([args.corpus])

    def import_done(report) -> None:
        state["import_seconds"] = time.perf_counter() - state["import_start"]
        state["report"] = report
        meter.phase = "extraction"
        QTimer.singleShot(int(args.extract_seconds * 1000), finish)

    def finish() -> None:
        meter.timer.stop()
        typer.stop()
        window.close()  # cancels extraction and waits for the workers
        app.quit()

    window.documents.importFinished.connect(begin_import)
    window.start()  # first run: the seeds are indexed, then begin_import runs
    app.exec()
    lib.close()

    report = state.get("report")
    print(f"Workbench GUI responsiveness (tick {TICK_MS} ms), corpus {args.corpus}")
    if report is not None:
        print(f"  import: {report.summary()} in {state['import_seconds']:.1f} s")
    results = window.search.last_results
    if results is not None:
        print(f"  typed query '{results.query}' while importing: {results.total} documents")
    for phase, gaps in meter.phase_gaps.items():
        print(f"  {phase:<10} {summary(gaps)}")
    print(f"  overall    {summary(meter.gaps)}")
    print(f"  total {time.perf_counter() - started:.1f} s; data dir {data}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
