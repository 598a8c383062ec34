"""Queries that took exponential time or never ended (wildcards, fuzzy words, open
ranges), and a fuzzer of the query language: every query returns hits or a one-line
:class:`BadQuery`, and returns. "Returns" is checked with a watchdog far above the
search's own time budget (a hang or an exponential blow-up takes minutes), never as a
speed figure: speed is measured in bench/. The library is 75 BBC articles (MIT licence)."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Iterator
from typing import TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.core.errors import BadQuery
from workbench.core.library import Library
from workbench.core.search import TIME_BUDGET, SearchResults

from ..support import bbc_files

T = TypeVar("T")
WATCHDOG = 10 * TIME_BUDGET + 10
"""Seconds a query may run before it counts as not returning (the budget is 2 s)."""


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    folder = tmp_path_factory.mktemp("bbc")
    for category in ("business", "politics", "sport"):
        for f in bbc_files(category, 25):
            shutil.copy(f, folder / f"{category}-{f.name}")
    data = tmp_path_factory.mktemp("data")
    with Library.open(data) as lib:
        lib.add_paths([folder])
        yield lib


def returns(call: Callable[[], T]) -> T:
    """``call()``'s value (or exception), provided it comes back before the watchdog."""
    box: dict[str, object] = {}

    def run() -> None:
        try:
            box["value"] = call()
        except BaseException as exc:  # handed to the test below
            box["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(WATCHDOG)
    assert not worker.is_alive(), f"did not return within {WATCHDOG:.0f} s"
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]  # type: ignore[return-value]


def answered(lib: Library, query: str) -> SearchResults | None:
    """The results of ``query``, or None when it was refused in one line."""
    try:
        return returns(lambda: lib.search(query, limit=10))
    except BadQuery as exc:
        assert "\n" not in str(exc) and str(exc)
        return None


@pytest.mark.parametrize(
    "query",
    [
        "*?" * 32,  # exponential backtracking in the wildcard's regular expression
        "*?" * 200 + "a",
        "e~9 t~9 a~9 o~9 i~9 n~9 s~9 r~9",  # fuzzy distance far past any use
        "{a TO}",
        "[a TO z]",
        "[0 TO 99999999999999999999999]",
        "*",
        "a* b* c* d* e* f* g* h* i* j*",
        "title:*e*e*e*e*e*e*e*e*e*e*",
        "0\n0",  # once a two-line refusal
        "the\r\nthe\x1b[2J",
        "economy^0",  # once a division by zero in Whoosh's scoring, taken for damage
        "bank^-3 economy",
    ],
)
def test_a_catastrophic_query_returns_within_its_budget(library: Library, query: str) -> None:
    results = answered(library, query)
    if results is not None:
        assert results.total >= 0 and len(results.hits) <= 10


def test_a_boost_of_zero_still_finds_its_word(library: Library) -> None:
    results = answered(library, "economy^0")
    assert results is not None and results.total > 0
    assert library.ix.doc_count() == 75  # the index was not taken for damaged


@pytest.mark.parametrize("query", ["econ*", "[bank TO economy]", "ban?", "econmy~1"])
def test_expanding_words_in_an_empty_library_finds_nothing(tmp_path, query: str) -> None:
    with Library.open(tmp_path) as lib:
        results = answered(lib, query)
        assert results is None or results.total == 0


WORDS = st.sampled_from(
    ["economy", "bank", "shares", "minister", "election", "club", "a", "the", "über", "東京"]
)
TERMS = st.one_of(
    WORDS,
    st.text(min_size=1, max_size=12),
    st.builds(lambda w, n: f"{w}~{n}", WORDS, st.integers(-3, 40)),
    st.builds(lambda w, s: w[: len(w) // 2] + s, WORDS, st.sampled_from(["*", "?", "*?", "**"])),
    st.builds(lambda a, b: f"[{a} TO {b}]", WORDS | st.just(""), WORDS | st.just("")),
    st.builds(lambda a: f"{{{a} TO}}", WORDS),
    st.builds(
        lambda f, w: f"{f}:{w}", st.sampled_from(["title", "entity", "date", "body", "nope"]), WORDS
    ),
    st.builds(lambda w: f'"{w} {w}"~3', WORDS),
    st.builds(lambda w, b: f"{w}^{b}", WORDS, st.integers(-5, 1000)),
    st.sampled_from(["AND", "OR", "NOT", "&&", "||", "(", ")", '"', "-", "+", "~", "^", ":", "\\"]),
)


def test_fuzzed_queries_return_hits_or_one_line(library: Library) -> None:
    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(st.lists(TERMS, min_size=1, max_size=8).map(" ".join) | st.text(max_size=40))
    def check(query: str) -> None:
        answered(library, query)

    check()
