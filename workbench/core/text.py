"""Text in any script: words, sentences, matching forms, scripts without spaces, language.

Everything that cuts text into words or sentences for matching goes through here, so the
aligner, the index's analyzers and the reader agree on what a word is, whatever the script.

- **Words** are runs of Unicode letters, combining marks, digits and joiners (the ``regex``
  module's ``\\w`` follows Unicode, so ``हिन्दी`` and Persian ``می‌خواهم`` with its
  zero-width non-joiner are one word each, where Python's ``re`` cuts them apart). In
  scripts written without spaces (Chinese, Japanese, Thai, Lao, Khmer, Myanmar) each
  character (grapheme) is a unit of matching: word boundaries there are a matter of
  opinion, and two texts that cut the same name differently still share its characters.
- **Sentences** end at any Unicode sentence terminal (``\\p{Sentence_Terminal}``: ``. ! ?``
  and ``۔ ؟ । ॥ 。 ！ ？`` …) followed by white space, at the ideographic full stops
  anywhere (Chinese and Japanese put no space after them), and at line ends.
- **Matching forms** (:func:`fold`): NFKC, case folded, accents and Arabic/Hebrew vowel
  points dropped, script letter variants made one (Arabic/Urdu/Persian yeh, kaf, heh and
  alef forms; Cyrillic ё → е), any decimal digit as its ASCII digit, and joiners, soft
  hyphens and the Arabic tatweel removed. Only the form used for matching changes: every
  offset points into the text as written, which is what the reader shows.
- **Language** (:func:`detect_language`): py3langid's offline model (ISO 639-1 codes).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable, Iterator
from functools import lru_cache
from itertools import pairwise
from typing import Any

import regex

# A word: letters, marks, digits and joiners, with inner apostrophes, dots and commas kept
# ("Russia's", "U.S", "3,000"); soft hyphens and word joiners do not cut a word.
WORD = regex.compile(r"[\w\u00ad\u2060]+(?:['’.,][\w\u00ad\u2060]+)*")

# Scripts written without spaces between words.
_SPACELESS_CLASS = (
    r"\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}\u30fc\u3005\uff70"
)
SPACELESS = regex.compile(f"[{_SPACELESS_CLASS}]")
_SPACELESS_RUN = regex.compile(f"(?:[{_SPACELESS_CLASS}]\\p{{M}}*)+")
_GRAPHEME = regex.compile(r"\X")
# Hiragana carries the grammar of Japanese (particles, endings): a unit, not content.
_HIRAGANA = regex.compile(r"\p{Hiragana}")
_CJK = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\u30fc]")

SPACELESS_WEIGHT = 0.5
"""How much of a word one character of a script without spaces counts as, in thresholds
and shares (a Chinese word is 1.5-2 characters on average)."""

# A sentence ends at a terminal (with closing quotes or brackets) before white space or
# the end, at an ideographic full stop, exclamation or question mark anywhere, or at a
# line end.
_CLOSERS = r"[\"'”’»)\]\p{Pe}\p{Pf}]*"
SENTENCE_END = regex.compile(
    rf"[\p{{Sentence_Terminal}}…]+{_CLOSERS}(?=\s|$)|[。！？｡]+{_CLOSERS}|\n+",
    regex.V1,
)

# Characters removed from the matching form: joiners, soft hyphen, word joiner, BOM, tatweel.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u00ad\u2060\ufeff\u0640"), None)
# Letter variants of one letter, mapped to one form (after case folding).
_VARIANTS = str.maketrans(
    {
        # Arabic, Persian and Urdu yeh; kaf; heh (Urdu heh goal, doachashmee, ae); alef forms
        "\u0649": "\u064a",
        "\u06cc": "\u064a",
        "\u06d0": "\u064a",
        "\u0643": "\u06a9",
        "\u06c1": "\u0647",
        "\u06be": "\u0647",
        "\u06d5": "\u0647",
        "\u06c3": "\u0629",
        "\u0671": "\u0627",
        # Cyrillic yo is written as ye in most Russian text
        "ё": "е",
    }
)
# Combining marks that are optional in writing: Latin/Greek/Cyrillic accents, Hebrew
# points, Arabic short vowels and Quranic marks. Marks of Indic and South-East Asian
# scripts are letters' vowels and stay.
_OPTIONAL_MARKS = regex.compile(
    r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
    r"\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]"
)
_NON_ASCII_DIGIT = regex.compile(r"(?![0-9])\p{Nd}")


@lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """The matching form of a word: see the module docstring. ASCII words are only case-folded."""
    w = word.casefold()
    if w.isascii():
        return w
    w = unicodedata.normalize("NFKD", w.translate(_INVISIBLE))
    w = _OPTIONAL_MARKS.sub("", w)
    w = unicodedata.normalize("NFC", w).translate(_VARIANTS)
    if _NON_ASCII_DIGIT.search(w):
        w = _NON_ASCII_DIGIT.sub(lambda m: str(unicodedata.digit(m.group())), w)
    return w


def is_spaceless(unit: str) -> bool:
    """Whether a unit is a character of a script written without spaces."""
    return bool(SPACELESS.match(unit))


def is_function_unit(unit: str) -> bool:
    """A character that carries grammar rather than content: Japanese hiragana."""
    return bool(_HIRAGANA.match(unit))


# Texts without combining marks, joiners or scripts without spaces (most text in
# European languages) are cut into the same words by Python's own, faster, ``re``.
PLAIN_WORD = re.compile(r"\w+(?:['’.,]\w+)*")


@lru_cache(maxsize=8192)
def _needs_unicode_rules(ch: str) -> bool:
    return (
        unicodedata.category(ch).startswith("M")
        or ch in "\u200c\u200d\u00ad\u2060"
        or SPACELESS.match(ch) is not None
    )


def has_spaceless(text: str) -> bool:
    """Whether ``text`` has any character of a script written without spaces."""
    return not text.isascii() and any(
        SPACELESS.match(ch) is not None for ch in set(text) if ch >= "\u0e00"
    )


def needs_unicode_words(text: str) -> bool:
    """Whether ``text`` has combining marks, joiners or characters of scripts without
    spaces, which Python's ``re`` does not cut into words as a reader would."""
    # The distinct characters of a text are few: looking at each once is fast.
    return not text.isascii() and any(_needs_unicode_rules(ch) for ch in set(text) if ch > "\x7f")


