"""``lib.quotes`` on the seeds: quotes kept with the entities, by document and by speaker,
paired in a comparison, searched with ``speaker:`` and ``quote:``, exported, and said of
notes; the speaker follows the researcher's corrections.

The seeds 002 and 004 both quote Li Zhanshu on NATO near Russia's borders, in different
words. The seed articles are the project's own (see the README).
"""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from workbench.cli import main
from workbench.core.library import Library
from workbench.core.quotes import extract_quotes, model
from workbench.core.quotes import store as quote_store
from workbench.core.quotes.manager import UnknownSpeaker
from workbench.core.quotes.query import split_query

from ..support import CNN_LI_ZHANSHU, CNN_RETELLING_BOL, FRATERNIZATION

LI = "li zhanshu"


@pytest.fixture
def lib(library_copy: Path):
    with Library.open(library_copy) as opened:
        yield opened


def _stored_docs(root: Path) -> dict[str, str]:
    with sqlite3.connect(root / "entities-cache.sqlite3") as conn:
        return dict(conn.execute("SELECT doc, stamp FROM quote_docs").fetchall())


def test_quotes_are_stored_when_entities_are_extracted(entity_seeds_dir: Path) -> None:
    stored = _stored_docs(entity_seeds_dir)
    assert len(stored) == 5
    assert {s.split("/")[0] for s in stored.values()} == {str(model.EXTRACTOR_VERSION)}


def test_a_documents_quotes_have_offsets_into_its_text_and_speakers(lib: Library) -> None:
    doc = lib.document(CNN_LI_ZHANSHU)
    found = lib.quotes.of_document(CNN_LI_ZHANSHU)
    assert len(found) >= 8
    for q in found:
        assert doc.text[q.start : q.end] == q.text
    li = [q for q in found if q.key == LI]
    assert len(li) >= 4
    assert any(q.text.startswith("We see the United States and its NATO allies") for q in li)
    data = li[0].to_json()
    assert data["speaker"] == "Li Zhanshu" and data["speaker_key"] == LI
    assert data["doc_id"] == CNN_LI_ZHANSHU
    # The same quotes as extraction finds in the text with the cached NER spans.
    engine = lib.entities.engine
    from workbench.core.entities.cache import text_hash

    spans = engine.spans([text_hash(doc.text)])[text_hash(doc.text)]
    assert [q.quote for q in found] == extract_quotes(doc.text, spans)


def test_a_speakers_quotes_across_the_library(lib: Library) -> None:
    quotes = lib.quotes.by_speaker("Li Zhanshu")
    assert {d for d, _ in quotes} == {CNN_RETELLING_BOL, CNN_LI_ZHANSHU}
    assert all(q.key == LI for _, q in quotes)
    assert lib.quotes.by_speaker("li zhanshu") == quotes  # by key
    statements = lib.quotes.statements("Li Zhanshu")
    first = statements[0]
    assert first.documents == [CNN_RETELLING_BOL, CNN_LI_ZHANSHU]
    assert first.varies
    assert sum(len(s.quotes) for s in statements) == len(quotes)
    counts = lib.quotes.counts()
    assert counts[LI] == len(quotes)
    assert counts["hal brands"] >= 3
    with pytest.raises(UnknownSpeaker):
        lib.quotes.by_speaker("Nobody Anywhere")


def test_compare_pairs_the_li_zhanshu_quotes_with_their_differences(lib: Library) -> None:
    result = lib.compare("002", "004")
    assert result.quotes is not None
    li = [p for p in result.quotes.paired if p.speaker_key == LI]
    assert len(li) == 1
    pair = li[0]
    assert pair.a.doc_id == CNN_RETELLING_BOL and pair.b.doc_id == CNN_LI_ZHANSHU
    assert "that" in pair.only_a and "are enlarging" in pair.only_a
    assert "expanding" in pair.only_b and "threatening" in pair.only_b
    assert "B quotes Hal Brands; A does not" in result.quotes.summary()
    data = result.to_json()["quotes"]
    assert {"paired", "only_a", "only_b"} <= set(data)
    assert data["paired"][0]["speaker"] == "Li Zhanshu"


