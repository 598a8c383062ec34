"""Comparing two documents end to end: their entities (extracted now if need be), the
passages they share, and the comparison written to a file."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from ..corpus import Document
from ..errors import UserError, WorkbenchError
from ..files import cannot_write, write_text_atomic
from ..spreadsheet import safe_row
from ..text import is_english as english_language
from .align import WordRarity, align, prepare
from .comparison import Comparison, ComparisonCancelled, compare_entities
from .export import CSV_COLUMNS, comparison_markdown, comparison_rows
from .quotes import QuoteComparison, compare_quotes
from .reuse import measure_reuse

if TYPE_CHECKING:
    from ..entities import DocEntity
    from ..quotes.resolve import AttributedQuote

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]
EXPORT_SUFFIXES = (".md", ".markdown", ".csv")


class EntitySource(Protocol):
    """Where a comparison gets each document's entities (``lib.entities``)."""

    def available(self) -> tuple[bool, str]: ...

    def extract_missing(self, doc_ids: Sequence[str], cancel: Cancel | None = None) -> bool: ...

    def of_document(self, doc_id: str) -> list[DocEntity]: ...


class QuoteSource(Protocol):
    """Where a comparison gets each document's quotes (``lib.quotes``)."""

    def available(self) -> tuple[bool, str]: ...

    def of_document(self, doc_id: str) -> list[AttributedQuote]: ...


def compare_document_quotes(
    a: Document, b: Document, quotes: QuoteSource | None
) -> QuoteComparison | None:
    """The quotes of two documents paired (None without a quote source or model; a
    document not in English has no quotes found)."""
    if quotes is None or not quotes.available()[0]:
        return None
    try:
        a_quotes = quotes.of_document(a.id) if is_english(a) else []
        b_quotes = quotes.of_document(b.id) if is_english(b) else []
    except WorkbenchError:
        return None  # the model failed to load: the comparison's notes say so
    return compare_quotes(a_quotes, b_quotes)


def is_english(doc: Document) -> bool:
    """Whether entity extraction reads ``doc`` (see :func:`workbench.core.text.is_english`)."""
    return english_language(doc.language)


def check_options(min_words: int, min_similarity: float) -> None:
    """Refuse passage limits that make no sense, in one line."""
    if min_words < 1:
        raise UserError("the minimum passage length must be at least 1 word")
    if not 0.0 <= min_similarity <= 1.0:
        raise UserError("the minimum similarity must be between 0 and 1")


def compare_documents(
    a: Document,
    b: Document,
    entities: EntitySource,
    min_words: int,
    min_similarity: float,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    rarity: WordRarity | None = None,
    quotes: QuoteSource | None = None,
) -> Comparison:
    """Shared and unique entities and shared passages of two documents.

    A document never through entity extraction is extracted now (these two at most: the
    rest of the library waits for the background extraction). Without a model the entity
    lists are empty and the comparison's ``notes`` say why. Raises
    :class:`ComparisonCancelled` when ``cancel()`` turns true. ``rarity`` tells how rare
    words are in the library (see :func:`~workbench.core.compare.align.align`).
    ``quotes`` gives each document's quotes, paired in the comparison's ``quotes``.
    """
    check_options(min_words, min_similarity)
    notes: list[str] = []

    def step(done: int) -> None:
        if cancel and cancel():
            raise ComparisonCancelled("the comparison was cancelled")
        if progress:
            progress(done, 3)

    step(0)
    a_entities: list[DocEntity] = []
    b_entities: list[DocEntity] = []
    # The entity model reads English only: on other languages it finds garbage.
    english = [d for d in (a, b) if is_english(d)]
    others = [label for label, d in (("A", a), ("B", b)) if not is_english(d)]
    if others:
        notes.append(
            "entities: English only ("
            + ", ".join(f"{x} is in '{(a if x == 'A' else b).language}'" for x in others)
            + ")"
        )
    ok, message = entities.available()
    if ok and english:
        try:
            if not entities.extract_missing([d.id for d in english], cancel=cancel):
                raise ComparisonCancelled("the comparison was cancelled")
            step(1)
            a_entities = entities.of_document(a.id) if is_english(a) else []
            b_entities = entities.of_document(b.id) if is_english(b) else []
        except ComparisonCancelled:
            raise
        except WorkbenchError as exc:
            # The model failed to load: the passages are still worth showing.
            notes.append(str(exc))
    elif not ok:
        notes.append(message)
    step(2)
    languages = (a.language, b.language)
    passages = align(a.text, b.text, min_words, min_similarity, rarity=rarity, languages=languages)
    reuse = measure_reuse(
        prepare(a.text, a.language), prepare(b.text, b.language), passages, a.date, b.date
    )
    shared, only_a, only_b = compare_entities(a, b, a_entities, b_entities)
    quote_pairs = compare_document_quotes(a, b, quotes) if ok else None
    step(3)
    return Comparison(a, b, shared, only_a, only_b, passages, notes, reuse, quote_pairs)


def export_target(path: str | os.PathLike[str]) -> Path:
    """The file a comparison is exported to, refused in one line if it cannot be."""
    target = Path(path).expanduser()
    if target.suffix.lower() not in EXPORT_SUFFIXES:
        raise UserError(
            f"cannot export a comparison to '{target.name}': give a .md or .csv file name"
        )
    if not target.parent.is_dir():
        raise UserError(f"cannot write {target}: the folder {target.parent} does not exist")
    return target


def write_comparison(result: Comparison, target: Path) -> Path:
    """Write a comparison as Markdown (.md) or CSV (.csv), chosen by the suffix."""
    if target.suffix.lower() == ".csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(safe_row(row) for row in comparison_rows(result))
        content = buf.getvalue()
    else:
        content = comparison_markdown(result)
    try:
        write_text_atomic(target, content)
    except OSError as exc:
        raise cannot_write(exc, "the comparison", target) or WorkbenchError(
            f"cannot write {target}: {exc.strerror or exc}"
        ) from None
    return target
