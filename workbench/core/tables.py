"""pandas views of the library's entities: the entity table, entity x document counts, co-mentions.

Every table is built from a :class:`~workbench.core.entities.Resolved`, so it shows the
entities after the researcher's corrections. :func:`export_csv` writes any of them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from itertools import combinations
from pathlib import Path

import pandas as pd

from .entities import Resolved
from .errors import UserError
from .files import cannot_write, write_atomic
from .spreadsheet import safe_frame

ENTITY_COLUMNS = ["name", "type", "aliases", "documents", "mentions", "key"]
ALIAS_SEPARATOR = "; "
TABLE_KINDS = ("entities", "matrix", "comentions")


def entity_table(resolved: Resolved) -> pd.DataFrame:
    """One row per canonical entity: name, type, aliases (joined by "; "), documents, mentions, key.

    Sorted by the number of documents, then mentions, most first.
    """
    docs: Counter[str] = Counter()
    mentions: Counter[str] = Counter()
    for des in resolved.doc_entities.values():
        for de in des:
            docs[de.entity.key] += 1
            mentions[de.entity.key] += len(de.mentions)
    rows = [
        {
            "name": e.name,
            "type": e.type,
            "aliases": ALIAS_SEPARATOR.join(e.aliases),
            "documents": docs[e.key],
            "mentions": mentions[e.key],
            "key": e.key,
        }
        for e in resolved.entities.values()
        if docs[e.key]
    ]
    df = pd.DataFrame(rows, columns=ENTITY_COLUMNS)
    df = df.sort_values(
        ["documents", "mentions", "name"], ascending=[False, False, True], kind="stable"
    )
    return df.reset_index(drop=True).astype({"documents": "int64", "mentions": "int64"})


def document_matrix(resolved: Resolved, doc_ids: Sequence[str]) -> pd.DataFrame:
    """Mention counts: one row per entity (index: key), one column per document id."""
    counts: dict[str, dict[str, int]] = {}
    for doc_id in doc_ids:
        for de in resolved.doc_entities.get(doc_id, []):
            counts.setdefault(de.entity.key, {})[doc_id] = len(de.mentions)
    order = entity_table(resolved)["key"].tolist()
    df = pd.DataFrame.from_dict(counts, orient="index").reindex(index=order, columns=list(doc_ids))
    df = df.fillna(0).astype("int64")
    df.index.name = "key"
    return df


def comention_table(resolved: Resolved, min_documents: int = 2) -> pd.DataFrame:
    """Pairs of entities named in the same documents, with how many documents they share.

    Columns: name_a, name_b, documents, key_a, key_b; pairs sharing fewer than
    ``min_documents`` documents are left out (on a large library they are most pairs).
    """
    pairs: Counter[tuple[str, str]] = Counter()
    for des in resolved.doc_entities.values():
        keys = sorted({de.entity.key for de in des})
        pairs.update(combinations(keys, 2))
    names = {k: e.name for k, e in resolved.entities.items()}
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


def table_for_export(
    resolved: Resolved, doc_ids: Sequence[str], kind: str
) -> tuple[pd.DataFrame, bool]:
    """The table of ``kind`` (entities, matrix or comentions) ready for CSV, and whether to
    write its index. The matrix gets the entity's name and type in front of the counts."""
    if kind == "entities":
        return entity_table(resolved), False
    if kind == "matrix":
        matrix = document_matrix(resolved, doc_ids)
        info = pd.DataFrame(
            {
                "name": [resolved.entities[k].name for k in matrix.index],
                "type": [resolved.entities[k].type for k in matrix.index],
            },
            index=matrix.index,
        )
        return pd.concat([info, matrix], axis=1), True
    if kind == "comentions":
        return comention_table(resolved), False
    raise UserError(f"unknown table '{kind}' (choose from {', '.join(TABLE_KINDS)})")
