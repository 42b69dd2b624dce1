"""Round-2 actor readings: police ranks, a company's officer named by the possessive, and the
holder of an office named in the next sentence after a phrase of occasion. Invented sentences."""
from monitor.claims import actors, extract
from monitor.records import Actor, Article, Directory


def _mentions(text: str):
    book = actors.Book(known=Directory({}))
    return [(text[m.start:m.end], m.actor.levels) for m in actors.mentions(text, book)]


def _positions(text: str, people=None):
    return extract(Article(origin="a.txt", text=text, published="2024-03-01"), people).positions


def test_police_rank_names_the_police():
    for rank in ("Detective Chief Inspector", "Chief Constable", "Superintendent"):
        (_, levels), = [m for m in _mentions(f"{rank} Ana Ruiz said the toll would rise.") if m[1][0][0] == "p:ana ruiz"]
        assert levels[1][0].endswith("/police")


def test_company_officer_by_possessive_then_named_after_an_opener():
    text = ("Planemaker Valcor said on Monday that its jets were safe.\n\n"
            "Valcor's chief executive has pushed back against accusations that the planemaker hid the flaw.\n\n"
            "In a message to staff on Tuesday, Ana Ruiz said reports that Valcor had hidden the flaw were \"simply untrue\".")
    # An earlier article's "Valcor's bulletin" left the name in the directory as a place.
    people = {"place:Valcor": Actor((("g:valcor", "Valcor"),))}
    ruiz = [p for p in _positions(text, people) if p.actor.key == "p:ana ruiz"]
    assert ruiz and ruiz[0].actor.levels[1][0] == "b:unknown/valcor"


def test_opener_needs_the_office_before():
    text = ("The storm closed roads across the valley.\n\n"
            "In a message to staff on Tuesday, Ana Ruiz said reports of flooding were \"simply untrue\".")
    assert all(len(p.actor.levels) == 1 for p in _positions(text) if p.actor.key == "p:ana ruiz")
