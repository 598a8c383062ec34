"""Importing a folder of mixed formats through the Library, and every kind of bad file.

Real files: the committed fixtures in ``tests/data/formats`` (pandoc, from BBC articles,
MIT), ``shared/corpora/pdf-samples`` (CC-BY-SA-4.0) and ``shared/corpora/web-pages``
(Apache-2.0). Bad files are made here from them.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import socket
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.core import corpus
from workbench.core.corpus import SkippedFile, parse_file
from workbench.core.library import Library
from workbench.core.search import SCHEMA_VERSION

from ..support import REPO, SEEDS

FORMATS = REPO / "tests" / "data" / "formats"
CORPORA = REPO.parent / "shared" / "corpora"
PDFS = CORPORA / "pdf-samples"
PAGES = CORPORA / "web-pages" / "pages"


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every attempt to open a connection or resolve a name fails and is recorded."""
    attempts: list[str] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(repr(args[:2]))
        raise OSError("the network is off in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    yield attempts


def mixed_folder(root: Path) -> Path:
    folder = root / "mixed"
    folder.mkdir()
    for name in ["time-warner.docx", "time-warner.odt", "sony-psp.epub", "time-warner.mhtml"]:
        shutil.copy(FORMATS / name, folder / name)
    shutil.copy(PDFS / "004-pdflatex-4-pages" / "pdflatex-4-pages.pdf", folder / "four.pdf")
    shutil.copy(PDFS / "026-latex-multicolumn" / "multicolumn.pdf", folder / "columns.pdf")
    shutil.copy(PAGES / "nytimes-1" / "source.html", folder / "sudan.html")
    # A page that asks for remote images, stylesheets, fonts and scripts.
    (folder / "remote.html").write_text(
        "<html><head><title>Remote things | Example</title>"
        "<link rel='stylesheet' href='https://cdn.example.org/a.css'>"
        "<style>@font-face{src:url(https://fonts.example.org/f.woff)}</style>"
        "<script src='https://cdn.example.org/app.js'></script>"
        "<script>fetch('https://tracker.example.org/?p=1')</script></head><body><article>"
        "<h1>Remote things</h1><img src='https://img.example.org/a.jpg' alt='a picture'>"
        + "".join(
            f"<p>Paragraph {i} of an article that asks for remote resources, "
            "which a reader must never request while importing it.</p>"
            for i in range(8)
        )
        + "</article></body></html>",
        "utf-8",
    )
    shutil.copy(SEEDS / "000_36ed9beff64b8754.txt", folder / "seed.txt")
    (folder / "note.md").write_text("# Field notes\n\nMet the **press office** on Monday.\n")
    return folder


def test_a_mixed_folder_imports_in_one_go_without_the_network(
    tmp_path: Path, no_network: list[str]
) -> None:
    folder = mixed_folder(tmp_path)
    with Library.open(tmp_path / "data") as lib:
        report = lib.add_paths([folder])
        assert not report.skipped, report.skipped
        assert len(report.added) == 10
        docs = {Path(d.path).name: d for d in lib.documents()}
    assert no_network == []
    assert docs["time-warner.docx"].title == "Ad sales boost Time Warner profit"
    assert docs["time-warner.docx"].author == "BBC News"
    assert docs["time-warner.odt"].date == "2005-01-10"
    assert docs["sony-psp.epub"].site == "BBC News"
    assert len(docs["sony-psp.epub"].sections) == 3
    assert docs["time-warner.mhtml"].url.startswith("https://news.example.org/")
    assert docs["four.pdf"].pages == 4 and docs["four.pdf"].format == "pdf"
    assert docs["columns.pdf"].title == "Two-Column Document with Lorem Ipsum"
    sudan = docs["sudan.html"]
    assert (sudan.title, sudan.author, sudan.date, sudan.language) == (
        "United States to Lift Sudan Sanctions",
        "Jeffrey Gettleman",
        "2017-01-13",
        "en",
    )
    assert docs["remote.html"].title == "Remote things"
    assert docs["seed.txt"].format == "txt" and docs["note.md"].title == "Field notes"


def test_metadata_queries_and_pdf_pages(tmp_path: Path) -> None:
    folder = mixed_folder(tmp_path)
    with Library.open(tmp_path / "data") as lib:
        lib.add_paths([folder])

        def found(q: str) -> set[str]:
            return {Path(h.path).name for h in lib.search(q, limit=50).hits}

        assert found("author:gettleman") == {"sudan.html"}
        assert found('author:"BBC News"') >= {"time-warner.docx", "time-warner.odt"}
        assert found("date:2017") == {"sudan.html"}
        assert found("date:[2005-01-01 to 2005-01-31]") == {
            "time-warner.docx",
            "time-warner.odt",
            "time-warner.mhtml",
        }
        assert found("date:[2005 to 2005]") == found("date:2005")
        assert "sony-psp.epub" in found("date:2005")
        assert found("site:nytimes") == {"sudan.html"}
        assert found("format:epub") == {"sony-psp.epub"}
        assert found("lang:en sony") == {"sony-psp.epub"}
        hits = lib.search("format:pdf information", limit=10).hits
        assert hits and hits[0].page is not None and hits[0].page.startswith("p. ")
        four = next(d for d in lib.documents() if d.path.endswith("four.pdf"))
        last_page_offset = four.sections[-1][0]
        assert four.section_at(last_page_offset + 10) == "p. 4"
        as_json = lib.search("sudan", limit=1).hits[0].to_json()
        assert as_json["author"] == "Jeffrey Gettleman" and as_json["date"] == "2017-01-13"


def test_notes_keep_their_anchor_and_page_through_the_schema_upgrade(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = mixed_folder(tmp_path)
    data = tmp_path / "data"
    with Library.open(data) as lib:
        lib.add_paths([folder])
        four = next(d for d in lib.documents() if d.path.endswith("four.pdf"))
        start = four.sections[2][0] + 5
        anchor = lib.notes.make_anchor(four.id, start, start + 30)
        note = lib.notes.add("page three", anchors=[anchor]).value
        assert four.section_at(note.anchors[0].start) == "p. 3"
    # The index of the version before the importer's metadata fields.
    stamp = data / "index" / "workbench-index.json"
    old = SCHEMA_VERSION - 1
    stamp.write_text(stamp.read_text().replace(f'"schema": {SCHEMA_VERSION}', f'"schema": {old}'))
    notices: list[str] = []
    with Library.open(data, on_notice=notices.append) as lib:
        assert lib.pending_rebuild and f"schema {old}" in lib.pending_rebuild
        lib.rebuild_if_needed()
        assert any("Rebuilding the search index" in n for n in notices)
        kept = lib.notes.get(note.id)
        assert not kept.anchors[0].orphaned
        doc = lib.document(four.id)
        assert doc.section_at(kept.anchors[0].start) == "p. 3"
        # Exports cite the page.
        lib.notes.export(tmp_path / "notes.md")
        assert f"> — p. 3 · characters {start}–{start + 30}" in (tmp_path / "notes.md").read_text()
        lib.notes.export(tmp_path / "notes.csv")
        assert '"p. 3"' in (tmp_path / "notes.csv").read_text()
        # The note's listing names the page too (the CLI's and the notes panel's).
        assert lib.notes.page(kept.anchors[0]) == "p. 3"
        assert lib.notes.page(lib.notes.make_anchor(four.id)) is None
    code = main(["--data-dir", str(data), "notes", "list"])
    assert code == 0
    assert f"{start}-{start + 30}, p. 3: “" in capsys.readouterr().out


# ----------------------------------------------------------------------------- bad input


def zip_bomb(path: Path, member: str) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", "application/epub+zip")
        z.writestr(member, b"\0" * (30 * 1024 * 1024))
    return path


def two_thousand_pages(path: Path) -> Path:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    for _ in range(2000):
        pdf.new_page(200, 200)
    buffer = io.BytesIO()
    pdf.save(buffer)
    pdf.close()
    path.write_bytes(buffer.getvalue())
    return path


def malformed_epub(path: Path) -> Path:
    with (
        zipfile.ZipFile(FORMATS / "sony-psp.epub") as good,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bad,
    ):
        for info in good.infolist():
            data = good.read(info.filename)
            if info.filename.endswith(".opf"):
                data = data.replace(b"</metadata>", b"<unclosed></metadata>")
            bad.writestr(info, data)
    return path


def bad_files(root: Path) -> dict[Path, str]:
    root.mkdir()
    pdf = (PDFS / "009-pdflatex-geotopo" / "GeoTopo-komprimiert.pdf").read_bytes()
    docx = (FORMATS / "time-warner.docx").read_bytes()
    big = root / "big.html"
    with big.open("wb") as fh:
        fh.truncate(30 * 1024 * 1024)
    (root / "cut.pdf").write_bytes(pdf[: len(pdf) // 2])
    (root / "cut.docx").write_bytes(docx[: len(docx) // 2])
    (root / "no-page.mhtml").write_bytes(
        b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=XX\r\n\r\n"
        b"--XX\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        b"iVBORw0KGgo=\r\n--XX--\r\n"
    )
    return {
        zip_bomb(root / "bomb.docx", "word/document.xml"): "zip bomb",
        zip_bomb(root / "bomb.epub", "OEBPS/chapter.xhtml"): "zip bomb",
        malformed_epub(root / "malformed.epub"): "malformed",
        big: "too large (30.0 MB; the limit is 20 MB)",
        root / "cut.pdf": "truncated",
        root / "cut.docx": "damaged Word file",
        root / "no-page.mhtml": "no HTML page inside",
        two_thousand_pages(root / "long.pdf"): "too many pages (2000; the limit is 1000)",
        root / "scan.pdf": "no text layer (a scan?)",
        root / "locked.pdf": "encrypted PDF",
    }


def test_every_bad_file_is_one_line_and_loses_nothing_else(tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    cases = bad_files(folder)
    shutil.copy(PDFS / "019-grayscale-image" / "grayscale-image.pdf", folder / "scan.pdf")
    shutil.copy(
        PDFS / "005-libreoffice-writer-password" / "libreoffice-writer-password.pdf",
        folder / "locked.pdf",
    )
    for path, reason in cases.items():
        with pytest.raises(SkippedFile) as caught:
            parse_file(path)
        assert reason in str(caught.value), (path.name, str(caught.value))
        assert "\n" not in str(caught.value)
    shutil.copy(FORMATS / "sony-psp.epub", folder / "good.epub")
    shutil.copy(SEEDS / "001_5cd9a95bfabd7cde.txt", folder / "good.txt")
    with Library.open(tmp_path / "data") as lib:
        report = lib.add_paths([folder])
    assert sorted(report.added) == ["good", "good-2"]
    assert {Path(s.path).name for s in report.skipped} == {p.name for p in cases}


def _import_seconds(path: Path) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        with contextlib.suppress(SkippedFile):
            parse_file(path)
        best = min(best, time.perf_counter() - started)
    return best


def test_html_reading_time_grows_linearly(tmp_path: Path) -> None:
    """60,000 nested <aside> then 60,000 unmatched </span> (840 KB): a quadratic reader
    takes 16 times as long as on a quarter of it; a linear one about 4 times."""
    sizes = {}
    for n in (15_000, 60_000):
        page = tmp_path / f"nested-{n}.html"
        page.write_text(
            "<html><head><title>Nested</title></head><body><p>An article before the nesting.</p>"
            + "<aside>" * n
            + "text"
            + "</span>" * n
            + "</body></html>",
            "utf-8",
        )
        sizes[n] = _import_seconds(page)
    assert sizes[60_000] < 8 * sizes[15_000] + 0.5, sizes


def test_size_limits_are_per_format(tmp_path: Path) -> None:
    assert corpus.size_limit(Path("a.html")) == corpus.MAX_FILE_BYTES
    assert corpus.size_limit(Path("a.pdf")) == corpus.MAX_CONTAINER_BYTES
    big_pdf = tmp_path / "big.pdf"
    with big_pdf.open("wb") as fh:
        fh.truncate(corpus.MAX_CONTAINER_BYTES + 1)
    with pytest.raises(SkippedFile, match="too large"):
        corpus.read_bytes(big_pdf)
