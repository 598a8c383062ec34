"""The words of a description that name a speaker without a name: its head, its kind.

``the Scottish National Party's parliamentary leader`` is headed by ``leader``; ``the
company`` stands for an organisation, ``the spokesman`` for someone unnamed, ``The
Scottish Executive`` is an institution's name, ``the 28-year-old`` says only an age,
``Mr Crosby's statement`` is his writing, ``the alliance`` an organisation named with
that word, ``the report`` its author's words. :mod:`.antecedents` decides whom they mean.
"""

from __future__ import annotations

import re

from ..entities.people import PERSON_NOUNS, TRADES
from .text import words_of

NOT_PERSON_HEADS = words_of(
    """statement report newspaper paper website article suit lawsuit letter document
    motion survey study poll memo ruling verdict bill guidance research proposal plan
    draft manifesto advert advertisement poster leaflet campaign law legislation act
    treaty agreement contract figures data forecast review programme strategy policy
    guidelines regulations rules code judgment judgement decision resolution declaration
    communique notice filing complaint petition indictment papers documents"""
)
"""Heads of descriptions of things that speak (``the review``, ``the report``): never
"he" or "she"."""

PROXY_HEADS = NOT_PERSON_HEADS | words_of(
    """spokesman spokeswoman spokesperson official source aide representative agency
    company firm group body office ministry department government council committee
    union party club board court panel band team squad family couple duo trio crew
    cast jury audience crowd delegation"""
)
"""Heads of descriptions that speak for someone else or are no one, never one of the
people named: "the spokesman" is not the minister named in the sentence before, nor is
"the government proposal" the man who spoke last."""

ORGANISATION_HEADS = words_of(
    """company firm group carrier airline retailer bank insurer maker manufacturer
    operator broadcaster publisher supermarket chain club giant corporation conglomerate
    station network channel magazine newspaper ministry department regulator watchdog
    subsidiary studio label organisation organization committee board"""
)
"""Heads of ``the company``-like descriptions, which stand for an organisation named
before: the one that spoke last (a body's kind that is also the last word of its name,
``the alliance``, is read from :data:`BODY_NAMES` instead)."""

PREPOSITIONS = words_of("of for from at with in on to by about against than like")
SUBORDINATORS = words_of(
    """after before when whenever while since because although though until unless once
    whereas if as including"""
)
"""Words that open a subordinate clause or a list of examples: a name right after one is
not the subject of the sentence (``a year after Square was founded, McKelvey decided``;
``alumni such as Lisa Kudrow``)."""
OPENERS = SUBORDINATORS | words_of("shortly earlier later speaking asked having despite")
"""Words that open a clause or phrase set before a sentence's subject, with any "-ing"
word (see :func:`opens_clause`)."""


def opens_clause(word: str) -> bool:
    """True when a sentence whose first word is ``word`` opens with a clause or phrase set
    before its subject: ``As he arrived at the court, Mr Botin greeted``; ``Reacting to a
    comment by …, the American said``."""
    word = word.lower().rstrip(",")
    return word in OPENERS or word.endswith("ing")


WRITINGS = words_of(
    """statement letter message website blog book autobiography memoir memoirs column article
    e-mail email note tweet speech"""
)
"""What someone writes or delivers, whose words are theirs: ``Mr Crosby's statement``."""
AUTHORED = re.compile(
    r"(?:[Tt]he\s+)?((?:[A-Z][\w’'.-]*\s+){0,3}[A-Z][\w’'-]*)(?:'s|’s|'|’)\s+(?:\w+\s+)?"
    rf"(?:{'|'.join(sorted(map(re.escape, WRITINGS), key=len, reverse=True))})"
)
"""A description that is someone's writing: ``Mr Crosby's statement``."""
NATIONALITY_NOUNS = words_of(
    """scot scotsman scotswoman welshman welshwoman englishman englishwoman irishman
    irishwoman frenchman frenchwoman dutchman dutchwoman briton kiwi aussie argentine
    swede dane finn pole spaniard portuguese swiss czech slovak serb croat turk greek
    thai filipino"""
)
"""Nouns for a person by nationality that the demonym table (adjectives) lacks."""
AGE = re.compile(r"\d{1,3}-year-old")
PERSON_HEADS = PERSON_NOUNS | TRADES
"""Heads of descriptions that name a person by what they do or are (``the defender``,
``the actress``), not a body or a thing; not those who speak for others (``the
spokesman``) nor a word that is also a body's (``the executive``)."""


