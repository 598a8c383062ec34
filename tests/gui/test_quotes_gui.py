"""Quotes in the window, driven by keyboard: the readers' quote layer (Ctrl+'), the
compare view's Quotes section (Enter, Alt+Shift+Down), the entity table's quote counts
and a speaker's statements (Shift+Enter), and whose words a note is.

The seeds 002 (a CNN analysis) and 004 (a CNN report) both quote Li Zhanshu on NATO
"enlarging" / "expanding" near Russia's borders; everything shown comes from
``lib.quotes`` and ``Comparison.quotes`` on those real texts.
"""

from __future__ import annotations

import copy

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QHelpEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QToolTip

from workbench.gui.main_window import MainWindow
from workbench.gui.quote_marks import quote_colours

from ..support import CNN_LI_ZHANSHU, CNN_RETELLING_BOL
from .support import WAIT_MS, type_query
from .test_gui_compare import open_pair

pytestmark = pytest.mark.gui
ALT, CTRL, SHIFT = (
    Qt.KeyboardModifier.AltModifier,
    Qt.KeyboardModifier.ControlModifier,
    Qt.KeyboardModifier.ShiftModifier,
)


def open_in_reader(qtbot, window: MainWindow, doc_id: str):
    """Open a seed in the left reader (search, Enter) and wait for its quotes to be marked."""
    type_query(qtbot, window, "Li Zhanshu")
    ids = [hit.id for hit in window.search.last_results.hits]
    qtbot.keyClick(window.search_box, Qt.Key.Key_Down)
    for _ in range(ids.index(doc_id)):
        qtbot.keyClick(window.results.list, Qt.Key.Key_Down)
    with qtbot.waitSignal(window.documentOpened, timeout=WAIT_MS):
        qtbot.keyClick(window.results.list, Qt.Key.Key_Return)
    assert window.reader.doc.id == doc_id
    qtbot.waitUntil(lambda: bool(window.quotes.marks["left"].quotes), timeout=WAIT_MS)
    return window.lib.quotes.of_document(doc_id)


def li_quote(quotes):
    return next(q for q in quotes if q.key == "li zhanshu" and q.quote.kind == "direct")


# The offscreen platform cannot raise the tooltip's window, and says so.
@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_ctrl_quote_toggles_the_layer_and_the_speaker_shows(qtbot, window: MainWindow) -> None:
    quotes = open_in_reader(qtbot, window, CNN_LI_ZHANSHU)
    reader = window.reader
    assert reader.layer_ranges("quotes") == [(q.start, q.end) for q in quotes]
    q = li_quote(quotes)
    assert reader.text_at(q.start, q.end) == q.text
    tint = reader.layer_format_at("quotes", q.start).background().color()
    assert tint == quote_colours()["attributed"]

    # The caret in the quote: the status bar says whose words they are.
    qtbot.keyClick(window, Qt.Key.Key_J, CTRL)
    cursor = reader.textCursor()
    cursor.setPosition(reader.position(q.start + 5))
    reader.setTextCursor(cursor)
    assert "Li Zhanshu" in window.statusBar().currentMessage()
    qtbot.keyClick(reader, Qt.Key.Key_End, CTRL)  # out of every quote (the end of the text)
    assert "Li Zhanshu" not in window.statusBar().currentMessage()

    # Hovering the quote shows the speaker.
    reader.scroll_to_offset(q.start, 0.3)
    point = reader.cursorRect(reader.cursor_for(q.start + 3, q.start + 3)).center() + QPoint(3, 0)
    event = QHelpEvent(QEvent.Type.ToolTip, point, reader.viewport().mapToGlobal(point))
    QApplication.sendEvent(reader.viewport(), event)
    assert "Li Zhanshu" in QToolTip.text()
    QToolTip.hideText()

    # Ctrl+' hides the layer (the ranges are kept) and shows it again.
    painted = len(reader.extraSelections())
    qtbot.keyClick(reader, Qt.Key.Key_Apostrophe, CTRL)
    assert not window.registry["toggle-quotes"].isChecked()
    assert not reader.layer_visible("quotes")
    assert len(reader.extraSelections()) == painted - len(quotes)
    qtbot.keyClick(reader, Qt.Key.Key_Apostrophe, CTRL)
    assert window.registry["toggle-quotes"].isChecked()
    assert len(reader.extraSelections()) == painted

    # Zooming lays the text out anew; the quotes stay marked where they were.
    qtbot.keyClick(reader, Qt.Key.Key_Plus, CTRL)
    assert reader.layer_ranges("quotes") == [(q.start, q.end) for q in quotes]


def test_unattributed_quotes_are_marked_apart(qtbot, window: MainWindow) -> None:
    quotes = open_in_reader(qtbot, window, CNN_RETELLING_BOL)
    unnamed = [q for q in quotes if not q.attributed]
    named = [q for q in quotes if q.attributed]
    assert unnamed and named  # "a US official" speaks there, unnamed
    colours = quote_colours()
    reader = window.reader
    for q in unnamed:
        fmt = reader.layer_format_at("quotes", q.start)
        assert fmt.background().color() == colours["unattributed"]
    cursor = reader.textCursor()
    cursor.setPosition(reader.position(unnamed[0].start + 2))
    reader.setTextCursor(cursor)
    said = window.statusBar().currentMessage()
    assert "unnamed" in said or "Unattributed" in said


