"""Numbers as news writes them: monitor.claims.numbers.find / parse / multiplied / format_number."""
from __future__ import annotations

import pytest
from hypothesis import example, given, strategies as st

from monitor.claims.numbers import find, format_number, multiplied, parse


def only(text: str):
    """The one quantity in `text`."""
    found = find(text)
    assert len(found) == 1, f"{text!r}: expected one quantity, got {found}"
    return found[0]


# ---- qualifiers and bounds -------------------------------------------------------------------

def test_at_least_is_a_lower_bound():
    q = only("at least 3,000")
    assert (q.value, q.low, q.high, q.qualifier) == (3000, 3000, None, "at least")


def test_quoted_at_least_still_qualifies():
    q = only("Kirby revealed that “at least” 3,000 North Korean soldiers had been moved")
    assert (q.value, q.low) == (3000, 3000)


def test_close_to_is_an_upper_bound():
    q = only("close to 11,000")
    assert (q.value, q.low, q.high, q.qualifier) == (11000, None, 11000, "close to")


def test_up_to_is_an_upper_bound():
    q = only("up to 800 troops")
    assert (q.value, q.high) == (800, 800)


def test_more_than_is_a_lower_bound():
    q = only("more than 10,000 containers")
    assert (q.value, q.low) == (10000, 10000)


def test_about_gives_no_bound():
    q = only("about 1,500")
    assert (q.value, q.low, q.high) == (1500, None, None)


def test_bare_number_has_no_qualifier():
    q = only("1,500 soldiers")
    assert (q.value, q.low, q.high, q.qualifier) == (1500, None, None, None)


# ---- scales, ranges, words -------------------------------------------------------------------

def test_decimal_with_scale_word():
    assert only("1.2 million").value == 1_200_000


def test_hyphen_range():
    q = only("18,000-20,000")
    assert (q.low, q.high) == (18000, 20000)
    assert q.low <= q.value <= q.high


def test_to_range():
    q = only("18,000 to 20,000 people")
    assert (q.low, q.high) == (18000, 20000)


def test_from_to_is_a_change_not_a_range():
    assert [q.value for q in find("rose from 1,500 to 2,000")] == [1500, 2000]


def test_between_and_is_a_range():
    q = only("between 5 and 9 villages")
    assert (q.low, q.high) == (5, 9)


def test_multiplied_brigades():
    phrase = "two brigades of 6,000 people each"
    value, length = multiplied(phrase)
    assert value == 12000
    assert length == len(phrase)


def test_multiplied_without_noun():
    assert multiplied("two brigades of 6,000 each")[0] == 12000


def test_multiplied_needs_each():
    assert multiplied("two brigades of 6,000 people") is None


def test_hundreds_is_vague():
    q = only("hundreds of combat troops")
    assert q.vague
    assert 100 <= q.low < q.high <= 999


def test_a_couple_thousand_is_vague():
    q = only("a couple thousand soldiers")
    assert q.vague
    assert q.low == 2000


def test_thousands_does_not_contain_1500_as_a_point():
    q = only("thousands of troops")
    assert q.vague and q.low >= 1000 and q.high < 10_000


# ---- units that are not counts ---------------------------------------------------------------

def test_percent():
    q = only("52.3%")
    assert q.percent and q.value == 52.3


def test_per_cent_in_words():
    q = only("12.5 per cent")
    assert q.percent and q.value == 12.5


def test_dollars():
    q = only("$60 billion")
    assert q.currency == "USD"
    assert q.value == 60_000_000_000


def test_euros():
    q = only("€2 million")
    assert q.currency == "EUR" and q.value == 2_000_000


@pytest.mark.parametrize("text", ["0:00", "at 10:30 a.m.", "an A320", "flight MH17", "24/7"])
def test_clock_times_and_codes_are_not_numbers(text):
    assert find(text) == []


def test_spans_point_at_the_words():
    text = "officials said close to 11,000 troops"
    q = only(text)
    assert text[q.start:q.end] == "close to 11,000" == q.text


# ---- parse -----------------------------------------------------------------------------------

@pytest.mark.parametrize("phrase, value", [
    ("1,500", 1500), ("1.2 million", 1_200_000), ("3 million", 3_000_000), ("two thousand", 2000),
    ("seventy-five", 75), ("one hundred and five", 105), ("a couple", 2), ("12.5", 12.5), ("0", 0),
    ("1,000,000", 1_000_000),
])
def test_parse(phrase, value):
    assert parse(phrase) == value


@pytest.mark.parametrize("phrase", ["soldiers", "1,500 soldiers", ""])
def test_parse_refuses_what_is_not_a_number(phrase):
    assert parse(phrase) is None


# ---- format_number ---------------------------------------------------------------------------

@pytest.mark.parametrize("value, text", [(0, "0"), (1500, "1,500"), (12.5, "12.5"), (3_000_000, "3 million"),
                                         (1_200_000, "1.2 million"), (0.25, "0.25")])
def test_format_number(value, text):
    assert format_number(value) == text


@given(st.integers(min_value=0, max_value=10**12))
@example(4_100_000)
@example(999_999_900_000)
@example(10**12)
def test_format_then_parse_round_trips_integers(x):
    assert parse(format_number(x)) == x


@given(st.integers(min_value=0, max_value=10**11).map(lambda cents: cents / 100))
@example(0.01)
@example(1234.5)
@example(999_999.99)
def test_format_then_parse_round_trips_two_decimal_floats(x):
    assert parse(format_number(x)) == x


@given(st.text())
def test_find_never_raises(text):
    for q in find(text):
        assert 0 <= q.start < q.end <= len(text)


NUMBER_SOUP = list("0123456789,.-–%$€:/ “”") + ["at least ", "close to ", "million ", "hundreds of ", "two ",
                                                   "to ", "between ", "and ", "brigades of ", "each ", "per cent"]


@given(st.lists(st.sampled_from(NUMBER_SOUP), max_size=40).map("".join))
def test_find_never_raises_on_number_soup(text):
    for q in find(text):
        assert 0 <= q.start < q.end <= len(text)
