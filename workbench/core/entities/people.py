"""Words for a person by what they do or who they are to someone (``minister``,
``defender``, ``farmer``, ``mother``), read by the entity rules (a trade that opens a
sentence is not part of the name after it: ``Keeper Tony Bullock``) and by the quote
rules (descriptions such as ``the defender``, jobs next to a name)."""

from __future__ import annotations


def _words(listing: str) -> frozenset[str]:
    return frozenset(listing.split())


PERSON_NOUNS = _words(
    """minister secretary president senator governor mayor leader candidate chairman
    chairwoman chair coach player actor actress singer director writer author chief
    founder co-founder economist lawyer attorney manager professor researcher scientist
    mother father wife husband son daughter widow"""
)
"""Nouns for a person by what they do or who they are to someone, read both as the head
of a description and as a job next to a name."""

TRADES = _words(
    """chancellor premier congressman congresswoman lawmaker politician diplomat
    ambassador envoy mp mep msp peer
    defender striker midfielder forward winger goalkeeper keeper captain champion winner
    runner sprinter athlete batsman bowler all-rounder fly-half scrum-half flanker prop
    hooker boxer golfer jockey cyclist swimmer skater skier driver rider veteran
    youngster teenager international stopper star
    producer novelist musician rapper comedian comedienne presenter host frontman
    frontwoman guitarist drummer bassist artist designer model film-maker filmmaker
    composer playwright poet dancer chef
    boss banker entrepreneur tycoon billionaire millionaire
    judge barrister solicitor prosecutor defendant
    cardinal archbishop bishop pope priest vicar rabbi imam
    engineer developer programmer inventor grandmother grandfather widower"""
)
"""Trades of politics, sport, stage, business, law and church (and kin) that name one
person by what they do (``the defender``, ``the actress``)."""

OTHER_JOBS = _words(
    """vice-president spokesman spokeswoman spokesperson executive head cofounder member
    analyst strategist editor officer adviser advisor commissioner farmer owner resident
    student teacher doctor official partner aide consultant brother sister grandson
    granddaughter nephew niece"""
)
"""More words that describe a person next to a name (``tomato farmer Lana Boatwright``):
those who speak for others, kin, and posts that are also bodies' words (``executive``)."""


RANKS = _words(
    """Justice Judge Prince Princess King Queen Sheikh Emir Pope Cardinal Bishop
    Archbishop Father Brother Sister Saint St Sen Senator Rep Gov Governor President
    Chancellor Minister Secretary General Colonel Major Captain Lieutenant Commander
    Admiral Sergeant Inspector Detective Chief Professor Doctor Mayor Deputy Baroness
    Baron Earl Duke Duchess Count Countess Viscount Messrs Madame Monsieur Herr Frau
    Senor Senora Signor"""
)
"""Ranks, offices and forms of address written before a name as part of it (``President
George Bush``, ``Cardinal Cormac Murphy-O'Connor``), capitalised."""

_EVERY = PERSON_NOUNS | TRADES | OTHER_JOBS


def one_of(word: str, nouns: frozenset[str]) -> bool:
    """True for a word of ``nouns`` (lower case), or its plural, in any case."""
    w = word.lower()
    return w in nouns or (w.endswith("s") and w[:-1] in nouns)


def is_trade(word: str) -> bool:
    """True for a word of :data:`PERSON_NOUNS`, :data:`TRADES` or :data:`OTHER_JOBS`,
    or its plural, in any case."""
    return one_of(word, _EVERY)


def trade_before_name(word: str) -> bool:
    """True for a capitalised trade that opens a sentence before a name without being
    part of it (``Keeper Tony Bullock``, ``Rapper Eminem``); not a rank (``President
    George Bush``)."""
    return word[:1].isupper() and word not in RANKS and is_trade(word)


POST_NOMINALS = _words("QC KC MP MEP MSP OBE MBE CBE KBE DBE")
"""Letters written after a name that are not part of it (``Philippe Sands QC``, ``Paul
Boateng MP``)."""

PARTIES = _words("Tory Labour Conservative Republican Democrat")
"""Parties written before a name as an adjective (``Tory Liam Fox``)."""


def origin_before_name(word: str) -> bool:
    """True for a party or a nationality written before a name without being part of
    it (``Tory Liam Fox``, ``Russian Mikhail Youzhny``, ``Kenyan Alice Timbilil``); the
    nationalities are countryinfo's demonyms (``Christian`` is none)."""
    if word in PARTIES:
        return True
    from .countries import country_table  # countries reads the normalising rules
    from .normalise import norm_key

    return word[:1].isupper() and country_table().demonyms.get(norm_key(word)) == word