def test_quotes_section_enter_and_next_paired_quote(qtbot, window: MainWindow) -> None:
    cmp = open_pair(qtbot, window)
    assert cmp.quotes is not None and cmp.quotes.paired
    section = window.quotes.section
    pair = cmp.quotes.paired[0]
    assert pair.a.key == pair.b.key == "li zhanshu"
    rows = section.rows()
    # Paired quotes first, then the left's and the right's own.
    assert rows[: len(cmp.quotes.paired)] == [("pair", i) for i in range(len(cmp.quotes.paired))]
    assert rows[len(cmp.quotes.paired) :] == [
        *(("a", i) for i in range(len(cmp.quotes.only_a))),
        *(("b", i) for i in range(len(cmp.quotes.only_b))),
    ]
    html = section.list.item(1).text()
    changed = [p for p in pair.diff if p.op != "equal"]
    assert changed and all(f"<s>{p.a}</s>" in html for p in changed if p.a)
    left, right = window.compare.left.view, window.compare.right.view

    # Alt+Q, Enter on the pair: both panes scroll to it and flash it.
    for view in (left, right):
        view.verticalScrollBar().setValue(view.verticalScrollBar().maximum())
    qtbot.keyClick(window, Qt.Key.Key_Q, ALT)
    assert section.list.hasFocus()
    qtbot.keyClick(section.list, Qt.Key.Key_Return)
    assert left.is_visible(pair.a.start) and right.is_visible(pair.b.start)
    assert left.layer_ranges("flash") == [(pair.a.start, pair.a.end)]
    assert right.layer_ranges("flash") == [(pair.b.start, pair.b.end)]

    # Down to a quote only the right has, Enter: the right pane goes to it.
    target = cmp.quotes.only_b[-1]
    while section.list.currentItem().data(Qt.ItemDataRole.UserRole + 1) != (
        "b",
        len(cmp.quotes.only_b) - 1,
    ):
        qtbot.keyClick(section.list, Qt.Key.Key_Down)
    qtbot.keyClick(section.list, Qt.Key.Key_Return)
    assert right.is_visible(target.start)
    assert right.layer_ranges("flash") == [(target.start, target.end)]

    # Alt+Shift+Down from anywhere: the next paired quote, both panes scrolled to it.
    for view in (left, right):
        view.verticalScrollBar().setValue(view.verticalScrollBar().maximum())
    qtbot.keyClick(window.results.list, Qt.Key.Key_Down, ALT | SHIFT)
    assert window.quotes.current_pair == 0
    assert left.is_visible(pair.a.start) and right.is_visible(pair.b.start)
    assert "Quote 1 of" in window.statusBar().currentMessage()
    assert section.list.currentItem().data(Qt.ItemDataRole.UserRole + 1) == ("pair", 0)

    # The palette and the F1 sheet know the keys.
    sheet = window.show_shortcuts()
    text = sheet.browser.toPlainText()
    assert "Next paired quote" in text and "Go to quotes" in text and "Mark quotes" in text
    sheet.reject()

    # Swapping the panes swaps the wordings.
    qtbot.keyClick(window, Qt.Key.Key_X, CTRL | SHIFT)
    swapped = window.compare.comparison.quotes.paired[0]
    assert (swapped.a.doc_id, swapped.b.doc_id) == (pair.b.doc_id, pair.a.doc_id)
    assert swapped.only_a == pair.only_b

    # A comparison without quotes (no entity model) says so in one line.
    bare = copy.copy(window.compare.comparison)
    bare.quotes = None
    window.compare.set_comparison(bare)
    assert section.list.count() == 0
    assert "entity model" in section.message.text()
    qtbot.keyClick(window.results.list, Qt.Key.Key_Down, ALT | SHIFT)
    assert window.statusBar().currentMessage()


def test_down_from_the_entity_filter_then_shift_enter_lists_a_speaker_s_statements(
    qtbot, window: MainWindow
) -> None:
    # Ctrl+E, the name, Down (as from the search box), Shift+Enter: no mouse, no Enter
    panel = window.entity_panel
    qtbot.waitUntil(lambda: panel.model.rowCount() > 0, timeout=WAIT_MS)
    qtbot.keyClick(window, Qt.Key.Key_E, CTRL)
    assert panel.filter.hasFocus()
    qtbot.keyClicks(panel.filter, "Li Zhanshu")
    qtbot.keyClick(panel.filter, Qt.Key.Key_Down)
    assert panel.table.hasFocus() and panel.selected_rows()[0]["key"] == "li zhanshu"
    list_li_zhanshu_s_statements(qtbot, window)


