"""The search box's query language, as an SQLite FTS5 query over the notes.

The main search box speaks Whoosh's language; for notes the same words mean the same:
``"quoted phrases"``, ``AND`` (also implied between terms), ``OR``, ``NOT x`` or ``-x``,
``prefix*`` and ``tag:x`` for a tag. Any other ``field:`` prefix is
searched in the whole note. Every word and phrase is passed to FTS5 as a quoted string,
so no character a user types can be read as FTS5 syntax; FTS5's own tokenizer (Porter
stemming over Unicode words, accents folded) then matches ``officials`` to ``official``
as the index does.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(r'-?"[^"]*"?|\(|\)|[^\s()]+')
_FIELDS = {"tag": "tags", "tags": "tags", "quote": "quotes", "body": "body"}


def _string(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _term(token: str) -> tuple[str | None, bool]:
    """One word or phrase as FTS5 syntax, and whether it was negated with a leading "-"."""
    negated = token.startswith("-") and len(token) > 1
    if negated:
        token = token[1:]
    column = None
    m = re.match(r"^(\w+):(.+)$", token)
    if m:
        column = _FIELDS.get(m.group(1).lower())
        token = m.group(2)
    prefix = token.endswith("*") and not token.startswith('"')
    words = token.strip('"') if token.startswith('"') else token.strip("*?")
    if not re.search(r"\w", words):
        return None, negated
    text = _string(words) + ("*" if prefix else "")
    return (f"{column} : {text}" if column else text), negated


def fts_query(query: str) -> str | None:
    """The FTS5 MATCH expression for a search-box query, or None if it asks for nothing.

    A query that is only exclusions asks for nothing (FTS5's ``NOT`` needs something to
    subtract from), as the main search box says.
    """
    positive: list[str] = []
    negative: list[str] = []
    pending_or = False
    negate_next = False
    for token in _TOKEN.findall(query):
        if token in {"AND", "&&"}:
            continue
        if token in {"OR", "||"}:
            pending_or = bool(positive)
            continue
        if token == "NOT":
            negate_next = True
            continue
        if token in {"(", ")"}:  # grouping is kept flat: AND joins terms, OR its neighbours
            continue
        term, negated = _term(token)
        if term is None:
            continue
        if negated or negate_next:
            negative.append(term)
        elif pending_or:
            positive[-1] = f"({positive[-1]} OR {term})"
        else:
            positive.append(term)
        pending_or = negate_next = False
    if not positive:
        return None
    expression = " AND ".join(positive)
    for term in negative:
        expression = f"({expression}) NOT {term}"
    return expression
