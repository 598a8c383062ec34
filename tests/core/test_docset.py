"""Query leaves answered outside the index (``entity:``), over several segments.

The seeds (``seeds/``, articles saved from public news sites, see the README) and 40
BBC articles (``../shared/corpora/bbc-news``, MIT) are imported in three batches, so the
index has several segments, and one seed is then edited, so an older segment holds a
deleted copy of it. A stand-in entity store names a fixed set of documents; the search
must find exactly those, alone and with words, in this process and the next.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from workbench.core import search
from workbench.core.errors import BadQuery
from workbench.core.library import Library

from ..support import CNN_LI_ZHANSHU, CNN_RETELLING_BOL, FRATERNIZATION, bbc_files


@pytest.fixture
def segmented(tmp_path: Path, seeds_copy: Path) -> Library:
    bbc = tmp_path / "bbc"
    bbc.mkdir()
    for i, f in enumerate(bbc_files("politics", 20) + bbc_files("business", 20)):
        shutil.copy(f, bbc / f"{i:02d}-{f.name}")
    lib = Library.open(tmp_path / "data")
    lib.add_paths([seeds_copy])
    lib.add_paths([bbc])
    edited = seeds_copy / f"{FRATERNIZATION}.txt"
    edited.write_text(edited.read_text("utf-8") + "\n\nA paragraph added later.\n", "utf-8")
    lib.refresh()
    yield lib
    lib.close()


def named_searcher(lib: Library, named: dict[str, set[str]]) -> search.Searcher:
    def lookup(term: str, prefix: bool) -> set[str]:
        if prefix:
            return set().union(*(ids for t, ids in named.items() if t.startswith(term)))
        return named.get(term, set())

    return search.Searcher(lib.ix, lib.docs.get_many, lib.index_dir, lookup)


def found(searcher: search.Searcher, query: str) -> set[str]:
    return {h.id for h in searcher.search(query, limit=100).hits}


def test_entity_leaves_match_exactly_the_store_s_documents(segmented: Library) -> None:
    bbc = sorted(d for d in segmented.docs.ids() if d[:2].isdigit())
    with segmented.ix.searcher() as s:
        assert len(s.reader().leaf_readers()) > 1 and s.reader().has_deletions()
    people = {FRATERNIZATION, CNN_LI_ZHANSHU, bbc[3], bbc[17], "no-such-document"}
    named = {"li zhanshu": {CNN_RETELLING_BOL, CNN_LI_ZHANSHU}, "the people": people}
    searcher = named_searcher(segmented, named)
    try:
        assert found(searcher, 'entity:"Li Zhanshu"') == named["li zhanshu"]
        assert found(searcher, 'entity:"the people"') == people - {"no-such-document"}
        assert found(searcher, "entity:the*") == people - {"no-such-document"}
        assert found(searcher, "entity:nobody") == set()
        words = found(searcher, "Russia")
        assert found(searcher, 'Russia AND entity:"the people"') == words & people
        assert found(searcher, 'Russia NOT entity:"the people"') == words - people
        either = found(searcher, 'entity:"li zhanshu" OR entity:"the people"')
        assert either == (people | named["li zhanshu"]) - {"no-such-document"}
        with pytest.raises(BadQuery):
            searcher.search("entity:peopel~")
    finally:
        searcher.close()
    # The next process reads the segments' maps from their files; a damaged one is made again.
    maps = sorted(segmented.index_dir.glob(".docnums-*"))
    segments = sorted(segmented.index_dir.glob("*.seg"))
    assert [m.name.removeprefix(".docnums-") for m in maps] == [s.stem for s in segments]
    maps[0].write_bytes(b"\x00garbage")
    again = named_searcher(segmented, named)
    try:
        assert found(again, 'entity:"the people"') == people - {"no-such-document"}
    finally:
        again.close()
