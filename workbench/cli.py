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
    if args.json:
        print_json(report.to_json())
    else:
        print_report(report)
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
            {"id": doc.id, "title": doc.title, "path": doc.path, "date": doc.date,
             "words": doc.words, "text": doc.text}
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
        anchor = lib.anchor_quote(doc.id, args.quote) if args.quote else lib.make_anchor(doc.id)
        note = lib.add_note(args.text, tags=args.tag or (), anchors=[anchor])
        if args.json:
            print_json(note.to_json())
        else:
            where = f"{anchor.start}-{anchor.end}" if anchor.quote else "the whole document"
            print(f"Saved note {note.id} on {doc.id} ({where}).")
        return 0
    if action == "list":
        found = lib.notes(doc_id=args.id, tag=args.tag, text=args.text, deleted=args.deleted)
        if args.json:
            print_json([n.to_json() for n in found])
            return 0
        titles = {d.id: d.title for d in lib.documents()}
        for note in found:
            _print_note(note, titles)
        print(f"{len(found)} note{'s' if len(found) != 1 else ''}" + (" (deleted)" if args.deleted else ""))
        return 0
    if action == "export":
        count = lib.export_notes(args.output, args.format)
        print(f"Exported {count} notes to {args.output}.")
        return 0
    if action == "import":
        report = lib.import_notes(args.file)
        print(f"Imported {args.file}: {report.summary()}.")
        return 0
    if action == "delete":
        note = lib.delete_note(args.note_id)
        print(f"Deleted note {note.id} (undo with 'workbench notes restore {note.id}' within 30 days).")
        return 0
    if action == "restore":
        note = lib.restore_note(args.note_id)
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
    q.add_argument("--deleted", action="store_true", help="list deleted notes (restorable for 30 days)")
    q.add_argument("--json", action="store_true")
    q = notes_sub.add_parser("export", help="export notes as Markdown, CSV or a JSON backup")
    q.add_argument("--format", choices=["md", "csv", "json"], help="default: from the file's suffix")
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
        err(f"the desktop app is not available ({exc}); use the commands listed by 'workbench --help'")
        return 1
    return gui_main(data_dir=args.data_dir)


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
    p.add_argument("--if-empty", action="store_true", help="only index the seeds, and only if the library is empty")

    p = sub.add_parser("search", help="search titles and bodies (Whoosh query language)")
    p.add_argument("query", nargs="+", help='e.g. "Li Zhanshu", putin AND NOT xi, title:china, russ*')
    p.add_argument("--limit", type=int, default=10, help="hits to show (default 10)")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("docs", help="list the documents in the library")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("show", help="print one document's cleaned text")
    p.add_argument("id", help="a document id or any unique prefix of one")
    p.add_argument("--json", action="store_true")

    for extend in _EXTENSIONS:
        extend(sub)
    return parser


# Later modules (entities, compare, notes) add their subcommands through this list.
_EXTENSIONS: list[Callable[[Any], None]] = []
_EXTENSIONS.append(_notes_parser)  # notes (issue 6)


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
