"""Conditional GET: feed readers poll often, and most polls should cost a 304."""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone
from django.utils.http import http_date

from news.models import Article, Topic

from .conftest import make_article

pytestmark = pytest.mark.django_db

EVERY_FEED = [
    f"{prefix}feed/{fmt}"
    for prefix in ("/", "/land/marokko/", "/onderwerp/defensie/")
    for fmt in ("", "atom/", "json/")
]


@pytest.fixture
def moroccan():
    return make_article(title="Marokko", countries=["MA"], topics=["defensie"])


def etag_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.headers["ETag"]


@pytest.mark.parametrize("url", EVERY_FEED)
def test_validators_and_cache_headers(client, moroccan, url):
    response = client.get(url)
    assert response.headers["ETag"].startswith('"')
    assert response.headers["Last-Modified"] == http_date(moroccan.updated_at.timestamp())
    assert response.headers["Cache-Control"] == "public, max-age=300"


@pytest.mark.parametrize("url", EVERY_FEED)
def test_a_matching_etag_gets_304(client, moroccan, url, django_assert_max_num_queries):
    etag = etag_of(client, url)
    # The object of a country or topic feed, then the one query over the feed's items.
    with django_assert_max_num_queries(2):
        response = client.get(url, headers={"if-none-match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert response.headers["ETag"] == etag
    assert response.headers["Cache-Control"] == "public, max-age=300"


@pytest.mark.parametrize(
    "url", ["/feed/", "/land/marokko/feed/atom/", "/onderwerp/defensie/feed/json/"]
)
def test_an_unchanged_last_modified_gets_304(client, moroccan, url):
    last_modified = client.get(url).headers["Last-Modified"]
    response = client.get(url, headers={"if-modified-since": last_modified})
    assert response.status_code == 304
    assert response.content == b""
    earlier = http_date((moroccan.updated_at - timedelta(minutes=1)).timestamp())
    assert client.get(url, headers={"if-modified-since": earlier}).status_code == 200


def test_a_304_of_the_site_feed_costs_one_query(client, moroccan, django_assert_max_num_queries):
    etag = etag_of(client, "/feed/")
    # None at all when the feed comes from the page cache.
    with django_assert_max_num_queries(1):
        assert client.get("/feed/", headers={"if-none-match": etag}).status_code == 304


def test_a_full_feed_costs_a_fixed_number_of_queries(client, django_assert_num_queries):
    for n in range(35):
        make_article(countries=["MA", "ES"], topics=["defensie", f"onderwerp {n}"])
    # Validators, articles (with their place), countries, topics; plus the country;
    # plus the page cache's look-up of the next scheduled change, once per content version.
    with django_assert_num_queries(5):
        client.get("/feed/")
    with django_assert_num_queries(5):
        client.get("/land/marokko/feed/atom/")


def content_under_a_new_etag(client, url, etag):
    """Ask for `url` with an old ETag: assert a full answer under another ETag; its text."""
    response = client.get(url, headers={"if-none-match": etag})
    assert response.status_code == 200
    assert response.headers["ETag"] != etag
    return response.content.decode()


@pytest.mark.parametrize("url", ["/feed/", "/land/marokko/feed/", "/onderwerp/defensie/feed/json/"])
def test_an_edit_to_an_item_changes_the_etag(client, moroccan, url):
    etag = etag_of(client, url)
    moroccan.title = "Marokko, bijgewerkt"
    moroccan.save()
    assert "Marokko, bijgewerkt" in content_under_a_new_etag(client, url, etag)


@pytest.mark.parametrize("url", ["/feed/", "/land/marokko/feed/", "/onderwerp/defensie/feed/json/"])
def test_unpublishing_an_item_changes_the_etag(client, moroccan, url):
    make_article(title="Ouder", countries=["MA"], topics=["defensie"])
    etag = etag_of(client, url)
    moroccan.status = Article.Status.DRAFT
    moroccan.save()
    content = content_under_a_new_etag(client, url, etag)
    assert "Ouder" in content
    assert moroccan.get_absolute_url() not in content


@pytest.mark.parametrize("url", ["/feed/", "/land/marokko/feed/atom/"])
def test_renaming_a_category_changes_the_etag(
    client, moroccan, url, django_capture_on_commit_callbacks
):
    etag = etag_of(client, url)
    topic = Topic.objects.get(slug="defensie")
    with django_capture_on_commit_callbacks(execute=True):
        topic.name = "Defensie en veiligheid"
        topic.save()
    assert "Defensie en veiligheid" in content_under_a_new_etag(client, url, etag)


def test_an_edit_elsewhere_leaves_a_country_feed_alone(client, moroccan):
    spanish = make_article(title="Spanje", countries=["ES"], topics=["economie"])
    country_etag = etag_of(client, "/land/marokko/feed/")
    site_etag = etag_of(client, "/feed/")
    spanish.title = "Spanje, bijgewerkt"
    spanish.save()
    response = client.get("/land/marokko/feed/", headers={"if-none-match": country_etag})
    assert response.status_code == 304
    assert etag_of(client, "/feed/") != site_etag


def test_a_scheduled_article_changes_the_etag_when_it_appears(client, moroccan):
    make_article(
        title="Gepland", countries=["MA"], published_at=timezone.now() + timedelta(hours=1)
    )
    etag = etag_of(client, "/land/marokko/feed/")
    last_modified = client.get("/land/marokko/feed/").headers["Last-Modified"]
    assert client.get("/land/marokko/feed/", headers={"if-none-match": etag}).status_code == 304
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + timedelta(hours=2)):
        by_etag = client.get("/land/marokko/feed/", headers={"if-none-match": etag})
        by_date = client.get("/land/marokko/feed/", headers={"if-modified-since": last_modified})
    assert by_etag.status_code == by_date.status_code == 200
    assert "Gepland" in by_etag.content.decode()


def test_each_format_has_its_own_etag(client, moroccan):
    etags = {etag_of(client, url) for url in EVERY_FEED}
    assert len(etags) == len(EVERY_FEED)


def test_a_narrowed_country_feed_has_its_own_etag(client, moroccan):
    make_article(title="Economie", countries=["MA"], topics=["economie"])
    assert etag_of(client, "/land/marokko/feed/") != etag_of(
        client, "/land/marokko/feed/?onderwerp=defensie"
    )


def test_an_unknown_slug_is_a_404_even_with_a_validator(client, moroccan):
    etag = etag_of(client, "/land/marokko/feed/")
    for url in ("/land/atlantis/feed/", "/land/marokko/feed/?onderwerp=niets"):
        assert client.get(url, headers={"if-none-match": etag}).status_code == 404


def test_an_empty_feed_still_answers(client):
    response = client.get("/onderwerp/defensie/feed/")
    assert response.status_code == 404  # no such topic yet
    response = client.get("/land/marokko/feed/")
    assert response.status_code == 200
    assert "Last-Modified" not in response.headers
    etag = response.headers["ETag"]
    assert client.get("/land/marokko/feed/", headers={"if-none-match": etag}).status_code == 304


def test_feeds_only_answer_get_and_head(client, moroccan):
    assert client.head("/feed/").status_code == 200
    assert client.post("/feed/").status_code == 405