def test_cli_quotes(library_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = ["--data-dir", str(library_copy)]
    assert main([*base, "quotes", "--speaker", "Li Zhanshu"]) == 0
    text = capsys.readouterr().out
    assert CNN_RETELLING_BOL in text and CNN_LI_ZHANSHU in text
    assert "worded differently" in text
    assert main([*base, "quotes", "--speaker", "Li Zhanshu", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["speaker"] == "Li Zhanshu"
    assert data["statements"][0]["documents"] == [CNN_RETELLING_BOL, CNN_LI_ZHANSHU]
    assert main([*base, "quotes", "004", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert any(q["speaker"] == "Hal Brands" for q in data["quotes"])
    assert main([*base, "quotes", "004"]) == 0
    assert "Hal Brands (wrote, direct)" in capsys.readouterr().out
    for argv, wanted in (
        (["quotes", "--speaker", "Nobody Anywhere"], "nobody called 'Nobody Anywhere'"),
        (["quotes"], "give a document id or --speaker NAME"),
        (["quotes", "999"], "no document has the id '999'"),
    ):
        assert main([*base, *argv]) == 2
        err = capsys.readouterr().err
        assert wanted in err and len(err.strip().splitlines()) == 1
    assert main([*base, "compare", "002", "004", "--json"]) == 0
    quotes = json.loads(capsys.readouterr().out)["quotes"]
    assert len(quotes["paired"]) >= 1 and quotes["only_b"]
    assert main([*base, "compare", "002", "004"]) == 0
    text = capsys.readouterr().out
    assert "Quotes: 1 paired" in text and "only A: that | are enlarging" in text


def test_search_prefixes(lib: Library) -> None:
    def found(query: str) -> set[str]:
        return {h.id for h in lib.search(query).hits}

    assert found('speaker:"Li Zhanshu"') == {CNN_RETELLING_BOL, CNN_LI_ZHANSHU}
    assert found("speaker:li") == {CNN_RETELLING_BOL, CNN_LI_ZHANSHU}  # an alias
    everywhere = found("nato")
    in_quotes = found("quote:nato")
    assert in_quotes < everywhere and FRATERNIZATION in in_quotes
    assert found("speaker:li quote:nato") == {CNN_RETELLING_BOL, CNN_LI_ZHANSHU}
    assert found('speaker:"Hal Brands" quote:nato') == set()
    assert found('speaker:"Hal Brands" quote:beijing') == {CNN_LI_ZHANSHU}
    assert found('quote:"presence near"') == {CNN_RETELLING_BOL, CNN_LI_ZHANSHU}
    assert found('speaker:"Kerry Brown" putin') == {CNN_RETELLING_BOL}
    # quote: terms are highlighted inside the quotes only.
    places = lib.quotes.places(split_query("quote:nato"))
    for hit in lib.search("quote:nato").hits:
        doc = lib.document(hit.id)
        assert hit.matches and "**" in hit.snippet
        for start, end in hit.matches:
            assert doc.text[start:end].lower() == "nato"
            assert any(s <= start and end <= e for s, e in places[hit.id])
    assert lib.search("speaker:nobody").total == 0


def test_the_speaker_follows_merges_and_renames(lib: Library) -> None:
    before = lib.quotes.by_speaker("Li Zhanshu")
    lib.entities.merge(["vladimir putin", LI])
    merged = lib.quotes.by_speaker("Vladimir Putin")
    assert {(d, q.start) for d, q in before} <= {(d, q.start) for d, q in merged}
    assert all(q.key == "vladimir putin" for _, q in merged)
    assert lib.quotes.counts()["vladimir putin"] == len(merged)
    assert CNN_LI_ZHANSHU in {h.id for h in lib.search("speaker:putin quote:nato").hits}
    lib.entities.undo(lib.entities.corrections()[-1].id)
    lib.entities.rename(LI, "Li Zhanshu (NPC)")
    renamed = lib.quotes.by_speaker(LI)
    assert [(d, q.start) for d, q in renamed] == [(d, q.start) for d, q in before]
    assert {q.speaker_name for _, q in renamed} == {"Li Zhanshu (NPC)"}


@pytest.mark.parametrize(
    ("module", "name"),
    [(model, "EXTRACTOR_VERSION"), (quote_store, "STORE_FORMAT")],
    ids=["extractor", "entity rules"],
)
def test_quotes_are_found_again_when_what_found_them_changes(
    lib: Library, monkeypatch: pytest.MonkeyPatch, module: object, name: str
) -> None:
    """The extractor's version, or the entity rules' (a speaker is linked to a mention,
    whose offsets those rules decide)."""
    assert not lib.quotes.store.stale(lib.quotes._stamp())
    monkeypatch.setattr(module, name, getattr(module, name) + 1)
    assert len(lib.quotes.store.stale(lib.quotes._stamp())) == 5
    assert lib.quotes.counts()[LI] >= 5  # read after finding them again
    assert set(_stored_docs(lib.root).values()) == {lib.quotes._stamp()}
    assert lib.quotes.of_document(CNN_LI_ZHANSHU)


def test_exports_carry_the_quotes(lib: Library, tmp_path: Path) -> None:
    md = lib.export_comparison("002", "004", tmp_path / "c.md").read_text(encoding="utf-8")
    assert "## Quotes (1 paired)" in md
    assert "~~are enlarging~~ **expanding**" in md
    assert "## Quotes only in B" in md and "Hal Brands" in md
    with open(lib.export_comparison("002", "004", tmp_path / "c.csv"), encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    pairs = [r for r in rows if r["section"] == "quote_pair"]
    assert pairs[0]["name"] == "Li Zhanshu" and "expanding" in pairs[0]["only_in_b"]
    assert any(r["section"] == "quote_only_b" and r["name"] == "Hal Brands" for r in rows)
    table = pd.read_csv(lib.entities.export_table(tmp_path / "e.csv"), keep_default_na=False)
    row = table.set_index("key").loc[LI]
    assert int(row["quotes"]) == lib.quotes.counts()[LI]
    china = table.set_index("key").loc["china"]
    assert china["quotes"] == ""  # a country nobody quoted: no count


def test_a_note_on_a_quote_says_whose_words(lib: Library, tmp_path: Path) -> None:
    notes = lib.notes
    anchor = notes.anchor_quote(CNN_LI_ZHANSHU, "expanding their presence near Russia’s borders")
    note = notes.add("drift", anchors=[anchor]).value
    elsewhere = notes.add("intro", anchors=[notes.make_anchor(CNN_LI_ZHANSHU, 0, 40)]).value
    assert notes.speaker(note.anchors[0]) == "Li Zhanshu"
    assert notes.speaker(elsewhere.anchors[0]) is None
    notes.export(tmp_path / "n.md")
    assert "· words of Li Zhanshu" in (tmp_path / "n.md").read_text(encoding="utf-8")
    notes.export(tmp_path / "n.csv")
    frame = pd.read_csv(tmp_path / "n.csv", keep_default_na=False)
    assert frame.set_index("note_id").loc[note.id, "words_of"] == "Li Zhanshu"
    assert "words_of" not in json.dumps(notes.get(note.id).to_json())  # never stored
