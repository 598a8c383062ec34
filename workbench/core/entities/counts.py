"""The library-wide counts the resolution rules read, and the decisions made from them.

Each rule that looks beyond one document reads a count kept in the ``counts`` table
(kind, a, b, n), summed over the documents' contributions; a document that changes or
goes takes its contribution back. :class:`Decisions` answers the rules' questions from
those counts ("is 'Sunday' a name?", "which full name does 'Blair' join?") and remembers
its answers for the length of one update.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable

from .countries import country_table
from .normalise import choose_name, most_used, norm_key
from .resolve import is_common_word, relink_target, vote_type
from .store import LABELS, Strings, chunks

# Kinds of count: (a, b) -> n.
KEPT = 1  # (form, 0): mentions written so
NUMERIC = 2  # (text, 0): spans the model calls a date or a number written so
ACRONYM = 3  # (acronym, full name): documents defining it so
CANDIDATE = 4  # (lower-case word, word): documents where the model took the word for a name
WORD = 5  # (word, 0): uses of a word, in its case
VOTES = 6  # (one-word form, label index): mentions with that label (rule 3)
COUNTRY = 7  # (key, country name): mentions naming that country
DEMONYM = 8  # (key, singular): mentions of that nationality
LABEL_VOTES = 9  # (key, label index): mentions with that label (rule 4)
PARTS = 10  # (first or last word, key of a full name): 1 while the key has votes
BASE_FORMS = 11  # (key, form): mentions of the entity written so (rule 5)
BASE_LABELS = 12  # (key, label index): mentions of the entity with that label (rule 5)
ALIAS_NORMS = 13  # (normalised form, key): mentions of the entity written so

# Kinds of posting: term -> documents.
FORM_DOCS = 1  # a name as the model wrote it (rule 1)
KEY_DOCS = 2  # a key as rule 2 gave it
CAP_DOCS = 3  # a capitalised word of the text (propagation)

Key = tuple[int, int, int]


class Counts:
    """Reads and changes of the ``counts`` table, with the rows read kept until they change."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.cache: dict[tuple[int, int], dict[int, int]] = {}

    def prefetch(self, kind: int, ids: Iterable[int | None]) -> None:
        """Read the rows of many ``a`` at once."""
        want = [a for a in set(ids) if a is not None and (kind, a) not in self.cache]
        for chunk in chunks(want, 500):
            for a in chunk:
                self.cache[(kind, a)] = {}
            for a, b, n in self.conn.execute(
                f"SELECT a, b, n FROM counts WHERE kind = ? AND a IN ({','.join('?' * len(chunk))})",
                (kind, *chunk),
            ):
                self.cache[(kind, a)][b] = n

    def row(self, kind: int, a: int | None) -> dict[int, int]:
        if a is None:
            return {}
        found = self.cache.get((kind, a))
        if found is None:
            found = self.cache[(kind, a)] = dict(
                self.conn.execute("SELECT b, n FROM counts WHERE kind = ? AND a = ?", (kind, a))
            )
        return found

    def n(self, kind: int, a: int | None, b: int = 0) -> int:
        return self.row(kind, a).get(b, 0)

    def add(self, deltas: Counter[Key]) -> None:
        """Add signed deltas; a count that reaches zero is deleted."""
        changes = [(k, a, b, n) for (k, a, b), n in deltas.items() if n]
        self.conn.executemany(
            "INSERT INTO counts VALUES (?, ?, ?, ?) "
            "ON CONFLICT (kind, a, b) DO UPDATE SET n = n + excluded.n",
            changes,
        )
        dropped = [(k, a, b) for k, a, b, n in changes if n < 0]
        self.conn.executemany(
            "DELETE FROM counts WHERE kind = ? AND a = ? AND b = ? AND n <= 0", dropped
        )
        for k, a, _, _ in changes:
            self.cache.pop((k, a), None)


