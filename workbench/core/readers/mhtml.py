"""MHTML ("Save page as… single file" in Chrome and Edge): the page inside, read as a web page.

The file is a MIME message (RFC 2557). The standard library's ``email`` package
decodes it; the first ``text/html`` part (the page itself, before its images and
stylesheets) is read by :mod:`workbench.core.readers.html`. Its ``Content-Location``
is the page's address when the page does not name a canonical one.
"""

from __future__ import annotations

import email
import email.policy
from email.message import Message

from .base import MAX_FILE_BYTES, Extracted, SkippedFile
from .html import read_page
from .webmeta import site_of_url


def html_part(data: bytes) -> tuple[bytes, str | None, str]:
    """The HTML part's bytes, its declared charset and its Content-Location."""
    message = email.message_from_bytes(data, policy=email.policy.compat32)
    if not message.is_multipart() and message.get_content_type() != "text/html":
        raise SkippedFile("not an MHTML file (no MIME parts)")
    for part in message.walk():
        if part.get_content_type() != "text/html" or part.is_multipart():
            continue
        payload = _payload(part)
        if payload is None:
            continue
        if len(payload) > MAX_FILE_BYTES:
            raise SkippedFile(
                f"the page inside is too large ({len(payload) / 1048576:.1f} MB; "
                f"the limit is {MAX_FILE_BYTES / 1048576:.0f} MB)"
            )
        return payload, part.get_content_charset(), str(part.get("Content-Location", ""))
    raise SkippedFile("no HTML page inside this MHTML file")


def _payload(part: Message) -> bytes | None:
    try:
        payload = part.get_payload(decode=True)
    except Exception:  # a damaged transfer encoding
        return None
    return payload if isinstance(payload, bytes) and payload.strip() else None


def read_mhtml(data: bytes) -> Extracted:
    """Read a saved single-file page: its HTML part as a web page."""
    page, charset, location = html_part(data)
    found = read_page(page, charset)
    if not found.url and location.startswith(("http://", "https://")):
        found.url = location
        if not found.site:
            found.site = site_of_url(location)
    return found
