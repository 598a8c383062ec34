"""Resolution: the model's raw spans of a whole library become canonical entities.

Every mention gets the key of a canonical entity, by eight rules applied in order. Each
rule is a function of its own; the library-wide ones say which counts they read, so a
store of resolved entities can keep those counts up to date instead of recounting:

1. :func:`rule1_analyse` (per document): spans normalised, acronyms the text defines,
   the spans the model calls dates or numbers, one-word names that may be common words;
   then :func:`rule1_not_names` and :func:`common_words` (library-wide).
2. :func:`rule2_keys`: countries, nationalities, acronyms, then the normalised spelling.
3. :func:`rule3_link_lone_names`: a lone surname or given name joins the full name of a
   person in the same document.
4. :func:`rule4_relink`: a lone name still alone joins the one full name of the library
   it is part of (or the one that dominates).
5. :func:`rule5_infos`: the entities, named and typed by their mentions.
6. The researcher's corrections, in the order they were made (:mod:`.corrections`).
7. Propagation (:mod:`.propagate`): every recognised name is marked wherever else it is
   written verbatim.
8. The contract objects (:class:`Resolved`).

:func:`prepare` (rules 1-5) does not depend on the corrections, so a correction re-runs
only :func:`finish` (rules 6-8).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .contract import Resolved, contract
from .corrections import BadPayload, Correction, apply_correction
from .countries import CountryTable, country_table
from .normalise import (
    WORD,
    choose_name,
    clean_name,
    find_acronyms,
    is_acronym,
    most_used,
    norm_key,
    normalise_span,
    person_trimmed,
)
from .propagate import MemoryEntities, propagate
from .records import (
    ENTITY_TYPES,
    NOT_NAME_LABELS,
    EntityInfo,
    MentionRecord,
    RawSpan,
)

DOMINANT_NAME_RATIO = 3
"""A lone surname with no full name in its document joins the full name that the library
names at least this many times as often as every other full name with that surname."""

NAME_PART_LABELS = ("PERSON",)
"""A lone name is linked to a full name of the same type only. (A lone surname that the
model tags as an organisation, like "Tchakarova", is offered as a suggestion.)"""


def vote_type(labels: Counter[str]) -> str:
    """The type most of an entity's mentions were given (ORG if none)."""
    if not labels:
        return "ORG"
    return max(labels, key=lambda t: (labels[t], -ENTITY_TYPES.index(t)))


def resolve(
    docs: Sequence[tuple[str, str]],
    raw: dict[str, list[RawSpan]],
    corrections: Sequence[Correction] = (),
) -> Resolved:
    """Resolve raw NER spans of documents ``(id, text)`` into canonical entities.

    ``raw`` maps a document id to its spans (a document absent from it has no NER yet:
    it still receives user additions and propagated names).
    """
    return finish(prepare(docs, raw), corrections)


# --------------------------------------------------------------------------- rule 1


@dataclass
class Analysis:
    """Rule 1 on one document: what its text and the model's spans say on their own."""

    mentions: list[MentionRecord]
    """Normalised, each span once, in the model's order; keys not given yet."""
    acronyms: dict[str, str]
    """Acronyms the text defines -> their full name."""
    numeric: list[tuple[int, int]]
    """Spans the model labelled a date, a time or a number."""
    candidates: set[str]
    """One-word capitalised names that may be common words at the start of a sentence."""
    titled: set[int] = field(default_factory=set)
    """Starts of the mentions written after a title ("Mr Howard"): surnames, never a
    given name."""
    surnames: set[str] = field(default_factory=set)
    """Every word the text writes after a title, normalised ("Mr Flight": ``flight``),
    whether or not the model found it."""

    def numeric_texts(self, text: str) -> list[str]:
        return [text[s:e] for s, e in self.numeric]


