"""Commands on the library itself: index, search, docs, show."""

from __future__ import annotations

import argparse
import itertools
import json
import sys

from workbench.core.errors import UserError
from workbench.core.library import Library

from .output import ProgressLine, out, print_json, print_report, safe
from .registry import arg, command

JSON = arg("--json", action="store_true", help="print JSON")


@command(
    "index",
    "index folders or files (no path: the seeds, or re-index)",
    arg("paths", nargs="*", help="files or folders, read recursively"),
    arg("--json", action="store_true", help="print the report as JSON"),
    arg(
        "--if-empty",
        action="store_true",
        help="only index the seeds, and only if the library is empty",
    ),
    arg(
        "--no-entities",
        action="store_true",
        help="stop once the documents are searchable (skip entity extraction)",
    ),
)
def cmd_index(args: argparse.Namespace, lib: Library) -> int:
    if args.if_empty and not lib.is_empty():
        out(f"The library has {lib.docs.count()} documents; nothing to do.")
        return 0
    if args.paths:
        report = lib.add_paths(args.paths, progress=ProgressLine("Indexing"))
    elif lib.is_empty() and not lib.roots:
        out("The library is empty: indexing the bundled seed articles.")
        report = lib.add_seeds(progress=ProgressLine("Indexing"))
    else:
        report = lib.refresh(progress=ProgressLine("Indexing"))
    # Phase 2: entities, after the documents are already searchable.
    entity_report = None
    entity_message = None
    if not args.no_entities and not report.cancelled:
        ok, entity_message = lib.entities.available()
        if ok:
            entity_report = lib.entities.extract(progress=ProgressLine("Entities"))
    if args.json:
        data = report.to_json()
        if entity_report is not None:
            data["entities"] = entity_report.to_json()
        print_json(data)
    else:
        print_report(report)
        if entity_report is not None:
            out(f"Entities: {entity_report.summary()} in {entity_report.seconds:.2f} s")
        elif entity_message and not args.no_entities:
            out(entity_message)
    return 0


@command(
    "search",
    "search titles and bodies (Whoosh query language)",
    arg("query", nargs="+", help='e.g. "Li Zhanshu", putin AND NOT xi, title:china, russ*'),
    arg("--limit", type=int, default=10, help="hits to show (default 10)"),
    JSON,
)
def cmd_search(args: argparse.Namespace, lib: Library) -> int:
    results = lib.search(" ".join(args.query), limit=args.limit)
    if args.json:
        print_json(results.to_json())
        return 0
    bold = sys.stdout.isatty()
    about = "" if results.total_exact else "about "
    out(f"{about}{results.total} document{'s' if results.total != 1 else ''} match")
    if results.partial:
        out("(the search ran out of time: these are the best hits found so far)")
    for hit in results.hits:
        snippet = safe(hit.snippet)  # made safe before the bold escapes are added
        if bold:
            parts = snippet.split("**")
            snippet = "".join(f"\033[1m{p}\033[0m" if i % 2 else p for i, p in enumerate(parts))
        where = f", {hit.page}" if hit.page else ""
        out(f"\n{hit.id}  {hit.title}  ({hit.score:.2f}, {len(hit.matches)} matches{where})")
        print(f"  {snippet}")
    return 0


@command(
    "docs",
    "list the documents in the library (streamed: texts are never read)",
    arg("--limit", type=int, help="list at most this many"),
    arg("--offset", type=int, default=0, help="skip this many first (with --limit: a page)"),
    JSON,
)
def cmd_docs(args: argparse.Namespace, lib: Library) -> int:
    if (args.limit is not None and args.limit < 1) or args.offset < 0:
        raise UserError("--limit must be at least 1 and --offset at least 0")
    docs = lib.docs.iter_summaries(offset=args.offset, limit=args.limit)
    if args.json:
        # One document per line as it is read, inside one JSON array.
        sys.stdout.write("[")
        for i, d in enumerate(docs):
            sys.stdout.write(
                ("," if i else "") + "\n  " + json.dumps(d.summary(), ensure_ascii=False)
            )
        sys.stdout.write("\n]\n")
        return 0
    shown = 0
    for d in docs:
        by = f"  ({d.author or d.site})" if d.author or d.site else ""
        out(f"{d.id}  {d.words:>6} words  {d.date or '':10}  {d.format:5}  {d.title}{by}")
        shown += 1
    total = lib.docs.count()
    out(f"{total} documents" + (f" ({shown} shown)" if shown != total else ""))
    return 0


@command(
    "show",
    "print one document's cleaned text",
    arg("id", help="a document id or any unique prefix of one"),
    JSON,
)
def cmd_show(args: argparse.Namespace, lib: Library) -> int:
    doc = lib.document(args.id)
    if args.json:
        print_json(
            {
                "id": doc.id,
                "title": doc.title,
                "path": doc.path,
                "date": doc.date,
                "words": doc.words,
                **doc.metadata(),
                "text": doc.text,
            }
        )
        return 0
    out(doc.title)
    facts = [doc.author, doc.site, doc.date or "", f"{doc.pages} pages" if doc.pages else ""]
    out(" · ".join(f for f in facts if f) or doc.path)
    out(f"{doc.path} · {doc.words} words" + (f" · {doc.url}" if doc.url else ""))
    out()
    # Page and chapter starts are marked in the printed text (the JSON text is unmarked).
    starts = [*doc.sections, (len(doc.text), "")]
    if not doc.sections:
        out(doc.text)
    elif starts[0][0] > 0:
        out(doc.text[: starts[0][0]].rstrip())
    for (start, label), (end, _) in itertools.pairwise(starts):
        out(f"\n— {label} —\n")
        out(doc.text[start:end].rstrip())
    return 0
