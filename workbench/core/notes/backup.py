"""The JSON backup of the user's work: every note (deleted ones too) and the entity
corrections. Importing it is idempotent: notes are matched by their ``uid`` and the
newer edit wins; a correction is added unless an identical one exists."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .. import userdb
from .model import EXPORT_FORMAT, EXPORT_VERSION, Anchor, BadNotesFile, Note, NotesImport, now
from .schema import BackupCorrection, BackupNote, load_json, parse_backup
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

    The whole document is checked first (:func:`~.schema.parse_backup`): one that does
    not fit is refused in one line naming the first wrong field, and nothing is stored.
    Notes are matched by ``uid``: a new one is added (keeping its id when free), a
    known one is replaced only if the backup's copy was edited later. Corrections
    are added unless an identical one (every column but ``id``) exists.
    """
    backup = parse_backup(data)
    report = NotesImport()
    with store.transaction("the imported notes"):
        for note in backup.notes:
            _restore_note(store, note, report)
        report.corrections_added = _restore_corrections(store, backup.corrections)
    return report


def _restore_note(store: NoteStore, n: BackupNote, report: NotesImport) -> None:
    anchors = [
        Anchor(a.doc_id, a.start, a.end, a.quote, a.prefix, a.suffix, a.orphaned) for a in n.anchors
    ]
    shas = {a.doc_id: a.doc_sha for a in n.anchors}
    row = store.db.execute("SELECT id, updated FROM notes WHERE uid = ?", (n.uid,)).fetchone()
    if row is None:
        free = (
            n.id is not None
            and not store.db.execute("SELECT 1 FROM notes WHERE id = ?", (n.id,)).fetchone()
        )
        cur = store.db.execute(
            "INSERT INTO notes(id, uid, body, created, updated, deleted) VALUES (?,?,?,?,?,?)",
            (n.id if free else None, n.uid, n.body, n.created, n.updated, n.deleted),
        )
        note_id = int(cur.lastrowid or 0)
        report.added += 1
    elif n.updated > row["updated"]:
        note_id = row["id"]
        store.db.execute(
            "UPDATE notes SET body = ?, created = ?, updated = ?, deleted = ? WHERE id = ?",
            (n.body, n.created, n.updated, n.deleted, note_id),
        )
        report.updated += 1
    else:
        report.unchanged += 1
        return
    store.set_tags(note_id, clean_tags(n.tags))
    store.set_anchors(note_id, anchors, shas)


def _restore_corrections(store: NoteStore, corrections: list[BackupCorrection]) -> int:
    added = 0
    for c in corrections:
        row: dict[str, object] = {"kind": c.kind, "payload": c.payload}
        if c.created is not None:
            row["created"] = c.created
        cond = " AND ".join(f'"{name}" IS ?' for name in row)
        if store.db.execute(
            f"SELECT 1 FROM corrections WHERE {cond}", list(row.values())
        ).fetchone():
            continue
        if (
            c.id is not None
            and not store.db.execute("SELECT 1 FROM corrections WHERE id = ?", (c.id,)).fetchone()
        ):
            row = {"id": c.id, **row}
        names = ",".join(f'"{name}"' for name in row)
        store.db.execute(
            f"INSERT INTO corrections({names}) VALUES ({','.join('?' * len(row))})",
            list(row.values()),
        )
        added += 1
    return added


def read_backup(path: Path) -> Any:
    """The JSON document in a notes backup file, or :class:`BadNotesFile` in one line."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise BadNotesFile(f"no such file: {path}") from None
    except OSError as exc:
        raise BadNotesFile(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        return load_json(raw)
    except ValueError as exc:
        raise BadNotesFile(f"{path} is not a Workbench notes backup (not JSON: {exc})") from None
