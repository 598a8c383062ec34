"""Research notes: Markdown notes with tags, anchored to passages of documents.

A :class:`Note` has zero or more :class:`Anchor` s (:mod:`.anchoring`): an anchor with an
empty quote is a note on the whole document, and a note with anchors in two documents is
a comparison note on that pair. :class:`NoteStore` (:mod:`.store`) keeps notes in the user
database and searches them with SQLite FTS5 (:mod:`.query`); :mod:`.export` and
:mod:`.backup` write them out and read a backup back; :class:`NotesManager`
(:mod:`.manager`) is ``lib.notes``.
"""

from .anchoring import anchor_at, find_quote, relocate
from .backup import backup_json, read_backup, restore_json
from .export import export, to_markdown
from .manager import NotesManager
from .model import (
    CONTEXT_CHARS,
    FUZZY_MIN_CHARS,
    FUZZY_MIN_SCORE,
    PURGE_AFTER_DAYS,
    Anchor,
    BadNotesFile,
    Note,
    NotesImport,
    QuoteNotFound,
    ReanchorReport,
    UnknownNote,
    now,
)
from .query import fts_query
from .store import NoteStore, clean_tags

__all__ = [
    "CONTEXT_CHARS",
    "FUZZY_MIN_CHARS",
    "FUZZY_MIN_SCORE",
    "PURGE_AFTER_DAYS",
    "Anchor",
    "BadNotesFile",
    "Note",
    "NoteStore",
    "NotesImport",
    "NotesManager",
    "QuoteNotFound",
    "ReanchorReport",
    "UnknownNote",
    "anchor_at",
    "backup_json",
    "clean_tags",
    "export",
    "find_quote",
    "fts_query",
    "now",
    "read_backup",
    "relocate",
    "restore_json",
    "to_markdown",
]
