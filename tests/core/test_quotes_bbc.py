"""Quotes of real BBC articles kept in a library, and bad input that must neither hang nor
misplace a quote.

The BBC articles are read in place from ``../shared/corpora/bbc-news`` (MIT licence, see
its LICENSE), a German page from ``web-pages`` (Apache-2.0, a quote added); the bad inputs
are written by the test.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from workbench.core.entities.cache import text_hash
from workbench.core.library import Library
from workbench.core.quotes import extract_quotes

from ..support import BBC, bbc_files
from .test_languages import page_text

BAD = {
    "marks.txt": "Marks\n\nThe row: " + "“" * 10_000 + " and on.\n",
    "straight.txt": "Straight marks\n\n" + '"' * 10_000 + "\n",
    "unbalanced.txt": (
        "Unbalanced\n\nMr Jones said: “This is never closed. In the ’90s O’Neill played rock "
        "’n’ roll.\n\nHe added that ‘it was fine.\n"
    ),
    "whole.txt": (
        "All quoted\n\n“Everything in this article is inside quotation marks, said nobody, "
        "and “quotes inside quotes” are here too, ‘and single ones’ as well.”\n"
    ),
}


SURNAMED = ("dominici-backs-lacklustre-france.txt", "souness-backs-smith-for-scotland.txt")
"""Articles whose speaker the model names by surname alone ("Wing Christophe Dominici"
is tagged "Dominici"; "Graeme Souness", first in the text, an organisation)."""


@pytest.fixture(scope="module")
def bbc_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bbc")
    for f in bbc_files("politics", 15) + [BBC / "sport" / name for name in SURNAMED]:
        shutil.copy(f, folder / f.name)
    for name, text in BAD.items():
        (folder / name).write_text(text, encoding="utf-8")
    german = page_text("heise") + "\n\nEin Sprecher sagte: „Das Update ist kostenlos.“\n"
    (folder / "german.txt").write_text(german, encoding="utf-8")
    data = tmp_path_factory.mktemp("bbc-data")
    with Library.open(data) as lib:
        lib.add_paths([folder])
        report = lib.entities.extract()
        assert not report.cancelled
    return data


def test_stored_quotes_are_what_extraction_finds(bbc_library: Path) -> None:
    with Library.open(bbc_library) as lib:
        engine = lib.entities.engine
        total = 0
        for doc in lib.documents():
            found = lib.quotes.of_document(doc.id)
            h = text_hash(doc.text)
            spans = engine.spans([h]).get(h, [])
            expected = extract_quotes(doc.text, spans) if doc.language == "en" else []
            assert [q.quote for q in found] == expected
            for q in found:
                assert 0 <= q.start <= q.end <= len(doc.text)
                assert doc.text[q.start : q.end] == q.text
            total += len(found)
        assert total > 60
        counts = lib.quotes.counts()
        assert counts["tony blair"] >= 5
        quotes = lib.quotes.by_speaker("Tony Blair")
        assert len(quotes) == counts["tony blair"]
        assert len({d for d, _ in quotes}) >= 2
        assert {q.speaker_name for _, q in quotes} == {"Tony Blair"}


def test_a_speaker_quoted_by_surname_is_shown_and_found_by_the_full_name(
    bbc_library: Path,
) -> None:
    with Library.open(bbc_library) as lib:
        for title, full in (
            ("Dominici backs lacklustre France", "Christophe Dominici"),
            ("Souness backs Smith for Scotland", "Graeme Souness"),
        ):
            doc = next(d for d in lib.documents() if d.title == title)
            speakers = [q.speaker_name for q in lib.quotes.of_document(doc.id)]
            assert speakers.count(full) >= 2, speakers
            assert {d for d, _ in lib.quotes.by_speaker(full)} == {doc.id}
            assert [h.id for h in lib.search(f'speaker:"{full}"').hits] == [doc.id]


def test_bad_input_gives_quotes_in_place(bbc_library: Path) -> None:
    with Library.open(bbc_library) as lib:
        by_title = {d.title: d for d in lib.documents()}
        for title in ("Marks", "Straight marks", "Unbalanced", "All quoted"):
            doc = by_title[title]
            for q in lib.quotes.of_document(doc.id):
                assert doc.text[q.start : q.end] == q.text
        unbalanced = lib.quotes.of_document(by_title["Unbalanced"].id)
        assert all("’n’" not in q.text[:3] for q in unbalanced)
        assert not lib.quotes.of_document(by_title["Straight marks"].id)
        german = [d for d in lib.documents() if d.language == "de"]
        assert len(german) == 1 and "„" in german[0].text
        assert lib.quotes.of_document(german[0].id) == []  # English cues only


def test_removed_documents_lose_their_quotes(bbc_library: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(bbc_library, data)
    with Library.open(data) as lib:
        before = lib.quotes.counts()
        quoted = sorted({d for k in before for d, _ in lib.quotes.by_speaker(k)})
        root = Path(lib.roots[0])
        gone = lib.document(quoted[0])
        (root / Path(gone.path).name).unlink()
        lib.refresh()
        lib.entities.extract()
        assert all(d != gone.id for k in lib.quotes.counts() for d, _ in lib.quotes.by_speaker(k))
        assert lib.quotes.store.of_document(gone.id) is None
