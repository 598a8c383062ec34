"""Notes written out: Markdown grouped by document, CSV with one row per note and
anchor, or the JSON backup (:mod:`.backup`)."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import UserError
from ..files import cannot_write, write_atomic, write_text_atomic
from ..readers.base import label_of
from ..spreadsheet import safe_frame
from .backup import backup_json
from .model import FORMATS, Anchor, Note, now
from .store import NoteStore

Sections = Mapping[str, Sequence[tuple[int, str]]]
"""Pages or chapters of the anchored documents that have them, by document id."""
Speakers = Mapping[tuple[str, int, int], str]
"""Whose words an anchored passage is, by (document, start, end), where it is a quote's."""


def _page(sections: Sections, a: Anchor) -> str:
    """The page or chapter an anchor starts on ("p. 4"), or ""."""
    return label_of(a.start, sections.get(a.doc_id, ())) or "" if a.quote else ""


def _frame(
    notes: Sequence[Note], titles: Mapping[str, str], sections: Sections, speakers: Speakers
) -> Any:
    import pandas as pd

    rows = []
    for n in notes:
        base = {
            "note_id": n.id,
            "created": n.created,
            "updated": n.updated,
            "tags": "; ".join(n.tags),
            "body": n.body,
        }
        slots: list[Anchor | None] = list(n.anchors) or [None]
        for a in slots:
            rows.append(
                {
                    **base,
                    "doc_id": a.doc_id if a else "",
                    "doc_title": titles.get(a.doc_id, "") if a else "",
                    "start": a.start if a else None,
                    "end": a.end if a else None,
                    "page": _page(sections, a) if a else "",
                    "quote": a.quote if a else "",
                    "prefix": a.prefix if a else "",
                    "suffix": a.suffix if a else "",
                    "orphaned": a.orphaned if a else False,
                    "words_of": speakers.get((a.doc_id, a.start, a.end), "") if a else "",
                }
            )
    columns = [
        "note_id",
        "created",
        "updated",
        "tags",
        "body",
        "doc_id",
        "doc_title",
        "start",
        "end",
        "page",
        "quote",
        "prefix",
        "suffix",
        "orphaned",
        "words_of",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype({"start": "Int64", "end": "Int64"})


def to_markdown(
    notes: Sequence[Note],
    titles: Mapping[str, str],
    sections: Sections | None = None,
    speakers: Speakers | None = None,
) -> str:
    """Notes grouped by document, each with its quotes, where they are, and whose words
    they are where a passage lies within a quote."""
    by_doc: dict[str, list[Note]] = {}
    loose: list[Note] = []
    for n in notes:
        for d in n.doc_ids:
            by_doc.setdefault(d, []).append(n)
        if not n.anchors:
            loose.append(n)
    lines = [
        "# Research notes",
        "",
        f"{len(notes)} notes, exported {now()[:16].replace('T', ' ')} UTC.",
        "",
    ]

    def note_block(n: Note, doc_id: str | None) -> None:
        tags = " ".join(f"`#{t}`" for t in n.tags)
        lines.append(f"### Note {n.id} · {n.updated[:10]}" + (f" · {tags}" if tags else ""))
        lines.append("")
        # This document's passages first, then the other side of a comparison note.
        for a in sorted(n.anchors, key=lambda a: a.doc_id != doc_id):
            if doc_id is not None and a.doc_id != doc_id:
                lines.append(
                    f"*Compared with* {titles.get(a.doc_id, a.doc_id)} (`{a.doc_id}`)"
                    + (f": “{a.quote}”" if a.quote else "")
                )
                lines.append("")
                continue
            if a.whole_document:
                lines.append("*On the whole document.*")
            else:
                quote = "\n> ".join(a.quote.split("\n"))
                lines.append(f"> {quote}")
                lines.append(">")
                page = _page(sections or {}, a)
                where = f"{page} · " if page else ""
                where += f"characters {a.start}–{a.end}"
                who = (speakers or {}).get((a.doc_id, a.start, a.end))
                where += f" · words of {who}" if who else ""
                lines.append(
                    f"> — {where}"
                    + (
                        " · **orphaned**: this passage is no longer in the document"
                        if a.orphaned
                        else ""
                    )
                )
            lines.append("")
        if n.body.strip():
            lines.append(n.body.strip())
            lines.append("")

    for doc_id in sorted(by_doc, key=lambda d: (titles.get(d, d).casefold(), d)):
        lines.append(f"## {titles.get(doc_id, doc_id)}")
        lines.append("")
        lines.append(f"`{doc_id}`" + ("" if doc_id in titles else " (no longer in the library)"))
        lines.append("")
        for n in sorted(
            by_doc[doc_id],
            key=lambda n: (min(a.start for a in n.anchors if a.doc_id == doc_id), n.id),
        ):
            note_block(n, doc_id)
    if loose:
        lines += ["## Notes not tied to a document", ""]
        for n in loose:
            note_block(n, None)
    return "\n".join(lines).rstrip() + "\n"


def export(
    store: NoteStore,
    path: Path,
    fmt: str | None,
    titles: Mapping[str, str],
    sections: Sections | None = None,
    speakers: Callable[[Sequence[Note]], Speakers] | None = None,
) -> int:
    """Write the notes to ``path`` as md, csv or json (default: from the suffix). Returns a
    count. ``speakers`` says whose words the anchored passages are (md and csv)."""
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    fmt = {"markdown": "md", "jsn": "json"}.get(fmt, fmt)
    if fmt not in FORMATS:
        raise UserError(f"unknown notes format '{fmt}': use one of {', '.join(FORMATS)}")
    try:
        if fmt == "json":
            data = backup_json(store)
            text = json.dumps(data, ensure_ascii=False, indent=1)
            write_text_atomic(path, text)
            return len(data["notes"])
        notes = store.query()
        said = speakers(notes) if speakers is not None else {}
        if fmt == "md":
            text = to_markdown(notes, titles, sections, said)
            write_text_atomic(path, text)
        else:
            # No cell a spreadsheet would run.
            frame = safe_frame(_frame(notes, titles, sections or {}, said))
            write_atomic(path, lambda p: frame.to_csv(p, index=False, quoting=csv.QUOTE_NONNUMERIC))
    except OSError as exc:  # the file is written whole or not at all: nothing is lost
        raise cannot_write(exc, "the export", path) or UserError(
            f"cannot write {path}: {exc.strerror or exc}"
        ) from None
    return len(notes)
