"""A comparison written out: a Markdown summary (passages side by side) or CSV rows."""

from __future__ import annotations

from typing import Any

from ..corpus import Document
from .comparison import Comparison
from .quotes import QuoteComparison, QuotePair


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
    """A comparison summary in Markdown: entity tables, the passages side by side, then
    the quotes (paired with their differences, then those of one side only)."""
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
    if c.quotes is not None:
        lines += quotes_markdown(c.quotes, c.a, c.b)
    return "\n".join(lines)


def _diff_md(p: QuotePair) -> str:
    """A pair's word diff: what only A has struck through, what only B has in bold."""
    parts = []
    for d in p.diff:
        if d.op == "equal":
            parts.append(_md_cell(d.a))
            continue
        if d.a:
            parts.append(f"~~{_md_cell(d.a)}~~")
        if d.b:
            parts.append(f"**{_md_cell(d.b)}**")
    return " ".join(parts)


def quotes_markdown(q: QuoteComparison, a: Document, b: Document) -> list[str]:
    """The Quotes section: paired quotes with their word diff, then one-sided ones."""
    lines = [f"## Quotes ({len(q.paired)} paired)", ""]
    if q.paired:
        lines += [
            "| # | Speaker | A | B | Differences (~~only A~~ **only B**) |",
            "|---:|---|---|---|---|",
        ]
        for i, p in enumerate(q.paired, 1):
            lines.append(
                f"| {i} | {_md_cell(p.speaker)} "
                f"| {_md_cell(p.a.text)} <br>*({_where(a, p.a.start, p.a.end)})* "
                f"| {_md_cell(p.b.text)} <br>*({_where(b, p.b.start, p.b.end)})* "
                f"| {'same words' if p.identical else _diff_md(p)} |"
            )
        lines.append("")
    for heading, doc, items in (("A", a, q.only_a), ("B", b, q.only_b)):
        lines += [f"## Quotes only in {heading} ({len(items)})", ""]
        if items:
            lines += ["| Speaker | Quote |", "|---|---|"]
            for x in items:
                lines.append(
                    f"| {_md_cell(x.who())} | {_md_cell(x.text)} "
                    f"<br>*({_where(doc, x.start, x.end)})* |"
                )
            lines.append("")
    lines += [f"- {line}" for line in q.summary()] + ([""] if q.summary() else [])
    return lines


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
    "only_in_a",
    "only_in_b",
)


def comparison_rows(c: Comparison) -> list[dict[str, Any]]:
    """Rows for a CSV export: the reuse (shares and level), one row per entity (shared,
    only_a, only_b), one per passage, then the quotes (:func:`quote_rows`)."""
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
    if c.quotes is not None:
        rows += quote_rows(c.quotes, c.a, c.b)
    return rows


def quote_rows(q: QuoteComparison, a: Document, b: Document) -> list[dict[str, Any]]:
    """CSV rows of the quotes: one per pair (``quote_pair``, with what each wording has
    that the other lacks, "|"-joined), then one per quote of one side only."""
    rows: list[dict[str, Any]] = []
    for p in q.paired:
        rows.append(
            {
                "section": "quote_pair",
                "name": p.speaker,
                "a_start": p.a.start,
                "a_end": p.a.end,
                "a_page": a.section_at(p.a.start) or "",
                "a_text": p.a.text,
                "b_start": p.b.start,
                "b_end": p.b.end,
                "b_page": b.section_at(p.b.start) or "",
                "b_text": p.b.text,
                "similarity": round(p.similarity, 3),
                "only_in_a": " | ".join(p.only_a),
                "only_in_b": " | ".join(p.only_b),
            }
        )
    for x in q.only_a:
        rows.append(
            {
                "section": "quote_only_a",
                "name": x.who(),
                "a_start": x.start,
                "a_end": x.end,
                "a_page": a.section_at(x.start) or "",
                "a_text": x.text,
            }
        )
    for x in q.only_b:
        rows.append(
            {
                "section": "quote_only_b",
                "name": x.who(),
                "b_start": x.start,
                "b_end": x.end,
                "b_page": b.section_at(x.start) or "",
                "b_text": x.text,
            }
        )
    return rows
