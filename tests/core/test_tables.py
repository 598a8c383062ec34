"""pandas entity tables on the seeds: entity table, entity x document matrix, co-mentions, CSV."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from workbench.cli import main
from workbench.core.errors import UserError
from workbench.core.library import Library

pytestmark = pytest.mark.spacy


@pytest.fixture
def tlib(entity_seeds_dir: Path):
    with Library.open(entity_seeds_dir) as lib:
        yield lib


def test_entity_table_columns_and_counts(tlib: Library) -> None:
    df = tlib.entities.table()
    assert list(df.columns) == ["name", "type", "aliases", "documents", "mentions", "key"]
    li = df[df.name == "Li Zhanshu"].iloc[0]
    assert "Li" in li.aliases.split("; ")
    docs = tlib.entities.documents_of("Li Zhanshu")
    assert li.documents == len(docs) and li.mentions == sum(docs.values())
    # Most documents first; Putin is in all five seeds.
    assert df.documents.is_monotonic_decreasing
    assert df[df.name == "Vladimir Putin"].iloc[0].documents == 5


def test_document_matrix_matches_entities(tlib: Library, tmp_path: Path) -> None:
    path = tlib.entities.export_table(tmp_path / "matrix.csv", kind="matrix")
    m = pd.read_csv(path, index_col=0, keep_default_na=False).drop(columns=["name", "type"])
    assert list(m.columns) == [d.id for d in tlib.documents()]
    for doc in tlib.documents():
        for de in tlib.entities.of_document(doc.id):
            assert m.loc[de.entity.key, doc.id] == len(de.mentions)
    assert int(m.values.sum()) == sum(
        len(de.mentions) for d in tlib.documents() for de in tlib.entities.of_document(d.id)
    )


def test_comention_table(tlib: Library) -> None:
    co = tlib.entities.comention_table(min_documents=2)
    assert list(co.columns) == ["name_a", "name_b", "documents", "key_a", "key_b"]
    assert (co.documents >= 2).all()
    pair = co[(co.key_a == "li zhanshu") & (co.key_b == "vladimir putin")]
    li_docs = set(tlib.entities.documents_of("li zhanshu"))
    putin_docs = set(tlib.entities.documents_of("vladimir putin"))
    assert int(pair.documents.iloc[0]) == len(li_docs & putin_docs)


def test_csv_export_round_trip(tlib: Library, tmp_path: Path) -> None:
    path = tlib.entities.export_table(tmp_path / "entities.csv")
    back = pd.read_csv(path, keep_default_na=False)
    assert back.name.tolist() == tlib.entities.table().name.tolist()
    matrix = pd.read_csv(
        tlib.entities.export_table(tmp_path / "matrix.csv", kind="matrix"), index_col=0
    )
    assert list(matrix.columns[:2]) == ["name", "type"]
    assert matrix.loc["li zhanshu", "004_fd0841c764a90927"] >= 6
    with pytest.raises(UserError):
        tlib.entities.export_table(tmp_path / "missing" / "x.csv")
    with pytest.raises(UserError):
        tlib.entities.export_table(tmp_path / "x.csv", kind="pie")


def test_cli_table(
    entity_seeds_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    shutil.copytree(entity_seeds_dir, data)
    out = tmp_path / "co.csv"
    assert (
        main(["--data-dir", str(data), "entities", "--table", str(out), "--kind", "comentions"])
        == 0
    )
    assert "comentions table" in capsys.readouterr().out
    assert pd.read_csv(out).shape[0] > 10
    assert main(["--data-dir", str(data), "entities", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {"key", "name", "type", "aliases", "documents", "count"} <= set(rows[0])
