"""Countries and nationalities from real sources: pycountry (ISO 3166), country_converter's
name table and countryinfo's demonyms, read as data files. ``US``, ``U.S.``, ``USA`` and
``the United States`` are one country; ``Russians`` is the plural of ``Russian``."""

from __future__ import annotations

import contextlib
import csv
import importlib.util
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .normalise import norm_key


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
                if c.alpha_2 in _TWO_LETTER_COUNTRIES:
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


_TWO_LETTER_COUNTRIES = frozenset({"US", "GB"})
"""The ISO two-letter codes a newspaper writes for a country. Others are acronyms that
the model tags as places: "BT" (the telecoms firm, not Bhutan), "LA" (Los Angeles, not
Laos), "AI" (not Anguilla): on the BBC corpus every other two-letter place was one."""

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
