"""Notes on the seed articles: anchors that follow the text, filters, search, export, import, CLI."""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.cli import main
from workbench.core import notes as notes_mod
from workbench.core import userdb
from workbench.core.errors import UnknownDocument, UserError
from workbench.core.library import Library
from workbench.core.notes import Anchor, QuoteNotFound, UnknownNote, anchor_at, relocate

from ..support import CNN_LI_ZHANSHU, CNN_RETELLING_BOL, CNN_TRANSLATION, SEEDS

XI_TEXT = (SEEDS / f"{CNN_TRANSLATION}.txt").read_text("utf-8")


@pytest.fixture
def lib(seeded_library_dir: Path, tmp_path: Path) -> Iterator[Library]:
    """A writable library with the seeds indexed (a copy of the session's index)."""
    data = tmp_path / "data"
    shutil.copytree(seeded_library_dir, data)
    with Library.open(data) as library:
        yield library


def _nth(text: str, quote: str, n: int) -> int:
    at = -1
    for _ in range(n):
        at = text.index(quote, at + 1)
    return at


# --------------------------------------------------------------------------- relocate


def test_anchor_records_quote_and_context() -> None:
    start = XI_TEXT.index("sipped tea")
    a = anchor_at("d", XI_TEXT, start, start + len("sipped tea in the manicured gardens"))
    assert a.quote == "sipped tea in the manicured gardens"
    assert (
        XI_TEXT[start - len(a.prefix) : start] == a.prefix
        and len(a.prefix) == notes_mod.CONTEXT_CHARS
    )
    assert a.suffix.startswith(" of the Zhongnanhai")
    assert relocate(a, XI_TEXT) == a
    with pytest.raises(UserError):
        anchor_at("d", XI_TEXT, 10, len(XI_TEXT) + 1)


def test_text_inserted_before_moves_the_anchor_with_its_passage() -> None:
    start = XI_TEXT.index("In a lengthy 7,000-word joint statement")
    a = anchor_at("d", XI_TEXT, start, start + 39)
    inserted = "An editor's note added at the top, long enough to move everything.\n\n"
    new = relocate(a, inserted + XI_TEXT)
    assert (new.start, new.end, new.orphaned) == (
        start + len(inserted),
        start + len(inserted) + 39,
        False,
    )


def test_a_repeated_quote_keeps_its_own_occurrence_by_context() -> None:
    quote = "Xi Jinping"
    second = _nth(XI_TEXT, quote, 2)
    a = anchor_at("d", XI_TEXT, second, second + len(quote))
    # A new first paragraph naming Xi Jinping: the old offsets now hit other text, and
    # the first occurrence is no longer the one the note was about.
    changed = "Xi Jinping hosted Vladimir Putin, wrote the agency.\n\n" + XI_TEXT
    new = relocate(a, changed)
    assert changed[new.start : new.end] == quote
    assert new.start == second + len("Xi Jinping hosted Vladimir Putin, wrote the agency.\n\n")
    assert new.prefix == a.prefix


def test_case_and_spacing_changes_are_found() -> None:
    start = XI_TEXT.index("left no doubt about how much")
    a = anchor_at("d", XI_TEXT, start, start + len("left no doubt about how much"))
    changed = XI_TEXT.replace("left no doubt about how much", "left  NO doubt\nabout how much")
    new = relocate(a, changed)
    assert not new.orphaned and changed[new.start : new.end] == "left  NO doubt\nabout how much"


def test_an_edited_passage_is_found_fuzzily_and_a_deleted_one_is_orphaned() -> None:
    quote = "sipped tea in the manicured gardens of the Zhongnanhai residence"
    start = XI_TEXT.index(quote)
    edited = anchor_at("d", XI_TEXT, start, start + len(quote))
    changed = XI_TEXT.replace(
        quote, "sipped green tea in the manicured garden of the Zhongnanhai residence"
    )
    new = relocate(edited, changed)
    assert not new.orphaned
    assert (
        changed[new.start : new.end]
        == "sipped green tea in the manicured garden of the Zhongnanhai residence"
    )
    assert new.quote == changed[new.start : new.end]

    gone = "considering it a destabilizing factor and an aggressor"
    g = anchor_at("d", XI_TEXT, XI_TEXT.index(gone), XI_TEXT.index(gone) + len(gone))
    without = XI_TEXT.replace(gone, "calling it names")
    orphan = relocate(g, without)
    # Kept as it was - quote, context and offsets - and flagged.
    assert orphan.orphaned and (orphan.quote, orphan.start, orphan.prefix) == (
        g.quote,
        g.start,
        g.prefix,
    )
    # If the passage comes back, the orphan finds it again.
    assert not relocate(orphan, XI_TEXT).orphaned


