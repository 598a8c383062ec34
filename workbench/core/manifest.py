"""``library.json``: the folders and files the user added, and the id given to each path.

Ids never move once given (notes anchor on them): a file keeps its id for as long as the
manifest lives. An id is the file's stem; a stem already taken gets ``-2``, ``-3``, ...
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .files import cannot_write, write_text_atomic

MANIFEST = "library.json"
MANIFEST_VERSION = 1


class Manifest:
    """The added roots and the path -> id map, read from and written to ``library.json``."""

    def __init__(self, root: Path, on_notice: Callable[[str], None]) -> None:
        self.path = root / MANIFEST
        self._notice = on_notice
        self._said_reset = False
        self._data = self._read()
        self.changed = False

    def _read(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text("utf-8"))
            if isinstance(data, dict) and isinstance(data.get("ids"), dict):
                data.setdefault("roots", [])
                return data
        except FileNotFoundError:
            pass
        except (OSError, ValueError):
            if not self._said_reset:
                self._said_reset = True
                self._notice(
                    f"The list of added folders ({self.path}) was unreadable and has been "
                    "reset; document ids are taken from the index."
                )
        return {"version": MANIFEST_VERSION, "roots": [], "ids": {}}

    def reload(self) -> None:
        """Read the file again (another process may have imported since)."""
        self._data = self._read()
        self.changed = not self.path.exists()

    def write(self) -> None:
        # ASCII JSON: a path that is not valid UTF-8 (kept with surrogate escapes) still
        # round-trips exactly.
        try:
            write_text_atomic(self.path, json.dumps(self._data, indent=1, ensure_ascii=True))
        except OSError as exc:  # the old file is intact: written whole or not at all
            refused = cannot_write(exc, "the list of added folders", self.path)
            if refused is None:
                raise
            raise refused from None
        self.changed = False

    def adopt(self, known: dict[str, str]) -> None:
        """Take in path -> id pairs the index holds and this map lacks (a lost or damaged
        ``library.json``), so that no id the index holds is ever handed out again."""
        ids: dict[str, str] = self._data["ids"]
        for path, doc_id in known.items():
            if path not in ids:
                ids[path] = doc_id
                self.changed = True

    @property
    def roots(self) -> list[str]:
        """The folders and files the user has added."""
        return list(self._data["roots"])

    def add_root(self, root: str) -> None:
        if root not in self._data["roots"]:
            self._data["roots"].append(root)
            self.changed = True

    def taken_ids(self) -> set[str]:
        return set(self._data["ids"].values())

    def assign_id(self, path: str, taken: set[str]) -> str:
        """The id of ``path``, a new one if it has none; ``taken`` holds the ids handed out
        (passed in and kept up to date: building it per file made imports quadratic)."""
        ids: dict[str, str] = self._data["ids"]
        if path in ids:
            return ids[path]
        # A file name that is not valid UTF-8 gives a readable id ("caf�"); its path is
        # kept exactly.
        stem = Path(path).stem.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        candidate, n = stem, 1
        while candidate in taken:
            n += 1
            candidate = f"{stem}-{n}"
        ids[path] = candidate
        taken.add(candidate)
        self.changed = True
        return candidate
