"""The main window: search box on top, results and library on the left, readers in the middle.

The window is wiring. It owns the :class:`~workbench.core.library.Library`, a
:class:`~.tasks.TaskRunner` and the action registry; everything slow (searching,
opening, importing, extraction, comparison, exports) runs through the runner and comes
back by signal. Panels never call the Library themselves: they emit what the user asked
for and the window decides how to run it.

Docks (results, library, entities, related, and the notes dock that
``notes_panel.py`` adds with :meth:`MainWindow.add_dock`) are restored from QSettings.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDockWidget,
    QFileDialog,
    QLabel,
    QListWidget,
    QMainWindow,
    QSizePolicy,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from workbench.core.corpus import Document
from workbench.core.errors import WorkbenchError
from workbench.core.library import ImportReport, Library
from workbench.core.search import Hit, SearchResults

from . import icons
from .actions import ActionRegistry, CommandPalette, ShortcutSheet
from .compare_view import CompareView, RelatedPanel
from .entity_panel import EntityPanel
from .notes_panel import install_notes_panel
from .reader import ReaderPane, ReaderView
from .search_panel import LibraryPanel, ResultsPanel, SearchBox
from .tasks import ProgressIndicator, TaskHandle, TaskRunner

SEARCH_DEBOUNCE_MS = 160
RESULT_LIMIT = 50
SETTINGS_FILE = "workbench-gui.ini"
STATE_VERSION = 1

FIVE_SHORTCUTS = (
    ("Ctrl+K", "search (also Ctrl+F or /)"),
    ("↓  Enter", "open a result"),
    ("Ctrl+Enter", "open a second result beside it to compare"),
    ("F3 / Shift+F3", "next / previous match"),
    ("Ctrl+Shift+P", "every command; F1 lists all shortcuts"),
)


def welcome_html(first_run: bool) -> str:
    rows = "".join(
        f"<tr><td style='padding:4px 18px 4px 0'><b>{k}</b></td><td>{v}</td></tr>"
        for k, v in FIVE_SHORTCUTS
    )
    intro = (
        "Your library has been started with five sample articles."
        if first_run
        else "Search your library, or press Ctrl+O to add a folder of articles."
    )
    return (
        f"<h2>Workbench</h2><p>{intro}</p><p>Five shortcuts that matter:</p>"
        f"<table>{rows}</table><p>Esc always brings you back to the search box.</p>"
    )


class MainWindow(QMainWindow):
    """The window the researcher lives in."""

    documentOpened = Signal(str, object)  # side ("left"/"right"), Document
    searchFinished = Signal(object)  # SearchResults
    importFinished = Signal(object)  # ImportReport
    comparisonReady = Signal(object)  # Comparison
    entitiesChanged = Signal()  # corrections or extraction changed entities

    def __init__(self, lib: Library, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lib = lib
        self.setObjectName("mainWindow")
        self.setWindowTitle("Workbench")
        self.setWindowIcon(icons.app_icon())
        # Preferences live beside the library (not in ~/.config) so that --data-dir and the
        # portable mode keep a whole workspace, layout included, in one folder.
        self.settings = QSettings(str(Path(lib.root) / SETTINGS_FILE), QSettings.Format.IniFormat)
        self.tasks = TaskRunner(self)
        self.docs: dict[str, Document] = {}
        self.last_results: SearchResults | None = None
        self.last_report: ImportReport | None = None
        self.skipped_dialog: QDialog | None = None
        self.first_run = False
        self._search_generation = 0
        self._compare_task: TaskHandle | None = None
        self._extract_task: TaskHandle | None = None

        self.compare = CompareView()
        self.setCentralWidget(self.compare)
        self.search_box = SearchBox()
        self.search_box.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.results = ResultsPanel()
        self.library_panel = LibraryPanel()
        self.entity_panel = EntityPanel()
        self.related = RelatedPanel()
        self.progress = ProgressIndicator(self.tasks)
        for panel in (self.results, self.library_panel, self.related):
            panel.setMinimumWidth(220)
        self.entity_panel.setMinimumWidth(300)  # four columns: name, type, docs, mentions
        self.statusBar().addPermanentWidget(self.progress)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DEBOUNCE_MS)
        self._search_timer.timeout.connect(self._run_search)

        self.actions = ActionRegistry(self)
        self._register_actions()
        self._build_docks()
        self.notes_panel = install_notes_panel(
            self
        )  # notes (issue 6): dock, Ctrl+N, search section
        self._build_chrome()
        self._connect()
        self._restore()
        self.compare.left.view.set_document(None, welcome_html(False))

    # ------------------------------------------------------------ building

    def _register_actions(self) -> None:
        a = self.actions.add
        SK = QKeySequence.StandardKey
        a(
            "import-folder",
            "Import folder…",
            "import",
            SK.Open,
            self.import_folder,
            "File",
            toolbar=True,
        )
        a(
            "import-files",
            "Import files…",
            "import-files",
            "Ctrl+Shift+O",
            self.import_files,
            "File",
        )
        a(
            "export-comparison",
            "Export comparison…",
            "export",
            "Ctrl+Shift+S",
            self.export_comparison,
            "File",
        )
        a(
            "export-entities",
            "Export entity table as CSV…",
            "csv",
            "Ctrl+Shift+C",
            self.export_entities,
            "File",
        )
        # Ctrl+Q everywhere: the platform's standard Quit key is empty on Windows and offscreen.
        a("quit", "Quit", "quit", ["Ctrl+Q", SK.Quit], self.close, "File")
        a(
            "focus-search",
            "Go to search box",
            "search",
            ["Ctrl+K", SK.Find, "/"],
            self.focus_search,
            "Search",
            toolbar=False,
        )
        a("escape", "Back to search box", "escape", "Esc", self.focus_search, "Search")
        a(
            "open-result",
            "Open selected result",
            "document",
            "",
            lambda: self._open_current(False),
            "Search",
            hint="Enter",
        )
        a(
            "open-beside",
            "Open selected result beside (compare)",
            "compare",
            "",
            lambda: self._open_current(True),
            "Search",
            hint="Ctrl+Enter",
        )
        a(
            "next-match",
            "Next match",
            "next",
            SK.FindNext,
            lambda: self._reader_for_keys().next_match(),
            "Search",
            toolbar=True,
        )
        a(
            "previous-match",
            "Previous match",
            "previous",
            SK.FindPrevious,
            lambda: self._reader_for_keys().previous_match(),
            "Search",
            toolbar=True,
        )
        a(
            "focus-results",
            "Go to results",
            "results",
            "Ctrl+1",
            lambda: self._focus_dock(self.results_dock),
            "View",
        )
        a(
            "focus-library",
            "Go to library",
            "library",
            "Ctrl+L",
            lambda: self._focus_dock(self.library_dock),
            "View",
        )
        a(
            "focus-entities",
            "Go to entities",
            "entities",
            "Ctrl+E",
            lambda: self._focus_dock(self.entity_dock),
            "View",
        )
        a(
            "focus-related",
            "Related articles",
            "related",
            "Ctrl+R",
            lambda: self._focus_dock(self.related_dock),
            "View",
            toolbar=True,
        )
        a(
            "focus-reader",
            "Go to reader",
            "document",
            "Ctrl+J",
            lambda: self.compare.left.view.setFocus(),
            "View",
        )
        a(
            "toggle-entities",
            "Underline entities",
            "underline",
            "Ctrl+U",
            self._toggle_entities,
            "View",
            checkable=True,
            checked=True,
            toolbar=True,
        )
        a("zoom-in", "Larger text", "zoom-in", SK.ZoomIn, lambda: self._zoom(1), "View")
        a("zoom-out", "Smaller text", "zoom-out", SK.ZoomOut, lambda: self._zoom(-1), "View")
        a(
            "toggle-compare",
            "Compare side by side",
            "compare",
            "Ctrl+\\",
            self.toggle_compare,
            "Compare",
            checkable=True,
            toolbar=True,
        )
        a(
            "swap-panes",
            "Swap panes",
            "swap",
            "Ctrl+Shift+X",
            self.swap_panes,
            "Compare",
            toolbar=True,
        )
        a(
            "next-passage",
            "Next aligned passage",
            "passage-next",
            "Alt+Down",
            lambda: self.compare.step_passage(1),
            "Compare",
        )
        a(
            "previous-passage",
            "Previous aligned passage",
            "passage-prev",
            "Alt+Up",
            lambda: self.compare.step_passage(-1),
            "Compare",
        )
        a(
            "lock-scroll",
            "Lock scrolling (passage to passage)",
            "lock",
            "Ctrl+Shift+L",
            self._toggle_lock,
            "Compare",
            checkable=True,
            toolbar=True,
        )
        a(
            "focus-legend",
            "Go to entity legend",
            "entities",
            "Ctrl+Shift+E",
            lambda: self.compare.legend.tree.setFocus(),
            "Compare",
        )
        a(
            "extract-entities",
            "Extract entities now",
            "extract",
            "Ctrl+Shift+R",
            self.extract_entities,
            "Entities",
        )
        a(
            "palette",
            "Command palette…",
            "palette",
            "Ctrl+Shift+P",
            self.show_palette,
            "Help",
            toolbar=True,
        )
        a(
            "shortcuts",
            "Keyboard shortcuts",
            "shortcuts",
            ["F1", SK.HelpContents],
            self.show_shortcuts,
            "Help",
        )
        # Alt+Down/Up must also work while a reader has focus (it would scroll otherwise).
        self.actions["toggle-compare"].setChecked(False)

    def _build_docks(self) -> None:
        self.results_dock = self.add_dock(
            "resultsDock", "Results", self.results, Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self.library_dock = self.add_dock(
            "libraryDock", "Library", self.library_panel, Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self.entity_dock = self.add_dock(
            "entityDock", "Entities", self.entity_panel, Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.related_dock = self.add_dock(
            "relatedDock", "Related articles", self.related, Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.tabifyDockWidget(self.entity_dock, self.related_dock)
        self.entity_dock.raise_()
        self._layout_restored = False
        self._hidden_for_compare: list[QDockWidget] = []
        self._front_before_compare: list[QDockWidget] = []

    def _default_dock_sizes(self) -> None:
        # Only takes effect once the window has a size, hence called from showEvent.
        self.resizeDocks(
            [self.results_dock, self.library_dock], [560, 300], Qt.Orientation.Vertical
        )
        self.resizeDocks(
            [self.results_dock, self.entity_dock], [360, 340], Qt.Orientation.Horizontal
        )

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._layout_restored:
            self._layout_restored = True
            if self.settings.value("window/state") is None:
                QTimer.singleShot(0, self._default_dock_sizes)

    def add_dock(
        self,
        object_name: str,
        title: str,
        widget: QWidget,
        area: Qt.DockWidgetArea = Qt.DockWidgetArea.RightDockWidgetArea,
    ) -> QDockWidget:
        """Add a panel as a dock (its layout is saved and restored); used by the notes panel too."""
        dock = QDockWidget(title, self)
        dock.setObjectName(object_name)
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self.addDockWidget(area, dock)
        if hasattr(self, "_view_menu"):
            self._view_menu.addAction(dock.toggleViewAction())
        return dock

    def _build_chrome(self) -> None:
        self.actions.build_menus(self.menuBar())
        self._view_menu = self.menuBar().addMenu("&Panels")
        for dock in (self.results_dock, self.library_dock, self.entity_dock, self.related_dock):
            self._view_menu.addAction(dock.toggleViewAction())
        bar = QToolBar("Search")
        bar.setObjectName("searchToolbar")
        bar.setMovable(False)
        bar.setFloatable(False)
        bar.addWidget(self.search_box)
        bar.addSeparator()
        self.actions.build_toolbar(bar)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
        self.toolbar = bar
        self.statusBar().showMessage("Ready")

    def _connect(self) -> None:
        self.search_box.textChanged.connect(lambda _t: self._search_timer.start())
        self.search_box.downPressed.connect(self._enter_results)
        self.search_box.enterPressed.connect(self._open_first)
        self.results.list.openRequested.connect(lambda hit, beside: self.open_hit(hit, beside))
        self.results.list.upFromTop.connect(self.focus_search)
        self.library_panel.openRequested.connect(
            lambda doc_id, beside: self.open_document(doc_id, beside=beside)
        )
        self.related.openBeside.connect(lambda doc_id: self.open_document(doc_id, beside=True))
        self.entity_panel.searchRequested.connect(self.search_for)
        self.entity_panel.correctionRequested.connect(self.correct_entity)
        self.compare.compareModeChanged.connect(self._on_compare_mode)
        for pane in (self.compare.left, self.compare.right):
            pane.view.entityClicked.connect(self._on_entity_clicked)

    # ------------------------------------------------------------ settings

    def _restore(self) -> None:
        s = self.settings
        geometry = s.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self._default_geometry()
        state = s.value("window/state")
        if state is not None:
            self.restoreState(state, STATE_VERSION)
        visible = s.value("reader/entities", True, type=bool)
        self.actions["toggle-entities"].setChecked(bool(visible))
        self._toggle_entities()
        locked = s.value("compare/locked", False, type=bool)
        self.actions["lock-scroll"].setChecked(bool(locked))

    def _default_geometry(self) -> None:
        """1400 x 880 where the screen has room, else 95% of it (a 1366 x 768 laptop), centred."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            self.resize(1400, 880)
            return
        room = screen.availableGeometry()
        self.resize(min(1400, int(room.width() * 0.95)), min(880, int(room.height() * 0.95)))
        self.move(room.center().x() - self.width() // 2, room.center().y() - self.height() // 2)

    def save_settings(self) -> None:
        s = self.settings
        s.setValue("window/geometry", self.saveGeometry())
        # The layout is saved as it is outside compare mode (docks hidden only for it shown).
        for dock in self._hidden_for_compare:
            dock.show()
        s.setValue("window/state", self.saveState(STATE_VERSION))
        for dock in self._hidden_for_compare:
            dock.hide()
        s.setValue("reader/entities", self.actions["toggle-entities"].isChecked())
        s.setValue("compare/locked", self.actions["lock-scroll"].isChecked())
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_settings()
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Cancel background work and wait for it (called on close; safe to call twice)."""
        self._search_timer.stop()
        self.tasks.shutdown()

    # ------------------------------------------------------------ startup

    def start(self) -> None:
        """After the window is shown: rebuild or seed the library if needed, then list it."""
        if self.lib.pending_rebuild:
            self._import(self.lib.rebuild_if_needed, "Rebuilding the index")
        elif self.lib.is_empty():
            self.first_run = True
            self._import(self.lib.add_seeds, "Indexing the sample articles")
        else:
            self.refresh_documents()
            self._maybe_extract()
        self.focus_search()

    def refresh_documents(self, then: Callable[[], None] | None = None) -> None:
        def done(docs: list[Document]) -> None:
            self.docs = {d.id: d for d in docs}
            self.library_panel.set_documents(docs)
            if then:
                then()

        self.tasks.run(
            lambda: list(self.lib.documents()), done, self._show_error, label="Listing documents"
        )

    # ------------------------------------------------------------ search

    def focus_search(self) -> None:
        """Esc, Ctrl+K, Ctrl+F, /: back to the search box with its text selected."""
        if self.isMinimized():
            self.showNormal()
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def search_for(self, query: str) -> None:
        """Put a query in the search box and run it now."""
        self.search_box.setText(query)
        self._search_timer.stop()
        self._run_search()
        self.focus_search()

    def _run_search(self) -> None:
        text = self.search_box.text().strip()
        self._search_generation += 1
        gen = self._search_generation
        if not text:
            self.last_results = None
            self.results.show_message("Type to search.")
            return

        def done(results: SearchResults) -> None:
            if gen != self._search_generation:
                return  # a newer query was typed meanwhile
            self.last_results = results
            self.results.show_results(results)
            self._rehighlight_open_documents(results)
            self.searchFinished.emit(results)

        def failed(exc: BaseException) -> None:
            if gen == self._search_generation:
                self.results.show_message(
                    str(exc) if isinstance(exc, WorkbenchError) else f"Search failed: {exc}"
                )
                self.searchFinished.emit(None)

        self.tasks.run(
            lambda: self.lib.search(text, limit=RESULT_LIMIT), done, failed, label="Searching"
        )

    def _rehighlight_open_documents(self, results: SearchResults) -> None:
        by_id = {h.id: h for h in results.hits}
        for pane in (self.compare.left, self.compare.right):
            doc = pane.view.doc
            if doc is not None:
                hit = by_id.get(doc.id)
                pane.view.set_matches(hit.matches if hit else [])

    def _enter_results(self) -> None:
        if self.results.model.rowCount():
            self.results.list.setFocus()
            if not self.results.list.currentIndex().isValid():
                self.results.list.setCurrentIndex(self.results.model.index(0, 0))

    def _open_first(self, beside: bool) -> None:
        self._search_timer.stop()
        hit = self.results.list.current_hit()
        if hit is not None:
            self.open_hit(hit, beside)

    def _open_current(self, beside: bool) -> None:
        hit = self.results.list.current_hit()
        if hit is not None:
            self.open_hit(hit, beside)

    # ------------------------------------------------------------ opening

    def open_hit(self, hit: Hit, beside: bool = False) -> None:
        """Enter: open a hit on the left; Ctrl+Enter: on the right, in compare mode."""
        self.open_document(hit.id, matches=hit.matches, beside=beside)

    def open_document(
        self, doc_id: str, matches: list[tuple[int, int]] | None = None, beside: bool = False
    ) -> None:
        """Show a document in the left pane, or beside (right pane, compare mode)."""
        if matches is None and self.last_results is not None:
            matches = next((h.matches for h in self.last_results.hits if h.id == doc_id), None)
        doc = self.docs.get(doc_id)
        if doc is not None:
            self._show(doc, matches or [], beside)
            return
        self.tasks.run(
            lambda: self.lib.document(doc_id),
            lambda d: self._show(d, matches or [], beside),
            self._show_error,
            label="Opening",
        )

    def _show(self, doc: Document, matches: list[tuple[int, int]], beside: bool) -> None:
        self.docs.setdefault(doc.id, doc)
        if beside:
            self.compare.set_compare_mode(True)
        pane = self.compare.right if beside else self.compare.left
        self.compare.clear_comparison()
        pane.view.set_document(doc)
        if matches:
            pane.view.set_matches(matches)
        self.documentOpened.emit("right" if beside else "left", doc)
        self.statusBar().showMessage(f"{doc.title} — {doc.words:,} words", 4000)
        if not beside:
            self._load_related(doc)
        if self.compare.compare_mode and self.compare.left.view.doc and self.compare.right.view.doc:
            self._load_entities(self.compare.left)
            self._load_entities(self.compare.right)
            self.start_compare()
        else:
            self._load_entities(pane)

    def _load_entities(self, pane: ReaderPane) -> None:
        doc = pane.view.doc
        if doc is None:
            return

        def done(result: list[Any]) -> None:
            # A comparison paints its own entity colours; do not overwrite them.
            if pane.view.doc is doc and self.compare.comparison is None:
                pane.view.set_entities(result)

        self.tasks.run(
            lambda: self.lib.entities.of_document(doc.id), done, self._show_error, label="Entities"
        )

    def _load_related(self, doc: Document) -> None:
        def done(items: list[Any]) -> None:
            if self.compare.left.view.doc is doc:
                self.related.show_related(doc.title, items)

        self.tasks.run(
            lambda: self.lib.related(doc.id, limit=10), done, self._show_error, label="Related"
        )

    def _reader_for_keys(self) -> ReaderView:
        """The pane F3 steps in: the right one if it has focus or is the only one with matches."""
        left, right = self.compare.left.view, self.compare.right.view
        if self.compare.compare_mode and (right.hasFocus() or (not left.matches and right.matches)):
            return right
        return left

    @property
    def reader(self) -> ReaderView:
        """The left (main) reader: the notes panel anchors to its selection."""
        return self.compare.left.view

    # ------------------------------------------------------------ compare

    def toggle_compare(self) -> None:
        on = self.actions["toggle-compare"].isChecked()
        self.compare.set_compare_mode(on)

    def _on_compare_mode(self, on: bool) -> None:
        act = self.actions["toggle-compare"]
        if act.isChecked() != on:
            act.blockSignals(True)
            act.setChecked(on)
            act.blockSignals(False)
        if (
            on
            and self.compare.left.view.doc
            and self.compare.right.view.doc
            and self.compare.comparison is None
        ):
            self.start_compare()
        if not on:
            self.compare.clear_comparison()
            self._load_entities(self.compare.left)
        self._make_room_for_compare(on)

    def _right_docks(self) -> list[QDockWidget]:
        docks = [self.entity_dock, self.related_dock, getattr(self, "notes_dock", None)]
        return [
            d
            for d in docks
            if d is not None
            and not d.isFloating()
            and self.dockWidgetArea(d) == Qt.DockWidgetArea.RightDockWidgetArea
        ]

    def _make_room_for_compare(self, on: bool) -> None:
        """Compare mode hides the docks on the right, and leaving it brings them back.

        Two panes of text, the gutter and the compare view's own entity legend need the
        width (at 1400 px the panes were ~250 px wide with the Entities dock open). The
        Panels menu or Ctrl+N brings a dock back meanwhile; only the docks hidden here
        are restored, with the tab that was in front in front again.
        """
        if on and not self._hidden_for_compare:
            shown = [d for d in self._right_docks() if d.isVisible()]
            front = [d for d in shown if not d.visibleRegion().isEmpty()]
            self._hidden_for_compare = shown
            self._front_before_compare = front
            for dock in shown:
                dock.hide()
        elif not on and self._hidden_for_compare:
            for dock in self._hidden_for_compare:
                dock.show()
            for dock in self._front_before_compare:
                dock.raise_()
            self._hidden_for_compare, self._front_before_compare = [], []

    def start_compare(self) -> None:
        """Compute the comparison of the two panes in the background."""
        a, b = self.compare.documents()
        if a is None or b is None:
            return
        if self._compare_task is not None:
            self._compare_task.cancel()
        self.compare.status.setText(f"  Comparing “{a.title}” with “{b.title}”…")

        def done(cmp: Any) -> None:
            if cmp is None:
                return
            self.compare.set_comparison(cmp)
            if self.compare.comparison is cmp or self.compare.comparison is not None:
                self.comparisonReady.emit(self.compare.comparison)

        def failed(exc: BaseException) -> None:
            if type(exc).__name__ != "ComparisonCancelled":  # a newer comparison replaced it
                self._show_error(exc)
                self.compare.status.setText(f"  {exc}")

        self._compare_task = self.tasks.run(
            lambda progress, cancel: self.lib.compare(a.id, b.id, progress=progress, cancel=cancel),
            done,
            failed,
            label="Aligning passages",
            show_progress=True,
        )

    def swap_panes(self) -> None:
        self.compare.swap()
        if self.compare.left.view.doc is not None:
            self._load_related(self.compare.left.view.doc)

    def _toggle_lock(self) -> None:
        self.compare.set_locked(self.actions["lock-scroll"].isChecked())

    def export_comparison(self) -> None:
        a, b = self.compare.documents()
        if a is None or b is None:
            self.statusBar().showMessage(
                "Open two articles side by side first (Ctrl+Enter on a result).", 5000
            )
            return
        path, _ = QFileDialog.getSaveFileName(
            self, "Export comparison", f"{a.id}-vs-{b.id}.md", "Markdown (*.md);;CSV (*.csv)"
        )
        if path:
            self.tasks.run(
                lambda: self.lib.export_comparison(a.id, b.id, path),
                lambda _r: self.statusBar().showMessage(f"Comparison written to {path}", 6000),
                self._show_error,
                label="Exporting",
                write=True,
            )

    # ------------------------------------------------------------ importing

    def import_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Import a folder of articles")
        if folder:
            self.import_paths([folder])

    def import_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self,
            "Import articles",
            "",
            "Articles (*.txt *.md *.markdown *.html *.htm);;All files (*)",
        )
        if files:
            self.import_paths(files)

    def import_paths(self, paths: list[str]) -> TaskHandle:
        """Import files or folders in the background with progress and Cancel."""
        label = f"Importing {Path(paths[0]).name}" + (
            f" and {len(paths) - 1} more" if len(paths) > 1 else ""
        )
        return self._import(
            lambda progress, cancel: self.lib.add_paths(paths, progress, cancel), label
        )

    def _import(self, fn: Callable[..., Any], label: str) -> TaskHandle:
        def done(report: ImportReport | None) -> None:
            self.last_report = report
            if report is not None:
                self.statusBar().showMessage(
                    f"{label}: {report.summary()} in {report.seconds:.1f} s", 10000
                )
                if report.skipped:
                    self.show_skipped(report)
            if self.first_run:
                self.compare.left.view.set_document(None, welcome_html(True))
            self.refresh_documents(then=lambda: self.importFinished.emit(report))
            if self.search_box.text().strip():
                self._run_search()
            # After a cancelled import the user wants the machine back: no extraction now
            # (the next import, or Entities > Extract entities now, picks the rest up).
            if report is not None and (report.added or report.updated) and not report.cancelled:
                self._maybe_extract()

        def failed(exc: BaseException) -> None:
            self._show_error(exc)
            self.importFinished.emit(None)

        return self.tasks.run(fn, done, failed, label=label, write=True, show_progress=True)

    def show_skipped(self, report: ImportReport) -> None:
        """List the files an import skipped, each with its reason (non-modal)."""
        dlg = QDialog(self)
        dlg.setWindowTitle(f"{len(report.skipped)} file(s) skipped")
        lst = QListWidget()
        lst.setObjectName("skippedList")
        for s in report.skipped:
            lst.addItem(f"{s.path} — {s.reason}")
        lay = QVBoxLayout(dlg)
        lay.addWidget(QLabel("These files were not imported:"))
        lay.addWidget(lst)
        dlg.resize(640, 320)
        dlg.show()
        self.skipped_dialog = dlg

    # ------------------------------------------------------------ entities

    def _maybe_extract(self) -> None:
        """Show the entity table, and extract entities for documents that have none yet."""

        def check() -> tuple[bool, str, int]:
            ok, message = self.lib.entities.available()
            return ok, message, (self.lib.entities.pending() if ok else 0)

        def decide(state: tuple[bool, str, int]) -> None:
            ok, message, pending = state
            if not ok:
                self.entity_panel.status.setText(message)
                return
            if pending:
                self.entity_panel.status.setText(f"Finding entities in {pending:,} documents…")
                self.extract_entities()
            else:
                self.refresh_entities()

        self.tasks.run(check, decide, self._show_error, label="Entities")

    def extract_entities(self) -> None:
        """Extract entities in the background (write pool); search keeps working meanwhile."""
        if self._extract_task is not None and not self._extract_task.done:
            return

        def done(_report: Any) -> None:
            self.refresh_entities()

        # One process: spaCy's n_process>1 forks, and forking a process that runs Qt threads
        # can deadlock the child; it also keeps Cancel prompt (checked after every document).
        self._extract_task = self.tasks.run(
            lambda progress, cancel: self.lib.entities.extract(progress, cancel, n_process=1),
            done,
            self._show_error,
            label="Finding entities",
            write=True,
            show_progress=True,
        )

    def refresh_entities(self) -> None:
        """Reload the entity table and the readers' entity highlights."""
        self.tasks.run(
            self.lib.entities.table,
            self.entity_panel.set_frame,
            self._show_error,
            label="Entity table",
        )
        self.tasks.run(
            self.lib.entities.suggestions,
            self.entity_panel.set_suggestions,
            self._show_error,
            label="Entity suggestions",
        )
        if self.compare.compare_mode and self.compare.right.view.doc is not None:
            self.start_compare()
        else:
            self._load_entities(self.compare.left)
        self.entitiesChanged.emit()

    def correct_entity(self, op: str, args: dict[str, Any]) -> None:
        """Apply a correction from the entity panel, then refresh table and highlights."""
        calls: dict[str, Callable[[], Any]] = {
            "rename": lambda: self.lib.entities.rename(args["key"], args["name"]).value,
            "merge": lambda: self.lib.entities.merge(args["keys"], name=args.get("name")).value,
            "ignore": lambda: self.lib.entities.ignore(args["key"]),
            "retype": lambda: self.lib.entities.retype(args["key"], args["type"]).value,
            "dismiss": lambda: self.lib.entities.dismiss(*args["keys"]),
        }
        self.tasks.run(
            calls[op],
            lambda _r: self.refresh_entities(),
            self._show_error,
            label="Correcting entities",
            write=True,
        )

    def export_entities(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export entity table", "entities.csv", "CSV (*.csv)"
        )
        if path:
            self.export_entities_to(path)

    def export_entities_to(self, path: str) -> TaskHandle:
        return self.tasks.run(
            lambda: self.lib.entities.export_table(path),
            lambda _r: self.statusBar().showMessage(f"Entity table written to {path}", 6000),
            self._show_error,
            label="Exporting",
        )

    def _toggle_entities(self) -> None:
        on = self.actions["toggle-entities"].isChecked()
        for pane in (self.compare.left, self.compare.right):
            pane.view.set_entities_visible(on)

    def _on_entity_clicked(self, key: str) -> None:
        if self.compare.comparison is not None:
            self.compare.step_entity(key)

    # ------------------------------------------------------------ misc

    def _focus_dock(self, dock: QDockWidget) -> None:
        dock.show()
        dock.raise_()
        widget = dock.widget()
        target = {
            self.results: self.results.list,
            self.library_panel: self.library_panel.filter,
            self.entity_panel: self.entity_panel.filter,
            self.related: self.related.list,
        }.get(widget, widget)
        target.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _zoom(self, steps: int) -> None:
        for pane in (self.compare.left, self.compare.right):
            pane.view.zoom(steps)
        self.compare.gutter.update()

    def show_palette(self) -> CommandPalette:
        palette = CommandPalette(self.actions, self)
        palette.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        palette.rejected.connect(self.focus_search)  # Esc in the palette: back to search too
        palette.show()
        palette.activateWindow()  # needed where no window manager does it
        palette.edit.setFocus()
        self.command_palette = palette
        return palette

    def show_shortcuts(self) -> ShortcutSheet:
        sheet = ShortcutSheet(self.actions, self)
        sheet.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        sheet.rejected.connect(self.focus_search)
        sheet.show()
        sheet.activateWindow()
        self.shortcut_sheet = sheet
        return sheet

    def _show_error(self, exc: BaseException) -> None:
        if isinstance(exc, WorkbenchError):
            message = str(exc)
        else:
            message = f"Unexpected error: {type(exc).__name__}: {exc}"
            print(getattr(exc, "__traceback_text__", message), file=sys.stderr)
        self.statusBar().showMessage(message, 10000)
