"""Who a description is: the person or body ``the Tory co-chairman`` or ``the report``
stands for.

A description is the person it introduced earlier (``Tory co-chairman Liam Fox``,
``Liam Fox, the Tory co-chairman``), the organisation that spoke last (``the company``),
the author of a document (``the report``), or the unnamed speaker of a recent event
with the same head word (``a spokesman …`` … ``the spokesman``); else it stays a
description.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .descriptions import (
    AGE,
    AUTHOR_AFTER,
    AUTHOR_BEFORE,
    AUTHORED,
    BODY_NAMES,
    DOCUMENTS,
    NATIONALITY_NOUNS,
    ORGANISATION_HEADS,
    PERSON_HEADS,
    PREPOSITIONS,
    PROXY_HEADS,
    core_of,
    head_of,
    institution,
    opens_clause,
    plural,
    possessive,
)
from .marks import MARK_CHARS
from .model import Span
from .speakers import (
    NAME_FORM,
    NOT_NAMES,
    ROLE_FORM,
    SpeakerWords,
    speaker_after,
)
from .story import WINDOW, Resolution, Story, source_of, title_sex
from .text import (
    Name,
    paragraph_end,
    paragraph_start,
    previous_paragraph_start,
    sentence_end,
    sentence_start,
    words_of,
)

ROLE_LOOK_BACK = 10_000
"""Characters looked back for the name a description introduced."""
MAX_ROLE_MATCHES = 20
"""Earlier uses of a description checked for the name it introduced (nearest first)."""
_ARTICLES = words_of("the a an")
_QUALIFIERS = words_of("shadow former deputy vice ex assistant acting junior under co")


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


_HEAD_SEX = {
    **dict.fromkeys(
        words_of(
            """actress chairwoman congresswoman frontwoman comedienne mother wife daughter
            widow grandmother"""
        ),
        "she",
    ),
    **dict.fromkeys(
        words_of("chairman congressman frontman father husband son widower grandfather"), "he"
    ),
}
"""The sex a description's head gives (``the actress``: "she")."""


def _plain(modifiers: list[str]) -> bool:
    """True for words before a description's head that name no one (``the aid agency``,
    ``the Canada-based company``; not ``the German exchange``)."""
    return len(modifiers) <= 2 and all(
        w[:1].islower() or w.lower().endswith("-based") for w in modifiers
    )


def _person_head(head: str) -> bool:
    """True for the head of a description of a person by what they do or are
    (``defender``, ``mother-of-nine``)."""
    return head.split("-of-")[0] in PERSON_HEADS


_OFFICES = words_of("chancellor president premier prime-minister")
"""Heads of descriptions by an office one person holds at a time: they name whoever
holds it, whom the text need not name at all."""


def _bare(who: SpeakerWords, core: list[str]) -> bool:
    """True for a description that ends in its head and is no office held by one
    person (``the defender``; not ``the judge in the case``, ``the chairman of the Police
    Federation``, ``the prime minister``, ``the chancellor``)."""
    last = who.span.text.split()[-1].lower()
    if not core or last != core[-1].lower():
        return False
    office = "-".join(w.lower() for w in core[-2:])
    return core[-1].lower() not in _OFFICES and office not in _OFFICES


def _without_the(name: str) -> str:
    return re.sub(r"^[Tt]he\s+", "", name)


def _named(words: list[str]) -> bool:
    """True when a description's modifiers name a place, people or team (``French``)."""
    return any(w[:1].isupper() for w in words)


_ITS_OWN_KIND = ORGANISATION_HEADS - words_of(
    "subsidiary committee board ministry department label studio regulator watchdog"
)
"""Kinds of body that, after a body's name, are that body (``the China Daily
newspaper``); the others are a part of it or over it (``the Delta subsidiary``)."""


