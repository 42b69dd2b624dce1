"""Time grows linearly with the input, whatever its shape (issue 12, finding 2).

One feed item used to stall the monitor: a 100 kB word before a "?" cost 42 s of sentence
splitting, a 1.3 MB sentence 15 s of actor finding, and a line of twenty Markdown links
hours of backtracking. Each test times a stage on a hostile text of size n and of size
K*n (CPU time, so that other processes on the machine count for little) and asserts the
RATIO, never an absolute time: linear work gives about K, quadratic K*K.
"""
from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.claims import extract
from monitor.clean import clean
from monitor.records import Article, Document

K = 4
# Linear work gives K = 4 (a little less when the fixed cost shows); quadratic gives 16.
# 8 leaves room for a noisy machine and still fails every quadratic stage we had.
MAX_RATIO = 8
# A run shorter than this is mostly start-up and noise: it counts as this long, so tiny
# inputs cannot make the ratio flake (and cannot hide a quadratic: see the sizes below).
FLOOR_SECONDS = 0.02
# The fast sizes: the quadratic stages took 0.2 s to 18 s at 4 x 5,000 characters.
FAST_N = 6_000
# Up to the 5 MB page cap (monitor/fetch: a page is cut at 5 MB).
SLOW_N = 1_250_000


def _rep(unit: str, n: int) -> str:
    return (unit * (n // len(unit) + 1))[:n]


# The claim stage's hostile shapes; `w` is a word Hypothesis picks, so the property holds
# whatever the repeated word is.
CLAIM_SHAPES = {
    "giant word before a period": lambda n, w: "The minister said. " + w[0].upper() + "a" * n + ". Then he left.",
    "giant word before a question mark": lambda n, w: "The minister said. " + "A" * n + "? Then he left.",
    "one giant sentence": lambda n, w: "Officials said " + _rep(f"the ministry counted 12 {w} and the agency said more ", n) + ".",
    "many short sentences": lambda n, w: _rep(f"The agency said 40 {w} died. ", n),
    "many capitalised words": lambda n, w: "Reporters said " + _rep(f"Alpha {w.title()} Charlie Delta ", n) + ".",
    "many numbers": lambda n, w: "Officials counted " + _rep(f"12, 340 and 5.6 million {w} ", n) + "people.",
    "many repeated actor names": lambda n, w: _rep("Defense Secretary Lloyd Austin said the Health Ministry of "
                                                   f"Ruritania counted 30 {w}, ", n) + ".",
    "many abbreviations": lambda n, w: "The minister said " + _rep("Dr. ", n) + f"Then {w} left.",
    "many dots": lambda n, w: f"He said {w}" + "." * n + " Then.",
    "nested quotes": lambda n, w: _rep(f'“He said. "{w} ‘said. ', n),
    "many pronouns": lambda n, w: "Lloyd Austin said " + _rep(f"he and it and she {w} ", n) + ".",
}

# The cleaner's, as a text file: the format is read from the content.
CLEAN_SHAPES = {
    "spaces in a header line": lambda n, w: f"Title: {w}" + " " * n + "x\n\nThe minister said 12 died.",
    "a line of Markdown links": lambda n, w: "# Title\n\nThe minister said 12 died in the city today and more were "
                                             "hurt.\n\n" + _rep(f"[{w}](b)  ", n) + "x\n",
    "giant word": lambda n, w: "The minister said. " + "A" * n + "? Then he left.",
    "paragraphs left open": lambda n, w: "The minister said 12 died.\n\n" + _rep(f"one two three four {w}\n\n", n),
}

WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8)


def _claims(text: str) -> None:
    extract(Article(origin="hostile.txt", text=text), {})


def _clean(text: str) -> None:
    clean(Document(origin="hostile.txt", body=text.encode()))


def _seconds(stage, text: str) -> float:
    started = time.process_time()
    stage(text)
    return max(time.process_time() - started, FLOOR_SECONDS)


def _ratio(stage, shape, n: int, word: str) -> float:
    stage(shape(n // 10, word))             # warm up: lexicons, compiled patterns, imports
    return _seconds(stage, shape(K * n, word)) / _seconds(stage, shape(n, word))


@pytest.mark.parametrize("name", CLAIM_SHAPES)
@settings(max_examples=2)
@given(word=WORDS)
def test_claim_stage_time_grows_linearly(name, word):
    ratio = _ratio(_claims, CLAIM_SHAPES[name], FAST_N, word)
    assert ratio < MAX_RATIO, f"{name}: {K}x the input took {ratio:.1f}x the time"


@pytest.mark.parametrize("name", CLEAN_SHAPES)
@settings(max_examples=2)
@given(word=WORDS)
def test_cleaner_time_grows_linearly(name, word):
    ratio = _ratio(_clean, CLEAN_SHAPES[name], FAST_N, word)
    assert ratio < MAX_RATIO, f"{name}: {K}x the input took {ratio:.1f}x the time"


@pytest.mark.slow
@pytest.mark.parametrize("name", CLAIM_SHAPES)
@settings(max_examples=1)
@given(word=WORDS)
def test_claim_stage_time_grows_linearly_up_to_the_page_cap(name, word):
    ratio = _ratio(_claims, CLAIM_SHAPES[name], SLOW_N, word)
    assert ratio < MAX_RATIO, f"{name}: {K}x the input took {ratio:.1f}x the time"


@pytest.mark.slow
@pytest.mark.parametrize("name", CLEAN_SHAPES)
@settings(max_examples=1)
@given(word=WORDS)
def test_cleaner_time_grows_linearly_up_to_the_page_cap(name, word):
    ratio = _ratio(_clean, CLEAN_SHAPES[name], SLOW_N, word)
    assert ratio < MAX_RATIO, f"{name}: {K}x the input took {ratio:.1f}x the time"


def test_a_giant_sentence_is_cut_and_real_sentences_are_not():
    """The cap cuts only what no corpus article has: a sentence over MAX_SENTENCE characters."""
    from monitor.claims.sentences import MAX_SENTENCE, split
    prose = "The ministry said 12 people died in the floods, " * 50 + "officials said."
    assert len(prose) < MAX_SENTENCE and [s.text for s in split([prose])] == [prose]
    giant = split(["Officials said " + "the toll rose again and " * 100_000 + "then fell."])
    assert len(giant) > 1 and all(len(s.text) <= MAX_SENTENCE for s in giant)


# One giant "sentence" (cut into pieces of MAX_SENTENCE) against the same words as short
# sentences: the figure and place searches that read the text before each number or name
# once cost the piece's length each, 5-7x the short sentences' time; read over a bounded
# window (background.BEFORE_WINDOW) or once per sentence, 1.2-2x.
GIANT_UNITS = {
    "counts": "the ministry counted 12 dead and the agency said more ",
    "repeated actor names": "Defense Secretary Lloyd Austin said the Health Ministry of Ruritania counted 30 deaths, ",
}
MAX_GIANT_RATIO = 3


@pytest.mark.parametrize("name", GIANT_UNITS)
def test_a_giant_sentence_costs_about_what_short_sentences_cost(name):
    unit = GIANT_UNITS[name]
    _claims(_rep(unit, 5_000))                # warm up
    giant = _seconds(_claims, "Officials said " + _rep(unit, 60_000) + ".")
    short = _seconds(_claims, _rep("Officials said " + unit.rstrip(", ") + ". ", 60_000))
    assert giant / short < MAX_GIANT_RATIO, f"{name}: a giant sentence took {giant / short:.1f}x short sentences' time"
