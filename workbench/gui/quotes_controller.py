"""The quotes controller: who said what, in the readers, the compare view and the entities.

- Each reader marks its document's quotes (``lib.quotes.of_document``, read in the
  background and kept for the last few documents); Ctrl+' shows or hides them, and the
  status bar says whose words the caret is in.
- In compare mode the Quotes section beside the entity legend lists
  ``Comparison.quotes``: Enter on a row scrolls both panes to the pair and flashes it,
  Alt+Shift+Down / Alt+Shift+Up go to the next / previous paired quote, Alt+Q goes to
  the list.
- Shift+Enter on a person in the entity table (or the palette's "Quotes of the selected
  entity") lists their statements across the library; Enter opens an article at a quote.

Everything is refreshed from the change signal: a correction (a merge, a rename) changes
who the speakers are.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QWidget

from workbench.core.changes import Changes
from workbench.core.corpus import Document

from .context import WindowContext
from .entity_panel import EntityPanel
from .quote_marks import QuoteMarks, speaker_line
from .quotes_section import QuotesSection
from .reader_pane import ReaderPane
from .speaker_quotes import SpeakerQuotesDialog

KEEP_DOCUMENTS = 16  # documents whose quotes are kept in memory (going back and forth)
FLASH_MS = 1500


class QuotesController(QObject):
    """Loads quotes for the readers, fills the Quotes section, opens a speaker's quotes."""

    openRequested = Signal(str, bool)  # document id, beside

    def __init__(self, ctx: WindowContext, entities: EntityPanel, parent: QWidget) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.lib = ctx.lib
        self.entity_panel = entities
        self._dialog_parent = parent
        self._cache: OrderedDict[str, list[Any]] = OrderedDict()
        self._jump: tuple[str, int, int] | None = None
        self.current_pair = -1
        self.marks = {
            "left": QuoteMarks(ctx.readers.left.view),
            "right": QuoteMarks(ctx.readers.right.view),
        }
        for marks in self.marks.values():
            marks.cursorQuote.connect(self._say_whose)
        self.section = QuotesSection()
        ctx.readers.side.addWidget(self.section)
        ctx.readers.side.setSizes([300, 300])
        self.section.activated.connect(self.show_row)
        ctx.readers.comparisonChanged.connect(self._on_comparison)
        ctx.changes.changed.connect(self._on_changed)
        self.dialog: SpeakerQuotesDialog | None = None

    def register_actions(self) -> None:
        add = self.ctx.registry.add
        add(
            "toggle-quotes",
            "Mark quotes",
            "quote",
            "Ctrl+'",
            self.apply_toggle,
            "View",
            checkable=True,
            checked=True,
            toolbar=True,
        )
        add(
            "next-quote",
            "Next paired quote",
            "quote-next",
            "Alt+Shift+Down",
            lambda: self.step_pair(1),
            "Compare",
        )
        add(
            "previous-quote",
            "Previous paired quote",
            "quote-prev",
            "Alt+Shift+Up",
            lambda: self.step_pair(-1),
            "Compare",
        )
        add("focus-quotes", "Go to quotes", "quote", "Alt+Q", self.focus_section, "Compare")
        # Shift+Enter in the entity table; from the palette, the entity selected there.
        act = add(
            "speaker-quotes",
            "Quotes of the selected entity…",
            "speaker-quotes",
            "Shift+Return",
            self.show_speaker_quotes,
            "Entities",
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        self.entity_panel.table.addAction(act)

    # ------------------------------------------------------------ readers

    def on_document_opened(self, side: str, doc: Document) -> None:
        """A pane shows a new document: mark its quotes, then jump to a quote if asked."""
        pane = self.ctx.readers.pane(side)
        self._load(pane, doc)
        jump = self._jump
        if jump is not None and jump[0] == doc.id:
            self._jump = None
            pane.view.scroll_to_offset(jump[1])
            pane.view.flash(jump[1], jump[2], FLASH_MS)

    def _on_changed(self, changes: Changes) -> None:
        if not (changes.entities or changes.library):
            return
        self._cache.clear()
        for pane in self.ctx.shown_panes():
            if pane.view.doc is not None:
                self._load(pane, pane.view.doc)

    def _load(self, pane: ReaderPane, doc: Document) -> None:
        side = "left" if pane is self.ctx.readers.left else "right"
        cached = self._cache.get(doc.id)
        if cached is not None:
            self._cache.move_to_end(doc.id)
            self.marks[side].set_quotes(cached)
            return

        def done(quotes: list[Any]) -> None:
            self._remember(doc.id, quotes)
            if pane.view.doc is doc:
                self.marks[side].set_quotes(quotes)

        self.ctx.tasks.run(lambda: self.lib.quotes.of_document(doc.id), done, label="Quotes")

    def _remember(self, doc_id: str, quotes: list[Any]) -> None:
        self._cache[doc_id] = quotes
        self._cache.move_to_end(doc_id)
        while len(self._cache) > KEEP_DOCUMENTS:
            self._cache.popitem(last=False)

    def apply_toggle(self) -> None:
        """Ctrl+': show or hide the quotes in both readers."""
        on = self.ctx.registry["toggle-quotes"].isChecked()
        self.set_marks_visible(on)
        if not on:
            self.ctx.show_status("Quotes hidden (Ctrl+' shows them)", 3000)
            return

        def say(state: tuple[bool, str]) -> None:
            if not state[0]:  # no model: the readers mark nothing, and say why once asked
                self.ctx.show_status(f"No quotes: {state[1]}", 8000)

        self.ctx.tasks.run(self.lib.quotes.available, say, label="Quotes")

    def set_marks_visible(self, on: bool) -> None:
        """Show or hide the quotes in both readers (the window's saved setting)."""
        for marks in self.marks.values():
            marks.set_visible(on)

    def _say_whose(self, quote: Any) -> None:
        if quote is not None:
            self.ctx.show_status(f"Quote: {speaker_line(quote)}", 0)
        else:
            self.ctx.show_status("", 0)

    # ------------------------------------------------------------ compare view

    def _on_comparison(self, comparison: Any) -> None:
        self.current_pair = -1
        if comparison is None:
            self.section.clear("")
        elif getattr(comparison, "quotes", None) is None:
            self.section.clear(
                "No quotes: finding them needs the entity model, which is not available."
            )
        else:
            self.section.populate(comparison.quotes)

    def step_pair(self, step: int) -> None:
        """Alt+Shift+Down / Up: the next or previous paired quote, both panes scrolled to it."""
        quotes = self.section.quotes
        if quotes is None or not quotes.paired:
            self.ctx.show_status(
                "No quote is in both articles."
                if quotes is not None
                else "Paired quotes are shown in compare mode (Ctrl+Enter on a result).",
                5000,
            )
            return
        n = len(quotes.paired)
        if self.current_pair >= 0:
            self.current_pair = (self.current_pair + step) % n
        else:
            self.current_pair = 0 if step > 0 else n - 1
        self.show_row(("pair", self.current_pair))

    def show_row(self, row: tuple[str, int]) -> None:
        """Scroll to a row of the Quotes section: a pair in both panes, else one quote."""
        quotes, view = self.section.quotes, self.ctx.readers
        if quotes is None:
            return
        kind, i = row
        self.section.select_row(row)
        if kind == "pair":
            self.current_pair = i
            pair = quotes.paired[i]
            view.scroll_pair(pair.a.start, pair.b.start)
            view.left.view.flash(pair.a.start, pair.a.end, FLASH_MS)
            view.right.view.flash(pair.b.start, pair.b.end, FLASH_MS)
            self.ctx.show_status(
                f"Quote {i + 1} of {len(quotes.paired)} in both · {pair.speaker}", 6000
            )
            return
        q = (quotes.only_a if kind == "a" else quotes.only_b)[i]
        pane = view.left if kind == "a" else view.right
        pane.view.scroll_to_offset(q.start)
        pane.view.flash(q.start, q.end, FLASH_MS)
        self.ctx.show_status(f"Only {'left' if kind == 'a' else 'right'}: {speaker_line(q)}", 6000)

    def focus_section(self) -> None:
        """Alt+Q: the keyboard to the Quotes section (in compare mode)."""
        if not self.ctx.readers.compare_mode:
            self.ctx.show_status(
                "The quotes of two articles are listed in compare mode (Ctrl+Enter on a result).",
                5000,
            )
            return
        self.section.list.setFocus()
        if self.section.list.currentRow() < 0:
            self.section.select_first()

    # ------------------------------------------------------------ a speaker's quotes

    def show_speaker_quotes(self) -> SpeakerQuotesDialog | None:
        """Shift+Enter in the entity table: the selected entity's statements across the library."""
        rows = self.entity_panel.selected_rows()
        if not rows:
            self.ctx.show_status("Select a person in the entity table first (Ctrl+E).", 5000)
            return None
        key, name = rows[0]["key"], rows[0]["name"]
        dialog = SpeakerQuotesDialog(name, self._dialog_parent)
        dialog.openRequested.connect(self._open_quote)
        dialog.rejected.connect(lambda: self.ctx.registry.trigger("escape"))
        dialog.show()
        dialog.activateWindow()
        self.dialog = dialog

        def done(statements: list[Any]) -> None:
            if not statements:
                dialog.show_message(f"{name} is not quoted in the library.")
            else:
                dialog.show_statements(statements)

        def failed(exc: BaseException) -> None:
            dialog.show_message(self.ctx.errors.describe(exc))

        self.ctx.tasks.run(
            lambda: self.lib.quotes.statements(key), done, failed, label="Quotes of a speaker"
        )
        return dialog

    def _open_quote(self, quote: Any, beside: bool) -> None:
        self._jump = (quote.doc_id, quote.start, quote.end)
        self.openRequested.emit(quote.doc_id, beside)
