"""The library's quotes, kept in the entity cache file and read without any document's text.

A part of ``entities-cache.sqlite3`` (see :mod:`workbench.core.entities.cachedb`), a
rebuildable cache. The tables:

``quote_docs``
    each document whose quotes are stored: the hash of the text they were found in and
    the stamp of what found them (:func:`stamp`: the extractor's version, the NER
    model's id and the entity rules' version, whose mentions the speakers are linked to).
    A document whose text hash or stamp differs is extracted again.
``quotes``
    each quote: document, offsets, the quote as extraction found it (JSON), its words,
    and the mention its speaker was resolved to (``m_start``/``m_end``). A name that no
    entity covers is kept, normalised, in ``name``, and so is the full name the text
    gives a speaker whose entity is a surname alone ("Christophe Dominici").
``quote_words``
    an FTS5 table of the quotes' words (Porter stems, as the search index has them), by
    quote id: ``quote:word`` searches it.

**Whose words.** The speaker is not stored as an entity key: the key of the mention at
``(doc, m_start, m_end)`` in the entity store's ``mentions`` table is read each time, so a
merge, rename or split made after extraction applies at once, with no quote rewritten.
Finding a speaker's quotes is one indexed join from the entity's mentions.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..entities.cachedb import CacheFile, CachePart
from ..entities.store import STORE_FORMAT, chunks, marks
from . import model
from .model import Quote

QUOTES_FORMAT = 1
"""Bumped when the tables change: the part is then dropped and made again."""

QUOTE_PART = CachePart(
    "quotes",
    QUOTES_FORMAT,
    (
        "CREATE TABLE IF NOT EXISTS quote_docs (doc TEXT PRIMARY KEY, hash TEXT NOT NULL, "
        "stamp TEXT NOT NULL) WITHOUT ROWID",
        "CREATE TABLE IF NOT EXISTS quotes (id INTEGER PRIMARY KEY, doc TEXT NOT NULL, "
        'start INTEGER NOT NULL, "end" INTEGER NOT NULL, m_start INTEGER, m_end INTEGER, '
        "name TEXT, data TEXT NOT NULL, words TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS quotes_doc ON quotes(doc, start)",
        "CREATE INDEX IF NOT EXISTS quotes_mention ON quotes(doc, m_start, m_end) "
        "WHERE m_start IS NOT NULL",
        "CREATE INDEX IF NOT EXISTS quotes_name ON quotes(name) WHERE name IS NOT NULL",
        "CREATE VIRTUAL TABLE IF NOT EXISTS quote_words USING fts5(words, "
        "tokenize = 'porter unicode61 remove_diacritics 2')",
    ),
    ("quote_docs", "quotes", "quote_words"),
    check="SELECT count(*) FROM quote_docs",
)

_WITH_KEY = (
    "SELECT q.id, q.doc, q.data, q.words, q.name, s.text FROM quotes q LEFT JOIN docs d ON d.doc = q.doc "
    'LEFT JOIN mentions m ON m.doc = d.id AND m.start = q.m_start AND m."end" = q.m_end '
    "LEFT JOIN strings s ON s.id = m.key"
)


def stamp(model_id: str) -> str:
    """What quotes were extracted with: the extractor's version, the NER model, and the
    version of the entity rules whose mentions the speakers were linked to."""
    return f"{model.EXTRACTOR_VERSION}/{model_id or '-'}/{STORE_FORMAT}"


@dataclass(frozen=True)
class StoredQuote:
    """A stored quote: where it is, its words, and the key of its speaker's mention now
    (None when the mention is gone or never was); ``name`` is the name as written,
    normalised, when no entity covers it or the entity has only its surname."""

    id: int
    doc_id: str
    quote: Quote
    words: str
    key: str | None
    name: str | None


@dataclass(frozen=True)
class QuoteRow:
    """A quote to store: the quote, its words and the speaker's mention, if resolved."""

    quote: Quote
    words: str
    mention: tuple[int, int] | None
    name: str | None


def _stored(rows: Iterable[Sequence[object]]) -> list[StoredQuote]:
    out = []
    for qid, doc, data, words, name, key in rows:
        quote = Quote.from_json(json.loads(str(data)))
        out.append(
            StoredQuote(
                int(str(qid)),
                str(doc),
                quote,
                str(words),
                None if key is None else str(key),
                None if name is None else str(name),
            )
        )
    out.sort(key=lambda q: (q.doc_id, q.quote.start, q.quote.end))
    return out


