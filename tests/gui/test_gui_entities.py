"""Entities in the window: underlines by type (colour AND style), the entity panel, corrections.

Uses a library whose entities were extracted once per session (spaCy is slow to load).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog

from workbench.core.library import Library
from workbench.gui import icons
from workbench.gui.entity_panel import KeyRole
from workbench.gui.main_window import MainWindow

from ..support import CNN_LI_ZHANSHU
from .support import WAIT_MS, close_window, started_window, type_query

pytestmark = [pytest.mark.gui, pytest.mark.spacy]


@pytest.fixture
def window(qtbot, library_copy: Path):
    with Library.open(library_copy) as lib:
        ok, why = lib.entities.available()
    if not ok:
        pytest.skip(why)
    win = started_window(qtbot, library_copy)
    qtbot.waitUntil(lambda: win.entity_panel.model.rowCount() > 20, timeout=WAIT_MS)
    yield win
    close_window(win)


def entities_changed(changes) -> bool:
    """For waitSignal on the change signal: a change that touched entities."""
    return changes.entities


def open_li_zhanshu(qtbot, window: MainWindow) -> None:
    type_query(qtbot, window, "Li Zhanshu")
    row = [h.id for h in window.search.last_results.hits].index(CNN_LI_ZHANSHU)
    qtbot.keyClick(window.search_box, Qt.Key.Key_Down)
    for _ in range(row):
        qtbot.keyClick(window.results.list, Qt.Key.Key_Down)
    qtbot.keyClick(window.results.list, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: (
            window.reader.doc is not None
            and window.reader.doc.id == CNN_LI_ZHANSHU
            and len(window.reader.entities) > 5
        ),
        timeout=WAIT_MS,
    )


def _mention_of(reader, name: str):
    for de in reader.entities:
        if de.entity.name == name:
            return de.entity, de.mentions[0]
    raise AssertionError(f"{name} not among {[d.entity.name for d in reader.entities]}")


def test_entities_underlined_by_type_colour_and_style(qtbot, window: MainWindow) -> None:
    open_li_zhanshu(qtbot, window)
    reader = window.reader
    styles = set()
    for name in ("Li Zhanshu", "Russia"):
        entity, m = _mention_of(reader, name)
        assert reader.text_at(m.start, m.end) == m.text
        fmt = reader.layer_format_at("entities", m.start)
        assert fmt is not None
        assert fmt.underlineColor() == icons.type_colour(entity.type)
        assert fmt.underlineStyle() == icons.TYPE_STYLES[entity.type][2]
        styles.add(fmt.underlineStyle())
    assert len(styles) == 2  # a PERSON and a GPE differ by style, not colour alone
    # Every type has its own style (EVENT adds an overline to the solid line).
    keys = {(icons.TYPE_STYLES[t][2], t == "EVENT") for t in icons.TYPE_STYLES}
    assert len(keys) == len(icons.TYPE_STYLES)
    # The toggle hides them and says so in the painted selections.
    n = len(reader.extraSelections())
    qtbot.keyClick(window, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
    assert len(reader.extraSelections()) < n


def test_entity_panel_enter_searches_entity(qtbot, window: MainWindow) -> None:
    panel = window.entity_panel
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert panel.filter.hasFocus()
    qtbot.keyClicks(panel.filter, "zhanshu")
    assert panel.proxy.rowCount() == 1
    qtbot.keyClick(panel.filter, Qt.Key.Key_Return)
    assert panel.table.hasFocus()
    with qtbot.waitSignal(window.search.searchFinished, timeout=WAIT_MS) as blocker:
        qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    assert window.search_box.text() == 'entity:"Li Zhanshu"'
    ids = {h.id for h in blocker.args[0].hits}
    assert CNN_LI_ZHANSHU in ids
    assert window.search_box.hasFocus()


def test_sorting_by_documents(qtbot, window: MainWindow) -> None:
    panel = window.entity_panel
    panel.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    counts = [
        panel.proxy.index(r, 2).data(Qt.ItemDataRole.EditRole)
        for r in range(panel.proxy.rowCount())
    ]
    assert counts == sorted(counts, reverse=True) and counts[0] == 5


def test_rename_from_keyboard_updates_table_and_highlights(
    qtbot, window: MainWindow, monkeypatch
) -> None:
    open_li_zhanshu(qtbot, window)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Comrade Li", True))
    panel = window.entity_panel
    panel.filter.setFocus()
    qtbot.keyClicks(panel.filter, "zhanshu")
    qtbot.keyClick(panel.filter, Qt.Key.Key_Return)
    panel.table.setCurrentIndex(panel.proxy.index(0, 0))
    with qtbot.waitSignal(
        window.changes.changed, timeout=WAIT_MS, check_params_cb=entities_changed
    ):
        qtbot.keyClick(panel.table, Qt.Key.Key_F2)
    qtbot.waitUntil(
        lambda: any(r["name"] == "Comrade Li" for r in panel.model.rows), timeout=WAIT_MS
    )
    qtbot.waitUntil(
        lambda: any(de.entity.name == "Comrade Li" for de in window.reader.entities),
        timeout=WAIT_MS,
    )


def test_merge_and_ignore(qtbot, window: MainWindow, monkeypatch) -> None:
    panel = window.entity_panel
    rows = panel.model.rows
    china = next(r for r in rows if r["name"] == "China")
    beijing = next(r for r in rows if r["name"] == "Beijing")
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("China", True))
    panel.select_keys([china["key"], beijing["key"]])
    panel.table.setFocus()
    with qtbot.waitSignal(
        window.changes.changed, timeout=WAIT_MS, check_params_cb=entities_changed
    ):
        qtbot.keyClick(panel.table, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(
        lambda: not any(r["name"] == "Beijing" for r in panel.model.rows), timeout=WAIT_MS
    )
    merged = next(r for r in panel.model.rows if r["name"] == "China")
    assert merged["mentions"] == china["mentions"] + beijing["mentions"]

    russia = next(r for r in panel.model.rows if r["name"] == "Russia")
    panel.select_keys([russia["key"]])
    with qtbot.waitSignal(
        window.changes.changed, timeout=WAIT_MS, check_params_cb=entities_changed
    ):
        qtbot.keyClick(panel.table, Qt.Key.Key_Delete)
    qtbot.waitUntil(
        lambda: not any(r["name"] == "Russia" for r in panel.model.rows), timeout=WAIT_MS
    )


def test_export_table_as_csv(qtbot, window: MainWindow, tmp_path: Path) -> None:
    out = tmp_path / "entities.csv"
    handle = window.entities.export_table_to(str(out))
    qtbot.waitUntil(lambda: handle.done, timeout=WAIT_MS)
    with out.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert {"name", "type", "documents", "mentions"} <= set(rows[0])
    assert any(r["name"] == "Li Zhanshu" and r["type"] == "PERSON" for r in rows)


def test_change_type_from_keyboard(qtbot, window: MainWindow, monkeypatch) -> None:
    panel = window.entity_panel
    west = next(r for r in panel.model.rows if r["name"] == "West")
    assert west["type"] != "ORG"
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("ORG", True))
    panel.select_keys([west["key"]])
    panel.table.setFocus()
    with qtbot.waitSignal(
        window.changes.changed, timeout=WAIT_MS, check_params_cb=entities_changed
    ):
        qtbot.keyClick(panel.table, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(
        lambda: any(r["name"] == "West" and r["type"] == "ORG" for r in panel.model.rows),
        timeout=WAIT_MS,
    )


def test_suggestions_are_offered_merged_with_enter_and_dismissed_with_delete(
    qtbot, window: MainWindow
) -> None:
    panel = window.entity_panel

    def offered() -> list[frozenset[str]]:
        return [
            frozenset(panel.suggestions.item(i).data(KeyRole).names)
            for i in range(panel.suggestions.count())
        ]

    milov, brands = frozenset({"Milow", "Vladimir Milov"}), frozenset({"Brands", "Hal Brands"})
    qtbot.waitUntil(lambda: milov in offered() and brands in offered(), timeout=WAIT_MS)
    assert panel.suggestions.isVisible() and "Enter merges" in panel.suggestions_label.text()
    # Delete: they are two entities, and the pair is not offered again; nothing merged.
    panel.suggestions.setFocus()
    panel.suggestions.setCurrentRow(offered().index(milov))
    qtbot.keyClick(panel.suggestions, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: milov not in offered() and brands in offered(), timeout=WAIT_MS)
    assert window.lib.entities.get("Milow").key != window.lib.entities.get("Vladimir Milov").key
    # Enter: merged into the fuller name.
    panel.suggestions.setCurrentRow(offered().index(brands))
    qtbot.keyClick(panel.suggestions, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: brands not in offered(), timeout=WAIT_MS)
    hal = window.lib.entities.get("Hal Brands")
    assert hal.name == "Hal Brands" and "Brands" in hal.aliases
