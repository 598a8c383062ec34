"""The speaker before a cue: the noun phrase that ends just before a cue verb, read
backwards from it (``Fidelis Nanga, a journalist based in Yaounde, said`` → ``Fidelis
Nanga``).

:func:`speaker_before` steps back over auxiliaries and adverbs (``had``, ``also``,
``bitterly``), over an apposition between commas, over an aside between dashes, and over
a trailing prepositional phrase (``Laura Brownlees of Save the Children said`` → ``Laura
Brownlees``). What it returns, and the word lists it reads with, are :mod:`.speakers`'.
"""

from __future__ import annotations

import re

from .cues import SAYING
from .persons import is_job
from .speakers import (
    AUXILIARIES,
    COLLECTIVE_NOUNS,
    CONJUNCTIONS,
    DETERMINERS,
    MAX_ROLE_WORDS,
    NAME_FORM,
    PARTICLE,
    PEERAGE,
    PHRASE_PREPOSITIONS,
    PRONOUN_FORM,
    PRONOUNS,
    QUANTIFIERS,
    RELATIVES,
    ROLE_FORM,
    TITLE,
    WORD_END,
    SpeakerWords,
    capitalised_post,
    may_be_name,
    ordinary_word,
    span_of,
    strip_space,
    verb_like,
)
from .text import Name, Names

_TITLED_NAME_END = re.compile(
    TITLE + r"\.?\s+" + PARTICLE + r"[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?" + PEERAGE + "$"
)
_TITLE_BEFORE = re.compile(TITLE + r"\.?\s+$")
_CAPITALISED_END = re.compile(r"(?:[A-Z][\w’'-]*\s+){0,2}[A-Z][\w’'-]*$")


def _strip_back(text: str, floor: int, end: int) -> int:
    """Step back from ``end`` over white space, auxiliaries and adverbs (at most four words)."""
    for _ in range(4):
        while end > floor and text[end - 1].isspace():
            end -= 1
        m = WORD_END.search(text, floor, end)
        if m is None:
            return end
        word = m.group(1)
        if word.lower() in AUXILIARIES or (word.endswith("ly") and word.islower()):
            end = m.start(1)
        else:
            return end
    while end > floor and text[end - 1].isspace():
        end -= 1
    return end


def _name_ending_at(names: Names, text: str, floor: int, end: int) -> Name | None:
    for n in names.before(end, floor):
        if n.end == end:
            return n
        if text[n.end : end].strip():
            return None
    return None


def _role_ending_at(text: str, floor: int, end: int) -> int | None:
    """Start of a description (determiner …) ending at ``end``, or None."""
    tokens = list(re.finditer(r"[\w’'-]+|[,;:]", text[floor:end]))
    words = [t.group() for t in reversed(tokens)]
    for back, tok in enumerate(reversed(tokens)):
        word = tok.group()
        noun = back == 0 and len(words) > 1 and words[1].lower() in DETERMINERS
        if back >= MAX_ROLE_WORDS or word in ",;:" or (verb_like(word) and not noun):
            return None  # "The report said": a noun before the cue, "has reported" a verb
        if word.lower() in DETERMINERS:
            return floor + tok.start() if back > 0 else None
    return None


def _apposition(text: str, names: Names, floor: int, end: int) -> tuple[int, SpeakerWords | None]:
    """For ``X, <apposition>,`` ending at ``end``: the apposition when it is a name, else
    the end of X."""
    inner_end = end - 1  # the comma
    comma = text.rfind(",", floor, inner_end)
    if comma < 0:
        return end, None
    inner = strip_space(text, comma + 1, inner_end)
    only = names.within(*inner)
    first = text[inner[0] : inner[1]].split()[:1]
    if first and first[0].lower() in RELATIVES:
        return comma, None  # ", who sang on hits such as Sha La La,": not a name
    governed = (
        any(w.lower() in PHRASE_PREPOSITIONS for w in text[inner[0] : only[0].start].split())
        if only
        else False
    )
    if len(only) == 1 and only[0].label == "PERSON" and only[0].end == inner[1] and not governed:
        # "…, Theresa May, said"; not ", a research director at analyst Gartner, told"
        return comma, SpeakerWords(span_of(text, *inner), NAME_FORM, only[0])
    words = text[inner[0] : inner[1]].split()
    if not only and 2 <= len(words) <= 3 and _role_ending_at(text, floor, comma):
        from ..entities.resolve import looks_like_full_name

        if not looks_like_full_name(words):
            return comma, None
        # "The Shadow Secretary of State for the Family, Theresa May, said": a name in
        # apposition to a description, which the model missed
        return comma, SpeakerWords(span_of(text, *inner), NAME_FORM)
    return comma, None


