"""Claim stage: monitor.claims.extract on small hand-written articles of several genres.

Each test states one behaviour the alert contract asks for. Where today's code does not do
it, the test says so in its name; the cases below all pass today.
"""
from __future__ import annotations

import pytest

from monitor import pipeline
from monitor.claims import extract
from monitor.records import Article


def claims_of(*sentences: str, published: str | None = "2024-10-24"):
    return extract(Article(origin="hand-written.txt", text="\n\n".join(sentences), published=published))


def figures_of(*sentences: str, **kw):
    return list(claims_of(*sentences, **kw).figures)


def the_figure(*sentences: str):
    found = figures_of(*sentences)
    assert len(found) == 1, f"expected one figure, got {[(f.cls, f.value) for f in found]}"
    return found[0]


def positions_of(*sentences: str):
    return list(claims_of(*sentences).positions)


def the_position(*sentences: str):
    found = positions_of(*sentences)
    assert len(found) == 1, f"expected one position, got {[(p.actor.describe(), p.stance) for p in found]}"
    return found[0]


def level_names(actor) -> list[str]:
    return [display for _, display in actor.levels]


# ---- figures: what is counted and who says it -------------------------------------------------

def test_death_toll_is_a_deaths_figure():
    figure = the_figure("The health ministry said the death toll rose to 1,234.")
    assert (figure.cls, figure.value) == ("deaths", 1234)


def test_death_toll_source_is_the_health_ministry():
    figure = the_figure("The health ministry said the death toll rose to 1,234.")
    assert figure.source is not None
    assert "health ministry" in figure.source.describe().lower()


def test_source_with_its_country():
    figure = the_figure("Turkey's health ministry said the death toll rose to 1,234.")
    assert level_names(figure.source)[-1] == "Turkey"


def test_according_to_names_the_source():
    figure = the_figure("The death toll rose to 1,234, according to the health ministry.")
    assert figure.source is not None and "health ministry" in figure.source.describe().lower()


def test_unattributed_figure_is_the_outlets():
    figure = the_figure("The fire killed at least 42 people on Sunday.")
    assert (figure.cls, figure.value, figure.low) == ("deaths", 42, 42)
    assert figure.source is None


def test_figure_keeps_its_sentence():
    sentence = "The fire killed at least 42 people on Sunday."
    assert the_figure(sentence).sentence == sentence


def test_troops_figure_with_scope_and_source():
    figure = the_figure("South Korea's spy agency said it had confirmed that North Korea sent 1,500 special "
                        "operation forces to Russia this month.")
    assert (figure.cls, figure.value, figure.place) == ("troops", 1500, "North Korea")
    assert level_names(figure.source)[-1] == "South Korea"


def test_close_to_figure_keeps_its_bound():
    figure = the_figure("Ukraine's Defense Intelligence said close to 11,000 North Korean troops are training "
                        "in eastern Russia.")
    assert (figure.cls, figure.value, figure.high, figure.place) == ("troops", 11000, 11000, "North Korea")


def test_brigades_each_are_multiplied():
    figure = the_figure("Zelensky said Russia was training two brigades of 6,000 people each.")
    assert figure.value == 12000


def test_range_figure():
    figure = the_figure("The United Nations said 18,000-20,000 people had been displaced.")
    assert (figure.cls, figure.low, figure.high) == ("displaced", 18000, 20000)


def test_vague_figure():
    figure = the_figure("The ministry said hundreds of people were injured.")
    assert figure.cls == "injured" and figure.vague


def test_vote_share_is_a_percent_figure():
    figure = the_figure("Mendoza won 52.3% of the votes, the electoral council said.")
    assert (figure.cls, figure.value, figure.unit) == ("votes", 52.3, "%")


def test_money_figure_has_its_currency():
    # (money is a measure by what it pays for, issue 14: here aid; tests/test_counts.py)
    figure = the_figure("Congress approved $60 billion in aid to Ukraine.")
    assert (figure.cls, figure.unit, figure.value) == ("aid", "USD", 60_000_000_000)


