"""What companies say, once they are read as speakers (tests/test_companies.py): a recap in a
relative clause is an earlier statement, the sentence's own denial is read after it, and a
pluperfect reporting verb recalls an earlier stance (invented sentences only). Needs
/tmp/companies/positions.diff and stance.diff."""
from monitor.claims import extract
from monitor.records import Article


def positions_of(*sentences: str):
    return list(extract(Article(origin="hand-written.txt", text="\n\n".join(sentences),
                                published="2025-03-02")).positions)


LEAD = "Valcor, the budget chain, was the first retailer to admit that one of its suppliers worked in the collapsed building."


def test_a_recap_in_a_relative_clause_is_past_and_the_new_denial_is_read():
    found = positions_of(LEAD, "Valcor, which last week said it was looking into whether any of its goods came from "
                               "the building, now says it had no authorized production there.")
    read = {(p.actor.name, p.stance, p.past) for p in found[1:]}
    assert ("Valcor", "denies", False) in read
    assert not [p for p in found[1:] if p.stance == "unconfirmed" and not p.past]


def test_trying_to_establish_whether_withholds_judgement():
    found = positions_of(LEAD, "Trenholm, the clothing group, said it was still trying to establish whether any of "
                               "its merchandise had been made in the building.")
    assert ("Trenholm", "unconfirmed") in {(p.actor.name, p.stance) for p in found}


def test_a_pluperfect_reporting_verb_recalls_an_earlier_denial():
    found = positions_of(LEAD, "On the day of the collapse Valcor had told customers that none of the firms "
                               "involved supplied the group.")
    assert [(p.stance, p.past) for p in found if p.stance == "denies"] == [("denies", True)]


def test_saying_that_none_supplied_it_is_a_denial():
    found = positions_of(LEAD, "The Italian group posted a statement online saying that none of the firms in the "
                               "building supplied the group.")
    assert ("Valcor", "denies") in {(p.actor.name, p.stance) for p in found}
