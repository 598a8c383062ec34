"""How fast files are read, per format, beside the reference tools on the same files.

    .venv/bin/python bench/bench_import.py [--rounds N] [--index]

Reads (``corpus.parse_file``: bytes to text, title and metadata, no indexing) every file
of each test set and prints files/s and MB/s per format:

- html: ``shared/corpora/web-pages`` (130 saved pages), beside trafilatura alone
  (``bare_extraction`` with its metadata) on the same pages;
- pdf: ``shared/corpora/pdf-samples`` (the readable ones), beside pdftotext (Debian
  package poppler-utils, one process per file as a user runs it) on the same files;
- docx, odt, epub, mhtml: the fixtures in ``tests/data/formats``;
- txt: the BBC corpus (2,095 articles).

Rounds alternate Workbench and the peer tool; medians are compared (the machine is
shared). ``--index`` also times a whole ``Library.add_paths`` of the BBC corpus.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workbench.core import corpus
from workbench.core.library import Library

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpora"
FIXTURES = ROOT / "tests" / "data" / "formats"


def readable(files: list[Path]) -> list[Path]:
    """The files Workbench reads (skipped ones left out, for both tools)."""
    out = []
    for f in files:
        try:
            corpus.parse_file(f)
        except corpus.SkippedFile:
            continue
        out.append(f)
    return out


def timed(files: list[Path], read: Callable[[Path], object]) -> float:
    started = time.perf_counter()
    for f in files:
        read(f)
    return time.perf_counter() - started


def trafilatura_alone(path: Path) -> object:
    import trafilatura

    return trafilatura.bare_extraction(path.read_bytes(), with_metadata=True)


def pdftotext(path: Path) -> object:
    return subprocess.run(
        ["pdftotext", "-q", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=False
    )


def compare(
    label: str, files: list[Path], rounds: int, peer: tuple[str, Callable[[Path], object]] | None
) -> None:
    size = sum(f.stat().st_size for f in files) / 1048576
    ours: list[float] = []
    theirs: list[float] = []
    for _ in range(rounds):
        ours.append(timed(files, corpus.parse_file))
        if peer:
            theirs.append(timed(files, peer[1]))
    mine = statistics.median(ours)
    line = (
        f"{label:6} {len(files):5d} files {size:7.1f} MB  "
        f"{len(files) / mine:8.1f} files/s {size / mine:7.2f} MB/s"
    )
    if peer and theirs:
        other = statistics.median(theirs)
        line += (
            f"   | {peer[0]}: {len(files) / other:8.1f} files/s  "
            f"Workbench takes {mine / other:.2f}x its time"
        )
    print(line, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--index", action="store_true", help="also index the BBC corpus")
    args = parser.parse_args()
    for name in ("trafilatura", "htmldate", "readability", "courlan"):
        logging.getLogger(name).setLevel(logging.CRITICAL)

    pages = sorted((SHARED / "web-pages" / "pages").glob("*/source.html"))
    pdfs = readable(sorted((SHARED / "pdf-samples").glob("*/*.pdf")))
    bbc = sorted((SHARED / "bbc-news").glob("*/*.txt"))
    compare("html", pages, args.rounds, ("trafilatura alone", trafilatura_alone))
    if shutil.which("pdftotext"):
        compare("pdf", pdfs, args.rounds, ("pdftotext", pdftotext))
    else:
        print("pdf: pdftotext not installed (apt-get install poppler-utils); Workbench alone")
        compare("pdf", pdfs, args.rounds, None)
    for suffix in ("docx", "odt", "epub", "mhtml"):
        compare(suffix, sorted(FIXTURES.glob(f"*.{suffix}")), args.rounds * 5, None)
    compare("txt", bbc, args.rounds, None)
    if args.index:
        with tempfile.TemporaryDirectory(prefix="wb-bench-") as tmp, Library.open(tmp) as lib:
            started = time.perf_counter()
            report = lib.add_paths([SHARED / "bbc-news"])
            seconds = time.perf_counter() - started
            print(
                f"index  {len(report.added)} BBC articles in {seconds:.1f} s "
                f"({len(report.added) / seconds:.0f} files/s)"
            )


if __name__ == "__main__":
    main()
