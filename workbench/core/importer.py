"""Importing files: which ones are new, changed or gone, reading them, writing the index.

:func:`import_files` does one import run over the files found under the roots given. It
is told what the library already holds and how to open an index writer, so it holds no
state of its own; :meth:`Library.add_paths` runs it under the import locks and then
brings the rest of the library (manifest, notes) in step.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import corpus
from .changes import Changes
from .corpus import Skip, SkippedFile
from .docstore import DocumentStore, FileState
from .index import LibraryWriter
from .manifest import Manifest

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]
OpenWriter = Callable[[int], contextlib.AbstractContextManager[LibraryWriter]]

PARALLEL_WRITE_MIN = 400
"""Above this many files to write, the index is built with one writer process per core."""


def writer_processes(documents: int) -> int:
    """How many processes should write ``documents`` documents to the index.

    Large batches use both cores, but only from a single-threaded process: Whoosh's
    parallel writer forks, and forking while other threads run (a GUI's Qt and worker
    threads) can leave the child deadlocked on a lock some thread held.
    """
    if documents < PARALLEL_WRITE_MIN or threading.active_count() > 1:
        return 1
    return min(2, os.cpu_count() or 1)


@dataclass
class ImportReport:
    """What an import did, with each skipped file and its reason."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)
    cancelled: bool = False
    seconds: float = 0.0

    @property
    def changes(self) -> Changes:
        """The documents this import added, changed or removed."""
        return Changes.of(documents=self.added + self.updated, removed=self.removed)

    def counts(self) -> dict[str, int]:
        return {
            "added": len(self.added),
            "updated": len(self.updated),
            "unchanged": self.unchanged,
            "removed": len(self.removed),
            "skipped": len(self.skipped),
        }

    def summary(self) -> str:
        c = self.counts()
        text = ", ".join(f"{v} {k}" for k, v in c.items())
        return text + (" (cancelled)" if self.cancelled else "")

    def to_json(self) -> dict[str, Any]:
        return {
            **self.counts(),
            "cancelled": self.cancelled,
            "seconds": round(self.seconds, 3),
            "skipped_files": [{"path": s.path, "reason": s.reason} for s in self.skipped],
        }


def resolve_roots(paths: Iterable[str | os.PathLike[str]], report: ImportReport) -> list[Path]:
    """The folders and files to import, resolved; one that cannot be (a symbolic link
    that loops) is skipped with its reason."""
    roots = []
    for p in paths:
        try:
            roots.append(Path(p).expanduser().resolve())
        except (OSError, RuntimeError) as exc:  # RuntimeError: a symbolic link loop
            report.skipped.append(Skip(str(p), f"cannot resolve the path ({exc})"))
    return roots


def find_files(paths: Iterable[Path], report: ImportReport) -> list[Path]:
    """The supported files under ``paths``, each once; what cannot be read is skipped
    with a reason (a path that is not there, a folder without permission, a link loop)."""
    files: list[Path] = []
    for root in paths:
        if not root.exists():
            report.skipped.append(Skip(str(root), "not found"))
            continue
        files.extend(corpus.iter_files([root], report.skipped))
    return list(dict.fromkeys(files))


def import_files(
    roots: list[Path],
    files: list[Path],
    existing: dict[str, FileState],
    manifest: Manifest,
    open_writer: OpenWriter,
    store: DocumentStore,
    report: ImportReport,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> None:
    """Read new and changed ``files`` into the index; remove those gone from ``roots``.

    ``existing`` maps each path already in the library to what was known of its file. A
    file whose size and modification time are unchanged is not read at all (as Recoll
    does); one whose time changed but whose content did not is not parsed again. The
    writer is opened (``open_writer(processes)``) at the first change, so an unchanged
    re-index writes nothing. Bad files are skipped with a reason and never abort the
    import. On cancel, what was read so far is kept and nothing is removed.
    """
    taken = manifest.taken_ids() | {state.id for state in existing.values()}
    procs = writer_processes(sum(1 for f in files if str(f) not in existing))
    seen: set[str] = set()
    gone: list[str] = []
    with contextlib.ExitStack() as stack:
        writer: LibraryWriter | None = None
        for done, path in enumerate(files, 1):
            if cancel and cancel():
                report.cancelled = True
                break
            key = str(path)
            seen.add(key)
            old = existing.get(key)
            try:
                size, mtime_ns = corpus.file_state(path)
                if old is not None and (old.size, old.mtime_ns) == (size, mtime_ns):
                    report.unchanged += 1
                    continue
                data = corpus.read_bytes(path)
                if old is not None and old.sha == corpus.content_hash(data):
                    store.touch(old.id, size, mtime_ns)
                    report.unchanged += 1
                    continue
                doc_id = old.id if old is not None else manifest.assign_id(key, taken)
                doc = corpus.parse_file(path, data=data).to_document(doc_id)
                if writer is None:
                    writer = stack.enter_context(open_writer(procs))
                # Parsing the next files overlaps with the writer processes indexing these.
                writer.add(doc, size, mtime_ns, new=old is None)
                (report.added if old is None else report.updated).append(doc.id)
            except SkippedFile as exc:
                report.skipped.append(Skip(key, str(exc)))
                if old is not None:
                    gone.append(old.id)
            finally:
                if progress:
                    progress(done, len(files))

        if not report.cancelled:
            gone += _vanished(existing, seen, roots)
            report.removed = sorted(set(gone))
        if report.removed:
            if writer is None:
                writer = stack.enter_context(open_writer(procs))
            for doc_id in report.removed:
                writer.delete(doc_id)


def _vanished(existing: dict[str, FileState], seen: set[str], roots: list[Path]) -> list[str]:
    """Documents read from under ``roots`` whose files are gone."""
    out = []
    for path, state in existing.items():
        if path in seen:
            continue
        p = Path(path)
        if any(p == r or r in p.parents for r in roots) and not p.exists():
            out.append(state.id)
    return out
