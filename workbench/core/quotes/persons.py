"""People the small NER model labels as something else, and words it takes into a name.

The quote rules find speakers among the model's PERSON spans, and the small model often
labels a person's name as an organisation, above all in American news style:

- a word that is the surname of a person the model found (``Jim McKelvey``) is that
  person wherever the text writes it alone, whatever label the model gives it there
  (``McKelvey founded the company``, tagged ORG). One name means one thing in an
  article, unless the text writes the word in lower case or inside another kind of name
  (not ``Dell`` where the model also found ``Dell Inc``);
- a name of two or three words that the model took for something else is a person's
  when the text describes it as one: a job right before it (``tomato farmer Lana
  Boatwright``), or an apposition after it (``Binyah Kesselly, chairman of …``,
  ``…, who …``, ``…, 45,``), or a common first name opening it that does not end in a
  word of places or bodies (``Gregory Ioannidis``, not ``George Mason University``);
- a person's name that opens a sentence with a word the text also writes in lower case
  (``Farmer Chad Smith said``) starts after that word;
- a person's name that runs across a line break (a heading and the sentence after it)
  names nobody and is left out.

:func:`person_spans` returns the model's spans with these changes; nothing else moves.
"""

from __future__ import annotations

import re

from ..entities.normalise import name_only, opens_sentence
from ..entities.people import one_of, trade_before_name
from ..entities.resolve import NAME_SUFFIXES
from .descriptions import ORGANISATION_HEADS
from .fullnames import NAME_WORD, NOT_FIRST_NAMES, WORD_NAMES, first_name_sex
from .speakers import JOBS
from .text import PARTICLES, TITLES, lower_case_words, words_of

_KEPT = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "ORDINAL", "QUANTITY", "PERSON"})
"""Labels never changed to PERSON: numbers, dates and persons already."""
_APPOSITION = re.compile(r",\s+([^,.;:!?()]{1,80})")
"""The words set off by a comma after a name, up to the next punctuation."""
_APPOSITION_WORDS = 6
"""Words of an apposition read for a job (``, the grandson of FDR``)."""
_JOB_BEFORE = re.compile(r"(?<![\w-])([a-z][\w-]*)\s+$")


def _name_words(name: str) -> list[str] | None:
    """The words of ``name`` when each is written as a name, or is a particle inside it
    (``Rodrigo de Rato``), else None."""
    parts = [w for w in name.split() if w not in NAME_SUFFIXES]
    if not parts or not all(
        NAME_WORD.fullmatch(w) or (0 < i < len(parts) - 1 and w in PARTICLES)
        for i, w in enumerate(parts)
    ):
        return None
    return parts


def described_as_person(text: str, start: int, end: int) -> bool:
    """True when a job stands right before the name at ``[start, end)``, or its
    apposition opens with "who" or an age, or names a job in its first words."""
    before = _JOB_BEFORE.search(text, max(0, start - 40), start)
    if before is not None and is_job(before.group(1)):
        return True
    after = _APPOSITION.match(text, end)
    if after is None:
        return False
    words = after.group(1).split()[:_APPOSITION_WORDS]
    if not words:
        return False
    if words[0] in ("who", "aged") or words[0].isdigit():
        return True
    return any(is_job(w) for w in words)


def _given_name_first(words: list[str]) -> bool:
    """True for a name that opens with a common first name and does not end in a word
    of places or bodies (``Gregory Lamboley``, not ``George Mason University``)."""
    return bool(first_name_sex(words[0])) and words[-1].lower() not in _PLACE_AND_BODY_WORDS


_PLACE_AND_BODY_WORDS = words_of(
    """street st avenue road lane drive square park hill hills place bridge station
    airport stadium arena hall house centre center court tower building university
    college school academy institute foundation trust fund society association lecture
    award awards prize cup trophy brothers company group bank hospital church museum
    gallery theatre theater library records"""
)
"""Last words of names of places and bodies that open with a first name."""


def is_job(word: str) -> bool:
    """True for a word of :data:`~.speakers.JOBS`, or its plural."""
    return one_of(word, JOBS)


_BODY_BEFORE = re.compile(
    rf"\b(?:{'|'.join(sorted(ORGANISATION_HEADS - words_of('maker publisher')))})\s+$"
)
"""A kind of body right before a name: the model's PERSON there is an organisation
(``oil giant Yukos``); not "maker" or "publisher", which may be people's trades."""


def person_spans(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """``spans`` (start, end, label) with the names of people the model labelled as
    something else labelled PERSON, sentence-opening words left out of names (a word
    the text writes in lower case, a trade: ``Keeper Tony Bullock``), a PERSON after a
    kind of body (``oil giant Yukos``) labelled ORG, a person's party, nationality and
    honours left out (``Tory Liam Fox``), and persons' names across a line break left
    out."""
    lower = lower_case_words(text)
    out: list[tuple[int, int, str]] = []
    for s, e, label in spans:
        name = text[s:e]
        if label == "PERSON" and "\n" in name:
            continue  # run across a heading ("Larry’s Rules For Management\n\nGoogle")
        if label == "PERSON":
            s, e = name_only(text, s, e)  # "Tory Liam Fox", "Philippe Sands QC"
            name = text[s:e]
        parts = name.split()
        if label == "PERSON" and len(parts) > 1 and opens_sentence(text, s):
            first = parts[0]
            if trade_before_name(first) or (
                first.lower() in lower and first not in WORD_NAMES | TITLES | NOT_FIRST_NAMES
            ):
                s = text.index(parts[1], s + len(first))
        elif label not in _KEPT and 1 < len(parts) < 4:
            words = _name_words(name)
            if (
                words is not None
                and words[0] not in NOT_FIRST_NAMES
                and not any(w.lower() in lower for w in words if w not in PARTICLES)
                and (described_as_person(text, s, e) or _given_name_first(words))
            ):
                label = "PERSON"
        if label == "PERSON" and _BODY_BEFORE.search(text, max(0, s - 30), s):
            label = "ORG"  # "network monitoring company Sandvine", "oil giant Yukos"
        out.append((s, e, label))
    surnames: set[str] = set()
    for s, e, label in out:
        if label == "PERSON" and (words := _name_words(text[s:e])) and len(words) > 1:
            surnames.add(words[-1])
    other = {  # words of other kinds of names ("Dell Inc"), not of a list ("Jobs, Page")
        w
        for s, e, label in out
        if label != "PERSON" and len(text[s:e].split()) > 1 and "," not in text[s:e]
        for w in text[s:e].split()
    }
    surnames -= other
    return [
        (s, e, "PERSON")
        if label not in _KEPT and text[s:e] in surnames and text[s:e].lower() not in lower
        else (s, e, label)
        for s, e, label in out
    ]
