"""Where Workbench keeps its files: the user data directory and the bundled seeds.

The data directory is chosen, in order, by an explicit ``--data-dir``, the
``WORKBENCH_DATA_DIR`` environment variable, a portable marker beside a frozen
executable (a file named ``portable``: data then lives in ``WorkbenchData`` beside it),
and finally the platform's user data directory from platformdirs.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "Workbench"
ENV_DATA_DIR = "WORKBENCH_DATA_DIR"


def _frozen_root() -> Path | None:
    """The folder of a PyInstaller bundle's executable, or None when not frozen."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return None


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Return (and create) the directory holding the index, caches and notes."""
    if explicit:
        path = Path(explicit)
    elif os.environ.get(ENV_DATA_DIR):
        path = Path(os.environ[ENV_DATA_DIR])
    else:
        frozen = _frozen_root()
        if frozen is not None and (frozen / "portable").exists():
            path = frozen / "WorkbenchData"
        else:
            path = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path = path.expanduser()
    path.mkdir(parents=True, exist_ok=True)
    return path


def resource_root() -> Path:
    """The folder holding ``seeds/`` and ``resources/``: the bundle when frozen, else the repo."""
    meipass = getattr(sys, "_MEIPASS", None)
    if meipass:
        return Path(meipass)
    return Path(__file__).resolve().parents[2]


def seeds_dir() -> Path:
    """The bundled default corpus."""
    return resource_root() / "seeds"


def resources_dir() -> Path:
    """Icons, stylesheet and desktop file."""
    return resource_root() / "resources"
