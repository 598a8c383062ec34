"""Quote extraction for one text: marks, attribution, speakers, and reported speech.

:func:`extract_quotes` takes a document's text and its raw NER spans (the entity cache's,
so no model runs here) and returns its :class:`~.model.Quote` s in order. It is a few
linear passes of regular expressions over the text: no parser. The work per document is
capped (:data:`MAX_CHARS` of text, :data:`~.marks.MAX_MARKS` marks, :data:`MAX_QUOTES`
quotes), so no input can make it run away.

Quoted terms are not quotes: a quotation of at most :data:`TERM_WORDS` words that no cue
attributes (``known as "passing off"``, ``dubbed him "Minister of Discord"``) is left out,
and so is a quotation with no letters in it (``ETag: "1382694048000"``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace

from .antecedents import Antecedents
from .attribution import (
    EMBEDDED,
    STARTS,
    Attribution,
    attribute,
    inverted_speaker,
    subject_of_cue,
    tag_after,
    verb_use,
)
from .cues import CUE, NARRATION_ONLY, is_tag_cue
from .descriptions import SUBORDINATORS
from .fullnames import full_name, surname_mentions
from .indirect import find_indirect
from .marks import QuotedSpan, pair_marks
from .model import Quote, Span
from .persons import person_spans
from .speakers import NAME_FORM, PRONOUN_FORM, ROLE_FORM, speaker_after
from .story import ROLE_LABEL, Event, Resolution
from .text import Names, lone_name, sentence_end, sentence_start, words, words_of

MAX_CHARS = 1_000_000
"""Characters of a text read for quotes (a book-length text is read up to there)."""
MAX_QUOTES = 5_000
"""Quotes kept per text."""
TERM_WORDS = 3
"""An unattributed quotation this short is a quoted term, not a quote."""

_UNCLOSED_TAIL = re.compile(r",\s+(?=(?:according to\b|[^,.;:!?]{1,60}?\b\w+\b)[^,]*$)")


def _cut_tail(text: str, names: Names, q: QuotedSpan) -> tuple[QuotedSpan, Attribution | None]:
    """A quotation whose closing mark is missing, cut before its attribution
    (``… a shared denominator, according to Tchakarova.``)."""
    if q.close_mark is not None:
        return q, None
    last = sentence_start(text, q.end - 1, q.start)
    for m in _UNCLOSED_TAIL.finditer(text, last, q.end):
        tag = tag_after(text, names, m.start())
        if tag is not None and tag.speaker is not None:
            cut = QuotedSpan(q.start, m.start(), q.open_mark, None, q.family, q.reopened)
            return cut, tag
    return q, None


def _narrated_events(
    text: str, names: Names, quoted: list[QuotedSpan], taken: set[int]
) -> list[tuple[int, Event | None, object]]:
    """Speech acts told in the narration (``Mr Wilson had said that …``), as events."""
    out: list[tuple[int, Event | None, object]] = []
    bounds = [(q.open_mark, q.end + 1) for q in quoted]
    i = 0
    spoke_until = -1  # the end of the sentence whose speech act was found last
    for cue in CUE.finditer(text):
        while i < len(bounds) and bounds[i][1] <= cue.start():
            i += 1
        if i < len(bounds) and bounds[i][0] <= cue.start() < bounds[i][1]:
            continue
        word = cue.group()
        if cue.start() in taken or not is_tag_cue(word) or word in NARRATION_ONLY:
            continue
        if word.endswith("ing") or not verb_use(text, cue) or text.startswith(" to ", cue.end()):
            continue  # "of telling lies", "his forecasts", "adds to": no speaker before them
        if _MODAL_BEFORE.search(text, max(0, cue.start() - 20), cue.start()):
            continue  # "would add eight pages", "at a loss to explain": no speech act
        floor = bounds[i - 1][1] if i > 0 else 0
        opening = sentence_start(text, cue.start(), floor)
        if text.startswith("According to ", opening):
            continue  # "According to Mandaric, Redknapp vowed …": Mandaric's words
        who = inverted_speaker(text, names, cue) or subject_of_cue(
            text, names, sentence_start(text, cue.start(), floor), cue
        )
        if who is None or (who.form == ROLE_FORM and cue.start() < spoke_until):
            continue  # "Robin Cook said [the admission … suggested …]": what he said
        if cue.start() < spoke_until and _subordinate(text, who.span.start):
            continue  # "Mr Clarke said he had supported the plans when Mr Blunkett argued
            # for them": part of what Mr Clarke said, not the last to speak
        out.append((cue.start(), None, who))
        spoke_until = sentence_end(text, cue.start())
    return out


def _subordinate(text: str, start: int) -> bool:
    """True when the words before ``start`` end with a word that opens a subordinate
    clause (``when``, ``because``, ``after``)."""
    before = text[max(0, start - 20) : start].split()
    return bool(before) and before[-1].lower() in SUBORDINATORS


_MODAL_BEFORE = re.compile(
    r"\b(?:(?:would|will|could|should|may|might|can|must)(?:\s+(?:not|never|also))?|to)\s+$"
)


_FOR_HOLDER = re.compile(
    r"(?:^|(?<=[.!?]\s)|(?<=[.!?][\"”]\s)|(?<=\n))(?:(?:But|And|Yet)\s+)?"
    r"(?:[Ff]or|According to)\s+(?=[A-Z])"
)


def _opinion_holders(
    text: str, names: Names, named_person: Callable[[Span], bool]
) -> list[tuple[int, Event | None, object]]:
    """``For Jupiter analyst Olivier Beauvillain, Yahoo's decision was an error.``,
    ``According to Mandaric, Redknapp vowed …``: a sentence that opens with "For
    <person>," or "According to <person>," gives that person's words, like a speech act."""
    out: list[tuple[int, Event | None, object]] = []
    for m in _FOR_HOLDER.finditer(text):
        comma = text.find(",", m.end(), m.end() + 100)
        if comma < 0:
            continue
        who = speaker_after(text, names, m.end(), comma)
        if who is None or who.form != NAME_FORM:
            continue
        if who.name and who.name.label != "PERSON" and not named_person(who.span):
            continue  # "For Apple, …" (but "According to Mandaric," whom it calls a place here)
        out.append((comma, None, who))
    return out