def rule1_analyse(text: str, spans: Sequence[RawSpan]) -> Analysis:
    """Normalise one document's spans; find the acronyms it defines; note its dates and
    numbers and the one-word names that may be common words."""
    defs = {abbr: text[s:e] for abbr, (s, e) in find_acronyms(text).items()}
    out: list[MentionRecord] = []
    seen: set[tuple[int, int]] = set()
    numeric: list[tuple[int, int]] = []
    candidates: set[str] = set()
    titled: set[int] = set()
    for start, end, label in spans:
        if label in NOT_NAME_LABELS:
            numeric.append((start, end))
        if label not in ENTITY_TYPES:
            continue
        word = text[start:end]
        if word.isalpha() and word[0].isupper() and not word.isupper():
            candidates.add(word)
        found = normalise_span(text, start, end)
        if label == "PERSON":
            found = [person_trimmed(text, s, e) for s, e in found]
        for s, e in found:
            if (s, e) not in seen:
                seen.add((s, e))
                out.append(MentionRecord(s, e, text[s:e], label, ""))
                if _TITLE_BEFORE.search(text, max(0, s - 6), s):
                    titled.add(s)
        if len(found) == 2:
            # A repaired "Name (ABBR" span is itself a definition.
            (s1, e1), (s2, e2) = found
            defs.setdefault(text[s2:e2], clean_name(text[s1:e1]))
    acronyms = {a: clean_name(full) for a, full in defs.items()}
    surnames = {norm_key(w) for w in _TITLED_WORD.findall(text)}
    return Analysis(out, acronyms, numeric, candidates, titled, surnames)


_TITLE = r"(?<![\w.])(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.? "
"""A title before a name, and the space after it."""
_TITLE_BEFORE = re.compile(_TITLE + "$")
"""A title right before a name: what follows is a surname."""
_TITLED_WORD = re.compile(_TITLE + r"([A-Z][\w-]*(?:['’][A-Z][\w-]*)?)")
"""A word after a title, without a possessive ("Mr Flight's" → Flight, "Mr O'Neill")."""


def rule1_not_names(kept: Mapping[str, int], numeric: Mapping[str, int]) -> set[str]:
    """Names the model more often calls a date, a time or a number are none: "the Sunday"
    (ORG, once) against "Sunday" (DATE, 208 times in the BBC corpus). ``kept`` counts
    each mention's form, ``numeric`` each date's or number's text."""
    return {f for f, n in kept.items() if numeric.get(f, 0) > n}


def is_common_word(word: str, counts: Mapping[str, int]) -> bool:
    """A capitalised one-word "name" the library mostly writes in lower case.

    A name keeps its capital wherever it appears; a word written "may" or "labour" far
    more often than "May" or "Labour" is a common word that the model took for a name at
    the start of a sentence or in a heading. Needs evidence: at least twice as many
    lower-case uses as capitalised ones, and at least three.
    """
    return counts.get(word.lower(), 0) >= max(3, 2 * counts.get(word, 0))


def common_words(candidates: set[str], texts: Iterable[str]) -> set[str]:
    """Those of ``candidates`` that are common words in ``texts`` (:func:`is_common_word`)."""
    if not candidates:
        return set()
    wanted = candidates | {w.lower() for w in candidates}
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(w for w in WORD.findall(text) if w in wanted)
    return {w for w in candidates if is_common_word(w, counts)}


# --------------------------------------------------------------------------- rule 2


@dataclass
class DocKeys:
    """What rule 2 learnt from one document: which keys are countries and nationalities."""

    countries: dict[str, str] = field(default_factory=dict)  # key -> country name
    demonyms: dict[str, str] = field(default_factory=dict)  # key -> singular demonym
    search_names: dict[str, list[str]] = field(default_factory=dict)


