"""Make the Word, OpenDocument, EPUB and MHTML test files from real BBC articles.

    python tests/data/formats/make_fixtures.py   # needs pandoc (Debian package pandoc)

The BBC articles are from ``shared/corpora/bbc-news`` (MIT licence, see its README).
Each file is made by pandoc (2.17) from a Markdown text written here from the
articles, so the text the readers must find is known: it is ``EXPECTED`` in
``expected.json`` beside the files. The produced files are committed; this script is
how to make them again.

- ``time-warner.docx`` and ``time-warner.odt``: one article with a title, author and
  date in the document properties, a section heading, a bulleted list, a table and a
  footnote (all sentences and figures from the article).
- ``sony-psp.epub``: three articles as the three chapters of a book.
- ``time-warner.mhtml``: the article as a standalone HTML page (pandoc), wrapped the
  way Chrome's "Save page as… single file" wraps a page (a multipart/related MIME
  message with the page, a stylesheet and an image part), made with the ``email``
  package; ``time-warner.html`` is that page saved on its own.
- ``time-warner.pdf``: the article set in Helvetica on three pages with a running
  footer ("Example News · Business · page N"), made with PDFium (pypdfium2).

The app's self-test (``Workbench --self-test``) imports these files too: the spec
bundles them.
"""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import tempfile
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path

HERE = Path(__file__).resolve().parent
BBC = HERE.parents[3] / "shared" / "corpora" / "bbc-news"
PAGE_URL = "https://news.example.org/business/time-warner-profit"


def article(name: str) -> tuple[str, list[str]]:
    """A BBC article's headline and paragraphs."""
    lines = (BBC / name).read_text("utf-8").split("\n")
    paragraphs = [ln.strip() for ln in lines[1:] if ln.strip()]
    return lines[0].strip(), paragraphs


def time_warner_markdown() -> tuple[str, str, list[str]]:
    """Markdown for the Time Warner article; its title and the paragraphs expected."""
    title, paragraphs = article("business/ad-sales-boost-time-warner-profit.txt")
    body = paragraphs[:4]
    items = [
        "TimeWarner said fourth quarter sales rose 2% to $11.1bn from $10.9bn.",
        "It lost 464,000 subscribers in the fourth quarter.",
        "Its film division saw profits slump 27% to $284m.",
    ]
    table = [("Measure", "Result"), ("Quarterly profit", "$1.13bn"), ("Film profit", "$284m")]
    md = [
        "---",
        f"title: '{title}'",
        "author: BBC News",
        "date: 2005-01-10",
        "lang: en-GB",
        "---",
        "",
        *[f"{p}\n" for p in body[:2]],
        "## Results in figures\n",
        *[f"- {item}" for item in items],
        "",
        "| Measure | Result |",
        "|---|---|",
        *[f"| {a} | {b} |" for a, b in table[1:]],
        "",
        f"{body[2]}[^1]\n",
        f"{body[3]}\n",
        "[^1]: TimeWarner also has to restate 2000 and 2003 results.",
    ]
    expected = [
        *body[:2],
        "Results in figures",
        "\n".join(f"- {item}" for item in items),
        "\n".join(f"{a} | {b}" for a, b in table),
        body[2],
        body[3],
    ]
    return "\n".join(md) + "\n", title, expected


def pandoc(source: Path, target: Path, *options: str) -> None:
    subprocess.run(["pandoc", str(source), "-o", str(target), *options], check=True)


def make_book(tmp: Path) -> dict[str, object]:
    names = [
        "tech/sony-psp-console-hits-us-in-march.txt",
        "tech/gamers-snap-up-new-sony-psp.txt",
        "tech/hacker-threat-to-apple-s-itunes.txt",
    ]
    md = [
        "---",
        "title: 'Consoles and music players, 2005'",
        "author: [BBC News Technology, Jane Example]",
        "date: 2005-03-01",
        "lang: en-GB",
        "publisher: BBC News",
        "---",
        "",
    ]
    chapters = []
    for name in names:
        title, paragraphs = article(name)
        md += [f"# {title}\n", *[f"{p}\n" for p in paragraphs]]
        chapters.append({"title": title, "paragraphs": paragraphs})
    source = tmp / "book.md"
    source.write_text("\n".join(md), "utf-8")
    pandoc(source, HERE / "sony-psp.epub")
    return {"title": "Consoles and music players, 2005", "chapters": chapters}


