"""The full name a document gives a speaker it quotes by surname alone.

The small NER model often misses a first name: "Wing Christophe Dominici says …" is
tagged "Dominici" alone, "Founder Stelios Haji-Ioannou" likewise, and "Graeme Souness
believes …" at the start of a text is taken for an organisation. Quotes attributed
later to "Dominici" or "Mr Davies" then name only the surname. A reader takes the
first name from the text, and so does :func:`full_name`: the one capitalised word the
document writes right before the surname, when that word can be a first name.

A word can be a first name when it is written as one (``Christophe``, ``Sven-Goran``),
is no title (``Lord``, ``Justice``) or day, stands inside no name the model found
other than a person's or the pair itself (not "Fullness of Joy Church", "Stevenage
Labour Party", "American Dent"), and is never written in lower case in the document
("New Labour", "Group Menatep" and "Ten Cate" are left alone because the text also
writes "new", "group" and "ten"; first names that are words too, "Will Davies", are
listed). At the start of a sentence any word is capitalised, so a pair there names the person
only when the model took the pair as one name ("Graeme Souness", tagged ORG), and
otherwise only stands in the way of another. Two different first names before the same
surname ("Venus Williams", "Serena Williams") give none.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

from ..entities.people import RANKS
from .text import PARTICLES, TITLES, lower_case_words, words_of

NAME_WORD = re.compile(r"(?:Mc|Mac|O'|O’)?[A-Z][a-z]+(?:-[A-Z][a-z]+)?")
"""A word written as a name: ``Gescher``, ``Jeanne-Marie``, ``McConnell`` (not ``BBC``)."""

NOT_FIRST_NAMES = (
    TITLES
    | RANKS
    | words_of(
        """Don The A An And Of Monday Tuesday Wednesday Thursday Friday Saturday Sunday
        January February March April June July August September October November
        December"""
    )
)
"""Capitalised words before a surname that are never its first name (titles, days,
months; "May" and "Don" are names too, but rarely before a surname in the news)."""

NOT_NAME_TYPES = frozenset({"GPE", "NORP", "LOC", "DATE", "TIME", "EVENT", "LANGUAGE"})
"""Entity types whose words are not first names ("American Dent", "Milan" the city)."""

WORD_NAMES = words_of(
    """Will Mark Bill Grant Rob Frank Jack Guy Ray Dean Rose Hope Joy Pat Sue Gene Bob
    Chip Wade Miles Carol Faith Grace Heather Ivy Holly Dawn Amber Ruby Rusty Sandy Buck
    Cliff Glen Heath Lance Penny Nick Drew Chase Chuck Hunter Art Victor Earl Iris Lily
    Rich Bud Clay Dale Duke Gil Hank Herb Jay Kit Lee Max Norm Page Red Reed Rex Robin
    Roy Skip Stan Ted Tim Tom Val Vince Wes"""
)
"""First names that are English words too: the text writes "will" and "mark" in lower
case, yet "Will Davies" before a surname is a first name."""


def first_name_sex(name: str) -> str:
    """The pronoun a common English first name takes: "he" for ``John``, "she" for
    ``Ellen``, "" for any other word."""
    return "he" if name in _MALE_NAMES else "she" if name in _FEMALE_NAMES else ""


_MALE_NAMES = words_of(
    """John James Robert Michael William David Richard Joseph Thomas Charles Christopher
    Daniel Matthew Anthony Mark Donald Steven Paul Andrew Joshua Kenneth Kevin Brian
    George Timothy Ronald Edward Jason Jeffrey Ryan Jacob Gary Nicholas Eric Jonathan
    Stephen Larry Justin Scott Brandon Benjamin Samuel Gregory Frank Alexander Raymond
    Patrick Jack Dennis Jerry Tyler Aaron Henry Peter Adam Douglas Nathan Zachary Walter
    Kyle Harold Carl Jeremy Keith Roger Gerald Ethan Arthur Terry Christian Sean Lawrence
    Austin Joe Noah Jesse Albert Bryan Billy Bruce Willie Jordan Dylan Alan Ralph Gabriel
    Roy Juan Wayne Eugene Logan Randy Louis Russell Vincent Philip Bobby Johnny Bradley
    Tony Ian Simon Neil Graham Colin Nigel Gordon Alistair Tom Jim Bill Bob Mike Steve
    Dave Chris Nick Ben Sam Dan Matt Andy Rob Pete Phil Tim Greg Jeff Ken Ray Ted"""
)
"""Common English male first names: the sex of a person the text names without a title."""
_FEMALE_NAMES = words_of(
    """Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Lisa Nancy
    Betty Margaret Sandra Ashley Kimberly Emily Donna Michelle Carol Amanda Dorothy
    Melissa Deborah Stephanie Rebecca Sharon Laura Cynthia Kathleen Amy Angela Shirley
    Anna Brenda Pamela Emma Nicole Helen Samantha Katherine Christine Debra Rachel
    Carolyn Janet Catherine Maria Heather Diane Ruth Julie Olivia Joyce Virginia Victoria
    Kelly Lauren Christina Joan Evelyn Judith Megan Andrea Cheryl Hannah Jacqueline Martha
    Gloria Teresa Ann Sara Madison Frances Kathryn Janice Jean Abigail Alice Judy Sophia
    Grace Denise Amber Doris Marilyn Danielle Beverly Isabella Theresa Diana Natalie
    Brittany Charlotte Marie Kayla Alexis Lori Ellen Jane Claire Lucy Kate Sue Jo Anne
    Louise Fiona Gillian Alison Tessa Harriet Hilary Penny Jenny Liz"""
)
"""Common English female first names, likewise."""


_SENTENCE_END = '.!?\n"“”:;'


_INITIALS = r"(?:[A-Z]\.[A-Z]\.|[A-Z]{2})"
"""A first name written as two initials (``JK Rowling``, ``J.K. Rowling``)."""

_NICKNAME = r"(['‘\"“][A-Z][\w-]*['’\"”] )?"
"""A nickname in quotation marks between a first name and a surname (``Brian 'Head'
Welch``), left out of the full name; it shows the words before it are a first name."""


def full_name(
    text: str,
    surname: str,
    names: Iterable[tuple[int, int, str]],
) -> str | None:
    """The full name ``text`` writes for the person it calls ``surname``, or None.

    ``names`` are the document's entity mentions as (start, end, type). None unless the
    text puts exactly one first name before the surname (a nickname may stand between).
    """
    last = surname.split()
    if not NAME_WORD.fullmatch(last[-1]) or (len(last) > 1 and last[0].lower() not in PARTICLES):
        return None
    spans = sorted(names)
    found: set[str] = set()
    rivals: set[str] = set()
    pattern = re.compile(
        rf"(?<![\w'’-])({NAME_WORD.pattern}|{_INITIALS}) {_NICKNAME}{re.escape(surname)}(?![\w-])"
    )
    matches = list(pattern.finditer(text))
    for m in matches:
        word = m.group(1)
        if word in NOT_FIRST_NAMES or word in found:
            continue
        if re.fullmatch(_INITIALS, word) is not None:
            # "JK Rowling's", whatever the model made of it; not "the UK. Microsoft",
            # "MP Howard" or "the US Pew Research Center", whose capitals the text also
            # writes on their own or inside a longer name
            alone = len(re.findall(rf"\b{re.escape(word)}(?!\w)", text))
            other = any(
                label != "PERSON"
                and (text[s:e] == word or (s <= m.start(1) and " " in text[m.end() : e]))
                for s, e, label in spans
            )
            standing: bool | None = True if alone == len(matches) and not other else None
        else:
            standing = _standing(text, m.start(1), m.end(), spans)
        if standing is None:
            continue
        standing = standing or m.group(2) is not None  # a nickname says it is a name
        if word.lower() in lower_case_words(text) and word not in WORD_NAMES:
            continue
        (found if standing else rivals).add(word)
    if len(found) != 1 or not rivals <= found:
        return None
    return f"{found.pop()} {surname}"


def _standing(text: str, start: int, end: int, spans: list[tuple[int, int, str]]) -> bool | None:
    """Whether the word at ``start`` (before a surname ending at ``end``) is a first name
    by where it stands and what the model made of it: True, None when it cannot be one,
    False when it may be (the first word of a sentence, which is capitalised anyway:
    "Venus Williams beat Serena Williams" makes "Williams" ambiguous, not Serena)."""
    pair_is_a_name = False
    for s, e, label in spans:
        if s > start:
            break
        if e <= start:
            continue
        if s == start and e == end and label not in NOT_NAME_TYPES:
            pair_is_a_name = True  # the model took the pair as one name
        elif label != "PERSON":  # "the Fullness of Joy Church", "Stevenage Labour Party"
            return None
    before = text[max(0, start - 3) : start].rstrip(" ")
    # a quote ending in a comma goes on with its tag: '…commons," Will Davies said'
    at_sentence_start = not before or (before[-1] in _SENTENCE_END and before[-2:-1] != ",")
    return pair_is_a_name or not at_sentence_start


def _in_longer_name(text: str, start: int) -> bool:
    """True when the word at ``start`` follows a title, a particle or a capitalised word
    inside its sentence (``Mr Deats``, ``de Vabres``, ``Supt Deats``; not ``Once Fetter
    arrived``, whose "Once" only opens the sentence)."""
    m = re.search(r"(\S+)(\s+)$", text[max(0, start - 40) : start])
    if m is None or not m.group(1)[-1:].isalpha():
        return False
    word = m.group(1)
    if word in TITLES or word in PARTICLES:
        return True
    if not word[:1].isupper():
        return False
    opening = start - len(m.group()) - 1
    while opening >= 0 and text[opening] in " \t":
        opening -= 1
    return not (opening < 0 or text[opening] in '.!?\n"“”:')


def surname_mentions(
    text: str, spans: Iterable[tuple[int, int, str]]
) -> list[tuple[int, int, str]]:
    """PERSON spans for the bare surnames the model missed (``Ellen Fetter`` …
    ``Fetter, for her part, continued``): a word that is the surname of a full name the
    model found, outside every span it found, after no title, particle or other
    capitalised word, never written in lower case in the text (not "Young" where the
    text also writes "young") and in no other kind of name (not "United" where the
    model also found "Manchester United")."""
    spans = sorted(spans)
    surnames = {
        parts[-1]
        for s, e, label in spans
        if label == "PERSON"
        and len(parts := text[s:e].split()) > 1
        and NAME_WORD.fullmatch(parts[-1])
        and parts[-1] not in NOT_FIRST_NAMES
    }
    if not surnames:
        return []
    lower = lower_case_words(text)
    other = {w for s, e, label in spans if label != "PERSON" for w in text[s:e].split()}
    surnames = {w for w in surnames if w.lower() not in lower and w not in other}
    out: list[tuple[int, int, str]] = []
    starts = [s for s, _, _ in spans]
    for m in re.finditer(r"\b[A-Z][\w-]+\b", text):
        if m.group() not in surnames:
            continue
        i = bisect.bisect_right(starts, m.start()) - 1
        if i >= 0 and spans[i][1] > m.start():
            continue  # inside a name the model found
        if i + 1 < len(spans) and spans[i + 1][0] < m.end():
            continue
        if _in_longer_name(text, m.start()):
            continue  # "Mr de Vabres", "Chief Supt Deats": the speaker rules read those
        out.append((m.start(), m.end(), "PERSON"))
    return out
