"""Election stories: a party's officials speak for the party (never a parliament or a government),
a candidate's campaign staff speak for the candidate, a candidate's claim of victory is a stance,
and a recanvass is a recount. Invented candidates, parties and places."""
from __future__ import annotations

from monitor.claims import actors, extract
from monitor.records import Article


def mentions(*sentences: str):
    book = actors.Book()
    book.home = actors.home_place(list(sentences), book)
    out = []
    for s in sentences:
        out += [(s[m.start:m.end], [k for k, _ in m.actor.levels]) for m in actors.mentions(s, book)]
    return out


def positions_of(text: str):
    return list(extract(Article(origin="hand-written.txt", text=text, published="2025-03-02")).positions)


def test_a_party_chairman_speaks_for_the_party():
    found = mentions("State party chairman Ivo Marsh apologized for the delay.")
    assert ("party chairman Ivo Marsh", ["p:ivo marsh", "b:unknown/party"]) in found


def test_campaign_staff_speak_for_their_candidate():
    found = mentions("Dana Kell won the most votes in the county.",
                     "Kell's campaign manager, Omar Pruitt, said the count had erred.")
    assert ("Omar Pruitt", ["p:pruit", "p:kel"]) in found


def test_a_candidate_claiming_the_state_or_calling_it_victory_confirms():
    read = positions_of("Dana Kell on Thursday claimed the state as hers.")
    assert [p.stance for p in read] == ["confirms"]
    read = positions_of('"When more people vote for you, we call that victory," Kell said.')
    assert [p.stance for p in read] == ["confirms"]


def test_a_recanvass_is_a_recount():
    read = positions_of("The national party chairman, Lee Hart, called on the state party to begin a recanvass.")
    assert [(p.stance, p.action) for p in read if p.scale == "action"] == [("supports", "recount")]
