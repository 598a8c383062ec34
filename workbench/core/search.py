"""The Whoosh index: schema, version stamp, incremental writes, queries and hit offsets.

The index is a cache: every field can be rebuilt from the source files. It carries a
stamp (``workbench-index.json``) with the schema version; an index of another version,
a corrupt one, or one left half-written by a killed process is detected by
:func:`open_index` and reported as :class:`IndexUnusable` so the Library can rebuild it.

The body is indexed with a stemming English analyzer and character positions, and the
stored body is exactly the Document's reader text, so match offsets returned here are
offsets into ``Document.text``.
"""

from __future__ import annotations

import functools
import json
import os
import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import process as rf_process
from rapidfuzz.distance import Levenshtein
from whoosh import fields, index, qparser, query, scoring
from whoosh.analysis import STOP_WORDS, Analyzer, Token
from whoosh.codec.whoosh3 import W3Codec, W3PerDocReader
from whoosh.formats import Characters
from whoosh.index import LockError
from whoosh.lang.porter import stem as porter_stem
from whoosh.writing import IndexWriter

from .corpus import Document
from .errors import BadQuery, LibraryBusy, WorkbenchError
from .files import exclusive, write_text_atomic
from .serialise import JsonMixin

SCHEMA_VERSION = 4
STAMP_FILE = "workbench-index.json"
DIRTY_FILE = "workbench-writing"
WRITER_TIMEOUT = 15.0
TITLE_BOOST = 2.5
# Words, with inner dots kept ("U.S", "3.5"). Pinned here because whoosh-reloaded's default
# also takes "*" into words, which would index "Eurasia*" (a footnote mark) as "eurasia*".
TOKEN_PATTERN = r"\w+(\.?\w+)*"
SNIPPET_CHARS = 220


class IndexUnusable(WorkbenchError):
    """The index must be rebuilt; ``str(exc)`` says why, in one line."""


class EnglishStemmingAnalyzer(Analyzer):
    """Whoosh's ``StemmingAnalyzer(expression=TOKEN_PATTERN)`` in one pass.

    Same tokens, stop words (English, minimum length 2), Porter stems and positions as the
    chain RegexTokenizer | LowercaseFilter | StopFilter | StemFilter, but without four
    generator layers per word; indexing spends much of its time here. A test checks the
    two produce identical token streams on real text in index and query modes.
    """

    is_morph = True

    def __init__(self) -> None:
        self.expression = re.compile(TOKEN_PATTERN, re.UNICODE)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, EnglishStemmingAnalyzer)

    def __hash__(self) -> int:
        return hash(EnglishStemmingAnalyzer)

    def has_morph(self) -> bool:
        return True

    def clean(self) -> None:
        _stem.cache_clear()

    def postings(self, value: str) -> dict[str, list[tuple[int, int, int]]]:
        """Each stem of ``value`` with (position, start, end) of each occurrence, in order.

        What indexing with positions and characters makes of ``self(value)``'s tokens.
        """
        seen: dict[str, list[tuple[int, int, int]]] = {}
        stop = STOP_WORDS
        pos = -1
        first = True
        for raw_pos, match in enumerate(self.expression.finditer(value)):
            word = match.group(0).lower()
            if len(word) < 2 or word in stop:
                continue
            pos = raw_pos if first else pos + 1  # positions renumbered as in __call__
            first = False
            stem = _stem(word)
            entry = (pos, match.start(), match.end())
            found = seen.get(stem)
            if found is None:
                seen[stem] = [entry]
            else:
                found.append(entry)
        return seen

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        no_morph: bool = False,
        **kwargs: Any,
    ) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        # Without tokenizing, the whole value is one word that still goes through the
        # lowercase, stop-word and stemming steps, as in Whoosh's chain.
        matches: Iterable[tuple[str, int, int]] = (
            ((m.group(0), m.start(), m.end()) for m in self.expression.finditer(value))
            if tokenize
            else [(value, 0, len(value))]
        )
        stop = STOP_WORDS
        pos: int | None = None
        for raw_pos, (word, begin, end) in enumerate(matches):
            if keeporiginal:
                t.original = word
            word = word.lower()
            t.boost = 1.0
            if len(word) < 2 or word in stop:
                if removestops:
                    continue
                t.stopped = True
                t.text = word
                if positions:
                    t.pos = start_pos + raw_pos
            else:
                t.stopped = False
                t.text = word if no_morph else _stem(word)
                if positions:
                    # StopFilter(renumber=True): the first kept word keeps its position,
                    # the next ones follow it without gaps.
                    pos = start_pos + raw_pos if pos is None else pos + 1
                    t.pos = pos
            if chars:
                t.startchar = start_char + begin
                t.endchar = start_char + end
            yield t