def make_mhtml(tmp: Path, source: Path) -> None:
    page = tmp / "page.html"
    pandoc(source, page, "--standalone")
    html = page.read_text("utf-8").replace(
        "</head>",
        f'<link rel="canonical" href="{PAGE_URL}">\n'
        '<meta property="og:site_name" content="Example News">\n'
        '<link rel="stylesheet" href="https://cdn.example.org/site.css">\n</head>',
    )
    message = MIMEMultipart("related", type="text/html")
    message["From"] = "<Saved by Blink>"
    message["Subject"] = "Ad sales boost Time Warner profit"
    message["Snapshot-Content-Location"] = PAGE_URL
    part = MIMEText(html, "html", "utf-8")
    part.replace_header("Content-Transfer-Encoding", "quoted-printable")
    part.set_payload(__import__("quopri").encodestring(html.encode("utf-8")).decode("ascii"))
    part["Content-Location"] = PAGE_URL
    message.attach(part)
    css = MIMEText("body { font-family: serif; }", "css", "utf-8")
    css["Content-Location"] = "https://cdn.example.org/site.css"
    message.attach(css)
    image = MIMEBase("image", "png")
    image.set_payload(base64.b64encode(b"\x89PNG\r\n\x1a\n" + bytes(64)).decode("ascii"))
    image["Content-Transfer-Encoding"] = "base64"
    image["Content-Location"] = "https://cdn.example.org/logo.png"
    message.attach(image)
    (HERE / "time-warner.mhtml").write_bytes(message.as_bytes())
    (HERE / "time-warner.html").write_text(html, "utf-8")


def make_pdf(title: str, paragraphs: list[str]) -> None:
    """The article on A4 pages, 11 pt Helvetica, with a running footer on each page."""
    import ctypes
    import io
    import textwrap

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    pdf = pdfium.PdfDocument.new()
    lines = [(18.0, title), (11.0, "")]
    for paragraph in paragraphs:
        lines += [(11.0, line) for line in textwrap.wrap(paragraph, 80)] + [(11.0, "")]
    per_page = 16
    pages = [lines[i : i + per_page] for i in range(0, len(lines), per_page)]
    for number, page_lines in enumerate(pages, 1):
        page = pdf.new_page(595, 842)
        footer = (9.0, f"Example News · Business · page {number}")
        y = 780.0
        for size, text in [*page_lines, (9.0, ""), footer]:
            if text:
                obj = raw.FPDFPageObj_NewTextObj(pdf.raw, b"Helvetica", size)
                data = (text + "\0").encode("utf-16-le")
                raw.FPDFText_SetText(
                    obj, (ctypes.c_ushort * (len(data) // 2)).from_buffer_copy(data)
                )
                raw.FPDFPageObj_Transform(obj, 1, 0, 0, 1, 72, 60 if text == footer[1] else y)
                raw.FPDFPage_InsertObject(page.raw, obj)
            y -= size * 1.5
        raw.FPDFPage_GenerateContent(page.raw)
    buffer = io.BytesIO()
    pdf.save(buffer)
    (HERE / "time-warner.pdf").write_bytes(buffer.getvalue())


def main() -> None:
    if shutil.which("pandoc") is None:
        raise SystemExit("pandoc is needed: apt-get install pandoc")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        md, title, expected = time_warner_markdown()
        source = tmp / "time-warner.md"
        source.write_text(md, "utf-8")
        pandoc(source, HERE / "time-warner.docx")
        pandoc(source, HERE / "time-warner.odt")
        make_mhtml(tmp, source)
        book = make_book(tmp)
    make_pdf(title, article("business/ad-sales-boost-time-warner-profit.txt")[1])
    result = {
        "article": {
            "title": title,
            "author": "BBC News",
            "date": "2005-01-10",
            "blocks": expected,
            "footnote": "TimeWarner also has to restate 2000 and 2003 results.",
        },
        "book": book,
        "page_url": PAGE_URL,
    }
    (HERE / "expected.json").write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
