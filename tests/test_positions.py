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


# ---- class 4/5: topic identity (event-predicate classes, the story's main question) ------

from monitor import diff as diff_stage  # noqa: E402
from monitor.claims import topics as topic_words  # noqa: E402


@pytest.mark.parametrize("phrase, cls", [
    ("a rocket brought the freighter down", "shootdown"),
    ("the ferry was shot down over the bay", "shootdown"),
    ("the downing of the seaplane", "shootdown"),
    ("a device went off in the cargo hold", "explosion"),
    ("the blast in the hangar", "explosion"),
    ("the courier had been poisoned", "poison"),
    ("the governor ordered the raid", "behind"),
    ("the agency was behind the break-in", "behind"),
    ("the pilot died when the glider hit the ridge", "died"),
    ("there is still a chance of finding miners alive", "survivors"),
    ("the county's response was not good enough", "failure"),
    ("the mayor conceded the race", "victory"),
    ("hundreds of soldiers are now stationed in the port", "deployment"),
    ("we do not know yet", None),
])
def test_paraphrase_passive_and_nominalisation_share_a_predicate_class(phrase, cls):
    assert topic_words.predicate(phrase) == cls


def test_the_predicate_named_first_wins_and_the_open_question_yields():
    assert topic_words.predicate("denied any involvement in the poisoning") == "behind"
    assert topic_words.predicate("the dead from the warehouse blast rose to forty") == "died"
    assert topic_words.predicate("could not confirm the cause") == "question"
    assert topic_words.predicate("the cause was a bomb of some kind") == "explosion"
    assert topic_words.predicate("Forty dead as blasts hit the depot", avoid=("died",)) == "explosion"


def _place(store, story, title, *sentences):
    """The topics the diff stage files each position of the made-up article under."""
    article = Article(origin="hand-written.txt", text="\n\n".join(sentences), title=title,
                      published="2025-03-02")
    claims = extract(article)
    topics = store.topics(story)
    return [(p, diff_stage._topic_for(p, topics, store, story, 1, claims)) for p in claims.positions
            if p.scale == "truth"]


def test_different_predicate_classes_are_different_topics_even_sharing_words(store):
    story = store.add_story("Seaplane lost over the bay", {}, True)
    placed = _place(store, story, "Seaplane lost over the bay",
                    'The Pentagon said it was likely that a rocket downed the seaplane over the bay.',
                    'The Pentagon said it was likely that the seaplane pilot died over the bay.')
    ids = {topic_words.predicate(p.topic_text): t["id"] for p, t in placed}
    assert set(ids) == {"shootdown", "died"} and len(set(ids.values())) == 2


def test_one_class_in_new_words_is_one_topic(store):
    story = store.add_story("Seaplane lost over the bay", {}, True)
    first = _place(store, story, "Seaplane lost over the bay",
                   'The Pentagon said it was likely that a rocket downed the seaplane.')
    later = _place(store, story, "Seaplane lost over the bay",
                   'The Pentagon confirmed that the aircraft had been shot down by a missile.')
    assert first and later and first[0][1]["id"] == later[0][1]["id"]


def test_a_content_free_hedge_joins_the_headline_question_not_a_background_topic(store):
    story = store.add_story("Warehouse blast shakes the old port", {}, True)
    _place(store, story, "Warehouse blast shakes the old port",
           'The Pentagon said it was likely that the explosion was set off by a welding torch.')
    hedge = _place(store, story, "Warehouse blast shakes the old port",
                   '"Nobody knows yet," the Pentagon said.')
    assert hedge and topic_words.predicate(" ".join(hedge[0][1]["terms"]).replace("%", " ")) == "explosion"


def test_the_main_topic_does_not_swallow_a_statement_sharing_one_word(store):
    story = store.add_story("Warehouse blast shakes the old port", {}, True)
    first = _place(store, story, "Warehouse blast shakes the old port",
                   'The Pentagon said it was likely that the explosion in the warehouse was an accident.')
    other = _place(store, story, "Warehouse blast shakes the old port",
                   'The Pentagon said it was likely that the warehouse insurer would go bankrupt.')
    assert first and other and first[0][1]["id"] != other[0][1]["id"]


def test_a_topic_label_is_a_short_proposition():
    p = next(p for p in positions_of(
        'The Pentagon confirmed that the explosion was set off by a welding torch, and that '
        'the dockers had been warned twice about the stored fertiliser in the weeks before.') if p.scale == "truth")
    label = diff_stage._label(p)
    assert label.startswith("the explosion was set off") and len(label.split()) <= diff_stage.LABEL_WORDS + 1


def test_deaths_of_different_people_are_different_topics(store):
    story = store.add_story("Ferry sinks in the strait", {}, True)
    first = _place(store, story, "Ferry sinks in the strait",
                   'The Pentagon confirmed that the dead from the sinking had risen to forty.')
    other = _place(store, story, "Ferry sinks in the strait",
                   'The Pentagon said it was likely that the ferry captain was killed.')
    assert first and other and first[0][1]["id"] != other[0][1]["id"]


def test_an_investigating_body_is_no_hedge():
    assert "unconfirmed" not in stances(
        '"The report of the investigating body showed that it was no accident," the Pentagon said.')


def test_a_proposition_stated_before_the_cue_gives_the_class():
    p = next(p for p in positions_of(
        '"The chance of anyone in the mine still alive is near zero," the Pentagon said.') if p.scale == "truth")
    assert diff_stage._class_of(p) == "survivors"
