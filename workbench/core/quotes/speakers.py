"""The words that name a speaker next to a cue: a name, a pronoun or a description.

Two readings, both without a parser:

- :func:`speaker_after` (here) reads the noun phrase that starts a stretch of text: the
  subject after a quotation (``," Michael Mijatov, international division secretary …,
  told``) or the speaker after an inverted cue (``," said Daiwa Securities analyst Mark
  Pervan``).
- :func:`~.subjects.speaker_before` reads the noun phrase that ends just before a cue
  verb (``Fidelis Nanga, a journalist based in Yaounde, said`` → ``Fidelis Nanga``).

This module also holds what both readings share: :class:`SpeakerWords`, the word lists
and the patterns of titles and names.

A name is an NER span (PERSON, ORG, GPE, NORP), a title and a capitalised word the model
missed (``Mr Barot``), or capitalised words right next to the cue. A description starts
with a determiner (``the spokesman``, ``a spokesman for the Home Office``, ``one
London-based broker``) and is never turned into a name here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..entities.people import OTHER_JOBS, PERSON_NOUNS
from .cues import is_cue
from .descriptions import DOCUMENTS, WRITINGS
from .model import Span
from .text import PARTICLES, WORD, Name, Names, abbreviation_ends, lower_case_words, words_of

NAME_FORM, PRONOUN_FORM, ROLE_FORM = "name", "pronoun", "role"

PRONOUNS = frozenset({"he", "she", "they", "it", "i", "we"})
AUXILIARIES = words_of(
    """to alleged reported reportedly understood believed expected likely due going
    able known"""
) | words_of(
    """has have had is was were are will would could should may might can did does do
    also then later earlier previously once now still even again just already
    further has't hasn't had't never not always often recently simply repeatedly
    subsequently however had've meanwhile though too instead yesterday today tonight
    heard seen overheard goes went go on"""
)
PHRASE_PREPOSITIONS = words_of("of for from at with in on to by about")
DETERMINERS = words_of("the a an one another his her their its our my your this that")
_CONNECTIVES = words_of(
    """but and so yet however meanwhile then now still also instead indeed later
    earlier separately elsewhere asked"""
)
"""Words that may open a sentence before its subject (``However, Mr Haji-Ioannou …``)."""
CONJUNCTIONS = words_of("and but or while as when that so because whereas")
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


def may_be_name(word: str) -> bool:
    """False for a capitalised word that opens sentences rather than names anyone
    (``However``, ``It's``)."""
    return re.split(r"['’]", word)[0] not in NOT_NAMES


def ordinary_word(text: str, names: Names, words: str) -> bool:
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


QUANTIFIERS = words_of(
    """one another some many most others several few all each neither none everyone
    someone somebody anyone nobody"""
)
"""Words that stand for an unnamed speaker (``One told BBC News Online``)."""
RELATIVES = frozenset(["which", "who", "that"])
TITLE = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Sir|Lord|Lady|Dame|Rev|Gen|Col|Capt|Sen|Rep|Gov)"
PARTICLE = r"(?:(?:" + "|".join(sorted(PARTICLES, key=lambda w: (-len(w), w))) + r")\s+)?"
"""The lower-case particle of a surname (``Mr de Vabres``, ``Mr van Gaal``)."""
PEERAGE = r"(?:\s+of\s+[A-Z][\w’'-]+)?"
"""A peer's territorial designation (``Lord Nicholls of Birkenhead``)."""
_TITLED_NAME_START = re.compile(
    TITLE + r"\.?\s+" + PARTICLE + r"[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?" + PEERAGE
)
_CAPITALISED_START = re.compile(r"[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,2}")
WORD_END = re.compile(r"([\w’'-]+)\s*$")
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


def span_of(text: str, start: int, end: int) -> Span:
    return Span(start, end, text[start:end])


def _is_possessive_at(text: str, end: int) -> bool:
    return text[end : end + 2] in ("'s", "’s") or text[end : end + 1] in ("'", "’")


