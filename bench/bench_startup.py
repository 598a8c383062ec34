"""Start-up of the packaged app, measured from outside as whole-process times.

Prints:
  - the bundle's size on disk (target: 280 MB or less, with the document readers);
  - the time from launch to the main window shown, cold (the bundle's files evicted from
    the page cache first) and warm (target: 1.5 s or less);
  - the time to the first search result on the seeds: a ``Workbench search`` process on
    the indexed seeds, and from nothing (``Workbench index`` then ``search`` on a new
    library); and, apart, the entity phase of indexing (spaCy's load and NER).

Each launch runs under ``/usr/bin/time -v`` (Debian package ``time``); the window runs with
``WORKBENCH_EXIT_AFTER_SHOWN=1``, which ends the process at the main window's first paint.
Under X (Xvfb is started when installed and no display is set) or, failing that, offscreen.

    python bench/bench_startup.py [--exe dist/Workbench/Workbench] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_EXE = (
    ROOT / "dist" / "Workbench" / ("Workbench.exe" if sys.platform == "win32" else "Workbench")
)
GNU_TIME = "/usr/bin/time"
SIZE_TARGET_MB = 280
SHOWN_TARGET_S = 1.5


@dataclass
class Run:
    seconds: float
    max_rss_mb: float | None
    returncode: int
    stderr: str


def timed(cmd: list[str], env: dict[str, str], timeout: float = 120) -> Run:
    """Run ``cmd`` under ``/usr/bin/time -v``; wall time and peak memory from its report."""
    if Path(GNU_TIME).exists():
        started = time.perf_counter()
        proc = subprocess.run(
            [GNU_TIME, "-v", *cmd],
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        fallback = time.perf_counter() - started
        wall = re.search(
            r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)",
            proc.stderr,
        )
        rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
        seconds = fallback
        if wall:
            h, m, s = wall.groups()
            seconds = int(h or 0) * 3600 + int(m) * 60 + float(s)
        return Run(seconds, int(rss.group(1)) / 1024 if rss else None, proc.returncode, proc.stderr)
    started = time.perf_counter()
    proc = subprocess.run(
        cmd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    return Run(time.perf_counter() - started, None, proc.returncode, proc.stderr)


def size_on_disk(folder: Path) -> tuple[int, int]:
    """(bytes allocated on disk, apparent bytes) of every file under ``folder``."""
    allocated = apparent = 0
    for p in folder.rglob("*"):
        if p.is_file() and not p.is_symlink():
            st = p.stat()
            apparent += st.st_size
            allocated += getattr(st, "st_blocks", 0) * 512 or st.st_size
    return allocated, apparent


def evict(folder: Path) -> str:
    """Drop the bundle's files from the page cache, so the next launch reads them from disk.

    Only the bundle: the system's own libraries (libc, X, fontconfig) stay cached, as they
    are on any running desktop, and other programs on the machine keep their cache.
    """
    if not hasattr(os, "posix_fadvise"):
        return "cannot evict the page cache on this platform: 'cold' is warm here"
    for p in folder.rglob("*"):
        if p.is_file() and not p.is_symlink():
            fd = os.open(p, os.O_RDONLY)
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)
    return "the bundle's files evicted from the page cache with posix_fadvise(DONTNEED)"


def start_display() -> tuple[dict[str, str], subprocess.Popen[bytes] | None, str]:
    """Environment for the GUI: the current display, a new Xvfb, or offscreen."""
    env = dict(os.environ)
    if env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        env.pop("QT_QPA_PLATFORM", None)
        return env, None, f"display {env.get('DISPLAY') or env.get('WAYLAND_DISPLAY')}"
    if shutil.which("Xvfb"):
        for n in range(170, 200):
            if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists():
                break
        xvfb = subprocess.Popen(
            ["Xvfb", f":{n}", "-screen", "0", "1600x1000x24"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(50):
            if Path(f"/tmp/.X11-unix/X{n}").exists():
                break
            time.sleep(0.1)
        env["DISPLAY"] = f":{n}"
        env.pop("QT_QPA_PLATFORM", None)
        return env, xvfb, f"Xvfb :{n} (xcb)"
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env, None, "offscreen (no X server found; install xvfb for a real one)"


def summary(runs: list[Run]) -> str:
    secs = [r.seconds for r in runs]
    rss = [r.max_rss_mb for r in runs if r.max_rss_mb is not None]
    text = f"median {statistics.median(secs):.2f} s (min {min(secs):.2f}, max {max(secs):.2f}, n={len(secs)})"
    return text + (f", peak RSS {max(rss):.0f} MB" if rss else "")


def check(run: Run, what: str) -> Run:
    if run.returncode != 0:
        raise SystemExit(f"{what} failed (exit {run.returncode}): {run.stderr.strip()[-400:]}")
    return run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--exe", type=Path, default=DEFAULT_EXE, help="the built app's executable")
    parser.add_argument("--runs", type=int, default=5, help="launches per measurement (default 5)")
    args = parser.parse_args()
    exe: Path = args.exe.resolve()
    if not exe.exists():
        print(f"{exe} does not exist: run 'make package' first", file=sys.stderr)
        return 1
    bundle = exe.parent
    if not Path(GNU_TIME).exists():
        print(
            f"note: {GNU_TIME} is missing (Debian package 'time'); timing with perf_counter instead"
        )

    allocated, apparent = size_on_disk(bundle)
    verdict = "ok" if allocated / 1e6 <= SIZE_TARGET_MB else "OVER"
    print(
        f"bundle size:            {allocated / 1e6:.0f} MB on disk ({apparent / 1e6:.0f} MB of files, "
        f"{allocated / 2**20:.0f} MiB), target <= {SIZE_TARGET_MB} MB: {verdict}"
    )
    for archive in sorted((bundle.parent).glob("Workbench-*.tar.gz")) + sorted(
        bundle.parent.glob("Workbench-*.zip")
    ):
        print(f"download:               {archive.name} {archive.stat().st_size / 1e6:.0f} MB")

    env, xvfb, display = start_display()
    with tempfile.TemporaryDirectory(prefix="workbench-bench-") as tmp:
        env.update(
            WORKBENCH_DATA_DIR=str(Path(tmp) / "data"), XDG_CONFIG_HOME=str(Path(tmp) / "config")
        )
        try:
            # From nothing: a new library indexes the seeds, then the first search. Entities
            # are a second phase (the documents are searchable before it), timed apart.
            index = check(timed([str(exe), "index", "--no-entities"], env), "Workbench index")
            first = check(timed([str(exe), "search", '"Li Zhanshu"'], env), "Workbench search")
            print(
                f"first search, new library: {index.seconds + first.seconds:.2f} s "
                f"(index the seeds {index.seconds:.2f} s + search {first.seconds:.2f} s)"
            )
            ner = check(timed([str(exe), "index"], env), "Workbench index (entities)")
            print(
                f"entities of the seeds:  {ner.seconds:.2f} s (a process loading spaCy and running NER)"
            )
            searches = [
                check(timed([str(exe), "search", '"Li Zhanshu"'], env), "search")
                for _ in range(args.runs)
            ]
            print(f"search process, indexed: {summary(searches)}")

            shown_env = {**env, "WORKBENCH_EXIT_AFTER_SHOWN": "1"}
            print(f"window on {display}")
            how = ""
            cold = []
            for _ in range(max(1, args.runs // 2 + 1)):
                how = evict(bundle)
                cold.append(check(timed([str(exe)], shown_env), "Workbench (cold)"))
            timed([str(exe)], shown_env)  # warm-up
            warm = [
                check(timed([str(exe)], shown_env), "Workbench (warm)") for _ in range(args.runs)
            ]
        finally:
            if xvfb is not None:
                xvfb.terminate()
                xvfb.wait(timeout=10)
    for label, runs in (("cold", cold), ("warm", warm)):
        med = statistics.median(r.seconds for r in runs)
        verdict = "ok" if med <= SHOWN_TARGET_S else "OVER"
        print(
            f"window shown, {label}:     {summary(runs)}, target <= {SHOWN_TARGET_S} s: {verdict}"
        )
    print(f"  (cold: {how})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
