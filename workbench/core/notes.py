"""Research notes: Markdown notes with tags, anchored to passages of documents.

A :class:`Note` has zero or more :class:`Anchor` s. An anchor is what the W3C Web
Annotation model calls a TextPositionSelector (``start``/``end``: offsets into
``Document.text``) together with a TextQuoteSelector (``quote`` with a little ``prefix``
and ``suffix`` context). The offsets are fast; the quote makes the anchor robust: when a
document changes (a re-import), :func:`relocate` finds the passage again, exactly first
and then fuzzily, and an anchor whose quote is gone is kept and flagged ``orphaned``,
never deleted. An anchor with an empty quote is a note on the whole document. A note
with anchors in two documents is a comparison note on that pair.

:class:`NoteStore` keeps notes in the user database (:mod:`workbench.core.userdb`).
Deleting only sets ``deleted``, so it can be undone; deleted notes are purged after
:data:`PURGE_AFTER_DAYS`. Every write is one ``BEGIN IMMEDIATE`` transaction.

Export: Markdown grouped by document, CSV with one row per note and anchor, and a JSON
backup that also carries the entity ``corrections`` table. Importing that JSON is
idempotent: notes are matched by their ``uid``, and the newer edit wins.
"""

from __future__ import annotations

import csv
import json
import re
import sqlite3
import threading
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from . import userdb
from .errors import UserError
from .files import write_atomic, write_text_atomic

CONTEXT_CHARS = 32
"""Characters of context kept before and after a quote."""
FUZZY_MIN_SCORE = 85.0
"""rapidfuzz partial-ratio score (0-100) a changed passage needs to count as the quote."""
FUZZY_MIN_CHARS = 12
"""Shorter quotes are only found exactly: a fuzzy match of a few letters means nothing."""
PURGE_AFTER_DAYS = 30
EXPORT_FORMAT = "workbench-notes"
EXPORT_VERSION = 1
FORMATS = ("md", "csv", "json")


class UnknownNote(UserError):
    """No (live) note has this id."""


class QuoteNotFound(UserError):
    """The quoted text is not in the document."""


class BadNotesFile(UserError):
    """A file given to import is not a Workbench notes backup."""


@dataclass
class Anchor:
    """A passage of a document: offsets into ``Document.text`` plus the quote and its context."""

    doc_id: str
    start: int = 0
    end: int = 0
    quote: str = ""
    prefix: str = ""
    suffix: str = ""
    orphaned: bool = False

    @property
    def whole_document(self) -> bool:
        """True for a note on the document rather than on a passage of it."""
        return not self.quote

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Note:
    """A research note: a Markdown body, tags, and the passages it is about."""

    id: int
    body: str
    tags: list[str] = field(default_factory=list)
    anchors: list[Anchor] = field(default_factory=list)
    created: str = ""
    updated: str = ""
    deleted: str | None = None
    uid: str = ""

    @property
    def doc_ids(self) -> list[str]:
        """The documents this note is anchored in, in anchor order, without repeats."""
        return list(dict.fromkeys(a.doc_id for a in self.anchors))

    @property
    def title(self) -> str:
        """The first line of the body, for lists."""
        first = self.body.strip().split("\n", 1)[0] if self.body.strip() else ""
        return re.sub(r"^#+\s*", "", first)[:120]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "uid": self.uid,
            "body": self.body,
            "tags": list(self.tags),
            "anchors": [a.to_json() for a in self.anchors],
            "created": self.created,
            "updated": self.updated,
            "deleted": self.deleted,
        }


@dataclass
class ReanchorReport:
    """What re-anchoring after a document change did."""

    unchanged: int = 0
    moved: int = 0
    orphaned: int = 0
    recovered: int = 0

    def merge(self, other: ReanchorReport) -> None:
        self.unchanged += other.unchanged
        self.moved += other.moved
        self.orphaned += other.orphaned
        self.recovered += other.recovered


