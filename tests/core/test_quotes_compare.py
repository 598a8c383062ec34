"""Quotes across articles: pairs with their word diffs, one-sided quotes, same statements.

The seed test runs the spaCy model on seeds 002 and 004 (both quote Li Zhanshu on NATO
near Russia's borders, in different words); the others use sentences from them with the
speakers given.
"""

from __future__ import annotations

import pytest

from workbench.core.compare.quotes import (
    compare_quotes,
    content_words,
    same_statements,
    word_diff,
)
from workbench.core.quotes import extract_quotes
from workbench.core.quotes.resolve import AttributedQuote

from ..support import CNN_LI_ZHANSHU, CNN_RETELLING_BOL, SEEDS

LI_A = (
    "We see that the United States and its NATO allies are enlarging their presence near "
    "the Russian borders, seriously endangering national security and the lives of Russian "
    "citizens"
)
LI_B = (
    "We see the United States and its NATO allies expanding their presence near Russia’s "
    "borders, seriously threatening national security and the lives of Russian citizens."
)
BRANDS = (
    "Beijing cannot sit quietly and see Russia defeated in Ukraine, because that will weaken it."
)


def said(doc_id: str, text: str, speaker: str, start: int = 0) -> AttributedQuote:
    """A quote of ``text`` by ``speaker`` (no library entity), as the reader would get it."""
    body = f"“{text}” {speaker or 'Someone'} said."
    [q] = [q for q in extract_quotes(body, []) if q.kind == "direct"]
    return AttributedQuote(doc_id, q, text, None, speaker)


def test_the_same_words_of_the_same_speaker_pair_in_any_order() -> None:
    a = [
        said("a", "The economy is growing faster than anyone expected this year.", "Ann Lee"),
        said("a", LI_A, "Li Zhanshu"),
    ]
    b = [said("b", LI_B, "Li Zhanshu"), said("b", BRANDS, "Hal Brands")]
    for left, right in ((a, b), (b, a)):
        result = compare_quotes(left, right)
        assert len(result.paired) == 1
        pair = result.paired[0]
        assert pair.speaker == "Li Zhanshu"
        assert {pair.a.text, pair.b.text} == {LI_A, LI_B}
    result = compare_quotes(a, b)
    pair = result.paired[0]
    assert "enlarging" in " ".join(pair.only_a) and "expanding" in " ".join(pair.only_b)
    assert "endangering" in " ".join(pair.only_a) and "threatening" in " ".join(pair.only_b)
    assert result.summary() == ["A quotes Ann Lee; B does not", "B quotes Hal Brands; A does not"]


def test_different_speakers_do_not_pair_even_with_the_same_words() -> None:
    result = compare_quotes([said("a", LI_A, "Li Zhanshu")], [said("b", LI_A, "Vladimir Putin")])
    assert result.paired == []
    assert len(result.only_a) == len(result.only_b) == 1


def test_an_unattributed_quote_pairs_only_when_nearly_the_same() -> None:
    near = compare_quotes([said("a", LI_A, "Li Zhanshu")], [said("b", LI_B, "")])
    assert len(near.paired) == 1 and near.paired[0].speaker == "Li Zhanshu"
    loose = "We see the United States near the borders, and we understand the need for measures."
    far = compare_quotes([said("a", LI_A, "Li Zhanshu")], [said("b", loose, "")])
    assert far.paired == []


def test_word_diff_ignores_case_and_punctuation() -> None:
    parts = word_diff("We see that the allies, expanding", "we see the allies expanding!")
    assert [(p.op, p.a, p.b) for p in parts if p.op != "equal"] == [("delete", "that", "")]
    assert content_words("We see the allies")["allies"] == 1


def test_one_speaker_s_quotes_group_into_statements_oldest_first() -> None:
    quotes = [
        said("d3", LI_B, "Li Zhanshu"),
        said("d1", LI_A, "Li Zhanshu"),
        said(
            "d2",
            "China understands and supports Russia on issues of its vital interests.",
            "Li Zhanshu",
        ),
        said("d4", LI_A.replace("seriously ", ""), "Li Zhanshu"),
    ]
    info = {
        "d1": ("First report", "2022-09-10", "CNN"),
        "d2": ("Statement", "2022-09-09", "Xinhua"),
        "d3": ("Retelling", "2022-09-12", "BOL News"),
        "d4": ("Undated copy", None, None),
    }
    statements = same_statements(quotes, lambda doc_id: info[doc_id])
    assert [s.documents for s in statements] == [["d1", "d3", "d4"], ["d2"]]
    first = statements[0]
    assert [q.date for q in first.quotes] == ["2022-09-10", "2022-09-12", None]
    assert first.quotes[0].outlet == "CNN" and first.varies


@pytest.mark.spacy
def test_the_seeds_pair_li_zhanshu_on_nato_with_their_wording_differences() -> None:
    from workbench.core.corpus import parse_file
    from workbench.core.entities import NerModel, extract, finish, prepare
    from workbench.core.quotes.resolve import attribute_quotes

    texts = {i: parse_file(SEEDS / f"{i}.txt").text for i in (CNN_RETELLING_BOL, CNN_LI_ZHANSHU)}
    spans = dict(zip(texts, extract(NerModel().load(), list(texts.values())), strict=True))
    resolved = finish(prepare(list(texts.items()), spans))
    quotes = {
        i: attribute_quotes(i, t, extract_quotes(t, spans[i]), resolved.doc_entities[i])
        for i, t in texts.items()
    }
    result = compare_quotes(quotes[CNN_RETELLING_BOL], quotes[CNN_LI_ZHANSHU])
    li = [p for p in result.paired if p.speaker == "Li Zhanshu"]
    assert len(li) == 1
    assert li[0].a.text.startswith("We see that the United States")
    assert li[0].b.text.startswith("We see the United States")
    assert "enlarging" in " ".join(li[0].only_a) and "expanding" in " ".join(li[0].only_b)
    assert "B quotes Hal Brands; A does not" in result.summary()
