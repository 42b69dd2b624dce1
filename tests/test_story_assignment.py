"""Story assignment rules (monitor/stories.py): which words of a title and lead count as the
article's names, and which of two stories an article that fits both joins. Made-up places,
people and events; each article goes through the real claim stage and a real SQLite store."""
from __future__ import annotations

import pytest

from monitor import stories
from monitor.claims import extract
from monitor.records import Article
from monitor.store import Store

N = stories.normal


@pytest.fixture
def db(tmp_path):
    store = Store(tmp_path / "stories.db")
    yield store
    store.close()


def _claims(title: str, text: str, published: str | None = "2024-08-05", n: list[int] = [0]):
    n[0] += 1
    return extract(Article(origin=f"made-up/{n[0]}.txt", text=text, title=title, published=published))


def _assign(db: Store, claims) -> int:
    with db.transaction():
        story_id = stories.assign(claims, db)
        db.save_people(claims.directory)
    return story_id


# A follow-up of a flood story: a title-case headline ('Rise', 'Says' read as names), "the
# government" and "the military" with no country in the lead, and a body full of names the
# story has not met yet.
EMERGENCY = ("Emergency Declared In Marrovia As Waters Rise, Kaspar Says",
             "DARNEN — Marrovia declared a national emergency on Thursday after the government met, and Prime "
             "Minister Ivo Kaspar ordered the military to help the rescue in Velsk.\n\n"
             "Minister Lena Brandt said 30 districts of Tamsk and Orlo were under water. Brandt said help would "
             "come from Halvary, Quellport and Sarnia.\n\nThe Red Crescent and Oxfam sent teams to Tamsk.")


def test_a_generic_body_of_no_country_is_no_lead_name():
    claims = _claims(*EMERGENCY)
    assert {"b:unknown/government", "b:unknown/military"} <= set(claims.lead_terms)     # as the lead reads them
    weights = stories.article_terms(claims)
    # "the government", "the military": common nouns; at most one name of the body, as the walk reads them
    assert weights.get("unknown/government", 0) <= 1.0
    assert weights.get("unknown/military", 0) <= 1.0
    # a body of a known country, and the country, are names
    assert weights[N("Marrovia")] == stories.LEAD_WEIGHT


def test_a_lead_word_the_article_never_names_weighs_as_a_name_of_the_body():
    claims = _claims(*EMERGENCY)
    assert {"p:says", "p:rise"} <= set(claims.lead_terms)       # a title-case headline's words
    weights = stories.article_terms(claims)
    assert weights["says"] == weights["rise"] == 1.0
    assert weights[N("Ivo Kaspar")] == weights[N("Velsk")] == stories.LEAD_WEIGHT


def test_a_name_only_the_title_gives_still_counts():
    claims = _claims("Families of QX881 victims gather in Tallomir",
                     "Relatives of the 140 people who died gathered on Sunday in Tallomir, where the jet came down."
                     "\n\nEdda Kolvik laid a wreath in Tallomir.")
    weights = stories.article_terms(claims)
    assert weights[N("QX881")] == 1.0                      # the walk of the text never meets it; still a name
    assert weights[N("Tallomir")] == stories.LEAD_WEIGHT


def test_junk_of_the_lead_does_not_split_a_story(db):
    # The flood story so far: its country, provinces and agency.
    flood = db.add_story("Floods kill 412 in Marrovia", {N("Marrovia"): 3, N("Velsk"): 3, N("Orlo"): 3,
                                                          "unknown/national flood authority": 3, "rain": 3},
                         titled=True, published="2024-08-01")
    claims = _claims(*EMERGENCY)
    body = {N(t) for t in claims.terms[:stories.ARTICLE_TERMS]}
    # The body alone shares too little (its new names), so the title and lead decide.
    assert len(body & {N("Marrovia"), N("Velsk"), N("Orlo")}) / len(body) < stories.JOIN_SHARE
    assert _assign(db, claims) == flood


# An aid conference for a country, and two stories it fits: the appeal it is about, and a long
# air-crash story whose articles named the conference's host, an outlet and the country in
# passing (one byline, one list of nationalities).
PLEDGE = ("Donors pledge 90 million for Ostrelia at Calvary-hosted meeting",
          "Governments promised 90 million euros in aid for Ostrelia on Sunday at a meeting hosted by Calvary and "
          "the Harbour League, the Calvary presidency said.\n\nCalvary's president Luis Ferrant chaired the call. "
          "Norvania and Veldany also took part.\n\nFerrant said the money would go to Porto Vell.")


def test_an_article_joins_the_story_whose_main_names_it_holds(db):
    claims = _claims(*PLEDGE, published="2024-05-01")
    weights = stories.article_terms(claims)
    league, calvary = N("League"), N("Calvary")
    assert {league, calvary, N("Ostrelia"), N("Ferrant"), N("Vell")} <= set(weights)
    calvary_body = next(t for t in weights if t.startswith(calvary + "/"))
    crash = db.add_story("Flight QX881 crashes near Tallomir",
                         {N("QX881"): 12, N("Tallomir"): 10, N("Norvania"): 9, "brisk air": 8, N("Kolvik"): 6,
                          "norvania/aviation authority": 5, "boeing": 4, league: 3, calvary: 3, calvary_body: 3,
                          N("Ostrelia"): 2, N("Veldany"): 1}, titled=True, published="2024-04-28")
    appeal = db.add_story("Ostrelia asks for aid after storms",
                          {N("Ostrelia"): 9, N("Vell"): 6, "storm": 3, "ostrelia/government": 3, N("Ferrant"): 2},
                          titled=True, published="2024-04-29")
    spread, held, _ = db.story_matches(list(weights), "2024-05-01", stories.STORY_GAP_DAYS, stories.RARE_STORIES)
    # It fits both; the crash story holds more of its names, each in passing.
    assert stories._share(weights, held[crash], spread) > stories._share(weights, held[appeal], spread) \
        >= stories.JOIN_SHARE
    assert _assign(db, claims) == appeal
