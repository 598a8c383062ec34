"""Build the packaged app, and test the build.

    python packaging/build.py              dist/Workbench/ (+ desktop entry and archive)
    python packaging/build.py --test       build, then run its self-test and data-location checks
    python packaging/build.py --test-only  test an existing dist/Workbench/ without rebuilding

PyInstaller builds for the platform it runs on. On Linux the build also gets a
``workbench.desktop`` file, the icon and ``install-desktop-entry.sh`` (which adds the app
to the user's menu), and the download is ``dist/Workbench-VERSION-linux-ARCH.tar.gz``;
on Windows and macOS the download is a zip of the folder (or of ``Workbench.app``).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "workbench.spec"
DIST = ROOT / "dist"
BUNDLE = DIST / "Workbench"
EXE = BUNDLE / ("Workbench.exe" if sys.platform == "win32" else "Workbench")


def version() -> str:
    sys.path.insert(0, str(ROOT))
    from workbench import __version__

    return __version__


def say(message: str) -> None:
    print(f"build: {message}", flush=True)


def du(path: Path) -> int:
    """Bytes on disk of a folder (apparent sizes; what a user downloads and unpacks)."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def build() -> None:
    """Run PyInstaller on the spec into build/ and dist/."""
    started = time.perf_counter()
    cmd = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--log-level",
        "WARN",
        "--distpath",
        str(DIST),
        "--workpath",
        str(ROOT / "build"),
        str(SPEC),
    ]
    say(" ".join(cmd))
    subprocess.run(cmd, cwd=ROOT, check=True)
    say(f"{BUNDLE} built in {time.perf_counter() - started:.0f} s, {du(BUNDLE) / 1e6:.0f} MB")


def linux_extras() -> None:
    """The desktop entry, its icon and the script that installs them for the user."""
    desktop = ROOT / "resources" / "workbench.desktop"
    shutil.copy2(desktop, BUNDLE / "workbench.desktop")
    icon = ROOT / "resources" / "icons" / "workbench.png"
    if icon.exists():
        shutil.copy2(icon, BUNDLE / "workbench.png")
    else:
        say(f"WARNING: {icon} is missing: the desktop entry has no icon")
    script = BUNDLE / "install-desktop-entry.sh"
    shutil.copy2(ROOT / "packaging" / "install-desktop-entry.sh", script)
    script.chmod(0o755)


def archive() -> Path:
    """The download: a tar.gz on Linux (keeps permissions), a zip elsewhere."""
    system = {"win32": "windows", "darwin": "macos"}.get(
        sys.platform, sys.platform.rstrip("0123456789")
    )
    stem = f"Workbench-{version()}-{system}-{platform.machine()}"
    started = time.perf_counter()
    if sys.platform.startswith("linux"):
        out = DIST / f"{stem}.tar.gz"
        # Level 6: nearly the size of 9 in half the time (the CI budget is shared).
        with tarfile.open(out, "w:gz", compresslevel=6) as tar:
            tar.add(BUNDLE, arcname="Workbench")
    else:
        src = DIST / "Workbench.app" if (DIST / "Workbench.app").exists() else BUNDLE
        out = DIST / f"{stem}.zip"
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
            for p in sorted(src.rglob("*")):
                zf.write(p, Path(src.name) / p.relative_to(src))
    say(f"{out} ({out.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - started:.0f} s")
    return out


# --------------------------------------------------------------------------- tests of the build


def run_self_test(outdir: Path) -> bool:
    """``Workbench --self-test OUTDIR`` on the built app; True if it exited 0."""
    say(f"{EXE} --self-test {outdir}")
    proc = subprocess.run([str(EXE), "--self-test", str(outdir)], check=False)
    return proc.returncode == 0


def check_data_locations() -> list[str]:
    """Where the built app keeps its data: the user data dir by default, never the bundle;
    beside the executable when a ``portable`` marker is there. Returns the failures."""
    failures: list[str] = []
    marker = BUNDLE / "portable"
    portable_data = BUNDLE / "WorkbenchData"
    with tempfile.TemporaryDirectory(prefix="workbench-home-") as home:
        env = {k: v for k, v in os.environ.items() if k != "WORKBENCH_DATA_DIR"}
        # A fake home, so the check never touches the real user's library.
        env.update(
            HOME=home,
            USERPROFILE=home,
            XDG_DATA_HOME=str(Path(home) / "share"),
            APPDATA=str(Path(home) / "AppData"),
            LOCALAPPDATA=str(Path(home) / "AppData"),
        )

        def docs() -> subprocess.CompletedProcess[str]:
            subprocess.run(
                [str(EXE), "index"], env=env, check=False, capture_output=True, text=True
            )
            return subprocess.run(
                [str(EXE), "docs", "--json"], env=env, check=False, capture_output=True, text=True
            )

        before = set(BUNDLE.rglob("*"))
        proc = docs()
        created = [p for p in Path(home).rglob("index") if p.is_dir()]
        if proc.returncode != 0 or not created:
            failures.append(
                f"default data dir: exit {proc.returncode}, no index under the home "
                f"folder ({proc.stderr.strip()[-200:]})"
            )
        elif set(BUNDLE.rglob("*")) != before:
            failures.append("the app wrote into its bundle without a portable marker")
        else:
            say(f"PASS default data dir: {created[0].parent}")

        marker.touch()
        try:
            proc = docs()
            if proc.returncode != 0 or not (portable_data / "index").is_dir():
                failures.append(
                    f"portable mode: exit {proc.returncode}, no {portable_data}/index "
                    f"({proc.stderr.strip()[-200:]})"
                )
            else:
                say(f"PASS portable mode: {portable_data}")
        finally:
            marker.unlink(missing_ok=True)
            shutil.rmtree(portable_data, ignore_errors=True)
    for f in failures:
        say(f"FAIL {f}")
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--test", action="store_true", help="build, then test the build")
    group.add_argument("--test-only", action="store_true", help="test the existing build")
    parser.add_argument("--no-archive", action="store_true", help="skip the tar.gz/zip")
    parser.add_argument(
        "--outdir",
        default=str(DIST / "selftest"),
        help="where the self-test writes its images (default dist/selftest)",
    )
    args = parser.parse_args(argv)

    if not args.test_only:
        build()
        if sys.platform.startswith("linux"):
            linux_extras()
        if not args.no_archive:
            archive()
    if not (args.test or args.test_only):
        return 0
    if not EXE.exists():
        say(f"{EXE} does not exist: build it first (make package)")
        return 1
    ok = run_self_test(Path(args.outdir))
    failures = check_data_locations()
    return 0 if ok and not failures else 1


if __name__ == "__main__":
    sys.exit(main())
