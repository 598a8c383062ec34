"""The NER cache: the model's raw spans per (hash of the text, model id), in the
rebuildable ``entities-cache.sqlite3`` (see :mod:`.cachedb`). An unchanged document is
never processed twice, whatever happens to the index or the library around it."""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from .cachedb import CacheFile, CachePart, CacheRebuilt
from .records import RawSpan

NER_CACHE = "entities-cache.sqlite3"
CACHE_FORMAT = 2  # 2: every label is cached, not only ENTITY_TYPES
_LOOKUP_BATCH = 500

NER_PART = CachePart(
    "ner",
    CACHE_FORMAT,
    (
        "CREATE TABLE IF NOT EXISTS ner (hash TEXT NOT NULL, model TEXT NOT NULL, "
        "spans TEXT NOT NULL, PRIMARY KEY (hash, model)) WITHOUT ROWID",
        # Texts the model failed on (skipped, with the reason), until the model changes.
        "CREATE TABLE IF NOT EXISTS ner_failed (hash TEXT NOT NULL, model TEXT NOT NULL, "
        "reason TEXT NOT NULL, PRIMARY KEY (hash, model)) WITHOUT ROWID",
    ),
    ("ner", "ner_failed"),
    meta_key="format",
    rebuilt="Entities will be extracted again.",
    check="SELECT count(*) FROM ner",
)


@functools.lru_cache(maxsize=65536)
def text_hash(text: str) -> str:
    """The hash of a document's reader text: NER results are cached under it.

    Memoised: the texts are the same string objects between imports (a str caches its
    own hash, so a hit is O(1)).
    """
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _parse_spans(data: str) -> list[RawSpan] | None:
    try:
        return [(int(s), int(e), str(label)) for s, e, label in json.loads(data)]
    except (ValueError, TypeError):
        return None


class NerCache:
    """Raw NER spans per (text hash, model id) in SQLite; rebuilt with a notice when unusable."""

    BUSY_TIMEOUT = 10.0
    """Seconds to wait for another process's transaction before saying the cache is busy."""

    def __init__(
        self,
        path: Path,
        on_notice: Callable[[str], None] | None = None,
        parts: Sequence[CachePart] = (),
    ) -> None:
        self.path = path
        self.file = CacheFile(path, [NER_PART, *parts], on_notice, busy_timeout=self.BUSY_TIMEOUT)

    def close(self) -> None:
        self.file.close()

    def count(self) -> int:
        """How many results are cached (rows are only added or replaced)."""
        try:
            with self.file.reading() as conn:
                return int(conn.execute("SELECT count(*) FROM ner").fetchone()[0])
        except CacheRebuilt:
            return 0

    def get_all(self, model: str, hashes: Iterable[str]) -> dict[str, list[RawSpan]]:
        """Cached spans for those of ``hashes`` that are cached; a garbled row counts as missing."""
        wanted = list(dict.fromkeys(hashes))
        out: dict[str, list[RawSpan]] = {}
        try:
            with self.file.reading() as conn:
                for i in range(0, len(wanted), _LOOKUP_BATCH):
                    chunk = wanted[i : i + _LOOKUP_BATCH]
                    marks = ",".join("?" * len(chunk))
                    rows = conn.execute(
                        f"SELECT hash, spans FROM ner WHERE model = ? AND hash IN ({marks})",
                        (model, *chunk),
                    ).fetchall()
                    for h, data in rows:
                        spans = _parse_spans(data)
                        if spans is not None:
                            out[h] = spans
        except CacheRebuilt:
            return {}
        return out

    def cached(self, model: str, hashes: Iterable[str], failed: bool = False) -> set[str]:
        """Those of ``hashes`` that have results for ``model`` (without reading them);
        with ``failed``, also those the model failed on."""
        wanted = list(dict.fromkeys(hashes))
        found: set[str] = set()
        tables = ("ner", "ner_failed") if failed else ("ner",)
        try:
            with self.file.reading() as conn:
                for i in range(0, len(wanted), _LOOKUP_BATCH):
                    chunk = wanted[i : i + _LOOKUP_BATCH]
                    marks = ",".join("?" * len(chunk))
                    for table in tables:
                        found.update(
                            r[0]
                            for r in conn.execute(
                                f"SELECT hash FROM {table} WHERE model = ? AND hash IN ({marks})",
                                (model, *chunk),
                            )
                        )
        except CacheRebuilt:
            return set()
        return found

    def put_failures(self, model: str, failures: Iterable[tuple[str, str]]) -> None:
        """Remember the texts the model failed on, with the reason (not tried again)."""
        rows = [(h, model, reason) for h, reason in failures]
        if rows:
            with self.file.writing() as conn:
                conn.executemany("INSERT OR REPLACE INTO ner_failed VALUES (?, ?, ?)", rows)

    def drop_other_models(self, model: str) -> list[str]:
        """Forget results of other models (an upgraded model must not mix with the old one)."""
        try:
            with self.file.writing() as conn:
                others = [
                    r[0]
                    for r in conn.execute(
                        "SELECT DISTINCT model FROM ner WHERE model != ?", (model,)
                    )
                ]
                if others:
                    conn.execute("DELETE FROM ner WHERE model != ?", (model,))
                conn.execute("DELETE FROM ner_failed WHERE model != ?", (model,))
        except CacheRebuilt:
            return []
        return others

    def put_many(self, model: str, items: Iterable[tuple[str, list[RawSpan]]]) -> None:
        """Store results; into a fresh file if this one turns out to be damaged."""
        rows = [(h, model, json.dumps(spans, separators=(",", ":"))) for h, spans in items]
        if not rows:
            return
        try:
            with self.file.writing() as conn:
                conn.executemany("INSERT OR REPLACE INTO ner VALUES (?, ?, ?)", rows)
        except CacheRebuilt:
            with self.file.writing() as conn:
                conn.executemany("INSERT OR REPLACE INTO ner VALUES (?, ?, ?)", rows)
