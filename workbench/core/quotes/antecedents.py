"""Whose words a pronoun, a description or an untagged quotation points to.

Reading in order, every attributed quotation and every narrated speech act
(``Mr Wilson had said that …``) leaves a *speech event*: where it was and who spoke
(a name in the text, or an unnamed description). Then:

- ``he``/``she`` is the speaker of the latest speech event within :data:`WINDOW`, else
  the nearest earlier PERSON name; ``it`` is the latest speaker that is not a person;
  ``they``, ``we`` and ``I`` stay unattributed;
- a description (``the Tory co-chairman``) is the person it introduced earlier
  (``Tory co-chairman Liam Fox``, ``Liam Fox, the Tory co-chairman``), or the unnamed
  speaker of a recent event with the same head word (``a spokesman …`` … ``the
  spokesman``), else it stays a description;
- a quotation with no tag continues the latest speech event in its paragraph or the one
  before.

An unnamed speaker is carried along as unnamed: a pronoun that points to "a spokesman"
is a spokesman, never the nearest name.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .cues import CUE, is_cue
from .descriptions import (
    AGE,
    AUTHOR_AFTER,
    AUTHOR_BEFORE,
    AUTHORED,
    BODY_NAMES,
    DOCUMENTS,
    NATIONALITY_NOUNS,
    NOT_PERSON_HEADS,
    ORGANISATION_HEADS,
    PREPOSITIONS,
    PROXY_HEADS,
    SUBORDINATORS,
    core_of,
    head_of,
    institution,
    plural,
    possessive,
)
from .fullnames import WORD_NAMES, first_name_sex
from .marks import MARK_CHARS
from .model import Span
from .speakers import (
    COLLECTIVE_NOUNS,
    NAME_FORM,
    NOT_NAMES,
    PRONOUN_FORM,
    ROLE_FORM,
    SpeakerWords,
    speaker_after,
)
from .text import (
    TITLES,
    Name,
    Names,
    lower_case_words,
    paragraph_end,
    paragraph_start,
    previous_paragraph_start,
    sentence_end,
    sentence_start,
    words_of,
)

WINDOW = 1500
"""Characters looked back for the speaker a pronoun or a continuation refers to."""
CONTINUATION_PARAGRAPHS = 1
"""An untagged quotation continues a speech event at most this many paragraphs back."""
_LATER_CLAUSE = re.compile(r"(?:,\s*|\s)(?:but|while|whereas)\s+|;\s*")
"""Where a clause with a subject of its own starts, after a speaker spoke."""
_THEN_CUE = re.compile(
    r"(?:,[^,]{0,80},)?\s+(?:(?:has|have|had|is|was|also|then|later|once|has also)\s+){0,2}"
    + CUE.pattern
)
"""A cue verb after a subject, across an apposition and auxiliaries."""
ROLE_LOOK_BACK = 10_000
"""Characters looked back for the name a description introduced."""
MAX_ROLE_MATCHES = 20
"""Earlier uses of a description checked for the name it introduced (nearest first)."""
ROLE_LABEL = "ROLE"
"""The label of a speech event whose speaker is unnamed (a description)."""
_ARTICLES = words_of("the a an")
_QUALIFIERS = words_of("shadow former deputy vice ex assistant acting junior under co")
_FEMALE_TITLES = words_of("mrs ms miss lady dame")
_MALE_TITLES = frozenset(["mr", "sir", "lord"])


@dataclass(frozen=True)
class Event:
    """A speech act at ``pos``: the name that spoke (or None) and its description."""

    pos: int
    source: Span | None
    label: str
    description: str = ""


@dataclass(frozen=True)
class Resolution:
    """The name a speaker's words resolve to (None: unnamed) and how."""

    source: Span | None
    attribution: str
    description: str = ""


def source_of(text: str, who: SpeakerWords, names: Names) -> tuple[Span, str]:
    """The span to look an entity up by, for a speaker named by name, and its NER label."""
    name = who.name or names.at(who.span.start, who.span.end)
    if name is not None and who.span.start <= name.start and name.end <= who.span.end:
        return Span(name.start, name.end, text[name.start : name.end]), name.label
    return who.span, "PERSON"


_TITLED = re.compile(
    r"\b(Mr|Mrs|Ms|Miss|Sir|Lord|Lady|Dame)\.?\s+(?:[A-Z][\w’'-]+\s+)?([A-Z][\w’'-]+)"
)


def _sexes(text: str, names: Names) -> dict[str, str]:
    """Surname -> "he" or "she", from the titles the text gives (``Mr Kennedy``, ``Ms
    Hodge``), else from a common first name before the surname in a full name the model
    found (``John Gille``, ``Ellen Fetter``); a surname given both is left out."""
    found: dict[str, set[str]] = {}
    for m in _TITLED.finditer(text):
        found.setdefault(m.group(2), set()).add(_gender(m.group(1)))
    by_first: dict[str, set[str]] = {}
    for n in names.items:
        parts = text[n.start : n.end].split()
        if n.label != "PERSON" or len(parts) < 2 or parts[-1] in found:
            continue
        by_first.setdefault(parts[-1], set()).add(first_name_sex(parts[0]))
    found.update(by_first)
    return {name: next(iter(s)) for name, s in found.items() if len(s) == 1 and "" not in s}


