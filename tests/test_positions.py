"""Positions, steps 1-2 of issue 13: course-of-action predicates and epistemic/evidential
cues with polarity inside the complement. Every sentence here is made up for the test."""
from __future__ import annotations

import pytest

from monitor.claims import extract
from monitor.records import Article


def positions_of(*sentences: str):
    return list(extract(Article(origin="hand-written.txt", text="\n\n".join(sentences),
                                published="2025-03-02")).positions)


def read(sentence: str, scale: str | None = None) -> set[tuple[str, str]]:
    """(actor name, stance) pairs read from one sentence, on one scale if given."""
    return {(p.actor.name, p.stance) for p in positions_of(sentence) if scale in (None, p.scale)}


def stances(sentence: str, scale: str | None = None) -> set[str]:
    return {s for _, s in read(sentence, scale)}


# ---- class 7: course of action ----------------------------------------------------------

@pytest.mark.parametrize("sentence, stance, course", [
    ("The Pentagon grounded its entire fleet of tanker planes on Thursday.", "supports", "grounding"),
    ("The Pentagon said it would keep its tanker planes flying.", "opposes", "grounding"),
    ("The Pentagon voted to abandon its hand count on Monday.", "opposes", "recount"),
    ("The Pentagon voted on Monday to begin a full hand count.", "supports", "recount"),
    ("The Kremlin appealed for international assistance after the landslide.", "supports", "aid"),
    ("The Kremlin asked all foreign rescue teams to leave the country.", "opposes", "aid"),
    ("The Kremlin will decide whether to permit such imports next month.", "considers", "imports"),
    ("The Kremlin is not asking for any moratorium on its debts.", "opposes", "moratorium"),
    ("The Pentagon has turned down the offer of a medical team from abroad.", "opposes", "aid"),
])
def test_course_predicates_carry_their_course_and_polarity(sentence, stance, course):
    found = [p for p in positions_of(sentence) if p.scale == "action" and p.action == course]
    assert found, f"no {course} position in {sentence!r}"
    assert {p.stance for p in found} == {stance}


def test_retracting_a_concession_opposes_and_offering_one_supports():
    assert ("Mara Velk", "opposes") in read("Mara Velk retracted her concession an hour later.", "action")
    assert ("Mara Velk", "supports") in read("Mara Velk conceded the race shortly after midnight.", "action")


def test_conceded_defeat_stays_a_truth_cue():
    # "conceded defeat" states the result: the project's own election story reads it so.
    assert ("Mara Velk", "confirms") in read("Mara Velk conceded defeat on Sunday.", "truth")


def test_resignation_is_a_course():
    found = [p for p in positions_of("The minister resigned on Friday, the Kremlin said.") if p.action == "resignation"]
    assert found and found[0].stance == "supports"


def test_a_rumoured_course_is_not_the_actors_stance():
    sentence = "The decree prompted reports that the Kremlin planned to seize donated aid."
    assert not [p for p in positions_of(sentence) if p.scale == "action"]


def test_seek_to_names_the_second_verb_as_the_course():
    found = [p for p in positions_of("The Kremlin said it would not seek to renegotiate its loan.") if p.scale == "action"]
    assert found and all(p.action != "aid" for p in found)


# ---- class 9: epistemic and evidential cues --------------------------------------------

@pytest.mark.parametrize("sentence, stance", [
    ("The Pentagon said there was still hope of finding the crew alive.", "likely"),
    ("The Pentagon said the ship had apparently been struck by a drone.", "likely"),
    ("The Pentagon said there is a substantial chance the order came from the top.", "likely"),
    ("The Pentagon said the evidence showed the depot was hit by a rocket.", "confirms"),
    ("The Pentagon concluded that the pipeline was cut deliberately.", "confirms"),
    ("The Pentagon said the bottom line is that we do not yet know what caused the fire.", "unconfirmed"),
    ("The Pentagon said it was not aware of any request for its engineers.", "unconfirmed"),
])
def test_epistemic_and_evidential_cues(sentence, stance):
    assert stance in stances(sentence, "truth")


# ---- class 1: negation inside the complement, negative raising, dismissal by noun -------

@pytest.mark.parametrize("sentence", [
    "The Kremlin concluded that there were no survivors left in the mine.",
    "The Kremlin said the records showed no other vessel near the tanker.",
    "“We do not believe that the dam was mined,” the Kremlin said.",
    "The Kremlin flatly rejected the finding that its drones caused the fire.",
    "The Kremlin said that the possibility of finding anyone alive was near zero.",
])
def test_the_positive_proposition_is_denied(sentence):
    assert "denies" in stances(sentence, "truth")
    assert "confirms" not in stances(sentence, "truth")


# ---- class 3: walk-backs and pending results --------------------------------------------

@pytest.mark.parametrize("sentence", [
    "The Pentagon said it was too early to say what brought the bridge down.",
    "The Pentagon declined to rule out sabotage of the cable.",
    "The Pentagon said that the laboratory results were forthcoming.",
    "The Pentagon said that a gas leak was one theory among several.",
    "The Pentagon said it would not speculate on who fired the shell.",
])
def test_walk_backs_and_pending_are_unconfirmed(sentence):
    assert stances(sentence, "truth") == {"unconfirmed"}


# ---- class 2: admission and apology ----------------------------------------------------

@pytest.mark.parametrize("sentence", [
    "The Kremlin apologised to the families of the victims on Tuesday.",
    "The Kremlin said the state bears heavy responsibility for the collapse.",
    "The Kremlin admitted its inspection of the stadium fell short.",
])
def test_admission_and_apology_confirm(sentence):
    assert "confirms" in stances(sentence, "truth")
