"""Self-test of the app, made for the packaged one: ``Workbench --self-test [OUTDIR]``.

Runs the main flows on the bundled seeds, offscreen, in a temporary data directory:
index, search, importing one file of each format (HTML, MHTML, PDF, Word, ODT, EPUB;
sockets refused meanwhile), entities, compare, a note saved and read back after reopening the
library, and the main window and the compare view rendered to PNG files in OUTDIR.

Each step prints one line (PASS or FAIL, its time, what it found or why it failed); an
exception or an unexpected result fails that step with one line, and its traceback
goes to ``OUTDIR/selftest-tracebacks.txt``. The last line reads
``selftest: N passed, M failed``; the exit code is 0 only if every step passed.
Nothing is skipped: a feature missing from the build is a failure.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# The seeds the checks rely on (ids are the seed file stems).
CNN_RETELLING_BOL = "002_e261c8b2c0199bff"
CNN_LI_ZHANSHU = "004_fd0841c764a90927"
# The two seed articles that name China's top lawmaker, and nothing else does.
NAMING_LI_ZHANSHU = {CNN_RETELLING_BOL, CNN_LI_ZHANSHU}

GUI_TIMEOUT = 30.0  # seconds a GUI step may wait for background work


class StepFailed(Exception):
    """A step ran but found something other than what it expected; ``str()`` is one line."""


def expect(condition: object, message: str) -> None:
    """Fail the current step with ``message`` unless ``condition`` holds."""
    if not condition:
        raise StepFailed(message)


@dataclass
class StepResult:
    name: str
    ok: bool
    seconds: float
    detail: str

    def line(self) -> str:
        return (
            f"{'PASS' if self.ok else 'FAIL'}  {self.name:<16} {self.seconds:7.2f} s  {self.detail}"
        )


@dataclass
class Context:
    """What the steps share: the output folder, the data folder, one Library, one QApplication."""

    outdir: Path
    data_dir: Path
    lib: Any = None
    app: Any = None
    windows: list[Any] = field(default_factory=list)
    gui_errors: list[str] = field(default_factory=list)  # unexpected errors the window showed

    def library(self) -> Any:
        if self.lib is None:
            from workbench.core.library import Library

            self.lib = Library.open(self.data_dir)
        return self.lib

    def reopen(self) -> Any:
        """Close and reopen the library, as a restart of the app would."""
        self.close_library()
        return self.library()

    def close_library(self) -> None:
        if self.lib is not None:
            self.lib.close()
            self.lib = None

    def qt_app(self) -> Any:
        if self.app is None:
            from PySide6.QtCore import qInstallMessageHandler
            from PySide6.QtWidgets import QApplication

            qInstallMessageHandler(_qt_message)
            self.app = QApplication.instance() or QApplication(
                ["Workbench", "-platform", "offscreen"]
            )
        return self.app


def _qt_message(_kind: Any, _context: Any, message: str) -> None:
    """Qt's messages go to stderr as usual, less one the offscreen platform repeats for
    every window (it cannot propagate size hints) and that says nothing about the app."""
    if "propagateSizeHints" not in message:
        print(f"qt: {message}", file=sys.stderr, flush=True)


Step = Callable[[Context], str]


def one_line(exc: BaseException) -> str:
    """An exception as one line: its type, message and the innermost frame it came from."""
    message = " ".join(str(exc).split()) or "(no message)"
    if isinstance(exc, StepFailed):
        return message
    where = ""
    frames = traceback.extract_tb(exc.__traceback__)
    if frames:
        last = frames[-1]
        where = f" (at {Path(last.filename).name}:{last.lineno} in {last.name})"
    return f"{type(exc).__name__}: {message}{where}"


def run_steps(
    steps: Sequence[tuple[str, Step]],
    ctx: Context,
    emit: Callable[[str], None] = print,
    tracebacks: list[str] | None = None,
) -> list[StepResult]:
    """Run every step (a failure never stops the others) and emit one line for each."""
    results = []
    for name, step in steps:
        started = time.perf_counter()
        try:
            detail = step(ctx)
            ok = True
        except Exception as exc:  # any failure of a step is reported, not raised
            detail, ok = one_line(exc), False
            if tracebacks is not None and not isinstance(exc, StepFailed):
                tracebacks.append(f"--- {name}\n{traceback.format_exc()}")
        result = StepResult(name, ok, time.perf_counter() - started, detail)
        emit(result.line())
        results.append(result)
    return results


# --------------------------------------------------------------------------- engine steps


def step_index(ctx: Context) -> str:
    from workbench.core.paths import seeds_dir

    expected = sorted(
        p.stem for p in seeds_dir().iterdir() if p.is_file() and not p.name.startswith(".")
    )
    expect(expected, f"no seed articles found in {seeds_dir()}")
    lib = ctx.library()
    report = lib.add_seeds()
    expect(not report.skipped, f"seeds skipped: {[s.reason for s in report.skipped]}")
    ids = [d.id for d in lib.documents()]
    expect(ids == expected, f"indexed {ids}, expected the seeds {expected}")
    words = sum(d.words for d in lib.documents())
    return f"{len(ids)} seed articles, {words} words, from {seeds_dir()}"


def step_search(ctx: Context) -> str:
    lib = ctx.library()
    results = lib.search('"Li Zhanshu"')
    ids = {h.id for h in results.hits}
    expect(
        results.total == 2 and ids == NAMING_LI_ZHANSHU,
        f'"Li Zhanshu" found {sorted(ids)} (total {results.total}), expected {sorted(NAMING_LI_ZHANSHU)}',
    )
    for hit in results.hits:
        text = lib.document(hit.id).text
        spans = {" ".join(text[s:e].split()).lower() for s, e in hit.matches}
        expect("li zhanshu" in spans, f"the match offsets in {hit.id} point at {sorted(spans)}")
    return f'"Li Zhanshu": {results.total} articles, matches at the right offsets'


# One file of each format the importer reads (tests/data/formats, bundled by the spec).
FORMAT_FILES = {
    "html": "time-warner.html",
    "mhtml": "time-warner.mhtml",
    "pdf": "time-warner.pdf",
    "docx": "time-warner.docx",
    "odt": "time-warner.odt",
    "epub": "sony-psp.epub",
}


def format_files_dir() -> Path:
    """Where the sample files are: beside the frozen app, or in the source tree."""
    if getattr(sys, "frozen", False):
        return Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent)) / "selftest-formats"
    return Path(__file__).resolve().parents[1] / "tests" / "data" / "formats"


def step_formats(ctx: Context) -> str:
    """Import one file of each format into a library of its own, with no network."""
    import socket

    from workbench.core.library import Library

    folder = format_files_dir()
    missing = [n for n in FORMAT_FILES.values() if not (folder / n).is_file()]
    expect(not missing, f"sample files missing from {folder}: {missing}")
    saved = socket.socket.connect
    socket.socket.connect = _refuse_network  # type: ignore[method-assign]
    try:
        with Library.open(ctx.data_dir.parent / "formats") as lib:
            report = lib.add_paths([folder / n for n in FORMAT_FILES.values()])
            expect(not report.skipped, f"skipped: {[(s.path, s.reason) for s in report.skipped]}")
            docs = {d.format: d for d in lib.documents()}
            pdf_hits = lib.search("format:pdf Google").hits
    finally:
        socket.socket.connect = saved  # type: ignore[method-assign]
    expect(sorted(docs) == sorted(FORMAT_FILES), f"formats read: {sorted(docs)}")
    for fmt, doc in docs.items():
        expect(doc.title and doc.words > 100, f"{fmt}: title {doc.title!r}, {doc.words} words")
    expect(docs["pdf"].pages == 3 and len(docs["pdf"].sections) == 3, "the PDF's pages are lost")
    expect(len(docs["epub"].sections) == 3, "the EPUB's chapters are lost")
    expect(docs["html"].author == "BBC News", f"the page's author: {docs['html'].author!r}")
    expect(pdf_hits and pdf_hits[0].page, "a PDF hit names no page")
    return f"{', '.join(sorted(docs))} read; a PDF hit on {pdf_hits[0].page}"


def _refuse_network(*args: Any, **kwargs: Any) -> None:
    raise OSError("an importer tried to use the network")


def step_entities(ctx: Context) -> str:
    lib = ctx.library()
    ok, message = lib.entities.available()
    expect(ok, f"entity extraction unavailable: {message}")
    report = lib.entities.extract()
    doc = lib.document(CNN_LI_ZHANSHU)
    found = lib.entities.of_document(CNN_LI_ZHANSHU)
    expect(found, f"no entities in {CNN_LI_ZHANSHU}")
    for de in found:
        for m in de.mentions:
            expect(
                doc.text[m.start : m.end] == m.text,
                f"mention {m.text!r} of {de.entity.name!r} is not at {m.start}-{m.end}",
            )
    people = [de.entity for de in found if de.entity.type == "PERSON"]
    expect(
        any("zhanshu" in " ".join([e.name, *e.aliases]).lower() for e in people),
        f"Li Zhanshu is not among the people of {CNN_LI_ZHANSHU}: {[e.name for e in people][:12]}",
    )
    places = {de.entity.name.lower() for de in found if de.entity.type == "GPE"}
    expect(
        {"russia", "china"} & places,
        f"neither Russia nor China among the places: {sorted(places)[:12]}",
    )
    table = lib.entities.table()
    missing = {"name", "type", "aliases", "documents", "mentions", "key"} - set(table.columns)
    expect(not missing, f"the entity table lacks the columns {sorted(missing)}")
    expect(len(table) >= len(found), f"the entity table has {len(table)} rows")
    # "US" and "U.S." are the United States, not entities of their own: this needs the
    # country name tables, data files a frozen build can easily leave behind.
    us = table[table["name"] == "United States"]
    expect(
        len(us) == 1 and "US" in str(us.iloc[0]["aliases"]).split("; "),
        f"'US' is not an alias of 'United States' ({table[table['name'].isin(['US', 'United States'])][['name', 'aliases']].to_dict('records')})",
    )
    # Likewise the demonym table: "Russians" is a form of "Russian".
    russian = table[table["name"] == "Russian"]
    expect(
        len(russian) == 1 and "Russians" in str(russian.iloc[0]["aliases"]).split("; "),
        f"'Russians' is not an alias of 'Russian' ({table[table['name'].isin(['Russian', 'Russians'])][['name', 'aliases']].to_dict('records')})",
    )
    seconds = getattr(report, "seconds", 0.0)
    return f"{len(found)} entities in {CNN_LI_ZHANSHU[:3]} ({len(people)} people), {len(table)} in the table, NER {seconds:.1f} s"


def step_compare(ctx: Context) -> str:
    lib = ctx.library()
    cmp = lib.compare(CNN_RETELLING_BOL, CNN_LI_ZHANSHU)
    a, b = lib.document(CNN_RETELLING_BOL), lib.document(CNN_LI_ZHANSHU)
    expect(cmp.shared_passages, "the two CNN retellings share no passage")
    for p in cmp.shared_passages:
        expect(
            a.text[p.a_start : p.a_end] == p.a_text and b.text[p.b_start : p.b_end] == p.b_text,
            f"a passage's offsets do not match its text ({p.a_start}-{p.a_end}, {p.b_start}-{p.b_end})",
        )
        expect(0.0 < p.similarity <= 1.0, f"a passage has similarity {p.similarity}")
    expect(cmp.shared_entities, "the two retellings share no entity")
    data = cmp.to_json()
    keys = {"a", "b", "shared_entities", "only_a", "only_b", "shared_passages"}
    expect(keys <= set(data), f"to_json() lacks {sorted(keys - set(data))}")
    words = sum(len(p.a_text.split()) for p in cmp.shared_passages)
    return (
        f"{len(cmp.shared_passages)} shared passages ({words} words), "
        f"{len(cmp.shared_entities)} shared entities"
    )


def step_notes(ctx: Context) -> str:
    from workbench.core.notes import Anchor

    lib = ctx.library()
    doc = lib.document(CNN_LI_ZHANSHU)
    quote = "Li Zhanshu"
    start = doc.text.find(quote)
    expect(start >= 0, f"{quote!r} not in {doc.id}")
    end = start + len(quote)
    anchor = Anchor(
        doc_id=doc.id,
        start=start,
        end=end,
        quote=quote,
        prefix=doc.text[max(0, start - 32) : start],
        suffix=doc.text[end : end + 32],
        orphaned=False,
    )
    body = "Self-test: China's top lawmaker, quoted by the State Duma."
    saved = lib.notes.add(body, tags=["selftest"], anchors=[anchor]).value
    lib = ctx.reopen()
    notes = lib.notes.query(doc_id=doc.id)
    back = [n for n in notes if n.id == saved.id]
    expect(
        back,
        f"note {saved.id} not found after reopening the library ({len(notes)} notes on {doc.id})",
    )
    note = back[0]
    expect(note.body == body, f"the note's body came back as {note.body!r}")
    expect(list(note.tags) == ["selftest"], f"the note's tags came back as {note.tags!r}")
    expect(len(note.anchors) == 1, f"the note came back with {len(note.anchors)} anchors")
    got = note.anchors[0]
    expect(
        (got.doc_id, got.start, got.end, got.quote, got.orphaned)
        == (doc.id, start, end, quote, False),
        f"the anchor came back as {got!r}",
    )
    expect(
        [n.id for n in lib.notes.query(tag="selftest")] == [saved.id],
        "the note is not found by its tag",
    )
    return f"note {saved.id} anchored to {quote!r} read back after reopening"


# --------------------------------------------------------------------------- GUI steps


def _wait(ctx: Context, done: Callable[[], bool], what: str, timeout: float = GUI_TIMEOUT) -> None:
    app = ctx.qt_app()
    deadline = time.monotonic() + timeout
    while not done():
        if ctx.gui_errors:
            errors, ctx.gui_errors[:] = list(ctx.gui_errors), []
            raise StepFailed(f"while waiting for {what}, the window reported: {'; '.join(errors)}")
        if time.monotonic() > deadline:
            raise StepFailed(f"timed out after {timeout:.0f} s waiting for {what}")
        app.processEvents()
        time.sleep(0.01)


def _save_png(widget: Any, path: Path) -> str:
    pixmap = widget.grab()
    expect(
        not pixmap.isNull() and pixmap.width() > 200 and pixmap.height() > 150,
        f"{path.name}: the widget rendered as {pixmap.width()}x{pixmap.height()}",
    )
    expect(pixmap.save(str(path), "PNG"), f"could not write {path}")
    image = pixmap.toImage()
    # A rendered window has more than a couple of colours; a blank one does not.
    colours = {
        image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)
    }
    expect(len(colours) > 8, f"{path.name} looks blank ({len(colours)} colours)")
    return f"{path} ({pixmap.width()}x{pixmap.height()})"


def _window(ctx: Context) -> Any:
    """The main window on the self-test's library, shown and started as the app does."""
    if ctx.windows:
        return ctx.windows[0]
    app = ctx.qt_app()
    from workbench.gui.app import configure_application
    from workbench.gui.main_window import MainWindow

    configure_application(app)
    window = MainWindow(ctx.library())
    ctx.windows.append(window)
    _record_errors(ctx, window)
    window.resize(1400, 900)
    window.show()
    window.start()
    return window


