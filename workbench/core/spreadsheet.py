"""CSV that a spreadsheet opens as data, never as formulas.

A cell whose text starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return,
which some spreadsheets skip before looking) is read by Excel, LibreOffice and Google
Sheets as a formula: a note body, a title or an entity name taken from an article could
then run a formula on the researcher's machine ("CSV injection"). As OWASP recommends,
such a cell is written with a single quote in front, which the spreadsheet shows as text;
every other cell, and every number, is written as it is. Every CSV export (notes,
comparisons, entity tables) goes through here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet may take for the start of a formula (OWASP's list)."""


def safe_cell(value: Any) -> Any:
    """``value``, with a quote in front if it is text a spreadsheet would run."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """A CSV row (column -> value) with every cell made safe."""
    return {name: safe_cell(value) for name, value in row.items()}


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of a table with every text cell, column name and index label made safe
    (numbers untouched), ready for ``to_csv``."""
    from pandas.api.types import is_numeric_dtype

    out = frame.copy()
    for column in out.columns:
        if not is_numeric_dtype(out[column]):  # text (object or string dtype)
            out[column] = out[column].map(safe_cell)
    out.columns = [safe_cell(c) for c in out.columns]
    if not is_numeric_dtype(out.index):
        out.index = out.index.map(safe_cell)
    out.index.name = safe_cell(frame.index.name)
    return out
