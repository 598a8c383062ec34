"""Entities through the Library and the CLI, with the real spaCy model, on the seeds and BBC.

spaCy costs seconds to load, so NER runs once per session on the seeds (and once on a
small BBC sample); tests that change things work on a copy of that data directory, whose
entity cache makes them model-free.
"""

from __future__ import annotations

import itertools
import json
import shutil
import sqlite3
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from workbench.cli import main
from workbench.core import entities as entities_mod
from workbench.core.entities import ENTITY_TYPES, DocEntity, Entity, EntityEngine, norm_key
from workbench.core.errors import BadQuery, LibraryBusy, UserError
from workbench.core.library import Library

from ..support import CNN_LI_ZHANSHU, CNN_RETELLING_BOL, bbc_files, run_at_once

pytestmark = pytest.mark.spacy


def present_entities(lib: Library) -> list[Entity]:
    """Every canonical entity named in at least one document of the library."""
    found = {
        de.entity.key: de.entity for d in lib.documents() for de in lib.entities.of_document(d.id)
    }
    return list(found.values())


@pytest.fixture
def elib(entity_seeds_dir: Path):
    with Library.open(entity_seeds_dir) as lib:
        yield lib


@pytest.fixture
def elib_copy(library_copy: Path):
    with Library.open(library_copy) as lib:
        yield lib


@pytest.fixture(scope="session")
def bbc_entities_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("entity-bbc")
    folder = tmp_path_factory.mktemp("bbc-sample")
    for f in bbc_files("politics", 40):
        shutil.copy(f, folder / f.name)
    with Library.open(data) as lib:
        lib.add_paths([folder])
        lib.entities.extract()
    return data


def by_name(des: list[DocEntity], name: str) -> list[DocEntity]:
    return [de for de in des if de.entity.name == name]


def holding(des: list[DocEntity], form: str) -> list[DocEntity]:
    """The entities of a document that have ``form`` as name or alias or mention text."""
    return [
        de
        for de in des
        if form == de.entity.name
        or form in de.entity.aliases
        or any(m.text == form for m in de.mentions)
    ]


# --------------------------------------------------------------------------- done when