def base_key(
    form: str,
    label: str | None,
    local_acronyms: Mapping[str, str],
    library_acronym: Callable[[str], str | None],
    countries: CountryTable,
    depth: int = 0,
) -> str:
    """The key of one mention: a nationality, a country, an acronym's full name, or the
    normalised spelling. An acronym the text does not define takes the full name the
    library most often gives it."""
    demonym = countries.demonym(form, label)
    if demonym is not None:
        return norm_key(demonym)
    country = countries.lookup(form, label)
    if country is not None:
        return norm_key(country.name)
    if is_acronym(form) and depth == 0:
        full = local_acronyms.get(form)
        if full is None:
            full = library_acronym(form)
        if full:
            return base_key(full, label, local_acronyms, library_acronym, countries, depth + 1)
    return norm_key(form)


def rule2_keys(
    mentions: Sequence[MentionRecord],
    local_acronyms: Mapping[str, str],
    library_acronym: Callable[[str], str | None],
) -> DocKeys:
    """Give each mention of one document its key: countries, acronyms, then plain names."""
    countries = country_table()
    found = DocKeys()
    for m in mentions:
        m.key = base_key(m.form, m.label, local_acronyms, library_acronym, countries)
        demonym = countries.demonym(m.form, m.label)
        if demonym is not None:
            found.demonyms[m.key] = demonym
            continue
        c = countries.lookup(m.form, m.label)
        if c is not None:
            found.countries[m.key] = c.name
            found.search_names[m.key] = c.search_names()
    return found


