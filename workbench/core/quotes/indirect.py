"""Reported speech without quotation marks, where the sentence's shape says whose it is.

Only four shapes, each easy to get right, and only in sentences that hold no quotation:

- ``According to Joseph Dempsey, supplies are …`` (the words after the comma);
- ``Supplies are …, according to Joseph Dempsey.`` (the words before the comma);
- ``We see that the United States …, Li said.`` (a tag that ends the sentence);
- ``Mr Wilson had said (that) the president has decided …`` (a name, pronoun or
  description, a cue verb, and the clause after it; ``told`` needs ``that``).

The reported words must run to at least :data:`MIN_WORDS` words. A speaker named by a
pronoun or a description is resolved like a direct quote's.
"""

from __future__ import annotations

import bisect
import re

from .antecedents import Antecedents
from .attribution import subject_of_cue, tag_after, verb_use
from .cues import ACCORDING_TO, CUE, SAYING, TELLING
from .marks import MARK_CHARS, QuotedSpan
from .model import Quote, Span
from .speakers import (
    AUXILIARIES,
    COLLECTIVE_NOUNS,
    NAME_FORM,
    PRONOUN_FORM,
    ROLE_FORM,
    SpeakerWords,
    speaker_after,
)
from .text import Names, sentence_end, words, words_of

MAX_SENTENCES = 20_000
"""Sentences read for reported speech per text."""
MIN_WORDS = 5
"""Reported words shorter than this are not worth a quote (``he said so``)."""
_THAT = re.compile(r"\s*(?:that\s+)?")
_TOLD_THAT = re.compile(r"\s+(?:[\w’'.-]+\s+){1,6}?that\s+")
_ADJUNCT_THAT = re.compile(
    r"\s+(?:on|last|this|late|earlier|yesterday|today|in\s+an?)\b(?:\s+[\w’'-]+){0,4}?\s+that\s+"
)
"""A time or a medium between the cue and "that": ``said on Friday that``, ``told
reporters in a statement that``."""
_CLAUSE = re.compile(
    r"(?:he|she|it|they|we|I|there|(?:his|her|its|their|the|a|an|some|many|most|all)\s+[\w’'-]+"
    r"(?:\s+[\w’'-]+)?|[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,3})"
    r"\s+(?:must|would|will|had|has|have|was|were|is|are|could|should|may|might|did|does|"
    r"can|cannot|needed|needs)\b"
    r"|(?:he|she|they|we|I)\s+[a-z]+ed\b"
)
"""The start of a clause, its subject then a finite verb: ``his side must improve``,
``Liverpool are still``, ``he tried``."""
_TOLD_WHOM = re.compile(
    r"\s+(?:me|him|her|us|them|you|[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,2})\s+(?="
    + _CLAUSE.pattern
    + ")"
)
"""Who was told, right before the clause: ``told her she had no future``."""


def _sentences(text: str, quoted: list[QuotedSpan]) -> list[tuple[int, int]]:
    """The sentences of ``text`` that hold no quotation mark, as (start, end)."""
    blocked = sorted(
        (q.open_mark, (q.close_mark if q.close_mark is not None else q.end) + 1) for q in quoted
    )
    starts = [b[0] for b in blocked]
    out: list[tuple[int, int]] = []
    pos = 0
    while pos < len(text) and len(out) < MAX_SENTENCES:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            break
        end = max(sentence_end(text, pos), pos + 1)
        i = bisect.bisect_left(starts, end) - 1  # the last quotation opening before the end
        overlaps = i >= 0 and blocked[i][1] > pos
        if not overlaps and not any(ch in MARK_CHARS and ch not in "'’" for ch in text[pos:end]):
            out.append((pos, end))
        pos = end
    return out


