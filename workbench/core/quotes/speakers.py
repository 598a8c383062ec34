"""The words that name a speaker next to a cue: a name, a pronoun or a description.

Two readings, both without a parser:

- :func:`speaker_before` reads the noun phrase that ends just before a cue verb
  (``Fidelis Nanga, a journalist based in Yaounde, said`` → ``Fidelis Nanga``): it steps
  back over auxiliaries and adverbs (``had``, ``also``, ``bitterly``), over an apposition
  between commas, and over a trailing prepositional phrase (``Laura Brownlees of Save the
  Children said`` → ``Laura Brownlees``).
- :func:`speaker_after` reads the noun phrase that starts a stretch of text: the subject
  after a quotation (``," Michael Mijatov, international division secretary …, told``)
  or the speaker after an inverted cue (``," said Daiwa Securities analyst Mark Pervan``).

A name is an NER span (PERSON, ORG, GPE, NORP), a title and a capitalised word the model
missed (``Mr Barot``), or capitalised words right next to the cue. A description starts
with a determiner (``the spokesman``, ``a spokesman for the Home Office``, ``one
London-based broker``) and is never turned into a name here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .cues import is_cue
from .model import Span
from .text import PARTICLES, WORD, Name, Names, abbreviation_ends, lower_case_words, words_of

NAME_FORM, PRONOUN_FORM, ROLE_FORM = "name", "pronoun", "role"

PRONOUNS = frozenset({"he", "she", "they", "it", "i", "we"})
_AUXILIARIES = words_of(
    """to alleged reported reportedly understood believed expected likely due going
    able known"""
) | words_of(
    """has have had is was were are will would could should may might can did does do
    also then later earlier previously once now still even again just already
    further has't hasn't had't never not always often recently simply repeatedly
    subsequently however had've meanwhile though too instead yesterday today tonight
    heard seen overheard goes went go on"""
)
_PREPOSITIONS = words_of("of for from at with in on to by about")
_DETERMINERS = words_of("the a an one another his her their its our my your this that")
_CONNECTIVES = words_of(
    """but and so yet however meanwhile then now still also instead indeed later
    earlier separately elsewhere asked"""
)
"""Words that may open a sentence before its subject (``However, Mr Haji-Ioannou …``)."""
_CONJUNCTIONS = words_of("and but or while as when that so because whereas")
NOT_NAMES = words_of(
    """The A An But And Or So Yet In On At For From With By As If When While After
    Before However Meanwhile Earlier Later Then This That These Those It He She They
    We I You Asked Speaking Writing Last Next Yesterday Today Tomorrow Monday
    Tuesday Wednesday Thursday Friday Saturday Sunday There Here Now Also Both Such
    Instead Indeed Still According Although Though Despite Since Until Unless
    Because Once Even Only One Another Other Some Many Most Others Several Few All Each
    Neither None Everyone Someone About Around Almost Nearly Over More Fewer Less Up
    Just Roughly Every Any No Otherwise Overall Elsewhere Nevertheless Therefore
    Similarly Additionally Consequently Finally Ultimately Importantly Interestingly
    Unfortunately Fortunately Clearly Obviously Apparently Currently Previously
    Recently Initially Originally Eventually Separately Notably Crucially How What Why
    Where Who Whose Which Regardless Nonetheless Besides Likewise Hence Thus Photo
    Within Without Among Amid Across Along Behind Beyond Between During Inside Outside
    Through Throughout Towards Toward Under Upon Via
    Photograph Picture Image Credit Caption Video Watch Read Related Advertisement"""
)
"""Capitalised words that open sentences, and the labels of a web page's captions and
links ("Photo: Joseph Cox", "Related: …"), rather than name anyone."""


def _may_be_name(word: str) -> bool:
    """False for a capitalised word that opens sentences rather than names anyone
    (``However``, ``It's``)."""
    return re.split(r"['’]", word)[0] not in NOT_NAMES


def _ordinary_word(text: str, names: Names, words: str) -> bool:
    """True for one capitalised word the text also writes in lower case, or a
    contraction: "Example: …" and "Don't say …" name nobody. Not an acronym ("AS"), nor a
    word that ends a name the model found ("Young" of Dai Young)."""
    word = words.strip()
    if " " in word or word.isupper():
        return False
    if re.search(r"n['’]t$", word):
        return True
    if word.lower() not in lower_case_words(text):
        return False
    return not any(text[n.start : n.end].split()[-1:] == [word] for n in names.items)


_QUANTIFIERS = words_of(
    """one another some many most others several few all each neither none everyone
    someone somebody anyone nobody"""
)
"""Words that stand for an unnamed speaker (``One told BBC News Online``)."""
_RELATIVES = frozenset(["which", "who", "that"])
_TITLE = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Sir|Lord|Lady|Dame|Rev|Gen|Col|Capt|Sen|Rep|Gov)"
_PARTICLE = r"(?:(?:" + "|".join(sorted(PARTICLES, key=lambda w: (-len(w), w))) + r")\s+)?"
"""The lower-case particle of a surname (``Mr de Vabres``, ``Mr van Gaal``)."""
_PEERAGE = r"(?:\s+of\s+[A-Z][\w’'-]+)?"
"""A peer's territorial designation (``Lord Nicholls of Birkenhead``)."""
_TITLED_NAME_END = re.compile(
    _TITLE + r"\.?\s+" + _PARTICLE + r"[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?" + _PEERAGE + "$"
)
_TITLED_NAME_START = re.compile(
    _TITLE + r"\.?\s+" + _PARTICLE + r"[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?" + _PEERAGE
)
_TITLE_BEFORE = re.compile(_TITLE + r"\.?\s+$")
_CAPITALISED_END = re.compile(r"(?:[A-Z][\w’'-]*\s+){0,2}[A-Z][\w’'-]*$")
_CAPITALISED_START = re.compile(r"[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,2}")
_WORD_END = re.compile(r"([\w’'-]+)\s*$")
_WORD_START = re.compile(r"\s*([\w’'-]+)")
COLLECTIVE_NOUNS = words_of(
    """police officials analysts critics experts sources ministers witnesses
    researchers scientists doctors campaigners residents unions investors economists
    observers organisers organizers insiders aides diplomats officers lawyers
    prosecutors investigators authorities rescuers protesters fans voters teachers
    parents students workers executives traders dealers brokers bankers"""
)
"""Plural nouns that open a sentence as its unnamed speakers (``Police said``)."""
MAX_ROLE_WORDS = 8
"""A description longer than this is not a speaker (it is a clause)."""


