import html
import json
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from pathlib import Path
from unittest import mock

import feedparser
import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template import Context, Template
from django.utils import timezone

from news.feed_scope import FeedScope
from news.feedgenerators import xml_safe
from news.models import Article, Country, Topic

from .conftest import make_article
from .library import with_image

pytestmark = pytest.mark.django_db

SITE = "http://testserver"
XML_FEEDS = ["/feed/", "/feed/atom/"]
ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
# Plain text that readers saw escaped twice ("Marokko &amp; Wereld"), or that looks like HTML.
HOSTILE = [
    "Spaanse F-18's & Marokko",
    'Tom & Jerry <script>alert("x") "quotes"',
    "مرحبا & سلام: Marokko <en> Spanje",
]
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
    assert feed.title == title
    assert feed.link == SITE + link
    assert feed.language == "nl"
    assert feed.subtitle
    self_links = [x.href for x in feed.links if x.rel == "self"]
    assert self_links == [SITE + url]


def test_the_description(client, tagged):
    assert parse(client, "/feed/").feed.subtitle == settings.SITE_DESCRIPTION
    description = parse(client, "/land/marokko/feed/?onderwerp=defensie").feed.subtitle
    assert description == f"Het laatste nieuws over defensie in Marokko, van {settings.SITE_NAME}."
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
        # The summary is HTML (the lead's text, escaped); feedparser takes a title with
        # an end tag in it for HTML too, whatever the feed says.
        title, summary = html.unescape(title), html.unescape(summary)
    assert title == 'Tom & Jerry <b>&</b> "quotes"'
    assert summary == "Intro met <tag> & zo."
    assert tags == ['R&D <x> "y"']


def test_xml_safe_keeps_what_xml_allows():
    assert xml_safe("a\x00b\x0bc\x1f\ufffe\td\r\ne é") == "abc\td\r\ne é"
    assert xml_safe(["x\x0c", 1, None]) == ["x", 1, None]


def test_a_feed_opened_in_a_browser_is_xml_text_that_points_to_the_volgen_page(client, tagged):
    for url in XML_FEEDS:
        response = fetch(client, url)
        # Browsers show application/xml as text; application/rss+xml some download.
        assert response.headers["Content-Type"] == "application/xml; charset=utf-8"
        head = response.content[:400].decode()
        # No XSLT (Chromium is removing it): a comment says what this is, and where to go.
        assert "<?xml-stylesheet" not in head
        assert "<!-- Dit is een feed: de nieuwste artikelen, voor een feedlezer." in head
        assert f"Zo volgt u hem: {SITE}/volgen/ -->" in head
    assert not Path(settings.BASE_DIR, "static/feeds").exists()
    assert parse(client, "/feed/json/")["user_comment"].endswith(f"{SITE}/volgen/")


def raw_texts(client, url):
    """Return the texts of the channel and its items, as the XML holds them (unescaped once)."""
    root = ET.fromstring(fetch(client, url).content)
    if root.tag == "rss":
        channel = root.find("channel")
        items = channel.findall("item")
        return {
            "title": channel.findtext("title"),
            "description": channel.findtext("description"),
            "image title": channel.findtext("image/title"),
            "item titles": [item.findtext("title") for item in items],
            "categories": sorted(c.text for item in items for c in item.findall("category")),
        }
    entries = root.findall(f"{ATOM}entry")
    return {
        "title": root.findtext(f"{ATOM}title"),
        "description": root.findtext(f"{ATOM}subtitle"),
        "item titles": [entry.findtext(f"{ATOM}title") for entry in entries],
        "categories": sorted(c.get("term") for e in entries for c in e.findall(f"{ATOM}category")),
    }


