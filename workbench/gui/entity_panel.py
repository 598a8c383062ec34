"""The entity panel: every canonical entity in the library, as a sortable, filterable table.

The table is a Qt model over ``lib.entities.table()`` (a pandas DataFrame). Enter
searches for ``entity:"NAME"``. Corrections (rename, merge the selected, ignore, change
type) come from the context menu and the keyboard; the panel only emits what the user
asked for, and the :class:`~.entity_controller.EntityController` runs the Library call
in the write pool; the change signal then refreshes the table and the underlines.

The Quotes column counts what each speaker is quoted saying across the library;
Shift+Enter on a row lists their quotes (the quotes controller's dialog).

Below the table, pairs of entities that are probably one ("Milow" beside "Vladimir
Milov") are offered, never merged for you: Enter merges a pair, Delete says they are
two and the pair is not offered again.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from . import icons
from .views import FilterField, Index, configure_row_table

ENTITY_TYPES = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT")
COLUMNS = ("name", "type", "documents", "mentions", "quotes", "aliases")
HEADERS = ("Name", "Type", "Docs", "Mentions", "Quotes", "Aliases")
NUMBERS = ("documents", "mentions", "quotes")
ALIASES = COLUMNS.index("aliases")
KeyRole = Qt.ItemDataRole.UserRole + 1


def count(value: Any, missing: Any = None) -> Any:
    """A count from the table (a number, or missing: None, NaN or pandas' NA)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return missing


class EntityTableModel(QAbstractTableModel):
    """A read-only Qt view of the entity DataFrame (name, type, documents, mentions, aliases)."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict[str, Any]] = []

    def set_frame(self, frame: Any) -> None:
        """Load rows from a DataFrame with columns name,type,aliases,documents,mentions,key."""
        self.beginResetModel()
        self.rows = frame.to_dict("records") if frame is not None and len(frame) else []
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in Python (a proxy sort calls data() per comparison: slow on BBC's 10,000 entities)."""
        col = COLUMNS[column]
        if col in NUMBERS:

            def key(r: dict[str, Any]) -> Any:
                return count(r.get(col), -1)
        else:

            def key(r: dict[str, Any]) -> Any:
                return str(r.get(col) or "").casefold()

        self.layoutAboutToBeChanged.emit()
        self.rows.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)
        self.layoutChanged.emit()

    def columnCount(
        self,
        parent: Index = QModelIndex(),  # noqa: B008
    ) -> int:
        return len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        col = COLUMNS[index.column()]
        value = row.get(col)
        if role == Qt.ItemDataRole.DisplayRole:
            if col == "aliases":
                return ", ".join(value) if isinstance(value, (list, tuple)) else str(value or "")
            if col == "quotes":  # a person's count; blank for others nobody quotes
                n = count(value)
                return "" if n is None else f"{n:,}"
            if col in NUMBERS:
                return f"{int(value or 0):,}"
            return str(value if value is not None else "")
        if role == Qt.ItemDataRole.EditRole:  # sort key
            if col in NUMBERS:
                return count(value, -1)
            return str(value or "").casefold()
        if role == Qt.ItemDataRole.DecorationRole and col == "type":
            return icons.icon(str(value))
        if role == Qt.ItemDataRole.ForegroundRole and col == "type":
            return icons.type_colour(str(value))
        if role == Qt.ItemDataRole.ToolTipRole and col == "name":
            aliases = row.get("aliases")
            aliases = "; ".join(aliases) if isinstance(aliases, (list, tuple)) else aliases
            return f"{value}\nalso: {aliases}" if aliases else str(value)
        if role == Qt.ItemDataRole.ToolTipRole and col == "type":
            style = icons.TYPE_STYLES.get(str(value))
            return f"{value}: {style[3]} underline" if style else None
        if role == Qt.ItemDataRole.ToolTipRole and col == "quotes" and count(value):
            return f"{count(value):,} quotes: Shift+Enter lists them"
        if role == Qt.ItemDataRole.TextAlignmentRole and col in NUMBERS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == KeyRole:
            return row.get("key")
        return None


class _Filter(QSortFilterProxyModel):
    def __init__(self) -> None:
        super().__init__()
        self.text = ""
        self.type = ""
        self._sort: tuple[int, Qt.SortOrder] | None = None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort = (column, order)
        self.sourceModel().sort(column, order)

    def resort(self) -> None:
        if self._sort is not None:
            self.sourceModel().sort(*self._sort)

    def set(self, text: str | None = None, type_: str | None = None) -> None:
        if text is not None:
            self.text = text.casefold()
        if type_ is not None:
            self.type = type_
        self.invalidate()

    def filterAcceptsRow(self, row: int, parent: Index) -> bool:
        source = self.sourceModel()
        if not isinstance(source, EntityTableModel):
            return True
        data = source.rows[row]
        if self.type and data.get("type") != self.type:
            return False
        if not self.text:
            return True
        aliases = data.get("aliases") or ""
        if not isinstance(aliases, str):  # the table joins aliases with "; "; accept a list too
            aliases = " ".join(map(str, aliases))
        hay = f"{data.get('name', '')} {aliases}".casefold()
        return self.text in hay


