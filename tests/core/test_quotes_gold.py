"""The quote gold set: labels that still fit their texts, and extraction that keeps up.

The gold set is hand-labelled (see tests/data/quotes-gold.md): the five seeds, 494
articles of ../shared/corpora/bbc-news (MIT licence), 29 pages of
../shared/corpora/web-pages (Apache-2.0), 28 news pages from the test data of three
PyPI releases and 25 from the test fixtures of an npm release (the publishers' pages,
fetched by tests/data/fetch_pages.py), all parts
together (tune, test and held out). ``bench/bench_quotes.py`` prints the full measures
by part; this test only guards against a change that makes extraction clearly worse,
with floors well under what the bench measures.
"""

from __future__ import annotations

import hashlib
import json

import pytest

from workbench.core.corpus import parse_file
from workbench.core.quotes.evaluate import Tally, attribute_texts, prf, score_document
from workbench.core.quotes.marks import MARK_CHARS

from ..data.fetch_pages import source_path
from ..support import REPO

GOLD = json.loads((REPO / "tests" / "data" / "quotes-gold.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return [parse_file(source_path(d["path"])).text for d in GOLD["documents"]]


def test_every_label_still_fits_its_text(texts: list[str]) -> None:
    for doc, text in zip(GOLD["documents"], texts, strict=True):
        assert hashlib.sha1(text.encode("utf-8")).hexdigest() == doc["sha1"], doc["path"]
        for q in doc["quotes"]:
            assert text[q["start"] : q["end"]] == q["text"]
            assert q["kind"] in ("direct", "partial", "term")
            before = text[: q["start"]].rstrip(" ")
            assert before[-1:] in MARK_CHARS or q.get("nomark"), q["text"]


@pytest.mark.spacy
def test_extraction_on_the_gold_set_stays_good(texts: list[str]) -> None:
    from workbench.core.entities import NerModel, extract

    spans = list(extract(NerModel().load(), texts))
    tally = Tally()
    found = attribute_texts(texts, spans, indirect=False)
    for doc, text, doc_found in zip(GOLD["documents"], texts, found, strict=True):
        score_document(tally, doc, text, doc_found)
    f1 = prf(tally.tp_exact, tally.predicted, tally.gold)[2]
    right, named = tally.speaker["all"]
    invented, unnamed = tally.unnamed
    assert f1 >= 0.95, tally.errors
    assert right / named >= 0.85, tally.errors
    assert invented <= 0.1 * unnamed, tally.errors