def _make_quote(q: QuotedSpan, att: Attribution, res: Resolution) -> Quote:
    kind = "partial" if att.position == EMBEDDED else "direct"
    speaker = att.speaker.span if att.speaker is not None else None
    description = res.description if res.source is None else ""
    if res.source is not None and res.attribution == "name":
        description = ""
    return Quote(q.start, q.end, kind, res.attribution, att.cue, speaker, res.source, description)


def extract_quotes(text: str, spans: Iterable[tuple[int, int, str]]) -> list[Quote]:
    """The quotes of ``text`` given its raw NER spans ``(start, end, label)``, in order."""
    text = text[:MAX_CHARS]
    spans = person_spans(text, list(spans))
    names = Names(spans + surname_mentions(text, spans))
    marked = pair_marks(text)[:MAX_QUOTES]
    found: list[tuple[QuotedSpan, Attribution]] = []
    floor = 0
    kept = False  # whether the quotation before was kept (not a quoted term)
    for q in marked:
        q, tail = _cut_tail(text, names, q)
        att = tail or attribute(text, names, q, floor, continues=kept)
        kept = att.speaker is not None or len(words(text[q.start : q.end])) > TERM_WORDS
        if kept:
            found.append((q, att))
        floor = (q.close_mark or q.end) + 1
    taken = {att.cue.start for _, att in found if att.cue is not None}
    items: list[tuple[int, Event | None, object]] = _narrated_events(text, names, marked, taken)
    ants = Antecedents(text, names)
    items += _opinion_holders(text, names, ants.named_person)
    items += [(q.start, None, (q, att)) for q, att in found]
    items.sort(key=lambda item: item[0])
    for q, _ in found:
        ants.add_quoted(q.start, q.end)
    quotes: list[Quote] = []
    for pos, _, payload in items:
        if isinstance(payload, tuple):
            q, att = payload
            if att.speaker is not None:
                res, label = ants.resolve(att.speaker, pos)
            elif att.position == STARTS or att.follows_quote or _elided(text, att):
                res = ants.continuation(pos)
                label = ants.label_of(res.source)
            else:  # in or after the writer's words about someone else: nobody's, as far as known
                res, label = Resolution(None, "none"), ROLE_LABEL
            if _is_term(text, q, att, res):
                continue
            quotes.append(_make_quote(q, att, res))
            if res.attribution != "none":
                ants.add(Event(pos, res.source, label, res.description or _said_by(att)))
        else:
            res, label = ants.resolve(payload, pos)  # type: ignore[arg-type]
            ants.add(Event(pos, res.source, label, res.description))
    quotes += find_indirect(text, names, [q for q, _ in found], ants)
    quotes.sort(key=lambda x: (x.start, x.end))
    return _with_full_names(text, spans, quotes[:MAX_QUOTES])


