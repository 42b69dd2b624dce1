"""Positions a reader finds without a stance word, or whose modal is a judgement: flat
denials ("insisted the reactor had not been damaged"), disputes over an official toll, hedges
that name no answer ("several theories and no final conclusion"). Issue 13, classes 1, 3 and
4; every sentence is made up for the test."""
from __future__ import annotations

import pytest

from monitor import diff as diff_stage
from monitor.claims import extract
from monitor.claims import topics as topic_words
from monitor.records import Article


def positions_of(*sentences: str):
    return list(extract(Article(origin="hand-written.txt", text="\n\n".join(sentences),
                                published="2025-03-02")).positions)


def read(sentence: str) -> set[tuple[str, str]]:
    return {(p.actor.name, p.stance) for p in positions_of(sentence) if p.scale == "truth"}


# ---- class 1: the event denied flatly, with no stance word --------------------------------

@pytest.mark.parametrize("sentence", [
    "The Pentagon insisted the depot had not been hit by a missile.",
    "The Pentagon said on Tuesday that a bomb had not gone off on board.",
    '"There was no outside strike on the ferry," the Pentagon said.',
    "The Pentagon said the hull showed damage from the storm, and that the ferry had not been struck from outside.",
])
def test_a_flat_denial_of_the_event_denies_it(sentence):
    assert ("Pentagon", "denies") in read(sentence)


@pytest.mark.parametrize("sentence", [
    "The Pentagon said there were no plans for a second briefing.",             # no event of a story
    "The Pentagon said it was not possible to determine what hit the depot.",  # a refusal to judge
    "The Pentagon said the checks on the depot had not been good enough.",     # a shortfall admitted
])
def test_a_negation_without_a_denied_event_is_no_denial(sentence):
    assert ("Pentagon", "denies") not in read(sentence)


# ---- class 3: hedges that name no answer ---------------------------------------------------

@pytest.mark.parametrize("sentence", [
    "The Pentagon said there were several theories and no final conclusion.",
    "The Pentagon said it was looking at every possibility, including a fault.",
    "The Pentagon said it was doubtful whether the pump was the cause.",
])
def test_open_hedges_are_unconfirmed(sentence):
    assert ("Pentagon", "unconfirmed") in read(sentence)


# ---- a dispute over the official toll is one proposition ----------------------------------

@pytest.mark.parametrize("phrase", [
    "there are more dead than we have certified",
    "the real toll may be higher than the official count",
    "will take the university's number as the official estimate",
    "the finding that the storm killed close to 900 people",
    "reports suggesting a much higher toll",
])
def test_the_undercount_is_one_predicate_class(phrase):
    assert topic_words.predicate(phrase) == "undercount"


@pytest.mark.parametrize("sentence, stance", [
    ('"It is possible that the real toll is higher than the official count," the Pentagon said.', "likely"),
    ('"We will adopt the survey\'s figure as the official toll," the Pentagon said.', "confirms"),
])
def test_judging_and_adopting_a_toll(sentence, stance):
    assert ("Pentagon", stance) in read(sentence)


def _place(store, story, *sentences):
    claims = extract(Article(origin="hand-written.txt", text="\n\n".join(sentences),
                             title="Storm toll disputed", published="2025-03-02"))
    return [diff_stage._topic_for(p, store.topics(story), store, story, 1, claims)
            for p in claims.positions if p.scale == "truth"]


def test_an_epistemic_modal_does_not_split_a_judgement_from_its_topic(store):
    # "may be higher" judges what is; it is no prospect of what would happen.
    story = store.add_story("Storm toll disputed", {}, True)
    first = _place(store, story, "The Pentagon believes there are more dead than the official count.")
    later = _place(store, story, "The Pentagon said it was possible that the toll may be higher than the official count.")
    assert first and later and first[0]["id"] == later[0]["id"]


def test_a_class_topic_reads_as_its_proposition_whatever_the_first_wording(store):
    # Deliverable 2: a topic label a reader understands, never a cut clause.
    story = store.add_story("Storm toll disputed", {}, True)
    topic = _place(store, story, "The Pentagon believes there are more dead than the official count.")[0]
    assert topic["label"] == "the official toll understates the deaths"


def test_a_proposition_whose_subject_came_before_the_cue_keeps_it(store):
    story = store.add_story("Storm toll disputed", {}, True)
    topic = _place(store, story, "The Pentagon said the identities of all the crew were established.")[0]
    assert topic["label"].startswith("the identities of all the crew")


# ---- conditions and questions ---------------------------------------------------------------

@pytest.mark.parametrize("sentence", [
    "The Pentagon said it would open a case if the tests proved the crew was poisoned.",
    "The Pentagon said it would act once investigators confirmed the ferry was struck by a missile.",
])
def test_a_cue_inside_a_condition_states_nothing_yet(sentence):
    assert ("Pentagon", "unconfirmed") in read(sentence)
    assert not {s for _, s in read(sentence)} & {"confirms", "likely"}


