"""Propositions general to news that the predicate lexicon now names (systems hacked, a danger known
beforehand, information withheld, a craft unfit to travel, an act done on purpose), and offices
named by their portfolio that the lexicon does not list. Invented sentences and actors."""
from __future__ import annotations

import pytest

from monitor.claims import actors, extract
from monitor.claims.topics import predicate
from monitor.records import Article


def positions_of(text: str):
    return list(extract(Article(origin="hand-written.txt", text=text, published="2025-03-02")).positions)


@pytest.mark.parametrize("phrase, cls", [
    ("the counting app had not been hacked", "hack"),
    ("there was no sign of a cyber-attack on the servers", "hack"),
    ("the operator knew of the cracks in the hull", "warned"),
    ("officials had been repeatedly warned about the stockpile", "warned"),
    ("the council ignored warnings from residents", "warned"),
    ("the maker withheld details of the software", "coverup"),
    ("there was no attempt to cover up the logs", "coverup"),
    ("the ferry was overloaded", "unfit"),
    ("the vessel was seaworthy", "unfit"),
    ("the pilot intentionally flew into the hillside", "cause"),
])
def test_the_class_of_a_proposition(phrase, cls):
    assert predicate(phrase) == cls


def test_knowing_of_no_request_is_no_warning():
    # a speaker's own knowledge is not the proposition that those in charge were warned
    assert predicate("he knew of no request for help") != "warned"


def test_a_denied_hack_and_a_confirmed_warning_are_stances():
    read = positions_of("Zembia's election commission said its counting systems had not been hacked.")
    assert [p.stance for p in read if predicate(p.topic_text) == "hack"] == ["denies"]
    read = positions_of("Valcor Airways admitted on Tuesday that it knew of the defect months before the crash.")
    assert any(p.stance == "confirms" and predicate(p.topic_text) == "warned" for p in read)


def mentions(sentence: str):
    book = actors.Book()
    book.home = actors.home_place([sentence], book)
    return [(sentence[m.start:m.end], [k for k, _ in m.actor.levels]) for m in actors.mentions(sentence, book)]


@pytest.mark.parametrize("sentence, words, levels", [
    ("Chile's finance ministry said on Monday the figures were wrong.", "Chile's finance ministry",
     ["b:chile/finance ministry", "g:chile"]),
    ("Chile's coast guard said the ferry sank.", "Chile's coast guard", ["b:chile/coast guard", "g:chile"]),
    ("In Chile the ministry of education said the pupils were safe.", "ministry of education",
     ["b:chile/education ministry", "g:chile"]),
    ("Chile's Fisheries Minister Ana Ruiz said the boat was safe.", "Chile's Fisheries Minister Ana Ruiz",
     ["p:ana ruiz", "b:chile/fisheries ministry", "g:chile"]),
])
def test_an_office_named_by_its_portfolio(sentence, words, levels):
    assert (words, levels) in mentions(sentence)


def test_a_country_before_a_bare_minister_is_no_portfolio():
    found = mentions("Chile's minister said the findings matched.")
    assert not any("s ministry" in key for _, keys in found for key in keys)


@pytest.mark.parametrize("phrase, cls", [
    ("the blasts were deliberate", "cause"),                 # the predicate, not the event its subject names
    ("the explosion was caused by a missile", "shootdown"),
    ("a shortage of police was the cause", "failure"),       # the open question alone is no predicate
    ("he is still alive", "alive"),                          # a class that spans the copula keeps it
    ("there was no other explanation than a bomb", "explosion"),
])
def test_a_proposition_is_about_its_predicate(phrase, cls):
    assert predicate(phrase) == cls


def test_believing_it_was_an_accident_denies_it_was_deliberate():
    read = positions_of("Chile's prime minister believes the fire was an accident.")
    assert [p.stance for p in read if predicate(p.topic_text) == "cause"] == ["denies"]
    read = positions_of("Chile's prime minister believes the fire was not an accident.")
    assert [p.stance for p in read if predicate(p.topic_text) == "cause"] == ["likely"]


def test_ruling_out_a_cause_and_denying_an_accident():
    read = positions_of("Chile and Peru on Tuesday ruled out an accident as the cause of the leaks.")
    assert sorted((p.actor.key, p.stance) for p in read) == [("g:chile", "confirms"), ("g:peru", "confirms")]
    read = positions_of("Chile's police ruled out foul play.")
    assert [(p.stance, predicate(p.topic_text)) for p in read] == [("denies", "cause")]
    read = positions_of("Chile's police denied it was an accident.")
    assert [p.stance for p in read] == ["confirms"]


def test_what_can_only_be_so_is_confirmed():
    read = positions_of('Chile\'s interior ministry said the blast could only have been caused by a bomb.')
    assert [p.stance for p in read] == ["confirms"]
    read = positions_of('"This action can only be deliberate," Chile\'s chief prosecutor told reporters.')
    assert [(p.stance, predicate(p.topic_text) or predicate(p.cue + " " + p.topic_text)) for p in read] == \
        [("confirms", "cause")]
    assert not positions_of("Chile's interior ministry said the site can only be reached by helicopter.")


def test_suspects_as_a_noun_is_no_cue():
    read = positions_of("Chile's prosecutor said the pilot was not on any list of terrorism suspects.")
    assert not [p for p in read if p.cue.lower() == "suspects"]
