"""Views of the store for people reading it with sqlite-utils or datasette.

Plain SQL kept apart from the store's code so that it reads like the documentation it is;
monitor/store/ alone executes it. Each view joins what a reader would otherwise join by hand:
the story's label, the article's title, date and link, and the sentence of each claim.
"""
from __future__ import annotations

# The article a row points at: its URL when it has one, else the path given to `ingest`.
_LINK = "coalesce(a.url, a.origin)"
# A story as the digest names it: the headline of its latest article (store/labels.py says which),
# else its first headline (stories.label, which the topic stage keeps reading). An expression over
# a story row `s`; the views and store/labels.py both use it.
STORY_LABEL = """coalesce((select a2.title from articles a2 where a2.story_id = s.id and coalesce(a2.title, '') != ''
                      and (coalesce(a2.published, '') = '' or substr(a2.published, 1, 10) >= coalesce(s.last_published, ''))
                      order by a2.id desc limit 1), s.label)"""

VIEWS = {
    # One row per alert, newest first, with its story and both sides of the change.
    "alerts_view": f"""
        select al.id, al.created, {STORY_LABEL} as story, al.kind, al.change, al.subject, al.actor,
               case when al.kind = 'figure' then al.previous_value else al.previous_stance end as before,
               case when al.kind = 'figure' then al.value else al.stance end as after,
               al.evidence, al.previous_evidence, al.published, al.previous_published,
               coalesce(al.url, al.article) as article, al.previous_article, al.title, al.run_id, al.muted
        from alerts al left join stories s on s.id = al.story_id
        order by al.id desc""",
    # One row per figure read: what was counted, by whom, how much, and the sentence.
    "figures_view": f"""
        select c.id, {STORY_LABEL} as story, sub.label as subject, c.actor as source, c.value, c.low, c.high,
               c.qualifier, c.unit, c.quote, c.sentence, c.past, a.published, a.title, {_LINK} as article,
               c.article_id, c.subject_key
        from claims c join articles a on a.id = c.article_id
             left join subjects sub on sub.key = c.subject_key
             left join stories s on s.id = a.story_id
        where c.kind = 'figure'
        order by c.id""",
    # One row per position read: who, on what proposition, which stance, the cue and the sentence.
    "positions_view": f"""
        select c.id, {STORY_LABEL} as story, t.label as topic, t.scale, c.actor, c.stance, c.cue, c.sentence,
               c.past, a.published, a.title, {_LINK} as article, c.article_id, c.topic_id
        from claims c join articles a on a.id = c.article_id
             left join topics t on t.id = c.topic_id
             left join stories s on s.id = a.story_id
        where c.kind = 'position'
        order by c.id""",
}


def datasette_metadata(database: str) -> dict:
    """The described tables, views and columns (monitor/datasette.json) for a store named
    `database` (datasette names a database after its file: demo.db -> "demo")."""
    from importlib.resources import files
    import json

    meta = json.loads(files("monitor").joinpath("datasette.json").read_text(encoding="utf-8"))
    meta["databases"] = {database: meta["databases"]["monitor"]}
    return meta