@pytest.mark.parametrize("url", XML_FEEDS)
@pytest.mark.parametrize("text", HOSTILE)
def test_text_is_escaped_exactly_once(client, settings, url, text):
    """The W3C feed validator's "title should not contain HTML": text escaped twice reads
    "Marokko &amp; Wereld" in every feed reader."""
    settings.SITE_NAME = "Marokko & Wereld"
    make_article(title=text, lead=text, countries=["MA"], topics=[text])
    feed_url = f"/onderwerp/{Topic.objects.get().slug}/{url[1:]}"
    texts = raw_texts(client, feed_url)
    assert texts["title"] == f"{text} - Marokko & Wereld"
    assert texts["description"] == f"Het laatste nieuws over {text}, van Marokko & Wereld."
    assert texts.get("image title", texts["title"]) == texts["title"]
    assert texts["item titles"] == [text]
    assert texts["categories"] == sorted(["Marokko", text])
    raw = fetch(client, feed_url).content.decode()
    for twice in ("&amp;amp;", "&amp;#x27;", "&amp;lt;", "&#x26;amp;", "&#x26;#x27;"):
        head = raw.split("<item>")[0].split("<entry>")[0]
        assert twice not in head, twice
    # As a feed reader sees them.
    feed = parse(client, feed_url)
    assert feed.feed.title == f"{text} - Marokko & Wereld"
    assert [entry.title for entry in feed.entries] == [text]
    assert html.unescape(feed.entries[0].summary) == text


def test_rss_writes_and_and_less_than_in_text_as_hexadecimal_references(client):
    """The RSS Best Practices Profile's way, which the validator checks: plain text, not HTML."""
    make_article(title="F-18's & <b>", lead="R&D", topics=["R&D"])
    raw = fetch(client, "/feed/").content.decode()
    assert "<title>F-18's &#x26; &#x3C;b&gt;</title>" in raw
    assert "<category>R&#x26;D</category>" in raw
    # The item's description is HTML: the lead's text, escaped once as HTML.
    assert "<description>R&amp;amp;D</description>" in raw


def test_the_channel_has_what_the_validator_requires(client, tagged):
    channel = ET.fromstring(fetch(client, "/land/marokko/feed/").content).find("channel")
    for name in ("title", "link", "description", "language", "lastBuildDate"):
        assert channel.findtext(name), name
    (self_link,) = channel.findall(f"{ATOM}link")
    assert self_link.get("href") == f"{SITE}/land/marokko/feed/"
    (item,) = channel.findall("item")
    for name in ("title", "link", "description", "guid", "pubDate"):
        assert item.findtext(name), name
    atom = ET.fromstring(fetch(client, "/land/marokko/feed/atom/").content)
    for name in ("title", "id", "updated", "author/" + ATOM + "name"):
        assert atom.findtext(ATOM + name), name
    assert [link.get("rel") for link in atom.findall(f"{ATOM}link")] == ["alternate", "self"]


def static_file(url):
    """Return the static file that the absolute `url` names (it must exist)."""
    assert url.startswith(f"{SITE}{settings.STATIC_URL}"), url
    found = finders.find(url.removeprefix(f"{SITE}{settings.STATIC_URL}"))
    assert found, url
    return found


def test_every_format_carries_the_site_icon(client, tagged):
    channel = ET.fromstring(fetch(client, "/land/marokko/feed/").content).find("channel")
    image = channel.find("image")
    # The RSS 2.0 image: a PNG of at most 144 px, titled and linked as the channel.
    static_file(image.findtext("url"))
    assert image.findtext("url").endswith(".png")
    assert image.findtext("title") == channel.findtext("title")
    assert image.findtext("link") == channel.findtext("link") == f"{SITE}/land/marokko/"
    assert int(image.findtext("width")) <= 144 and int(image.findtext("height")) <= 400
    atom = ET.fromstring(fetch(client, "/land/marokko/feed/atom/").content)
    static_file(atom.findtext(f"{ATOM}icon"))
    static_file(atom.findtext(f"{ATOM}logo"))
    feed = parse(client, "/land/marokko/feed/json/")
    static_file(feed["icon"])
    static_file(feed["favicon"])
    assert feedparser.parse(fetch(client, "/feed/atom/").content).feed.icon.startswith(SITE)