def test_short_quotes_are_not_matched_fuzzily() -> None:
    start = XI_TEXT.index("wicker")
    a = anchor_at("d", XI_TEXT, start, start + len("wicker"))
    assert relocate(a, XI_TEXT.replace("wicker", "wooden")).orphaned


def test_removed_documents_orphan_every_anchor_and_whole_document_notes_survive_edits() -> None:
    passage = anchor_at("d", XI_TEXT, 100, 140)
    whole = Anchor("d")
    assert relocate(passage, None).orphaned and relocate(whole, None).orphaned
    assert not relocate(whole, "completely different text").orphaned


@settings(max_examples=60, deadline=None)
@given(
    start=st.integers(0, len(XI_TEXT) - 200),
    length=st.integers(15, 150),
    where=st.floats(0, 1),
    insert=st.text(alphabet="0123456789 \n", min_size=1, max_size=300),
)
def test_any_insertion_outside_the_passage_keeps_the_anchor_on_it(
    start: int, length: int, where: float, insert: str
) -> None:
    text = XI_TEXT
    a = anchor_at("d", text, start, start + length)
    at = int(where * len(text))
    if start < at < start + length:
        at = start  # insertions inside the passage are edits, tested above
    changed = text[:at] + insert + text[at:]
    new = relocate(a, changed)
    assert not new.orphaned
    assert changed[new.start : new.end] == a.quote


# --------------------------------------------------------------------------- the Library


def test_add_update_delete_restore(lib: Library) -> None:
    anchor = lib.notes.anchor_quote(CNN_LI_ZHANSHU[:6], "China‘s top lawmaker Li Zhanshu")
    doc = lib.document(CNN_LI_ZHANSHU)
    assert doc.text[anchor.start : anchor.end] == "China‘s top lawmaker Li Zhanshu"
    note = lib.notes.add(
        "Li is *Xi's ally*", tags=["china", "#Duma", "china "], anchors=[anchor]
    ).value
    assert note.tags == ["china", "Duma"] and note.anchors == [anchor]
    assert note.created == note.updated

    same = lib.notes.update(note.id, body="Li is *Xi's ally*").value
    assert same.updated == note.updated  # nothing changed, nothing stamped
    edited = lib.notes.update(
        note.id, body="Li Zhanshu is a close ally of Xi", tags=["china"]
    ).value
    assert edited.body == "Li Zhanshu is a close ally of Xi" and edited.tags == ["china"]
    assert edited.updated > note.updated and edited.anchors == [anchor]

    lib.notes.delete(note.id)
    assert lib.notes.query() == [] and [n.id for n in lib.notes.query(deleted=True)] == [note.id]
    with pytest.raises(UnknownNote, match="deleted"):
        lib.notes.update(note.id, body="lost?")
    restored = lib.notes.restore(note.id).value
    assert (
        restored.body == "Li Zhanshu is a close ally of Xi" and lib.notes.query(deleted=True) == []
    )
    with pytest.raises(UnknownNote):
        lib.notes.get(9999)


def test_anchors_are_checked_against_the_documents(lib: Library) -> None:
    with pytest.raises(QuoteNotFound):
        lib.notes.anchor_quote(CNN_LI_ZHANSHU, "Li Zhanshu visited the Moon")
    with pytest.raises(UnknownDocument):
        lib.notes.add("x", anchors=[Anchor("no-such-document", 0, 5, "hello")])
    with pytest.raises(UserError, match="does not match"):
        lib.notes.add("x", anchors=[Anchor(CNN_LI_ZHANSHU, 0, 5, "hello")])
    # Offsets alone are enough: the quote and its context are filled in.
    made = lib.notes.add("x", anchors=[Anchor(CNN_LI_ZHANSHU, 3, 9)]).value.anchors[0]
    assert made.quote == lib.document(CNN_LI_ZHANSHU).text[3:9] and made.suffix


