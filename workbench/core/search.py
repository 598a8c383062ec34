"""Searching: the Whoosh schema and analyzer, queries, hits with offsets and snippets.

The body of an English document is indexed with a stemming English analyzer and
character positions over exactly the Document's reader text, so match offsets returned
here are offsets into ``Document.text``. A document in another language is indexed in
its language's body field with that language's analyzer (:mod:`workbench.core.analysis`),
and queries are parsed over the body fields of the languages the library holds. The index stores no texts: a hit's text comes from the document
store (:mod:`.docstore`), read for the hits shown only. Opening, checking and writing
the index is :mod:`.index`'s.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from whoosh import fields, index, qparser, query, scoring
from whoosh.analysis import (
    STOP_WORDS,
)
from whoosh.collectors import FilterCollector, TimeLimit, TimeLimitCollector

from . import analysis
from .corpus import Document
from .docset import DocumentSet, SegmentNumbers
from .english import (
    WORD_PATTERN,
    BodyPostings,
    EnglishStemmingAnalyzer,
    name_analyzer,
    stem_word,
)
from .errors import BadQuery
from .serialise import JsonMixin
from .terms import MAX_EXPANSION, TermLists

SCHEMA_VERSION = 7
TITLE_BOOST = 2.5
SNIPPET_CHARS = 220
TIME_BUDGET = 2.0
"""Seconds a search may take before it answers with the hits found so far."""


def make_schema() -> fields.Schema:
    """The index schema. Bump :data:`SCHEMA_VERSION` whenever this changes."""
    analyzer = EnglishStemmingAnalyzer()
    body = fields.TEXT(analyzer=analyzer, stored=False, chars=True)
    body.format = BodyPostings(field_boost=body.format.field_boost)
    # Only the id and the entity terms are stored: texts, titles and metadata live in the
    # document store, so reading the index never reads a text.
    schema = fields.Schema(
        id=fields.ID(unique=True, stored=True),
        title=fields.TEXT(analyzer=analyzer, stored=False, field_boost=TITLE_BOOST),
        body=body,
        date=fields.ID(stored=False),
        entities=fields.KEYWORD(stored=True, commas=True, lowercase=True, scorable=True),
        # What the source says about the document: author:, site:, lang:, format:.
        author=fields.TEXT(analyzer=name_analyzer(), stored=False),
        site=fields.TEXT(analyzer=name_analyzer(), stored=False),
        language=fields.KEYWORD(stored=False, lowercase=True),
        format=fields.KEYWORD(stored=False, lowercase=True),
    )
    # The body of a document in another language, one field per language (empty fields
    # cost nothing): each field's statistics stay within one language.
    for fieldname in analysis.BODY_FIELDS:
        schema.add(fieldname, fields.TEXT(analyzer=analysis.analyzer_for(fieldname)))
    return schema


def document_fields(doc: Document, entities: Sequence[str] = ()) -> dict[str, Any]:
    """The index fields of a Document. ``site:`` finds the site's name and the words of
    its URL's host ("nytimes" in www.nytimes.com). The text goes to the body field of the
    document's language."""
    host = (urlsplit(doc.url).hostname or "") if doc.url else ""
    out = {
        "id": doc.id,
        "title": doc.title,
        "body": doc.text,
        "date": doc.date or "",
        "entities": ",".join(e.replace(",", " ") for e in entities),
        "author": doc.author,
        "site": f"{doc.site} {host}".strip(),
        "language": doc.language,
        "format": doc.format,
    }
    fieldname = analysis.body_field(doc.language)
    if fieldname != analysis.BODY:
        out.update({"body": "", fieldname: doc.text})
    return out


# --------------------------------------------------------------------------- searching


@dataclass
class Hit(JsonMixin):
    """One search result; ``matches`` are (start, end) offsets into the Document's text."""

    id: str
    title: str
    path: str
    score: float
    snippet: str
    matches: list[tuple[int, int]] = field(default_factory=list)
    date: str | None = None
    author: str = ""
    site: str = ""
    format: str = ""
    page: str | None = None
    """The page or chapter of the first match ("p. 4"), for documents that have them."""


