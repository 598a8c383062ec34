"""The library's changes as one Qt signal on the UI thread.

Every mutation of the :class:`~workbench.core.library.Library` (an import, an entity
correction, a note edit, an undo, a restored backup) hands a
:class:`~workbench.core.changes.Changes` to its subscribers on the thread that made the
change, usually a worker. :class:`ChangeBridge` subscribes once and re-emits each one as
``changed`` on the UI thread; panels and controllers connect to it and refresh what the
change touched (documents, entities, notes) instead of being called in a chain.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal, Slot

from workbench.core.changes import Changes
from workbench.core.library import Library


class ChangeBridge(QObject):
    """Subscribes to a Library and emits ``changed(Changes)`` on the thread it lives in."""

    changed = Signal(object)  # Changes
    _arrived = Signal(object)

    def __init__(self, lib: Library, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # Queued even when the change is made on the UI thread itself: a view then
        # refreshes after the code that made the change has finished, never inside it.
        self._arrived.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._unsubscribe = lib.subscribe(self._arrived.emit)
        self.closed = False

    @Slot(object)
    def _deliver(self, changes: Changes) -> None:
        if not self.closed:
            self.changed.emit(changes)

    def close(self) -> None:
        """Stop listening (the window is closing; a change on its way is dropped)."""
        self.closed = True
        self._unsubscribe()
