"""The central area: one reader, or two side by side with a Meld-style connector gutter.

In compare mode the left and right panes show two documents. A :class:`Comparison`
from ``Library.compare`` (computed in the background by the compare controller) colours the
entities named in both (one tint per entity, identical in both panes), subdues those
found in only one, shades the aligned passages in both panes and joins each pair with
a band drawn in the gutter. The entity legend lists shared / only-left / only-right
entities; activating one scrolls both panes to its next mention and flashes it.

Locked scrolling maps positions passage to passage (piecewise linear between the
aligned passages' edges), not by percentage, so twins stay side by side.
"""

from __future__ import annotations

import bisect
from types import SimpleNamespace
from typing import Any

from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QTextCharFormat,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from . import icons
from .quotes_section import swapped_quotes
from .reader import ReaderView, highlight_colours
from .reader_pane import ReaderPane

ENTITY_TYPES = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT")
KeyRole = Qt.ItemDataRole.UserRole + 1


def subdued_format(entity_type: str) -> QTextCharFormat:
    """Entities found in only one article: the type's underline style, in grey."""
    fmt = icons.entity_format(entity_type)
    fmt.setUnderlineColor(QColor("#8C8C8C"))
    return fmt


def shared_format(entity_type: str, tint: QColor) -> QTextCharFormat:
    """A shared entity: its own tint behind the text plus its type's underline."""
    fmt = icons.entity_format(entity_type)
    fmt.setBackground(tint)
    return fmt


def _children(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    """An item's children, in order."""
    return [c for c in (item.child(i) for i in range(item.childCount())) if c is not None]


class Gutter(QWidget):
    """The strip between the panes, joining each aligned pair with a shaded band."""

    WIDTH = 46

    def __init__(self, view: CompareView) -> None:
        super().__init__(view)
        self.setObjectName("compareGutter")
        self.compare = view
        self.setFixedWidth(self.WIDTH)
        self.setToolTip("Aligned passages (Alt+Down / Alt+Up)")

    def bands(self) -> list[tuple[float, float, float, float]]:
        """(left top, left bottom, right top, right bottom) of each pair, in gutter coordinates."""
        cmp = self.compare.comparison
        if cmp is None:
            return []
        left, right = self.compare.left.view, self.compare.right.view
        lo = left.viewport().mapTo(self.window(), left.viewport().rect().topLeft()).y()
        ro = right.viewport().mapTo(self.window(), right.viewport().rect().topLeft()).y()
        me = self.mapTo(self.window(), self.rect().topLeft()).y()
        out: list[tuple[float, float, float, float]] = []
        for p in cmp.shared_passages:
            a = left.range_rect(p.a_start, p.a_end)
            b = right.range_rect(p.b_start, p.b_end)
            out.append(
                (a.top() + lo - me, a.bottom() + lo - me, b.top() + ro - me, b.bottom() + ro - me)
            )
        return out

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().color(QPalette.ColorRole.Window))
        w = float(self.width())
        base = highlight_colours()["passage"]
        # Bands live beside the text, not beside the panes' caption rows.
        vp = self.compare.left.view.viewport()
        top = (
            vp.mapTo(self.window(), vp.rect().topLeft()).y()
            - self.mapTo(self.window(), self.rect().topLeft()).y()
        )
        painter.setClipRect(0, top, self.width(), vp.height())
        for i, (lt, lb, rt, rb) in enumerate(self.bands()):
            if max(lb, rb) < 0 or min(lt, rt) > self.height():
                continue
            colour = QColor(base)
            current = i == self.compare.current_passage
            colour.setAlpha(150 if current else 75)
            path = QPainterPath(QPointF(0, lt))
            path.cubicTo(QPointF(w / 2, lt), QPointF(w / 2, rt), QPointF(w, rt))
            path.lineTo(QPointF(w, rb))
            path.cubicTo(QPointF(w / 2, rb), QPointF(w / 2, lb), QPointF(0, lb))
            path.closeSubpath()
            painter.fillPath(path, QBrush(colour))
            edge = QColor(colour)
            edge.setAlpha(230 if current else 140)
            painter.setPen(QPen(edge, 1.5 if current else 1))
            painter.drawPath(path)
        painter.end()


