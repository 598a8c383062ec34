"""Hostile and damaged ``notes import`` files: refused in one line naming the first wrong
field, with nothing stored; a fuzzer feeds it arbitrary JSON and mutations of a real
backup. The notes are on the seed articles."""

from __future__ import annotations

import copy
import json
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.cli import main
from workbench.core import userdb
from workbench.core.library import Library
from workbench.core.notes import BadNotesFile

from ..support import CNN_LI_ZHANSHU

RENAME = {"key": "xi jinping", "old_name": "Xi Jinping", "name": "President Xi"}


def _snapshot(data: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the user's tables, read from the file as committed."""
    db = sqlite3.connect(userdb.db_path(data))
    try:
        return {
            table: db.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
            for table in ("notes", "anchors", "tags", "note_tags", "corrections")
        }
    finally:
        db.close()


@pytest.fixture
def library(seeded_library_dir: Path, tmp_path: Path) -> Iterator[tuple[Path, dict[str, Any]]]:
    """A library with two notes and a correction, and a valid backup of them."""
    data = tmp_path / "data"
    shutil.copytree(seeded_library_dir, data)
    with Library.open(data) as lib:
        notes = lib.notes
        notes.add(
            "On Li", tags=["china"], anchors=[notes.anchor_quote(CNN_LI_ZHANSHU, "Li Zhanshu")]
        )
        notes.add("Whole article", anchors=[notes.make_anchor(CNN_LI_ZHANSHU)])
        with lib.db.transaction() as db:
            db.execute(
                "INSERT INTO corrections(kind, payload) VALUES ('rename', ?)", (json.dumps(RENAME),)
            )
        backup = tmp_path / "backup.json"
        notes.export(backup, "json")
    yield data, json.loads(backup.read_text("utf-8"))


def _set(path: tuple[Any, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        target: Any = doc
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value

    return change


def _new_note(**fields: Any) -> Callable[[dict[str, Any]], None]:
    """A note the library does not have yet (so it would be inserted), with ``fields``."""

    def change(doc: dict[str, Any]) -> None:
        note = copy.deepcopy(doc["notes"][0])
        note.update(uid="a-new-note", **fields)
        doc["notes"].append(note)

    return change


def _correction(kind: str, payload: Any) -> Callable[[dict[str, Any]], None]:
    text = payload if isinstance(payload, str) else json.dumps(payload)
    return lambda doc: doc["corrections"].append(
        {"kind": kind, "payload": text, "created": "2024-05-01T10:00:00.000Z"}
    )


ANCHOR_START = ("notes", 0, "anchors", 0, "start")
CASES: dict[str, tuple[Callable[[dict[str, Any]], None], str]] = {
    "version as text": (_set(("version",), "1"), "version"),
    "version null": (_set(("version",), None), "version"),
    "version a list": (_set(("version",), [1]), "version"),
    "start as text": (_set(ANCHOR_START, "5"), "notes[0].anchors[0].start"),
    "start null": (_set(ANCHOR_START, None), "notes[0].anchors[0].start"),
    "start 2**80": (_set(ANCHOR_START, 2**80), "notes[0].anchors[0].start"),
    "end before start": (_set(("notes", 0, "anchors", 0, "end"), 0), "notes[0].anchors[0]"),
    "note id 2**70": (_new_note(id=2**70), "notes[2].id"),
    # An id at SQLite's limit would leave no id for the next note ("database is full").
    "note id 2**63-1": (_new_note(id=2**63 - 1), "notes[2].id"),
    "deleted an object": (_new_note(deleted={"when": "now"}), "notes[2].deleted"),
    "updated not a time": (_new_note(updated="tomorrow"), "notes[2].updated"),
    "tags not a list": (_new_note(tags="china"), "notes[2].tags"),
    "merge keys a number": (_correction("merge", {"keys": 5}), "corrections[1].payload"),
    "add without a span": (
        _correction("add", {"doc_id": "x", "text": "Li", "type": "PERSON"}),
        "corrections[1].payload",
    ),
    "retype to no type": (
        _correction("retype", {"key": "li", "type": "WIZARD"}),
        "corrections[1].payload",
    ),
    "payload not JSON": (_correction("rename", "{not json"), "corrections[1].payload"),
    "payload a list": (_correction("ignore", ["li"]), "corrections[1].payload"),
    "unknown kind": (_correction("explode", {"key": "li"}), "corrections[1].kind"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_hostile_backup_is_refused_in_one_line_naming_the_field_and_stores_nothing(
    library: tuple[Path, dict[str, Any]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    case: str,
) -> None:
    data, backup = library
    change, field = CASES[case]
    doc = copy.deepcopy(backup)
    change(doc)
    hostile = tmp_path / "hostile.json"
    hostile.write_text(json.dumps(doc), "utf-8")
    before = _snapshot(data)
    code = main(["--data-dir", str(data), "notes", "import", str(hostile)])
    out, err = capsys.readouterr()
    assert code == 2 and out == "", err
    assert err.count("\n") == 1 and "Traceback" not in err and "unexpected" not in err, err
    assert f" {field}" in err and "nothing was changed" in err, err
    assert _snapshot(data) == before


@pytest.mark.parametrize(
    "raw",
    [
        "[" * 100_000 + "]" * 100_000,  # RecursionError in the standard library's parser
        '{"format": "workbench-notes", "version": 1, "notes": [{"body": "\\ud800"}]}',
        b'{"format": "workbench-notes", "version": 1, "notes": [{"body": "caf\xe9"}]}',
    ],
    ids=["nested 100,000 deep", "half a surrogate pair", "not UTF-8"],
)
def test_a_file_that_is_not_sound_json_is_refused_in_one_line(
    library: tuple[Path, dict[str, Any]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    raw: str | bytes,
) -> None:
    data, _ = library
    hostile = tmp_path / "hostile.json"
    if isinstance(raw, str):
        hostile.write_text(raw, "utf-8")
    else:
        hostile.write_bytes(raw)
    before = _snapshot(data)
    code = main(["--data-dir", str(data), "notes", "import", str(hostile)])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "not JSON" in err, err
    assert _snapshot(data) == before


# --------------------------------------------------------------------------- fuzzing

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=False)
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def _paths(value: Any, at: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every place in a JSON document (the root excluded)."""
    items = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else ()
    )
    for key, child in items:
        yield (*at, key)
        yield from _paths(child, (*at, key))


@st.composite
def mutated_backups(draw: st.DrawFn, backup: dict[str, Any]) -> Any:
    """A real backup with one place changed: replaced by any JSON, removed, or a new note
    copied from one whose field is replaced (so that it would be inserted)."""
    doc = copy.deepcopy(backup)
    if draw(st.booleans()):
        note = copy.deepcopy(doc["notes"][0])
        note["uid"] = draw(st.text(min_size=1, max_size=12))
        doc["notes"].append(note)
    places = list(_paths(doc))
    where = draw(st.sampled_from(places))
    parent: Any = doc
    for step in where[:-1]:
        parent = parent[step]
    if draw(st.integers(0, 3)) == 0:
        del parent[where[-1]]
    else:
        parent[where[-1]] = draw(JSON_VALUES)
    return doc


def test_fuzzed_backups_are_imported_or_refused_in_one_line_storing_nothing(
    library: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    data, backup = library
    target = tmp_path / "fuzzed.json"
    with Library.open(data) as lib:
        lib.open_user_data()

        @settings(
            max_examples=150,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        )
        @given(doc=st.one_of(mutated_backups(backup), JSON_VALUES))
        def check(doc: Any) -> None:
            target.write_text(json.dumps(doc), "utf-8")
            before = _snapshot(data)
            try:
                lib.notes.import_backup(target)
            except BadNotesFile as exc:
                assert "\n" not in str(exc)
                assert _snapshot(data) == before
                return
            # Imported: the notes are whole, readable and exportable.
            db = sqlite3.connect(userdb.db_path(data))
            try:
                assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                assert db.execute("PRAGMA foreign_key_check").fetchall() == []
            finally:
                db.close()
            lib.notes.query()
            lib.notes.export(tmp_path / "out.csv")

        check()


def test_the_backup_schema_knows_every_kind_of_correction() -> None:
    from workbench.core.entities import CORRECTION_KINDS
    from workbench.core.notes.schema import PAYLOADS

    assert set(PAYLOADS) == set(CORRECTION_KINDS)
