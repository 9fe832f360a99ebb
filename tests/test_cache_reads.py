"""What a reader's page costs the cache on a miss (news/caching.py): each key read once per
request, what a render reads next read with the render lock on Redis (one round trip), and
a kept page's render lock left to expire rather than deleted."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.cache import cache
from django.utils import timezone

from news import caching
from news.caching import (
    CHANGES_KEY,
    GENERATION_KEY,
    LOCK_KEY,
    NEXT_CHANGE_KEY,
    VERSION_KEY,
    VOCABULARY_KEY,
    bump_content_version,
)

from .conftest import make_article

pytestmark = pytest.mark.django_db

READS = ("get", "get_many", "add_and_get_many")
CALLS = (*READS, "add", "set", "set_many", "set_many_tagged", "delete", "incr")
REDIS = hasattr(cache, "add_and_get_many")
PAGES = ["article", "/", "/onderwerp/defensie/", "/feed/"]


@pytest.fixture
def article():
    for n in range(3):
        make_article(title=f"Ander nieuws {n}", countries=["MA"], topics=["defensie"])
    return make_article(title="Het artikel", countries=["MA"], topics=["defensie"])


class Recorded(list):
    """Each cache call of a request: (method, [keys])."""

    def reads(self):
        return [key for method, keys in self if method in READS for key in keys]


@pytest.fixture
def recorded():
    calls = Recorded()
    inside = []

    def recording(method):
        original = getattr(cache, method)

        def call(*args, **kwargs):
            if inside:  # DiskCache's get_many calls its get: one call of ours
                return original(*args, **kwargs)
            keys = args[0]
            if method == "add_and_get_many":
                keys = args[3]
            calls.append((method, [keys] if isinstance(keys, str) else list(keys)))
            inside.append(method)
            try:
                return original(*args, **kwargs)
            finally:
                inside.pop()

        return call

    patches = [
        mock.patch.object(cache, method, recording(method))
        for method in CALLS
        if hasattr(cache, method)
    ]
    for patch in patches:
        patch.start()
    yield calls
    for patch in patches:
        patch.stop()


def after_an_edit(client, url, recorded):
    """Return the cache calls of the first reader of `url` after an edit elsewhere (its
    render kept, as for most pages after an edit)."""
    client.get(url)
    bump_content_version()
    recorded.clear()
    response = client.get(url)
    assert (response["X-Page-Cache"], response["X-Render-Cache"]) == ("miss", "hit")
    return recorded


@pytest.mark.parametrize("url", PAGES)
def test_a_miss_reads_each_key_once(client, article, recorded, url):
    url = article.get_absolute_url() if url == "article" else url
    calls = after_an_edit(client, url, recorded)
    reads = calls.reads()
    assert sorted(reads) == sorted(set(reads)), calls
    # The content version only with the page: the render's facts are kept under it.
    assert reads.count(VERSION_KEY) == 1
    assert calls[0] == ("get_many", [VERSION_KEY, calls[0][1][1]])
    if REDIS:
        # The change number, the counters and the next scheduled change: with the lock.
        assert calls[1] == (
            "add_and_get_many",
            [CHANGES_KEY, VOCABULARY_KEY, GENERATION_KEY, NEXT_CHANGE_KEY],
        )
    # Kept for PAGE_CACHE_SECONDS: its lock expires by itself.
    assert not any(method == "delete" for method, _ in calls), calls


def test_an_article_after_an_edit_costs_the_cache(client, article, recorded):
    calls = after_an_edit(client, article.get_absolute_url(), recorded)
    if REDIS:
        # Each a round trip.
        expected = [
            "get_many",  # the page and the content version
            # The render lock, with the counters and the next scheduled change. Taken at
            # the first try: no render finished since the look-up, no second look.
            "add_and_get_many",
            "set",  # the next scheduled change, for the new version
            "get_many",  # Lees meer: the tags' weights
            "get",  # Lees meer: the latest articles, per version
            "set",
            "get",  # the kept render
            # The page, in its three codings, tagged with what it shows, unless that
            # changed since the render began.
            "set_many_tagged",
        ]
    else:
        expected = [
            "get_many",
            "add",
            "get_many",  # the change number
            "get_many",  # the next scheduled change
            "set",
            "get_many",
            "get",
            "set",
            "get_many",  # the counters
            "get",
            "set_many_tagged",
        ]
    assert [method for method, _ in calls] == expected, calls


def test_a_lock_left_to_expire_does_not_hold_readers_of_the_next_version(client, article):
    url = article.get_absolute_url()
    digest = client.get(url).wsgi_request.page_cache.digest
    version = cache.get(VERSION_KEY)
    assert cache.get(LOCK_KEY.format(digest=digest, version=version)) is not None
    bump_content_version()
    # No waiting for the lock of the page kept before the edit.
    with mock.patch.object(caching.time, "sleep", side_effect=AssertionError("waited")):
        response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "Het artikel" in response.content.decode()


def test_a_page_that_expires_before_its_lock_lets_go_of_it(client, article):
    # Something scheduled a few seconds from now: the page is kept until then only.
    make_article(title="Zo meteen", published_at=timezone.now() + timedelta(seconds=4))
    url = article.get_absolute_url()
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    version = cache.get(VERSION_KEY)
    digest = response.wsgi_request.page_cache.digest
    assert cache.get(LOCK_KEY.format(digest=digest, version=version)) is None