def strip_space(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


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
    if any(w.lower() in PHRASE_PREPOSITIONS for w in WORD.findall(text, start, at)):
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
        is_cue(w) or w.lower() in AUXILIARIES or w.endswith("ed")
        for w in WORD.findall(text, start, stop)
    )


def name_ending_phrase(text: str, names: Names, start: int, end: int) -> SpeakerWords | None:
    """The PERSON that ends the phrase from ``start`` up to its first comma or stop
    (``said Economic and Fiscal Policy Minister Heizo Takenaka.``, ``said Moscow-based US
    lawyer Jamie Firestone, who``): the speaker of an inverted tag whose post is too
    long or too oddly worded to read as a noun phrase."""
    start, stop = strip_space(text, start, _phrase_stop(text, start, end))
    person = _person_in(text, names, start, stop)
    if person is None or person.end != stop:
        return None
    return SpeakerWords(span_of(text, person.start, person.end), NAME_FORM, person)


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
    return SpeakerWords(span_of(text, person.start, person.end), NAME_FORM, person)


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
            start = strip_space(text, comma + 1, end)[0]
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


def verb_like(word: str) -> bool:
    w = word.lower()
    if not word[:1].islower():
        return False
    return w in AUXILIARIES or is_cue(w) or w.endswith(("ed", "ing")) or w in CONJUNCTIONS


def _phrase_end(text: str, start: int, end: int) -> int:
    """Where the noun phrase starting at ``start`` ends: before its first verb-like word
    or relative pronoun (``a report`` is a noun after its determiner, and so is a
    cue word that opens the phrase: ``said report author Mary Madden``)."""
    prev = ""
    for m in re.finditer(r"[\w’'-]+", text[start:end]):
        word = m.group()
        noun = not prev and is_cue(word) and not word.endswith(("ed", "ing"))
        if word in RELATIVES or (verb_like(word) and prev.lower() not in DETERMINERS and not noun):
            return strip_space(text, start, start + m.start())[1]
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
    m = WORD_END.search(text, floor, start)
    return m is not None and m.group(1).lower() in PHRASE_PREPOSITIONS


def speaker_after(text: str, names: Names, start: int, end: int) -> SpeakerWords | None:
    """The speaker named by the noun phrase at the start of ``[start, end)``.

    The phrase runs to the first comma or stop: ``Daiwa Securities analyst Mark Pervan``
    gives the PERSON in it; ``the spokesman for the Albanian embassy`` a description.
    """
    start, end = strip_space(text, start, end)
    start = _skip_connectives(text, names, start, end)
    stop = strip_space(text, start, _phrase_stop(text, start, end))[1]
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
        return SpeakerWords(span_of(text, m.start(1), m.end(1)), PRONOUN_FORM)
    if m and m.group(1).lower() in QUANTIFIERS:
        named = _appositive_name(text, names, seg_end, end)  # "one of their lawyers, X"
        return named or SpeakerWords(span_of(text, start, seg_end), ROLE_FORM)
    person = _person_in(text, names, start, seg_end)
    if person is not None:
        return SpeakerWords(span_of(text, person.start, person.end), NAME_FORM, person)
    head = _head_name(text, names, start, seg_end)
    if head is not None:
        post_end = stop if _no_verb(text, seg_end, stop) else seg_end
        return _headed_by(text, names, start, head, post_end, end)
    m = _TITLED_NAME_START.match(text, start, seg_end)
    if m:
        return SpeakerWords(span_of(text, m.start(), m.end()), NAME_FORM)
    if m is None and text[start:seg_end].split()[0].lower() in DETERMINERS:
        if len(text[start:seg_end].split()) > MAX_ROLE_WORDS:
            return None
        named = _appositive_name(text, names, seg_end, end)
        return named or SpeakerWords(span_of(text, start, seg_end), ROLE_FORM)
    owner = _OWNER_START.match(text, start, seg_end)
    if owner is not None and owner.group(1).lower() not in _OWNERS_WORDS:
        # "Amanda's uncle, Lewis Champion, told": whose uncle, not Amanda ("Chelsea's
        # statement added" is Chelsea's)
        named = _appositive_name(text, names, seg_end, end)
        return named or SpeakerWords(span_of(text, start, seg_end), ROLE_FORM)
    m = _CAPITALISED_START.match(text, _past_role_words(text, start, seg_end), seg_end)
    if m and m.group().lower() in COLLECTIVE_NOUNS:
        return SpeakerWords(span_of(text, m.start(), m.end()), ROLE_FORM)
    if (
        m
        and may_be_name(m.group().split()[0])
        and not _opens_participle(text, m)
        and not ordinary_word(text, names, m.group())
    ):
        return SpeakerWords(span_of(text, m.start(), m.end()), NAME_FORM)
    m = _TRAILING_NAME.search(text, start, seg_end)
    before = text[start : m.start()].split()[-1:] if m else []
    if (
        m
        and before
        and before[0].lower() not in PHRASE_PREPOSITIONS
        and may_be_name(m.group(1).split()[0])
    ):
        # "report author Mary Madden": a name the model missed, after its role
        return SpeakerWords(span_of(text, m.start(1), m.end(1)), NAME_FORM)
    return None


