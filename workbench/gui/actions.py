"""The one registry of actions, and everything built from it.

Every command the window offers is declared once as an :class:`ActionSpec` (id, title,
icon, default shortcuts, handler, category). The menus, the toolbar, the command
palette (Ctrl+Shift+P) and the F1 shortcut sheet are all generated from the registry,
so they can never disagree (napari's app-model, Picard's ``@add_action``).

Some keys are handled by a widget rather than the window (Enter in the result list,
Ctrl+Enter to open beside); their actions carry the key as a ``hint`` so that the
palette and the sheet still show it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSortFilterProxyModel, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QDialog,
    QLineEdit,
    QListView,
    QMenuBar,
    QTextBrowser,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from . import icons

Shortcut = str | QKeySequence.StandardKey

CATEGORIES = ("File", "Search", "View", "Compare", "Entities", "Help")


@dataclass
class ActionSpec:
    """One command: how it is named, drawn, reached by keyboard, and what it does."""

    id: str
    title: str
    icon: str
    shortcuts: Sequence[Shortcut]
    handler: Callable[[], object]
    category: str
    checkable: bool = False
    checked: bool = False
    toolbar: bool = False
    hint: str = ""  # a key handled by a widget, shown in the palette and sheet
    context: Qt.ShortcutContext = Qt.ShortcutContext.WindowShortcut
    qaction: QAction | None = field(default=None, repr=False)

    def key_text(self) -> str:
        """The shortcuts as the user reads them: "Ctrl+K, Ctrl+F, /"."""
        keys = []
        for sc in self.shortcuts:
            seq = QKeySequence(sc)
            text = seq.toString(QKeySequence.SequenceFormat.NativeText)
            if text and text not in keys:
                keys.append(text)
        if self.hint:
            keys.append(self.hint)
        return ", ".join(keys)


_EDITING_KEYS = (
    QKeySequence.StandardKey.Copy,
    QKeySequence.StandardKey.Cut,
    QKeySequence.StandardKey.Paste,
    QKeySequence.StandardKey.Undo,
    QKeySequence.StandardKey.Redo,
    QKeySequence.StandardKey.SelectAll,
)
"""Keys a text field keeps even where an action has the same one."""
_COMMAND_MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)


class ActionsBeforeLineEditing(QObject):
    """An application event filter: in a one-line text field, the window's action keys
    win over the field's own line-editing keys.

    On X11 a QLineEdit takes Ctrl+E (end of line), Ctrl+K (delete to the end) and Ctrl+U
    (delete the line) before any shortcut sees them, so with the search box focused,
    where Esc always leaves the keyboard, Ctrl+E would never reach the entities. Those
    keys have other ways (End, Shift+End, Ctrl+Backspace); copy, cut, paste, undo, redo
    and select-all stay the field's.
    """

    def __init__(self, registry: ActionRegistry) -> None:
        super().__init__(registry.owner)
        self.registry = registry

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.ShortcutOverride or not isinstance(obj, QLineEdit):
            return False
        assert isinstance(event, QKeyEvent)
        if not event.modifiers() & _COMMAND_MODIFIERS:
            return False  # a character ("/") is typed, not a command
        if any(event.matches(key) for key in _EDITING_KEYS):
            return False
        pressed = QKeySequence(event.keyCombination()).toString()
        if pressed not in self.registry.window_keys():
            return False
        event.ignore()  # not overridden: the window's shortcut runs
        return True


class ActionRegistry:
    """Holds the ActionSpecs and creates their QActions, parented to ``owner``."""

    def __init__(self, owner: QWidget) -> None:
        self.owner = owner
        self.specs: dict[str, ActionSpec] = {}

    def add(
        self,
        id: str,
        title: str,
        icon: str,
        shortcuts: Sequence[Shortcut] | Shortcut = (),
        handler: Callable[[], object] | None = None,
        category: str = "View",
        **options: Any,
    ) -> QAction:
        """Register a command and return its QAction (added to ``owner`` for shortcuts)."""
        if id in self.specs:
            raise ValueError(f"action '{id}' is registered twice")
        if isinstance(shortcuts, (str, QKeySequence.StandardKey)):
            shortcuts = [shortcuts]
        spec = ActionSpec(
            id, title, icon, list(shortcuts), handler or (lambda: None), category, **options
        )
        act = QAction(icons.icon(icon), title, self.owner)
        act.setObjectName(f"action-{id}")
        keys: list[QKeySequence] = []
        for sc in spec.shortcuts:
            if isinstance(sc, QKeySequence.StandardKey):
                keys.extend(QKeySequence.keyBindings(sc))
            else:
                keys.append(QKeySequence(sc))
        # The same key twice on one action makes Qt treat it as ambiguous and ignore it.
        unique = list({k.toString(): k for k in keys if not k.isEmpty()}.values())
        act.setShortcuts(unique)
        act.setShortcutContext(spec.context)
        act.setCheckable(spec.checkable)
        if spec.checkable:
            act.setChecked(spec.checked)
            act.toggled.connect(lambda _checked, s=spec: s.handler())
        else:
            act.triggered.connect(lambda _checked=False, s=spec: s.handler())
        tip = spec.key_text()
        act.setToolTip(f"{title} ({tip})" if tip else title)
        spec.qaction = act
        self.specs[id] = spec
        if spec.context == Qt.ShortcutContext.WindowShortcut:
            self.owner.addAction(act)
        return act

    def window_keys(self) -> set[str]:
        """The keys of every window-wide action, as portable strings ("Ctrl+E")."""
        return {
            key.toString()
            for spec in self.specs.values()
            if spec.qaction is not None and spec.context == Qt.ShortcutContext.WindowShortcut
            for key in spec.qaction.shortcuts()
        }

    def adder(self, category: str) -> Callable[..., QAction]:
        """:meth:`add` with the category given, for registering a group of commands."""
        return functools.partial(self.add, category=category)

    def __getitem__(self, id: str) -> QAction:
        act = self.specs[id].qaction
        assert act is not None
        return act

    def trigger(self, id: str) -> None:
        self[id].trigger()

    def by_category(self) -> dict[str, list[ActionSpec]]:
        groups: dict[str, list[ActionSpec]] = {c: [] for c in CATEGORIES}
        for spec in self.specs.values():
            groups.setdefault(spec.category, []).append(spec)
        return {k: v for k, v in groups.items() if v}

    def build_menus(self, menubar: QMenuBar) -> None:
        """One menu per category, in CATEGORIES order."""
        for category, specs in self.by_category().items():
            menu = menubar.addMenu(f"&{category}")
            for spec in specs:
                assert spec.qaction is not None
                menu.addAction(spec.qaction)

    def build_toolbar(self, toolbar: QToolBar) -> None:
        """The actions marked ``toolbar=True``, grouped by category."""
        last = None
        for spec in self.specs.values():
            if not spec.toolbar:
                continue
            if last is not None and spec.category != last:
                toolbar.addSeparator()
            assert spec.qaction is not None
            toolbar.addAction(spec.qaction)
            last = spec.category

    def shortcut_sheet_html(self) -> str:
        """The F1 sheet: every action with its keys, by category."""
        parts = ["<h2>Keyboard shortcuts</h2>"]
        for category, specs in self.by_category().items():
            rows = "".join(
                f"<tr><td style='padding:2px 16px 2px 0'><b>{s.key_text() or '—'}</b></td>"
                f"<td>{s.title}</td></tr>"
                for s in specs
            )
            parts.append(f"<h3>{category}</h3><table>{rows}</table>")
        parts.append(
            "<p>Esc always returns to the search box. Ctrl+Shift+P lists every command.</p>"
        )
        return "".join(parts)


def fuzzy_score(query: str, text: str) -> int | None:
    """Subsequence match score (higher is better) or None if ``query`` is not in ``text``.

    Consecutive letters and letters at word starts score more, so "swp" finds
    "Swap panes" before "Show passages".
    """
    q = query.casefold().replace(" ", "")
    t = text.casefold()
    if not q:
        return 0
    score, pos, prev = 0, 0, -2
    for ch in q:
        idx = t.find(ch, pos)
        if idx < 0:
            return None
        score += 1
        if idx == prev + 1:
            score += 3
        if idx == 0 or not t[idx - 1].isalnum():
            score += 2
        prev, pos = idx, idx + 1
    return score * 100 - len(t)


class _FuzzyProxy(QSortFilterProxyModel):
    def __init__(self) -> None:
        super().__init__()
        self.query = ""

    def set_query(self, text: str) -> None:
        self.query = text
        self.invalidate()
        self.sort(0, Qt.SortOrder.DescendingOrder)

    def _score(self, row: int) -> int | None:
        idx = self.sourceModel().index(row, 0)
        return fuzzy_score(self.query, idx.data(Qt.ItemDataRole.UserRole + 1))

    def filterAcceptsRow(self, row: int, parent: object) -> bool:
        return self._score(row) is not None

    def lessThan(self, left, right) -> bool:
        ls = fuzzy_score(self.query, left.data(Qt.ItemDataRole.UserRole + 1)) or 0
        rs = fuzzy_score(self.query, right.data(Qt.ItemDataRole.UserRole + 1)) or 0
        if ls == rs:  # keep registry order among equals
            return left.row() > right.row()
        return ls < rs


class CommandPalette(QDialog):
    """Ctrl+Shift+P: type to fuzzy-filter every action, Enter runs it."""

    def __init__(self, registry: ActionRegistry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Commands")
        self.registry = registry
        self.resize(560, 420)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("Type a command…")
        self.edit.setClearButtonEnabled(True)
        self.model = QStandardItemModel()
        for spec in registry.specs.values():
            keys = spec.key_text()
            item = QStandardItem(
                icons.icon(spec.icon),
                f"{spec.category}: {spec.title}" + (f"    {keys}" if keys else ""),
            )
            item.setData(f"{spec.category} {spec.title}", Qt.ItemDataRole.UserRole + 1)
            item.setData(spec.id, Qt.ItemDataRole.UserRole + 2)
            item.setEnabled(bool(spec.qaction and spec.qaction.isEnabled()))
            item.setEditable(False)
            self.model.appendRow(item)
        self.proxy = _FuzzyProxy()
        self.proxy.setSourceModel(self.model)
        self.view = QListView()
        self.view.setModel(self.proxy)
        self.view.setUniformItemSizes(True)
        self.view.activated.connect(self._run_index)
        lay = QVBoxLayout(self)
        lay.addWidget(self.edit)
        lay.addWidget(self.view)
        self.edit.textChanged.connect(self._filter)
        self.edit.installEventFilter(self)
        self._filter("")

    def _filter(self, text: str) -> None:
        self.proxy.set_query(text)
        if self.proxy.rowCount():
            self.view.setCurrentIndex(self.proxy.index(0, 0))

    def eventFilter(self, obj, event) -> bool:
        from PySide6.QtCore import QEvent

        if obj is self.edit and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
                self.view.keyPressEvent(event)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._run_index(self.view.currentIndex())
                return True
        return super().eventFilter(obj, event)

    def visible_ids(self) -> list[str]:
        """The action ids listed, best match first (for tests and for the reader's eyes)."""
        return [
            self.proxy.index(r, 0).data(Qt.ItemDataRole.UserRole + 2)
            for r in range(self.proxy.rowCount())
        ]

    def _run_index(self, index) -> None:
        if not index.isValid():
            return
        spec = self.registry.specs[index.data(Qt.ItemDataRole.UserRole + 2)]
        self.accept()
        # Give the keyboard back to the window before the command runs (it may move focus).
        self.registry.owner.activateWindow()
        if spec.qaction is not None and spec.qaction.isEnabled():
            spec.qaction.trigger()


class ShortcutSheet(QDialog):
    """F1: every action and its keys, generated from the registry."""

    def __init__(self, registry: ActionRegistry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.resize(560, 640)
        self.browser = QTextBrowser()
        self.browser.setHtml(registry.shortcut_sheet_html())
        lay = QVBoxLayout(self)
        lay.addWidget(self.browser)

    def done(self, result: int) -> None:
        super().done(result)
        parent = self.parentWidget()
        if parent is not None:
            parent.activateWindow()