def form_votes(mentions: Iterable[MentionRecord]) -> dict[str, Counter[str]]:
    """How often each one-word form is given each label (rule 3's evidence)."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for m in mentions:
        if m.label and " " not in m.form:
            votes[m.form][m.label] += 1
    return votes


# --------------------------------------------------------------------------- rule 3


def rule3_link_lone_names(
    ms: Sequence[MentionRecord],
    library_votes: Callable[[str], Counter[str]],
    is_country: Callable[[str], bool],
    titled: Collection[int] = (),
    surnames: Collection[str] = (),
) -> None:
    """Link lone name parts to a full person name in the same document.

    A lone name counts as a person if most of its mentions in the document, or in the
    library (``library_votes``), say so (the small model tags many lone surnames as
    organisations now and then). One the model tagged ORG here but PERSON somewhere in
    the library may be a surname too, if the full name came first ("Jose Mourinho ...
    Mourinho"). The nearest full name before it wins. A name after a title (the starts
    in ``titled``) is a surname: "Mr Howard" is not Howard Flight (:func:`surname_of`,
    with the words the text writes after a title, ``surnames``).
    """
    doc_votes = form_votes(ms)
    person_forms = {
        f for f, v in doc_votes.items() if "PERSON" in (vote_type(v), vote_type(library_votes(f)))
    }
    maybe_person = {
        f
        for f, v in doc_votes.items()
        if f not in person_forms and library_votes(f)["PERSON"] and set(v) <= {"PERSON", "ORG"}
    }
    by_part: dict[str, list[MentionRecord]] = defaultdict(list)
    by_surname: dict[str, list[MentionRecord]] = defaultdict(list)
    places = {norm_key(f.form) for f in ms if f.label in ("NORP", "GPE", "LOC")}
    for f in ms:
        toks = without_suffix(f.form.split())
        if f.label == "PERSON" and len(toks) >= 2:
            for part in {norm_key(toks[0]), norm_key(toks[-1])}:
                by_part[part].append(f)
        elif (
            f.label == "ORG"
            and looks_like_full_name(toks)
            and not any(norm_key(t) in places for t in toks)  # not "European Elvis"
        ):
            by_surname[norm_key(toks[-1])].append(f)
    if not by_part and not by_surname:
        return
    for m in ms:
        if is_country(m.key) or (m.form not in person_forms and m.form not in maybe_person):
            continue
        cands = by_part.get(norm_key(m.form))
        if cands and m.start in titled:
            cands = [c for c in cands if surname_of(c.form, m.form, surnames)]
        if cands:
            # a surname before a given name: "Lorenz" is Edward Norton Lorenz, not the
            # "Lorenz Center" the model took for a person
            last = [
                c for c in cands if norm_key(without_suffix(c.form.split())[-1]) == norm_key(m.form)
            ]
            cands = last or cands
        if not cands and vote_type(doc_votes[m.form]) == "PERSON":
            # "Nicola Sturgeon" taken for an organisation, then "Sturgeon" for a person
            cands = [c for c in by_surname.get(norm_key(m.form), ()) if c.start < m.start]
        if not cands:
            continue
        before = [c for c in cands if c.start < m.start]
        if not before and m.form not in person_forms:
            continue
        chosen = before[-1] if before else cands[0]
        m.key, m.local = chosen.key, True


FULL_NAME_STOP_WORDS = frozenset(
    re.split(
        r"\s+",
        """group bank council party association union club company corporation corp inc ltd
    plc llc university college school office ministry department committee commission
    institute foundation agency board court trust society federation league police
    service services airlines airways records media news times post television radio
    network systems holdings partners capital motors international national united city
    centre center house hall street road park fc""",
    )
)
"""Words that make a capitalised pair an organisation's name, not a person's."""


NAME_SUFFIXES = frozenset({"Jr", "Jr.", "Sr", "Sr.", "II", "III", "IV"})
"""Words after a surname that are not it (``James Roosevelt Jr.``)."""


def without_suffix(tokens: list[str]) -> list[str]:
    """The words of a name without a generational suffix at its end (``James Roosevelt
    Jr.`` → ``James Roosevelt``), so a lone "Roosevelt" can join it."""
    return tokens[:-1] if len(tokens) > 2 and tokens[-1] in NAME_SUFFIXES else tokens


def looks_like_full_name(tokens: Sequence[str]) -> bool:
    """True for two or three capitalised words that could be a person's name (``Geoff
    Pollard``, ``Jeanne-Marie Gescher``), not an organisation's (``Tennis Australia``
    passes too, but a country is never a surname here)."""
    return 2 <= len(tokens) <= 3 and all(
        _NAME_WORD.fullmatch(t) and t.lower() not in FULL_NAME_STOP_WORDS for t in tokens
    )


_NAME_WORD = re.compile(r"(?:Mc|Mac|O'|O’)?[A-Z][a-z]+(?:-[A-Z][a-z]+)?")
"""A word written as a name is: ``Gescher``, ``Jeanne-Marie``, ``McConnell`` (not
``VoIP``)."""


def drop_common_words(
    ms: Sequence[MentionRecord], common: Callable[[str], bool]
) -> list[MentionRecord]:
    """Common words are dropped, unless rule 3 made them part of a name: "White" beside
    "Alan White" is his surname, elsewhere the colour."""
    return [m for m in ms if m.local or not common(m.form)]


# --------------------------------------------------------------------------- rule 4


def label_votes(mentions: Iterable[MentionRecord]) -> dict[str, Counter[str]]:
    """How often each key's mentions are given each label (rule 4's evidence)."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for m in mentions:
        if m.label:
            votes[m.key][m.label] += 1
    return votes


def name_parts(votes: Mapping[str, Counter[str]]) -> dict[str, set[str]]:
    """First and last words of the library's full person names -> those names' keys."""
    parts: dict[str, set[str]] = defaultdict(set)
    for key, v in votes.items():
        toks = key.split()
        if len(toks) >= 2 and vote_type(v) == "PERSON":
            parts[toks[0]].add(key)
            parts[toks[-1]].add(key)
    return parts


def relink_target(
    key: str,
    votes: Callable[[str], Counter[str]],
    full_names: set[str],
    is_country: Callable[[str], bool],
) -> str | None:
    """The full name a lone name ``key`` joins (rule 4), or None.

    ``full_names`` are the library's full person names with ``key`` as first or last
    word. One full name, or one that the library names at least three times as often as
    all the others together ("Blair": Tony Blair far more than Cherie Blair).
    """
    if len(key.split()) != 1 or not full_names or is_country(key):
        return None
    if vote_type(votes(key)) not in NAME_PART_LABELS:
        return None
    ranked = sorted(full_names, key=lambda k: (-sum(votes(k).values()), k))
    top = sum(votes(ranked[0]).values())
    rest = sum(sum(votes(k).values()) for k in ranked[1:])
    return ranked[0] if top >= DOMINANT_NAME_RATIO * rest else None


