"""Saved web pages, read the way an article reader reads them.

The article is found by trafilatura, the field's reference main-content extractor (its
own fallbacks included), with readability-lxml (a port of the algorithm behind
Firefox's Reader View) as a second opinion:

- blocks at the start or end of trafilatura's text that readability does not have
  (teasers, bylines of other stories, subscription footers) are trimmed;
- where trafilatura returns nothing or far less than readability, readability's
  article is kept (unless it is mostly links, i.e. navigation).

Elements a browser would not show (``hidden``, ``display: none``, ``aria-hidden``) are
removed first. The constants below were chosen on one half of the web-page test set
and are reported on the other (``bench/bench_web_pages.py``).

Metadata (title, authors, date, site, canonical URL, language) comes from the page's
markup: see :mod:`workbench.core.readers.webmeta`.

Nothing is fetched: lxml parses without network access, images, stylesheets and
fonts are never requested, and scripts are dropped unread.
"""

from __future__ import annotations

import codecs
import logging
import re
from collections import Counter
from typing import Any

from .base import Extracted, SkippedFile, TextBuilder
from .htmltext import drop_hidden, render

# An article of fewer words than this from trafilatura may be replaced by readability's...
SECOND_OPINION_WORDS = 300
# ... when readability's has this many times as many words...
SECOND_OPINION_GAIN = 1.5
# ... and at most this share of its words are inside links (menus, link lists).
MAX_LINK_SHARE = 0.35
# A leading or trailing block is trimmed when less than this share of its word
# trigrams are in readability's article, if that has at least TRIM_MIN_WORDS words.
TRIM_AGREEMENT = 0.3
TRIM_MIN_WORDS = 150
# A readability block is in trafilatura's text when this share of its trigrams is in one
# block of it; readability's blocks between two such blocks are put back.
FILL_AGREEMENT = 0.5
# ... when they lie between two consecutive blocks of trafilatura's and are at most this many.
FILL_MAX_BLOCKS = 2

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_WORD = re.compile(r"\w+")


def decode_page(data: bytes, declared: str | None = None) -> str:
    """A page's text: by its byte-order mark, else UTF-8 if it is valid, else the charset
    the page (or its MHTML part) declares, else charset-normalizer's best guess."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16")):
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    if data.startswith(codecs.BOM_UTF16_BE):
        return data.decode("utf-16", errors="replace")
    if b"\x00" in data[:8192]:
        raise SkippedFile("binary file (contains NUL bytes)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    match = _CHARSET.search(data[:8192])
    for name in (declared, match.group(1).decode("ascii") if match else None):
        if name:
            try:
                return data.decode(_normal_codec(name), errors="replace")
            except LookupError:
                continue
    from ..corpus import decode

    return decode(data)


def _normal_codec(name: str) -> str:
    # Browsers read pages declared as Latin-1 or ASCII as Windows-1252, and GB2312 as GBK.
    aliases = {"iso-8859-1": "cp1252", "latin1": "cp1252", "us-ascii": "cp1252", "gb2312": "gbk"}
    return aliases.get(name.strip().lower(), name.strip())


def parse(page: str) -> Any:
    """An lxml HTML document for ``page`` (no network, no entities fetched, comments dropped)."""
    import lxml.html

    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
    # lxml refuses str input that carries an XML encoding declaration.
    page = re.sub(r"^\s*<\?xml[^>]*\?>", "", page, count=1)
    try:
        root = lxml.html.document_fromstring(page, parser=parser)
    except Exception:  # lxml raises ParserError on a document without any element
        raise SkippedFile("no text in this web page") from None
    return root


def words(text: str) -> int:
    return len(_WORD.findall(text))


def _trafilatura_text(root: Any) -> str:
    import trafilatura

    doc = trafilatura.bare_extraction(
        root,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        with_metadata=False,
    )
    body = getattr(doc, "body", None)
    if body is None:
        return ""
    return render(body, TextBuilder(), trafilatura=True)


def _readability_text(root: Any) -> str:
    """readability-lxml's article (it changes ``root``: call it last)."""
    from readability import Document as ReadabilityDocument

    try:
        summary = ReadabilityDocument(root).summary(html_partial=True)
    except Exception:  # readability raises on pages it cannot score; no second opinion then
        return ""
    return _render_fragment(summary)


