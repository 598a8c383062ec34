"""A comparison written out: a Markdown summary (passages side by side) or CSV rows."""

from __future__ import annotations

from typing import Any

from ..corpus import Document
from .comparison import Comparison


def _md_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>").strip()


def _source(doc: Document) -> str:
    """Who, where and when, as a citation names them ("Jane Roe, The Guardian, 2019-01-03")."""
    facts = [doc.author, doc.site, doc.date or ""]
    return ", ".join(f for f in facts if f)


def _where(doc: Document, start: int, end: int) -> str:
    """A passage's place: its page or chapter where the document has them, and offsets."""
    page = doc.section_at(start)
    return f"{page}, {start}–{end}" if page else f"{start}–{end}"


def comparison_markdown(c: Comparison) -> str:
    """A comparison summary in Markdown: entity tables, then the passages side by side."""
    lines = [f"# Comparison: {c.a.title} / {c.b.title}", ""]
    for side, doc in (("A", c.a), ("B", c.b)):
        cited = f"{_source(doc)}; " if _source(doc) else ""
        lines.append(
            f"- **{side}**: `{doc.id}` {doc.title} ({cited}{doc.words} words) — {doc.path}"
        )
    lines.append("")
    if c.reuse is not None:
        lines += [f"**Reuse:** {c.reuse.headline()}.", ""]
    lines += [f"> {n}" for n in c.notes] + ([""] if c.notes else [])
    for heading, items in (
        ("Shared entities", c.shared_entities),
        ("Only in A", c.only_a),
        ("Only in B", c.only_b),
    ):
        lines += [f"## {heading} ({len(items)})", ""]
        if items:
            lines += [
                "| Entity | Type | Also called | Mentions in A | Mentions in B |",
                "|---|---|---|---:|---:|",
            ]
            for e in items:
                aliases = ", ".join(a for a in e.entity.aliases if a != e.entity.name)
                lines.append(
                    f"| {_md_cell(e.entity.name)} | {e.entity.type} | {_md_cell(aliases)} "
                    f"| {e.count_a} | {e.count_b} |"
                )
            lines.append("")
    lines += [f"## Shared passages ({len(c.shared_passages)})", ""]
    if c.shared_passages:
        lines += ["| # | A | B | Similarity |", "|---:|---|---|---:|"]
        for i, p in enumerate(c.shared_passages, 1):
            lines.append(
                f"| {i} | {_md_cell(p.a_text)} <br>*({_where(c.a, p.a_start, p.a_end)})* "
                f"| {_md_cell(p.b_text)} <br>*({_where(c.b, p.b_start, p.b_end)})* "
                f"| {p.similarity:.2f} |"
            )
        lines.append("")
    return "\n".join(lines)


CSV_COLUMNS = (
    "section",
    "name",
    "type",
    "aliases",
    "count_a",
    "count_b",
    "a_start",
    "a_end",
    "a_page",
    "a_text",
    "b_start",
    "b_end",
    "b_page",
    "b_text",
    "similarity",
    "a_in_b",
    "b_in_a",
    "level",
    "earlier",
)


def comparison_rows(c: Comparison) -> list[dict[str, Any]]:
    """Rows for a CSV export: the reuse (shares and level), one row per entity (shared,
    only_a, only_b), then one per passage."""
    rows: list[dict[str, Any]] = []
    if c.reuse is not None:
        rows.append({"section": "reuse", **c.reuse.to_json()})
    for section, items in (
        ("shared", c.shared_entities),
        ("only_a", c.only_a),
        ("only_b", c.only_b),
    ):
        for e in items:
            rows.append(
                {
                    "section": section,
                    "name": e.entity.name,
                    "type": e.entity.type,
                    "aliases": "; ".join(e.entity.aliases),
                    "count_a": e.count_a,
                    "count_b": e.count_b,
                }
            )
    for p in c.shared_passages:
        rows.append(
            {
                "section": "passage",
                "a_start": p.a_start,
                "a_end": p.a_end,
                "a_page": c.a.section_at(p.a_start) or "",
                "a_text": p.a_text,
                "b_start": p.b_start,
                "b_end": p.b_end,
                "b_page": c.b.section_at(p.b_start) or "",
                "b_text": p.b_text,
                "similarity": round(p.similarity, 3),
            }
        )
    return rows