@dataclass
class SearchResults(JsonMixin):
    """The hits for a query, best first, and the total number of matching documents."""

    query: str
    total: int
    hits: list[Hit]
    partial: bool = False
    """The search ran out of time: these are the hits found by then."""
    total_exact: bool = True
    """False when ``total`` is an estimate (more matches than one page of hits)."""


class Searcher:
    """Parses queries and runs them, keeping one Whoosh searcher refreshed between calls.

    ``fetch(ids)`` gives the documents of the hits shown (the index stores no texts).
    ``named(term, prefix)`` gives the ids of the documents naming an entity called
    ``term`` (or one starting with it): ``entity:`` is answered by the entity store, not
    by the index.
    """

    def __init__(
        self,
        ix: index.Index,
        fetch: Callable[[Sequence[str]], dict[str, Document]],
        cache_dir: Path | None = None,
        named: Callable[[str, bool], set[str]] | None = None,
    ) -> None:
        self.ix = ix
        self.schema = ix.schema
        self.fetch = fetch
        self.named = named
        self.numbers = SegmentNumbers(cache_dir)
        self._lock = threading.Lock()
        self._searcher = ix.searcher(weighting=scoring.BM25F())
        self.parser = self._parser(("body",))
        self._parsers: dict[tuple[str, ...], qparser.QueryParser] = {("body",): self.parser}
        self.terms = TermLists(cache_dir)

    def _parser(self, body_fields: tuple[str, ...]) -> qparser.QueryParser:
        """A parser over the title and the given body fields, each with its own analyzer."""
        boosts = {"title": TITLE_BOOST, **dict.fromkeys(body_fields, 1.0)}
        parser = qparser.MultifieldParser(["title", *body_fields], self.schema, fieldboosts=boosts)
        parser.add_plugin(qparser.FuzzyTermPlugin())
        parser.add_plugin(
            qparser.FieldAliasPlugin(
                {"entities": ["entity", "entities"], "language": ["lang"], "author": ["by"]}
            )
        )
        parser.add_plugin(qparser.GtLtPlugin())
        return parser

    def _body_fields(self) -> tuple[str, ...]:
        """``body`` and the body fields of the other languages in the library (the index's
        ``language`` terms: one look-up, whatever the library's size)."""
        present = {t.decode("utf-8") for t in self._searcher.reader().lexicon("language")}
        return ("body", *sorted({analysis.body_field(lang) for lang in present} - {"body"}))

    def close(self) -> None:
        with self._lock:
            self._searcher.close()

    def _expand(self, q: query.Query) -> query.Query:
        """Replace fuzzy, wildcard and range leaves by the terms they match (at most
        :data:`MAX_EXPANSION` each), found in the field's cached term list."""
        reader = self._searcher.reader()

        def rewrite(node: query.Query) -> query.Query:
            fieldname = getattr(node, "fieldname", None)
            if fieldname == "entities":
                return self._named(node)
            if fieldname not in ("title", "body") and fieldname not in analysis.BODY_FIELDS:
                return node
            if isinstance(node, query.FuzzyTerm):
                found = self.terms.fuzzy(
                    reader, fieldname, node.text, node.maxdist, node.prefixlength
                )
            elif isinstance(node, query.Wildcard):
                found = self.terms.wildcard(reader, fieldname, node.text)
            elif isinstance(node, query.TermRange):
                found = self.terms.between(reader, fieldname, node)
            elif isinstance(node, query.Prefix):
                found = self.terms.prefixed(reader, fieldname, node.text)
            else:
                return node
            return _any_of(fieldname, found, node.boost)

        return q.accept(rewrite)

    def _named(self, node: query.Query) -> query.Query:
        """An ``entity:`` leaf as the set of documents the entity store finds for it."""
        if isinstance(node, query.Term):
            text, prefix = str(node.text), False
        elif isinstance(node, query.Prefix) or (
            isinstance(node, query.Wildcard)
            and node.text.rstrip("*")
            and "?" not in node.text
            and "*" not in node.text.rstrip("*")
        ):
            text, prefix = str(node.text).rstrip("*"), True
        elif isinstance(node, query.Phrase):
            text, prefix = " ".join(node.words), False
        else:
            raise BadQuery(
                "entity: takes a name, or the start of one followed by * (entity:Zhansh*)"
            )
        named = self.named

        def ids() -> set[str]:
            return named(text, prefix) if named is not None else set()

        shown = f'"{text}"' if " " in text else text + ("*" if prefix else "")
        return DocumentSet("entities", shown, ids, self.numbers, node.boost)

    def parse(self, text: str, body_fields: tuple[str, ...] = ("body",)) -> query.Query:
        """Parse a query in Whoosh's language, or raise :class:`BadQuery` with a one-line reason.

        The query is parsed for the title and each of ``body_fields`` with that field's
        analyzer (English words for ``body``, Russian stems for ``body_ru``...).
        """
        cleaned = text.strip()
        if not cleaned:
            raise BadQuery("the query is empty")
        if cleaned.count('"') % 2:
            # An unbalanced quote: treat the trailing fragment as a phrase to the end.
            cleaned += '"'
        try:
            parser = self._parsers.get(body_fields)
            if parser is None:
                parser = self._parsers[body_fields] = self._parser(body_fields)
            q = parser.parse(cleaned)
        except Exception as exc:  # the parser is lenient; this is a last resort
            raise BadQuery(f"cannot parse the query: {' '.join(str(exc).split())}") from None
        if q is query.NullQuery or isinstance(q, type(query.NullQuery)):
            raise BadQuery(
                f"nothing to search for in '{' '.join(text.split())[:80]}' (single letters and "
                "very common words such as 'the' are not indexed)"
            )
        if isinstance(q, query.Every):
            raise BadQuery("'*' alone would list every document: add a word to look for")
        if isinstance(q, query.Not):
            raise BadQuery(
                "a query cannot be only NOT: say what to look for, then NOT what to exclude"
            )
        return q.accept(_partial_dates).accept(_positive_boost)

    def search(
        self,
        text: str,
        limit: int = 20,
        budget: float = TIME_BUDGET,
        only: Collection[str] | None = None,
    ) -> SearchResults:
        """The best ``limit`` hits; a search that takes more than ``budget`` seconds answers
        with what it found by then, marked ``partial``. ``only`` keeps the documents of
        those ids (and an empty ``text`` then lists them all)."""
        listing = only is not None and not text.strip()
        if not listing:
            self.parse(text)  # refuse a bad query before waiting for the lock
        with self._lock:
            if not self._searcher.up_to_date():
                # Re-open rather than refresh(): Whoosh's refresh() fails when the old
                # reader belonged to an empty index.
                self._searcher.close()
                self._searcher = self.ix.searcher(weighting=scoring.BM25F())
            s = self._searcher
            q = query.Every() if listing else self._expand(self.parse(text, self._body_fields()))
            kept = None if only is None else self.numbers.of_ids(s.reader(), only)
            collector = TimeLimitCollector(
                s.collector(limit=limit), timelimit=budget, use_alarm=False
            )
            if kept is not None:  # outside the time limit's collector, which bypasses it
                collector = FilterCollector(collector, allow=kept)
            partial = False
            try:
                s.search_with_collector(q, collector)
            except TimeLimit:
                partial = True
            results = collector.results()
            # Counting every match of a common word would mean running the query again
            # without the top-N shortcuts: past one page, the total is Whoosh's estimate.
            exact = results.scored_length() < limit or results.has_exact_length()
            total = len(results) if exact else max(results.estimated_length(), limit)
            found = [(hit["id"], float(hit.score or 0.0)) for hit in results]
        docs = self.fetch([doc_id for doc_id, _ in found])
        # What to highlight, per body field (a document's language's): its query terms.
        per_field: dict[str, tuple[set[str], list[list[str]], set[str] | None]] = {}
        hits = []
        for doc_id, score in found:
            doc = docs.get(doc_id)
            if doc is None:
                continue  # removed since: the index is a moment behind
            fieldname = analysis.body_field(doc.language)
            if fieldname not in per_field:
                phrase_words, plain_terms = _query_terms(q, fieldname)
                wanted = _body_terms(q, fieldname) | {w for ph in phrase_words for w in ph}
                per_field[fieldname] = (wanted, phrase_words, plain_terms)
            wanted, phrase_words, plain_terms = per_field[fieldname]
            matches = (
                self.match_offsets(doc.text, wanted, phrase_words, plain_terms, fieldname)
                if wanted
                else []  # nothing of the body to mark (a listing, an entity: alone)
            )
            snippet = make_snippet(doc.text, matches)
            page = doc.section_at(matches[0][0] if matches else 0)
            hits.append(
                Hit(
                    doc.id,
                    doc.title,
                    doc.path,
                    score,
                    snippet,
                    matches,
                    doc.date,
                    author=doc.author,
                    site=doc.site,
                    format=doc.format,
                    page=page,
                )
            )
        return SearchResults(query=text, total=total, hits=hits, partial=partial, total_exact=exact)

    def match_offsets(
        self,
        body: str,
        terms: set[str],
        phrase_words: list[list[str]],
        plain_terms: set[str] | None,
        fieldname: str = "body",
    ) -> list[tuple[int, int]]:
        """Character spans in ``body`` of the words (and whole phrases) of the query's body
        ``terms`` that it contains.

        ``plain_terms`` is None when some leaf (wildcard, fuzzy, prefix) expands to terms not
        visible in the query tree: then any matched term outside phrases is highlighted.
        ``fieldname`` is the body field the document is indexed in (its language's).
        """
        tokens: list[tuple[str | None, int, int]]
        if fieldname == "body":
            tokens = body_tokens(body, terms | {w for ph in phrase_words for w in ph})
        else:
            analyzer = analysis.analyzer_for(fieldname)
            tokens = [t for t in analyzer.terms(body) if t[0] is not None]
        matched = {t for t, _, _ in tokens if t in terms}
        spans: list[tuple[int, int]] = []
        only_in_phrases = {w for ph in phrase_words for w in ph}
        if plain_terms is not None:
            only_in_phrases -= plain_terms
        for stem_, start, end in tokens:
            if stem_ in matched and stem_ not in only_in_phrases:
                spans.append((start, end))
        for words in phrase_words:
            if not words or not all(w in matched for w in words):
                continue
            n = len(words)
            for i in range(len(tokens) - n + 1):
                if all(tokens[i + k][0] == words[k] for k in range(n)):
                    spans.append((tokens[i][1], tokens[i + n - 1][2]))
        spans.sort()
        merged: list[tuple[int, int]] = []
        for s, e in spans:
            if merged and s < merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], e))
            else:
                merged.append((s, e))
        return merged


