"""Keeping the stored resolution in step with the library, one change at a time.

An update takes the documents added or changed (with their texts and NER results), the
documents removed, and the corrections. It never re-reads the library:

1. Each changed document is analysed on its own (rule 1: its names, the acronyms it
   defines, its dates and numbers, its words); what it adds to the library-wide counts
   is added, and what it used to add is taken back (stored with the document).
2. The rules that look beyond one document are decided again only for what those
   counts changed (a name, an acronym, a word, a key). Where a decision changes, the
   documents it concerns (found through the ``postings``) are resolved again too; their
   contributions to the next rule's counts change in turn. Rules run in order (1, 2-3,
   4, 5), and each reads only the decisions of the rules before it, so one pass over
   the rules is exact.
3. The corrections are applied as a layer (:mod:`.layer`) and the rows of the documents
   resolved again are written; for the others, the layer's changes are SQL updates.
4. Propagation: a name that becomes known (or stops being known) is marked in the
   documents whose text holds its words (the postings of capitalised words); a name
   that changes hands changes its propagated rows with SQL.
5. The entities whose names, counts or corrections changed are written again, with
   their search terms, and the documents whose search terms changed are noted for the
   index.

The result is the same as :func:`~.resolve.resolve` over the whole library (a test
checks it on real articles, through imports, removals and corrections).
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .counts import (
    ACRONYM,
    ALIAS_NORMS,
    BASE_FORMS,
    BASE_LABELS,
    CANDIDATE,
    CAP_DOCS,
    COUNTRY,
    DEMONYM,
    FORM_DOCS,
    KEPT,
    KEY_DOCS,
    LABEL_VOTES,
    NUMERIC,
    PARTS,
    VOTES,
    WORD,
    Counts,
    Decisions,
    Postings,
)
from .normalise import CAPITALISED_WORD, norm_key
from .normalise import WORD as WORD_RE
from .records import MentionRecord, RawSpan
from .resolve import (
    drop_common_words,
    form_votes,
    label_votes,
    may_relink,
    rule1_analyse,
    rule2_keys,
    rule3_link_lone_names,
)
from .store import LABELS, Strings, chunks, marks, pack, unpack

BATCH = 500


@dataclass
class DocInput:
    """A document added or changed: its text and the model's spans (None: no NER yet)."""

    doc_id: str
    sha: str
    hash: str
    text: str
    spans: list[RawSpan] | None
    english: bool = True
    """Whether the English model reads it (quotes are looked for in English only)."""


TextSource = Callable[[Sequence[str]], Iterator[tuple[str, str]]]
"""Texts of documents by id, read a batch at a time."""


def analyse(text: str, spans: Sequence[RawSpan] | None) -> dict[str, Any]:
    """Rule 1 on one document, as stored: its names, acronyms, dates and numbers, the
    one-word names that may be common words, its words and its capitalised words."""
    a = rule1_analyse(text, spans or [])
    words = {
        w: n
        for w, n in Counter(WORD_RE.findall(text)).items()
        if w.isalpha() and (w.islower() or (w[0].isupper() and not w.isupper()))
    }
    return {
        "m": [[m.start, m.end, m.form, m.label] for m in a.mentions],
        "ac": a.acronyms,
        "nu": [list(s) for s in a.numeric],
        "nt": a.numeric_texts(text),
        "ca": sorted(a.candidates) if spans is not None else [],
        "ti": sorted(a.titled),
        "su": sorted(a.surnames),
        "w": words,
        "cp": sorted(set(CAPITALISED_WORD.findall(text))),
    }


TKey = tuple[int, str, "str | int"]
"""A count's key with names as text: (kind, a, b); b is a name, a label index or 0."""
TextCounts = Counter[TKey]
Post = dict[str, set[tuple[int, str, int]]]
"""Postings to add and to drop: (kind, term, document row id)."""

_NAMED_B = frozenset({ACRONYM, CANDIDATE, COUNTRY, DEMONYM, BASE_FORMS, ALIAS_NORMS, PARTS})
"""Kinds of count whose ``b`` is a name."""


