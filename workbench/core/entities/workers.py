"""NER in worker processes: two cores, never a hang, never an orphan.

The workers are forked with the loaded pipeline (nothing is loaded twice) and get
batches of texts; each answers, for every text, its spans or why the model failed on it.

- A text the model fails on is skipped with its reason; the rest of its batch is kept.
- A worker that dies (killed, out of memory) breaks the pool: the batches it held are
  retried one text at a time in a fresh pool, so only the text that kills a worker is
  lost, and the parent never waits on a process that is gone.
- Workers die with their parent: on Linux the kernel sends them SIGKILL when it dies
  (``PR_SET_PDEATHSIG``); everywhere, each also watches that its parent is still there
  and leaves when it is not. A killed import or app leaves no process behind.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from .model import Result, _run, _single_threaded_blas
from .records import Cancel

_PIPELINE: Any = None
"""The pipeline, set in the parent before the workers are forked (they inherit it)."""

PR_SET_PDEATHSIG = 1
WATCH_SECONDS = 1.0


def die_with_parent(parent: int) -> None:
    """Make this (child) process end when ``parent`` does."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # it died before the line above took effect
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(WATCH_SECONDS)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _start(parent: int) -> None:
    die_with_parent(parent)
    # Interrupting the app interrupts its own work; the workers just end with it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _work(texts: list[str], batch_size: int) -> list[Result]:
    with _single_threaded_blas():
        return _run(_PIPELINE, texts, batch_size)


def _pool(n_process: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        n_process,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_start,
        initargs=(os.getpid(),),
    )


def extract_in_workers(
    nlp: Any,
    texts: Sequence[str],
    n_process: int,
    batch_size: int,
    cancel: Cancel | None = None,
) -> Iterator[Result]:
    """Like :func:`~.model.extract`, with ``n_process`` worker processes; results in order."""
    global _PIPELINE
    _PIPELINE = nlp
    batches = [list(texts[i : i + batch_size]) for i in range(0, len(texts), batch_size)]
    pool = _pool(n_process)
    running: deque[tuple[list[str], Future[list[Result]]]] = deque()
    todo = deque(batches)
    try:
        while todo or running:
            while todo and len(running) < 2 * n_process:
                batch = todo.popleft()
                running.append((batch, _submit(pool, batch, batch_size)))
            batch, future = running.popleft()
            try:
                results = future.result()
            except BrokenProcessPool:
                # A worker died: its batches, and those queued behind them, start again
                # one text at a time in a new pool.
                pool.shutdown(wait=False, cancel_futures=True)
                pool = _pool(n_process)
                results, pool = _one_by_one(pool, batch, batch_size, n_process)
                retry = [b for b, _ in running]
                running.clear()
                todo.extendleft(reversed([[t] for b in retry for t in b]))
            for result in results:
                yield result
                if cancel and cancel():
                    return
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        _PIPELINE = None


def _submit(pool: ProcessPoolExecutor, batch: list[str], batch_size: int) -> Future[list[Result]]:
    """The batch's future; one that fails at once if a worker died since the last look
    (the pool refuses new work then), so that it is retried like the batches it broke."""
    try:
        return pool.submit(_work, batch, batch_size)
    except BrokenProcessPool as broken:
        failed: Future[list[Result]] = Future()
        failed.set_exception(broken)
        return failed


def _one_by_one(
    pool: ProcessPoolExecutor, batch: list[str], batch_size: int, n_process: int
) -> tuple[list[Result], ProcessPoolExecutor]:
    """Each text of a batch on its own; a text that kills its worker is skipped."""
    out: list[Result] = []
    for text in batch:
        try:
            out.extend(pool.submit(_work, [text], batch_size).result())
        except BrokenProcessPool:
            out.append("the NER process stopped on this text")
            pool.shutdown(wait=False, cancel_futures=True)
            pool = _pool(n_process)
    return out, pool
