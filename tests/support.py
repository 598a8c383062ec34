"""Constants and helpers shared by the tests: where the seeds and corpora are, racing processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
BBC = REPO.parent / "shared" / "corpora" / "bbc-news"

# Seed ids, by what they are about (the ids are the file stems).
PUTIN_IMMUNITY = "000_36ed9beff64b8754"
FRATERNIZATION = "001_5cd9a95bfabd7cde"
CNN_RETELLING_BOL = "002_e261c8b2c0199bff"
CNN_TRANSLATION = "003_cd31678b99444365"
CNN_LI_ZHANSHU = "004_fd0841c764a90927"

_RACE_PREAMBLE = """
import os as _os, sys as _sys, time as _time

def wait_for_go():
    print("ready", flush=True)
    while not _os.path.exists(_sys.argv[1]):
        _time.sleep(0.0005)
"""


def run_at_once(script: str, argvs: list[list[str]], go: Path) -> list[str]:
    """Run ``python -c script`` once per argv, the processes racing from the same instant.

    The script calls ``wait_for_go()`` when it is ready to race (imports done); all are
    released together once every one is waiting. Its own arguments start at
    ``sys.argv[2]``. Asserts each exits 0; returns what each printed after "ready", stripped.
    """
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _RACE_PREAMBLE + script, str(go), *argv],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=REPO,
        )
        for argv in argvs
    ]
    for proc in procs:
        assert proc.stdout is not None and proc.stdout.readline() == "ready\n", proc.communicate()[
            1
        ]
    go.touch()
    said = []
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        said.append(out.strip())
    return said


def bbc_files(category: str, n: int) -> list[Path]:
    """The first ``n`` BBC articles of a category, in name order."""
    return sorted((BBC / category).glob("*.txt"))[:n]