Base = tuple[int, int, str, "str | None", str, int]
"""A mention before corrections: start, end, name as written, label, key, linked locally."""


def pack_base(a: Mapping[str, Any], ms: Sequence[MentionRecord]) -> list[list[Any]]:
    """A document's mentions before corrections, as stored: each by its place among the
    analysed mentions, with its key only where it is not the name's own."""
    place = {(m[0], m[1]): i for i, m in enumerate(a.get("m", ()))}
    return [
        [place[(m.start, m.end)], "" if m.key == norm_key(m.form) else m.key, int(m.local)]
        for m in ms
    ]


PROPAGATION = ("cp", "nu")
"""What propagation reads of a document's analysis, stored apart (``docs.prop``) so that
marking a new name in a document does not read the rest."""


def split_blob(blob: Mapping[str, Any]) -> tuple[bytes, bytes]:
    """A document's stored data as the two columns it is kept in."""
    a = blob.get("a", {})
    rest = {**blob, "a": {k: v for k, v in a.items() if k not in PROPAGATION}}
    return pack(rest), pack({k: a[k] for k in PROPAGATION if k in a})


def base_mentions(blob: Mapping[str, Any]) -> list[Base]:
    """A stored document's mentions before corrections (see :func:`pack_base`)."""
    analysed = blob.get("a", {}).get("m", ())
    out: list[Base] = []
    for i, key, local in blob.get("b", ()):
        s, e, form, label = analysed[i]
        out.append((s, e, form, label, key or norm_key(form), local))
    return out


Staged = tuple[int, int, str, "str | None", str, bool]
"""A mention while an update resolves it: start, end, name, label, key, linked locally."""


@dataclass
class Work:
    """What one update has learnt so far."""

    blobs: dict[int, dict[str, Any]] = field(default_factory=dict)
    """Stored data of the documents being resolved again, by row id (written at the end)."""
    old: dict[int, dict[str, Any]] = field(default_factory=dict)
    """What each of them contributed before this update."""
    dirty: set[int] = field(default_factory=set)
    removed: dict[int, dict[str, Any]] = field(default_factory=dict)
    inputs: set[int] = field(default_factory=set)
    touched_base: set[str] = field(default_factory=set)
    flipped: set[str] = field(default_factory=set)
    stage1: dict[int, tuple[list[Staged], dict[str, Any]]] = field(default_factory=dict)
    """Each document's mentions after rule 2, and what it adds to rule 3's counts."""
    stage2: dict[int, list[Staged]] = field(default_factory=dict)
    """Each document's mentions after rule 3 and the common words."""


def _records(rows: Iterable[Sequence[Any]]) -> list[MentionRecord]:
    return [MentionRecord(*r) for r in rows]


