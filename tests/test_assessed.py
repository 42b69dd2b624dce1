"""Who is assessed is not who assesses: a likelihood word after a name judges the name, in a
headline without its copula too (invented sentences only)."""
from monitor.claims import actors, extract
from monitor.records import Article


def holders(sentence):
    article = Article(origin="t.txt", text="Test story headline\n\n" + sentence, title="Test story headline")
    return {p.actor.name for p in extract(article).positions}


def test_a_headline_likelihood_after_a_name_judges_the_name():
    assert "Norway" not in holders('Summit agrees Norway "highly likely" behind dam attack')
    assert "Norway" not in holders("Norway probably behind dam attack, ministers say")


def test_an_intensified_likelihood_after_a_copula_judges_the_subject():
    assert "Norway" not in holders("The ministers agreed that Norway was highly likely behind the attack on the dam.")


def test_a_name_that_believes_holds_its_belief():
    assert "Norway" in holders("Norway believes the attack on the dam was staged.")


def test_a_country_named_only_as_a_foreign_one_is_no_home():
    # Chile is named often, always as the foreign one: by its seat, its demonym, after prepositions.
    texts = ["Police found a retired Chilean colonel unconscious on a bench in Harwick on Sunday.",
             "Santiago was quick to deny any part in it, and the Chilean embassy called the reports lies.",
             "Police said his daughter, who lives in Santiago, had flown in to visit him.",
             "Chilean agents were seen in the town last week, according to a Chilean newspaper."]
    assert actors.home_place(texts, actors.Book()) is None


def test_names_shared_by_two_propositions_do_not_make_them_one():
    from monitor.claims.topics import NAME_MARK, terms
    identity = terms("the man is Ivan Ostrov")
    blame = terms("Norway was responsible for poisoning Ivan Ostrov")
    shared = set(identity) & set(blame)
    assert shared and all(t.startswith(NAME_MARK) for t in shared)
