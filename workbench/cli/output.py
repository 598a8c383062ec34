"""What the command line prints: one-line errors, JSON, a progress line, terminal-safe text."""

from __future__ import annotations

import json
import re
import sys
import time
from typing import Any

from workbench.core.importer import ImportReport

# C0 and C1 control characters other than tab and newline: an escape sequence in a title or
# a file name (ESC]0;...BEL sets the window title, ESC[2J clears the screen) is shown as text.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def safe(text: object) -> str:
    """``text`` with control characters shown as escapes, so the terminal never obeys them."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(text))


def out(*parts: object) -> None:
    """Print a line of user-visible text, terminal-safe."""
    print(*(safe(p) for p in parts))


def err(message: str) -> None:
    """One line on stderr, prefixed ``workbench:``."""
    line = " ".join(safe(message).split("\n"))
    print(f"workbench: {line}", file=sys.stderr)


def print_json(data: Any) -> None:
    # JSON escapes control characters itself.
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


class ProgressLine:
    """A one-line progress bar on a terminal's stderr; silent when stderr is not a terminal."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.enabled = sys.stderr.isatty()
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if done < total and now - self.last < 0.1:
            return
        self.last = now
        width = 30
        filled = int(width * done / total) if total else width
        sys.stderr.write(f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def print_report(report: ImportReport, label: str = "Indexed") -> None:
    out(f"{label}: {report.summary()} in {report.seconds:.2f} s")
    for skip in report.skipped:
        out(f"  skipped {skip.path}: {skip.reason}")


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"
