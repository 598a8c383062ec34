"""Steps 3-5 of an update (see :mod:`.updater`): the corrections' layer, the mention
rows, propagation, and the entities with their search terms."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .contract import term_of
from .corrections import Correction
from .counts import (
    ALIAS_NORMS,
    BASE_FORMS,
    BASE_LABELS,
    CAP_DOCS,
    COUNTRY,
    DEMONYM,
    Counts,
    Postings,
    base_info_of,
    country_search_names,
)
from .layer import Layer, make_layer
from .normalise import CAPITALISED_WORD, WORD, by_use, most_used, norm_key
from .propagate import FormIndex, index_forms, propagate_document
from .records import EntityInfo, MentionRecord
from .store import (
    COUNTED,
    LABELS,
    LOCAL,
    NER,
    PROPAGATED,
    PROPAGATED_LOCAL,
    USER,
    Strings,
    chunks,
    marks,
    unpack,
)
from .updater import BATCH, Levels, TextSource, base_mentions

Row = tuple[int, int, int, int, int, int, int]  # doc, start, end, form, key, base, kind


class StoreBase:
    """The resolution before corrections, read from the store (for :func:`make_layer`)."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        strings: Strings,
        texts: TextSource,
        counts: Counts | None = None,
    ) -> None:
        self.conn = conn
        self.strings = strings
        self.counts = counts or Counts(conn)
        self.texts = texts

    def exists(self, key: str) -> bool:
        sid = self.strings.find(key)
        return sid is not None and bool(
            self.conn.execute("SELECT 1 FROM base WHERE key = ?", (sid,)).fetchone()
        )

    def forms(self, key: str) -> Counter[str]:
        row = self.counts.row(BASE_FORMS, self.strings.find(key))
        names = self.strings.texts_of(row)
        return Counter({names[i]: n for i, n in row.items()})

    def info(self, key: str) -> EntityInfo:
        sid = self.strings.find(key)
        row = self.conn.execute("SELECT name, type FROM base WHERE key = ?", (sid,)).fetchone()
        return EntityInfo(key, row[0], row[1], self.forms(key))

    def named(self, norm: str) -> list[str]:
        sid = self.strings.find(norm)
        if sid is None:
            return []
        ids = [r[0] for r in self.conn.execute("SELECT key FROM base WHERE norm = ?", (sid,))]
        return list(self.strings.texts_of(ids).values())

    def aliased(self, norm: str) -> list[str]:
        row = self.counts.row(ALIAS_NORMS, self.strings.find(norm))
        return list(self.strings.texts_of(row).values())

    def text(self, doc_id: str) -> str | None:
        if not self.conn.execute("SELECT 1 FROM docs WHERE doc = ?", (doc_id,)).fetchone():
            return None
        return next((t for _, t in self.texts([doc_id])), None)


@dataclass
class Outcome:
    """What an update changed, for the caller."""

    documents: int = 0
    """Documents whose mentions were written again."""
    entities: set[str] = field(default_factory=set)
    """Entities written again."""
    layer: Layer = field(default_factory=Layer)