@dataclass(frozen=True)
class SpeakerWords:
    """The words naming a speaker: where, and whether a name, pronoun or description."""

    span: Span
    form: str
    name: Name | None = None


def _span(text: str, start: int, end: int) -> Span:
    return Span(start, end, text[start:end])


def _strip_back(text: str, floor: int, end: int) -> int:
    """Step back from ``end`` over white space, auxiliaries and adverbs (at most four words)."""
    for _ in range(4):
        while end > floor and text[end - 1].isspace():
            end -= 1
        m = _WORD_END.search(text, floor, end)
        if m is None:
            return end
        word = m.group(1)
        if word.lower() in _AUXILIARIES or (word.endswith("ly") and word.islower()):
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


def _is_possessive_at(text: str, end: int) -> bool:
    return text[end : end + 2] in ("'s", "’s") or text[end : end + 1] in ("'", "’")


def _role_ending_at(text: str, floor: int, end: int) -> int | None:
    """Start of a description (determiner …) ending at ``end``, or None."""
    tokens = list(re.finditer(r"[\w’'-]+|[,;:]", text[floor:end]))
    words = [t.group() for t in reversed(tokens)]
    for back, tok in enumerate(reversed(tokens)):
        word = tok.group()
        noun = back == 0 and len(words) > 1 and words[1].lower() in _DETERMINERS
        if back >= MAX_ROLE_WORDS or word in ",;:" or (_verb_like(word) and not noun):
            return None  # "The report said": a noun before the cue, "has reported" a verb
        if word.lower() in _DETERMINERS:
            return floor + tok.start() if back > 0 else None
    return None


