"""The reported-speech gold set: draw the sentences, then turn their labels into JSON.

Reported speech is someone's words given without quotation marks (``X said that …``,
``…, X said.``, ``according to X, …``). The set is 150 sentences of
``../shared/corpora/bbc-news`` (MIT licence), one per article, each labelled with
whether it reports speech, whose words they are and which words (see
``reported-gold.md``)::

    .venv/bin/python tests/data/make_reported_gold.py sample OUT.json   # draw the sentences
    .venv/bin/python tests/data/make_reported_gold.py build ITEMS.json LABELS.json ...
    .venv/bin/python tests/data/make_reported_gold.py check             # labels still fit

``sample`` draws, with a fixed seed, from the articles neither in the quote gold set
nor in ``reported-gold-excluded.txt``: one sentence per article that has a verb of
saying (or "according to"), at least six words and no quotation mark. ``build`` joins the
labellers' files to the sentences and writes ``reported-gold.json``: the article's path,
the sentence's offsets in the reader text and the text's SHA-1 (so a change in cleaning
is noticed), and the labels; the sentences themselves are read from the corpus. Even ids are the tune part, odd ids the test part.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO))

from tests.data.fetch_pages import source_path  # noqa: E402
from workbench.core.corpus import parse_file  # noqa: E402
from workbench.core.quotes.text import sentence_end, sentence_start  # noqa: E402

OUT = HERE / "reported-gold.json"
EXCLUDED = HERE / "reported-gold-excluded.txt"
QUOTES_GOLD = HERE / "quotes-gold.json"
SEED = 20261201
SENTENCES = 150
VERBS = re.compile(
    r"\b(?:said|says|say|told|tells|added|adds|claimed|claims|argued|argues|insisted|"
    r"insists|warned|warns|stressed|stresses|explained|explains|announced|announces|"
    r"admitted|admits|denied|denies|confirmed|confirms|suggested|suggests|reported|reports|"
    r"predicted|predicts|estimated|estimates|noted|notes|stated|states|acknowledged|"
    r"revealed|reveals|according to)\b"
)
MARKS = re.compile(r"[\"“”‘’]|'\s|\s'")


def _sentences(text: str) -> list[tuple[int, int]]:
    """The sentences that may report speech: a verb of saying, six words, no marks."""
    out = []
    pos = 0
    while pos < len(text):
        start, end = sentence_start(text, pos), max(sentence_end(text, pos), pos)
        sentence = text[start : end + 1]
        if VERBS.search(sentence) and not MARKS.search(sentence) and len(sentence.split()) >= 6:
            out.append((start, end + 1))
        pos = end + 1
    return out


def sample(out: Path) -> None:
    bbc = source_path("bbc-news/x.txt").parent
    seen = {d["path"] for d in json.loads(QUOTES_GOLD.read_text("utf-8"))["documents"]}
    seen |= {
        line.strip()
        for line in EXCLUDED.read_text("utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    docs = sorted(str(f.relative_to(bbc.parent)) for f in bbc.glob("*/*.txt"))
    docs = [d for d in docs if d not in seen]
    rng = random.Random(SEED)
    rng.shuffle(docs)
    items: list[dict[str, object]] = []
    for path in docs:
        text = parse_file(source_path(path)).text
        found = _sentences(text)
        if not found:
            continue
        start, end = rng.choice(found)
        items.append(
            {
                "id": len(items),
                "doc": path,
                "start": start,
                "end": end,
                "sentence": text[start:end],
                "before": text[max(0, start - 400) : start],
            }
        )
        if len(items) == SENTENCES:
            break
    out.write_text(json.dumps(items, indent=1, ensure_ascii=False), "utf-8")
    print(f"{len(items)} sentences written to {out}")


def build(items_file: Path, label_files: list[Path]) -> None:
    items = json.loads(items_file.read_text("utf-8"))
    labels = {label["id"]: label for f in label_files for label in json.loads(f.read_text("utf-8"))}
    out = []
    for item in items:
        label = labels[item["id"]]
        text = parse_file(source_path(item["doc"])).text
        assert text[item["start"] : item["end"]] == item["sentence"], item["id"]
        if label["reported"]:
            assert label["words"] and label["words"] in item["sentence"], item["id"]
            assert label["speaker_kind"] in ("named", "unnamed"), item["id"]
            assert (label["speaker"] is None) == (label["speaker_kind"] == "unnamed"), item["id"]
        out.append(
            {
                "id": item["id"],
                "split": "tune" if item["id"] % 2 == 0 else "test",
                "path": item["doc"],
                "sha1": hashlib.sha1(text.encode("utf-8")).hexdigest(),
                "start": item["start"],
                "end": item["end"],
                "reported": label["reported"],
                "speaker": label["speaker"] if label["reported"] else None,
                "speaker_kind": label["speaker_kind"] if label["reported"] else None,
                "words": label["words"] if label["reported"] else None,
                "note": label.get("note", ""),
            }
        )
    OUT.write_text(json.dumps({"sentences": out}, indent=1, ensure_ascii=False) + "\n", "utf-8")
    print(f"{len(out)} sentences, {sum(s['reported'] for s in out)} reporting speech -> {OUT}")


def check() -> None:
    gold = json.loads(OUT.read_text("utf-8"))["sentences"]
    bad = 0
    for s in gold:
        text = parse_file(source_path(s["path"])).text
        if hashlib.sha1(text.encode("utf-8")).hexdigest() != s["sha1"]:
            print(f"{s['path']}: reads differently from when it was labelled")
            bad += 1
        elif s["words"] is not None and s["words"] not in text[s["start"] : s["end"]]:
            print(f"{s['path']}: the reported words are not in the sentence")
            bad += 1
    print(f"{len(gold)} sentences, {bad} that no longer fit")
    sys.exit(1 if bad else 0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="command", required=True)
    sub.add_parser("sample").add_argument("out", type=Path)
    b = sub.add_parser("build")
    b.add_argument("items", type=Path)
    b.add_argument("labels", type=Path, nargs="+")
    sub.add_parser("check")
    args = ap.parse_args()
    if args.command == "sample":
        sample(args.out)
    elif args.command == "build":
        build(args.items, args.labels)
    else:
        check()


if __name__ == "__main__":
    main()
