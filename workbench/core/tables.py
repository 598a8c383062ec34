"""pandas views of the library's entities: the entity table, entity x document counts, co-mentions.

Every table is built from the stored resolution (:class:`EntityData`, the library's
:class:`~workbench.core.entities.stored.EntityStore`), so it shows the entities after the
researcher's corrections. :func:`export_csv` writes any of them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from itertools import combinations
from pathlib import Path
from typing import Protocol

import pandas as pd

from .entities import Entity
from .errors import UserError
from .files import cannot_write, write_atomic
from .spreadsheet import safe_frame

ENTITY_COLUMNS = ["name", "type", "aliases", "documents", "mentions", "key"]
ALIAS_SEPARATOR = "; "
TABLE_KINDS = ("entities", "matrix", "comentions")


class EntityData(Protocol):
    """What the tables are made from."""

    def entity_counts(self) -> Iterator[tuple[Entity, int, int]]:
        """Each entity with the documents and the mentions naming it."""

    def document_keys(self) -> Iterator[tuple[str, dict[str, int]]]:
        """Each document with its entities' keys and their mentions, by document id."""


def entity_table(data: EntityData) -> pd.DataFrame:
    """One row per canonical entity: name, type, aliases (joined by "; "), documents, mentions, key.

    Sorted by the number of documents, then mentions, most first.
    """
    rows = [
        {
            "name": e.name,
            "type": e.type,
            "aliases": ALIAS_SEPARATOR.join(e.aliases),
            "documents": docs,
            "mentions": mentions,
            "key": e.key,
        }
        for e, docs, mentions in data.entity_counts()
        if docs
    ]
    df = pd.DataFrame(rows, columns=ENTITY_COLUMNS)
    df = df.sort_values(
        ["documents", "mentions", "name"], ascending=[False, False, True], kind="stable"
    )
    return df.reset_index(drop=True).astype({"documents": "int64", "mentions": "int64"})


def document_matrix(data: EntityData, table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Mention counts: one row per entity (index: key), one column per document id."""
    counts: dict[str, dict[str, int]] = {}
    doc_ids = []
    for doc_id, keys in data.document_keys():
        doc_ids.append(doc_id)
        for key, n in keys.items():
            counts.setdefault(key, {})[doc_id] = n
    order = (entity_table(data) if table is None else table)["key"].tolist()
    df = pd.DataFrame.from_dict(counts, orient="index").reindex(index=order, columns=doc_ids)
    df = df.fillna(0).astype("int64")
    df.index.name = "key"
    return df


def comention_table(data: EntityData, min_documents: int = 2) -> pd.DataFrame:
    """Pairs of entities named in the same documents, with how many documents they share.

    Columns: name_a, name_b, documents, key_a, key_b; pairs sharing fewer than
    ``min_documents`` documents are left out (on a large library they are most pairs).
    """
    pairs: Counter[tuple[str, str]] = Counter()
    for _, keys in data.document_keys():
        pairs.update(combinations(sorted(keys), 2))
    names = {e.key: e.name for e, _, _ in data.entity_counts()}
    rows = [
        {"name_a": names[a], "name_b": names[b], "documents": n, "key_a": a, "key_b": b}
        for (a, b), n in pairs.items()
        if n >= min_documents
    ]
    df = pd.DataFrame(rows, columns=["name_a", "name_b", "documents", "key_a", "key_b"])
    df = df.sort_values(
        ["documents", "name_a", "name_b"], ascending=[False, True, True], kind="stable"
    )
    return df.reset_index(drop=True)


def export_csv(df: pd.DataFrame, path: str | Path, index: bool = False) -> Path:
    """Write a table as UTF-8 CSV; a folder that does not exist is a clear error."""
    target = Path(path).expanduser()
    if not target.parent.exists():
        raise UserError(f"cannot write {target}: the folder {target.parent} does not exist")
    safe = safe_frame(df)  # no cell a spreadsheet would run
    try:  # whole or not at all: a failed write leaves an earlier export as it was
        write_atomic(target, lambda tmp: safe.to_csv(tmp, index=index, encoding="utf-8"))
    except OSError as exc:
        raise cannot_write(exc, "the table", target) or UserError(
            f"cannot write {target}: {exc.strerror or exc}"
        ) from None
    return target


def with_quotes(table: pd.DataFrame, quotes: dict[str, int]) -> pd.DataFrame:
    """The entity table with a ``quotes`` column: how many quotes each entity has, 0 for a
    person never quoted, empty for anything else never quoted."""
    counts = [
        quotes.get(key, 0 if kind == "PERSON" else None)
        for key, kind in zip(table["key"], table["type"], strict=True)
    ]
    return table.assign(quotes=pd.array(counts, dtype="Int64"))


def table_for_export(
    data: EntityData, kind: str, quotes: dict[str, int] | None = None
) -> tuple[pd.DataFrame, bool]:
    """The table of ``kind`` (entities, matrix or comentions) ready for CSV, and whether to
    write its index. The matrix gets the entity's name and type in front of the counts.
    ``quotes`` (quotes per entity key) adds a ``quotes`` column to the entity table."""
    if kind == "entities":
        table = entity_table(data)
        return (table if quotes is None else with_quotes(table, quotes)), False
    if kind == "matrix":
        table = entity_table(data)
        matrix = document_matrix(data, table)
        info = table.set_index("key")[["name", "type"]].reindex(matrix.index)
        return pd.concat([info, matrix], axis=1), True
    if kind == "comentions":
        return comention_table(data), False
    raise UserError(f"unknown table '{kind}' (choose from {', '.join(TABLE_KINDS)})")
