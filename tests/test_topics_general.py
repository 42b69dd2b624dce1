"""What a statement is about, general to news (issue 13, classes 4, 5 and 7): responsibility in
other words, a supplier link to the site, whether it was deliberate, and courses of action
(expelling diplomats, signing an agreement, paying compensation, "such measures"). Every
sentence here is made up for the test."""
from __future__ import annotations

import pytest

from monitor import diff as diff_stage
from monitor import topic_identity
from monitor.claims import extract
from monitor.claims import topics as topic_words
from monitor.records import Article


# ---- responsibility and blame reach "behind" ------------------------------------------------

@pytest.mark.parametrize("phrase", [
    "the Valcerian state was culpable for the raid",
    "there was Valcerian involvement in the break-in",
    "the question of state responsibility",
    "it was highly likely responsible for the fire",
    "who was to blame for the sinking",
    "whether a government had directed them",
    "they organised the bombings",
    "a man suspected of planting the explosives",
    "it may have been a false flag operation",
    "who the perpetrators were",
    "the militia denied any part in the raid",
    "it was carried out by a cell abroad",
    "the ministry has not said who it believes carried them out",
])
def test_responsibility_in_other_words_is_who_was_behind_it(phrase):
    assert topic_words.predicate(phrase) == "behind"


@pytest.mark.parametrize("phrase, cls", [
    ("those responsible must be punished", None),                  # a demand, naming no one
    ("none of the firms involved were paid on time", None),         # "involved" after its noun
    ("the minister bore responsibility for the delays", "failure"),  # responsibility borne is a failure
])
def test_a_noun_phrase_or_a_borne_responsibility_is_no_blame(phrase, cls):
    assert topic_words.predicate(phrase) == cls


# ---- a maker, brand or buyer tied to the site -------------------------------------------------

@pytest.mark.parametrize("phrase", [
    "none of the workshops in the tower were its suppliers",
    "a single order was completed and shipped last spring",
    "it had no authorized production at the plant",
    "whether any of its merchandise had been made in the mill",
    "one of the workshops had made jackets for it",
])
def test_a_supplier_link_to_the_site_is_one_class(phrase):
    assert topic_words.predicate(phrase) == "supplier"


def test_the_supplier_link_reads_as_a_proposition():
    assert "supplier" in topic_words.labels()["supplier"]


# ---- whether it was deliberate ------------------------------------------------------------------

def test_blowing_up_is_an_explosion():
    assert topic_words.predicate("rebels had blown up the rail bridge") == "explosion"


@pytest.mark.parametrize("phrase", ["an unprecedented act of state terrorism", "some kind of terrorist attack",
                                    "deliberate actions, not accidents", "a clear act of sabotage"])
def test_intent_is_the_deliberate_class(phrase):
    assert topic_words.predicate(phrase) == "cause"


def _place(store, story, title, *sentences):
    article = Article(origin="hand-written.txt", text="\n\n".join(sentences), title=title, published="2025-03-02")
    claims = extract(article)
    topics = store.topics(story)
    return [(p, diff_stage._topic_for(p, topics, store, story, 1, claims)) for p in claims.positions
            if p.scale == "truth"]


def test_explosions_answer_whether_a_rupture_was_deliberate(store):
    story = store.add_story("Undersea cable torn off the northern cape", {}, True)
    first = _place(store, story, "Pentagon calls the cable rupture deliberate",
                   "The Pentagon said the rupture was most probably a deliberate act of sabotage.")
    later = _place(store, story, "Divers find blast damage on the cable",
                   "The Pentagon confirmed that traces of explosives had been found on the cable.")
    assert first and later and first[0][1]["id"] == later[0][1]["id"]
    assert topic_identity._topic_class(first[0][1]) == "cause"