def list_li_zhanshu_s_statements(qtbot, window: MainWindow):
    """Shift+Enter in the entity table, on Li Zhanshu: his statements, from both seeds."""
    qtbot.keyClick(window.entity_panel.table, Qt.Key.Key_Return, SHIFT)
    dialog = window.quotes.dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: bool(dialog.statements), timeout=WAIT_MS)
    docs = {sq.quote.doc_id for s in dialog.statements for sq in s.quotes}
    assert docs == {CNN_LI_ZHANSHU, CNN_RETELLING_BOL}
    return dialog


def test_entity_table_counts_quotes_and_shift_enter_lists_them(qtbot, window: MainWindow) -> None:
    panel = window.entity_panel
    qtbot.waitUntil(lambda: panel.model.rowCount() > 0, timeout=WAIT_MS)
    counts = window.lib.quotes.counts()
    qtbot.keyClick(window, Qt.Key.Key_E, CTRL)
    qtbot.keyClicks(panel.filter, "Li Zhanshu")
    qtbot.keyClick(panel.filter, Qt.Key.Key_Return)
    assert panel.table.hasFocus()
    panel.table.setCurrentIndex(panel.proxy.index(0, 0))
    row = panel.selected_rows()[0]
    assert row["key"] == "li zhanshu"
    quotes_column = panel.proxy.index(0, 4)
    assert panel.model.headerData(4, Qt.Orientation.Horizontal) == "Quotes"
    assert quotes_column.data() == str(counts["li zhanshu"]) and counts["li zhanshu"] >= 2
    # Nobody quoted: 0 for a person, blank for a place or an organisation.
    model = panel.model
    unquoted = {
        row["type"] == "PERSON": model.index(r, 4).data()
        for r, row in enumerate(model.rows)
        if row["key"] not in counts
    }
    assert unquoted == {True: "0", False: ""}

    dialog = list_li_zhanshu_s_statements(qtbot, window)
    assert "Li Zhanshu" in dialog.label.text()
    first = dialog.list.currentItem().data(Qt.ItemDataRole.UserRole + 1)
    assert first is dialog.statements[0].quotes[0].quote
    with qtbot.waitSignal(window.documentOpened, timeout=WAIT_MS):
        qtbot.keyClick(dialog.list, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert window.reader.doc.id == first.doc_id
    assert window.reader.layer_ranges("flash") == [(first.start, first.end)]
    assert window.reader.is_visible(first.start)


def test_a_note_on_a_quote_says_whose_words_it_is(qtbot, window: MainWindow) -> None:
    quotes = open_in_reader(qtbot, window, CNN_LI_ZHANSHU)
    q = li_quote(quotes)
    reader = window.reader
    cursor = QTextCursor(reader.cursor_for(q.start + 3, q.start + 30))
    reader.setTextCursor(cursor)
    qtbot.keyClick(window, Qt.Key.Key_N, CTRL)
    panel = window.notes.panel
    qtbot.waitUntil(lambda: panel.current is not None, timeout=WAIT_MS)
    assert panel.current.anchors[0].start == q.start + 3
    # lib.notes.speaker answers in the background; the panel then says it.
    qtbot.waitUntil(lambda: "the words of Li Zhanshu" in panel.anchor_label.text(), timeout=WAIT_MS)
    # The note itself is stored as made: whose words it is is not written into it.
    stored = window.lib.notes.get(panel.current.id)
    assert "Li Zhanshu" not in stored.body


def test_quotes_section_rows_wrap_to_its_width(qtbot, library_copy) -> None:
    from workbench.core.library import Library
    from workbench.gui.quotes_section import QuotesSection

    with Library.open(library_copy) as lib:
        quotes = lib.compare(CNN_RETELLING_BOL, CNN_LI_ZHANSHU).quotes
    section = QuotesSection()
    qtbot.addWidget(section)
    section.resize(520, 700)
    section.show()
    qtbot.waitExposed(section)
    section.populate(quotes)
    pair_row = section.list.item(1)

    def height() -> int:
        return section.list.visualItemRect(pair_row).height()

    qtbot.waitUntil(lambda: height() > 0, timeout=WAIT_MS)
    wide = height()
    section.resize(260, 700)
    qtbot.waitUntil(lambda: height() > wide, timeout=WAIT_MS)  # more lines, none clipped


def test_a_comparison_of_quotes_made_in_part_says_so(qtbot, library_copy) -> None:
    import dataclasses

    from workbench.core.library import Library
    from workbench.gui.quotes_section import QuotesSection, swapped_quotes

    with Library.open(library_copy) as lib:
        quotes = lib.compare(CNN_RETELLING_BOL, CNN_LI_ZHANSHU).quotes
    section = QuotesSection()
    qtbot.addWidget(section)
    section.populate(quotes)
    assert "in part" not in section.message.text()
    cut = dataclasses.replace(quotes, complete=False)
    section.populate(cut)
    assert "Compared in part" in section.message.text()
    assert not swapped_quotes(cut).complete and swapped_quotes(quotes).complete
