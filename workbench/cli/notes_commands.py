"""``workbench notes ...``: add, list, export, import, delete and restore notes."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from workbench.core.library import Library

from .output import out, plural, print_json
from .registry import arg, command, group

if TYPE_CHECKING:
    from workbench.core.notes import Note

JSON = arg("--json", action="store_true", help="print JSON")

group("notes", "research notes: add, list, export, import")


def _print_note(note: Note, titles: dict[str, str], lib: Library) -> None:
    tags = " ".join(f"#{t}" for t in note.tags)
    out(f"[{note.id}] {note.updated[:16].replace('T', ' ')}" + (f"  {tags}" if tags else ""))
    for a in note.anchors:
        where = titles.get(a.doc_id, a.doc_id)
        if a.whole_document:
            out(f"  on {a.doc_id}  {where}")
        else:
            flag = "  (orphaned: the passage is gone)" if a.orphaned else ""
            who = lib.notes.speaker(a)
            said = f"  (words of {who})" if who else ""
            page = lib.notes.page(a)
            at = f", {page}" if page else ""
            out(f"  on {a.doc_id} {a.start}-{a.end}{at}: “{a.quote}”{said}{flag}")
    for line in note.body.splitlines() or [""]:
        out(f"    {line}")


def _note_json(note: Note, lib: Library) -> dict[str, object]:
    """A note as JSON, each anchor within a quote saying whose words it is (``words_of``)."""
    data = note.to_json()
    for a, item in zip(note.anchors, data.get("anchors", []), strict=False):
        who = lib.notes.speaker(a)
        if who:
            item["words_of"] = who
    return data


@command(
    "notes add",
    "add a note on a document or on a quoted passage of it",
    arg("id", help="a document id or any unique prefix of one"),
    arg("--text", required=True, help="the note (Markdown)"),
    arg("--quote", help="a passage of the document to anchor the note to"),
    arg("--tag", action="append", help="a tag (repeat for several)"),
    arg("--json", action="store_true", help="print the saved note as JSON"),
)
def cmd_notes_add(args: argparse.Namespace, lib: Library) -> int:
    lib.open_user_data()
    doc = lib.document(args.id)
    notes = lib.notes
    anchor = notes.anchor_quote(doc.id, args.quote) if args.quote else notes.make_anchor(doc.id)
    note = notes.add(args.text, tags=args.tag or (), anchors=[anchor]).value
    if args.json:
        print_json(_note_json(note, lib))
    else:
        where = f"{anchor.start}-{anchor.end}" if anchor.quote else "the whole document"
        out(f"Saved note {note.id} on {doc.id} ({where}).")
    return 0


@command(
    "notes list",
    "list notes (all, or on one document)",
    arg("id", nargs="?", help="only notes on this document"),
    arg("--tag", help="only notes with this tag"),
    arg("--text", help="only notes matching this search (the search box's language)"),
    arg("--deleted", action="store_true", help="list deleted notes (restorable for 30 days)"),
    JSON,
)
def cmd_notes_list(args: argparse.Namespace, lib: Library) -> int:
    lib.open_user_data()
    found = lib.notes.query(doc_id=args.id, tag=args.tag, text=args.text, deleted=args.deleted)
    if args.id and not found:
        lib.resolve_id(args.id)  # an unknown id is an error, not "0 notes"
    if args.json:
        print_json([_note_json(n, lib) for n in found])
        return 0
    titles = lib.titles()
    for note in found:
        _print_note(note, titles, lib)
    out(plural(len(found), "note") + (" (deleted)" if args.deleted else ""))
    return 0


@command(
    "notes export",
    "export notes as Markdown, CSV or a JSON backup",
    arg("--format", choices=["md", "csv", "json"], help="default: from the file's suffix"),
    arg("-o", "--output", required=True, help="the file to write"),
)
def cmd_notes_export(args: argparse.Namespace, lib: Library) -> int:
    lib.open_user_data()
    count = lib.notes.export(args.output, args.format)
    out(f"Exported {count} notes to {args.output}.")
    return 0


@command(
    "notes import",
    "restore a JSON backup (notes and entity corrections)",
    arg("file"),
)
def cmd_notes_import(args: argparse.Namespace, lib: Library) -> int:
    lib.open_user_data()
    report = lib.notes.import_backup(args.file)
    out(f"Imported {args.file}: {report.summary()}.")
    return 0


@command("notes delete", "delete a note (restorable for 30 days)", arg("note_id", type=int))
def cmd_notes_delete(args: argparse.Namespace, lib: Library) -> int:
    lib.open_user_data()
    note = lib.notes.delete(args.note_id).value
    out(f"Deleted note {note.id} (undo with 'workbench notes restore {note.id}' within 30 days).")
    return 0


@command("notes restore", "restore a deleted note", arg("note_id", type=int))
def cmd_notes_restore(args: argparse.Namespace, lib: Library) -> int:
    lib.open_user_data()
    note = lib.notes.restore(args.note_id).value
    out(f"Restored note {note.id}.")
    return 0