def body_tokens(body: str, wanted: set[str]) -> list[tuple[str | None, int, int]]:
    """Indexed tokens of ``body`` as (stem or None, start, end), stop words left out.

    The stem is computed only for words that could stem to one of ``wanted``; Porter stems
    keep all but the last two letters of a word, which is what the prefix test relies on.
    """
    prefixes = tuple({t[: max(1, len(t) - 2)] for t in wanted if t})
    out: list[tuple[str | None, int, int]] = []
    for m in WORD_PATTERN.finditer(body):
        word = m.group().lower()
        if len(word) < 2 or word in STOP_WORDS:
            continue
        out.append(
            (
                stem_word(word) if prefixes and word.startswith(prefixes) else None,
                m.start(),
                m.end(),
            )
        )
    return out


def _body_terms(q: query.Query, fieldname: str = "body") -> set[str]:
    """Every term of a body field in an (expanded) query outside its NOT branches."""
    found: set[str] = set()

    def walk(node: query.Query) -> None:
        if isinstance(node, query.Not):
            return
        if isinstance(node, query.Term) and node.fieldname == fieldname:
            found.add(node.text if isinstance(node.text, str) else node.text.decode("utf-8"))
        elif not node.is_leaf():
            for child in node.children():
                walk(child)

    walk(q)
    return found