def _name_before_long_apposition(
    text: str, names: Names, floor: int, end: int
) -> SpeakerWords | None:
    """For ``Thomas M. Hoenig, the Fed's longest-serving policymaker and one of 10 people
    who decides what … borrowers pay on mortgages, loans and other credit products,``
    ending at ``end``: the person named before a description with commas of its own,
    when the description names no other person. A description with no comma inside is
    left to :func:`_apposition`."""
    comma = text.rfind(",", floor, end - 1)
    if comma < 0:
        return None
    for _ in range(_APPOSITION_COMMAS):
        comma = text.rfind(",", floor, comma)
        if comma < 0:
            return None
        found = [n for n in names.within(floor, comma) if n.end == comma]
        if found and found[0].label == "PERSON" and _opens_description(text, comma + 1):
            inside = names.within(comma + 1, end - 1)
            if any(n.label == "PERSON" for n in inside):
                return None
            return SpeakerWords(span_of(text, found[0].start, found[0].end), NAME_FORM, found[0])
    return None


_APPOSITION_COMMAS = 3
"""Commas inside a description read back for the name before it."""
DESCRIPTION_START = re.compile(r"\s+(?:the|a|an|one\s+of|who|whose)\s", re.IGNORECASE)
"""How a description set off after a name opens (``, the Fed's longest-serving
policymaker``, ``, one of``, ``, who``)."""
_BARE_POST = re.compile(r"\s+(?:[a-z][\w-]*\s+){0,3}?([a-z][\w-]*)\s+(?:of|at|for)\s")
"""A post with no article before the body it is held at (``, founder of Grassroots
Media``, ``, chief executive of``)."""


def _opens_description(text: str, at: int) -> bool:
    """True when what follows the comma at ``at`` - 1 describes the name before it."""
    if DESCRIPTION_START.match(text, at):
        return True
    post = _BARE_POST.match(text, at)
    return post is not None and is_job(post.group(1))


_DASH_END = re.compile(r"\s(?:-|–|—)$")
_DASH = re.compile(r"\s(?:-|–|—)\s")


def _before_dashes(text: str, names: Names, floor: int, end: int) -> SpeakerWords | None:
    """For ``Lord Bingham - a senior law lord - said``: the name before an aside set off
    by dashes, when the aside ends at ``end``."""
    if not _DASH_END.search(text, max(floor, end - 2), end):
        return None
    opening = None
    for m in _DASH.finditer(text, max(floor, end - 80), end - 2):
        opening = m
    if opening is None:
        return None
    before = strip_space(text, floor, opening.start())[1]
    found = _noun_phrase_ending_at(text, names, floor, before)
    if found is None or found.form != NAME_FORM:
        return None
    start = strip_space(text, floor, found.span.start)[1]
    run = _CAPITALISED_END.search(text, max(floor, start - 40), start)
    opener = WORD_END.search(text, max(floor, start - 60), run.start() if run else start)
    if opener is not None and opener.group(1).lower() in PHRASE_PREPOSITIONS:
        return None  # "Paul Myers, chief executive of Wippit - a … service - believes"
    return found


def _strip_prepositional(text: str, names: Names, floor: int, end: int) -> int:
    """Step back over ``of Save the Children``, ``for the Home Office`` ending at ``end``."""
    for _ in range(2):
        n = _name_ending_at(names, text, floor, end)
        start = n.start if n else None
        if n is None:  # a name the model missed: "for the Colleges Employers’ Association"
            run = _CAPITALISED_END.search(text, max(floor, end - 60), end)
            if run is not None and may_be_name(run.group().split()[0]):
                start = run.start()
        if start is not None:  # "Sittingbourne and Sheppey": one phrase
            m = re.search(r"\s+(?:and|&)\s+$", text[max(floor, start - 8) : start])
            if m:
                joint = start - len(m.group())
                run = _CAPITALISED_END.search(text, max(floor, joint - 40), joint)
                start = run.start() if run else start
        if n is None and start is not None and not _THE_BEFORE.search(text, floor, start):
            start = None  # only "the" makes a missed name an institution ("MP for Henley")
        if start is None:
            role = _role_ending_at(text, floor, end)
            if role is None:
                return end
            start = role
        m = WORD_END.search(text, floor, start)
        if m is not None and m.group(1).lower() in DETERMINERS:  # "for the RAD"
            m = WORD_END.search(text, floor, m.start(1))
        if m is None or m.group(1).lower() not in PHRASE_PREPOSITIONS:
            return end
        end = strip_space(text, floor, m.start(1))[1]
    return end


