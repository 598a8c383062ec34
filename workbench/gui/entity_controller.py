"""The entity controller: extraction, the entity table, corrections, underlines, exports.

It sits beside :class:`~.entity_panel.EntityPanel`. Extraction and corrections run on
the write pool; the table, the suggestions and the readers' underlines are reloaded
whenever the change signal says entities changed, whoever changed them (an extraction,
a correction here, a backup restored in the notes panel).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from workbench.core.changes import Changes
from workbench.core.entities import DocEntity
from workbench.core.importer import ImportReport

from .context import WindowContext
from .entity_panel import EntityPanel
from .reader_pane import ReaderPane
from .speaker_quotes import with_quote_counts
from .tasks import TaskHandle


class EntityController(QObject):
    """Runs the entity panel's requests and keeps the panel and the underlines current."""

    searchRequested = Signal(str)  # entity:"NAME", from the table

    def __init__(self, ctx: WindowContext, panel: EntityPanel, parent: QWidget) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.lib = ctx.lib
        self.panel = panel
        self._dialog_parent = parent
        self._extract_task: TaskHandle | None = None
        panel.correctionRequested.connect(self.correct)
        panel.searchRequested.connect(self.searchRequested)
        ctx.changes.changed.connect(self._on_changed)
        ctx.readers.compareModeChanged.connect(lambda _on: self.load_underlines())

    def register_actions(self) -> None:
        add = self.ctx.registry.add
        add(
            "export-entities",
            "Export entity table as CSV…",
            "csv",
            "Ctrl+Shift+C",
            self.export_table,
            "File",
        )
        add(
            "toggle-entities",
            "Underline entities",
            "underline",
            "Ctrl+U",
            self.apply_underline_toggle,
            "View",
            checkable=True,
            checked=True,
            toolbar=True,
        )
        add(
            "extract-entities",
            "Extract entities now",
            "extract",
            "Ctrl+Shift+R",
            self.extract,
            "Entities",
        )

    def _on_changed(self, changes: Changes) -> None:
        if changes.entities:
            self.refresh()

    # ------------------------------------------------------------ extraction

    def maybe_extract(self) -> None:
        """Show the entity table, and extract entities for documents that have none yet."""

        def check() -> tuple[bool, str, int]:
            ok, message = self.lib.entities.available()
            return ok, message, (self.lib.entities.pending() if ok else 0)

        def decide(state: tuple[bool, str, int]) -> None:
            ok, message, pending = state
            if not ok:
                self.panel.status.setText(message)
            elif pending:
                self.panel.status.setText(f"Finding entities in {pending:,} documents…")
                self.extract()
            else:
                self.refresh()

        self.ctx.tasks.run(check, decide, label="Entities")

    def after_import(self, report: ImportReport | None) -> None:
        """Extract entities for what an import added; not after a cancelled import, when the
        user wants the machine back (the next import, or Ctrl+Shift+R, picks the rest up)."""
        if report is not None and (report.added or report.updated) and not report.cancelled:
            self.maybe_extract()

    def extract(self) -> None:
        """Extract entities in the background (write pool); search keeps working meanwhile."""
        if self._extract_task is not None and not self._extract_task.done:
            return

        def done(report: Any) -> None:
            if not report.changes:  # nothing new: the change signal will not show the table
                self.refresh()

        # One process: spaCy's n_process>1 forks, and forking a process that runs Qt threads
        # can deadlock the child; it also keeps Cancel prompt (checked after every document).
        self._extract_task = self.ctx.tasks.run(
            lambda progress, cancel: self.lib.entities.extract(progress, cancel, n_process=1),
            done,
            label="Finding entities",
            write=True,
            show_progress=True,
        )

    # ------------------------------------------------------------ showing

    def refresh(self) -> None:
        """Reload the entity table, the suggestions and the readers' underlines."""
        tasks = self.ctx.tasks
        tasks.run(
            lambda: with_quote_counts(self.lib.entities.table(), self.lib.quotes),
            self.panel.set_frame,
            label="Entity table",
        )
        tasks.run(
            self.lib.entities.suggestions, self.panel.set_suggestions, label="Entity suggestions"
        )
        self.load_underlines()

    def load_underlines(self) -> None:
        """Underline the entities of every document a reader shows (unless a comparison,
        which paints its own colours, is shown)."""
        for pane in self.ctx.shown_panes():
            self._load_pane(pane)

    def _load_pane(self, pane: ReaderPane) -> None:
        doc = pane.view.doc
        if doc is None:
            return

        def done(found: list[DocEntity]) -> None:
            if pane.view.doc is doc and self.ctx.readers.comparison is None:
                pane.view.set_entities(found)

        self.ctx.tasks.run(lambda: self.lib.entities.of_document(doc.id), done, label="Entities")

    def apply_underline_toggle(self) -> None:
        """Ctrl+U: show or hide the entity underlines in both readers."""
        on = self.ctx.registry["toggle-entities"].isChecked()
        for pane in (self.ctx.readers.left, self.ctx.readers.right):
            pane.view.set_entities_visible(on)

    # ------------------------------------------------------------ corrections and exports

    def correct(self, op: str, args: dict[str, Any]) -> None:
        """Apply a correction from the entity panel; the change signal refreshes the views."""
        entities = self.lib.entities
        calls: dict[str, Callable[[], Changes]] = {
            "rename": lambda: entities.rename(args["key"], args["name"]),
            "merge": lambda: entities.merge(args["keys"], name=args.get("name")),
            "ignore": lambda: entities.ignore(args["key"]),
            "retype": lambda: entities.retype(args["key"], args["type"]),
            "dismiss": lambda: entities.dismiss(*args["keys"]),
        }
        self.ctx.tasks.run(calls[op], label="Correcting entities", write=True)

    def export_table(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self._dialog_parent, "Export entity table", "entities.csv", "CSV (*.csv)"
        )
        if path:
            self.export_table_to(path)

    def export_table_to(self, path: str) -> TaskHandle:
        return self.ctx.tasks.run(
            lambda: self.lib.entities.export_table(path),
            lambda _r: self.ctx.show_status(f"Entity table written to {path}", 6000),
            label="Exporting",
        )