class BodyPostings(Characters):
    """Whoosh's ``Characters`` posting format, with the postings of a text made in one pass.

    ``Characters.word_values`` runs the analyzer's token stream (a Token object per word)
    and groups it; indexing spent a third of its time there. With our analyzer the same
    postings (position, start and end character of every occurrence of every stem) come
    from one loop over the regular expression's matches. The bytes written are the same:
    a test compares both ways on the seeds and BBC articles.
    """

    def word_values(
        self, value: str, analyzer: Any, **kwargs: Any
    ) -> Iterator[tuple[str, int, float, bytes]]:
        if not isinstance(analyzer, EnglishStemmingAnalyzer):
            yield from super().word_values(value, analyzer, **kwargs)
            return
        boost = self.field_boost
        for word, postings in analyzer.postings(value).items():
            yield word, len(postings), len(postings) * boost, self.encode(postings)


def make_schema() -> fields.Schema:
    """The index schema. Bump :data:`SCHEMA_VERSION` whenever this changes."""
    analyzer = EnglishStemmingAnalyzer()
    body = fields.TEXT(analyzer=analyzer, stored=True, chars=True)
    body.format = BodyPostings(field_boost=body.format.field_boost)
    return fields.Schema(
        id=fields.ID(unique=True, stored=True),
        title=fields.TEXT(analyzer=analyzer, stored=True, field_boost=TITLE_BOOST),
        body=body,
        path=fields.ID(stored=True),
        date=fields.ID(stored=True),
        entities=fields.KEYWORD(stored=True, commas=True, lowercase=True, scorable=True),
        sha=fields.STORED(),
        words=fields.STORED(),
    )


# --------------------------------------------------------------------------- opening


def _stamp() -> dict[str, Any]:
    return {"schema": SCHEMA_VERSION, "whoosh_fields": sorted(make_schema().names())}


def open_index(directory: Path) -> index.Index:
    """Open the index in ``directory``, raising :class:`IndexUnusable` if it must be rebuilt.

    A missing index is created. Returns an opened ``whoosh.index.Index``.
    """
    directory.mkdir(parents=True, exist_ok=True)
    stamp_path = directory / STAMP_FILE
    try:
        exists = index.exists_in(str(directory))
    except Exception as exc:  # a garbled table of contents raises here already
        raise IndexUnusable(f"the search index is damaged ({type(exc).__name__})") from None
    if not exists:
        if any(directory.iterdir()):
            raise IndexUnusable("the search index is incomplete")
        return create_index(directory)
    try:
        stamp = json.loads(stamp_path.read_text("utf-8"))
    except FileNotFoundError:
        raise IndexUnusable("the search index has no version stamp") from None
    except (OSError, ValueError):
        raise IndexUnusable("the search index's version stamp is unreadable") from None
    if stamp != _stamp():
        raise IndexUnusable(
            f"the search index is from another version (schema {stamp.get('schema')}, "
            f"this Workbench uses {SCHEMA_VERSION})"
        )
    try:
        ix = index.open_dir(str(directory))
        if (directory / DIRTY_FILE).exists() and _lock_is_free(ix):
            raise IndexUnusable("the search index was left half-written by an interrupted import")
        with ix.searcher() as s:
            # Touch every segment so truncated or garbled files fail here, not mid-search.
            s.doc_count_all()
            for _ in s.lexicon("id"):
                break
            for fields_ in s.all_stored_fields():
                del fields_
                break
    except IndexUnusable:
        raise
    except Exception as exc:  # Whoosh raises many kinds on a damaged index
        raise IndexUnusable(f"the search index is damaged ({type(exc).__name__})") from None
    return ix


