"""Comparing articles: shared passages (:mod:`.align`), how much each reuses of the other
(:mod:`.reuse`), shared and unique entities (:mod:`.comparison`), related articles
(:mod:`.related`) and exports (:mod:`.export`)."""

from .align import (
    DEFAULT_MIN_SIMILARITY,
    DEFAULT_MIN_WORDS,
    STOP_WORDS,
    PassagePair,
    PreparedText,
    WordRarity,
    align,
    library_rarity,
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
from .reuse import Reuse, index_rarity, measure_reuse
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
    "Reuse",
    "WordRarity",
    "align",
    "check_options",
    "compare_documents",
    "compare_entities",
    "comparison_markdown",
    "comparison_rows",
    "export_target",
    "find_related",
    "index_rarity",
    "library_rarity",
    "measure_reuse",
    "normalise",
    "prepare",
    "salience",
    "write_comparison",
]