@dataclass
class NotesImport:
    """What importing a notes backup did."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    corrections_added: int = 0

    def summary(self) -> str:
        return (
            f"{self.added} notes added, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.corrections_added} entity corrections added"
        )


def now() -> str:
    """The current UTC time as ISO 8601 with milliseconds (sorts as text)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


# --------------------------------------------------------------------------- anchoring


def anchor_at(doc_id: str, text: str, start: int, end: int, context: int = CONTEXT_CHARS) -> Anchor:
    """The anchor for ``text[start:end]``; ``start == end`` makes a whole-document anchor."""
    if not (0 <= start <= end <= len(text)):
        raise UserError(f"the passage {start}-{end} is outside the document (0-{len(text)})")
    if start == end:
        return Anchor(doc_id)
    return Anchor(
        doc_id,
        start,
        end,
        text[start:end],
        text[max(0, start - context) : start],
        text[end : end + context],
    )


def _loose_pattern(quote: str) -> re.Pattern[str] | None:
    words = quote.split()
    if not words:
        return None
    return re.compile(r"\s+".join(re.escape(w) for w in words), re.IGNORECASE)


def find_quote(text: str, quote: str) -> tuple[int, int] | None:
    """Where ``quote`` first occurs in ``text``: exactly, else ignoring case and spacing."""
    if not quote.strip():
        return None
    at = text.find(quote)
    if at >= 0:
        return at, at + len(quote)
    pattern = _loose_pattern(quote)
    m = pattern.search(text) if pattern else None
    return (m.start(), m.end()) if m else None


def _context_score(anchor: Anchor, text: str, start: int, end: int) -> float:
    from rapidfuzz import fuzz

    score = 0.0
    if anchor.prefix:
        score += fuzz.ratio(anchor.prefix, text[max(0, start - len(anchor.prefix)) : start])
    if anchor.suffix:
        score += fuzz.ratio(anchor.suffix, text[end : end + len(anchor.suffix)])
    return score


def _best(anchor: Anchor, text: str, spans: Sequence[tuple[int, int]]) -> tuple[int, int]:
    # The occurrence whose surroundings look most like the old ones; then the nearest.
    return max(spans, key=lambda s: (_context_score(anchor, text, *s), -abs(s[0] - anchor.start)))


