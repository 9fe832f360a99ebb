import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from news.models import Article

from .conftest import make_article

pytestmark = pytest.mark.django_db

NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}
HOST = "http://testserver"


def entries(client, url):
    """Return {loc: <url> element} of a sitemap."""
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    return {el.find("sm:loc", NS).text: el for el in root.findall("sm:url", NS)}


def test_sitemap_lists_published_articles_with_lastmod(client):
    article = make_article(
        title="Oud stuk", published_at=datetime(2014, 5, 4, 15, 44, tzinfo=ZoneInfo("UTC"))
    )
    urls = entries(client, "/sitemap.xml")
    entry = urls[HOST + article.get_absolute_url()]
    # Saved today (the site's day, in Amsterdam), so modified today, after it appeared in 2014.
    assert entry.find("sm:lastmod", NS).text == f"{timezone.localdate():%Y-%m-%d}"


def test_sitemap_lists_country_and_topic_pages_that_have_articles(client):
    make_article(countries=["MA"], topics=["defensie"])
    urls = entries(client, "/sitemap.xml")
    assert f"{HOST}/land/marokko/" in urls
    assert f"{HOST}/onderwerp/defensie/" in urls
    assert f"{HOST}/land/zweden/" not in urls
    assert f"{HOST}/" in urls
    assert f"{HOST}/archief/" in urls
    assert urls[f"{HOST}/land/marokko/"].find("sm:lastmod", NS) is not None


def test_sitemap_leaves_out_unpublished_articles_and_their_tags(client):
    draft = make_article(status=Article.Status.DRAFT, countries=["SE"], topics=["geheim"])
    scheduled = make_article(
        published_at=timezone.now() + timedelta(hours=1), countries=["SE"], topics=["geheim"]
    )
    urls = entries(client, "/sitemap.xml")
    for article in (draft, scheduled):
        assert HOST + article.get_absolute_url() not in urls
    assert f"{HOST}/land/zweden/" not in urls
    assert f"{HOST}/onderwerp/geheim/" not in urls


def test_news_sitemap_has_the_last_two_days(client):
    recent = make_article(title='Vers & "nieuw"', published_at=timezone.now() - timedelta(hours=3))
    old = make_article(title="Van vorige week", published_at=timezone.now() - timedelta(days=3))
    draft = make_article(title="Concept", status=Article.Status.DRAFT)
    urls = entries(client, "/sitemap-nieuws.xml")
    assert list(urls) == [HOST + recent.get_absolute_url()]
    news = urls[HOST + recent.get_absolute_url()].find("news:news", NS)
    assert news.find("news:title", NS).text == 'Vers & "nieuw"'
    assert news.find("news:publication/news:name", NS).text == "Marokko & Wereld"
    assert news.find("news:publication/news:language", NS).text == "nl"
    published = datetime.fromisoformat(news.find("news:publication_date", NS).text)
    assert published == recent.published_at
    assert published.utcoffset() == timezone.localtime(recent.published_at).utcoffset()
    assert HOST + old.get_absolute_url() not in urls
    assert HOST + draft.get_absolute_url() not in urls


def test_robots_txt_points_to_the_sitemaps_and_keeps_crawlers_out(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /zoeken/" in lines
    assert f"Sitemap: {HOST}/sitemap.xml" in lines
    assert f"Sitemap: {HOST}/sitemap-nieuws.xml" in lines
