"""The one registry of commands, and the argparse tree built from it.

Each command is a function registered with :func:`command` under its name (``"index"``,
``"notes add"``, ``"entities merge"``: a space makes a sub-command), with its help line
and its arguments (:func:`arg`). :func:`build_parser` turns the registry into one
argparse tree, so every command, sub-command and option is listed by ``--help``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NoReturn

from workbench.core.library import Library

Handler = Callable[[argparse.Namespace, Library], int]


@dataclass(frozen=True)
class Arg:
    """One argparse argument: its flags or name, and ``add_argument``'s keywords."""

    names: tuple[str, ...]
    options: dict[str, Any]


def arg(*names: str, **options: Any) -> Arg:
    return Arg(names, options)


@dataclass
class Command:
    name: str
    help: str
    handler: Handler | None
    args: tuple[Arg, ...] = ()
    description: str | None = None
    children: dict[str, Command] = field(default_factory=dict)


COMMANDS: dict[str, Command] = {}
"""Top-level commands by name; sub-commands hang off their parent's ``children``."""


def group(name: str, help: str, description: str | None = None) -> None:
    """Declare a command that only has sub-commands (``notes``)."""
    COMMANDS.setdefault(name, Command(name, help, None, description=description))


def command(
    name: str, help: str, *args: Arg, description: str | None = None
) -> Callable[[Handler], Handler]:
    """Register ``fn`` as the command ``name`` ("search", or "notes add")."""

    def register(fn: Handler) -> Handler:
        *parents, leaf = name.split()
        table = COMMANDS
        for parent in parents:
            table = table[parent].children
        existing = table.get(leaf)
        children = existing.children if existing else {}
        table[leaf] = Command(leaf, help, fn, args, description, children)
        return fn

    return register


class OneLineParser(argparse.ArgumentParser):
    """argparse with usage errors in one line (and exit code 2), not a usage block."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"workbench: {message} (see '{self.prog} --help')\n")
        raise SystemExit(2)


def _add(sub: Any, cmd: Command) -> None:
    p = sub.add_parser(
        cmd.name,
        help=cmd.help,
        description=cmd.description or cmd.help,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    for a in cmd.args:
        p.add_argument(*a.names, **a.options)
    if cmd.handler is not None:
        p.set_defaults(handler=cmd.handler)
    if cmd.children:
        children = p.add_subparsers(
            dest=f"{cmd.name}_command", metavar="ACTION", required=cmd.handler is None
        )
        for child in cmd.children.values():
            _add(children, child)


def build_parser(top: Callable[[argparse.ArgumentParser], None]) -> argparse.ArgumentParser:
    """The whole argparse tree; ``top`` adds the options every command shares."""
    parser = OneLineParser(
        prog="workbench",
        description="An offline research workbench: search, read and compare articles. "
        "With no command, the desktop app starts.",
    )
    top(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=OneLineParser)
    for cmd in COMMANDS.values():
        _add(sub, cmd)
    return parser
