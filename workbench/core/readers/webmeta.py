"""A web page's metadata: title, authors, date, site, canonical URL and language.

Sources, most trusted first: JSON-LD (schema.org ``Article``), Dublin Core, Open Graph
and Twitter ``<meta>`` tags, ``<time>`` elements, then the ``<title>`` and the page's
headings. Dates come from htmldate (the date extractor trafilatura uses), in its fast
mode: markup and URL only, never the page's modification time. Authors, site and URL
come from trafilatura's metadata extraction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from .base import tidy
from .meta import iso_date, language_code, meaningful_authors

# Title separators between an article's title and its site's name.
_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|·|•|::|:|»|«|/|\\|_)\s+|\s*\[[^\]]+\]\s*$")
_META_TITLE_KEYS = (
    "dc:title",
    "dcterm:title",
    "og:title",
    "dc.title",
    "dcterms.title",
    "weibo:article:title",
    "weibo:webpage:title",
    "title",
    "twitter:title",
    "parsely-title",
    "sailthru.title",
)
_LANGUAGE_KEYS = ("content-language", "language", "dc.language", "og:locale")


@dataclass
class PageMeta:
    """What a page says about itself."""

    title: str = ""
    authors: tuple[str, ...] = ()
    date: str | None = None
    site: str = ""
    url: str = ""
    language: str = ""


def meta_values(root: Any) -> dict[str, str]:
    """``<meta>`` values by lower-case name/property/itemprop (the first of each kept).

    A ``property`` attribute may hold several names separated by spaces.
    """
    found: dict[str, str] = {}
    for el in root.iter("meta"):
        content = el.get("content")
        if not content or not content.strip():
            continue
        keys = [
            *(el.get("property") or "").split(),
            el.get("name") or "",
            el.get("itemprop") or "",
            el.get("http-equiv") or "",
        ]
        for key in keys:
            key = key.strip().lower()
            if key and key not in found:
                found[key] = tidy(content)
    return found


def title_element(root: Any) -> str:
    for el in root.iter("title"):
        return tidy(el.text_content())
    return ""


def headings(root: Any, tag: str = "h1") -> list[str]:
    return [t for t in (tidy(el.text_content()) for el in root.iter(tag)) if t]


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().casefold()


def clean_title_element(title: str, h1s: list[str], site: str) -> str:
    """The article's part of a ``<title>``: the site's name and a section after a
    separator are dropped when what is left still reads as a title (3+ words), or when
    a heading of the page says the same.
    """
    if not title:
        return ""
    for h in h1s:
        if _norm(h) == _norm(title):
            return h
    parts = [p for p in _SEPARATORS.split(title) if p and p.strip()]
    if len(parts) < 2:
        return title
    site_key = _norm(site)
    # A heading of the page that is one of the parts is the article's title.
    h1_keys = {_norm(h) for h in h1s}
    for part in parts:
        if _norm(part) in h1_keys:
            return part.strip()
    kept = [p for p in parts if not site_key or _norm(p) != site_key]
    # The longest part is the title when the rest is the site (and its section).
    best = max(kept or parts, key=len).strip()
    if len(best.split()) >= 3 or len(best) >= 12:
        return best
    return title


def _agrees(candidate: str, reference: str) -> bool:
    """True when most of ``candidate``'s words are in ``reference``."""
    words = set(_norm(candidate).split())
    return bool(words) and len(words & set(_norm(reference).split())) >= 0.5 * len(words)


def strip_site(title: str, site: str, url: str, authors: tuple[str, ...] = ()) -> str:
    """``title`` without a site name or byline before or after it ("Title | Site",
    "Site: Title", "Title | Author")."""
    host = site_of_url(url)
    domain = ".".join(host.split(".")[-2:])
    keys = {_fold(site), _fold(domain), _fold(domain.split(".")[0]), *map(_fold, authors)}
    keys |= {_fold(p) for p in _SEPARATORS.split(site) if p and len(p.strip()) > 2}
    keys.discard("")
    parts = [p for p in _SEPARATORS.split(title) if p and p.strip()]
    if len(parts) < 2:
        return title
    kept = [p.strip() for p in parts if _fold(p) not in keys]
    if len(kept) == len(parts) or not kept:
        return title
    return " - ".join(kept) if len(kept) > 1 else kept[0]


