"""Who said what: quotations in a text, their cues and speakers (Qt-free).

The extractor is imported on first use: a search that only looks for ``speaker:`` or
``quote:`` clauses (:mod:`.query`) does not load it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .model import EXTRACTOR_VERSION, Quote, Span

if TYPE_CHECKING:
    from .extract import extract_quotes

__all__ = ["EXTRACTOR_VERSION", "Quote", "Span", "extract_quotes"]


def __getattr__(name: str) -> Any:
    if name == "extract_quotes":
        from .extract import extract_quotes

        return extract_quotes
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