def word_list(text: str) -> list[tuple[int, int, str]]:
    """:func:`words` as a list (made faster where the text needs no Unicode word rules)."""
    if not needs_unicode_words(text):
        return [(m.start(), m.end(), m.group()) for m in PLAIN_WORD.finditer(text)]
    return list(words(text))


def words(text: str) -> Iterator[tuple[int, int, str]]:
    """The units of matching of ``text`` as (start, end, surface text).

    Words of scripts with spaces whole; scripts without spaces one character (grapheme)
    at a time. Offsets are into ``text``.
    """
    if not needs_unicode_words(text):
        for m in PLAIN_WORD.finditer(text):
            yield m.start(), m.end(), m.group()
        return
    yield from _split_spaceless(text, _graphemes)


Units = Iterator[tuple[int, int, str]]


def _split_spaceless(text: str, spaceless: Callable[[int, str], Units]) -> Units:
    """The words of ``text`` whole, except each run of a script without spaces inside
    one, which ``spaceless(offset of the run, run)`` cuts into its units."""
    for m in WORD.finditer(text):
        token = m.group()
        if not SPACELESS.search(token):
            yield m.start(), m.end(), token
            continue
        base = m.start()
        pos = 0
        for run in _SPACELESS_RUN.finditer(token):
            if run.start() > pos:
                yield base + pos, base + run.start(), token[pos : run.start()]
            yield from spaceless(base + run.start(), run.group())
            pos = run.end()
        if pos < len(token):
            yield base + pos, base + len(token), token[pos:]


