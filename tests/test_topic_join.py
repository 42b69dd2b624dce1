"""Which topic a statement joins across articles (issue 13, classes 4, 5 and 8): a hedge whose
words speak only of knowing, proving, waiting or deciding is a stance on the story's open
question; a denial of authorship is about the party it clears, so it never meets an open "who
did it"; an affirmed answer naming its party meets both; a denial that names only the open
question is about what it denies. Every sentence here is made up for the test."""
from __future__ import annotations

from dataclasses import replace

import pytest

from monitor import diff as diff_stage
from monitor import topic_identity
from monitor.claims import topics as topic_words
from monitor.pipeline import ingest_paths
from monitor.records import Actor, Position


def _play(store, tmp_path, articles: list[tuple[str, str, str]]) -> list:
    """Ingest (date, title, body) articles of one story in order; the position alerts."""
    for i, (date, title, body) in enumerate(articles):
        path = tmp_path / f"{i:02d}.md"
        path.write_text(f"Published on {date}\n\n## {title}\n\n{body}\n")
        assert ingest_paths(store, [str(path)]).ok
    return [a for a in store.alerts() if a["kind"] == "position"]


def _position(text: str, stance: str = "unconfirmed", cue: str = "would not say", key: str = "g:chile",
              prospect: bool = False) -> Position:
    return Position(actor=Actor(((key, key[2:].title()),)), scale="truth", stance=stance, cue=cue,
                    topic_terms=tuple(topic_words.terms(text)), topic_text=text, anaphoric=False,
                    prospect=prospect, action=None, sentence=f"It {cue} {text}.")


# ---- hedges on the open question ------------------------------------------------------------

@pytest.mark.parametrize("text, cue", [
    ("before acting", "wanted definitive conclusions"),
    ("politics", "don't do fantasy"),
    ("then the time will come for decisions", "are proven"),
    ("at this stage", "no option can be ruled out"),
    ("until the facts are established", "would not speculate"),
])
def test_a_hedge_of_knowing_and_deciding_names_no_proposition(text, cue):
    assert topic_identity._content_free(_position(text, cue=cue))


@pytest.mark.parametrize("text", ["whether the ferry route reopens next week", "the harbour master resigned"])
def test_a_hedge_with_a_proposition_of_its_own_keeps_it(text):
    assert not topic_identity._content_free(_position(text))


def test_a_clause_after_the_cue_is_no_complement():
    p = replace(_position("and its envoy urged the council to move on"), cue="mean nothing to us",
                sentence='The ministry said the photographs shown in Tarsk "mean nothing to us", and its envoy '
                         "urged the council to move on.")
    assert not topic_identity._content_free(p)       # the photographs, stated before the cue


def test_a_waiting_hedge_meets_the_later_answer(store, tmp_path):
    alerts = _play(store, tmp_path, [
        ("12 May 2031", 'Chile "highly likely" behind Tarsk dam sabotage, Peru says',
         'The Peru government said it was "highly likely" that Chile was responsible for the sabotage of the '
         "Tarsk dam."),
        ("13 May 2031", "Kenya wants proof before it acts on the Tarsk dam sabotage",
         "Peru has accused Chile over the sabotage of the Tarsk dam.\n\n"
         "The Kenya government said Kenya wanted definitive conclusions before acting."),
        ("15 May 2031", "Kenya sides with Peru over the Tarsk dam sabotage",
         'Kenya said there was "no other plausible explanation" than that Chile was responsible for the sabotage.'),
    ])
    assert [(a["actor"], a["previous_stance"], a["stance"]) for a in alerts if "Kenya" in a["actor"]] == \
        [("Kenya", "unconfirmed", "confirms")]


# ---- who was behind it: the party ------------------------------------------------------------

def test_a_denial_is_about_the_party_it_names_or_its_speaker():
    named = replace(_position("that Peru or its partners were responsible", stance="denies", cue="rejected"),
                    topic_terms=("@peru", "partner", "respons"))      # places fold to their country
    assert topic_identity._accused(named) == {"!peru"}
    bare = _position("any involvement", stance="denies", cue="denied", key="g:chile")
    assert topic_identity._accused(bare) == {"!chile"}
    person = _position("any involvement", stance="denies", cue="denied", key="p:ostrov")
    assert topic_identity._accused(person) == frozenset()       # a person of no known body clears no party


def test_not_saying_who_is_no_change_from_denying_ones_own_part(store, tmp_path):
    alerts = _play(store, tmp_path, [
        ("2 June 2031", "Blasts tear the Tarsk dam; Chile blamed",
         "Chile said it was a fact that Peru had organised the blasts."),
        ("3 June 2031", "Peru rejects Chilean claim over the Tarsk dam",
         'Peru called the allegation that Peru was responsible "absurd".'),
        ("9 June 2031", "Divers back at the Tarsk dam",
         "Peru declined to say who it thought was responsible while investigators were at work."),
    ])
    assert not [a for a in alerts if "Peru" in (a["actor"] or "")]


def test_an_open_who_meets_every_named_answer(store, tmp_path):
    alerts = _play(store, tmp_path, [
        ("2 June 2031", "Blasts tear the Tarsk dam",
         "Chile said it could not yet say who the perpetrators were."),
        ("9 June 2031", "Chile names suspects in the Tarsk dam blasts",
         "Chile said it was highly likely that Peru was behind the blasts."),
    ])
    assert [(a["actor"], a["previous_stance"], a["stance"]) for a in alerts] == [("Chile", "unconfirmed", "likely")]


def test_a_firmer_answer_raises_one_alert_not_one_per_topic(store, tmp_path):
    alerts = _play(store, tmp_path, [
        ("2 June 2031", "Blasts tear the Tarsk dam",
         "Chile said it was highly likely that Peru was behind the blasts."),
        ("9 June 2031", "Chile hardens its line on the Tarsk dam",
         "Chile said there was no alternative conclusion other than that Peru was behind the blasts."),
    ])
    assert [(a["previous_stance"], a["stance"]) for a in alerts] == [("likely", "confirms")]


def test_a_suspect_names_who_did_it():
    assert topic_words.predicate("a diver they suspect of placing the charges") == "behind"


# ---- a denial of the open question alone ---------------------------------------------------

def test_a_denial_naming_only_the_open_question_is_about_its_object():
    p = _position('news" meant to divert attention from the real question of what happened at the dam',
                  stance="denies", cue='called the report "fake')
    assert topic_identity._class_of(p) is None
