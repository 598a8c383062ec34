"""The notes backup's schema: what a file must hold before any of it is stored.

A backup (``workbench notes export --format json``) may come from another machine, an
older Workbench, a hand edit or an attacker. The whole file is parsed and checked here,
typed and strict (pydantic, already in the app as spaCy's), before one row is written:
a file that does not fit is refused in one line naming the first field that is wrong
(``notes[3].anchors[0].start``), and nothing of it is stored.

What is checked, beyond the types:

- numbers stay inside what SQLite and JavaScript hold exactly (ids and offsets below
  2**53), so no id can push the notes table's counter to its end;
- anchors have ``start <= end``; times are ISO 8601, as Workbench writes them;
- an entity correction's ``payload`` (JSON text, as stored) has the shape of its kind,
  so a backup can never store a correction that breaks every later resolution;
- JSON nested deeper than any backup is refused by the parser (no ``RecursionError``),
  and so is text that is not UTF-8 or holds half a surrogate pair.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import pydantic_core
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .model import EXPORT_FORMAT, EXPORT_VERSION, BadNotesFile

LARGEST = 2**53 - 1
"""The largest id or offset a backup may hold (exact in JSON readers everywhere)."""
_TIME = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z?$"

Offset = Annotated[int, Field(ge=0, le=LARGEST)]
RowId = Annotated[int, Field(ge=1, le=LARGEST)]
Time = Annotated[str, Field(pattern=_TIME, max_length=40)]
Name = Annotated[str, Field(min_length=1)]


def _entity_type(value: str) -> str:
    from ..entities import ENTITY_TYPES  # on first use: importing notes stays cheap

    if value.upper() not in ENTITY_TYPES:
        raise PydanticCustomError(
            "entity_type", "should be one of {types}", {"types": ", ".join(ENTITY_TYPES)}
        )
    return value


EntityType = Annotated[str, AfterValidator(_entity_type)]


class _Strict(BaseModel):
    # strict: "5" is not a number and 1.0 not an id; fields a later Workbench adds are
    # ignored (a newer format is refused by its version before this).
    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)


class BackupAnchor(_Strict):
    doc_id: Name
    start: Offset = 0
    end: Offset = 0
    quote: str = ""
    prefix: str = ""
    suffix: str = ""
    orphaned: bool = False
    doc_sha: str = ""

    @model_validator(mode="after")
    def _in_order(self) -> BackupAnchor:
        if self.end < self.start:
            raise PydanticCustomError("anchor_order", "'end' is before 'start'")
        return self


class BackupNote(_Strict):
    uid: Annotated[str, Field(min_length=1, max_length=200)]
    body: str
    created: Time
    updated: Time
    deleted: Time | None = None
    id: RowId | None = None
    tags: list[str] = []
    anchors: list[BackupAnchor] = []


# The payload of each kind of correction, as workbench.core.entities stores and reads it.


class _Rename(_Strict):
    key: Name
    name: Name
    old_name: str | None = None


class _Retype(_Strict):
    key: Name
    type: EntityType
    name: str | None = None


class _Ignore(_Strict):
    key: Name
    name: str | None = None


class _Merge(_Strict):
    keys: Annotated[list[Name], Field(min_length=1)]
    names: list[str | None] | None = None
    name: str | None = None


class _Split(_Strict):
    key: Name
    alias: Name
    name: str | None = None
    type: EntityType | Literal[""] | None = None


class _Distinct(_Strict):
    keys: Annotated[list[Name], Field(min_length=2, max_length=2)]
    names: list[str | None] | None = None


class _Add(_Strict):
    doc_id: Name
    start: Offset
    end: Offset
    text: Name
    type: EntityType
    key: str | None = None

    @model_validator(mode="after")
    def _in_order(self) -> _Add:
        if self.end <= self.start:
            raise PydanticCustomError("span_order", "'end' is not after 'start'")
        return self


PAYLOADS: dict[str, type[_Strict]] = {  # one per kind of workbench.core.entities
    "rename": _Rename,
    "retype": _Retype,
    "ignore": _Ignore,
    "merge": _Merge,
    "split": _Split,
    "distinct": _Distinct,
    "add": _Add,
}


class BackupCorrection(_Strict):
    kind: str
    payload: str
    created: Time | None = None
    id: RowId | None = None

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, kind: str) -> str:
        if kind not in PAYLOADS:
            raise PydanticCustomError(
                "kind", "should be one of {kinds}", {"kinds": ", ".join(PAYLOADS)}
            )
        return kind

    @field_validator("payload")
    @classmethod
    def _fits_its_kind(cls, payload: str, info: ValidationInfo) -> str:
        kind = info.data.get("kind")
        if kind is None:  # the kind itself is wrong: said already
            return payload
        try:
            PAYLOADS[kind].model_validate(pydantic_core.from_json(payload))
        except ValueError as exc:  # a ValidationError, or text that is not JSON
            detail = _first_problem(exc) if isinstance(exc, ValidationError) else str(exc)
            raise PydanticCustomError(
                "payload",
                "does not fit a '{kind}' correction: {detail}",
                {"kind": kind, "detail": detail},
            ) from None
        return payload


class Backup(_Strict):
    format: Literal["workbench-notes"]
    version: Annotated[int, Field(ge=1, le=EXPORT_VERSION)]
    notes: list[BackupNote] = []
    corrections: list[BackupCorrection] = []


def _where(location: tuple[int | str, ...]) -> str:
    """``('notes', 3, 'anchors', 0, 'start')`` as ``notes[3].anchors[0].start``."""
    out = ""
    for part in location:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "…"


def _first_problem(exc: ValidationError) -> str:
    """The first thing wrong, in one line: where, what, and what was there instead."""
    error = exc.errors(include_url=False)[0]
    where = _where(tuple(error["loc"]))
    message = error["msg"][:1].lower() + error["msg"][1:]
    found = "" if error["type"] in {"missing", "payload"} else f" (found {_shown(error['input'])})"
    return f"{where}: {message}{found}" if where else f"{message}{found}"


def parse_backup(data: Any) -> Backup:
    """The backup in ``data`` (parsed JSON), checked whole; :class:`BadNotesFile` names
    the first field that is wrong."""
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise BadNotesFile(
            "this is not a Workbench notes backup (made by 'workbench notes export --format json')"
        )
    version = data.get("version")
    if isinstance(version, int) and not isinstance(version, bool) and version > EXPORT_VERSION:
        raise BadNotesFile(
            f"this notes backup is from a newer Workbench (format {version}); please update Workbench"
        )
    try:
        return Backup.model_validate(data)
    except ValidationError as exc:
        raise BadNotesFile(
            f"the notes backup is damaged and was not imported (nothing was changed): "
            f"{_first_problem(exc)}"
        ) from None


def load_json(raw: bytes) -> Any:
    """A backup file's bytes as JSON values; ``ValueError`` (one line) when it is not
    JSON: not UTF-8, half a surrogate pair, or nested deeper than any backup."""
    return pydantic_core.from_json(raw)
