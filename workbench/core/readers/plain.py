"""Plain text and Markdown: scraped article text, cleaned line by line.

Cleaning is aimed at real scraped news pages saved as text: breadcrumbs (``Home » …``),
the title repeated above the article, ``Advertisement`` lines, share/comment widgets,
and navigation lists (often in another script) after the article. The rules are
generic rather than tuned to one site; each is described where it is applied.

Web pages saved as HTML do not come here: they go through the article extractor in
:mod:`workbench.core.readers.html`.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from datetime import date

from .base import Extracted

# --------------------------------------------------------------------------- cleaning

# Lines that are page furniture, not article text, on news sites and blogs.
_BOILERPLATE_LINE = re.compile(
    r"^(advertisement|advertising|sponsored( content)?|ad|share( this)?( article| story)?|"
    r"share on \w+|print|email|tweet|comments?|leave a (comment|reply)|"
    r"(\d+ )?comments?|log ?in|sign ?in|sign up|subscribe( now)?|"
    r"skip to (main )?content|menu|search|close|back to top|read more|"
    r"loading\.*|image source:? ?.{0,40}|photo:? ?.{0,40}|"
    r"you may also like|related( articles| stories| posts)?|latest posts|"
    r"most (read|popular)|trending( now)?|tags?:.*)$",
    re.IGNORECASE,
)

# Lines after which the article is over: what follows is comments, teasers and navigation.
_END_MARKER = re.compile(
    r"^(leave a (comment|reply)|comments are closed\.?|you may also like|also read|"
    r"related (articles|stories|posts)|read more( news)?( on)?|latest posts|next story|"
    r"end of article|source link|the rights to this material belong to.*|"
    r"original publication|share this( article| story)?:?|more from .{0,40}|"
    r"your email address will not be published.*)$",
    re.IGNORECASE,
)

_BREADCRUMB = re.compile(r"^(home|start|main page)\s*[»›>/|]\s*", re.IGNORECASE)
_STRAY_TAG = re.compile(
    r"<\s*/?\s*(h[1-6]|p|div|span|br|b|i|em|strong|a|li|ul|ol|blockquote)\s*/?\s*>", re.IGNORECASE
)
_SPACES = re.compile(r"[ \t\u00a0\u200b]+")
_BULLET = re.compile(r"^\s*[•·▪●◦‣∙*-]\s+")


@functools.lru_cache(maxsize=4096)
def _script_of(ch: str) -> str:
    """A coarse script name for a letter: LATIN, CYRILLIC, CJK, ARABIC, ..."""
    try:
        name = unicodedata.name(ch)
    except ValueError:
        return "OTHER"
    first = name.split(" ", 1)[0]
    return "CJK" if first in {"CJK", "HIRAGANA", "KATAKANA", "HANGUL"} else first


_ASCII_LETTERS = re.compile(r"[A-Za-z]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _letter_scripts(text: str) -> Counter[str]:
    """Letters per script. Only non-ASCII characters are looked up by name.

    An ASCII line is all Latin: it is weighed by its length, which for the majority vote
    and the foreign-line test is as good as counting its letters, and far cheaper.
    """
    if text.isascii():
        return Counter({"LATIN": len(text)}) if _ASCII_LETTERS.search(text) else Counter()
    counts: Counter[str] = Counter()
    latin = len(_ASCII_LETTERS.findall(text))
    if latin:
        counts["LATIN"] = latin
    counts.update(_script_of(ch) for ch in _NON_ASCII.findall(text) if ch.isalpha())
    return counts


def _main_script(scripts: list[Counter[str]]) -> str:
    counts: Counter[str] = Counter()
    for line_counts in scripts:
        counts.update(line_counts)
    return counts.most_common(1)[0][0] if counts else "LATIN"


def _foreign(counts: Counter[str], script: str) -> bool:
    """True for a line written mostly in a script other than the article's."""
    total = sum(counts.values())
    return total > 0 and counts[script] < 0.5 * total


def _norm_key(line: str) -> str:
    return re.sub(r"\W+", " ", line).strip().casefold()


def _is_furniture(line: str) -> bool:
    stripped = _BULLET.sub("", line).strip()
    if not any(ch.isalpha() for ch in stripped):
        return True  # counters, dates, times, separators: "1001", "22.09 06:34", "* * *"
    return bool(_BOILERPLATE_LINE.match(stripped.rstrip(":")))