def test_cli_entities_004_lists_li_zhanshu_once_with_li(
    entity_seeds_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data-dir", str(entity_seeds_dir), "entities", "004", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["id"] == CNN_LI_ZHANSHU
    li = [e for e in data["entities"] if e["name"] == "Li Zhanshu"]
    assert len(li) == 1
    assert "Li" in li[0]["aliases"]
    assert not [e for e in data["entities"] if e["name"] == "Li"]
    text = Library.open(entity_seeds_dir).document("004").text
    for m in li[0]["mentions"]:
        assert text[m["start"] : m["end"]] == m["text"] in ("Li", "Li Zhanshu")
    assert li[0]["count"] == len(li[0]["mentions"]) >= 6


def test_putin_and_xi_are_one_entity_in_every_seed(elib: Library) -> None:
    for doc in elib.documents():
        des = elib.entities.of_document(doc.id)
        for full, short in (("Vladimir Putin", "Putin"), ("Xi Jinping", "Xi")):
            if short not in doc.text:
                continue
            found = holding(des, short) + holding(des, full)
            keys = {de.entity.key for de in found}
            assert keys == {norm_key(full)}, (doc.id, full, [de.entity.name for de in found])
            assert by_name(des, full)[0].entity.type == "PERSON"


def test_entity_queries_work_with_every_alias(elib: Library) -> None:
    for name in (
        "Li Zhanshu",
        "United States",
        "Shanghai Cooperation Organization",
        "Vladimir Putin",
    ):
        entity = elib.entities.get(name)
        docs = set(elib.entities.documents_of(entity.key))
        assert docs
        for alias in [entity.name, entity.key, *entity.aliases]:
            results = elib.search(f'entity:"{alias}"', limit=50)
            assert {h.id for h in results.hits} == docs, (name, alias)
    # A country is also found by its official name and ISO code.
    us_docs = set(elib.entities.documents_of("United States"))
    assert {h.id for h in elib.search("entity:USA").hits} == us_docs
    assert {h.id for h in elib.search('entity:"United States of America"').hits} == us_docs


def test_search_filtered_by_entity(elib: Library) -> None:
    li_docs = set(elib.entities.documents_of("Li Zhanshu"))
    results = elib.search('Moscow AND entity:"Li Zhanshu"')
    assert {h.id for h in results.hits} <= li_docs
    assert results.total == len(li_docs & {h.id for h in elib.search("Moscow", limit=50).hits})


def test_user_merge_survives_full_reindex(library_copy: Path) -> None:
    root = library_copy
    with Library.open(root) as lib:
        merged = lib.entities.merge(["Vladimir Milov", "Milow"]).value
        assert merged.name == "Vladimir Milov" and "Milow" in merged.aliases
    # A full re-index: the index and the entity cache are gone, the model runs again.
    shutil.rmtree(root / "index")
    for suffix in ("", "-wal", "-shm"):
        (root / (entities_mod.NER_CACHE + suffix)).unlink(missing_ok=True)
    with Library.open(root) as again:
        assert again.is_empty()
        assert again.refresh().counts()["added"] == 5
        report = again.entities.extract()
        assert report.processed == 5
        entity = again.entities.get("Milow")
        assert entity.key == "vladimir milov" and "Milow" in entity.aliases
        doc = next(d for d in again.documents() if "Milow" in d.text)
        milov = holding(again.entities.of_document(doc.id), "Milow")
        assert [de.entity.key for de in milov] == ["vladimir milov"]
        assert {h.id for h in again.search("entity:Milow").hits} == {doc.id}


# --------------------------------------------------------------------------- resolver on real output


def test_acronym_and_countries_on_seeds(elib: Library) -> None:
    sco = elib.entities.get("SCO")
    assert sco.name == "Shanghai Cooperation Organization"
    us = elib.entities.get("U.S.")
    assert us.name == "United States" and us.type == "GPE"
    d3 = elib.entities.of_document("003")
    assert len(holding(d3, "U.S.")) == 1 and holding(d3, "U.S.") == holding(d3, "US")


def test_canonical_names_are_clean(elib: Library) -> None:
    for e in present_entities(elib):
        assert e.type in ENTITY_TYPES
        for name in (e.name, *e.aliases):
            assert not name.lower().startswith("the "), name
            assert not name.endswith(("’s", "'s", "‘s")), name
            assert name[0].isalnum() and (name[-1].isalnum() or name.endswith(".")), name


def test_mentions_are_offsets_into_the_text(elib: Library) -> None:
    for doc in elib.documents():
        seen: list[tuple[int, int]] = []
        for de in elib.entities.of_document(doc.id):
            for m in de.mentions:
                assert doc.text[m.start : m.end] == m.text
                seen.append((m.start, m.end))
        seen.sort()
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(seen)), "mentions overlap"


def test_suggestions_offer_milov_milow(elib: Library) -> None:
    pairs = {frozenset(s.names) for s in elib.entities.suggestions()}
    assert frozenset({"Milow", "Vladimir Milov"}) in pairs
    assert (
        elib.entities.get("Milow").key != elib.entities.get("Vladimir Milov").key
    )  # not merged automatically


