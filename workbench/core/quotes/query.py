"""The quote prefixes of a search: ``speaker:`` and ``quote:``.

``speaker:"Li Zhanshu"`` (or ``speaker:li``, ``speaker:zhanshu*``) keeps the documents
that quote that speaker, found through the entity store's search names as ``entity:``
finds names (key, name, alias, lower-cased); a name no entity covers is matched as
written. ``quote:word`` (or ``quote:"a phrase"``, ``quote:expand*``) keeps the documents
with those words inside a quote, stemmed as the body is. Several such clauses must all
hold of one and the same quote: ``speaker:li quote:nato`` is Li's quotes that say NATO.
They narrow whatever the rest of the query finds (they are AND, never OR or NOT); a
query of only such clauses lists the documents they keep.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from whoosh.lang.porter import stem as porter_stem

from ..search import SearchResults, make_snippet

_CLAUSE = re.compile(r'(?<![\w:])(speaker|quote):(?:"([^"]*)"?|([^\s()"]+))', re.IGNORECASE)
_FTS_WORD = re.compile(r"\w+", re.UNICODE)
_WORD = re.compile(r"\w+(?:[.’']\w+)*", re.UNICODE)


@dataclass
class QuoteQuery:
    """A query with its quote clauses taken out."""

    rest: str
    text: str = ""
    """The query as given."""
    speakers: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)
    """``quote:`` clauses as written (a word, a phrase, or a prefix ending in ``*``)."""

    @property
    def any(self) -> bool:
        return bool(self.speakers or self.words)


@functools.lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """A word's Porter stem (as the body and the quote words are indexed)."""
    return porter_stem(word)


def split_query(text: str) -> QuoteQuery:
    """Take the ``speaker:`` and ``quote:`` clauses out of a query."""
    found = QuoteQuery("", text)
    for m in _CLAUSE.finditer(text):
        value = " ".join((m.group(2) if m.group(2) is not None else m.group(3)).split())
        if not value:
            continue
        (found.speakers if m.group(1).lower() == "speaker" else found.words).append(value)
    rest = _CLAUSE.sub(" ", text)
    # An AND or OR left dangling where a clause was taken out is dropped.
    rest = re.sub(r"^\s*(?:AND|OR)\b|\b(?:AND|OR|NOT)\s*$", " ", rest.strip())
    found.rest = " ".join(rest.split())
    return found


def fts_query(clause: str) -> str | None:
    """An FTS5 query for one ``quote:`` clause: its words as a phrase (a trailing ``*``
    a prefix), every word quoted so that nothing in it is FTS syntax; None if it has
    no word."""
    prefix = clause.endswith("*")
    words = _FTS_WORD.findall(clause)
    if not words:
        return None
    phrase = " ".join(words)
    return f'"{phrase}"' + ("*" if prefix else "")


def search_name(name: str) -> str:
    """A speaker clause as the entity store's search names are written (lower case,
    commas made spaces)."""
    return " ".join(name.replace(",", " ").lower().split())


def word_spans(text: str, start: int, end: int, clauses: list[str]) -> list[tuple[int, int]]:
    """Where the words of ``quote:`` clauses are in ``text[start:end]`` (offsets into
    ``text``), compared by Porter stem as the index compares them."""
    wanted: set[str] = set()
    prefixes: list[str] = []
    for clause in clauses:
        words = [w.lower() for w in _FTS_WORD.findall(clause)]
        if clause.endswith("*") and words:
            prefixes.append(words.pop())
        wanted.update(stem(w) for w in words)
    spans = []
    for m in _WORD.finditer(text, start, end):
        word = m.group().lower()
        if stem(word) in wanted or any(word.startswith(p) for p in prefixes):
            spans.append((m.start(), m.end()))
    return spans


def highlight(
    results: SearchResults,
    texts: dict[str, str],
    clauses: QuoteQuery,
    places: dict[str, list[tuple[int, int]]],
) -> SearchResults:
    """Mark in each hit the words its ``quote:`` clauses found inside its quotes (or,
    with ``speaker:`` clauses only, the quotes themselves), and show them in the snippet."""
    for hit in results.hits:
        text = texts.get(hit.id)
        if text is None:
            continue
        extra: list[tuple[int, int]] = []
        for start, end in places.get(hit.id, []):
            if clauses.words:
                extra += word_spans(text, start, end, clauses.words)
            else:
                extra.append((start, end))
        hit.matches = _merged(hit.matches + extra)
        shown = [m for m in hit.matches if m[1] - m[0] < 200] or hit.matches
        hit.snippet = make_snippet(text, shown)
    return results


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out