def rule4_relink(
    ms: Iterable[MentionRecord],
    relink: Mapping[str, str],
    titled: Collection[int] = (),
    surnames: Collection[str] = (),
) -> None:
    """Give a lone name still unlinked in its document the full name it joins library-wide."""
    for m in ms:
        if not m.local and m.key in relink and may_relink(m, relink[m.key], titled, surnames):
            m.key = relink[m.key]


def may_relink(
    m: MentionRecord, target: str, titled: Collection[int], surnames: Collection[str]
) -> bool:
    """Whether a lone name may join the full name ``target`` (a key) library-wide: not a
    name after a title ("Mr Howard") to a full name it is not the surname of."""
    return m.start not in titled or surname_of(target, m.form, surnames)


def surname_of(full: str, name: str, surnames: Collection[str]) -> bool:
    """Whether ``name`` (after a title) can be the surname in the full name ``full``: its
    last word ("Mr Flight" of Howard Flight); or its first, where the family name comes
    first ("Mr Kim" of Kim Yungmin), unless the document puts a title before the last
    word too (``surnames``): "Mr Howard" is not Howard Flight where the text also has
    "Mr Flight"."""
    words = [norm_key(w) for w in full.split()]
    key = norm_key(name)
    return words[-1] == key or (words[0] == key and words[-1] not in surnames)


# --------------------------------------------------------------------------- rule 5


def rule5_infos(
    mentions: Iterable[MentionRecord],
    country_keys: Mapping[str, str],
    demonym_keys: Mapping[str, str],
) -> dict[str, EntityInfo]:
    """The entities: every name each is written with, its name and its type (a country is
    a GPE named by its short name; a nationality a NORP named by the singular)."""
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    labels: dict[str, Counter[str]] = defaultdict(Counter)
    for m in mentions:
        forms[m.key][m.form] += 1
        if m.label:
            labels[m.key][m.label] += 1
    return {
        key: entity_info(key, fs, labels[key], country_keys, demonym_keys)
        for key, fs in forms.items()
    }


def entity_info(
    key: str,
    forms: Counter[str],
    labels: Counter[str],
    country_keys: Mapping[str, str],
    demonym_keys: Mapping[str, str],
) -> EntityInfo:
    """One entity from the names it is written with and the labels it was given."""
    if key in country_keys:
        return EntityInfo(key, country_keys[key], "GPE", forms)
    if key in demonym_keys:
        return EntityInfo(key, demonym_keys[key], "NORP", forms)
    return EntityInfo(key, choose_name(forms), vote_type(labels), forms)


# --------------------------------------------------------------------------- rules 1-5, whole library


@dataclass
class Prepared:
    """The automatic resolution (rules 1-5), before corrections and propagation.

    It does not depend on the corrections, so a correction re-runs only :func:`finish`.
    """

    texts: dict[str, str]
    mentions: dict[str, list[MentionRecord]]
    infos: dict[str, EntityInfo]
    search_names: dict[str, list[str]]
    numeric_spans: dict[str, list[tuple[int, int]]]

    def copy(self) -> Prepared:
        """A copy that :func:`finish` may change (mentions and entity infos are mutable)."""
        return Prepared(
            self.texts,
            {
                d: [
                    MentionRecord(m.start, m.end, m.form, m.label, m.key, m.local, m.origin)
                    for m in ms
                ]
                for d, ms in self.mentions.items()
            },
            {
                k: EntityInfo(
                    i.key, i.name, i.type, Counter(i.forms), i.ignored, set(i.distinct_from)
                )
                for k, i in self.infos.items()
            },
            self.search_names,
            self.numeric_spans,
        )