def _headed_by(
    text: str, names: Names, start: int, head: Name, post_end: int, end: int
) -> SpeakerWords:
    """The speaker of a phrase from ``start`` headed by the name ``head``: the person
    named after a post it opens (``said EEF chief economist, Steve Radley``), a post
    written with capitals (a description), else the name."""
    if head.label != "PERSON":
        named = _appositive_name(text, names, post_end, end)
        if named is not None:  # "said BA director of commercial planning, Robert Boyle"
            return named
        if capitalised_post(text[start : head.end]):
            return SpeakerWords(span_of(text, start, head.end), ROLE_FORM)
    return SpeakerWords(span_of(text, start, head.end), NAME_FORM, head)


def capitalised_post(phrase: str) -> bool:
    """True for a post written with capitals that the model took for an organisation's
    name (``The Conservative Party Co-Chairman``): "the", then one person's job at the
    end (not a board's ``Directors``)."""
    words = phrase.split()
    if len(words) < 2 or words[0].lower() != "the":
        return False
    return words[-1].lower().removeprefix("co-") in JOBS


_OWNER_START = re.compile(
    r"[A-Z][\w-]*(?:\s+[A-Z][\w-]*)?['’]s\s+(?:[a-z][\w-]*\s+)?([a-z][\w-]*)$"
)
"""A phrase that is a name's possession or kin (``Amanda's uncle``, ``Apple's chief
executive``), not the name."""
_OWNERS_WORDS = (
    WRITINGS
    | DOCUMENTS
    | words_of(
        """statements slogan headline headlines manifesto verdict response reply announcement
        comments remarks view position editorial leader spokesman spokeswoman spokesperson"""
    )
)
"""What someone says through: the words of "Chelsea's statement" are Chelsea's."""


def _past_role_words(text: str, start: int, end: int) -> int:
    """Where a name starts after capitalised words of a post the model left untagged
    (``Patrol Chief James Hall``): past them when two capitalised words follow."""
    m = _ROLE_WORDS.match(text, start, end)
    if m is None or not _TWO_CAPITALISED.match(text, m.end(), end):
        return start
    return m.end()


JOBS = PERSON_NOUNS | OTHER_JOBS
"""Nouns that describe a person by what they do or who they are to someone, next to a
name (``tomato farmer Lana Boatwright``, ``Binyah Kesselly, chairman of …``)."""

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


_TRAILING_NAME = re.compile(r"(?<=[a-z] )([A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){1,2})$")
"""Two or three capitalised words that end a phrase after a lower-case word."""


def _opens_participle(text: str, m: re.Match[str]) -> bool:
    """``Pressed on whether …``, ``Speaking to the BBC …``: a participle, not a name."""
    first = m.group().split()[0]
    if not first.endswith(("ed", "ing")):
        return False
    nxt = _WORD_START.match(text, m.start() + len(first))
    return nxt is not None and nxt.group(1).islower() and not is_cue(nxt.group(1))
