"""Suggestions: pairs of entities that are probably one, offered to the researcher to
merge or to dismiss (never merged automatically)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence

from .normalise import norm_key
from .records import DocEntity, Entity, Suggestion

Pair = tuple[Entity, Entity, float, str]


def suggestions(
    entities: dict[str, Entity], doc_entities: dict[str, list[DocEntity]], threshold: float = 0.8
) -> list[Suggestion]:
    """Pairs of entities that are probably one, for the researcher to merge (never automatic).

    - Two names of the same type that differ by a letter or two (``Milov``/``Milow``),
      compared with a normalised edit distance, only among names sharing their first letter.
    - A lone name within one edit of the surname or given name of a person named in the
      same document (``Milow`` beside ``Vladimir Milov``).
    """
    pairs = list(spelling_pairs(entities.values(), threshold))
    for des in doc_entities.values():
        pairs.extend(document_pairs([de.entity for de in des]))
    return offers(pairs)


def offers(pairs: Iterable[Pair]) -> list[Suggestion]:
    """One suggestion per pair of keys (the first reason given wins), best first."""
    out: dict[tuple[str, str], Suggestion] = {}
    for a, b, score, reason in pairs:
        pair = (a.key, b.key) if a.key <= b.key else (b.key, a.key)
        if a.key == b.key or pair in out:
            continue
        first, second = (a, b) if a.key == pair[0] else (b, a)
        out[pair] = Suggestion(
            (first.key, second.key), (first.name, second.name), a.type, score, reason
        )
    return sorted(out.values(), key=lambda x: (-x.score, x.names))


def spelling_pairs(entities: Iterable[Entity], threshold: float = 0.8) -> Iterator[Pair]:
    """Names of the same type and first letter within two edits of each other."""
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    blocks: dict[tuple[str, str], list[Entity]] = defaultdict(list)
    for e in entities:
        k = norm_key(e.name)
        if len(k) >= 4:
            blocks[(e.type, k[0])].append(e)
    for block in blocks.values():
        if len(block) < 2:
            continue
        keys = [norm_key(e.name) for e in block]
        # All pairs of a block at once, in C: a few hundred names per block on a large library.
        distances = process.cdist(keys, keys, scorer=Levenshtein.distance, score_cutoff=2)
        for i, j in zip(*distances.nonzero(), strict=True):
            if i < j and distances[i, j] <= 2:
                score = Levenshtein.normalized_similarity(keys[i], keys[j])
                if score >= threshold:
                    yield block[i], block[j], score, "near-identical spelling"


def document_pairs(entities: Sequence[Entity]) -> Iterator[Pair]:
    """In one document: a lone name that is, or is one letter from, the surname or given
    name of a person named in full there."""
    from rapidfuzz.distance import Levenshtein

    people = [e for e in entities if e.type == "PERSON" and len(e.name.split()) >= 2]
    lone = [e for e in entities if len(e.name.split()) == 1 and e.type in ("PERSON", "ORG")]
    for single in lone:
        s = norm_key(single.name)
        if len(s) < 3:
            continue
        for person in people:
            toks = [norm_key(t) for t in person.name.split()]
            for part in (toks[0], toks[-1]):
                if part == s:
                    # Same spelling but not linked: the model gave the lone name another type.
                    yield (
                        single,
                        person,
                        1.0,
                        f"'{single.name}' ({single.type}) is part of '{person.name}' in the same document",
                    )
                elif len(part) >= 5 and len(s) >= 5 and Levenshtein.distance(s, part) == 1:
                    yield (
                        single,
                        person,
                        Levenshtein.normalized_similarity(s, part),
                        f"'{single.name}' is one letter from '{person.name}' in the same document",
                    )