def _with_full_names(
    text: str, spans: list[tuple[int, int, str]], quotes: list[Quote]
) -> list[Quote]:
    """The quotes, those whose speaker is a surname alone with the full name the text
    gives it (:func:`~.fullnames.full_name`)."""
    known: dict[str, str | None] = {}
    out = []
    for q in quotes:
        surname = lone_name(q.source.text) if q.source else None
        if surname is not None:
            if surname not in known:
                known[surname] = full_name(text, surname, spans)
            found = known[surname]
            if found:
                q = replace(q, full_name=found)
        out.append(q)
    return out


_NAMING = re.compile(
    r"\b(?:known as|so-called|dubbed|nicknamed|termed|entitled|titled|"
    r"the (?:very |new |so-called |whole )?(?:word|words|term|phrase|name|title|label|slogan|motto))\s*$",
    re.I,
)


def _is_term(text: str, q: QuotedSpan, att: Attribution, res: Resolution) -> bool:
    """A quoted term rather than a quote: named as a term (``known as "passing off"``),
    or short and said by nobody the text names or describes."""
    if _LETTER.search(text, q.start, q.end) is None:
        return True  # 'ETag: "1382694048000"', '"50/50"': a value, no words
    n = len(words(text[q.start : q.end]))
    if n <= 2 * TERM_WORDS and _NAMING.search(text, max(0, q.open_mark - 30), q.open_mark):
        return True
    if res.source is None and _CITED.search(text, max(0, q.open_mark - 40), q.open_mark):
        return True  # a reference list's 'Mackay, Duncan (1986). "The Search …". In …'
    if n > TERM_WORDS:
        return False
    if res.source is not None or (att.position == STARTS and att.cue is not None):
        return False  # '"We test everything," she said.': a tagged sentence, however short
    return att.speaker is None or att.speaker.form == PRONOUN_FORM or not res.description


_LETTER = re.compile(r"[^\W\d_]")
"""A letter of any script: a quotation without one is a value, not words."""

_CITED = re.compile(
    r"(?:\(\s*(?:[A-Z][a-z]+\.?\s+)?(?:\d{1,2}\s+)?\d{4}(?:-\d\d){0,2}\s*\)\.|\^)\s*$"
)
"""The end of a reference's author and date before the title of the work it cites
(``Wilson, John (March 2009). "…"``, ``(2016-10-13). "…"``, a footnote's ``^``)."""


_ELIDING = words_of("and but then also later further")
"""Words that may stand before a cue whose subject is left out (``And continued:``)."""


def _elided(text: str, att: Attribution) -> bool:
    """True for a cue whose subject is left out because it is the last speaker's (``Ms
    Jowell insisted: "…" And continued: "…"``): nothing but a conjunction before it in
    its sentence."""
    if att.cue is None or att.speaker is not None:
        return False
    before = text[sentence_start(text, att.cue.start) : att.cue.start].lower().split()
    return all(w.strip(",") in _ELIDING for w in before)


def _said_by(att: Attribution) -> str:
    return att.speaker.span.text if att.speaker is not None else ""


def quote_words(text: str, quote: Quote | Span) -> list[str]:
    """The words of a quote, for matching wordings."""
    return words(text[quote.start : quote.end])
