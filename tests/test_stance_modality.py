"""How strongly a statement holds its proposition: the stance read from the cue AND from the
modality inside its complement; denials, waiting and non-committal phrases in other words.
Every sentence here is made up for the test."""
from __future__ import annotations

import pytest

from monitor.claims import extract
from monitor.records import Article


def truth(sentence: str) -> set[tuple[str, str]]:
    found = extract(Article(origin="hand-written.txt", text=sentence, published="2025-03-02")).positions
    return {(p.actor.name, p.stance) for p in found if p.scale == "truth"}


# ---- modality inside the complement overrides the verb that reports it ------------------

@pytest.mark.parametrize("sentence, stance", [
    ('The Pentagon has concluded it was "highly likely" that the militia fired the rocket.', "likely"),
    ("The Kremlin concluded the ruptures were most probably caused by a deliberate act.", "likely"),
    ("The Pentagon confirmed that the fire was possibly started by a bomb.", "likely"),
    ("The Kremlin said it was possible that the blast had been caused by a bomb.", "likely"),
])
def test_modality_in_the_complement_sets_the_stance(sentence, stance):
    read = truth(sentence)
    assert {s for _, s in read} == {stance}, read


def test_a_plain_complement_keeps_the_verbs_stance():
    assert {s for _, s in truth("The Pentagon confirmed the blast destroyed the depot.")} == {"confirms"}


@pytest.mark.parametrize("sentence, stance", [
    ('"It is a fact that the militia planted the charges," the Kremlin said.', "confirms"),
    ('The Pentagon said there was "no alternative conclusion other than that" the militia fired it.', "confirms"),
    ('The Pentagon said there was "no plausible alternative explanation" for the fire.', "confirms"),
    ("The Pentagon said traces of explosives were found on the hull.", "confirms"),
    ('The Kremlin said the damage pointed to "an attack of some sort, possibly by a state".', "likely"),
    ('"It is hard to imagine that this was accidental," the Pentagon said.', "likely"),
    ("The Pentagon said its findings had strengthened the suspicions of sabotage.", "likely"),
])
def test_impersonal_and_evidential_phrases_carry_a_stance(sentence, stance):
    assert stance in {s for _, s in truth(sentence)}


# ---- denials in other words, and not-knowing that is no denial -----------------------------

@pytest.mark.parametrize("sentence, stance", [
    ('The Kremlin said suggestions of its involvement were "rubbish".', "denies"),
    ('"The Kremlin is innocent," Russia\'s foreign ministry said.', "denies"),
    ('"There is nothing sinister or criminal about these men," the Kremlin said.', "denies"),
    ('The Kremlin said the names of the suspects "mean nothing to us".', "unconfirmed"),
])
def test_denials_and_not_knowing_in_other_words(sentence, stance):
    assert {s for _, s in truth(sentence)} == {stance}


# ---- waiting, non-commitment and conditions ---------------------------------------------

@pytest.mark.parametrize("sentence", [
    "The Kremlin wanted definitive conclusions before acting.",
    "The Pentagon would wait for the results of the investigation.",
    "The Pentagon said it would wait until it was absolutely clear who was behind it.",
    '"We do not speculate," the Kremlin said.',
    "The Kremlin took the allegations that the militia was responsible very seriously.",
    '"Once the charges are proven, the time will come for decisions," the Kremlin said.',
    "The Pentagon said it would respond firmly if evidence emerged of a state's involvement.",
])
def test_waiting_and_conditions_are_unconfirmed(sentence):
    assert {s for _, s in truth(sentence)} == {"unconfirmed"}


def test_a_wait_with_no_proposition_takes_the_words_before_it():
    found = extract(Article(origin="hand-written.txt", published="2025-03-02", text=(
        '"Rather than finger pointing, we will wait for the final report," the Kremlin said.'))).positions
    assert [p.topic_text for p in found if p.stance == "unconfirmed"] == ["Rather than finger pointing, we will"]


# ---- no stance: waiting for news, figures, other people's business ----------------------

@pytest.mark.parametrize("sentence", [
    "Families waited for news outside the hospital, the Pentagon said.",
    "The Pentagon offered its condolences to the families of the crew.",
])
def test_not_a_stance(sentence):
    assert truth(sentence) == set()


def test_a_statement_dated_to_another_month_is_background():
    found = extract(Article(origin="hand-written.txt", published="2025-03-02", text=(
        "The Pentagon said in November that traces of explosives had been found on the hull."))).positions
    assert found and all(p.past for p in found if p.scale == "truth")


def test_no_other_explanation_without_a_complement_is_about_the_question_at_hand():
    found = extract(Article(origin="hand-written.txt", published="2025-03-02", text=(
        'The Pentagon agreed that "there is no other plausible explanation" and pledged its support.'))).positions
    held = [p for p in found if p.scale == "truth"]
    assert held and all(p.stance == "confirms" and p.anaphoric for p in held)


# ---- nothing excluded, and a frame after the claim ----------------------------------------

@pytest.mark.parametrize("sentence", [
    'Asked whether the dam had been mined, the Kremlin told reporters that "no option can be ruled out" yet.',
    "Norway said sabotage could not be excluded.",
    "The Pentagon said nothing could be ruled out at this stage.",
])
def test_nothing_excluded_is_unconfirmed(sentence):
    assert {s for _, s in truth(sentence)} == {"unconfirmed"}


def test_a_false_flag_is_no_denial():
    assert "denies" not in {s for _, s in truth("The Pentagon said the blast may have been a false flag operation.")}


@pytest.mark.parametrize("sentence", [
    "Divers found traces of explosives on the hull, the prosecutor in charge said on Friday.",
    "Divers found traces of explosives on the hull, the prosecutor leading the investigation said on Friday, "
    "calling the blast sabotage.",
])
def test_a_claim_closed_by_a_reporting_frame_is_the_frames_speakers(sentence):
    read = truth(sentence)
    assert read and {s for _, s in read} == {"confirms"}, read


def test_a_participle_after_a_frame_is_the_speakers():
    read = truth("The blast wrecked the pier, Norway said on Monday, calling it sabotage.")
    assert ("Norway", "confirms") in read, read