def _record_errors(ctx: Context, window: Any) -> None:
    """Collect the unexpected errors of background tasks, which the window only shows in
    its status bar, so that a step waiting for a result fails at once with the reason."""
    window.errors.unexpected.connect(ctx.gui_errors.append)


class _Latch:
    """Remembers the last value a Qt signal carried, so a step can wait for it."""

    def __init__(self, signal: Any) -> None:
        self.fired = False
        self.value: Any = None
        signal.connect(self._set)

    def _set(self, value: Any = None) -> None:
        self.fired, self.value = True, value


def step_main_window(ctx: Context) -> str:
    window = _window(ctx)
    expect(ctx.app.styleSheet(), "the stylesheet (resources/workbench.qss) was not found")
    _wait(ctx, window.isVisible, "the main window to show")
    _wait(
        ctx,
        lambda: window.library_panel.model.rowCount() == ctx.library().docs.count(),
        "the library panel to list the seeds",
    )
    rows = window.library_panel.model.rowCount()
    searched = _Latch(window.search.searchFinished)
    window.search_for('"Li Zhanshu"')
    _wait(ctx, lambda: searched.fired, "the search results")
    results = searched.value
    expect(
        results is not None and {h.id for h in results.hits} == NAMING_LI_ZHANSHU,
        f"the window's search found {None if results is None else [h.id for h in results.hits]}",
    )
    opened = _Latch(window.documentOpened)
    window.open_hit(results.hits[0])
    _wait(ctx, lambda: opened.fired, "the first hit to open")
    _settle(ctx)
    return f"{rows} documents listed, 2 hits shown; " + _save_png(
        window, ctx.outdir / "main-window.png"
    )