def open_or_recreate(directory: Path) -> tuple[index.Index, str | None]:
    """Open the index in ``directory``, or recreate it empty if it is unusable.

    Returns the index and, if it was recreated, why. Two processes starting on one data
    directory at once (the app and a ``workbench`` command, say) take turns here under a
    lock file beside the index, so one never sees the other's half-created index, and an
    unusable index is recreated once, not by both.
    """
    busy = (
        f"Another Workbench process has been opening the index in {directory} for "
        f"{WRITER_TIMEOUT:.0f} s; try again when it has finished."
    )
    with exclusive(directory.parent / f".{directory.name}.lock", WRITER_TIMEOUT, busy):
        try:
            return open_index(directory), None
        except IndexUnusable as exc:
            return create_index(directory), str(exc)


def _lock_is_free(ix: index.Index) -> bool:
    lock = ix.lock("WRITELOCK")
    if lock.acquire(blocking=False):
        lock.release()
        return True
    return False


def create_index(directory: Path) -> index.Index:
    """Create an empty index with the current schema and stamp, replacing what was there."""
    directory.mkdir(parents=True, exist_ok=True)
    for child in directory.iterdir():
        if child.is_file():
            child.unlink()
    ix = index.create_in(str(directory), make_schema())
    write_text_atomic(directory / STAMP_FILE, json.dumps(_stamp()))
    return ix


class _CachedLengths(W3PerDocReader):
    """Whoosh's per-document reader, reading each document's field length once.

    Writing a segment asks for the length of a document's field once per posting (to
    keep each block's shortest and longest document for BM25), which is a seek and a
    read in the lengths column each time: 370,000 of them for the BBC corpus, a third
    of the time spent committing. Scoring asks for the same lengths over and over too.
    """

    def __init__(self, storage: Any, segment: Any) -> None:
        super().__init__(storage, segment)
        self._lengths: dict[tuple[int, str], int | None] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        key = (docnum, fieldname)
        try:
            length = self._lengths[key]
        except KeyError:
            length = self._lengths[key] = super().doc_field_length(docnum, fieldname, None)
        return default if length is None else length


class IndexCodec(W3Codec):
    """Whoosh 3's codec with posting blocks written uncompressed and cached field lengths.

    Uncompressed blocks: indexing the BBC corpus is 20% faster (3.3 -> 2.6 s) for an
    index of 30 MB instead of 18 MB, the size of Recoll's.
    """

    def __init__(self) -> None:
        super().__init__(compression=0)

    def per_document_reader(self, storage: Any, segment: Any) -> _CachedLengths:
        return _CachedLengths(storage, segment)


@contextmanager
def writing(ix: index.Index, directory: Path, procs: int = 1) -> Iterator[IndexWriter]:
    """A writer that waits up to :data:`WRITER_TIMEOUT` for the lock, then says the library is busy.

    A marker file is present while the writer is open, so that an import killed halfway is
    recognised the next time the index is opened. Leaving the block normally commits;
    an exception cancels the writer.
    """
    options: dict[str, Any] = {"timeout": WRITER_TIMEOUT, "limitmb": 128, "codec": IndexCodec()}
    try:
        if procs > 1:
            writer = ix.writer(procs=procs, multisegment=True, **options)
        else:
            writer = ix.writer(**options)
    except LockError:
        raise LibraryBusy(
            "the library is busy: another Workbench is updating the index; try again shortly"
        ) from None
    except OSError as exc:  # a read-only folder, or a file system that cannot lock
        raise WorkbenchError(
            f"the search index in {directory} cannot be written: {exc.strerror or exc}"
        ) from None
    marker = directory / DIRTY_FILE
    marker.write_text(str(os.getpid()), "utf-8")
    try:
        yield writer
    except BaseException:
        with suppress(Exception):
            writer.cancel()
        marker.unlink(missing_ok=True)
        raise
    writer.commit()
    marker.unlink(missing_ok=True)


def document_fields(doc: Document, entities: Sequence[str] = ()) -> dict[str, Any]:
    """The index fields of a Document."""
    return {
        "id": doc.id,
        "title": doc.title,
        "body": doc.text,
        "path": doc.path,
        "date": doc.date or "",
        "entities": ",".join(e.replace(",", " ") for e in entities),
        "sha": doc.sha,
        "words": doc.words,
    }


