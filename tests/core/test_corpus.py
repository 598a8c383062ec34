"""Reading and cleaning real scraped pages, encodings, and bad files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from workbench.core import corpus
from workbench.core.corpus import SkippedFile, parse_file

from ..support import BBC, SEEDS


def seed(name_prefix: str) -> corpus.ParsedFile:
    (path,) = SEEDS.glob(f"{name_prefix}*.txt")
    return parse_file(path)


def test_seeds_lose_their_page_furniture() -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        parsed = parse_file(path)
        lines = parsed.text.split("\n\n")
        assert "Advertisement" not in lines, path.name
        assert not any(line.startswith("Home »") for line in lines), path.name
        assert "< /h2>" not in parsed.text
        # The title is shown once, above the text, never repeated in it.
        assert parsed.title not in lines[:5], path.name


def test_title_is_the_first_meaningful_line() -> None:
    assert (
        seed("000").title
        == "Putin is losing Chinese immunity: why Beijing is turning its back on Russia"
    )
    assert seed("002").title == "Putin now needs more than Xi Jinping’s assistance"
    assert seed("003").title.startswith("In Beijing, Xi and Putin left no doubt")


def test_russian_navigation_and_counters_are_dropped_but_article_kept() -> None:
    text = seed("003").text
    assert not re.search(r"[А-Яа-я]", text), "Cyrillic site menus should be gone"
    assert "Войти" not in text and "1001" not in text
    assert "Without carrot and stick" not in text  # a teaser for another article
    # The translator's inserted comments are part of the article and stay.
    assert "Approx. InoSMI" in text
    assert text.rstrip().endswith("a foreign agent in Russia.")


def test_trailing_comment_widgets_are_cut() -> None:
    assert seed("004").text.rstrip().endswith("it is not necessarily sustainable,” he added.")
    assert "Source link" not in seed("004").text
    text001 = seed("001").text
    assert "Leave a Reply" not in text001 and "Latest Posts" not in text001
    text002 = seed("002").text
    assert "Also Read" not in text002 and "BOL News App" not in text002
    assert "Leave a Comment" not in seed("000").text


def test_html_drops_scripts_navigation_and_keeps_article(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Page title</title><script>var x = 'nope';</script>"
        "<style>p{}</style><meta property='article:published_time' content='2022-09-15T10:00'></head>"
        "<body><nav><a>Home</a> <a>World</a></nav><h1>Putin meets Xi</h1>"
        "<p>Vladimir Putin met Xi Jinping in Samarkand.</p><p>They talked &amp; drank tea.</p>"
        "<footer>Copyright</footer></body></html>",
        "utf-8",
    )
    parsed = parse_file(page)
    # The page's <title> names it, as in a browser's tab and Readability; the heading
    # stays the first paragraph of the text.
    assert parsed.title == "Page title"
    assert parsed.text == (
        "Putin meets Xi\n\nVladimir Putin met Xi Jinping in Samarkand.\n\nThey talked & drank tea."
    )
    assert parsed.date == "2022-09-15"


def test_markdown_markup_is_stripped(tmp_path: Path) -> None:
    md = tmp_path / "note.md"
    md.write_text("# A heading\n\nSome **bold** text with a [link](http://x.org).\n", "utf-8")
    parsed = parse_file(md)
    assert parsed.title == "A heading"
    assert parsed.text == "Some bold text with a link."


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "utf-16"])
def test_non_utf8_encodings_are_decoded(tmp_path: Path, encoding: str) -> None:
    f = tmp_path / f"{encoding}.txt"
    f.write_bytes(
        "Café crème à Genève\n\nLe président a déclaré que la coopération continuerait.".encode(
            encoding
        )
    )
    parsed = parse_file(f)
    assert parsed.title == "Café crème à Genève"
    assert "déclaré" in parsed.text


def test_bad_files_are_refused_with_a_reason(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.txt"
    blank.write_text("   \n\n  ")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(bytes(range(256)) * 20)
    big = tmp_path / "big.txt"
    big.write_text("word " * 1000)
    cases = {
        empty: "empty",
        blank: "empty",
        binary: "binary",
        tmp_path / "missing.txt": "not found",
    }
    for path, reason in cases.items():
        with pytest.raises(SkippedFile, match=reason):
            parse_file(path)
    with pytest.raises(SkippedFile, match="too large"):
        parse_file(big, max_bytes=1000)


def test_dates_with_a_year_are_found() -> None:
    assert corpus.find_date("Published on 15 September 2022 at noon") == "2022-09-15"
    assert corpus.find_date("On September 15, 2022, Putin went") == "2022-09-15"
    assert corpus.find_date("On September 15, Putin went to Uzbekistan") is None
    assert corpus.find_date("2023-02-30 is not a date, 2023-03-01 is") == "2023-03-01"


def test_bbc_articles_keep_headline_and_body() -> None:
    path = BBC / "business" / "ad-sales-boost-time-warner-profit.txt"
    first_line = path.read_text("utf-8").split("\n", 1)[0].strip()
    parsed = parse_file(path)
    assert parsed.title == first_line
    assert corpus.word_count(parsed.text) > 300
    assert parsed.text.startswith("Quarterly profits at US media giant TimeWarner")