def test_filters_by_document_pair_tag_and_text(lib: Library) -> None:
    li_a = lib.notes.anchor_quote(CNN_LI_ZHANSHU, "Li Zhanshu")
    li_b = lib.notes.anchor_quote(CNN_RETELLING_BOL, "Li Zhanshu")
    late = lib.notes.anchor_quote(CNN_LI_ZHANSHU, "Vladivostok")
    on_doc = lib.notes.add(
        "About the whole article",
        tags=["overview"],
        anchors=[lib.notes.make_anchor(CNN_LI_ZHANSHU)],
    ).value
    later = lib.notes.add("Where the forum met", tags=["places"], anchors=[late]).value
    pair = lib.notes.add(
        "Both retell **Li's** support", tags=["contradiction"], anchors=[li_a, li_b]
    ).value
    loose = lib.notes.add("A general thought on Chinese neutrality", tags=["Overview"]).value

    # Reading order in a document: by the anchor's position (whole-document notes first).
    assert [n.id for n in lib.notes.query(doc_id=CNN_LI_ZHANSHU)] == [on_doc.id, pair.id, later.id]
    assert [n.id for n in lib.notes.query(pair=(CNN_RETELLING_BOL, CNN_LI_ZHANSHU))] == [pair.id]
    assert lib.notes.query(pair=(CNN_TRANSLATION, CNN_LI_ZHANSHU)) == []
    assert {n.id for n in lib.notes.query(tag="overview")} == {
        on_doc.id,
        loose.id,
    }  # case-insensitive
    assert [n.id for n in lib.notes.query(text="li's support")] == [pair.id]
    assert [n.id for n in lib.notes.query(text="zhanshu")] == [pair.id]  # the quote counts
    assert len(lib.notes.query()) == 4
    assert lib.notes.tags()[0] == ("overview", 2) or lib.notes.tags()[0] == ("Overview", 2)


def test_search_notes_speaks_the_search_box_language(lib: Library) -> None:
    a = lib.notes.add("Putin needs Chinese support; China hedges", tags=["support"]).value
    b = lib.notes.add("Chinese officials stood with Russian officials").value
    lib.notes.add("Nothing relevant here")
    assert [n.id for n in lib.notes.search("chinese")] == [a.id, b.id] or [
        n.id for n in lib.notes.search("chinese")
    ] == [b.id, a.id]
    assert [n.id for n in lib.notes.search("chinese support")] == [a.id]  # every term
    assert [n.id for n in lib.notes.search("chinese NOT putin")] == [b.id]
    assert [n.id for n in lib.notes.search('"russian officials"')] == [b.id]
    assert [n.id for n in lib.notes.search("offic*")] == [b.id]
    assert lib.notes.search("") == []
    lib.notes.delete(a.id)
    assert [n.id for n in lib.notes.search("chinese")] == [b.id]


def test_deleted_notes_are_purged_after_thirty_days(lib: Library) -> None:
    old = lib.notes.add("deleted long ago").value
    recent = lib.notes.add("deleted yesterday").value
    lib.notes.delete(old.id)
    lib.notes.delete(recent.id)
    store = lib.notes.store
    assert store.purge_deleted(at=datetime.now(UTC) + timedelta(days=29)) == 0
    assert store.purge_deleted(at=datetime.now(UTC) + timedelta(days=31)) == 2
    assert lib.notes.query(deleted=True) == []


# --------------------------------------------------------------------------- re-import


