"""What a change to the library changed: one small value every mutation returns.

Imports, entity corrections, note edits, undo and the import of a backup each return
(or carry, in their report) a :class:`Changes`. The :class:`~workbench.core.library.Library`
also hands it to every subscriber (:meth:`Library.subscribe`), so a view refreshes from
one signal that says what changed instead of from a hand-written chain of calls. The
model is Anki's ``OpChanges``: the operation says what it touched, the views decide what
to redraw.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, kw_only=True)
class Changes:
    """Which documents, entities and notes a mutation changed."""

    documents: frozenset[str] = frozenset()
    """Documents added or whose text changed."""
    removed: frozenset[str] = frozenset()
    """Documents taken out of the library."""
    entities: bool = False
    """Entity results changed: an extraction, a correction or its undo."""
    notes: frozenset[int] = frozenset()
    """Notes created, edited, deleted or restored (by id)."""
    note_list: bool = False
    """The set of notes changed in a way ids do not capture (a backup was imported)."""

    @classmethod
    def of(
        cls,
        documents: Iterable[str] = (),
        removed: Iterable[str] = (),
        entities: bool = False,
        notes: Iterable[int] = (),
        note_list: bool = False,
    ) -> Changes:
        return cls(
            documents=frozenset(documents),
            removed=frozenset(removed),
            entities=entities,
            notes=frozenset(notes),
            note_list=note_list,
        )

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            documents=self.documents | other.documents,
            removed=self.removed | other.removed,
            entities=self.entities or other.entities,
            notes=self.notes | other.notes,
            note_list=self.note_list or other.note_list,
        )

    def __bool__(self) -> bool:
        return bool(self.documents or self.removed or self.entities or self.notes or self.note_list)

    def with_value(self, value: T) -> ChangesWith[T]:
        """These changes, carrying what the mutation gives back."""
        own = {f.name: getattr(self, f.name) for f in fields(Changes)}
        return ChangesWith(**own, value=value)

    @property
    def library(self) -> bool:
        """True when the list of documents or a document's text changed."""
        return bool(self.documents or self.removed)


@dataclass(frozen=True, kw_only=True)
class ChangesWith(Changes, Generic[T]):
    """The changes of a mutation that also gives something back (the note it saved, say)."""

    value: T


NO_CHANGES = Changes()

Subscriber = Callable[[Changes], None]


@dataclass
class Publisher:
    """Hands each :class:`Changes` to the subscribers; an empty one reaches nobody."""

    subscribers: list[Subscriber] = field(default_factory=list)

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """Call ``callback(changes)`` after every mutation; returns a function that stops it.

        The callback runs on the thread that made the change: a GUI hands it on to its
        own thread (a queued Qt signal).
        """
        self.subscribers.append(callback)
        return lambda: self.subscribers.remove(callback) if callback in self.subscribers else None

    def publish(self, changes: Changes) -> None:
        if not changes:
            return
        for callback in list(self.subscribers):
            callback(changes)
