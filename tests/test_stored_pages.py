"""Cached pages as readers get them: one cache round trip, answered before the rest of the
middleware, in one piece, compressed once, with the headers a fresh render has."""

import gzip
from unittest import mock

import brotli
import pytest
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory

from news.caching import VERSION_KEY, PageCacheMiddleware, bump_content_version, cached_for_readers
from news.caching import content_version as current_version

from .conftest import make_article

pytestmark = pytest.mark.django_db

PAGES = ["/", "/land/marokko/", "/onderwerp/defensie/", "/archief/", "/feed/", "/feed/atom/"]
PAGES += ["/feed/json/", "article"]
# Set by the server for each response, or by the cache for each answer.
# Said of this response (news/stored_pages.py OWN_HEADERS), never kept.
PER_RESPONSE = {"date", "x-page-cache", "x-render-cache"}


@pytest.fixture
def article():
    return make_article(title="Eerste versie", countries=["MA"], topics=["defensie"])


def url_of(url, article):
    return article.get_absolute_url() if url == "article" else url


def headers(response):
    return {k.lower(): v for k, v in response.items() if k.lower() not in PER_RESPONSE}


@pytest.mark.parametrize("url", PAGES)
def test_a_hit_carries_the_headers_of_the_render(client, article, url):
    url = url_of(url, article)
    miss, hit = client.get(url), client.get(url)
    assert (miss["X-Page-Cache"], hit["X-Page-Cache"]) == ("miss", "hit")
    assert headers(hit) == headers(miss)
    assert hit.content == miss.content
    for name in ("Content-Security-Policy", "X-Frame-Options", "Cache-Control", "ETag"):
        assert hit.has_header(name), name


@pytest.mark.parametrize("url", PAGES)
def test_a_cached_body_is_one_piece(client, article, url):
    # A body kept in pieces goes out in as many writes (one system call each): a feed was
    # some 1,600 of them.
    url = url_of(url, article)
    for state in ("miss", "hit"):
        response = client.get(url)
        assert response["X-Page-Cache"] == state
        assert len(response._container) == 1, state


def test_an_editors_feed_is_one_piece(client, article, admin_user):
    client.force_login(admin_user)
    response = client.get("/feed/")
    assert response["X-Page-Cache"] == "bypass"
    assert len(response._container) == 1


def test_a_hit_is_one_cache_round_trip_before_the_other_middleware(client, article):
    url = article.get_absolute_url()
    client.get(url)
    with (
        mock.patch("news.caching.cache", wraps=cache) as used,
        # The middleware after the page cache does not run for a hit.
        mock.patch("csp.middleware.CSPMiddleware.process_response", side_effect=AssertionError),
    ):
        response = client.get(url)
    assert response["X-Page-Cache"] == "hit"
    assert [name for name, *_ in used.mock_calls] == ["get_many"]


def test_the_content_version_never_expires(article):
    cache.delete(VERSION_KEY)
    assert current_version() is not None
    bump_content_version()
    assert seconds_left(VERSION_KEY) is None


def seconds_left(key):
    """Return the seconds until `key` expires in the configured cache (None: never)."""
    backend = caches["default"]
    full_key = backend.make_and_validate_key(key)
    if isinstance(backend, RedisCache):
        ttl = backend._cache.get_client(full_key).ttl(full_key)
        assert ttl != -2, "no such key"
        return None if ttl == -1 else ttl
    value, expires = backend._cache.get(full_key, expire_time=True)  # DiskCache
    assert value is not None, "no such key"
    return expires


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize(
    "accept, coding",
    [("br, gzip", "br"), ("gzip, deflate", "gzip"), ("gzip;q=0, br;q=0", None), ("", None)],
)
def test_pages_are_compressed_as_the_reader_accepts(client, article, url, accept, coding):
    url = url_of(url, article)
    plain = client.get(url).content
    for state in ("hit", "hit"):
        response = client.get(url, headers={"accept-encoding": accept})
        assert response["X-Page-Cache"] == state
        assert response.get("Content-Encoding") == coding
        body = response.content
        decoded = {"br": brotli.decompress, "gzip": gzip.decompress, None: bytes}[coding](body)
        assert decoded == plain
        assert int(response["Content-Length"]) == len(body)
        assert "Accept-Encoding" in response["Vary"]
        if coding:
            assert len(body) < len(plain)
            assert response["ETag"].startswith("W/")


def test_a_fresh_render_is_compressed_too(client, article):
    bump_content_version()
    response = client.get("/", headers={"accept-encoding": "gzip"})
    assert response["X-Page-Cache"] == "miss"
    assert gzip.decompress(response.content).startswith(b"<!doctype html>")


def test_a_compressed_page_answers_its_etag_with_304(client, article):
    etag = client.get("/", headers={"accept-encoding": "br"})["ETag"]
    response = client.get("/", headers={"accept-encoding": "br", "if-none-match": etag})
    assert response.status_code == 304
    assert response.content == b""


def test_an_editors_page_is_never_compressed(client, article, admin_user):
    # BREACH: a compressed response that holds a secret (a CSRF token, a session) leaks it.
    client.force_login(admin_user)
    for url in ("/", article.get_absolute_url(), "/feed/"):
        response = client.get(url, headers={"accept-encoding": "br, gzip"})
        assert response["X-Page-Cache"] == "bypass"
        assert not response.has_header("Content-Encoding")


def test_a_page_with_a_csrf_token_is_neither_kept_nor_compressed():
    @cached_for_readers
    def form_view(request):
        return HttpResponse(f"<form>{get_token(request)}</form>" * 50)

    handler = PageCacheMiddleware(form_view)
    first = handler(RequestFactory().get("/formulier/", HTTP_ACCEPT_ENCODING="gzip"))
    second = handler(RequestFactory().get("/formulier/", HTTP_ACCEPT_ENCODING="gzip"))
    assert second["X-Page-Cache"] == "miss"  # not kept
    for response in (first, second):
        assert not response.has_header("Content-Encoding")


def test_redis_commands_share_one_client():
    # Django builds a new redis.Redis (and its table of response callbacks) per command:
    # on a cached page that was most of the work.
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        pytest.skip("needs REDIS_URL")
    assert backend._cache.get_client() is backend._cache.get_client(write=True)
    cache.set("news:test", 1)
    assert cache.get_many(["news:test"]) == {"news:test": 1}