def test_reimporting_a_changed_seed_reanchors_or_orphans_its_notes(
    tmp_path: Path, seeds_copy: Path
) -> None:
    notices: list[str] = []
    with Library.open(tmp_path / "data", on_notice=notices.append) as lib:
        lib.add_paths([seeds_copy])
        moved = lib.notes.add(
            "statement",
            anchors=[
                lib.notes.anchor_quote(CNN_TRANSLATION, "In a lengthy 7,000-word joint statement")
            ],
        ).value
        fuzzy = lib.notes.add(
            "tea",
            anchors=[
                lib.notes.anchor_quote(CNN_TRANSLATION, "sipped tea in the manicured gardens")
            ],
        ).value
        gone = lib.notes.add(
            "aggressor",
            anchors=[
                lib.notes.anchor_quote(
                    CNN_TRANSLATION, "considering it a destabilizing factor and an aggressor"
                )
            ],
        ).value
        other = lib.notes.add(
            "untouched", anchors=[lib.notes.anchor_quote(CNN_LI_ZHANSHU, "Vladivostok")]
        ).value

        path = seeds_copy / f"{CNN_TRANSLATION}.txt"
        raw = path.read_text("utf-8")
        raw = raw.replace(
            "They promised", "A paragraph added by the editor moves what follows. They promised"
        )
        raw = raw.replace(
            "sipped tea in the manicured gardens", "sipped green tea in the manicured garden"
        )
        raw = raw.replace(
            "considering it a destabilizing factor and an aggressor", "calling it names"
        )
        path.write_text(raw, "utf-8")
        report = lib.refresh()
        assert report.updated == [CNN_TRANSLATION]
        assert lib.notes.last_reanchor is not None
        assert (lib.notes.last_reanchor.moved, lib.notes.last_reanchor.orphaned) == (2, 1)
        assert any("orphaned" in m for m in notices)

        text = lib.document(CNN_TRANSLATION).text
        a = lib.notes.get(moved.id).anchors[0]
        assert (
            text[a.start : a.end] == "In a lengthy 7,000-word joint statement"
            and a.start > moved.anchors[0].start
        )
        f = lib.notes.get(fuzzy.id).anchors[0]
        assert text[f.start : f.end] == "sipped green tea in the manicured garden" == f.quote
        g = lib.notes.get(gone.id)
        assert (
            g.anchors[0].orphaned
            and g.anchors[0].quote == gone.anchors[0].quote
            and g.body == "aggressor"
        )
        assert lib.notes.get(other.id).anchors == other.anchors
        assert len(lib.notes.query(doc_id=CNN_TRANSLATION)) == 3  # nothing dropped

        # The document disappears: its anchors are orphaned, the notes stay.
        path.unlink()
        assert lib.refresh().removed == [CNN_TRANSLATION]
        assert all(a.orphaned for n in lib.notes.query(doc_id=CNN_TRANSLATION) for a in n.anchors)
        # ...and comes back: every anchor whose passage is there finds it again.
        path.write_text(raw, "utf-8")
        lib.refresh()
        states = {n.id: n.anchors[0].orphaned for n in lib.notes.query(doc_id=CNN_TRANSLATION)}
        assert states == {moved.id: False, fuzzy.id: False, gone.id: True}


def test_indexing_without_notes_does_not_create_the_database(
    tmp_path: Path, seeds_copy: Path
) -> None:
    with Library.open(tmp_path / "data") as lib:
        lib.add_paths([seeds_copy])
    assert not userdb.db_path(tmp_path / "data").exists()


# --------------------------------------------------------------------------- export / import


def _populate(lib: Library) -> list[int]:
    ids = [
        lib.notes.add(
            "Li's claim of **support**",
            tags=["claims"],
            anchors=[lib.notes.anchor_quote(CNN_LI_ZHANSHU, "Li assured")],
        ).value.id,
        lib.notes.add(
            "The two retellings differ",
            tags=["compare", "claims"],
            anchors=[
                lib.notes.anchor_quote(CNN_LI_ZHANSHU, "Li Zhanshu"),
                lib.notes.anchor_quote(CNN_RETELLING_BOL, "Li Zhanshu"),
            ],
        ).value.id,
        lib.notes.add(
            "On the article as a whole", anchors=[lib.notes.make_anchor(CNN_TRANSLATION)]
        ).value.id,
        lib.notes.add(
            'A thought with no document, line one\nline two, "quoted", with commas'
        ).value.id,
    ]
    lib.notes.delete(lib.notes.add("deleted but restorable").value.id)
    lib.db.conn.execute(
        'INSERT INTO corrections(kind, payload) VALUES (\'rename\', \'{"key": "xi", "name": "Xi Jinping"}\')'
    )
    return ids


