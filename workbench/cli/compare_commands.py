"""``workbench compare A B`` and ``workbench related ID``."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from workbench.core.library import Library

from .output import ProgressLine, out, print_json
from .quote_commands import print_quote_comparison
from .registry import arg, command

if TYPE_CHECKING:
    from workbench.core.compare import EntityComparison

DOC = "a document id or any unique prefix of one"


def _print_entities(heading: str, items: list[EntityComparison]) -> None:
    out(f"\n{heading} ({len(items)})")
    for e in items:
        aliases = [a for a in e.entity.aliases if a != e.entity.name]
        also = f"  (also: {', '.join(aliases)})" if aliases else ""
        out(f"  {e.entity.name} ({e.entity.type}){also}  A {e.count_a} · B {e.count_b}")


@command(
    "compare",
    "shared and unique entities and shared passages of two documents",
    arg("a", help=DOC),
    arg("b", help="another document id or prefix"),
    arg("--json", action="store_true", help="print JSON"),
    arg("--export", metavar="FILE.md|FILE.csv", help="write the comparison to a file"),
    arg(
        "--min-words",
        type=int,
        metavar="N",
        help="shortest passage reported, in words on each side (default 8)",
    ),
    arg(
        "--min-similarity",
        type=float,
        metavar="X",
        help="lowest share of matched words in a passage, 0-1 (default 0.5)",
    ),
)
def cmd_compare(args: argparse.Namespace, lib: Library) -> int:
    limits = {"min_words": args.min_words, "min_similarity": args.min_similarity}
    if args.export:
        path = lib.export_comparison(args.a, args.b, args.export, **limits)
        out(f"Wrote the comparison to {path}")
        return 0
    result = lib.compare(args.a, args.b, progress=ProgressLine("Comparing"), **limits)
    if args.json:
        print_json(result.to_json())
        return 0
    for label, doc in (("A", result.a), ("B", result.b)):
        out(f"{label}  {doc.id}  {doc.title}  ({doc.words} words)")
    if result.reuse is not None:
        out(f"\nReuse: {result.reuse.headline()}")
    for note in result.notes:
        out(f"\n{note}")
    _print_entities("Shared entities", result.shared_entities)
    _print_entities("Only in A", result.only_a)
    _print_entities("Only in B", result.only_b)
    out(f"\nShared passages ({len(result.shared_passages)})")
    for i, p in enumerate(result.shared_passages, 1):
        out(f"\n  {i}. similarity {p.similarity:.2f}")
        out(f"     A {p.a_start}-{p.a_end}: {' '.join(p.a_text.split())}")
        out(f"     B {p.b_start}-{p.b_end}: {' '.join(p.b_text.split())}")
    if result.quotes is not None:
        print_quote_comparison(result.quotes)
    return 0


@command(
    "related",
    "documents that share passages or entities with one document",
    arg("id", help=DOC),
    arg("--limit", type=int, default=10, help="documents to list (default 10)"),
    arg(
        "--sort",
        choices=["score", "reuse"],
        default="score",
        help="order by relatedness (default) or by the share of text reused",
    ),
    arg("--json", action="store_true", help="print JSON"),
)
def cmd_related(args: argparse.Namespace, lib: Library) -> int:
    doc = lib.document(args.id)
    found = lib.related(doc.id, limit=args.limit, sort=args.sort)
    if args.json:
        print_json({"id": doc.id, "title": doc.title, "related": [r.to_json() for r in found]})
        return 0
    out(f"Related to {doc.id}  {doc.title}")
    for r in found:
        out(f"\n{r.score:5.2f}  {r.id}  {r.title}\n       {r.reason}")
        if r.reuse is not None and r.passages:
            out(f"       reuse: {r.reuse.headline('this', 'it')}")
    if not found:
        out("No related documents.")
    return 0
