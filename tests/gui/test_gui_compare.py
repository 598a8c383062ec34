"""The compare view driven by keyboard: Ctrl+Enter, shared entity colours, Alt+Down passages.

The two seeds about Li Zhanshu's visit (a CNN story and its retelling) share entities
and passages; the comparison comes from Library.compare in the background.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QFileDialog

from workbench.gui.main_window import MainWindow

from .support import WAIT_MS, close_window, started_window, type_query

pytestmark = pytest.mark.gui
ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def open_pair(qtbot, window: MainWindow):
    """Search, Down, Enter (left), Down, Ctrl+Enter (right); wait for the comparison."""
    type_query(qtbot, window, "Li Zhanshu")
    hits = window.search.last_results.hits
    assert len(hits) >= 2
    qtbot.keyClick(window.search_box, Qt.Key.Key_Down)
    with qtbot.waitSignal(window.documentOpened, timeout=WAIT_MS):
        qtbot.keyClick(window.results.list, Qt.Key.Key_Return)
    assert window.reader.doc.id == hits[0].id
    assert not window.compare.compare_mode
    with qtbot.waitSignal(window.comparer.comparisonReady, timeout=WAIT_MS) as blocker:
        qtbot.keyClick(window.results.list, Qt.Key.Key_Down)
        qtbot.keyClick(window.results.list, Qt.Key.Key_Return, CTRL)
    cmp = blocker.args[0]
    assert window.compare.compare_mode and window.registry["toggle-compare"].isChecked()
    assert window.compare.right.isVisible() and window.compare.legend.isVisible()
    assert (cmp.a.id, cmp.b.id) == (hits[0].id, hits[1].id)
    assert window.compare.right.view.doc.id == hits[1].id
    return cmp


def test_ctrl_enter_compares_with_shared_colours_and_alt_down_passages(
    qtbot, window: MainWindow
) -> None:
    cmp = open_pair(qtbot, window)
    left, right = window.compare.left.view, window.compare.right.view
    assert len(cmp.shared_entities) >= 5 and cmp.shared_passages

    # One colour per shared entity, identical in both panes, different between entities.
    tints = []
    for ec in cmp.shared_entities:
        fa = left.layer_format_at("entities", ec.a_mentions[0].start)
        fb = right.layer_format_at("entities", ec.b_mentions[0].start)
        assert fa is not None and fb is not None
        assert (
            fa.background().color()
            == fb.background().color()
            == window.compare.entity_tint(ec.entity.key)
        )
        assert left.text_at(ec.a_mentions[0].start, ec.a_mentions[0].end) == ec.a_mentions[0].text
        tints.append(fa.background().color().name())
    assert len(set(tints)) == len(tints)  # one colour per shared entity
    # Entities in only one article are subdued: no tint, a grey underline.
    only = cmp.only_a[0]
    fo = left.layer_format_at("entities", only.a_mentions[0].start)
    assert fo.background().style() == Qt.BrushStyle.NoBrush
    assert fo.underlineColor() == QColor("#8C8C8C")

    # Passages shaded in both panes, differing words marked, one band each in the gutter.
    assert left.layer_ranges("passages") == [(p.a_start, p.a_end) for p in cmp.shared_passages]
    assert right.layer_ranges("passages") == [(p.b_start, p.b_end) for p in cmp.shared_passages]
    assert left.layer_ranges("diff") == [d for p in cmp.shared_passages for d in p.a_diff]
    assert len(window.compare.gutter.bands()) == len(cmp.shared_passages)

    for expected in range(min(3, len(cmp.shared_passages))):
        qtbot.keyClick(window.results.list, Qt.Key.Key_Down, ALT)
        assert window.compare.current_passage == expected
        p = cmp.shared_passages[expected]
        assert left.is_visible(p.a_start) and right.is_visible(p.b_start)
        # The twins are side by side (unless a pane cannot scroll that far).
        ya = left.doc_y(p.a_start) - left.verticalScrollBar().value()
        yb = right.doc_y(p.b_start) - right.verticalScrollBar().value()
        at_limit = right.verticalScrollBar().value() in (0, right.verticalScrollBar().maximum())
        assert abs(ya - yb) < 4 or at_limit
    if len(cmp.shared_passages) > 1:
        current = window.compare.current_passage
        qtbot.keyClick(window.results.list, Qt.Key.Key_Up, ALT)
        assert window.compare.current_passage == current - 1
    assert "of" in window.compare.status.text()

    qtbot.keyClick(window.results.list, Qt.Key.Key_Escape)
    assert window.search_box.hasFocus()


def test_legend_groups_filter_and_enter_scrolls_both_panes(qtbot, window: MainWindow) -> None:
    cmp = open_pair(qtbot, window)
    legend = window.compare.legend
    assert legend.group_counts() == {
        "shared": len(cmp.shared_entities),
        "only_a": len(cmp.only_a),
        "only_b": len(cmp.only_b),
    }
    assert legend.groups["shared"].text(0) == f"Shared ({len(cmp.shared_entities)})"
    qtbot.keyClick(window, Qt.Key.Key_E, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert legend.tree.hasFocus()
    # The last shared entity, so that both panes have to scroll to reach it.
    target = max(
        cmp.shared_entities, key=lambda ec: ec.a_mentions[0].start + ec.b_mentions[0].start
    )
    item = next(
        legend.groups["shared"].child(i)
        for i in range(legend.groups["shared"].childCount())
        if legend.groups["shared"].child(i).data(0, Qt.ItemDataRole.UserRole + 1)
        == target.entity.key
    )
    legend.tree.setCurrentItem(item)
    qtbot.keyClick(legend.tree, Qt.Key.Key_Return)
    left, right = window.compare.left.view, window.compare.right.view
    m_a, m_b = target.a_mentions[0], target.b_mentions[0]
    assert left.layer_ranges("flash") == [(m_a.start, m_a.end)]
    assert right.layer_ranges("flash") == [(m_b.start, m_b.end)]
    assert left.is_visible(m_a.start) and right.is_visible(m_b.start)
    qtbot.keyClick(legend.tree, Qt.Key.Key_Return)  # the next mention
    if len(target.a_mentions) > 1:
        assert left.layer_ranges("flash") == [
            (target.a_mentions[1].start, target.a_mentions[1].end)
        ]

    legend.type_filter.setCurrentIndex(legend.type_filter.findData("PERSON"))
    counts = legend.group_counts()
    assert counts["shared"] == sum(ec.entity.type == "PERSON" for ec in cmp.shared_entities)
    assert "PERSON" not in {ec.entity.type for ec in cmp.only_b} or counts["only_b"] > 0


def test_toggle_swap_and_lock(qtbot, window: MainWindow) -> None:
    cmp = open_pair(qtbot, window)
    view = window.compare
    qtbot.keyClick(window, Qt.Key.Key_Backslash, CTRL)
    assert not view.compare_mode and not view.right.isVisible()
    with qtbot.waitSignal(window.comparer.comparisonReady, timeout=WAIT_MS):
        qtbot.keyClick(window, Qt.Key.Key_Backslash, CTRL)
    assert view.compare_mode and view.right.isVisible()

    key = cmp.shared_entities[0].entity.key
    tint = view.entity_tint(key)
    qtbot.keyClick(window, Qt.Key.Key_X, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert view.left.view.doc.id == cmp.b.id and view.right.view.doc.id == cmp.a.id
    assert view.comparison.a.id == cmp.b.id
    ec = view.comparison.shared_entities[0]
    assert (
        view.left.view.layer_format_at("entities", ec.a_mentions[0].start).background().color()
        == tint
    )
    assert view.left.view.layer_ranges("passages") == [
        (p.b_start, p.b_end) for p in cmp.shared_passages
    ]

    # Locked scrolling keeps the twins side by side when one pane is scrolled.
    assert not window.registry["lock-scroll"].isChecked()
    qtbot.keyClick(window, Qt.Key.Key_L, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert view.locked
    p = view.comparison.shared_passages[-1]
    left, right = view.left.view, view.right.view
    left.scroll_to_offset(p.a_start, 0.3)
    assert right.is_visible(p.b_start)


def test_related_enter_opens_beside_and_export(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    type_query(qtbot, window, "Li Zhanshu")
    qtbot.keyClick(window.search_box, Qt.Key.Key_Down)
    qtbot.keyClick(window.results.list, Qt.Key.Key_Return)
    related = window.related.list
    qtbot.waitUntil(lambda: related.count() > 0, timeout=WAIT_MS)
    qtbot.keyClick(window, Qt.Key.Key_R, CTRL)
    assert related.hasFocus()
    target = related.currentItem().data(Qt.ItemDataRole.UserRole + 1)
    with qtbot.waitSignal(window.comparer.comparisonReady, timeout=WAIT_MS):
        qtbot.keyClick(related, Qt.Key.Key_Return)
    assert window.compare.compare_mode and window.compare.right.view.doc.id == target

    out = tmp_path / "comparison.md"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    QApplication.instance().processEvents()
    qtbot.keyClick(window, Qt.Key.Key_S, CTRL | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(out.exists, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: "written" in window.statusBar().currentMessage(), timeout=WAIT_MS)
    text = out.read_text("utf-8")
    assert (
        window.compare.left.view.doc.title in text and window.compare.right.view.doc.title in text
    )


def test_compare_mode_makes_room_and_gives_the_docks_back(qtbot, library_copy: Path) -> None:
    win = started_window(qtbot, library_copy)
    assert win.entity_dock.isVisible() and win.related_dock.isVisible()
    open_pair(qtbot, win)
    # The docks on the right make way for the two panes and the legend.
    assert not win.entity_dock.isVisible() and not win.related_dock.isVisible()
    assert win.compare.legend.isVisible()
    # Leaving compare mode brings back what was hidden.
    win.registry["toggle-compare"].trigger()
    assert not win.compare.compare_mode
    assert win.entity_dock.isVisible() and win.related_dock.isVisible()
    # Closing in compare mode saves the layout as it is outside it.
    win.registry["toggle-compare"].trigger()
    assert win.compare.compare_mode and not win.entity_dock.isVisible()
    close_window(win)
    again = started_window(qtbot, library_copy)
    assert not again.compare.compare_mode
    assert again.entity_dock.isVisible() and again.related_dock.isVisible()
    close_window(again)


def test_the_header_says_how_much_each_reuses_of_the_other(qtbot, window: MainWindow) -> None:
    cmp = open_pair(qtbot, window)
    header = window.compare.reuse_header
    assert header.isVisible()
    assert header.text() == cmp.reuse.headline("Left", "Right")
    assert header.text().startswith("Right reuses ") and cmp.reuse.level in header.text()
    # Swapping the panes swaps the shares.
    a_in_b, b_in_a = cmp.reuse.a_in_b, cmp.reuse.b_in_a
    window.compare.swap()
    swapped = window.compare.comparison.reuse
    assert (swapped.a_in_b, swapped.b_in_a) == (b_in_a, a_in_b)
    assert f"Right reuses {b_in_a:.0%}" in header.text()
    qtbot.keyClick(window.compare.left.view, Qt.Key.Key_Escape)
    assert window.search_box.hasFocus()


def test_related_shows_the_share_reused_and_sorts_by_it(qtbot, window: MainWindow) -> None:
    type_query(qtbot, window, "Li Zhanshu")
    qtbot.keyClick(window.search_box, Qt.Key.Key_Down)
    qtbot.keyClick(window.results.list, Qt.Key.Key_Return)
    related = window.related.list
    qtbot.waitUntil(lambda: related.count() > 1, timeout=WAIT_MS)
    texts = [related.item(i).text() for i in range(related.count())]
    assert any("it reuses" in t and "derived" in t for t in texts)
    by_score = [related.item(i).data(Qt.ItemDataRole.UserRole + 1) for i in range(related.count())]
    qtbot.keyClick(window, Qt.Key.Key_U, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert window.related.sort_key == "reuse"
    shares = {r.id: r.reused for r in window.related._related}
    by_reuse = [related.item(i).data(Qt.ItemDataRole.UserRole + 1) for i in range(related.count())]
    assert sorted(by_reuse) == sorted(by_score)
    assert [shares[i] for i in by_reuse] == sorted(shares.values(), reverse=True)
    qtbot.keyClick(window, Qt.Key.Key_U, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert window.related.sort_key == "score"
