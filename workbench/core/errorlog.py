"""Unexpected errors: the traceback goes to a log file, the user gets one line naming it.

Neither the command line nor the app ever shows a traceback. What they cannot explain in
a sentence (a bug) is written with its traceback to ``logs/errors.log`` in the data
directory (or the system's temporary folder if that cannot be written), and the user is
told, in one line, what happened and where the details are.
"""

from __future__ import annotations

import os
import tempfile
import time
import traceback
from pathlib import Path

LOG_NAME = "errors.log"
MAX_LOG_BYTES = 1_000_000
"""A log grown past this is started afresh (the previous one is kept as ``errors.log.1``)."""


def log_error(exc: BaseException, data_dir: Path | None = None) -> Path | None:
    """Append ``exc`` and its traceback to the error log; the log's path, or None."""
    text = "".join(traceback.format_exception(exc))
    stamp = time.strftime("%Y-%m-%d %H:%M:%S")
    for folder in ([data_dir / "logs"] if data_dir else []) + [Path(tempfile.gettempdir())]:
        path = folder / (LOG_NAME if folder.name == "logs" else f"workbench-{LOG_NAME}")
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if path.exists() and path.stat().st_size > MAX_LOG_BYTES:
                os.replace(path, path.with_name(path.name + ".1"))
            with path.open("a", encoding="utf-8") as fh:
                fh.write(f"--- {stamp} (pid {os.getpid()})\n{text}\n")
            return path
        except OSError:
            continue
    return None


def unexpected(exc: BaseException, data_dir: Path | None = None) -> str:
    """The one line a user sees for an error nobody foresaw; the traceback is logged."""
    path = log_error(exc, data_dir)
    where = f"the details are in {path}" if path else "the details could not be written"
    what = str(exc).split("\n", 1)[0][:200]
    return f"unexpected error ({type(exc).__name__}: {what}); {where}"