def _fuzzy_find(text: str, quote: str) -> tuple[int, int] | None:
    """The passage of ``text`` most like ``quote``, if it scores :data:`FUZZY_MIN_SCORE`.

    rapidfuzz's partial ratio finds the region (a window as long as the quote); the
    passage's ends are then chosen among nearby word boundaries, so an edited passage
    that grew or shrank by a few words is matched whole.
    """
    from rapidfuzz import fuzz

    rough = fuzz.partial_ratio_alignment(quote, text, score_cutoff=FUZZY_MIN_SCORE - 15)
    if rough is None:
        return None
    slack = max(8, len(quote) // 3)
    lo, hi = max(0, rough.dest_start - slack), min(len(text), rough.dest_end + slack)
    starts = [m.start() for m in re.finditer(r"\b\w", text[lo:hi])]
    ends = [m.end() for m in re.finditer(r"\w\b[^\w\s]?", text[lo:hi])]
    best: tuple[float, int, int] | None = None
    for s in starts:
        for e in ends:
            if e <= s or not (0.5 * len(quote) <= e - s <= 1.5 * len(quote)):
                continue
            score = fuzz.ratio(quote, text[lo + s : lo + e])
            if best is None or score > best[0]:
                best = (score, lo + s, lo + e)
    if best is None or best[0] < FUZZY_MIN_SCORE:
        return None
    return best[1], best[2]


def relocate(anchor: Anchor, text: str | None, context: int = CONTEXT_CHARS) -> Anchor:
    """Find ``anchor`` again in a document's new ``text`` (``None``: the document is gone).

    In order: the same offsets still hold the quote; the quote occurs exactly (the
    occurrence with the most similar context wins); it occurs with different case or
    spacing; a fuzzy match (rapidfuzz) scores at least :data:`FUZZY_MIN_SCORE`. If none
    holds, the anchor comes back unchanged but ``orphaned`` - never dropped.
    """
    if text is None:
        return replace(anchor, orphaned=True)
    if anchor.whole_document:
        return replace(anchor, orphaned=False)

    def at(span: tuple[int, int]) -> Anchor:
        return anchor_at(anchor.doc_id, text, span[0], span[1], context)

    q = anchor.quote
    if text[anchor.start : anchor.end] == q:
        candidates = [(anchor.start, anchor.end)]
        # Same text at the same place; still prefer an occurrence with the old context
        # if the text around it changed (the passage may have moved onto a repeat).
        if _context_score(anchor, text, anchor.start, anchor.end) < 150:
            candidates += [(m.start(), m.start() + len(q)) for m in re.finditer(re.escape(q), text)]
        return at(_best(anchor, text, candidates))
    exact = [(m.start(), m.start() + len(q)) for m in re.finditer(re.escape(q), text)]
    if exact:
        return at(_best(anchor, text, exact))
    pattern = _loose_pattern(q)
    loose = [(m.start(), m.end()) for m in pattern.finditer(text)] if pattern else []
    if loose:
        return at(_best(anchor, text, loose))
    if len(q.strip()) >= FUZZY_MIN_CHARS:
        found = _fuzzy_find(text, q)
        if found is not None:
            return at(found)
    return replace(anchor, orphaned=True)


# --------------------------------------------------------------------------- searching


def parse_terms(query: str) -> tuple[list[str], list[str]]:
    """Split a search-box query into words/phrases that must, and must not, occur.

    The main search box speaks Whoosh's language; for notes the useful part of it is
    kept: ``"quoted phrases"``, ``AND`` (implied), ``NOT x`` / ``-x``, a trailing ``*``
    and ``field:`` prefixes (ignored). ``OR`` is treated as AND - notes are few, and a
    stricter match is the safer surprise.
    """
    include: list[str] = []
    exclude: list[str] = []
    negate = False
    for m in re.finditer(r'(-?)"([^"]*)"|(\S+)', query):
        if m.group(3) is not None:
            word = m.group(3)
            if word in {"AND", "OR", "&&", "||"}:
                continue
            if word == "NOT":
                negate = True
                continue
            neg = word.startswith("-") and len(word) > 1
            word = word.lstrip("-")
            word = re.sub(r"^\w+:", "", word).strip("*?()")
            neg = neg or negate
        else:
            neg = bool(m.group(1)) or negate
            word = m.group(2)
        negate = False
        if word:
            (exclude if neg else include).append(word.casefold())
    return include, exclude


def _haystack(note: Note) -> str:
    parts = [note.body, " ".join(note.tags)] + [a.quote for a in note.anchors]
    return re.sub(r"\s+", " ", "\n".join(parts)).casefold()


def matches(note: Note, include: Sequence[str], exclude: Sequence[str]) -> int:
    """How often the included terms occur in the note (0: it does not match)."""
    hay = _haystack(note)
    if any(t in hay for t in exclude):
        return 0
    counts = [hay.count(re.sub(r"\s+", " ", t)) for t in include]
    if not all(counts):
        return 0
    return sum(counts) or 1


# --------------------------------------------------------------------------- the store


def _clean_tags(tags: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for tag in tags:
        t = re.sub(r"\s+", " ", str(tag)).strip().lstrip("#").strip()
        if t and t.casefold() not in seen:
            seen[t.casefold()] = t
    return list(seen.values())


class NoteStore:
    """Notes in the user database. Thread-safe: one lock serialises use of the connection."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.lock = threading.RLock()

    def _tx(self) -> Any:
        return userdb.transaction(self.db, self.lock)

    # ------------------------------------------------------------- reading

    def _load(self, rows: Sequence[sqlite3.Row]) -> list[Note]:
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
        with self.lock:
            row = self.db.execute("SELECT * FROM notes WHERE id = ?", (note_id,)).fetchone()
            if row is None or (row["deleted"] and not include_deleted):
                state = "is deleted (restore it first)" if row is not None else "does not exist"
                raise UnknownNote(f"note {note_id} {state} (see 'workbench notes list')")
            return self._load([row])[0]

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
        params: list[Any] = []
        order = "n.updated DESC, n.id DESC"
        if doc_id is not None:
            where.append("EXISTS (SELECT 1 FROM anchors a WHERE a.note_id = n.id AND a.doc_id = ?)")
            params.append(doc_id)
            order = (
                "(SELECT min(a.start) FROM anchors a WHERE a.note_id = n.id AND a.doc_id = ?), n.id"
            )
        if pair is not None:
            for d in pair:
                where.append(
                    "EXISTS (SELECT 1 FROM anchors a WHERE a.note_id = n.id AND a.doc_id = ?)"
                )
                params.append(d)
        if tag:
            where.append(
                "EXISTS (SELECT 1 FROM note_tags nt JOIN tags t ON t.id = nt.tag_id "
                "WHERE nt.note_id = n.id AND t.name = ? COLLATE NOCASE)"
            )
            params.append(tag.strip().lstrip("#"))
        if doc_id is not None:
            params.append(doc_id)
        sql = f"SELECT n.* FROM notes n WHERE {' AND '.join(where)} ORDER BY {order}"
        with self.lock:
            notes = self._load(self.db.execute(sql, params).fetchall())
        if text:
            include, exclude = parse_terms(text)
            notes = [n for n in notes if matches(n, include, exclude)]
        return notes

    def search(self, query: str, limit: int = 50) -> list[Note]:
        """Live notes whose body, tags or quotes contain every term of ``query``, best first."""
        include, exclude = parse_terms(query)
        if not include:
            return []
        with self.lock:
            notes = self._load(
                self.db.execute("SELECT * FROM notes WHERE deleted IS NULL").fetchall()
            )
        scored = [(matches(n, include, exclude), n) for n in notes]
        scored = [(s, n) for s, n in scored if s]
        scored.sort(key=lambda sn: (sn[0], sn[1].updated), reverse=True)
        return [n for _, n in scored[:limit]]

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

    def _set_tags(self, note_id: int, tags: Sequence[str]) -> None:
        self.db.execute("DELETE FROM note_tags WHERE note_id = ?", (note_id,))
        for tag in tags:
            self.db.execute("INSERT OR IGNORE INTO tags(name) VALUES (?)", (tag,))
            self.db.execute(
                "INSERT OR IGNORE INTO note_tags(note_id, tag_id) "
                "SELECT ?, id FROM tags WHERE name = ? COLLATE NOCASE",
                (note_id, tag),
            )

    def _set_anchors(
        self, note_id: int, anchors: Sequence[Anchor], shas: Mapping[str, str]
    ) -> None:
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
        with self._tx():
            cur = self.db.execute(
                "INSERT INTO notes(uid, body, created, updated) VALUES (?,?,?,?)",
                (uuid.uuid4().hex, body, stamp, stamp),
            )
            note_id = int(cur.lastrowid or 0)
            self._set_tags(note_id, _clean_tags(tags))
            self._set_anchors(note_id, anchors, shas or {})
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
        with self._tx():
            old = self.get(note_id)
            new_tags = _clean_tags(tags) if tags is not None else old.tags
            changed = False
            if body is not None and body != old.body:
                self.db.execute("UPDATE notes SET body = ? WHERE id = ?", (body, note_id))
                changed = True
            if tags is not None and new_tags != old.tags:
                self._set_tags(note_id, new_tags)
                changed = True
            if anchors is not None and list(anchors) != old.anchors:
                self._set_anchors(note_id, anchors, shas or {})
                changed = True
            if changed:
                self.db.execute("UPDATE notes SET updated = ? WHERE id = ?", (now(), note_id))
        return self.get(note_id)

    def delete(self, note_id: int) -> Note:
        """Move a note to the deleted view (undo with :meth:`restore`)."""
        with self._tx():
            note = self.get(note_id)
            stamp = now()
            self.db.execute(
                "UPDATE notes SET deleted = ?, updated = ? WHERE id = ?", (stamp, stamp, note_id)
            )
        return replace(note, deleted=stamp, updated=stamp)

    def restore(self, note_id: int) -> Note:
        """Bring back a deleted note."""
        with self._tx():
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
        with self._tx():
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
        with self._tx():
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

    def _export_rows(self) -> list[Note]:
        with self.lock:
            return self._load(self.db.execute("SELECT * FROM notes ORDER BY id").fetchall())

    def backup_json(self) -> dict[str, Any]:
        """Everything the user made: all notes (deleted ones too) and entity corrections."""
        with self.lock:
            notes = self._export_rows()
            shas = {
                (r[0], r[1]): r[2]
                for r in self.db.execute("SELECT note_id, position, doc_sha FROM anchors")
            }
            corrections = [
                dict(r) for r in self.db.execute("SELECT * FROM corrections ORDER BY id")
            ]
        out = []
        for n in notes:
            data = n.to_json()
            for pos, a in enumerate(data["anchors"]):
                a["doc_sha"] = shas.get((n.id, pos), "")
            out.append(data)
        return {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "schema": userdb.SCHEMA_VERSION,
            "exported": now(),
            "notes": out,
            "corrections": corrections,
        }

    def restore_json(self, data: Any) -> NotesImport:
        """Merge a :meth:`backup_json` document in, in one transaction. Idempotent.

        Notes are matched by ``uid``: a new one is added (keeping its id when free), a
        known one is replaced only if the backup's copy was edited later. Corrections
        are added unless an identical one (every column but ``id``) exists.
        """
        notes, corrections = _validate_backup(data)
        report = NotesImport()
        with self._tx():
            for n in notes:
                self._restore_note(n, report)
            report.corrections_added = self._restore_corrections(corrections)
        return report

    def _restore_note(self, n: dict[str, Any], report: NotesImport) -> None:
        anchors = [
            Anchor(
                str(a["doc_id"]),
                int(a.get("start", 0)),
                int(a.get("end", 0)),
                str(a.get("quote", "")),
                str(a.get("prefix", "")),
                str(a.get("suffix", "")),
                bool(a.get("orphaned", False)),
            )
            for a in n.get("anchors", [])
        ]
        shas = {str(a["doc_id"]): str(a.get("doc_sha", "")) for a in n.get("anchors", [])}
        tags = _clean_tags(n.get("tags", []))
        row = self.db.execute("SELECT id, updated FROM notes WHERE uid = ?", (n["uid"],)).fetchone()
        if row is None:
            wanted = n.get("id")
            free = (
                isinstance(wanted, int)
                and not self.db.execute("SELECT 1 FROM notes WHERE id = ?", (wanted,)).fetchone()
            )
            cur = self.db.execute(
                "INSERT INTO notes(id, uid, body, created, updated, deleted) VALUES (?,?,?,?,?,?)",
                (
                    wanted if free else None,
                    n["uid"],
                    n["body"],
                    n["created"],
                    n["updated"],
                    n.get("deleted"),
                ),
            )
            note_id = int(cur.lastrowid or 0)
            report.added += 1
        elif str(n["updated"]) > row["updated"]:
            note_id = row["id"]
            self.db.execute(
                "UPDATE notes SET body = ?, created = ?, updated = ?, deleted = ? WHERE id = ?",
                (n["body"], n["created"], n["updated"], n.get("deleted"), note_id),
            )
            report.updated += 1
        else:
            report.unchanged += 1
            return
        self._set_tags(note_id, tags)
        self._set_anchors(note_id, anchors, shas)

    def _restore_corrections(self, rows: list[dict[str, Any]]) -> int:
        columns = [r[1] for r in self.db.execute("PRAGMA table_info(corrections)")]
        data_cols = [c for c in columns if c != "id"]
        added = 0
        for row in rows:
            cols = [c for c in data_cols if c in row]
            if not cols:
                continue
            cond = " AND ".join(f'"{c}" IS ?' for c in cols)
            if self.db.execute(
                f"SELECT 1 FROM corrections WHERE {cond}", [row[c] for c in cols]
            ).fetchone():
                continue
            wanted = row.get("id")
            if (
                isinstance(wanted, int)
                and not self.db.execute(
                    "SELECT 1 FROM corrections WHERE id = ?", (wanted,)
                ).fetchone()
            ):
                cols = ["id", *cols]
            names = ",".join(f'"{c}"' for c in cols)
            try:
                self.db.execute(
                    f"INSERT INTO corrections({names}) VALUES ({','.join('?' * len(cols))})",
                    [row[c] for c in cols],
                )
            except sqlite3.IntegrityError as exc:
                raise BadNotesFile(
                    f"an entity correction in the backup does not fit this Workbench: {exc}"
                ) from None
            added += 1
        return added


def _validate_backup(data: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise BadNotesFile(
            "this is not a Workbench notes backup (made by 'workbench notes export --format json')"
        )
    if int(data.get("version", 0)) > EXPORT_VERSION:
        raise BadNotesFile(
            f"this notes backup is from a newer Workbench (format {data.get('version')}); please update Workbench"
        )
    notes = data.get("notes", [])
    corrections = data.get("corrections", [])
    if not isinstance(notes, list) or not isinstance(corrections, list):
        raise BadNotesFile("the notes backup is damaged: 'notes' and 'corrections' must be lists")
    for i, n in enumerate(notes, 1):
        ok = (
            isinstance(n, dict)
            and isinstance(n.get("uid"), str)
            and n["uid"]
            and isinstance(n.get("body"), str)
            and isinstance(n.get("created"), str)
            and isinstance(n.get("updated"), str)
            and isinstance(n.get("anchors", []), list)
            and isinstance(n.get("tags", []), list)
            and all(
                isinstance(a, dict) and isinstance(a.get("doc_id"), str)
                for a in n.get("anchors", [])
            )
        )
        if not ok:
            raise BadNotesFile(
                f"the notes backup is damaged: note {i} lacks uid, body, created, updated or a valid anchor"
            )
    if not all(isinstance(c, dict) for c in corrections):
        raise BadNotesFile("the notes backup is damaged: a correction is not an object")
    return notes, corrections


# --------------------------------------------------------------------------- export files


def _frame(notes: Sequence[Note], titles: Mapping[str, str]) -> Any:
    import pandas as pd

    rows = []
    for n in notes:
        base = {
            "note_id": n.id,
            "created": n.created,
            "updated": n.updated,
            "tags": "; ".join(n.tags),
            "body": n.body,
        }
        slots: list[Anchor | None] = list(n.anchors) or [None]
        for a in slots:
            rows.append(
                {
                    **base,
                    "doc_id": a.doc_id if a else "",
                    "doc_title": titles.get(a.doc_id, "") if a else "",
                    "start": a.start if a else None,
                    "end": a.end if a else None,
                    "quote": a.quote if a else "",
                    "prefix": a.prefix if a else "",
                    "suffix": a.suffix if a else "",
                    "orphaned": a.orphaned if a else False,
                }
            )
    columns = [
        "note_id",
        "created",
        "updated",
        "tags",
        "body",
        "doc_id",
        "doc_title",
        "start",
        "end",
        "quote",
        "prefix",
        "suffix",
        "orphaned",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype({"start": "Int64", "end": "Int64"})


def to_markdown(notes: Sequence[Note], titles: Mapping[str, str]) -> str:
    """Notes grouped by document, each with its quotes and where they are."""
    by_doc: dict[str, list[Note]] = {}
    loose: list[Note] = []
    for n in notes:
        for d in n.doc_ids:
            by_doc.setdefault(d, []).append(n)
        if not n.anchors:
            loose.append(n)
    lines = [
        "# Research notes",
        "",
        f"{len(notes)} notes, exported {now()[:16].replace('T', ' ')} UTC.",
        "",
    ]

    def note_block(n: Note, doc_id: str | None) -> None:
        tags = " ".join(f"`#{t}`" for t in n.tags)
        lines.append(f"### Note {n.id} · {n.updated[:10]}" + (f" · {tags}" if tags else ""))
        lines.append("")
        # This document's passages first, then the other side of a comparison note.
        for a in sorted(n.anchors, key=lambda a: a.doc_id != doc_id):
            if doc_id is not None and a.doc_id != doc_id:
                lines.append(
                    f"*Compared with* {titles.get(a.doc_id, a.doc_id)} (`{a.doc_id}`)"
                    + (f": “{a.quote}”" if a.quote else "")
                )
                lines.append("")
                continue
            if a.whole_document:
                lines.append("*On the whole document.*")
            else:
                quote = "\n> ".join(a.quote.split("\n"))
                lines.append(f"> {quote}")
                lines.append(">")
                where = f"characters {a.start}–{a.end}"
                lines.append(
                    f"> — {where}"
                    + (
                        " · **orphaned**: this passage is no longer in the document"
                        if a.orphaned
                        else ""
                    )
                )
            lines.append("")
        if n.body.strip():
            lines.append(n.body.strip())
            lines.append("")

    for doc_id in sorted(by_doc, key=lambda d: (titles.get(d, d).casefold(), d)):
        lines.append(f"## {titles.get(doc_id, doc_id)}")
        lines.append("")
        lines.append(f"`{doc_id}`" + ("" if doc_id in titles else " (no longer in the library)"))
        lines.append("")
        for n in sorted(
            by_doc[doc_id],
            key=lambda n: (min(a.start for a in n.anchors if a.doc_id == doc_id), n.id),
        ):
            note_block(n, doc_id)
    if loose:
        lines += ["## Notes not tied to a document", ""]
        for n in loose:
            note_block(n, None)
    return "\n".join(lines).rstrip() + "\n"


def export(store: NoteStore, path: Path, fmt: str | None, titles: Mapping[str, str]) -> int:
    """Write the notes to ``path`` as md, csv or json (default: from the suffix). Returns a count."""
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    fmt = {"markdown": "md", "jsn": "json"}.get(fmt, fmt)
    if fmt not in FORMATS:
        raise UserError(f"unknown notes format '{fmt}': use one of {', '.join(FORMATS)}")
    if fmt == "json":
        data = store.backup_json()
        text = json.dumps(data, ensure_ascii=False, indent=1)
        write_text_atomic(path, text)
        return len(data["notes"])
    notes = store.query()
    if fmt == "md":
        text = to_markdown(notes, titles)
        write_text_atomic(path, text)
    else:
        frame = _frame(notes, titles)
        write_atomic(path, lambda p: frame.to_csv(p, index=False, quoting=csv.QUOTE_NONNUMERIC))
    return len(notes)


def read_backup(path: Path) -> Any:
    """The JSON document in a notes backup file, or :class:`BadNotesFile`."""
    try:
        return json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise BadNotesFile(f"no such file: {path}") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise BadNotesFile(f"{path} is not a Workbench notes backup (not JSON: {exc})") from None