def _graphemes(start: int, run: str) -> Units:
    """A spaceless run one character (grapheme) at a time."""
    for g in _GRAPHEME.finditer(run):
        yield start + g.start(), start + g.end(), g.group()


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) character spans of the sentences of ``text``, in any script."""
    spans = []
    pos = 0
    for m in SENTENCE_END.finditer(text):
        if m.end() > pos:
            spans.append((pos, m.end()))
        pos = m.end()
    if pos < len(text):
        spans.append((pos, len(text)))
    return spans


# --------------------------------------------------------------------------- Chinese


_JIEBA_LOCK = threading.Lock()
_jieba: Any = None


def _segmenter() -> Any:
    """jieba's tokenizer, loaded on first use (it reads its 5 MB dictionary, ~1 s)."""
    global _jieba
    with _JIEBA_LOCK:
        if _jieba is None:
            import logging

            import jieba

            jieba.setLogLevel(logging.WARNING)
            tokenizer = jieba.Tokenizer()
            tokenizer.initialize()
            _jieba = tokenizer
        return _jieba


SEGMENT_CHARS = 400


def chinese_words(text: str) -> Iterator[tuple[int, int, str]]:
    """Chinese words of ``text`` (jieba's segmentation) as (start, end, word).

    Only runs of Han characters are segmented; other words are cut as by :func:`words`
    without splitting them into characters.
    """
    for m in WORD.finditer(text):
        token = m.group()
        if not _CJK.search(token):
            yield m.start(), m.end(), token
            continue
        # jieba slows down badly on very long runs (a page of one repeated character):
        # cut them into pieces first (a word cut at a piece boundary is rare).
        for piece in range(0, len(token), SEGMENT_CHARS):
            base = m.start() + piece
            for word, start, end in _segmenter().tokenize(token[piece : piece + SEGMENT_CHARS]):
                if word.strip():
                    yield base + start, base + end, word


def cjk_bigrams(text: str) -> Iterator[tuple[int, int, str]]:
    """Overlapping character pairs of spaceless runs, other words whole.

    The usual way to search Japanese and Thai without a dictionary (Lucene's CJK
    analyzer does the same): a query's pairs meet the document's pairs whatever the word
    boundaries. A run of one character is kept as it is.
    """
    yield from _split_spaceless(text, _pairs)


def _pairs(start: int, run: str) -> Units:
    """A spaceless run as overlapping pairs of characters (graphemes); one alone as it is."""
    units = [(g.start(), g.end()) for g in _GRAPHEME.finditer(run)]
    if len(units) == 1:
        yield start, start + units[0][1], run
    for (s, _), (_, e) in pairwise(units):
        yield start + s, start + e, run[s:e]


# --------------------------------------------------------------------------- language

_LANGID_LOCK = threading.Lock()
_langid: Any = None
DETECT_CHARS = 1000
"""Characters of a text the language detector reads: 1,000 from the second quarter of the
text (past a title or a menu; on the BBC and web-pages corpora as right as reading 4,000,
in a quarter of the time: about 1 ms)."""


def language_code(tag: str | None) -> str | None:
    """The ISO 639-1 code of a language tag: "pt-BR" -> "pt", "zh_Hant" -> "zh" (None: none)."""
    code = regex.split(r"[-_]", (tag or "").strip().lower(), maxsplit=1)[0]
    return code if regex.fullmatch(r"[a-z]{2,3}", code) and code not in ("und", "mul") else None


def is_english(language: str | None) -> bool:
    """Whether a document in ``language`` is one the English entity model can read:
    English, or a language nobody could tell (as every document was before languages)."""
    return language_code(language) in (None, "en")


