"""``workbench quotes ID`` and ``workbench quotes --speaker NAME``: who said what."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from workbench.core.errors import UserError, WorkbenchError
from workbench.core.library import Library

from .entity_commands import _ready
from .output import out, plural, print_json
from .registry import arg, command

if TYPE_CHECKING:
    from workbench.core.compare.quotes import QuoteComparison
    from workbench.core.quotes.resolve import AttributedQuote

SHOWN = 160
"""Characters of a quote shown on one line of text output."""


def one_line(text: str, limit: int = SHOWN) -> str:
    """A quote on one line, cut at ``limit`` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def quote_line(q: AttributedQuote) -> str:
    """``start-end  Speaker (cue, kind): “words”``."""
    how = ", ".join(x for x in (q.quote.cue.text if q.quote.cue else "", q.quote.kind) if x)
    return f"{q.start}-{q.end}  {q.who()} ({how}): “{one_line(q.text)}”"


@command(
    "quotes",
    "who said what: one document's quotes, or one speaker's across the library",
    arg("id", nargs="?", help="a document id or any unique prefix of one"),
    arg("--speaker", metavar="NAME", help="a person's name, alias or entity key"),
    arg("--json", action="store_true", help="print JSON"),
    description="'workbench quotes ID' lists a document's quotes with their speakers; "
    "'workbench quotes --speaker NAME' lists a speaker's quotes in every document, grouped "
    "into the same statement as worded by each article (with dates and outlets).",
)
def cmd_quotes(args: argparse.Namespace, lib: Library) -> int:
    if (args.id is None) == (args.speaker is None):
        raise UserError("give a document id or --speaker NAME (one of the two)")
    ok, why = lib.quotes.available()
    if not ok:
        raise WorkbenchError(why)
    if args.speaker is not None:
        return _speaker(args, lib)
    doc = lib.document(args.id)
    found = lib.quotes.of_document(doc.id)
    if args.json:
        print_json({"id": doc.id, "title": doc.title, "quotes": [q.to_json() for q in found]})
        return 0
    out(f"{doc.id}  {doc.title}")
    for q in found:
        out(f"  {quote_line(q)}")
    out(plural(len(found), "quote"))
    return 0


def _speaker(args: argparse.Namespace, lib: Library) -> int:
    _ready(lib)  # every document through extraction: their quotes are found with it
    statements = lib.quotes.statements(args.speaker)
    speaker = next((s.speaker for s in statements if s.speaker), args.speaker)
    if args.json:
        print_json({"speaker": speaker, "statements": [s.to_json() for s in statements]})
        return 0
    quotes = sum(len(s.quotes) for s in statements)
    docs = {d for s in statements for d in s.documents}
    out(
        f"{speaker}: {plural(quotes, 'quote')} in {plural(len(docs), 'document')}, "
        f"{plural(len(statements), 'statement')}"
    )
    for i, s in enumerate(statements, 1):
        where = plural(len(s.documents), "document")
        varies = ", worded differently" if s.varies else ""
        out(f"\n{i}. {where}{varies}")
        for w in s.quotes:
            meta = "  ".join(x for x in (w.date or "undated", w.outlet or "") if x)
            out(f"   {meta}  {w.quote.doc_id}  {one_line(w.title, 60)}")
            out(f"      “{one_line(w.quote.text)}”")
    return 0


def print_quote_comparison(result: QuoteComparison) -> None:
    """The Quotes section of ``workbench compare``: pairs with their wording
    differences, then the quotes only one article has."""
    out(
        f"\nQuotes: {len(result.paired)} paired, A only {len(result.only_a)}, B only {len(result.only_b)}"
    )
    for i, p in enumerate(result.paired, 1):
        same = "same words" if p.identical else f"similarity {p.similarity:.2f}"
        out(f"\n  {i}. {p.speaker} ({same})")
        out(f"     A {p.a.start}-{p.a.end}: “{one_line(p.a.text)}”")
        out(f"     B {p.b.start}-{p.b.end}: “{one_line(p.b.text)}”")
        if p.only_a:
            out(f"     only A: {' | '.join(one_line(x, 80) for x in p.only_a)}")
        if p.only_b:
            out(f"     only B: {' | '.join(one_line(x, 80) for x in p.only_b)}")
    for label, items in (("Only in A", result.only_a), ("Only in B", result.only_b)):
        if items:
            out(f"\n  {label}:")
            for q in items:
                out(f"    {quote_line(q)}")
    for line in result.summary():
        out(f"  {line}")
