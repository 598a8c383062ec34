"""Worker processes that never outlive the process that started them.

The index's writer processes and the NER workers are forked. If the parent is killed
(SIGKILL, an out-of-memory kill) before it can stop them, orphaned workers would keep
running and keep holding the index's write lock, and every later import would say the
library is busy. On Linux each forked child asks the kernel to kill it when its parent
dies (``PR_SET_PDEATHSIG``), and exits at once if the parent is already gone.
Elsewhere this does nothing: there the workers are not forked.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading

PR_SET_PDEATHSIG = 1
_installed = False
_lock = threading.Lock()
_parent = 0


def _remember_parent() -> None:
    global _parent
    _parent = os.getpid()


def _die_with_parent() -> None:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != _parent:  # the parent died between fork() and prctl()
        os._exit(1)


def install() -> None:
    """Make every process forked from now on die with its parent (Linux; once per process)."""
    global _installed
    with _lock:
        if _installed or not sys.platform.startswith("linux"):
            return
        os.register_at_fork(before=_remember_parent, after_in_child=_die_with_parent)
        _installed = True
