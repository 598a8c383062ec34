"""``lib.notes``: the researcher's notes, as the CLI and the GUI use them.

The :class:`NotesManager` checks anchors against the documents, keeps them in step when
documents change, and returns the :class:`~workbench.core.changes.Changes` of every edit
(with the note it saved). It reaches the library only through :class:`NotesHost`, so
this package never imports the Library. Nothing here ever drops a note.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Protocol

from ..changes import Changes, ChangesWith
from ..corpus import Document
from ..errors import UnknownDocument, UserError, WorkbenchError
from ..userdb import UserDatabase
from .anchoring import anchor_at, find_quote, relocate
from .backup import read_backup, restore_json
from .export import export as write_notes
from .model import Anchor, Note, NotesImport, QuoteNotFound, ReanchorReport
from .store import NoteStore


class NotesHost(Protocol):
    """What the notes manager needs from its library."""

    def notice(self, message: str) -> None: ...

    def resolve_id(self, prefix: str) -> str: ...

    def document(self, doc_id: str) -> Document: ...

    def find_document(self, doc_id: str) -> Document | None: ...

    def titles(self) -> dict[str, str]: ...

    @property
    def db(self) -> UserDatabase: ...

    def has_user_data(self) -> bool: ...

    def publish(self, changes: Changes) -> None: ...

    def corrections_changed(self) -> Changes: ...


class NotesManager:
    """Notes with tags, anchored to passages of documents."""

    def __init__(self, host: NotesHost) -> None:
        self._host = host
        self._store: NoteStore | None = None
        self.last_reanchor: ReanchorReport | None = None
        """What re-anchoring did after the last import (None if there was nothing to do)."""
        self.whose_words: Callable[[str, int, int], str | None] | None = None
        """Whose words a passage (document, start, end) is, when it lies within a quote."""

    @property
    def store(self) -> NoteStore:
        """The notes in the user database (opened on first use)."""
        db = self._host.db
        if self._store is None or self._store.database is not db:
            self._store = NoteStore(db)
        return self._store

    def _changed(self, note: Note) -> ChangesWith[Note]:
        changes = Changes(notes=frozenset({note.id}))
        self._host.publish(changes)
        return changes.with_value(note)

    # ------------------------------------------------------------ anchors

    def make_anchor(self, doc_id: str, start: int = 0, end: int = 0) -> Anchor:
        """An anchor on ``document(doc_id).text[start:end]``; ``start == end``: the whole document."""
        doc = self._host.document(doc_id)
        return anchor_at(doc.id, doc.text, start, end)

    def anchor_quote(self, doc_id: str, quote: str) -> Anchor:
        """An anchor on the first place ``quote`` occurs (ignoring case and spacing if need be)."""
        doc = self._host.document(doc_id)
        span = find_quote(doc.text, quote)
        if span is None:
            short = quote if len(quote) <= 60 else quote[:57] + "…"
            raise QuoteNotFound(f"the quote “{short}” is not in {doc.id} ({doc.title[:60]})")
        return anchor_at(doc.id, doc.text, *span)

    def _checked(self, anchors: Iterable[Anchor]) -> tuple[list[Anchor], dict[str, str]]:
        """Anchors checked against the documents, with the quote and context filled in."""
        out: list[Anchor] = []
        shas: dict[str, str] = {}
        for a in anchors:
            doc = self._host.find_document(a.doc_id)
            if doc is None:
                if a.orphaned:  # an orphan of a removed document keeps its place
                    out.append(a)
                    continue
                doc = self._host.document(a.doc_id)
            shas[doc.id] = doc.sha
            if a.orphaned:
                out.append(relocate(a, doc.text))
                continue
            made = anchor_at(doc.id, doc.text, a.start, a.end)
            if a.quote and made.quote != a.quote:
                raise UserError(
                    f"the anchor's quote does not match {doc.id} at {a.start}-{a.end}; "
                    "make anchors with notes.make_anchor or notes.anchor_quote"
                )
            out.append(made)
        return out, shas

    # ------------------------------------------------------------ editing

    def add(
        self, body: str, tags: Iterable[str] = (), anchors: Iterable[Anchor] = ()
    ) -> ChangesWith[Note]:
        """Save a new note; when this returns it is on disk."""
        checked, shas = self._checked(anchors)
        return self._changed(self.store.add(body, tags, checked, shas))

    def update(
        self,
        note_id: int,
        body: str | None = None,
        tags: Iterable[str] | None = None,
        anchors: Iterable[Anchor] | None = None,
    ) -> ChangesWith[Note]:
        """Change a note's body, tags or anchors (only what is given)."""
        if anchors is None:
            return self._changed(self.store.update(note_id, body, tags))
        checked, shas = self._checked(anchors)
        return self._changed(self.store.update(note_id, body, tags, checked, shas))

    def delete(self, note_id: int) -> ChangesWith[Note]:
        """Move a note to the deleted view; :meth:`restore` undoes it (for 30 days)."""
        return self._changed(self.store.delete(note_id))

    def restore(self, note_id: int) -> ChangesWith[Note]:
        """Bring back a deleted note."""
        return self._changed(self.store.restore(note_id))

    # ------------------------------------------------------------ reading

    def get(self, note_id: int) -> Note:
        """One live note by id."""
        return self.store.get(note_id)

    def query(
        self,
        doc_id: str | None = None,
        pair: tuple[str, str] | None = None,
        tag: str | None = None,
        text: str | None = None,
        deleted: bool = False,
    ) -> list[Note]:
        """Notes on a document, on a pair of documents (both anchored), with a tag, or
        matching a search-box query; all live notes with no filter; ``deleted=True``: the
        deleted view."""

        def full(i: str) -> str:
            try:
                return self._host.resolve_id(i)
            except UnknownDocument:
                return i  # a removed document's notes are still listed

        return self.store.query(
            doc_id=full(doc_id) if doc_id else None,
            pair=(full(pair[0]), full(pair[1])) if pair else None,
            tag=tag,
            text=text,
            deleted=deleted,
        )

    def search(self, query: str, limit: int = 50) -> list[Note]:
        """Live notes matching a search-box query, best first, each with a snippet."""
        return self.store.search(query, limit=limit)

    def speaker(self, anchor: Anchor) -> str | None:
        """Whose words an anchored passage is ("Li Zhanshu"), when it lies within a quote
        with a named speaker; derived each time from the document's quotes, never stored
        with the note."""
        if anchor.whole_document or anchor.orphaned or self.whose_words is None:
            return None
        try:
            return self.whose_words(anchor.doc_id, anchor.start, anchor.end)
        except WorkbenchError:  # no entity cache to read: the note is shown without it
            return None

    def page(self, anchor: Anchor) -> str | None:
        """The page or chapter an anchored passage starts on ("p. 4", "Chapter 2"), for a
        document that has pages; derived from the document each time."""
        if anchor.whole_document or anchor.orphaned:
            return None
        doc = self._host.find_document(anchor.doc_id)
        return doc.section_at(anchor.start) if doc is not None else None

    def speakers(self, notes: Iterable[Note]) -> dict[tuple[str, int, int], str]:
        """:meth:`speaker` of every anchor of these notes that has one, by (document,
        start, end)."""
        out = {}
        for n in notes:
            for a in n.anchors:
                who = self.speaker(a)
                if who:
                    out[(a.doc_id, a.start, a.end)] = who
        return out

    def tags(self) -> list[tuple[str, int]]:
        """Tags in use and how many notes carry each (for completion), most used first."""
        return self.store.tags()

    # ------------------------------------------------------------ export and backup

    def export(self, path: str | os.PathLike[str], fmt: str | None = None) -> int:
        """Write notes as md (by document), csv (note x anchor) or json (full backup,
        with entity corrections); the format defaults to the file's suffix."""
        sections = {}
        for doc_id in self.store.anchored_docs():  # pages cited for the documents that have them
            doc = self._host.find_document(doc_id)
            if doc is not None and doc.sections:
                sections[doc_id] = doc.sections
        return write_notes(
            self.store, Path(path), fmt, self._host.titles(), sections, self.speakers
        )

    def import_backup(self, path: str | os.PathLike[str]) -> NotesImport:
        """Restore a JSON backup (notes and entity corrections); importing twice changes nothing."""
        report = restore_json(self.store, read_backup(Path(path)))
        self.reanchor()
        changes = Changes(note_list=bool(report.added or report.updated))
        if report.corrections_added:
            changes = changes | self._host.corrections_changed()  # the index follows at once
        report.changes = changes
        self._host.publish(changes)
        return report

    # ------------------------------------------------------------ re-anchoring

    def reanchor(self, doc_ids: Iterable[str] | None = None) -> ReanchorReport:
        """Find anchors again in documents that changed since they were made."""
        wanted = set(doc_ids) if doc_ids is not None else None
        report = ReanchorReport()
        for doc_id, shas in self.store.anchored_docs().items():
            if wanted is not None and doc_id not in wanted:
                continue
            doc = self._host.find_document(doc_id)
            if doc is not None and shas == {doc.sha}:
                continue
            report.merge(
                self.store.reanchor(doc_id, doc.text if doc else None, doc.sha if doc else "")
            )
        return report

    def after_import(self, written: Iterable[str], removed: Iterable[str]) -> None:
        """Re-anchor the notes on documents an import changed or removed, and say what moved."""
        written, removed = list(written), list(removed)
        if not written and not removed:
            return
        if self._store is None and not self._host.has_user_data():
            return  # no notes yet: do not create the database while indexing
        try:
            anchored = self.store.anchored_docs()
        except WorkbenchError as exc:
            self._host.notice(f"Notes were not re-anchored to the changed documents: {exc}")
            return
        if not anchored.keys() & (set(written) | set(removed)):
            return
        report = ReanchorReport()
        for doc_id in written:
            doc = self._host.find_document(doc_id)
            if doc is not None and doc_id in anchored and anchored[doc_id] != {doc.sha}:
                report.merge(self.store.reanchor(doc_id, doc.text, doc.sha))
        for doc_id in removed:
            if doc_id in anchored:
                report.merge(self.store.reanchor(doc_id, None))
        self.last_reanchor = report
        if report.moved or report.orphaned or report.recovered:
            self._host.notice("Note anchors in changed documents: " + report.summary() + ".")
