"""Reported speech without quotation marks (placeholder)."""

from __future__ import annotations

from .antecedents import Antecedents
from .marks import QuotedSpan
from .model import Quote
from .text import Names


def find_indirect(
    text: str, names: Names, quoted: list[QuotedSpan], ants: Antecedents
) -> list[Quote]:
    return []
