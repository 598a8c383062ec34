"""``workbench entities ...``: the entity list and tables, one document's entities, and the
researcher's corrections (each a sub-command)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable
from typing import Any

from workbench.core.errors import UserError, WorkbenchError
from workbench.core.library import Library

from .output import ProgressLine, err, out, plural, print_json
from .registry import COMMANDS, arg, command

JSON = arg("--json", action="store_true", help="print JSON")
UNDO = "undo with 'workbench entities undo ID', see 'corrections'"


def _ready(lib: Library) -> None:
    """Entity features on, and every document through extraction (done now if need be)."""
    ok, message = lib.entities.available()
    if not ok:
        raise WorkbenchError(message)
    pending = lib.entities.pending()
    if pending:
        err(f"extracting entities from {plural(pending, 'document')} first")
        lib.entities.extract(progress=ProgressLine("Entities"))


@command(
    "entities",
    "people, organisations and places: list, tables, corrections",
    JSON,
    arg("--table", metavar="FILE.csv", help="write a table as CSV"),
    arg(
        "--kind",
        choices=["entities", "matrix", "comentions"],
        default="entities",
        help="which table --table writes: entities (default), matrix (entity x document) "
        "or comentions",
    ),
    arg("--limit", type=int, default=50, help="entities to list (default 50)"),
    description="With no action: every entity. 'workbench entities ID' (or 'show ID'): one "
    "document's entities and their mention offsets. The other actions are your corrections.",
)
def cmd_entities(args: argparse.Namespace, lib: Library) -> int:
    if args.limit < 1:
        raise UserError("--limit must be at least 1")
    _ready(lib)
    if args.table:
        path = lib.entities.export_table(args.table, kind=args.kind)
        out(f"Wrote the {args.kind} table to {path}")
        return 0
    table = lib.entities.table()
    rows: Iterable[Any] = table.itertuples(index=False)
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
                for r in rows
            ]
        )
        return 0
    shown: Iterable[Any] = table.head(args.limit).itertuples(index=False)
    for r in shown:
        aliases = f"  (also: {r.aliases})" if r.aliases else ""
        out(f"{r.documents:>5} docs {r.mentions:>6}  {r.type:<6} {r.name}{aliases}")
    more = f" (first {args.limit} shown; --limit N for more)" if len(table) > args.limit else ""
    out(f"{len(table)} entities{more}")
    return 0


@command(
    "entities show",
    "one document's entities with their mention offsets",
    arg("id", help="a document id or any unique prefix of one"),
    JSON,
)
def cmd_entities_show(args: argparse.Namespace, lib: Library) -> int:
    _ready(lib)
    doc = lib.document(args.id)
    found = lib.entities.of_document(doc.id)
    if args.json:
        entities = [de.to_json() for de in found]
        print_json({"id": doc.id, "title": doc.title, "entities": entities})
        return 0
    out(f"{doc.id}  {doc.title}")
    for de in found:
        aliases = f"  (also: {', '.join(de.entity.aliases)})" if de.entity.aliases else ""
        spans = ", ".join(f"{m.start}-{m.end}" for m in de.mentions[:6])
        more = ", …" if len(de.mentions) > 6 else ""
        name = f"{de.entity.type:<6} {de.entity.name}{aliases}"
        out(f"  {len(de.mentions):>3}  {name}  [{spans}{more}]")
    return 0


@command("entities corrections", "list your corrections", JSON)
def cmd_corrections(args: argparse.Namespace, lib: Library) -> int:
    _ready(lib)
    corrections = lib.entities.corrections()
    if args.json:
        print_json([c.to_json() for c in corrections])
        return 0
    for c in corrections:
        payload = json.dumps(c.payload, ensure_ascii=False)
        out(f"{c.id:>4}  {c.created[:19]}  {c.kind:<7} {payload}")
    out(plural(len(corrections), "correction"))
    return 0


@command("entities suggestions", "near-identical names you may want to merge", JSON)
def cmd_suggestions(args: argparse.Namespace, lib: Library) -> int:
    _ready(lib)
    found = lib.entities.suggestions()
    if args.json:
        print_json([s.to_json() for s in found])
        return 0
    for s in found:
        out(f"{s.names[0]}  ~  {s.names[1]}  ({s.type}, {s.score:.2f}: {s.reason})")
        out(
            f'    workbench entities merge "{s.keys[1]}" "{s.keys[0]}"   '
            f'(or: entities dismiss "{s.keys[1]}" "{s.keys[0]}")'
        )
    out(plural(len(found), "suggestion"))
    return 0


@command(
    "entities merge",
    "make several entities one",
    arg("keys", nargs="+", metavar="KEY", help="two or more entities (key, name or alias)"),
    arg("--name", help="the merged entity's name"),
)
def cmd_merge(args: argparse.Namespace, lib: Library) -> int:
    if len(args.keys) < 2:
        raise UserError("give at least two entities to merge (KEY KEY...)")
    _ready(lib)
    e = lib.entities.merge(args.keys, name=args.name).value
    out(f"Merged into {e.name} ({e.type}); aliases: {', '.join(e.aliases) or 'none'}")
    return 0


@command(
    "entities rename",
    "give an entity another name",
    arg("key", help="the entity (key, name or alias)"),
    arg("name", nargs="+", help="its new name"),
)
def cmd_rename(args: argparse.Namespace, lib: Library) -> int:
    _ready(lib)
    e = lib.entities.rename(args.key, " ".join(args.name)).value
    out(f"Renamed: {e.name} ({e.key})")
    return 0


@command(
    "entities dismiss",
    "two entities offered as one are two: stop suggesting them",
    arg("key_a", metavar="KEY"),
    arg("key_b", metavar="KEY"),
)
def cmd_dismiss(args: argparse.Namespace, lib: Library) -> int:
    _ready(lib)
    a, b = lib.entities.get(args.key_a), lib.entities.get(args.key_b)
    lib.entities.dismiss(a.key, b.key)
    out(f"{a.name} and {b.name} are two entities; not suggested again ({UNDO})")
    return 0


@command("entities ignore", "put an entity on the stoplist", arg("key", metavar="KEY"))
def cmd_ignore(args: argparse.Namespace, lib: Library) -> int:
    _ready(lib)
    e = lib.entities.get(args.key)
    lib.entities.ignore(e.key)
    out(f"Ignored: {e.name} ({UNDO})")
    return 0


@command(
    "entities split",
    "make an alias an entity of its own",
    arg("key", metavar="KEY"),
    arg("alias", metavar="ALIAS"),
)
def cmd_split(args: argparse.Namespace, lib: Library) -> int:
    _ready(lib)
    e = lib.entities.split(args.key, args.alias).value
    out(f"Split off: {e.name} ({e.type}, key {e.key})")
    return 0


@command(
    "entities retype",
    "change an entity's type",
    arg("key", metavar="KEY"),
    arg("type", metavar="TYPE", help="PERSON, ORG, GPE, LOC, NORP, FAC or EVENT"),
)
def cmd_retype(args: argparse.Namespace, lib: Library) -> int:
    _ready(lib)
    e = lib.entities.retype(args.key, args.type).value
    out(f"Retyped: {e.name} is now {e.type}")
    return 0


@command(
    "entities add",
    "mark a span of a document as an entity",
    arg("id", help="a document id or any unique prefix of one"),
    arg("start", type=int, metavar="START", help="character offset where the name starts"),
    arg("end", type=int, metavar="END", help="character offset where it ends"),
    arg("type", metavar="TYPE", help="PERSON, ORG, GPE, LOC, NORP, FAC or EVENT"),
)
def cmd_add(args: argparse.Namespace, lib: Library) -> int:
    _ready(lib)
    e = lib.entities.add(args.id, args.start, args.end, args.type).value
    out(f"Added: {e.name} ({e.type})")
    return 0


@command(
    "entities undo",
    "remove one of your corrections",
    arg("correction_id", type=int, metavar="CORRECTION_ID"),
)
def cmd_undo(args: argparse.Namespace, lib: Library) -> int:
    _ready(lib)
    lib.entities.undo(args.correction_id)
    out(f"Correction {args.correction_id} removed")
    return 0


def with_show(argv: list[str], command_at: int) -> list[str]:
    """``entities ID`` is short for ``entities show ID``: insert the action name."""
    rest = argv[command_at + 1 :]
    verbs = COMMANDS["entities"].children
    if rest and not rest[0].startswith("-") and rest[0] not in verbs:
        return [*argv[: command_at + 1], "show", *rest]
    return argv
