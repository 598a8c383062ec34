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
   A person's span loses an owner ("Britain's Paula Radcliffe"), a party, nationality
   or honours around the name ("Tory Liam Fox", "Ian MacDonald QC") and a trade that
   opens its sentence ("Keeper Tony Bullock"; :mod:`.people`).
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

:func:`resolve` is the whole resolution of a library in memory, the reference. A library
keeps its resolution on disk instead (:class:`~.stored.EntityStore`, in the same cache
file as the NER results) and brings it up to date one change at a time (:mod:`.updater`,
:mod:`.apply`, :mod:`.layer`): reading one document's entities reads its rows, and a test
checks that the store and the reference agree.

The package, one module per concern: :mod:`.records` (the contract), :mod:`.model` and
:mod:`.workers` (running spaCy), :mod:`.cache` (on :mod:`.cachedb`, a rebuildable SQLite
cache other parts may share), :mod:`.normalise`, :mod:`.countries`, :mod:`.resolve`
(rules 1-5), :mod:`.corrections` (rule 6), :mod:`.propagate` (rule 7), :mod:`.contract`
(rule 8), :mod:`.suggestions`; the store: :mod:`.store` (tables), :mod:`.counts`
(library-wide counts and decisions), :mod:`.updater`, :mod:`.layer`, :mod:`.apply`,
:mod:`.stored`; :mod:`.engine` and :mod:`.manager` (``lib.entities``).
"""

from __future__ import annotations

from .cache import CACHE_FORMAT, NER_CACHE, NerCache, text_hash
from .cachedb import CacheFile, CachePart, CacheRebuilt, CacheUnavailable
from .contract import Resolved
from .corrections import (
    CORRECTION_KINDS,
    BadPayload,
    Correction,
    apply_correction,
    load_corrections,
    save_correction,
)
from .countries import Country, CountryTable, country_table, demonym_plural
from .engine import EntityEngine
from .model import BATCH_SIZE, MODEL_PACKAGES, NOT_FOR_NER, NerModel, default_processes, extract
from .normalise import clean_name, find_acronyms, is_acronym, norm_key, normalise_span
from .records import (
    ENTITY_TYPES,
    OTHER_TYPES,
    DocEntity,
    EntitiesUnavailable,
    Entity,
    EntityReport,
    Mention,
    RawSpan,
    Suggestion,
    UnknownEntity,
)
from .resolve import DOMINANT_NAME_RATIO, Prepared, finish, prepare, resolve
from .suggestions import suggestions

__all__ = [
    "BATCH_SIZE",
    "CACHE_FORMAT",
    "CORRECTION_KINDS",
    "DOMINANT_NAME_RATIO",
    "ENTITY_TYPES",
    "MODEL_PACKAGES",
    "NER_CACHE",
    "NOT_FOR_NER",
    "OTHER_TYPES",
    "BadPayload",
    "CacheFile",
    "CachePart",
    "CacheRebuilt",
    "CacheUnavailable",
    "Correction",
    "Country",
    "CountryTable",
    "DocEntity",
    "EntitiesUnavailable",
    "Entity",
    "EntityEngine",
    "EntityReport",
    "Mention",
    "NerCache",
    "NerModel",
    "Prepared",
    "RawSpan",
    "Resolved",
    "Suggestion",
    "UnknownEntity",
    "apply_correction",
    "clean_name",
    "country_table",
    "default_processes",
    "demonym_plural",
    "extract",
    "find_acronyms",
    "finish",
    "is_acronym",
    "load_corrections",
    "norm_key",
    "normalise_span",
    "prepare",
    "resolve",
    "save_correction",
    "suggestions",
    "text_hash",
]
