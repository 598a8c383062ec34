"""The search controller: the search box's queries, run as the user types.

It sits beside :class:`~.search_panel.ResultsPanel`. A query runs in the background
160 ms after the last keystroke; a result that arrives after a newer query was typed is
dropped. The open readers' matches follow the latest results, and the query runs again
when the change signal says documents or entities changed (``entity:`` queries and new
articles change what it finds).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from workbench.core.changes import Changes
from workbench.core.search import SearchResults

from .context import WindowContext
from .search_panel import ResultsPanel, SearchBox

SEARCH_DEBOUNCE_MS = 160
RESULT_LIMIT = 50


class SearchController(QObject):
    """Runs the search box's query and shows its hits in the results panel."""

    searchFinished = Signal(object)  # SearchResults, or None if the query failed
    queryChanged = Signal(str)  # the query now shown (empty: none)

    def __init__(
        self, ctx: WindowContext, box: SearchBox, results: ResultsPanel, parent: QObject
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.box = box
        self.results = results
        self.last_results: SearchResults | None = None
        self._generation = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DEBOUNCE_MS)
        self._timer.timeout.connect(self.run)
        box.textChanged.connect(lambda _t: self._timer.start())
        box.downPressed.connect(self.enter_results)
        ctx.changes.changed.connect(self._on_changed)

    def _on_changed(self, changes: Changes) -> None:
        if (changes.library or changes.entities) and self.box.text().strip():
            self.run()

    def search_for(self, query: str) -> None:
        """Put a query in the search box and run it now."""
        self.box.setText(query)
        self.run()

    def run(self) -> None:
        """Run the query in the box now (results of older queries are then dropped)."""
        self._timer.stop()
        text = self.box.text().strip()
        self._generation += 1
        gen = self._generation
        self.queryChanged.emit(text)
        if not text:
            self.last_results = None
            self.results.show_message("Type to search.")
            return

        def done(results: SearchResults) -> None:
            if gen != self._generation:
                return  # a newer query was typed meanwhile
            self.last_results = results
            self.results.show_results(results)
            self._rehighlight_open_documents(results)
            self.searchFinished.emit(results)

        def failed(exc: BaseException) -> None:
            if gen == self._generation:
                self.results.show_message(self.ctx.errors.describe(exc))
                self.searchFinished.emit(None)

        self.ctx.tasks.run(
            lambda: self.ctx.lib.search(text, limit=RESULT_LIMIT), done, failed, label="Searching"
        )

    def stop(self) -> None:
        """Forget a query typed but not yet run (Enter opens the current hit at once)."""
        self._timer.stop()

    def matches_of(self, doc_id: str) -> list[tuple[int, int]] | None:
        """Where the latest query matched in a document, if it is among the hits."""
        if self.last_results is None:
            return None
        return next((h.matches for h in self.last_results.hits if h.id == doc_id), None)

    def _rehighlight_open_documents(self, results: SearchResults) -> None:
        by_id = {h.id: h for h in results.hits}
        for pane in (self.ctx.readers.left, self.ctx.readers.right):
            doc = pane.view.doc
            if doc is not None:
                hit = by_id.get(doc.id)
                pane.view.set_matches(hit.matches if hit else [])

    def enter_results(self) -> None:
        """Down in the search box: into the results, on the first hit."""
        results = self.results
        if results.model.rowCount():
            results.list.setFocus()
            if not results.list.currentIndex().isValid():
                results.list.setCurrentIndex(results.model.index(0, 0))
