"""Text in other languages and scripts: words, sentences, language, alignment and search.

Real text comes from three places, read in place: the ``web-pages`` corpus
(``../shared/corpora/web-pages``, Mozilla Readability's test pages, Apache-2.0: Czech,
German, Spanish, French, Portuguese, Japanese and Chinese news pages; their
``expected.html`` is the article); the Russian headlines at the end of seed
``003`` (the InoSMI page it was saved from); and the Russian and Chinese example
sentences spaCy ships (``spacy.lang.ru.examples``, ``spacy.lang.zh.examples``, MIT:
newspaper quotes, Chekhov, Dostoevsky). The web-pages corpus has no Russian page.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from workbench.core import analysis, search
from workbench.core import text as textlib
from workbench.core.compare import align, measure_reuse, prepare
from workbench.core.corpus import parse_file
from workbench.core.library import Library

from ..support import CNN_TRANSLATION, REPO, SEEDS

PAGES = REPO.parent / "shared" / "corpora" / "web-pages" / "pages"
FOREIGN_PAGES = {
    "aktualne": "cs",
    "heise": "de",
    "nytimes-5": "es",
    "lemonde-1": "fr",
    "folha": "pt",
    "yahoo-4": "ja",
    "pixnet": "zh",
}


def page_text(name: str) -> str:
    return parse_file(PAGES / name / "expected.html").text


def russian_text() -> str:
    """Real Russian: the seed's Russian headlines and spaCy's Russian example sentences."""
    from spacy.lang.ru.examples import sentences

    seed = (SEEDS / f"{CNN_TRANSLATION}.txt").read_text("utf-8").splitlines()
    headlines = [line for line in seed if sum(1 for ch in line if "а" <= ch.lower() <= "я") > 20]
    return "\n\n".join([*headlines, *(s if s[-1] in ".!?" else s + "." for s in sentences)])


# --------------------------------------------------------------------------- text utilities


def test_sentences_end_at_the_terminals_of_every_script():
    text = (
        "پاکستان نے ہدف حاصل کر لیا۔ دوسرا جملہ یہاں ہے؟ "
        "中国政府今天宣布。北京大学是好学校！"
        "भारत ने मैच जीता। अगला वाक्य "
        "Он сказал: «Хватит!» Затем ушёл."
    )
    got = [text[s:e].strip() for s, e in textlib.sentence_spans(text)]
    assert got == [
        "پاکستان نے ہدف حاصل کر لیا۔",
        "دوسرا جملہ یہاں ہے؟",
        "中国政府今天宣布。",
        "北京大学是好学校！",
        "भारत ने मैच जीता।",
        "अगला वाक्य Он сказал: «Хватит!»",
        "Затем ушёл.",
    ]


def test_decimal_points_and_abbreviations_in_numbers_do_not_end_a_sentence():
    text = "Growth was 3.5% in 2004. It was 2.9% the year before."
    assert len(textlib.sentence_spans(text)) == 2


def test_matching_forms_fold_letter_variants_but_the_text_stays_as_written():
    # Arabic kaf/yeh against the Persian/Urdu forms, a zero-width non-joiner, yo, digits.
    assert textlib.fold("كتابي") == textlib.fold("کتابی")
    assert textlib.fold("می‌خواهم") == textlib.fold("میخواهم")
    assert textlib.fold("ЁЛКА") == textlib.fold("елка")
    assert textlib.fold("۲۰۲۴") == "2024"
    assert textlib.fold("Café") == "cafe"
    # Vowel signs of Indic scripts are letters, not accents: they stay.
    assert textlib.fold("मंत्री") != textlib.fold("मत्र")
    text = "A كتاب and a کتاب"
    words = [text[s:e] for s, e, _ in textlib.words(text)]
    assert words == ["A", "كتاب", "and", "a", "کتاب"]


def test_words_with_marks_and_joiners_stay_whole():
    text = "हिन्दी می‌خواهم naïve"
    assert [w for _, _, w in textlib.words(text)] == ["हिन्दी", "می‌خواهم", "naïve"]


def test_scripts_without_spaces_are_matched_character_by_character():
    units = [w for _, _, w in textlib.words("北京大学 in 東京タワー")]
    assert units == ["北", "京", "大", "学", "in", "東", "京", "タ", "ワ", "ー"]
    # jieba cuts Chinese into words for the index.
    assert [w for _, _, w in textlib.chinese_words("中国政府宣布制裁措施")][-2:] == ["制裁", "措施"]


@pytest.mark.parametrize("name, language", sorted(FOREIGN_PAGES.items()))
def test_the_language_of_real_pages_is_detected(name, language):
    assert textlib.detect_language(page_text(name)) == language


def test_english_seeds_and_bbc_articles_are_english():
    for path in sorted(SEEDS.glob("*.txt")):
        assert textlib.detect_language(parse_file(path).text) == "en", path.name
    assert textlib.detect_language(russian_text()) == "ru"
    assert textlib.detect_language("ok") is None


# --------------------------------------------------------------------------- alignment


def dropped_and_reordered(text: str, seed: int = 1) -> str:
    """Every third sentence dropped, the rest shuffled, one sentence a line."""
    sentences = [text[s:e].strip() for s, e in textlib.sentence_spans(text)]
    kept = [s for i, s in enumerate(sentences) if s and i % 3 != 1]
    random.Random(seed).shuffle(kept)
    return "\n".join(kept)


@pytest.mark.parametrize("name", sorted(FOREIGN_PAGES))
def test_pages_in_other_languages_align_with_a_cut_and_reordered_copy(name):
    a = page_text(name)
    b = dropped_and_reordered(a)
    pairs = align(a, b)
    assert pairs
    for p in pairs:
        assert a[p.a_start : p.a_end] == p.a_text and b[p.b_start : p.b_end] == p.b_text
    reuse = measure_reuse(prepare(a), prepare(b), pairs)
    # The copy is made only of the page's sentences (short ones are not passages).
    assert reuse.b_in_a > 0.5
    assert reuse.a_in_b < reuse.b_in_a
    assert reuse.level != "not derived"
    # Passages come back in A's order; their B sides are out of order: reordering found.
    b_starts = [p.b_start for p in pairs]
    assert len(pairs) < 3 or b_starts != sorted(b_starts)


def test_a_chinese_name_cut_differently_still_aligns():
    # The same sentence with and without spaces between the words (a common variation
    # in copied text): the characters match whatever the word boundaries.
    a = "中华人民共和国外交部发言人今天在北京表示，中方坚决反对这一决定。"
    b = "中华 人民 共和国 外交部 发言人 今天 在 北京 表示，中方 坚决 反对 这一 决定。"
    pairs = align(a, b, min_words=4)
    assert len(pairs) == 1 and pairs[0].similarity == 1.0


def test_urdu_sentences_are_cut_at_the_urdu_full_stop():
    sentences = [
        "پاکستان نے مطلوبہ ہدف چھ اعشاریہ ایک اوورز میں ایک وکٹ کے نقصان پر حاصل کر لیا۔",
        "بارش کی وجہ سے میچ تاخیر سے شروع ہوا اور شائقین کو طویل انتظار کرنا پڑا۔",
        "کپتان نے کہا کہ ٹیم نے بہت اچھا کھیل پیش کیا اور وہ نتیجے سے خوش ہیں۔",
    ]
    prepared = prepare(" ".join(sentences), "ur")
    assert len(prepared.sentences) == 3


# --------------------------------------------------------------------------- bad input


def test_one_fifty_thousand_character_word_aligns_and_indexes(tmp_path: Path):
    blob = "x" * 50_000
    han = "中" * 50_000
    for text in (blob, han, f"Start. {blob} end.", "a" + "\u200c" * 1000):
        assert align(text, text + " more", min_words=1) is not None
    analyzer = analysis.LanguageAnalyzer("ru")
    assert [t for t in analyzer.terms(f"слово {blob}") if t[0]] == [("слов", 0, 5)]
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "blob.txt").write_text(f"A title\n\n{blob} Lorem ipsum.", "utf-8")
    (tmp_path / "docs" / "han.txt").write_text(f"标题\n\n{han}。", "utf-8")
    with Library.open(tmp_path / "data") as lib:
        lib.add_paths([tmp_path / "docs"])
        assert lib.search("lorem").total == 1


def test_mixed_scripts_in_one_text_align_and_search(tmp_path: Path):
    mixed = (
        "Президент Путин встретился с 习近平 в Пекине. "
        "The talks covered energy, trade and the war in Ukraine, officials said. "
        "وزیر خارجہ نے کہا کہ مذاکرات مثبت رہے۔ 東京では記者会見が開かれた。"
    )
    pairs = align(mixed, mixed[::-1] + " " + mixed, min_words=3)
    assert pairs and any("Путин" in p.a_text for p in pairs)
    for p in pairs:
        assert mixed[p.a_start : p.a_end] == p.a_text


# --------------------------------------------------------------------------- search


@pytest.fixture(scope="module")
def polyglot(tmp_path_factory: pytest.TempPathFactory) -> Library:
    from spacy.lang.zh.examples import sentences as zh_sentences

    root = tmp_path_factory.mktemp("polyglot")
    docs = root / "docs"
    docs.mkdir()
    (docs / "russian.txt").write_text("Новости\n\n" + russian_text(), "utf-8")
    (docs / "chinese.txt").write_text(page_text("pixnet"), "utf-8")
    (docs / "chinese-copy.txt").write_text(
        "轉載\n\n" + dropped_and_reordered(page_text("pixnet"), seed=3), "utf-8"
    )
    (docs / "chinese-examples.txt").write_text("例句\n\n" + "".join(zh_sentences), "utf-8")
    (docs / "japanese.txt").write_text(page_text("yahoo-4"), "utf-8")
    (docs / "german.txt").write_text(page_text("heise"), "utf-8")
    for seed in sorted(SEEDS.glob("*.txt")):
        (docs / seed.name).write_text(seed.read_text("utf-8"), "utf-8")
    lib = Library.open(root / "data")
    lib.add_paths([docs])
    yield lib
    lib.close()


def doc_id(lib: Library, stem: str) -> str:
    return next(d.id for d in lib.documents() if Path(d.path).stem == stem)


def test_documents_get_their_language(polyglot: Library):
    languages = {Path(d.path).stem: d.language for d in polyglot.documents()}
    assert languages["russian"] == "ru"
    assert languages["chinese"] == "zh" and languages["japanese"] == "ja"
    assert languages["german"] == "de"
    assert {languages[p.stem] for p in SEEDS.glob("*.txt")} == {"en"}
    assert polyglot.document(doc_id(polyglot, "russian")).summary()["language"] == "ru"


def test_a_russian_query_finds_other_forms_of_the_word(polyglot: Library):
    russian = doc_id(polyglot, "russian")
    doc = polyglot.document(russian)
    # "Москва" (nominative) is not in the text; "Москвы" and "Москве" are.
    assert "Москва" not in doc.text and "Москвы" in doc.text
    results = polyglot.search("Москва")
    assert [h.id for h in results.hits] == [russian]
    shown = {doc.text[s:e] for s, e in results.hits[0].matches}
    assert shown and all(w.startswith("Москв") for w in shown)
    # An inflected query finds the other inflection: "совершенствование" -> "совершенствования".
    assert russian in {h.id for h in polyglot.search("совершенствование").hits}
    assert russian in {h.id for h in polyglot.search('"боевого состава"').hits}


def test_a_chinese_query_finds_the_chinese_page(polyglot: Library):
    chinese = doc_id(polyglot, "chinese")
    text = polyglot.document(chinese).text
    word = next(
        w
        for _, _, w in textlib.chinese_words(text)
        if len(w) >= 2 and textlib.is_spaceless(w) and text.count(w) >= 2
    )
    results = polyglot.search(word)
    assert chinese in {h.id for h in results.hits}
    hit = next(h for h in results.hits if h.id == chinese)
    assert hit.matches and all(word in text[s:e] or text[s:e] in word for s, e in hit.matches)


def test_a_japanese_query_finds_the_japanese_page_by_character_pairs(polyglot: Library):
    japanese = doc_id(polyglot, "japanese")
    text = polyglot.document(japanese).text
    run = next(r for r in textlib._SPACELESS_RUN.findall(text) if len(r) >= 4)
    assert japanese in {h.id for h in polyglot.search(run[:4]).hits}


def test_english_search_is_unchanged_beside_other_languages(polyglot: Library, seeded: Library):
    for q in ("putin", '"Li Zhanshu"', "square kilometers", "volod*", "zhansu~"):
        got = [(h.id, round(h.score, 6), h.matches) for h in polyglot.search(q).hits]
        want = [(h.id, round(h.score, 6), h.matches) for h in seeded.search(q).hits]
        assert [g[0] for g in got] == [w[0] for w in want], q
        assert [g[2] for g in got] == [w[2] for w in want], q


def test_the_english_body_field_is_the_one_for_english_and_unknown_languages():
    assert analysis.body_field("en") == analysis.body_field(None) == "body"
    assert analysis.body_field("ru") == "body_ru"
    assert analysis.body_field("ur") == "body_xx"
    # A page's language tag counts by its language.
    assert analysis.body_field("pt-BR") == "body_pt" and analysis.body_field("zh-TW") == "body_zh"
    assert textlib.language_code("en-US") == "en" and textlib.language_code("und") is None
    assert set(analysis.BODY_FIELDS) <= set(search.make_schema().names())


# --------------------------------------------------------------------------- note anchors


def test_a_note_on_edited_chinese_text_is_found_again_fuzzily():
    from workbench.core.notes import anchor_at, relocate

    text = page_text("pixnet")
    start = len(text) // 3
    anchor = anchor_at("zh", text, start, start + 40)
    # The passage is edited (two characters replaced) and moves: found again by its text.
    quote = anchor.quote
    edited = quote[:10] + "某某" + quote[12:]
    new_text = "前言。" * 30 + text.replace(quote, edited)
    moved = relocate(anchor, new_text)
    assert not moved.orphaned
    assert new_text[moved.start : moved.end] == moved.quote
    assert abs(len(moved.quote) - len(quote)) <= 4 and moved.quote[12:30] == quote[12:30]


def test_a_note_on_hindi_text_ends_on_whole_letters():
    from workbench.core.notes import anchor_at, relocate

    text = "प्रधानमंत्री ने आज दिल्ली में एक बैठक की। बैठक में कई मंत्री शामिल हुए और नीति पर चर्चा हुई।"
    start = text.index("बैठक में")
    anchor = anchor_at("hi", text, start, text.index("हुई") + 3)
    edited = "नमस्ते। " + text.replace("कई मंत्री", "अनेक मंत्री")
    moved = relocate(anchor, edited)
    assert not moved.orphaned
    # The found passage ends after a whole letter with its vowel sign, not inside it.
    assert moved.quote.endswith("हुई") and moved.quote.startswith("बैठक")


def test_comparing_a_russian_text_leaves_its_entities_out(polyglot: Library):
    russian, seed = doc_id(polyglot, "russian"), doc_id(polyglot, "002_e261c8b2c0199bff")
    result = polyglot.compare(russian, seed)
    assert "entities: English only (A is in 'ru')" in result.notes
    assert result.only_a == [] and result.shared_entities == []
    assert result.to_json()["a"]["language"] == "ru"


def test_related_finds_the_cut_copy_of_a_chinese_page_first(polyglot: Library):
    chinese, copy = doc_id(polyglot, "chinese"), doc_id(polyglot, "chinese-copy")
    related = polyglot.related(chinese, limit=3, sort="reuse")
    assert related[0].id == copy and related[0].passages > 5
    assert related[0].reuse is not None and related[0].reuse.b_in_a > 0.5
    assert polyglot.related(doc_id(polyglot, "russian"), limit=3) is not None


def test_words_written_joined_on_one_side_and_apart_on_the_other_match():
    # BBC writes both "horseracing" and "horse racing", "try-scorers" and "tryscorers";
    # German compounds and Urdu words are split or joined in the same way.
    a = "Die Bundesregierung hat am Dienstag neue Sanktionen gegen die Ölindustrie beschlossen."
    b = "Die Bundes Regierung hat am Dienstag neue Sanktionen gegen die Öl Industrie beschlossen."
    pairs = align(a, b, min_words=5)
    assert len(pairs) == 1 and pairs[0].similarity == 1.0
    assert pairs[0].a_diff == [] and pairs[0].b_diff == []
    u1 = "وزیر اعظم نے آج اسلام آباد میں پریس کانفرنس سے خطاب کرتے ہوئے کہا کہ حکومت اقدامات کر رہی ہے۔"
    u2 = "وزیراعظم نے آج اسلام آباد میں پریس کانفرنس سے خطاب کرتے ہوئے کہا کہ حکومت اقدامات کر رہی ہے۔"
    pairs = align(u1, u2, languages=("ur", "ur"))
    assert len(pairs) == 1 and pairs[0].similarity == 1.0
    # Different words that do not spell the same stay a difference.
    c = b.replace("Öl Industrie", "Gas Industrie")
    p = align(a, c, min_words=5)[0]
    assert "Ölindustrie" not in p.a_text or "Ölindustrie" in {a[s:e] for s, e in p.a_diff}


@pytest.mark.spacy
def test_entity_extraction_gives_the_english_model_only_english_documents(polyglot: Library):
    from workbench.core.entities import text_hash

    polyglot.entities.extract(n_process=1)
    assert polyglot.entities.pending() == 0
    engine = polyglot.entities.engine
    for doc in polyglot.documents():
        cached = engine.cache.cached(engine.model.model_id, [text_hash(doc.text)], failed=True)
        assert bool(cached) == (doc.language == "en"), (doc.path, doc.language)
        if doc.language != "en":
            assert polyglot.entities.of_document(doc.id) == []
    seed = doc_id(polyglot, "002_e261c8b2c0199bff")
    assert any(e.entity.name == "Li Zhanshu" for e in polyglot.entities.of_document(seed))
    assert polyglot.entities.extract(n_process=1).processed == 0