def step_compare_view(ctx: Context) -> str:
    window = _window(ctx)
    ready = _Latch(window.comparer.comparisonReady)
    window.open_document(CNN_RETELLING_BOL)
    window.open_document(CNN_LI_ZHANSHU, beside=True)
    _wait(ctx, lambda: ready.fired, "the comparison of the two panes")
    cmp = window.compare.comparison
    expect(
        cmp is not None and {cmp.a.id, cmp.b.id} == {CNN_RETELLING_BOL, CNN_LI_ZHANSHU},
        "the compare view shows another comparison",
    )
    expect(cmp.shared_passages, "the compare view shows no shared passage")
    # Alt+Down: scroll both panes to the first shared passage, as a researcher would.
    window.compare.step_passage(1)
    expect(window.compare.current_passage == 0, "stepping to the first passage did not select it")
    _settle(ctx)
    _save_png(window, ctx.outdir / "compare-window.png")
    return f"{len(cmp.shared_passages)} passages highlighted; " + _save_png(
        window.compare, ctx.outdir / "compare-view.png"
    )


def _settle(ctx: Context) -> None:
    """Let queued paints, layout and background tasks finish before grabbing pixels;
    fail if the window reported an unexpected error meanwhile."""
    for _ in range(30):
        ctx.app.processEvents()
        time.sleep(0.01)
    if ctx.gui_errors:
        errors, ctx.gui_errors[:] = list(ctx.gui_errors), []
        raise StepFailed(f"the window reported: {'; '.join(errors)}")