def test_markdown_groups_notes_by_document_with_quotes(lib: Library, tmp_path: Path) -> None:
    _populate(lib)
    out = tmp_path / "notes.md"
    assert lib.notes.export(out) == 4
    md = out.read_text("utf-8")
    li = lib.document(CNN_LI_ZHANSHU)
    section = md.split(f"## {li.title}")[1].split("\n## ")[0]
    assert "> Li assured" in section and "> Li Zhanshu" in section
    assert "Li's claim of **support**" in section and "`#claims`" in section
    assert f"## {lib.document(CNN_RETELLING_BOL).title}" in md  # the pair note is under both
    assert "*On the whole document.*" in md
    assert "## Notes not tied to a document" in md and "deleted but restorable" not in md


def test_csv_has_one_row_per_note_and_anchor(lib: Library, tmp_path: Path) -> None:
    _populate(lib)
    out = tmp_path / "notes.csv"
    lib.notes.export(out, "csv")
    with out.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 1 + 2 + 1 + 1
    pair_rows = [r for r in rows if r["body"] == "The two retellings differ"]
    assert {r["doc_id"] for r in pair_rows} == {CNN_LI_ZHANSHU, CNN_RETELLING_BOL}
    assert all(r["quote"] == "Li Zhanshu" for r in pair_rows)
    loose = next(r for r in rows if r["body"].startswith("A thought"))
    assert loose["doc_id"] == "" and "line two" in loose["body"]
    doc = lib.document(CNN_LI_ZHANSHU)
    first = next(r for r in rows if r["quote"] == "Li assured")
    assert (
        doc.text[int(first["start"]) : int(first["end"])] == "Li assured"
        and first["doc_title"] == doc.title
    )


def test_json_backup_restores_everything_and_importing_twice_changes_nothing(
    lib: Library, tmp_path: Path
) -> None:
    ids = _populate(lib)
    backup = tmp_path / "backup.json"
    assert lib.notes.export(backup, "json") == 5  # the deleted note is in the backup too
    data = json.loads(backup.read_text("utf-8"))
    assert data["corrections"][0]["kind"] == "rename"

    fresh_dir = tmp_path / "fresh"
    shutil.copytree(lib.root / "index", fresh_dir / "index")
    shutil.copy(lib.root / "library.json", fresh_dir / "library.json")
    with Library.open(fresh_dir) as fresh:
        first = fresh.notes.import_backup(backup)
        assert (first.added, first.updated, first.unchanged, first.corrections_added) == (
            5,
            0,
            0,
            1,
        )
        assert [n.to_json() for n in fresh.notes.query()] == [
            n.to_json() for n in lib.notes.query()
        ]
        assert [n.id for n in fresh.notes.query(deleted=True)] == [
            n.id for n in lib.notes.query(deleted=True)
        ]
        assert sorted(n.id for n in fresh.notes.query()) == sorted(ids)  # ids kept when free
        rows = [tuple(r) for r in fresh.db.conn.execute("SELECT * FROM corrections")]
        assert rows == [tuple(r) for r in lib.db.conn.execute("SELECT * FROM corrections")]

        second = fresh.notes.import_backup(backup)
        assert (second.added, second.updated, second.corrections_added) == (0, 0, 0)
        assert second.unchanged == 5 and len(fresh.notes.query()) == 4

        # An edit made after the backup is not undone by importing the backup again...
        kept = fresh.notes.update(ids[0], body="edited after the backup").value
        fresh.notes.import_backup(backup)
        assert fresh.notes.get(ids[0]).body == kept.body
    # ...but a newer edit from elsewhere is taken.
    lib.notes.update(ids[1], body="edited on the other machine")
    lib.notes.export(backup, "json")
    with Library.open(fresh_dir) as fresh:
        assert fresh.notes.import_backup(backup).updated == 1
        assert fresh.notes.get(ids[1]).body == "edited on the other machine"


def test_bad_import_files_are_refused_with_one_line_and_change_nothing(
    lib: Library, tmp_path: Path
) -> None:
    lib.notes.add("precious")
    bad = tmp_path / "bad.json"
    for content in (
        "not json",
        json.dumps({"format": "something-else"}),
        json.dumps({"format": "workbench-notes", "version": 1, "notes": [{"uid": "x"}]}),
    ):
        bad.write_text(content, "utf-8")
        with pytest.raises(UserError) as exc:
            lib.notes.import_backup(bad)
        assert "\n" not in str(exc.value)
    with pytest.raises(UserError):
        lib.notes.import_backup(tmp_path / "missing.json")
    with pytest.raises(UserError, match="unknown notes format"):
        lib.notes.export(tmp_path / "notes.docx")
    assert [n.body for n in lib.notes.query()] == ["precious"]


