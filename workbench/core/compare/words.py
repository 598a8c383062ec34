"""Texts cut into the units the aligner matches: words (stemmed, folded) and sentences.

A text is cut with Unicode's rules (:mod:`workbench.core.text`); each word is folded (case,
accents, letter variants), possessives and inner punctuation dropped (``Russia's`` →
``russia``, ``3,000`` → ``3000``) and stemmed (Porter for English, Snowball for the
text's language). In scripts without spaces each character is a unit and counts
:data:`~workbench.core.text.SPACELESS_WEIGHT` of a word.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

from whoosh.lang.porter import stem as porter_stem

from .. import text as textlib

# Function words: they count in the similarity but never make a candidate on their own.
_STOP_TEXT = """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if
    in into is it its itself just me more most my myself no nor not now of off on once only
    or other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your yours
    yourself yourselves said says say s t mr mrs ms one two since however might must may even
    yet still although though across among around upon within without per via whether
    either neither"""
STOP_WORDS = frozenset(_STOP_TEXT.split())

_POSSESSIVE = re.compile(r"[’']s$")
_INNER_PUNCT = re.compile(r"[’'.,]")


# --------------------------------------------------------------------------- words


@lru_cache(maxsize=200_000)
def normalise(word: str, language: str | None = None) -> str:
    """The comparison form of one word: folded (:func:`text.fold`), possessive dropped, stemmed.

    Words are stemmed with the Snowball stemmer of ``language`` where there is one, else
    with Porter's English stemmer; characters of scripts without spaces are kept as they are.
    """
    w = _INNER_PUNCT.sub("", _POSSESSIVE.sub("", textlib.fold(word)))
    return _stem(w, language)


# Longer "words" (a run of letters without a break) are compared as they are.
_MAX_STEMMED_CHARS = 100


@lru_cache(maxsize=65536)
def _stem(word: str, language: str | None) -> str:
    if not word.isalpha() or len(word) > _MAX_STEMMED_CHARS:
        return word
    snowball = textlib.snowball_stemmer(language)
    if snowball is not None:
        return str(snowball.stemWord(word))
    if textlib.is_spaceless(word):
        return word
    return str(porter_stem(word))


# The same words as they look after stemming ("this" -> "thi", "was" -> "wa").
_STOP_STEMS = frozenset({normalise(w) for w in STOP_WORDS} | STOP_WORDS)


@lru_cache(maxsize=64)
def _stop_stems(language: str | None) -> frozenset[str]:
    """English function words, plus those of ``language``, as they look after stemming."""
    more = textlib.stop_words(language)
    return _STOP_STEMS | more | {normalise(w, language) for w in more}


@dataclass(frozen=True)
class PreparedText:
    """A text cut into normalised words and sentences, ready to align.

    The units of matching are words, or single characters in scripts written without
    spaces (see :mod:`workbench.core.text`). ``starts``/``ends`` are the units' offsets
    in ``text``; ``sentences`` are (first unit, end unit) index ranges; ``features`` map
    a sentence's candidate features to it; ``weight_before[i]`` is the number of words
    before unit ``i`` (a character of a script without spaces counts
    :data:`~workbench.core.text.SPACELESS_WEIGHT` of a word); ``language`` is the
    text's language as given or detected.
    """

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    stems: tuple[str, ...]
    content: tuple[bool, ...]
    sentences: tuple[tuple[int, int], ...]
    features: tuple[frozenset[tuple[str, str]], ...]
    weight_before: tuple[float, ...] = ()
    language: str | None = None

    @property
    def words(self) -> int:
        """Words of the text (characters of scripts without spaces weighted)."""
        return round(self.weight(0, len(self.stems)))

    def weight(self, w0: int, w1: int) -> float:
        """Words in the unit range [w0, w1)."""
        return self.weight_before[w1] - self.weight_before[w0]


def _features(stems: Sequence[str], content: Sequence[bool]) -> frozenset[tuple[str, str]]:
    words = [s for s, c in zip(stems, content, strict=True) if c]
    feats = {(words[i], words[i + 1]) for i in range(len(words) - 1)}
    feats.update((words[i], words[i + 2]) for i in range(len(words) - 2))
    return frozenset(feats)


@lru_cache(maxsize=512)
def prepare(text: str, language: str | None = None) -> PreparedText:
    """Words, stems and sentences of ``text`` (cached: related() prepares the same texts often).

    ``language`` (ISO 639-1) chooses the stemmer and function words; without it the
    language is detected.
    """
    language = textlib.language_code(language) or textlib.detect_language(text)
    if textlib.needs_unicode_words(text):
        words = [(s, e, normalise(w, language), w) for s, e, w in textlib.words(text)]
    else:  # the common case, made fast: Python's own word pattern does the same there
        words = [
            (m.start(), m.end(), normalise(m.group(), language), "")
            for m in textlib.PLAIN_WORD.finditer(text)
        ]
    words = [w for w in words if w[2]]
    starts = [w[0] for w in words]
    stems = [w[2] for w in words]
    stops = _stop_stems(language)
    content = [_is_content(st, stops) for st in stems]
    if textlib.has_spaceless(text):
        weights = [textlib.SPACELESS_WEIGHT if textlib.is_spaceless(w[3]) else 1.0 for w in words]
    else:
        weights = [1.0] * len(words)
    sentences: list[tuple[int, int]] = []
    i = 0
    for _, end in textlib.sentence_spans(text):
        j = bisect_left(starts, end, lo=i)
        if j > i:
            sentences.append((i, j))
        i = j
    feats = tuple(_features(stems[lo:hi], content[lo:hi]) for lo, hi in sentences)
    return PreparedText(
        text,
        tuple(starts),
        tuple(w[1] for w in words),
        tuple(stems),
        tuple(content),
        tuple(sentences),
        feats,
        tuple(accumulate(weights, initial=0.0)),
        language,
    )


def _is_content(stem: str, stops: frozenset[str]) -> bool:
    if stem in stops:
        return False
    if len(stem) > 1 or stem.isdigit():
        return True
    return textlib.is_spaceless(stem) and not textlib.is_function_unit(stem)


def word_count(text: str) -> int:
    """Words of ``text`` as the aligner counts them (see :attr:`PreparedText.weight`)."""
    total = 0.0
    for _, _, w in textlib.words(text):
        total += textlib.SPACELESS_WEIGHT if textlib.is_spaceless(w) else 1.0
    return round(total)