class QuoteStore:
    """The quote tables of one cache file."""

    def __init__(self, file: CacheFile) -> None:
        self.file = file

    # ------------------------------------------------------------ freshness

    def current(self, hashes: dict[str, str], stamp_: str) -> set[str]:
        """Those documents (id -> text hash) whose stored quotes are from that text and stamp."""
        found: set[str] = set()
        with self.file.reading() as conn:
            for chunk in chunks(list(hashes), 500):
                for doc, h, s in conn.execute(
                    f"SELECT doc, hash, stamp FROM quote_docs WHERE doc IN ({marks(len(chunk))})",
                    list(chunk),
                ):
                    if h == hashes[doc] and s == stamp_:
                        found.add(doc)
        return found

    def stale(self, stamp_: str) -> list[str]:
        """Documents the entity store has been through (NER done) whose quotes are missing,
        from another text, or from another stamp."""
        with self.file.reading() as conn:
            rows = conn.execute(
                "SELECT d.doc FROM docs d LEFT JOIN quote_docs q ON q.doc = d.doc "
                "WHERE d.ner = 1 AND (q.doc IS NULL OR q.hash != d.hash OR q.stamp != ?) "
                "ORDER BY d.doc",
                (stamp_,),
            ).fetchall()
        return [r[0] for r in rows]

    def text_hashes(self, doc_ids: Sequence[str]) -> dict[str, str]:
        """The text hash the entity store knows for each document (no text is read)."""
        out: dict[str, str] = {}
        with self.file.reading() as conn:
            for chunk in chunks(list(doc_ids), 500):
                out.update(
                    conn.execute(
                        f"SELECT doc, hash FROM docs WHERE doc IN ({marks(len(chunk))})",
                        list(chunk),
                    ).fetchall()
                )
        return out

    # ------------------------------------------------------------ writing

    def put(self, docs: dict[str, tuple[str, str, list[QuoteRow]]]) -> None:
        """Replace the quotes of documents: id -> (text hash, stamp, quotes), one transaction."""
        if not docs:
            return
        with self.file.writing() as conn:
            self._forget(conn, list(docs))
            for doc, (h, s, rows) in docs.items():
                conn.execute("INSERT INTO quote_docs VALUES (?, ?, ?)", (doc, h, s))
                for row in rows:
                    q = row.quote
                    m = row.mention or (None, None)
                    cur = conn.execute(
                        'INSERT INTO quotes (doc, start, "end", m_start, m_end, name, data, words) '
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (
                            doc,
                            q.start,
                            q.end,
                            m[0],
                            m[1],
                            row.name,
                            json.dumps(q.to_json()),
                            row.words,
                        ),
                    )
                    conn.execute(
                        "INSERT INTO quote_words (rowid, words) VALUES (?, ?)",
                        (cur.lastrowid, row.words),
                    )

    def forget(self, doc_ids: Sequence[str]) -> None:
        """Drop the quotes of documents gone from the library."""
        if doc_ids:
            with self.file.writing() as conn:
                self._forget(conn, doc_ids)

    @staticmethod
    def _forget(conn: sqlite3.Connection, doc_ids: Sequence[str]) -> None:
        for chunk in chunks(list(doc_ids), 500):
            m = marks(len(chunk))
            conn.execute(
                f"DELETE FROM quote_words WHERE rowid IN (SELECT id FROM quotes WHERE doc IN ({m}))",
                list(chunk),
            )
            conn.execute(f"DELETE FROM quotes WHERE doc IN ({m})", list(chunk))
            conn.execute(f"DELETE FROM quote_docs WHERE doc IN ({m})", list(chunk))

    # ------------------------------------------------------------ reading

    def of_document(self, doc_id: str) -> list[StoredQuote] | None:
        """A document's quotes in order; None if none are stored for it."""
        with self.file.reading() as conn:
            if conn.execute("SELECT 1 FROM quote_docs WHERE doc = ?", (doc_id,)).fetchone() is None:
                return None
            return _stored(conn.execute(f"{_WITH_KEY} WHERE q.doc = ?", (doc_id,)).fetchall())

    def of_keys(self, keys: Sequence[str]) -> list[StoredQuote]:
        """Every quote whose speaker's mention belongs to one of these entities now."""
        out: list[StoredQuote] = []
        with self.file.reading() as conn:
            for chunk in chunks(list(keys), 200):
                out += _stored(
                    conn.execute(
                        "SELECT q.id, q.doc, q.data, q.words, q.name, s.text FROM strings s "
                        "JOIN mentions m ON m.key = s.id JOIN docs d ON d.id = m.doc "
                        'JOIN quotes q ON q.doc = d.doc AND q.m_start = m.start AND q.m_end = m."end" '
                        f"WHERE s.text IN ({marks(len(chunk))})",
                        list(chunk),
                    ).fetchall()
                )
        out.sort(key=lambda q: (q.doc_id, q.quote.start, q.quote.end))
        return out

    def of_name(self, name: str) -> list[StoredQuote]:
        """Quotes whose speaker is written ``name`` (normalised): a name no entity
        covered, or the full name the text gives a surname entity."""
        with self.file.reading() as conn:
            rows = conn.execute(f"{_WITH_KEY} WHERE q.name = ?", (name,)).fetchall()
        return _stored(rows)

    def version(self) -> tuple[int, int]:
        """Changes whenever anything in the cache file does (a write by any connection,
        a rebuild): what is read from it may be kept until then."""
        with self.file.reading() as conn:
            return self.file.generation, int(conn.execute("PRAGMA data_version").fetchone()[0])

    def counts(self) -> dict[str, int]:
        """Quotes per speaker's entity key (speakers no entity covers left out)."""
        with self.file.reading() as conn:
            rows = conn.execute(
                "SELECT s.text, count(*) FROM quotes q JOIN docs d ON d.doc = q.doc "
                'JOIN mentions m ON m.doc = d.id AND m.start = q.m_start AND m."end" = q.m_end '
                "JOIN strings s ON s.id = m.key WHERE q.m_start IS NOT NULL GROUP BY m.key"
            ).fetchall()
        return {str(k): int(n) for k, n in rows}

    def matching(self, fts_query: str) -> set[int]:
        """Ids of the quotes whose words match an FTS5 query."""
        with self.file.reading() as conn:
            return {
                int(r[0])
                for r in conn.execute(
                    "SELECT rowid FROM quote_words WHERE quote_words MATCH ?", (fts_query,)
                )
            }

    def quotes_by_id(self, ids: Iterable[int]) -> list[StoredQuote]:
        """Stored quotes by id."""
        out: list[StoredQuote] = []
        with self.file.reading() as conn:
            for chunk in chunks(sorted(ids), 500):
                out += _stored(
                    conn.execute(
                        f"{_WITH_KEY} WHERE q.id IN ({marks(len(chunk))})", list(chunk)
                    ).fetchall()
                )
        out.sort(key=lambda q: (q.doc_id, q.quote.start, q.quote.end))
        return out

    def spoken_by(self, term: str, name: str, prefix: bool = False) -> set[int]:
        """Ids of the quotes whose speaker is an entity one of whose search names is (or,
        with ``prefix``, starts with) ``term``, or a name no entity covers written so."""
        params: tuple[str, ...]
        if prefix:
            where, params = "t.term >= ? AND t.term < ?", (term, term + "\U0010ffff")
        else:
            where, params = "t.term = ?", (term,)
        with self.file.reading() as conn:
            found = {
                int(r[0])
                for r in conn.execute(
                    "SELECT q.id FROM terms t JOIN mentions m ON m.key = t.key "
                    "JOIN docs d ON d.id = m.doc JOIN quotes q ON q.doc = d.doc "
                    f'AND q.m_start = m.start AND q.m_end = m."end" WHERE {where}',
                    params,
                )
            }
            if prefix:
                named, params = "name >= ? AND name < ?", (name, name + "\U0010ffff")
            else:
                named, params = "name = ?", (name,)
            found.update(
                int(r[0]) for r in conn.execute(f"SELECT id FROM quotes WHERE {named}", params)
            )
        return found

    def places(self, ids: Iterable[int]) -> dict[str, list[tuple[int, int]]]:
        """Where these quotes are: document id -> their (start, end), in order."""
        out: dict[str, list[tuple[int, int]]] = {}
        with self.file.reading() as conn:
            for chunk in chunks(sorted(ids), 500):
                for doc, start, end in conn.execute(
                    f'SELECT doc, start, "end" FROM quotes WHERE id IN ({marks(len(chunk))})',
                    list(chunk),
                ):
                    out.setdefault(doc, []).append((int(start), int(end)))
        for spans in out.values():
            spans.sort()
        return out
