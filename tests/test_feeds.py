import html
import json
import xml.dom.minidom
from datetime import datetime, timedelta
from pathlib import Path
from unittest import mock

import feedparser
import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import timezone

from news.feedgenerators import xml_safe
from news.models import Article

from .conftest import make_article
from .imagefiles import image_file, upload

pytestmark = pytest.mark.django_db

SITE = "http://testserver"
XML_FEEDS = ["/feed/", "/feed/atom/"]
EVERY_FEED = [
    f"{prefix}feed/{fmt}"
    for prefix in ("/", "/land/marokko/", "/onderwerp/defensie/")
    for fmt in ("", "atom/", "json/")
]


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def parse(client, url):
    """Return the feed at `url` as feedparser sees it, or as JSON for a JSON Feed."""
    response = fetch(client, url)
    if "/json/" in url:
        return json.loads(response.content)
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    return feed


def titles(client, url):
    feed = parse(client, url)
    entries = feed["items"] if "/json/" in url else feed.entries
    return [entry["title"] for entry in entries]


@pytest.fixture
def tagged():
    """One article in Marokko/defensie, with everything a feed item shows."""
    return make_article(
        title="Marokko koopt raketten",
        lead="De luchtmacht koopt raketten.",
        body="Eerste alinea.\n\nTweede *alinea*.",
        byline="Redactie",
        countries=["MA", "US"],
        topics=["luchtmacht", "defensie"],
        published_at=timezone.make_aware(datetime(2014, 5, 4, 15, 44)),
    )


@pytest.mark.parametrize("url", EVERY_FEED)
def test_every_feed_parses(client, tagged, url):
    feed = parse(client, url)
    if "/json/" in url:
        assert feed["version"] == "https://jsonfeed.org/version/1.1"
        assert [item["title"] for item in feed["items"]] == ["Marokko koopt raketten"]
        assert all(isinstance(item["id"], str) for item in feed["items"])
    else:
        assert [entry.title for entry in feed.entries] == ["Marokko koopt raketten"]


@pytest.mark.parametrize("url", XML_FEEDS + ["/feed/json/"])
def test_the_latest_30_published_articles_newest_first(client, url):
    start = timezone.now() - timedelta(days=40)
    for day in range(32):
        make_article(title=f"Dag {day}", published_at=start + timedelta(days=day))
    make_article(title="Concept", status=Article.Status.DRAFT)
    make_article(title="Gepland", published_at=timezone.now() + timedelta(hours=1))
    assert titles(client, url) == [f"Dag {day}" for day in range(31, 1, -1)]


@pytest.mark.parametrize("url", XML_FEEDS + ["/feed/json/"])
def test_a_scheduled_article_appears_at_its_time(client, url):
    make_article(title="Eerder")
    make_article(title="Gepland", published_at=timezone.now() + timedelta(hours=1))
    assert titles(client, url) == ["Eerder"]
    later = timezone.now() + timedelta(hours=2)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert titles(client, url) == ["Gepland", "Eerder"]


@pytest.mark.parametrize("url", XML_FEEDS)
def test_an_item_has_everything_a_reader_shows(client, tagged, url):
    entry = parse(client, url).entries[0]
    assert entry.link == SITE + tagged.get_absolute_url()
    assert entry.id == f"tag:testserver,{tagged.created_at:%Y-%m-%d}:artikel/{tagged.pk}"
    assert entry.summary == "De luchtmacht koopt raketten."
    content = entry.content[0].value
    assert content.startswith("<p>De luchtmacht koopt raketten.</p>")
    assert "<p>Tweede <em>alinea</em>.</p>" in content
    assert entry.author == "Redactie"
    assert [tag.term for tag in entry.tags] == [
        "Marokko", "Verenigde Staten", "defensie", "luchtmacht",
    ]  # fmt: skip
    # 15:44 in Amsterdam, summer time: with its offset.
    assert entry.published_parsed[:5] == (2014, 5, 4, 13, 44)
    assert "+02" in entry.published
    assert entry.updated_parsed >= entry.published_parsed


