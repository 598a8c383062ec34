"""Related articles: "who else printed this story?"

:func:`find_related` asks the index for candidates (key terms, entities) and aligns only
those, so it answers quickly on a corpus of thousands of articles.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from .. import analysis
from ..corpus import Document
from .align import align
from .rarity import WordRarity
from .reuse import Reuse, index_rarity, measure_reuse
from .words import _STOP_STEMS, PreparedText, prepare

if TYPE_CHECKING:
    from ..entities import DocEntity

SORT_KEYS = ("score", "reuse")
"""How :func:`find_related` can order its list: by relatedness, or by the share reused."""
# How many documents the index proposes (by key terms, then by entities) before aligning.
RELATED_TERM_CANDIDATES = 40
RELATED_ENTITY_CANDIDATES = 20
_KEY_TERMS = 25
COMMON_TERM_SHARE = 0.1
"""A word found in more than this share of the library's documents is not a key term..."""
COMMON_TERM_DOCS = 100
"""... unless it is in at most this many (a small library keeps all its words)."""


@dataclass
class Related:
    """Another document related to the one asked about, with a one-line reason.

    ``score`` ranks: shared passages count most (2 × the share of the shorter article that
    is shared, weighted by similarity, plus up to 1 for the first 25 shared words), then
    shared entities (0..1: the share of this document's entities the other names, each
    weighted by its mentions here and its rarity in the library), then shared vocabulary
    (0.5 × the index's key-term score, scaled to the best candidate's). ``shared_entities``
    lists the shared entities, most telling first. ``reuse`` says how much of each text
    lies in the passages they share (A: the document asked about; B: this one).
    """

    id: str
    title: str
    score: float
    reason: str
    passages: int = 0
    shared_words: int = 0
    shared_entities: list[str] = field(default_factory=list)
    reuse: Reuse | None = None

    @property
    def reused(self) -> float:
        """The larger of the two shares of words in shared passages (0 without any)."""
        return max(self.reuse.a_in_b, self.reuse.b_in_a) if self.reuse else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "reuse": self.reuse.to_json() if self.reuse else None,
            "id": self.id,
            "title": self.title,
            "score": round(self.score, 4),
            "reason": self.reason,
            "passages": self.passages,
            "shared_words": self.shared_words,
            "shared_entities": self.shared_entities,
        }


def _surface_words(p: PreparedText) -> dict[str, str]:
    """The first spelling in the text of each stem, to show key terms as words."""
    out: dict[str, str] = {}
    for s, st, en in zip(p.stems, p.starts, p.ends, strict=True):
        out.setdefault(s, p.text[st:en])
    return out


def _listing(items: Sequence[str], shown: int = 3) -> str:
    head = ", ".join(items[:shown])
    return head + (f" (+{len(items) - shown} more)" if len(items) > shown else "")


def _naming_the_same(doc_id: str, entities: Sequence[DocEntity], lookup: EntityLookup) -> list[str]:
    """Other documents naming the most of this one's most mentioned entities (up to
    :data:`RELATED_ENTITY_CANDIDATES`), found in the entity store."""
    if entities:
        top = sorted(entities, key=lambda de: -len(de.mentions))[:15]
        terms = sorted({de.entity.name.replace(",", " ").strip().lower() for de in top})
    else:
        terms = lookup.entity_terms(doc_id)[:30]
    naming: Counter[str] = Counter()
    for term in terms:
        naming.update(lookup.documents_named(term))
    naming.pop(doc_id, None)
    ranked = sorted(naming.items(), key=lambda item: (-item[1], item[0]))
    return [d for d, _ in ranked[:RELATED_ENTITY_CANDIDATES]]


def _entity_terms_of(ids: Sequence[str], lookup: EntityLookup | None) -> dict[str, set[str]]:
    """The entity search terms of each of these documents (none without the store)."""
    if lookup is None:
        return {}
    return {d: set(lookup.entity_terms(d)) for d in ids}


def _entity_terms(de: DocEntity) -> set[str]:
    """The terms the ``entities`` index field holds for one entity: key, name and aliases."""
    return {
        t.replace(",", " ").strip().lower()
        for t in (de.entity.key, de.entity.name, *de.entity.aliases)
        if t.strip()
    }


class DocumentSource(Protocol):
    """Where related() reads the texts it aligns (the document store)."""

    def get(self, doc_id: str) -> Document | None: ...

    def get_many(self, ids: Sequence[str]) -> dict[str, Document]: ...


class EntityLookup(Protocol):
    """What related() asks the entity store (``lib.entities``)."""

    def documents_named(self, term: str, prefix: bool = False) -> set[str]: ...

    def entity_terms(self, doc_id: str) -> list[str]: ...

    def document_counts(self, keys: Sequence[str]) -> dict[str, int]: ...