class Levels:
    """Rules 1-5 of an update (steps 1 and 2 of the module's docstring)."""

    def __init__(self, conn: sqlite3.Connection, strings: Strings) -> None:
        self.conn = conn
        self.strings = strings
        strings.unknown.clear()
        self.counts = Counts(conn)
        self.postings = Postings(conn)
        self.decide = Decisions(self.counts, strings)
        self.work = Work()

    # ------------------------------------------------------------ documents

    def doc_rows(self, doc_ids: Iterable[str]) -> dict[str, tuple[int, str, str, int]]:
        """Row id, sha, hash and NER flag of stored documents, by document id."""
        out = {}
        for chunk in chunks(list(doc_ids), BATCH):
            for rid, doc, sha, h, ner in self.conn.execute(
                f"SELECT id, doc, sha, hash, ner FROM docs WHERE doc IN ({marks(len(chunk))})",
                chunk,
            ):
                out[doc] = (rid, sha, h, ner)
        return out

    def load(self, rids: Iterable[int]) -> Iterator[tuple[int, dict[str, Any]]]:
        """Stored data of documents being resolved again, read once and kept (with what
        they contributed before) until the update writes them back."""
        rids = list(rids)
        want = [r for r in rids if r not in self.work.blobs]
        for chunk in chunks(want, BATCH):
            for rid, data, prop in self.conn.execute(
                f"SELECT id, data, prop FROM docs WHERE id IN ({marks(len(chunk))})", chunk
            ):
                blob = unpack(data) if data else {}
                if prop:
                    blob.setdefault("a", {}).update(unpack(prop))
                self.work.blobs[rid] = blob
                self.work.old[rid] = dict(blob)
        for rid in rids:
            if rid in self.work.blobs:
                yield rid, self.work.blobs[rid]

    def start(self, inputs: Sequence[DocInput], removed: Sequence[str]) -> list[int]:
        """Register the changed and removed documents; returns the row ids of the changed."""
        stored = self.doc_rows([d.doc_id for d in inputs] + list(removed))
        known = [stored[d.doc_id][0] for d in inputs if d.doc_id in stored]
        list(self.load(known + [stored[d][0] for d in removed if d in stored]))
        rids = []
        for d in inputs:
            if d.doc_id in stored:
                rid = stored[d.doc_id][0]
                self.conn.execute(
                    "UPDATE docs SET sha = ?, hash = ?, ner = ? WHERE id = ?",
                    (d.sha, d.hash, int(d.spans is not None), rid),
                )
            else:
                cur = self.conn.execute(
                    "INSERT INTO docs (doc, sha, hash, ner, data, prop) VALUES (?, ?, ?, ?, ?, ?)",
                    (d.doc_id, d.sha, d.hash, int(d.spans is not None), b"", b""),
                )
                rid = int(cur.lastrowid or 0)
                self.work.old[rid] = {}
            self.work.blobs[rid] = {"a": analyse(d.text, d.spans)}
            rids.append(rid)
        for doc_id in removed:
            if doc_id in stored:
                rid = stored[doc_id][0]
                self.work.removed[rid] = self.work.blobs.pop(rid)
        self.work.dirty = set(rids)
        self.work.inputs = set(rids)
        return rids

    def old_of(self, rid: int) -> dict[str, Any]:
        if rid in self.work.removed:
            return self.work.removed[rid]
        return self.work.old.get(rid, {})

    # ------------------------------------------------------------ counts

    def flush(self, deltas: TextCounts, post: Post | None = None) -> None:
        """Add text-keyed deltas to the counts (and postings), interning names at once."""
        names = {a for _, a, _ in deltas} | {
            b for k, _, b in deltas if k in _NAMED_B and isinstance(b, str)
        }
        if post:
            names |= {t for side in post.values() for _, t, _ in side}
        ids = self.strings.intern(names)
        self.counts.add(
            Counter(
                {
                    (k, ids[a], ids[b] if isinstance(b, str) else b): n
                    for (k, a, b), n in deltas.items()
                    if n
                }
            )
        )
        if post:
            drop = post["drop"] - post["add"]
            add = post["add"] - post["drop"]
            self.conn.executemany(
                "DELETE FROM postings WHERE kind = ? AND term = ? AND doc = ?",
                [(k, ids[t], d) for k, t, d in drop],
            )
            self.conn.executemany(
                "INSERT OR IGNORE INTO postings VALUES (?, ?, ?)",
                [(k, ids[t], d) for k, t, d in add],
            )

    def _dirty_by(self, kind: int, terms: Iterable[str]) -> None:
        ids = list(self.strings.ids_of(terms).values())
        found = self.postings.docs(kind, ids) - set(self.work.removed)
        self.work.dirty |= found

    # ------------------------------------------------------------ rule 1

    @staticmethod
    def _l0(a: Mapping[str, Any], sign: int, deltas: TextCounts, post: Post, rid: int) -> None:
        for _, _, form, _ in a.get("m", ()):
            deltas[(KEPT, form, 0)] += sign
        for t in a.get("nt", ()):
            deltas[(NUMERIC, t, 0)] += sign
        for abbr, full in a.get("ac", {}).items():
            deltas[(ACRONYM, abbr, full)] += sign
        for w in a.get("ca", ()):
            deltas[(CANDIDATE, w.lower(), w)] += sign
        deltas.update({(WORD, w, 0): sign * n for w, n in a.get("w", {}).items()})
        side = post["add" if sign > 0 else "drop"]
        side.update((FORM_DOCS, f, rid) for f in {m[2] for m in a.get("m", ())})
        side.update((CAP_DOCS, w, rid) for w in a.get("cp", ()))

    def rule1(self) -> None:
        """Counts of names, dates, acronyms and words; the decisions they change."""
        deltas: TextCounts = Counter()
        post: Post = {"add": set(), "drop": set()}
        for rid, blob in self.work.blobs.items():
            old = self.old_of(rid).get("a")
            if old == blob["a"]:
                continue
            if old:
                self._l0(old, -1, deltas, post, rid)
            self._l0(blob["a"], 1, deltas, post, rid)
        for rid, blob in self.work.removed.items():
            if blob.get("a"):
                self._l0(blob["a"], -1, deltas, post, rid)
        deltas = Counter({k: n for k, n in deltas.items() if n})
        forms = {a for k, a, _ in deltas if k in (KEPT, NUMERIC)}
        abbrs = {a for k, a, _ in deltas if k == ACRONYM}
        lowers = {a.lower() for k, a, _ in deltas if k in (WORD, CANDIDATE)}
        self.decide.prefetch_forms(forms | abbrs)
        words = self._candidates(lowers)
        before = self._rule1_decisions(forms, abbrs, words)
        self.flush(deltas, post)
        words |= self._candidates(lowers)
        self.decide.forget("not_name", forms)
        self.decide.forget("acronym", abbrs)
        self.decide.forget("common", words)
        self.decide.prefetch_forms(forms | abbrs | words)
        after = self._rule1_decisions(forms, abbrs, words)
        # A word that was no candidate before was no common word.
        changed = {item for item, now in after.items() if before.get(item, False) != now}
        self._dirty_by(FORM_DOCS, {name for _, name in changed})

    def _candidates(self, lowers: Iterable[str]) -> set[str]:
        ids = self.strings.ids_of(lowers)
        self.counts.prefetch(CANDIDATE, ids.values())
        found: set[int] = set()
        for i in ids.values():
            found.update(self.counts.row(CANDIDATE, i))
        return set(self.strings.texts_of(found).values())

    def _rule1_decisions(
        self, forms: set[str], abbrs: set[str], words: set[str]
    ) -> dict[tuple[str, str], object]:
        out: dict[tuple[str, str], object] = {}
        out.update((("n", f), self.decide.not_name(f)) for f in forms)
        out.update((("a", a), self.decide.acronym(a)) for a in abbrs)
        out.update((("c", w), self.decide.common(w)) for w in words)
        return out

    # ------------------------------------------------------------ rules 1-4 on one document

    def stage1(self, rid: int, a: Mapping[str, Any]) -> tuple[list[MentionRecord], dict[str, Any]]:
        """Rule 1's library-wide part and rule 2 on one document (kept for the update:
        the decisions they read are settled by then)."""
        found = self.work.stage1.get(rid)
        if found is None:
            decide = self.decide
            ms = sorted(
                (
                    MentionRecord(s, e, f, lab, "")
                    for s, e, f, lab in a.get("m", ())
                    if not decide.not_name(f)
                ),
                key=lambda m: m.start,
            )
            keys = rule2_keys(ms, a.get("ac", {}), decide.acronym)
            votes = form_votes(ms)
            c1 = {
                "fv": sorted([f, lab, n] for f, c in votes.items() for lab, n in c.items()),
                "co": sorted(keys.countries.items()),
                "de": sorted(keys.demonyms.items()),
                "k2": sorted({m.key for m in ms}),
            }
            found = self.work.stage1[rid] = (
                [(m.start, m.end, m.form, m.label, m.key, False) for m in ms],
                c1,
            )
        return _records(found[0]), found[1]

    def stage2(self, rid: int, a: Mapping[str, Any]) -> list[MentionRecord]:
        """Rule 3 and the common words on one document (kept for the update)."""
        found = self.work.stage2.get(rid)
        if found is None:
            ms, _ = self.stage1(rid, a)
            rule3_link_lone_names(
                ms, self.decide.votes, self.decide.is_country, a.get("ti", ()), a.get("su", ())
            )
            ms = drop_common_words(ms, self.decide.common)
            found = self.work.stage2[rid] = [
                (m.start, m.end, m.form, m.label, m.key, m.local) for m in ms
            ]
        return _records(found)

    def stage3(self, rid: int, a: Mapping[str, Any]) -> list[MentionRecord]:
        """Rule 4 on one document: its mentions before corrections."""
        ms = self.stage2(rid, a)
        titled, surnames = a.get("ti", ()), a.get("su", ())
        for m in ms:
            if not m.local:
                target = self.decide.relink(m.key)
                if target and may_relink(m, target, titled, surnames):
                    m.key = target
        return ms

    def _prefetch(self, blobs: Sequence[tuple[int, dict[str, Any]]], level: int) -> None:
        if level == 1:
            self.decide.prefetch_forms({m[2] for _, b in blobs for m in b["a"].get("m", ())})
        elif level == 2:
            self.decide.prefetch_keys(
                {k for rid, b in blobs for k in self.stage1(rid, b["a"])[1]["k2"]}
            )

    def _level(self, level: int, name: str, add: Callable[..., None]) -> tuple[TextCounts, Post]:
        """Recompute one level's contribution for every dirty document; the deltas."""
        deltas: TextCounts = Counter()
        post: Post = {"add": set(), "drop": set()}
        for chunk in chunks(sorted(self.work.dirty), BATCH):
            blobs = list(self.load(chunk))
            self._prefetch(blobs, level)
            for rid, blob in blobs:
                if level == 1:
                    contribution = self.stage1(rid, blob["a"])[1]
                else:
                    lv = label_votes(self.stage2(rid, blob["a"]))
                    contribution = {
                        "lv": sorted([k, lab, n] for k, c in lv.items() for lab, n in c.items())
                    }
                old = self.old_of(rid).get(name)
                blob[name] = contribution
                if old == contribution:
                    continue
                if old:
                    add(old, -1, deltas, post, rid)
                add(contribution, 1, deltas, post, rid)
        for rid, blob in self.work.removed.items():
            if blob.get(name):
                add(blob[name], -1, deltas, post, rid)
        return Counter({k: n for k, n in deltas.items() if n}), post

    # ------------------------------------------------------------ rules 2-3

    @staticmethod
    def _c1(c: Mapping[str, Any], sign: int, deltas: TextCounts, post: Post, rid: int) -> None:
        for f, lab, n in c.get("fv", ()):
            deltas[(VOTES, f, LABELS.index(lab))] += sign * n
        for key, name in c.get("co", ()):
            deltas[(COUNTRY, key, name)] += sign
        for key, name in c.get("de", ()):
            deltas[(DEMONYM, key, name)] += sign
        post["add" if sign > 0 else "drop"].update((KEY_DOCS, k, rid) for k in c.get("k2", ()))

    def rule2(self) -> None:
        """Votes of one-word names and the countries: rule 3's evidence."""
        deltas, post = self._level(1, "c1", self._c1)
        forms = {a for k, a, _ in deltas if k == VOTES}
        keys = {a for k, a, _ in deltas if k in (COUNTRY, DEMONYM)}
        self.work.touched_base |= keys
        self.decide.prefetch_forms(forms)
        self.decide.prefetch_keys(keys)
        before = {f: self.decide.vote_summary(f) for f in forms}
        countries = {k: self.decide.is_country(k) for k in keys}
        self.flush(deltas, post)
        self.decide.forget("votes", forms)
        self.decide.forget("country", keys)
        self.decide.prefetch_forms(forms)
        self.decide.prefetch_keys(keys)
        self._dirty_by(FORM_DOCS, {f for f in forms if self.decide.vote_summary(f) != before[f]})
        self.work.flipped = {k for k in keys if self.decide.is_country(k) != countries[k]}
        self._dirty_by(KEY_DOCS, self.work.flipped)

    # ------------------------------------------------------------ rule 4

    @staticmethod
    def _c2(c: Mapping[str, Any], sign: int, deltas: TextCounts, post: Post, rid: int) -> None:
        for key, lab, n in c.get("lv", ()):
            deltas[(LABEL_VOTES, key, LABELS.index(lab))] += sign * n

    def rule3(self) -> None:
        """Label votes per key after linking lone names: rule 4's evidence."""
        deltas, _ = self._level(2, "c2", self._c2)
        keys = {a for _, a, _ in deltas}
        singles = {k for k in keys | self.work.flipped if " " not in k}
        for k in keys:
            if " " in k:
                toks = k.split()
                singles.update((toks[0], toks[-1]))
        self.decide.prefetch_keys(keys | singles)
        before = {k: self.decide.relink(k) for k in singles}
        had = {k: bool(self.decide.label_votes(k)) for k in keys if " " in k}
        self.flush(deltas)
        self.decide.forget("label_votes", keys)
        self.decide.prefetch_keys(keys)
        parts: TextCounts = Counter()
        for k, was in had.items():
            now = bool(self.decide.label_votes(k))
            if now != was:
                toks = k.split()
                for tok in {toks[0], toks[-1]}:
                    parts[(PARTS, tok, k)] += 1 if now else -1
        self.flush(parts)
        self.decide.forget("relink", singles)
        self.decide.prefetch_keys(singles)
        self._dirty_by(KEY_DOCS, {k for k in singles if self.decide.relink(k) != before[k]})

    # ------------------------------------------------------------ rule 5

    @staticmethod
    def _c3(base: Iterable[Sequence[Any]], sign: int, deltas: TextCounts) -> None:
        for _, _, form, label, key, _ in base:
            deltas[(BASE_FORMS, key, form)] += sign
            deltas[(ALIAS_NORMS, norm_key(form), key)] += sign
            if label:
                deltas[(BASE_LABELS, key, LABELS.index(label))] += sign

    def rule4(self) -> list[int]:
        """Each dirty document's mentions after rule 4, kept with the document; the counts
        entities are named and typed by. Returns the documents whose mentions changed."""
        deltas: TextCounts = Counter()
        changed = []
        for chunk in chunks(sorted(self.work.dirty), BATCH):
            for rid, blob in list(self.load(chunk)):
                ms = self.stage3(rid, blob["a"])
                packed = pack_base(blob["a"], ms)
                old = self.old_of(rid)
                blob["b"] = packed
                if old.get("b") == packed and rid not in self.work.inputs:
                    continue
                if old.get("b"):
                    self._c3(base_mentions(old), -1, deltas)
                self._c3(base_mentions(blob), 1, deltas)
                changed.append(rid)
        for blob in self.work.removed.values():
            self._c3(base_mentions(blob), -1, deltas)
        deltas = Counter({k: n for k, n in deltas.items() if n})
        self.flush(deltas)
        self.work.touched_base |= {a for k, a, _ in deltas if k in (BASE_FORMS, BASE_LABELS)}
        return changed

    def save(self) -> None:
        """Write the stored data of every document resolved again; forget the removed."""
        self.conn.executemany(
            "UPDATE docs SET data = ?, prop = ? WHERE id = ?",
            [
                (*split_blob(blob), rid)
                for rid, blob in self.work.blobs.items()
                if blob != self.work.old.get(rid)
            ],
        )
        removed = [(rid,) for rid in self.work.removed]
        self.conn.executemany("DELETE FROM docs WHERE id = ?", removed)