class RoleReader(Story):
    """The description look-ups on a :class:`~.story.Story`."""

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
        if (
            determiner == "the"
            and head in ORGANISATION_HEADS
            and len(core) == len(who.span.text.split()) - 1
            and _plain(core[:-1])
        ):
            organisation = self._introduced_body(head, who.span.start) or self._organisation(
                pos, who.span.start
            )
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
        if (
            definite
            and head not in PROXY_HEADS
            and not plural(head)
            and not self._of_body(who, core)
        ):
            found = (
                None
                if self._other_subject(who)
                else self._person(pos, who.span.start, "", nearest=False)
            )
            if (
                found is not None
                and found[0] is not None
                and not self._named_near(found[0], who)
                and not self._kin_of(found[0], head)
            ):
                return found[0]
        if (
            definite
            and determiner == "the"
            and _person_head(head)
            and _bare(who, core)
            and not self._other_subject(who)
        ):
            return self._story_person(who, pos, head)
        return None

    def _story_person(self, who: SpeakerWords, pos: int, head: str) -> Span | None:
        """Who a description of a person by what they do (``the defender``) is when the
        text never named anyone so: the person the story is about, when the nearby
        sentences are about them too (read as for "he"), of the sex the description
        gives, and not named in its own sentence; never someone it brought in unnamed
        (``an employee`` … ``the employee``)."""
        at = who.span.start
        if self._met_unnamed(head, at):
            return None
        person = self._protagonist(at)
        if person is None or person.text.split()[0] in ("The", "the"):
            return None
        sex = _HEAD_SEX.get(head.split("-of-")[0], "")
        near = self._person(pos, at, sex, nearest=True)
        if near is None or near[0] is None or near[0].text.split()[-1] != person.text.split()[-1]:
            return None
        if self._named_near(person, who) or (sex and self._sex_of(person, None) not in ("", sex)):
            return None
        return person

    def _of_body(self, who: SpeakerWords, core: list[str]) -> bool:
        """True for a description whose words name an organisation after its head (``the
        chairman of the Police Federation``)."""
        if not core:
            return False
        m = re.search(rf"\b{re.escape(core[-1])}\b", who.span.text)
        if m is None:
            return False
        after = who.span.start + m.end()
        return any(n.label == "ORG" for n in self.names.within(after, who.span.end))

    def _met_unnamed(self, head: str, at: int) -> bool:
        """True when the text has brought in someone unnamed by this head before ``at``
        (``an employee`` … ``the employee``)."""
        pattern = re.compile(
            r"\b(?:a|an|one|another)\s+(?:[\w’'-]+\s+){0,3}" + re.escape(head) + r"\b"
        )
        return pattern.search(self.lower, max(0, at - ROLE_LOOK_BACK), at) is not None

    def _introduced_body(self, head: str, at: int) -> Span | None:
        """The organisation the text named right after an earlier use of ``head`` (``video
        game firm Bioware`` … ``the firm``), nearest first."""
        for m in self._uses(head, at):
            if self._in_quote(m.start()):
                continue
            after = self._named_right_after(m.end(), "ORG")
            if after is not None:
                return after
        return None

    def _named_right_after(self, end: int, label: str) -> Span | None:
        """The name of kind ``label`` that follows ``end`` after nothing but spaces
        (``coach Bernard Laporte``, ``firm Bioware``)."""
        after = self.names.within(end, end + 40)
        if after and after[0].label == label and not self.text[end : after[0].start].strip():
            return self._span_of(after[0])
        return None

    def _organisation(self, pos: int, at: int) -> Span | None:
        """The organisation "the company" at ``at`` is: the one that opens the sentence
        before and speaks there (``The Red Cross told Reuters …``), else the latest
        organisation that spoke within :data:`WINDOW`, else the one its own sentence names
        before it, else one that opens one of the three sentences before."""
        walk = sentence_start(self.text, min(pos, at))
        previous = self._sentence_before(walk)
        if previous is not None:
            who = speaker_after(self.text, self.names, previous, walk)
            body = self._organisation_named(who)
            if body is not None and self._speaks(who, walk):
                return body
        spoke = self._organisation_that_spoke(pos, max(0, pos - WINDOW))
        if spoke is not None:
            return spoke
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
            body = self._organisation_named(who)
            if body is not None and who is not None and who.span.start - previous <= 40:
                return body
            opener = self._opening_organisation(previous, walk)
            if opener is not None:  # "Video game firm Bioware is to hold …"
                return opener
            walk = previous
        return None

    def _organisation_named(self, who: SpeakerWords | None) -> Span | None:
        """The organisation ``who`` names, when it is a name the model calls one."""
        if who is None or who.form != NAME_FORM:
            return None
        source, label = source_of(self.text, who, self.names)
        return source if label == "ORG" else None

    def _opening_organisation(self, start: int, end: int) -> Span | None:
        """The organisation named in the opening words of the sentence ``[start, end)``,
        with nothing before it but words of its kind (``Video game firm Bioware is …``,
        ``The BBC's flagship …``)."""
        first = self.names.within(start, min(end, start + 40))
        if not first or first[0].label != "ORG" or self._is_quoted(first[0]):
            return None
        before = [w for w in self.text[start : first[0].start].split() if w.lower() != "the"]
        if before and before[-1].lower() not in ORGANISATION_HEADS:
            return None  # "Macrovision says its new RipGuard": no body opens it
        return self._span_of(first[0])

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
        return Span(start, end, m.group(1)) if title_sex(m.group(1)) else None

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
        then one capitalised that is no nationality and no pronoun (not ``next day I``)."""
        return (
            len(words) >= 2
            and words[-1][:1].isupper()
            and words[-1] not in NOT_NAMES
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
        if source.text.split()[:1] in (["The"], ["the"], []):
            return None  # "The Da Vinci Code claims …": a title (or no word), not who spoke
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

    def _other_subject(self, who: SpeakerWords) -> bool:
        """True when a person's name opens the sentence of the description ``who`` in a
        clause before it (``Frank Capra was the butt of one major gaffe when the host
        …``): the sentence has moved on from the people before, so the description is
        someone new."""
        start = sentence_start(self.text, who.span.start)
        if start == who.span.start:
            return False
        subject = self._subject(start, who.span.start)
        if subject is None or subject.form != NAME_FORM:
            return False
        return self._is_person(self._name_of(subject))

    def _kin_of(self, person: Span, head: str) -> bool:
        """True when the text brings ``person`` in as someone of ``head``'s (``The actor's
        friend Budd Schulberg``): they are not the one ``head`` describes."""
        start = sentence_start(self.text, person.start)
        owner = re.compile(rf"\b{re.escape(head)}['’]s\b")
        return owner.search(self.lower, start, person.start) is not None

    def _named_description(
        self, who: SpeakerWords, words: list[str], determiner: str
    ) -> Span | None:
        """The name a description (without its determiner, ``words``) is after all:
        ``The Lib Dems``, ``The Scottish Executive``, ``the China Daily newspaper``, or
        ``the alliance`` for the one alliance named before."""
        named = self._named_as(words)
        if named is not None:
            return named
        if len(words) > 1 and words[-1].lower() in _ITS_OWN_KIND:
            # "the China Daily newspaper", "the Vodafone group": the body it names
            body = self._named_as(words[:-1])
            if body is not None and self.label_of(body) == "ORG":
                return body
        if determiner == "the" and len(words) > 1:
            shortened = self._shortened_body(words, who.span.start)
            if shortened is not None:  # "the assembly government": the Welsh Assembly
                return shortened  # Government named before
        if determiner == "the" and institution(words):
            start = who.span.end - len(" ".join(words))
            return Span(start, who.span.end, " ".join(words))
        if determiner == "the" and len(words) == 1:
            return self._body_named(words[0], who.span.start)
        return None

    def _shortened_body(self, words: list[str], pos: int) -> Span | None:
        """The one organisation named before ``pos`` (within :data:`WINDOW`) whose name
        ends in ``words`` written in lower case (``the assembly government`` … ``the Welsh
        Assembly Government``)."""
        if not all(w.islower() for w in words):
            return None
        tail = " " + " ".join(words)
        bodies = [
            self._span_of(n)
            for n in self.names.before(pos, max(0, pos - WINDOW))
            if n.label == "ORG"
        ]
        found = {
            b.text: b
            for b in bodies
            if len(b.text.split()) > len(words) and b.text.lower().endswith(tail)
        }
        return next(iter(found.values())) if len(found) == 1 else None

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
            after = self._named_right_after(m.end(), "PERSON")
            if after is not None:
                return after
            prior = self.names.before(m.start(), max(0, m.start() - 60))
            if prior and prior[0].label == "PERSON" and not self._ends_opening(prior[0]):
                gap = self.text[prior[0].end : m.start()]
                if re.fullmatch(r",\s*(?:the\s+|a\s+)?", gap, re.I):
                    return self._span_of(prior[0])
        return None

    def _ends_opening(self, name: Name) -> bool:
        """True when ``name`` ends a clause or phrase set before its sentence's subject, at
        the sentence's first comma (``Reacting to a comment by … Tim Phillips, the American
        said``): what follows the comma is the subject, not a description of the name."""
        start = sentence_start(self.text, name.start)
        first = self.text[start : name.start].split()[:1]
        if not first or self.text.find(",", start, name.end + 1) != name.end:
            return False
        return opens_clause(first[0])

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
