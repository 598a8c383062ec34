"""The researcher's corrections: stored in the user database, parsed into typed
payloads, and applied in the order they were made by one handler per kind.

A correction names its entity by key *and* by name, so it still finds its entity when a
later corpus or model gives that entity another key. A stored correction whose payload
does not parse (a damaged row, a hand-edited backup) is skipped with a reason, never a
crash; one whose entity or document is gone is skipped quietly, and applies again if it
comes back.

Payloads, as stored (JSON)::

    rename   {key, old_name, name}          retype {key, name, type}    ignore {key, name}
    merge    {keys, names, name|null}       split  {key, name, alias}
    add      {doc_id, start, end, text, type}
    distinct {keys: [a, b], names: [a, b]}  (two entities offered as one are two)
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from ..errors import UserError
from ..serialise import JsonMixin
from .normalise import choose_name, norm_key
from .records import ENTITY_TYPES, EntityInfo


@dataclass
class Correction(JsonMixin):
    """A researcher's correction, as stored in the user database."""

    id: int
    kind: str
    payload: dict[str, Any]
    created: str = ""


CORRECTION_KINDS = ("rename", "merge", "split", "retype", "ignore", "add", "distinct")


class BadPayload(ValueError):
    """A stored payload that does not have the shape of its kind; ``str(exc)`` says why."""


# --------------------------------------------------------------------------- payloads


def _text(p: Mapping[str, Any], name: str) -> str:
    value = p.get(name)
    if not isinstance(value, str) or not value:
        raise BadPayload(f"'{name}' is not a name")
    return value


def _optional_text(p: Mapping[str, Any], name: str) -> str | None:
    value = p.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise BadPayload(f"'{name}' is not a name")
    return value


def _offset(p: Mapping[str, Any], name: str) -> int:
    value = p.get(name)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**53:
        raise BadPayload(f"'{name}' is not an offset")
    return value


def _type(p: Mapping[str, Any], name: str = "type") -> str:
    value = p.get(name)
    if not isinstance(value, str) or value.upper() not in ENTITY_TYPES:
        raise BadPayload(f"'{name}' is not an entity type")
    return value.upper()


def _names(p: Mapping[str, Any], name: str, least: int) -> tuple[str, ...]:
    value = p.get(name)
    if not isinstance(value, list) or len(value) < least:
        raise BadPayload(f"'{name}' is not a list of at least {least} keys")
    if not all(isinstance(v, str) and v for v in value):
        raise BadPayload(f"'{name}' holds something that is not a key")
    return tuple(value)


def _optional_names(p: Mapping[str, Any], name: str) -> tuple[str | None, ...] | None:
    value = p.get(name)
    if not value:
        return None
    if not isinstance(value, list) or not all(v is None or isinstance(v, str) for v in value):
        raise BadPayload(f"'{name}' is not a list of names")
    return tuple(value)


@dataclass(frozen=True)
class Rename:
    key: str
    name: str
    old_name: str | None

    @classmethod
    def parse(cls, p: Mapping[str, Any]) -> Rename:
        return cls(_text(p, "key"), _text(p, "name"), _optional_text(p, "old_name"))


@dataclass(frozen=True)
class Retype:
    key: str
    type: str
    name: str | None

    @classmethod
    def parse(cls, p: Mapping[str, Any]) -> Retype:
        return cls(_text(p, "key"), _type(p), _optional_text(p, "name"))


@dataclass(frozen=True)
class Ignore:
    key: str
    name: str | None

    @classmethod
    def parse(cls, p: Mapping[str, Any]) -> Ignore:
        return cls(_text(p, "key"), _optional_text(p, "name"))


@dataclass(frozen=True)
class Merge:
    keys: tuple[str, ...]
    names: tuple[str | None, ...]
    name: str | None

    @classmethod
    def parse(cls, p: Mapping[str, Any]) -> Merge:
        keys = _names(p, "keys", 1)
        names = _optional_names(p, "names") or (None,) * len(keys)
        return cls(keys, names, _optional_text(p, "name"))


@dataclass(frozen=True)
class Split:
    key: str
    alias: str
    name: str | None
    type: str | None

    @classmethod
    def parse(cls, p: Mapping[str, Any]) -> Split:
        kind = _type(p) if p.get("type") else None
        return cls(_text(p, "key"), _text(p, "alias"), _optional_text(p, "name"), kind)


