"""The packaged app's pieces that can be checked from source: where a frozen app keeps its
data (user data dir, portable mode), the launcher's dispatch, and the desktop entry.

The build itself is tested by ``make package-test`` (the self-test of dist/Workbench).
"""

from __future__ import annotations

import configparser
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import platformdirs
import pytest

from workbench.core import paths

from ..support import CNN_LI_ZHANSHU, CNN_RETELLING_BOL, REPO


@pytest.fixture
def frozen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Pretend to be a PyInstaller build whose executable is in tmp_path/Workbench/."""
    bundle = tmp_path / "Workbench"
    internal = bundle / "_internal"
    internal.mkdir(parents=True)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(internal), raising=False)
    monkeypatch.setattr(sys, "executable", str(bundle / "Workbench"))
    monkeypatch.delenv("WORKBENCH_DATA_DIR", raising=False)
    return bundle


@pytest.mark.skipif(
    not sys.platform.startswith("linux"),
    reason="conftest isolates XDG_DATA_HOME, a Linux/BSD variable",
)
def test_frozen_app_keeps_data_in_the_user_data_dir_not_the_bundle(frozen: Path) -> None:
    data = paths.data_dir()
    assert data == Path(platformdirs.user_data_dir("Workbench", appauthor=False))
    assert frozen not in data.parents
    # conftest points XDG_DATA_HOME at a temporary folder, so this is not the real one.
    assert Path(os.environ["XDG_DATA_HOME"]) in data.parents


def test_portable_marker_puts_data_beside_the_executable(frozen: Path) -> None:
    (frozen / "portable").touch()
    assert paths.data_dir() == frozen / "WorkbenchData"
    assert (frozen / "WorkbenchData").is_dir()


def test_explicit_data_dir_beats_the_portable_marker(frozen: Path, tmp_path: Path) -> None:
    (frozen / "portable").touch()
    assert paths.data_dir(tmp_path / "mine") == tmp_path / "mine"


def test_frozen_resources_come_from_the_bundle(frozen: Path) -> None:
    assert paths.seeds_dir() == frozen / "_internal" / "seeds"
    assert paths.resources_dir() == frozen / "_internal" / "resources"


def test_unfrozen_resources_come_from_the_repository() -> None:
    assert paths.seeds_dir() == REPO / "seeds"
    assert len(list(paths.seeds_dir().glob("*.txt"))) == 5


# --------------------------------------------------------------------------- the launcher


def _launcher():
    spec = importlib.util.spec_from_file_location(
        "workbench_launcher", REPO / "packaging" / "launcher.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_launcher_sends_self_test_to_the_self_test(monkeypatch: pytest.MonkeyPatch) -> None:
    import workbench.selftest

    calls: list[list[str]] = []
    monkeypatch.setattr(workbench.selftest, "main", lambda argv: calls.append(list(argv)) or 7)
    assert _launcher().main(["--self-test", "/tmp/out"]) == 7
    assert calls == [["/tmp/out"]]


def test_launcher_sends_other_arguments_to_the_cli(capsys: pytest.CaptureFixture[str]) -> None:
    launcher = _launcher()
    assert launcher.main(["index"]) == 0
    capsys.readouterr()
    assert launcher.main(["search", '"Li Zhanshu"', "--json"]) == 0
    ids = {h["id"] for h in json.loads(capsys.readouterr().out)["hits"]}
    assert ids == {CNN_RETELLING_BOL, CNN_LI_ZHANSHU}
    assert launcher.main(["show", "no-such-id"]) == 2


def test_launcher_with_no_arguments_starts_the_gui(monkeypatch: pytest.MonkeyPatch) -> None:
    import workbench.cli

    started: list[object] = []
    monkeypatch.setattr(workbench.cli, "cmd_gui", lambda args: started.append(args) or 0)
    assert _launcher().main([]) == 0
    assert len(started) == 1


# --------------------------------------------------------------------------- desktop entry


def test_desktop_entry_is_a_valid_application_entry() -> None:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(REPO / "resources" / "workbench.desktop", encoding="utf-8")
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Name"] == "Workbench"
    assert entry["Exec"].split()[0] == "Workbench"
    assert entry["Terminal"] == "false"
    assert entry["Categories"].endswith(";")
    if shutil.which("desktop-file-validate"):
        proc = subprocess.run(
            ["desktop-file-validate", str(REPO / "resources" / "workbench.desktop")],
            capture_output=True,
            text=True,
            check=False,
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="a shell script for Linux desktops")
def test_install_desktop_entry_points_the_menu_at_the_unpacked_folder(tmp_path: Path) -> None:
    bundle = tmp_path / "unpacked here" / "Workbench"
    bundle.mkdir(parents=True)
    shutil.copy2(REPO / "resources" / "workbench.desktop", bundle / "workbench.desktop")
    shutil.copy2(
        REPO / "packaging" / "install-desktop-entry.sh", bundle / "install-desktop-entry.sh"
    )
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "share")}
    subprocess.run(
        ["sh", str(bundle / "install-desktop-entry.sh")], env=env, check=True, capture_output=True
    )
    installed = (tmp_path / "share" / "applications" / "workbench.desktop").read_text("utf-8")
    assert f'Exec="{bundle}/Workbench"' in installed.splitlines()
    assert f"Icon={bundle}/workbench.png" in installed.splitlines()
    assert "Name=Workbench" in installed.splitlines()


@pytest.mark.gui
def test_exit_after_shown_ends_the_app_once_its_window_has_painted(tmp_path: Path) -> None:
    """The hook bench/bench_startup.py times the frozen app with, run here from source."""
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "QT_QPA_PLATFORM": "offscreen",
        "WORKBENCH_DATA_DIR": str(tmp_path / "data"),
        "WORKBENCH_EXIT_AFTER_SHOWN": "1",
    }
    proc = subprocess.run(
        [sys.executable, str(REPO / "packaging" / "launcher.py")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr


# --------------------------------------------------------------------------- ICU data


def _icu_data():
    spec = importlib.util.spec_from_file_location("icu_data", REPO / "packaging" / "icu_data.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["icu_data"] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


def _wheel_icudata() -> Path | None:
    found = sorted(
        (Path(importlib.util.find_spec("PySide6").origin).parent / "Qt" / "lib").glob(
            "libicudata.so.*"
        )
    )
    return found[0] if found else None


def test_icu_items_kept_are_root_english_and_everything_not_a_locale() -> None:
    wanted = _icu_data().wanted
    for name in (
        "icudt73l/root.res",
        "icudt73l/en.res",
        "icudt73l/en_GB.res",
        "icudt73l/coll/root.res",
        "icudt73l/coll/en.res",
        "icudt73l/coll/ucadata.icu",
        "icudt73l/res_index.res",
        "icudt73l/coll/res_index.res",
        "icudt73l/pool.res",
        "icudt73l/uprops.icu",
        "icudt73l/nfc.nrm",
        "icudt73l/brkitr/word.brk",
        "icudt73l/zone/tzdbNames.res",
        "icudt73l/supplementalData.res",
        "icudt73l/cnvalias.icu",
    ):
        assert wanted(name), name
    for name in (
        "icudt73l/de.res",
        "icudt73l/coll/ru.res",
        "icudt73l/sr_Latn_BA.res",
        "icudt73l/zone/es_419.res",
        "icudt73l/ibm-943_P15A-2003.cnv",
        "icudt73l/brkitr/cjdict.dict",
        "icudt73l/translit/root.res",
    ):
        assert not wanted(name), name


_QT_COLLATION = """
from PySide6.QtCore import QCollator, QDate, QDateTime, QLocale, QTime, QTimeZone, qInstallMessageHandler
said = []
qInstallMessageHandler(lambda kind, context, text: said.append(text))
words = ["Zebra", "apple", "Éclair", "Banana", "ángel"]
print(sorted(words, key=QCollator(QLocale("en_US")).sortKey))
print(QLocale("tr_TR").toUpper("istanbul"), QLocale("en_US").toUpper("straße"))
print(QTimeZone(b"Europe/Moscow").displayName(QDateTime(QDate(2026, 1, 1), QTime(0, 0)), QTimeZone.LongName, QLocale("en_US")))
print(said)
"""


@pytest.mark.skipif(
    _wheel_icudata() is None or not _icu_data().can_build(),
    reason="a Linux PySide6 wheel with its own ICU, and a C compiler",
)
def test_trimmed_icu_data_reads_back_and_qt_collates_english_with_it(tmp_path: Path) -> None:
    icu = _icu_data()
    source = _wheel_icudata()
    assert source is not None
    full = icu.read_library(source)
    # Writing all items back gives data ICU's own reader would parse to the same items.
    assert icu.parse(full.to_bytes(), full.symbol).items == full.items
    out = tmp_path / source.name
    kept, total = icu.smaller_library(source, out)
    assert 300 < kept < total / 2
    assert out.stat().st_size < source.stat().st_size / 4
    # Qt with the trimmed data (found first through LD_LIBRARY_PATH): English collation,
    # Turkish case mapping, time-zone names, and no warnings.
    env = {**os.environ, "LD_LIBRARY_PATH": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run(
        [sys.executable, "-c", _QT_COLLATION],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [
        "['ángel', 'apple', 'Banana', 'Éclair', 'Zebra']",
        "İSTANBUL STRASSE",
        "Moscow Standard Time",
        "[]",
    ]
