"""A sample of the real BBC corpus indexes and searches correctly."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from workbench.core.library import Library

from ..support import BBC

CATEGORIES = ("business", "entertainment", "politics", "sport", "tech")


@pytest.fixture(scope="module")
def bbc_library(tmp_path_factory: pytest.TempPathFactory):
    files = [f for c in CATEGORIES for f in sorted((BBC / c).glob("*.txt"))[:40]]
    with Library.open(tmp_path_factory.mktemp("bbc")) as lib:
        report = lib.add_paths(files)
        assert len(report.added) == len(files) and not report.skipped
        yield lib, files


def test_every_headline_finds_its_article_first(bbc_library: tuple[Library, list[Path]]) -> None:
    lib, files = bbc_library
    misses = []
    for f in files:
        headline = f.read_text("utf-8").split("\n", 1)[0].strip()
        words = re.findall(r"\w+(?:\.?\w+)*", headline)
        q = 'title:"' + " ".join(words) + '"'
        hits = lib.search(q, limit=3).hits
        if not hits or hits[0].id != f.stem:
            misses.append((f.stem, q))
    assert not misses


def test_a_sentence_from_the_body_finds_its_article(
    bbc_library: tuple[Library, list[Path]],
) -> None:
    lib, files = bbc_library
    for f in files[::17]:
        doc = lib.document(f.stem)
        paragraphs = doc.text.split("\n\n")
        sentence = max(paragraphs, key=len).split(". ")[0]
        words = re.findall(r"\w+(?:\.?\w+)*", sentence)[:8]
        results = lib.search('"' + " ".join(words) + '"')
        assert f.stem in {h.id for h in results.hits}, words
        hit = next(h for h in results.hits if h.id == f.stem)
        assert hit.matches, words
        # The phrase is highlighted as one span inside that sentence (stop words at its
        # edges are not part of the match).
        assert any(
            doc.text[s:e] in sentence and len(doc.text[s:e].split()) >= 4 for s, e in hit.matches
        )


def test_category_words_rank_that_category_high(bbc_library: tuple[Library, list[Path]]) -> None:
    lib, _ = bbc_library
    hits = lib.search("goal OR match OR coach", limit=10).hits
    sport = sum(1 for h in hits if "/sport/" in h.path)
    assert sport >= 7
    assert all(h.snippet for h in hits)
