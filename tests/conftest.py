"""Test setup: offscreen Qt, and a data directory of its own for every test.

No test ever touches the developer's real library or notes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
BBC = REPO.parent / "shared" / "corpora" / "bbc-news"

# Seed ids, by what they are about (the ids are the file stems).
PUTIN_IMMUNITY = "000_36ed9beff64b8754"
FRATERNIZATION = "001_5cd9a95bfabd7cde"
CNN_RETELLING_BOL = "002_e261c8b2c0199bff"
CNN_TRANSLATION = "003_cd31678b99444365"
CNN_LI_ZHANSHU = "004_fd0841c764a90927"


@pytest.fixture(autouse=True)
def _isolated_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = tmp_path_factory.mktemp("userdirs")
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(base / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(base / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(base / "share"))
    monkeypatch.setenv("HOME", str(base / "home"))


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """A writable copy of the seed articles."""
    dest = tmp_path / "seeds"
    shutil.copytree(SEEDS, dest)
    for f in dest.iterdir():
        f.chmod(0o644)
    return dest


@pytest.fixture(scope="session")
def seeded_library_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory with the seeds indexed once per session (read-only use)."""
    from workbench.core.library import Library

    data = tmp_path_factory.mktemp("seeded")
    with Library.open(data) as lib:
        lib.add_seeds()
    return data


@pytest.fixture
def seeded(seeded_library_dir: Path):
    from workbench.core.library import Library

    with Library.open(seeded_library_dir) as lib:
        yield lib


_RACE_PREAMBLE = """
import os as _os, sys as _sys, time as _time

def wait_for_go():
    print("ready", flush=True)
    while not _os.path.exists(_sys.argv[1]):
        _time.sleep(0.0005)
"""


def run_at_once(script: str, argvs: list[list[str]], go: Path) -> list[str]:
    """Run ``python -c script`` once per argv, the processes racing from the same instant.

    The script calls ``wait_for_go()`` when it is ready to race (imports done); all are
    released together once every one is waiting. Its own arguments start at
    ``sys.argv[2]``. Asserts each exits 0; returns what each printed after "ready", stripped.
    """
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _RACE_PREAMBLE + script, str(go), *argv],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=REPO,
        )
        for argv in argvs
    ]
    for proc in procs:
        assert proc.stdout is not None and proc.stdout.readline() == "ready\n", proc.communicate()[
            1
        ]
    go.touch()
    said = []
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        said.append(out.strip())
    return said


def bbc_files(category: str, n: int) -> list[Path]:
    """The first ``n`` BBC articles of a category, in name order."""
    return sorted((BBC / category).glob("*.txt"))[:n]


@pytest.fixture(scope="session")
def entity_seeds_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds indexed and their entities extracted, once per session (read-only use).

    Loading spaCy and running NER costs seconds: entity tests share this directory, or a
    copy of it (whose entity cache then spares them the model).
    """
    from workbench.core.library import Library

    data = tmp_path_factory.mktemp("entity-seeds")
    with Library.open(data) as lib:
        lib.add_seeds()
        report = lib.extract_entities()
        assert report.processed == 5 and not report.cancelled
    return data


# --------------------------------------------------------------------------- GUI fixtures


@pytest.fixture
def library_copy(entity_seeds_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the seeds with their entities (tests write settings, corrections, imports)."""
    dest = tmp_path / "library"
    shutil.copytree(entity_seeds_dir, dest)
    return dest


@pytest.fixture
def window(qtbot, library_copy: Path):
    """A started window over a private copy of the entity library; closed (no thread left) after."""
    from .gui_support import close_window, started_window

    win = started_window(qtbot, library_copy)
    yield win
    close_window(win)
