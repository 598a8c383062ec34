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

The events and the look-ups on the text's names are :mod:`.story`'s, the reading of
pronouns :mod:`.pronouns`' and of descriptions :mod:`.roles`'; this module joins them.
"""

from __future__ import annotations

from .descriptions import plural
from .pronouns import PronounReader
from .roles import RoleReader
from .speakers import (
    NAME_FORM,
    PRONOUN_FORM,
    ROLE_FORM,
    SpeakerWords,
)
from .story import ROLE_LABEL, WINDOW, Resolution, source_of, title_sex
from .text import (
    paragraph_start,
    previous_paragraph_start,
    sentence_start,
)

CONTINUATION_PARAGRAPHS = 1
"""An untagged quotation continues a speech event at most this many paragraphs back."""


class Antecedents(PronounReader, RoleReader):
    """The speech events of one text so far, with the readers of its pronouns and
    descriptions and of its untagged quotations."""

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

    def resolve(self, who: SpeakerWords, pos: int) -> tuple[Resolution, str]:
        """The resolution of a speaker's words at ``pos`` and the NER label of its source."""
        if who.form == PRONOUN_FORM:
            res = self.pronoun(who, pos)
        elif who.form == ROLE_FORM:
            res = self.role(who, pos)
        else:
            source, label = source_of(self.text, who, self.names)
            if who.name is None and self._unconfirmed_opener(source):
                # "Sadly comments such as his will make …": a capitalised word, no one;
                # "Judges said …": a group described, not named
                if plural(who.span.text.lower()):
                    return Resolution(None, ROLE_FORM, who.span.text), ROLE_LABEL
                return Resolution(None, "none"), ROLE_LABEL
            if title_sex(who.span.text):
                label = "PERSON"
            return Resolution(source, "name", who.span.text), label
        return res, self.label_of(res.source)
