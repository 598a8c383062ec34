"""The readers, one format at a time, on real files.

- Seeds: ``seeds/`` (scraped articles, see seeds/LICENSE).
- Word, OpenDocument, EPUB and MHTML: ``tests/data/formats/``, made by pandoc from BBC
  articles (``shared/corpora/bbc-news``, MIT) with ``make_fixtures.py`` beside them.
- PDF: ``shared/corpora/pdf-samples`` (py-pdf/sample-files, CC-BY-SA-4.0).
- Web pages: ``shared/corpora/web-pages`` (Mozilla Readability's test pages, Apache-2.0).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.core import corpus
from workbench.core.corpus import parse_file
from workbench.core.readers.meta import iso_date, meaningful_authors, meaningful_title

from ..support import REPO, SEEDS

FORMATS = REPO / "tests" / "data" / "formats"
EXPECTED = json.loads((FORMATS / "expected.json").read_text("utf-8"))
CORPORA = REPO.parent / "shared" / "corpora"
PDFS = CORPORA / "pdf-samples"
PAGES = CORPORA / "web-pages" / "pages"


def straight(text: str) -> str:
    """Pandoc makes quotes typographic; the expected texts have straight ones."""
    return text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')


def test_seeds_read_exactly_as_before() -> None:
    """Titles and texts of the seeds are byte-identical to what the line cleaner made
    before the readers existed (``tests/data/seeds-as-read.json``, written then)."""
    before = json.loads((REPO / "tests" / "data" / "seeds-as-read.json").read_text("utf-8"))
    assert len(before) == 5
    for path in sorted(SEEDS.glob("*.txt")):
        parsed = parse_file(path)
        assert parsed.title == before[path.name]["title"], path.name
        assert hashlib.sha256(parsed.text.encode()).hexdigest() == before[path.name]["text_sha256"]
        assert parsed.date == before[path.name]["date"]
        assert parsed.format == "txt"


@pytest.mark.parametrize("name", ["time-warner.docx", "time-warner.odt"])
def test_word_and_opendocument_keep_order_structure_and_properties(name: str) -> None:
    article = EXPECTED["article"]
    parsed = parse_file(FORMATS / name)
    assert parsed.title == article["title"]
    assert parsed.authors == (article["author"],)
    assert parsed.date == article["date"]  # stated above the text, not the file's creation
    assert parsed.language == "en"
    blocks = straight(parsed.text).split("\n\n")
    # The title, byline and date above the text are in the reader's header, not the text.
    assert blocks[: len(article["blocks"])] == article["blocks"]
    assert blocks[-2:] == ["Notes", "[1] " + article["footnote"]]


def test_epub_chapters_are_sections_in_spine_order() -> None:
    book = EXPECTED["book"]
    parsed = parse_file(FORMATS / "sony-psp.epub")
    assert parsed.title == book["title"]
    assert parsed.authors == ("BBC News Technology", "Jane Example")
    assert (parsed.date, parsed.site, parsed.language, parsed.format) == (
        "2005-03-01",
        "BBC News",
        "en",
        "epub",
    )
    labels = [straight(label) for _, label in parsed.sections]
    assert labels == [c["title"] for c in book["chapters"]]
    for (offset, _), chapter in zip(parsed.sections, book["chapters"], strict=True):
        heading, first = straight(parsed.text[offset:]).split("\n\n")[:2]
        assert heading == chapter["title"]
        assert first == straight(chapter["paragraphs"][0])
    document = parsed.to_document("book")
    middle = parsed.sections[1][0] + 50
    assert document.section_at(middle) == parsed.sections[1][1]


def test_mhtml_page_is_read_as_a_web_page() -> None:
    parsed = parse_file(FORMATS / "time-warner.mhtml")
    article = EXPECTED["article"]
    assert parsed.format == "mhtml"
    assert parsed.title == article["title"]
    assert parsed.url == EXPECTED["page_url"]
    assert parsed.site == "Example News"
    assert parsed.date == article["date"]
    assert parsed.authors == ("BBC News",)
    # The list trafilatura leaves out is put back where readability has it.
    assert article["blocks"][3] in straight(parsed.text)
    assert straight(parsed.text).startswith(article["blocks"][0])


def test_pdf_pages_are_sections_and_metadata_is_used_where_meaningful() -> None:
    parsed = parse_file(PDFS / "004-pdflatex-4-pages" / "pdflatex-4-pages.pdf")
    assert parsed.pages == 4 and parsed.format == "pdf"
    assert [label for _, label in parsed.sections] == ["p. 1", "p. 2", "p. 3", "p. 4"]
    assert parsed.title == "pdflatex-4-pages"  # no Title, no heading: the file's name
    geo = parse_file(PDFS / "009-pdflatex-geotopo" / "GeoTopo-komprimiert.pdf")
    assert (geo.title, geo.authors, geo.date) == (
        "Geometrie und Topologie",
        ("Martin Thoma",),
        "2016-12-31",
    )
    assert geo.pages == 117 and len(geo.sections) > 100
    # The running header "1.2. METRISCHE RÄUME" (with its page number) is dropped ...
    assert "METRISCHE RÄUME" not in geo.text
    # ... but the section heading in the text and numbered examples at a page top stay.
    assert "1.2 Metrische Räume" in geo.text
    assert "Beispiel 10 X = R 2" in geo.text


def test_pdf_two_columns_are_read_column_by_column_and_hyphens_joined() -> None:
    parsed = parse_file(PDFS / "026-latex-multicolumn" / "multicolumn.pdf")
    assert parsed.title == "Two-Column Document with Lorem Ipsum"
    text = parsed.text
    assert "This is a sample document with two columns filled with Lorem Ipsum text." in text
    # "adip-" / "iscing" across a line end is one word again.
    assert "consectetuer adipiscing elit. Ut purus elit" in text
    # The left column's first paragraph is whole, before the right column's text.
    first = text.index("Lorem ipsum dolor sit amet, consectetuer adipiscing elit.")
    assert text.index("Duis eget orci sit amet orci dignissim rutrum.") > first
    assert text.index("Nam dui ligula, fringilla a, euismod sodales") > text.index(
        "Duis eget orci sit amet orci dignissim rutrum."
    )


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("005-libreoffice-writer-password/libreoffice-writer-password.pdf", "encrypted"),
        ("007-imagemagick-images/imagemagick-lzw.pdf", "no text layer (a scan?)"),
        ("019-grayscale-image/grayscale-image.pdf", "no text layer (a scan?)"),
        ("017-unreadable-meta-data/unreadablemetadata.pdf", "damaged PDF"),
    ],
)
def test_unreadable_pdfs_are_skipped_with_a_reason(path: str, reason: str) -> None:
    with pytest.raises(corpus.SkippedFile, match=re.escape(reason)):
        parse_file(PDFS / path)


def test_every_sample_pdf_reads_or_is_skipped_in_one_line() -> None:
    for path in sorted(PDFS.glob("*/*.pdf")):
        try:
            parsed = parse_file(path)
        except corpus.SkippedFile as exc:
            assert "\n" not in str(exc) and str(exc)
            continue
        assert parsed.title and "\n" not in parsed.title, path
        assert parsed.pages >= 1 and parsed.sections[0][0] == 0, path


def test_meaningful_metadata() -> None:
    for producer in [
        "Microsoft Word - draft3.docx",
        "untitled",
        "Document1",
        "pdfTeX-1.40.23",
        "report.pdf",
        "",
        "  ",
    ]:
        assert meaningful_title(producer) == "", producer
    assert meaningful_title("Geometrie und Topologie") == "Geometrie und Topologie"
    assert meaningful_authors("Administrator") == ()
    assert meaningful_authors("Jane Doe; John Roe and Ann Poe") == (
        "Jane Doe",
        "John Roe",
        "Ann Poe",
    )
    assert meaningful_authors(["Last Updated January 7", "By Jane Doe"]) == ("Jane Doe",)
    assert iso_date("D:20161231184323+01'00'", pdf=True) == "2016-12-31"
    assert iso_date("2022-09") == "2022-09"
    assert iso_date("3022-01-01") is None  # the future is not a publication date


def test_web_page_metadata_from_markup() -> None:
    nyt = parse_file(PAGES / "nytimes-1" / "source.html")
    assert nyt.title == "United States to Lift Sudan Sanctions"
    assert nyt.authors == ("Jeffrey Gettleman",)
    assert nyt.date == "2017-01-13"
    assert nyt.url == "http://www.nytimes.com/2017/01/13/world/africa/sudan-sanctions.html"
    assert nyt.language == "en" and nyt.format == "html"
    guardian = parse_file(PAGES / "guardian-1" / "source.html")
    # og:title carries the byline after a bar: the title is the article's alone.
    assert guardian.title.endswith("Māori tribes fearful over whale strandings")
    assert guardian.site == "The Guardian"
    lemonde = parse_file(PAGES / "lemonde-1" / "source.html")
    assert lemonde.language == "fr"


def test_hidden_elements_and_navigation_are_not_read() -> None:
    parsed = parse_file(PAGES / "hidden-nodes" / "source.html")
    expected = (PAGES / "hidden-nodes" / "expected.html").read_text("utf-8")
    assert "hidden" not in parsed.text.lower() or "hidden" in expected.lower()
    visible = parse_file(PAGES / "visibility-hidden" / "source.html")
    assert "This text should be hidden" not in visible.text


def test_web_page_structure_lists_and_tables() -> None:
    parsed = parse_file(PAGES / "keep-tabular-data" / "source.html")
    rows = [ln for ln in parsed.text.split("\n") if " | " in ln]
    assert len(rows) >= 5  # table rows become lines with their cells
    sre = parse_file(PAGES / "google-sre-book-1" / "source.html")
    assert sum(1 for ln in sre.text.split("\n") if ln.startswith("- ")) >= 10


def test_web_pages_score_well_against_readability() -> None:
    """Body F1 (token 4-shingles, the bench's metric) on a fixed sample of real pages."""
    import sys

    sys.path.insert(0, str(REPO / "bench"))
    from bench_web_pages import body_score, reference_text

    names = ["bbc-1", "guardian-1", "nytimes-1", "lemonde-1", "medium-1", "wapo-1", "cnn"]
    precision, recall = [], []
    for name in names:
        parsed = parse_file(PAGES / name / "source.html")
        reference = reference_text((PAGES / name / "expected.html").read_text("utf-8"))
        p, r, _, _ = body_score(reference, parsed.text)
        precision.append(p)
        recall.append(r)
    p, r = sum(precision) / len(names), sum(recall) / len(names)
    assert 2 * p * r / (p + r) > 0.93, (precision, recall)


def test_markdown_markup_is_stripped(tmp_path: Path) -> None:
    md = tmp_path / "note.md"
    md.write_text("# A heading\n\nSome **bold** text with a [link](http://x.org).\n", "utf-8")
    parsed = parse_file(md)
    assert (parsed.title, parsed.text, parsed.format) == (
        "A heading",
        "Some bold text with a link.",
        "md",
    )


def test_pdf_running_footer_with_page_numbers_is_dropped() -> None:
    parsed = parse_file(FORMATS / "time-warner.pdf")
    assert [label for _, label in parsed.sections] == ["p. 1", "p. 2", "p. 3"]
    assert parsed.title == EXPECTED["article"]["title"]
    assert "Example News" not in parsed.text
    assert "Quarterly profits at US media giant TimeWarner jumped 76%" in parsed.text


def test_a_saved_page_reads_the_same_in_every_run() -> None:
    """A page's text must not depend on the order Python happens to give a set (string
    hashing is salted per process): labels, caches and notes anchor to its offsets. Real
    page: ../shared/corpora/web-pages (Apache-2.0), medium-1, whose "2012" block once came
    and went with the salt."""
    page = REPO.parent / "shared" / "corpora" / "web-pages" / "pages" / "medium-1" / "source.html"
    code = (
        "import hashlib, sys; from pathlib import Path; "
        "from workbench.core.corpus import parse_file; "
        "print(hashlib.sha1(parse_file(Path(sys.argv[1])).text.encode()).hexdigest())"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", code, str(page)],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "6")
    }
    assert len(digests) == 1
