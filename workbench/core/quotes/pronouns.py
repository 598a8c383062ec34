"""Who ``he``, ``she`` or ``it`` is: the speaker a pronoun points to.

``he``/``she`` is the speaker of the latest speech event within
:data:`~.story.WINDOW`, else the nearest earlier PERSON name (see
:meth:`PronounReader._person`); ``it`` is the latest speaker that is not a person.
"""

from __future__ import annotations

import re

from .descriptions import (
    AUTHORED,
    PERSON_HEADS,
    SUBORDINATORS,
    head_of,
    plural,
    possessive,
)
from .model import Span
from .speakers import (
    COLLECTIVE_NOUNS,
    NAME_FORM,
    PRONOUN_FORM,
    ROLE_FORM,
    SpeakerWords,
    speaker_after,
)
from .story import ROLE_LABEL, WINDOW, Event, Resolution, Story
from .text import (
    sentence_start,
    words_of,
)

_LATER_CLAUSE = re.compile(r"(?:,\s*|\s)(?:but|while|whereas)\s+|;\s*")
"""Where a clause with a subject of its own starts, after a speaker spoke."""

_ASIDE_TAG = re.compile(r"[,”\"] (?:he|she) \w+\s*[,.]")
"""A pronoun's tag set off after a clause or a quotation: ", he claimed," ", she said.",
'"completely ridiculous," he said, and "totally unprofessional."'."""


_ASKED = re.compile(r"(?:Asked|Questioned|Pressed|Quizzed|Challenged)\b")
"""An opening clause that names what someone was asked about, not who answers ("Asked
if Mr Blunkett could return to frontline politics, he replied")."""


_ONE_PERSON = PERSON_HEADS | words_of("spokesman spokeswoman spokesperson official source aide")
"""Heads of descriptions of one person, named or not."""


class PronounReader(Story):
    """The pronoun look-ups on a :class:`~.story.Story`."""

    def pronoun(self, who: SpeakerWords, pos: int) -> Resolution:
        """The speaker ``he``, ``she`` or ``it`` at ``pos`` refers to (see :meth:`_person`)."""
        word = who.span.text.lower()
        if word in ("he", "she"):
            found = self._person(pos, who.span.start, word, nearest=True)
            if found is not None:
                return Resolution(found[0], PRONOUN_FORM, found[1])
        elif word == "it":
            # only a speaker that is not a person, and that spoke in this sentence or
            # the one before ("Deutsche Boerse said … "…," it said"), or the one before
            # that when the sentence between names no other body
            own = sentence_start(self.text, min(pos, who.span.start))
            previous = self._sentence_before(own)
            if previous is None:
                return Resolution(None, PRONOUN_FORM, who.span.text)
            # "The firm said …. The recall affects …. In a statement, it added"
            earlier = None if self._names_a_body(previous, own) else self._sentence_before(previous)
            for e in self._recent(pos, max(0, pos - WINDOW)):
                # "Mr Crosby's statement said: … It added": a person's writing is an "it"
                written = AUTHORED.fullmatch(e.description) is not None or possessive(e.description)
                if e.label == "PERSON" and not written:
                    continue
                if e.pos >= previous or (earlier is not None and e.pos >= earlier):
                    return Resolution(e.source, PRONOUN_FORM, e.description)
                break
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
                for e in self._recent(min(pos, at), floor)
                if (e.label in ("PERSON", ROLE_LABEL) or self.named_person(e.source))
                and (not word or self._agrees(e.source, e.description, word))
            ),
            None,
        )
        sentence = sentence_start(self.text, min(pos, at))
        # a pronoun in the writer's sentence, before the quote, unless a tag set off after
        # the clause ("Mr Blair has failed to tackle these problems, he claimed, …")
        aside = _ASIDE_TAG.match(self.text, max(0, at - 2)) is not None
        asked = _ASKED.match(self.text, sentence) is not None
        if at < pos and word and not aside and not asked:
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
            opening = self._opening_description(previous, walk, word) if nearest else None
            if opening is not None:
                return opening
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

    def _names_a_body(self, start: int, end: int) -> bool:
        """True when an organisation is named in ``[start, end)``."""
        return any(n.label == "ORG" for n in self.names.within(start, end))

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

    def _opening_description(
        self, start: int, end: int, word: str
    ) -> tuple[Span | None, str] | None:
        """Who a description opening the sentence ``[start, end)`` is, for ``word``
        (he/she) after it: the person it refers to (``The Australian has suffered …,"
        he said``), or someone it brings in unnamed (``But a spokesman for the Home Office
        defended the proposals. He said: …``)."""
        described = self._described(start, end, word)
        if described is not None:
            return described, ""
        newcomer = self._newcomer(start, end, word)
        return (None, newcomer) if newcomer is not None else None

    def _newcomer(self, start: int, end: int, word: str) -> str | None:
        """The words of an unnamed person brought in by "a" or "an" at the start of the
        sentence ``[start, end)`` (``a spokesman for the Home Office``), when ``word``
        (he/she) agrees with them."""
        who = speaker_after(self.text, self.names, start, end)
        if who is None or who.form != ROLE_FORM or who.span.start - start > 40:
            return None
        words = who.span.text.split()
        if words[0].lower() not in ("a", "an"):
            return None
        head = head_of(who.span.text)
        if plural(head) or head not in _ONE_PERSON:
            return None
        return who.span.text if self._agrees(None, who.span.text, word) else None

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
