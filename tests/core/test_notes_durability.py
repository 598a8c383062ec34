"""Notes survive real processes being killed, running at once, damaged files and newer files.

Every test here runs real ``python`` processes against a real data directory. The
writer prints a note's id only after ``add_note`` returned (i.e. after COMMIT), so each
printed id is a promise that the note is saved.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from workbench.core import userdb

from ..support import CNN_TRANSLATION, REPO

WRITER = """
import sys
from workbench.core.library import Library

data, tag, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
with Library.open(data) as lib:
    i = 0
    while count < 0 or i < count:
        # Two tags per note: a note is only whole with both (tags live in other tables).
        note = lib.notes.add(f"{tag} note {i}: " + "words " * (i % 50), tags=[tag, f"n{i % 5}"]).value
        print(note.id, flush=True)
        i += 1
"""


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _writer(data: Path, tag: str, count: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(data), tag, str(count)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
        cwd=REPO,
    )


def _check(data: Path, promised: set[int]) -> dict[int, set[str]]:
    """Integrity ok, every promised note present and whole; the notes with their tags."""
    db = sqlite3.connect(userdb.db_path(data))
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        tags: dict[int, set[str]] = {}
        for note_id, name in db.execute(
            "SELECT n.id, t.name FROM notes n LEFT JOIN note_tags nt ON nt.note_id = n.id "
            "LEFT JOIN tags t ON t.id = nt.tag_id"
        ):
            tags.setdefault(note_id, set())
            if name is not None:
                tags[note_id].add(name)
    finally:
        db.close()
    missing = promised - set(tags)
    assert not missing, f"notes reported saved but lost: {sorted(missing)[:10]}"
    half = {i: t for i, t in tags.items() if len(t) != 2}
    assert not half, f"notes saved without their tags: {half}"
    return tags


def test_sigkill_at_random_moments_never_loses_a_saved_note(tmp_path: Path) -> None:
    data = tmp_path / "data"
    seed = int.from_bytes(os.urandom(4), "big")
    rng = random.Random(seed)
    promised: set[int] = set()
    for round_ in range(15):
        proc = _writer(data, f"round{round_}", -1)
        assert proc.stdout is not None
        # Kill after a random number of saved notes: the writer is then somewhere in
        # the next add_note (building it, inside the transaction, committing, printing).
        for _ in range(rng.randint(1, 25)):
            line = proc.stdout.readline()
            assert line, (
                f"writer died early (seed {seed}): {proc.stderr.read() if proc.stderr else ''}"
            )
            promised.add(int(line))
        proc.send_signal(signal.SIGKILL)
        # Whatever it printed before dying was also saved.
        promised.update(int(x) for x in proc.stdout.read().split())
        proc.wait()
        proc.stdout.close()
        if proc.stderr:
            proc.stderr.close()
        assert proc.returncode == -signal.SIGKILL
        _check(data, promised)
    assert len(promised) >= 15


def test_two_processes_adding_at_once_lose_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    procs = {tag: _writer(data, tag, 60) for tag in ("alpha", "beta")}
    ids: dict[str, set[int]] = {}
    for tag, proc in procs.items():
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        ids[tag] = {int(x) for x in out.split()}
    assert len(ids["alpha"]) == len(ids["beta"]) == 60
    assert not ids["alpha"] & ids["beta"]
    tags = _check(data, ids["alpha"] | ids["beta"])
    assert len(tags) == 120
    assert {i for i, t in tags.items() if "alpha" in t} == ids["alpha"]


def _cli(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "workbench.cli", "--data-dir", str(data), *args],
        capture_output=True,
        text=True,
        env=_env(),
        cwd=REPO,
        timeout=60,
    )


def test_a_corrupt_database_is_moved_aside_and_the_app_still_starts(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    garbage = os.urandom(64 * 1024)
    userdb.db_path(data).write_bytes(garbage)

    run = _cli(data, "notes", "list")
    assert run.returncode == 0, run.stderr
    assert "0 notes" in run.stdout
    assert "damaged" in run.stderr and "moved to" in run.stderr and "Traceback" not in run.stderr
    moved = [p for p in data.glob("*.corrupt-*") if not p.name.endswith(("-wal", "-shm"))]
    assert len(moved) == 1 and moved[0].read_bytes() == garbage
    # The new database works: a note can be saved and read back by another process.
    assert (
        _cli(data, "notes", "add", "x", "--text", "t").returncode == 2
    )  # no such document: exit 2
    assert _cli(data, "notes", "import", str(tmp_path / "none.json")).returncode == 2


def test_a_newer_database_is_refused_unchanged_by_the_cli(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    db = userdb.connect(data)
    db.execute(
        "INSERT INTO notes(uid, body, created, updated) VALUES ('u', 'from the future', 'a', 'a')"
    )
    db.execute(f"PRAGMA user_version = {userdb.SCHEMA_VERSION + 1}")
    db.close()
    path = userdb.db_path(data)
    before = path.read_bytes()
    for args in (
        ("notes", "list"),
        ("notes", "add", "x", "--text", "t"),
        ("notes", "import", "x.json"),
    ):
        run = _cli(data, *args)
        assert (
            run.returncode == 1
            and "newer Workbench" in run.stderr
            and "Traceback" not in run.stderr
        )
    assert path.read_bytes() == before
    assert sorted(p.name for p in data.iterdir() if p.name.startswith(userdb.DB_NAME)) == [
        userdb.DB_NAME
    ]


def test_reimporting_a_changed_seed_from_the_cli_moves_or_orphans_anchors(tmp_path: Path) -> None:
    data, seeds = tmp_path / "data", tmp_path / "seeds"
    shutil.copytree(REPO / "seeds", seeds)
    for f in seeds.iterdir():
        f.chmod(0o644)
    assert _cli(data, "index", "--no-entities", str(seeds)).returncode == 0
    for quote in (
        "In a lengthy 7,000-word joint statement",
        "considering it a destabilizing factor and an aggressor",
    ):
        run = _cli(data, "notes", "add", CNN_TRANSLATION, "--text", quote[:10], "--quote", quote)
        assert run.returncode == 0, run.stderr
    path = seeds / f"{CNN_TRANSLATION}.txt"
    raw = path.read_text("utf-8").replace("They promised", "Added by an editor. They promised")
    path.write_text(
        raw.replace("considering it a destabilizing factor and an aggressor", "calling it names"),
        "utf-8",
    )
    run = _cli(data, "index", "--no-entities")
    assert (
        run.returncode == 0
        and "1 followed their moved text" in run.stderr
        and "1 orphaned" in run.stderr
    )
    listed = json.loads(_cli(data, "notes", "list", CNN_TRANSLATION, "--json").stdout)
    state = {n["anchors"][0]["quote"]: n["anchors"][0] for n in listed}
    text = json.loads(_cli(data, "show", CNN_TRANSLATION, "--json").stdout)["text"]
    moved = state["In a lengthy 7,000-word joint statement"]
    assert not moved["orphaned"] and text[moved["start"] : moved["end"]] == moved["quote"]
    assert state["considering it a destabilizing factor and an aggressor"]["orphaned"]
