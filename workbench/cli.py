"""The ``workbench`` command line: thin argument parsing over :class:`~workbench.core.library.Library`.

Exit codes: 0 success; 2 a usage error, a bad query or an unknown id; 1 any other
failure. Every failure prints one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

from workbench import __version__
from workbench.core.errors import UserError, WorkbenchError
from workbench.core.library import ImportReport, Library

Handler = Callable[[argparse.Namespace, Library], int]
COMMANDS: dict[str, Handler] = {}


def command(name: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        COMMANDS[name] = fn
        return fn

    return register


def err(message: str) -> None:
    print(f"workbench: {message}", file=sys.stderr)


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


class ProgressLine:
    """A one-line progress bar on a terminal's stderr; silent when stderr is not a terminal."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.enabled = sys.stderr.isatty()
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if done < total and now - self.last < 0.1:
            return
        self.last = now
        width = 30
        filled = int(width * done / total) if total else width
        sys.stderr.write(f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def print_report(report: ImportReport, label: str = "Indexed") -> None:
    print(f"{label}: {report.summary()} in {report.seconds:.2f} s")
    for skip in report.skipped:
        print(f"  skipped {skip.path}: {skip.reason}")


# --------------------------------------------------------------------------- commands


@command("index")
def cmd_index(args: argparse.Namespace, lib: Library) -> int:
    if args.if_empty and not lib.is_empty():
        print(f"The library has {len(lib.documents())} documents; nothing to do.")
        return 0
    if args.paths:
        report = lib.add_paths(args.paths, progress=ProgressLine("Indexing"))
    elif lib.is_empty() and not lib.roots:
        print("The library is empty: indexing the bundled seed articles.")
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
            print(f"Entities: {entity_report.summary()} in {entity_report.seconds:.2f} s")
        elif entity_message and not args.no_entities:
            print(entity_message)
    return 0


@command("search")
def cmd_search(args: argparse.Namespace, lib: Library) -> int:
    results = lib.search(" ".join(args.query), limit=args.limit)
    if args.json:
        print_json(results.to_json())
        return 0
    bold = sys.stdout.isatty()
    print(f"{results.total} document{'s' if results.total != 1 else ''} match")
    for hit in results.hits:
        snippet = hit.snippet
        if bold:
            parts = snippet.split("**")
            snippet = "".join(f"\033[1m{p}\033[0m" if i % 2 else p for i, p in enumerate(parts))
        print(f"\n{hit.id}  {hit.title}  ({hit.score:.2f}, {len(hit.matches)} matches)")
        print(f"  {snippet}")
    return 0


@command("docs")
def cmd_docs(args: argparse.Namespace, lib: Library) -> int:
    docs = lib.documents()
    if args.json:
        print_json([d.summary() for d in docs])
        return 0
    for d in docs:
        print(f"{d.id}  {d.words:>6} words  {d.date or '':10}  {d.title}")
    print(f"{len(docs)} documents")
    return 0


@command("show")
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
                "text": doc.text,
            }
        )
        return 0
    print(doc.title)
    print(f"{doc.path} · {doc.words} words" + (f" · {doc.date}" if doc.date else ""))
    print()
    print(doc.text)
    return 0


# ----------------------------------------------------------------- notes (issue 6, notes helper)


def _print_note(note: Any, titles: dict[str, str]) -> None:
    tags = " ".join(f"#{t}" for t in note.tags)
    print(f"[{note.id}] {note.updated[:16].replace('T', ' ')}" + (f"  {tags}" if tags else ""))
    for a in note.anchors:
        where = titles.get(a.doc_id, a.doc_id)
        if a.whole_document:
            print(f"  on {a.doc_id}  {where}")
        else:
            flag = "  (orphaned: the passage is gone)" if a.orphaned else ""
            print(f"  on {a.doc_id} {a.start}-{a.end}: “{a.quote}”{flag}")
    for line in note.body.splitlines() or [""]:
        print(f"    {line}")


