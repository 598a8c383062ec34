"""The notes in the user database: reading, writing, searching and re-anchoring.

Deleting only sets ``deleted``, so it can be undone; deleted notes are purged after
:data:`~.model.PURGE_AFTER_DAYS`. Every write is one ``BEGIN IMMEDIATE`` transaction.
Search runs on SQLite FTS5 (the ``notes_fts`` table, kept in step by triggers).
"""

from __future__ import annotations

import re
import sqlite3
import uuid
from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from ..userdb import UserDatabase
from .anchoring import relocate
from .model import PURGE_AFTER_DAYS, Anchor, Note, ReanchorReport, UnknownNote, now
from .query import fts_query


def clean_tags(tags: Iterable[str]) -> list[str]:
    """Tags as stored: spacing tidied, a leading '#' dropped, no repeats (ignoring case)."""
    seen: dict[str, str] = {}
    for tag in tags:
        t = re.sub(r"\s+", " ", str(tag)).strip().lstrip("#").strip()
        if t and t.casefold() not in seen:
            seen[t.casefold()] = t
    return list(seen.values())


class NoteStore:
    """Notes in the user database. Thread-safe: the database's lock serialises its use."""

    def __init__(self, database: UserDatabase) -> None:
        self.database = database
        self.db = database.conn
        self.lock = database.lock

    def transaction(
        self, what: str = "the change to your notes"
    ) -> AbstractContextManager[sqlite3.Connection]:
        """A write transaction; ``what`` is named if the disk refuses it (a full disk)."""
        return self.database.transaction(what)

    # ------------------------------------------------------------- reading

    def load(self, rows: Sequence[sqlite3.Row]) -> list[Note]:
        notes = {
            r["id"]: Note(
                id=r["id"],
                body=r["body"],
                created=r["created"],
                updated=r["updated"],
                deleted=r["deleted"],
                uid=r["uid"],
            )
            for r in rows
        }
        if not notes:
            return []
        ids = list(notes)
        for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
            marks = ",".join("?" * len(chunk))
            for r in self.db.execute(
                f"SELECT nt.note_id, t.name FROM note_tags nt JOIN tags t ON t.id = nt.tag_id "
                f"WHERE nt.note_id IN ({marks}) ORDER BY t.name COLLATE NOCASE",
                chunk,
            ):
                notes[r[0]].tags.append(r[1])
            for r in self.db.execute(
                f'SELECT note_id, doc_id, start, "end", quote, prefix, suffix, orphaned FROM anchors '
                f"WHERE note_id IN ({marks}) ORDER BY note_id, position",
                chunk,
            ):
                notes[r[0]].anchors.append(Anchor(r[1], r[2], r[3], r[4], r[5], r[6], bool(r[7])))
        return [notes[i] for i in ids]

    def get(self, note_id: int, include_deleted: bool = False) -> Note:
        """The note with this id; :class:`UnknownNote` if there is none (or it is deleted)."""
        if not 0 < note_id < 2**63:  # SQLite's integers: anything else is no note
            raise UnknownNote(f"note {note_id} does not exist (see 'workbench notes list')")
        with self.lock:
            row = self.db.execute("SELECT * FROM notes WHERE id = ?", (note_id,)).fetchone()
            if row is None or (row["deleted"] and not include_deleted):
                state = "is deleted (restore it first)" if row is not None else "does not exist"
                raise UnknownNote(f"note {note_id} {state} (see 'workbench notes list')")
            return self.load([row])[0]

    def query(
        self,
        doc_id: str | None = None,
        pair: tuple[str, str] | None = None,
        tag: str | None = None,
        text: str | None = None,
        deleted: bool = False,
    ) -> list[Note]:
        """Notes matching every filter given. ``deleted=True`` lists only deleted notes.

        With ``doc_id``, notes come in reading order (by the position of their anchor);
        otherwise the most recently edited first.
        """
        where = ["n.deleted IS NOT NULL" if deleted else "n.deleted IS NULL"]
        params: list[object] = []
        anchored = "EXISTS (SELECT 1 FROM anchors a WHERE a.note_id = n.id AND a.doc_id = ?)"
        for d in ([doc_id] if doc_id is not None else []) + list(pair or ()):
            where.append(anchored)
            params.append(d)
        if tag:
            where.append(
                "EXISTS (SELECT 1 FROM note_tags nt JOIN tags t ON t.id = nt.tag_id "
                "WHERE nt.note_id = n.id AND t.name = ? COLLATE NOCASE)"
            )
            params.append(tag.strip().lstrip("#"))
        if text:
            match = fts_query(text)
            if match is None:
                return []
            where.append("n.id IN (SELECT rowid FROM notes_fts WHERE notes_fts MATCH ?)")
            params.append(match)
        order = "n.updated DESC, n.id DESC"
        if doc_id is not None:
            order = (
                "(SELECT min(a.start) FROM anchors a WHERE a.note_id = n.id AND a.doc_id = ?), n.id"
            )
            params.append(doc_id)
        sql = f"SELECT n.* FROM notes n WHERE {' AND '.join(where)} ORDER BY {order}"
        with self.lock:
            return self.load(self.db.execute(sql, params).fetchall())

    def search(self, query: str, limit: int = 50) -> list[Note]:
        """Live notes matching a search-box query (see :func:`fts_query`), best first.

        Ranked by SQLite FTS5's bm25 over body, tags and quotes; each note carries a
        ``snippet`` of its body with the matched words in ``**``.
        """
        match = fts_query(query)
        if match is None:
            return []
        with self.lock:
            rows = self.db.execute(
                "SELECT n.*, snippet(notes_fts, 0, '**', '**', '…', 12) AS snip "
                "FROM notes_fts f JOIN notes n ON n.id = f.rowid "
                "WHERE notes_fts MATCH ? AND n.deleted IS NULL "
                "ORDER BY bm25(notes_fts, 1.0, 2.0, 1.0), n.updated DESC LIMIT ?",
                (match, limit),
            ).fetchall()
            notes = self.load(rows)
        for note, row in zip(notes, rows, strict=True):
            note.snippet = row["snip"] or note.title
        return notes

    def tags(self) -> list[tuple[str, int]]:
        """Every tag used by a live note, with how many notes use it, most used first."""
        with self.lock:
            rows = self.db.execute(
                "SELECT t.name, count(*) FROM tags t JOIN note_tags nt ON nt.tag_id = t.id "
                "JOIN notes n ON n.id = nt.note_id WHERE n.deleted IS NULL "
                "GROUP BY t.id ORDER BY count(*) DESC, t.name COLLATE NOCASE"
            ).fetchall()
        return [(r[0], r[1]) for r in rows]

    def count(self) -> int:
        with self.lock:
            return int(
                self.db.execute("SELECT count(*) FROM notes WHERE deleted IS NULL").fetchone()[0]
            )

    # ------------------------------------------------------------- writing

    def set_tags(self, note_id: int, tags: Sequence[str]) -> None:
        self.db.execute("DELETE FROM note_tags WHERE note_id = ?", (note_id,))
        for tag in tags:
            self.db.execute("INSERT OR IGNORE INTO tags(name) VALUES (?)", (tag,))
            self.db.execute(
                "INSERT OR IGNORE INTO note_tags(note_id, tag_id) "
                "SELECT ?, id FROM tags WHERE name = ? COLLATE NOCASE",
                (note_id, tag),
            )

    def set_anchors(self, note_id: int, anchors: Sequence[Anchor], shas: Mapping[str, str]) -> None:
        self.db.execute("DELETE FROM anchors WHERE note_id = ?", (note_id,))
        for pos, a in enumerate(anchors):
            self.db.execute(
                'INSERT INTO anchors(note_id, position, doc_id, start, "end", quote, prefix, '
                "suffix, orphaned, doc_sha) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    note_id,
                    pos,
                    a.doc_id,
                    a.start,
                    a.end,
                    a.quote,
                    a.prefix,
                    a.suffix,
                    int(a.orphaned),
                    shas.get(a.doc_id, ""),
                ),
            )

    def add(
        self,
        body: str,
        tags: Iterable[str] = (),
        anchors: Sequence[Anchor] = (),
        shas: Mapping[str, str] | None = None,
    ) -> Note:
        """Save a new note (committed, durably, when this returns)."""
        stamp = now()
        with self.transaction("the note"):
            cur = self.db.execute(
                "INSERT INTO notes(uid, body, created, updated) VALUES (?,?,?,?)",
                (uuid.uuid4().hex, body, stamp, stamp),
            )
            note_id = int(cur.lastrowid or 0)
            self.set_tags(note_id, clean_tags(tags))
            self.set_anchors(note_id, anchors, shas or {})
        return self.get(note_id)

    def update(
        self,
        note_id: int,
        body: str | None = None,
        tags: Iterable[str] | None = None,
        anchors: Sequence[Anchor] | None = None,
        shas: Mapping[str, str] | None = None,
    ) -> Note:
        """Change what is given; an edit that changes nothing does not touch ``updated``."""
        with self.transaction():
            old = self.get(note_id)
            new_tags = clean_tags(tags) if tags is not None else old.tags
            changed = False
            if body is not None and body != old.body:
                self.db.execute("UPDATE notes SET body = ? WHERE id = ?", (body, note_id))
                changed = True
            if tags is not None and new_tags != old.tags:
                self.set_tags(note_id, new_tags)
                changed = True
            if anchors is not None and list(anchors) != old.anchors:
                self.set_anchors(note_id, anchors, shas or {})
                changed = True
            if changed:
                self.db.execute("UPDATE notes SET updated = ? WHERE id = ?", (now(), note_id))
        return self.get(note_id)

    def delete(self, note_id: int) -> Note:
        """Move a note to the deleted view (undo with :meth:`restore`)."""
        with self.transaction():
            note = self.get(note_id)
            stamp = now()
            self.db.execute(
                "UPDATE notes SET deleted = ?, updated = ? WHERE id = ?", (stamp, stamp, note_id)
            )
        return replace(note, deleted=stamp, updated=stamp)

    def restore(self, note_id: int) -> Note:
        """Bring back a deleted note."""
        with self.transaction():
            note = self.get(note_id, include_deleted=True)
            if note.deleted:
                self.db.execute(
                    "UPDATE notes SET deleted = NULL, updated = ? WHERE id = ?", (now(), note_id)
                )
        return self.get(note_id)

    def purge_deleted(self, days: int = PURGE_AFTER_DAYS, at: datetime | None = None) -> int:
        """Remove for good the notes deleted more than ``days`` ago; how many."""
        cutoff = ((at or datetime.now(UTC)) - timedelta(days=days)).strftime(
            "%Y-%m-%dT%H:%M:%S.000Z"
        )
        with self.transaction():
            cur = self.db.execute(
                "DELETE FROM notes WHERE deleted IS NOT NULL AND deleted < ?", (cutoff,)
            )
            self.db.execute("DELETE FROM tags WHERE id NOT IN (SELECT tag_id FROM note_tags)")
        return cur.rowcount

    # ------------------------------------------------------------- re-anchoring

    def anchored_docs(self) -> dict[str, set[str]]:
        """For each document with anchors, the document versions (shas) they refer to."""
        with self.lock:
            out: dict[str, set[str]] = {}
            for r in self.db.execute("SELECT DISTINCT doc_id, doc_sha FROM anchors"):
                out.setdefault(r[0], set()).add(r[1])
            return out

    def reanchor(self, doc_id: str, text: str | None, sha: str = "") -> ReanchorReport:
        """Find this document's anchors again in its new ``text`` (``None``: it was removed)."""
        report = ReanchorReport()
        with self.transaction():
            rows = self.db.execute(
                'SELECT id, doc_id, start, "end", quote, prefix, suffix, orphaned, doc_sha '
                "FROM anchors WHERE doc_id = ?",
                (doc_id,),
            ).fetchall()
            for r in rows:
                old = Anchor(r[1], r[2], r[3], r[4], r[5], r[6], bool(r[7]))
                if text is not None and r[8] == sha and sha and not old.orphaned:
                    report.unchanged += 1
                    continue
                new = relocate(old, text)
                if new.orphaned:
                    report.orphaned += 1
                elif old.orphaned:
                    report.recovered += 1
                elif (new.start, new.end, new.quote) != (old.start, old.end, old.quote):
                    report.moved += 1
                else:
                    report.unchanged += 1
                self.db.execute(
                    'UPDATE anchors SET start = ?, "end" = ?, quote = ?, prefix = ?, suffix = ?, '
                    "orphaned = ?, doc_sha = ? WHERE id = ?",
                    (
                        new.start,
                        new.end,
                        new.quote,
                        new.prefix,
                        new.suffix,
                        int(new.orphaned),
                        # An orphan remembers no version, so any later one is searched again.
                        "" if new.orphaned else sha,
                        r[0],
                    ),
                )
        return report

    # ------------------------------------------------------------- export / import
