"""The page cache: zero queries when warm, stale the moment readers' content changes."""

import threading
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import OperationalError
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from news import views as news_views
from news.caching import PageCacheMiddleware, cached_for_readers
from news.models import Article, Country, Topic

from .conftest import make_article

pytestmark = pytest.mark.django_db

CACHED_PAGES = ["/", "/land/marokko/", "/onderwerp/defensie/", "/archief/", "/feed/", "/feed/json/"]


@pytest.fixture
def article():
    return make_article(title="Eerste versie", countries=["MA"], topics=["defensie"])


@pytest.mark.parametrize("url", CACHED_PAGES + ["article"])
def test_a_warm_page_runs_no_queries(client, article, url, django_assert_num_queries):
    url = article.get_absolute_url() if url == "article" else url
    first = client.get(url)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second.status_code == 200
    assert second.content == first.content
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")


def test_cache_headers_fit_a_cdn(client, article):
    response = client.get(article.get_absolute_url())
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"public", "max-age=60", "stale-while-revalidate=300"} <= cache_control


def test_a_page_answers_a_conditional_get_with_304(client, article):
    etag = client.get("/").headers["ETag"]
    response = client.get("/", headers={"if-none-match": etag})
    assert response.status_code == 304
    assert response.content == b""


def test_an_edit_shows_everywhere_at_the_next_request(client, article):
    month = f"/archief/{timezone.localtime(article.published_at):%Y/%m}/"
    pages = [article.get_absolute_url(), month, *CACHED_PAGES]
    pages.remove("/archief/")  # years and counts only
    for url in pages:
        assert "Eerste versie" in client.get(url).content.decode(), url
    article.title = "Tweede versie"
    article.save()
    for url in pages:
        html = client.get(url).content.decode()
        assert "Tweede versie" in html and "Eerste versie" not in html, url


def test_publishing_shows_on_the_front_page_and_feeds(client, article):
    draft = make_article(title="Nog niet", status=Article.Status.DRAFT, published_at=None)
    assert "Nog niet" not in client.get("/").content.decode()
    assert "Nog niet" not in client.get("/feed/").content.decode()
    draft.status = Article.Status.PUBLISHED
    draft.save()
    assert "Nog niet" in client.get("/").content.decode()
    assert "Nog niet" in client.get("/feed/").content.decode()


def test_unpublishing_and_deleting_take_effect_at_once(client, article):
    other = make_article(title="Blijft staan")
    url = article.get_absolute_url()
    assert client.get(url).status_code == 200
    article.status = Article.Status.DRAFT
    article.save()
    assert client.get(url).status_code == 404
    assert "Eerste versie" not in client.get("/").content.decode()

    assert "Blijft staan" in client.get("/").content.decode()
    other.delete()
    assert "Blijft staan" not in client.get("/").content.decode()


def test_a_tag_change_shows_on_the_tag_pages(client, article):
    assert "Eerste versie" in client.get("/land/marokko/").content.decode()
    assert "Eerste versie" not in client.get("/land/rusland/").content.decode()
    article.countries.set([Country.objects.get(code="RU")])
    assert "Eerste versie" not in client.get("/land/marokko/").content.decode()
    assert "Eerste versie" in client.get("/land/rusland/").content.decode()
    Topic.objects.filter(name="defensie").update(name="Defensie")  # no signal from update()
    Topic.objects.get(name="Defensie").save()
    assert ">Defensie<" in client.get("/onderwerp/defensie/").content.decode()


def test_a_scheduled_article_appears_on_time_under_caching(client, article):
    moment = timezone.now() + timedelta(minutes=30)
    make_article(title="Gepland stuk", published_at=moment)
    assert "Gepland stuk" not in client.get("/").content.decode()
    assert "Gepland stuk" not in client.get("/feed/").content.decode()
    with mock.patch("django.utils.timezone.now", return_value=moment):
        assert "Gepland stuk" in client.get("/").content.decode()
        assert "Gepland stuk" in client.get("/feed/").content.decode()


def test_an_ending_publication_leaves_on_time_under_caching(client, article):
    end = timezone.now() + timedelta(minutes=30)
    article.unpublish_at = end
    article.save()
    assert "Eerste versie" in client.get("/").content.decode()
    with mock.patch("django.utils.timezone.now", return_value=end):
        assert "Eerste versie" not in client.get("/").content.decode()


