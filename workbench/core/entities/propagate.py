"""Rule 7, propagation: every recognised name is marked wherever else it is written
verbatim (same spelling, whole words, not overlapping another mention), and the
in-memory entities that corrections (rule 6) work on.

The library-wide part is :func:`known_forms` (which names are known, and whose they
are); marking one document (:func:`propagate_document`) needs only its own text, its
mentions and those known forms.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence

from .normalise import CAPITALISED_WORD, WORD, joins_word, most_used, norm_key
from .records import EntityInfo, MentionRecord

Span = tuple[int, int]


def known_forms(mentions: Iterable[MentionRecord], exists: Callable[[str], bool]) -> dict[str, str]:
    """Each name the library recognises -> the entity it names most often.

    Counted over mentions that hold library-wide (the model's and the researcher's, not
    a surname linked within one document, not a propagated one). A name is known if it
    starts with a capital and has two characters or more, and if its entity ``exists``.
    An ignored entity's names are known too: they mark their places (hidden, as its
    mentions are), so that no other name is propagated into them.
    """
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for m in mentions:
        if not m.local and m.origin != "propagated":
            counts[m.form][m.key] += 1
    chosen = {f: most_used(c) for f, c in counts.items()}
    return {f: k for f, k in chosen.items() if exists(k) and len(f) >= 2 and f[0].isupper()}


FormIndex = dict[str, tuple[tuple[int, ...], frozenset[str]]]
"""Known names by their first word: the lengths they come in (longest first) and the names."""


def index_forms(forms: Iterable[str]) -> FormIndex:
    """Forms by their first word, with their lengths longest first (the longest name at a
    place wins): at a place, only the text of each length is looked up."""
    by_first: dict[str, set[str]] = defaultdict(set)
    for form in forms:
        m = WORD.match(form)
        if m and m.start() == 0:
            by_first[m.group()].add(form)
    return {
        word: (tuple(sorted({len(f) for f in found}, reverse=True)), frozenset(found))
        for word, found in by_first.items()
    }


def _candidates(
    word: str, by_first: FormIndex, local_first: FormIndex
) -> tuple[tuple[int, ...], frozenset[str]] | None:
    found = by_first.get(word)
    local = local_first.get(word) if local_first else None
    if local is None:
        return found
    if found is None:
        return local
    return tuple(sorted(set(found[0]) | set(local[0]), reverse=True)), found[1] | local[1]


def propagate_document(
    text: str,
    ms: Sequence[MentionRecord],
    by_first: FormIndex,
    form_key: Callable[[str], str],
    exists: Callable[[str], bool],
    blocked: Sequence[Span] = (),
) -> list[MentionRecord]:
    """The propagated mentions of one document, in text order.

    ``by_first`` are the library's known forms by first word and ``form_key`` the key of
    each. Names linked only within this document (a lone surname) are propagated here
    and nowhere else. Longest names win; nothing overlaps a mention or a ``blocked``
    span (the model's own dates and numbers: "Sunday" there is a day).
    """
    local = {m.form: m.key for m in ms if m.local and exists(m.key)}
    local_first = index_forms(local) if local else {}
    taken = sorted([(m.start, m.end) for m in ms] + list(blocked))
    added: list[MentionRecord] = []
    ti = 0
    pos_end = -1
    size = len(text)
    for w in CAPITALISED_WORD.finditer(text):
        s = w.start()
        if s < pos_end or (s > 0 and joins_word(text[s - 1])):
            continue
        cands = _candidates(w.group(), by_first, local_first)
        if cands is None:
            continue
        while ti < len(taken) and taken[ti][1] <= s:
            ti += 1
        lengths, forms = cands
        for n in lengths:
            e = s + n
            if e > size:
                continue
            form = text[s:e]
            if form not in forms or (e < size and joins_word(text[e])):
                continue
            if ti < len(taken) and taken[ti][0] < e:
                break  # overlaps a mention: that mention stands
            key = local.get(form) or form_key(form)
            added.append(MentionRecord(s, e, form, None, key, origin="propagated"))
            pos_end = e
            break
    return added


def propagate(
    mentions: dict[str, list[MentionRecord]],
    texts: Mapping[str, str],
    infos: dict[str, EntityInfo],
    blocked: Mapping[str, list[Span]] | None = None,
) -> None:
    """Mark every verbatim, whole-word occurrence of a recognised name in ``texts`` not
    already covered (rule 7, over a whole library in memory)."""

    form_key = known_forms((m for ms in mentions.values() for m in ms), infos.__contains__)
    by_first = index_forms(form_key)
    for doc_id, text in texts.items():
        ms = mentions.setdefault(doc_id, [])
        added = propagate_document(
            text,
            ms,
            by_first,
            form_key.__getitem__,
            infos.__contains__,
            (blocked or {}).get(doc_id, ()),
        )
        if added:
            for m in added:
                infos[m.key].forms[m.form] += 0  # known form; counts stay the model's
            ms.extend(added)
            ms.sort(key=lambda m: m.start)


class MemoryEntities:
    """A whole library's entities and mentions in memory, as corrections change them
    (the :class:`~.corrections.CorrectedEntities` of :func:`~.resolve.finish`)."""

    def __init__(
        self,
        infos: dict[str, EntityInfo],
        mentions: dict[str, list[MentionRecord]],
        texts: Mapping[str, str],
    ) -> None:
        self.infos = infos
        self.mentions = mentions
        self.texts = texts

    def find(self, key: str, name: str | None = None) -> str | None:
        if key in self.infos:
            return key
        if not name:
            return None
        target = norm_key(name)
        named = [k for k, info in self.infos.items() if norm_key(info.name) == target]
        if named:
            return min(named)
        aliased = [k for k, i in self.infos.items() if any(norm_key(f) == target for f in i.forms)]
        return min(aliased) if aliased else None

    def info(self, key: str) -> EntityInfo:
        return self.infos[key]

    def has(self, key: str) -> bool:
        return key in self.infos

    def put(self, info: EntityInfo) -> None:
        self.infos[info.key] = info

    def drop(self, key: str) -> EntityInfo:
        return self.infos.pop(key)

    def move(self, key: str, to: str, form: str | None = None) -> int:
        moved = 0
        for ms in self.mentions.values():
            for m in ms:
                if m.key == key and (form is None or m.form == form):
                    m.key = to
                    moved += 1
        return moved

    def text(self, doc_id: str) -> str | None:
        return self.texts.get(doc_id)

    def place(self, doc_id: str, start: int, end: int, quote: str, key: str) -> None:
        ms = [m for m in self.mentions.setdefault(doc_id, []) if m.end <= start or m.start >= end]
        ms.append(MentionRecord(start, end, quote, None, key, origin="user"))
        ms.sort(key=lambda m: m.start)
        self.mentions[doc_id] = ms