def clean_lines(raw_lines: list[str]) -> tuple[str, list[str]]:
    """Clean a scraped article's lines; return its title and the paragraphs of its text.

    1. Stray markup such as ``< /h2>`` is removed and white space is tidied.
    2. Breadcrumbs (``Home » Title``) are dropped.
    3. Furniture lines (``Advertisement``, counters, "Leave a comment") are dropped.
    4. Lines in another script than the article's (site menus) are dropped.
    5. The article ends at an end marker ("Comments are closed", "Also read") found in
       its last third; what follows is teasers and navigation.
    6. The title is the first remaining line; its repeats and any line repeated
       straight after itself are dropped.
    """
    # One pass over the whole text rather than two regex calls per line.
    joined = _SPACES.sub(" ", _STRAY_TAG.sub("", "\n".join(raw_lines)))
    content = [ln.strip() for ln in joined.split("\n")]
    content = [ln for ln in content if ln]
    scripts = [_letter_scripts(ln) for ln in content]
    script = _main_script(scripts)

    kept: list[str] = []
    for line, line_scripts in zip(content, scripts, strict=True):
        if _BREADCRUMB.match(line) or _is_furniture(line) or _foreign(line_scripts, script):
            # Keep end markers for step 5 even though they are furniture.
            if _END_MARKER.match(line.rstrip(":")):
                kept.append(line)
            continue
        kept.append(line)

    # Step 5: cut at the first end marker in the last third of the article's characters.
    total_chars = sum(len(ln) for ln in kept) or 1
    running = 0
    for i, line in enumerate(kept):
        if _END_MARKER.match(line.rstrip(":")) and running >= total_chars * 2 / 3:
            kept = kept[:i]
            break
        running += len(line)
    kept = [ln for ln in kept if not _END_MARKER.match(ln.rstrip(":"))]

    if not kept:
        return "", []
    title = kept[0]
    title_key = _norm_key(title)
    paragraphs: list[str] = []
    previous_key = None
    for line in kept[1:]:
        key = _norm_key(line)
        if key in (title_key, previous_key):
            continue
        previous_key = key
        paragraphs.append(_BULLET.sub("• ", line))
    return title, paragraphs


def _strip_markdown(line: str) -> str:
    line = re.sub(r"^#{1,6}\s+", "", line)
    line = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", line)
    line = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", line)
    line = re.sub(r"(\*\*|__)(.+?)\1", r"\2", line)
    return line


# --------------------------------------------------------------------------- dates

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE_PATTERNS = [
    (re.compile(r"\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b"), ("y", "m", "d")),
    (
        re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)? ({_MONTH_RE})\.?,? ((?:19|20)\d\d)\b", re.I),
        ("d", "M", "y"),
    ),
    (
        re.compile(rf"\b({_MONTH_RE})\.? (\d{{1,2}})(?:st|nd|rd|th)?,? ((?:19|20)\d\d)\b", re.I),
        ("M", "d", "y"),
    ),
]


_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def find_date(text: str) -> str | None:
    """The first full calendar date (with a year) the text gives, as ISO ``YYYY-MM-DD``.

    Only the few characters around each four-digit year are examined, which keeps this
    cheap on long texts.
    """
    for year in _YEAR.finditer(text):
        window_start = max(0, year.start() - 20)
        window = text[window_start : year.end() + 6]
        found: list[tuple[int, str]] = []
        for pattern, order in _DATE_PATTERNS:
            for m in pattern.finditer(window):
                parts = dict(zip(order, m.groups(), strict=True))
                try:
                    month = _MONTHS[parts["M"].lower()] if "M" in parts else int(parts["m"])
                    d = date(int(parts["y"]), month, int(parts["d"]))
                except (ValueError, KeyError):
                    continue
                found.append((m.start(), d.isoformat()))
        if found:
            return min(found)[1]
    return None


# --------------------------------------------------------------------------- reading


def read_text(raw: str, suffix: str = ".txt") -> Extracted:
    """Clean a text or Markdown file's text into its title, reader text and date."""
    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    lines = raw.split("\n")
    if suffix in {".md", ".markdown"}:
        lines = [_strip_markdown(ln) for ln in lines]
    title, paragraphs = clean_lines(lines)
    text = "\n\n".join(paragraphs)
    return Extracted(text=text, title=title[:300], date=find_date(text[:3000]))