def prepare(docs: Sequence[tuple[str, str]], raw: dict[str, list[RawSpan]]) -> Prepared:
    """Rules 1-5 over a whole library: normalisation, keys, name linking, entity infos."""
    texts = dict(docs)
    analyses = {doc_id: rule1_analyse(text, raw.get(doc_id, [])) for doc_id, text in docs}

    # Rule 1, library-wide: dates and numbers, acronyms, common words.
    not_names = rule1_not_names(
        Counter(m.form for a in analyses.values() for m in a.mentions),
        Counter(t for d, a in analyses.items() for t in a.numeric_texts(texts[d])),
    )
    library_acronyms: dict[str, Counter[str]] = defaultdict(Counter)
    for a in analyses.values():
        for abbr, full in a.acronyms.items():
            library_acronyms[abbr][full] += 1
    candidates = {w for d, a in analyses.items() if d in raw for w in a.candidates}
    common = common_words(candidates, texts.values())

    def library_acronym(abbr: str) -> str | None:
        found = library_acronyms.get(abbr)
        return most_used(found) if found else None

    # Rule 2, per document.
    mentions: dict[str, list[MentionRecord]] = {}
    country_keys: dict[str, str] = {}
    demonym_keys: dict[str, str] = {}
    search_names: dict[str, list[str]] = {}
    for doc_id, a in analyses.items():
        ms = sorted((m for m in a.mentions if m.form not in not_names), key=lambda m: m.start)
        keys = rule2_keys(ms, a.acronyms, library_acronym)
        country_keys.update(keys.countries)
        demonym_keys.update(keys.demonyms)
        search_names.update(keys.search_names)
        mentions[doc_id] = ms

    # Rule 3, per document, with the library's votes; then common words go.
    votes = form_votes(m for ms in mentions.values() for m in ms)
    no_votes: Counter[str] = Counter()
    for doc_id, ms in mentions.items():
        rule3_link_lone_names(
            ms,
            lambda f: votes.get(f, no_votes),
            country_keys.__contains__,
            analyses[doc_id].titled,
            analyses[doc_id].surnames,
        )
        mentions[doc_id] = drop_common_words(ms, common.__contains__)

    # Rule 4, library-wide.
    by_key = label_votes(m for ms in mentions.values() for m in ms)
    parts = name_parts(by_key)
    relink = {
        key: target
        for key in by_key
        if (
            target := relink_target(
                key,
                lambda k: by_key.get(k, no_votes),
                parts.get(key, set()),
                country_keys.__contains__,
            )
        )
    }
    for doc_id, ms in mentions.items():
        rule4_relink(ms, relink, analyses[doc_id].titled, analyses[doc_id].surnames)

    # Rule 5.
    infos = rule5_infos((m for ms in mentions.values() for m in ms), country_keys, demonym_keys)
    numeric_spans = {d: a.numeric for d, a in analyses.items()}
    return Prepared(texts, mentions, infos, search_names, numeric_spans)


# --------------------------------------------------------------------------- rules 6-8


def finish(prepared: Prepared, corrections: Sequence[Correction] = ()) -> Resolved:
    """Rules 6-8: the researcher's corrections, propagation, and the contract objects.

    Changes ``prepared`` (pass a :meth:`Prepared.copy` to keep one).
    """
    texts, mentions, infos = prepared.texts, prepared.mentions, prepared.infos

    # 6. Corrections, in the order they were made.
    skipped: list[int] = []
    unusable: list[tuple[Correction, str]] = []
    entities_ = MemoryEntities(infos, mentions, texts)
    for corr in corrections:
        try:
            if not apply_correction(corr, entities_):
                skipped.append(corr.id)
        except BadPayload as exc:
            skipped.append(corr.id)
            unusable.append((corr, str(exc)))

    # 7. Propagation of every recognised name to its verbatim occurrences.
    propagate(mentions, texts, infos, prepared.numeric_spans)

    # 8. Contract objects.
    return contract(infos, mentions, prepared.search_names, skipped, unusable)