def document_from_fields(stored: dict[str, Any]) -> Document:
    """Rebuild a Document from the index's stored fields."""
    return Document(
        id=stored["id"],
        title=stored.get("title", ""),
        path=stored.get("path", ""),
        text=stored.get("body", ""),
        sha=stored.get("sha", ""),
        date=stored.get("date") or None,
        words=int(stored.get("words", 0)),
    )


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


@dataclass
class SearchResults(JsonMixin):
    """The hits for a query, best first, and the total number of matching documents."""

    query: str
    total: int
    hits: list[Hit]


class Searcher:
    """Parses queries and runs them, keeping one Whoosh searcher refreshed between calls."""

    def __init__(self, ix: index.Index) -> None:
        self.ix = ix
        self.schema = ix.schema
        self._lock = threading.Lock()
        self._searcher = ix.searcher(weighting=scoring.BM25F())
        self.parser = qparser.MultifieldParser(
            ["title", "body"], self.schema, fieldboosts={"title": TITLE_BOOST, "body": 1.0}
        )
        self.parser.add_plugin(qparser.FuzzyTermPlugin())
        self.parser.add_plugin(qparser.FieldAliasPlugin({"entities": ["entity", "entities"]}))
        self.parser.add_plugin(qparser.GtLtPlugin())
        self._lexicons: dict[tuple[str, int], str] = {}

    def close(self) -> None:
        with self._lock:
            self._searcher.close()

    def _lexicon(self, fieldname: str) -> str:
        """Every indexed term of a field, one per line, for the current index generation."""
        generation = self._searcher.ixreader.generation()
        key = (fieldname, generation)
        if key not in self._lexicons:
            self._lexicons = {k: v for k, v in self._lexicons.items() if k[1] == generation}
            terms = (t.decode("utf-8") for t in self._searcher.reader().lexicon(fieldname))
            self._lexicons[key] = "\n".join(terms)
        return self._lexicons[key]

    def _expand(self, q: query.Query) -> query.Query:
        """Replace fuzzy and wildcard leaves by the terms they match.

        Whoosh expands these by walking the term list in Python (50-250 ms on 2,000
        articles); a cached term list with rapidfuzz (fuzzy) or one C regex (wildcards)
        does it in a few milliseconds, with the same matches.
        """

        def rewrite(node: query.Query) -> query.Query:
            if isinstance(node, query.FuzzyTerm) and node.fieldname in ("title", "body"):
                lexicon = self._lexicon(node.fieldname).split("\n")
                # The first letter must match (typos there are rare, and Whoosh stems the
                # fuzzy word first: without it "goverment" -> "gover" would match "over").
                prefix = node.text[: max(1, node.prefixlength)]
                candidates = [t for t in lexicon if t.startswith(prefix)] if prefix else lexicon
                found = [
                    m[0]
                    for m in rf_process.extract(
                        node.text,
                        candidates,
                        scorer=Levenshtein.distance,
                        score_cutoff=node.maxdist,
                        limit=None,
                    )
                ]
                return _any_of(node.fieldname, found, node.boost)
            if isinstance(node, query.Wildcard) and node.fieldname in ("title", "body"):
                pattern = "".join(
                    "[^\n]*" if ch == "*" else "[^\n]" if ch == "?" else re.escape(ch)
                    for ch in node.text
                )
                found = re.findall(f"(?m)^{pattern}$", self._lexicon(node.fieldname))
                return _any_of(node.fieldname, found, node.boost)
            return node

        return q.accept(rewrite)

    def parse(self, text: str) -> query.Query:
        """Parse a query in Whoosh's language, or raise :class:`BadQuery` with a one-line reason."""
        cleaned = text.strip()
        if not cleaned:
            raise BadQuery("the query is empty")
        if cleaned.count('"') % 2:
            # An unbalanced quote: treat the trailing fragment as a phrase to the end.
            cleaned += '"'
        try:
            q = self.parser.parse(cleaned)
        except Exception as exc:  # the parser is lenient; this is a last resort
            raise BadQuery(f"cannot parse the query: {exc}") from None
        if q is query.NullQuery or isinstance(q, type(query.NullQuery)):
            raise BadQuery(
                f"nothing to search for in '{text.strip()}' (single letters and very common "
                "words such as 'the' are not indexed)"
            )
        if isinstance(q, query.Not):
            raise BadQuery(
                "a query cannot be only NOT: say what to look for, then NOT what to exclude"
            )
        return q

    def search(
        self, text: str, limit: int = 20, filter_ids: set[str] | None = None
    ) -> SearchResults:
        q = self.parse(text)
        with self._lock:
            if not self._searcher.up_to_date():
                # Re-open rather than refresh(): Whoosh's refresh() fails when the old
                # reader belonged to an empty index.
                self._searcher.close()
                self._searcher = self.ix.searcher(weighting=scoring.BM25F())
            s = self._searcher
            q = self._expand(q)
            kwargs: dict[str, Any] = {"limit": limit, "terms": True}
            if filter_ids is not None:
                kwargs["filter"] = (
                    query.Or([query.Term("id", i) for i in filter_ids])
                    if filter_ids
                    else query.NullQuery
                )
            results = s.search(q, **kwargs)
            total = len(results)
            phrase_words, plain_terms = _query_terms(q)
            hits = []
            for hit in results:
                stored = hit.fields()
                body = stored.get("body", "")
                matched = {
                    t.decode("utf-8") if isinstance(t, bytes) else t
                    for f, t in hit.matched_terms()
                    if f == "body"
                }
                matches = self.match_offsets(body, matched, phrase_words, plain_terms)
                hits.append(
                    Hit(
                        id=stored["id"],
                        title=stored.get("title", ""),
                        path=stored.get("path", ""),
                        score=float(hit.score or 0.0),
                        snippet=make_snippet(body, matches),
                        matches=matches,
                        date=stored.get("date") or None,
                    )
                )
        return SearchResults(query=text, total=total, hits=hits)

    def match_offsets(
        self,
        body: str,
        matched: set[str],
        phrase_words: list[list[str]],
        plain_terms: set[str] | None,
    ) -> list[tuple[int, int]]:
        """Character spans in ``body`` of the words (and whole phrases) the query matched.

        ``plain_terms`` is None when some leaf (wildcard, fuzzy, prefix) expands to terms not
        visible in the query tree: then any matched term outside phrases is highlighted.
        """
        tokens = body_tokens(body, matched | {w for ph in phrase_words for w in ph})
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


