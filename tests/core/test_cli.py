"""The command line: commands, JSON shapes, exit codes and one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.cli import main

from ..support import CNN_LI_ZHANSHU, REPO


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def indexed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    data = str(tmp_path / "data")
    # Entities are tested in test_entities.py; here only the first phase is needed.
    code, out, _ = run(capsys, "--data-dir", data, "index", "--no-entities")
    assert code == 0
    assert "indexing the bundled seed articles" in out
    assert "5 added" in out
    return data


def test_index_with_no_path_indexes_seeds_then_refreshes(
    indexed: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--data-dir", indexed, "index", "--json", "--no-entities")
    assert code == 0
    report = json.loads(out)
    assert report["unchanged"] == 5 and report["added"] == 0
    code, out, _ = run(capsys, "--data-dir", indexed, "index", "--if-empty")
    assert code == 0 and "nothing to do" in out


def test_search_json_shape_and_offsets(indexed: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--data-dir", indexed, "search", '"Li Zhanshu"', "--json")
    assert code == 0
    data = json.loads(out)
    assert data["query"] == '"Li Zhanshu"' and data["total"] == 2
    hit = data["hits"][0]
    assert set(hit) == {
        "id", "title", "path", "score", "snippet", "matches",
        "date", "author", "site", "format", "page",
    }  # fmt: skip
    code, out, _ = run(capsys, "--data-dir", indexed, "show", hit["id"], "--json")
    doc = json.loads(out)
    assert set(doc) == {
        "id", "title", "path", "date", "words", "text",
        "author", "site", "url", "language", "format", "pages", "sections",
    }  # fmt: skip
    for start, end in hit["matches"]:
        assert doc["text"][start:end] == "Li Zhanshu"


def test_docs_json(indexed: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--data-dir", indexed, "docs", "--json")
    docs = json.loads(out)
    assert code == 0 and len(docs) == 5
    fields = {"id", "title", "path", "words", "date", "author", "site", "language", "format"}
    assert all(set(d) == fields | {"pages"} for d in docs)
    assert {d["language"] for d in docs} == {"en"}
    assert all(d["words"] > 500 for d in docs)


def test_show_accepts_a_prefix(indexed: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--data-dir", indexed, "show", "004")
    assert code == 0
    assert out.startswith("Russia stresses China’s support")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["show", "nope"], "no document has the id 'nope'"),
        (["show", "00"], "matches 5 documents"),
        (["search", "NOT"], "nothing to search for"),
    ],
)
def test_user_errors_exit_2_with_one_line(
    indexed: str, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, _out, err = run(capsys, "--data-dir", indexed, *argv)
    assert code == 2
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["search"])
    assert exc.value.code == 2


def test_env_var_chooses_the_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path / "envdata"))
    assert run(capsys, "index", "--no-entities")[0] == 0
    assert (tmp_path / "envdata" / "index").is_dir()


def test_other_failures_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    code, _, err = run(capsys, "--data-dir", str(blocker / "sub"), "docs")
    assert code == 1
    assert err.startswith("workbench: ") and err.count("\n") == 1


def test_python_dash_m_is_the_same_command(indexed: str) -> None:
    env = {**os.environ, "WORKBENCH_DATA_DIR": indexed}
    proc = subprocess.run(
        [sys.executable, "-m", "workbench", "search", "volodin", "--json"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["hits"][0]["id"] == CNN_LI_ZHANSHU


def test_usage_errors_are_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["search"], ["nosuchcommand"], ["notes", "delete", "x"], ["compare", "002"]):
        with pytest.raises(SystemExit) as exc:
            main(argv)
        assert exc.value.code == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("workbench: "), err


def test_bad_numbers_are_one_line_errors(indexed: str, capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (
        ["search", "putin", "--limit", "0"],
        ["search", "putin", "--limit", "-1"],
        ["notes", "delete", "99999999999999999999"],
        ["entities", "--limit", "-1"],
    ):
        code, _, err = run(capsys, "--data-dir", indexed, *argv)
        assert code == 2 and err.count("\n") == 1, (argv, err)


def test_an_empty_data_dir_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--data-dir", "", "docs"])
    assert exc.value.code == 2
    assert "cannot be empty" in capsys.readouterr().err


def test_an_unexpected_error_is_one_line_naming_the_log(
    indexed: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from workbench.core.library import Library

    def broken(self: Library, doc_id: str) -> None:
        raise TypeError("a bug nobody foresaw")

    monkeypatch.setattr(Library, "document", broken)
    code, out, err = run(capsys, "--data-dir", indexed, "show", "004")
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "TypeError: a bug nobody foresaw" in err
    log = Path(indexed) / "logs" / "errors.log"
    assert str(log) in err
    assert "Traceback" in log.read_text("utf-8") and "broken" in log.read_text("utf-8")


def test_control_characters_never_reach_the_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "evil\x1b[2J.txt").write_text(
        "Title \x1b]0;pwned\x07 here\n\nBody text about sanctions.", "utf-8"
    )
    data = str(tmp_path / "data")
    code, out, _ = run(capsys, "--data-dir", data, "index", str(folder), "--no-entities")
    assert code == 0
    for argv in (["docs"], ["show", "evil"], ["search", "sanctions"]):
        code, out, _ = run(capsys, "--data-dir", data, *argv)
        assert code == 0 and "\x1b" not in out and "\x07" not in out, argv
        assert "\\x1b" in out


def test_output_the_console_cannot_encode_is_escaped(indexed: str) -> None:
    env = {**os.environ, "WORKBENCH_DATA_DIR": indexed, "PYTHONIOENCODING": "latin-1"}
    proc = subprocess.run(
        [sys.executable, "-m", "workbench", "docs"],
        capture_output=True,
        env=env,
        cwd=REPO,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert b"Traceback" not in proc.stderr and b"documents" in proc.stdout
