"""The library list fetches its rows on demand: a page when it is shown, more as it is
scrolled, sorted and filtered by the source over every document, never by loading all
rows into the model. Real documents: the five seed articles (see tests/support.py),
with pages of two rows so that paging shows on five."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView

from workbench.gui.library_panel import (
    COLUMNS,
    FIT_ORDER,
    TITLE_SHARE,
    LibraryModel,
    LibraryPanel,
    StoreSource,
)

pytestmark = pytest.mark.gui


class RecordingSource(StoreSource):
    """The library's own source (SQL over the document store), remembering every page
    asked of it."""

    def __init__(self, store) -> None:
        super().__init__(store)
        self.asked: list[tuple[int, int, str, bool, str]] = []

    def page(self, offset, limit, order_by, descending, title_filter):
        self.asked.append((offset, limit, order_by, descending, title_filter))
        return super().page(offset, limit, order_by, descending, title_filter)


def test_rows_are_fetched_a_page_at_a_time_as_the_list_is_scrolled(qtbot, seeded) -> None:
    docs = seeded.docs.summaries()
    source = RecordingSource(seeded.docs)
    model = LibraryModel(page_size=2)
    model.set_source(source)
    # Shown: the count of every document, but only the first page is in the model.
    assert model.matching() == 5 and model.rowCount() == 2 and model.canFetchMore()
    assert source.asked == [(0, 2, "title", False, "")]

    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(400, 60)  # room for a row or two
    view.show()
    qtbot.waitExposed(view)
    fetched = model.rowCount()
    view.scrollToBottom()  # the view asks for the next page when it reaches the end
    qtbot.waitUntil(lambda: model.rowCount() > fetched)
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == 5 and not model.canFetchMore()
    assert all(limit == 2 for _, limit, *_ in source.asked)
    titles = [model.index(r, 0).data() for r in range(5)]
    assert titles == sorted((d.title for d in docs), key=str.casefold)


def test_a_title_filter_beyond_ascii_ignores_case(seeded) -> None:
    model = LibraryModel(page_size=2)
    model.set_source(StoreSource(seeded.docs))
    # A filter with a character outside ASCII (the curly apostrophe) takes the casefolded
    # path; SQLite's LIKE alone would fold only ASCII letters.
    model.set_filter("CHINA’S SUPPORT")
    assert model.matching() == 1
    assert "China’s support" in model.index(0, 0).data()


def test_sorting_and_filtering_are_done_by_the_source_over_every_document(seeded) -> None:
    docs = seeded.docs.summaries()
    source = RecordingSource(seeded.docs)
    model = LibraryModel(page_size=2)
    model.set_source(source)
    words = [c.field for c in COLUMNS].index("words")

    model.sort(words, Qt.SortOrder.DescendingOrder)
    # The longest article of all five heads the list, though only two rows are fetched.
    assert model.rowCount() == 2
    assert model.rows[0].words == max(d.words for d in docs)
    assert source.asked[-1] == (0, 2, "words", True, "")

    putin = [d for d in docs if "putin" in d.title.casefold()]
    assert 0 < len(putin) < 5
    model.set_filter("PUTIN")
    assert model.matching() == len(putin) and model.total() == 5
    while model.canFetchMore():
        model.fetchMore()
    assert {r.id for r in model.rows} == {d.id for d in putin}
    assert model.index(0, 0).data(Qt.ItemDataRole.UserRole) == model.rows[0].id


def test_a_narrow_sidebar_keeps_the_title_readable_and_a_wide_one_shows_every_column(
    qtbot, seeded
) -> None:
    panel = LibraryPanel()
    qtbot.addWidget(panel)
    panel.set_source(StoreSource(seeded.docs))
    table, fields = panel.table, [c.field for c in COLUMNS]

    def shown() -> list[str]:
        return [f for n, f in enumerate(fields) if not table.isColumnHidden(n)]

    panel.resize(300, 400)  # the sidebar's width in a 1400-pixel window
    panel.show()
    qtbot.waitExposed(panel)
    qtbot.waitUntil(lambda: table.viewport().width() > 0)
    width = table.viewport().width()
    assert table.columnWidth(0) >= TITLE_SHARE * width
    # Beside the title, the other columns come in FIT_ORDER while they fit.
    assert shown() == ["title", *[f for f in FIT_ORDER if f in shown()]]
    assert len(shown()) < len(fields) - 1

    panel.resize(1200, 400)
    qtbot.waitUntil(lambda: len(shown()) == len(fields) - 1)
    assert "words" not in shown()  # hidden until the header's menu shows it
    assert table.columnWidth(0) >= TITLE_SHARE * table.viewport().width()

    # A column hidden from the header's menu stays hidden at any width.
    menu = {a.text(): a for a in table.horizontalHeader().actions()}
    menu["Date"].setChecked(False)
    menu["Words"].setChecked(True)
    assert "date" not in shown() and "words" in shown()
    panel.resize(300, 400)
    qtbot.waitUntil(lambda: len(shown()) < len(fields) - 1)
    assert "date" not in shown()
    assert table.columnWidth(0) >= TITLE_SHARE * table.viewport().width()