@command("notes")
def cmd_notes(args: argparse.Namespace, lib: Library) -> int:
    lib.open_user_data()
    action = args.notes_command
    if action == "add":
        doc = lib.document(args.id)
        anchor = (
            lib.notes.anchor_quote(doc.id, args.quote)
            if args.quote
            else lib.notes.make_anchor(doc.id)
        )
        note = lib.notes.add(args.text, tags=args.tag or (), anchors=[anchor]).value
        if args.json:
            print_json(note.to_json())
        else:
            where = f"{anchor.start}-{anchor.end}" if anchor.quote else "the whole document"
            print(f"Saved note {note.id} on {doc.id} ({where}).")
        return 0
    if action == "list":
        found = lib.notes.query(doc_id=args.id, tag=args.tag, text=args.text, deleted=args.deleted)
        if args.id and not found:
            lib.resolve_id(args.id)  # an unknown id is an error, not "0 notes"
        if args.json:
            print_json([n.to_json() for n in found])
            return 0
        titles = {d.id: d.title for d in lib.documents()}
        for note in found:
            _print_note(note, titles)
        print(
            f"{len(found)} note{'s' if len(found) != 1 else ''}"
            + (" (deleted)" if args.deleted else "")
        )
        return 0
    if action == "export":
        count = lib.notes.export(args.output, args.format)
        print(f"Exported {count} notes to {args.output}.")
        return 0
    if action == "import":
        report = lib.notes.import_backup(args.file)
        print(f"Imported {args.file}: {report.summary()}.")
        return 0
    if action == "delete":
        note = lib.notes.delete(args.note_id).value
        print(
            f"Deleted note {note.id} (undo with 'workbench notes restore {note.id}' within 30 days)."
        )
        return 0
    if action == "restore":
        note = lib.notes.restore(args.note_id).value
        print(f"Restored note {note.id}.")
        return 0
    raise UserError(f"unknown notes command '{action}'")


def _notes_parser(sub: Any) -> None:
    p = sub.add_parser("notes", help="research notes: add, list, export, import")
    notes_sub = p.add_subparsers(dest="notes_command", metavar="ACTION", required=True)
    q = notes_sub.add_parser("add", help="add a note on a document or on a quoted passage of it")
    q.add_argument("id", help="a document id or any unique prefix of one")
    q.add_argument("--text", required=True, help="the note (Markdown)")
    q.add_argument("--quote", help="a passage of the document to anchor the note to")
    q.add_argument("--tag", action="append", help="a tag (repeat for several)")
    q.add_argument("--json", action="store_true", help="print the saved note as JSON")
    q = notes_sub.add_parser("list", help="list notes (all, or on one document)")
    q.add_argument("id", nargs="?", help="only notes on this document")
    q.add_argument("--tag", help="only notes with this tag")
    q.add_argument("--text", help="only notes containing these words")
    q.add_argument(
        "--deleted", action="store_true", help="list deleted notes (restorable for 30 days)"
    )
    q.add_argument("--json", action="store_true")
    q = notes_sub.add_parser("export", help="export notes as Markdown, CSV or a JSON backup")
    q.add_argument(
        "--format", choices=["md", "csv", "json"], help="default: from the file's suffix"
    )
    q.add_argument("-o", "--output", required=True, help="the file to write")
    q = notes_sub.add_parser("import", help="restore a JSON backup (notes and entity corrections)")
    q.add_argument("file")
    q = notes_sub.add_parser("delete", help="delete a note (restorable for 30 days)")
    q.add_argument("note_id", type=int)
    q = notes_sub.add_parser("restore", help="restore a deleted note")
    q.add_argument("note_id", type=int)


def cmd_gui(args: argparse.Namespace) -> int:
    try:
        from workbench.gui.app import main as gui_main
    except ImportError as exc:
        err(
            f"the desktop app is not available ({exc}); use the commands listed by 'workbench --help'"
        )
        return 1
    return gui_main(data_dir=args.data_dir)


# --------------------------------------------------------------------------- entities

ENTITY_ACTIONS = {
    "merge": "KEY KEY... [--name NAME]  make several entities one",
    "rename": "KEY NAME                  give an entity another name",
    "ignore": "KEY                       put an entity on the stoplist",
    "split": "KEY ALIAS                  make an alias an entity of its own",
    "retype": "KEY TYPE                  change an entity's type",
    "add": "ID START END TYPE            mark a span of a document as an entity",
    "undo": "CORRECTION_ID               remove one of your corrections",
    "corrections": "                     list your corrections",
    "suggestions": "                     near-identical names you may want to merge",
    "dismiss": "KEY KEY                   two entities offered as one are two: stop suggesting them",
}