STEPS: list[tuple[str, Step]] = [
    ("index", step_index),
    ("search", step_search),
    ("formats", step_formats),
    ("entities", step_entities),
    ("compare", step_compare),
    ("notes", step_notes),
    ("main window", step_main_window),
    ("compare view", step_compare_view),
]


# --------------------------------------------------------------------------- entry point


def _isolate(data_dir: Path) -> None:
    """Point every place the app writes to at the temporary folder, and Qt offscreen."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ["WORKBENCH_DATA_DIR"] = str(data_dir / "data")
    # QSettings and caches on Linux/BSD; harmless elsewhere.
    os.environ["XDG_CONFIG_HOME"] = str(data_dir / "config")
    os.environ["XDG_CACHE_HOME"] = str(data_dir / "cache")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the self-test; 0 if every step passed, 1 otherwise."""
    parser = argparse.ArgumentParser(
        prog="Workbench --self-test", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "outdir", nargs="?", help="where to write the PNGs (default: a new temporary folder)"
    )
    parser.add_argument("--keep-data", action="store_true", help="keep the temporary data folder")
    args = parser.parse_args(argv)

    outdir = (
        Path(args.outdir)
        if args.outdir
        else Path(tempfile.mkdtemp(prefix="workbench-selftest-out-"))
    )
    outdir.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix="workbench-selftest-"))
    _isolate(temp)

    from workbench import __version__

    frozen = "frozen" if getattr(sys, "frozen", False) else "from source"
    print(
        f"Workbench {__version__} self-test ({frozen}, Python {sys.version.split()[0]}, "
        f"{sys.platform}); data in {temp}, images in {outdir}",
        flush=True,
    )
    print("(the lines below are also written to selftest.txt there)", flush=True)
    ctx = Context(outdir=outdir, data_dir=temp / "data")
    tracebacks: list[str] = []
    lines: list[str] = []

    def emit(line: str) -> None:
        lines.append(line)
        print(line, flush=True)

    started = time.perf_counter()
    try:
        results = run_steps(STEPS, ctx, emit=emit, tracebacks=tracebacks)
    finally:
        for w in ctx.windows:
            w.close()
            w.shutdown()
        ctx.close_library()
        if not args.keep_data:
            shutil.rmtree(temp, ignore_errors=True)
    tb_file = outdir / "selftest-tracebacks.txt"
    if tracebacks:
        tb_file.write_text("\n".join(tracebacks), "utf-8")
        print(f"tracebacks in {tb_file}")
    else:
        tb_file.unlink(missing_ok=True)
    passed = sum(r.ok for r in results)
    failed = len(results) - passed
    # Also in a file: a windowed build (Windows, macOS) has no console to print to.
    lines.append(f"selftest: {passed} passed, {failed} failed")
    (outdir / "selftest.txt").write_text("\n".join(lines) + "\n", "utf-8")
    print(f"total {time.perf_counter() - started:.1f} s")
    # Alone on the last line, in the form CI tools read as a test count.
    print(f"selftest: {passed} passed, {failed} failed", flush=True)
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
