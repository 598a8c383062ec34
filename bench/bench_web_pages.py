"""How well web pages are read: article body and title against Readability's answers.

    .venv/bin/python bench/bench_web_pages.py [--pages DIR] [--show N]

The pages are ``shared/corpora/web-pages`` (130 real saved pages from Mozilla
Readability's test suite, Apache-2.0): ``source.html`` and the article Readability
extracts (``expected.html``, ``expected-metadata.json``).

Body: the scrapinghub article-extraction-benchmark metric. Each text is split into
``\\w+`` tokens and 4-token shingles; per page, true positives are the shingles both
texts have (counted with multiplicity), false positives those only the extractor has,
false negatives those only the reference has, each divided by their sum. Precision and
recall are averaged over pages (pages with nothing to score left out of each), and F1
is computed from the two averages.

Title: right when it equals Readability's title once case, white space, quotes and
dashes are normalised (``exact``), or also when Readability's title is ours plus a site
name, section or byline after a separator ("Mozilla - Wikipedia" for "Mozilla",
``lenient``: we keep the site in its own field). Counted over the pages Readability
marks as articles (``readerable``).

Workbench's reader and trafilatura alone (``bare_extraction`` with its metadata, the
same version) read the same pages in the same run. The constants of the HTML reader
were chosen on the ``tune`` half of the pages (a page's half is the parity of the
SHA-1 of its folder name); the ``report`` half was not looked at while tuning.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workbench.core.readers.html import read_page

DEFAULT_PAGES = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "web-pages" / "pages"
TOKEN = re.compile(r"\w+")
BLOCK_TAGS = {
    "p", "div", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "br",
    "blockquote", "pre", "section", "article", "figcaption", "dd", "dt", "ul", "ol", "table",
}  # fmt: skip
SEPARATOR = re.compile(r"\s+(?:\||-|–|—|·|•|::|:|»|«|/|_)\s+|\s*\[[^\]]+\]\s*$|\s*_")


@dataclass
class Score:
    name: str
    precision: float
    recall: float
    has_precision: bool
    has_recall: bool
    title_exact: bool
    title_lenient: bool
    article: bool
    seconds: float


def reference_text(expected_html: str) -> str:
    """The text of Readability's article, a line break after each block element."""
    import lxml.html

    root = lxml.html.fromstring(expected_html)
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag in BLOCK_TAGS:
            el.tail = "\n" + (el.tail or "")
    return str(root.text_content())


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens)


def body_score(reference: str, extracted: str) -> tuple[float, float, bool, bool]:
    """(precision, recall, precision counts, recall counts) of one page."""
    truth, found = shingles(reference), shingles(extracted)
    tp = sum((truth & found).values())
    fp = sum((found - truth).values())
    fn = sum((truth - found).values())
    total = tp + fp + fn
    if total:
        tp, fp, fn = tp / total, fp / total, fn / total
    if fp == fn == 0:
        return 1.0, 1.0, True, True
    precision = 0.0 if tp == fp == 0 else tp / (tp + fp)
    recall = 0.0 if tp == fn == 0 else tp / (tp + fn)
    return precision, recall, tp + fp > 0, tp + fn > 0


def normal_title(title: str) -> str:
    table = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\xa0": " "})
    return " ".join((title or "").translate(table).split()).casefold()


def title_matches(got: str, expected: str) -> tuple[bool, bool]:
    exact = normal_title(got) == normal_title(expected)
    parts = {normal_title(p) for p in SEPARATOR.split(expected or "") if p and p.strip()}
    return exact, exact or normal_title(got) in parts


def workbench_reader(source: bytes) -> tuple[str, str]:
    found = read_page(source)
    return found.title, found.text


def trafilatura_alone(source: bytes) -> tuple[str, str]:
    import trafilatura

    doc = trafilatura.bare_extraction(source, with_metadata=True, include_comments=False)
    if doc is None:
        return "", ""
    return doc.title or "", doc.text or ""


def half(name: str) -> str:
    return "tune" if int(hashlib.sha1(name.encode()).hexdigest(), 16) % 2 == 0 else "report"


def run(pages: Path, extractor: Callable[[bytes], tuple[str, str]]) -> list[Score]:
    scores = []
    for folder in sorted(p for p in pages.iterdir() if p.is_dir()):
        meta = json.loads((folder / "expected-metadata.json").read_text("utf-8"))
        reference = reference_text((folder / "expected.html").read_text("utf-8"))
        source = (folder / "source.html").read_bytes()
        started = time.perf_counter()
        try:
            title, text = extractor(source)
        except Exception as exc:  # a page the extractor refuses scores zero
            print(f"  {folder.name}: {type(exc).__name__}: {exc}", file=sys.stderr)
            title, text = "", ""
        seconds = time.perf_counter() - started
        p, r, hp, hr = body_score(reference, text)
        exact, lenient = title_matches(title, meta.get("title") or "")
        scores.append(
            Score(folder.name, p, r, hp, hr, exact, lenient, meta.get("readerable", True), seconds)
        )
    return scores


def summary(scores: list[Score]) -> str:
    precision = statistics.mean(s.precision for s in scores if s.has_precision)
    recall = statistics.mean(s.recall for s in scores if s.has_recall)
    f1 = 2 * precision * recall / (precision + recall)
    articles = [s for s in scores if s.article]
    exact = sum(s.title_exact for s in articles) / len(articles)
    lenient = sum(s.title_lenient for s in articles) / len(articles)
    good = sum(
        1 for s in scores if 2 * s.precision * s.recall / max(1e-9, s.precision + s.recall) >= 0.9
    )
    return (
        f"P {precision:.3f}  R {recall:.3f}  F1 {f1:.3f}  "
        f"title {exact:.3f} exact / {lenient:.3f} lenient  "
        f"F1>=0.9 on {good}/{len(scores)}  {sum(s.seconds for s in scores):5.1f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=Path, default=DEFAULT_PAGES)
    parser.add_argument("--show", type=int, default=0, help="list the N worst pages of each")
    args = parser.parse_args()
    for name in ("trafilatura", "htmldate", "readability", "courlan"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    import trafilatura

    results = {
        "workbench": run(args.pages, workbench_reader),
        f"trafilatura {trafilatura.__version__}": run(args.pages, trafilatura_alone),
    }
    n_articles = sum(s.article for s in next(iter(results.values())))
    print(f"{len(next(iter(results.values())))} pages ({n_articles} articles) in {args.pages}")
    for subset in ("report", "tune", "all"):
        print(f"\n{subset} half" if subset != "all" else "\nall pages")
        for label, scores in results.items():
            chosen = [s for s in scores if subset == "all" or half(s.name) == subset]
            print(f"  {label:20} {summary(chosen)}")
    for label, scores in results.items():
        if args.show:
            print(f"\nworst pages of {label}:")
            for s in sorted(scores, key=lambda s: s.precision + s.recall)[: args.show]:
                print(f"  {s.name:40} P {s.precision:.2f} R {s.recall:.2f}")


if __name__ == "__main__":
    main()