def _content(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and (text[start].isspace() or text[start] in ",;:"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ".,;:!?"):
        end -= 1
    return (start, end) if len(words(text[start:end])) >= MIN_WORDS else None


def _shape(
    text: str, names: Names, start: int, end: int
) -> tuple[tuple[int, int], SpeakerWords, Span] | None:
    """The reported words, the speaker's words and the cue of one sentence, if it has a
    shape of reported speech."""
    according = ACCORDING_TO.match(text, start, end)
    if according is not None:
        comma = text.find(",", according.end(), end)
        who = speaker_after(text, names, according.end(), comma) if comma > 0 else None
        content = _content(text, comma + 1, end) if comma > 0 else None
        if who is not None and content is not None:
            return content, who, Span(according.start(), according.end(), according.group())
    found = _final_tag(text, names, start, end)
    return found if found is not None else _said_that(text, names, start, end)


def _final_tag(
    text: str, names: Names, start: int, end: int
) -> tuple[tuple[int, int], SpeakerWords, Span] | None:
    """``…, Li said.`` / ``…, says James Humphreys, ex-head of …``: a tag after the last
    commas of the sentence (the speaker may carry an apposition to the end)."""
    comma = end
    for _ in range(3):
        comma = text.rfind(",", start, comma)
        if comma <= start:
            return None
        if _RELATIVE_TAG.match(text, comma + 1, end):
            continue
        tag = tag_after(text, names, comma)
        if tag is None or tag.cue is None:
            continue
        if tag.cue.text not in SAYING and not ACCORDING_TO.fullmatch(tag.cue.text):
            continue  # "…, according to the Institute for Fiscal Studies." reports too
        who = tag.speaker
        if who is None or not _plausible(who):
            continue
        inverted = who.span.start > tag.cue.start  # ", said X"
        if inverted and tag.cue.text in TELLING:
            continue  # ", told the BBC News website that …": the one told, not who spoke
        if _LIST_GOES_ON.search(text, who.span.end, tag.cue.start) and _NAME_ENDS.search(
            text, start, comma
        ):
            return None  # "the Council of Mortgage Lenders, British Bankers Association and
            # Building Societies Association all said": the name before the comma speaks too
        rest = text[max(who.span.end, tag.cue.end) : end].strip()
        first = rest.split()[0].lower() if rest.split() else ""
        if inverted and (first in _BE or first in AUXILIARIES):
            continue  # ", said the comedian was pleased": what was said, not an inverted tag
        content = _content(text, start, comma)
        if content is not None and (len(rest.split()) <= 6 or rest.startswith(",")):
            return content, _whole_source(text, tag.cue, who, end), tag.cue
    return None


def _whole_source(text: str, cue: Span, who: SpeakerWords, end: int) -> SpeakerWords:
    """After "according to", a description runs to the end of the sentence or the next
    comma: "a recent report from analysts Gartner", not "a recent"."""
    if not ACCORDING_TO.fullmatch(cue.text) or who.form != ROLE_FORM:
        return who
    comma = text.find(",", who.span.end, end)
    phrase = _content(text, who.span.start, end if comma < 0 else comma)
    if phrase is None:
        return who
    return SpeakerWords(Span(phrase[0], phrase[1], text[phrase[0] : phrase[1]]), ROLE_FORM)


_LIST_GOES_ON = re.compile(r"\s(?:and|&)\s+[A-Z]")
"""A list of names that goes on after a speaker (``… and Building Societies Association``)."""
_NAME_ENDS = re.compile(r"(?:[A-Z][\w’'&.-]*|\))\s*$")
"""Words before a comma that end with a name (``… the Council of Mortgage Lenders (CML)``)."""
_BE = words_of("is was were are be been has had have")
_RELATIVE_TAG = re.compile(r"\s*(?:which|who|that|as|although|though|while)\b", re.I)
"""``…, which the Tories deny.``: a relative clause, not a tag."""
_FUNCTION_END = words_of("the a an of for from at with in on to by after before about and or but")


_NOT_HEADS = words_of("first second third last other latter former same latest next rest")
_SPEAKING_HEADS = words_of(
    """lawyer lawyers spokesman spokeswoman spokesperson agent solicitor aide aides
    manager coach team family wife husband son daughter father mother friend friends
    office party government company firm officials colleague colleagues advisers"""
)


def _plausible(who: SpeakerWords | None) -> bool:
    """A speaker's words that read as a speaker (not ``the``, not ``the island of
    Fuerteventura six weeks after``)."""
    if who is None:
        return False
    words = who.span.text.split()
    if not words or words[-1].lower() in _FUNCTION_END or words[-1].lower() in _NOT_HEADS:
        return False
    if who.form == "role" and words[0].lower() in ("his", "her", "its", "their"):
        return words[-1].lower() in _SPEAKING_HEADS  # "his lawyer", not "his wishes"
    # "Analysts said that …", "However, traders warned that …": a kind of people speaks
    return who.form != "role" or len(words) >= 2 or words[0].lower() in COLLECTIVE_NOUNS


def _said_that(
    text: str, names: Names, start: int, end: int
) -> tuple[tuple[int, int], SpeakerWords, Span] | None:
    for cue in CUE.finditer(text, start, end):
        word = cue.group()
        if word not in REPORTING or not verb_use(text, cue):
            continue
        if word == "say" and not _says(text, start, cue.start()):
            continue
        who = subject_of_cue(text, names, start, cue)
        if not _plausible(who):
            continue
        tag = text[: cue.start()].rstrip().endswith(",") and word not in TELLING
        if tag and (who is None or who.form != NAME_FORM):
            # "…, says X": a tag, the words are before it (one told comes after); not "X,
            # which owns …, said it would …", where X's apposition ends at the comma
            continue
        m = _clause_after(text, word, cue.end(), end)
        if m is None or _NOT_A_CLAUSE.match(text, m.end(), end):
            continue
        first = re.match(r"[\w’'-]+", text[m.end() : end])
        if (
            first
            and first.group().islower()
            and (first.group().endswith("ed") or first.group() in _BE)
        ):
            continue  # "claims slipped", "claimed was": the cue was a noun, or no clause
        content = _content(text, m.end(), end)
        if content is not None and who is not None:
            return content, who, Span(cue.start(), cue.end(), word)
    return None


REPORTING = SAYING | words_of("say revealed reveals")
"""Cue verbs whose clause reports speech in the writer's sentence: those of
:data:`~.cues.SAYING`, and ``analysts say that``, ``Woodward revealed he had``."""


_NOT_SAYING = words_of(
    """not never to would might could should will shall may can must dare i we you us let
    don't didn't doesn't won't wouldn't"""
)


def _says(text: str, start: int, at: int) -> bool:
    """Whether "say" at ``at`` reports what people say (``analysts say that``), not the
    writer's or a negated, wished or idiomatic say (``did not say``, ``to say``, ``I would
    say``, ``let us say``)."""
    before = text[start:at].split()
    return bool(before) and before[-1].lower() not in _NOT_SAYING


def _clause_after(text: str, word: str, at: int, end: int) -> re.Match[str] | None:
    """What comes between the cue ``word`` ending at ``at`` and the clause it reports:
    "that", a time or medium then "that", whom one told; or nothing, when a clause starts
    right away (for a verb that as often takes a thing, only then)."""
    told = word in TELLING
    for pattern in (_TOLD_THAT, _TOLD_WHOM) if told else (_ADJUNCT_THAT,):
        m = pattern.match(text, at, end)
        if m is not None:
            return m
    bare = None if told else _THAT.match(text, at, end)  # "that" or nothing
    if bare is not None and word in OBJECT_TAKING and "that" not in bare.group():
        return bare if _CLAUSE.match(text, bare.end(), end) else None
    return bare


OBJECT_TAKING = words_of(
    """revealed reveals added adds confirmed confirms announced announces reported reports
    noted notes denied denies admitted admits acknowledged acknowledges stated states
    declared declares"""
)
"""Of those, the ones as often followed by a thing as by a clause (``added four
conversions``, ``reported a 6% rise``): they report speech only with ``that`` or a
clause that starts right away (``admits his side must improve``)."""
_NOT_A_CLAUSE = re.compile(r"(?:to|of|about|on|for|with|at|by|in|as)\b", re.I)


def find_indirect(
    text: str, names: Names, quoted: list[QuotedSpan], ants: Antecedents
) -> list[Quote]:
    """The reported speech of ``text`` outside its quotations, in order."""
    out = []
    for start, end in _sentences(text, quoted):
        found = _shape(text, names, start, end)
        if found is None:
            continue
        (c_start, c_end), who, cue = found
        # a pronoun is read from where the reported words start, so that the subject of
        # its own sentence comes first ("Gregory Ioannidis has submitted new evidence …
        # which he claims proves …"); a description from the sentence's start, so that no
        # name before it in its own sentence is taken for it
        res, _ = ants.resolve(who, c_start if who.form == PRONOUN_FORM else start)
        out.append(
            Quote(
                c_start,
                c_end,
                "indirect",
                res.attribution,
                cue,
                who.span,
                res.source,
                res.description if res.source is None else "",
            )
        )
    return out