class Apply:
    """Steps 3-5 of one update, after :class:`~.updater.Levels` ran rules 1-5."""

    def __init__(self, levels: Levels, texts: TextSource) -> None:
        self.levels = levels
        self.conn = levels.conn
        self.strings = levels.strings
        self.postings = Postings(self.conn)
        self.texts = texts
        self.keys: set[int] = set()  # entities to write again
        self.forms: set[int] = set()  # names whose propagation may change
        self.propagate: set[int] = set()  # documents to propagate again

    def run(self, changed: Sequence[int], corrections: Sequence[Correction]) -> Outcome:
        self.refresh_base(self.levels.work.touched_base)
        old = self.old_layer()
        layer = make_layer(
            StoreBase(self.conn, self.strings, self.texts, self.levels.counts), corrections
        )
        rewrite = (set(changed) | self.docs_with_new_marks(old, layer)) - set(
            self.levels.work.removed
        )
        self.remove(list(self.levels.work.removed))
        self.write_rows(sorted(rewrite), layer)
        self.remap(old, layer)
        self.update_known()
        self.propagate_again(sorted(self.propagate))
        self.keys |= self.layer_keys(old, layer)
        self.keys |= {i for i in (self.strings.find(k) for k in self.levels.work.touched_base) if i}
        written = self.write_entities(layer)
        self.save_layer(layer)
        return Outcome(len(rewrite), written, layer)

    # ------------------------------------------------------------ rule 5: entities as the rules made them

    def refresh_base(self, keys: Iterable[str]) -> None:
        """Name and type of entities whose names, labels or country changed."""
        counts = self.levels.counts
        for chunk in chunks(sorted(keys), BATCH):
            ids = self.strings.intern(chunk)
            for kind in (BASE_FORMS, BASE_LABELS, COUNTRY, DEMONYM):
                counts.prefetch(kind, ids.values())
            names = self.strings.texts_of(
                b
                for sid in ids.values()
                for kind in (BASE_FORMS, COUNTRY, DEMONYM)
                for b in counts.row(kind, sid)
            )
            gone, rows = [], []
            for sid in ids.values():
                forms_row = counts.row(BASE_FORMS, sid)
                if not forms_row:
                    gone.append((sid,))
                    continue
                forms = Counter({names[i]: n for i, n in forms_row.items()})
                labels = Counter({LABELS[i]: n for i, n in counts.row(BASE_LABELS, sid).items()})
                country = min((names[i] for i in counts.row(COUNTRY, sid)), default=None)
                demonym = min((names[i] for i in counts.row(DEMONYM, sid)), default=None)
                name, etype = base_info_of(forms, labels, country, demonym)
                rows.append((sid, name, etype, norm_key(name), country or ""))
            norms = self.strings.intern(r[3] for r in rows)
            self.conn.executemany("DELETE FROM base WHERE key = ?", gone)
            self.conn.executemany(
                "INSERT OR REPLACE INTO base VALUES (?, ?, ?, ?, ?)",
                [
                    (sid, name, kind, norms[norm], country)
                    for sid, name, kind, norm, country in rows
                ],
            )

    # ------------------------------------------------------------ the layer

    def old_layer(self) -> Layer:
        row = self.conn.execute("SELECT value FROM state WHERE name = 'layer'").fetchone()
        return Layer.from_json(json.loads(row[0])) if row else Layer()

    def save_layer(self, layer: Layer) -> None:
        distinct = sorted(
            {
                tuple(sorted((k, other)))
                for k, info in layer.entities.items()
                for other in info.distinct_from
            }
        )
        unusable = [[c.id, c.kind, c.payload, c.created, reason] for c, reason in layer.unusable]
        for name, value in (
            ("layer", layer.to_json()),
            ("distinct", distinct),
            ("unusable", unusable),
        ):
            self.conn.execute(
                "INSERT OR REPLACE INTO state VALUES (?, ?)", (name, json.dumps(value))
            )

    def docs_with_new_marks(self, old: Layer, new: Layer) -> set[int]:
        """Documents whose researcher-added mentions differ between two layers."""

        def marks_of(layer: Layer) -> dict[str, list[tuple[Any, ...]]]:
            out: dict[str, list[tuple[Any, ...]]] = {}
            for a in layer.added:
                out.setdefault(a.doc_id, []).append((a.start, a.end, a.text, a.key, a.alive))
            return out

        before, after = marks_of(old), marks_of(new)
        docs = [d for d in set(before) | set(after) if before.get(d) != after.get(d)]
        return {rid for rid, *_ in self.levels.doc_rows(docs).values()}

    def layer_keys(self, old: Layer, new: Layer) -> set[int]:
        """Entities whose corrections changed."""
        changed = {
            k for k in set(old.entities) | set(new.entities) if _info(old, k) != _info(new, k)
        }
        changed |= old.gone ^ new.gone
        return {self.strings.id(k) for k in changed}

    # ------------------------------------------------------------ mentions

    def remove(self, rids: Sequence[int]) -> None:
        for chunk in chunks(list(rids), BATCH):
            rows = self.conn.execute(
                f"SELECT form, key, kind FROM mentions WHERE doc IN ({marks(len(chunk))})", chunk
            ).fetchall()
            self._touch(rows)
            self.conn.execute(f"DELETE FROM mentions WHERE doc IN ({marks(len(chunk))})", chunk)

    def _touch(self, rows: Iterable[Sequence[int]]) -> None:
        for form, key, kind in rows:
            self.keys.add(key)
            if kind in COUNTED:
                self.forms.add(form)

    def write_rows(self, rids: Sequence[int], layer: Layer) -> None:
        """Write the mentions (the model's and the researcher's) of documents resolved again."""
        sid = self.strings.id
        ids = self._doc_ids(rids)
        for chunk in chunks(list(rids), BATCH):
            self.remove(chunk)
            rows: list[Row] = []
            for rid, blob in self.levels.load(chunk):
                doc_id = ids[rid]
                covered = layer.covered(doc_id)
                for s, e, form, _label, base, local in base_mentions(blob):
                    if any(not (e <= cs or s >= ce) for cs, ce in covered):
                        continue
                    key = layer.key(base, form)
                    rows.append(
                        (rid, s, e, sid(form), sid(key), sid(base), LOCAL if local else NER)
                    )
                for a in layer.alive_added(doc_id):
                    rows.append((rid, a.start, a.end, sid(a.text), sid(a.key), 0, USER))
            self.conn.executemany(
                "INSERT OR REPLACE INTO mentions VALUES (?, ?, ?, ?, ?, ?, ?)", rows
            )
            self._touch((r[3], r[4], r[6]) for r in rows)
            self.propagate.update(chunk)

    def _doc_ids(self, rids: Sequence[int]) -> dict[int, str]:
        out: dict[int, str] = {}
        for chunk in chunks(list(rids), BATCH):
            out.update(
                self.conn.execute(
                    f"SELECT id, doc FROM docs WHERE id IN ({marks(len(chunk))})", chunk
                ).fetchall()
            )
        return out

    def remap(self, old: Layer, new: Layer) -> None:
        """Mentions whose entity the corrections changed, in documents not written again."""
        for base, form in set(old.moved) | set(new.moved):
            was, now = old.key(base, form), new.key(base, form)
            if was == now:
                continue
            ids = self.strings.ids_of([was, now, base, form])
            if was not in ids or base not in ids or form not in ids:
                continue
            where = (ids[was], ids[base], ids[form])
            docs = [
                r[0]
                for r in self.conn.execute(
                    "SELECT DISTINCT doc FROM mentions WHERE key = ? AND base = ? AND form = ?",
                    where,
                )
            ]
            if not docs:
                continue
            self.conn.execute(
                "UPDATE mentions SET key = ? WHERE key = ? AND base = ? AND form = ?",
                (self.strings.id(now), *where),
            )
            self.keys |= {ids[was], self.strings.id(now)}
            self.forms.add(ids[form])

    # ------------------------------------------------------------ propagation

    def form_keys(self, forms: Sequence[int]) -> dict[int, int]:
        """The entity each name is propagated as: the one it names most often,
        library-wide (names that cannot be propagated are left out)."""
        votes: dict[int, dict[int, int]] = {}
        for form, key, n in self.conn.execute(
            f"SELECT form, key, count(*) FROM mentions WHERE form IN ({marks(len(forms))}) "
            "AND kind IN (0, 2) GROUP BY form, key",
            list(forms),
        ):
            votes.setdefault(form, {})[key] = n
        texts = self.strings.texts_of([*forms, *(k for v in votes.values() for k in v)])
        out = {}
        for form, v in votes.items():
            text = texts[form]
            if len(text) >= 2 and text[0].isupper():
                out[form] = self.strings.ids[most_used({texts[k]: n for k, n in v.items()})]
        return out

    def update_known(self) -> None:
        """Known names whose entity changed, or that became or stopped being known."""
        for chunk in chunks(sorted(self.forms), BATCH):
            known = dict(
                self.conn.execute(
                    f"SELECT form, key FROM known WHERE form IN ({marks(len(chunk))})", chunk
                ).fetchall()
            )
            now_of = self.form_keys(chunk)
            texts = self.strings.texts_of(chunk)
            for form in chunk:
                was, now = known.get(form), now_of.get(form)
                if was != now:
                    self._known_changed(form, texts[form], was, now)

    def _known_changed(self, form: int, text: str, was: int | None, now: int | None) -> None:
        if now is None:
            self.conn.execute("DELETE FROM known WHERE form = ?", (form,))
        else:
            first = self.strings.id(WORD.match(text).group())  # type: ignore[union-attr]
            self.conn.execute("INSERT OR REPLACE INTO known VALUES (?, ?, ?)", (form, now, first))
        if was is None or now is None:
            self.propagate |= self._holding(text)
            return
        self.conn.execute(
            "UPDATE mentions SET key = ? WHERE key = ? AND form = ? AND kind = ?",
            (now, was, form, PROPAGATED),
        )
        self.keys |= {was, now}

    def _holding(self, text: str) -> set[int]:
        """Documents whose text holds every capitalised word of a name."""
        words = set(CAPITALISED_WORD.findall(text))
        ids = self.strings.ids_of(words)
        if len(ids) < len(words):
            return set()
        return self.postings.docs_with_all(CAP_DOCS, list(ids.values())) - set(
            self.levels.work.removed
        )

    def propagate_again(self, rids: Sequence[int]) -> None:
        """Mark the known names in documents (rule 7)."""
        known = _Known(self.conn, self.strings)
        for chunk in chunks(list(rids), 200):
            docs = self._doc_ids(chunk)
            texts = dict(self.texts(list(docs.values())))
            blobs = {
                rid: {"a": self.levels.work.blobs[rid]["a"]}
                if rid in self.levels.work.blobs
                else {"a": unpack(prop) if prop else {}}
                for rid, prop in self.conn.execute(
                    f"SELECT id, prop FROM docs WHERE id IN ({marks(len(docs))})", list(docs)
                )
            }
            rows: dict[int, list[tuple[int, ...]]] = {rid: [] for rid in docs}
            for rid, *row in self.conn.execute(
                f'SELECT doc, start, "end", form, key, base, kind FROM mentions '
                f"WHERE doc IN ({marks(len(docs))})",
                list(docs),
            ):
                rows[rid].append(tuple(row))
            self.strings.texts_of({r[i] for found in rows.values() for r in found for i in (2, 3)})
            known.load({w for rid in docs for w in blobs[rid]["a"].get("cp", ())})
            for rid, doc_id in docs.items():
                text = texts.get(doc_id)
                if text is not None:
                    self._propagate_one(rid, text, blobs[rid], rows[rid], known)

    def _propagate_one(
        self,
        rid: int,
        text: str,
        blob: dict[str, Any],
        rows: list[tuple[int, ...]],
        known: _Known,
    ) -> None:
        names = self.strings.texts
        ms = []
        local_base: dict[str, int] = {}
        old = []
        for s, e, form, key, base, kind in rows:
            if kind in (PROPAGATED, PROPAGATED_LOCAL):
                old.append((s, e, form, key, base, kind))
                continue
            local = kind == LOCAL
            ms.append(MentionRecord(s, e, names[form], None, names[key], local))
            if local:
                local_base[names[form]] = base
        added = propagate_document(
            text,
            ms,
            known.by_first,
            known.key.__getitem__,
            lambda _key: True,
            [(int(a), int(b)) for a, b in blob["a"].get("nu", ())],
        )
        local_forms = {m.form for m in ms if m.local}
        ids = self.strings.intern({m.form for m in added} | {m.key for m in added})
        new = [
            (
                m.start,
                m.end,
                ids[m.form],
                ids[m.key],
                local_base[m.form] if m.form in local_forms else 0,
                PROPAGATED_LOCAL if m.form in local_forms else PROPAGATED,
            )
            for m in added
        ]
        if sorted(new) == sorted(old):
            return
        self.conn.execute("DELETE FROM mentions WHERE doc = ? AND kind IN (3, 4)", (rid,))
        self.conn.executemany(
            "INSERT OR REPLACE INTO mentions VALUES (?, ?, ?, ?, ?, ?, ?)", [(rid, *r) for r in new]
        )
        self.keys |= {r[3] for r in old} | {r[3] for r in new}

    # ------------------------------------------------------------ entities

    def write_entities(self, layer: Layer) -> set[str]:
        """Write again the entities touched: name, type, aliases, counts and search terms."""
        written: set[str] = set()
        base = StoreBase(self.conn, self.strings, self.texts, self.levels.counts)
        for chunk in chunks(sorted(self.keys), BATCH):
            keys = self.strings.texts_of(chunk)
            q = marks(len(chunk))
            counts = {
                k: (d, n)
                for k, d, n in self.conn.execute(
                    f"SELECT key, count(DISTINCT doc), count(*) FROM mentions WHERE key IN ({q}) GROUP BY key",
                    chunk,
                )
            }
            bases = {
                k: (name, kind, country)
                for k, name, kind, country in self.conn.execute(
                    f"SELECT key, name, type, country FROM base WHERE key IN ({q})", chunk
                )
            }
            old_terms: dict[int, set[str]] = {}
            for k, term in self.conn.execute(
                f"SELECT key, term FROM terms WHERE key IN ({q})", chunk
            ):
                old_terms.setdefault(k, set()).add(term)
            self.levels.counts.prefetch(BASE_FORMS, chunk)
            self.strings.texts_of(b for k in chunk for b in self.levels.counts.row(BASE_FORMS, k))
            self.conn.execute(f"DELETE FROM names WHERE key IN ({q})", chunk)
            changed_terms = []
            for key_id in chunk:
                key = keys[key_id]
                info = None
                if key_id in counts:
                    info = layer.entities.get(key)
                    if info is None and key not in layer.gone and key_id in bases:
                        name, kind, _ = bases[key_id]
                        info = EntityInfo(key, name, kind, base.forms(key))
                terms = self._write_entity(
                    key_id, key, info, counts.get(key_id, (0, 0)), bases.get(key_id)
                )
                if terms != old_terms.get(key_id, set()):
                    changed_terms.append((key_id, terms))
                if info is not None:
                    written.add(key)
            self.conn.executemany(
                "DELETE FROM terms WHERE key = ?", [(k,) for k, _ in changed_terms]
            )
            self.conn.executemany(
                "INSERT INTO terms VALUES (?, ?)",
                [(t, k) for k, terms in changed_terms for t in terms],
            )
        return written

    def _write_entity(
        self,
        key_id: int,
        key: str,
        info: EntityInfo | None,
        counts: tuple[int, int],
        base: tuple[str, str, str] | None,
    ) -> set[str]:
        """Write one entity's row and names; its search terms."""
        if info is None:
            self.conn.execute("DELETE FROM entities WHERE key = ?", (key_id,))
            return set()
        aliases = [f for f in by_use(info.forms) if f != info.name]
        search = country_search_names(base[2]) if base and base[2] else []
        self.conn.execute(
            "INSERT OR REPLACE INTO entities VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                key_id,
                info.name,
                info.type,
                json.dumps(aliases, ensure_ascii=False),
                int(info.ignored),
                counts[0],
                counts[1],
                json.dumps(search),
            ),
        )
        if info.ignored:
            return set()
        norms = self.strings.intern([norm_key(info.name), *(norm_key(a) for a in aliases)])
        rows = {(norms[norm_key(info.name)], 1)} | {(norms[norm_key(a)], 0) for a in aliases}
        self.conn.executemany(
            "INSERT OR IGNORE INTO names VALUES (?, ?, ?)", [(n, key_id, main) for n, main in rows]
        )
        return {term_of(t) for t in (key, info.name, *aliases, *search)} - {""}


class _Known:
    """The names propagation marks, by first word, read for the words documents hold."""

    def __init__(self, conn: sqlite3.Connection, strings: Strings) -> None:
        self.conn = conn
        self.strings = strings
        self.by_first: FormIndex = {}
        self.key: dict[str, str] = {}
        self._loaded: set[str] = set()

    def load(self, words: Iterable[str]) -> None:
        want = [w for w in words if w not in self._loaded]
        self._loaded.update(want)
        ids = self.strings.ids_of(want)
        rows = []
        for chunk in chunks(list(ids.values()), BATCH):
            rows += self.conn.execute(
                f"SELECT form, key FROM known WHERE first IN ({marks(len(chunk))})", chunk
            ).fetchall()
        texts = self.strings.texts_of({i for row in rows for i in row})
        found = {texts[form]: texts[key] for form, key in rows}
        self.key.update(found)
        for first, forms in index_forms(found).items():
            self.by_first[first] = forms


def _info(layer: Layer, key: str) -> Any:
    info = layer.entities.get(key)
    if info is None:
        return None
    return (
        info.name,
        info.type,
        sorted(info.forms.items()),
        info.ignored,
        sorted(info.distinct_from),
    )
