"""Cues: the words that report speech (said, told, added, stressed, according to, …).

A cue verb is matched in all its forms (``say``/``says``/``said``/``saying``). Some verbs
only report speech next to a quotation or before a colon (``continue``, ``conclude``,
``believe``); that is decided where they are used, not here.
"""

from __future__ import annotations

import re

from .text import words_of

_VERB_FORMS = """
say says said saying | tell tells told telling | add adds added adding
stress stresses stressed stressing | insist insists insisted insisting
claim claims claimed claiming | argue argues argued arguing | warn warns warned warning
explain explains explained explaining | note notes noted noting
state states stated stating | declare declares declared declaring
announce announces announced announcing | admit admits admitted admitting
acknowledge acknowledges acknowledged acknowledging | concede concedes conceded conceding
reply replies replied replying | respond responds responded responding
answer answers answered answering | ask asks asked asking
continue continues continued continuing | conclude concludes concluded concluding
suggest suggests suggested suggesting | predict predicts predicted predicting
write writes wrote written writing | tweet tweets tweeted tweeting
report reports reported reporting | confirm confirms confirmed confirming
deny denies denied denying | assure assures assured assuring
promise promises promised promising | pledge pledges pledged pledging
vow vows vowed vowing | urge urges urged urging | describe describes described describing
brand brands branded branding | accuse accuses accused accusing
complain complains complained complaining | criticise criticises criticised criticising
criticize criticizes criticized criticizing | praise praises praised praising
hail hails hailed hailing | comment comments commented commenting
remark remarks remarked remarking | recall recalls recalled recalling
observe observes observed observing | emphasise emphasises emphasised emphasising
emphasize emphasizes emphasized emphasizing | joke jokes joked joking | quip quips quipped
boast boasts boasted boasting | exclaim exclaims exclaimed exclaiming
reveal reveals revealed revealing | disclose discloses disclosed disclosing
mention mentions mentioned mentioning | maintain maintains maintained maintaining
contend contends contended contending | allege alleges alleged alleging
agree agrees agreed agreeing | repeat repeats repeated repeating
reiterate reiterates reiterated reiterating | assert asserts asserted asserting
affirm affirms affirmed affirming | protest protests protested protesting
demand demands demanded demanding | plead pleads pleaded pleading
propose proposes proposed proposing | recommend recommends recommended recommending
advise advises advised advising | caution cautions cautioned cautioning
forecast forecasts forecasting | call calls called calling | dub dubs dubbed dubbing
label labels labelled labeled labelling | dismiss dismisses dismissed dismissing
attack attacks attacked attacking | retort retorts retorted retorting
shout shouts shouted shouting | whisper whispers whispered whispering
speak speaks spoke spoken speaking | testify testifies testified testifying
believe believes believed believing | think thinks thought thinking
feel feels felt feeling | fear fears feared fearing | hope hopes hoped hoping
express expresses expressed expressing | read reads | muse muses mused
counter counters countered countering | concur concurs concurred
thank thanks thanked thanking | cite cites cited citing
emailed | e-mailed | texted | messaged | underline underlines underlined underlining
opine opines opined opining | yell yells yelled yelling
"""

_MANNER_FORMS = """
laughed laughs | sighed sighs | smiled smiles | grinned grins | shrugged shrugs
snapped snaps | scoffed scoffs | gushed gushes | beamed beams | muttered mutters
murmured murmurs | mumbled mumbles | growled growls | bellowed bellows | sobbed sobs
screamed screams | fumed fumes | ranted rants | enthused enthuses | raved raves
chuckled chuckles | sneered sneers | interjected interjects | interrupted interrupts
inquired inquires | enquired enquires | queried queries | wondered wonders
recounted recounts | reflected reflects | confided confides | instructed instructs
informed informs | lamented laments | reasoned reasons | conceded
"""


def _forms(listing: str) -> frozenset[str]:
    """The verb forms of a listing of groups separated by "|"."""
    return frozenset(w for group in listing.split("|") for w in group.split())


