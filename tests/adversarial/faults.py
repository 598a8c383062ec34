"""Making writes fail on purpose: a full disk, an I/O error, a read-only data directory.

Two ways, for two needs:

- :func:`run_cli` runs ``workbench`` commands in a process inside a private mount
  namespace (``unshare``) where the kernel itself refuses the writes: the data directory
  is a copy on a small tmpfs filled up to ``free`` bytes (``ENOSPC`` for every writer,
  SQLite's C code and Whoosh's segment files included), or a read-only bind mount of the
  real one (``EROFS``). The mounts vanish with the process; the real data directory is
  never touched, and a full-disk run copies what it left behind to ``kept`` so a test
  can check that nothing was lost. It needs root or unprivileged user namespaces;
  :data:`needs_namespaces` skips a test, saying why, where neither is allowed.
- :func:`fail_writes` makes one chosen write fail inside this process, on any system:
  opening a matching file for writing, writing to it, syncing it or renaming it raises
  ``OSError(errno)`` (``ENOSPC``, ``EIO``, ``EROFS``, ``EACCES``), for the Python-level
  writers (the manifest, the index's files, exports, atomic writes).
"""

from __future__ import annotations

import builtins
import errno as errnos
import fnmatch
import functools
import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from ..support import REPO

# --------------------------------------------------------------------------- namespaces


@functools.cache
def _unshare() -> tuple[str, ...] | None:
    """The ``unshare`` flags that give this user a mount namespace it may mount in."""
    if shutil.which("unshare") is None or not sys.platform.startswith("linux"):
        return None
    for flags in (("-m",), ("-Urm",)):
        probe = subprocess.run(
            ["unshare", *flags, "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"],
            capture_output=True,
            timeout=30,
            check=False,
        )
        if probe.returncode == 0:
            return ("unshare", *flags)
    return None


needs_namespaces = pytest.mark.skipif(
    _unshare() is None,
    reason="a private mount namespace (root, or unprivileged user namespaces) is needed "
    "to give the data directory a real full or read-only file system",
)

# Runs inside the namespace: for each command, builds the faulty file system, runs the
# command (in this process: one interpreter start for them all) and, for a full disk,
# copies what the command left behind back out.
_DRIVER = r"""
import contextlib, io, json, os, shutil, subprocess, sys
spec = json.loads(sys.argv[1])
sys.path.insert(0, spec["repo"])
from workbench.cli import main

def sh(*argv):
    subprocess.run(argv, check=True)

def fill(disk, free):
    with open(os.path.join(disk, ".filler"), "wb") as fh:
        try:
            while True:
                info = os.statvfs(disk)
                left = info.f_bavail * info.f_frsize
                if left <= free:
                    return
                fh.write(b"\0" * min(left - free, 1 << 20))
                fh.flush()
        except OSError:
            pass

data = spec["data"]
if spec["read_only"]:
    for path in [data] + spec["also"]:
        sh("mount", "--bind", path, path)
        sh("mount", "-o", "remount,bind,ro", path)
results = []
for number, run in enumerate(spec["runs"]):
    if run["full"]:
        disk = f"{spec['scratch']}-{number}"
        os.makedirs(disk)
        sh("mount", "-t", "tmpfs", "-o", f"size={run['size']}", "tmpfs", disk)
        shutil.copytree(data, disk, symlinks=True, dirs_exist_ok=True)
        sh("mount", "--bind", disk, data)
        fill(disk, run["free"])
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(["--data-dir", data, *run["argv"]])
        except SystemExit as exc:
            code = exc.code
    if run["full"]:
        os.remove(os.path.join(disk, ".filler"))
        shutil.copytree(data, run["kept"], symlinks=True, dirs_exist_ok=True)
        # Lazily: a file the command left open (a failed writer's) must not stop the next.
        sh("umount", "-l", data)
        sh("umount", "-l", disk)
    results.append({"rc": code, "out": out.getvalue(), "err": err.getvalue()})
print(json.dumps(results))
"""


@dataclass(frozen=True)
class Run:
    """One command to run with a fault: ``full`` (the data directory a copy on a tmpfs
    of ``size`` with ``free`` bytes left, what it left copied to ``kept`` afterwards)
    or, when not full, on the read-only data directory of :func:`run_cli`."""

    argv: tuple[str, ...]
    full: bool = False
    free: int = 0
    size: str = "64m"
    kept: Path | None = None