def _fold(text: str) -> str:
    """Lower case without accents and punctuation, for comparing names."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text)
    return _norm("".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def pick_title(
    root: Any,
    values: dict[str, str],
    json_title: str,
    site: str,
    url: str,
    authors: tuple[str, ...] = (),
) -> str:
    """The article's title: the JSON-LD headline (where the page's other titles agree
    with it), then title <meta> tags, then the <title>, each without the site's name;
    then the first <h1>."""
    element = title_element(root)
    metas = [values.get(k, "") for k in _META_TITLE_KEYS]
    others = " ".join([element, *metas])
    if json_title and not _agrees(json_title, others):
        json_title = ""
    for candidate in (json_title, *metas):
        if candidate and len(candidate) < 400:
            return strip_site(candidate, site, url, authors)[:300]
    h1s = headings(root)
    cleaned = clean_title_element(element, h1s, site)
    if cleaned:
        return strip_site(cleaned, site, url, authors)[:300]
    for candidate in h1s + headings(root, "h2"):
        return candidate[:300]
    return ""


def page_language(root: Any, values: dict[str, str]) -> str:
    lang = language_code(root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang"))
    if lang:
        return lang
    for key in _LANGUAGE_KEYS:
        lang = language_code(values.get(key))
        if lang:
            return lang
    return ""


def site_of_url(url: str) -> str:
    host = urlsplit(url).hostname or "" if url.startswith(("http:", "https:")) else ""
    return host.removeprefix("www.")


def read_meta(root: Any) -> PageMeta:
    """The metadata of a parsed page (``root`` is an lxml HTML document, not modified)."""
    from trafilatura.metadata import extract_metadata

    values = meta_values(root)
    found = extract_metadata(root, extensive=False)
    json_title = _json_headline(root)
    site = tidy(found.sitename or "")
    url = found.url or ""
    if not url.startswith(("http://", "https://")):
        url = ""
    if not site or ("." in site and " " not in site):
        site = tidy(values.get("og:site_name", "")) or site or site_of_url(url)
    date = iso_date(found.date) or _time_element_date(root)
    authors = meaningful_authors(found.author or "")
    return PageMeta(
        title=pick_title(root, values, json_title, site, url, authors),
        authors=authors,
        date=date,
        site=site[:200],
        url=url[:2000],
        language=page_language(root, values),
    )


def _time_element_date(root: Any) -> str | None:
    for el in root.iter("time"):
        found = iso_date(el.get("datetime") or el.get("content"))
        if found:
            return found
    return None


def _json_headline(root: Any) -> str:
    """The ``headline`` of a schema.org article in the page's JSON-LD, if any."""
    import json

    for el in root.iter("script"):
        if (el.get("type") or "").lower() != "application/ld+json" or not el.text:
            continue
        try:
            data = json.loads(el.text)
        except ValueError:
            continue
        for item in _json_items(data):
            kind = item.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            if any(isinstance(k, str) and k.endswith(("Article", "Posting")) for k in kinds):
                headline = item.get("headline")
                if isinstance(headline, str) and headline.strip():
                    return tidy(headline)
    return ""


def _json_items(data: Any, depth: int = 0) -> list[dict[str, Any]]:
    if depth > 4:
        return []
    if isinstance(data, list):
        return [i for d in data for i in _json_items(d, depth + 1)]
    if isinstance(data, dict):
        return [data, *(_json_items(data.get("@graph"), depth + 1) if "@graph" in data else [])]
    return []