@dataclass(frozen=True)
class Distinct:
    keys: tuple[str, str]
    names: tuple[str | None, str | None]

    @classmethod
    def parse(cls, p: Mapping[str, Any]) -> Distinct:
        keys = _names(p, "keys", 2)
        names = _optional_names(p, "names") or (None, None)
        if len(names) < 2:
            names = (*names, None, None)
        return cls((keys[0], keys[1]), (names[0], names[1]))


@dataclass(frozen=True)
class Add:
    doc_id: str
    start: int
    end: int
    text: str
    type: str
    key: str | None

    @classmethod
    def parse(cls, p: Mapping[str, Any]) -> Add:
        start, end = _offset(p, "start"), _offset(p, "end")
        if end <= start:
            raise BadPayload("'end' is not after 'start'")
        return cls(
            _text(p, "doc_id"), start, end, _text(p, "text"), _type(p), _optional_text(p, "key")
        )


# --------------------------------------------------------------------------- what corrections change


class CorrectedEntities(Protocol):
    """The entities of a library while corrections are applied to them.

    The resolver implements it over the whole library in memory; a store of resolved
    entities may implement it over its tables (the handlers never see the difference).
    """

    def find(self, key: str, name: str | None = None) -> str | None:
        """The key a correction means: its key if it still exists, else an entity with
        that name (or, failing that, that alias); of several, the first key in
        alphabetical order."""

    def info(self, key: str) -> EntityInfo:
        """The entity with this key (it exists)."""

    def has(self, key: str) -> bool: ...

    def put(self, info: EntityInfo) -> None:
        """Add a new entity."""

    def drop(self, key: str) -> EntityInfo:
        """Take an entity out (its mentions are moved first)."""

    def move(self, key: str, to: str, form: str | None = None) -> int:
        """Give ``to`` every mention of ``key`` (written ``form``, if given); how many."""

    def text(self, doc_id: str) -> str | None:
        """A document's text, or None if it is not in the library."""

    def place(self, doc_id: str, start: int, end: int, quote: str, key: str) -> None:
        """Put a mention the researcher marked into a document, replacing any it overlaps."""


def _rename(c: Rename, ents: CorrectedEntities) -> bool:
    key = ents.find(c.key, c.old_name)
    if key is None:
        return False
    ents.info(key).name = c.name
    return True


def _retype(c: Retype, ents: CorrectedEntities) -> bool:
    key = ents.find(c.key, c.name)
    if key is None:
        return False
    ents.info(key).type = c.type
    return True


def _ignore(c: Ignore, ents: CorrectedEntities) -> bool:
    key = ents.find(c.key, c.name)
    if key is None:
        return False
    ents.info(key).ignored = True
    return True


def _merge(c: Merge, ents: CorrectedEntities) -> bool:
    keys = [ents.find(k, n) for k, n in zip(c.keys, c.names, strict=False)]
    found = [k for k in dict.fromkeys(keys) if k is not None]
    if len(found) < 2 and not (found and c.name):
        return False
    into = found[0]
    for other in found[1:]:
        ents.move(other, into)
        info = ents.drop(other)
        ents.info(into).forms.update(info.forms)
    if c.name:
        ents.info(into).name = c.name
    return True


def _split(c: Split, ents: CorrectedEntities) -> bool:
    key = ents.find(c.key, c.name)
    if key is None or c.alias not in ents.info(key).forms:
        return False
    new_key = norm_key(c.alias)
    if new_key == key:
        new_key = key + " (" + c.alias + ")"
    # A surname linked within one article stays local: splitting it off must not spread
    # it to every article with that word.
    moved = ents.move(key, new_key, c.alias)
    info = ents.info(key)
    count = info.forms.pop(c.alias)
    if ents.has(new_key):
        ents.info(new_key).forms[c.alias] += count
    else:
        ents.put(EntityInfo(new_key, c.alias, c.type or info.type, Counter({c.alias: count})))
    if not info.forms:
        ents.drop(key)
    elif info.name == c.alias:
        info.name = choose_name(info.forms)
    return moved > 0