def _entity_usage(action: str) -> UserError:
    return UserError(
        f"usage: workbench entities {action} {ENTITY_ACTIONS[action].split('  ')[0].strip()}"
    )


def _ensure_entities(lib: Library) -> None:
    ok, message = lib.entities.available()
    if not ok:
        raise WorkbenchError(message)
    pending = lib.entities.pending()
    if pending:
        err(f"extracting entities from {pending} document{'s' if pending != 1 else ''} first")
        lib.entities.extract(progress=ProgressLine("Entities"))


def _entity_correction(action: str, rest: list[str], args: argparse.Namespace, lib: Library) -> int:
    if action == "corrections":
        corrections = lib.entities.corrections()
        if args.json:
            print_json([c.to_json() for c in corrections])
        else:
            for c in corrections:
                print(
                    f"{c.id:>4}  {c.created[:19]}  {c.kind:<7} {json.dumps(c.payload, ensure_ascii=False)}"
                )
            print(f"{len(corrections)} correction{'s' if len(corrections) != 1 else ''}")
        return 0
    if action == "suggestions":
        found = lib.entities.suggestions()
        if args.json:
            print_json([s.to_json() for s in found])
        else:
            for s in found:
                print(f"{s.names[0]}  ~  {s.names[1]}  ({s.type}, {s.score:.2f}: {s.reason})")
                print(
                    f'    workbench entities merge "{s.keys[1]}" "{s.keys[0]}"   '
                    f'(or: entities dismiss "{s.keys[1]}" "{s.keys[0]}")'
                )
            print(f"{len(found)} suggestion{'s' if len(found) != 1 else ''}")
        return 0
    if action == "merge":
        if len(rest) < 2:
            raise _entity_usage(action)
        e = lib.entities.merge(rest, name=args.name).value
        print(f"Merged into {e.name} ({e.type}); aliases: {', '.join(e.aliases) or 'none'}")
    elif action == "rename":
        if len(rest) < 2:
            raise _entity_usage(action)
        e = lib.entities.rename(rest[0], " ".join(rest[1:])).value
        print(f"Renamed: {e.name} ({e.key})")
    elif action == "dismiss":
        if len(rest) != 2:
            raise _entity_usage(action)
        a, b = lib.entities.get(rest[0]), lib.entities.get(rest[1])
        lib.entities.dismiss(a.key, b.key)
        print(
            f"{a.name} and {b.name} are two entities; not suggested again "
            "(undo with 'workbench entities undo ID', see 'corrections')"
        )
    elif action == "ignore":
        if len(rest) != 1:
            raise _entity_usage(action)
        e = lib.entities.get(rest[0])
        lib.entities.ignore(e.key)
        print(f"Ignored: {e.name} (undo with 'workbench entities undo ID', see 'corrections')")
    elif action == "split":
        if len(rest) != 2:
            raise _entity_usage(action)
        e = lib.entities.split(rest[0], rest[1]).value
        print(f"Split off: {e.name} ({e.type}, key {e.key})")
    elif action == "retype":
        if len(rest) != 2:
            raise _entity_usage(action)
        e = lib.entities.retype(rest[0], rest[1]).value
        print(f"Retyped: {e.name} is now {e.type}")
    elif action == "add":
        if len(rest) != 4:
            raise _entity_usage(action)
        try:
            start, end = int(rest[1]), int(rest[2])
        except ValueError:
            raise UserError("START and END are character offsets (whole numbers)") from None
        e = lib.entities.add(rest[0], start, end, rest[3]).value
        print(f"Added: {e.name} ({e.type})")
    elif action == "undo":
        if len(rest) != 1 or not rest[0].isdigit():
            raise _entity_usage(action)
        lib.entities.undo(int(rest[0]))
        print(f"Correction {rest[0]} removed")
    return 0


