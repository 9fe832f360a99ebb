"""Page cache hits answered in front of Django (news/page_hits.py, config/wsgi.py): the
same page and headers as the middleware's hit, without Django's handler; everything else
goes to Django, which does not look the page up again."""

import gzip
from contextlib import contextmanager
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import RequestFactory

import config.wsgi
from news.caching import VERSION_KEY
from news.page_hits import CachedPages

from .conftest import make_article

pytestmark = pytest.mark.django_db

PAGES = ["/", "/onderwerp/defensie/", "/feed/", "article"]
# Said of each response, never kept (the edge's life of the page counts down).
PER_RESPONSE = {"date", "x-page-cache", "x-render-cache", "surrogate-control"}


@pytest.fixture
def article():
    return make_article(title="Het artikel", countries=["MA"], topics=["defensie"])


def test_the_wsgi_application_answers_hits_in_front_of_django():
    assert isinstance(config.wsgi.application, CachedPages)
    assert isinstance(config.wsgi.application.application, WSGIHandler)


def application():
    # As config.wsgi makes it, with this test's settings (middleware reads them when loaded).
    return CachedPages(WSGIHandler())


def url_of(url, article):
    return article.get_absolute_url() if url == "article" else url


@contextmanager
def django_handler_runs():
    """Yield a list that gets one entry for each request Django's handler takes."""
    started = []

    def receiver(**kwargs):
        started.append(True)

    # As the test client does: closing connections would end the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    request_started.connect(receiver)
    try:
        yield started
    finally:
        request_started.disconnect(receiver)
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def call(url, **headers):
    """Call the WSGI application as gunicorn does; return (status, headers, body)."""
    environ = RequestFactory().generic(headers.pop("method", "GET"), url, **headers).environ
    answer = {}

    def start_response(status, response_headers, exc_info=None):
        answer.update(status=status, headers=response_headers)

    chunks = application()(environ, start_response)
    try:
        body = b"".join(chunks)
    finally:
        if hasattr(chunks, "close"):
            chunks.close()
    kept = {k.lower(): v for k, v in answer["headers"] if k.lower() not in PER_RESPONSE}
    return answer["status"], dict(answer["headers"]), kept, body


@pytest.mark.parametrize("url", PAGES)
def test_a_hit_is_answered_without_djangos_handler(client, article, url):
    url = url_of(url, article)
    client.get(url, headers={"accept-encoding": "gzip"})  # kept by the middleware
    middleware_hit = client.get(url, headers={"accept-encoding": "gzip"})
    assert middleware_hit["X-Page-Cache"] == "hit"
    with django_handler_runs() as started:
        status, sent, kept, body = call(url, HTTP_ACCEPT_ENCODING="gzip")
    assert started == []
    assert status == "200 OK"
    assert sent["X-Page-Cache"] == "hit"
    assert sent["Content-Encoding"] == "gzip"
    assert sent["Content-Length"] == str(len(body))
    assert body == middleware_hit.content
    assert kept == {
        k.lower(): v for k, v in middleware_hit.items() if k.lower() not in PER_RESPONSE
    }
    # Every security header the middleware gave the page.
    assert {"content-security-policy", "x-frame-options", "vary", "etag"} <= set(kept)
    assert gzip.decompress(body).decode().count("Het artikel") >= 1


def test_a_miss_is_looked_up_once(article):
    lookups = []
    get_many = cache.get_many

    def counting(keys, *args, **kwargs):
        if VERSION_KEY in keys:
            lookups.append(keys)
        return get_many(keys, *args, **kwargs)

    with django_handler_runs() as started, mock.patch.object(cache, "get_many", counting):
        status, sent, _, _ = call(article.get_absolute_url())
    assert status == "200 OK" and sent["X-Page-Cache"] == "miss", sent
    assert len(started) == 1
    assert len(lookups) == 1  # in front of Django; the middleware took it from there
    with django_handler_runs() as started:
        assert call(article.get_absolute_url())[1]["X-Page-Cache"] == "hit"
    assert started == []