def run_cli(
    data: Path, runs: list[Run], read_only: bool = False, also_read_only: tuple[Path, ...] = ()
) -> list[subprocess.CompletedProcess[str]]:
    """Run ``workbench --data-dir DATA ARGV...`` for each of ``runs``, with its fault, in
    one process in a private mount namespace. ``read_only``: the data directory (and
    ``also_read_only``) is mounted read-only for the runs that are not ``full``."""
    prefix = _unshare()
    if prefix is None:
        pytest.skip("no private mount namespace here")
    for run in runs:
        assert not run.full or run.kept is not None, "a full-disk run copies what it kept"
        assert not (run.full and read_only), "choose one fault"
    spec: dict[str, Any] = {
        "repo": str(REPO),
        "data": str(data),
        "read_only": read_only,
        "also": [str(p) for p in also_read_only],
        "scratch": str(data.parent / f".{data.name}-disk"),
        "runs": [
            {
                "argv": list(run.argv),
                "full": run.full,
                "free": run.free,
                "size": run.size,
                "kept": str(run.kept),
            }
            for run in runs
        ],
    }
    proc = subprocess.run(
        [*prefix, sys.executable, "-c", _DRIVER, json.dumps(spec)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=REPO,
    )
    assert proc.returncode == 0, f"the faults could not be set up: {proc.stderr[-3000:]}"
    results = json.loads(proc.stdout.strip().splitlines()[-1])
    return [
        subprocess.CompletedProcess(list(run.argv), r["rc"], r["out"], r["err"])
        for run, r in zip(runs, results, strict=True)
    ]


# --------------------------------------------------------------------------- in this process

_WRITE_MODES = set("wax+")


class _FailingFile:
    """A real file open for writing whose writes fail (what a full disk does to a write)."""

    def __init__(self, inner: Any, error: OSError) -> None:
        self._inner = inner
        self._error = error

    def write(self, _data: Any) -> int:
        raise self._error

    def writelines(self, _lines: Any) -> None:
        raise self._error

    def flush(self) -> None:
        raise self._error

    def __enter__(self) -> _FailingFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self._inner.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._inner)


class WriteFaults:
    """What :func:`fail_writes` did: the writes it refused, by path."""

    def __init__(self) -> None:
        self.refused: list[str] = []


_PARTIAL = re.compile(r"^\.(.+)\.\d+-\d+-[0-9a-f]{8}\.partial$")
"""The temporary name :func:`workbench.core.files.write_atomic` gives a file it writes."""


@contextmanager
def fail_writes(
    match: str,
    error: int = errnos.ENOSPC,
    at: str = "write",
) -> Iterator[WriteFaults]:
    """Make writes to files whose path matches the glob ``match`` fail with ``error``.

    ``at`` chooses where: ``"open"`` (opening for writing fails, as on a read-only or
    foreign folder), ``"write"`` (the open succeeds and writing, flushing, syncing or
    renaming into place fails, as on a full disk), or ``"replace"`` (only the rename
    that puts a finished file in place fails). Temporary files beside a matching file
    (``.NAME.<unique>.partial``) match as NAME.
    """
    faults = WriteFaults()
    real_open = builtins.open
    real_io_open = io.open
    real_replace, real_rename, real_fsync = os.replace, os.rename, os.fsync

    def hit(path: Any) -> bool:
        if isinstance(path, int):
            return False
        text = os.fsdecode(path)
        partial = _PARTIAL.match(os.path.basename(text))
        if partial:  # the temporary file an atomic write renames into place
            text = os.path.join(os.path.dirname(text), partial.group(1))
        return fnmatch.fnmatch(text, match)

    def oserror(path: Any) -> OSError:
        faults.refused.append(os.fsdecode(path))
        return OSError(error, os.strerror(error), os.fsdecode(path))

    def opener(real: Callable[..., Any]) -> Callable[..., Any]:
        def patched(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
            if not (_WRITE_MODES & set(mode)) or not hit(file):
                return real(file, mode, *args, **kwargs)
            if at == "open":
                raise oserror(file)
            handle = real(file, mode, *args, **kwargs)
            return handle if at == "replace" else _FailingFile(handle, oserror(file))

        return patched

    def renamer(real: Callable[..., Any]) -> Callable[..., Any]:
        def patched(src: Any, dst: Any, *args: Any, **kwargs: Any) -> Any:
            if at in {"write", "replace"} and (hit(dst) or hit(src)):
                raise oserror(dst)
            return real(src, dst, *args, **kwargs)

        return patched

    def fsync(fd: Any) -> None:
        target = fd if isinstance(fd, int) else fd.fileno()
        try:
            path = os.readlink(f"/proc/self/fd/{target}")
        except OSError:
            path = ""
        if at == "write" and path and hit(path):
            raise oserror(path)
        real_fsync(fd)

    patch = pytest.MonkeyPatch()
    patch.setattr(builtins, "open", opener(real_open))
    patch.setattr(io, "open", opener(real_io_open))
    patch.setattr(os, "replace", renamer(real_replace))
    patch.setattr(os, "rename", renamer(real_rename))
    patch.setattr(os, "fsync", fsync)
    try:
        yield faults
    finally:
        patch.undo()


def tree_bytes(folder: Path, skip: tuple[str, ...] = ()) -> dict[str, bytes]:
    """Every file under ``folder`` and its bytes (for "nothing was changed" checks)."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not any(fnmatch.fnmatch(p.name, s) for s in skip)
    }