def test_in_a_story_of_an_explosion_the_explosion_is_no_answer_to_intent(store):
    story = store.add_story("Depot explosion shakes the old port", {}, True)
    first = _place(store, story, "Pentagon: the depot fire was no accident",
                   "The Pentagon said the fire was most probably a deliberate act of sabotage.")
    later = _place(store, story, "Second blast at the depot",
                   "The Pentagon confirmed that a second explosion had hit the depot.")
    assert first and later and first[0][1]["id"] != later[0][1]["id"]


def test_a_hedge_adverb_hedges_the_proposition_before_it(store):
    story = store.add_story("Undersea cable torn off the northern cape", {}, True)
    placed = _place(store, story, "Cable torn",
                    'The Kremlin said the damage pointed to "some kind of terrorist attack, possibly by a state".')
    assert placed and topic_identity._topic_class(placed[0][1]) == "cause"


# ---- courses of action general to news -------------------------------------------------------

def courses_of(*sentences: str) -> set[tuple[str, str, str]]:
    found = extract(Article(origin="hand-written.txt", text="\n\n".join(sentences), published="2025-03-02")).positions
    last = sentences[-1]
    return {(p.actor.name, p.stance, p.action) for p in found if p.scale == "action" and p.sentence == last}


@pytest.mark.parametrize("sentence, expected", [
    ("The Kremlin expels three Norwegian diplomats over the affair.", ("Kremlin", "supports", "expulsion")),
    ("Canada said it had withdrawn the diplomatic status of one Peruvian official.", ("Canada", "supports", "expulsion")),
    ("The Pentagon ordered 60 Chilean diplomats to leave within a week.", ("Pentagon", "supports", "expulsion")),
    ("The Kremlin said it would not expel any diplomats in return.", ("Kremlin", "opposes", "expulsion")),
    ("Marvex Group said it was ready to sign the accord today if one clause on arbitration changed.",
     ("Marvex Group", "considers", "accord")),
    ("Marvex Group said it would not sign it and would draw up its own plan.", ("Marvex Group", "opposes", "accord")),
    ("Marvex Group said it would not put its name to the accord as written.", ("Marvex Group", "opposes", "accord")),
    ("Marvex Group signed the accord on Tuesday.", ("Marvex Group", "supports", "accord")),
    ("Marvex Group has stayed out of the fire safety accord.", ("Marvex Group", "opposes", "accord")),
    ("Marvex Group said it would pay compensation to the families of the dead.", ("Marvex Group", "supports", "compensation")),
    ("The Pentagon said it would impose new sanctions on the junta.", ("Pentagon", "supports", "sanction")),
])
def test_courses_general_to_news(sentence, expected):
    assert expected in courses_of(sentence)


def test_such_measures_refer_to_the_course_named_before():
    found = courses_of('"All of us, we are considering such measures," the Pentagon said.')
    assert found == {("Pentagon", "considers", "course")}


def test_a_course_that_could_follow_is_weighed():
    found = courses_of('The Pentagon said a review would be held and that "individual action" could follow within days.')
    assert ("Pentagon", "considers", "course") in found


def test_a_gapped_list_shares_the_course():
    found = courses_of("Canada said it would expel 13 diplomats; Germany and France four each; and Spain three each.")
    assert {a for a, s, c in found if (s, c) == ("supports", "expulsion")} == {"Canada", "Germany", "France", "Spain"}


def test_a_reference_to_a_course_takes_the_course_the_article_named(store):
    story = store.add_story("Capitals weigh expulsions over the poisoning", {}, True)
    article = Article(origin="hand-written.txt", published="2025-03-02", title="Capitals weigh expulsions over the poisoning",
                      text="Several governments are looking at expelling diplomats.\n\n"
                           '"All of us, we are considering such measures," the Pentagon said.')
    claims = extract(article)
    topics = store.topics(story)
    placed = [diff_stage._topic_for(p, topics, store, story, 1, claims) for p in claims.positions if p.scale == "action"]
    assert placed and placed[-1]["action"] == "expulsion"