def _gender(words: str | None) -> str:
    first = words.split()[0].lower().rstrip(".") if words and words.split() else ""
    if first in _FEMALE_TITLES:
        return "she"
    if first in _MALE_TITLES:
        return "he"
    return ""


@dataclass(frozen=True)
class _Use:
    """Where a description is used in the text."""

    begin: int
    finish: int

    def start(self) -> int:
        return self.begin

    def end(self) -> int:
        return self.finish


_PARTITIVE = words_of("one another some many most several few each neither none two three four")
"""Words that open a description of someone in a group (``one of her colleagues``)."""


_ASIDE_TAG = re.compile(r"[,”\"] (?:he|she) \w+\s*[,.]")
"""A pronoun's tag set off after a clause or a quotation: ", he claimed," ", she said.",
'"completely ridiculous," he said, and "totally unprofessional."'."""


def _without_the(name: str) -> str:
    return re.sub(r"^[Tt]he\s+", "", name)


def _named(words: list[str]) -> bool:
    """True when a description's modifiers name a place, people or team (``French``)."""
    return any(w[:1].isupper() for w in words)


class Antecedents:
    """The speech events of one text so far, read in order, and the look-ups on them."""

    def __init__(self, text: str, names: Names) -> None:
        self.text = text
        self.lower = text.lower()
        self.names = names
        self.events: list[Event] = []
        self.positions: list[int] = []
        self.quoted: list[tuple[int, int]] = []
        self.quoted_starts: list[int] = []
        self.person_surnames = {
            text[n.start : n.end].split()[-1]
            for n in names.items
            if n.label == "PERSON" and text[n.start : n.end].split()
        }
        self.full_names: dict[str, set[str]] = {}
        """Surname -> the names of two words or more the model calls a PERSON with it
        (``Jackson``: Katherine Jackson, Michael Jackson, Mr Jackson)."""
        for n in names.items:
            parts = text[n.start : n.end].split()
            if n.label == "PERSON" and len(parts) > 1:
                self.full_names.setdefault(parts[-1], set()).add(" ".join(parts))
        self.by_spelling = {text[n.start : n.end].lower(): n for n in names.items}
        self.person_mentions: dict[str, int] = {}
        for n in names.items:
            if n.label == "PERSON":
                spelling = text[n.start : n.end].strip()
                self.person_mentions[spelling] = self.person_mentions.get(spelling, 0) + 1
        self.sex = _sexes(text, names)
        self.described: dict[str, Span] = {}
        """The person each definite description was found to mean, by its head (``the
        South African archbishop`` … ``the archbishop``)."""
        self.nationalities = {
            text[n.start : n.end].lower() for n in names.items if n.label == "NORP"
        }

    def add(self, event: Event) -> None:
        """Add a speech event; events come in the order of the text."""
        i = bisect.bisect_right(self.positions, event.pos)
        self.positions.insert(i, event.pos)
        self.events.insert(i, event)

    def add_quoted(self, start: int, end: int) -> None:
        """Mark quoted words: a name inside a quotation is not an earlier speaker."""
        i = bisect.bisect_right(self.quoted_starts, start)
        self.quoted_starts.insert(i, start)
        self.quoted.insert(i, (start, end))

    def _recent(self, pos: int, floor: int) -> list[Event]:
        """Events from ``floor`` up to ``pos``, latest first."""
        hi = bisect.bisect_left(self.positions, pos)
        lo = bisect.bisect_left(self.positions, floor)
        return self.events[lo:hi][::-1]

    def pronoun(self, who: SpeakerWords, pos: int) -> Resolution:
        """The speaker ``he``, ``she`` or ``it`` at ``pos`` refers to (see :meth:`_person`)."""
        word = who.span.text.lower()
        if word in ("he", "she"):
            found = self._person(pos, who.span.start, word, nearest=True)
            if found is not None:
                return Resolution(found[0], PRONOUN_FORM, found[1])
        elif word == "it":
            # only a speaker that is not a person, and that spoke in this sentence or
            # the one before ("Deutsche Boerse said … "…," it said")
            previous = self._sentence_before(sentence_start(self.text, min(pos, who.span.start)))
            for e in self._recent(pos, max(0, pos - WINDOW)):
                # "Mr Crosby's statement said: … It added": a person's writing is an "it"
                written = AUTHORED.fullmatch(e.description) is not None or possessive(e.description)
                if (e.label != "PERSON" or written) and previous is not None and e.pos >= previous:
                    return Resolution(e.source, PRONOUN_FORM, e.description)
        return Resolution(None, PRONOUN_FORM, who.span.text)

    def _person(
        self, pos: int, at: int, word: str, nearest: bool
    ) -> tuple[Span | None, str] | None:
        """Who ``he``/``she`` (or "the 31-year-old") at ``at``, in a quote at ``pos``, is.

        In order: the subject of its own sentence when a name opens it before the
        pronoun; then, sentence by sentence back (at most three), the latest speaker
        when they spoke there, else the name that opens that sentence (a sentence opened
        by the same pronoun sends the search one sentence further back); then the latest
        speaker; then (with ``nearest``) the first person named in the sentence before,
        and the nearest person named earlier. Returns (name or None, description).
        """
        floor = max(0, pos - WINDOW)
        latest = next(
            (
                e
                for e in self._recent(pos, floor)
                if (e.label in ("PERSON", ROLE_LABEL) or self.named_person(e.source))
                and (not word or self._agrees(e.source, e.description, word))
            ),
            None,
        )
        sentence = sentence_start(self.text, min(pos, at))
        # a pronoun in the writer's sentence, before the quote, unless a tag set off after
        # the clause ("Mr Blair has failed to tackle these problems, he claimed, …")
        aside = _ASIDE_TAG.match(self.text, max(0, at - 2)) is not None
        if at < pos and word and not aside:
            own = self._agreeing(self._subject(sentence, at), word)
            if own is not None:
                return own, ""
        walk = sentence
        for _ in range(3):
            previous = self._sentence_before(walk)
            if previous is None:
                break
            if latest is not None and self._reaches(latest.pos, previous):
                later = self._later_subject(latest, walk, word)
                if later is not None:
                    return later, ""
                return latest.source, latest.description
            subject = self._subject(previous, walk)
            named = self._agreeing(subject, word)
            if named is not None and (
                nearest or self._speaks(subject, walk) or self._is_person(named)
            ):
                return named, ""
            if subject is None and self._group_opens(previous, walk):
                walk = previous  # "Police are still searching …": not who "she" is
                continue
            described = self._described(previous, walk, word) if nearest else None
            if described is not None:  # "The Australian has suffered … ," he said
                return described, ""
            if subject is None or subject.span.text.lower() != word:
                person = self._nearest_person(walk, previous, word, first=True)
                if person is not None and self._aside(person, word, previous):
                    walk = previous  # "But when she turned up at the Groundlings, with
                    continue  # alumni such as Lisa Kudrow, …": "she" is still who she was
                if person is not None and nearest:
                    return person, ""
                break
            walk = previous
        if not nearest:  # a description names only who spoke or opened the sentences before
            return None
        if latest is not None:
            return latest.source, latest.description
        person = self._nearest_person(min(pos, at), floor, word)  # named before "he"
        return (person, "") if person is not None else None

    def _aside(self, person: Span, word: str, start: int) -> bool:
        """True when ``person``, in the sentence from ``start``, is named after the pronoun
        ``word`` (he or she) and, between the two, a word that opens a clause or a list of
        examples (``But when she turned up at the Groundlings, with alumni such as Lisa
        Kudrow, Conan O'Brien …``): the pronoun still means who it meant, not them."""
        if word not in ("he", "she"):
            return False
        pronoun = re.search(rf"\b{word}\b", self.text[start : person.start], re.IGNORECASE)
        if pronoun is None:
            return False
        between = self.text[start + pronoun.end() : person.start].lower().split()
        return any(w.strip(",") in SUBORDINATORS for w in between)

    def _described(self, start: int, end: int, word: str) -> Span | None:
        """The person a definite description opening the sentence ``[start, end)`` refers
        to (``The 28-year-old suffered …``), when :meth:`role` finds one that ``word``
        (he/she) agrees with."""
        who = speaker_after(self.text, self.names, start, end)
        if who is None or who.form != ROLE_FORM or who.span.start - start > 40:
            return None
        if who.span.text.split()[0].lower() != "the":
            return None
        found = self.role(who, who.span.start).source
        if found is None or self.label_of(found) != "PERSON":
            return None
        return found if self._agrees(found, "", word) else None

    def _is_person(self, name: Span) -> bool:
        """True when the model calls ``name`` a PERSON where it stands."""
        n = self.names.at(name.start, name.end)
        return n is not None and n.label == "PERSON"

    def _group_opens(self, start: int, end: int) -> bool:
        """True when a group opens the sentence ``[start, end)`` (``Police``, ``they``,
        ``Ministers``): its subject cannot be one person."""
        who = speaker_after(self.text, self.names, start, end)
        if who is None or who.span.start - start > 40:
            return False
        if who.form == PRONOUN_FORM:
            return who.span.text.lower() in ("they", "we")
        head = head_of(who.span.text)
        return who.form == ROLE_FORM and (plural(head) or head in COLLECTIVE_NOUNS)

    def _speaks(self, who: SpeakerWords | None, end: int) -> bool:
        """True when a cue verb follows the subject ``who`` (``Ferguson believes …``)."""
        if who is None:
            return False
        m = _THEN_CUE.match(self.text, who.span.end, end)
        return m is not None

    def _agreeing(self, who: SpeakerWords | None, word: str) -> Span | None:
        """The name ``who`` gives, if it is a name that ``word`` (he/she) can refer to."""
        if who is None or who.form != NAME_FORM:
            return None
        name = self._name_of(who)
        return name if self._agrees(name, who.span.text, word) else None

    def _later_subject(self, latest: Event, end: int, word: str) -> Span | None:
        """A person who opens a clause after the latest speaker spoke, in the same
        sentence (``Hewitt said …, but Geoff Pollard rejected his comments``): the
        pronoun that follows is more likely theirs."""
        found = None
        for m in _LATER_CLAUSE.finditer(self.text, latest.pos, end):
            found = self._agreeing(self._subject(m.end(), end), word)
        if found is None or (latest.source is not None and found.text == latest.source.text):
            return None
        n = self.names.at(found.start, found.end)
        person = n is not None and n.label == "PERSON"
        return found if person or self.named_person(found) else None

    def _sentence_before(self, start: int) -> int | None:
        """Start of the sentence before the one at ``start``; a sentence inside a quote
        counts as the sentence that holds the quote."""
        j = start - 1
        while j >= 0 and (self.text[j].isspace() or self.text[j] in MARK_CHARS):
            j -= 1
        if j < 0:
            return None
        quote = self._quote_from(j)
        if quote is not None and j <= quote[1]:
            j = max(0, quote[0] - 2)
        return sentence_start(self.text, j)

    def _name_of(self, who: SpeakerWords) -> Span:
        return source_of(self.text, who, self.names)[0]

    def _subject(self, start: int, end: int) -> SpeakerWords | None:
        """The name or pronoun that opens the sentence ``[start, end)`` (its likely
        subject), if any. A name the model did not take for a person counts when a person
        of the text has it as surname (``Swank``)."""
        if start >= end:
            return None
        who = speaker_after(self.text, self.names, start, end)
        if who is None or who.form == ROLE_FORM or who.span.start - start > 40:
            return None
        if who.form == NAME_FORM:
            source, label = source_of(self.text, who, self.names)
            person = label == "PERSON" or self.named_person(source)
            if not person and not self._is_surname(who.span.text):
                return None
            if who.name is None and self._capitalised_word(source, end):
                return None  # "Traditionally schools have …": a capitalised word, no name
            n = self.names.at(source.start, source.end)
            if n is not None and not self._looks_like_a_person(n):
                return None
        return who

    def named_person(self, source: Span | None) -> bool:
        """True when the model calls the name of ``source`` a PERSON somewhere in the text
        (it often calls the same name a PERSON once and an ORG the next time)."""
        words = source.text.split() if source is not None else []
        return bool(words) and words[-1] in self.person_surnames

    def _agrees(self, source: Span | None, words: str | None, word: str) -> bool:
        """False when ``he``/``she`` (``word``) cannot be this person: the title before
        the name, or one the text gives the same surname (``Ms Brankin``), says otherwise;
        or a description of many (``the two newspapers``) or of a thing or body (``the
        review``)."""
        if not word:
            return True
        if source is None and words:
            head = head_of(words)
            if plural(head) or head in COLLECTIVE_NOUNS or head in ("they", "we", "it"):
                return False
            if head in NOT_PERSON_HEADS and not _gender(words):
                return False  # "the Tomlinson review, which recommended"
        sex = _gender(words)
        parts = source.text.split() if source is not None else []
        if not sex and len(parts) > 1:  # "John Gille", not his daughter Sarah Gille
            sex = first_name_sex(parts[0])
        if not sex and parts and len(self._untitled_full_names(parts[-1])) <= 1:
            # "Mr Jackson" says nothing of Katherine Jackson where Michael Jackson is named
            sex = self.sex.get(parts[-1], "")
        return sex in ("", word)

    def _sex_of(self, source: Span, title: str) -> str:
        """ "he" or "she" when the text tells which ``source`` is: by the title before it,
        its first name, or the titles and first names the text gives its surname."""
        parts = source.text.split()
        sex = _gender(title) or (first_name_sex(parts[0]) if len(parts) > 1 else "")
        if not sex and parts and len(self._untitled_full_names(parts[-1])) <= 1:
            sex = self.sex.get(parts[-1], "")
        return sex

    def _is_surname(self, word: str) -> bool:
        """True when ``word`` is the surname of a full name the model calls a PERSON."""
        return word in self.full_names

    def _untitled_full_names(self, surname: str) -> list[str]:
        """The full names with ``surname`` that open with a given name, not a title."""
        return [
            f for f in self.full_names.get(surname, ()) if f.split()[0].rstrip(".") not in TITLES
        ]

    def _nearest_person(
        self, pos: int, floor: int, word: str, first: bool = False, full: bool = False
    ) -> Span | None:
        """The nearest (or with ``first``, the first) PERSON named between ``floor`` and
        ``pos`` as a possible subject: not quoted, not after a preposition (``working
        with Hill``), not of the wrong sex; with ``full``, named in full. A name right
        after a word that opens a subordinate clause (``after Square was founded,
        McKelvey decided``) is taken only when no other name qualifies."""
        found = self.names.before(pos, floor)
        subordinate: Span | None = None
        oblique: Span | None = None
        for n in reversed(found) if first else found:
            if n.label != "PERSON" or self._is_quoted(n) or not self._looks_like_a_person(n):
                continue
            if full and len(self.text[n.start : n.end].split()) < 2:
                continue
            before = self.text[max(0, n.start - 16) : n.start].split()
            title = before[-1] if before else ""
            if not self._agrees(self._span_of(n), title, word):
                continue
            possessed = self.text[n.end : n.end + 2] in ("'s", "’s")
            if (title.lower() in PREPOSITIONS) or possessed:
                # "echoed by Christine Rush", "1Xtra's G Money": no subject; taken only
                # when no other name qualifies and the text says they are a "he" or "she"
                if oblique is None and word and self._sex_of(self._span_of(n), title) == word:
                    oblique = self._span_of(n)
                continue
            if title.lower() in SUBORDINATORS:
                subordinate = subordinate or self._span_of(n)
                continue
            return self._span_of(n)
        return subordinate or oblique

    def _looks_like_a_person(self, n: Name) -> bool:
        """False for what the model may call a person but no person's name is: words in
        lower case ("unbeaten league run"), a sentence's opening word ("Otherwise"), a
        name after "the" ("the Gunners")."""
        words = self.text[n.start : n.end].split()
        if not words or not words[0][:1].isupper() or (len(words) == 1 and words[0] in NOT_NAMES):
            return False
        if words[-1].endswith(("'s", "’s")):  # "It's", "Ali G's"
            return False
        if len(words) == 1 and self._lone_opener(n):
            return False  # "Traditionally schools have …": the model's person, no one's name
        before = self.text[max(0, n.start - 5) : n.start].split()
        return not before or before[-1].lower() != "the"

    def _capitalised_word(self, source: Span, end: int) -> bool:
        """True for one word the model did not call a name that reads as an ordinary word
        with a capital: a word the text also writes in lower case (``Computer specialist
        …``, ``Opinion has been divided``), an adverb in -ly before a word that is no cue
        (``Traditionally schools``, ``Already there``), or a hyphened word with a
        lower-case part (``Anti-spam``)."""
        words = source.text.split()
        if len(words) != 1:
            return False
        word = words[0]
        if "-" in word and any(part[:1].islower() for part in word.split("-")):
            return True
        if word.lower() in lower_case_words(self.text) and word not in WORD_NAMES:
            # "Computer specialist …", "Other witnesses …": the text writes it lower case
            return True
        after = self.text[source.end : end].split()[:1]
        return (
            word.endswith("ly") and bool(after) and after[0][:1].islower() and not is_cue(after[0])
        )

    def _lone_opener(self, n: Name) -> bool:
        """True for a one-word name that opens its sentence and that nothing else in the
        text confirms as a person: no full name has it as surname, and the model calls
        it a person only there."""
        word = self.text[n.start : n.end].strip()
        if self._is_surname(word) or self.person_mentions.get(word, 0) > 1:
            return False
        return sentence_start(self.text, n.start) == n.start

    def _reaches(self, pos: int, start: int) -> bool:
        """True when the speech event at ``pos`` lies at or after ``start``, or is a
        quotation that runs on past it (its tag is later: '"… richer. This scandal must
        stop," Oxfam's Barbara Stocking said.')."""
        if pos >= start:
            return True
        quote = self._quote_from(pos)
        return quote is not None and quote[0] == pos and quote[1] >= start

    def _is_quoted(self, n: Name) -> bool:
        quote = self._quote_from(n.start)
        return quote is not None and n.end <= quote[1]

    def _quote_from(self, pos: int) -> tuple[int, int] | None:
        """The latest quotation that opens at or before ``pos`` (start, end), if any."""
        i = bisect.bisect_right(self.quoted_starts, pos) - 1
        return self.quoted[i] if i >= 0 else None

    def role(self, who: SpeakerWords, pos: int) -> Resolution:
        """The person a description at ``pos`` refers to, or the description itself."""
        words = who.span.text.split()
        determiner = words[0].lower() if words else ""
        if len(words) > 2 and words[1] == "of" and determiner in _PARTITIVE:
            # "one of her male colleagues": someone of a group, not who "one" was before
            return Resolution(None, ROLE_FORM, who.span.text)
        if determiner in ("the", "a", "an", "his", "her", "their", "its"):
            words = words[1:]
        named = self._named_description(who, words, determiner)
        if named is not None:
            return Resolution(named, ROLE_FORM)
        author = self._author(who) or self._document_author(words, determiner, pos)
        if author is not None:  # "Mr Crosby's statement said": his words
            return Resolution(author, ROLE_FORM)
        if self._ends_with_name(words):  # "the 28-year-old Morientes"
            start = who.span.end - len(words[-1])
            return Resolution(Span(start, who.span.end, words[-1]), ROLE_FORM)
        core = core_of(words)
        introduced = None
        for phrase in dict.fromkeys((" ".join(words), " ".join(core))):
            introduced = introduced or (self._introduced(phrase, pos) if phrase else None)
        if introduced is None and determiner == "the" and len(core) > 1 and _named(core[:-1]):
            # "the French coach" … "France coach Bernard Laporte" (not "the two-time
            # champion" … "Olympic champion Kenenisa Bekele")
            introduced = self._introduced(core[-1], pos, named_modifier=True)
        if introduced is not None:
            return Resolution(introduced, ROLE_FORM)
        head = core[-1].lower() if core else ""
        for e in self._recent(pos, max(0, pos - WINDOW)):
            if e.source is None and e.description and head_of(e.description) == head:
                return Resolution(None, ROLE_FORM, e.description)
        owned = len(core) < len(words) and possessive(words[len(words) - len(core) - 1])
        definite = determiner == "the" or owned
        same = core[-1].lower() if core else ""
        found = self.described.get(same) if definite else None  # "the archbishop" again
        if found is None or self._named_near(found, who):
            found = self._referent(who, pos, determiner, core, definite)
        if found is not None and definite:
            self.described[same] = found
        return Resolution(found, ROLE_FORM, "" if found else who.span.text)

    def _referent(
        self, who: SpeakerWords, pos: int, determiner: str, core: list[str], definite: bool
    ) -> Span | None:
        """Who a description refers to, by its kind: an organisation (``the company``), a
        speaker named in the next sentence (``a Labour backbencher``), the person the
        story is about (``the 28-year-old``), or the one who spoke or opened the
        sentences before (``the MP for Sittingbourne and Sheppey``)."""
        head = core[-1].lower() if core else ""
        definite = definite and 0 < len(core) <= 4
        if determiner == "the" and len(core) == 1 and head in ORGANISATION_HEADS:
            organisation = self._organisation(pos, who.span.start)
            if organisation is not None:  # "the company said": the company that spoke
                return organisation
        if determiner in ("a", "an") and head not in PROXY_HEADS and not plural(head):
            return self._named_next(who)  # "…, a Labour backbencher has said. Derek Wyatt said …"
        if definite and self._describes_anyone(core):
            # "The 28-year-old", "the Australian": who the sentence before is about, else
            # who the story is about
            person = self._named_before(who.span.start) or self._protagonist(who.span.start)
            if person is not None:
                return person
        if definite and head not in PROXY_HEADS and not plural(head):
            found = self._person(pos, who.span.start, "", nearest=False)
            if found is not None and found[0] is not None and not self._named_near(found[0], who):
                return found[0]
        return None

    def _organisation(self, pos: int, at: int) -> Span | None:
        """The organisation "the company" at ``at`` is: the latest organisation that spoke
        within :data:`WINDOW`, else the one its own sentence names before it, else one that
        opens one of the three sentences before."""
        spoke = self._organisation_that_spoke(pos, max(0, pos - WINDOW))
        if spoke is not None:
            return spoke
        walk = sentence_start(self.text, min(pos, at))
        own = [
            n for n in self.names.within(walk, at) if n.label == "ORG" and not self._is_quoted(n)
        ]
        if len(own) == 1:  # "In a statement from Lycos Europe …, the company denied"
            return self._span_of(own[0])
        for _ in range(3):
            previous = self._sentence_before(walk)
            if previous is None:
                return None
            who = speaker_after(self.text, self.names, previous, walk)
            if who is not None and who.form == NAME_FORM and who.span.start - previous <= 40:
                source, label = source_of(self.text, who, self.names)
                if label == "ORG":
                    return source
            walk = previous
        return None

    def _author(self, who: SpeakerWords) -> Span | None:
        """The name whose writing a description is (``Mr Crosby's statement``, ``Blair's
        letter``): those words are theirs."""
        m = AUTHORED.fullmatch(who.span.text)
        if m is None:
            return None
        start, end = who.span.start + m.start(1), who.span.start + m.end(1)
        name = self.names.at(start, end)
        if name is not None and name.label in ("PERSON", "ORG"):
            return self._span_of(name)
        return Span(start, end, m.group(1)) if _gender(m.group(1)) else None

    def _document_author(self, words: list[str], determiner: str, pos: int) -> Span | None:
        """Whose document ``the report`` is: the name the text last gave as its author
        (``Oxfam says in a report`` … ``The report said``, ``the report by the University
        and College Union``), within :data:`WINDOW`; else the organisation that spoke last
        nearby."""
        if determiner != "the" or len(words) != 1 or words[0].lower() not in DOCUMENTS:
            return None
        head = words[0].lower()
        floor = max(0, pos - WINDOW)
        authors: list[Name] = []
        for m in AUTHOR_BEFORE.finditer(self.lower, floor, pos):
            inside = self.names.within(m.start("who"), m.end("who"))
            if m.group("doc") == head and inside:
                authors.append(inside[-1])
        for m in AUTHOR_AFTER.finditer(self.lower, floor, pos):
            after = self.names.within(m.start("who"), m.start("who") + 80)
            if m.group("doc") == head and after and after[0].start - m.start("who") <= 4:
                authors.append(after[0])
        named = [n for n in authors if n.label in ("PERSON", "ORG")]
        if named:
            return self._span_of(max(named, key=lambda n: n.start))
        # "The NAO urged the government … It said … The report said": the report of the
        # organisation that spoke last, in this paragraph or the one before
        near = previous_paragraph_start(self.text, paragraph_start(self.text, pos))
        return self._organisation_that_spoke(pos, max(floor, near))

    def _organisation_that_spoke(self, pos: int, floor: int) -> Span | None:
        """The latest organisation named as a speaker between ``floor`` and ``pos``."""
        for e in self._recent(pos, floor):
            if e.label == "ORG" and e.source is not None:
                return e.source
        return None

    def _ends_with_name(self, words: list[str]) -> bool:
        """True for a description that ends with a name the model missed (``28-year-old
        Morientes``): lower-case words (no preposition: not ``spokeswoman for the RAD``),
        then one capitalised that is no nationality."""
        return (
            len(words) >= 2
            and words[-1][:1].isupper()
            and not any(w[:1].isupper() for w in words[:-1])
            and not any(w.lower() in PREPOSITIONS | _ARTICLES for w in words[:-1])
            and words[-1].lower() not in self.nationalities
            and not possessive(words[-1])
        )

    def _describes_anyone(self, core: list[str]) -> bool:
        """True for a description by age or nationality (``confident 23-year-old``,
        ``Australian``, ``27-year-old Austrian``): it tells nothing of a role."""
        if any(AGE.fullmatch(w) for w in core):
            return True
        return len(core) == 1 and self._nationality(core[0])

    def _nationality(self, word: str) -> bool:
        """True for a word that says where someone is from (``Australian``, ``Scot``)."""
        if word.lower() in NATIONALITY_NOUNS or self._demonym(word):
            return True
        # a word the model calls a nationality, unless a plural that is none: "the
        # Conservatives" are a party, not who the sentence before is about
        return word.lower() in self.nationalities and not plural(word)

    @staticmethod
    def _demonym(word: str) -> bool:
        """True for a nationality word of the country table (``Russian``, ``Russians``)."""
        from ..entities.countries import country_table

        return country_table().demonym(word, "NORP") is not None

    def _named_before(self, pos: int) -> Span | None:
        """The first person named in the sentence before ``pos``, unless that sentence
        holds a quotation (its speaker is not who a description that follows means)."""
        start = sentence_start(self.text, pos)
        previous = self._sentence_before(start)
        i = bisect.bisect_left(self.quoted_starts, previous) if previous is not None else 0
        if previous is None or (i < len(self.quoted) and self.quoted[i][0] < start):
            return None
        person = self._nearest_person(start, previous, "", first=True, full=True)
        return person or self._nearest_person(start, previous, "", first=True)

    def _protagonist(self, pos: int) -> Span | None:
        """The person the text is about up to ``pos``: of the people the model names
        outside quotations, the one named most often (by surname), the first on a tie."""
        rank: dict[str, tuple[int, int]] = {}
        full: dict[str, Name] = {}
        for n in reversed(self.names.before(pos, 0)):
            words = self.text[n.start : n.end].split()
            if n.label != "PERSON" or self._is_quoted(n) or not self._looks_like_a_person(n):
                continue
            count, first = rank.get(words[-1], (0, -n.start))
            rank[words[-1]] = (count + 1, first)
            if len(words) > 1 or words[-1] not in full:
                full[words[-1]] = n
        if not rank:
            return None
        return self._span_of(full[max(rank, key=rank.__getitem__)])

    def _named_next(self, who: SpeakerWords) -> Span | None:
        """The person who opens the next sentence and speaks there:
        a news lead describes a speaker (``a Labour backbencher has said``) and names
        them next (``Derek Wyatt said …``)."""
        start = sentence_end(self.text, who.span.end)
        while start < len(self.text) and (
            self.text[start].isspace() or self.text[start] in MARK_CHARS
        ):
            start += 1
        if start >= len(self.text):
            return None
        stop = sentence_end(self.text, start)
        subject = speaker_after(self.text, self.names, start, stop)
        if subject is None or subject.form != NAME_FORM or subject.span.start != start:
            return None
        source, label = source_of(self.text, subject, self.names)
        if source.text.split()[0] in ("The", "the"):
            return None  # "The Da Vinci Code claims …": a title, not who spoke
        return source if label == "PERSON" and self._speaks(subject, stop) else None

    def _named_near(self, person: Span, who: SpeakerWords) -> bool:
        """True when ``person`` is named in the sentence of the description ``who``: a
        writer who names someone does not call them "the host" in the same breath."""
        start = sentence_start(self.text, who.span.start)
        end = sentence_end(self.text, who.span.start)
        last = person.text.split()[-1:]
        return (
            bool(last) and re.search(rf"\b{re.escape(last[0])}\b", self.text[start:end]) is not None
        )

    def _named_description(
        self, who: SpeakerWords, words: list[str], determiner: str
    ) -> Span | None:
        """The name a description (without its determiner, ``words``) is after all:
        ``The Lib Dems``, ``The Scottish Executive``, or ``the alliance`` for the one
        alliance named before."""
        named = self._named_as(words)
        if named is not None:
            return named
        if determiner == "the" and institution(words):
            start = who.span.end - len(" ".join(words))
            return Span(start, who.span.end, " ".join(words))
        if determiner == "the" and len(words) == 1:
            return self._body_named(words[0], who.span.start)
        return None

    def _body_named(self, head: str, pos: int) -> Span | None:
        """The nearest organisation named before ``pos`` (within :data:`WINDOW`) whose
        name ends in ``head`` (``the alliance`` … ``The Making Decisions Alliance``), when
        ``head`` names a kind of body and the text gives no other of its kind. The name is
        read from the capitalised words before the head, which the model may have taken
        for no name or for a work of art."""
        pattern = BODY_NAMES.get(head.lower())
        if pattern is None:
            return None
        floor = max(0, pos - WINDOW)
        found = [
            m for m in pattern.finditer(self.text, floor, pos) if not self._in_quote(m.start())
        ]
        spellings = {_without_the(m.group()) for m in found}
        if len(spellings) != 1:
            return None
        m = found[-1]
        start = m.end() - len(_without_the(m.group()))
        return Span(start, m.end(), self.text[start : m.end()])

    def _named_as(self, words: list[str]) -> Span | None:
        """A name the NER found elsewhere spelled as these capitalised words, if any."""
        if not words or not all(w[:1].isupper() for w in words):
            return None
        n = self.by_spelling.get(" ".join(words).lower())
        if n is None:
            return None
        party = len(words) == 1 and plural(words[0]) and not self._demonym(words[0])
        if not party and (n.label == "NORP" or (len(words) == 1 and self._nationality(words[0]))):
            return None  # "the American", "the Scot" describe a person
        # "the Conservatives", "the Tories": a party, which the model calls NORP
        return Span(n.start, n.end, self.text[n.start : n.end])

    def _introduced(self, role: str, pos: int, named_modifier: bool = False) -> Span | None:
        """The PERSON named next to ``role`` earlier in the text (nearest first); for a
        description in the opening paragraph, which news writing names only later ("…,
        the courts minister has told MPs." … "said courts minister Christopher Leslie"),
        the first one after it. With ``named_modifier`` (a description's head alone), only
        a use after a capitalised word counts (``France coach Bernard Laporte``)."""
        if not role or len(role) < 3:
            return None
        uses = self._uses(role.lower(), pos)
        if pos < paragraph_end(self.text, 0):
            uses += self._uses(role.lower(), pos, forward=True)
        for m in uses:
            before = self.text[max(0, m.start() - 12) : m.start()].split()
            if before and before[-1].lower().strip("-") in _QUALIFIERS:
                continue
            if named_modifier and not (before and before[-1][:1].isupper()):
                continue  # the head alone: only after a name ("France coach"), not "foreign"
            after = self.names.within(m.end(), m.end() + 40)
            if (
                after
                and after[0].label == "PERSON"
                and not self.text[m.end() : after[0].start].strip()
            ):
                return self._span_of(after[0])
            prior = self.names.before(m.start(), max(0, m.start() - 60))
            if prior and prior[0].label == "PERSON":
                gap = self.text[prior[0].end : m.start()]
                if re.fullmatch(r",\s*(?:the\s+|a\s+)?", gap, re.I):
                    return self._span_of(prior[0])
        return None

    def _uses(self, role: str, pos: int, forward: bool = False) -> list[_Use]:
        """Whole-word uses of ``role`` (lower case) before ``pos`` (with ``forward``,
        after it), nearest first, at most :data:`MAX_ROLE_MATCHES` within
        :data:`ROLE_LOOK_BACK`."""
        if forward:
            lo, hi = pos + 1, min(len(self.lower), pos + ROLE_LOOK_BACK)
        else:
            lo, hi = max(0, pos - ROLE_LOOK_BACK), pos
        out: list[_Use] = []
        while len(out) < MAX_ROLE_MATCHES:
            i = self.lower.find(role, lo, hi) if forward else self.lower.rfind(role, lo, hi)
            if i < 0:
                break
            j = i + len(role)
            before = self.lower[i - 1] if i > 0 else " "
            after = self.lower[j] if j < len(self.lower) else " "
            if not (before.isalnum() or before == "-" or after.isalnum() or after == "-"):
                out.append(_Use(i, j))
            if forward:
                lo = i + 1
            else:
                hi = j - 1
        return out

    def _span_of(self, n: Name) -> Span:
        return Span(n.start, n.end, self.text[n.start : n.end])

    def continuation(self, pos: int) -> Resolution:
        """The speaker an untagged quotation at ``pos`` continues, if any."""
        floor = paragraph_start(self.text, pos)
        for _ in range(CONTINUATION_PARAGRAPHS):
            floor = previous_paragraph_start(self.text, floor)
        floor = max(floor, pos - WINDOW)
        recent = self._recent(pos, floor)
        if not recent:
            return Resolution(None, "none")
        e = recent[0]
        start = sentence_start(self.text, pos)
        previous = self._sentence_before(start)
        opens = not self.text[start:pos].strip(" \"“‘'")  # the quotation opens its sentence
        if opens and previous is not None and e.pos < previous and not self._in_quote(previous):
            # 'His friend, Saxon Spence, …, lays the blame on one issue. "You cannot …"':
            # a person who opens the sentence between the last speech and the quotation
            subject = self._subject(previous, start)
            if subject is not None and subject.form == NAME_FORM:
                name = self._name_of(subject)
                # the sentence's first person, before any verb ("Springsteen mocked Bono")
                lead = self.text[previous : name.start].split()
                first = not any(w.endswith("ed") and w.islower() for w in lead) and not any(
                    n.label == "PERSON" for n in self.names.within(previous, name.start)
                )
                owner = self.text.startswith(("'s", "’s"), name.end)  # "Lesotho's currency"
                other = e.source is None or name.text != e.source.text
                if self._is_person(name) and first and not owner and other:
                    return Resolution(name, "continuation")
        return Resolution(e.source, "continuation", e.description)

    def _in_quote(self, pos: int) -> bool:
        quote = self._quote_from(pos)
        return quote is not None and pos < quote[1]

    def resolve(self, who: SpeakerWords, pos: int) -> tuple[Resolution, str]:
        """The resolution of a speaker's words at ``pos`` and the NER label of its source."""
        if who.form == PRONOUN_FORM:
            res = self.pronoun(who, pos)
        elif who.form == ROLE_FORM:
            res = self.role(who, pos)
        else:
            source, label = source_of(self.text, who, self.names)
            if _gender(who.span.text):
                label = "PERSON"
            return Resolution(source, "name", who.span.text), label
        return res, self.label_of(res.source)

    def label_of(self, source: Span | None) -> str:
        """The NER label of a source name (PERSON when the model missed it, ORG for an
        institution's name it missed), or ROLE."""
        if source is None:
            return ROLE_LABEL
        if _gender(source.text):  # "Mr Pande", whatever the model took him for
            return "PERSON"
        n = self.names.at(source.start, source.end)
        if n is not None:
            return n.label
        return "ORG" if institution(source.text.split()) else "PERSON"
