"""Searching the seeds: phrases, booleans, fields, fuzzy and wildcard queries, match offsets."""

from __future__ import annotations

import re

import pytest

from workbench.core.errors import BadQuery
from workbench.core.library import Library

from ..support import CNN_LI_ZHANSHU, CNN_RETELLING_BOL, FRATERNIZATION, SEEDS


def ids(lib: Library, q: str) -> set[str]:
    return {h.id for h in lib.search(q, limit=50).hits}


def test_li_zhanshu_is_in_exactly_the_two_articles_naming_him(seeded: Library) -> None:
    naming = {p.stem for p in SEEDS.glob("*.txt") if "Li Zhanshu" in p.read_text("utf-8")}
    assert naming == {CNN_LI_ZHANSHU, CNN_RETELLING_BOL}
    results = seeded.search('"Li Zhanshu"')
    assert results.total == 2
    assert {h.id for h in results.hits} == naming


def test_phrase_is_stricter_than_words(seeded: Library) -> None:
    words = seeded.search("square kilometers")
    phrase = seeded.search('"square kilometers"')
    assert {h.id for h in phrase.hits} <= {h.id for h in words.hits}
    # The phrase highlights the two words as one match.
    doc = seeded.document(phrase.hits[0].id)
    assert {doc.text[s:e] for s, e in phrase.hits[0].matches} == {"square kilometers"}


def test_boolean_operators(seeded: Library) -> None:
    putin = ids(seeded, "putin")
    xi = ids(seeded, "xi")
    assert ids(seeded, "putin AND xi") == putin & xi
    assert ids(seeded, "putin OR zhanshu") == putin | ids(seeded, "zhanshu")
    for doc_id in ids(seeded, "putin NOT milov"):
        assert "Milov" not in seeded.document(doc_id).text
    assert FRATERNIZATION in ids(seeded, "milov")


def test_title_field(seeded: Library) -> None:
    hits = ids(seeded, "title:fraternization")
    assert hits == {FRATERNIZATION}
    # "Taiwan" is in bodies but no title.
    assert ids(seeded, "taiwan") and not ids(seeded, "title:taiwan")


def test_fuzzy_and_wildcard(seeded: Library) -> None:
    assert ids(seeded, "zhansu~") == ids(seeded, "zhanshu")
    assert ids(seeded, "zhanshu") == {CNN_LI_ZHANSHU, CNN_RETELLING_BOL}
    hit = seeded.search("volod*").hits[0]
    doc = seeded.document(hit.id)
    assert {doc.text[s:e] for s, e in hit.matches} == {"Volodin"}


def test_stemming_matches_other_forms(seeded: Library) -> None:
    hit = next(h for h in seeded.search("sanction").hits if h.id == CNN_LI_ZHANSHU)
    found = {seeded.document(hit.id).text[s:e].lower() for s, e in hit.matches}
    assert "sanctions" in found


def test_title_is_weighted_above_body(seeded: Library) -> None:
    # "immunity" appears in one title; that article must come first.
    assert seeded.search("immunity").hits[0].id.startswith("000")


@pytest.mark.parametrize(
    "q", ['"Li Zhanshu"', "putin", "russ*", "zhansu~", "kremlin OR beijing", "sanctions"]
)
def test_match_offsets_point_at_the_matched_words(seeded: Library, q: str) -> None:
    results = seeded.search(q, limit=10)
    assert results.hits
    stem = re.sub(r"[^a-z ]", "", q.lower().split("~")[0].split("*")[0]).split()
    for hit in results.hits:
        text = seeded.document(hit.id).text
        for start, end in hit.matches:
            assert 0 <= start < end <= len(text)
            word = text[start:end]
            assert re.fullmatch(r"\w[\w ]*", word), word
            if q.startswith(("putin", "russ", '"Li')):
                assert any(word.lower().startswith(s[:4]) for s in stem), (q, word)


