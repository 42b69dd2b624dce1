"""Clean stage: each seed's quirk is handled, formats are told from content, bad input is named."""
from __future__ import annotations

import gzip
import json

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings, strategies as st

from monitor.clean import clean
from monitor.errors import InputError
from monitor.records import Document

SEED_000 = "000_413534c7782e8021.txt"
SEED_001 = "001_9bb39093bd7addb8.txt"
SEED_002 = "002_e74a1e7ff637e6bf.txt"
SEED_003 = "003_9bed968189c1b957.txt"
SEED_004 = "004_67ecdbd927d455ef.txt"


def clean_bytes(body: bytes, origin: str = "input.txt"):
    return clean(Document(origin=origin, body=body))


def clean_file(path):
    return clean(Document(origin=str(path), body=path.read_bytes()))


@pytest.fixture(scope="module")
def seed(seeds_dir):
    """Seed file name -> its one cleaned Article."""
    cache = {}

    def get(name):
        if name not in cache:
            articles = clean_file(seeds_dir / name)
            assert len(articles) == 1, f"{name}: expected one article, got {len(articles)}"
            cache[name] = articles[0]
        return cache[name]

    return get


# ---- the seeds, one quirk per test ---------------------------------------------------------

@pytest.mark.parametrize("name, fmt", [(SEED_000, "text"), (SEED_001, "wordpress"), (SEED_002, "text"),
                                       (SEED_003, "text"), (SEED_004, "markdown")])
def test_seed_format_is_detected_from_content(seed, name, fmt):
    assert seed(name).format == fmt


def test_000_date_header_is_read_as_published(seed):
    assert seed(SEED_000).published == "2024-10-23"


def test_000_date_header_is_removed_from_text(seed):
    text = seed(SEED_000).text
    assert "2024-10-23" not in text
    assert not text.lstrip().lower().startswith("date")


def test_000_curly_quotes_survive(seed):
    assert "“significant escalation.”" in seed(SEED_000).text


def test_001_wordpress_title_with_escaped_unicode(seed):
    assert seed(SEED_001).title == "Are North Koreans fighting in Ukraine? Here’s what we know"


def test_001_wordpress_url(seed):
    assert seed(SEED_001).url == ("https://dailywashingtoninsider.com/index.php/2024/10/23/"
                                  "are-north-koreans-fighting-in-ukraine-heres-what-we-know/")


def test_001_wordpress_date(seed):
    assert seed(SEED_001).published == "2024-10-23"


def test_001_no_html_entities_or_tags(seed):
    text = seed(SEED_001).text
    assert "&nbsp;" not in text
    assert "&amp;" not in text
    assert "<p" not in text and "<strong>" not in text
    assert "deepened their anti-United States military partnership" in text


def test_001_empty_strong_leaves_one_space(seed):
    assert "with the aim of being deployed to Ukraine." in seed(SEED_001).text


def test_001_no_syndication_footer(seed):
    assert "This post appeared first on" not in seed(SEED_001).text


def test_001_links_block_is_not_text(seed):
    text = seed(SEED_001).text
    assert "api.w.org" not in text
    assert "wp-json" not in text


def test_002_title_line_is_title_not_text(seed):
    article = seed(SEED_002)
    title = "US Lawmaker Warns That North Korean Soldiers Joining Russia Would Cross a Critical Line"
    assert article.title == title
    assert title not in article.text


def test_002_no_date_is_invented(seed):
    assert seed(SEED_002).published is None


def test_002_no_hot_today_widget(seed):
    assert "Hot Today" not in seed(SEED_002).text


def test_002_ends_with_the_last_sentence(seed):
    assert seed(SEED_002).text.rstrip().endswith("to locate these missing troops.")


def test_003_no_audio_player_time(seed):
    assert "0:00" not in seed(SEED_003).text


def test_003_no_updated_label(seed):
    assert "Updated:" not in seed(SEED_003).text


def test_003_no_photo_caption(seed):
    text = seed(SEED_003).text
    assert "(Anna Moneymaker/Getty Images" not in text
    assert "speaks during a press conference on the 2023 Fiscal Year" not in text


def test_003_title_is_not_repeated_in_text(seed):
    article = seed(SEED_003)
    assert article.title == ("US Must Weigh ‘Direct Military Action’ If North Korean Forces Enter Ukraine: "
                             "House Intelligence Chair")
    assert article.title not in article.text


def test_003_author_name_is_not_a_paragraph(seed):
    assert "Bill Pan" not in seed(SEED_003).paragraphs


def test_003_article_body_is_kept(seed):
    text = seed(SEED_003).text
    assert "at least 3,000 North Korean troops to Russia’s Far East" in text
    assert text.rstrip().endswith("space, and nuclear programs.")


def test_004_byline_date_is_published(seed):
    assert seed(SEED_004).published == "2024-10-24"