# --------------------------------------------------------------------------- command line


def test_cli_add_list_export_import(
    seeded_library_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    shutil.copytree(seeded_library_dir, data)
    wb = ["--data-dir", str(data), "notes"]

    assert (
        main(
            [
                *wb,
                "add",
                CNN_LI_ZHANSHU[:5],
                "--text",
                "Duma's version",
                "--quote",
                "state duma",
                "--tag",
                "duma",
                "--tag",
                "claims",
            ]
        )
        == 0
    )
    assert "Saved note 1" in capsys.readouterr().out
    assert main([*wb, "add", CNN_TRANSLATION, "--text", "whole article"]) == 0
    assert (
        main([*wb, "add", CNN_TRANSLATION, "--text", "x", "--quote", "not in this article at all"])
        == 2
    )
    err = capsys.readouterr().err
    assert "not in" in err and "Traceback" not in err and err.count("\n") == 1
    assert main([*wb, "add", "zzz", "--text", "x"]) == 2

    assert main([*wb, "list", CNN_LI_ZHANSHU, "--json"]) == 0
    (listed,) = json.loads(capsys.readouterr().out)
    anchor = listed["anchors"][0]
    with Library.open(data) as lib:
        assert (
            lib.document(CNN_LI_ZHANSHU).text[anchor["start"] : anchor["end"]].casefold()
            == "state duma"
        )
    assert listed["tags"] == ["claims", "duma"]
    assert main([*wb, "list", "no-such-doc"]) == 2
    assert "no document" in capsys.readouterr().err
    assert main([*wb, "list"]) == 0
    out = capsys.readouterr().out
    assert "2 notes" in out and "whole article" in out

    for fmt in ("md", "csv", "json"):
        assert main([*wb, "export", "--format", fmt, "-o", str(tmp_path / f"n.{fmt}")]) == 0
    assert "Duma's version" in (tmp_path / "n.md").read_text("utf-8")
    other = tmp_path / "other"
    assert main(["--data-dir", str(other), "notes", "import", str(tmp_path / "n.json")]) == 0
    assert "2 notes added" in capsys.readouterr().out
    assert main(["--data-dir", str(other), "notes", "import", str(tmp_path / "n.json")]) == 0
    assert "0 notes added, 0 updated, 2 unchanged" in capsys.readouterr().out
    assert main(["--data-dir", str(other), "notes", "list"]) == 0
    assert "2 notes" in capsys.readouterr().out


def test_the_database_file_is_sound_after_use(lib: Library) -> None:
    _populate(lib)
    path = userdb.db_path(lib.root)
    check = sqlite3.connect(path)
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert check.execute("PRAGMA foreign_key_check").fetchall() == []
    check.close()


def test_note_search_language_on_fts5(lib: Library) -> None:
    a = lib.notes.add("Gazprom's pipeline to China; the Kremlin's plan", tags=["energy"]).value
    b = lib.notes.add("Sanctions hit the rouble; officials deny it").value
    c = lib.notes.add("A pipeline dream, no sanctions in sight").value
    ids = lambda q: {n.id for n in lib.notes.search(q)}  # noqa: E731
    assert ids("pipeline OR rouble") == {a.id, b.id, c.id}
    assert ids("pipeline NOT sanctions") == {a.id}
    assert ids("pipeline -sanctions") == {a.id}
    assert ids('"pipeline to china"') == {a.id}
    assert ids("sanction*") == {b.id, c.id}
    assert ids("tag:energy") == {a.id}
    assert ids("kremlin") == {a.id}  # "Kremlin's"
    # Nothing a user types is read as FTS5 syntax, and a query of only exclusions asks for nothing.
    for odd in ['pipe"line', "NEAR(", "a:b:c", "*", "-", "NOT sanctions", "()", "^x"]:
        assert isinstance(lib.notes.search(odd), list)
    assert lib.notes.search("NOT sanctions") == []