@command("entities")
def cmd_entities(args: argparse.Namespace, lib: Library) -> int:
    words = list(args.args)
    if words and words[0] in ENTITY_ACTIONS:
        _ensure_entities(lib)
        return _entity_correction(words[0], words[1:], args, lib)
    if len(words) > 1:
        raise UserError(
            f"unknown entities action '{words[0]}' (choose from {', '.join(ENTITY_ACTIONS)})"
        )
    _ensure_entities(lib)
    if args.table:
        path = lib.entities.export_table(args.table, kind=args.kind)
        print(f"Wrote the {args.kind} table to {path}")
        return 0
    if words:
        doc = lib.document(words[0])
        found = lib.entities.of_document(doc.id)
        if args.json:
            print_json(
                {"id": doc.id, "title": doc.title, "entities": [de.to_json() for de in found]}
            )
            return 0
        print(f"{doc.id}  {doc.title}")
        for de in found:
            aliases = f"  (also: {', '.join(de.entity.aliases)})" if de.entity.aliases else ""
            spans = ", ".join(f"{m.start}-{m.end}" for m in de.mentions[:6])
            more = ", …" if len(de.mentions) > 6 else ""
            print(
                f"  {len(de.mentions):>3}  {de.entity.type:<6} {de.entity.name}{aliases}  [{spans}{more}]"
            )
        return 0
    table = lib.entities.table()
    if args.json:
        print_json(
            [
                {
                    "key": r.key,
                    "name": r.name,
                    "type": r.type,
                    "aliases": r.aliases.split("; ") if r.aliases else [],
                    "documents": int(r.documents),
                    "count": int(r.mentions),
                }
                for r in table.itertuples(index=False)
            ]
        )
        return 0
    for r in table.head(args.limit).itertuples(index=False):
        aliases = f"  (also: {r.aliases})" if r.aliases else ""
        print(f"{r.documents:>5} docs {r.mentions:>6}  {r.type:<6} {r.name}{aliases}")
    print(
        f"{len(table)} entities"
        + (f" (first {args.limit} shown; --limit N for more)" if len(table) > args.limit else "")
    )
    return 0