def _apposition(text: str, names: Names, floor: int, end: int) -> tuple[int, SpeakerWords | None]:
    """For ``X, <apposition>,`` ending at ``end``: the apposition when it is a name, else
    the end of X."""
    inner_end = end - 1  # the comma
    comma = text.rfind(",", floor, inner_end)
    if comma < 0:
        return end, None
    inner = _strip_space(text, comma + 1, inner_end)
    only = names.within(*inner)
    first = text[inner[0] : inner[1]].split()[:1]
    if first and first[0].lower() in _RELATIVES:
        return comma, None  # ", who sang on hits such as Sha La La,": not a name
    if len(only) == 1 and only[0].label == "PERSON" and only[0].end == inner[1]:
        return comma, SpeakerWords(_span(text, *inner), NAME_FORM, only[0])
    words = text[inner[0] : inner[1]].split()
    if not only and 2 <= len(words) <= 3 and _role_ending_at(text, floor, comma):
        from ..entities.resolve import looks_like_full_name

        if not looks_like_full_name(words):
            return comma, None
        # "The Shadow Secretary of State for the Family, Theresa May, said": a name in
        # apposition to a description, which the model missed
        return comma, SpeakerWords(_span(text, *inner), NAME_FORM)
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
        if found and found[0].label == "PERSON" and DESCRIPTION_START.match(text, comma + 1):
            inside = names.within(comma + 1, end - 1)
            if any(n.label == "PERSON" for n in inside):
                return None
            return SpeakerWords(_span(text, found[0].start, found[0].end), NAME_FORM, found[0])
    return None


_APPOSITION_COMMAS = 3
"""Commas inside a description read back for the name before it."""
DESCRIPTION_START = re.compile(r"\s+(?:the|a|an|one\s+of|who|whose)\s", re.IGNORECASE)
"""How a description set off after a name opens (``, the Fed's longest-serving
policymaker``, ``, one of``, ``, who``)."""


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
    before = _strip_space(text, floor, opening.start())[1]
    found = _noun_phrase_ending_at(text, names, floor, before)
    if found is None or found.form != NAME_FORM:
        return None
    start = _strip_space(text, floor, found.span.start)[1]
    run = _CAPITALISED_END.search(text, max(floor, start - 40), start)
    opener = _WORD_END.search(text, max(floor, start - 60), run.start() if run else start)
    if opener is not None and opener.group(1).lower() in _PREPOSITIONS:
        return None  # "Paul Myers, chief executive of Wippit - a … service - believes"
    return found


