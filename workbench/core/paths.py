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

from .errors import WorkbenchError

APP_NAME = "Workbench"
ENV_DATA_DIR = "WORKBENCH_DATA_DIR"


def _frozen_root() -> Path | None:
    """The folder of a PyInstaller bundle's executable, or None when not frozen."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return None


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Return (and create) the directory holding the index, caches and notes; a path
    that is not a folder, or cannot be made one, is refused in one line."""
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
    if path.exists() and not path.is_dir():
        raise WorkbenchError(
            f"the data directory {path} is not a folder: give --data-dir (or {ENV_DATA_DIR}) a "
            "folder, new or one Workbench made"
        )
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WorkbenchError(
            f"cannot make the data directory {path}: {exc.strerror or exc}"
            + (f" ({os.fsdecode(exc.filename)})" if exc.filename else "")
        ) from None
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
