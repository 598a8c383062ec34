"""Fixtures shared by the adversarial tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from workbench.core.library import Library

from ..support import CNN_LI_ZHANSHU


@pytest.fixture
def data(seeded_library_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the seeds' library, with a note on one of them."""
    data = tmp_path / "data"
    shutil.copytree(seeded_library_dir, data)
    with Library.open(data) as lib:
        lib.notes.add("On Li", anchors=[lib.notes.anchor_quote(CNN_LI_ZHANSHU, "Li Zhanshu")])
    return data
