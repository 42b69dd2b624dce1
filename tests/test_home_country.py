"""The article's home country: the country whose bodies a reporter names bare ("police", "the
government"), and none when the article does not tell it (invented sentences only)."""
from monitor.claims import actors, extract
from monitor.claims.home import domain_place, title_place
from monitor.records import Article


def home(sentences, title=None, link=None):
    return actors.home_place(sentences, actors.Book(), title, link)


def positions(text, title=None, url=None):
    return extract(Article(origin="t.txt", text=text, title=title, url=url)).positions


def test_accused_country_is_not_the_home():
    # Chile is accused, qualified and discussed, and named more; Norway acts, named bare.
    texts = ["Norway said on Monday that it was highly likely that Chile was behind the attack on the dam.",
             "The Chilean foreign ministry rejected the claim, and the Chilean ambassador was summoned.",
             "Police said two Chilean men had been charged, and Chilean diplomats would be expelled.",
             "Chile has until Friday to answer."]
    assert home(texts) == "Norway"


def test_unclear_home_leaves_bare_bodies_unfiled():
    # Both countries act as much: neither is clearly the home, and police keep no country.
    found = positions("Norway and Chile traded accusations over the dam on Monday.\n\n"
                      "Chile said the blast was an accident. Norway said it was sabotage.\n\n"
                      "Separately, police confirmed that the blast was caused by explosives.")
    police = [p for p in found if "police" in p.actor.key]
    assert police and all(len(p.actor.levels) == 1 for p in police)


def test_event_place_in_the_lede_is_the_home():
    texts = ["Floods have killed 300 people in Kessaly since June, officials said.",
             "The government said the army had been deployed.",
             "Zembia offered to send tents."]
    actors_book = actors.Book()
    actors_book.places["Kessaly"] = "Kessaly"
    assert actors.home_place(texts, actors_book) == "Kessaly"


def test_headline_subject_counts():
    book = actors.Book()
    assert title_place("Britain expels 20 diplomats over the attack", book) == "United Kingdom"
    assert title_place("Russian charged over the attack", book) is None      # a person, not the country


def test_domain_country_code():
    assert domain_place("https://news.example.co.uk/2020/01/01/story") == "United Kingdom"
    assert domain_place("https://example.com.bd/x") == "Bangladesh"
    assert domain_place("https://example.eu/x") is None
    assert domain_place("story.txt") is None


def test_an_outlets_country_counts_only_where_the_article_names_it():
    # A Danish outlet reporting a collapse abroad: its own country is not named, so the scene's
    # police are the ones named bare; once the story names Denmark, the outlet's code tips it.
    abroad = ["A factory collapsed in Peru on Monday, killing 40 workers.", "Police said the owner had fled."]
    assert home(abroad, link="https://avisen.example.dk/a") == "Peru"
    mixed = ["Officials in Denmark and Peru traded accusations over the shipment.", "Police said more arrests would follow."]
    assert home(mixed, link="https://avisen.example.dk/a") == "Denmark"


def test_one_country_story_keeps_its_home():
    texts = ["Pakistan's disaster agency said the floods had killed 900 people.",
             "The health ministry said cholera cases were rising.",
             "The government asked donors for help."]
    assert home(texts) == "Pakistan"


def test_place_after_preposition_is_not_a_quote_holder():
    found = positions("The Zembian foreign ministry said the names published in Kessaly City \"mean nothing to us\".")
    assert all("kessaly" not in p.actor.key for p in found)
