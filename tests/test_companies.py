"""Companies named by a lone name speak for themselves ("Valcor said", "Chile's Valcor said it
too would", "Valcor Inc said"), keep being companies across a story, and "the company", "the
Italian group", its chief executive and its spokesman resolve to the right one; towns, countries
and people stay out (invented sentences only)."""
from monitor.claims import actors
from monitor.records import Directory


def read(sentences, people=None):
    """The mentions of each sentence, read in turn as the claim stage reads an article, and
    what the article taught (the store's directory for the next article)."""
    book = actors.Book(known=people or {})
    actors.home_place(sentences, book)
    found = [(text, actors.mentions(text, book)) for text in sentences]
    return found, Directory({**(people or {}), **book.learned})


def who(found, i, words):
    """The level keys of the mention written `words` in sentence i."""
    text, mentions = found[i]
    return next([key for key, _ in m.actor.levels] for m in mentions if text[m.start:m.end] == words)


def keys(found, i):
    return [m.actor.key for m in found[i][1]]


def test_a_lone_name_with_its_own_merchandise_is_a_company_not_a_place():
    found, _ = read(["Workers marched through the capital on Thursday.",
                     "Valcor said it was still checking whether any of its merchandise had been made in the building."])
    assert who(found, 1, "Valcor") == ["b:unknown/valcor"]


def test_a_company_learned_in_one_article_is_one_in_the_next():
    _, learned = read(["Valcor, the budget chain, was the first to admit a link to the factory."])
    found, _ = read(["Valcor, which last week said it was looking into the orders, now says it had no production there.",
                     "Valcor also held its ground on the accord."], people=learned)
    assert who(found, 0, "Valcor") == ["b:unknown/valcor"]
    assert who(found, 1, "Valcor") == ["b:unknown/valcor"]
    assert who(found, 0, "it") == ["b:unknown/valcor"]     # "now says it had": Valcor, read past its clause


def test_a_country_before_a_lone_name_that_it_points_back_to_is_a_firm_of_that_country():
    found, _ = read(["Chile's Trelawny, some of whose shirts were sewn at the site, said it too would pay compensation."])
    assert who(found, 0, "Chile's Trelawny") == ["b:unknown/trelawny"]     # no country's government
    found, _ = read(["Peru's Quispe, who chairs the committee, said he would resign."])
    assert "b:unknown/quispe" not in keys(found, 0)


def test_a_corporate_suffix_makes_a_company_under_its_bare_name():
    found, learned = read(["Norvale Inc said it was ready to join the accord if one clause changed."])
    assert who(found, 0, "Norvale Inc") == ["b:unknown/norvale"]
    found, _ = read(["Norvale, which had said it was ready to sign, said it would not put its name to the accord."],
                    people=learned)
    assert who(found, 0, "Norvale") == ["b:unknown/norvale"]


def test_the_company_is_the_one_named_last_not_the_first():
    found, _ = read(["Trenholm, the clothing group, admitted that a one-time order had been shipped.",
                     "The company said the supplier had been dropped.",
                     "Valcor, the budget chain, went further than any other retailer.",
                     "The company said it would pay compensation to the families."])
    assert who(found, 1, "company") == ["b:unknown/trenholm"]
    assert who(found, 3, "company") == ["b:unknown/valcor"]


def test_the_italian_group_points_back_to_the_company_but_the_armed_group_does_not():
    found, _ = read(["Trenholm, the clothing group, denied any link to the factory.",
                     "On Monday the Italian group posted a statement saying none of the firms supplied it.",
                     "The armed group said it had not fired."])
    assert who(found, 1, "the Italian group") == ["b:unknown/trenholm"]
    assert "g:italy" not in keys(found, 1)
    assert not [m for m in found[2][1] if "group" in found[2][0][m.start:m.end]]


def test_its_chief_executive_and_its_spokesman_speak_for_the_company():
    found, learned = read(["Valcor, the carmaker, recalled the model.",
                           "Valcor chief executive Marta Ruiz said the fault had been found.",
                           "Valcor played the reports down.",
                           "Spokesman Tomas Vidal said the company had no evidence of a defect."])
    assert who(found, 1, "Valcor chief executive Marta Ruiz") == ["p:ruiz", "b:unknown/valcor"]
    assert who(found, 3, "Spokesman Tomas Vidal") == ["p:vidal", "b:unknown/valcor"]
    found, _ = read(["\"We are sorry,\" chief executive Marta Ruiz said."], people=learned)
    assert who(found, 0, "chief executive Marta Ruiz") == ["p:ruiz", "b:unknown/valcor"]


def test_towns_countries_and_people_stay_out():
    found, _ = read(["Eastbrook said it would rebuild the bridge by spring.",
                     "Aldoria said it would send troops to the border."])
    assert not [key for i in (0, 1) for key in keys(found, i) if key.startswith("b:unknown/")]
    found, _ = read(["Doctors said Marta Ruiz was stable.",
                     "Ruiz's spokeswoman said the tests had found a poison.",
                     "Ruiz was poisoned, the spokeswoman said."])
    assert "b:unknown/ruiz" not in [key for i in range(3) for key in keys(found, i)]