def test_the_answer_to_a_question_is_about_the_question():
    found = [p for p in positions_of("Asked whether a bomb caused the fire, the Pentagon said it was "
                                     "looking at several possibilities, among them a faulty heater.")
             if p.scale == "truth"]
    assert found and topic_words.predicate(f"{found[0].cue} {found[0].topic_text}") in ("question", "explosion")
    assert "bomb" in found[0].topic_text


# ---- who did it, beside what happened -----------------------------------------------------

def test_a_reporting_frame_inside_the_cue_names_the_holder():
    found = read("The report had also established, the Pentagon said, that the rocket came from a field.")
    assert ("Pentagon", "confirms") in found


def test_a_statement_naming_the_event_and_its_author_counts_on_who_was_behind_it(store):
    story = store.add_story("Seaplane lost over the bay", {}, True)
    claims = extract(Article(origin="hand-written.txt", title="Seaplane lost over the bay", published="2025-03-02",
                             text="The Pentagon confirmed that the rocket was launched from an area controlled by the rebels."))
    placed = [diff_stage._topic_for(p, store.topics(story), store, story, 1, claims) for p in claims.positions]
    both = placed + [diff_stage._topic_for(p, store.topics(story), store, story, 1, claims, cls=diff_stage.BLAME)
                     for p, t in zip(claims.positions, placed) if diff_stage._also_blames(p, t)]
    assert {diff_stage._topic_class(t) for t in both} == {"shootdown", "behind"}


# ---- what a technical cause and a quoted hedge are about ----------------------------------

@pytest.mark.parametrize("phrase", ["its flight software was triggered by faulty sensor data",
                                    "a technical fault in the pump", "an engine failure on take-off"])
def test_a_technical_fault_is_one_cause_class(phrase):
    assert topic_words.predicate(phrase) == "malfunction"


def test_a_quoted_hedge_ends_with_its_quote():
    found = [p for p in positions_of('"While investigators work to establish definitive conclusions," the Pentagon '
                                     'said, the base was completing repairs.') if p.scale == "truth"]
    assert found and found[0].stance == "unconfirmed" and "repairs" not in found[0].topic_text


def test_a_hedge_with_no_proposition_joins_the_open_cause_not_the_headline(store):
    story = store.add_story("Ferry sinks with 200 aboard; survivors sought", {}, True)
    _place(store, story, "The Pentagon said a technical fault in the engine probably sank the ferry.")
    hedge = _place(store, story, '"We do not know yet," the Pentagon said.')
    assert hedge and diff_stage._topic_class(hedge[0]) == "malfunction"


# ---- class 2: the admission is the event --------------------------------------------------

def test_a_denied_shortfall_and_a_later_apology_are_one_proposition(store):
    story = store.add_story("Stadium crush: questions over policing", {}, True)
    denial = _place(store, story, "The Pentagon said the crush was not a problem that more officers could have solved.")
    doubt = _place(store, story, 'The Pentagon said it was "doubtful whether a shortage of officers was the cause".')
    apology = _place(store, story, '"I feel a heavy responsibility," the Pentagon chief said.',
                     "The Pentagon apologised to the families on Tuesday.")
    assert denial and doubt and apology
    assert {t["id"] for t in denial + doubt + apology} == {denial[0]["id"]}
    assert diff_stage._topic_class(denial[0]) == "failure"


def test_a_flat_denial_after_a_fronted_clause():
    sentence = ('"We will meet anyone," the Pentagon said, adding that despite reports suggesting a much higher '
                'toll, "no one has come forward" with names.')
    assert ("Pentagon", "denies") in read(sentence)


def test_what_a_thing_is_called_is_no_denial_of_the_event():
    assert ("Pentagon", "denies") not in read('"This is not the official death toll," the Pentagon said.')


# ---- a course quoted about someone else ----------------------------------------------------

@pytest.mark.parametrize("sentence", [
    '"At this stage the Kremlin has not asked for help," the Pentagon said.',
    '"The second they request this aid, it will be deployed," the Pentagon said.',
])
def test_a_course_quoted_about_another_actor_is_not_the_speakers(sentence):
    assert not [p for p in positions_of(sentence) if p.scale == "action" and p.actor.name == "Pentagon"]


def test_an_adverb_cue_keeps_the_subject_it_qualifies():
    found = [p for p in positions_of("The Pentagon said the captain was probably among those killed in the crash.")
             if p.scale == "truth"]
    assert found and found[0].topic_text.startswith("the captain")


@pytest.mark.parametrize("sentence", [
    'The Pentagon said it was "imperative that all light be shed" on who was responsible.',
    "The Pentagon demanded a credible and transparent investigation into who was behind the attack.",
])
def test_demanding_light_on_who_did_it_withholds_judgement(sentence):
    assert ("Pentagon", "unconfirmed") in read(sentence)


@pytest.mark.parametrize("phrase", ["any request for Ruritanian help so far", "to ask formally for its help",
                                    "had not received any official request for assistance", "appealed for international aid"])
def test_a_request_for_help_is_one_proposition_class(phrase):
    assert topic_words.predicate(phrase) == "request"


