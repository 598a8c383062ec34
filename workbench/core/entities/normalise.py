"""Names as written: a mention's span trimmed to a clean name (:func:`normalise_span`),
the key a name is known by (:func:`norm_key`), and acronyms a text defines
(:func:`find_acronyms`)."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Mapping
from functools import lru_cache

from .people import POST_NOMINALS, origin_before_name, trade_before_name

_POSSESSIVE = re.compile(r"(?:['’‘`´]s|s['’‘`´])$")
_LEADING_THE = re.compile(r"^(?:the|The|THE)\s+")
_HONORIFIC = re.compile(r"^(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Messrs)\.?(?:\s+|$)")
"""Titles the model often includes in a name ("Mr Blair") or tags alone ("Mr")."""
_TRAILING_SCORES = re.compile(r"(?:\s+\d{1,2}-\d{1,2}(?:\(\d+\))?)+$")
"""Match scores after a name ("6-2 7-6", "7-6(5)")."""
_DOTTED_ACRONYM = re.compile(r"(?:[A-Z]\.){2,}$")
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&]{1,9}$")


def is_acronym(form: str) -> bool:
    """True for ``NATO``, ``SCO``, ``U.S.``: two to ten capitals (dots allowed)."""
    return bool(_ACRONYM.match(form.replace(".", "")))


@lru_cache(maxsize=200_000)
def norm_key(name: str) -> str:
    """The key of a name: accents, case, dots and punctuation do not count."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    plain = plain.replace(".", "")
    plain = re.sub(r"['’‘`´]", "", plain)
    return re.sub(r"[\W_]+", " ", plain).strip()


def _is_word_char(ch: str) -> bool:
    return ch.isalnum()


def joins_word(ch: str) -> bool:
    """Characters that make a neighbouring name part of a bigger word ("Sino-Russian")."""
    return ch.isalnum() or ch in "-_"