def _distinct(c: Distinct, ents: CorrectedEntities) -> bool:
    a, b = (ents.find(k, n) for k, n in zip(c.keys, c.names, strict=True))
    if a is None or b is None or a == b:
        return False
    ents.info(a).distinct_from.add(b)
    ents.info(b).distinct_from.add(a)
    return True


def relocate(text: str, start: int, end: int, quote: str) -> tuple[int, int] | None:
    """Where a marked quote is now: at its offsets, else its occurrence nearest to them."""
    if text[start:end] == quote:
        return start, end
    # The document changed: find the quote again, nearest to where it was.
    places = [hit.start() for hit in re.finditer(re.escape(quote), text)]
    if not places:
        return None
    near = min(places, key=lambda pos: abs(pos - start))
    return near, near + len(quote)


def _add(c: Add, ents: CorrectedEntities) -> bool:
    text = ents.text(c.doc_id)
    if text is None:
        return False
    found = relocate(text, c.start, c.end, c.text)
    if found is None:
        return False
    key = c.key or norm_key(c.text)
    target = ents.find(key, c.text) or key
    ents.place(c.doc_id, found[0], found[1], c.text, target)
    if ents.has(target):
        info = ents.info(target)
        info.forms[c.text] += 1
        info.ignored = False
    else:
        ents.put(EntityInfo(target, c.text, c.type, Counter({c.text: 1})))
    return True


Handler = tuple[Callable[[Mapping[str, Any]], Any], Callable[[Any, CorrectedEntities], bool]]

HANDLERS: dict[str, Handler] = {
    "rename": (Rename.parse, _rename),
    "retype": (Retype.parse, _retype),
    "ignore": (Ignore.parse, _ignore),
    "merge": (Merge.parse, _merge),
    "split": (Split.parse, _split),
    "distinct": (Distinct.parse, _distinct),
    "add": (Add.parse, _add),
}
"""Each kind's parser (stored JSON -> typed payload) and handler (payload -> applied?)."""


def parse_payload(corr: Correction) -> Any:
    """The typed payload of a correction; raises :class:`BadPayload` saying what is wrong."""
    handler = HANDLERS.get(corr.kind)
    if handler is None:
        raise BadPayload(f"'{corr.kind}' is not a kind of correction")
    if not isinstance(corr.payload, dict):
        raise BadPayload("its payload is not an object")
    return handler[0](corr.payload)


def apply_correction(corr: Correction, ents: CorrectedEntities) -> bool:
    """Apply one correction; False if its entity or document is no longer there.

    Raises :class:`BadPayload` (and changes nothing) if the payload is unusable.
    """
    payload = parse_payload(corr)
    return HANDLERS[corr.kind][1](payload, ents)


def unusable_notice(corr: Correction, reason: str) -> str:
    """The line that tells the researcher a stored correction is skipped, and how to remove it."""
    return (
        f"Entity correction {corr.id} ({corr.kind}) is skipped: {reason}. "
        f"Remove it with 'workbench entities undo {corr.id}'."
    )


# --------------------------------------------------------------------------- the store


def load_corrections(db: sqlite3.Connection) -> list[Correction]:
    """Every correction in the user database, oldest first (the order they apply in).

    A row whose payload is not a JSON object is listed with an empty payload (it is
    skipped when applied, with a notice, and can be undone): never rewritten or dropped.
    """
    out = []
    for row in db.execute("SELECT id, kind, payload, created FROM corrections ORDER BY id"):
        try:
            payload = json.loads(row[2])
        except (ValueError, TypeError, RecursionError):
            payload = None
        out.append(
            Correction(
                int(row[0]),
                str(row[1]),
                payload if isinstance(payload, dict) else {},
                str(row[3] or ""),
            )
        )
    return out


def save_correction(db: sqlite3.Connection, kind: str, payload: dict[str, Any]) -> int:
    """Store a correction; returns its id."""
    if kind not in CORRECTION_KINDS:
        raise UserError(f"unknown correction '{kind}'")
    cur = db.execute(
        "INSERT INTO corrections (kind, payload) VALUES (?, ?)",
        (kind, json.dumps(payload, ensure_ascii=False)),
    )
    return int(cur.lastrowid or 0)
