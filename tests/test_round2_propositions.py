"""Propositions, courses and cues no rule read before the second held-out round (issue 13):
banning a material, appointing panel members, burying the dead where they died; whether
something broke the rules in force or an aircraft was fit to fly, with their positive
counterparts as denials; a named person alive; hedged and emphatic cues. Every sentence here
is made up for the test."""
from __future__ import annotations

import pytest

from monitor.claims import extract
from monitor.claims.topics import predicate
from monitor.records import Article


def read(text: str, scale: str) -> set[tuple[str, str, str]]:
    """(actor name, stance, course or cue) of the positions of `text` on `scale`."""
    found = extract(Article(origin="hand-written.txt", text=text, published="2025-03-02")).positions
    return {(p.actor.name, p.stance, p.action if scale == "action" else p.cue) for p in found if p.scale == scale}


@pytest.mark.parametrize("sentence, expected", [
    # banning a material or product: deliberation, decision, refusal
    ("The Home Office will consult on banning flammable insulation on tall buildings.", ("Home Office", "considers", "ban")),
    ("The Home Office will outlaw flammable insulation on new tall buildings.", ("Home Office", "supports", "ban")),
    ('"I will change the rules to ban the use of flammable insulation," Energy Secretary Ed Davey said.', ("Ed Davey", "supports", "ban")),
    ("The Home Office refused to recommend such a ban.", ("Home Office", "opposes", "ban")),
    # appointing members to a panel
    ("The Home Office is prepared to consider appointing extra members to sit alongside the chairman.",
     ("Home Office", "considers", "appointment")),
    ('"I therefore consider that additional panel members should not be appointed at this stage," Prime Minister Jacinda Ardern wrote.',
     ("Jacinda Ardern", "opposes", "appointment")),
    ('"I have decided to appoint an additional three panel members," Prime Minister Jacinda Ardern wrote.',
     ("Jacinda Ardern", "supports", "appointment")),
    # burying the dead where they died
    ("The health minister said no Peruvian would be buried in the kingdom without the permission of relatives.",
     ("Peru's health ministry", "opposes", "burial")),
])
def test_general_courses(sentence, expected):
    assert expected in read(sentence, "action")


@pytest.mark.parametrize("sentence", [
    "The Home Office imposed a flight ban.",           # a grounding, not a ban on a material
    "The Home Office said a ban was in force.",        # a rule's state, no decision
])
def test_a_ban_that_is_no_decision_to_ban(sentence):
    assert not {r for r in read(sentence, "action") if r[2] == "ban"}


@pytest.mark.parametrize("phrase, cls", [
    ("the insulation was unlawful under existing building regulations", "unlawful"),
    ("the insulation in question is also banned here", "unlawful"),
    ("the insulation wasn't in accordance with national building regulations", "unlawful"),
    ("the panels complied with the building regulations", "unlawful"),
    ("the jet was unairworthy on its last flight", "unfit"),
    ("the jet was in airworthy condition", "unfit"),
    ("he is still alive", "alive"),
    ("survivors can still be found alive", "survivors"),
])
def test_classes_of_legality_fitness_and_a_person_alive(phrase, cls):
    assert predicate(phrase) == cls


@pytest.mark.parametrize("sentence, expected", [
    # the positive counterpart of a fault denies it; its negation affirms the fault
    ("The Home Office confirmed the insulation complied with the building regulations.", ("Home Office", "denies")),
    ("The safety board concluded the jet was in airworthy condition on both flights.", ("safety board", "denies")),
    ("The safety board concluded the jet was unairworthy on its last flight.", ("safety board", "confirms")),
    ("The trade minister, Ed Davey, said his understanding was that the insulation wasn't in accordance with national building regulations.",
     ("Ed Davey", "likely")),
    # a flat statement of the counterpart is a flat denial
    ("The safety board now says the jet was airworthy on both flights.", ("safety board", "denies")),
    ("Speaking to reporters at its offices, Pavel Ostrand went further, saying neither the board nor its staff had ever declared the aircraft unairworthy.",
     ("Pavel Ostrand", "denies")),
    # an understanding is a hedged belief; "let me be clear" states it flatly
    ('"My understanding is the insulation in question is also banned here," Finance Minister Ed Davey said.', ("Ed Davey", "likely")),
    ('"Let me be clear, the insulation believed to be on the tower was unlawful under existing rules," Ed Davey said.', ("Ed Davey", "confirms")),
])
def test_fault_propositions_and_their_counterparts(sentence, expected):
    assert expected in {(name, stance) for name, stance, _ in read(sentence, "truth")}


def test_a_participle_after_a_noun_is_no_stance():
    """'the insulation believed to be on the tower': the speaker's stance is the main clause's."""
    stances = {stance for _, stance, _ in read(
        '"Let me be clear, the insulation believed to be on the tower was unlawful under existing rules," Ed Davey said.', "truth")}
    assert stances == {"confirms"}


@pytest.mark.parametrize("sentence, expected", [
    # a crime weighed, then suspected
    ("Detective Superintendent Ann Miller said the police would consider manslaughter charges.", ("police", "unconfirmed")),
    ('"We are looking at every criminal offence," Detective Superintendent Ann Miller said.', ("Ann Miller", "unconfirmed")),
    ("The Metropolitan Police told survivors there are reasonable grounds to suspect that the city council committed corporate manslaughter.",
     ("Metropolitan Police", "likely")),
])
def test_a_crime_weighed_and_suspected(sentence, expected):
    assert expected in {(name, stance) for name, stance, _ in read(sentence, "truth")}
    assert predicate("would consider manslaughter charges") == "crime"
