"""A book-length text in the reader: every quote and entity mention is marked where the
reader looks, however far into the text, and the layers keep all their ranges.

The text is 80 BBC politics articles joined together (BBC News corpus, MIT licence, read
in place from ``../shared/corpora/bbc-news``); its quotes come from the real extractor,
and the entity is every mention of "Blair" in it.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt

from workbench.core.corpus import Document
from workbench.core.quotes import extract_quotes
from workbench.core.quotes.resolve import attribute_quotes
from workbench.gui import icons
from workbench.gui.quote_marks import QuoteMarks
from workbench.gui.reader import WINDOW_MARGIN, ReaderView

from ..support import BBC
from .support import WAIT_MS

pytestmark = pytest.mark.gui


@pytest.fixture(scope="module")
def long_text() -> str:
    files = sorted((BBC / "politics").glob("*.txt"))[:80]
    if len(files) < 80:
        pytest.skip("the BBC corpus is not there")
    return "\n\n".join(f.read_text(errors="replace") for f in files)


def painted(reader: ReaderView) -> set[tuple[int, int]]:
    """The text ranges the reader hands Qt to paint now."""
    return {
        (reader.offset(s.cursor.selectionStart()), reader.offset(s.cursor.selectionEnd()))
        for s in reader.extraSelections()
    }


def open_long(qtbot, text: str) -> ReaderView:
    reader = ReaderView()
    qtbot.addWidget(reader)
    reader.resize(800, 700)
    reader.show()
    qtbot.waitExposed(reader)
    reader.set_document(Document(id="long", title="Long", path="", date=None, text=text, sha=""))
    return reader


def test_every_quote_of_a_long_text_is_marked_where_the_reader_looks(qtbot, long_text) -> None:
    assert len(long_text) > 10 * WINDOW_MARGIN
    quotes = attribute_quotes("long", long_text, extract_quotes(long_text, []), [])
    assert len(quotes) > 300
    reader = open_long(qtbot, long_text)
    marks = QuoteMarks(reader)
    marks.set_quotes(quotes)
    ranges = sorted((q.start, q.end) for q in quotes)
    # The layer holds every quote; only those near the viewport are handed to Qt.
    assert sorted(reader.layer_ranges("quotes")) == ranges
    assert ranges[0] in painted(reader)
    assert ranges[-1] not in painted(reader)
    assert len(reader.extraSelections()) < len(quotes) / 2

    # Ctrl+End: the last quotes are marked once the reader is there.
    reader.setFocus()
    qtbot.keyClick(reader, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: ranges[-1] in painted(reader), timeout=WAIT_MS)
    assert ranges[0] not in painted(reader)

    # Scrolled to any quote, it is marked in its tint (a sample across the whole text).
    for q in sorted(quotes, key=lambda q: q.start)[:: max(1, len(quotes) // 12)]:
        reader.scroll_to_offset(q.start)
        qtbot.waitUntil(lambda q=q: (q.start, q.end) in painted(reader), timeout=WAIT_MS)
        fmt = reader.layer_format_at("quotes", q.start)
        assert fmt is not None and fmt.background().color().isValid()

    # Hiding the layer unpaints it; showing it paints the quotes in view again.
    marks.set_visible(False)
    assert not painted(reader) & set(ranges)
    marks.set_visible(True)
    assert (q.start, q.end) in painted(reader)


def test_entity_mentions_far_into_a_long_text_are_underlined(qtbot, long_text) -> None:
    mentions = [
        SimpleNamespace(start=m.start(), end=m.end(), text=m.group())
        for m in re.finditer(r"\bBlair\b", long_text)
    ]
    assert len(mentions) > 50
    entity = SimpleNamespace(key="tony blair", name="Tony Blair", type="PERSON")
    reader = open_long(qtbot, long_text)
    reader.set_entities([SimpleNamespace(entity=entity, mentions=mentions)])
    spans = [(m.start, m.end) for m in mentions]
    assert sorted(reader.layer_ranges("entities")) == spans
    last = mentions[-1]
    assert (last.start, last.end) not in painted(reader)

    reader.scroll_to_offset(last.start)
    qtbot.waitUntil(lambda: (last.start, last.end) in painted(reader), timeout=WAIT_MS)
    fmt = reader.layer_format_at("entities", last.start)
    assert fmt is not None and fmt.underlineColor() == icons.type_colour("PERSON")
    assert reader.entity_at(last.start + 1) == "tony blair"

    # A zoom lays the text out anew: the mentions stay, and those in view are painted.
    reader.zoom(2)
    assert sorted(reader.layer_ranges("entities")) == spans
    reader.scroll_to_offset(last.start)
    qtbot.waitUntil(lambda: (last.start, last.end) in painted(reader), timeout=WAIT_MS)
