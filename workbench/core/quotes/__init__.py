"""Who said what: quotations in a text, their cues and speakers (Qt-free)."""

from .extract import extract_quotes
from .model import EXTRACTOR_VERSION, Quote, Span

__all__ = ["EXTRACTOR_VERSION", "Quote", "Span", "extract_quotes"]
