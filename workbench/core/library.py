"""The Library facade: the one door through which the CLI and the GUI reach the engine.

A Library lives in a data directory::

    library.json      the folders and files the user added, and the id given to each path
    index/            the Whoosh index (a cache, rebuilt from the files when unusable)

Long operations take ``progress(done, total)`` and ``cancel()`` callables so that a GUI can
show a progress bar with a Cancel button and a CLI a progress line. Things the user should
know but that are not errors (an index rebuilt, a file skipped) are passed to
``on_notice`` and kept in :attr:`Library.notices`.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import compare, corpus, search
from .corpus import Document, Skip, SkippedFile
from .errors import UnknownDocument, UserError
from .paths import data_dir as default_data_dir
from .paths import seeds_dir

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]

MANIFEST = "library.json"
MANIFEST_VERSION = 1
# Above this many files to write, the index is built with one writer process per core.
PARALLEL_WRITE_MIN = 400


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


class Library:
    """A folder of articles, indexed and searchable."""

    def __init__(self, root: Path, on_notice: Callable[[str], None] | None = None) -> None:
        self.root = root
        self.index_dir = root / "index"
        self.notices: list[str] = []
        self._on_notice = on_notice
        self._lock = threading.RLock()
        self._docs: dict[str, Document] | None = None
        self._docs_generation = -2
        self.pending_rebuild: str | None = None
        self._manifest = self._read_manifest()
        try:
            self.ix = search.open_index(self.index_dir)
        except search.IndexUnusable as exc:
            self.pending_rebuild = str(exc)
            self.ix = search.create_index(self.index_dir)
        self._searcher = search.Searcher(self.ix)

    # ----------------------------------------------------------------- lifecycle

    @classmethod
    def open(
        cls,
        data_dir: str | os.PathLike[str] | None = None,
        on_notice: Callable[[str], None] | None = None,
    ) -> Library:
        """Open (creating if needed) the library in ``data_dir`` or the default data dir.

        If the index had to be recreated, :attr:`pending_rebuild` says why; call
        :meth:`rebuild_if_needed` (in the background, in a GUI) to re-read the files.
        """
        return cls(default_data_dir(data_dir), on_notice=on_notice)

    def close(self) -> None:
        self._searcher.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def notice(self, message: str) -> None:
        """Record a one-line message for the user."""
        self.notices.append(message)
        if self._on_notice:
            self._on_notice(message)

    def rebuild_if_needed(
        self, progress: Progress | None = None, cancel: Cancel | None = None
    ) -> ImportReport | None:
        """Re-read every added folder into a fresh index if the old one was unusable."""
        if not self.pending_rebuild:
            return None
        self.notice(f"Rebuilding the search index from your files: {self.pending_rebuild}.")
        self.pending_rebuild = None
        return self.refresh(progress, cancel)

    # ----------------------------------------------------------------- manifest

    def _read_manifest(self) -> dict[str, Any]:
        path = self.root / MANIFEST
        try:
            data = json.loads(path.read_text("utf-8"))
            if isinstance(data, dict) and isinstance(data.get("ids"), dict):
                data.setdefault("roots", [])
                return data
        except FileNotFoundError:
            pass
        except (OSError, ValueError):
            self.notice(f"The list of added folders ({path}) was unreadable and has been reset.")
        return {"version": MANIFEST_VERSION, "roots": [], "ids": {}}

    def _write_manifest(self) -> None:
        path = self.root / MANIFEST
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self._manifest, indent=1, ensure_ascii=False), "utf-8")
        os.replace(tmp, path)

    @property
    def roots(self) -> list[str]:
        """The folders and files the user has added."""
        return list(self._manifest["roots"])

    def _assign_id(self, path: str) -> str:
        ids: dict[str, str] = self._manifest["ids"]
        if path in ids:
            return ids[path]
        taken = set(ids.values())
        stem = Path(path).stem
        candidate, n = stem, 1
        while candidate in taken:
            n += 1
            candidate = f"{stem}-{n}"
        ids[path] = candidate
        return candidate

    # ----------------------------------------------------------------- documents

    def _load_docs(self) -> dict[str, Document]:
        with self._lock:
            generation = self.ix.latest_generation()
            if self._docs is None or generation != self._docs_generation:
                with self.ix.searcher() as s:
                    docs = [search.document_from_fields(f) for f in s.all_stored_fields()]
                self._docs = {d.id: d for d in sorted(docs, key=lambda d: d.id)}
                self._docs_generation = generation
            return self._docs

    def documents(self) -> list[Document]:
        """Every document, ordered by id."""
        return list(self._load_docs().values())

    def is_empty(self) -> bool:
        return self.ix.doc_count() == 0

    def resolve_id(self, prefix: str) -> str:
        """The full id for an id or any unique prefix of one."""
        docs = self._load_docs()
        if prefix in docs:
            return prefix
        found = [i for i in docs if i.startswith(prefix)] if prefix else []
        if len(found) == 1:
            return found[0]
        if not found:
            raise UnknownDocument(f"no document has the id '{prefix}' (see 'workbench docs')")
        shown = ", ".join(found[:5]) + (", …" if len(found) > 5 else "")
        raise UnknownDocument(f"'{prefix}' matches {len(found)} documents ({shown}); give more of the id")

    def document(self, doc_id: str) -> Document:
        """The document with this id or unique id prefix."""
        return self._load_docs()[self.resolve_id(doc_id)]

    # ----------------------------------------------------------------- search

    def search(self, query: str, limit: int = 20) -> search.SearchResults:
        """Run a query in Whoosh's language over titles and bodies, best hits first."""
        return self._searcher.search(query, limit=limit)

    # ----------------------------------------------------------------- importing

    def add_seeds(self, progress: Progress | None = None, cancel: Cancel | None = None) -> ImportReport:
        """Index the bundled default corpus."""
        return self.add_paths([seeds_dir()], progress, cancel)

    def refresh(self, progress: Progress | None = None, cancel: Cancel | None = None) -> ImportReport:
        """Re-index every added folder and file: new, changed and deleted files are noticed."""
        return self.add_paths(self.roots, progress, cancel)

    def add_paths(
        self,
        paths: Iterable[str | os.PathLike[str]],
        progress: Progress | None = None,
        cancel: Cancel | None = None,
    ) -> ImportReport:
        """Index files and folders (recursively). Only new or changed files are re-read.

        Files that were indexed from one of ``paths`` but are gone are removed. Bad files
        are skipped with a reason and never abort the import. On cancel, what was read so
        far is kept and nothing is removed.
        """
        started = time.perf_counter()
        report = ImportReport()
        roots = [Path(p).expanduser().resolve() for p in paths]
        existing = {d.path: d for d in self._load_docs().values()}

        files: list[Path] = []
        for root in roots:
            if not root.exists():
                report.skipped.append(Skip(str(root), "not found"))
                continue
            files.extend(corpus.iter_files([root]))
        files = list(dict.fromkeys(files))
        total = len(files)
        seen: set[str] = set()
        to_write: list[Document] = []
        gone: list[str] = []

        for done, path in enumerate(files, 1):
            if cancel and cancel():
                report.cancelled = True
                break
            key = str(path)
            seen.add(key)
            try:
                data = corpus.read_bytes(path)
                old = existing.get(key)
                if old is not None and old.sha == corpus.content_hash(data):
                    report.unchanged += 1
                else:
                    parsed = corpus.parse_file(path, data=data)
                    doc = parsed.to_document(self._assign_id(key))
                    to_write.append(doc)
                    (report.updated if old is not None else report.added).append(doc.id)
            except SkippedFile as exc:
                report.skipped.append(Skip(key, str(exc)))
                if key in existing:
                    gone.append(existing[key].id)
            if progress:
                progress(done, total)

        if not report.cancelled:
            for doc in existing.values():
                if doc.path in seen:
                    continue
                p = Path(doc.path)
                if any(p == r or r in p.parents for r in roots) and not p.exists():
                    gone.append(doc.id)
            report.removed = sorted(set(gone))

        self._write(to_write, report.removed)
        for root in roots:
            if root.exists() and str(root) not in self._manifest["roots"]:
                self._manifest["roots"].append(str(root))
        self._write_manifest()
        report.seconds = time.perf_counter() - started
        return report

    def _write(self, docs: Sequence[Document], removed: Sequence[str]) -> None:
        if not docs and not removed:
            return
        with self._lock:
            procs = min(2, os.cpu_count() or 1) if len(docs) >= PARALLEL_WRITE_MIN else 1
            existing = self._load_docs()
            with search.writing(self.ix, self.index_dir, procs=procs) as writer:
                for doc_id in removed:
                    writer.delete_by_term("id", doc_id)
                for doc in docs:
                    fields_ = search.document_fields(doc)
                    if doc.id in existing:
                        writer.update_document(**fields_)
                    else:
                        writer.add_document(**fields_)
            self._docs = None

    # ----------------------------------------------------------------- compare (issue 4)
    # Owned by the compare helper: shared passages, shared/unique entities, related articles.

    def related(self, doc_id: str, limit: int = 10) -> list[compare.Related]:
        """Other documents ranked by shared passages, shared entities and wording, best first."""
        if limit < 1:
            raise UserError("the number of related documents must be at least 1")
        return compare.find_related(self.ix, self.resolve_id(doc_id), limit)
