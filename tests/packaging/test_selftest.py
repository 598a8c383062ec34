"""The self-test's machinery and its engine steps, run from source on the real seeds.

The full self-test (NER, compare, notes, GUI) runs on the built app in
``make package-test``; here we check that its steps find the real results, and that
a wrong result or an exception fails a step with one line without stopping the others.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench import selftest
from workbench.selftest import Context, expect, run_steps, step_index, step_search

from ..support import CNN_LI_ZHANSHU, CNN_RETELLING_BOL, SEEDS


@pytest.fixture
def ctx(tmp_path: Path):
    context = Context(outdir=tmp_path / "out", data_dir=tmp_path / "data")
    yield context
    context.close_library()


def test_the_seed_ids_the_steps_rely_on_are_the_seeds() -> None:
    assert selftest.CNN_RETELLING_BOL == CNN_RETELLING_BOL
    assert selftest.CNN_LI_ZHANSHU == CNN_LI_ZHANSHU


def test_index_and_search_steps_pass_on_the_seeds(ctx: Context) -> None:
    lines: list[str] = []
    results = run_steps([("index", step_index), ("search", step_search)], ctx, emit=lines.append)
    assert [r.ok for r in results] == [True, True], lines
    assert lines[0].startswith("PASS  index") and "5 seed articles" in lines[0]
    assert '"Li Zhanshu": 2 articles' in lines[1]


def test_search_step_fails_when_an_article_is_missing(ctx: Context) -> None:
    lib = ctx.library()
    # Index only one of the two articles that name Li Zhanshu.
    lib.add_paths([SEEDS / f"{CNN_LI_ZHANSHU}.txt"])
    lines: list[str] = []
    [result] = run_steps([("search", step_search)], ctx, emit=lines.append)
    assert not result.ok
    assert lines[0].startswith("FAIL  search") and "total 1" in lines[0]


def test_a_failing_step_is_one_line_and_the_next_steps_still_run(ctx: Context) -> None:
    def wrong(_: Context) -> str:
        expect(1 + 1 == 3, "arithmetic is off")
        return "unreachable"

    def crashes(_: Context) -> str:
        return str({}["missing"])

    def fine(_: Context) -> str:
        return "all good"

    lines: list[str] = []
    tracebacks: list[str] = []
    results = run_steps(
        [("wrong", wrong), ("crashes", crashes), ("fine", fine)],
        ctx,
        emit=lines.append,
        tracebacks=tracebacks,
    )
    assert [r.ok for r in results] == [False, False, True]
    assert all("\n" not in line for line in lines)
    assert lines[0].endswith("arithmetic is off")
    assert "KeyError: 'missing' (at test_selftest.py:" in lines[1] and "in crashes)" in lines[1]
    assert lines[2].startswith("PASS  fine")
    # The traceback of the crash is kept for the file, not for the StepFailed.
    assert len(tracebacks) == 1 and "KeyError" in tracebacks[0]


def test_main_exits_0_only_when_every_step_passes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # main() isolates the environment; let monkeypatch restore it afterwards.
    for var in ("QT_QPA_PLATFORM", "WORKBENCH_DATA_DIR", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(var, "unchanged")
    monkeypatch.setattr(selftest, "STEPS", [("index", step_index), ("search", step_search)])
    assert selftest.main([str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "selftest: 2 passed, 0 failed"
    # The same lines in a file, for windowed builds that have no console.
    saved = (tmp_path / "out" / "selftest.txt").read_text("utf-8").splitlines()
    assert saved[0].startswith("PASS  index") and saved[-1] == out[-1]
    assert not (tmp_path / "out" / "selftest-tracebacks.txt").exists()

    def boom(_: Context) -> str:
        raise RuntimeError("the feature is missing")

    monkeypatch.setattr(selftest, "STEPS", [("index", step_index), ("boom", boom)])
    assert selftest.main([str(tmp_path / "out")]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "selftest: 1 passed, 1 failed"
    assert any(
        line.startswith("FAIL  boom") and "RuntimeError: the feature is missing" in line
        for line in out
    )
    assert "RuntimeError" in (tmp_path / "out" / "selftest-tracebacks.txt").read_text("utf-8")


def test_self_test_data_goes_to_a_temporary_folder_that_is_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for var in ("QT_QPA_PLATFORM", "WORKBENCH_DATA_DIR", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(var, str(tmp_path / "must-not-be-used"))
    seen: list[Path] = []

    def where(c: Context) -> str:
        seen.append(c.library().root)
        return "ok"

    monkeypatch.setattr(selftest, "STEPS", [("where", where)])
    assert selftest.main([str(tmp_path / "out")]) == 0
    capsys.readouterr()
    assert seen and "workbench-selftest-" in str(seen[0])
    assert not seen[0].exists()
    assert not (tmp_path / "must-not-be-used").exists()


@pytest.mark.spacy
def test_entities_step_passes_and_catches_a_build_without_the_country_tables(
    ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workbench.core import entities

    lines: list[str] = []
    results = run_steps(
        [("index", step_index), ("entities", selftest.step_entities)], ctx, emit=lines.append
    )
    assert [r.ok for r in results] == [True, True], lines

    # A frozen build that left country_converter's table behind resolves "US" on its own.
    other = Context(outdir=tmp_path / "out2", data_dir=tmp_path / "data2")
    monkeypatch.setattr(entities.countries, "_coco_rows", lambda: [])
    entities.country_table.cache_clear()
    try:
        results = run_steps(
            [("index", step_index), ("entities", selftest.step_entities)], other, emit=lines.append
        )
    finally:
        other.close_library()
        entities.country_table.cache_clear()
    assert not results[1].ok
    assert "'US' is not an alias of 'United States'" in lines[-1]
