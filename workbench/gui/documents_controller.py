"""The documents controller: importing, the first start, and the library list.

It sits beside :class:`~.search_panel.LibraryPanel`. Imports (and the first start's
seeding or index rebuild, and the rebuild of an index a search found damaged) run on
the write pool with progress and Cancel; the files an import skipped are listed with
their reasons. The library list is reloaded whenever the
change signal says documents were added, changed or removed, whoever changed them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QFileDialog, QLabel, QListWidget, QVBoxLayout, QWidget

from workbench.core.changes import Changes
from workbench.core.docstore import DocumentStore
from workbench.core.importer import ImportReport

from .context import WindowContext
from .library_panel import LibraryPanel, StoreSource
from .tasks import TaskHandle
from .welcome import welcome_html


class StoreTitles(Mapping[str, str]):
    """Document titles by id, read from the document store when asked (nothing in memory)."""

    def __init__(self, store: DocumentStore) -> None:
        self.store = store

    def __getitem__(self, doc_id: str) -> str:
        title = self.store.title(doc_id)
        if title is None:
            raise KeyError(doc_id)
        return title

    def __len__(self) -> int:
        return self.store.count()

    def __iter__(self) -> Iterator[str]:
        return iter(self.store.ids())


class DocumentsController(QObject):
    """Imports files and keeps the library list in step with the library."""

    importFinished = Signal(object)  # ImportReport, or None if the import failed
    listed = Signal()  # the library list was reloaded

    def __init__(self, ctx: WindowContext, panel: LibraryPanel, parent: QWidget) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.lib = ctx.lib
        self.panel = panel
        self._dialog_parent = parent
        self.titles: Mapping[str, str] = {}
        """Each listed document's title, by id (notes name the documents they are on)."""
        self.first_run = False
        self.skipped_dialog: QDialog | None = None
        ctx.changes.changed.connect(self._on_changed)
        ctx.errors.indexDamaged.connect(self.rebuild_damaged)

    def register_actions(self) -> None:
        add = self.ctx.registry.add
        add(
            "import-folder",
            "Import folder…",
            "import",
            QKeySequence.StandardKey.Open,
            self.import_folder,
            "File",
            toolbar=True,
        )
        add(
            "import-files",
            "Import files…",
            "import-files",
            "Ctrl+Shift+O",
            self.import_files,
            "File",
        )

    def start(self) -> bool:
        """Rebuild or seed the library if it needs it (True), else list it (False)."""
        if self.lib.pending_rebuild:
            self.run_import(self.lib.rebuild_if_needed, "Rebuilding the index")
            return True
        if self.lib.is_empty():
            self.first_run = True
            self.run_import(self.lib.add_seeds, "Indexing the sample articles")
            return True
        self.refresh()
        return False

    def rebuild_damaged(self, line: str) -> None:
        """A search found the index damaged (the engine recreated it empty): say so in
        one line and rebuild it from the files in the background, with progress."""
        self.ctx.show_status(line, 15000)
        if self.lib.pending_rebuild:
            self.run_import(self.lib.rebuild_if_needed, "Rebuilding the index")

    def _on_changed(self, changes: Changes) -> None:
        if changes.library:
            self.refresh()

    def refresh(self) -> None:
        """Reload the library list in the background."""

        def read() -> StoreSource:
            source = StoreSource(self.lib.docs)  # counts and pages by SQL, never texts
            source.count()  # the first query, off the UI thread (it opens the table)
            return source

        def done(source: StoreSource) -> None:
            self.titles = StoreTitles(self.lib.docs)
            self.panel.set_source(source)
            self.listed.emit()

        self.ctx.tasks.run(read, done, label="Listing documents")

    # ------------------------------------------------------------ importing

    def import_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self._dialog_parent, "Import a folder of articles"
        )
        if folder:
            self.import_paths([folder])

    def import_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self._dialog_parent,
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
        return self.run_import(
            lambda progress, cancel: self.lib.add_paths(paths, progress, cancel), label
        )

    def run_import(self, fn: Callable[..., ImportReport | None], label: str) -> TaskHandle:
        """Run an import function on the write pool; the list follows by the change signal."""

        def done(report: ImportReport | None) -> None:
            if report is not None:
                self.ctx.show_status(
                    f"{label}: {report.summary()} in {report.seconds:.1f} s", 10000
                )
                if report.skipped:
                    self.show_skipped(report)
            if self.first_run:
                self.ctx.readers.left.view.set_document(None, welcome_html(True))
            self.importFinished.emit(report)

        def failed(exc: BaseException) -> None:
            self.ctx.errors.report(exc)
            self.importFinished.emit(None)

        return self.ctx.tasks.run(fn, done, failed, label=label, write=True, show_progress=True)

    def show_skipped(self, report: ImportReport) -> None:
        """List the files an import skipped, each with its reason (non-modal)."""
        dlg = QDialog(self._dialog_parent)
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
