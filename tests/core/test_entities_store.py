"""The stored resolution, kept up to date one change at a time, against the reference.

:func:`~workbench.core.entities.resolve` resolves a whole library in memory; the store
(:class:`~workbench.core.entities.stored.EntityStore`) must give the same entities,
mentions, tables, suggestions and search terms after any sequence of imports, removals,
edits and corrections, touching only what they change. The texts and the model's output
are real: 90 BBC News articles (MIT licence, ``/work/shared/corpora/bbc-news``) and what
``en_core_web_sm`` found in them.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from workbench.core.entities import Correction, resolve, text_hash
from workbench.core.entities.cachedb import CacheFile
from workbench.core.entities.store import STORE_PART
from workbench.core.entities.stored import EntityStore
from workbench.core.entities.updater import DocInput
from workbench.core.library import Library

from ..support import BBC

pytestmark = pytest.mark.spacy


@pytest.fixture(scope="module")
def bbc_ner(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], dict[str, list]]:
    """Texts and NER results of 90 BBC articles from three categories."""
    folder = tmp_path_factory.mktemp("bbc90")
    for category in ("politics", "business", "sport"):
        for f in sorted((BBC / category).glob("*.txt"))[:30]:
            shutil.copy(f, folder / f"{category}-{f.name}")
    with Library.open(tmp_path_factory.mktemp("bbc90-data")) as lib:
        lib.add_paths([folder])
        lib.entities.extract()
        texts = {d.id: d.text for d in lib.documents()}
        spans = lib.entities.engine.spans([text_hash(t) for t in texts.values()])
    return texts, {d: spans[text_hash(t)] for d, t in texts.items() if text_hash(t) in spans}


class Library_:
    """A library that changes, resolved two ways: the store, and the reference."""

    def __init__(self, path: Path, raw: dict[str, list]) -> None:
        self.store = EntityStore(CacheFile(path, [STORE_PART]))
        self.raw = raw
        self.texts: dict[str, str] = {}
        self.corrections: list[Correction] = []

    def source(self, ids):
        return ((i, self.texts[i]) for i in ids if i in self.texts)

    def update(self, changed=(), removed=()):
        for d in removed:
            del self.texts[d]
        inputs = [
            DocInput(
                d,
                "sha-" + text_hash(self.texts[d]),
                text_hash(self.texts[d]),
                self.texts[d],
                self.raw.get(d),
            )
            for d in changed
        ]
        return self.store.update(inputs, list(removed), self.corrections, self.source)

    def correct(self, kind: str, **payload: object):
        self.corrections.append(Correction(len(self.corrections) + 1, kind, dict(payload)))
        return self.update()

    def check(self) -> None:
        raw = {d: self.raw[d] for d in self.texts if d in self.raw}
        ref = resolve(sorted(self.texts.items()), raw, self.corrections)

        def entities(des):
            return sorted(
                (
                    de.entity.key,
                    de.entity.name,
                    de.entity.type,
                    de.entity.aliases,
                    [(m.start, m.end, m.text) for m in de.mentions],
                )
                for de in des
            )

        for d in self.texts:
            assert entities(self.store.of_document(d) or []) == entities(
                ref.doc_entities.get(d, [])
            ), d
            assert self.store.entity_terms(d) == ref.index_terms(d), d
        counts: dict[str, list[int]] = {}
        for des in ref.doc_entities.values():
            for de in des:
                c = counts.setdefault(de.entity.key, [0, 0])
                c[0] += 1
                c[1] += len(de.mentions)
        want = {k: (e.name, e.type, *counts[k]) for k, e in ref.entities.items() if k in counts}
        got = {e.key: (e.name, e.type, docs, n) for e, docs, n in self.store.entity_counts()}
        assert got == want
        assert [s.to_json() for s in self.store.suggestions()] == [
            s.to_json() for s in ref.suggestions
        ]
        for key in list(want)[:40]:
            assert self.store.documents_of(key) == ref.documents_of(key)


@pytest.fixture
def both(bbc_ner, tmp_path: Path) -> Library_:
    return Library_(tmp_path / "entities-cache.sqlite3", bbc_ner[1])


def test_imports_removals_and_edits_give_the_reference(both: Library_, bbc_ner) -> None:
    texts = bbc_ner[0]
    ids = sorted(texts)
    random.Random(7).shuffle(ids)
    for part in (ids[:40], ids[40:65], ids[65:]):  # three imports
        both.texts.update({d: texts[d] for d in part})
        both.update(part)
        both.check()
    # Ten documents go, five change (the text shifts after the first full stop), one
    # has no NER results yet.
    edited = ids[10:15]
    for d in edited:
        both.texts[d] = both.texts[d].replace(".", ". ", 1)
    del both.raw[ids[20]]
    both.update([*edited, ids[20]], ids[:10])
    both.check()
    # They come back.
    both.texts.update({d: texts[d] for d in ids[:10]})
    both.update(ids[:10])
    both.check()


def test_corrections_and_undo_give_the_reference(both: Library_, bbc_ner) -> None:
    texts = bbc_ner[0]
    both.texts.update(texts)
    both.update(sorted(texts))
    doc = sorted(texts)[3]
    steps = [
        (
            "merge",
            {
                "keys": ["tony blair", "gordon brown"],
                "names": ["Tony Blair", "Gordon Brown"],
                "name": None,
            },
        ),
        ("rename", {"key": "labour", "old_name": "Labour", "name": "Labour Party"}),
        ("split", {"key": "tony blair", "name": "Tony Blair", "alias": "Blair"}),
        ("ignore", {"key": "bbc", "name": "BBC"}),
        ("retype", {"key": "chelsea", "name": "Chelsea", "type": "ORG"}),
        ("distinct", {"keys": ["tony blair", "blair"], "names": ["Tony Blair", "Blair"]}),
        ("ignore", {"key": "no such key", "name": "Nobody"}),
        ("add", {"doc_id": doc, "start": 0, "end": 8, "text": texts[doc][:8], "type": "ORG"}),
        (
            "merge",
            {
                "keys": ["conservatives", "tory"],
                "names": ["Conservatives", "Tory"],
                "name": "Tories",
            },
        ),
    ]
    for kind, payload in steps:
        outcome = both.correct(kind, **payload)
        if kind != "add":
            assert outcome.documents == 0  # rows rewritten with SQL, nothing resolved again
    both.check()
    assert both.store.entity("labour").name == "Labour Party"
    # Undo the split and the first merge.
    both.corrections = [c for c in both.corrections if c.id not in (1, 3)]
    both.update()
    both.check()
    # An import after corrections: they apply to the new documents too.
    gone = sorted(texts)[:5]
    both.update((), gone)
    both.texts.update({d: texts[d] for d in gone})
    both.update(gone)
    both.check()


def test_a_damaged_correction_is_skipped(both: Library_, bbc_ner) -> None:
    texts = bbc_ner[0]
    both.texts.update(texts)
    both.corrections = [Correction(1, "merge", {"keys": 5})]
    outcome = both.update(sorted(texts))
    assert [(c.id, why) for c, why in outcome.layer.unusable] == [
        (1, "'keys' is not a list of at least 1 keys")
    ]
    both.check()