def _render_fragment(fragment: str) -> str:
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except Exception:
        return ""
    if _link_share(root) > MAX_LINK_SHARE:
        return ""
    return render(root)


def _link_share(root: Any) -> float:
    total = words(root.text_content())
    if not total:
        return 1.0
    linked = sum(words(a.text_content()) for a in root.iter("a"))
    return linked / total


def _trigrams(text: str) -> set[tuple[str, ...]]:
    tokens = _WORD.findall(text.lower())
    return {tuple(tokens[i : i + 3]) for i in range(max(1, len(tokens) - 2))}


def trim_to_agreement(first: str, second: str) -> str:
    """``first`` without its leading and trailing blocks that ``second`` does not have."""
    if words(second) < TRIM_MIN_WORDS:
        return first
    known = _trigrams(second)

    def agreed(block: str) -> bool:
        grams = _trigrams(block)
        return not grams or len(grams & known) >= TRIM_AGREEMENT * len(grams)

    blocks = first.split("\n\n")
    start, end = 0, len(blocks)
    while start < end and not agreed(blocks[start]):
        start += 1
    while end > start and not agreed(blocks[end - 1]):
        end -= 1
    return "\n\n".join(blocks[start:end])


def fill_gaps(first: str, second: str) -> str:
    """``first`` with the blocks ``second`` has between two blocks they share (a list or a
    heading one extractor dropped inside the article) put back in their place.

    Blocks are matched through an index of word trigrams, so the time is linear in the
    length of the texts.
    """
    blocks = first.split("\n\n")
    owner: dict[tuple[str, ...], int] = {}
    for i, block in enumerate(blocks):
        for gram in _trigrams(block):
            owner.setdefault(gram, i)
    inserts: dict[int, list[str]] = {}
    last: int | None = None
    pending: list[str] = []
    for block in second.split("\n\n"):
        grams = _trigrams(block)
        hits = Counter(owner[g] for g in grams if g in owner)
        # the block sharing most trigrams, the earliest on a tie (a set's order varies
        # from run to run)
        index, count = max(hits.items(), key=lambda h: (h[1], -h[0])) if hits else (-1, 0)
        if grams and count >= FILL_AGREEMENT * len(grams):
            if (
                last is not None
                and pending
                and index == last + 1
                and len(pending) <= FILL_MAX_BLOCKS
            ):
                inserts.setdefault(last, []).extend(pending)
            last, pending = index, []
        elif last is not None:
            pending.append(block)
    out: list[str] = []
    for i, block in enumerate(blocks):
        out.append(block)
        out += inserts.get(i, [])
    return "\n\n".join(out)


def article_text(root: Any) -> str:
    """The article's reader text: trafilatura's trimmed to where readability agrees, with
    what readability found inside the article put back, or readability's where
    trafilatura found far less."""
    first = _trafilatura_text(root)
    second = _readability_text(root)
    first = trim_to_agreement(first, second)
    if words(second) >= TRIM_MIN_WORDS:
        first = fill_gaps(first, second)
    first_words = words(first)
    if first_words < SECOND_OPINION_WORDS and words(second) > max(
        first_words * SECOND_OPINION_GAIN, first_words + 20
    ):
        return second
    return first


def read_page(data: bytes, declared_charset: str | None = None) -> Extracted:
    """Read a saved web page (its bytes) into its article text and metadata."""
    from .webmeta import read_meta

    # trafilatura and htmldate log what they skip; that is not the user's business.
    for name in ("trafilatura", "htmldate", "readability", "courlan"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    page = decode_page(data, declared_charset)
    root = parse(page)
    meta = read_meta(root)
    drop_hidden(root)
    text = article_text(root)
    return Extracted(
        text=text,
        title=meta.title,
        date=meta.date,
        authors=meta.authors,
        site=meta.site,
        url=meta.url,
        language=meta.language,
    )