def plural(noun: str) -> bool:
    """A rough test for a plural noun (``leaders``, ``men``, not ``boss`` or ``status``)."""
    if noun.lower() in IRREGULAR_PLURALS:
        return True
    return noun.endswith("s") and not noun.endswith(("ss", "us", "is"))


IRREGULAR_PLURALS = words_of("men women people children police staff")


def possessive(word: str) -> bool:
    """True for a word in the possessive (``Party's``, ``players'``)."""
    return word.endswith(("'s", "’s", "s'", "s’"))


def core_of(words: list[str]) -> list[str]:
    """The words of a description that say what the speaker is: after the last
    possessive and before the first preposition (``Scottish National Party's
    parliamentary leader`` → ``parliamentary leader``; ``MP for Sittingbourne and
    Sheppey`` → ``MP``)."""
    start = max((i + 1 for i, w in enumerate(words) if possessive(w)), default=0)
    core = words[start:]
    if len(core) > 2 and core[-1][:1].islower() and core[-2][:1].isupper():
        return core  # "House of Commons authorities": a name, then the head
    for i, w in enumerate(core):
        if i > 0 and w.lower() in PREPOSITIONS:
            return core[:i]
    return core


INSTITUTION_HEADS = words_of(
    """Executive Office Commission Council Government Ministry Department Treasury
    Committee Parliament Assembly Party Agency Authority Association Federation Board
    Court Service Trust Institute Foundation Society League Union Congress Senate
    Commons Lords Cabinet Bureau Tribunal Inquiry"""
)
"""Last words of an institution's name, which a writer gives with "the" and capitals
(``The Scottish Executive said``) and the model may miss."""


ROLE_ACRONYMS = words_of("MEP MSP CEO CFO COO MD")
"""Acronyms that name a person's post, not an institution (two-letter ones, ``the DJ``,
``the MP``, are never taken for institutions)."""


def institution(words: list[str]) -> bool:
    """True for the capitalised name of an institution (``Scottish Executive``, ``Home
    Office``, ``US Congress``): every word capitalised, the last an institution's; or an
    acronym (``the RSPCA``, ``the IAAF``)."""
    if len(words) == 1 and len(words[0]) >= 3 and words[0].isupper() and words[0].isalpha():
        return words[0] not in ROLE_ACRONYMS
    return (
        1 <= len(words) <= 5
        and all(w[:1].isupper() for w in words)
        and words[-1] in INSTITUTION_HEADS
    )


def head_of(description: str) -> str:
    """The head noun of a description, lower case (``a spokesman for X`` → ``spokesman``)."""
    core = core_of(description.split())
    return core[-1].lower() if core else ""


BODY_NAMES = {
    head: re.compile(r"\b(?:[A-Z][\w’'&-]*\s+){1,4}" + head.capitalize() + r"\b")
    for head in words_of(
        """alliance association union society foundation institute commission agency
        authority council federation coalition trust league charity bank"""
    )
}
"""Heads of descriptions that stand for an organisation whose name ends in them
(``the alliance``), each with the pattern of such a name (``The Making Decisions
Alliance``): capitalised words before the head."""


DOCUMENTS = words_of("report study survey review paper analysis letter statement")
"""Documents whose words ``the report said`` gives, and whose author the text names."""
AUTHOR_BEFORE = re.compile(
    r"(?P<who>\b[\w’'&. -]{2,60}?)\s+(?:says|said|warns|warned|argues|argued|claims|"
    r"claimed)\s+in\s+(?:a|an|its|his|her|their|the)\s+(?:[\w-]+\s+){0,2}?(?P<doc>\w+)"
)
"""``Oxfam says in a report``: the author before the document."""
AUTHOR_AFTER = re.compile(
    r"\b(?:a|an|the)\s+(?:[\w-]+\s+){0,2}?(?P<doc>\w+)\s+(?:\w+\s+)?(?:by|from)\s+"
    r"(?P<who>(?:the\s+)?[\w’'&.-]+)"
)
"""``the report by the University and College Union``: the author after the document."""