_PARENTHESIS_END = re.compile(r"\s*\([^()]{1,40}\)$")
"""A short aside in brackets just before the cue: an acronym, a party, an age."""


def speaker_before(text: str, names: Names, floor: int, cue_start: int) -> SpeakerWords | None:
    """The speaker named by the noun phrase that ends just before a cue at ``cue_start``."""
    end = _strip_back(text, floor, cue_start)
    aside = _PARENTHESIS_END.search(text, floor, end)
    if aside is not None:  # "the Universities and Colleges Employers' Association (UCEA) said"
        end = aside.start()
    if end <= floor:
        return None
    if text[end - 1] == ",":
        named = _name_before_long_apposition(text, names, floor, end)
        if named is not None:
            return named
        end, named = _apposition(text, names, floor, end)
        if named is not None:
            return named
        end = strip_space(text, floor, end)[1]
    named = _before_dashes(text, names, floor, end)
    if named is not None:
        return named
    found = _noun_phrase_ending_at(text, names, floor, end)
    if _stands_alone(text, found) or _relative_ends(text, found, floor, end):
        return found  # "rejected by Mr Blair, who said": the one the clause is about
    head_end = _strip_prepositional(text, names, floor, end)
    head = None
    if head_end < end:
        head = _noun_phrase_ending_at(text, names, floor, head_end)
        if head is not None and head.form == ROLE_FORM:
            # keep the whole description: "a spokesman for the Home Office"
            return SpeakerWords(span_of(text, head.span.start, end), ROLE_FORM)
        if head is not None:
            return head
    if found is not None and found.form == NAME_FORM and _after_preposition(text, found):
        if head_end < end and _opens_clause_after_and(text, floor, found, cue_start):
            return found
        return None  # "… who won damages from the Daily Telegraph said": not the speaker
    return found


def _opens_clause_after_and(text: str, floor: int, found: SpeakerWords, cue_start: int) -> bool:
    """True for a name after "and" that ends a prepositional phrase with no noun before
    the preposition, right before a verb of saying (``… has been training in Holland and
    Ferguson said``): "and" opens a clause whose subject is the name (not ``about Labour
    and Conservative promises``)."""
    verb = _CUE_WORD.match(text, cue_start)
    return (
        verb is not None
        and verb.group() in SAYING
        and _word_before(text, floor, found.span.start) == "and"
    )


_CUE_WORD = re.compile(r"\w+")


def _relative_ends(text: str, found: SpeakerWords | None, floor: int, end: int) -> bool:
    """True when the words before a cue at ``end`` end with a relative pronoun that
    ``found`` is the antecedent of: a name after ``by``, ``from`` or ``with`` (``denied by
    Shepherd, who accused``), not one after ``of`` that is part of a longer phrase
    (``the eldest daughter of ex-King Michael of Romania, who said``)."""
    m = WORD_END.search(text, floor, end)
    if found is None or m is None or m.group(1).lower() not in RELATIVES:
        return False
    return _word_before(text, floor, found.span.start) != "of"


def _stands_alone(text: str, found: SpeakerWords | None) -> bool:
    """True for a pronoun or a person's name that is not in a prepositional phrase: the
    speaker itself, not the end of a longer description."""
    if found is None or found.form == ROLE_FORM or _after_preposition(text, found):
        return False
    return found.form == PRONOUN_FORM or found.name is None or found.name.label == "PERSON"


def _after_preposition(text: str, found: SpeakerWords) -> bool:
    """True for a name in a prepositional phrase (``for Sittingbourne and Sheppey``)."""
    start = found.span.start
    m = re.search(r"(?:[A-Z][\w’'-]*\s+)+(?:and|&)\s+$", text[max(0, start - 40) : start])
    if m:
        start -= len(m.group())
    return _word_before(text, 0, start) in PHRASE_PREPOSITIONS


def _word_before(text: str, floor: int, start: int) -> str:
    """The word before ``start`` (after ``floor``), past a determiner ("from the Daily
    Telegraph": "from"), in lower case; "" when there is none."""
    m = WORD_END.search(text, max(floor, start - 20), start)
    if m is not None and m.group(1).lower() in DETERMINERS:
        m = WORD_END.search(text, max(floor, m.start(1) - 20), m.start(1))
    return m.group(1).lower() if m is not None else ""


