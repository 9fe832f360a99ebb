import json
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from news.text import single_line

from .conftest import make_article

pytestmark = pytest.mark.django_db

HOST = "http://testserver"
EVIL = 'Kop </script><script>alert(1)</script> & "citaat" <!-- \u2028'


def json_ld(html):
    """Return the parsed JSON-LD blocks of a page."""
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


def meta(html, attribute, name):
    match = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">', html)
    return match and match.group(1)


@pytest.fixture
def article():
    return make_article(
        title="Bondarev in Marrakech",
        lead="Viktor Bondarev ontmoet zijn Marokkaanse ambtgenoot.",
        byline="Redactie",
        topics=["defensie", "luchtmacht"],
        published_at=datetime(2014, 5, 4, 15, 44, tzinfo=ZoneInfo("Europe/Amsterdam")),
    )


def test_article_has_title_description_and_canonical(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<title>Bondarev in Marrakech - Marokko &amp; Wereld</title>" in html
    assert meta(html, "name", "description") == article.lead
    url = HOST + article.get_absolute_url()
    assert f'<link rel="canonical" href="{url}">' in html


def test_article_has_open_graph_and_twitter_tags(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    url = HOST + article.get_absolute_url()
    assert meta(html, "property", "og:type") == "article"
    assert meta(html, "property", "og:title") == article.title
    assert meta(html, "property", "og:description") == article.lead
    assert meta(html, "property", "og:url") == url
    assert meta(html, "property", "og:site_name") == "Marokko &amp; Wereld"
    assert meta(html, "property", "og:locale") == "nl_NL"
    assert meta(html, "property", "og:image").startswith(HOST + "/static/")
    assert meta(html, "property", "article:published_time") == "2014-05-04T15:44:00+02:00"
    assert re.findall(r'<meta property="article:tag" content="([^"]+)">', html) == [
        "defensie",
        "luchtmacht",
    ]
    assert meta(html, "name", "twitter:card") == "summary_large_image"
    assert meta(html, "name", "twitter:title") == article.title
    assert meta(html, "name", "twitter:image") == meta(html, "property", "og:image")


def test_article_json_ld_is_a_news_article(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    (data,) = json_ld(html)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Bondarev in Marrakech"
    assert data["datePublished"] == "2014-05-04T15:44:00+02:00"
    assert datetime.fromisoformat(data["dateModified"]) >= datetime.fromisoformat(
        data["datePublished"]
    )
    assert data["author"] == {"@type": "Person", "name": "Redactie"}
    assert data["publisher"]["@type"] == "Organization"
    assert data["publisher"]["name"] == "Marokko & Wereld"
    assert data["publisher"]["logo"]["url"].startswith(HOST + "/static/")
    assert data["image"] and all(url.startswith(HOST + "/") for url in data["image"])
    assert data["mainEntityOfPage"]["@id"] == HOST + article.get_absolute_url()


def test_json_ld_without_byline_credits_the_site(client):
    article = make_article(byline="")
    (data,) = json_ld(client.get(article.get_absolute_url()).content.decode())
    assert data["author"]["@type"] == "Organization"
    assert data["author"]["name"] == "Marokko & Wereld"


def test_no_field_can_close_the_json_ld_script(client):
    article = make_article(title=EVIL, lead=EVIL, byline=EVIL)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    (data,) = json_ld(html)
    # Stored as one line: the line separator (U+2028) in EVIL is gone.
    assert data["headline"] == single_line(EVIL) == EVIL.strip()
    assert data["description"] == single_line(EVIL)
    assert data["author"]["name"] == single_line(EVIL)
    # The page's only script element is the JSON-LD one.
    assert html.count("<script") == 1 and html.count("</script>") == 1


def test_meta_tags_escape_the_title(client):
    article = make_article(title=EVIL)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;citaat&quot;" in html


def test_description_of_a_long_lead_is_its_teaser(client):
    article = make_article(lead="woord " * 60)
    html = client.get(article.get_absolute_url()).content.decode()
    description = meta(html, "name", "description")
    assert description.endswith("...") and len(description) <= 178


def test_list_pages_have_a_canonical_url_without_noise(client):
    for _ in range(21):
        make_article(countries=["MA"], topics=["defensie"])
    cases = {
        "/?utm_source=nieuwsbrief": f"{HOST}/",
        "/?page=1": f"{HOST}/",
        "/?page=2&fbclid=x": f"{HOST}/?page=2",
        "/land/marokko/?onderwerp=defensie&utm_medium=x": (
            f"{HOST}/land/marokko/?onderwerp=defensie"
        ),
        "/archief/": f"{HOST}/archief/",
    }
    for url, canonical in cases.items():
        html = client.get(url).content.decode()
        assert f'<link rel="canonical" href="{canonical}">' in html, url
        assert meta(html, "property", "og:url") == canonical


def test_list_pages_have_titles_and_a_description(client):
    make_article(countries=["MA"], topics=["defensie"])
    html = client.get("/land/marokko/").content.decode()
    assert "<title>Marokko - Marokko &amp; Wereld</title>" in html
    assert meta(html, "name", "description") == "Nieuws over Marokko op Marokko &amp; Wereld."
    html = client.get("/land/marokko/?onderwerp=defensie").content.decode()
    assert "<title>Marokko: defensie - Marokko &amp; Wereld</title>" in html
    assert json_ld(html) == []
