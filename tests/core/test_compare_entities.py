"""Library.compare: shared and unique entities, JSON, exports and the command line, on the seeds."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.core import compare
from workbench.core.compare import ComparisonCancelled
from workbench.core.errors import UnknownDocument, UserError
from workbench.core.library import Library

from ..support import CNN_LI_ZHANSHU, CNN_RETELLING_BOL

pytestmark = pytest.mark.spacy


@pytest.fixture
def lib(entity_seeds_dir: Path, tmp_path: Path):
    """A private copy of the library: tests may make corrections."""
    data = tmp_path / "data"
    shutil.copytree(entity_seeds_dir, data)
    with Library.open(data) as library:
        yield library


@pytest.fixture(scope="module")
def cnn(entity_seeds_dir: Path):
    with Library.open(entity_seeds_dir) as library:
        return library.compare(CNN_RETELLING_BOL, CNN_LI_ZHANSHU)


def by_name(items: list[compare.EntityComparison]) -> dict[str, compare.EntityComparison]:
    return {e.entity.name: e for e in items}


def test_shared_and_unique_entities_of_the_cnn_retellings(cnn):
    shared = by_name(cnn.shared_entities)
    only_a = by_name(cnn.only_a)
    only_b = by_name(cnn.only_b)
    assert {"Li Zhanshu", "Xi Jinping", "Vladimir Putin", "NATO"} <= set(shared)
    assert "Velina Tchakarova" in only_a  # quoted by the retelling only
    assert "Hal Brands" in only_b  # quoted by CNN only
    li = shared["Li Zhanshu"]
    assert li.count_a >= 2 and li.count_b >= 2
    keys = [e.entity.key for e in cnn.shared_entities + cnn.only_a + cnn.only_b]
    assert len(keys) == len(set(keys))
    for e in cnn.only_a:
        assert e.count_a > 0 and e.count_b == 0
    for e in cnn.only_b:
        assert e.count_a == 0 and e.count_b > 0


def test_mentions_are_offsets_into_each_document(cnn):
    for e in cnn.shared_entities + cnn.only_a + cnn.only_b:
        for m in e.a_mentions:
            assert cnn.a.text[m.start : m.end] == m.text
        for m in e.b_mentions:
            assert cnn.b.text[m.start : m.end] == m.text


def test_entities_are_sorted_by_salience_with_title_and_lead_bonus(cnn):
    for items in (cnn.shared_entities, cnn.only_a, cnn.only_b):
        saliences = [e.salience for e in items]
        assert saliences == sorted(saliences, reverse=True)
    xi = by_name(cnn.shared_entities)["Xi Jinping"]
    # "Putin now needs more than Xi Jinping’s assistance": Xi is in A's title and lead.
    in_a = compare.salience(cnn.a, xi.entity, xi.a_mentions)
    assert in_a == xi.count_a + compare.TITLE_BONUS + compare.LEAD_BONUS
    # The B title does not name him, and he first appears after the lead.
    assert min(m.start for m in xi.b_mentions) >= compare.LEAD_CHARS
    assert compare.salience(cnn.b, xi.entity, xi.b_mentions) == xi.count_b
    assert xi.salience == in_a + xi.count_b


def test_passages_are_part_of_the_comparison(cnn):
    assert len(cnn.shared_passages) >= 3
    assert any("seriously endangering national security" in p.a_text for p in cnn.shared_passages)


def test_user_corrections_apply_to_the_comparison(lib):
    before = lib.compare(CNN_RETELLING_BOL, CNN_LI_ZHANSHU)
    tchakarova = by_name(before.only_a)["Velina Tchakarova"].entity
    brands = by_name(before.only_b)["Hal Brands"].entity
    lib.entities.merge([tchakarova.key, brands.key], name="The experts")
    lib.entities.rename("li zhanshu", "Li Zhanshu (NPC chairman)")
    after = lib.compare(CNN_RETELLING_BOL, CNN_LI_ZHANSHU)
    shared = by_name(after.shared_entities)
    assert "The experts" in shared
    assert shared["The experts"].count_a >= 1 and shared["The experts"].count_b >= 1
    assert "Velina Tchakarova" not in by_name(after.only_a)
    assert "Hal Brands" not in by_name(after.only_b)
    assert "Li Zhanshu (NPC chairman)" in shared


def test_json_has_the_documented_keys(cnn):
    data = json.loads(json.dumps(cnn.to_json()))
    assert {"a", "b", "shared_entities", "only_a", "only_b", "shared_passages"} <= set(data)
    assert data["a"]["id"] == CNN_RETELLING_BOL and data["b"]["id"] == CNN_LI_ZHANSHU
    for item in data["shared_entities"] + data["only_a"] + data["only_b"]:
        assert {"name", "type", "aliases", "count_a", "count_b"} <= set(item)
    for p in data["shared_passages"]:
        assert {"a_start", "a_end", "b_start", "b_end", "a_text", "b_text", "similarity"} <= set(p)
        assert cnn.a.text[p["a_start"] : p["a_end"]] == p["a_text"]


def test_progress_and_cancel(lib):
    seen: list[tuple[int, int]] = []
    lib.compare(CNN_RETELLING_BOL, CNN_LI_ZHANSHU, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (3, 3)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    with pytest.raises(ComparisonCancelled):
        lib.compare(CNN_RETELLING_BOL, CNN_LI_ZHANSHU, cancel=lambda: True)


def test_without_a_model_the_comparison_says_why(lib, monkeypatch):
    monkeypatch.setattr(
        lib.entities, "available", lambda: (False, "Entity features are off: test.")
    )
    result = lib.compare(CNN_RETELLING_BOL, CNN_LI_ZHANSHU)
    assert result.shared_entities == [] and result.only_a == [] and result.only_b == []
    assert result.notes == ["Entity features are off: test."]
    assert len(result.shared_passages) >= 3


def test_a_model_that_fails_to_load_leaves_the_passages(lib, monkeypatch):
    from workbench.core.entities import EntitiesUnavailable

    engine = lib.entities.engine

    def fail(*args, **kwargs):
        raise EntitiesUnavailable("Entity features are off: the model is damaged.")

    monkeypatch.setattr(engine, "missing", lambda docs: list(docs))
    monkeypatch.setattr(engine, "extract", fail)
    result = lib.compare(CNN_RETELLING_BOL, CNN_LI_ZHANSHU)
    assert result.notes == ["Entity features are off: the model is damaged."]
    assert result.shared_entities == []
    assert len(result.shared_passages) >= 3


def test_bad_requests(lib):
    with pytest.raises(UnknownDocument):
        lib.compare("nope", CNN_LI_ZHANSHU)
    with pytest.raises(UserError):
        lib.compare(CNN_RETELLING_BOL, CNN_LI_ZHANSHU, min_similarity=1.5)


# --------------------------------------------------------------------------- exports


def test_markdown_export_puts_passages_side_by_side(lib, tmp_path):
    path = lib.export_comparison(CNN_RETELLING_BOL, CNN_LI_ZHANSHU, tmp_path / "cnn.md")
    text = path.read_text("utf-8")
    assert text.startswith("# Comparison: Putin now needs more than Xi Jinping’s assistance")
    assert "## Shared entities (" in text and "## Only in A (" in text and "## Only in B (" in text
    assert "| Li Zhanshu | PERSON |" in text
    passages = text.split("## Quotes (")[0]
    rows = [line for line in passages.splitlines() if line.startswith("| ") and "enlarging" in line]
    assert len(rows) == 1 and "expanding their presence" in rows[0]  # A and B in one row


def test_csv_export_has_entities_and_passages(lib, tmp_path):
    result = lib.compare(CNN_RETELLING_BOL, CNN_LI_ZHANSHU)
    path = lib.export_comparison(CNN_RETELLING_BOL, CNN_LI_ZHANSHU, tmp_path / "cnn.csv")
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    sections = [r["section"] for r in rows]
    assert sections.count("shared") == len(result.shared_entities)
    assert sections.count("only_a") == len(result.only_a)
    assert sections.count("only_b") == len(result.only_b)
    passages = [r for r in rows if r["section"] == "passage"]
    assert len(passages) == len(result.shared_passages)
    first = passages[0]
    assert result.a.text[int(first["a_start"]) : int(first["a_end"])] == first["a_text"]


def test_export_refuses_other_formats_and_writes_nothing(lib, tmp_path):
    with pytest.raises(UserError, match=r"\.md or \.csv"):
        lib.export_comparison(CNN_RETELLING_BOL, CNN_LI_ZHANSHU, tmp_path / "cnn.docx")
    with pytest.raises(UserError, match="does not exist"):
        lib.export_comparison(CNN_RETELLING_BOL, CNN_LI_ZHANSHU, tmp_path / "missing" / "cnn.md")
    assert list(tmp_path.iterdir()) == [tmp_path / "data"]


# --------------------------------------------------------------------------- command line


def run(capsys, data: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_compare_json(entity_seeds_dir, capsys):
    code, out, _ = run(capsys, entity_seeds_dir, "compare", "002", "004", "--json")
    assert code == 0
    data = json.loads(out)
    assert "Li Zhanshu" in {e["name"] for e in data["shared_entities"]}
    assert len(data["shared_passages"]) >= 3


def test_cli_compare_text(entity_seeds_dir, capsys):
    code, out, _ = run(capsys, entity_seeds_dir, "compare", "002", "004")
    assert code == 0
    assert "Shared entities (" in out and "Only in A (" in out and "Only in B (" in out
    assert "Shared passages (" in out and "seriously threatening national security" in out


def test_cli_compare_thresholds(entity_seeds_dir, capsys):
    code, out, _ = run(
        capsys, entity_seeds_dir, "compare", "002", "004", "--json", "--min-similarity", "0.85"
    )
    assert code == 0
    assert all(p["similarity"] >= 0.85 for p in json.loads(out)["shared_passages"])


def test_cli_compare_export(entity_seeds_dir, capsys, tmp_path):
    code, out, _ = run(
        capsys, entity_seeds_dir, "compare", "002", "004", "--export", str(tmp_path / "c.md")
    )
    assert code == 0 and "Wrote the comparison" in out
    # Entities (shared, only A, only B), passages, quotes (paired, only A, only B).
    assert (tmp_path / "c.md").read_text("utf-8").count("## ") == 7
    code, _, _ = run(
        capsys,
        entity_seeds_dir,
        "compare",
        "002",
        "004",
        "--export",
        str(tmp_path / "c.csv"),
        "--min-similarity",
        "0.85",
    )
    with (tmp_path / "c.csv").open(encoding="utf-8", newline="") as f:
        passages = [r for r in csv.DictReader(f) if r["section"] == "passage"]
    assert code == 0 and passages and all(float(r["similarity"]) >= 0.85 for r in passages)


def test_cli_related(entity_seeds_dir, capsys):
    code, out, _ = run(capsys, entity_seeds_dir, "related", "002", "--limit", "2", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["related"][0]["id"] == CNN_LI_ZHANSHU
    assert len(data["related"]) == 2
    # Shared entities are listed rarest first: Li Zhanshu (two seeds) before Russia (all five).
    shared = data["related"][0]["shared_entities"]
    assert shared.index("Li Zhanshu") < shared.index("Russia")
    assert "shared entities: Li Zhanshu" in data["related"][0]["reason"]
    code, out, _ = run(capsys, entity_seeds_dir, "related", "002")
    assert code == 0 and "shared passages" in out


def test_cli_errors_are_one_line(entity_seeds_dir, capsys):
    code, _, err = run(capsys, entity_seeds_dir, "compare", "002", "zzz")
    assert code == 2 and err.count("\n") == 1 and "zzz" in err
    code, _, err = run(capsys, entity_seeds_dir, "compare", "002", "004", "--export", "x.pdf")
    assert code == 2 and err.count("\n") == 1
    code, _, err = run(capsys, entity_seeds_dir, "related", "002", "--limit", "0")
    assert code == 2 and err.count("\n") == 1
