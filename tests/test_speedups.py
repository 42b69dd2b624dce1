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


def test_lower_case_beyond_ascii_reads_as_ascii_lower_case():
    """numbers.find lowers a text with str.lower() unless it holds FOLDS_TO_ASCII: every other
    character it changes becomes one cased character beyond ASCII of the same classes, so a
    lowered pattern (cased characters all ASCII) matches it where it matched the translation."""
    from monitor.claims import numbers

    for i in range(128, 0x110000):
        c = chr(i)
        low = c.lower()
        if low == c or numbers.FOLDS_TO_ASCII.search(c):
            continue
        assert len(low) == 1 and not low.isascii() and low.upper() != low, hex(i)
        for cls in (r"\w", r"\d", r"\s"):
            assert bool(re.match(cls, c)) == bool(re.match(cls, low)), (hex(i), cls)


SPACED = st.lists(st.sampled_from(["at least", "about", "two", "hundred", "3,000", "1.2", "million", "%", "us$", "€",
                                   "dozens", "of", "troops", "kessaly", "one", "often", "someone", "—", "to", "-",
                                   "18,000", "nearly", "fifty-two", "“", "”", " ", "  ", "\n", ",", ".", "x1", "a"]),
                  max_size=14).map("".join)


@given(SPACED, st.integers(min_value=0, max_value=12))
def test_quantity_search_from_its_lead_finds_what_a_search_finds(text, pos):
    """numbers._leftmost tries the quantity pattern only where its lead (or the space before)
    is: the match is the pattern's own search's, from any position."""
    from monitor.claims import numbers

    patterns = numbers._patterns()
    lower, lead = patterns["quantity_lower"], patterns["lead_lower"]
    expected = lower.search(text, pos)
    found = numbers._leftmost(lower, lead, text, pos)
    assert (found and found.span()) == (expected and expected.span())


@given(st.lists(st.text(alphabet="ab -", min_size=1, max_size=6).filter(str.strip), min_size=1, max_size=8),
       st.text(alphabet="ab -x", max_size=40))
def test_trie_with_single_spaces_matches_the_flat_one(words, text):
    flat_single = "|".join(re.escape(w).replace(r"\ ", " ") for w in sorted(set(words), key=len, reverse=True))
    old = [(m.start(), m.end()) for m in re.finditer(rf"(?<![\w.])(?:{flat_single})(?![\w-])", text)]
    new = [(m.start(), m.end()) for m in re.finditer(rf"(?<![\w.])(?:{lexicon.alternation(words, space=' ')})(?![\w-])", text)]
    assert new == old


@given(st.text(alphabet="aAbB1 ’'-_.é", max_size=30))
def test_capital_after_no_word_character_is_a_word_start(text):
    """claims.PROPER writes \\b[A-Z] as [A-Z](?<!\\w[A-Z]): the same matches."""
    from monitor.claims import PROPER

    old = re.compile(r"\b[A-Z][\w’'-]*[A-Za-z0-9]")
    assert [m.span() for m in PROPER.finditer(text)] == [m.span() for m in old.finditer(text)]


LOWER_WORDS = st.lists(st.text(alphabet="abAé -", min_size=1, max_size=5).filter(lambda w: w.strip() and w[0].isalpha()),
                       min_size=1, max_size=6)


@given(LOWER_WORDS, LOWER_WORDS, LOWER_WORDS, st.text(alphabet="abABé .-x", max_size=40), st.integers(0, 6))
def test_shared_lead_places_give_each_pattern_its_own_matches(first, second, third, text, pos):
    """Lowered word lists built as names.py builds them, their leads searched for in one pass
    (prefilter._Shared): each finds what its whole pattern finds, from any position."""
    from monitor.claims import prefilter

    saved = prefilter._SHARED
    prefilter._SHARED = prefilter._Shared()
    try:
        lists = []
        for words in (first, second, third):
            trie = lexicon.alternation(words)
            whole = re.compile(rf"(?<![\w.])(?:{trie})(?![\w-])", re.I)
            lists.append(prefilter.Prefiltered(whole, prefilter._lower_lead(rf"[^\w.](?:{trie})"), shifted=True, lowered=True))
        for p in lists:
            assert p.shared is prefilter._SHARED
            assert [m.span() for m in p.finditer(text, pos)] == [m.span() for m in p.whole.finditer(text, pos)]
            assert [m.span() for m in p.finditer(text, 0, 9)] == [m.span() for m in p.whole.finditer(text, 0, 9)]
    finally:
        prefilter._SHARED = saved