def test_004_title_is_the_heading(seed):
    assert seed(SEED_004).title == ("Biden Admin Confirms North Korean Troops in Russia; "
                                    "House Intel Chair: Consider Direct Military Action")


def test_004_no_written_by_lines(seed):
    assert "Written by" not in seed(SEED_004).text


def test_004_no_subscribe_block(seed):
    text = seed(SEED_004).text
    assert "Subscribe" not in text
    assert "What's Included" not in text
    assert "24 Issues Per Year" not in text
    assert "60-Day money back guarantee" not in text


def test_004_no_embedded_tweets(seed):
    text = seed(SEED_004).text
    assert "pic.twitter.com" not in text
    assert "t.co/" not in text
    assert "(@TIME)" not in text and "(@Voz" not in text


def test_004_no_markdown_syntax_or_rules(seed):
    article = seed(SEED_004)
    assert "](#)" not in article.text
    assert "**" not in article.text
    assert "---" not in article.paragraphs


def test_004_no_image_credit(seed):
    assert "Oleksii Liskonih/iStock" not in seed(SEED_004).text


def test_004_sentence_cut_by_page_break_is_rejoined(seed):
    joined = [p for p in seed(SEED_004).paragraphs if "“at least” 3,000" in p]
    assert len(joined) == 1
    assert "3,000 North Korean soldiers had been transferred from the Wonsan region" in joined[0]


# ---- format detection from content -----------------------------------------------------------

WP_POST = {
    "id": 77, "date": "2024-10-23T15:39:54", "date_gmt": "2024-10-23T15:39:54",
    "link": "https://news.example.org/2024/10/23/flood/",
    "title": {"rendered": "Flood waters rise in the valley"},
    "content": {"rendered": "<p>The river burst its banks on Wednesday, officials said, and thousands of "
                            "residents were moved to higher ground as the rain went on through the night.</p>"},
}

