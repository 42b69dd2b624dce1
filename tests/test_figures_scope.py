"""Numbers that count nothing a figure alert is about (issue 14 classes 4 and 6, taken with
issue 13 so that figures stay no worse than their baseline): a day of a month, the size of a
sample, an increment. Every sentence is made up for the test."""
from __future__ import annotations

import pytest

from monitor.claims import extract
from monitor.records import Article


def figures(sentence: str) -> set[tuple[str, float]]:
    found = extract(Article(origin="hand-written.txt", text=sentence, published="2025-03-02")).figures
    return {(f.cls, f.value) for f in found}


@pytest.mark.parametrize("sentence, absent, present", [
    ("The March 14 landslide killed more than 300 people.", 14, 300),
    ("A sample of nearly 4,000 ballots turned up a net gain of just nine votes for Vance.", 4000, None),
    ("A sample of nearly 4,000 ballots turned up a net gain of just nine votes for Vance.", 9, None),
    ("Rescuers found 18 more bodies on Tuesday, raising the toll to 120.", 18, 120),
    ("The recount trimmed her lead by about 200 votes.", 200, None),
    # increments (class 4) and rates and other years' events (class 6)
    ("Officials added six deaths to the 10 already on the books.", 6, None),
    ("The latest count added 45 deaths and 144 injuries, bringing the toll to 300.", 144, 300),
    ("The two most recent deaths were caused by an infection.", 2, None),
    ("The island averaged 82 deaths a day before the storm.", 82, None),
    ("Researchers estimated 14.3 deaths per 1,000 people.", 14.3, None),
    ("For comparison, more than 1,700 people were killed in the floods of 2010.", 1700, None),
])
def test_dates_samples_and_increments_are_no_figures(sentence, absent, present):
    values = {value for _, value in figures(sentence)}
    assert absent not in values
    if present is not None:
        assert present in values


def scoped(sentence: str) -> set[tuple[str, float, str | None, str | None]]:
    found = extract(Article(origin="hand-written.txt", text=sentence, published="2025-03-02")).figures
    return {(f.cls, f.value, f.place, f.population) for f in found}


@pytest.mark.parametrize("sentence, expected", [
    # a nationality among the victims is a group of its own (issue 14 class 2)
    ("Officials said 72 German passengers were on the jet.", ("passengers", 72, None, "Germany")),
    ("The minister said 44 Malaysians were killed.", ("deaths", 44, None, "Malaysia")),
    ("Five Spaniards were among the dead, the ministry said.", ("deaths", 5, None, "Spain")),
    # a place after "in" is where the counted are (class 1)
    ("The flood killed 1,200 people in Pakistan, officials said.", ("deaths", 1200, "Pakistan", None)),
    # a region no lexicon lists, where the counted were, is a scope of its own (class 1)
    ("State media said 17 people had been killed in the Velmar region.", ("deaths", 17, "Velmar", None)),
    ("Police said 20 people had died in Charikot, the main town.", ("deaths", 20, "Charikot", None)),
])
def test_a_group_among_the_victims_is_no_place(sentence, expected):
    assert expected in scoped(sentence)


def test_a_total_with_no_place_never_takes_a_groups_nationality(tmp_path):
    from monitor.pipeline import ingest_paths
    from monitor.store import Store
    folder = tmp_path / "story"
    folder.mkdir()
    (folder / "1.txt").write_text("Airliner crashes in the mountains\n\nThe airline said 72 German passengers "
                                  "were among the 150 people on board the jet that crashed in the mountains.\n")
    (folder / "2.txt").write_text("Crash toll confirmed\n\nThe airline said on Thursday that all 150 people on "
                                  "board the jet that crashed in the mountains had died.\n")
    store = Store(tmp_path / "s.db")
    try:
        for path in sorted(folder.iterdir()):
            ingest_paths(store, [path])       # (a pathlib.Path is a path too)
        labels = {row["label"] for row in store.db.query("select label from subjects")}
    finally:
        store.close()
    assert "passengers among nationals of Germany" in labels
    assert not any("(Germany)" in label for label in labels)


def test_delegates_are_a_measure_of_their_own():
    found = extract(Article(origin="hand-written.txt", published="2025-03-02",
                            text="With every precinct in, Dana Kell had 564.012 state delegate equivalents.")).figures
    assert {(f.cls, f.value, f.who) for f in found} == {("delegates", 564.012, "Dana Kell")}


def test_others_after_a_casualty_verb_are_counted():
    found = extract(Article(origin="hand-written.txt", published="2025-03-02",
                            text="The quake killed 820 people and injured 672 others, the ministry said.")).figures
    assert {(f.cls, f.value) for f in found} == {("deaths", 820), ("injured", 672)}


@pytest.mark.parametrize("sentence, value", [
    ("The kingdom has not updated its official count of 769 dead since September.", 769),
    ("The decision comes a month after police gave a final death toll of 71.", 71),
])
def test_a_count_restated_as_unmoved_or_dated_before_is_past(sentence, value):
    found = extract(Article(origin="hand-written.txt", text=sentence, published="2025-03-02")).figures
    assert [f.past for f in found if f.value == value] == [True]


def test_the_news_dated_by_the_event_is_not_past():
    found = extract(Article(origin="hand-written.txt", published="2025-03-02",
                            text="One week after the quake, police put the number of dead at 6,624.")).figures
    assert [(f.value, f.past) for f in found] == [(6624, False)]


def test_other_victims_and_families_are_no_toll():
    values = {value for _, value in figures("He took 149 other people with him to their deaths, the chief said.")}
    assert 149 not in values
    values = {value for _, value in figures("Eighty-three of the dead have been identified and the families of 80 notified.")}
    assert 80 not in values


def test_a_parts_whole_restated_is_no_new_figure():
    values = {value for _, value in figures("Only 172 of the 476 aboard were rescued, officials said.")}
    assert 476 not in values
    values = {value for _, value in figures("Kell will take 14 of the state's 41 national delegates.")}
    assert 41 not in values
