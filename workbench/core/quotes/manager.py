"""``lib.quotes``: who said what in the library, as the CLI and the GUI ask for it.

The :class:`QuoteManager` keeps each document's quotes in the entity cache file
(:mod:`.store`), found when the document's entities are resolved (the entity manager
calls :meth:`QuoteManager.after_resolve`: background extraction, ``workbench index``,
a document opened before extraction reached it) and again whenever the text, the
extractor's version or the NER model changed. It reaches the library only through the
small :class:`QuoteHost` protocol, so this package never imports the Library.

A quote's speaker is read through the entity store each time (see :mod:`.store`): the
researcher's corrections apply at once. Quotes need the entity model: without it
:meth:`available` says why, and the readers return nothing. Like the entities, they are
looked for in English documents only (the cues are English words).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Sequence
from typing import TYPE_CHECKING, Protocol

from ..corpus import Document
from ..entities import UnknownEntity, norm_key
from ..entities.cache import text_hash
from ..entities.records import DocEntity, Entity, RawSpan
from ..errors import BadQuery, UserError
from ..search import SearchResults
from ..text import is_english
from .extract import extract_quotes
from .query import QuoteQuery, fts_query, highlight, search_name
from .resolve import AttributedQuote, attribute_quotes, speaker_name
from .store import QUOTE_PART, QuoteRow, QuoteStore, StoredQuote, stamp

if TYPE_CHECKING:
    from ..compare.quotes import Statement
    from ..entities.manager import EntityManager
    from ..entities.updater import DocInput

RunSearch = Callable[[str, Collection[str] | None, int], SearchResults]
"""Searches a query among some documents (``Library``'s searcher, restricted)."""

STEP = 200
"""Documents whose quotes are found and saved per transaction when catching up."""


class UnknownSpeaker(UserError):
    """Nobody of that name or key is quoted in the library."""


class DocumentReader(Protocol):
    """The library's documents by id (``lib.docs``)."""

    def get_many(self, ids: Sequence[str]) -> dict[str, Document]: ...


class QuoteHost(Protocol):
    """What the quote manager needs from its library."""

    @property
    def entities(self) -> EntityManager: ...

    @property
    def docs(self) -> DocumentReader: ...

    def resolve_id(self, prefix: str) -> str: ...

    def index_generation(self) -> int: ...


class QuoteManager:
    """The quotes of one library: found with the entities, read one document or one
    speaker at a time."""

    def __init__(self, host: QuoteHost) -> None:
        self._host = host
        self._lock = threading.RLock()
        self._checked: tuple[int, int, str] | None = None
        self._counts: tuple[tuple[int, int], dict[str, int]] | None = None

    # ------------------------------------------------------------ plumbing

    @property
    def store(self) -> QuoteStore:
        """The quote tables, in the entity cache file (added to it on first use)."""
        file = self._host.entities.engine.cache.file
        if QUOTE_PART not in file.parts:
            file.add_part(QUOTE_PART)
        return QuoteStore(file)

    def _stamp(self) -> str:
        return stamp(self._host.entities.engine.model.model_id)

    def available(self) -> tuple[bool, str]:
        """(True, "") when quotes can be found: they need the entity model."""
        ok, why = self._host.entities.available()
        return ok, ("" if ok else f"{why} (quotes need the entity model)")

    # ------------------------------------------------------------ finding quotes

    def after_resolve(self, inputs: Sequence[DocInput], removed: Sequence[str]) -> None:
        """Find the quotes of documents whose entities were just resolved (those the
        model has been through and whose stored quotes are not current), and forget
        those of removed documents."""
        # No lock: each document's quotes are replaced in one transaction, and two
        # threads finding the same document's quotes find the same ones.
        store = self.store
        store.forget(removed)
        ready = {d.doc_id: d for d in inputs if d.spans is not None}
        if not ready:
            return
        current = store.current({d: i.hash for d, i in ready.items()}, self._stamp())
        found = {
            d: (
                i.hash,
                self._stamp(),
                self._find(d, i.text, i.spans or []) if i.english else [],
            )
            for d, i in ready.items()
            if d not in current
        }
        store.put(found)

    def _find(self, doc_id: str, text: str, spans: Sequence[RawSpan]) -> list[QuoteRow]:
        """The quotes of one text with the mention each speaker resolved to."""
        quotes = extract_quotes(text, spans)
        doc_entities = self._host.entities.engine.store.of_document(doc_id) or []
        rows = []
        for aq in attribute_quotes(doc_id, text, quotes, doc_entities):
            mention = _mention_of(aq, doc_entities)
            # the name as written, or in full where the entity has only the surname
            written = mention is None or aq.entity is None or aq.speaker_name != aq.entity.name
            name = norm_key(aq.speaker_name) if written and aq.speaker_name else None
            rows.append(QuoteRow(aq.quote, aq.text, mention, name or None))
        return rows

    def _refresh(self, doc_ids: Sequence[str]) -> None:
        """Find again the quotes of documents the entity store has been through whose
        stored quotes are missing or stale (no model is run here)."""
        engine = self._host.entities.engine
        for i in range(0, len(doc_ids), STEP):
            docs = self._host.docs.get_many(list(doc_ids[i : i + STEP]))
            hashes = {d: text_hash(doc.text) for d, doc in docs.items()}
            spans = engine.spans(list(hashes.values()))
            found = {}
            for d, doc in docs.items():
                h = hashes[d]
                mark = self._stamp() if h in spans else stamp("")
                english = is_english(doc.language)
                quotes = self._find(d, doc.text, spans.get(h, [])) if english else []
                found[d] = (h, mark if english else self._stamp(), quotes)
            self.store.put(found)

    def _catch_up(self) -> None:
        """Bring every extracted document's quotes up to date (cheap when nothing
        changed: the index's generation is looked at first)."""
        if not self.available()[0]:
            return
        with self._lock:
            file = self.store.file
            seen = (self._host.index_generation(), file.generation, self._stamp())
            if seen == self._checked:
                return
            self._refresh(self.store.stale(self._stamp()))
            self._checked = seen

    # ------------------------------------------------------------ reading

    def of_document(self, doc_id: str) -> list[AttributedQuote]:
        """A document's quotes in order, each with its speaker (an entity where the
        speaker's name resolves to one). The model is run on the document first if it
        never was. Empty without a model."""
        real_id = self._host.resolve_id(doc_id)
        if not self.available()[0]:
            return []
        entities = self._host.entities
        entities.of_document(real_id)  # resolved (and its quotes found) if it was not
        store = self.store
        h = store.text_hashes([real_id]).get(real_id)
        if h is None or not store.current({real_id: h}, self._stamp()):
            if entities.engine.missing([(real_id, self._text(real_id))]):
                entities.extract_missing([real_id])
            if h is None or not store.current({real_id: h}, self._stamp()):
                self._refresh([real_id])
        return self._attributed(store.of_document(real_id) or [])

    def speaker_at(self, doc_id: str, start: int, end: int) -> str | None:
        """Whose words the passage ``start``-``end`` of a document is, when it lies within
        a quote with a named speaker (its quotation marks may be part of it); None
        otherwise. Reads the stored quotes only: nothing is extracted here."""
        if end <= start or not self.available()[0]:
            return None
        stored = self.store.of_document(doc_id) or []
        inside = [q for q in stored if q.quote.start - 1 <= start and end <= q.quote.end + 1]
        for q in self._attributed(inside):
            if q.speaker_name:
                return q.speaker_name
        return None

    def _text(self, doc_id: str) -> str:
        doc = self._host.docs.get_many([doc_id]).get(doc_id)
        return doc.text if doc is not None else ""

    def _attributed(self, stored: Sequence[StoredQuote]) -> list[AttributedQuote]:
        store = self._host.entities.engine.store
        known: dict[str, Entity | None] = {}
        out = []
        for sq in stored:
            entity = None
            if sq.key is not None:
                if sq.key not in known:
                    known[sq.key] = store.entity(sq.key)
                entity = known[sq.key]
            q = sq.quote
            out.append(AttributedQuote(sq.doc_id, q, sq.words, entity, speaker_name(q, entity)))
        return out

    def _speaker_quotes(self, name_or_key: str) -> tuple[str, list[StoredQuote]]:
        """The speaker's display name and stored quotes (an entity's, else a name's that
        no entity covers)."""
        ok, why = self.available()
        if not ok:
            raise UserError(why)
        try:
            entity: Entity | None = self._host.entities.get(name_or_key)
        except UnknownEntity:
            entity = None
        self._catch_up()
        if entity is not None:
            return entity.name, self.store.of_keys([entity.key])
        found = self.store.of_name(norm_key(name_or_key))
        if not found:
            raise UnknownSpeaker(
                f"nobody called '{name_or_key}' is quoted in the library (see 'workbench entities')"
            )
        return name_or_key, found

    def by_speaker(self, name_or_key: str) -> list[tuple[str, AttributedQuote]]:
        """Every quote of one speaker (an entity's name, alias or key, or a name as
        written that no entity covers): (document id, quote), by document and offset.
        Raises :class:`UnknownSpeaker` when nobody of that name is quoted."""
        _, stored = self._speaker_quotes(name_or_key)
        return [(q.doc_id, q) for q in self._attributed(stored)]

    def statements(self, name_or_key: str) -> list[Statement]:
        """One speaker's quotes grouped into "the same statement" clusters, each quote
        with its document's title, date and outlet (largest statements first)."""
        from ..compare.quotes import same_statements

        quotes = [q for _, q in self.by_speaker(name_or_key)]
        docs = self._host.docs.get_many(sorted({q.doc_id for q in quotes}))

        def info(doc_id: str) -> tuple[str, str | None, str | None]:
            doc = docs.get(doc_id)
            if doc is None:
                return "", None, None
            return doc.title, doc.date, doc.site or None

        return same_statements(quotes, info)

    def counts(self) -> dict[str, int]:
        """How many quotes each entity has (by key; entities never quoted left out)."""
        if not self.available()[0]:
            return {}
        self._catch_up()
        store = self.store
        version = store.version()
        kept = self._counts
        if kept is None or kept[0] != version:  # a full pass over the quotes: kept till a write
            kept = self._counts = (version, store.counts())
        return dict(kept[1])

    # ------------------------------------------------------------ search

    def places(self, clauses: QuoteQuery) -> dict[str, list[tuple[int, int]]]:
        """The quotes that meet every ``speaker:`` and ``quote:`` clause of a query:
        document id -> where they are."""
        ok, why = self.available()
        if not ok:
            raise UserError(f"speaker: and quote: cannot search: {why}")
        self._catch_up()
        store = self.store
        found: set[int] | None = None
        for name in clauses.speakers:
            prefix = name.endswith("*")
            term = search_name(name.rstrip("*"))
            if not term:
                raise BadQuery(f"say whose quotes to find in 'speaker:{name}'")
            ids = store.spoken_by(term, norm_key(term) if not prefix else term, prefix)
            found = ids if found is None else found & ids
        for words in clauses.words:
            fts = fts_query(words)
            if fts is None:
                raise BadQuery(f"nothing to search for in 'quote:{words}'")
            ids = store.matching(fts)
            found = ids if found is None else found & ids
        return store.places(found or set())

    def search(self, clauses: QuoteQuery, limit: int, run: RunSearch) -> SearchResults:
        """A search whose quote clauses keep the documents with such quotes: ``run(text,
        only, limit)`` searches the rest of the query among them (``limit`` hits); the hits are highlighted
        inside the quotes."""
        places = self.places(clauses)
        if not places:
            return SearchResults(query=clauses.text, total=0, hits=[])
        results = run(clauses.rest, set(places), limit)
        results.query = clauses.text
        texts = {
            d: doc.text for d, doc in self._host.docs.get_many([h.id for h in results.hits]).items()
        }
        return highlight(results, texts, clauses, places)


def _mention_of(aq: AttributedQuote, doc_entities: Sequence[DocEntity]) -> tuple[int, int] | None:
    """The mention of the quote's speaker entity that its name is, else the entity's
    first mention in the document (a surname resolved through the full name)."""
    if aq.entity is None:
        return None
    mentions = next((de.mentions for de in doc_entities if de.entity.key == aq.entity.key), [])
    if not mentions:
        return None
    source = aq.quote.source
    if source is not None:
        best = max(mentions, key=lambda m: min(m.end, source.end) - max(m.start, source.start))
        if min(best.end, source.end) > max(best.start, source.start):
            return best.start, best.end
    return mentions[0].start, mentions[0].end
