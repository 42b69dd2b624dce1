"""Load the lexicons: TOML data files reviewed like code (monitor/lexicons/*.toml).

Code never holds words of the genre; it asks this module for them. Each file is read
once per process.
"""
from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=None)
def load(name: str) -> dict:
    """The parsed lexicon `name` (without .toml)."""
    data = resources.files("monitor.lexicons").joinpath(f"{name}.toml").read_bytes()
    return tomllib.loads(data.decode("utf-8"))


@lru_cache(maxsize=None)
def patterns(name: str, key: str) -> tuple[re.Pattern, ...]:
    """The regular expressions listed under `key`, compiled case-insensitively."""
    return tuple(re.compile(p, re.I) for p in load(name)[key])


def alternation(words, space: str = r"\s+") -> str:
    """A regex alternation of phrases, spaces matching any white space, written as a trie
    ("minist(?:er|ry)" for "minister|ministry") so that the regex engine tests each shared
    prefix once: a flat list of 300 titles cost a test per title at every word of every
    sentence. It matches what the flat list, longest first, matched: every phrase is tried
    before its own prefixes, and phrases that are not prefixes of one another cannot match
    at the same place. `space`: what a space of a phrase matches (" ": one space, as the
    phrases written as a regular expression match it)."""
    trie: dict = {}
    for word in {w for w in words if w}:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_regex(trie, space)


def _trie_regex(node: dict, space: str = r"\s+") -> str:
    branches = [(space if c == " " else re.escape(c)) + _trie_regex(child, space) for c, child in sorted(node.items()) if c]
    ends = "" in node
    if not branches:
        return ""
    if len(branches) == 1 and not ends:
        return branches[0]
    body = "|".join(branches) + ("|" if ends else "")     # the end of a phrase is tried last
    return f"(?:{body})"


def alternation_regex(patterns) -> str:
    """A regex alternation of patterns that are already regular expressions."""
    return "|".join(f"(?:{p})" for p in patterns)


# Lower case for A-Z only: the same length as the text, so match positions carry over. The
# claim stage searches long alternations in a text lowered so, without IGNORECASE, which
# Python's regex engine runs several times slower, and confirms each hit on the text itself.
ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def lowered_pattern(source: str) -> re.Pattern:
    """`source` with its ASCII letters in lower case (escapes and group names kept), compiled
    without IGNORECASE: on a text lowered by ASCII_LOWER it matches where `source` with
    IGNORECASE matches the text itself, as long as its cased characters are all ASCII (and
    the text holds none of the few that fold to ASCII letters: numbers.FOLDS_TO_ASCII)."""
    if any(not c.isascii() and c.lower() != c.upper() for c in source):
        raise ValueError("a pattern holds a cased character beyond ASCII: lower-casing it would change it")
    parts = re.split(r"(\\.|\(\?P<\w+>)", source)       # escapes and group names stay as written
    return re.compile("".join(p if p.startswith(("\\", "(?P<")) else p.translate(ASCII_LOWER) for p in parts))


def first_letters(source: str) -> set[str] | None:
    """The lower-case letters a match of the lexicon pattern `source` can start with (a
    superset), or None when its start is not a plain letter, a character class of letters, an
    optional one of them, or a group of such alternatives. It lets a long alternation of cues
    be tried only at the words that begin with one of its letters."""
    alternatives = _top_level(source)
    if len(alternatives) > 1:
        found: set[str] = set()
        for alternative in alternatives:
            letters = first_letters(alternative)
            if letters is None:
                return None
            found |= letters
        return found
    head, rest = _head(source)
    if head is None:
        return None
    letters = None
    if head.startswith("("):
        if head[1:2] == "?":
            return None                   # a lookaround or flags: no letter to start on
        letters = first_letters(head[1:-1])
    elif head.startswith("["):
        body = head[1:-1]
        if body.startswith("^") or "\\" in body:
            return None
        letters = {c.lower() for c in _class_chars(body) if c.isalpha()}
    elif head.isalpha():
        letters = {head.lower()}
    if letters is None:
        return None
    if rest[:1] in ("?", "*"):            # optional: the rest may start the match too
        more = first_letters(rest[1:].lstrip("?"))
        return None if more is None else letters | more
    return letters


def _top_level(source: str) -> list[str]:
    """`source` split at its top-level '|'."""
    out, depth, current, i = [], 0, "", 0
    while i < len(source):
        c = source[i]
        if c == "\\":
            current, i = current + source[i:i + 2], i + 2
            continue
        if c == "[":
            end = source.index("]", i + 1)
            current, i = current + source[i:end + 1], end + 1
            continue
        depth += {"(": 1, ")": -1}.get(c, 0)
        if c == "|" and depth == 0:
            out.append(current)
            current = ""
        else:
            current += c
        i += 1
    return out + [current]


def _head(source: str) -> tuple[str | None, str]:
    """The first element of `source` (a letter, a class or a group) and what follows it."""
    if not source or source[0] in "\\.^$":
        return None, source
    if source[0] == "[":
        end = source.index("]", 1)
        return source[:end + 1], source[end + 1:]
    if source[0] == "(":
        depth = 0
        for j, c in enumerate(source):
            if c == "\\":
                continue
            depth += {"(": 1, ")": -1}.get(c, 0)
            if depth == 0:
                return source[:j + 1], source[j + 1:]
        return None, source
    return source[0], source[1:]


def _class_chars(body: str) -> set[str]:
    chars, k = set(), 0
    while k < len(body):
        if k + 2 < len(body) and body[k + 1] == "-":
            chars |= {chr(x) for x in range(ord(body[k]), ord(body[k + 2]) + 1)}
            k += 3
        else:
            chars.add(body[k])
            k += 1
    return chars


# A literal a match must hold is worth searching for first only from this length: a shorter
# one ("a", "to") is in nearly every sentence.
MIN_REQUIRED = 3


def required_literals(source: str) -> list[str] | None:
    """Literals, in lower case, at least one of which every match of the pattern `source` holds
    (case-insensitively), or None when the pattern's structure gives no such list of useful
    ones (each MIN_REQUIRED characters or more). Searching a sentence for them is cheap; a
    sentence that holds none needs no search of the whole pattern."""
    from re import _parser                  # the standard parser: the pattern's own structure
    found = _required(_parser.parse(source))
    return sorted(found) if found else None


def _required(items) -> set[str] | None:
    """The best requirement of a sequence of parsed items: a run of literals, or one item's."""
    candidates, run = [], []
    for op, av in list(items) + [(None, None)]:
        if str(op) == "LITERAL":
            run.append(chr(av).lower())
            continue
        if run:
            candidates.append({"".join(run)})
            run = []
        need = _item_required(str(op), av)
        if need:
            candidates.append(need)
    useful = [c for c in candidates if _letters(c) >= MIN_REQUIRED]
    return max(useful, key=lambda c: (_letters(c), -len(c))) if useful else None


def _letters(literals: set[str]) -> int:
    """How telling a set of literals is: the length of its shortest, white space at its ends
    apart (" to " is in every other sentence, like "to")."""
    return min(len(w.strip()) for w in literals)


def _item_required(op: str, av) -> set[str] | None:
    """What one parsed item requires: a group's content, one of a branch's alternatives' (each
    must require something), a repetition's item when it must occur; else nothing."""
    if op == "SUBPATTERN":
        return _required(av[-1])
    if op == "BRANCH":
        needs = [_required(alternative) for alternative in av[1]]
        return set().union(*needs) if all(needs) else None
    if op in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and av[0] >= 1:
        return _required(av[2])
    return None