def test_a_json_feed_item(client, tagged):
    feed = parse(client, "/feed/json/")
    item = feed["items"][0]
    assert feed["language"] == "nl"
    assert feed["feed_url"] == SITE + "/feed/json/"
    assert item["url"] == SITE + tagged.get_absolute_url()
    assert item["id"].startswith("tag:testserver,")
    assert item["summary"] == "De luchtmacht koopt raketten."
    assert "<p>Tweede <em>alinea</em>.</p>" in item["content_html"]
    assert item["date_published"] == "2014-05-04T15:44:00+02:00"
    assert item["date_modified"] >= item["date_published"]
    assert item["authors"] == [{"name": "Redactie"}]
    assert item["tags"] == ["Marokko", "Verenigde Staten", "defensie", "luchtmacht"]
    assert "attachments" not in item


def test_the_guid_survives_edits_to_title_and_slug(client, tagged):
    before = parse(client, "/feed/atom/").entries[0].id
    tagged.title, tagged.slug = "Nieuwe titel", "nieuwe-titel"
    tagged.save()
    entry = parse(client, "/feed/atom/").entries[0]
    assert entry.title == "Nieuwe titel"
    assert entry.link.endswith("-nieuwe-titel/")
    assert entry.id == before


@pytest.mark.parametrize(
    "url, title, link",
    [
        ("/feed/", settings.SITE_NAME, "/"),
        ("/land/marokko/feed/", f"Marokko - {settings.SITE_NAME}", "/land/marokko/"),
        ("/onderwerp/defensie/feed/", f"defensie - {settings.SITE_NAME}", "/onderwerp/defensie/"),
        (
            "/land/marokko/feed/atom/?onderwerp=defensie",
            f"Marokko: defensie - {settings.SITE_NAME}",
            "/land/marokko/?onderwerp=defensie",
        ),
    ],
)
def test_the_channel(client, tagged, url, title, link):
    feed = parse(client, url).feed
    # RSS sends the channel's title escaped as HTML, as its items' (Atom's is text).
    assert html.unescape(feed.title) == title
    assert feed.link == SITE + link
    assert feed.language == "nl"
    assert feed.subtitle
    self_links = [x.href for x in feed.links if x.rel == "self"]
    assert self_links == [SITE + url]


def test_the_description(client, tagged):
    assert html.unescape(parse(client, "/feed/").feed.subtitle) == settings.SITE_DESCRIPTION
    description = parse(client, "/land/marokko/feed/?onderwerp=defensie").feed.subtitle
    assert html.unescape(description) == (
        f"Het laatste nieuws over defensie in Marokko, van {settings.SITE_NAME}."
    )
    assert fetch(client, "/feed/json/").headers["Content-Type"] == (
        "application/feed+json; charset=utf-8"
    )


def test_country_and_topic_feeds_hold_their_own_articles(client, tagged):
    make_article(title="Spanje", countries=["ES"], topics=["defensie"])
    make_article(title="Economie", countries=["MA"], topics=["economie"])
    assert titles(client, "/land/marokko/feed/") == ["Economie", "Marokko koopt raketten"]
    assert titles(client, "/onderwerp/defensie/feed/atom/") == ["Spanje", "Marokko koopt raketten"]
    assert titles(client, "/land/marokko/feed/json/?onderwerp=defensie") == [
        "Marokko koopt raketten"
    ]