MIN_BOOST = 0.01
"""The least weight a boost gives (``economy^0`` weighs almost nothing, but its matches
are still found: Whoosh divides by the boost while scoring)."""


def _positive_boost(node: query.Query) -> query.Query:
    """A boost of zero or less (``economy^0``, ``bank^-3``) becomes :data:`MIN_BOOST`."""
    if getattr(node, "boost", 1.0) > 0:
        return node
    node = node.copy()
    node.boost = MIN_BOOST
    return node


def _partial_dates(node: query.Query) -> query.Query:
    """Dates are ISO strings, so a year or month is a prefix of the days in it:
    ``date:2022`` finds every day of 2022, and a range's end takes in all of its
    last year, month or day (``date:[2021 to 2022]`` ends on 2022-12-31)."""
    if isinstance(node, query.Term) and node.fieldname == "date":
        text = node.text if isinstance(node.text, str) else node.text.decode("utf-8")
        if len(text) < 10:
            return query.Prefix("date", text, boost=node.boost)
    if isinstance(node, query.TermRange) and node.fieldname == "date" and node.end:
        end = node.end if isinstance(node.end, str) else node.end.decode("utf-8")
        return query.TermRange(
            "date", node.start, end + "\uffff", node.startexcl, False, boost=node.boost
        )
    return node


