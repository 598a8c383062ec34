""":class:`EntityStore`: the library's resolved entities on disk, read one document or one
entity at a time, and brought up to date by :meth:`EntityStore.update`."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from .apply import Apply, Outcome
from .cachedb import CacheFile, CacheRebuilt
from .corrections import Correction
from .layer import Layer
from .normalise import norm_key
from .records import DocEntity, Entity, Suggestion
from .store import Strings, chunks, document_entities, entity_row, marks
from .suggestions import document_pairs, offers, spelling_pairs
from .updater import DocInput, Levels, TextSource

NAMES_KEPT = 200_000
"""Interned names a connection keeps in memory before starting afresh."""


@dataclass(frozen=True)
class StoredDoc:
    """What the store knows of a document: the hashes it was resolved from."""

    sha: str
    hash: str
    ner: bool


class EntityStore:
    """The resolution kept in the entity cache file (see :mod:`.store`)."""

    def __init__(self, file: CacheFile) -> None:
        self.file = file
        self._strings: dict[int, tuple[int, Strings]] = {}

    def strings(self, conn: sqlite3.Connection) -> Strings:
        """The interned names as seen by one connection (the reader's or the writer's);
        forgotten when the file is rebuilt or the connection replaced."""
        found = self._strings.get(id(conn))
        if found is not None and len(found[1].ids) > NAMES_KEPT:
            found = None  # memory stays bounded on a large library
        if found is None or found[0] != self.file.generation or found[1].conn is not conn:
            self._strings = {k: v for k, v in self._strings.items() if v[1].conn is not conn}
            found = self._strings[id(conn)] = (self.file.generation, Strings(conn))
        found[1].unknown.clear()  # a name unknown a moment ago may have been added since
        return found[1]

    # ------------------------------------------------------------ state

    def forget_names(self) -> None:
        """Let go of the names kept in memory (after a long extraction)."""
        self._strings.clear()

    def documents(self, ids: Sequence[str] | None = None) -> dict[str, StoredDoc]:
        """Resolved documents (all, or those of ``ids``) with the hashes they were
        resolved from."""
        try:
            with self.file.reading() as conn:
                if ids is None:
                    rows = conn.execute("SELECT doc, sha, hash, ner FROM docs").fetchall()
                else:
                    rows = []
                    for chunk in chunks(list(ids), 500):
                        rows += conn.execute(
                            f"SELECT doc, sha, hash, ner FROM docs WHERE doc IN ({marks(len(chunk))})",
                            chunk,
                        ).fetchall()
                return {doc: StoredDoc(sha, h, bool(ner)) for doc, sha, h, ner in rows}
        except CacheRebuilt:
            return {}

    def state(self, name: str) -> str | None:
        with self.file.reading() as conn:
            row = conn.execute("SELECT value FROM state WHERE name = ?", (name,)).fetchone()
        return None if row is None else str(row[0])

    def set_state(self, name: str, value: str) -> None:
        with self.file.writing() as conn:
            conn.execute("INSERT OR REPLACE INTO state VALUES (?, ?)", (name, value))

    def unusable(self) -> list[tuple[Correction, str]]:
        """The corrections the last update could not use, and why."""
        raw = self.state("unusable")
        return [(Correction(i, k, p, c), why) for i, k, p, c, why in json.loads(raw or "[]")]

    def layer(self) -> Layer:
        raw = self.state("layer")
        return Layer.from_json(json.loads(raw)) if raw else Layer()

    # ------------------------------------------------------------ updating

    def update(
        self,
        inputs: Sequence[DocInput],
        removed: Sequence[str],
        corrections: Sequence[Correction],
        texts: TextSource,
        state: dict[str, str] | None = None,
    ) -> Outcome:
        """Resolve the documents given (added or changed) and forget the removed, in one
        transaction; the rest of the library changes only where a rule's answer changed.
        ``state`` values are saved in the same transaction."""
        try:
            with self.file.writing() as conn:
                conn.executemany(
                    "INSERT OR REPLACE INTO state VALUES (?, ?)", list((state or {}).items())
                )
                levels = Levels(conn, self.strings(conn))
                changed = levels.start(inputs, removed)
                levels.rule1()
                levels.rule2()
                levels.rule3()
                changed = sorted(set(changed) | set(levels.rule4()))
                outcome = Apply(levels, texts).run(changed, corrections)
                levels.save()
                return outcome
        except BaseException:
            self._strings.clear()  # names interned in a rolled-back transaction are gone
            raise

    # ------------------------------------------------------------ reading

    @staticmethod
    def _doc(conn: sqlite3.Connection, doc_id: str) -> int | None:
        row = conn.execute("SELECT id FROM docs WHERE doc = ?", (doc_id,)).fetchone()
        return None if row is None else int(row[0])

    def of_document(self, doc_id: str) -> list[DocEntity] | None:
        """A document's entities, most mentioned first; None if it was never resolved."""
        with self.file.reading() as conn:
            rid = self._doc(conn, doc_id)
            if rid is None:
                return None
            return document_entities(conn, self.strings(conn), rid)

    def entity(self, key: str) -> Entity | None:
        """The entity with this key (None if there is none, or it is ignored)."""
        with self.file.reading() as conn:
            sid = self.strings(conn).find(key)
            row = conn.execute(
                "SELECT name, type, aliases FROM entities WHERE key = ? AND ignored = 0 AND mentions > 0",
                (sid,),
            ).fetchone()
        return None if row is None else entity_row(key, row)

    def named(self, norm: str, main: bool) -> list[Entity]:
        """Entities whose name (``main``) or one of whose aliases normalises to ``norm``."""
        with self.file.reading() as conn:
            strings = self.strings(conn)
            sid = strings.find(norm)
            if sid is None:
                return []
            ids = [
                r[0]
                for r in conn.execute(
                    "SELECT DISTINCT key FROM names WHERE norm = ? AND main = ?", (sid, int(main))
                )
            ]
            keys = strings.texts_of(ids)
        found = [self.entity(keys[i]) for i in ids]
        return sorted((e for e in found if e is not None), key=lambda e: e.key)

    def documents_of(self, key: str) -> dict[str, int]:
        """Document id -> number of mentions of one entity."""
        with self.file.reading() as conn:
            sid = self.strings(conn).find(key)
            return dict(
                conn.execute(
                    "SELECT d.doc, count(*) FROM mentions m JOIN docs d ON d.id = m.doc "
                    "WHERE m.key = ? GROUP BY m.doc ORDER BY d.doc",
                    (sid,),
                ).fetchall()
            )

    def document_counts(self, keys: Sequence[str]) -> dict[str, int]:
        """How many documents name each of these entities (0: none, or not an entity)."""
        out = dict.fromkeys(keys, 0)
        with self.file.reading() as conn:
            strings = self.strings(conn)
            sids = {sid: key for key in keys if (sid := strings.find(key)) is not None}
            for chunk in chunks(list(sids), 500):
                for sid, docs in conn.execute(
                    f"SELECT key, docs FROM entities WHERE key IN ({marks(len(chunk))})", chunk
                ):
                    out[sids[sid]] = int(docs)
        return out

    def entity_counts(self) -> Iterator[tuple[Entity, int, int]]:
        """Every entity with the documents and mentions naming it (ignored ones left out)."""
        with self.file.reading() as conn:
            rows = conn.execute(
                "SELECT key, name, type, aliases, docs, mentions FROM entities "
                "WHERE ignored = 0 AND mentions > 0"
            ).fetchall()
            keys = self.strings(conn).texts_of(r[0] for r in rows)
        for key, name, kind, aliases, docs, mentions in rows:
            yield entity_row(keys[key], (name, kind, aliases)), docs, mentions

    def document_keys(self) -> Iterator[tuple[str, dict[str, int]]]:
        """Each document's entities (keys, with their mentions), a document at a time."""
        with self.file.reading() as conn:
            docs = conn.execute("SELECT id, doc FROM docs ORDER BY doc").fetchall()
        for chunk in chunks(docs, 500):
            ids = {rid: doc for rid, doc in chunk}
            with self.file.reading() as conn:
                rows = conn.execute(
                    f"SELECT m.doc, m.key, count(*) FROM mentions m JOIN entities e "
                    f"ON e.key = m.key AND e.ignored = 0 WHERE m.doc IN ({marks(len(chunk))}) "
                    f"GROUP BY m.doc, m.key",
                    list(ids),
                ).fetchall()
                names = self.strings(conn).texts_of(r[1] for r in rows)
            by_doc: dict[int, dict[str, int]] = {}
            for rid, key, n in rows:
                by_doc.setdefault(rid, {})[names[key]] = n
            for rid, doc in chunk:
                yield doc, by_doc.get(rid, {})

    # ------------------------------------------------------------ search

    @staticmethod
    def _term_keys(conn: sqlite3.Connection, term: str, prefix: bool) -> list[int]:
        if prefix:
            rows = conn.execute(
                "SELECT DISTINCT key FROM terms WHERE term >= ? AND term < ?",
                (term, term + "\U0010ffff"),
            )
        else:
            rows = conn.execute("SELECT key FROM terms WHERE term = ?", (term,))
        return [r[0] for r in rows]

    def documents_named(self, term: str, prefix: bool = False) -> set[str]:
        """Ids of documents naming an entity one of whose search terms is (or, with
        ``prefix``, starts with) ``term``."""
        with self.file.reading() as conn:
            keys = self._term_keys(conn, term, prefix)
            out: set[str] = set()
            for chunk in chunks(keys, 500):
                out.update(
                    r[0]
                    for r in conn.execute(
                        f"SELECT DISTINCT d.doc FROM mentions m JOIN docs d ON d.id = m.doc "
                        f"WHERE m.key IN ({marks(len(chunk))})",
                        chunk,
                    )
                )
            return out

    def entity_terms(self, doc_id: str) -> list[str]:
        """A document's search terms: each entity's key, name, aliases and extra names."""
        with self.file.reading() as conn:
            rid = self._doc(conn, doc_id)
            if rid is None:
                return []
            rows = conn.execute(
                "SELECT DISTINCT t.term FROM mentions m JOIN terms t ON t.key = m.key WHERE m.doc = ?",
                (rid,),
            ).fetchall()
        return sorted(r[0] for r in rows)

    # ------------------------------------------------------------ suggestions

    def suggestions(self) -> list[Suggestion]:
        """Pairs of entities that are probably one (see :mod:`.suggestions`), those the
        researcher said are two left out."""
        entities = {e.key: e for e, _, _ in self.entity_counts()}
        pairs = list(spelling_pairs(entities.values()))
        pairs += self._document_pairs(entities)
        distinct = {frozenset(p) for p in json.loads(self.state("distinct") or "[]")}
        return [s for s in offers(pairs) if frozenset(s.keys) not in distinct]

    def _document_pairs(
        self, entities: dict[str, Entity]
    ) -> list[tuple[Entity, Entity, float, str]]:
        """Lone names and full person names named in the same document, found from the
        names (a word of a full name equal to a lone name, or one edit from it) and then
        checked against the documents, rather than by reading every document."""
        parts: dict[str, list[Entity]] = {}
        for e in entities.values():
            toks = e.name.split()
            if e.type == "PERSON" and len(toks) >= 2:
                for part in {norm_key(toks[0]), norm_key(toks[-1])}:
                    parts.setdefault(part, []).append(e)
        near = _OneEdit(parts)
        out: list[tuple[Entity, Entity, float, str]] = []
        for single in entities.values():
            if len(single.name.split()) != 1 or single.type not in ("PERSON", "ORG"):
                continue
            s = norm_key(single.name)
            if len(s) < 3:
                continue
            people = {p.key: p for part in near.parts(s) for p in parts[part]}
            for key in sorted(people):
                if key != single.key and self._together(single.key, key):
                    out.extend(document_pairs([single, people[key]]))
        return out

    def _together(self, a: str, b: str) -> bool:
        with self.file.reading() as conn:
            strings = self.strings(conn)
            ia, ib = strings.find(a), strings.find(b)
            row = conn.execute(
                "SELECT 1 FROM mentions x JOIN mentions y ON y.key = ? AND y.doc = x.doc "
                "WHERE x.key = ? LIMIT 1",
                (ib, ia),
            ).fetchone()
        return row is not None


class _OneEdit:
    """Words of full names, found from a lone name: the same word, or (both five letters
    or more) one edit away, through their one-letter deletions."""

    def __init__(self, words: Iterable[str]) -> None:
        self.exact = set(words)
        self.deletions: dict[str, set[str]] = {}
        for w in self.exact:
            if len(w) >= 5:
                for d in {w, *_deletions(w)}:
                    self.deletions.setdefault(d, set()).add(w)

    def parts(self, s: str) -> set[str]:
        found = {s} & self.exact
        if len(s) >= 5:
            from rapidfuzz.distance import Levenshtein

            for d in {s, *_deletions(s)}:
                found |= {w for w in self.deletions.get(d, ()) if Levenshtein.distance(s, w) == 1}
        return found


def _deletions(word: str) -> list[str]:
    return [word[:i] + word[i + 1 :] for i in range(len(word))]