def test_a_dismissed_suggestion_is_not_offered_again_until_undone(
    library_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def pairs(lib: Library) -> set[frozenset[str]]:
        return {frozenset(s.names) for s in lib.entities.suggestions()}

    milov = frozenset({"Milow", "Vladimir Milov"})
    assert (
        main(["--data-dir", str(library_copy), "entities", "dismiss", "Milow", "Vladimir Milov"])
        == 0
    )
    assert "not suggested again" in capsys.readouterr().out
    with Library.open(library_copy) as lib:
        assert milov not in pairs(lib) and pairs(lib)  # the others are still offered
        assert (
            lib.entities.get("Milow").key != lib.entities.get("Vladimir Milov").key
        )  # nothing merged
        dismissal = [c for c in lib.entities.corrections() if c.kind == "distinct"]
        assert len(dismissal) == 1
        lib.entities.undo(dismissal[0].id)
        assert milov in pairs(lib)
    assert main(["--data-dir", str(library_copy), "entities", "dismiss", "Milow", "Milow"]) == 2


def test_bbc_blair_is_one_person(bbc_entities_dir: Path) -> None:
    with Library.open(bbc_entities_dir) as lib:
        blair = lib.entities.get("Tony Blair")
        assert blair.type == "PERSON" and "Blair" in blair.aliases
        for doc in lib.documents():
            if "Mr Blair" in doc.text and "Cherie" not in doc.text:
                keys = {de.entity.key for de in holding(lib.entities.of_document(doc.id), "Blair")}
                assert keys == {"tony blair"}, doc.id
        # "Mr" is never an entity, nor part of one.
        assert all(not e.name.startswith("Mr ") and e.name != "Mr" for e in present_entities(lib))


def test_propagation_finds_missed_mentions(elib: Library) -> None:
    # Every whole-word "Kremlin" in the seeds is marked, whether or not the model saw it.
    for doc in elib.documents():
        expected = [
            i
            for i in range(len(doc.text))
            if doc.text.startswith("Kremlin", i)
            and (i == 0 or not doc.text[i - 1].isalnum())
            and not doc.text[i + 7 : i + 8].isalnum()
        ]
        got = sorted(
            m.start
            for de in elib.entities.of_document(doc.id)
            for m in de.mentions
            if m.text == "Kremlin"
        )
        assert got == expected, doc.id


# --------------------------------------------------------------------------- corrections


def test_rename_retype_ignore_split_add_and_undo(elib_copy: Library) -> None:
    lib = elib_copy
    kremlin = lib.entities.rename("Kremlin", "The Kremlin").value
    assert kremlin.name == "The Kremlin" and kremlin.key == "kremlin"
    assert lib.search('entity:"The Kremlin"').total == len(lib.entities.documents_of("kremlin"))

    crimea = lib.entities.retype("Crimea", "gpe").value
    assert crimea.type == "GPE"
    with pytest.raises(UserError):
        lib.entities.retype("Crimea", "PLANET")

    lib.entities.ignore("Approx")
    assert all(de.entity.name != "Approx" for de in lib.entities.of_document("003"))
    assert lib.search("entity:Approx").total == 0

    li = lib.entities.split("Li Zhanshu", "Li").value
    assert li.name == "Li" and li.key != "li zhanshu"
    assert "Li" not in lib.entities.get("li zhanshu").aliases

    doc = lib.document("004")
    start = doc.text.index("Xinhua News Agency")
    # A sloppy selection ("inhua News Agen") is widened to whole words.
    added = lib.entities.add(doc.id, start + 1, start + len("Xinhua News Agen"), "ORG").value
    assert added.key == "xinhua news agency" and added.name == "Xinhua News Agency"
    with pytest.raises(UserError):
        lib.entities.add(doc.id, 5, 2, "ORG")  # an empty selection
    word = doc.text.index(" support ") + 1
    with pytest.raises(UserError):
        lib.entities.add(doc.id, word, word + len("support"), "ORG")  # not a name

    kinds = [c.kind for c in lib.entities.corrections()]
    assert kinds == ["rename", "retype", "ignore", "split", "add"]
    # Corrections are the user's: they live in the user database.
    from workbench.core import userdb

    db = userdb.connect(lib.root)
    assert db.execute("SELECT count(*) FROM corrections").fetchone()[0] == 5
    db.close()

    ignore_id = lib.entities.corrections()[2].id
    lib.entities.undo(ignore_id)
    assert any(de.entity.name == "Approx" for de in lib.entities.of_document("003"))
    with pytest.raises(UserError):
        lib.entities.undo(ignore_id)


def test_added_entity_is_propagated(elib_copy: Library) -> None:
    lib = elib_copy
    doc = next(d for d in lib.documents() if "Power of Siberia" in d.text)
    start = doc.text.index("Power of Siberia")
    lib.entities.add(doc.id, start, start + len("Power of Siberia"), "FAC")
    # It joins nothing else and every verbatim occurrence in the library is marked.
    total = sum(d.text.count("Power of Siberia") for d in lib.documents())
    found = sum(
        1
        for d in lib.documents()
        for de in lib.entities.of_document(d.id)
        for m in de.mentions
        if m.text == "Power of Siberia"
    )
    assert found == total >= 1


# --------------------------------------------------------------------------- cache, phases, no model


def test_cached_rerun_processes_nothing(
    elib_copy: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = elib_copy.entities.extract()
    assert first.processed == 0 and first.cached == 5
    # Nothing changed since: not even the resolution runs again, in a new process either.
    elib_copy.entities.close()
    store = elib_copy.entities.engine.store

    def fail(*args: object) -> None:
        raise AssertionError("resolved again")

    monkeypatch.setattr(store, "update", fail)
    again = elib_copy.entities.extract()
    assert again.processed == 0 and again.entities == first.entities
    monkeypatch.undo()
    # A correction is a change: the next run resolves it, with nothing to extract.
    elib_copy.entities.rename("Kremlin", "The Kremlin")
    assert elib_copy.entities.extract().processed == 0


def test_corrupt_cache_is_rebuilt_with_a_notice(entity_seeds_dir: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(entity_seeds_dir, data)
    for suffix in ("-wal", "-shm"):
        (data / (entities_mod.NER_CACHE + suffix)).unlink(missing_ok=True)
    (data / entities_mod.NER_CACHE).write_bytes(b"this is not a database" * 100)
    notices: list[str] = []
    with Library.open(data, on_notice=notices.append) as lib:
        assert lib.entities.pending() == 5
        assert any("entity cache was rebuilt" in n for n in notices)


CACHE_WRITER = """
import sys
from pathlib import Path
from workbench.core.entities import NerCache

folder, tag = Path(sys.argv[2]), sys.argv[3]
notices = []
wait_for_go()
for k in range(10):  # ten fresh caches: ten races
    cache = NerCache(folder / f"cache{k}.sqlite", on_notice=notices.append)
    cache.put_many("model", [(f"{tag}-{i}", [(0, 2, "GPE")]) for i in range(3)])
    cache.close()
print(notices or "ok", flush=True)
"""


def test_processes_creating_the_cache_at_once_keep_each_others_results(tmp_path: Path) -> None:
    # A new database's switch to WAL needs it to itself; "database is locked" there used
    # to be taken for damage, and the cache deleted under the other processes.
    assert (
        run_at_once(CACHE_WRITER, [[str(tmp_path), f"p{n}"] for n in range(6)], tmp_path / "go")
        == ["ok"] * 6
    )
    for k in range(10):
        cache = entities_mod.NerCache(tmp_path / f"cache{k}.sqlite")
        try:
            hashes = [f"p{n}-{i}" for n in range(6) for i in range(3)]
            assert len(cache.get_all("model", hashes)) == 18
        finally:
            cache.close()


def test_a_cache_locked_by_another_process_is_busy_not_damaged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "entities.sqlite"
    cache = entities_mod.NerCache(path)
    cache.put_many("model", [("h1", [(0, 2, "GPE")])])
    cache.close()
    monkeypatch.setattr(entities_mod.NerCache, "BUSY_TIMEOUT", 0.2)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # another process mid-write
    try:
        notices: list[str] = []
        with pytest.raises(LibraryBusy, match="busy"):
            entities_mod.NerCache(path, on_notice=notices.append)
        assert notices == []  # no "rebuilt": the file was left alone
    finally:
        other.execute("ROLLBACK")
        other.close()
    cache = entities_mod.NerCache(path)
    assert cache.get_all("model", ["h1"]) == {"h1": [(0, 2, "GPE")]}
    cache.close()


class _CountingPipeline:
    """Stands in for spaCy: works batch by batch, and records how many threads were inside at once."""

    def __init__(self) -> None:
        self.inside = 0
        self.most_inside = 0
        self.lock = threading.Lock()

    def pipe(self, texts, batch_size: int, n_process: int):
        for start in range(0, len(texts), batch_size):
            with self.lock:
                self.inside += 1
                self.most_inside = max(self.most_inside, self.inside)
            time.sleep(0.02)  # the batch's work
            with self.lock:
                self.inside -= 1
            for _ in texts[start : start + batch_size]:
                yield SimpleNamespace(ents=[])


def test_two_threads_never_use_the_pipeline_at_once() -> None:
    # A comparison's NER and the background extraction share this process's pipeline.
    nlp = _CountingPipeline()
    texts = [f"text {i}" for i in range(40)]
    results: list[int] = []

    def run() -> None:
        results.append(sum(1 for _ in entities_mod.extract(nlp, texts, n_process=1, batch_size=4)))

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert results == [40, 40, 40]
    assert nlp.most_inside == 1


def test_index_no_entities_then_both_phases(
    seeds_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "index", str(seeds_copy), "--no-entities"]) == 0
    out = capsys.readouterr().out
    assert "Indexed: 5 added" in out and "Entities" not in out
    with Library.open(data) as lib:
        assert lib.entities.pending() == 5
        assert lib.search("Putin").total == 5  # searchable before any entity work
    assert main(["--data-dir", str(data), "index", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["unchanged"] == 5 and report["entities"]["processed"] == 5


def test_no_model_turns_entities_off_and_search_keeps_working(
    seeds_copy: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(entities_mod.model, "MODEL_PACKAGES", ("no_such_spacy_model",))
    engine = EntityEngine(tmp_path)
    ok, message = engine.available()
    assert not ok and "no_such_spacy_model" in message
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "index", str(seeds_copy)]) == 0
    out = capsys.readouterr().out
    assert "Entity features are off" in out
    with Library.open(data) as lib:
        assert lib.entities.of_document("004") == []
        assert lib.search("Li Zhanshu").total >= 1
    assert main(["--data-dir", str(data), "entities", "004"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "Entity features are off" in err[0]


def test_cli_corrections_and_errors(library_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = str(library_copy)
    assert main(["--data-dir", data, "entities", "merge", "Vladimir Milov", "Milow"]) == 0
    assert "Merged into Vladimir Milov" in capsys.readouterr().out
    assert main(["--data-dir", data, "entities", "rename", "kremlin", "The", "Kremlin"]) == 0
    assert main(["--data-dir", data, "entities", "ignore", "Approx"]) == 0
    assert main(["--data-dir", data, "entities", "retype", "Crimea", "GPE"]) == 0
    assert main(["--data-dir", data, "entities", "split", "Li Zhanshu", "Li"]) == 0
    assert main(["--data-dir", data, "entities", "corrections", "--json"]) == 0
    out = capsys.readouterr().out
    kinds = [c["kind"] for c in json.loads(out[out.index("[") :])]
    assert kinds == ["merge", "rename", "ignore", "retype", "split"]
    assert main(["--data-dir", data, "entities", "ignore", "Nobody At All"]) == 2
    assert main(["--data-dir", data, "entities", "merge", "Milow"]) == 2
    capsys.readouterr()
    assert main(["--data-dir", data, "entities", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    names = {r["name"]: r for r in rows}
    assert "Milow" in names["Vladimir Milov"]["aliases"] and "Approx" not in names
    assert names["The Kremlin"]["count"] >= 17


def test_extraction_reports_progress_and_can_be_cancelled(library_copy: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        (library_copy / (entities_mod.NER_CACHE + suffix)).unlink(missing_ok=True)
    seen: list[tuple[int, int]] = []
    with Library.open(library_copy) as lib:
        report = lib.entities.extract(
            progress=lambda d, t: seen.append((d, t)), cancel=lambda: len(seen) >= 3, n_process=1
        )
        assert report.cancelled and report.processed == 2
        assert seen[0] == (0, 5) and seen[-1] == (2, 5)
        # What was processed before the cancel is kept.
        assert lib.entities.pending() == 3
        again = lib.entities.extract()
        assert again.processed == 3 and again.cached == 2 and not again.cancelled
        assert lib.entities.pending() == 0


def test_corrections_survive_a_model_upgrade(library_copy: Path) -> None:
    with Library.open(library_copy) as lib:
        lib.entities.merge(["Vladimir Milov", "Milow"], name="Vladimir Milov (economist)")
    # Pretend the cache was made by an older model: its results must not be used.
    db = sqlite3.connect(library_copy / entities_mod.NER_CACHE)
    db.execute("UPDATE ner SET model = 'en_core_web_sm-3.7.1'")
    db.commit()
    db.close()
    notices: list[str] = []
    with Library.open(library_copy, on_notice=notices.append) as lib:
        report = lib.entities.extract()
        assert report.processed == 5
        assert any("another model (en_core_web_sm-3.7.1)" in n for n in notices)
        e = lib.entities.get("Milow")
        assert e.name == "Vladimir Milov (economist)" and e.key == "vladimir milov"


def test_a_new_correction_after_an_undo_applies(elib_copy: Library) -> None:
    lib = elib_copy
    lib.entities.rename("Kremlin", "Kremlin A")
    lib.entities.undo(lib.entities.corrections()[-1].id)
    assert lib.entities.get("kremlin").name == "Kremlin"
    lib.entities.rename("Kremlin", "Kremlin B")  # SQLite may reuse the undone id
    assert lib.entities.get("kremlin").name == "Kremlin B"
    assert lib.search('entity:"Kremlin B"').total == len(lib.entities.documents_of("kremlin"))


def test_corrections_restored_from_a_notes_backup_reach_the_index(
    library_copy: Path, tmp_path: Path
) -> None:
    with Library.open(library_copy) as lib:
        lib.entities.rename("Kremlin", "Moscow Kremlin")
        backup = tmp_path / "backup.json"
        lib.notes.export(backup, "json")
        lib.entities.undo(lib.entities.corrections()[-1].id)
        assert lib.search('entity:"Moscow Kremlin"').total == 0
        lib.notes.import_backup(backup)
        assert lib.entities.get("kremlin").name == "Moscow Kremlin"
        assert {h.id for h in lib.search('entity:"Moscow Kremlin"').hits} == set(
            lib.entities.documents_of("kremlin")
        )


# --------------------------------------------------------------------------- damaged data


def _checkpointed_cache(root: Path) -> Path:
    path = root / entities_mod.NER_CACHE
    db = sqlite3.connect(path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path


def test_a_cache_holding_text_that_is_not_utf8_is_rebuilt(library_copy: Path) -> None:
    # A damaged page can leave the database's structure intact and garble a row's text.
    path = _checkpointed_cache(library_copy)
    data = path.read_bytes().replace(b"Zhanshu", b"\xff" * 7)
    path.write_bytes(data)
    notices: list[str] = []
    with Library.open(library_copy, on_notice=notices.append) as lib:
        assert not holding(lib.entities.of_document("004"), "Li Zhanshu")  # it is gone ...
        assert any("entity cache was rebuilt" in n for n in notices), notices
        assert lib.entities.pending() == 5  # ... and extracted again
        lib.entities.extract()
        assert holding(lib.entities.of_document("004"), "Li Zhanshu")


def test_garbage_in_the_middle_of_the_cache_is_never_a_crash(
    library_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _checkpointed_cache(library_copy)
    size = path.stat().st_size
    with path.open("r+b") as fh:
        fh.seek(size // 2)
        fh.write(bytes(range(256)) * 16)  # 4 KB that are no SQLite page
    data = str(library_copy)
    for command in (["compare", "002", "004"], ["entities", "--json"], ["index"]):
        assert main(["--data-dir", data, *command]) == 0, command
        assert "Traceback" not in capsys.readouterr().err
    # Whether or not a command met the damaged page, the results are right.
    assert main(["--data-dir", data, "compare", "002", "004", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert "Li Zhanshu" in {e["name"] for e in result["shared_entities"]}


BAD_CORRECTIONS = [
    ("merge", '{"keys": 5}'),
    ("rename", "not json at all"),
    ("split", '["a", "list"]'),
    ("add", '{"doc_id": "004", "start": "12", "end": 20, "text": "Li", "type": "PERSON"}'),
    ("retype", '{"key": "kremlin", "name": "Kremlin", "type": "PLANET"}'),
    ("recolour", '{"key": "kremlin"}'),
]


def test_damaged_corrections_are_skipped_with_a_notice_never_a_crash(
    library_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(library_copy)
    assert main(["--data-dir", data, "entities", "rename", "Kremlin", "The Kremlin"]) == 0
    from workbench.core import userdb

    db = userdb.connect(library_copy)
    db.executemany("INSERT INTO corrections (kind, payload) VALUES (?, ?)", BAD_CORRECTIONS)
    db.close()
    capsys.readouterr()
    for command in (["entities", "--json"], ["compare", "002", "004"], ["index"]):
        assert main(["--data-dir", data, *command]) == 0, command
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err
    assert main(["--data-dir", data, "entities", "--json"]) == 0
    captured = capsys.readouterr()
    names = {r["name"] for r in json.loads(captured.out)}
    assert "The Kremlin" in names  # the sound correction still applies
    skipped = [line for line in captured.err.splitlines() if "is skipped" in line]
    assert len(skipped) == len(BAD_CORRECTIONS)
    assert any("correction 2 (merge)" in line and "'keys'" in line for line in skipped)
    # Each names the way out, which works.
    assert "workbench entities undo 2" in skipped[0]
    assert main(["--data-dir", data, "entities", "undo", "2"]) == 0


# --------------------------------------------------------------------------- one document's cost


def _texts_read(lib: Library, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the ids of every document whose text is read from now on."""
    read: list[str] = []
    get, get_many = lib.docs.get, lib.docs.get_many

    def one(doc_id: str):
        read.append(doc_id)
        return get(doc_id)

    def many(ids):
        read.extend(ids)
        return get_many(ids)

    monkeypatch.setattr(lib.docs, "get", one)
    monkeypatch.setattr(lib.docs, "get_many", many)
    return read


def test_one_documents_entities_read_no_text(
    elib_copy: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    elib_copy.entities.of_document("001")  # the process has looked at the library once
    read = _texts_read(elib_copy, monkeypatch)
    assert holding(elib_copy.entities.of_document("004"), "Li Zhanshu")
    assert elib_copy.entities.documents_of("Li Zhanshu")
    assert read == []


def test_comparing_two_documents_reads_only_their_texts(
    elib_copy: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    read = _texts_read(elib_copy, monkeypatch)
    result = elib_copy.compare("002", "004")
    assert "Li Zhanshu" in {e.entity.name for e in result.shared_entities}
    assert set(read) <= {CNN_RETELLING_BOL, CNN_LI_ZHANSHU}


def test_a_correction_reads_no_text_and_search_follows_it(
    elib_copy: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    elib_copy.entities.of_document("001")
    everywhere = {d.id for d in elib_copy.docs.summaries()}  # Putin is in all five
    read = _texts_read(elib_copy, monkeypatch)
    index_files = {p.name: p.stat().st_mtime_ns for p in elib_copy.index_dir.iterdir()}
    elib_copy.entities.merge(["Vladimir Milov", "Milow"])
    elib_copy.entities.rename("Vladimir Putin", "Putin the Elder")
    assert read == []
    assert {p.name: p.stat().st_mtime_ns for p in elib_copy.index_dir.iterdir()} == index_files
    assert elib_copy.entities.get("Milow").key == "vladimir milov"
    found = {h.id for h in elib_copy.search('entity:"Putin the Elder"', limit=50).hits}
    assert found == everywhere
    milov = {h.id for h in elib_copy.search("entity:Milow", limit=50).hits}
    assert milov == {h.id for h in elib_copy.search('entity:"Vladimir Milov"', limit=50).hits}
    assert milov


def _named_by_reference(lib: Library, term: str, prefix: bool = False) -> set[str]:
    """Documents with an entity whose key, name or an alias is ``term`` (or starts with
    it), read from each document's own entities."""
    out = set()
    for doc in lib.docs.summaries():
        for de in lib.entities.of_document(doc.id):
            names = {de.entity.key, de.entity.name, *de.entity.aliases}
            terms = {n.replace(",", " ").strip().lower() for n in names}
            if any(t.startswith(term) if prefix else t == term for t in terms):
                out.add(doc.id)
    return out


def test_entity_search_finds_the_documents_naming_the_entity(elib: Library) -> None:
    for term in ("li zhanshu", "united states", "u.s.", "kremlin", "vladimir putin", "sco"):
        expected = _named_by_reference(elib, term)
        assert expected, term
        assert elib.entities.documents_named(term) == expected, term
        assert {h.id for h in elib.search(f'entity:"{term}"', limit=50).hits} == expected, term
    # A surname alone names the person, as an alias; a prefix finds every name it starts.
    assert {h.id for h in elib.search("entity:Zhanshu", limit=50).hits} == _named_by_reference(
        elib, "zhanshu"
    )
    assert {h.id for h in elib.search("entity:zhansh*", limit=50).hits} == _named_by_reference(
        elib, "zhansh", prefix=True
    )
    assert elib.entities.documents_named("zhan") == set()
    # With words: only the documents naming him that also say the word.
    both = {h.id for h in elib.search('entity:"li zhanshu" AND NATO', limit=50).hits}
    nato = {h.id for h in elib.search("NATO", limit=50).hits}
    assert both == _named_by_reference(elib, "li zhanshu") & nato and both
    none = {h.id for h in elib.search('NATO NOT entity:"li zhanshu"', limit=50).hits}
    assert none == nato - both
    for doc in elib.docs.summaries():
        assert "vladimir putin" in elib.entities.entity_terms(doc.id)


def test_an_entity_search_by_fuzzy_name_says_what_it_takes(elib: Library) -> None:
    with pytest.raises(BadQuery, match="entity: takes a name"):
        elib.search("entity:zhanshu~")


RESOLVE_SLOWLY = """
import sys, time
from pathlib import Path
from workbench.core.entities import manager, stored
from workbench.core.library import Library

manager.RESOLVE_STEP = 1
update = stored.EntityStore.update

steps = []

def slow(self, *args, **kwargs):
    outcome = update(self, *args, **kwargs)
    steps.append(1)
    print("step", flush=True)
    if len(steps) == 3:
        time.sleep(60)  # killed here, however loaded the machine
    return outcome

stored.EntityStore.update = slow
with Library.open(Path(sys.argv[1])) as lib:
    lib.entities.extract(n_process=1)
"""


def test_an_extraction_killed_halfway_goes_on_from_where_it_was(
    entity_seeds_dir: Path, library_copy: Path
) -> None:
    import signal
    import subprocess
    import sys

    from ..support import REPO

    (library_copy / entities_mod.NER_CACHE).unlink()  # the model and the resolution again
    proc = subprocess.Popen(
        [sys.executable, "-c", RESOLVE_SLOWLY, str(library_copy)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    assert proc.stdout is not None
    for _ in range(3):  # all five through the model, three resolved and saved
        assert proc.stdout.readline() == "step\n"
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)
    with Library.open(library_copy) as lib:
        assert lib.entities.pending() == 2
        report = lib.entities.extract()
        assert report.processed == 0  # the model's results were saved before the kill
        again = {d.id: lib.entities.of_document(d.id) for d in lib.documents()}
    with Library.open(entity_seeds_dir) as lib:
        assert again == {d.id: lib.entities.of_document(d.id) for d in lib.documents()}


def test_notes_and_corrections_share_one_connection_to_the_user_database(
    elib_copy: Library,
) -> None:
    import os

    from workbench.core.userdb import DB_NAME

    def open_files() -> list[str]:
        fds = Path("/proc/self/fd")
        names = []
        for fd in fds.iterdir():
            try:
                names.append(os.readlink(fd))
            except OSError:
                continue
        return [n for n in names if Path(n).name == DB_NAME]

    if not Path("/proc/self/fd").exists():
        pytest.skip("no /proc")
    before = len(open_files())
    elib_copy.notes.add("a note", anchors=[elib_copy.notes.make_anchor("001")])
    elib_copy.entities.rename("Kremlin", "The Kremlin")
    assert [c.kind for c in elib_copy.entities.corrections()][-1] == "rename"
    assert elib_copy.notes.query()
    assert len(open_files()) == before + 1
