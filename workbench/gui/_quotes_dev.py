"""Temporary stand-in for ``lib.quotes`` until the Library has it (removed then)."""

from __future__ import annotations

from typing import Any

from workbench.core.compare.quotes import compare_quotes, same_statements
from workbench.core.quotes import extract_quotes
from workbench.core.quotes.resolve import attribute_quotes


class DevQuotes:
    def __init__(self, lib: Any) -> None:
        self.lib = lib

    def available(self) -> tuple[bool, str]:
        return self.lib.entities.available()

    def of_document(self, doc_id: str) -> list[Any]:
        text = self.lib.document(doc_id).text
        ents = self.lib.entities.of_document(doc_id)
        spans = sorted((m.start, m.end, de.entity.type) for de in ents for m in de.mentions)
        return attribute_quotes(doc_id, text, extract_quotes(text, spans), ents)

    def by_speaker(self, key: str) -> list[tuple[str, Any]]:
        out = []
        for doc_id in self.lib.docs.ids():
            out += [(doc_id, q) for q in self.of_document(doc_id) if q.key == key]
        return out

    def statements(self, key: str) -> list[Any]:
        quotes = [q for _, q in self.by_speaker(key)]

        def info(doc_id: str) -> tuple[str, str | None, str | None]:
            d = self.lib.document(doc_id)
            return d.title, d.date, d.site or None

        return same_statements(quotes, info)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for doc_id in self.lib.docs.ids():
            for q in self.of_document(doc_id):
                if q.key:
                    out[q.key] = out.get(q.key, 0) + 1
        return out


def attach(lib: Any) -> None:
    if not hasattr(type(lib), "quotes"):
        lib.quotes = DevQuotes(lib)


def with_quotes(lib: Any, cmp: Any) -> Any:
    if not hasattr(cmp, "quotes"):
        cmp.quotes = compare_quotes(
            lib.quotes.of_document(cmp.a.id), lib.quotes.of_document(cmp.b.id)
        )
    return cmp