def test_a_course_topic_reads_as_the_course(store):
    story = store.add_story("Regulator weighs grounding the jets", {}, True)
    claims = extract(Article(origin="hand-written.txt", title="Regulator weighs grounding the jets", published="2025-03-02",
                             text="The Pentagon said it saw no basis to order a grounding of the aircraft."))
    placed = [diff_stage._topic_for(p, store.topics(story), store, story, 1, claims) for p in claims.positions
              if p.scale == "action"]
    assert placed and placed[0]["label"] == "ground the aircraft"


@pytest.mark.parametrize("sentence, not_in", [
    ("The Kremlin denied any involvement, calling such suggestions an absolute lie.", "calling"),
    ('The Kremlin denied "any role in the crash," the spokesman told reporters.', "told"),
])
def test_a_proposition_ends_at_a_participle_or_a_closing_quote_with_its_frame(sentence, not_in):
    found = [p for p in positions_of(sentence) if p.scale == "truth"]
    assert found and not_in not in found[0].topic_text


# ---- class 8: no false positions ------------------------------------------------------------

@pytest.mark.parametrize("sentence", [
    "The Kremlin offered its condolences to the families of the victims of the crash.",
    "The Kremlin criticised the Pentagon for its handling of the investigation into the explosion.",
    "The Kremlin said it was saddened by the explosion and called the response shameful.",
])
def test_condolence_and_criticism_are_no_position(sentence):
    assert not positions_of(sentence)


def test_the_same_stance_in_new_words_is_no_change(tmp_path):
    from monitor import pipeline
    from monitor.store import Store
    first, second = tmp_path / "01.txt", tmp_path / "02.txt"
    first.write_text("Ferry sinks in the strait\n\nThe Pentagon said it was likely that a missile struck the ferry.\n")
    second.write_text("Ferry sinking: new details\n\nThe Pentagon believes the vessel was probably hit by a rocket.\n")
    store = Store(tmp_path / "s.db")
    try:
        for path in (first, second):
            assert pipeline.ingest_paths(store, [str(path)]).ok
        assert not [a for a in store.alerts() if a["kind"] == "position"]
        topics = store.topics(1)
        assert len(topics) == 1 and len(store.topic_history(topics[0]["id"])) == 2   # both read, one topic
    finally:
        store.close()


def test_no_other_explanation_than_holds_what_follows_than():
    found = [p for p in positions_of('The Pentagon said it saw "no other plausible explanation" for the poisoning '
                                     '"than a state involvement and responsibility."') if p.scale == "truth"]
    assert found and found[0].stance == "confirms" and "involvement" in found[0].topic_text
    assert topic_words.predicate(f"{found[0].cue} {found[0].topic_text}") == "behind"


def test_a_quoted_hedge_goes_on_when_no_frame_closes_it():
    found = [p for p in positions_of('The Pentagon said it was "imperative that all light be shed, without delay" '
                                     'on who was responsible for the attack.') if p.scale == "truth"]
    assert found and "responsible" in found[0].topic_text


def test_a_flat_denial_after_a_fronted_clause_keeps_that_clause_as_its_proposition():
    found = [p for p in positions_of('The Pentagon said that despite reports suggesting a much higher toll, '
                                     '"no one has come forward" with names.') if p.scale == "truth"]
    assert found and topic_words.predicate(found[0].topic_text) == "undercount"


@pytest.mark.parametrize("sentence, stance", [
    ("The Pentagon stood by its official count of the dead.", "denies"),
    ("The Pentagon insisted that the official figure was accurate.", "denies"),
])
def test_standing_by_the_official_count_denies_an_undercount(sentence, stance):
    found = [p for p in positions_of(sentence) if p.scale == "truth"]
    assert found and found[0].stance == stance
    assert topic_words.predicate(f"{found[0].cue} {found[0].topic_text}") == "undercount"


def test_a_process_not_yet_concluded_is_no_finding():
    assert not read('"This review has not yet concluded," the Pentagon added.')


def test_a_request_reported_by_another_confirms_that_help_was_requested():
    found = read("The Pentagon's spokesman told reporters on Sunday that his Ruritanian counterpart had "
                 "telephoned him to ask formally for assistance.")
    assert any(stance == "confirms" for _, stance in found)
    own = read("The Kremlin said it had asked formally for international help.")
    assert ("Kremlin", "confirms") not in own      # its own request is its course, read by courses.py


def test_a_request_to_do_something_is_that_course_and_the_request_is_the_course_asked_before():
    found = [p for p in positions_of("The Kremlin was considering a NATO request to send a contingent.")
             if p.scale == "action"]
    assert found and found[0].stance == "considers" and found[0].action == "supply"
    later = [p for p in positions_of('"We are weighing the request seriously," the Kremlin said.') if p.scale == "action"]
    assert later and later[0].action == "course"      # joins the story's latest named course in diff


def test_the_subject_of_likely_to_is_judged_not_the_judge():
    found = read("The Pentagon said the Kremlin was highly likely to be responsible for the attack.")
    assert ("Kremlin", "likely") not in found and ("Pentagon", "likely") in found
