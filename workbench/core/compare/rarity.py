"""How rare a word is in the library: the evidence that a short shared clause is reuse.

A clause of common words ("according to a senior official") turns up in unrelated
articles; one of rare words ("achieved the required target in 6.1 overs") does not.
Rarity is the inverse document frequency scaled to 0..1, read from the index's counts
(one look-up per word asked, so the cost does not grow with the library).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

from .. import text as textlib
from .words import PreparedText

# A word's rarity when the library cannot say (no index, or a unit of a script without
# spaces, whose characters the index does not count): a common word.
PRIOR_RARITY = 0.3
# Libraries smaller than this are shrunk towards PRIOR_RARITY: in 10 documents every
# word looks rare.
RARITY_SHRINK_DOCS = 100

WordRarity = Callable[[str], float]
"""The rarity of a word in the library, 0 (in every document) to 1 (in none)."""


def passage_rarity(pa: PreparedText, units: Iterable[int], rarity: WordRarity | None) -> float:
    """The summed rarity of the given units of a text (each 0..1; see :data:`WordRarity`)."""
    total = 0.0
    for i in units:
        word = pa.text[pa.starts[i] : pa.ends[i]]
        if rarity is None or textlib.is_spaceless(word):
            total += PRIOR_RARITY * (
                textlib.SPACELESS_WEIGHT if textlib.is_spaceless(word) else 1.0
            )
        else:
            total += rarity(word)
    return total


def library_rarity(doc_count: int, doc_frequency: Callable[[str], int | None]) -> WordRarity:
    """A :data:`WordRarity` from a library's document frequencies.

    ``doc_frequency(word)`` is the number of documents holding the word (None: the index
    has no term for it, e.g. a stop word). The rarity is the inverse document frequency
    scaled to 0..1, ``log((N + 1) / (df + 1)) / log(N + 1)``, shrunk towards
    PRIOR_RARITY in a small library. Looked-up words are remembered.
    """
    n = max(0, doc_count)
    scale = math.log(n + 1) if n else 1.0
    trust = n / (n + RARITY_SHRINK_DOCS)
    seen: dict[str, float] = {}

    def rarity(word: str) -> float:
        found = seen.get(word)
        if found is None:
            df = doc_frequency(word)
            raw = PRIOR_RARITY if df is None or not n else math.log((n + 1) / (df + 1)) / scale
            found = seen[word] = trust * min(1.0, max(0.0, raw)) + (1 - trust) * PRIOR_RARITY
        return found

    return rarity