def test_snippet_marks_matched_terms(seeded: Library) -> None:
    hit = seeded.search("Volodin").hits[0]
    assert "**Volodin**" in hit.snippet
    assert len(hit.snippet) < 300


@pytest.mark.parametrize(
    "q", ['"unbalanced quote', "NOT", "putin AND", "(xi OR", "title:", "*", "AND OR NOT", "~", '""']
)
def test_malformed_queries_never_crash(seeded: Library, q: str) -> None:
    try:
        results = seeded.search(q)
    except BadQuery as exc:
        assert str(exc) and "\n" not in str(exc)
    else:
        assert results.total >= 0


def test_lone_not_is_a_clear_error(seeded: Library) -> None:
    with pytest.raises(BadQuery, match="NOT"):
        seeded.search("NOT")
    with pytest.raises(BadQuery, match="empty"):
        seeded.search("   ")


def test_fast_highlight_tokens_equal_the_index_analyzer() -> None:
    """body_tokens() must give exactly the tokens the index saw, or offsets would drift."""
    from pathlib import Path

    from workbench.core import corpus, search

    from ..support import BBC

    analyzer = search.make_schema()["body"].analyzer
    files = sorted(SEEDS.glob("*.txt")) + sorted(Path(BBC).glob("*/*.txt"))[::7]
    for f in files:
        text = corpus.parse_file(f).text
        expected = [
            (t.text, t.startchar, t.endchar) for t in analyzer(text, chars=True, mode="index")
        ]
        got = search.body_tokens(text, {t[0] for t in expected})
        assert got == expected, f.name


@pytest.mark.parametrize(
    "kwargs",
    [
        {"positions": True, "chars": True, "mode": "index"},
        {"positions": True, "mode": "query"},
        {"positions": True, "removestops": False, "mode": "query"},
        {"no_morph": True},
        {"tokenize": False, "positions": True, "chars": True},
    ],
)
def test_fused_analyzer_equals_whooshs_stemming_chain(kwargs: dict) -> None:
    from pathlib import Path

    from whoosh.analysis import StemmingAnalyzer

    from workbench.core import corpus, english

    from ..support import BBC

    reference = StemmingAnalyzer(expression=english.TOKEN_PATTERN)
    fused = english.EnglishStemmingAnalyzer()
    texts = [corpus.parse_file(f).text for f in sorted(SEEDS.glob("*.txt"))]
    texts += [corpus.parse_file(f).text for f in sorted(Path(BBC).glob("*/*.txt"))[::25]]
    texts += ["The U.S. and the EU, a 3.5% rise; it is A to Z.", "the of and", ""]
    fields_ = ("text", "pos", "startchar", "endchar", "stopped", "boost")

    def stream(analyzer, text: str) -> list[tuple]:
        out = []
        for t in analyzer(text, **kwargs):
            out.append(tuple(getattr(t, f, None) for f in fields_))
        return out

    for text in texts:
        assert stream(fused, text) == stream(reference, text), text[:60]


def test_body_postings_are_the_bytes_whooshs_characters_format_writes() -> None:
    """The one-pass postings of the body equal what Characters makes from the token stream."""
    from pathlib import Path

    from whoosh.formats import Characters

    from workbench.core import corpus, english, search

    from ..support import BBC

    body = search.make_schema()["body"]
    assert isinstance(body.format, english.BodyPostings)
    reference = Characters(field_boost=body.format.field_boost)
    texts = [corpus.parse_file(f).text for f in sorted(SEEDS.glob("*.txt"))]
    texts += [corpus.parse_file(f).text for f in sorted(Path(BBC).glob("*/*.txt"))[::10]]
    texts += ["The U.S. and the EU, a 3.5% rise; it is A to Z.", "the of and", ""]
    for text in texts:
        ours = list(body.format.word_values(text, body.analyzer, mode="index"))
        theirs = list(reference.word_values(text, body.analyzer, mode="index"))
        assert ours == theirs, text[:60]
