"""A fuzzer of file names: any bytes a Linux file name may hold (not UTF-8, control
characters, newlines, leading dashes, 255 bytes long) in a folder being imported. The
import never raises, and every file it reads (not hidden, a format it knows) is imported
or skipped with its reason; an imported file's path is kept exactly."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.core.corpus import SUPPORTED_SUFFIXES
from workbench.core.library import Library

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="file names as arbitrary bytes are Linux's"
)

SUFFIXES = [b".txt", b".md", b".html", b".htm", b".TXT", b".pdf", b".docx", b"", b".txt~"]
STEMS = st.binary(min_size=1, max_size=60).filter(
    lambda b: b"/" not in b and b"\0" not in b and b not in {b".", b".."}
)
NAMES = st.builds(lambda stem, suffix: (stem + suffix)[:255], STEMS, st.sampled_from(SUFFIXES))
BODIES = st.sampled_from(
    [
        b"An article\n\nAbout the economy and the bank.",
        "Caf\u00e9 society\n\nWritten in UTF-8.".encode(),
        b"Latin-1 caf\xe9\n\nNot UTF-8 at all.",
        b"",
        b"\x00\x01\x02 binary \xff\xfe",
        b"<html><head><title>A page</title></head><body><p>Some text.</p></body></html>",
    ]
)


def test_fuzzed_file_names_are_imported_or_skipped_with_a_reason(tmp_path: Path) -> None:
    with Library.open(tmp_path / "data") as lib:

        @settings(
            max_examples=60,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        )
        @given(st.dictionaries(NAMES, BODIES, min_size=1, max_size=6))
        def check(files: dict[bytes, bytes]) -> None:
            folder = os.fsencode(tempfile.mkdtemp(dir=tmp_path))
            articles = set()  # the files an import looks at: not hidden, a format it reads
            for name, body in files.items():
                path = folder + b"/" + name
                with open(path, "wb") as fh:
                    fh.write(body)
                shown = os.fsdecode(name)
                if not shown.startswith(".") and Path(shown).suffix.lower() in SUPPORTED_SUFFIXES:
                    articles.add(os.fsdecode(path))
            report = lib.add_paths([os.fsdecode(folder)])
            imported = {lib.docs.get(doc_id).path for doc_id in report.added}  # type: ignore[union-attr]
            skipped = {s.path: s.reason for s in report.skipped}
            assert all(reason.strip() for reason in skipped.values())
            assert imported | set(skipped) == articles, (imported, skipped, articles)
            assert not imported & set(skipped)

        check()
