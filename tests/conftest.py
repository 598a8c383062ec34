"""Test setup: offscreen Qt, and a data directory of its own for every test.

No test ever touches the developer's real library or notes.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from .support import SEEDS

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


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
        report = lib.entities.extract()
        assert report.processed == 5 and not report.cancelled
    return data


@pytest.fixture
def library_copy(entity_seeds_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the seeds with their entities (tests write settings, corrections, imports)."""
    dest = tmp_path / "library"
    shutil.copytree(entity_seeds_dir, dest)
    return dest
