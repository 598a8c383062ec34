"""Comparing articles: shared passages (:mod:`.align`), shared and unique entities
(:mod:`.comparison`), related articles (:mod:`.related`) and exports (:mod:`.export`)."""

from .align import (
    DEFAULT_MIN_SIMILARITY,
    DEFAULT_MIN_WORDS,
    STOP_WORDS,
    PassagePair,
    PreparedText,
    align,
    normalise,
    prepare,
)
from .comparison import (
    LEAD_BONUS,
    LEAD_CHARS,
    TITLE_BONUS,
    Comparison,
    ComparisonCancelled,
    EntityComparison,
    compare_entities,
    salience,
)
from .export import CSV_COLUMNS, comparison_markdown, comparison_rows
from .related import Related, find_related
from .service import check_options, compare_documents, export_target, write_comparison

__all__ = [
    "CSV_COLUMNS",
    "DEFAULT_MIN_SIMILARITY",
    "DEFAULT_MIN_WORDS",
    "LEAD_BONUS",
    "LEAD_CHARS",
    "STOP_WORDS",
    "TITLE_BONUS",
    "Comparison",
    "ComparisonCancelled",
    "EntityComparison",
    "PassagePair",
    "PreparedText",
    "Related",
    "align",
    "check_options",
    "compare_documents",
    "compare_entities",
    "comparison_markdown",
    "comparison_rows",
    "export_target",
    "find_related",
    "normalise",
    "prepare",
    "salience",
    "write_comparison",
]
