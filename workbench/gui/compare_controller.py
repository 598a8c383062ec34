"""The compare controller: comparisons and related articles for the reading area.

It sits beside :class:`~.compare_view.CompareView` and
:class:`~.compare_view.RelatedPanel`. A comparison of the two panes is computed in the
background whenever the pair changes, compare mode is turned on, or the change signal
says entities or documents changed (a correction recolours the shared entities at once);
a newer comparison cancels an older one. The related articles follow the left document.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from workbench.core.changes import Changes
from workbench.core.compare import Comparison, Related
from workbench.core.compare.comparison import ComparisonCancelled
from workbench.core.corpus import Document

from .context import WindowContext
from .related_panel import RelatedPanel
from .tasks import TaskHandle


class CompareController(QObject):
    """Runs comparisons and related-article look-ups for the reading area."""

    comparisonReady = Signal(object)  # Comparison, once shown

    def __init__(self, ctx: WindowContext, related: RelatedPanel, parent: QWidget) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.lib = ctx.lib
        self.view = ctx.readers
        self.related = related
        self._dialog_parent = parent
        self._task: TaskHandle | None = None
        self.view.compareModeChanged.connect(self._on_compare_mode)
        for pane in (self.view.left, self.view.right):
            pane.view.entityClicked.connect(self._on_entity_clicked)
        ctx.changes.changed.connect(self._on_changed)

    def register_actions(self) -> None:
        add = self.ctx.registry.add
        add(
            "export-comparison", "Export comparison…", "export", "Ctrl+Shift+S", self.export, "File"
        )
        add(
            "toggle-compare",
            "Compare side by side",
            "compare",
            "Ctrl+\\",
            self.toggle,
            "Compare",
            checkable=True,
            toolbar=True,
        )
        add("swap-panes", "Swap panes", "swap", "Ctrl+Shift+X", self.swap, "Compare", toolbar=True)
        add(
            "related-sort",
            "Sort related articles by relatedness / by text reused",
            "related",
            "Ctrl+Shift+U",
            self.related.toggle_sort,
            "Compare",
        )
        # Alt+Down/Up are window shortcuts: they work while a reader has focus too.
        add(
            "next-passage",
            "Next aligned passage",
            "passage-next",
            "Alt+Down",
            lambda: self.view.step_passage(1),
            "Compare",
        )
        add(
            "previous-passage",
            "Previous aligned passage",
            "passage-prev",
            "Alt+Up",
            lambda: self.view.step_passage(-1),
            "Compare",
        )
        add(
            "lock-scroll",
            "Lock scrolling (passage to passage)",
            "lock",
            "Ctrl+Shift+L",
            self.apply_lock,
            "Compare",
            checkable=True,
            toolbar=True,
        )
        add(
            "focus-legend",
            "Go to entity legend",
            "entities",
            "Ctrl+Shift+E",
            lambda: self.view.legend.tree.setFocus(),
            "Compare",
        )

    # ------------------------------------------------------------ reacting

    def on_document_opened(self, side: str, doc: Document) -> None:
        """A pane shows a new document: new related articles (left), a new comparison."""
        if side == "left":
            self.load_related(doc)
        if self._pair_shown():
            self.start()

    def _on_changed(self, changes: Changes) -> None:
        if not (changes.entities or changes.library):
            return
        if self._pair_shown():
            self.start()  # a recomputation of the same pair keeps the current passage
        left = self.view.left.view.doc
        if left is not None:
            self.load_related(left)

    def _on_compare_mode(self, on: bool) -> None:
        act = self.ctx.registry["toggle-compare"]
        if act.isChecked() != on:
            act.blockSignals(True)
            act.setChecked(on)
            act.blockSignals(False)
        if on and self._pair_shown() and self.view.comparison is None:
            self.start()
        if not on:
            self.view.clear_comparison()

    def _pair_shown(self) -> bool:
        left, right = self.view.documents()
        return self.view.compare_mode and left is not None and right is not None

    # ------------------------------------------------------------ commands

    def start(self) -> None:
        """Compute the comparison of the two panes in the background."""
        a, b = self.view.documents()
        if a is None or b is None:
            return
        if self._task is not None:
            self._task.cancel()
        self.view.status.setText(f"  Comparing “{a.title}” with “{b.title}”…")

        def done(cmp: Comparison) -> None:
            self.view.set_comparison(cmp)
            if self.view.comparison is not None:
                self.comparisonReady.emit(self.view.comparison)

        def failed(exc: BaseException) -> None:
            if not isinstance(exc, ComparisonCancelled):  # a newer comparison replaced it
                line = self.ctx.errors.describe(exc)
                self.ctx.show_status(line, 10000)
                self.view.status.setText(f"  {line}")

        self._task = self.ctx.tasks.run(
            lambda progress, cancel: self.lib.compare(a.id, b.id, progress=progress, cancel=cancel),
            done,
            failed,
            label="Aligning passages",
            show_progress=True,
        )

    def toggle(self) -> None:
        """Ctrl+\\: compare mode on or off."""
        self.view.set_compare_mode(self.ctx.registry["toggle-compare"].isChecked())

    def swap(self) -> None:
        self.view.swap()
        if self.view.left.view.doc is not None:
            self.load_related(self.view.left.view.doc)

    def apply_lock(self) -> None:
        self.view.set_locked(self.ctx.registry["lock-scroll"].isChecked())

    def _on_entity_clicked(self, key: str) -> None:
        if self.view.comparison is not None:
            self.view.step_entity(key)

    def load_related(self, doc: Document) -> None:
        def done(items: list[Related]) -> None:
            if self.view.left.view.doc is doc:
                self.related.show_related(doc.title, items)

        self.ctx.tasks.run(lambda: self.lib.related(doc.id, limit=10), done, label="Related")

    def export(self) -> None:
        """Write the comparison of the two panes as Markdown or CSV."""
        a, b = self.view.documents()
        if a is None or b is None:
            self.ctx.show_status(
                "Open two articles side by side first (Ctrl+Enter on a result).", 5000
            )
            return
        path, _ = QFileDialog.getSaveFileName(
            self._dialog_parent,
            "Export comparison",
            f"{a.id}-vs-{b.id}.md",
            "Markdown (*.md);;CSV (*.csv)",
        )
        if path:
            self.ctx.tasks.run(
                lambda: self.lib.export_comparison(a.id, b.id, path),
                lambda _r: self.ctx.show_status(f"Comparison written to {path}", 6000),
                label="Exporting",
                write=True,
            )