# ---- figures that are not figures of the subject ----------------------------------------------

def test_standing_army_is_background():
    assert figures_of("The country has an army with 1.2 million soldiers.") == []


@pytest.mark.parametrize("sentence", [
    "On October 23, 2024, the 45-year-old minister spoke at 10:30 in the morning.",
    "The minister, 54, spoke to reporters at 10:30 a.m. on Oct. 23, 2024.",
    "He lives at 221 Baker Street and can be reached at 555-0100.",
    "Flight 417, an A320, was flying at 33,000 feet.",
])
def test_dates_ages_clock_times_and_codes_are_not_figures(sentence):
    assert figures_of(sentence) == []


def test_past_disaster_in_an_earlier_year_is_background():
    assert figures_of("In 1999, an earthquake killed 17,000 people in the region.") == []


def test_year_used_as_an_adjective_is_not_a_figure():
    assert figures_of("The 1999 quake killed 17,000 people.") == []


# ---- positions: truth scale -------------------------------------------------------------------

def test_fake_news_is_a_denial():
    position = the_position("The Kremlin dismissed the reports as fake news.")
    assert (position.scale, position.stance) == ("truth", "denies")


def test_kremlin_actor_has_russia_as_parent():
    position = the_position("The Kremlin dismissed the reports as fake news.")
    assert level_names(position.actor) == ["Kremlin", "Russia"]


def test_spokesman_actor_has_body_and_government():
    position = the_position("Kremlin spokesman Dmitry Peskov dismissed the reports as fake news.")
    assert position.stance == "denies"
    assert level_names(position.actor) == ["Dmitry Peskov", "Kremlin", "Russia"]


def test_coordinated_subjects_both_deny():
    found = positions_of("Russia and North Korea have denied the reports.")
    assert sorted((level_names(p.actor)[-1], p.stance) for p in found) == [("North Korea", "denies"),
                                                                           ("Russia", "denies")]


def test_groundless_is_a_denial():
    position = the_position("The Kremlin called the claims groundless.")
    assert position.stance == "denies"


def test_not_able_to_verify_is_unconfirmed():
    position = the_position("The Pentagon has not been able to verify the reports.")
    assert (position.scale, position.stance) == ("truth", "unconfirmed")


def test_pentagon_actor_is_described_with_its_government():
    position = the_position("The Pentagon has not been able to verify the reports.")
    assert position.actor.describe() == "Pentagon (United States)"


def test_could_not_confirm_is_unconfirmed():
    position = the_position("The White House could not confirm the reports.")
    assert position.stance == "unconfirmed"


def test_said_it_could_not_confirm_is_unconfirmed():
    position = the_position("The White House said it could not confirm the reports.")
    assert position.stance == "unconfirmed"
    assert position.actor.describe() == "White House (United States)"


def test_believes_is_likely():
    position = the_position("The Pentagon believes North Korean troops are in Russia.")
    assert position.stance == "likely"


def test_said_highly_likely_is_likely():
    position = the_position("British Defense Minister John Healey said it is highly likely that North Korean "
                            "troops are in Russia.")
    assert position.stance == "likely"
    assert "United Kingdom" in level_names(position.actor)


def test_quoted_there_is_evidence_confirms():
    position = the_position("“There is evidence that there are DPRK troops in Russia,” Defense Secretary "
                            "Lloyd Austin said.")
    assert position.stance == "confirms"
    assert level_names(position.actor) == ["Lloyd Austin", "Pentagon", "United States"]


def test_said_there_is_evidence_confirms():
    position = the_position("Defense Secretary Lloyd Austin said there is evidence that North Korean troops "
                            "are in Russia.")
    assert (position.scale, position.stance) == ("truth", "confirms")
    assert level_names(position.actor) == ["Lloyd Austin", "Pentagon", "United States"]


def test_confirmed_is_confirms():
    position = the_position("The Pentagon confirmed that North Korean troops are in Russia.")
    assert position.stance == "confirms"


