"""The search index's ``entities`` field, kept in step with the stored resolution.

The field holds, for each canonical entity in a document, its key, its name and every
alias (and a country's official name and ISO codes), so that ``entity:"Li Zhanshu"``,
``entity:Li`` or ``entity:"U.S."`` find the same articles without any query rewriting.
Only documents whose search terms changed are written again; a rebuilt index (which
loses the stamp file) has every document's field written. When search reads entities
from the store (:meth:`~.manager.EntityManager.documents_named`), this module goes.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Protocol

from ..files import write_text_atomic
from .store import STORE_FORMAT
from .stored import EntityStore

SYNC_STAMP = "workbench-entities.json"
"""In the index folder: that its entity fields were written from the store."""
BATCH = 1000


class FieldHost(Protocol):
    index_dir: Path

    def write_entity_fields(self, terms: dict[str, list[str]]) -> int: ...


def sync_entity_field(host: FieldHost, store: EntityStore) -> int:
    """Write the ``entities`` field of the documents whose search terms changed; how many."""
    stamp = host.index_dir / SYNC_STAMP
    stale = store.stale_documents() if _stamped(stamp) else list(store.documents())
    written = 0
    for i in range(0, len(stale), BATCH):
        chunk = stale[i : i + BATCH]
        written += host.write_entity_fields(store.entity_terms_of(chunk))
        store.forget_stale(chunk)
    if stale or not stamp.exists():
        with contextlib.suppress(OSError):  # without it, the next run writes every field again
            write_text_atomic(stamp, json.dumps({"store": STORE_FORMAT}))
    return written


def _stamped(stamp: Path) -> bool:
    try:
        data = json.loads(stamp.read_text("utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.get("store") == STORE_FORMAT
