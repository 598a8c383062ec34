"""The resolved entities of a library, kept on disk and read one document at a time.

A part of the entity cache file (``entities-cache.sqlite3``, see :mod:`.cachedb`),
rebuilt from the NER results when missing or from another version. Reading one
document's entities reads that document's rows; nothing is resolved on the way. The
tables (names are interned as integers in ``strings``):

``docs``
    every resolved document: its id, the hash of its file and of its text, whether the
    model has been through it, and what it contributed to the library-wide counts (so
    that they can be taken back when it changes or goes).
``mentions``
    every mention: document, offsets, the name as written, the entity after the
    researcher's corrections (``key``) and before them (``base``), and its kind (the
    model's, linked within the document, the researcher's, or propagated).
``entities``
    each entity's name, type, aliases, documents and mentions after corrections.
``terms``
    the names the ``entity:`` search field knows each entity by.
``counts`` and ``postings``
    the library-wide counts the resolution rules read (how often a name is a date,
    which labels a name gets, the full names a surname may belong to, ...) and which
    documents hold a name, a key or a capitalised word (to find the documents a changed
    rule touches). :mod:`.updater` keeps them.
``known``
    each name propagation marks, with its entity.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from .cachedb import CachePart
from .records import ENTITY_TYPES, NOT_NAME_LABELS, DocEntity, Entity, Mention

STORE_FORMAT = 9
"""Bumped when the tables or the resolution rules change: the part is then rebuilt."""

LABELS = (*ENTITY_TYPES, *sorted(NOT_NAME_LABELS))

# Kinds of mention.
NER, LOCAL, USER, PROPAGATED, PROPAGATED_LOCAL = 0, 1, 2, 3, 4
COUNTED = (NER, USER)
"""The kinds that say which entity a name belongs to, library-wide (propagation's votes)."""

STORE_PART = CachePart(
    "resolution",
    STORE_FORMAT,
    (
        "CREATE TABLE IF NOT EXISTS strings (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE)",
        "CREATE TABLE IF NOT EXISTS docs (id INTEGER PRIMARY KEY, doc TEXT NOT NULL UNIQUE, "
        "sha TEXT NOT NULL, hash TEXT NOT NULL, ner INTEGER NOT NULL, data BLOB NOT NULL, "
        "prop BLOB NOT NULL)",
        "CREATE TABLE IF NOT EXISTS mentions (doc INTEGER NOT NULL, start INTEGER NOT NULL, "
        '"end" INTEGER NOT NULL, form INTEGER NOT NULL, key INTEGER NOT NULL, '
        'base INTEGER NOT NULL, kind INTEGER NOT NULL, PRIMARY KEY (doc, start, "end")) '
        "WITHOUT ROWID",
        "CREATE INDEX IF NOT EXISTS mentions_key ON mentions(key, doc)",
        "CREATE INDEX IF NOT EXISTS mentions_form ON mentions(form, key) WHERE kind IN (0, 2)",
        "CREATE TABLE IF NOT EXISTS entities (key INTEGER PRIMARY KEY, name TEXT NOT NULL, "
        "type TEXT NOT NULL, aliases TEXT NOT NULL, ignored INTEGER NOT NULL, "
        "docs INTEGER NOT NULL, mentions INTEGER NOT NULL, search TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS names (norm INTEGER NOT NULL, key INTEGER NOT NULL, "
        "main INTEGER NOT NULL, PRIMARY KEY (norm, key, main)) WITHOUT ROWID",
        "CREATE INDEX IF NOT EXISTS names_key ON names(key)",
        "CREATE TABLE IF NOT EXISTS terms (term TEXT NOT NULL, key INTEGER NOT NULL, "
        "PRIMARY KEY (term, key)) WITHOUT ROWID",
        "CREATE INDEX IF NOT EXISTS terms_key ON terms(key)",
        "CREATE TABLE IF NOT EXISTS counts (kind INTEGER NOT NULL, a INTEGER NOT NULL, "
        "b INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (kind, a, b)) WITHOUT ROWID",
        "CREATE TABLE IF NOT EXISTS postings (kind INTEGER NOT NULL, term INTEGER NOT NULL, "
        "doc INTEGER NOT NULL, PRIMARY KEY (kind, term, doc)) WITHOUT ROWID",
        "CREATE TABLE IF NOT EXISTS base (key INTEGER PRIMARY KEY, name TEXT NOT NULL, "
        "type TEXT NOT NULL, norm INTEGER NOT NULL, country TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS base_norm ON base(norm)",
        "CREATE TABLE IF NOT EXISTS known (form INTEGER PRIMARY KEY, key INTEGER NOT NULL, "
        "first INTEGER NOT NULL)",
        "CREATE INDEX IF NOT EXISTS known_first ON known(first)",
        "CREATE TABLE IF NOT EXISTS state (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    ),
    (
        "strings",
        "docs",
        "mentions",
        "entities",
        "names",
        "terms",
        "counts",
        "postings",
        "base",
        "known",
        "state",
    ),
    check="SELECT count(*) FROM docs",
)


def pack(data: Any) -> bytes:
    """A document's stored contributions: compact JSON, compressed."""
    return zlib.compress(json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode(), 1)


def unpack(blob: bytes) -> Any:
    return json.loads(zlib.decompress(blob).decode("utf-8"))


class Strings:
    """Names interned as integers, with a cache in memory for the life of a connection."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.ids: dict[str, int] = {}
        self.texts: dict[int, str] = {}
        self.unknown: set[str] = set()

    def find(self, text: str) -> int | None:
        """The id of a string, or None if it was never interned."""
        found = self.ids.get(text)
        if found is None:
            if text in self.unknown:
                return None
            row = self.conn.execute("SELECT id FROM strings WHERE text = ?", (text,)).fetchone()
            if row is None:
                self.unknown.add(text)
                return None
            found = self.ids[text] = int(row[0])
            self.texts[found] = text
        return found

    def id(self, text: str) -> int:
        """The id of a string, interning it (inside the caller's write transaction)."""
        found = self.find(text)
        if found is None:
            cur = self.conn.execute("INSERT INTO strings (text) VALUES (?)", (text,))
            found = int(cur.lastrowid or 0)
            self.unknown.discard(text)
            self.ids[text] = found
            self.texts[found] = text
        return found

    def intern(self, texts: Iterable[str]) -> dict[str, int]:
        """Ids of many strings, interning those never seen (inside a write transaction)."""
        texts = list(dict.fromkeys(texts))
        ids = self.ids
        if all(t in ids for t in texts):
            return {t: ids[t] for t in texts}
        found = self.ids_of(texts)
        new = [t for t in texts if t not in found]
        if new:
            self.conn.executemany(
                "INSERT OR IGNORE INTO strings (text) VALUES (?)", [(t,) for t in new]
            )
            self.unknown.difference_update(new)
            found.update(self.ids_of(new))
        return found

    def text(self, sid: int) -> str:
        found = self.texts.get(sid)
        if found is None:
            row = self.conn.execute("SELECT text FROM strings WHERE id = ?", (sid,)).fetchone()
            found = self.texts[sid] = str(row[0]) if row else ""
            self.ids[found] = sid
        return found

    def texts_of(self, ids: Iterable[int]) -> dict[int, str]:
        """Texts of many ids at once."""
        ids = list(ids)
        want = [i for i in dict.fromkeys(ids) if i not in self.texts]
        for chunk in chunks(want, 500):
            marks = ",".join("?" * len(chunk))
            for sid, text in self.conn.execute(
                f"SELECT id, text FROM strings WHERE id IN ({marks})", chunk
            ):
                self.texts[sid] = text
                self.ids[text] = sid
        return {i: self.texts.get(i, "") for i in ids}

    def ids_of(self, texts: Iterable[str]) -> dict[str, int]:
        """Ids of many strings at once (those interned)."""
        texts = list(texts)
        want = [t for t in dict.fromkeys(texts) if t not in self.ids and t not in self.unknown]
        for chunk in chunks(want, 500):
            marks = ",".join("?" * len(chunk))
            for sid, text in self.conn.execute(
                f"SELECT id, text FROM strings WHERE text IN ({marks})", chunk
            ):
                self.texts[sid] = text
                self.ids[text] = sid
        self.unknown.update(t for t in want if t not in self.ids)
        return {t: self.ids[t] for t in texts if t in self.ids}


def chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def marks(n: int) -> str:
    return ",".join("?" * n)


# --------------------------------------------------------------------------- reading


def entity_row(key: str, row: Sequence[Any]) -> Entity:
    """An :class:`Entity` from its row in ``entities`` (name, type, aliases)."""
    return Entity(key=key, name=row[0], type=row[1], aliases=list(json.loads(row[2])))


def document_entities(conn: sqlite3.Connection, strings: Strings, doc: int) -> list[DocEntity]:
    """One document's entities (ignored ones left out), most mentioned first."""
    rows = conn.execute(
        'SELECT start, "end", form, key FROM mentions WHERE doc = ? ORDER BY start, "end"', (doc,)
    ).fetchall()
    if not rows:
        return []
    keys = list({r[3] for r in rows})
    entities: dict[int, Entity] = {}
    names = strings.texts_of([*keys, *(r[2] for r in rows)])
    for chunk in chunks(keys, 500):
        for key, *info in conn.execute(
            f"SELECT key, name, type, aliases FROM entities WHERE ignored = 0 AND key IN ({marks(len(chunk))})",
            chunk,
        ):
            entities[key] = entity_row(names[key], info)
    grouped: dict[int, list[Mention]] = {}
    for start, end, form, key in rows:
        if key in entities:
            grouped.setdefault(key, []).append(Mention(start, end, names[form]))
    des = [DocEntity(entities[k], ms) for k, ms in grouped.items()]
    des.sort(key=lambda de: (-len(de.mentions), de.entity.name))
    return des


def entity_search_names(row_search: str) -> list[str]:
    return list(json.loads(row_search)) if row_search else []
