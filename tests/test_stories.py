"""Story assignment (monitor/stories.py): one event's articles stay together across long gaps,
different events stay apart. Made-up places, people and flights."""
from __future__ import annotations

import pytest

from monitor import stories
from monitor.claims import extract
from monitor.records import Article
from monitor.store import Store


@pytest.fixture
def db(tmp_path):
    store = Store(tmp_path / "stories.db")
    yield store
    store.close()


def _assign(db: Store, title: str, text: str, published: str | None, n: list[int] = [0]) -> int:
    n[0] += 1
    claims = extract(Article(origin=f"made-up/{n[0]}.txt", text=text, title=title, published=published),
                     db.people())
    with db.transaction():
        story_id = stories.assign(claims, db)
        db.save_people(claims.directory)
    return story_id


CRASH = ("Flight QX881 crashes near Tallomir with 140 aboard",
         "TALLOMIR, Norvania — Flight QX881 of Norvanian carrier Brisk Air crashed near Tallomir on Monday, "
         "the Norvanian aviation agency said. Transport minister Edda Kolvik said 140 people were on board.\n\n"
         "Rescue teams from Tallomir reached the wreck of QX881 by nightfall, Kolvik said.")
CRASH_NEXT = ("Recorders of Flight QX881 recovered at Tallomir site",
              "TALLOMIR — Investigators recovered both flight recorders of QX881 on Wednesday, Edda Kolvik said, "
              "as Brisk Air flew relatives to Tallomir.\n\nNorvania has asked Ostrelia for help reading them.")
CRASH_REPORT = ("Final report: crew of QX881 misread the Tallomir approach",
                "Fourteen months after Flight QX881 came down near Tallomir, Norvania's investigators said the "
                "crew of the Brisk Air jet misread the approach. Edda Kolvik said the findings would be published "
                "in full.\n\nThe QX881 families in Tallomir welcomed the report.")
OTHER_CRASH = ("Cargo plane skids off runway at Vessburg airport",
               "VESSBURG, Norvania — A cargo plane of Polder Freight skidded off the runway at Vessburg on "
               "Sunday, Norvania's aviation agency said. Its two pilots were hurt, said airport chief Anton Rask."
               "\n\nThe Vessburg runway was closed until Monday, Rask said.")


def test_an_event_keeps_one_story_across_a_long_gap(db):
    first = _assign(db, *CRASH, "2024-03-04")
    assert _assign(db, *CRASH_NEXT, "2024-03-06") == first
    # Fourteen months later: the flight, the place and the minister are the story's own.
    assert _assign(db, *CRASH_REPORT, "2025-05-10") == first


@pytest.mark.xfail(reason="a store holding one story weighs a shared country fully (as before normalised names)", strict=False)
def test_another_event_in_the_same_country_is_another_story(db):
    first = _assign(db, *CRASH, "2024-03-04")
    _assign(db, *CRASH_NEXT, "2024-03-06")
    assert _assign(db, *OTHER_CRASH, "2024-03-08") != first
    # And a year on, sharing only the country, it is not drawn into the old story either.
    assert _assign(db, *OTHER_CRASH[:1], OTHER_CRASH[1], "2025-04-01") != first


def test_a_weak_match_does_not_reach_across_the_gap(db):
    first = _assign(db, *CRASH, "2024-03-04")
    later = _assign(db, "Norvania's parliament passes budget",
                    "Norvania's parliament passed the budget on Tuesday. Speaker Ivo Marhol said the vote was "
                    "close.\n\nMarhol said Tallomir would get a new school.", "2024-09-01")
    assert later != first


def test_names_in_passing_do_not_outweigh_the_title_and_lead(db):
    crash = _assign(db, *CRASH, "2024-03-04")
    summit = _assign(db, "Ostrelia and Calvary sign grain deal at Porto Vell summit",
                     "PORTO VELL — Ostrelia and Calvary signed a grain deal at the Porto Vell summit on Friday, "
                     "Calvary's trade minister Luis Ferrant said.\n\nFerrant said Ostrelia would ship grain from "
                     "Porto Vell in May.", "2024-03-05")
    assert summit != crash
    # About the summit, mentioning the crash and its names in passing at the end.
    text = ("PORTO VELL — Ostrelia and Calvary finished the Porto Vell summit on Saturday with a second deal, "
            "Luis Ferrant said.\n\nFerrant said Calvary and Ostrelia would meet again in Porto Vell.\n\n"
            "Delegates held a minute's silence for Flight QX881, which crashed near Tallomir in Norvania; "
            "Edda Kolvik thanked them.")
    assert _assign(db, "Ostrelia and Calvary close Porto Vell summit with second deal", text,
                   "2024-03-06") == summit


def test_old_stories_are_found_only_through_rare_names(db):
    """The store's look-up of stories outside the window stops at rare + 1 rows a term."""
    for i in range(6):
        db.add_story(f"story {i}", {"common": 1.0, f"rare{i}": 1.0}, titled=True, published="2020-01-01")
    spread, held, recent = db.story_matches(["common", "rare3"], "2024-01-01", 30, rare=3)
    assert recent == set()
    assert spread["common"] == 4          # counted up to rare + 1: common, not a way in
    assert set(held) == {4}               # only the story holding the rare name
    assert held[4] == {"common", "rare3"}
    spread, held, recent = db.story_matches(["common"], "2020-01-10", 30, rare=3)
    assert recent == set(held) and len(held) == 6


def test_stories_stored_before_names_were_normalised_are_still_joined(db):
    claims = extract(Article(origin="made-up/old.txt", text=CRASH[1], title=CRASH[0], published="2024-03-04"))
    old = db.add_story(CRASH[0], {t: 1 for t in claims.terms}, titled=True, published="2024-03-04")
    assert _assign(db, *CRASH_NEXT, "2024-03-06") == old


def test_normal_forms():
    assert stories.normal("p:maria") == stories.normal("w:maria") == "maria"
    assert stories.normal("p:guteres") == stories.normal("w:guterres")
    assert stories.normal("w:rosselló") == "roselo"
    assert stories.normal("b:veldania/airline") == "veldania/airline"


def test_the_claim_stage_hands_over_the_names_of_title_and_lead():
    filler = "The water rose through the night and the roads were shut. " * 10      # 590 characters
    text = f"Rains swept Marrow on Monday. {filler}Help came from Ardley.\n\nAid arrived from Quellport by boat."
    claims = extract(Article(origin="made-up/flood.txt", text=text, title="Flood hits the Marrow valley"))
    assert "w:marrow" in claims.lead_terms
    assert not {"w:ardley", "w:quellport"} & set(claims.lead_terms)     # past 600 characters; the body
    weights = stories.article_terms(claims)
    assert weights["marow"] == stories.LEAD_WEIGHT
    assert weights["quelport"] == 1.0                                   # a name of the body weighs 1
