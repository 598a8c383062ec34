"""The reported-speech gold set: labels that still fit their texts, and reported speech
found as well as it was.

150 sentences of ../shared/corpora/bbc-news (MIT licence), labelled blind as
tests/data/reported-gold.md says. ``bench/bench_quotes.py`` prints the full measures by
part; this test only guards against a change that makes finding reported speech or its
speakers clearly worse, with floors well under what the bench measures.
"""

from __future__ import annotations

import hashlib
import json

import pytest

from workbench.core.corpus import parse_file
from workbench.core.quotes.evaluate import ReportedTally, attribute_texts, prf, score_reported

from ..data.fetch_pages import source_path
from ..support import REPO

LABELS = json.loads((REPO / "tests" / "data" / "reported-gold.json").read_text("utf-8"))[
    "sentences"
]
PATHS = sorted({s["path"] for s in LABELS})


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    return {p: parse_file(source_path(p)).text for p in PATHS}


def test_every_label_still_fits_its_sentence(texts: dict[str, str]) -> None:
    assert len(LABELS) == 150 and len(PATHS) == 150
    for s in LABELS:
        text = texts[s["path"]]
        assert hashlib.sha1(text.encode("utf-8")).hexdigest() == s["sha1"], s["path"]
        if s["reported"]:
            assert s["words"] in text[s["start"] : s["end"]], s["id"]
            assert (s["speaker"] is None) == (s["speaker_kind"] == "unnamed"), s["id"]
        else:
            assert s["speaker"] is None and s["words"] is None, s["id"]


@pytest.mark.spacy
def test_reported_speech_on_the_gold_sentences_stays_good(texts: dict[str, str]) -> None:
    from workbench.core.entities import NerModel, extract

    ordered = [texts[p] for p in PATHS]
    spans = list(extract(NerModel().load(), ordered))
    found = dict(zip(PATHS, attribute_texts(ordered, spans), strict=True))
    tally = ReportedTally()
    for label in LABELS:
        score_reported(tally, label, texts[label["path"]], found[label["path"]])
    precision, recall, _ = prf(tally.both, tally.found, tally.gold)
    ok, named = tally.named
    invented, _unnamed = tally.unnamed
    assert precision >= 0.9 and recall >= 0.6, tally.errors
    assert tally.words >= 0.8 * tally.both
    assert ok >= 0.75 * named and invented <= 1, tally.errors
