"""Reader pages run a fixed number of queries, whatever the number of articles and tags."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from .conftest import make_article

pytestmark = pytest.mark.django_db

COUNTRIES = ["MA", "ES", "FR", "RU", "US"]
TOPICS = ["defensie", "luchtmacht", "marine", "diplomatie", "handel"]
# Local noon yesterday: every article on the same archive day, none in the future.
DAY = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0) - timedelta(days=1)

# The most queries each page may run, and how many teasers it shows. Cached pages
# run one more when rendered first after a change: the page cache's look-up of
# the next scheduled publication (news.caching.page_timeout).
BUDGETS = {
    "/": (8, 19),  # and the top story; the sidebar's headlines per country
    "/land/marokko/": (7, 20),
    "/land/marokko/?onderwerp=defensie": (8, 20),
    "/onderwerp/defensie/": (7, 20),
    "/archief/": (2, 0),
    f"/archief/{DAY:%Y}/": (5, 0),
    f"/archief/{DAY:%Y/%m}/": (9, 20),
    f"/archief/{DAY:%Y/%m/%d}/": (10, 20),
    "/zoeken/?q=intro": (5, 20),
    "/volgen/": (3, 0),
    "/sitemap.xml": (8, 0),
    "/sitemap-nieuws.xml": (3, 0),
}


def make_articles(n):
    return [
        make_article(
            countries=COUNTRIES,
            topics=TOPICS,
            lead=f"Intro {i}.",
            published_at=DAY - timedelta(minutes=i),
        )
        for i in range(n)
    ]


def count_queries(client, url):
    cache.clear()  # a cold render each time, popularity lists included
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("url, budget, teasers", [(u, *b) for u, b in BUDGETS.items()])
def test_page_stays_within_its_budget(client, django_assert_max_num_queries, url, budget, teasers):
    make_articles(25)
    with django_assert_max_num_queries(budget):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('class="teaser-title"') == teasers


def test_article_page_stays_within_its_budget(client, django_assert_max_num_queries):
    *_, article = make_articles(25)
    with django_assert_max_num_queries(7):
        assert client.get(article.get_absolute_url()).status_code == 200


def test_queries_do_not_grow_with_articles_or_tags(client):
    make_article(countries=["MA"], topics=["defensie"], published_at=DAY)
    few = {url: count_queries(client, url) for url in BUDGETS}
    make_articles(24)
    many = {url: count_queries(client, url) for url in BUDGETS}
    assert many == few