def _any_of(words: frozenset[str]) -> re.Pattern[str]:
    """A pattern for any of ``words`` as a whole word, the longest tried first."""
    return re.compile(r"\b(?:" + "|".join(sorted(words, key=len, reverse=True)) + r")\b")


TAG_ONLY = _forms(_MANNER_FORMS)
"""Verbs that report speech only as the tag of a quotation or right before one
(``," she laughed``, ``he instructed his workers, "…"``), never in plain narration."""

GOING_ON = frozenset({"went on", "goes on"})
"""Two-word cues that carry on the speaker's words (``The Tory leader went on: "…"``)."""

CUE_WORDS = _forms(_VERB_FORMS) | TAG_ONLY | GOING_ON
"""Every form of every cue verb."""

OPINION_WORDS = words_of(
    """believe believes believed believing think thinks thought thinking feel feels
    felt feeling fear fears feared fearing hope hopes hoped hoping call calls called
    calling dub dubs dubbed dubbing label labels labelled labeled labelling read
    reads express expresses expressed expressing describe describes described
    describing brand brands branded branding attack attacks attacked attacking
    dismiss dismisses dismissed dismissing thank thanks thanked thanking cite cites
    cited citing"""
)
"""Cue verbs that report speech only when a quotation follows them in the same sentence
(``felt there "might well be"``), not as the tag of a quotation (``," he believes``)."""

CUE = re.compile(
    _any_of(CUE_WORDS - GOING_ON).pattern
    + r"|\b(?:went|goes) on(?=\s*[:,\"“]|\s+to\s+(?:say|add|tell|insist|warn|argue|claim|stress|explain)\b)"
)
"""A cue verb in lower case (a capitalised one mid-sentence is a name: Hal Brands); "went
on" only before a colon, comma or quotation mark, or "to say" (not "went on a diet")."""
SPEECH_ACT = _any_of(CUE_WORDS - TAG_ONLY - GOING_ON)
"""A cue verb that reports speech in plain narration too (not ``smiles``, ``laughed``)."""
ACCORDING_TO = re.compile(r"\baccording to\b", re.I)
QUOTED_AS_SAYING = re.compile(
    r"\bquot(?:ed|es|ing)\s+(?P<who>[^,.;:!?\"“”]{2,80}?)\s+as\s+(?:saying|telling|writing)\b",
    re.I,
)
"""``the newspaper quoted chief executive Geoff Dixon as saying``: the speaker is the object."""
DESCRIBED_BY = re.compile(
    r"\b(?:described|called|dubbed|labelled|labeled|branded|hailed|criticised|criticized)"
    r"\s+by\s+(?P<who>[^,.;:!?\"“”]{2,60}?)\s+as\s*$"
)
"""``was described by Jobs as "…"``: in the passive, the speaker follows ``by``."""


def is_cue(word: str) -> bool:
    """True for any form of a cue verb (``said``, ``tells``, ``stressing``)."""
    return word.lower() in CUE_WORDS


def is_tag_cue(word: str) -> bool:
    """True for a cue verb that can tag a quotation (``," he said``), opinions excepted."""
    w = word.lower()
    return w in CUE_WORDS and w not in OPINION_WORDS


NARRATION_ONLY = (
    words_of("continue continues continued continuing read reads") | TAG_ONLY | GOING_ON
)
"""Cue verbs too common in plain narration (``the war continues``) to mark a speaker there."""

SAYING = words_of(
    """said says told tells added adds claimed claims insisted insists warned warns
    argued argues stressed stresses explained explains noted notes admitted admits
    denied denies confirmed confirms stated states declared declares announced
    announces acknowledged acknowledges conceded concedes reported reports suggested
    suggests maintained maintains"""
)
"""Cue verbs whose clause is what was said (``vowed to``, ``criticised a lack`` are not)."""
TELLING = words_of("told tells")
"""Of those, the ones whose object is who was told, not who spoke (``told the BBC``)."""