def detect_language(text: str) -> str | None:
    """The language of ``text`` as an ISO 639-1 code ("en", "ru", "zh"), or None if unsure.

    py3langid's offline model (97 languages, 4 MB). A text with fewer than 20 letters
    is too short to say.
    """
    start = max(0, min(len(text) // 4, len(text) - DETECT_CHARS))
    sample = text[start : start + DETECT_CHARS]
    if sum(1 for ch in sample[:400] if ch.isalpha()) < 20:
        return None
    if _plainly_english(sample):
        return "en"
    global _langid
    with _LANGID_LOCK:
        if _langid is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            _langid = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        lang, prob = _langid.classify(sample)
    if prob >= 0.5:
        return str(lang)
    # Chinese, Japanese and Thai are recognised by their script even when the model
    # hesitates (a page of names, a short article).
    return _language_by_script(sample)


_ENGLISH_MARKERS = re.compile(r"\b(?:the|of|and|to|is|was|that|with|for)\b", re.IGNORECASE)


def _plainly_english(sample: str) -> bool:
    """A shortcut for most of an English library: Latin letters only and English's most
    common words everywhere (at least one word in eight), in microseconds."""
    if not sample.isascii() and sum(1 for ch in sample if ord(ch) > 0x24F) > 5:
        return False
    words = len(PLAIN_WORD.findall(sample))
    return words >= 40 and len(_ENGLISH_MARKERS.findall(sample)) * 8 >= words


_KANA = regex.compile(r"[\p{Hiragana}\p{Katakana}]")
_HAN = regex.compile(r"\p{Han}")
_THAI = regex.compile(r"\p{Thai}")


def _language_by_script(sample: str) -> str | None:
    letters = max(1, sum(1 for ch in sample if ch.isalpha()))
    kana, han = len(_KANA.findall(sample)), len(_HAN.findall(sample))
    if kana > 0.1 * letters:
        return "ja"
    if han > 0.5 * letters:
        return "zh"
    if len(_THAI.findall(sample)) > 0.5 * letters:
        return "th"
    return None


# --------------------------------------------------------------------------- stemming

SNOWBALL = {
    "ar": "arabic",
    "ca": "catalan",
    "cs": "czech",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "es": "spanish",
    "et": "estonian",
    "eu": "basque",
    "fa": "persian",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hi": "hindi",
    "hu": "hungarian",
    "hy": "armenian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "ne": "nepali",
    "nl": "dutch",
    "no": "norwegian",
    "nb": "norwegian",
    "pl": "polish",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
}
"""Languages (ISO 639-1) with a Snowball stemmer in PyStemmer, and the stemmer's name.
English is stemmed with Porter's original algorithm, as it always was."""

_STEMMERS: dict[str, Any] = {}
_STEMMER_LOCK = threading.Lock()


def snowball_stemmer(language: str | None) -> Any:
    """PyStemmer's stemmer for ``language`` (``stemWord``/``stemWords``), or None.

    PyStemmer's stemmers are not thread-safe: each thread gets its own.
    """
    name = SNOWBALL.get(language_code(language) or "")
    if name is None:
        return None
    key = f"{name}:{threading.get_ident()}"
    with _STEMMER_LOCK:
        found = _STEMMERS.get(key)
        if found is None:
            import Stemmer

            found = _STEMMERS[key] = Stemmer.Stemmer(name, 10_000)
        return found


# Function words of languages Whoosh has no stop list for (the most frequent words of
# news text in each; Japanese uses the hiragana rule instead).
_MORE_STOP_WORDS = {
    "ur": """کے کی کا کو میں سے نے اور ہے ہیں تھا تھی تھے پر بھی یہ وہ ایک کہ جو اس ان کر
        کیا گیا گئی گئے ہو ہوں ہوا ہوئے ہوئی رہا رہی رہے لیے لئے تک جس جن یا اپنے اپنی اپنا
        کچھ نہیں نہ کسی بعد ساتھ دیا دی کرنے کرتے کہا جبکہ بتایا""",
    "hi": """के की का को में से ने और है हैं था थी थे पर भी यह वह एक कि जो इस उस कर किया
        गया गई गए हो लिए तक या नहीं""",
    "fa": """و در به از که این را با است آن برای یک تا می شد شده بود کرد هم ها خود نیز اما
        بر یا گفت""",
    "ar": """في من على إلى أن عن مع هذا هذه التي الذي كان قد لا ما أو ثم كما بين بعد قبل
        وقال و""",
    "zh": "的 了 是 在 和 与 及 或 也 就 都 而 之 其 为 于 以 被 把 对 这 那 个 一 不 有 我 你 他 她 它 们",
}


@lru_cache(maxsize=64)
def stop_words(language: str | None) -> frozenset[str]:
    """Folded function words of ``language`` (empty if none are known)."""
    language = language_code(language)
    if not language or language == "en":
        return frozenset()
    raw = _MORE_STOP_WORDS.get(language)
    if raw is None:
        from whoosh.lang import NoStopWords, stopwords_for_language

        try:
            raw = " ".join(stopwords_for_language(language))
        except NoStopWords:
            return frozenset()
    return frozenset(fold(w) for w in raw.split())
