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


def test_the_characters_that_fold_to_ascii_letters_are_all_listed():
    """numbers.find reads a text in ASCII lower case unless it holds one of these."""
    from monitor.claims import numbers

    folding = {chr(i) for i in range(128, 0x110000)
               if chr(i).lower() != chr(i).upper() and re.fullmatch("(?i)[a-z]", chr(i))}
    assert folding == set("\u0130\u0131\u017f\u212a")
    assert all(numbers.FOLDS_TO_ASCII.search(c) for c in folding)


NUMBERISH = st.lists(st.sampled_from(["At least", "about", "TWO", "Hundred", "thousand", "3,000", "1.2", "million",
                                      "%", "per cent", "US$", "€", "dozens", "of", "troops", "Kessaly", "ſeven", "—",
                                      "to", "-", "18,000", "nearly", "Fifty-two", "ONE", "“", "”", " ", ",", "."]),
                     max_size=14).map(" ".join)


@given(NUMBERISH)
def test_quantities_read_in_lower_case_are_those_read_case_insensitively(text):
    from monitor.claims import numbers

    fast = numbers.find(text)
    old = numbers.FOLDS_TO_ASCII
    try:
        numbers.FOLDS_TO_ASCII = re.compile("")          # every text takes the case-insensitive path
        assert numbers.find(text) == fast
    finally:
        numbers.FOLDS_TO_ASCII = old


def test_first_letters_of_lexicon_patterns():
    assert lexicon.first_letters("(do|does|did) not (really )?(believe|think)") == {"d"}
    assert lexicon.first_letters("(still )?hope (of|to|that)") == {"s", "h"}
    assert lexicon.first_letters("apologi[sz](e|ed)") == {"a"}
    assert lexicon.first_letters("[Tt]he (offer|request)") == {"t"}
    assert lexicon.first_letters("(?<!x)ab") is None            # a lookaround: no letter to tell


SENTENCE = st.lists(st.sampled_from(["the", "Kremlin", "did", "not", "confirm", "believe", "highly", "likely",
                                      "said", "no-one", "will", "send", "troops", "re-confirmed", ",", "ruled",
                                      "out", "possible", "that", "we", "hope", "to"]), max_size=14).map(" ".join)


@given(SENTENCE)
def test_cue_buckets_find_the_sentences_the_whole_alternation_finds(sentence):
    import importlib
    cues = importlib.import_module("monitor.claims.cues")
    lowered = sentence.lower()
    assert cues._has_cue(lowered) == (cues._any_cue().search(lowered) is not None)