def normalise_span(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Trim an entity span to a clean name; return the span(s) that remain (maybe none).

    - A span crossing a line break keeps its first line (a heading glued to a paragraph).
    - A parenthesis left open ("Shanghai Cooperation Organization (SCO") splits the span
      into the name and, if the text closes the parenthesis, the acronym inside it.
    - Leading "the", quotes, bullets and other punctuation are dropped from both ends,
      except the final dot of an abbreviation such as ``U.S.``; a trailing possessive
      (``’s``, ``s’``) is dropped, and so are scores the model ran on into ("Roddick
      6-2 7-6").
    - What is left must contain a capital letter: lower-case "names" are tagging errors.
    """
    span = text[start:end]
    nl = span.find("\n")
    if nl != -1:
        end = start + nl
        span = text[start:end]
    out: list[tuple[int, int]] = []
    if "(" in span[1:]:
        cut = span.index("(", 1)
        inner_start = start + cut + 1
        close = text.find(")", inner_start, inner_start + 14)
        inner = text[inner_start:close].strip() if close != -1 else ""
        close_in_span = span.find(")", cut)
        if close_in_span == -1 or (close_in_span == len(span.rstrip()) - 1 and is_acronym(inner)):
            # "Name (ABBR" or "Name (ABBR)": the name, and the acronym if the text closes it.
            if inner and is_acronym(inner):
                s = text.index(inner, inner_start)
                out.extend(normalise_span(text, s, s + len(inner)))
            end = start + cut
    elif ")" in span and span.index(")") < len(span.rstrip()) - 1:
        # A stray ")" inside the span: what follows it is the name.
        start = start + span.index(")") + 1

    start, end = _trim(text, start, end)
    span = text[start:end]
    if len(span) >= 2 and any(ch.isupper() for ch in span) and any(ch.isalpha() for ch in span):
        out.insert(0, (start, end))
    return out


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim both ends of a span until stable: each rule can expose the next ("“the
    U.S.’s”")."""
    while start < end:
        span = text[start:end]
        before = (start, end)
        m = _LEADING_THE.match(span) or _HONORIFIC.match(span)
        if m:
            start += m.end()
            continue
        if not _is_word_char(span[0]):
            start += 1
            continue
        m = _POSSESSIVE.search(span)
        if m and len(span) > 3:
            # "Xi Jinping’s" -> "Xi Jinping"; "Brands’" -> "Brands".
            end -= 2 if span[-1] in "sS" else 1
            continue
        m = _TRAILING_SCORES.search(span)
        if m:  # "Roddick 6-2 7-6": the model ran on into the score
            end = start + m.start()
            continue
        if not _is_word_char(span[-1]):
            if span[-1] == "." and _DOTTED_ACRONYM.search(span):
                break
            if span[-1] == ")" and span.count("(") == span.count(")"):
                break  # "Foo (Bar Baz)": a balanced parenthesis is part of the name
            end -= 1
            continue
        if (start, end) == before:
            break
    return start, end


_SMALL_WORDS = frozenset(
    {
        "of",
        "and",
        "for",
        "the",
        "on",
        "in",
        "de",
        "du",
        "des",
        "la",
        "le",
        "to",
        "at",
        "&",
        "a",
        "an",
        "y",
        "del",
        "der",
        "und",
        "fur",
        "für",
    }
)
_ACRONYM_DEF = re.compile(
    r"((?:[A-Z][\w'’&.-]*|&)(?:[ \t]+(?:[A-Z][\w'’&.-]*|of|and|for|the|on|in|de|du|des|la|to|at|&)){0,11})"
    r"[ \t]*\([ \t]*([A-Z][A-Za-z0-9&.]{1,9})[ \t]*\)"
)


def _initials_match(words: list[str], letters: str) -> bool:
    significant = [w for w in words if w.lower() not in _SMALL_WORDS]
    initials = "".join(w[0] for w in significant).upper()
    all_initials = "".join(w[0] for w in words if w != "&").upper()
    return letters in (initials, all_initials)


def find_acronyms(text: str) -> dict[str, tuple[int, int]]:
    """Acronyms defined in ``text`` as "Full Name (ABBR)": acronym -> span of the full name.

    The full name is the shortest run of words before the parenthesis whose initials spell
    the acronym (small words such as "of" and "and" may be skipped), so "Russia and the
    Shanghai Cooperation Organization (SCO)" defines SCO as "Shanghai Cooperation
    Organization", and "reported by Reuters (AP)" defines nothing.
    """
    found: dict[str, tuple[int, int]] = {}
    for m in _ACRONYM_DEF.finditer(text):
        abbr = m.group(2)
        letters = re.sub(r"[^A-Z0-9]", "", abbr.upper())
        if not is_acronym(abbr) or abbr in found or len(letters) < 2:
            continue
        words = [(w.group(), m.start(1) + w.start()) for w in re.finditer(r"\S+", m.group(1))]
        for i in range(len(words) - 1, -1, -1):
            run = [w for w, _ in words[i:]]
            if run[0].lower() in _SMALL_WORDS:
                continue
            if _initials_match(run, letters):
                start = words[i][1]
                found[abbr] = (start, m.end(1))
                break
    return found


def clean_name(name: str) -> str:
    """A name as :func:`normalise_span` trims it (the whole string if nothing is left)."""
    spans = normalise_span(name, 0, len(name))
    return name[spans[0][0] : spans[0][1]] if spans else name.strip()


WORD = re.compile(r"\w+")
CAPITALISED_WORD = re.compile(r"(?<![\w-])(?![a-z0-9_])\w+")
"""Words that can start a name: propagated names start with a capital (or a non-ASCII letter)."""


def choose_name(forms: Counter[str]) -> str:
    """The canonical spelling: a full name over an acronym, more words, then more use."""
    return max(forms, key=lambda f: (not is_acronym(f), len(f.split()), forms[f], f))


def most_used(counts: Mapping[str, int]) -> str:
    """The name counted most often; among equals the first in alphabetical order (so the
    answer does not depend on the order the library was read in)."""
    return min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]


def by_use(counts: Mapping[str, int]) -> list[str]:
    """Names, most often counted first; equals in alphabetical order."""
    return [f for f, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


_SENTENCE_ENDS = '.!?\n"“”:'
"""What a sentence's first word follows (or nothing, at the start of the text)."""


def opens_sentence(text: str, start: int) -> bool:
    """True when the word at ``start`` is the first of its sentence (or of a quotation
    or line)."""
    before = text[max(0, start - 3) : start].rstrip(" ")
    return not before or before[-1] in _SENTENCE_ENDS


def person_trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """A person's span without an owner the model ran it on from ("RedMonk's Stephens",
    "Britain's Paula Radcliffe"), without a party, nationality or honours around the
    name (:func:`name_only`), and without the trade that opens its sentence before the
    name (``Keeper Tony Bullock``, ``Rapper Eminem``; a rank stays: ``President George
    Bush``)."""
    m = _OWNER.match(text, start, end)
    if m is not None:
        start += m.end() - m.start()
    start, end = name_only(text, start, end)
    m = _FIRST_WORD.match(text, start, end)
    if m is None or m.end() >= end or not trade_before_name(m.group(1)):
        return start, end
    return (m.end(), end) if opens_sentence(text, start) else (start, end)


def name_only(text: str, start: int, end: int) -> tuple[int, int]:
    """A person's span without the party or nationality written before a full name
    (``Tory Liam Fox``, ``Russian Mikhail Youzhny``; not ``German Gref``, whose first
    name it is) and the letters after it (``Philippe Sands QC``), which the model often
    takes into it."""
    words = list(re.finditer(r"\S+", text[start:end]))
    if len(words) >= 3 and words[-1].group() in POST_NOMINALS:
        end = start + words[-2].end()
        words.pop()
    if len(words) >= 3 and words[1].group()[:1].isupper() and origin_before_name(words[0].group()):
        start += words[1].start()  # not "German Gref", whose first name it is
    return start, end


_OWNER = re.compile(r"[A-Z][\w.&-]*['’]s\s+(?=[A-Z])")
_FIRST_WORD = re.compile(r"(\S+)\s+")