@given(SENTENCE)
def test_cue_hits_found_word_by_word_are_the_fast_patterns_matches(sentence):
    import importlib
    cues = importlib.import_module("monitor.claims.cues")
    lowered = cues._lowered(sentence)
    assert [[m.span() for m in found] for found in cues._fast_hits(lowered)] == \
        [[m.span() for m in fast.finditer(lowered)] for _, _, fast, _ in cues._cues()]


COURSE_TEXT = st.lists(st.sampled_from(["The", "board", "voted", "to", "abandon", "its", "hand", "COUNT", "Recount",
                                        "aid", "Aid", "workers", "ruled", "it", "out", "would", "go", "on", "such",
                                        "measures", "Sanctions", "weigh", "imports", "from", "abroad", "ſanctions",
                                        "re-count", "-", ",", ".", "“", "will", "not", "resign", "resigned", "help"]),
                       max_size=14).map(" ".join)


def _course_patterns():
    from monitor.claims import courses

    return [courses._any_noun(), courses._predicates(), courses._anaphors(), courses.ANY_MODAL] + \
        [pattern for _, pattern in courses._governors()]


@given(COURSE_TEXT, st.integers(0, 20))
def test_word_list_patterns_searched_by_their_lead_find_the_patterns_matches(text, pos):
    """prefilter.words_pattern (and ANY_MODAL): the lowered lead after one character, the
    required literals first, then the pattern itself; its matches are the pattern's own."""
    for p in _course_patterns():
        spans = lambda found: [(m.span(), m.lastgroup, m.group()) for m in found]
        assert spans(p.finditer(text, pos)) == spans(p.whole.finditer(text, pos))
        assert spans(p.finditer(text, 0, 12)) == spans(p.whole.finditer(text, 0, 12))


@given(COURSE_TEXT)
def test_every_match_holds_one_of_the_required_literals(text):
    """In a text that can be lowered (no character that folds to an ASCII letter, which the
    search then reads plainly)."""
    from monitor.claims import prefilter

    if prefilter._lowered(text) is None:
        return
    for p in _course_patterns():
        literals = lexicon.required_literals(p.pattern)
        for m in p.whole.finditer(text) if literals else ():
            assert any(w in m.group().lower() for w in literals), (p.pattern[:60], m.group())


def test_required_literals_of_a_pattern():
    assert lexicon.required_literals(r"abc(def)?") == ["abc"]
    assert lexicon.required_literals(r"x(abc|defg)+y") == ["abc", "defg"]
    assert lexicon.required_literals(r"(?<![\w-])(?:a|bcd)") is None      # "a" is no useful literal
    assert lexicon.required_literals(r"(hand )?counts?|tall(y|ies)") == ["count", "tall"]
    assert lexicon.required_literals(r"(re)?count|[a-z]+") is None          # a branch that requires nothing


@given(st.text(alphabet="aAbBÉéǅ×1,.'’- \t\n“(ſİ5_ßΔ", max_size=30))
def test_capitalised_tokens_are_the_tokens_that_start_with_a_capital(text):
    from monitor.claims.names import TOKEN, Tokens, capitalised

    tokens = [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text)]
    assert capitalised(text) == [t for t in tokens if t[2][0].isupper() and len(t[2]) > 1]
    assert list(Tokens(text)) == tokens


COMPANY_TEXT = st.lists(st.sampled_from(["clothing", "group", "brands", "such as", "including", "Norco", "Valcor", "and",
                                         ",", "the", "retailer", "'s", "’s", "suppliers", "Inc", "said", "Valcors",
                                         "xValcor", "of", "big", "chief executive", "Valcor,"]),
                        max_size=12).map(" ".join)


