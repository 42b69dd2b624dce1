"""Named officials keep their body and country across a story, and "she", "the prime minister",
"Mrs X" resolve to the right one; where the country cannot be told, officials stay unfiled
(invented sentences only)."""
from monitor.claims import actors, extract
from monitor.records import Actor, Article


def read(sentences, home=None, people=None):
    """The mentions of each sentence, read in turn as the claim stage reads an article."""
    book = actors.Book(known=people or {})
    actors.home_place(sentences, book)
    book.home = home
    return [(text, actors.mentions(text, book)) for text in sentences]


def who(read_sentences, i, words):
    """The levels of the mention written `words` in sentence i."""
    text, found = read_sentences[i]
    return next(m.actor.levels for m in found if text[m.start:m.end] == words)


def keys(levels):
    return [key for key, _ in levels]


def test_a_month_after_a_given_name_or_an_honorific_is_a_surname():
    found = read(["Helen May told parliament on Monday that the dam had failed.",
                  "If no answer comes, Mrs May said, the talks will end.",
                  "On May 5 the talks resumed in Lima."])
    assert keys(who(found, 0, "Helen May")) == ["p:may"]
    assert [m.actor.key for m in found[1][1] if m.kind == "person"] == ["p:may"]
    assert not [m for m in found[2][1] if m.kind == "person"]


def test_the_leader_named_before_is_the_prime_minister_and_she():
    found = read(["Helen May told parliament on Monday that the dam had been sabotaged.",
                  "\"This was a deliberate act,\" the prime minister said.",
                  "There was, she said, no other explanation."])
    assert keys(who(found, 1, "prime minister"))[0] == "p:may"
    assert keys(who(found, 2, "she"))[0] == "p:may"
    # no country told anywhere: one actor, unfiled, never a guessed country
    assert not any(key.startswith("g:") for key in keys(who(found, 2, "she")))


def test_an_official_the_store_knows_keeps_his_country_under_a_bare_title():
    known = Actor((("p:ruiz", "Elena Ruiz"), ("b:chile/foreign ministry", "Chile's foreign ministry"), ("g:chile", "Chile")))
    found = read(["Peru withdrew an invitation to the foreign minister Elena Ruiz on Monday.",
                  "Ms Ruiz had called the claims rubbish."], home="Peru", people={"p:ruiz": known})
    assert who(found, 0, "foreign minister Elena Ruiz") == known.levels
    assert who(found, 1, "Ruiz") == known.levels


def test_an_office_named_then_its_holder_as_the_next_subject():
    found = read(["Chile's foreign minister was less restrained.",
                  "Elena Ruiz dismissed the reports as propaganda.",
                  "Tomas Vidal, a farmer, said the river had risen."])
    assert keys(who(found, 1, "Elena Ruiz")) == ["p:ruiz", "b:chile/foreign ministry", "g:chile"]
    assert keys(who(found, 2, "Tomas Vidal")) == ["p:vidal"]


def test_two_countries_before_a_leader_do_not_place_him_by_their_order():
    found = read(["Chile and Peru traded accusations on Friday, with President Elena Ruiz blaming the rebels "
                  "and President Tomas Vidal calling it an accident.",
                  "Vidal spoke to reporters in the Kremlin."])
    assert "g:chile" not in keys(who(found, 0, "President Tomas Vidal"))
    # where a leader speaks in the article tells whose he is
    assert keys(who(found, 0, "President Tomas Vidal"))[-1] == "g:russia"


def test_a_named_body_after_a_country_inside_a_longer_name():
    found = read(["Elena Ruiz of the Chilean Prosecution Authority said the sites had been documented."])
    assert keys(who(found, 0, "Elena Ruiz of the Chilean Prosecution Authority")) == \
        ["p:ruiz", "b:chile/prosecutor", "g:chile"]


def test_the_office_speaks_when_no_holder_is_named():
    found = read(["Investigators found residue of explosives, the prosecutor in charge said on Friday."], home="Chile")
    assert keys(who(found, 0, "prosecutor")) == ["b:chile/prosecutor", "g:chile"]


def test_unnamed_officials_are_nobodys_position():
    found = read(["The newspaper, citing unnamed Chilean officials, reported that the saboteurs were most likely rebels."])
    assert not [m for m in found[0][1] if m.kind == "anonymous"]


def test_they_who_suspect_are_the_plural_body_that_acted():
    claims = extract(Article(origin="t.txt", title="Warrant issued over dam blast",
                             text="Chilean prosecutors obtained an arrest warrant for a diver they suspect of planting "
                                  "the explosives on the dam."))
    holders = {p.actor.key for p in claims.positions}
    assert "b:chile/prosecutor" in holders


def test_a_relative_named_alone_is_a_person_not_a_country():
    found = read(["Tomas Vidal settled in Lima.", "His wife Marta died in 2012."])
    assert keys(who(found, 1, "Marta")) == ["p:marta"]


def test_a_possessive_pronoun_is_not_who_the_next_he_is():
    found = read(["Elena Ruiz said the claims were rubbish.",
                  "Hours after dismissing his aide, President Tomas Vidal said: \"It was sabotage.\"",
                  "He said he would act."])
    assert keys(who(found, 2, "He"))[0] == "p:vidal"


def test_a_foreign_official_who_acts_sets_the_scene_for_his_colleagues():
    found = read(["Chile's defence minister cautioned that the trail could be false.",
                  "Defence Minister Elena Ruiz urged against blaming anyone.",
                  "Foreign Minister Tomas Vidal said the government would wait."], home="Peru")
    assert keys(who(found, 1, "Defence Minister Elena Ruiz"))[-1] == "g:chile"
    assert keys(who(found, 2, "Foreign Minister Tomas Vidal"))[-1] == "g:chile"


def test_the_office_with_its_country_is_the_leader_who_just_spoke():
    found = read(["Tomas Vidal said on Wednesday that the two men were tourists.",
                  "\"We know who they are,\" the Chilean president said.",
                  "\"We know what they did,\" the Peruvian foreign minister said."])
    assert keys(who(found, 1, "Chilean president")) == ["p:vidal", "b:chile/government", "g:chile"]
    # a minister is one of many: not whoever spoke last
    assert keys(who(found, 2, "Peruvian foreign minister"))[0] != "p:vidal"


def test_a_name_after_a_possessive_is_a_thing_not_a_country():
    found = read(["The minister asked what had happened to its Vorlak stocks."])
    assert not [m for m in found[0][1] if m.kind == "place"]


def test_it_after_a_name_no_rule_reads_is_not_the_body_before():
    from monitor.claims import extract
    from monitor.records import Article
    text = ("Norway's transport ministry said on Monday that the bridge had been inspected in May.\n\n"
            "Valcor, which built the deck, said it could not confirm that the welds had failed.")
    found = extract(Article(origin="t.txt", text=text)).positions
    assert not [p for p in found if "transport" in p.actor.key and "welds" in p.sentence], found


def test_a_person_in_an_appositive_unit_of_a_body_speaks_for_that_body():
    book = actors.Book()
    text = "Ivan Ostrov, chairman of the Chilean parliament's security committee, said the envoy was alive."
    person = [m for m in actors.mentions(text, book) if m.actor.key == "p:ostrov"]
    assert person and person[0].actor.levels[-1][1] == "Chile", person