class Postings:
    """Which documents hold a term (a name, a key, a capitalised word)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def change(
        self, kind: int, add: Iterable[tuple[int, int]], drop: Iterable[tuple[int, int]]
    ) -> None:
        self.conn.executemany(
            "DELETE FROM postings WHERE kind = ? AND term = ? AND doc = ?",
            [(kind, t, d) for t, d in drop],
        )
        self.conn.executemany(
            "INSERT OR IGNORE INTO postings VALUES (?, ?, ?)", [(kind, t, d) for t, d in add]
        )

    def docs(self, kind: int, terms: Iterable[int]) -> set[int]:
        out: set[int] = set()
        for chunk in chunks(list(terms), 500):
            marks = ",".join("?" * len(chunk))
            out.update(
                r[0]
                for r in self.conn.execute(
                    f"SELECT doc FROM postings WHERE kind = ? AND term IN ({marks})",
                    (kind, *chunk),
                )
            )
        return out

    def docs_with_all(self, kind: int, terms: list[int]) -> set[int]:
        """Documents holding every one of ``terms`` (the rarest term is read first)."""
        if not terms:
            return set()
        sizes = {
            t: self.conn.execute(
                "SELECT count(*) FROM postings WHERE kind = ? AND term = ?", (kind, t)
            ).fetchone()[0]
            for t in set(terms)
        }
        order = sorted(sizes, key=sizes.__getitem__)
        found = self.docs(kind, order[:1])
        for t in order[1:]:
            if not found:
                break
            held: set[int] = set()
            for chunk in chunks(sorted(found), 500):
                marks = ",".join("?" * len(chunk))
                held.update(
                    r[0]
                    for r in self.conn.execute(
                        f"SELECT doc FROM postings WHERE kind = ? AND term = ? AND doc IN ({marks})",
                        (kind, t, *chunk),
                    )
                )
            found = held
        return found


class Decisions:
    """The library-wide answers the rules ask for, read from the counts (and remembered
    until :meth:`forget` says the counts changed)."""

    def __init__(self, counts: Counts, strings: Strings) -> None:
        self.counts = counts
        self.strings = strings
        self._memo: dict[tuple[str, str], object] = {}

    def prefetch_forms(self, forms: Iterable[str]) -> None:
        """Read at once what rules 1-3 ask about these names."""
        forms = set(forms)
        lowers = {f.lower() for f in forms if " " not in f}
        ids = self.strings.ids_of(forms | lowers)
        form_ids = [ids.get(f) for f in forms]
        for kind in (KEPT, NUMERIC, VOTES, WORD):
            self.counts.prefetch(kind, form_ids)
        self.counts.prefetch(ACRONYM, [ids.get(f) for f in forms if f.isupper()])
        low_ids = [ids.get(w) for w in lowers]
        self.counts.prefetch(CANDIDATE, low_ids)
        self.counts.prefetch(WORD, low_ids)

    def prefetch_keys(self, keys: Iterable[str]) -> None:
        """Read at once what rules 3-4 ask about these keys."""
        ids = list(self.strings.ids_of(keys).values())
        for kind in (COUNTRY, LABEL_VOTES, PARTS):
            self.counts.prefetch(kind, ids)

    def forget(self, kind: str, items: Iterable[str]) -> None:
        for item in items:
            self._memo.pop((kind, item), None)

    def _get(self, kind: str, item: str, compute: object) -> object:
        key = (kind, item)
        try:
            return self._memo[key]
        except KeyError:
            found = self._memo[key] = compute(item)  # type: ignore[operator]
            return found

    # -- rule 1

    def not_name(self, form: str) -> bool:
        return bool(self._get("not_name", form, self._not_name))

    def _not_name(self, form: str) -> bool:
        sid = self.strings.find(form)
        return self.counts.n(NUMERIC, sid) > self.counts.n(KEPT, sid)

    def acronym(self, abbr: str) -> str | None:
        found = self._get("acronym", abbr, self._acronym)
        return found if isinstance(found, str) else None

    def _acronym(self, abbr: str) -> str | None:
        row = self.counts.row(ACRONYM, self.strings.find(abbr))
        if not row:
            return None
        names = self.strings.texts_of(row)
        return most_used({names[i]: n for i, n in row.items()})

    def common(self, word: str) -> bool:
        return bool(self._get("common", word, self._common))

    def _common(self, word: str) -> bool:
        lower, sid = self.strings.find(word.lower()), self.strings.find(word)
        if sid is None or lower is None or not self.counts.n(CANDIDATE, lower, sid):
            return False
        return is_common_word(
            word, {word: self.counts.n(WORD, sid), word.lower(): self.counts.n(WORD, lower)}
        )

    # -- rule 3

    def votes(self, form: str) -> Counter[str]:
        found = self._get("votes", form, self._votes)
        assert isinstance(found, Counter)
        return found

    def _votes(self, form: str) -> Counter[str]:
        row = self.counts.row(VOTES, self.strings.find(form))
        return Counter({LABELS[i]: n for i, n in row.items()})

    def vote_summary(self, form: str) -> tuple[str, bool]:
        """What rule 3 reads of a one-word form's library votes."""
        votes = self.votes(form)
        return vote_type(votes), votes["PERSON"] > 0

    def is_country(self, key: str) -> bool:
        return bool(self._get("country", key, self._country))

    def _country(self, key: str) -> bool:
        return bool(self.counts.row(COUNTRY, self.strings.find(key)))

    # -- rule 4

    def label_votes(self, key: str) -> Counter[str]:
        found = self._get("label_votes", key, self._label_votes)
        assert isinstance(found, Counter)
        return found

    def _label_votes(self, key: str) -> Counter[str]:
        row = self.counts.row(LABEL_VOTES, self.strings.find(key))
        return Counter({LABELS[i]: n for i, n in row.items()})

    def relink(self, key: str) -> str | None:
        found = self._get("relink", key, self._relink)
        return found if isinstance(found, str) else None

    def _relink(self, key: str) -> str | None:
        if " " in key:
            return None
        row = self.counts.row(PARTS, self.strings.find(key))
        if not row:
            return None
        names = self.strings.texts_of(row)
        full = {names[i] for i in row if vote_type(self.label_votes(names[i])) == "PERSON"}
        return relink_target(key, self.label_votes, full, self.is_country)


def base_info_of(
    forms: Counter[str], labels: Counter[str], country: str | None, demonym: str | None
) -> tuple[str, str]:
    """An entity's name and type before corrections (rule 5)."""
    if country:
        return country, "GPE"
    if demonym:
        return demonym, "NORP"
    return choose_name(forms), vote_type(labels)


def country_search_names(name: str) -> list[str]:
    """The extra names a country is found by (its official name and ISO codes)."""
    country = country_table().exact.get(norm_key(name))
    return country.search_names() if country is not None else []
