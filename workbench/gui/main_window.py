"""The main window: search box on top, results and library on the left, readers in the middle.

The window is wiring. It owns the :class:`~workbench.core.library.Library`, the task
runner, the error reporter, the change bridge and the action registry, builds the
panels and the controllers beside them (documents, entities, compare, quotes, notes) and hands
each a :class:`~.context.WindowContext`. The controllers do their feature's work and
refresh from the change signal; the window keeps the search box, opening documents,
the docks, menus and toolbar, settings and start-up.

Docks (results, library, entities, related, notes) are restored from QSettings.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeySequence, QShowEvent
from PySide6.QtWidgets import QDockWidget, QLineEdit, QMainWindow, QSizePolicy, QToolBar, QWidget

from workbench.core.corpus import Document
from workbench.core.library import Library
from workbench.core.search import Hit

from . import icons
from .actions import ActionRegistry, ActionsBeforeLineEditing, CommandPalette, ShortcutSheet
from .changes import ChangeBridge
from .compare_controller import CompareController
from .compare_view import CompareView
from .context import WindowContext
from .documents_controller import DocumentsController
from .entity_controller import EntityController
from .entity_panel import EntityPanel
from .errors import STATUS_MS, ErrorReporter
from .library_panel import LibraryPanel
from .notes_controller import NotesController
from .quotes_controller import QuotesController
from .reader import ReaderView
from .related_panel import RelatedPanel
from .search_controller import SearchController
from .search_panel import ResultsPanel, SearchBox
from .tasks import ProgressIndicator, TaskRunner
from .views import add_dock
from .welcome import welcome_html

SETTINGS_FILE = "workbench-gui.ini"
STATE_VERSION = 1
LEFT = Qt.DockWidgetArea.LeftDockWidgetArea
RIGHT = Qt.DockWidgetArea.RightDockWidgetArea


class MainWindow(QMainWindow):
    """The window the researcher lives in."""

    documentOpened = Signal(str, object)  # side ("left"/"right"), Document
    searchFinished = Signal(object)  # SearchResults, or None if the query failed

    def __init__(self, lib: Library, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lib = lib
        self.setObjectName("mainWindow")
        self.setWindowTitle("Workbench")
        self.setWindowIcon(icons.app_icon())
        # Preferences live beside the library (not in ~/.config) so that --data-dir and the
        # portable mode keep a whole workspace, layout included, in one folder.
        self.settings = QSettings(str(Path(lib.root) / SETTINGS_FILE), QSettings.Format.IniFormat)
        self.errors = ErrorReporter(Path(lib.root), self)
        self.errors.message.connect(lambda line: self.statusBar().showMessage(line, STATUS_MS))
        self.tasks = TaskRunner(self.errors, self)
        self.changes = ChangeBridge(lib, self)
        self.registry = ActionRegistry(self)

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
        self.entity_panel.setMinimumWidth(360)  # five columns: name, type, docs, mentions, quotes
        self.statusBar().addPermanentWidget(self.progress)

        ctx = WindowContext(
            lib,
            self.tasks,
            self.errors,
            self.changes,
            self.registry,
            self.compare,
            self.statusBar().showMessage,
        )
        self.search = SearchController(ctx, self.search_box, self.results, self)
        self.documents = DocumentsController(ctx, self.library_panel, self)
        self.entities = EntityController(ctx, self.entity_panel, self)
        self.comparer = CompareController(ctx, self.related, self)
        self.quotes = QuotesController(ctx, self.entity_panel, self)
        self._build_docks()
        self.notes = NotesController(ctx, self, lambda: self.documents.titles)
        self.tabifyDockWidget(self.entity_dock, self.notes.dock)
        self.entity_dock.raise_()
        self.results.column.addWidget(self.notes.results)

        self._register_actions()
        self._build_chrome()
        self.keys_first = ActionsBeforeLineEditing(self.registry)
        for edit in self.findChildren(QLineEdit):  # the search box and the panels' filters
            edit.installEventFilter(self.keys_first)
        self._connect()
        self._restore()
        self.compare.left.view.set_document(None, welcome_html(False))

    # ------------------------------------------------------------ building

    def _register_actions(self) -> None:
        SK = QKeySequence.StandardKey
        search, view, help = (self.registry.adder(c) for c in ("Search", "View", "Help"))
        self.documents.register_actions()
        search(
            "focus-search",
            "Go to search box",
            "search",
            ["Ctrl+K", SK.Find, "/"],
            self.focus_search,
        )
        search("escape", "Back to search box", "escape", "Esc", self.focus_search)
        search(
            "open-result", "Open selected result", "document", "", self._open_current, hint="Enter"
        )
        search(
            "open-beside",
            "Open selected result beside (compare)",
            "compare",
            "",
            lambda: self._open_current(beside=True),
            hint="Ctrl+Enter",
        )
        search("next-match", "Next match", "next", SK.FindNext, self._next_match, toolbar=True)
        search(
            "previous-match",
            "Previous match",
            "previous",
            SK.FindPrevious,
            lambda: self._next_match(-1),
            toolbar=True,
        )
        for id, title, icon, key, dock in (
            ("focus-results", "Go to results", "results", "Ctrl+1", self.results_dock),
            ("focus-library", "Go to library", "library", "Ctrl+L", self.library_dock),
            ("focus-entities", "Go to entities", "entities", "Ctrl+E", self.entity_dock),
            ("focus-related", "Related articles", "related", "Ctrl+R", self.related_dock),
        ):
            view(
                id,
                title,
                icon,
                key,
                lambda d=dock: self._focus_dock(d),
                toolbar=id == "focus-related",
            )
        view("focus-reader", "Go to reader", "document", "Ctrl+J", self.reader.setFocus)
        view("zoom-in", "Larger text", "zoom-in", SK.ZoomIn, lambda: self._zoom(1))
        view("zoom-out", "Smaller text", "zoom-out", SK.ZoomOut, lambda: self._zoom(-1))
        self.entities.register_actions()
        self.comparer.register_actions()
        self.quotes.register_actions()
        self.notes.register_actions()
        # Ctrl+Q everywhere: the platform's standard Quit key is empty on Windows and offscreen.
        self.registry.add("quit", "Quit", "quit", ["Ctrl+Q", SK.Quit], self.close, "File")
        help(
            "palette",
            "Command palette…",
            "palette",
            "Ctrl+Shift+P",
            self.show_palette,
            toolbar=True,
        )
        help(
            "shortcuts",
            "Keyboard shortcuts",
            "shortcuts",
            ["F1", SK.HelpContents],
            self.show_shortcuts,
        )

    def _build_docks(self) -> None:
        self.results_dock = add_dock(self, "resultsDock", "Results", self.results, LEFT)
        self.library_dock = add_dock(self, "libraryDock", "Library", self.library_panel, LEFT)
        self.entity_dock = add_dock(self, "entityDock", "Entities", self.entity_panel, RIGHT)
        self.related_dock = add_dock(self, "relatedDock", "Related articles", self.related, RIGHT)
        self.tabifyDockWidget(self.entity_dock, self.related_dock)
        self._layout_restored = False
        self._hidden_for_compare: list[QDockWidget] = []
        self._front_before_compare: list[QDockWidget] = []

    def _build_chrome(self) -> None:
        self.registry.build_menus(self.menuBar())
        panels = self.menuBar().addMenu("&Panels")
        for dock in (
            self.results_dock,
            self.library_dock,
            self.entity_dock,
            self.related_dock,
            self.notes.dock,
        ):
            panels.addAction(dock.toggleViewAction())
        bar = QToolBar("Search")
        bar.setObjectName("searchToolbar")
        bar.setMovable(False)
        bar.setFloatable(False)
        bar.addWidget(self.search_box)
        bar.addSeparator()
        self.registry.build_toolbar(bar)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
        self.toolbar = bar
        self.statusBar().showMessage("Ready")

    def _connect(self) -> None:
        self.search_box.enterPressed.connect(self._open_first)
        self.results.list.openRequested.connect(self.open_hit)
        self.results.list.upFromTop.connect(self.focus_search)
        self.library_panel.openRequested.connect(
            lambda doc_id, beside: self.open_document(doc_id, beside=beside)
        )
        self.related.openBeside.connect(lambda doc_id: self.open_document(doc_id, beside=True))
        self.notes.panel.openRequested.connect(self.open_document)
        self.entities.searchRequested.connect(self.search_for)
        self.search.queryChanged.connect(self.notes.search)
        self.documents.importFinished.connect(self.entities.after_import)
        self.documentOpened.connect(self.comparer.on_document_opened)
        self.documentOpened.connect(lambda _side, _doc: self.entities.load_underlines())
        self.documentOpened.connect(self.notes.on_document_opened)
        self.documentOpened.connect(self.quotes.on_document_opened)
        self.quotes.openRequested.connect(
            lambda doc_id, beside: self.open_document(doc_id, beside=beside)
        )
        self.compare.compareModeChanged.connect(self._make_room_for_compare)

    # ------------------------------------------------------------ settings

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._layout_restored:
            self._layout_restored = True
            if self.settings.value("window/state") is None:
                # Dock sizes take effect only once the window has a size.
                QTimer.singleShot(0, self._default_dock_sizes)

    def _default_dock_sizes(self) -> None:
        vertical, horizontal = Qt.Orientation.Vertical, Qt.Orientation.Horizontal
        self.resizeDocks([self.results_dock, self.library_dock], [560, 300], vertical)
        self.resizeDocks([self.results_dock, self.entity_dock], [340, 420], horizontal)

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
        self.registry["toggle-entities"].setChecked(
            bool(s.value("reader/entities", True, type=bool))
        )
        self.entities.apply_underline_toggle()
        self.registry["toggle-quotes"].setChecked(bool(s.value("reader/quotes", True, type=bool)))
        self.quotes.set_marks_visible(self.registry["toggle-quotes"].isChecked())
        self.registry["lock-scroll"].setChecked(bool(s.value("compare/locked", False, type=bool)))

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
        s.setValue("reader/entities", self.registry["toggle-entities"].isChecked())
        s.setValue("reader/quotes", self.registry["toggle-quotes"].isChecked())
        s.setValue("compare/locked", self.registry["lock-scroll"].isChecked())
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.notes.save_now()  # the note being typed reaches the disk before anything stops
        self.save_settings()
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Cancel background work and wait for it (called on close; safe to call twice)."""
        self.search.stop()
        self.changes.close()
        self.tasks.shutdown()

    # ------------------------------------------------------------ start-up

    def start(self) -> None:
        """After the window is shown: rebuild or seed the library if needed, else list it."""
        if not self.documents.start():
            self.entities.maybe_extract()  # an import extracts once it has finished
        self.focus_search()

    # ------------------------------------------------------------ search

    def focus_search(self) -> None:
        """Esc, Ctrl+K, Ctrl+F, /: back to the search box with its text selected."""
        if self.isMinimized():
            self.showNormal()
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def _open_first(self, beside: bool) -> None:
        self.search.stop()
        self._open_current(beside)

    def _open_current(self, beside: bool = False) -> None:
        hit = self.results.list.current_hit()
        if hit is not None:
            self.open_hit(hit, beside)

    def search_for(self, query: str) -> None:
        """Put a query in the search box, run it now, and go to the box."""
        self.search.search_for(query)
        self.focus_search()

    # ------------------------------------------------------------ opening

    def open_hit(self, hit: Hit, beside: bool = False) -> None:
        """Enter: open a hit on the left; Ctrl+Enter: on the right, in compare mode."""
        self.open_document(hit.id, matches=hit.matches, beside=beside)

    def open_document(
        self, doc_id: str, matches: list[tuple[int, int]] | None = None, beside: bool = False
    ) -> None:
        """Show a document in the left pane, or beside (right pane, compare mode)."""
        if matches is None:
            matches = self.search.matches_of(doc_id)
        self.tasks.run(
            lambda: self.lib.document(doc_id),
            lambda doc: self._show(doc, matches or [], beside),
            label="Opening",
        )

    def _show(self, doc: Document, matches: list[tuple[int, int]], beside: bool) -> None:
        if beside:
            self.compare.set_compare_mode(True)
        pane = self.compare.right if beside else self.compare.left
        self.compare.clear_comparison()
        pane.view.set_document(doc)
        if matches:
            pane.view.set_matches(matches)
        self.statusBar().showMessage(f"{doc.title} — {doc.words:,} words", 4000)
        self.documentOpened.emit("right" if beside else "left", doc)

    def _next_match(self, step: int = 1) -> None:
        """F3 / Shift+F3, in the right pane if it has focus or is the only one with matches."""
        left, right = self.compare.left.view, self.compare.right.view
        in_right = right.hasFocus() or (not left.matches and right.matches)
        reader = right if self.compare.compare_mode and in_right else left
        if step > 0:
            reader.next_match()
        else:
            reader.previous_match()

    @property
    def reader(self) -> ReaderView:
        """The left (main) reader."""
        return self.compare.left.view

    # ------------------------------------------------------------ layout

    def _make_room_for_compare(self, on: bool) -> None:
        """Compare mode hides the docks on the right, and leaving it brings them back.

        Two panes of text, the gutter and the compare view's own entity legend need the
        width (at 1400 px the panes were ~250 px wide with the Entities dock open). The
        Panels menu or Ctrl+N brings a dock back meanwhile; only the docks hidden here
        are restored, with the tab that was in front in front again.
        """
        if on and not self._hidden_for_compare:
            shown = [
                d
                for d in (self.entity_dock, self.related_dock, self.notes.dock)
                if d.isVisible() and not d.isFloating() and self.dockWidgetArea(d) == RIGHT
            ]
            self._front_before_compare = [d for d in shown if not d.visibleRegion().isEmpty()]
            self._hidden_for_compare = shown
            for dock in shown:
                dock.hide()
        elif not on and self._hidden_for_compare:
            for dock in self._hidden_for_compare:
                dock.show()
            for dock in self._front_before_compare:
                dock.raise_()
            self._hidden_for_compare, self._front_before_compare = [], []

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
        palette = CommandPalette(self.registry, self)
        palette.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        palette.rejected.connect(self.focus_search)  # Esc in the palette: back to search too
        palette.show()
        palette.activateWindow()  # needed where no window manager does it
        palette.edit.setFocus()
        self.command_palette = palette
        return palette

    def show_shortcuts(self) -> ShortcutSheet:
        sheet = ShortcutSheet(self.registry, self)
        sheet.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        sheet.rejected.connect(self.focus_search)
        sheet.show()
        sheet.activateWindow()
        self.shortcut_sheet = sheet
        return sheet
