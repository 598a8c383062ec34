"""The JSON backup of the user's work: every note (deleted ones too) and the entity
corrections. Importing it is idempotent: notes are matched by their ``uid`` and the
newer edit wins; a correction is added unless an identical one exists."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from .. import userdb
from .model import EXPORT_FORMAT, EXPORT_VERSION, Anchor, BadNotesFile, Note, NotesImport, now
from .store import NoteStore, clean_tags


def _all_notes(store: NoteStore) -> list[Note]:
    with store.lock:
        return store.load(store.db.execute("SELECT * FROM notes ORDER BY id").fetchall())


def backup_json(store: NoteStore) -> dict[str, Any]:
    """Everything the user made: all notes (deleted ones too) and entity corrections."""
    with store.lock:
        notes = _all_notes(store)
        shas = {
            (r[0], r[1]): r[2]
            for r in store.db.execute("SELECT note_id, position, doc_sha FROM anchors")
        }
        corrections = [dict(r) for r in store.db.execute("SELECT * FROM corrections ORDER BY id")]
    out = []
    for n in notes:
        data = n.to_json()
        for pos, a in enumerate(data["anchors"]):
            a["doc_sha"] = shas.get((n.id, pos), "")
        out.append(data)
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "schema": userdb.SCHEMA_VERSION,
        "exported": now(),
        "notes": out,
        "corrections": corrections,
    }


def restore_json(store: NoteStore, data: Any) -> NotesImport:
    """Merge a :func:`backup_json` document in, in one transaction. Idempotent.

    Notes are matched by ``uid``: a new one is added (keeping its id when free), a
    known one is replaced only if the backup's copy was edited later. Corrections
    are added unless an identical one (every column but ``id``) exists.
    """
    notes, corrections = _validate_backup(data)
    report = NotesImport()
    with store.transaction():
        for n in notes:
            _restore_note(store, n, report)
        report.corrections_added = _restore_corrections(store, corrections)
    return report


def _restore_note(store: NoteStore, n: dict[str, Any], report: NotesImport) -> None:
    anchors = [
        Anchor(
            str(a["doc_id"]),
            int(a.get("start", 0)),
            int(a.get("end", 0)),
            str(a.get("quote", "")),
            str(a.get("prefix", "")),
            str(a.get("suffix", "")),
            bool(a.get("orphaned", False)),
        )
        for a in n.get("anchors", [])
    ]
    shas = {str(a["doc_id"]): str(a.get("doc_sha", "")) for a in n.get("anchors", [])}
    tags = clean_tags(n.get("tags", []))
    row = store.db.execute("SELECT id, updated FROM notes WHERE uid = ?", (n["uid"],)).fetchone()
    if row is None:
        wanted = n.get("id")
        free = (
            isinstance(wanted, int)
            and not store.db.execute("SELECT 1 FROM notes WHERE id = ?", (wanted,)).fetchone()
        )
        cur = store.db.execute(
            "INSERT INTO notes(id, uid, body, created, updated, deleted) VALUES (?,?,?,?,?,?)",
            (
                wanted if free else None,
                n["uid"],
                n["body"],
                n["created"],
                n["updated"],
                n.get("deleted"),
            ),
        )
        note_id = int(cur.lastrowid or 0)
        report.added += 1
    elif str(n["updated"]) > row["updated"]:
        note_id = row["id"]
        store.db.execute(
            "UPDATE notes SET body = ?, created = ?, updated = ?, deleted = ? WHERE id = ?",
            (n["body"], n["created"], n["updated"], n.get("deleted"), note_id),
        )
        report.updated += 1
    else:
        report.unchanged += 1
        return
    store.set_tags(note_id, tags)
    store.set_anchors(note_id, anchors, shas)


def _restore_corrections(store: NoteStore, rows: list[dict[str, Any]]) -> int:
    columns = [r[1] for r in store.db.execute("PRAGMA table_info(corrections)")]
    data_cols = [c for c in columns if c != "id"]
    added = 0
    for row in rows:
        cols = [c for c in data_cols if c in row]
        if not cols:
            continue
        cond = " AND ".join(f'"{c}" IS ?' for c in cols)
        if store.db.execute(
            f"SELECT 1 FROM corrections WHERE {cond}", [row[c] for c in cols]
        ).fetchone():
            continue
        wanted = row.get("id")
        if (
            isinstance(wanted, int)
            and not store.db.execute("SELECT 1 FROM corrections WHERE id = ?", (wanted,)).fetchone()
        ):
            cols = ["id", *cols]
        names = ",".join(f'"{c}"' for c in cols)
        try:
            store.db.execute(
                f"INSERT INTO corrections({names}) VALUES ({','.join('?' * len(cols))})",
                [row[c] for c in cols],
            )
        except sqlite3.IntegrityError as exc:
            raise BadNotesFile(
                f"an entity correction in the backup does not fit this Workbench: {exc}"
            ) from None
        added += 1
    return added


def _validate_backup(data: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise BadNotesFile(
            "this is not a Workbench notes backup (made by 'workbench notes export --format json')"
        )
    if int(data.get("version", 0)) > EXPORT_VERSION:
        raise BadNotesFile(
            f"this notes backup is from a newer Workbench (format {data.get('version')}); please update Workbench"
        )
    notes = data.get("notes", [])
    corrections = data.get("corrections", [])
    if not isinstance(notes, list) or not isinstance(corrections, list):
        raise BadNotesFile("the notes backup is damaged: 'notes' and 'corrections' must be lists")
    for i, n in enumerate(notes, 1):
        ok = (
            isinstance(n, dict)
            and isinstance(n.get("uid"), str)
            and n["uid"]
            and isinstance(n.get("body"), str)
            and isinstance(n.get("created"), str)
            and isinstance(n.get("updated"), str)
            and isinstance(n.get("anchors", []), list)
            and isinstance(n.get("tags", []), list)
            and all(
                isinstance(a, dict) and isinstance(a.get("doc_id"), str)
                for a in n.get("anchors", [])
            )
        )
        if not ok:
            raise BadNotesFile(
                f"the notes backup is damaged: note {i} lacks uid, body, created, updated or a valid anchor"
            )
    if not all(isinstance(c, dict) for c in corrections):
        raise BadNotesFile("the notes backup is damaged: a correction is not an object")
    return notes, corrections


def read_backup(path: Path) -> Any:
    """The JSON document in a notes backup file, or :class:`BadNotesFile`."""
    try:
        return json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise BadNotesFile(f"no such file: {path}") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise BadNotesFile(f"{path} is not a Workbench notes backup (not JSON: {exc})") from None
