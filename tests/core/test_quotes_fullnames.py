"""A speaker quoted by surname alone gets the full name the article gives.

Sentences from the BBC News corpus (../shared/corpora/bbc-news, MIT licence), with the
names given as the small spaCy model tags them in those articles (it tags "Dominici"
alone, "Graeme Souness" as an organisation, "Sergio" as a nationality).
"""

from __future__ import annotations

from workbench.core.entities import finish, prepare
from workbench.core.quotes import extract_quotes
from workbench.core.quotes.fullnames import full_name
from workbench.core.quotes.resolve import attribute_quotes

from .test_quotes import names


def test_the_first_name_the_model_missed_is_taken_from_the_text() -> None:
    # sport/dominici-backs-lacklustre-france
    text = (
        "Wing Christophe Dominici says France can claim another Six Nations Grand Slam. "
        '"The English played better than us but lost," said Dominici.'
    )
    assert full_name(text, "Dominici", names(text, "Dominici", "France:GPE")) == (
        "Christophe Dominici"
    )
    # tech/online-commons-to-spark-debate: a first name that is a word too, after a quote
    text = (
        '"What we are proposing is a civic commons," Will Davies, senior research fellow, '
        'told the BBC. "It will work," said Mr Davies.'
    )
    assert full_name(text, "Davies", names(text, "Davies")) == "Will Davies"


def test_a_pair_at_a_sentence_start_counts_only_when_the_model_took_it_as_a_name() -> None:
    # sport/souness-backs-smith-for-scotland: "Graeme Souness" is tagged ORG
    text = (
        "Graeme Souness believes Walter Smith would be the perfect choice.\n\n"
        '"Walter is the ideal candidate," said Souness.'
    )
    spans = names(text, "Graeme Souness:ORG", "Walter Smith", "Souness:ORG")
    assert full_name(text, "Souness", spans) == "Graeme Souness"
    # a capitalised first word of a sentence is not a first name
    text = 'Yesterday Smith said he was happy. "It is fine," said Smith.'
    assert full_name(text, "Smith", names(text, "Smith")) is None


def test_organisations_places_days_and_two_first_names_give_no_full_name() -> None:
    cases = [
        # entertainment/church-urges-nelly-show-boycott
        (
            "Mr Rodgers, of the Fullness of Joy Church, said he was concerned.",
            "Church",
            ["Fullness of Joy Church:ORG"],
        ),
        # politics/labour-faces-cold-calls-inquiry
        (
            "It quotes a Stevenage Labour Party members' newsletter. Labour said no.",
            "Labour",
            ["Stevenage Labour Party:ORG"],
        ),
        # tech/ultra-fast-wi-fi-nears-completion
        ("On Thursday Intel said the standard was close.", "Intel", ["Intel:ORG"]),
        # politics/blair-looks-to-election-campaign: the text writes "new" too
        (
            "It is what New Labour stood for, and the new plan says so.",
            "Labour",
            ["Labour:ORG"],
        ),
        # two first names before one surname
        ("Venus Williams beat Serena Williams. Williams said so.", "Williams", ["Williams"]),
    ]
    for text, surname, found in cases:
        assert full_name(text, surname, names(text, *found)) is None, text
    # sport/johansson-takes-adelaide-victory: a nationality is no first name
    text = "He beat Taylor Dent in Adelaide; American Dent survived two match points."
    spans = names(text, "Taylor Dent", "American:NORP")
    assert full_name(text, "Dent", spans) == "Taylor Dent"


def test_the_quote_s_speaker_is_named_in_full() -> None:
    # sport/dominici-backs-lacklustre-france, through the entity resolver
    text = (
        "Wing Christophe Dominici says France can claim another Grand Slam.\n\n"
        '"We know our display was not perfect," said Dominici.'
    )
    spans = names(text, "Dominici", "France:GPE")
    resolved = finish(prepare([("d", text)], {"d": spans}))
    quotes = [q for q in extract_quotes(text, spans) if q.kind == "direct"]
    [q] = attribute_quotes("d", text, quotes, resolved.doc_entities["d"])
    assert q.speaker_name == "Christophe Dominici"
    assert q.entity is not None and q.entity.name == "Dominici"  # the same person's entity
