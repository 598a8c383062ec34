"""The indexed terms a wildcard, a fuzzy word or a range stands for.

Whoosh expands these by walking the term list in Python, which is slow on a large
library and, for some patterns, without bound. Here each field's term list is read once
per index version, kept in memory as one newline-separated string and on disk beside
the index (``.terms-<field>-<generation>.txt``, so the next process need not read the
index for it), and searched with one C regex:

- A wildcard is translated so that the regex cannot backtrack without bound: runs of
  ``*`` and ``?`` are collapsed, and every ``*`` but the last matches atomically up to
  the first place the following literal occurs (the classic linear glob match), so a
  pattern like ``*?*?*?...`` costs what its length costs.
- A fuzzy word matches within an edit distance of at most :data:`MAX_FUZZY_DISTANCE`,
  with its first letter fixed, among terms of a similar length (rapidfuzz, in C).
- A range is a slice of the sorted term list.

Every expansion keeps at most :data:`MAX_EXPANSION` terms, as Lucene's clause limit does.
"""

from __future__ import annotations

import bisect
import contextlib
import re
import threading
from pathlib import Path
from typing import Any

from .files import write_text_atomic

MAX_EXPANSION = 1024
MAX_FUZZY_DISTANCE = 2
MAX_TERM_CHARS = 100
"""Terms longer than this (a run of characters with no break, not a word) are left out
of the lists wildcards and fuzzy words are matched against."""


def wildcard_regex(pattern: str) -> str:
    """A multi-line regex matching whole lines (terms) that the wildcard ``pattern`` matches."""
    collapsed = re.sub(
        r"[*?]+", lambda m: "?" * m.group().count("?") + ("*" if "*" in m.group() else ""), pattern
    )
    pieces = collapsed.split("*")

    def literal(piece: str) -> str:
        return "".join("[^\n]" if ch == "?" else re.escape(ch) for ch in piece)

    if len(pieces) == 1:
        return f"(?m)^{literal(pieces[0])}$"
    middle = "".join(f"(?>[^\n]*?{literal(p)})" for p in pieces[1:-1] if p)
    return f"(?m)^{literal(pieces[0])}{middle}[^\n]*{literal(pieces[-1])}$"


class TermLists:
    """Each field's terms for the current index version, read once and then cached."""

    def __init__(self, cache_dir: Path | None = None) -> None:
        self.cache_dir = cache_dir
        self._lock = threading.Lock()
        self._text: dict[tuple[str, int], str] = {}
        self._sorted: dict[tuple[str, int], list[str]] = {}

    def text(self, reader: Any, fieldname: str) -> str:
        """The field's terms, one per line, sorted."""
        if reader.generation() is None:  # an empty index's reader: nothing to cache
            return "\n".join(t.decode("utf-8") for t in reader.lexicon(fieldname))
        key = (fieldname, int(reader.generation()))
        with self._lock:
            if key not in self._text:
                self._text = {k: v for k, v in self._text.items() if k[1] == key[1]}
                self._sorted = {k: v for k, v in self._sorted.items() if k[1] == key[1]}
                self._text[key] = self._read(reader, *key)
            return self._text[key]

    def sorted(self, reader: Any, fieldname: str) -> list[str]:
        text = self.text(reader, fieldname)
        if reader.generation() is None:
            return text.split("\n") if text else []
        key = (fieldname, int(reader.generation()))
        with self._lock:
            if key not in self._sorted:
                self._sorted[key] = text.split("\n") if text else []
            return self._sorted[key]

    def _read(self, reader: Any, fieldname: str, generation: int) -> str:
        path = self.cache_dir / f".terms-{fieldname}-{generation}.txt" if self.cache_dir else None
        if path is not None:
            with contextlib.suppress(OSError, UnicodeDecodeError):
                return path.read_text("utf-8")
        terms = (t.decode("utf-8") for t in reader.lexicon(fieldname))
        text = "\n".join(t for t in terms if len(t) <= MAX_TERM_CHARS)
        if path is not None:
            with contextlib.suppress(OSError):  # only a cache
                for old in path.parent.glob(f".terms-{fieldname}-*.txt"):
                    old.unlink(missing_ok=True)
                write_text_atomic(path, text)
        return text

    # ------------------------------------------------------------ expansions

    def wildcard(self, reader: Any, fieldname: str, pattern: str) -> list[str]:
        if set(pattern) <= {"*"}:
            return []  # "*" alone asks for every word: nothing to rank by
        found = re.findall(wildcard_regex(pattern), self.text(reader, fieldname))
        return found[:MAX_EXPANSION]

    def fuzzy(
        self, reader: Any, fieldname: str, word: str, maxdist: int, prefixlength: int
    ) -> list[str]:
        from rapidfuzz import process as rf_process
        from rapidfuzz.distance import Levenshtein

        # The first letter must match (typos there are rare, and Whoosh stems the fuzzy
        # word first: without it "goverment" -> "gover" would match "over").
        distance = max(0, min(int(maxdist), MAX_FUZZY_DISTANCE))
        terms = self.sorted(reader, fieldname)
        prefix = word[: max(1, prefixlength)]
        lo = bisect.bisect_left(terms, prefix)
        hi = bisect.bisect_left(terms, prefix + "\U0010ffff")
        candidates = [t for t in terms[lo:hi] if abs(len(t) - len(word)) <= distance]
        matches = rf_process.extract(
            word, candidates, scorer=Levenshtein.distance, score_cutoff=distance, limit=None
        )
        return [m[0] for m in sorted(matches, key=lambda m: (m[1], m[0]))][:MAX_EXPANSION]

    def prefixed(self, reader: Any, fieldname: str, prefix: str) -> list[str]:
        terms = self.sorted(reader, fieldname)
        lo = bisect.bisect_left(terms, prefix)
        hi = bisect.bisect_left(terms, prefix + "\U0010ffff")
        return terms[lo:hi][:MAX_EXPANSION]

    def between(self, reader: Any, fieldname: str, node: Any) -> list[str]:
        terms = self.sorted(reader, fieldname)
        start, end = node.start, node.end
        lo = 0 if start is None else bisect.bisect_left(terms, start)
        if start is not None and node.startexcl:
            lo = bisect.bisect_right(terms, start)
        hi = len(terms) if end is None else bisect.bisect_right(terms, end)
        if end is not None and node.endexcl:
            hi = bisect.bisect_left(terms, end)
        return terms[lo:hi][:MAX_EXPANSION]
