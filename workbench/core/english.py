"""The English body field's analyzer, and its postings made in one pass.

The body of an English document (and of one whose language nobody could tell) is
indexed with :class:`EnglishStemmingAnalyzer`, which gives exactly the terms and
character positions of Whoosh's ``StemmingAnalyzer`` over :data:`TOKEN_PATTERN`, and
:class:`BodyPostings` writes its postings. Highlighting re-tokenizes with the same
pattern (:data:`WORD_PATTERN`, :func:`stem_word`), so a hit's offsets are the index's.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from typing import Any

from whoosh.analysis import (
    STOP_WORDS,
    Analyzer,
    CharsetFilter,
    LowercaseFilter,
    RegexTokenizer,
    Token,
)
from whoosh.formats import Characters
from whoosh.lang.porter import stem as porter_stem
from whoosh.support.charset import accent_map

# Words, with inner dots kept ("U.S", "3.5"). Pinned here because whoosh-reloaded's default
# also takes "*" into words, which would index "Eurasia*" (a footnote mark) as "eurasia*".
TOKEN_PATTERN = r"\w+(\.?\w+)*"

# The body analyzer is StemmingAnalyzer(): RegexTokenizer(this pattern) | LowercaseFilter |
# StopFilter(English, minsize=2) | StemFilter(Porter). search.body_tokens() reproduces it in a
# way that is ~20x faster for highlighting: the tokenizer runs in C, and only words that
# could stem to a wanted term are stemmed.
WORD_PATTERN = re.compile(TOKEN_PATTERN, re.UNICODE)


@functools.lru_cache(maxsize=100_000)
def stem_word(word: str) -> str:
    """The Porter stem of a lower-case word (remembered: the same words come back)."""
    return porter_stem(word)


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
        stem_word.cache_clear()

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
            stem = stem_word(word)
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
                t.text = word if no_morph else stem_word(word)
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


def name_analyzer() -> Analyzer:
    """Names (authors, sites): words, lower case, accents folded, nothing stemmed or stopped;
    a host name is words too ("bbc.co.uk" -> bbc, co, uk)."""
    return RegexTokenizer(r"\w+") | LowercaseFilter() | CharsetFilter(accent_map)
