"""The ``workbench`` command line: thin argument parsing over :class:`~workbench.core.library.Library`.

Exit codes: 0 success; 2 a usage error, a bad query or an unknown id; 1 any other
failure. Every failure prints one line on stderr, never a traceback: an error nobody
foresaw is written with its traceback to the error log (``logs/errors.log`` in the data
directory) and the line names the log.

Commands live in one registry (:mod:`.registry`); each module here registers its own.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path

from workbench import __version__
from workbench.core.errorlog import unexpected
from workbench.core.errors import WorkbenchError
from workbench.core.files import cannot_write
from workbench.core.index import IndexDamaged
from workbench.core.library import Library

from . import (
    compare_commands,
    entity_commands,
    library_commands,
    notes_commands,
    quote_commands,
)
from .output import ProgressLine, err
from .registry import COMMANDS, build_parser

__all__ = ["COMMANDS", "build_parser", "cmd_gui", "main"]
# The command modules register their commands when imported.
_REGISTERED = (library_commands, notes_commands, entity_commands, compare_commands, quote_commands)


def _data_dir_arg(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("the data directory cannot be empty")
    return text


def _global_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--version", action="version", version=f"workbench {__version__}")
    parser.add_argument(
        "--data-dir",
        type=_data_dir_arg,
        help="where the index and notes live (default: $WORKBENCH_DATA_DIR or the user data dir)",
    )


def _command_index(argv: list[str]) -> int | None:
    """Where the command name is in ``argv`` (after the global options), if anywhere."""
    i = 0
    while i < len(argv):
        token = argv[i]
        if token == "--data-dir":
            i += 2
            continue
        if token.startswith("-"):
            i += 1
            continue
        return i
    return None


def _expand_shorthands(argv: list[str]) -> list[str]:
    at = _command_index(argv)
    if at is not None and argv[at] == "entities":
        return entity_commands.with_show(argv, at)
    return argv


def _tolerant_output() -> None:
    """Print what the console cannot encode as escapes instead of failing (a redirected
    Windows console is often cp1252 or latin-1)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="backslashreplace")


def cmd_gui(args: argparse.Namespace) -> int:
    try:
        from workbench.gui.app import main as gui_main
    except ImportError as exc:
        err(
            f"the desktop app is not available ({exc}); "
            "use the commands listed by 'workbench --help'"
        )
        return 1
    return gui_main(data_dir=args.data_dir)


def _os_error(exc: OSError) -> str:
    refused = cannot_write(exc)
    if refused is not None:
        return str(refused)
    reason = exc.strerror or str(exc)
    return f"{reason}: {exc.filename}" if exc.filename else reason


def main(argv: Sequence[str] | None = None) -> int:
    _tolerant_output()
    words = list(sys.argv[1:] if argv is None else argv)
    args = build_parser(_global_options).parse_args(_expand_shorthands(words))
    if args.data_dir is None:
        args.data_dir = os.environ.get("WORKBENCH_DATA_DIR") or None
    if args.command is None:
        return cmd_gui(args)
    root: Path | None = None
    try:
        with Library.open(args.data_dir, on_notice=err) as lib:
            root = lib.root
            lib.rebuild_if_needed(progress=ProgressLine("Rebuilding"))
            try:
                return int(args.handler(args, lib))
            except IndexDamaged:  # found while reading: rebuild (saying why), then answer
                lib.rebuild_if_needed(progress=ProgressLine("Rebuilding"))
                return int(args.handler(args, lib))
    except WorkbenchError as exc:
        err(str(exc))
        return exc.exit_code
    except KeyboardInterrupt:
        err("interrupted")
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:
        err(_os_error(exc))
        return 1
    except sqlite3.Error as exc:
        refused = cannot_write(exc)  # a full disk, a read-only folder: not a bug
        err(str(refused) if refused is not None else unexpected(exc, root))
        return 1
    except Exception as exc:  # a bug: one line here, the traceback in the log
        err(unexpected(exc, root))
        return 1
