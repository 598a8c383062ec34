"""Errors the user sees: each carries one clear line and the CLI exit code it maps to."""

from __future__ import annotations


class WorkbenchError(Exception):
    """A failure explained in one line (``str(exc)``); exit code 1."""

    exit_code = 1


class UserError(WorkbenchError):
    """The request itself was wrong (bad query, unknown id, bad option); exit code 2."""

    exit_code = 2


class UnknownDocument(UserError):
    """No document, or more than one, matches the id or id prefix given."""


class BadQuery(UserError):
    """A query the parser cannot make sense of."""


class LibraryBusy(WorkbenchError):
    """Another process holds the index's write lock for longer than the writer timeout."""
