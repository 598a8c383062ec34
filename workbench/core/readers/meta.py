"""Metadata as a researcher wants it: meaningful titles and names, ISO dates, language codes.

Files carry a lot of metadata that is not about the document: the program that wrote
it ("Microsoft Word - draft3.docx", "pdfTeX-1.40"), a template's placeholder ("Title",
"Document1"), a user account ("Administrator"). These helpers say which values are
worth showing.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from .base import tidy

# Titles that name a program, a file or a template rather than the document.
_PRODUCER_TITLE = re.compile(
    r"^(microsoft (word|powerpoint|excel)\b.*|untitled\b.*|document\s*\d*|"
    r"(new )?(microsoft )?word document|title|slide \d+|presentation\d*|"
    r"print(ed)? (by|from)\b.*|.*\b(pdftex|latex|ghostscript|acrobat|distiller|"
    r"libreoffice|openoffice|reportlab|pdfkit|wkhtmltopdf|quartz pdfcontext|"
    r"itext|imagemagick|adobe|cairo)\b.*|"
    r"[^ ]+\.(docx?|odt|rtf|pdf|txt|html?|indd|tex|dvi|pptx?|xlsx?|qxd|ps|eps))$",
    re.IGNORECASE,
)
_PLACEHOLDER_AUTHOR = re.compile(
    r"^(admin(istrator)?|user|owner|author|autor|auteur|作者|unknown|anonymous|default|guest|"
    r"staff|editor|microsoft (office )?user|windows user|sysadmin|root|\W*)$",
    re.IGNORECASE,
)
# A byline that is a date or a time stamp, not a name ("Last Updated January 7").
_NOT_A_NAME = re.compile(r"\d|\b(updated|published|posted|modified|ago)\b", re.IGNORECASE)


def meaningful_title(value: str | None) -> str:
    """``value`` tidied, or "" if it is empty, a program's name, a file name or a placeholder."""
    title = tidy(value or "")
    if len(title) < 2 or not any(ch.isalpha() for ch in title):
        return ""
    if _PRODUCER_TITLE.match(title):
        return ""
    return title[:300]


def meaningful_authors(values: list[str] | str | None) -> tuple[str, ...]:
    """Author names from one string ("A; B", "A and B", "A, B") or a list; placeholders dropped."""
    if not values:
        return ()
    raw = [values] if isinstance(values, str) else list(values)
    names: list[str] = []
    for value in raw:
        for part in re.split(r"\s*;\s*|\s*\|\s*|\s+and\s+|\s*&\s*|\n", value):
            name = tidy(re.sub(r"^(by|von|par|por)\s+", "", part.strip(), flags=re.IGNORECASE))
            if not name or _PLACEHOLDER_AUTHOR.match(name) or _NOT_A_NAME.search(name):
                continue
            if len(name) > 80:
                continue
            if "@" in name or name.lower().startswith(("http:", "https:", "www.")):
                continue
            if name.casefold() not in (n.casefold() for n in names):
                names.append(name)
    return tuple(names[:12])


_ISO = re.compile(r"^\s*((?:1[5-9]|20)\d\d)(?:-(\d\d)(?:-(\d\d))?)?")
_PDF_DATE = re.compile(r"^\s*(?:D:)?((?:1[5-9]|20)\d\d)(\d\d)?(\d\d)?")


def iso_date(value: str | date | datetime | None, *, pdf: bool = False) -> str | None:
    """An ISO date ``YYYY-MM-DD`` (or ``YYYY-MM``, ``YYYY``) from an ISO-like or PDF date.

    Dates in the future (beyond tomorrow) or before 1500 are not believed.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        found = value
        parts = 3
    else:
        m = (_PDF_DATE if pdf else _ISO).match(str(value))
        if not m:
            return None
        year, month, day = (int(g) if g else 0 for g in m.groups())
        parts = 1 + bool(month) + bool(month and day)
        try:
            found = date(year, month or 1, day or 1)
        except ValueError:
            return None
    if found.year < 1500 or found.toordinal() > date.today().toordinal() + 1:
        return None
    return found.isoformat()[: {1: 4, 2: 7, 3: 10}[parts]]


def language_code(value: str | None) -> str:
    """The primary language subtag, lower case: "en-GB" -> "en", "pt_BR" -> "pt"."""
    if not value:
        return ""
    m = re.match(r"^\s*([A-Za-z]{2,3})(?:[-_]|$)", value)
    return m.group(1).lower() if m else ""
