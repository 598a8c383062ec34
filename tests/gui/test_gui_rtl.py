"""Right-to-left and mixed-script text in the reader, driven from the keyboard: search
highlights, a keyboard selection made into a note anchored to an Urdu quote, compare
passages; every highlight must cover exactly the characters its offsets name.

The Urdu sentences are written for these tests (modelled on a news-agency cricket report
and its newspaper version); an emoji and a Hebrew word make the offsets harder (a
character outside the Basic Multilingual Plane is two positions in Qt's text).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from workbench.core.library import Library
from workbench.gui.main_window import MainWindow

from .support import WAIT_MS, close_window, make_window

pytestmark = pytest.mark.gui
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier

CLAUSE = "پاکستان نے مطلوبہ ہدف چھ اعشاریہ ایک اوورز میں ایک وکٹ کے نقصان پر حاصل کر لیا"
AGENCY = (
    "کرکٹ 🏏 رپورٹ\n\n"
    "بارش سے متاثرہ میچ میں سری لنکا نے پہلے کھیلتے ہوئے مقررہ اوورز میں ایک سو بیس رنز "
    f"بنائے جس کے جواب میں {CLAUSE} اور سیریز برابر کر دی۔ "
    "میچ کے بعد دونوں کپتانوں نے امپائرنگ کی تعریف کی۔\n\n"
    "Reuters (שלום) said the match was played in Lahore. "
    "وزیر کھیل نے ٹیم کو مبارکباد دی اور کہا کہ قوم کو اپنے کھلاڑیوں پر فخر ہے۔"
)
PAPER = (
    "لاہور کی خبر\n\n"
    f"لاہور کے شائقین نے جیت کا جشن منایا۔ {CLAUSE}۔ "
    "وزیر کھیل نے ٹیم کو مبارکباد دی اور کہا کہ قوم کو اپنے کھلاڑیوں پر فخر ہے۔ "
    "اگلا میچ جمعہ کو کراچی میں ہوگا۔"
)


@pytest.fixture
def win(qtbot, tmp_path: Path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "agency.txt").write_text(AGENCY, "utf-8")
    (docs / "paper.txt").write_text(PAPER, "utf-8")
    with Library.open(tmp_path / "data") as lib:
        lib.add_paths([docs])
    w = make_window(qtbot, tmp_path / "data")
    w.documents.refresh()
    qtbot.waitUntil(lambda: len(w.documents.titles) == 2, timeout=WAIT_MS)
    yield w
    close_window(w)


def type_text(widget, text: str) -> None:
    """Type text a keyboard layout produces (QTest's key clicks know ASCII only)."""
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


def doc_id(win: MainWindow, stem: str) -> str:
    return next(d.id for d in win.lib.documents() if Path(d.path).stem == stem)


def test_search_highlights_an_urdu_word_written_with_arabic_letters(qtbot, win: MainWindow):
    # The query spells Pakistan with the Arabic kaf (ك); the text has the Urdu keheh (ک).
    query = "پاكستان"
    qtbot.keyClick(win, Qt.Key.Key_K, CTRL)
    with qtbot.waitSignal(
        win.search.searchFinished, timeout=WAIT_MS, check_params_cb=lambda r: r and r.query == query
    ):
        type_text(win.search_box, query)
    hits = win.search.last_results.hits
    assert {h.id for h in hits} == {doc_id(win, "agency"), doc_id(win, "paper")}
    qtbot.keyClick(win.search_box, Qt.Key.Key_Down)
    qtbot.keyClick(win.results.list, Qt.Key.Key_Return)
    reader = win.reader
    qtbot.waitUntil(lambda: bool(reader.matches), timeout=WAIT_MS)
    for start, end in reader.matches:
        assert reader.doc.text[start:end] == "پاکستان"
        assert reader.text_at(start, end) == "پاکستان"


# The tag completer's popup is a window; the offscreen platform warns it cannot size it.
@pytest.mark.qt_log_ignore("This plugin does not support")
def test_a_keyboard_selection_of_urdu_text_becomes_a_note_on_that_quote(qtbot, win: MainWindow):
    with qtbot.waitSignal(win.documentOpened, timeout=WAIT_MS):
        win.open_document(doc_id(win, "agency"))
    reader = win.reader
    text = reader.doc.text
    start = text.index("میچ کے بعد")
    # Put the cursor before a sentence of an Urdu paragraph, then Shift+End selects to the
    # end of its (visual) line and Shift+Down one line more: whatever Qt's bidirectional
    # layout puts on those lines, the offsets must name exactly the selected characters.
    reader.setFocus()
    cursor = reader.cursor_for(start, start)
    reader.setTextCursor(cursor)
    qtbot.keyClick(reader, Qt.Key.Key_End, SHIFT)
    qtbot.keyClick(reader, Qt.Key.Key_Down, SHIFT)
    selected = reader.selection_range()
    assert selected is not None and selected[0] == start
    s, e = selected
    assert reader.text_at(s, e) == text[s:e] and text[s:e].startswith("میچ کے بعد")
    assert len(text[s:e].split()) >= 3
    qtbot.keyClick(reader, Qt.Key.Key_N, CTRL)
    panel = win.notes.panel
    qtbot.waitUntil(lambda: panel.body.hasFocus(), timeout=WAIT_MS)
    note = panel.current
    assert [(a.start, a.end, a.quote) for a in note.anchors] == [(s, e, text[s:e])]
    assert (s, e) in reader.layer_ranges("notes")
    type_text(panel.body, "وزیر کا بیان")
    qtbot.waitUntil(lambda: win.lib.notes.get(note.id).body == "وزیر کا بیان", timeout=WAIT_MS)
    # The anchor finds its quote again by text alone.
    again = win.lib.notes.anchor_quote(reader.doc.id, text[s:e])
    assert (again.start, again.end) == (s, e)


def test_compare_shows_the_condensed_urdu_clause_in_both_panes(qtbot, win: MainWindow):
    with qtbot.waitSignal(win.documentOpened, timeout=WAIT_MS):
        win.open_document(doc_id(win, "agency"))
    with qtbot.waitSignal(win.comparer.comparisonReady, timeout=WAIT_MS) as blocker:
        win.open_document(doc_id(win, "paper"), beside=True)
    cmp = blocker.args[0]
    assert cmp.shared_passages and any(CLAUSE in p.a_text for p in cmp.shared_passages)
    left, right = win.compare.left.view, win.compare.right.view
    for p in cmp.shared_passages:
        assert left.text_at(p.a_start, p.a_end) == p.a_text
        assert right.text_at(p.b_start, p.b_end) == p.b_text
    assert win.compare.reuse_header.text().startswith("Right reuses ")
    # The entity model reads English only: none are shown for two Urdu articles.
    assert "entities: English only (A is in 'ur', B is in 'ur')" in cmp.notes
    assert not cmp.shared_entities and not cmp.only_a and not cmp.only_b
    assert "entities: English only" in win.compare.status.text()
    tree = win.compare.legend.tree
    texts = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    assert texts[-1] == "entities: English only (A is in 'ur', B is in 'ur')"
    qtbot.keyClick(left, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    p = cmp.shared_passages[0]
    assert left.is_visible(p.a_start) and right.is_visible(p.b_start)


def test_the_library_list_shows_each_document_s_language(qtbot, win: MainWindow):
    model = win.library_panel.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    lang = headers.index("Lang")
    assert not win.library_panel.table.isColumnHidden(lang)
    languages = {model.data(model.index(r, 0)): model.data(model.index(r, lang)) for r in range(2)}
    assert set(languages.values()) == {"ur"}
    # The store sorts by language like any other field.
    model.sort(lang, Qt.SortOrder.DescendingOrder)
    assert model.rowCount() == 2 and model.data(model.index(0, lang)) == "ur"