def test_editors_always_see_fresh_pages(client, article, admin_user):
    client.get(article.get_absolute_url())  # cached for readers
    client.force_login(admin_user)
    Article.objects.filter(pk=article.pk).update(title="Stil gewijzigd")  # no signal
    response = client.get(article.get_absolute_url())
    assert "Stil gewijzigd" in response.content.decode()
    assert "private" in response["Cache-Control"] and "no-cache" in response["Cache-Control"]
    assert response["X-Page-Cache"] == "bypass"


def test_without_a_signal_readers_keep_the_cached_page(client, article):
    # The other side of the previous test: proof that the page really is cached.
    client.get(article.get_absolute_url())
    Article.objects.filter(pk=article.pk).update(title="Stil gewijzigd")
    assert "Eerste versie" in client.get(article.get_absolute_url()).content.decode()


def test_many_readers_of_one_cold_page_make_one_render():
    renders = []

    @cached_for_readers
    def slow_view(request):
        renders.append(1)
        time.sleep(0.2)
        return HttpResponse("klaar")

    cache.clear()
    handler = PageCacheMiddleware(slow_view)
    barrier = threading.Barrier(50)
    answers = []

    def reader():
        request = RequestFactory().get("/koud/")
        barrier.wait()
        answers.append(handler(request).content)

    with mock.patch("news.caching.page_timeout", return_value=60):
        threads = [threading.Thread(target=reader) for _ in range(50)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert answers == [b"klaar"] * 50
    assert len(renders) <= 2


def test_healthz_answers_when_database_and_cache_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content.decode() == "database: ok\ncache: ok\n"


def test_healthz_fails_when_the_database_is_down(client):
    with mock.patch(
        "news.health.connection.cursor", side_effect=OperationalError("connection refused")
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert "database: FAIL" in response.content.decode()


def test_healthz_fails_when_the_cache_is_down(client):
    with mock.patch("news.health.cache.set", side_effect=ConnectionError("cache down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert "cache: FAIL" in response.content.decode()


def test_list_counts_follow_every_change_and_the_clock(client, article):
    from news.caching import cached_count

    def count():
        return cached_count(Article.objects.published(), "alles")

    assert count() == 1
    make_article()
    assert count() == 2
    moment = timezone.now() + timedelta(minutes=5)
    make_article(published_at=moment)
    assert count() == 2
    with mock.patch("django.utils.timezone.now", return_value=moment):
        assert count() == 3


@pytest.mark.parametrize("change", ["publication", "end"])
def test_a_render_under_way_at_a_scheduled_change_is_not_kept(client, change):
    """A render that starts before a scheduled moment and ends after it shows the old state:
    it must not be served past that moment."""
    moment = timezone.now() + timedelta(seconds=1)
    if change == "publication":
        make_article(title="Om klokslag", published_at=moment)
    else:
        make_article(title="Om klokslag", unpublish_at=moment)
    make_article(title="Al lang online", published_at=timezone.now() - timedelta(days=1))
    render = news_views.FrontPageView.get_context_data

    def slow_render(view, **kwargs):
        context = render(view, **kwargs)  # the articles are read before the moment
        time.sleep(max(0, (moment - timezone.now()).total_seconds()) + 0.2)
        return context

    with mock.patch.object(news_views.FrontPageView, "get_context_data", slow_render):
        before = client.get("/").content.decode()
    assert ("Om klokslag" in before) == (change == "end")
    after = client.get("/")
    assert ("Om klokslag" in after.content.decode()) == (change == "publication")


def test_a_campaign_parameter_does_not_count_a_list_again(client, article):
    # At 100,000 articles a count takes a tenth of a second: readers arriving from a
    # newsletter or a share (utm_source, fbclid) must not each pay it.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for url in ("/", "/land/marokko/?onderwerp=defensie"):
        client.get(url)
        sep = "&" if "?" in url else "?"
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{url}{sep}utm_source=nieuwsbrief&fbclid=abc")
        assert response["X-Page-Cache"] == "miss"
        assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"]], url