@pytest.mark.parametrize(
    "headers, status, page_cache",
    [
        # An editor: always fresh, from Django.
        ({"HTTP_COOKIE": "sessionid=abc"}, "200 OK", "bypass"),
        # HEAD: the middleware answers it from the stored page.
        ({"method": "HEAD"}, "200 OK", "hit"),
        # A host Django refuses: its 400, never a 500.
        ({"HTTP_HOST": "evil.example"}, "400 Bad Request", None),
    ],
)
def test_what_is_not_a_plain_hit_goes_to_django(article, headers, status, page_cache):
    url = article.get_absolute_url()
    with django_handler_runs():
        call(url)  # kept
    with django_handler_runs() as started:
        answered, sent, _, _ = call(url, **headers)
    assert started == [True]
    assert answered == status
    assert sent.get("X-Page-Cache") == page_cache


def test_a_conditional_request_for_a_kept_page_is_answered_in_front_of_django(article):
    url = article.get_absolute_url()
    with django_handler_runs():
        etag = call(url)[1]["ETag"]
    with django_handler_runs() as started:
        status, sent, _, body = call(url, HTTP_IF_NONE_MATCH=etag)
        assert (status, sent["ETag"], body) == ("304 Not Modified", etag, b"")
        old = "Sat, 01 Jan 2000 00:00:00 GMT"
        status, sent, _, body = call(url, HTTP_IF_MODIFIED_SINCE=old)
        assert (status, sent["X-Page-Cache"]) == ("200 OK", "hit")
        assert b"Het artikel" in body
    assert started == []


OTHER = '"0000000000"'
OLD = "Sat, 01 Jan 2000 00:00:00 GMT"
FUTURE = "Fri, 01 Jan 2100 00:00:00 GMT"


@pytest.mark.parametrize("coding", ["identity", "gzip"])
@pytest.mark.parametrize(
    "conditions",
    [
        {"if-none-match": "{etag}"},
        {"if-none-match": "W/{etag}"},
        {"if-none-match": "{strong}"},
        {"if-none-match": f"{OTHER}, {{etag}}"},
        {"if-none-match": OTHER},
        {"if-none-match": "*"},
        {"if-none-match": OTHER, "if-modified-since": FUTURE},
        {"if-none-match": "geen etag", "if-modified-since": FUTURE},
        {"if-modified-since": FUTURE},
        {"if-modified-since": OLD},
        {"if-match": OTHER},
        {"if-match": "{etag}", "if-none-match": "{etag}"},
        {"if-unmodified-since": OLD},
    ],
)
def test_conditional_requests_get_what_django_would_answer(client, article, coding, conditions):
    url = article.get_absolute_url()
    encoding = {"accept-encoding": coding}
    with django_handler_runs():
        _, sent, _, _ = call(url, HTTP_ACCEPT_ENCODING=coding)
    etag = sent["ETag"]
    assert etag.startswith("W/") == (coding == "gzip")
    headers = {
        name: value.format(etag=etag, strong=etag.removeprefix("W/"))
        for name, value in conditions.items()
    }
    # Django's answer: the middleware's, from the stored page by get_conditional_response.
    django = client.get(url, headers={**encoding, **headers})
    with django_handler_runs() as started:
        environ = {f"HTTP_{name.upper().replace('-', '_')}": v for name, v in headers.items()}
        status, sent, _, body = call(url, HTTP_ACCEPT_ENCODING=coding, **environ)
    assert started == []
    assert int(status.split()[0]) == django.status_code
    assert {k.lower(): v for k, v in sent.items() if k.lower() not in PER_RESPONSE} == {
        k.lower(): v for k, v in django.items() if k.lower() not in PER_RESPONSE
    }
    assert body == django.content


def test_a_feed_readers_304_is_decided_without_building_a_response(article):
    with django_handler_runs():
        etag = call("/feed/")[1]["ETag"]
    with (
        django_handler_runs(),
        mock.patch("news.stored_pages.get_conditional_response", side_effect=AssertionError),
        mock.patch("news.stored_pages.HttpResponse", side_effect=AssertionError),
    ):
        status, sent, _, body = call("/feed/", HTTP_IF_NONE_MATCH=etag)
        assert (status, sent["ETag"], body) == ("304 Not Modified", etag, b"")
        assert "Content-Type" not in sent
        status, sent, _, body = call("/feed/", HTTP_IF_NONE_MATCH=OTHER)
        assert (status, sent["X-Page-Cache"]) == ("200 OK", "hit") and body