class EntityLegend(QWidget):
    """Shared / only left / only right entities with counts, filterable by type."""

    activated = Signal(str)  # entity key

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.type_filter = QComboBox()
        self.type_filter.setObjectName("legendTypeFilter")
        self.type_filter.addItem("All types", "")
        for t in ENTITY_TYPES:
            self.type_filter.addItem(icons.icon(t), t, t)
        self.type_filter.currentIndexChanged.connect(self._apply_filter)
        self.tree = QTreeWidget()
        self.tree.setObjectName("entityLegend")
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(["Entity", "Left", "Right"])
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.tree.itemActivated.connect(self._on_item)
        self.tree.itemClicked.connect(self._on_item)
        self.groups: dict[str, QTreeWidgetItem] = {}
        title = QLabel("Entities in the two articles")
        title.setObjectName("legendTitle")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addWidget(title)
        lay.addWidget(self.type_filter)
        lay.addWidget(self.tree, 1)
        self._labels = {"shared": "Shared", "only_a": "Only left", "only_b": "Only right"}

    def populate(self, comparison: Any, tints: dict[str, QColor]) -> None:
        self.tree.clear()
        self.groups = {}
        for group in ("shared", "only_a", "only_b"):
            top = QTreeWidgetItem([self._labels[group]])
            top.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            self.tree.addTopLevelItem(top)
            self.groups[group] = top
            for ec in getattr(comparison, "shared_entities" if group == "shared" else group):
                item = QTreeWidgetItem(
                    [ec.entity.name, str(len(ec.a_mentions)), str(len(ec.b_mentions))]
                )
                item.setData(0, KeyRole, ec.entity.key)
                item.setData(0, Qt.ItemDataRole.UserRole + 2, ec.entity.type)
                item.setIcon(0, icons.icon(ec.entity.type))
                item.setToolTip(
                    0,
                    f"{ec.entity.name} — {ec.entity.type} "
                    f"({icons.TYPE_STYLES.get(ec.entity.type, ('', '', 0, ''))[3]} underline)",
                )
                if ec.entity.key in tints:
                    item.setBackground(0, tints[ec.entity.key])
                else:
                    item.setForeground(0, QColor("#8C8C8C"))
                top.addChild(item)
            top.setExpanded(True)
        # A document in another language has no entities: say so where they would be.
        for note in getattr(comparison, "notes", []):
            if note.startswith("entities: English only"):
                item = QTreeWidgetItem([note])
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                item.setToolTip(0, "The entity model reads English only.")
                item.setForeground(0, QColor("#8C8C8C"))
                self.tree.addTopLevelItem(item)
        self._apply_filter()

    def _apply_filter(self) -> None:
        wanted = self.type_filter.currentData() or ""
        for group, top in self.groups.items():
            shown = 0
            for child in _children(top):
                hide = bool(wanted) and child.data(0, Qt.ItemDataRole.UserRole + 2) != wanted
                child.setHidden(hide)
                shown += not hide
            top.setText(0, f"{self._labels[group]} ({shown})")

    def group_counts(self) -> dict[str, int]:
        """Visible entities per group (after the type filter)."""
        return {
            g: sum(not child.isHidden() for child in _children(top))
            for g, top in self.groups.items()
        }

    def _on_item(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        key = item.data(0, KeyRole)
        if key:
            self.activated.emit(key)


class CompareView(QWidget):
    """Left reader, and in compare mode a gutter, a right reader and the entity legend."""

    compareModeChanged = Signal(bool)
    passageChanged = Signal(int, int)  # current (1-based), total
    comparisonChanged = Signal(object)  # the Comparison shown, or None once it is cleared

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.left = ReaderPane("left")
        self.right = ReaderPane("right")
        self.gutter = Gutter(self)
        self.legend = EntityLegend()
        self.legend.setObjectName("legendPanel")
        self.legend.activated.connect(self.step_entity)
        self.status = QLabel()
        self.status.setObjectName("compareStatus")
        # "Right reuses 62% of Left; ...": how much of each the other takes, and the level.
        self.reuse_header = QLabel()
        self.reuse_header.setObjectName("reuseHeader")
        self.reuse_header.setTextFormat(Qt.TextFormat.PlainText)
        self.reuse_header.setContentsMargins(8, 3, 8, 3)
        self.reuse_header.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        panes = QWidget()
        hl = QHBoxLayout(panes)
        hl.setContentsMargins(0, 0, 0, 0)
        hl.setSpacing(0)
        hl.addWidget(self.left, 1)
        hl.addWidget(self.gutter)
        hl.addWidget(self.right, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(panes)
        # The column beside the panes: the entity legend, and below it what other
        # features add (the quotes of the two articles).
        self.side = QSplitter(Qt.Orientation.Vertical)
        self.side.setObjectName("compareSide")
        self.side.addWidget(self.legend)
        self.splitter.addWidget(self.side)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 0)
        self.side.setMinimumWidth(230)
        self.splitter.setSizes([1200, 290])
        self.splitter.setCollapsible(0, False)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self.reuse_header)
        lay.addWidget(self.splitter, 1)
        lay.addWidget(self.status)
        self.comparison: Any = None
        self.current_passage = -1
        self.locked = False
        self._syncing = False
        self._mention_step: dict[str, int] = {}
        self._tints: dict[str, QColor] = {}
        self.compare_mode = False
        for pane in (self.left, self.right):
            pane.view.verticalScrollBar().valueChanged.connect(self.gutter.update)
        self.left.view.verticalScrollBar().valueChanged.connect(
            lambda _v: self._sync_from(self.left.view)
        )
        self.right.view.verticalScrollBar().valueChanged.connect(
            lambda _v: self._sync_from(self.right.view)
        )
        self._apply_mode()

    # ------------------------------------------------------------ mode

    def set_compare_mode(self, on: bool) -> None:
        if on == self.compare_mode:
            return
        self.compare_mode = on
        self._apply_mode()
        self.compareModeChanged.emit(on)

    def _apply_mode(self) -> None:
        on = self.compare_mode
        self.right.setVisible(on)
        self.gutter.setVisible(on and self.comparison is not None)
        self.side.setVisible(on)
        self.status.setVisible(on)
        self.reuse_header.setVisible(on and bool(self.reuse_header.text()))

    def pane(self, side: str) -> ReaderPane:
        return self.left if side == "left" else self.right

    def documents(self) -> tuple[Any, Any]:
        return self.left.view.doc, self.right.view.doc

    def clear_comparison(self, message: str = "") -> None:
        """Forget the comparison (a pane changed); its highlights go with it."""
        self.comparison = None
        self.current_passage = -1
        self.reuse_header.clear()
        self._tints = {}
        self.legend.tree.clear()
        self.legend.groups = {}
        for pane in (self.left, self.right):
            pane.view.set_passages([], [])
        self.status.setText(message)
        self._apply_mode()
        self.gutter.update()
        self.comparisonChanged.emit(None)

    # ------------------------------------------------------------ comparison

    def set_comparison(self, comparison: Any) -> None:
        """Show a Comparison whose ``a`` is the left document and ``b`` the right one."""
        left, right = self.documents()
        if (
            left is None
            or right is None
            or comparison.a.id != left.id
            or comparison.b.id != right.id
        ):
            return  # the panes changed while it was computed
        same_pair = self.comparison is not None and (
            self.comparison.a.id,
            self.comparison.b.id,
        ) == (comparison.a.id, comparison.b.id)
        self.comparison = comparison
        self._mention_step = {}
        self._tints = {
            ec.entity.key: icons.shared_tint(i) for i, ec in enumerate(comparison.shared_entities)
        }
        a_formats: dict[str, QTextCharFormat] = {}
        b_formats: dict[str, QTextCharFormat] = {}
        a_ents, b_ents = [], []
        for ec in comparison.shared_entities:
            fmt = shared_format(ec.entity.type, self._tints[ec.entity.key])
            a_formats[ec.entity.key] = b_formats[ec.entity.key] = fmt
            a_ents.append(SimpleNamespace(entity=ec.entity, mentions=ec.a_mentions))
            b_ents.append(SimpleNamespace(entity=ec.entity, mentions=ec.b_mentions))
        for ec in comparison.only_a:
            a_formats[ec.entity.key] = subdued_format(ec.entity.type)
            a_ents.append(SimpleNamespace(entity=ec.entity, mentions=ec.a_mentions))
        for ec in comparison.only_b:
            b_formats[ec.entity.key] = subdued_format(ec.entity.type)
            b_ents.append(SimpleNamespace(entity=ec.entity, mentions=ec.b_mentions))
        self.left.view.set_entities(a_ents, a_formats)
        self.right.view.set_entities(b_ents, b_formats)
        passages = comparison.shared_passages
        self.left.view.set_passages(
            [(p.a_start, p.a_end) for p in passages], [d for p in passages for d in p.a_diff]
        )
        self.right.view.set_passages(
            [(p.b_start, p.b_end) for p in passages], [d for p in passages for d in p.b_diff]
        )
        self.legend.populate(comparison, self._tints)
        reuse = getattr(comparison, "reuse", None)
        self.reuse_header.setText(reuse.headline("Left", "Right") if reuse is not None else "")
        if not same_pair or self.current_passage >= len(passages):
            # A recomputation of the same pair (after an entity correction) keeps the place.
            self.current_passage = -1
        n_shared = len(comparison.shared_entities)
        self.status.setText(
            f"  {n_shared} shared entit{'y' if n_shared == 1 else 'ies'}, "
            f"{len(comparison.only_a)} only left, {len(comparison.only_b)} only right · "
            f"{len(passages)} aligned passage{'s' if len(passages) != 1 else ''} (Alt+Down / Alt+Up)"
            + "".join(f" · {note}" for note in comparison.notes)
        )
        self._apply_mode()
        self.gutter.update()
        self.comparisonChanged.emit(comparison)

    def entity_tint(self, key: str) -> QColor | None:
        return self._tints.get(key)

    # ------------------------------------------------------------ passages

    def step_passage(self, step: int) -> None:
        """Alt+Down / Alt+Up: the next or previous aligned passage, both panes scrolled to it."""
        cmp = self.comparison
        if cmp is None or not cmp.shared_passages:
            return
        n = len(cmp.shared_passages)
        self.current_passage = (
            (self.current_passage + step) % n
            if self.current_passage >= 0
            else (0 if step > 0 else n - 1)
        )
        p = cmp.shared_passages[self.current_passage]
        self.scroll_pair(p.a_start, p.b_start)
        self.passageChanged.emit(self.current_passage + 1, n)
        self.status.setText(
            f"  Passage {self.current_passage + 1} of {n} · similarity {p.similarity:.0%}"
        )

    def scroll_pair(self, a_offset: int, b_offset: int) -> None:
        """Scroll the left pane to ``a_offset`` and the right one to ``b_offset`` beside it."""
        self._syncing = True
        try:
            self.left.view.scroll_to_offset(a_offset, 0.2)
            self._align_right_to(a_offset, b_offset)
        finally:
            self._syncing = False
        self.gutter.update()

    def _align_right_to(self, a_offset: int, b_offset: int) -> None:
        left, right = self.left.view, self.right.view
        screen_y = left.doc_y(a_offset) - left.verticalScrollBar().value()
        right.verticalScrollBar().setValue(int(right.doc_y(b_offset) - screen_y))

    def swap(self) -> None:
        """Swap the two documents (and their comparison) between the panes."""
        a, b = self.documents()
        if a is None or b is None:
            return
        a_matches = list(self.left.view.matches)
        b_matches = list(self.right.view.matches)
        cmp = self.comparison
        self.left.view.set_document(b)
        self.right.view.set_document(a)
        self.left.view.set_matches(b_matches) if b_matches else None
        self.right.view.set_matches(a_matches) if a_matches else None
        self.comparison = None
        if cmp is not None:
            self.set_comparison(_swapped(cmp))

    # ------------------------------------------------------------ entities

    def step_entity(self, key: str) -> None:
        """Scroll both panes to the next mention of an entity and flash it."""
        cmp = self.comparison
        if cmp is None:
            return
        for ec in (*cmp.shared_entities, *cmp.only_a, *cmp.only_b):
            if ec.entity.key == key:
                break
        else:
            return
        i = self._mention_step.get(key, 0)
        self._mention_step[key] = i + 1
        self._syncing = True
        try:
            for view, mentions in (
                (self.left.view, ec.a_mentions),
                (self.right.view, ec.b_mentions),
            ):
                if mentions:
                    m = mentions[i % len(mentions)]
                    view.scroll_to_offset(m.start, 0.35)
                    view.flash(m.start, m.end)
        finally:
            self._syncing = False

    # ------------------------------------------------------------ locked scrolling

    def set_locked(self, on: bool) -> None:
        self.locked = on
        if on:
            self._sync_from(self.left.view)

    def _anchors(self, src: ReaderView) -> tuple[list[float], list[float]]:
        """Matching y positions (document coordinates) in the source and the other pane."""
        cmp = self.comparison
        left_is_src = src is self.left.view
        other = self.right.view if left_is_src else self.left.view
        xs, ys = [0.0], [0.0]
        for p in sorted(cmp.shared_passages, key=lambda p: p.a_start if left_is_src else p.b_start):
            s0, s1 = (p.a_start, p.a_end) if left_is_src else (p.b_start, p.b_end)
            o0, o1 = (p.b_start, p.b_end) if left_is_src else (p.a_start, p.a_end)
            for sv, ov in ((src.doc_y(s0), other.doc_y(o0)), (src.doc_y(s1), other.doc_y(o1))):
                if sv > xs[-1] and ov >= ys[-1]:
                    xs.append(float(sv))
                    ys.append(float(ov))
        xs.append(max(xs[-1] + 1.0, float(src.document().size().height())))
        ys.append(max(ys[-1], float(other.document().size().height())))
        return xs, ys

    def _sync_from(self, src: ReaderView) -> None:
        if not self.locked or self._syncing or self.comparison is None or not self.compare_mode:
            return
        other = self.right.view if src is self.left.view else self.left.view
        xs, ys = self._anchors(src)
        y = src.verticalScrollBar().value() + src.viewport().height() * 0.3
        i = max(1, min(len(xs) - 1, bisect.bisect_right(xs, y)))
        x0, x1, y0, y1 = xs[i - 1], xs[i], ys[i - 1], ys[i]
        mapped = y0 + (y - x0) * (y1 - y0) / (x1 - x0 or 1.0)
        self._syncing = True
        try:
            other.verticalScrollBar().setValue(int(mapped - other.viewport().height() * 0.3))
        finally:
            self._syncing = False
        self.gutter.update()


