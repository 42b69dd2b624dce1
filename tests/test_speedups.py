"""The speed-ups keep the semantics they replaced: trie alternations match what the flat,
longest-first alternation matched; the phrase index finds what one big pattern found; the
benchmark corpus is made of distinct articles whose marks hold no number."""
from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from bench.ingest import edition
from monitor import lexicon
from monitor.claims.names import Phrases

WORDS = st.lists(st.text(alphabet="abAB .-", min_size=1, max_size=6).filter(str.strip), min_size=1, max_size=8)
TEXT = st.text(alphabet="abAB .-x", max_size=60)


def flat(words) -> str:
    """The alternation as lexicon.alternation wrote it before tries: longest first."""
    ordered = sorted({w for w in words if w}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


@given(WORDS, TEXT)
def test_trie_alternation_matches_the_flat_one(words, text):
    bounded = lambda alt: re.compile(rf"(?<![\w.])(?:{alt})(?![\w-])")
    old = [(m.start(), m.end()) for m in bounded(flat(words)).finditer(text)]
    new = [(m.start(), m.end()) for m in bounded(lexicon.alternation(words)).finditer(text)]
    assert new == old


@given(st.lists(st.text(alphabet="abAB", min_size=1, max_size=5), min_size=1, max_size=8), TEXT)
def test_phrase_index_finds_what_one_pattern_found(words, text):
    pattern = re.compile(rf"(?<![\w.])(?:{flat(words)})(?![\w-])")
    index = Phrases()
    index.add(set(words))
    assert [(m.start(), m.end()) for m in index.finditer(text)] == \
        [(m.start(), m.end()) for m in pattern.finditer(text)]


def test_phrase_index_under_a_parent_sees_both():
    parent = Phrases()
    parent.add(["Norland"])
    child = Phrases(parent)
    child.add(["Norland Republic"])
    assert [m.group() for m in child.finditer("The Norland Republic and Norland.")] == ["Norland Republic", "Norland"]


def test_benchmark_marks_are_distinct_words_without_digits():
    marks = [edition(n) for n in range(20_000)]
    assert len(set(marks)) == len(marks)
    assert all(m.isalpha() for m in marks)
