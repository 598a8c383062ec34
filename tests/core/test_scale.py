"""What keeps a library of 100,000 articles as quick as one of 1,000: operations on one or
two documents read only those documents' texts, listings read none, and an unchanged
re-index reads no file. These are properties, checked by counting, never timings
(bench/bench_scale.py measures the times). BBC articles: MIT licence (see the README)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.core import corpus, docstore
from workbench.core.library import Library

from ..support import bbc_files


@pytest.fixture
def texts_read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the documents whose texts the store decompresses, in order."""
    seen: list[str] = []
    real = docstore._document

    def counting(row):  # type: ignore[no-untyped-def]
        seen.append(row[0])
        return real(row)

    monkeypatch.setattr(docstore, "_document", counting)
    return seen


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """80 BBC articles, copied so that a test may touch them."""
    folder = tmp_path / "articles"
    folder.mkdir()
    for f in bbc_files("business", 40) + bbc_files("tech", 40):
        shutil.copy(f, folder / f"{f.parent.name}-{f.name}")
    data = tmp_path / "data"
    with Library.open(data) as lib:
        lib.add_paths([folder])
    return data


def test_listing_reads_no_text(library: Path, texts_read: list[str], capsys) -> None:
    with Library.open(library) as lib:
        assert len(lib.docs.summaries()) == 80
        assert len(list(lib.docs.iter_summaries(batch=7))) == 80
        assert [d.id for d in lib.docs.iter_summaries(offset=10, limit=5, batch=2)] == [
            d.id for d in lib.docs.summaries()[10:15]
        ]
    assert (
        main(["--data-dir", str(library), "docs", "--json", "--limit", "3", "--offset", "2"]) == 0
    )
    listed = json.loads(capsys.readouterr().out)
    assert len(listed) == 3 and set(listed[0]) == {
        "id", "title", "path", "words", "date", "author", "site", "language", "format", "pages",
    }  # fmt: skip
    assert texts_read == []


def test_showing_and_searching_read_only_those_texts(library: Path, texts_read: list[str]) -> None:
    with Library.open(library) as lib:
        some = lib.docs.ids()[17]
        assert lib.document(some).id == some
        assert texts_read == [some]
        texts_read.clear()
        results = lib.search("market", limit=5)
        assert results.total > 5 and len(results.hits) == 5
        assert sorted(texts_read) == sorted(h.id for h in results.hits)


def test_an_unchanged_reindex_reads_no_file(library: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    read: list[Path] = []
    real = corpus.read_bytes
    monkeypatch.setattr(corpus, "read_bytes", lambda p, *a: read.append(p) or real(p, *a))
    with Library.open(library) as lib:
        report = lib.refresh()
        assert report.unchanged == 80 and not report.added and read == []
        # A file touched but not changed is read, not parsed again, and counts as unchanged.
        one = Path(next(iter(lib.docs.iter_summaries())).path)
        os.utime(one, ns=(1_000_000_000, 1_000_000_000))
        report = lib.refresh()
        assert report.unchanged == 80 and read == [one]
        read.clear()
        assert lib.refresh().unchanged == 80 and read == []
