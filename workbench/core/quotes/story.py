"""The speech events of one text, read in order, and the look-ups on its names.

:class:`Story` keeps where each speech event was and who spoke, which spans are quoted,
and what the text tells of its people (surnames, full names, titles, sexes). The
readers of pronouns (:mod:`.pronouns`) and of descriptions (:mod:`.roles`) build on it,
and :class:`~.antecedents.Antecedents` joins them.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

from .cues import SPEECH_ACT, is_cue
from .descriptions import (
    NOT_PERSON_HEADS,
    PREPOSITIONS,
    SUBORDINATORS,
    head_of,
    institution,
    plural,
)
from .fullnames import WORD_NAMES, first_name_sex
from .marks import MARK_CHARS
from .model import Span
from .speakers import (
    COLLECTIVE_NOUNS,
    NAME_FORM,
    NOT_NAMES,
    ROLE_FORM,
    SpeakerWords,
    speaker_after,
)
from .text import (
    TITLES,
    Name,
    Names,
    lower_case_words,
    sentence_start,
    words_of,
)

WINDOW = 1500
"""Characters looked back for the speaker a pronoun or a continuation refers to."""
ROLE_LABEL = "ROLE"
"""The label of a speech event whose speaker is unnamed (a description)."""
_THEN_CUE = re.compile(
    r"(?:,[^,]{0,80},)?\s+(?:(?:has|have|had|is|was|also|then|later|once|has also)\s+){0,2}"
    + SPEECH_ACT.pattern
)
"""A verb of speech after a subject, across an apposition and auxiliaries."""
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
        found.setdefault(m.group(2), set()).add(title_sex(m.group(1)))
    by_first: dict[str, set[str]] = {}
    for n in names.items:
        parts = text[n.start : n.end].split()
        if n.label != "PERSON" or len(parts) < 2 or parts[-1] in found:
            continue
        by_first.setdefault(parts[-1], set()).add(first_name_sex(parts[0]))
    found.update(by_first)
    return {name: next(iter(s)) for name, s in found.items() if len(s) == 1 and "" not in s}


def title_sex(words: str | None) -> str:
    """ "he" or "she" by the title that opens ``words`` (``Mr``, ``Ms``, ``Lady``), else "."""
    first = words.split()[0].lower().rstrip(".") if words and words.split() else ""
    if first in _FEMALE_TITLES:
        return "she"
    if first in _MALE_TITLES:
        return "he"
    return ""


_INNER_CAPITAL = re.compile(r"(?<=[\w,;)] )[A-Z][\w-]*")
_POSSESSIVE = re.compile(r"['’]s?$")