class EntityTable(QTableView):
    searchRequested = Signal(str)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            idx = self.currentIndex()
            if idx.isValid():
                self.searchRequested.emit(idx.siblingAtColumn(0).data(Qt.ItemDataRole.DisplayRole))
            return
        super().keyPressEvent(event)


class SuggestionList(QListWidget):
    """Pairs offered for merging: Enter merges, Delete dismisses."""

    mergeRequested = Signal(object)  # the Suggestion
    dismissRequested = Signal(object)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        item = self.currentItem()
        if item is not None and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.mergeRequested.emit(item.data(KeyRole))
            return
        if item is not None and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.dismissRequested.emit(item.data(KeyRole))
            return
        super().keyPressEvent(event)


def merged_name(names: tuple[str, str]) -> str:
    """The name a merged pair keeps: the fuller one ("Vladimir Milov" over "Milow")."""
    return max(names, key=lambda n: (len(n.split()), len(n), n))


class EntityPanel(QWidget):
    """Filter field, type filter, the table, and corrections."""

    searchRequested = Signal(str)  # a query: entity:"NAME"
    correctionRequested = Signal(str, object)  # operation, arguments dict

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.filter = FilterField("entityFilter", "Filter entities…")
        self.type_box = QComboBox()
        self.type_box.addItem("All types", "")
        for t in ENTITY_TYPES:
            self.type_box.addItem(icons.icon(t), t, t)
        self.model = EntityTableModel()
        self.proxy = _Filter()
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(Qt.ItemDataRole.EditRole)
        self.table = EntityTable()
        self.table.setObjectName("entityTable")
        configure_row_table(
            self.table,
            self.proxy,
            (3, Qt.SortOrder.DescendingOrder),
            QAbstractItemView.SelectionMode.ExtendedSelection,
            ((1, "PERSON", 30), (2, "Docs", 22), (3, "Mentions", 22), (4, "Quotes", 22)),
        )
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(ALIASES, QHeaderView.ResizeMode.Interactive)
        # Aliases make the dock too wide to read; they are in each name's tooltip and the
        # header's context menu can bring the column back.
        self.table.setColumnHidden(ALIASES, True)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(
            lambda _pos: self.table.setColumnHidden(ALIASES, not self.table.isColumnHidden(ALIASES))
        )
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._menu)
        self.table.searchRequested.connect(
            lambda name: self.searchRequested.emit(entity_query(name))
        )
        self.table.doubleClicked.connect(
            lambda idx: self.searchRequested.emit(entity_query(idx.siblingAtColumn(0).data()))
        )
        self.status = QLabel("Entities appear here once they are extracted.")
        self.status.setObjectName("entityStatus")
        self.status.setWordWrap(True)
        self.filter.textChanged.connect(self._filter_text)
        self.type_box.currentIndexChanged.connect(self._filter_type)
        self.filter.list = self.table
        self.suggestions_label = QLabel()
        self.suggestions_label.setObjectName("suggestionsLabel")
        self.suggestions_label.setWordWrap(True)
        self.suggestions = SuggestionList()
        self.suggestions.setObjectName("entitySuggestions")
        self.suggestions.mergeRequested.connect(self._merge_suggestion)
        self.suggestions.dismissRequested.connect(self._dismiss_suggestion)
        self.suggestions.itemDoubleClicked.connect(
            lambda item: self._merge_suggestion(item.data(KeyRole))
        )
        self.suggestions.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.suggestions.customContextMenuRequested.connect(self._suggestion_menu)
        self.set_suggestions([])
        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(self.type_box)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 0)
        lay.addLayout(top)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.status)
        lay.addWidget(self.suggestions_label)
        lay.addWidget(self.suggestions)
        # Corrections: widget-level shortcuts, so F2 or Delete elsewhere mean something else.
        self.correction_actions: list[QAction] = []
        for title, icon, key, handler in (
            ("Rename entity…", "rename", "F2", self.rename_selected),
            ("Merge selected entities…", "merge", "Ctrl+M", self.merge_selected),
            ("Ignore entity", "ignore", QKeySequence.StandardKey.Delete, self.ignore_selected),
            ("Change type…", "retype", "Ctrl+T", self.retype_selected),
            ("Search for this entity", "entity-search", "", self.search_selected),
        ):
            act = QAction(icons.icon(icon), title, self.table)
            if key:
                act.setShortcut(QKeySequence(key))
            act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            act.triggered.connect(handler)
            self.table.addAction(act)
            self.correction_actions.append(act)

    # ------------------------------------------------------------ data

    def set_frame(self, frame: Any) -> None:
        keys = self.selected_keys()
        self.model.set_frame(frame)
        self.proxy.resort()
        if keys:
            self.select_keys(keys)
        self._count()

    def _filter_text(self, text: str) -> None:
        self.proxy.set(text=text)
        self._count()

    def _filter_type(self, _index: int = 0) -> None:
        self.proxy.set(type_=self.type_box.currentData() or "")
        self._count()

    def _count(self) -> None:
        total, shown = self.model.rowCount(), self.proxy.rowCount()
        if total:
            self.status.setText(
                f"{total:,} entities" if shown == total else f"{shown:,} of {total:,} entities"
            )

    def selected_rows(self) -> list[dict[str, Any]]:
        rows = {self.proxy.mapToSource(i).row() for i in self.table.selectionModel().selectedRows()}
        if not rows and self.table.currentIndex().isValid():
            rows = {self.proxy.mapToSource(self.table.currentIndex()).row()}
        return [self.model.rows[r] for r in sorted(rows)]

    def selected_keys(self) -> list[str]:
        return [r["key"] for r in self.selected_rows()]

    def select_keys(self, keys: list[str]) -> None:
        sel = self.table.selectionModel()
        sel.clearSelection()
        first = None
        for r, row in enumerate(self.model.rows):
            if row.get("key") in keys:
                idx = self.proxy.mapFromSource(self.model.index(r, 0))
                if idx.isValid():
                    sel.select(idx, sel.SelectionFlag.Select | sel.SelectionFlag.Rows)
                    first = first or idx
        if first is not None:
            sel.setCurrentIndex(first, sel.SelectionFlag.NoUpdate)

    def set_suggestions(self, found: list[Any]) -> None:
        """Show the pairs offered for merging (``lib.entities.suggestions()``)."""
        self.suggestions.clear()
        for sug in found:
            item = QListWidgetItem(f"{sug.names[0]}  ~  {sug.names[1]}  ({sug.type})")
            item.setToolTip(f"{sug.reason}. Enter merges them, Delete says they are two.")
            item.setData(KeyRole, sug)
            self.suggestions.addItem(item)
        n = len(found)
        self.suggestions_label.setText(
            f"{n} pair{'s' if n != 1 else ''} that may be one entity: Enter merges, Delete says they are two"
        )
        row = self.suggestions.sizeHintForRow(0) if n else 0
        self.suggestions.setFixedHeight(row * min(n, 6) + 2 * self.suggestions.frameWidth() + 2)
        self.suggestions_label.setVisible(bool(n))
        self.suggestions.setVisible(bool(n))
        if n:
            self.suggestions.setCurrentRow(0)

    def _merge_suggestion(self, sug: Any) -> None:
        keys = (
            list(sug.keys) if merged_name(sug.names) == sug.names[0] else [sug.keys[1], sug.keys[0]]
        )
        self.correctionRequested.emit("merge", {"keys": keys, "name": merged_name(sug.names)})

    def _dismiss_suggestion(self, sug: Any) -> None:
        self.correctionRequested.emit("dismiss", {"keys": list(sug.keys)})

    def _suggestion_menu(self, pos) -> None:
        item = self.suggestions.itemAt(pos)
        if item is None:
            return
        sug = item.data(KeyRole)
        menu = QMenu(self)
        menu.addAction(
            icons.icon("merge"),
            f"Merge into {merged_name(sug.names)}\tEnter",
            lambda: self._merge_suggestion(sug),
        )
        menu.addAction(
            icons.icon("ignore"),
            "They are two entities\tDelete",
            lambda: self._dismiss_suggestion(sug),
        )
        menu.exec(self.suggestions.viewport().mapToGlobal(pos))

    # ------------------------------------------------------------ corrections

    def _menu(self, pos) -> None:
        menu = QMenu(self)
        for act in self.correction_actions:
            menu.addAction(act)
        menu.exec(self.table.viewport().mapToGlobal(pos))

    def search_selected(self) -> None:
        rows = self.selected_rows()
        if rows:
            self.searchRequested.emit(entity_query(rows[0]["name"]))

    def rename_selected(self) -> None:
        rows = self.selected_rows()
        if not rows:
            return
        name, ok = QInputDialog.getText(self, "Rename entity", "New name:", text=rows[0]["name"])
        if ok and name.strip():
            self.correctionRequested.emit("rename", {"key": rows[0]["key"], "name": name.strip()})

    def merge_selected(self) -> None:
        rows = self.selected_rows()
        if len(rows) < 2:
            self.status.setText("Select two or more entities to merge (Shift or Ctrl + arrows).")
            return
        names = [r["name"] for r in rows]
        name, ok = QInputDialog.getItem(
            self, "Merge entities", "Name of the merged entity:", names, 0, True
        )
        if ok and name.strip():
            self.correctionRequested.emit(
                "merge", {"keys": [r["key"] for r in rows], "name": name.strip()}
            )

    def ignore_selected(self) -> None:
        for row in self.selected_rows():
            self.correctionRequested.emit("ignore", {"key": row["key"]})

    def retype_selected(self) -> None:
        rows = self.selected_rows()
        if not rows:
            return
        current = ENTITY_TYPES.index(rows[0]["type"]) if rows[0]["type"] in ENTITY_TYPES else 0
        type_, ok = QInputDialog.getItem(
            self, "Change type", "Type:", list(ENTITY_TYPES), current, False
        )
        if ok:
            for row in rows:
                self.correctionRequested.emit("retype", {"key": row["key"], "type": type_})


def entity_query(name: str) -> str:
    """The search for documents naming an entity."""
    return 'entity:"{}"'.format(name.replace('"', " "))