def _named_phrase(text: str, floor: int, end: int, name: Name) -> SpeakerWords:
    """The speaker of a phrase ending at ``end`` with the name ``name``: with its title;
    a title and name inside it; or a post written with capitals (a description)."""
    start = name.start
    if name.label != "PERSON" and capitalised_post(text[start:end]):
        return SpeakerWords(span_of(text, start, end), ROLE_FORM)  # "The … Co-Chairman"
    inner = _TITLED_NAME_END.search(text, start + 1, end)
    if inner is not None:  # "the Foreign Policy Centre Mr Straw" taken for one name
        return SpeakerWords(span_of(text, inner.start(), end), NAME_FORM)
    title = _TITLE_BEFORE.search(text, max(floor, start - 12), start)
    if title:
        start = title.start()
    return SpeakerWords(span_of(text, start, end), NAME_FORM, name)


def _noun_phrase_ending_at(text: str, names: Names, floor: int, end: int) -> SpeakerWords | None:
    name = _name_ending_at(names, text, floor, end)
    described = _description_start(text, floor, name) if name is not None else None
    if described is not None:  # "the Scot", "the 24-year-old Swiss"
        return SpeakerWords(span_of(text, described, end), ROLE_FORM)
    if name is not None:
        return _named_phrase(text, floor, end, name)
    m = _TITLED_NAME_END.search(text, max(floor, end - 60), end)
    if m:
        return SpeakerWords(span_of(text, m.start(), end), NAME_FORM)
    m = WORD_END.search(text, floor, end)
    if m and m.group(1).lower() in PRONOUNS:
        return SpeakerWords(span_of(text, m.start(1), end), PRONOUN_FORM)
    if m and m.group(1).lower() in QUANTIFIERS:
        return SpeakerWords(span_of(text, m.start(1), end), ROLE_FORM)
    if m and m.group(1).lower() in RELATIVES:
        # "a line from the poster, which claimed", "The IAAF - which said": the phrase
        # the clause hangs on
        head = strip_space(text, floor, m.start(1))[1]
        if head > floor and text[head - 1] in ",-–—":
            head = strip_space(text, floor, head - 1)[1]
        return _noun_phrase_ending_at(text, names, floor, head) if head > floor else None
    role = _role_ending_at(text, floor, end)
    if role is not None:
        return SpeakerWords(span_of(text, role, end), ROLE_FORM)
    m = _CAPITALISED_END.search(text, max(floor, end - 60), end)
    if m and m.group().lower() in COLLECTIVE_NOUNS:
        return SpeakerWords(span_of(text, m.start(), end), ROLE_FORM)
    if m and may_be_name(m.group().split()[0]) and not ordinary_word(text, names, m.group()):
        before = text[floor : m.start()].rstrip()
        last = before.split()[-1].lower() if before.split() else ""
        possessive = last.endswith(("'s", "’s"))
        if not before or not before[-1].isalnum() or last in CONJUNCTIONS or possessive:
            return SpeakerWords(span_of(text, m.start(), end), NAME_FORM)
    start = strip_space(text, floor, end)[0]
    opener = _OPENER_COMMA.match(text, start, end)
    if opener is not None and not may_be_name(opener.group(1)):
        # "However, traders warned", "However, union officials denied": after the opener
        start = opener.end()
        rest = text[start:end].split()
        if 0 < len(rest) <= 3 and rest[-1].lower() in COLLECTIVE_NOUNS:
            return SpeakerWords(span_of(text, start, end), ROLE_FORM)
    zone = text[start:end].split()
    if (
        0 < len(zone) <= 4
        and zone[0][:1].isupper()
        and may_be_name(zone[0])
        and not any(verb_like(w) for w in zone)
        and not names.within(start, end)
    ):
        return SpeakerWords(span_of(text, start, end), ROLE_FORM)  # "Analysts", "Policy makers"
    return None


_THE_BEFORE = re.compile(r"\b[Tt]he $")
_OPENER_COMMA = re.compile(r"([A-Z][a-z]+),\s+")
"""A sentence's opening word set off by a comma (``However, ``)."""


def _description_start(text: str, floor: int, name: Name) -> int | None:
    """Where a description that the model took for a name starts: a one-word name right
    after "the" (``the Scot``, ``the Gunners``), or a people's name after "the" and words
    in lower case (``the 24-year-old Swiss``)."""
    if " " in text[name.start : name.end].strip():
        return None
    m = _THE_BEFORE.search(text, max(floor, name.start - 4), name.start)
    if m is None and name.label == "NORP":
        m = _THE_AND_LOWER_BEFORE.search(text, max(floor, name.start - 40), name.start)
    return m.start() if m is not None else None


_THE_AND_LOWER_BEFORE = re.compile(r"\b[Tt]he(?: [a-z0-9][\w-]*){1,3} $")