# --------------------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="workbench",
        description="An offline research workbench: search, read and compare articles. "
        "With no command, the desktop app starts.",
    )
    parser.add_argument("--version", action="version", version=f"workbench {__version__}")
    parser.add_argument(
        "--data-dir",
        default=os.environ.get("WORKBENCH_DATA_DIR"),
        help="where the index and notes live (default: $WORKBENCH_DATA_DIR or the user data dir)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("index", help="index folders or files (no path: the seeds, or re-index)")
    p.add_argument("paths", nargs="*", help="files or folders, read recursively")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument(
        "--if-empty",
        action="store_true",
        help="only index the seeds, and only if the library is empty",
    )
    p.add_argument(
        "--no-entities",
        action="store_true",
        help="stop once the documents are searchable (skip entity extraction)",
    )

    p = sub.add_parser("search", help="search titles and bodies (Whoosh query language)")
    p.add_argument(
        "query", nargs="+", help='e.g. "Li Zhanshu", putin AND NOT xi, title:china, russ*'
    )
    p.add_argument("--limit", type=int, default=10, help="hits to show (default 10)")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("docs", help="list the documents in the library")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("show", help="print one document's cleaned text")
    p.add_argument("id", help="a document id or any unique prefix of one")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser(
        "entities",
        help="people, organisations and places: list, tables, corrections",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="With no argument: every entity. With a document id: its entities and mention "
        "offsets. Corrections:\n"
        + "\n".join(f"  workbench entities {k} {v}" for k, v in ENTITY_ACTIONS.items()),
    )
    p.add_argument(
        "args", nargs="*", metavar="ID | ACTION ...", help="a document id, or a correction"
    )
    p.add_argument("--json", action="store_true")
    p.add_argument("--table", metavar="FILE.csv", help="write a table as CSV")
    p.add_argument(
        "--kind",
        choices=["entities", "matrix", "comentions"],
        default="entities",
        help="which table --table writes: entities (default), matrix (entity x document) or comentions",
    )
    p.add_argument("--name", help="merge: the merged entity's name")
    p.add_argument("--limit", type=int, default=50, help="entities to list (default 50)")

    for extend in _EXTENSIONS:
        extend(sub)
    return parser


# Later modules (entities, compare, notes) add their subcommands through this list.
_EXTENSIONS: list[Callable[[Any], None]] = []
_EXTENSIONS.append(_notes_parser)  # notes (issue 6)


# --------------------------------------------------------------------------- compare (issue 4)


def _print_entities(heading: str, items: list[Any]) -> None:
    print(f"\n{heading} ({len(items)})")
    for e in items:
        aliases = [a for a in e.entity.aliases if a != e.entity.name]
        also = f"  (also: {', '.join(aliases)})" if aliases else ""
        print(f"  {e.entity.name} ({e.entity.type}){also}  A {e.count_a} · B {e.count_b}")


@command("compare")
def cmd_compare(args: argparse.Namespace, lib: Library) -> int:
    if args.export:
        path = lib.export_comparison(
            args.a,
            args.b,
            args.export,
            min_words=args.min_words,
            min_similarity=args.min_similarity,
        )
        print(f"Wrote the comparison to {path}")
        return 0
    result = lib.compare(
        args.a,
        args.b,
        progress=ProgressLine("Comparing"),
        min_words=args.min_words,
        min_similarity=args.min_similarity,
    )
    if args.json:
        print_json(result.to_json())
        return 0
    for label, doc in (("A", result.a), ("B", result.b)):
        print(f"{label}  {doc.id}  {doc.title}  ({doc.words} words)")
    if result.reuse is not None:
        print(f"\nReuse: {result.reuse.headline()}")
    for note in result.notes:
        print(f"\n{note}")
    _print_entities("Shared entities", result.shared_entities)
    _print_entities("Only in A", result.only_a)
    _print_entities("Only in B", result.only_b)
    print(f"\nShared passages ({len(result.shared_passages)})")
    for i, p in enumerate(result.shared_passages, 1):
        print(f"\n  {i}. similarity {p.similarity:.2f}")
        print(f"     A {p.a_start}-{p.a_end}: {' '.join(p.a_text.split())}")
        print(f"     B {p.b_start}-{p.b_end}: {' '.join(p.b_text.split())}")
    return 0


@command("related")
def cmd_related(args: argparse.Namespace, lib: Library) -> int:
    doc = lib.document(args.id)
    found = lib.related(doc.id, limit=args.limit, sort=args.sort)
    if args.json:
        print_json({"id": doc.id, "title": doc.title, "related": [r.to_json() for r in found]})
        return 0
    print(f"Related to {doc.id}  {doc.title}")
    for r in found:
        print(f"\n{r.score:5.2f}  {r.id}  {r.title}\n       {r.reason}")
        if r.reuse is not None and r.passages:
            print(f"       reuse: {r.reuse.headline('this', 'it')}")
    if not found:
        print("No related documents.")
    return 0


def _add_compare_parsers(sub: Any) -> None:
    p = sub.add_parser(
        "compare", help="shared and unique entities and shared passages of two documents"
    )
    p.add_argument("a", help="a document id or any unique prefix of one")
    p.add_argument("b", help="another document id or prefix")
    p.add_argument("--json", action="store_true")
    p.add_argument("--export", metavar="FILE.md|FILE.csv", help="write the comparison to a file")
    p.add_argument(
        "--min-words",
        type=int,
        default=8,
        metavar="N",
        help="shortest passage reported, in words on each side (default 8)",
    )
    p.add_argument(
        "--min-similarity",
        type=float,
        default=0.5,
        metavar="X",
        help="lowest share of matched words in a passage, 0-1 (default 0.5)",
    )

    p = sub.add_parser(
        "related", help="documents that share passages or entities with one document"
    )
    p.add_argument("id", help="a document id or any unique prefix of one")
    p.add_argument("--limit", type=int, default=10, help="documents to list (default 10)")
    p.add_argument(
        "--sort",
        choices=["score", "reuse"],
        default="score",
        help="order by relatedness (default) or by the share of text reused",
    )
    p.add_argument("--json", action="store_true")


_EXTENSIONS.append(_add_compare_parsers)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        return cmd_gui(args)
    try:
        with Library.open(args.data_dir, on_notice=lambda m: err(m)) as lib:
            lib.rebuild_if_needed(progress=ProgressLine("Rebuilding"))
            return COMMANDS[args.command](args, lib)
    except UserError as exc:
        err(str(exc))
        return exc.exit_code
    except WorkbenchError as exc:
        err(str(exc))
        return exc.exit_code
    except KeyboardInterrupt:
        err("interrupted")
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:
        err(f"{exc.strerror or exc}: {exc.filename}" if exc.filename else str(exc))
        return 1


if __name__ == "__main__":
    sys.exit(main())
