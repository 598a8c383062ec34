"""The user database's schema: the migrations that make it, in order.

Each migration is a function run in its own transaction by :mod:`workbench.core.userdb`,
which records the schema version in ``PRAGMA user_version``. Append only: a migration,
once released, is never edited.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable


def _v1_corrections(db: sqlite3.Connection) -> None:
    # Entity corrections made by the researcher, applied in ``id`` order. ``kind`` is one
    # of rename, merge, split, retype, ignore, add, distinct; ``payload`` is JSON (shapes
    # below; see workbench.core.entities, where each kind has its handler):
    #   rename {key, old_name, name}      retype {key, name, type}     ignore {key, name}
    #   merge  {keys, names, name|null}   split  {key, name, alias}
    #   add    {doc_id, start, end, text, type}
    #   distinct {keys: [a, b], names: [a, b]}   (two entities offered as one are two)
    # An entity is named by key and by name, so a correction still applies when a later
    # corpus or model gives it another key. A plain table: the notes backup exports and
    # imports it row by row.
    db.execute(
        """CREATE TABLE corrections (
               id INTEGER PRIMARY KEY,
               kind TEXT NOT NULL,
               payload TEXT NOT NULL,
               created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
           )"""
    )


def _v2_notes(db: sqlite3.Connection) -> None:
    # Research notes (workbench.core.notes). ``uid`` is the note's identity across
    # databases, so importing a backup twice (or into another machine's database)
    # never duplicates a note. ``deleted`` is set instead of removing the row so a
    # delete can be undone; rows deleted more than 30 days ago are purged at start-up.
    db.execute(
        """CREATE TABLE notes (
               id INTEGER PRIMARY KEY AUTOINCREMENT,
               uid TEXT NOT NULL UNIQUE,
               body TEXT NOT NULL DEFAULT '',
               created TEXT NOT NULL,
               updated TEXT NOT NULL,
               deleted TEXT
           )"""
    )
    db.execute("CREATE INDEX notes_deleted ON notes(deleted)")
    db.execute(
        """CREATE TABLE tags (
               id INTEGER PRIMARY KEY,
               name TEXT NOT NULL UNIQUE COLLATE NOCASE
           )"""
    )
    db.execute(
        """CREATE TABLE note_tags (
               note_id INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
               tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
               PRIMARY KEY (note_id, tag_id)
           )"""
    )
    db.execute("CREATE INDEX note_tags_tag ON note_tags(tag_id)")
    # An anchor is a TextPositionSelector (start, end: offsets into Document.text) plus
    # a TextQuoteSelector (quote, prefix, suffix) to find the text again when the
    # document changes. ``doc_sha`` is the document version the offsets refer to.
    # start = end = 0 with an empty quote is a note on the whole document.
    db.execute(
        """CREATE TABLE anchors (
               id INTEGER PRIMARY KEY,
               note_id INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
               position INTEGER NOT NULL,
               doc_id TEXT NOT NULL,
               start INTEGER NOT NULL,
               "end" INTEGER NOT NULL,
               quote TEXT NOT NULL DEFAULT '',
               prefix TEXT NOT NULL DEFAULT '',
               suffix TEXT NOT NULL DEFAULT '',
               orphaned INTEGER NOT NULL DEFAULT 0,
               doc_sha TEXT NOT NULL DEFAULT '',
               UNIQUE (note_id, position)
           )"""
    )
    db.execute("CREATE INDEX anchors_doc ON anchors(doc_id)")


_NOTE_SEARCH_ROW = """
    SELECT n.id, n.body,
           coalesce((SELECT group_concat(t.name, ' ') FROM note_tags nt
                     JOIN tags t ON t.id = nt.tag_id WHERE nt.note_id = n.id), ''),
           coalesce((SELECT group_concat(a.quote, ' ') FROM anchors a
                     WHERE a.note_id = n.id), '')
    FROM notes n"""


def _v3_note_search(db: sqlite3.Connection) -> None:
    # Full-text search over the notes (SQLite FTS5): one row per note (rowid = note id)
    # with its body, its tags and its anchors' quotes, Porter-stemmed Unicode words with
    # accents folded. Triggers keep it in step with every write, so no code path can
    # forget to; deleted notes stay indexed and the queries leave them out.
    db.execute(
        "CREATE VIRTUAL TABLE notes_fts USING fts5(body, tags, quotes, "
        "tokenize = 'porter unicode61 remove_diacritics 2')"
    )
    triggers = {
        "notes_fts_note_added": ("AFTER INSERT ON notes", "new.id"),
        "notes_fts_note_edited": ("AFTER UPDATE OF body ON notes", "new.id"),
        "notes_fts_tag_added": ("AFTER INSERT ON note_tags", "new.note_id"),
        "notes_fts_tag_removed": ("AFTER DELETE ON note_tags", "old.note_id"),
        "notes_fts_anchor_added": ("AFTER INSERT ON anchors", "new.note_id"),
        "notes_fts_anchor_moved": ("AFTER UPDATE OF quote ON anchors", "new.note_id"),
        "notes_fts_anchor_removed": ("AFTER DELETE ON anchors", "old.note_id"),
    }
    for name, (when, note_id) in triggers.items():
        db.execute(
            f"CREATE TRIGGER {name} {when} BEGIN "
            f"DELETE FROM notes_fts WHERE rowid = {note_id}; "
            f"INSERT INTO notes_fts(rowid, body, tags, quotes) {_NOTE_SEARCH_ROW} "
            f"WHERE n.id = {note_id}; END"
        )
    db.execute(
        "CREATE TRIGGER notes_fts_note_purged AFTER DELETE ON notes BEGIN "
        "DELETE FROM notes_fts WHERE rowid = old.id; END"
    )
    db.execute(f"INSERT INTO notes_fts(rowid, body, tags, quotes) {_NOTE_SEARCH_ROW}")


Migration = Callable[[sqlite3.Connection], None]
# Append only: a migration, once released, is never edited.
MIGRATIONS: list[Migration] = [_v1_corrections, _v2_notes, _v3_note_search]
SCHEMA_VERSION = len(MIGRATIONS)
