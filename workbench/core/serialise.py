"""One way to turn result dataclasses into JSON-ready dicts.

Every dataclass field is written under its own name, nested dataclasses, lists, tuples
and dicts are converted in turn (tuples become lists), and floats are rounded to
:data:`DIGITS` places. A class leaves fields out by listing them in ``json_exclude``
(internal state, or what another field already says).
"""

from __future__ import annotations

import dataclasses
from typing import Any

DIGITS = 4
"""Decimal places kept of a float: scores and similarities, not measurements."""


def to_json(value: Any) -> Any:
    """``value`` as plain JSON data (dicts, lists, strings, numbers, booleans, None)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        skip = getattr(type(value), "json_exclude", ())
        return {
            f.name: to_json(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.name not in skip
        }
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, float):
        return round(value, DIGITS)
    return value


class JsonMixin:
    """Gives a dataclass ``to_json()`` through :func:`to_json`."""

    json_exclude: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        data = to_json(self)
        assert isinstance(data, dict)
        return data
