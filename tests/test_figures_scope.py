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
])
def test_dates_samples_and_increments_are_no_figures(sentence, absent, present):
    values = {value for _, value in figures(sentence)}
    assert absent not in values
    if present is not None:
        assert present in values
