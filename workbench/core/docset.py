"""A query leaf that matches a set of documents found outside the index.

Some of the query language's fields are answered by another store: ``entity:`` by the
entity store (:meth:`~workbench.core.entities.manager.EntityManager.documents_named`).
The store gives document ids; :class:`DocumentSet` turns them into a Whoosh query that
matches exactly those documents, with one constant score, so it combines with words,
fields and ``AND``/``OR``/``NOT`` like any other leaf.

Whoosh searches segment by segment with document numbers local to each, so the ids are
mapped to numbers per segment (:class:`SegmentNumbers`). A segment's documents never
change once it is written (only deletions do, which are checked at match time), so its
map is made once, from the ``id`` field's term list (each id's first posting), kept in
memory and in a file beside the index named after the segment: a later process reads it
instead of the index. Files of segments merged away are removed when a new one is saved.
"""

from __future__ import annotations

import contextlib
import marshal
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from whoosh import query
from whoosh.matching import ListMatcher, NullMatcher

from .files import write_atomic

_PREFIX = ".docnums-"


class SegmentNumbers:
    """Document number of each id within one index segment, cached per segment."""

    def __init__(self, cache_dir: Path | None = None) -> None:
        self.cache_dir = cache_dir
        self._lock = threading.Lock()
        self._maps: dict[str, dict[str, int]] = {}

    def numbers(self, reader: Any) -> dict[str, int]:
        """``{id: docnum}`` for the segment ``reader`` reads (deleted documents included)."""
        segment = reader.segment() if hasattr(reader, "segment") else None
        key = segment.segment_id() if segment is not None else None
        if key is None:
            return _read_numbers(reader)
        with self._lock:
            found = self._maps.get(key)
            if found is None:
                found = self._load(key)
                if found is None:
                    found = _read_numbers(reader)
                    live = self._save(key, found)
                    if live is not None:  # forget the segments merged away
                        self._maps = {k: v for k, v in self._maps.items() if k in live}
                self._maps[key] = found
            return found

    def of_ids(self, reader: Any, ids: Iterable[str]) -> set[int]:
        """The document numbers in ``reader`` (a segment's or the whole index's) of the
        live documents with these ids."""
        wanted = list(ids)
        leaves = [(reader, 0)] if reader.is_atomic() else reader.leaf_readers()
        out: set[int] = set()
        for leaf, offset in leaves:
            numbers = self.numbers(leaf)
            found = (numbers.get(doc_id) for doc_id in wanted)
            out.update(n + offset for n in found if n is not None and not leaf.is_deleted(n))
        return out

    def _path(self, key: str) -> Path | None:
        return self.cache_dir / f"{_PREFIX}{key}" if self.cache_dir else None

    def _load(self, key: str) -> dict[str, int] | None:
        path = self._path(key)
        if path is None:
            return None
        try:
            data = marshal.loads(path.read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            return None
        return data if isinstance(data, dict) else None

    def _save(self, key: str, numbers: dict[str, int]) -> set[str] | None:
        """Keep a segment's map on disk, and remove those of segments merged away; the
        ids of the index's segments now (None if unknown)."""
        path = self._path(key)
        if path is None:
            return None
        live = _segments(path.parent)
        with contextlib.suppress(OSError):  # a cache: without it, the next process reads again
            data = marshal.dumps(numbers)
            write_atomic(path, lambda tmp: tmp.write_bytes(data))
            for old in path.parent.glob(f"{_PREFIX}*"):
                if old.name[len(_PREFIX) :] not in live and old != path:
                    old.unlink(missing_ok=True)
        return live | {key}


def _segments(index_dir: Path) -> set[str]:
    """The ids of the index's segments, from their files' names (``MAIN_<id>.seg`` holds
    the segment ``MAIN_<id>``)."""
    return {seg.stem for seg in index_dir.glob("*.seg")}


def _read_numbers(reader: Any) -> dict[str, int]:
    """Each id of a segment with its document number: ids are unique, so an id's term
    information names its one document as both the first and the last."""
    out: dict[str, int] = {}
    for text, info in reader.iter_field("id"):
        out[text.decode("utf-8") if isinstance(text, bytes) else text] = info.min_id()
    return out


class DocumentSet(query.Query):
    """Matches the documents whose ids ``ids()`` gives, each with the score 1.

    ``fieldname`` and ``text`` say what the user wrote (``entity:"Li Zhanshu"``): they
    are shown back and make two such leaves equal. ``ids`` is called once per search.
    """

    def __init__(
        self,
        fieldname: str,
        text: str,
        ids: Callable[[], Iterable[str]],
        numbers: SegmentNumbers,
        boost: float = 1.0,
    ) -> None:
        self.fieldname = fieldname
        self.text = text
        self.boost = boost
        self._ids = ids
        self._numbers = numbers
        self._found: frozenset[str] | None = None

    def ids(self) -> frozenset[str]:
        if self._found is None:
            self._found = frozenset(self._ids())
        return self._found

    def __unicode__(self) -> str:
        return f"{self.fieldname}:{self.text}"

    __str__ = __unicode__

    def __repr__(self) -> str:
        return f"DocumentSet({self.fieldname!r}, {self.text!r})"

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, DocumentSet)
            and (self.fieldname, self.text) == (other.fieldname, other.text)
            and self.boost == other.boost
        )

    def __hash__(self) -> int:
        return hash((DocumentSet, self.fieldname, self.text, self.boost))

    def field(self) -> str:
        return self.fieldname

    def estimate_size(self, ixreader: Any) -> int:
        return len(self.ids())

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        # Whoosh hands each segment's searcher in turn; an unsegmented call (docs(),
        # estimates) gets the numbers of every segment, offset.
        docnums = sorted(self._numbers.of_ids(searcher.reader(), self.ids()))
        if not docnums:
            return NullMatcher()
        return ListMatcher(docnums, all_weights=self.boost)