def test_denial_topic_is_the_reports():
    position = the_position("The Kremlin dismissed the reports as fake news.")
    assert position.anaphoric           # points back to the story's claim


def test_position_keeps_its_sentence():
    sentence = "The Pentagon has not been able to verify the reports."
    assert the_position(sentence).sentence == sentence


# ---- positions: action scale ------------------------------------------------------------------

def test_could_consider_supplying_weapons_considers():
    position = the_position("South Korea could consider supplying weapons to Ukraine.")
    assert (position.scale, position.stance, position.action) == ("action", "considers", "supply")
    assert level_names(position.actor) == ["South Korea"]


def test_could_consider_topic_is_the_course_of_action():
    position = the_position("South Korea could consider supplying weapons to Ukraine.")
    assert "supplying weapons to Ukraine" in position.topic_text


def test_ruled_out_opposes():
    position = the_position("Seoul has ruled out supplying lethal weapons to Ukraine.")
    assert (position.stance, position.action) == ("opposes", "supply")
    assert level_names(position.actor) == ["South Korea"]


def test_decided_supports():
    position = the_position("South Korea decided to supply weapons to Ukraine.")
    assert position.stance == "supports"


def test_will_supports():
    position = the_position("South Korea will supply weapons to Ukraine.")
    assert position.stance == "supports"


def test_passive_could_be_deployed_is_not_a_position():
    assert positions_of("North Korean troops could be deployed to Ukraine next month.") == []


def test_supplying_and_sending_are_one_course_of_action():
    supply = the_position("South Korea could consider supplying weapons to Ukraine.")
    send = the_position("South Korea could consider sending weapons to Ukraine.")
    assert supply.action == send.action


# ---- people are carried across articles -----------------------------------------------------

def test_person_learned_in_one_article_keeps_body_in_the_next(store):
    first = Article(origin="first.txt", text="U.S. Defense Secretary Lloyd Austin spoke in Brussels on Wednesday "
                                             "after a meeting with NATO defense ministers.")
    pipeline.ingest_article(store, first, pipeline.Report())
    later = extract(Article(origin="later.txt", text="Austin confirmed that North Korean troops are in Russia."),
                    store.people())
    [position] = later.positions
    assert level_names(position.actor) == ["Lloyd Austin", "Pentagon", "United States"]


def test_a_premiers_own_name_is_never_a_country():
    # "Tavon's government" is the premier's; no country called Tavon is learned from it.
    positions = positions_of(
        "Prime Minister Ardin Tavon said on Tuesday that the bridge collapse was caused by corrosion.",
        "Tavon's government has denied that the bridge had failed an inspection.",
    )
    assert positions
    assert all("Tavon's government" not in level_names(p.actor) for p in positions)


def test_a_leaders_spokesman_speaks_for_the_leaders_government():
    # The spokesman of a premier named with her country keeps that country, not the one discussed.
    positions = positions_of(
        "Norwegian Prime Minister Ilse Varten's spokesman, Odd Brekke, confirmed that the tanker was attacked by Iranian boats.",
    )
    spokesman = next(p for p in positions if "Odd Brekke" in level_names(p.actor))
    assert "Norway" in level_names(spokesman.actor)
    assert "Iran" not in level_names(spokesman.actor)


def test_a_foreign_head_of_state_is_not_filed_under_the_storys_country():
    # "President X" with no country beside the title: the body the sentence names (a seat of
    # another government) wins over the article's own country.
    positions = positions_of(
        "SANTIAGO, Chile — Chile's government said on Friday that the airliner was shot down over the sea near Chile.",
        "In remarks the Kremlin released on Friday, President Ivan Dolgin denied that Russian forces had fired the missile.",
    )
    dolgin = next(p for p in positions if "Ivan Dolgin" in level_names(p.actor))
    assert "Russia" in level_names(dolgin.actor)
    assert "Chile" not in level_names(dolgin.actor)