@given(COMPANY_TEXT, st.sampled_from(["Valcor", "Val.cor", "Norco"]))
def test_company_marks_read_around_the_name_are_the_names_pattern(text, word):
    """names._marked_at reads around each place the name is written what one pattern per name found."""
    from monitor.claims import names

    nouns, parts = names._company_words()
    name = re.escape(word)
    old = re.compile(rf"\b(?:{nouns})\s+(?:(?:such as|including|like)\s+(?:[A-Z][\w&’'-]*(?:,\s+|\s+and\s+))*)?{name}\b"
                     rf"|\b{name}(?:['’]s)?\s+(?:{parts})\b|\b{name},\s+(?:the|a|an)\s+(?:[\w-]+\s+){{0,3}}(?:{nouns})\b")
    new = any(names._marked_at(text, at, word) for at in names._occurrences(text, word))
    assert new == (old.search(text) is not None)
    assert (names._company_marks().search(text) is None) == (re.search(rf"\b(?:{nouns}|{parts})\b", text) is None)


@given(st.lists(st.sampled_from(["the", "toll", "rose", "ROSE", "to", "at", "is", "wasn't", "of", "roses", "stood",
                                 "paſſed", "surpassed", "now", " ", "\n", ",", "x"]), max_size=10).map(" ".join))
def test_toll_lead_is_read_only_after_its_word(text):
    import importlib
    figures = importlib.import_module("monitor.claims.figures")
    if figures._toll_lead().search(text):
        assert figures._may_end_a_toll(text)


@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 12)), max_size=6),
       st.text(alphabet="Ab Cd’s-Xy.", max_size=40))
def test_proper_words_skip_the_words_inside_any_mention(spans, text):
    from types import SimpleNamespace

    from monitor.claims import PROPER, actors, proper_words
    from monitor.claims.titles import OPENERS

    found = [SimpleNamespace(start=a, end=a + n) for a, n in spans]
    taken = [(m.start, m.end) for m in found]
    common = actors.not_names_lower()
    # (a word after nothing but opening marks starts its sentence: '"Having ...', '-AAA')
    old = ["w:" + w for m in PROPER.finditer(text) if text[:m.start()].strip(OPENERS)
           and not any(a <= m.start() < b for a, b in taken)
           for w in [m.group().rstrip("’'s").lower()] if len(w) > 2 and w not in common]
    assert proper_words(text, found) == old


def test_dynamic_matches_are_the_phrase_index_matches_kept():
    from monitor.claims.names import Book, _dynamic, dynamic_matches
    from monitor.records import Directory

    book = Book(known=Directory({}))
    book.places["Norland"] = "Norland"
    text = "Norland and the Norland Republic."
    first = dynamic_matches(book, text)
    assert [m.span() for m in first] == [m.span() for m in _dynamic(book).finditer(text)]
    book.places["Norland Republic"] = "Norland Republic"     # learned later: read again
    assert [m.group() for m in dynamic_matches(book, text)] == ["Norland", "Norland Republic"]
    assert dynamic_matches(book, text) is dynamic_matches(book, text)


@given(st.lists(st.text(alphabet="abAB", min_size=1, max_size=5), min_size=1, max_size=8),
       st.text(alphabet="abAB .-x", max_size=60), st.integers(0, 20), st.integers(0, 60))
def test_phrase_index_from_a_position_finds_what_one_pattern_found(words, text, pos, endpos):
    """Only the words that start with a phrase's first character are read, from any position."""
    pattern = re.compile(rf"(?<![\w.])(?:{flat(words)})(?![\w-])")
    parent = Phrases()
    parent.add(set(words[::2]))
    index = Phrases(parent)
    index.add(set(words[1::2]))
    assert [(m.start(), m.end()) for m in index.finditer(text, pos, endpos)] == \
        [(m.start(), m.end()) for m in pattern.finditer(text, pos, endpos)]


def test_canonical_spelling_is_the_first_key_so_spelt():
    from monitor.claims.names import _canon, _tables

    for table in ("generic", "titles"):
        for key in list(_tables()[table])[:400]:
            for word in (key, key.upper(), key.title(), key + "x"):
                assert _canon(word, table) == next((k for k in _tables()[table] if k.lower() == word.lower()), word)