class Story:
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

    @functools.cached_property
    def name_words(self) -> set[str]:
        """Every word of every name the model found (read only for a lone capitalised
        word, so found on first use)."""
        return {
            _POSSESSIVE.sub("", w)
            for n in self.names.items
            for w in self.text[n.start : n.end].split()
        }

    @functools.cached_property
    def inner_capitals(self) -> frozenset[str]:
        """Capitalised words the text writes inside a sentence, after a word or comma."""
        return frozenset(_INNER_CAPITAL.findall(self.text))

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

    def _is_person(self, name: Span) -> bool:
        """True when the model calls ``name`` a PERSON where it stands."""
        n = self.names.at(name.start, name.end)
        return n is not None and n.label == "PERSON"

    def _speaks(self, who: SpeakerWords | None, end: int) -> bool:
        """True when a cue verb follows the subject ``who`` (``Ferguson believes …``)."""
        if who is None:
            return False
        m = _THEN_CUE.match(self.text, who.span.end, end)
        return m is not None

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
            if who.name is None and (
                self._capitalised_word(source, end) or self._unconfirmed_opener(source)
            ):
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
        review``), or the writer and reader (``I``, ``you``)."""
        if not word:
            return True
        if source is None and words:
            head = head_of(words)
            if plural(head) or head in COLLECTIVE_NOUNS or head in ("they", "we", "it", "i", "you"):
                return False
            if head in NOT_PERSON_HEADS and not title_sex(words):
                return False  # "the Tomlinson review, which recommended"
        sex = self._sex_of(source, words) if source is not None else title_sex(words)
        return sex in ("", word)

    def _sex_of(self, source: Span, title: str | None) -> str:
        """ "he" or "she" when the text tells which ``source`` is: by the title before it,
        its first name ("John Gille", not his daughter Sarah Gille), or the titles and
        first names the text gives its surname ("Mr Jackson" says nothing of Katherine
        Jackson where Michael Jackson is named)."""
        parts = source.text.split()
        sex = title_sex(title) or (first_name_sex(parts[0]) if len(parts) > 1 else "")
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
            before = self.text[max(0, n.start - 24) : n.start].split()
            title = before[-1] if before else ""
            if not self._agrees(self._span_of(n), title, word):
                continue
            # the word that governs the name, before its title ("with Mr Cantalupo")
            lead = before[-2] if title.rstrip(".") in TITLES and len(before) > 1 else title
            possessed = self.text[n.end : n.end + 2] in ("'s", "’s")
            if (lead.lower() in PREPOSITIONS) or possessed:
                # "echoed by Christine Rush", "1Xtra's G Money": no subject; taken only
                # when no other name qualifies and the text says they are a "he" or "she"
                if oblique is None and word and self._sex_of(self._span_of(n), title) == word:
                    oblique = self._span_of(n)
                continue
            if lead.lower() in SUBORDINATORS:
                subordinate = subordinate or self._span_of(n)
                continue
            return self._span_of(n)
        return subordinate or oblique

    def _looks_like_a_person(self, n: Name) -> bool:
        """False for what the model may call a person but no person's name is: words in
        lower case ("unbeaten league run"), a sentence's opening word ("Otherwise"), a
        name after an article ("the Gunners", the film "A Different Story")."""
        words = self.text[n.start : n.end].split()
        if not words or not words[0][:1].isupper() or (len(words) == 1 and words[0] in NOT_NAMES):
            return False
        if words[-1].endswith(("'s", "’s")):  # "It's", "Ali G's"
            return False
        if len(words) == 1 and self._lone_opener(n):
            return False  # "Traditionally schools have …": the model's person, no one's name
        before = self.text[max(0, n.start - 5) : n.start].split()
        return not before or before[-1].lower() not in ("the", "a", "an")

    def _capitalised_word(self, source: Span, end: int) -> bool:
        """True for one word the model did not call a name that reads as an ordinary word
        with a capital: a word the text also writes in lower case (``Computer specialist
        …``, ``Other witnesses``), an adverb in -ly before a word that is no cue
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

    def _unconfirmed_opener(self, source: Span) -> bool:
        """True for one word the model did not call a name, opening its sentence, that
        the text never names anyone by elsewhere: no name the model found holds it and
        it has a capital nowhere but at the start of a sentence (``Opinion has been
        divided on whether Lomu …``)."""
        word = _POSSESSIVE.sub("", source.text.strip())
        if " " in word or sentence_start(self.text, source.start) != source.start:
            return False
        if not word[1:].islower():
            return False  # "DiCaprio", "McCain": a name's spelling
        return not (
            self._is_surname(word) or word in self.name_words or word in self.inner_capitals
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

    def _span_of(self, n: Name) -> Span:
        return Span(n.start, n.end, self.text[n.start : n.end])

    def _in_quote(self, pos: int) -> bool:
        quote = self._quote_from(pos)
        return quote is not None and pos < quote[1]

    def label_of(self, source: Span | None) -> str:
        """The NER label of a source name (PERSON when the model missed it, ORG for an
        institution's name it missed), or ROLE."""
        if source is None:
            return ROLE_LABEL
        if title_sex(source.text):  # "Mr Pande", whatever the model took him for
            return "PERSON"
        n = self.names.at(source.start, source.end)
        if n is not None:
            return n.label
        return "ORG" if institution(source.text.split()) else "PERSON"

    def role(self, who: SpeakerWords, pos: int) -> Resolution:
        """The person a description at ``pos`` refers to (:class:`~.roles.RoleReader`)."""
        raise NotImplementedError

    def _person(
        self, pos: int, at: int, word: str, nearest: bool
    ) -> tuple[Span | None, str] | None:
        """Who ``he``/``she`` at ``at`` is (:class:`~.pronouns.PronounReader`)."""
        raise NotImplementedError
