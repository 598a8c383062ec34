"""Who a quotation is attributed to, read from the words around it.

Where the quotation sits in its sentence decides where to look:

- it **starts the sentence** (``"…," Li said.``): the tag after it, either subject then
  cue (``," he added``), cue then speaker (``," said Mr Hogg``), ``according to X`` or a
  bare name (``", Vladimir Milov.``);
- it **follows a colon or comma** (``Benitez said: "…"``): the last cue before it, and
  its subject; then the tag after it;
- it sits **inside the writer's sentence** (``called it "a grave mistake"``): the last
  cue before it in the sentence, and its subject; then the tag after it.

A quotation with no cue keeps no speaker here; :mod:`.antecedents` may still give it the
speaker of the quote it continues.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .cues import ACCORDING_TO, CUE, DESCRIBED_BY, QUOTED_AS_SAYING, SAYING, TELLING, is_tag_cue
from .descriptions import opens_clause
from .marks import MARK_CHARS, QuotedSpan
from .model import Span
from .persons import described_as_person, is_job
from .speakers import (
    NAME_FORM,
    PHRASE_PREPOSITIONS,
    PRONOUN_FORM,
    SpeakerWords,
    name_ending_phrase,
    speaker_after,
)
from .subjects import DESCRIPTION_START, speaker_before
from .text import TITLES, Names, paragraph_start, sentence_end, sentence_start, words_of

MAX_TAG_WORDS = 10
"""Words between a quotation and its cue in a tag (``," Michael Mijatov, …, told``)."""

STARTS, INTRODUCED, EMBEDDED = "starts", "introduced", "embedded"


@dataclass(frozen=True)
class Attribution:
    """What the words around one quotation say: the cue and the speaker's words (if any).

    ``follows_quote`` is True when an earlier quotation stands in the same sentence
    (``said having a campaign "turned off voters" and suggested people were "bored"``).
    """

    position: str
    cue: Span | None = None
    speaker: SpeakerWords | None = None
    follows_quote: bool = False


def position_of(text: str, q: QuotedSpan, floor: int) -> tuple[str, int]:
    """Where the quotation sits (:data:`STARTS`, :data:`INTRODUCED`, :data:`EMBEDDED`) and
    where its sentence starts (never before ``floor``, the end of the previous quotation)."""
    start = sentence_start(text, q.open_mark, floor)
    lead = text[start : q.open_mark].rstrip()
    if not lead:
        return STARTS, start
    if lead[-1] in ":," or lead.endswith(("—", "–", " -")):
        return INTRODUCED, start
    return EMBEDDED, start


def _span(text: str, start: int, end: int) -> Span:
    return Span(start, end, text[start:end])


def _next_mark(text: str, start: int, end: int) -> int:
    for i in range(start, end):
        if text[i] in MARK_CHARS and not (
            text[i] in "'’" and 0 < i < len(text) - 1 and text[i - 1].isalnum()
        ):
            return i
    return end


def _ends_sentence(text: str, after: int) -> bool:
    """True when the quotation closed just before ``after`` ends with a full stop."""
    j = after - 2  # skip the closing mark
    while j >= 0 and text[j] in " \t":
        j -= 1
    return j >= 0 and text[j] in ".…"


def verb_use(text: str, cue: re.Match[str]) -> bool:
    """False for a cue word used as a noun (``six new pledges``, ``an urgent report``) or
    in the passive (``was agreed by``): no speaker stands before it."""
    before = text[max(0, cue.start() - 40) : cue.start()].lower().split()
    if not before:
        return True
    prev = before[-1]
    if prev.endswith(","):
        return True  # "rejected the offer, describing it as", "in 1987, declaring": a clause
    if prev in _NOUN_MARKERS or prev.endswith(("'s", "’s")) or prev[:1].isdigit():
        return False
    word = cue.group()
    past = word.endswith("ed") or word in _IRREGULAR_PAST
    if not past and len(before) > 1 and before[-2] in ("a", "an", "the"):
        return False  # "an urgent report"
    return not (past and prev in _BE_FORMS)


_IRREGULAR_PAST = words_of("said told wrote written spoke spoken thought felt read")
_BE_FORMS = words_of("was were been being be is are")


_NOUN_MARKERS = words_of(
    """the a an his her its their our my your this that these those new no any such
    some many several first last latest previous recent own further two three four
    five six seven eight nine ten official formal public written weekly daily annual
    into of about over against on for with amid other"""
)


_ASIDE = re.compile(r"\s[-–—]\s[^-–—]{1,80}?\s[-–—]\s")


def tag_after(text: str, names: Names, after: int) -> Attribution | None:
    """The attribution in the words from ``after`` (just past a closing mark), if a tag."""
    end = sentence_end(text, after)
    end = _next_mark(text, after, end)
    if _ends_sentence(text, after) and re.match(r"\s*[A-Z]", text[after:end]):
        return None  # "… 10 years." The founder also said …: a new sentence, not a tag
    m = re.match(r"[ \t]*(,?)[ \t]*", text[after:end])
    comma_before = bool(m and m.group(1))
    comma = comma_before or text[: after - 1].rstrip().endswith(",")
    start = after + (m.end() if m else 0)
    if start >= end:
        return None
    said = QUOTED_AS_SAYING.match(text, start, end)
    if said is None:
        said = QUOTED_AS_SAYING.search(text, start, min(end, start + 60))
    if said is not None:
        who = speaker_after(text, names, said.start("who"), said.end("who"))
        return Attribution(STARTS, _span(text, said.start(), said.start() + 6), who)
    according = ACCORDING_TO.match(text, start, end)
    if according is not None:
        who = speaker_after(text, names, according.end(), end)
        return Attribution(STARTS, _span(text, according.start(), according.end()), who)
    tagged = _cue_tag(text, names, start, end)
    if tagged is not None:
        return tagged
    if comma:  # ", Vladimir Milov." or '," AG Edwards' Thayer.' with no verb at all
        rest = text[start:end].rstrip(" .;")
        who = speaker_after(text, names, start, start + len(rest))
        if (
            who is not None
            and who.span.end == start + len(rest)
            and (
                comma_before
                or all(w.rstrip(".") in TITLES for w in text[start : who.span.start].split())
            )
            and who.form == "name"
            and (who.name is None or who.name.label in ("PERSON", "ORG"))
        ):
            # a place ends a sentence as often as a person does (", in Bonn, Germany.")
            return Attribution(STARTS, None, _without_owner(text, who))
    return None


def _without_owner(text: str, who: SpeakerWords) -> SpeakerWords:
    """A name the model did not find without the owner written before it (``AG Edwards'
    Thayer`` is Thayer)."""
    m = re.search(r"['’]s?\s+(?=[A-Z])", who.span.text)
    if who.name is not None or m is None:
        return who
    return SpeakerWords(_span(text, who.span.start + m.end(), who.span.end), NAME_FORM)


def _lead_cue(text: str, names: Names, start: int, open_mark: int, position: str) -> Attribution:
    """The attribution in the sentence before an opening mark: its last cue and subject."""
    said = _last(QUOTED_AS_SAYING.finditer(text, start, open_mark))
    if said is not None:
        who = speaker_after(text, names, said.start("who"), said.end("who"))
        return Attribution(position, _span(text, said.start(), said.start() + 6), who)
    by = DESCRIBED_BY.search(text, start, open_mark)
    if by is not None:
        who = speaker_after(text, names, by.start("who"), by.end("who"))
        if who is not None and who.form != "role":
            return Attribution(position, _span(text, by.start(), by.start("who") - 4), who)
    cues = [c for c in CUE.finditer(text, start, open_mark) if verb_use(text, c)]
    last = cues[-1] if cues else None
    according = _last(ACCORDING_TO.finditer(text, start, open_mark))
    if according is not None and (last is None or according.start() > last.start()):
        comma = text.find(",", according.end(), open_mark)
        who = speaker_after(text, names, according.end(), comma if comma > 0 else open_mark)
        return Attribution(position, _span(text, according.start(), according.end()), who)
    if last is None:
        return Attribution(position)
    who = _parenthetical(text, names, last) or subject_of_cue(text, names, start, last)
    introduces = text[last.end() : open_mark].strip() == ":"  # "the man shouted: "…""
    if who is None or (who.form == "role" and not _relation(who) and not introduces):
        # "X said talks with the producers revealed there was "…"": X's words
        for outer in reversed(cues[:-1]):
            said_by = subject_of_cue(text, names, start, outer)
            if said_by is not None and said_by.form != "role":
                return Attribution(position, _span(text, outer.start(), outer.end()), said_by)
    return Attribution(position, _span(text, last.start(), last.end()), who)


def _relation(who: SpeakerWords) -> bool:
    """True for a description of someone by whose they are (``her mother will say``):
    the speaker, not a subject like "talks with the producers" that hands the quote to
    an earlier cue."""
    words = who.span.text.split()
    return len(words) == 2 and words[0].lower() in ("his", "her", "their") and is_job(words[1])


def inverted_speaker(text: str, names: Names, cue: re.Match[str]) -> SpeakerWords | None:
    """The name right after a cue that follows a comma (``… for their money, said Mr
    Flynn.``, ``Also, said Mr Flynn, Vodafone …``, ``The initiative, said Nagel, "was
    …"``): the speaker of an inverted tag."""
    if not text[: cue.start()].rstrip().endswith(","):
        return None
    who = speaker_after(text, names, cue.end(), sentence_end(text, cue.end()))
    if who is None or who.form != NAME_FORM:
        return None
    if text[who.span.end :].lstrip(" \t")[:1].isalpha():
        return None  # "…, said Charles was one of his heroes": Charles is not who spoke
    between = text[cue.end() : who.span.start].split()
    if not between or (len(between) == 1 and between[0].rstrip(".") in _TITLES):
        return who
    # ", said Sandvine's chief technology officer Marc Morin.": a post, then the name
    post = _POST_BEFORE_NAME.fullmatch(text, cue.end(), who.span.start) is not None
    if post and is_job(between[-1]) and who.name is not None:
        return who if who.name.label == "PERSON" else None
    return None


_TITLES = TITLES | {"Professor"}

_POST_BEFORE_NAME = re.compile(
    r"\s+(?:[A-Z][\w&-]*(?:\s+[A-Z][\w&-]*)?['’]s\s+)?(?:[a-z][\w-]*\s+){1,4}"
)
"""A body's post between a cue and a name: ``said Sandvine's chief technology officer``."""


def _parenthetical(text: str, names: Names, cue: re.Match[str]) -> SpeakerWords | None:
    """The speaker of a tag set off by commas before the quotation (``The initiative,
    said Nagel, "was …"``, ``But, says Nick Donofrio, senior vice-president …, it was
    not "the thing"``); not the one told (``Leigh, who …, told BBC News 24``) nor a name
    the words are about (``, said Mr Blair "should butt out"``)."""
    if cue.group() not in SAYING or cue.group() in TELLING:
        return None
    who = inverted_speaker(text, names, cue)
    if who is None or not text[who.span.end :].lstrip(" \t").startswith(","):
        return None
    return who


def _last(matches: Iterator[re.Match[str]]) -> re.Match[str] | None:
    found = None
    for found in matches:  # noqa: B007 - the last one is wanted
        pass
    return found


def subject_of_cue(text: str, names: Names, start: int, cue: re.Match[str]) -> SpeakerWords | None:
    """Who a cue verb in the sentence starting at ``start`` reports: its subject.

    ``X, head of Y, said`` → X; ``X did this, saying`` and ``X did this and said`` →
    the subject of the sentence; ``dismissed the figures insisting`` → not the figures.
    """
    before = text[start : cue.start()].split()
    participle = cue.group().lower().endswith("ing")
    shared = (participle and text[: cue.start()].rstrip()[-1:] == ",") or (
        bool(before) and before[-1] in ("and", "but")
    )
    tag = _PRONOUN_TAG.search(text, start, cue.start()) if participle else None
    if tag is not None and is_tag_cue(tag.group(2)):
        # "Mr Blair has failed …, he claimed, saying": the tag's speaker, not the subject
        return SpeakerWords(_span(text, tag.start(1), tag.end(1)), PRONOUN_FORM)
    who = None if shared else speaker_before(text, names, start, cue.start())
    if participle and who is not None and who.form == "role":
        who = None
    if participle and (seen := _seen_doing(text, names, start, cue.start())) is not None:
        return seen
    if who is None and (shared or participle or not before):
        clause = start
        for m in _CLAUSE_BREAK.finditer(text, start, cue.start()):
            clause = m.end()
        who = speaker_after(text, names, clause, cue.start())
        if who is None and (shared or participle):
            who = _main_subject(text, names, start, cue.start())
    return who


def _main_subject(text: str, names: Names, start: int, end: int) -> SpeakerWords | None:
    """The name or pronoun that is the subject of the sentence ``[start, end)``: at its
    start (``Mr Boateng served … before being elected …, declaring``), or right after an
    opening clause set off by a comma (``As he arrived at the court, Mr Botin greeted
    the media, saying``; ``Shortly after collecting a trophy, Federer … concluded by
    saying``)."""
    opening = text[start:end].split(maxsplit=1)
    comma = text.find(",", start, end)
    at = start
    if opening and opens_clause(opening[0]) and comma > 0:
        at = comma + 1
    who = speaker_after(text, names, at, end)
    if who is None or who.form == "role" or who.span.start - at > 2:
        return None
    return who


def _seen_doing(text: str, names: Names, start: int, end: int) -> SpeakerWords | None:
    """The name a verb of seeing or hearing takes as its object in ``[start, end)``,
    who does what a participle after it says (``The documentary showed Mr Nattrass,
    apparently talking about the EU, telling the meeting``), unless a clause with a
    subject of its own comes between."""
    found = _last(_SEEING.finditer(text, start, end))
    if found is None:
        return None
    who = speaker_after(text, names, found.end(), end)
    if who is None or who.form != NAME_FORM or who.span.start - found.end() > 4:
        return None
    if _CLAUSE_BREAK.search(text, who.span.end, end):
        return None  # "go and see Raw T, but he had initially been reluctant saying"
    return who


_SEEING = re.compile(
    r"\b(?:show(?:s|ed|n)?|saw|seen|sees?|heard|hears?|watch(?:es|ed)?|filmed|films?"
    r"|caught|pictured|captured|recorded|depicts?|depicted|features?|featured)\s+"
)
"""Verbs of seeing or hearing, whose object does what a participle after it says."""


_PRONOUN_TAG = re.compile(r",\s+(he|she|it|they)\s+(\w+)\s*,\s*$")
"""A pronoun's tag set off before a participle: ", he claimed, saying"."""

_CLAUSE_BREAK = re.compile(
    r"(?:,\s+(?:but|and|while|whereas|although|though)|;"
    r"|\b(?:when|while|whereas|although|because|after|before|until|if))\s+"
)
"""Where a coordinated or subordinate clause starts: its own subject comes next (``…,
but Turkey, …, had insisted …, calling``; ``… when the host opened … and declared``)."""


def _rest_of_sentence(text: str, q: QuotedSpan) -> tuple[int, int] | None:
    """Where the sentence holding a quotation goes on after it, ``(after, end)``; None
    when another quotation opens there first (its tag is that one's)."""
    after = (q.close_mark if q.close_mark is not None else q.end) + 1
    end = sentence_end(text, after)
    return None if _next_mark(text, after, end) < end else (after, end)


def _cue_tag(text: str, names: Names, start: int, end: int) -> Attribution | None:
    """The tag with a cue verb in ``[start, end)``: the verb first, or the speaker and then
    the verb (at most :data:`MAX_TAG_WORDS` words before it, unless they are a person
    set off before a description)."""
    verbs = 0
    for cue in CUE.finditer(text, start, end):
        # an aside in dashes is not part of the tag: ," Andrei Illarionov - then economic
        # adviser to President Vladimir Putin - told a press conference
        tag = _ASIDE.sub(" ", text[start : cue.start()])
        if tag.split() in (["the"], ["a"], ["an"]):
            continue  # ', the report said', ' "clear message" the report sends': a noun
        verbs += 1
        if verbs == 1 and len(tag.split()) > MAX_TAG_WORDS and is_tag_cue(cue.group()):
            named = _name_opening_long_tag(text, names, start, cue.start())
            if named is not None:
                return Attribution(STARTS, _span(text, cue.start(), cue.end()), named)
        if verbs > 1 or len(tag.split()) > MAX_TAG_WORDS:
            return None
        if not is_tag_cue(cue.group()):
            continue
        if cue.start() == start:  # inverted: ," said Mr Hogg
            who = speaker_after(text, names, cue.end(), end)
            if who is None:
                who = name_ending_phrase(text, names, cue.end(), end)
        else:
            who = _clause_subject(text, names, start, cue.start())
            if who is None:
                who = speaker_after(text, names, start, cue.start())
            if who is None:
                who = speaker_before(text, names, start, cue.start())
        return Attribution(STARTS, _span(text, cue.start(), cue.end()), who)
    return None


def _clause_subject(text: str, names: Names, start: int, cue: int) -> SpeakerWords | None:
    """The subject of a cue that opens its own clause after a comma, where the words
    after the quotation go on with the writer's sentence in lower case (``" talks with
    the London Stock Exchange (LSE), its chief has said``): its words, not a name earlier
    in that sentence. None when the words after the quotation start with a name (``,"
    Michael Lamberty, a Lufthansa spokesman told``), and unless the words after the comma
    open with the subject, right before its verb."""
    comma = text.rfind(",", start, cue)
    if comma < 0 or not text[start : start + 1].islower():
        return None
    who = speaker_after(text, names, comma + 1, cue)
    if who is None or who.span.start > comma + 2 or len(text[who.span.end : cue].split()) > 2:
        return None  # "…' society, it is good to see someone like Mr. Forsyth speak out"
    return who


def _name_opening_long_tag(text: str, names: Names, start: int, cue: int) -> SpeakerWords | None:
    """The person who opens a tag longer than :data:`MAX_TAG_WORDS` when the rest of it,
    up to the cue, describes them: set off by commas (``," Julio Hegedus, chief economist
    with Lopes Filho & Associates consultancy in Rio de Janeiro, told``) or a job right
    after the name (``," Dr Mark Tuffy games systems director at digital content firm
    THX told``)."""
    before = text[start:cue].rstrip()
    title = _TITLE_WORD.match(text, start)
    after_title = title.end() if title is not None else start
    opening = [n for n in names.within(start, start + 60) if n.start in (start, after_title)]
    if not opening or opening[0].label != "PERSON":
        return None
    name = opening[0]
    if name.start > start and text[start : name.start].split()[0] not in TITLES:
        return None
    if text[name.end : name.end + 1] == ",":
        if not before.endswith(","):
            return None
    elif not _job_after(text[name.end : start + len(before)]):
        return None
    inside = names.within(name.end + 1, start + len(before) - 1)
    if any(n.label == "PERSON" for n in inside) or len(before.split()) > _LONG_TAG_WORDS:
        return None
    return SpeakerWords(_span(text, name.start, name.end), NAME_FORM, name)


_TITLE_WORD = re.compile(r"[A-Z][a-z]*\.?\s+")
"""A capitalised word that may be the title before a name (``Dr``, checked in TITLES)."""


def _job_after(words: str) -> bool:
    """True when ``words`` open with a job in lower case before any preposition
    (``games systems director at digital content firm THX``)."""
    lead = []
    for w in words.split():
        if w.lower() in PHRASE_PREPOSITIONS:
            break
        lead.append(w)
    return bool(lead) and all(w.islower() for w in lead) and is_job(lead[-1])


_LONG_TAG_WORDS = 25
"""Words of a tag read for a name set off before a long description."""


def _final_tag(text: str, names: Names, q: QuotedSpan) -> Attribution | None:
    """``… had "risen by 20% in real terms" if …, Mr Milburn told the BBC.``: a tag that
    ends the sentence holding a quotation attributes it. The tag is the last clause after
    a comma that names a speaker; a description of the speaker may follow it (``…, says
    Laura Spitler, an astronomer at the Max Planck Institute … in Bonn, Germany.``)."""
    clause = _rest_of_sentence(text, q)
    if clause is None:
        return None
    after, end = clause
    comma = text.rfind(",", after, end)
    last = comma
    named = _named_before_apposition(text, names, after, last)
    if named is not None:
        return named
    for _ in range(_FINAL_TAG_COMMAS):
        if comma < 0:
            return None
        tag = tag_after(text, names, comma)
        if tag is not None and tag.speaker is not None:
            if comma == last or (tag.cue is not None and tag.cue.text in SAYING):
                break
            return None  # ", had been introduced by his son Nick, a trainee vicar."
        comma = text.rfind(",", after, comma)
    else:
        return None
    rest = text[tag.speaker.span.end : end]
    cue_end = tag.cue.end if tag.cue is not None else tag.speaker.span.end
    tail = text[max(cue_end, tag.speaker.span.end) : end]
    if not rest or (len(tail.split()) > 6 and not _sets_off_description(tail)):
        return None
    return tag


def _named_before_apposition(text: str, names: Names, after: int, last: int) -> Attribution | None:
    """``…, Binyah Kesselly, chairman of the board …, told reporters.``: a sentence that
    ends in a cue with no subject of its own (after its last comma, at ``last``), whose
    subject is a person's name set off by commas before a description of them."""
    if last < 0:
        return None
    closing = tag_after(text, names, last)
    if closing is None or closing.speaker is not None or closing.cue is None:
        return None
    if text[last + 1 : closing.cue.start].strip():
        return None  # the cue must open the last clause
    comma = text.rfind(",", after, last)
    for _ in range(_FINAL_TAG_COMMAS - 1):
        if comma < 0:
            return None
        following = text.find(",", comma + 1, last + 1)
        who = speaker_after(text, names, comma + 1, following)
        if (
            who is not None
            and who.form == NAME_FORM
            and who.name is not None
            and who.name.label == "PERSON"
            and not text[who.span.end : following].strip()
            and described_as_person(text, who.span.start, following)
        ):
            return Attribution(STARTS, closing.cue, who)
        comma = text.rfind(",", after, comma)
    return None


_FINAL_TAG_COMMAS = 4
"""Commas read back from the end of a sentence for its tag (the work stays bounded)."""


def _sets_off_description(tail: str) -> bool:
    """True when ``tail`` opens with a comma and a description of the speaker named
    before it: ``, an astronomer at …``."""
    return tail.startswith(",") and DESCRIPTION_START.match(tail, 1) is not None


def _colon_subject(text: str, names: Names, start: int, open_mark: int) -> SpeakerWords | None:
    """``He also criticised the cult of personality politics: "…"``: the subject, if a name
    or pronoun starts the sentence; not one a cue before it governs (``But told BBC
    News: "…"``, whose subject is left out)."""
    who = speaker_after(text, names, start, open_mark)
    if who is None or who.form == "role":
        return None
    if any(verb_use(text, c) for c in CUE.finditer(text, start, who.span.start)):
        return None
    return who


def _comma_closes(text: str, q: QuotedSpan) -> bool:
    """True when a comma ends the quotation, inside or just after its closing mark: a tag
    follows (``"…," Mr Grieve said``), not more of the writer's sentence."""
    if q.close_mark is None:
        return False
    inside = text[q.start : q.end].rstrip()
    return inside.endswith(",") or text[q.close_mark + 1 : q.close_mark + 3].lstrip().startswith(
        ","
    )


def _sentence_goes_on(text: str, q: QuotedSpan) -> bool:
    """True when the writer's sentence goes on in lower case after the quotation
    (``"He will be prosecuted" when he returns …``), which ends no sentence itself."""
    if q.close_mark is None or text[q.start : q.end].rstrip()[-1:] in ".!?,":
        return False
    after = text[q.close_mark + 1 : q.close_mark + 3]
    return after[:1] == " " and after[1:].islower()


def _tag(text: str, names: Names, q: QuotedSpan) -> Attribution | None:
    return None if q.close_mark is None else tag_after(text, names, q.close_mark + 1)


def attribute(
    text: str, names: Names, q: QuotedSpan, floor: int, continues: bool = True
) -> Attribution:
    """The cue and speaker's words of one quotation (either may be None). With
    ``continues``, an untagged quotation right after the quotation before (ending at
    ``floor``) in the same sentence continues it; a quoted term before it
    (``detainee 'A' in Woodhill Prison said: "…"``) is not one to continue."""
    found = _attribute(text, names, q, floor)
    if found.speaker is None and floor > 0 and continues:
        start = position_of(text, q, floor)[1]
        if start == floor and text[paragraph_start(text, q.open_mark) : floor].strip():
            return Attribution(found.position, found.cue, None, follows_quote=True)
    return found


def _attribute(text: str, names: Names, q: QuotedSpan, floor: int) -> Attribution:
    position, start = position_of(text, q, floor)
    if position == STARTS:
        tag = _tag(text, names, q)
        if (tag is None or tag.speaker is None) and _sentence_goes_on(text, q):
            # '"He will be prosecuted" when he returns to Liberia, Binyah Kesselly, …, told
            # reporters.': the writer's sentence goes on to its tag
            rest = _rest_of_sentence(text, q)
            if rest is not None:
                after, end = rest
                named = _named_before_apposition(text, names, after, text.rfind(",", after, end))
                if named is not None:
                    return Attribution(position, named.cue, named.speaker)
        return tag or Attribution(position)
    lead = _lead_cue(text, names, start, q.open_mark, position)
    if lead.speaker is not None and lead.speaker.form == "role" and _comma_closes(text, q):
        # "The government had proposed to "smash it to pieces," Mr Grieve said.": the
        # name that tags the sentence said it
        final = _final_tag(text, names, q) or _tag(text, names, q)
        if final is not None and final.speaker is not None and final.speaker.form == "name":
            return Attribution(position, final.cue, final.speaker)
    if lead.speaker is not None:
        return lead
    tag = _tag(text, names, q)
    if tag is not None and tag.speaker is not None:
        return Attribution(position, tag.cue, tag.speaker)
    final = _final_tag(text, names, q)
    if final is not None:
        return Attribution(position, final.cue, final.speaker)
    if position == INTRODUCED and text[: q.open_mark].rstrip().endswith(":"):
        who = _colon_subject(text, names, start, q.open_mark)
        if who is not None:
            return Attribution(position, lead.cue, who)
    if lead.cue is None and tag is not None:
        return Attribution(position, tag.cue)
    return lead
