"""Who holds a position when a story crosses borders (issue 13 class 6): an official keeps the
body his own words or the article tie him to, whatever country the passage before was about; a
city where a body sits is not an actor; 'the company', 'the organisation' point back to the one
named; a company named alone speaks for itself, never for a country.
Every sentence here is made up for the test."""
from __future__ import annotations

from monitor.claims import actors


def read(*sentences: str):
    """Each sentence's mentions, read in order by one article's book."""
    book = actors.Book()
    book.home = actors.home_place(list(sentences), book)
    return [actors.mentions(s, book) for s in sentences]


def levels(mention) -> list[str]:
    return [name for _, name in mention.actor.levels]


def named(found, text: str):
    return next(m for m in found if text in m.actor.name)


# ---- a spokesman after his body led the sentence before -----------------------------------

def test_a_spokesman_after_a_foreign_body_led_the_sentence_is_that_bodys_country():
    found = read("Norway said the leak off its coast was deliberate.",
                 "Norway's coast guard found a second leak on Tuesday.",
                 "The Kremlin rejected suggestions that it had damaged the line.",
                 "Such talk was absurd, spokesman Ivan Petrov told reporters.")
    assert levels(named(found[-1], "Petrov"))[-1] == "Russia"


# ---- an office named with its country earlier in the article ------------------------------

def test_an_official_keeps_the_country_his_office_was_named_with_earlier():
    found = read("Chile denied any part in the blast, and Peru's defence minister warned that the trail "
                 "could have been laid on purpose.",
                 "Chilean officials said the reports were false.",
                 "Chile said it had no information about the boat.",
                 "Defence Minister Tomas Vidal urged against blaming anyone too soon.")
    assert levels(named(found[-1], "Vidal"))[-1] == "Peru"


# ---- a city as the seat of a body -----------------------------------------------------------

def test_a_city_where_a_body_sits_is_not_an_actor():
    found = read("The federal prosecutor's office in Westhaven confirmed on Monday that a boat had been searched.")
    assert not any(m.actor.name == "Westhaven" for m in found[-1])
    assert any("prosecutor" in m.actor.key for m in found[-1])


# ---- a company named alone, and 'the company' ----------------------------------------------

def test_a_company_named_alone_speaks_for_itself():
    found = read("Shirts with Valcor labels were found in the rubble of the factory in Chile.",
                 "The clothing group Valcor said none of the firms in the building supplied it.")
    mention = named(found[-1], "Valcor")
    assert mention.kind == "body" and levels(mention) == ["Valcor"]


def test_the_company_points_back_to_the_company_named_before():
    found = read("Retail giant Valcor said on Monday that it had placed one order with the factory in Chile.",
                 "The company said it would pay compensation.")
    assert [m.actor.name for m in found[-1] if m.kind == "body"] == ["Valcor"]


def test_the_company_with_none_named_is_no_countrys():
    found = read("Chile's government said the factory had no permit.",
                 "The company said it was shocked.")
    company = next(m for m in found[-1] if "company" in m.actor.key)
    assert len(company.actor.levels) == 1 and "chile" not in company.actor.key


def test_a_name_listed_with_countries_stays_a_country():
    found = read("Chile and Zembara closed their airspace to the jets on Tuesday, and retail giant Zembara "
                 "was not mentioned.",
                 "Peru and Zembara closed their ports.")
    assert any(m.kind == "place" and m.actor.name == "Zembara" for m in found[-1])


def test_the_organisation_points_back_to_the_organisation_named_before():
    found = read("The Organisation for Maritime Safety confirmed that the ferry had been overloaded.",
                 "Results of further tests are due next week, the organization said.")
    assert [m.actor.name for m in found[-1]] == ["Organisation for Maritime Safety"]


# ---- a lone name that opens a body's name is not a person ----------------------------------

def test_a_body_named_with_the_before_a_reporting_verb_is_not_a_persons_name():
    found = read("Doctors at the Marrow clinic treated him overnight.",
                 "The Marrow, in a later update, said the patient remained in intensive care.")
    assert not any(m.actor.key.startswith("p:marrow") for m in found[-1])
