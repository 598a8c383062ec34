"""How long the window's event loop stalls for the quotes: marking a reader, the compare
view's Quotes section, stepping through paired quotes, the toggle, a speaker's quotes.

Part 1 drives the real window over the seeds (indexed, entities extracted): it opens
002 and 004 side by side (``lib.quotes`` and ``lib.compare`` run in the background),
steps through the paired quotes, toggles the layer, lists Li Zhanshu's statements. A
10 ms timer on the UI thread measures every gap beyond its interval; the goal is no
gap over 100 ms.

Part 2 times the UI-thread work alone on long texts the seeds do not have: two
book-length texts made of BBC politics articles (MIT licence, read in place) joined
together, 250 articles each with 150 in common, their quotes found by the real
extractor (no NER spans, so speakers are names as written) and paired by
``compare_quotes``: how long marking a reader's quotes and filling the Quotes section
take on the UI thread.

Run: QT_QPA_PLATFORM=offscreen python bench/bench_gui_quotes.py
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from PySide6.QtWidgets import QApplication

from workbench.core.library import Library
from workbench.gui.app import configure_application
from workbench.gui.main_window import MainWindow

BBC = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "bbc-news"
A, B = "002_e261c8b2c0199bff", "004_fd0841c764a90927"
TICK_MS = 10


class GapMeter:
    """Records how late each tick of a fast timer fires, per phase."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.clock = QElapsedTimer()
        self.phases: dict[str, list[float]] = {}
        self.phase = "start"

    def start(self) -> None:
        self.clock.start()
        self.timer.start()

    def _tick(self) -> None:
        gap = max(0.0, self.clock.nsecsElapsed() / 1e6 - TICK_MS)
        self.clock.restart()
        self.phases.setdefault(self.phase, []).append(gap)


def wait(app: QApplication, until: Callable[[], bool], seconds: float = 60.0) -> bool:
    end = time.monotonic() + seconds
    while not until() and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.002)
    return until()


def settle(app: QApplication, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.002)


def window_tour(app: QApplication) -> None:
    data = Path(tempfile.mkdtemp(prefix="bench-gui-quotes-"))
    try:
        with Library.open(data) as lib:
            lib.add_seeds()
            lib.entities.extract()
        lib = Library.open(data)
        window = MainWindow(lib)
        window.show()
        window.start()
        meter = GapMeter()
        meter.start()
        wait(app, lambda: len(window.documents.titles) == 5)
        meter.phase = "open 002, its quotes marked"
        window.open_document(A)
        wait(app, lambda: bool(window.quotes.marks["left"].quotes))
        meter.phase = "open 004 beside, compare, Quotes section"
        window.open_document(B, beside=True)
        wait(app, lambda: window.quotes.section.quotes is not None)
        settle(app, 0.5)
        meter.phase = "next paired quote x20, rows x20"
        for i in range(20):
            window.registry.trigger("next-quote")
            window.quotes.show_row(
                window.quotes.section.rows()[i % len(window.quotes.section.rows())]
            )
            settle(app, 0.03)
        meter.phase = "toggle the layer x10"
        for _ in range(10):
            window.registry.trigger("toggle-quotes")
            settle(app, 0.03)
        meter.phase = "a speaker's statements"
        wait(app, lambda: window.entity_panel.model.rowCount() > 0)
        window.entity_panel.select_keys(["li zhanshu"])
        dialog = window.quotes.show_speaker_quotes()
        assert dialog is not None
        wait(app, lambda: bool(dialog.statements))
        settle(app, 0.3)
        dialog.reject()
        meter.timer.stop()
        print("Part 1: the window over the seeds (gaps of a 10 ms timer, ms)")
        for phase, gaps in meter.phases.items():
            if phase == "start":
                continue
            print(
                f"  {phase:45s} ticks {len(gaps):4d}  median {statistics.median(gaps):5.1f}"
                f"  worst {max(gaps):6.1f}  over 100 ms: {sum(g > 100 for g in gaps)}"
            )
        window.close()
        lib.close()
    finally:
        shutil.rmtree(data, ignore_errors=True)


def long_texts(app: QApplication) -> None:
    from workbench.core.compare.quotes import compare_quotes
    from workbench.core.corpus import Document
    from workbench.core.quotes import extract_quotes
    from workbench.core.quotes.resolve import attribute_quotes
    from workbench.gui.quote_marks import QuoteMarks
    from workbench.gui.quotes_section import QuotesSection
    from workbench.gui.reader import ReaderView

    files = sorted((BBC / "politics").glob("*.txt"))
    if len(files) < 350:
        print("Part 2 skipped: the BBC corpus is not there")
        return

    def joined(chosen: list[Path]) -> str:
        return "\n\n".join(f.read_text(errors="replace") for f in chosen)

    ta, tb = joined(files[:250]), joined(files[100:350])
    qa = attribute_quotes("a", ta, extract_quotes(ta, []), [])
    qb = attribute_quotes("b", tb, extract_quotes(tb, []), [])
    started = time.perf_counter()
    # compare_quotes weighs every pair of quotes; 600 a side keeps this bench short.
    quotes = compare_quotes(qa[:600], qb[:600])
    pairing = time.perf_counter() - started
    print(
        f"Part 2: long texts ({len(ta.split()):,} words, {len(qa):,} quotes; "
        f"{len(tb.split()):,} words, {len(qb):,} quotes)"
    )
    print(
        f"  compare_quotes on 600 x 600 quotes (background): {pairing * 1000:.0f} ms, "
        f"{len(quotes.paired)} paired"
    )

    def timed(label: str, fn: Callable[[], object]) -> None:
        started = time.perf_counter()
        fn()
        call = time.perf_counter() - started
        worst = 0.0
        for _ in range(100):
            started = time.perf_counter()
            app.processEvents()
            worst = max(worst, time.perf_counter() - started)
        print(f"  {label:45s} call {call * 1000:6.1f} ms, then worst pass {worst * 1000:5.1f} ms")

    section = QuotesSection()
    section.resize(300, 700)
    section.show()
    for round_ in (1, 2):
        timed(
            f"Quotes section, {section.list.count() or 'new'} rows (round {round_})",
            lambda: section.populate(quotes),
        )
    view = ReaderView()
    view.resize(800, 900)
    view.show()
    doc = Document(id="a", title="Long", path="", date=None, text=ta, sha="")
    view.set_document(doc)
    marks = QuoteMarks(view)
    timed(f"mark {len(qa):,} quotes in a reader", lambda: marks.set_quotes(qa))
    few = [q for q in qa if q.start < 30_000]
    timed(f"mark {len(few):,} quotes (the first 30,000 characters)", lambda: marks.set_quotes(few))
    timed("hide the layer", lambda: marks.set_visible(False))
    timed("show the layer", lambda: marks.set_visible(True))


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    configure_application(app)
    window_tour(app)
    long_texts(app)
    return 0


if __name__ == "__main__":
    sys.exit(main())
