"""A note on a page of a PDF says its page in the notes panel.

The PDF is the project's own fixture (tests/data/formats/time-warner.pdf, made from a
BBC article, MIT licence, by tests/data/formats/make_fixtures.py): three pages.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from workbench.core.library import Library

from ..support import REPO
from .support import WAIT_MS, close_window, make_window, type_query

PDF = REPO / "tests" / "data" / "formats" / "time-warner.pdf"


def test_a_note_on_a_pdf_page_names_the_page(qtbot, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(PDF, folder / PDF.name)
    with Library.open(tmp_path / "data") as lib:
        lib.add_paths([folder])
    window = make_window(qtbot, tmp_path / "data")
    try:
        window.start()
        qtbot.waitUntil(lambda: len(window.documents.titles) == 1, timeout=WAIT_MS)
        type_query(qtbot, window, "subscribers")
        qtbot.keyClick(window.search_box, Qt.Key.Key_Down)
        with qtbot.waitSignal(window.documentOpened, timeout=WAIT_MS):
            qtbot.keyClick(window.results.list, Qt.Key.Key_Return)
        doc = window.reader.doc
        start = doc.sections[1][0] + 10  # on page 2
        window.reader.setTextCursor(QTextCursor(window.reader.cursor_for(start, start + 25)))
        qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
        panel = window.notes.panel
        qtbot.waitUntil(lambda: panel.current is not None, timeout=WAIT_MS)
        qtbot.waitUntil(lambda: "p. 2" in panel.anchor_label.text(), timeout=WAIT_MS)
    finally:
        close_window(window)
