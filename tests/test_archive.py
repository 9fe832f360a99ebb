import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from news.models import Article

from .conftest import make_article

pytestmark = pytest.mark.django_db

TEASER_TITLE = re.compile(r'class="teaser-title"><a href="[^"]+">([^<]+)</a>')

LOCAL = ZoneInfo("Europe/Amsterdam")


def at(*args):
    return datetime(*args, tzinfo=LOCAL)


def text_of(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())).strip()


def titles(response):
    return TEASER_TITLE.findall(response.content.decode())


@pytest.fixture
def archive():
    """Articles around the turn of May 2014, in Amsterdam time."""
    return {
        "oct": make_article(title="Oktober 2013", published_at=at(2013, 10, 14, 16, 5)),
        "may4": make_article(title="Vier mei", published_at=at(2014, 5, 4, 15, 44)),
        # 23:30 in Amsterdam is 21:30 UTC: still the 31st in both.
        "may31": make_article(title="Laat op 31 mei", published_at=at(2014, 5, 31, 23, 30)),
        # 00:30 on 1 June in Amsterdam is 22:30 UTC on 31 May: a June article.
        "jun1": make_article(title="Net na middernacht", published_at=at(2014, 6, 1, 0, 30)),
        "draft": make_article(
            title="Concept", status=Article.Status.DRAFT, published_at=at(2014, 5, 4, 9, 0)
        ),
    }


def test_archive_index_lists_years_with_counts(client, archive):
    response = client.get("/archief/")
    assert response.status_code == 200
    text = text_of(response)
    assert "2014 3 artikelen" in text
    assert "2013 1 artikel" in text
    assert text.index("2014") < text.index("2013")
    assert 'href="/archief/2014/"' in response.content.decode()


def test_empty_archive_is_friendly(client):
    response = client.get("/archief/")
    assert response.status_code == 200
    assert "Het archief is nog leeg" in text_of(response)


def test_year_lists_months_in_dutch_with_counts(client, archive):
    response = client.get("/archief/2014/")
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'href="/archief/2014/05/">mei</a> <span class="n">2 artikelen', html)
    assert re.search(r'href="/archief/2014/06/">juni</a> <span class="n">1 artikel<', html)
    assert 'href="/archief/2013/"' in html  # the previous year with news


def test_month_lists_its_articles_and_days_in_local_time(client, archive):
    response = client.get("/archief/2014/05/")
    assert response.status_code == 200
    assert titles(response) == ["Laat op 31 mei", "Vier mei"]
    html = response.content.decode()
    assert "Archief mei 2014" in html
    assert 'href="/archief/2014/05/04/">4 mei</a>' in html
    assert 'href="/archief/2014/05/31/">31 mei</a>' in html
    assert 'href="/archief/2014/06/">juni 2014' in html  # next month with news
    assert 'href="/archief/2013/10/">&larr; oktober 2013' in html  # previous month with news
    assert titles(client.get("/archief/2014/06/")) == ["Net na middernacht"]


def test_day_lists_that_days_articles(client, archive):
    response = client.get("/archief/2014/05/31/")
    assert response.status_code == 200
    assert titles(response) == ["Laat op 31 mei"]
    assert "Zaterdag 31 mei 2014" in text_of(response)
    assert titles(client.get("/archief/2014/06/01/")) == ["Net na middernacht"]
    assert titles(client.get("/archief/2014/05/04/")) == ["Vier mei"]


def test_month_paginates(client):
    for day in range(1, 22):
        make_article(published_at=at(2014, 5, day, 12, 0))
    first = client.get("/archief/2014/05/")
    assert len(titles(first)) == 20
    assert 'href="?page=2"' in first.content.decode()
    assert len(titles(client.get("/archief/2014/05/?page=2"))) == 1
    assert client.get("/archief/2014/05/?page=3").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/archief/2014/02/30/",
        "/archief/2014/13/",
        "/archief/2014/00/",
        "/archief/2014/05/32/",
        "/archief/2014/05/00/",
        "/archief/2014/5/",
        "/archief/0000/",
        "/archief/9999/",
        "/archief/9999/12/31/",
        "/archief/14/",
        "/archief/abcd/",
    ],
)
def test_impossible_dates_are_404(client, archive, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "url", ["/archief/1000/", "/archief/1000/01/01/", "/archief/2999/12/", "/archief/2999/12/31/"]
)
def test_dates_at_the_edges_are_404_not_500(client, archive, url):
    assert client.get(url).status_code == 404


def test_dates_without_news_are_404(client, archive):
    assert client.get("/archief/2012/").status_code == 404
    assert client.get("/archief/2014/07/").status_code == 404
    assert client.get("/archief/2014/05/05/").status_code == 404


def test_archive_leaves_out_unpublished_articles(client, archive):
    # The draft is dated 4 May 2014; the counts and lists ignore it.
    assert "Concept" not in client.get("/archief/2014/05/04/").content.decode()
    assert "2 artikelen" in text_of(client.get("/archief/2014/"))