def test_the_lead_image_leads_the_content(client, tagged):
    """Readers show an item's content, and many ignore an enclosure that is an image."""
    with_image(article=tagged, image_kw={"alt": 'Rood & "blauw".'})
    (rendition,) = [r for r in tagged.image_renditions if r["name"].endswith("/1280.jpg")]
    src = SITE + settings.MEDIA_URL + rendition["name"]
    img = (
        f'<p><img src="{src}" alt="Rood &amp; &quot;blauw&quot;." '
        f'width="{rendition["width"]}" height="{rendition["height"]}"></p>'
    )
    contents = [
        f"{{{CONTENT_NS}}}encoded",  # RSS
        f"{ATOM}entry/{ATOM}content",
    ]
    for url, path in zip(XML_FEEDS, contents, strict=True):
        content = ET.fromstring(fetch(client, url).content).find(f".//{path}").text
        assert content.startswith(img + "<p>De luchtmacht koopt raketten.</p>"), content
        assert parse(client, url).entries[0].content[0].value.startswith("<p><img ")
    item = parse(client, "/feed/json/")["items"][0]
    assert item["content_html"].startswith(img + "<p>De luchtmacht koopt raketten.</p>")
    assert item["image"] == src


def test_no_image_in_the_content_without_one(client, tagged):
    assert "<img" not in parse(client, "/feed/").entries[0].content[0].value
    assert "image" not in parse(client, "/feed/json/")["items"][0]


def test_the_lead_image_is_an_enclosure(client, tagged):
    """A JPEG rendition of about 1200 px, with the size stored with it: a feed opens no file."""
    with_image(article=tagged, image_kw={"alt": "Rood en blauw."})
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
    assert hrefs(render_feed_links(feed_scope=FeedScope(country)))[3:] == [
        "/land/marokko/feed/", "/land/marokko/feed/atom/", "/land/marokko/feed/json/",
    ]  # fmt: skip
    assert hrefs(render_feed_links(feed_scope=FeedScope(topic=topic)))[3:] == [
        "/onderwerp/defensie/feed/", "/onderwerp/defensie/feed/atom/",
        "/onderwerp/defensie/feed/json/",
    ]  # fmt: skip
    # A country narrowed to a topic has one scope, whichever way round it is made.
    for tags in ((country, topic), (topic, country)):
        markup = render_feed_links(feed_scope=FeedScope.of(*tags))
        assert hrefs(markup)[3] == "/land/marokko/feed/?onderwerp=defensie"


def test_an_article_page_links_the_feeds_of_its_tags(tagged, django_assert_num_queries):
    article = Article.objects.for_listing().get(pk=tagged.pk)
    with django_assert_num_queries(0):
        markup = render_feed_links(article=article)
    assert hrefs(markup)[::3] == [
        "/feed/", "/land/marokko/feed/", "/land/verenigde-staten/feed/",
        "/onderwerp/defensie/feed/", "/onderwerp/luchtmacht/feed/",
    ]  # fmt: skip
    assert 'title="Marokko - ' in markup


def test_one_scope_for_pages_feeds_and_links(tagged):
    country, topic = Country.objects.get(code="MA"), Topic.objects.get(slug="defensie")
    scope = FeedScope.of(topic, country)
    assert scope == FeedScope(country, topic)
    assert scope.page_url == "/land/marokko/?onderwerp=defensie"
    assert scope.title == f"Marokko: defensie - {settings.SITE_NAME}"
    assert [feed.url for feed in scope.feeds] == [
        "/land/marokko/feed/?onderwerp=defensie",
        "/land/marokko/feed/atom/?onderwerp=defensie",
        "/land/marokko/feed/json/?onderwerp=defensie",
    ]
    assert list(scope.articles(Article.objects.all())) == [tagged]
    assert FeedScope().page_url == "/" and FeedScope().title == settings.SITE_NAME


def test_a_topic_feed_narrowed_to_a_country_answers_301_to_the_country_feed(client, tagged):
    for fmt in ("", "atom/", "json/"):
        response = client.get(f"/onderwerp/defensie/feed/{fmt}?land=marokko&utm_source=x")
        assert response.status_code == 301
        assert response.headers["Location"] == (
            f"/land/marokko/feed/{fmt}?onderwerp=defensie&utm_source=x"
        )


def test_the_pages_carry_the_links(client, tagged):
    for url in ("/", "/land/marokko/", tagged.get_absolute_url()):
        assert b'<link rel="alternate" type="application/rss+xml"' in client.get(url).content
    page = client.get(tagged.get_absolute_url()).content.decode()
    assert 'href="/onderwerp/luchtmacht/feed/atom/"' in page