def find_related(
    ix: Any,
    docs: DocumentSource,
    doc_id: str,
    limit: int = 10,
    entities: Sequence[DocEntity] = (),
    sort: str = "score",
    lookup: EntityLookup | None = None,
) -> list[Related]:
    """Documents of the Whoosh index ``ix`` most related to ``doc_id``, best first.

    The index proposes candidates (documents sharing the document's key terms, and
    documents naming its entities); only those are aligned, so the cost does not grow
    with the size of the library. ``entities`` are the document's own entities and
    ``lookup`` the entity store: a candidate shares an entity when it names one with any
    of the entity's names (the store's search terms). ``sort``:
    ``"score"`` (most related first) or ``"reuse"`` (the largest share of words in shared
    passages first, then by score).
    """
    if sort not in SORT_KEYS:
        raise ValueError(f"sort must be one of {SORT_KEYS}")
    from whoosh import query as wq

    doc = docs.get(doc_id)
    if doc is None:
        return []
    with ix.searcher() as s:
        docnum = s.document_number(id=doc_id)
        if docnum is None:
            return []
        not_self = wq.Term("id", doc_id)  # a mask: cheaper than And(q, Not(...))
        candidates: dict[str, float] = {}  # id -> key-term score
        # Whoosh's stop list is short: leave out function words ("more", "his") here too.
        body = analysis.body_field(doc.language)
        # A word in a tenth of a large library finds no reprint, and its long posting
        # list is most of the query's time: such words are no key terms.
        common = max(COMMON_TERM_DOCS, COMMON_TERM_SHARE * s.doc_count())
        key_terms = [
            (t, w)
            for t, w in s.key_terms_from_text(body, doc.text, numterms=2 * _KEY_TERMS + 10)
            if t not in _STOP_STEMS and s.doc_frequency(body, t) <= common
        ][:_KEY_TERMS]
        if key_terms:
            q = wq.Or([wq.Term(body, t, boost=float(w)) for t, w in key_terms])
            for hit in s.search(q, limit=RELATED_TERM_CANDIDATES, mask=not_self):
                candidates[hit["id"]] = float(hit.score or 0.0)
        # The most mentioned entities (by their names) find reprints the wording missed.
        if lookup is not None:
            for cand in _naming_the_same(doc_id, entities, lookup):
                candidates.setdefault(cand, 0.0)
        # An entity named everywhere ("Russia") says less than a rare one ("Li Zhanshu"):
        # weigh each by its mentions here times its inverse document frequency.
        n_docs = max(1, s.doc_count())
        named = lookup.document_counts([de.entity.key for de in entities]) if lookup else {}
        rarity = {
            de.entity.key: math.log(1 + n_docs / (1 + named.get(de.entity.key, 0)))
            for de in entities
        }
        weights = {de.entity.key: len(de.mentions) * rarity[de.entity.key] for de in entities}
        word_rarity = index_rarity(s.reader(), doc.language)
        texts = docs.get_many(list(candidates))
        terms_of = _entity_terms_of([doc_id, *texts], lookup)
        found = _ranked(
            doc, texts, candidates, key_terms, entities, rarity, weights, terms_of, word_rarity
        )
    if sort == "reuse":
        found.sort(key=lambda r: (-r.reused, -r.score, r.id))
    else:
        found.sort(key=lambda r: (-r.score, r.id))
    return found[:limit]


def _ranked(
    doc: Document,
    texts: dict[str, Document],
    candidates: dict[str, float],
    key_terms: list[tuple[str, float]],
    entities: Sequence[DocEntity],
    rarity: dict[str, float],
    weights: dict[str, float],
    terms_of: dict[str, set[str]],
    word_rarity: WordRarity,
) -> list[Related]:
    """The candidates aligned with the document, scored and explained (unordered)."""
    if not candidates:
        return []
    top_term_score = max(candidates.values()) or 1.0
    mine = prepare(doc.text, doc.language)
    surface = _surface_words(mine)
    key_stems = [t for t, _ in key_terms]
    # Listed rarest first: "Li Zhanshu" tells more than "Russia" about why two are related.
    my_terms = [
        (de, _entity_terms(de))
        for de in sorted(entities, key=lambda de: (-rarity[de.entity.key], -len(de.mentions)))
    ]
    my_weight = sum(weights.values())
    my_raw = terms_of.get(doc.id, set())
    out = []
    for cand_id, term_score in candidates.items():
        other = texts.get(cand_id)
        if other is None:
            continue
        passages = align(
            doc.text, other.text, rarity=word_rarity, languages=(doc.language, other.language)
        )
        theirs_prepared = prepare(other.text, other.language)
        shares = measure_reuse(mine, theirs_prepared, passages, doc.date, other.date)
        shared_words = sum(min(p.a_words, p.b_words) for p in passages)
        shorter = max(1, min(mine.words, theirs_prepared.words))
        reuse = min(1.0, sum(p.similarity * min(p.a_words, p.b_words) for p in passages) / shorter)
        theirs = terms_of.get(cand_id, set())
        if my_terms:
            # Weighted share of this document's entities that the other names too.
            shared_des = [de for de, terms in my_terms if terms & theirs]
            shared_ents = [de.entity.name for de in shared_des]
            ent_overlap = sum(weights[de.entity.key] for de in shared_des) / (my_weight or 1.0)
        else:
            shared_ents = sorted(my_raw & theirs)
            union = len(my_raw | theirs)
            ent_overlap = len(shared_ents) / union if union else 0.0
        term_sim = term_score / top_term_score
        # One shared sentence (~25 words) already says "same source"; more adds through reuse.
        score = 2 * reuse + min(1.0, shared_words / 25) + ent_overlap + 0.5 * term_sim
        reasons = []
        if passages:
            n = len(passages)
            reasons.append(
                f"{n} shared passage{'s' if n != 1 else ''} ({shared_words} words, "
                f"{min(100, round(100 * shared_words / shorter))}% of the shorter article)"
            )
        if shared_ents:
            n = len(shared_ents)
            reasons.append(f"{n} shared entit{'ies' if n != 1 else 'y'}: {_listing(shared_ents)}")
        if not passages:
            other_stems = set(theirs_prepared.stems)
            common = [surface.get(t, t) for t in key_stems if t in other_stems]
            if common:
                reasons.append(f"similar wording: {_listing(common, 5)}")
        if not reasons:
            continue
        out.append(
            Related(
                cand_id,
                other.title,
                score,
                "; ".join(reasons),
                len(passages),
                shared_words,
                shared_ents,
                shares,
            )
        )
    return out
