"""Who holds a position (issue 13 class 6, issue 14 class 5): speakers across sentences,
the reporting verb's subject over the complement's, documents endorsed by their reader,
stances reported by a third party, local and independent bodies, foreign leaders.
Every sentence here is made up for the test."""
from __future__ import annotations

from monitor.claims import actors, extract
from monitor.claims.attribution import quote_at, quote_holder
from monitor.records import Article


def positions_of(*paragraphs: str):
    return list(extract(Article(origin="hand-written.txt", text="\n\n".join(paragraphs),
                                published="2025-03-02")).positions)


def holders(*paragraphs: str, cue: str) -> list[str]:
    """The actors (described with their levels) of the positions read from `cue`."""
    return [p.actor.describe() for p in positions_of(*paragraphs) if cue in p.cue]


def mentions_of(*sentences: str):
    book = actors.Book()
    book.home = actors.home_place(list(sentences), book)
    return [actors.mentions(s, book) for s in sentences][-1], book


# ---- (a) a quote's speaker in the sentence before or after --------------------------------

def test_a_quote_continues_the_speaker_of_the_quote_before():
    found = holders("Prime Minister Ana Ruiz of Chile spoke at the airport on Friday.",
                    "“Engineers tell us the dam gave way,” Ruiz said. “At this stage, however, "
                    "Chile cannot confirm the cause of the flood.”", cue="cannot confirm")
    assert found and found[0].startswith("Ana Ruiz")


def test_a_quote_takes_the_speaker_named_in_the_next_sentence():
    found = holders("Prime Minister Ana Ruiz of Chile spoke at the airport on Friday.",
                    "“We have no proof yet that the dam was sabotaged.” Ruiz said on Saturday.", cue="proof")
    assert found and found[0].startswith("Ana Ruiz")


def test_a_quote_running_over_sentences_takes_the_speaker_two_sentences_on():
    found = holders("Prime Minister Ana Ruiz of Chile visited the valley on Friday.",
                    "“Our country cannot verify the cause of this disaster. The inquiry will take months. "
                    "We ask for patience,” Ruiz said.", cue="cannot verify")
    assert found and found[0].startswith("Ana Ruiz")


def test_a_quote_with_no_speaker_near_it_has_no_holder():
    assert holders("The valley flooded on Friday night.",
                   "“Nobody can confirm the cause of the flood.”", cue="confirm") == []


def test_a_person_named_by_the_first_word_of_his_name():
    found = holders("Prime Minister Arif Rahman of Kenya spoke in Nairobi.",
                    "“Kenya is unable to verify the cause,” Arif said.", cue="unable to verify")
    assert found and found[0].startswith("Arif Rahman")


def test_he_is_the_subject_of_the_sentence_before_not_the_last_name_in_it():
    found = holders("Prime Minister Ana Ruiz of Chile spoke on Friday.",
                    "Ruiz, who has often praised President Tomas Vidal of Peru, said the talks had failed.",
                    "Later he appeared to soften his tone on the dam.", cue="appeared to")
    assert found and found[0].startswith("Ana Ruiz")


# ---- (b) the reporting verb's subject holds the stance ----------------------------------

def test_an_assessment_in_a_complement_is_the_reporting_subject():
    found = holders("The Chilean defense ministry said on Thursday that Carlos Vega was probably "
                    "among those killed in the crash.", cue="probably")
    assert found and found[0].startswith("Chile's defense ministry")


# ---- (c) a speaker endorsing a document ------------------------------------------------

def test_a_speaker_endorsing_a_document_holds_its_finding():
    found = holders("Peru's transport minister said the interim report of the Joint Review Panel "
                    "confirmed that a bird strike downed the plane.", cue="confirmed")
    assert found and "Peru" in found[0] and "Panel" not in found[0]


# ---- (d) a stance reported by a third party ---------------------------------------------

def test_a_third_party_reports_the_named_actors_change_when_the_text_says_so():
    found = holders("Chile's cabinet spokesman said on Thursday that Peru had changed its position on "
                    "the offer of a rescue team and was now willing to consider it.", cue="willing to consider")
    assert found == ["Peru"]


def test_a_quoted_fragment_is_its_written_subjects():
    text = "Chile's foreign ministry said on Monday that Peru \"does not need\" the aid."
    found, _ = mentions_of(text)
    pos = text.index("does not need")
    assert quote_holder(text, quote_at(text, pos), pos, found).name == "Peru"


def test_a_verb_with_another_subject_inside_a_quote_is_not_the_speakers():
    text = "\"The second they request this aid, it will be sent,\" French President Ana Ruiz said."
    found, _ = mentions_of(text)
    pos = text.index("request")
    assert quote_holder(text, quote_at(text, pos), pos, found) is None
    pos = text.index("will be sent")
    assert quote_holder(text, quote_at(text, pos), pos, found).name == "Ana Ruiz"


def test_reports_of_an_actor_doing_something_are_not_its_stance():
    assert holders("Officials said reports of Peru refusing aid were false.", cue="refusing") == []


# ---- (e) counties, boards, courts, hospitals, companies as actors of their own -----------

def test_a_county_is_an_actor_not_a_person():
    found, _ = mentions_of("Eastvale County planned to begin its hand count on Wednesday.")
    assert found[0].kind == "place" and found[0].actor.name == "Eastvale"


def test_a_county_mayor_is_the_countys_not_a_countrys():
    found, _ = mentions_of("Families from Chile and Peru were among the missing.",
                           "Eastvale County Mayor Jane Porter said 102 people had been accounted for.")
    person = next(m for m in found if m.kind == "person")
    assert [name for _, name in person.actor.levels][1:] == ["Eastvale's government", "Eastvale"]


def test_the_x_canvassing_board_and_its_board_are_one_body():
    first, _ = mentions_of("the Eastvale canvassing board voted Friday to begin a count of its own.")
    later, _ = mentions_of("The deadline was too tight for Eastvale County.",
                           "Its canvassing board voted Wednesday to abandon its hand count.")
    keys = {m.actor.key for m in first + later if m.kind == "body"}
    assert keys == {"b:eastvale/canvassing board"}


def test_a_county_named_with_an_appositive():
    found, _ = mentions_of("Eastvale, the state's most populous county, said it would not do a full hand count.")
    assert found[0].kind == "place" and found[0].actor.name == "Eastvale"


def test_courts_hospitals_and_airlines_have_no_government_above_them():
    for phrase in ("Chile's supreme court", "the Chilean airline", "Chile's main hospital"):
        found, _ = mentions_of(f"{phrase} said on Monday that the rules had been followed.")
        body = next(m for m in found if m.kind == "body")
        assert not any(key.startswith("g:") for key, _ in body.actor.levels), phrase


# ---- (f) a foreign leader is not the host country's ------------------------------------

def test_a_leader_without_a_country_takes_the_one_the_article_gives_him():
    found = holders("Chile's foreign minister said the talks had failed.",
                    "President Tomas Vidal said he did not know what had happened to the dam.",
                    "At a Kremlin briefing, Vidal repeated his view.", cue="did not know")
    assert found and "Chile" not in found[0] and "Russia" in found[0]


def test_a_leader_named_with_his_country_elsewhere_in_the_article():
    found = holders("Chile's foreign minister said the talks had failed.",
                    "President Tomas Vidal said he did not know what had happened to the dam.",
                    "Peruvian President Tomas Vidal left Santiago on Sunday.", cue="did not know")
    assert found and "Peru" in found[0] and "Chile" not in found[0]