def _strip_space(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _strip_prepositional(text: str, names: Names, floor: int, end: int) -> int:
    """Step back over ``of Save the Children``, ``for the Home Office`` ending at ``end``."""
    for _ in range(2):
        n = _name_ending_at(names, text, floor, end)
        start = n.start if n else None
        if n is None:  # a name the model missed: "for the Colleges Employers’ Association"
            run = _CAPITALISED_END.search(text, max(floor, end - 60), end)
            if run is not None and _may_be_name(run.group().split()[0]):
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
        m = _WORD_END.search(text, floor, start)
        if m is not None and m.group(1).lower() in _DETERMINERS:  # "for the RAD"
            m = _WORD_END.search(text, floor, m.start(1))
        if m is None or m.group(1).lower() not in _PREPOSITIONS:
            return end
        end = _strip_space(text, floor, m.start(1))[1]
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
        end = _strip_space(text, floor, end)[1]
    named = _before_dashes(text, names, floor, end)
    if named is not None:
        return named
    found = _noun_phrase_ending_at(text, names, floor, end)
    if _stands_alone(text, found) or _relative_ends(text, found, floor, end):
        return found  # "rejected by Mr Blair, who said": the one the clause is about
    head_end = _strip_prepositional(text, names, floor, end)
    if head_end < end:
        head = _noun_phrase_ending_at(text, names, floor, head_end)
        if head is not None and head.form == ROLE_FORM:
            # keep the whole description: "a spokesman for the Home Office"
            return SpeakerWords(_span(text, head.span.start, end), ROLE_FORM)
        if head is not None:
            return head
    if found is not None and found.form == NAME_FORM and _after_preposition(text, found):
        return None  # "… who won damages from the Daily Telegraph said": not the speaker
    return found


def _relative_ends(text: str, found: SpeakerWords | None, floor: int, end: int) -> bool:
    """True when the words before a cue at ``end`` end with a relative pronoun that
    ``found`` is the antecedent of: a name after ``by``, ``from`` or ``with`` (``denied by
    Shepherd, who accused``), not one after ``of`` that is part of a longer phrase
    (``the eldest daughter of ex-King Michael of Romania, who said``)."""
    m = _WORD_END.search(text, floor, end)
    if found is None or m is None or m.group(1).lower() not in _RELATIVES:
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
    return _word_before(text, 0, start) in _PREPOSITIONS


def _word_before(text: str, floor: int, start: int) -> str:
    """The word before ``start`` (after ``floor``), past a determiner ("from the Daily
    Telegraph": "from"), in lower case; "" when there is none."""
    m = _WORD_END.search(text, max(floor, start - 20), start)
    if m is not None and m.group(1).lower() in _DETERMINERS:
        m = _WORD_END.search(text, max(floor, m.start(1) - 20), m.start(1))
    return m.group(1).lower() if m is not None else ""


def _noun_phrase_ending_at(text: str, names: Names, floor: int, end: int) -> SpeakerWords | None:
    name = _name_ending_at(names, text, floor, end)
    described = _description_start(text, floor, name) if name is not None else None
    if described is not None:  # "the Scot", "the 24-year-old Swiss"
        return SpeakerWords(_span(text, described, end), ROLE_FORM)
    if name is not None:
        start = name.start
        inner = _TITLED_NAME_END.search(text, start + 1, end)
        if inner is not None:  # "the Foreign Policy Centre Mr Straw" taken for one name
            return SpeakerWords(_span(text, inner.start(), end), NAME_FORM)
        title = _TITLE_BEFORE.search(text, max(floor, start - 12), start)
        if title:
            start = title.start()
        return SpeakerWords(_span(text, start, end), NAME_FORM, name)
    m = _TITLED_NAME_END.search(text, max(floor, end - 60), end)
    if m:
        return SpeakerWords(_span(text, m.start(), end), NAME_FORM)
    m = _WORD_END.search(text, floor, end)
    if m and m.group(1).lower() in PRONOUNS:
        return SpeakerWords(_span(text, m.start(1), end), PRONOUN_FORM)
    if m and m.group(1).lower() in _QUANTIFIERS:
        return SpeakerWords(_span(text, m.start(1), end), ROLE_FORM)
    if m and m.group(1).lower() in _RELATIVES:
        # "a line from the poster, which claimed", "The IAAF - which said": the phrase
        # the clause hangs on
        head = _strip_space(text, floor, m.start(1))[1]
        if head > floor and text[head - 1] in ",-–—":
            head = _strip_space(text, floor, head - 1)[1]
        return _noun_phrase_ending_at(text, names, floor, head) if head > floor else None
    role = _role_ending_at(text, floor, end)
    if role is not None:
        return SpeakerWords(_span(text, role, end), ROLE_FORM)
    m = _CAPITALISED_END.search(text, max(floor, end - 60), end)
    if m and m.group().lower() in COLLECTIVE_NOUNS:
        return SpeakerWords(_span(text, m.start(), end), ROLE_FORM)
    if m and _may_be_name(m.group().split()[0]) and not _ordinary_word(text, names, m.group()):
        before = text[floor : m.start()].rstrip()
        last = before.split()[-1].lower() if before.split() else ""
        possessive = last.endswith(("'s", "’s"))
        if not before or not before[-1].isalnum() or last in _CONJUNCTIONS or possessive:
            return SpeakerWords(_span(text, m.start(), end), NAME_FORM)
    start = _strip_space(text, floor, end)[0]
    zone = text[start:end].split()
    if (
        0 < len(zone) <= 4
        and zone[0][:1].isupper()
        and _may_be_name(zone[0])
        and not any(_verb_like(w) for w in zone)
        and not names.within(start, end)
    ):
        return SpeakerWords(_span(text, start, end), ROLE_FORM)  # "Analysts", "Policy makers"
    return None


def _post_goes_on(text: str, names: Names, start: int, at: int, stop: int) -> bool:
    """True when the word at ``at``, where a phrase was cut, may belong to a post that
    goes on to ``stop`` (not after a preposition, ``members of his band and Nogar``, nor
    after a person's full name, ``Mr Blair and Mr Brown``): "and", a word in -ing that is no
    cue (``housing``) or a cue word that is no past form or participle (``state``,
    ``report``), with no verb after it (``Work and pensions minister Alan Johnson said …
    Mr Milburn``)."""
    m = _WORD_START.match(text, at, stop)
    if m is None:
        return False
    word = m.group(1).lower()
    if any(w.lower() in _PREPOSITIONS for w in WORD.findall(text, start, at)):
        return False  # "members of his band and Nogar", "Stephen Candillon of … Sertit"
    if any(n.label == "PERSON" and " " in text[n.start : n.end] for n in names.within(start, at)):
        return False  # "Mr Blair and Mr Brown", "Morgan Freeman beat actors including …"
    of_a_post = (
        word in ("and", "&")
        or (word.endswith("ing") and not is_cue(word))  # "RICS housing spokesman"
        or (is_cue(word) and not word.endswith(("ed", "ing", "s")))  # "state archivist"
    )
    return of_a_post and _no_verb(text, m.end(1), stop)


def _no_verb(text: str, start: int, stop: int) -> bool:
    """True when no word in ``[start, stop)`` is a cue, an auxiliary or a past form."""
    return not any(
        is_cue(w) or w.lower() in _AUXILIARIES or w.endswith("ed")
        for w in WORD.findall(text, start, stop)
    )


def name_ending_phrase(text: str, names: Names, start: int, end: int) -> SpeakerWords | None:
    """The PERSON that ends the phrase from ``start`` up to its first comma or stop
    (``said Economic and Fiscal Policy Minister Heizo Takenaka.``, ``said Moscow-based US
    lawyer Jamie Firestone, who``): the speaker of an inverted tag whose post is too
    long or too oddly worded to read as a noun phrase."""
    start, stop = _strip_space(text, start, _phrase_stop(text, start, end))
    person = _person_in(text, names, start, stop)
    if person is None or person.end != stop:
        return None
    return SpeakerWords(_span(text, person.start, person.end), NAME_FORM, person)


def _person_in(text: str, names: Names, start: int, end: int) -> Name | None:
    """The last PERSON in ``[start, end)`` that is not in a prepositional phrase or
    possessive: the head of ``Hopman Cup doctor Hamish Osborne``."""
    for n in reversed(names.within(start, end)):
        if n.label != "PERSON" or _is_possessive_at(text, n.end):
            continue
        if _after_preposition_at(text, start, n.start):
            continue
        return n
    return None


def _appositive_name(text: str, names: Names, role_end: int, end: int) -> SpeakerWords | None:
    """``the chairman of the committee, Labour MP Barry Sheerman``: the person named in
    the apposition right after a description."""
    m = re.match(r",\s*", text[role_end:end])
    if m is None:
        return None
    start = role_end + m.end()
    stop = re.search(r"[,;:.!?()\"“”]", text[start:end])
    seg_end = start + stop.start() if stop else end
    person = _person_in(text, names, start, seg_end)
    if person is None or text[person.end : seg_end].strip():
        return None
    return SpeakerWords(_span(text, person.start, person.end), NAME_FORM, person)


def _skip_connectives(text: str, names: Names, start: int, end: int) -> int:
    """Step over ``However,``, ``But`` and the like at the start of a clause, and over an
    opening phrase up to its comma (``Born in New Jersey, Hill …``, ``In a statement,
    Qantas …``); a person's name is no opening phrase (``said Yelling, herself …``)."""
    for _ in range(3):
        m = re.match(r"([\w’'-]+),?\s+", text[start:end])
        if m is None:
            return start
        word = m.group(1)
        if word.lower() in _CONNECTIVES:
            start += m.end()
            continue
        intro = word.lower() in _INTRODUCERS or (
            word.endswith(("ed", "ing"))
            and word[:1].isupper()
            and not _person_at(names, start, word)
        )
        comma = text.find(",", start, min(end, start + 80))
        if intro and comma > 0:
            start = _strip_space(text, comma + 1, end)[0]
            continue
        return start
    return start


def _person_at(names: Names, start: int, word: str) -> bool:
    """True when the model calls the word at ``start`` (part of) a PERSON."""
    named = names.at(start, start + len(word))
    return named is not None and named.label == "PERSON"


_INTRODUCERS = words_of(
    """born in at on after before during despite although while when since following
    within among amid across beyond between through throughout upon
    asked pressed speaking writing last earlier later meanwhile according unlike
    like for with without under monday tuesday wednesday thursday friday saturday
    sunday yesterday today tonight this"""
)


def _verb_like(word: str) -> bool:
    w = word.lower()
    if not word[:1].islower():
        return False
    return w in _AUXILIARIES or is_cue(w) or w.endswith(("ed", "ing")) or w in _CONJUNCTIONS


def _phrase_end(text: str, start: int, end: int) -> int:
    """Where the noun phrase starting at ``start`` ends: before its first verb-like word
    or relative pronoun (``a report`` is a noun after its determiner, and so is a
    cue word that opens the phrase: ``said report author Mary Madden``)."""
    prev = ""
    for m in re.finditer(r"[\w’'-]+", text[start:end]):
        word = m.group()
        noun = not prev and is_cue(word) and not word.endswith(("ed", "ing"))
        if word in _RELATIVES or (
            _verb_like(word) and prev.lower() not in _DETERMINERS and not noun
        ):
            return _strip_space(text, start, start + m.start())[1]
        prev = word
    return end


def _head_name(text: str, names: Names, start: int, end: int) -> Name | None:
    """The name heading a phrase that opens with a name: its last one, not a people's
    name used as an adjective (``Anglo-Dutch consumer goods giant Unilever``) nor one
    after a preposition (``Yonca Brunini of Yahoo``)."""
    found = [n for n in names.within(start, end) if not _is_possessive_at(text, n.end)]
    if not found or names.within(start, end)[0].start != start:
        return None
    heads = [n for n in found if n.label != "NORP"] or found
    # "Yonca Brunini of Yahoo": a name after a preposition is not the head
    heads = [n for n in heads if not _after_preposition_at(text, start, n.start)] or heads
    return heads[-1] if text[heads[-1].end : end].strip() == "" or len(heads) == 1 else heads[0]


def _after_preposition_at(text: str, floor: int, start: int) -> bool:
    m = _WORD_END.search(text, floor, start)
    return m is not None and m.group(1).lower() in _PREPOSITIONS


def speaker_after(text: str, names: Names, start: int, end: int) -> SpeakerWords | None:
    """The speaker named by the noun phrase at the start of ``[start, end)``.

    The phrase runs to the first comma or stop: ``Daiwa Securities analyst Mark Pervan``
    gives the PERSON in it; ``the spokesman for the Albanian embassy`` a description.
    """
    start, end = _strip_space(text, start, end)
    start = _skip_connectives(text, names, start, end)
    stop = _strip_space(text, start, _phrase_stop(text, start, end))[1]
    seg_end = _phrase_end(text, start, stop)
    if seg_end <= start:
        return None
    if seg_end < stop and _post_goes_on(text, names, start, seg_end, stop):
        # "Florida state archivist Jody Norman", "Music Choice music and marketing
        # manager Simon George": a post with a cue word used as a noun or an "and" of its
        # own, ending with the person who holds it
        named = name_ending_phrase(text, names, start, stop)
        if named is not None:
            return named
    m = _WORD_START.match(text, start, seg_end)
    if m and m.group(1).lower() in PRONOUNS:
        return SpeakerWords(_span(text, m.start(1), m.end(1)), PRONOUN_FORM)
    if m and m.group(1).lower() in _QUANTIFIERS:
        named = _appositive_name(text, names, seg_end, end)  # "one of their lawyers, X"
        return named or SpeakerWords(_span(text, start, seg_end), ROLE_FORM)
    person = _person_in(text, names, start, seg_end)
    if person is not None:
        return SpeakerWords(_span(text, person.start, person.end), NAME_FORM, person)
    head = _head_name(text, names, start, seg_end)
    if head is not None:
        post_end = stop if _no_verb(text, seg_end, stop) else seg_end
        named = _appositive_name(text, names, post_end, end) if head.label != "PERSON" else None
        if named is not None:  # "said EEF chief economist, Steve Radley", "said BA
            return named  # director of commercial planning, Robert Boyle"
        return SpeakerWords(_span(text, start, head.end), NAME_FORM, head)
    m = _TITLED_NAME_START.match(text, start, seg_end)
    if m:
        return SpeakerWords(_span(text, m.start(), m.end()), NAME_FORM)
    if m is None and text[start:seg_end].split()[0].lower() in _DETERMINERS:
        if len(text[start:seg_end].split()) > MAX_ROLE_WORDS:
            return None
        named = _appositive_name(text, names, seg_end, end)
        return named or SpeakerWords(_span(text, start, seg_end), ROLE_FORM)
    m = _CAPITALISED_START.match(text, _past_role_words(text, start, seg_end), seg_end)
    if m and m.group().lower() in COLLECTIVE_NOUNS:
        return SpeakerWords(_span(text, m.start(), m.end()), ROLE_FORM)
    if (
        m
        and _may_be_name(m.group().split()[0])
        and not _opens_participle(text, m)
        and not _ordinary_word(text, names, m.group())
    ):
        return SpeakerWords(_span(text, m.start(), m.end()), NAME_FORM)
    m = _TRAILING_NAME.search(text, start, seg_end)
    before = text[start : m.start()].split()[-1:] if m else []
    if (
        m
        and before
        and before[0].lower() not in _PREPOSITIONS
        and _may_be_name(m.group(1).split()[0])
    ):
        # "report author Mary Madden": a name the model missed, after its role
        return SpeakerWords(_span(text, m.start(1), m.end(1)), NAME_FORM)
    return None


def _past_role_words(text: str, start: int, end: int) -> int:
    """Where a name starts after capitalised words of a post the model left untagged
    (``Patrol Chief James Hall``): past them when two capitalised words follow."""
    m = _ROLE_WORDS.match(text, start, end)
    if m is None or not _TWO_CAPITALISED.match(text, m.end(), end):
        return start
    return m.end()


_ROLE_WORDS = re.compile(
    r"(?:(?:Patrol|Police|Fire|Border|Army|Navy|Staff|Deputy|Assistant|Senior|Chief|"
    r"Captain|Detective|Inspector|Sergeant|Sgt|Officer|Lieutenant|Commander|Constable|"
    r"Superintendent|Supt|Sheriff|Marshal|Agent|Coach|Manager|Director|Spokesman|"
    r"Spokeswoman|Spokesperson)\s+)+"
)
_TWO_CAPITALISED = re.compile(r"[A-Z][a-z][\w’'-]*\s+[A-Z][a-z][\w’'-]*\b")


def _phrase_stop(text: str, start: int, end: int) -> int:
    """Where the phrase starting at ``start`` stops: the first comma, stop, bracket or
    quotation mark, reading past the full stop of a title or an initial (``," said Sen.
    Chuck Schumer``, ``," Mr. Trump said``), or ``end``."""
    for m in _PHRASE_STOP.finditer(text, start, end):
        if m.group() != "." or not abbreviation_ends(text, m.start()):
            return m.start()
    return end


_PHRASE_STOP = re.compile(r"[,;:.!?()\"“”]")


_THE_BEFORE = re.compile(r"\b[Tt]he $")


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


_TRAILING_NAME = re.compile(r"(?<=[a-z] )([A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){1,2})$")
"""Two or three capitalised words that end a phrase after a lower-case word."""


def _opens_participle(text: str, m: re.Match[str]) -> bool:
    """``Pressed on whether …``, ``Speaking to the BBC …``: a participle, not a name."""
    first = m.group().split()[0]
    if not first.endswith(("ed", "ing")):
        return False
    nxt = _WORD_START.match(text, m.start() + len(first))
    return nxt is not None and nxt.group(1).islower() and not is_cue(nxt.group(1))
