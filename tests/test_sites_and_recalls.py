"""Sites are no speakers, officials named in apposition keep their office, a statement recalled
in the pluperfect is background, and a story's central name holds a follow-up months later.
Invented places, people and events; real claim stage and a real SQLite store."""
from __future__ import annotations

import pytest

from monitor import stories
from monitor.claims import actors, extract
from monitor.records import Article
from monitor.store import Store


def mentions(*sentences: str):
    book = actors.Book()
    book.home = actors.home_place(list(sentences), book)
    return [(s, actors.mentions(s, book)) for s in sentences]


def positions_of(*paragraphs: str):
    return list(extract(Article(origin="hand-written.txt", text="\n\n".join(paragraphs),
                                published="2025-03-02")).positions)


def test_a_name_ending_in_a_site_word_is_no_person():
    (text, found), = mentions("Residents of Korvel Tower said the alarms never sounded.")
    assert not [m for m in found if m.kind == "person" and "Korvel" in text[m.start:m.end]]
    claims = extract(Article(origin="site.txt", title="Fire at Korvel Tower",
                             text="The fire at Korvel Tower killed 12 people, officials said."))
    assert "p:tower" not in claims.terms


def test_a_quote_that_opens_the_sentence_does_not_make_its_first_word_a_place():
    claims = extract(Article(origin="quote.txt", title="Minister speaks",
                             text='"Having listened to residents, we will act," the minister said.\n\n'
                                  '"Let me be clear," she added.'))
    assert not {t for t in claims.terms if t.endswith(":having") or t.endswith(":let")}


def test_an_official_named_in_apposition_keeps_the_office():
    (text, found), = mentions("Iceland's health minister, Ola Brekk, said on Sunday that talks would go on.")
    person = next(m for m in found if m.kind == "person")
    assert [k for k, _ in person.actor.levels[1:]] == ["b:iceland/health ministry", "g:iceland"]


def test_a_stance_recalled_in_the_pluperfect_is_background():
    read = positions_of("Iceland's aviation authority on Wednesday ordered the jets out of service. "
                        "On Tuesday the agency had said its review gave it no reason to ground the jets.")
    recalled = [p for p in read if "ground the jets" in p.cue]
    assert recalled and all(p.past for p in recalled)
    # a turn after the recalled statement starts the present one
    read = positions_of("The agency had said the jets were safe but now says it will ground the jets.")
    assert not any(p.past for p in read if p.scale == "action")


@pytest.fixture
def db(tmp_path):
    store = Store(tmp_path / "stories.db")
    yield store
    store.close()


def _assign(db: Store, title: str, text: str, published: str) -> int:
    claims = extract(Article(origin=f"made-up/{published}.txt", text=text, title=title, published=published))
    with db.transaction():
        story_id = stories.assign(claims, db)
        db.save_people(claims.directory)
    return story_id


def test_a_follow_up_months_later_joins_the_story_of_its_site(db):
    first = _assign(db, "Fire at Korvel Tower kills 40",
                    "A fire at Korvel Tower in Dunmere killed 40 people, the fire brigade said. Korvel Tower had "
                    "24 floors. Residents of Korvel Tower had warned of the risk, said Anna Pell of the residents' "
                    "group. The Dunmere council ordered checks on every tower like Korvel.", "2025-01-10")
    later = _assign(db, "Korvel Tower review calls for new rules",
                    "A review ordered after the Korvel Tower fire called on Tuesday for new building rules. Its "
                    "author, Mara Stein, told Radio Ostra that the system was broken. Lena Vik, the opposition's "
                    "housing spokeswoman, called it a whitewash. Omar Dahl of the builders' federation welcomed it.",
                    "2025-07-02")
    assert later == first
    other = _assign(db, "Storm floods Velmar harbour",
                    "A storm flooded the harbour of Velmar on Tuesday, the coast guard said. Boats were lost.",
                    "2025-07-03")
    assert other != first


def test_a_person_who_chairs_a_long_named_unit_speaks_for_its_body():
    found = mentions("Ola Brekk, who chairs the Icelandic parliament's national security and foreign policy "
                     "commission, said on Monday that witnesses had seen the envoy alive.",
                     "Brekk dismissed the idea that the envoy had died.")
    people = [m for _, f in found for m in f if m.kind == "person"]
    assert all([k for k, _ in m.actor.levels[1:]] == ["b:iceland/parliament", "g:iceland"] for m in people)


def test_a_country_alone_never_joins_an_old_story(db):
    first = _assign(db, "Chile says troops crossed the border",
                    "Chile said on Monday that Peruvian troops had crossed the border near Velk. Chile's army "
                    "said Chile would respond. Chile closed its airspace.", "2025-01-10")
    later = _assign(db, "Drone strike hits Chile's capital",
                    "A drone struck an office block in Chile's capital on Tuesday, killing three, the mayor "
                    "Ivo Marsh said. Lena Vik, a resident, said the blast woke her.", "2025-07-02")
    assert later != first
