"""Courses of action (issue 13, class 7): performed acts, verbs whose meaning is negative,
deliberation, negated existence, nominalised decisions, a course noun as subject and pronouns
for a course. Every sentence here is made up for the test."""
from __future__ import annotations

import pytest

from monitor.claims import actors, courses, extract
from monitor.claims.sentences import Sentence
from monitor.records import Article, Directory


def course_positions(*sentences: str):
    found = extract(Article(origin="hand-written.txt", text="\n\n".join(sentences), published="2025-03-02")).positions
    return [p for p in found if p.scale == "action"]


def read(*sentences: str) -> set[tuple[str, str, str]]:
    """(actor name, stance, course) of the action positions of the last sentence."""
    last = sentences[-1]
    return {(p.actor.name, p.stance, p.action) for p in course_positions(*sentences) if p.sentence == last}


@pytest.mark.parametrize("sentence, expected", [
    # a performed act supports its course
    ("The Pentagon grounded the airline's 40 cargo jets on Friday.", ("Pentagon", "supports", "grounding")),
    ("The Pentagon followed with a statement ordering the temporary grounding of the tanker fleet.",
     ("Pentagon", "supports", "grounding")),
    # a verb whose meaning is negative opposes it
    ("The Kremlin voted on Tuesday to abandon the manual recount.", ("Kremlin", "opposes", "recount")),
    ("The Kremlin granted the request and ordered the hand count of the contested ballots stopped.",
     ("Kremlin", "opposes", "recount")),
    ("The Pentagon defended its decision to switch the operation from rescue to a recovery effort.",
     ("Pentagon", "opposes", "rescue")),
    # deliberation considers it
    ("The Kremlin will read the appeals and decide whether the errors justify revising the district totals.",
     ("Kremlin", "considers", "recount")),
    ("The Pentagon had yet to decide whether to count the late ballots.", ("Pentagon", "considers", "recount")),
])
def test_course_verbs(sentence, expected):
    assert expected in read(sentence)


def test_negated_existence_is_the_speakers_opposition():
    sentence = "A Kremlin spokesman said there was no proposal on the table to let wheat in from overseas this winter."
    assert {s for _, s, c in read(sentence) if c == "imports"} == {"opposes"}


def test_a_reporting_frame_inside_the_clause_keeps_the_subject():
    sentence = "The Kremlin, the minister wrote, will decide whether to permit such imports once the harvest is in."
    assert ("Kremlin", "considers", "imports") in read(sentence)


def test_a_course_noun_as_subject_is_the_speakers():
    assert ("Pentagon", "supports", "rescue") in read("The Pentagon said the search would go on through the night.")
    assert ("Pentagon", "supports", "rescue") in read("The Pentagon said the search would not let up.")
    assert ("Pentagon", "opposes", "recount") in read("The counting of the mailed ballots, the Pentagon said, “must end.”")


def test_an_event_reported_in_the_passive_is_nobodys_stance():
    assert not read("The Pentagon said the search was halted for six hours on Thursday.")


def test_a_course_noun_that_modifies_another_names_no_course():
    assert not [p for p in course_positions("The Kremlin lifted import duties on tents on Friday.") if p.action == "imports"]


def test_a_pronoun_for_the_course_takes_the_last_course_noun_of_the_sentence():
    sentence = ("Officials said the Kremlin had dropped its objection to an offer of relief teams from abroad "
                "and was ready to consider it.")
    assert ("Kremlin", "considers", "aid") in read(sentence)
    sentence = "Counting went on in two districts, and the Pentagon voted Friday to begin one of its own."
    assert ("Pentagon", "supports", "recount") in read(sentence)


def test_a_pronoun_with_no_course_before_it_is_the_storys_open_course():
    found = read("Prime Minister Arlo Venn was pressed about the idea.", "He all but ruled it out on Tuesday.")
    assert ("Arlo Venn", "opposes", courses.OPEN_COURSE) in found


@pytest.mark.parametrize("sentence, stance", [
    ("The Pentagon said it was wrong to rule anything out.", "considers"),
    ("The Pentagon has not ruled it out.", "considers"),
    ("The Pentagon ruled it out on Monday.", "opposes"),
])
def test_ruling_out_and_not_ruling_out(sentence, stance):
    assert {s for _, s, _ in read(sentence)} == {stance}


def test_considering_a_fact_is_no_course():
    assert not read("The Kremlin said it considered it probable that the tanker had been sabotaged.")


def test_a_nominalised_decision_is_its_holders():
    found = read('The Kremlin and the Pentagon "will put forward proposals for tougher sanctions," officials said.')
    assert ("Pentagon", "supports", "sanction") in found


def test_a_quoted_fragment_belongs_to_the_subject_it_completes():
    sentence = 'The Pentagon said the Kremlin "did not need" foreign assistance after the floods.'
    assert ("Kremlin", "opposes", "aid") in read(sentence)


def test_a_course_asked_of_someone_is_not_theirs():
    found = read("Two senators called on the Pentagon to ground the fleet until the causes were known.")
    assert not any(name == "Pentagon" for name, _, _ in found)


def test_an_open_question_is_nobodys_course():
    assert not read("The court did not address whether the Pentagon was obliged to accept the recount results.")


def test_reports_of_a_course_are_not_the_actors():
    assert not any(c == "aid" for _, _, c in read("The Kremlin said reports of the Pentagon refusing aid were false."))


def test_a_quoted_course_of_another_actor_is_not_the_speakers():
    text = '"At this stage the Kremlin has not asked for help," a Pentagon spokeswoman told reporters.'
    found = actors.mentions(text, actors.Book(known=Directory({})))
    assert not courses.courses(Sentence(text=text, paragraph=0, index=0), found, set())


def test_a_government_announcing_its_own_relief_seeks_no_outside_help():
    from monitor.claims import extract
    from monitor.records import Article
    text = "The prime minister's office announced a relief package for flood-hit districts, Norway said."
    found = extract(Article(origin="t.txt", text=text)).positions
    assert not [p for p in found if p.action == "aid"], found