# The body analyzer is StemmingAnalyzer(): RegexTokenizer(this pattern) | LowercaseFilter |
# StopFilter(English, minsize=2) | StemFilter(Porter). body_tokens() reproduces it in a
# way that is ~20x faster for highlighting: the tokenizer runs in C, and only words that
# could stem to a wanted term are stemmed.
_TOKEN = re.compile(TOKEN_PATTERN, re.UNICODE)


@functools.lru_cache(maxsize=100_000)
def _stem(word: str) -> str:
    return porter_stem(word)


def body_tokens(body: str, wanted: set[str]) -> list[tuple[str | None, int, int]]:
    """Indexed tokens of ``body`` as (stem or None, start, end), stop words left out.

    The stem is computed only for words that could stem to one of ``wanted``; Porter stems
    keep all but the last two letters of a word, which is what the prefix test relies on.
    """
    prefixes = tuple({t[: max(1, len(t) - 2)] for t in wanted if t})
    out: list[tuple[str | None, int, int]] = []
    for m in _TOKEN.finditer(body):
        word = m.group().lower()
        if len(word) < 2 or word in STOP_WORDS:
            continue
        out.append(
            (_stem(word) if prefixes and word.startswith(prefixes) else None, m.start(), m.end())
        )
    return out


MAX_EXPANSION = 1024  # like Lucene's maxClauseCount: a pattern matching more is truncated


def _any_of(fieldname: str, terms: list[str], boost: float) -> query.Query:
    if not terms:
        return query.NullQuery
    return query.Or([query.Term(fieldname, t) for t in sorted(terms)[:MAX_EXPANSION]], boost=boost)


def _query_terms(q: query.Query) -> tuple[list[list[str]], set[str] | None]:
    """Phrases (as analysed words) and plain terms of a query tree, NOT branches left out."""
    phrases: list[list[str]] = []
    plain: set[str] | None = set()

    def walk(node: query.Query) -> None:
        nonlocal plain
        if isinstance(node, query.Not):
            return
        if isinstance(node, query.Phrase):
            if node.fieldname == "body":
                phrases.append(list(node.words))
            return
        if isinstance(node, query.Term):
            if node.fieldname == "body" and plain is not None:
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
