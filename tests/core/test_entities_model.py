"""Running the model: long texts in pieces, a failing text skipped, worker processes that
neither hang the run nor outlive it.

Texts are BBC News articles (MIT licence, ``/work/shared/corpora/bbc-news``).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from workbench.core.entities import EntityEngine, text_hash
from workbench.core.entities.model import NerModel, extract, pieces

from ..support import REPO, bbc_files


def test_pieces_are_cut_at_paragraph_ends_and_keep_their_offsets() -> None:
    text = "\n".join(f.read_text("utf-8") for f in bbc_files("politics", 12))
    parts = pieces(text, 3000)
    assert "".join(p for _, p in parts) == text
    for offset, piece in parts:
        assert text[offset : offset + len(piece)] == piece and len(piece) <= 3000
    assert all(piece.endswith("\n") for _, piece in parts[:-1])
    one_line = "word " * 2000
    assert all(len(p) <= 3000 for _, p in pieces(one_line, 3000))


@pytest.fixture(scope="module")
def nlp():
    return NerModel().load()


@pytest.mark.spacy
@pytest.mark.parametrize("n_process", [1, 2])
def test_a_text_longer_than_the_model_takes_is_read_in_pieces(
    nlp, n_process: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The model refuses a text over its max_length (E088); 1,000,000 characters by
    # default, lowered here so that the test stays quick.
    monkeypatch.setattr(nlp, "max_length", 20_000)
    article = bbc_files("politics", 1)[0].read_text("utf-8")
    long = "\n\n".join([article] * 12) + "\n\nTony Blair said so."
    assert len(long) > 20_000
    texts = [article, long, article]
    results = list(extract(nlp, texts, n_process=n_process, batch_size=2))
    assert len(results) == 3 and all(isinstance(r, list) for r in results)
    short, whole = results[0], results[1]
    assert isinstance(short, list) and isinstance(whole, list)
    for s, e, _ in whole:
        assert 0 <= s < e <= len(long)
    # Each copy of the article is found where it is, and the last name at its offset.
    names = {long[s:e] for s, e, label in whole if label == "PERSON"}
    assert {article[s:e] for s, e, label in short if label == "PERSON"} <= names
    end = long.rindex("Tony Blair")
    assert (end, end + len("Tony Blair"), "PERSON") in whole


class _Fragile:
    """Stands in for the model: fails on one text, kills its process on another."""

    max_length = 1_000_000

    def pipe(self, texts, batch_size: int, n_process: int):
        for text in texts:
            if "KILL" in text:
                os._exit(3)
            if "FAIL" in text:
                raise ValueError("the model cannot read this")
            yield SimpleNamespace(
                ents=[SimpleNamespace(start_char=0, end_char=len(text), label_="ORG")]
            )


@pytest.mark.parametrize("n_process", [1, 2])
def test_a_text_the_model_fails_on_is_skipped_and_nothing_hangs(n_process: int) -> None:
    texts = [f"text {i}" for i in range(40)]
    texts[5] = "text FAIL"
    if n_process > 1:
        texts[23] = "text KILL"  # a worker dies: its batch is retried text by text
    results = list(extract(_Fragile(), texts, n_process=n_process, batch_size=4))
    assert len(results) == 40
    assert results[5] == "ValueError: the model cannot read this"
    if n_process > 1:
        assert isinstance(results[23], str) and "stopped" in results[23]
    failed = {5, 23} if n_process > 1 else {5}
    assert [i for i, r in enumerate(results) if isinstance(r, str)] == sorted(failed)
    assert all(r == [(0, len(texts[i]), "ORG")] for i, r in enumerate(results) if i not in failed)


def test_work_given_after_a_worker_died_is_retried_not_raised() -> None:
    # The pool breaks when a worker dies; work submitted after that (before the death
    # is seen) comes back as a failed future, which extract_in_workers retries.
    from concurrent.futures.process import BrokenProcessPool

    from workbench.core.entities import workers

    workers._PIPELINE = _Fragile()
    pool = workers._pool(2)
    try:
        with pytest.raises(BrokenProcessPool):
            pool.submit(workers._work, ["text KILL"], 1).result(timeout=60)
        late = workers._submit(pool, ["text 1"], 1)
        assert isinstance(late.exception(timeout=1), BrokenProcessPool)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        workers._PIPELINE = None


def test_a_failed_document_is_skipped_with_its_reason(tmp_path: Path) -> None:
    engine = EntityEngine(tmp_path)
    engine.model.model_id = "fragile-1"
    engine.model._nlp = _Fragile()
    told: list[str] = []
    engine._notice = told.append
    docs = [("a", "Alpha Corp"), ("b", "text FAIL"), ("c", "Gamma Inc")]
    report = engine.extract(docs, n_process=1)
    assert report.processed == 3 and not report.cancelled
    assert told == [
        "Entities of b could not be extracted (ValueError: the model cannot read this); it is skipped."
    ]
    assert engine.missing(docs) == []  # not tried again with this model
    found = engine.spans([text_hash(t) for _, t in docs])
    assert set(found) == {text_hash("Alpha Corp"), text_hash("Gamma Inc")}
    engine.close()


RUN_NER = """
import sys
from pathlib import Path
from workbench.core.entities.model import NerModel, extract
texts = [p.read_text("utf-8") for p in sorted(Path(sys.argv[1]).glob("*/*.txt"))[:400]] * 3
print("ready", flush=True)
for _ in extract(NerModel().load(), texts, n_process=2):
    pass
"""


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.spacy
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_killing_a_run_leaves_no_ner_process_behind() -> None:
    from ..support import BBC

    proc = subprocess.Popen(
        [sys.executable, "-c", RUN_NER, str(BBC)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline() == "ready\n"
        deadline = time.monotonic() + 60
        workers: set[int] = set()
        while len(workers) < 2 and time.monotonic() < deadline:
            workers = _children(proc.pid)
            time.sleep(0.1)
        assert len(workers) >= 2, "the workers never started"
        time.sleep(1.0)  # at work
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=10)
    deadline = time.monotonic() + 5
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [w for w in workers if _alive(w)]
    for w in left:
        os.kill(w, signal.SIGKILL)
    assert left == [], "NER workers outlived the killed run"
