"""How the index reads text in each language: analyzers, body fields, word rarity.

English documents go to the ``body`` field with the English analyzer, exactly as
before (:class:`workbench.core.english.EnglishStemmingAnalyzer`). A document in another
language goes to a body field of its own language, ``body_<code>``, whose analyzer
tokenizes with Unicode rules (:mod:`workbench.core.text`), folds letter variants and
stems with that language's Snowball stemmer (``санкции`` and ``санкций`` are one term);
Chinese is segmented with jieba; Japanese and Thai are indexed as overlapping character
pairs (no dictionary needed, and word-boundary variation does not matter); any other
language goes to ``body_xx`` (folded words, character pairs in scripts without spaces).

One field per language keeps each field's statistics (BM25's lengths, document
frequencies) within one language, and a query is parsed once per field with that field's
analyzer, over the fields of the languages the library holds, so a Russian query finds
Russian text and an English query is parsed exactly as before.

:func:`detect_language` (from :mod:`workbench.core.text`) gives a document its language
when the importer has not.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from whoosh.analysis import Analyzer, Token

from . import text as textlib
from .text import detect_language, language_code

if TYPE_CHECKING:
    from .corpus import Document

D = TypeVar("D", bound="Document")

__all__ = [
    "BODY",
    "BODY_FIELDS",
    "LANGUAGES",
    "LanguageAnalyzer",
    "analyzer_for",
    "body_field",
    "detect_language",
    "document_frequency",
    "language_code",
    "language_of_field",
    "term_of",
    "with_language",
]

BODY = "body"
CHINESE = "zh"
BIGRAM_LANGUAGES = ("ja", "th")
OTHER = "xx"
LANGUAGES = (*sorted(textlib.SNOWBALL), CHINESE, *BIGRAM_LANGUAGES, OTHER)
"""Languages with a body field of their own (besides English, which uses ``body``)."""


def body_field(language: str | None) -> str:
    """The index field holding the body of a document in ``language`` (a code or a tag)."""
    language = textlib.language_code(language)
    if not language or language == "en":
        return BODY
    if language in LANGUAGES:
        return f"{BODY}_{language}"
    return f"{BODY}_{OTHER}"


def language_of_field(fieldname: str) -> str | None:
    """The language of a body field (None for ``body``, the English one)."""
    return fieldname[len(BODY) + 1 :] if fieldname.startswith(BODY + "_") else None


BODY_FIELDS = tuple(body_field(lang) for lang in LANGUAGES)
"""The body fields of languages other than English."""

MAX_TERM_CHARS = 200
"""Longer "words" (a run of letters without a break, a data blob) are not indexed."""


class LanguageAnalyzer(Analyzer):
    """Words of one language: Unicode words, folded, stop words out, stemmed or segmented."""

    is_morph = True

    def __init__(self, language: str) -> None:
        self.language = language

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LanguageAnalyzer) and other.language == self.language

    def __hash__(self) -> int:
        return hash((LanguageAnalyzer, self.language))

    def has_morph(self) -> bool:
        return True

    def terms(self, value: str) -> Iterator[tuple[str | None, int, int]]:
        """(term or None for a stop word, start, end) of each word of ``value``."""
        stops = textlib.stop_words(self.language)
        stemmer = textlib.snowball_stemmer(self.language)
        words: Iterable[tuple[int, int, str]]
        if self.language == CHINESE:
            words = textlib.chinese_words(value)
        elif self.language in BIGRAM_LANGUAGES or self.language == OTHER:
            words = textlib.cjk_bigrams(value)
        else:
            words = ((m.start(), m.end(), m.group()) for m in textlib.WORD.finditer(value))
        for start, end, word in words:
            if end - start > MAX_TERM_CHARS:
                continue
            folded = textlib.fold(word)
            if not folded or folded in stops or (len(folded) < 2 and folded.isascii()):
                yield None, start, end
                continue
            if stemmer is not None and folded.isalpha():
                folded = stemmer.stemWord(folded)
            yield folded, start, end

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
        **kwargs: Any,
    ) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        pos = start_pos
        for term, start, end in self.terms(value):
            if term is None:
                if removestops:
                    continue
                t.stopped = True
                t.text = textlib.fold(value[start:end])
            else:
                t.stopped = False
                t.text = term
            if keeporiginal:
                t.original = value[start:end]
            t.boost = 1.0
            if positions:
                t.pos = pos
            pos += 1
            if chars:
                t.startchar = start_char + start
                t.endchar = start_char + end
            yield t


def analyzer_for(fieldname: str) -> LanguageAnalyzer:
    """The analyzer of a language body field."""
    language = language_of_field(fieldname)
    if language is None:
        raise ValueError(f"{fieldname} is not a language body field")
    return LanguageAnalyzer(language)


def with_language(doc: D) -> D:
    """``doc`` with its language: as its source gave it, else detected from its text."""
    if textlib.language_code(doc.language):
        return doc
    detected = detect_language(doc.text)
    return dataclasses.replace(doc, language=detected) if detected else doc


def term_of(schema: Any, fieldname: str, word: str) -> str | None:
    """The index term of ``word`` in a field (None: a stop word, or no term)."""
    tokens = list(schema[fieldname].analyzer(word, mode="query"))
    return tokens[0].text if len(tokens) == 1 else None


def document_frequency(reader: Any, language: str | None) -> Callable[[str], int | None]:
    """``word -> number of documents`` of the library in ``language``'s body field.

    For :func:`workbench.core.compare.rarity.library_rarity`. One term lookup per word
    asked, so the cost does not grow with the library; a word the index cannot answer for
    is None (counted as common).
    """
    fieldname = body_field(language)
    schema = reader.schema

    def df(word: str) -> int | None:
        term = term_of(schema, fieldname, word)
        if term is None:
            return None
        try:
            return int(reader.doc_frequency(fieldname, term))
        except Exception:  # a damaged index: the word counts as common, the search says why
            return None

    return df