@pytest.mark.parametrize(
    "url",
    [
        "/land/atlantis/feed/",
        "/onderwerp/niets/feed/atom/",
        "/land/marokko/feed/json/?onderwerp=niets",
    ],
)
def test_an_unknown_slug_is_a_404(client, tagged, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", XML_FEEDS + ["/feed/json/"])
def test_forbidden_characters_and_markup_in_titles_and_tags(client, url):
    make_article(
        title='Tom\x0b & Jerry <b>&</b> "quotes"\x01',  # PostgreSQL refuses \x00 itself
        lead="Intro\x1f met <tag> & zo.",
        body="Tekst\x08.",
        byline="Word\x0c",
        topics=['R&D <x> "y"'],
    )
    feed = parse(client, url)
    if "/json/" in url:
        entry = feed["items"][0]
        title, summary, tags = entry["title"], entry["summary"], entry["tags"]
    else:
        entry = feed.entries[0]
        title, summary, tags = entry.title, entry.summary, [tag.term for tag in entry.tags]
        if url == "/feed/":
            # Readers take an RSS title for HTML, so it is sent escaped as HTML.
            assert entry.title_detail.type == "text/html"
            title, summary = html.unescape(title), html.unescape(summary)
        else:
            summary = html.unescape(summary)
    assert title == 'Tom & Jerry <b>&</b> "quotes"'
    assert summary == "Intro met <tag> & zo."
    assert tags == ['R&D <x> "y"']


def test_xml_safe_keeps_what_xml_allows():
    assert xml_safe("a\x00b\x0bc\x1f\ufffe\td\r\ne é") == "abc\td\r\ne é"
    assert xml_safe(["x\x0c", 1, None]) == ["x", 1, None]


def test_feeds_are_readable_in_a_browser(client, tagged):
    for url in XML_FEEDS:
        response = fetch(client, url)
        # Browsers apply the stylesheet to XML; application/rss+xml they show raw or download.
        assert response.headers["Content-Type"] == "application/xml; charset=utf-8"
        head = response.content[:300].decode()
        assert '<?xml-stylesheet href="/static/feeds/feed.xsl.xml"' in head
        assert 'type="text/xsl"' in head
    xsl = Path(settings.BASE_DIR, "static/feeds/feed.xsl.xml")
    xml.dom.minidom.parse(str(xsl))  # well-formed
    assert "Dit is een feed" in xsl.read_text()


def test_the_lead_image_is_an_enclosure(client, tagged):
    """A JPEG rendition of about 1200 px, with the size stored with it: a feed opens no file."""
    tagged.image, tagged.image_alt = upload(image_file(size=(1600, 1000))), "Rood en blauw."
    tagged.save()
    (rendition,) = [r for r in tagged.image_renditions if r["name"].endswith("/1280.jpg")]
    href, size = SITE + settings.MEDIA_URL + rendition["name"], rendition["size"]
    for url in XML_FEEDS:
        (enclosure,) = parse(client, url).entries[0].enclosures
        assert (enclosure.href, enclosure.type, enclosure.length) == (href, "image/jpeg", str(size))
    (attachment,) = parse(client, "/feed/json/")["items"][0]["attachments"]
    assert attachment == {"url": href, "mime_type": "image/jpeg", "size_in_bytes": size}


def test_no_enclosure_without_an_image(client, tagged):
    assert parse(client, "/feed/").entries[0].enclosures == []


def render_feed_links(**context):
    return Template("{% load feeds %}{% feed_links %}").render(Context(context))


def hrefs(markup):
    return [part.split('"')[0] for part in markup.split('href="')[1:]]


def test_every_page_links_the_site_feeds():
    markup = render_feed_links()
    assert hrefs(markup) == ["/feed/", "/feed/atom/", "/feed/json/"]
    assert 'type="application/rss+xml"' in markup
    assert 'type="application/atom+xml"' in markup
    assert 'type="application/feed+json"' in markup
    assert f'title="{html.escape(settings.SITE_NAME)} (RSS)"' in markup


def test_a_country_or_topic_page_links_its_feeds(tagged):
    country = tagged.countries.get(slug="marokko")
    topic = tagged.topics.get(slug="defensie")
    assert hrefs(render_feed_links(tag=country))[3:] == [
        "/land/marokko/feed/", "/land/marokko/feed/atom/", "/land/marokko/feed/json/",
    ]  # fmt: skip
    assert hrefs(render_feed_links(tag=topic))[3:] == [
        "/onderwerp/defensie/feed/", "/onderwerp/defensie/feed/atom/",
        "/onderwerp/defensie/feed/json/",
    ]  # fmt: skip
    # A page narrowed by the other vocabulary links the narrowed country feed, either way round.
    for context in ({"tag": country, "filter_tag": topic}, {"tag": topic, "filter_tag": country}):
        assert hrefs(render_feed_links(**context))[3] == "/land/marokko/feed/?onderwerp=defensie"


def test_an_article_page_links_the_feeds_of_its_tags(tagged, django_assert_num_queries):
    article = Article.objects.for_listing().get(pk=tagged.pk)
    with django_assert_num_queries(0):
        markup = render_feed_links(article=article)
    assert hrefs(markup)[::3] == [
        "/feed/", "/land/marokko/feed/", "/land/verenigde-staten/feed/",
        "/onderwerp/defensie/feed/", "/onderwerp/luchtmacht/feed/",
    ]  # fmt: skip
    assert 'title="Marokko - ' in markup


def test_the_pages_carry_the_links(client, tagged):
    for url in ("/", "/land/marokko/", tagged.get_absolute_url()):
        assert b'<link rel="alternate" type="application/rss+xml"' in client.get(url).content
    page = client.get(tagged.get_absolute_url()).content.decode()
    assert 'href="/onderwerp/luchtmacht/feed/atom/"' in page