def _any_of(fieldname: str, terms: list[str], boost: float) -> query.Query:
    if not terms:
        return query.NullQuery
    return query.Or([query.Term(fieldname, t) for t in sorted(terms)[:MAX_EXPANSION]], boost=boost)


def _query_terms(
    q: query.Query, fieldname: str = "body"
) -> tuple[list[list[str]], set[str] | None]:
    """Phrases (as analysed words) and plain terms of a body field in a query tree, NOT
    branches left out."""
    phrases: list[list[str]] = []
    plain: set[str] | None = set()

    def walk(node: query.Query) -> None:
        nonlocal plain
        if isinstance(node, query.Not):
            return
        if isinstance(node, query.Phrase):
            if node.fieldname == fieldname:
                phrases.append(list(node.words))
            return
        if isinstance(node, query.Term):
            if node.fieldname == fieldname and plain is not None:
                plain.add(node.text if isinstance(node.text, str) else node.text.decode())
            return
        if isinstance(node, (query.Wildcard, query.Prefix, query.FuzzyTerm, query.TermRange)):
            plain = None
            return
        if node.is_leaf():
            return
        for child in node.children():
            walk(child)

    walk(q)
    return phrases, plain


def make_snippet(body: str, matches: list[tuple[int, int]], width: int = SNIPPET_CHARS) -> str:
    """A window of ``body`` around the densest cluster of matches, matches wrapped in ``**``."""
    if not body:
        return ""
    if not matches:
        end = body.find("\n")
        end = width if end == -1 else min(end, width)
        return body[:end].strip() + ("…" if end < len(body) else "")
    # Choose the window start (at a match) that covers the most matches.
    best_i, best_n = 0, 0
    j = 0
    for i, (s, _) in enumerate(matches):
        while j < len(matches) and matches[j][1] <= s + width:
            j += 1
        if j - i > best_n:
            best_i, best_n = i, j - i
    anchor = matches[best_i][0]
    start = max(0, anchor - width // 4)
    # Start at a word boundary, and not before the paragraph the match is in.
    para = body.rfind("\n", 0, anchor)
    if para >= start:
        start = para + 1
    elif start > 0:
        sp = body.find(" ", start)
        if 0 <= sp < anchor:
            start = sp + 1
    end = min(len(body), start + width)
    if end < len(body):
        sp = body.rfind(" ", start, end)
        if sp > anchor:
            end = sp
    out = []
    pos = start
    for s, e in matches:
        if s < start or e > end:
            continue
        out.append(body[pos:s])
        out.append("**" + body[s:e] + "**")
        pos = e
    out.append(body[pos:end])
    text = "".join(out).replace("\n", " ")
    return ("…" if start > 0 else "") + text.strip() + ("…" if end < len(body) else "")