def _swapped(cmp: Any) -> Any:
    """The same comparison seen from the other side (a<->b)."""
    import copy

    out = copy.copy(cmp)
    out.a, out.b = cmp.b, cmp.a
    out.only_a, out.only_b = [_swap_ec(e) for e in cmp.only_b], [_swap_ec(e) for e in cmp.only_a]
    out.shared_entities = [_swap_ec(e) for e in cmp.shared_entities]
    passages = []
    for p in cmp.shared_passages:
        q = copy.copy(p)
        q.a_start, q.a_end, q.b_start, q.b_end = p.b_start, p.b_end, p.a_start, p.a_end
        q.a_text, q.b_text, q.a_diff, q.b_diff = p.b_text, p.a_text, p.b_diff, p.a_diff
        passages.append(q)
    out.shared_passages = passages
    if getattr(cmp, "reuse", None) is not None:
        out.reuse = cmp.reuse.swapped()
    if getattr(cmp, "quotes", None) is not None:
        out.quotes = swapped_quotes(cmp.quotes)
    return out


def _swap_ec(ec: Any) -> Any:
    import copy

    out = copy.copy(ec)
    out.a_mentions, out.b_mentions = ec.b_mentions, ec.a_mentions
    return out


__all__ = ["CompareView", "EntityLegend", "Gutter", "QAbstractItemView"]
