"""Fetch the saved news pages of quote-gold samples 19 and 20 from PyPI, pinned by hash.

Two source releases on PyPI carry real saved news pages as their own test data:
trafilatura 1.0.0 (``tests/cache/``, from many outlets) and newspaper4k 0.9.6
(``tests/data/html/``, CNN, AP, Time, Wired and others). The pages stay the publishers'
work, read in place like ``../shared/corpora``; the gold set keeps only offsets, the
quoted words and the text's SHA-1. They are unpacked under ``.cache/pypi/`` in the repo
(not committed)::

    .venv/bin/python tests/data/fetch_pages.py      # idempotent; `make test` runs it

A labelled path ``pypi/<release>/<member>`` is the page ``.cache/pypi/<release>/<member>``.
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CACHE = REPO / ".cache" / "pypi"
PREFIX = "pypi/"
INDEX = "https://pypi.org/simple"
CORPORA = REPO.parent / "shared" / "corpora"
if not CORPORA.exists():  # a worktree outside the workplace's folder
    CORPORA = Path("/work/shared/corpora")

# release -> (PyPI project, sha256 of the sdist, folder of pages inside it)
RELEASES = {
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
}


def page_path(rel: str) -> Path:
    """Where the labelled page ``pypi/<release>/<member>`` lies once fetched."""
    return CACHE / rel.removeprefix(PREFIX)


def source_path(rel: str) -> Path:
    """Where a labelled document lives: ``seeds/`` in the repo, ``pypi/`` in the fetched
    pages, anything else under ``../shared/corpora``."""
    if rel.startswith("seeds/"):
        return REPO / rel
    if rel.startswith(PREFIX):
        return page_path(rel)
    return CORPORA / rel


def fetch(release: str) -> None:
    """Download one sdist from PyPI's simple index, check its hash and unpack its pages
    (HTML files only). Nothing of the package is built or run."""
    project, sha256, folder = RELEASES[release]
    index = urllib.request.Request(
        f"{INDEX}/{project}/", headers={"Accept": "application/vnd.pypi.simple.v1+json"}
    )
    with urllib.request.urlopen(index, timeout=60) as answer:
        files = json.load(answer)["files"]
    (url,) = [f["url"] for f in files if f["filename"] == f"{release}.tar.gz"]
    with urllib.request.urlopen(url, timeout=300) as answer:
        data = answer.read()
    digest = hashlib.sha256(data).hexdigest()
    if digest != sha256:
        raise SystemExit(f"{release}.tar.gz: sha256 {digest}, expected {sha256}")
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        prefix = f"{release}/{folder}"
        members = [
            m
            for m in tar.getmembers()
            if m.isfile() and m.name.startswith(prefix) and m.name.endswith(".html")
        ]
        tar.extractall(CACHE, members=members, filter="data")


def ensure() -> None:
    for release, (_, _, folder) in RELEASES.items():
        if not any((CACHE / release / folder).glob("*.html")):
            fetch(release)


if __name__ == "__main__":
    ensure()