RSS_TWO_ITEMS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Example News</title><link>https://news.example.org/</link>
<item><title>Flood waters rise in the valley</title><link>https://news.example.org/1</link>
<pubDate>Wed, 23 Oct 2024 10:00:00 GMT</pubDate>
<description>&lt;p&gt;The river burst its banks on Wednesday and residents were moved to higher ground.&lt;/p&gt;</description></item>
<item><title>Council counts the votes</title><link>https://news.example.org/2</link>
<pubDate>Thu, 24 Oct 2024 10:00:00 GMT</pubDate>
<description>The electoral council began counting the votes in the capital on Thursday.</description></item>
</channel></rss>"""

HTML_PAGE = b"""<!DOCTYPE html><html><head><title>Quake strikes the region</title>
<meta property="article:published_time" content="2024-10-23T08:00:00Z"></head>
<body><nav><a href="/">Home</a> | <a href="/world">World</a></nav><article><h1>Quake strikes the region</h1>
<p>A powerful earthquake struck the region on Wednesday, destroying buildings across the provincial capital and
cutting power to several towns, officials said.</p>
<p>Rescue teams worked through the night to pull survivors from the rubble of collapsed apartment blocks.</p>
<p>The disaster agency said crews were still trying to reach remote villages cut off by landslides.</p>
</article><footer>Copyright 2024 Example News</footer></body></html>"""

SKIP_LINK_MARKDOWN = (b"[Skip to content](#)\n\n# Flood waters rise in the valley\n\n"
                      b"Written by [Jane Doe](#) on October 24, 2024\n\n"
                      b"The river burst its banks on Wednesday, officials said, and thousands of residents were "
                      b"moved to higher ground as the rain went on through the night across the valley.\n\n"
                      b"- [Home](#)\n- [World](#)\n")


def test_wordpress_json_saved_as_txt_is_a_post():
    [article] = clean_bytes(json.dumps(WP_POST).encode(), origin="post.txt")
    assert article.format == "wordpress"
    assert article.title == "Flood waters rise in the valley"
    assert article.url == "https://news.example.org/2024/10/23/flood/"


def test_a_list_of_wordpress_posts_gives_one_article_each():
    second = {**WP_POST, "id": 78, "link": "https://news.example.org/2024/10/24/flood-2/"}
    articles = clean_bytes(json.dumps([WP_POST, second]).encode(), origin="posts.json")
    assert [a.url for a in articles] == [WP_POST["link"], second["link"]]


def test_markdown_starting_with_a_link_is_not_json():
    [article] = clean_bytes(SKIP_LINK_MARKDOWN, origin="page.json")
    assert article.format == "markdown"
    assert "The river burst its banks" in article.text


def test_markdown_skip_link_is_not_text():
    [article] = clean_bytes(SKIP_LINK_MARKDOWN, origin="page.md")
    assert "Skip to content" not in article.text


def test_rss_with_two_items_gives_two_articles():
    articles = clean_bytes(RSS_TWO_ITEMS, origin="feed.txt")
    assert [a.format for a in articles] == ["feed", "feed"]
    assert [a.title for a in articles] == ["Flood waters rise in the valley", "Council counts the votes"]
    assert [a.published for a in articles] == ["2024-10-23", "2024-10-24"]
    assert [a.url for a in articles] == ["https://news.example.org/1", "https://news.example.org/2"]


def test_html_page_saved_as_txt_is_html():
    [article] = clean_bytes(HTML_PAGE, origin="page.txt")
    assert article.format == "html"
    assert "Rescue teams worked through the night" in article.text
    assert "<p>" not in article.text


def test_html_page_title_and_date():
    [article] = clean_bytes(HTML_PAGE, origin="page.html")
    assert article.title == "Quake strikes the region"
    assert article.published == "2024-10-23"


def test_plain_text_with_a_json_extension_is_text():
    body = ("Officials said the river burst its banks on Wednesday and thousands of residents were moved "
            "to higher ground as the rain went on through the night across the valley.").encode()
    [article] = clean_bytes(body, origin="story.json")
    assert article.format == "text"


# ---- bad input -------------------------------------------------------------------------------

@pytest.mark.parametrize("label, body", [
    ("empty", b""),
    ("whitespace", b" \n\n\t \n"),
    ("binary NUL bytes", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4),
    ("binary control bytes", bytes(range(1, 9)) * 200),
    ("broken JSON", b'{"id": 3, "content": {"rendered": "<p>cut off'),
    ("JSON that is not a post", b'{"name": "Test Blog", "url": "https://example.org", "gmt_offset": 0}'),
    ("JSON list of numbers", b"[1, 2, 3]"),
])
def test_bad_input_raises_input_error_naming_origin(label, body):
    origin = f"inbox/{label.replace(' ', '_')}.txt"
    with pytest.raises(InputError) as caught:
        clean_bytes(body, origin=origin)
    assert caught.value.origin == origin
    assert origin in str(caught.value)
    assert caught.value.reason


def test_broken_json_reason_says_json():
    with pytest.raises(InputError, match="(?i)json"):
        clean_bytes(b'{"id": 3, "content": ', origin="broken.json")


def test_empty_reason_says_empty():
    with pytest.raises(InputError, match="(?i)empty"):
        clean_bytes(b"", origin="empty.txt")


@settings(max_examples=60)
@given(st.binary(max_size=2000))
def test_any_bytes_give_articles_or_input_error(body):
    try:
        articles = clean_bytes(body, origin="fuzz.bin")
    except InputError as exc:
        assert exc.origin == "fuzz.bin"
    else:
        assert articles and all(a.text.strip() for a in articles)


# ---- real material from ../shared/external ---------------------------------------------------

def test_real_rss_feed_gives_one_article_per_item(external_dir):
    path = external_dir / "feeds" / "rss-parser_test_input" / "guardian.rss"
    items = path.read_bytes().count(b"<item>")
    articles = clean_file(path)
    assert len(articles) == items == 55
    assert all(a.format == "feed" and a.url and a.title for a in articles)


def test_real_atom_feed_is_a_feed(external_dir):
    articles = clean_file(external_dir / "feeds" / "rss-parser_test_input" / "heise.atom")
    assert articles and {a.format for a in articles} == {"feed"}


def test_real_wordpress_collection_gives_one_article_per_post(external_dir):
    path = external_dir / "wordpress-rest" / "headstartwp_fixtures" / "posts_posts.json"
    posts = json.loads(path.read_text())
    # Three of the ten demo posts are an image or a rule only: no article text, no article.
    with_text = [p for p in posts if BeautifulSoup(p["content"]["rendered"], "html.parser").get_text().strip()]
    articles = clean_file(path)
    assert [a.url for a in articles] == [p["link"] for p in with_text]
    assert len(articles) == 7


def test_real_wordpress_settings_are_not_a_post(external_dir):
    path = external_dir / "wordpress-rest" / "wordpress-develop_qunit_fixture" / "settings.json"
    with pytest.raises(InputError, match="not an article"):
        clean_file(path)


def test_real_news_page_is_html(external_dir):
    folder = external_dir / "article-extraction" / "trafilatura_eval_news_subset" / "html"
    page = sorted(folder.glob("*.gz"))[0]
    [article] = clean(Document(origin=page.name, body=gzip.decompress(page.read_bytes())))
    assert article.format == "html"
    assert len(article.text.split()) > 50


def test_a_header_line_of_fields_gives_the_date_and_is_no_paragraph():
    from monitor.clean import clean
    from monitor.records import Document
    text = ("Council rejects the panel request\n\n22 December 2024 | The Eastvale Gazette | Ana Ruiz\n\n"
            "Helen Marsh has turned down a request from the residents for a panel to sit beside the chairman.\n")
    article = clean(Document(origin="header-fields.txt", body=text.encode()))[0]
    assert article.published == "2024-12-22"
    assert article.paragraphs[0].startswith("Helen Marsh has turned down")
