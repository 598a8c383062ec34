"""What the window hands to each controller: the library and the window's shared services.

A controller sits beside its panel (entities, notes, compare, the document list) and
does that feature's work: it runs Library calls through the task runner, registers its
commands in the action registry, and refreshes its panel from the change signal. The
window builds one :class:`WindowContext` and gives it to every controller, so no
controller reaches into the window and the window adds nothing to a controller.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from workbench.core.library import Library

from .actions import ActionRegistry
from .changes import ChangeBridge
from .compare_view import CompareView
from .errors import ErrorReporter
from .reader_pane import ReaderPane
from .tasks import TaskRunner


@dataclass(frozen=True)
class WindowContext:
    """The library and the services of one window that controllers share."""

    lib: Library
    tasks: TaskRunner
    errors: ErrorReporter
    changes: ChangeBridge
    registry: ActionRegistry
    readers: CompareView
    """The reading area: the left reader, and the right one in compare mode."""
    show_status: Callable[[str, int], None]
    """Show a one-line message in the status bar for so many milliseconds."""

    def shown_panes(self) -> list[ReaderPane]:
        """The reader panes that show a document (the right one only in compare mode)."""
        left, right = self.readers.left, self.readers.right
        panes = [left, right] if self.readers.compare_mode else [left]
        return [p for p in panes if p.view.doc is not None]
