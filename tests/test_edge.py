"""The edge cache (news/edge.py): reader responses name what they show in Surrogate-Key, the
edge keeps them as long as the page cache would, and a change purges exactly what shows it,
after the commit, retried when the edge does not answer, never failing the save."""

import http.server
import json
import threading
import time
import uuid
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from news import edge, newsroom
from news.models import Article, Country, Topic

from .conftest import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_purges_left_over():
    yield
    # What a test's edge did not take is not sent to the next test's.
    with edge._sender.condition:
        edge._sender.due.clear()


@pytest.fixture
def articles():
    old = make_article(
        title="Ouder nieuws",
        countries=["MA"],
        topics=["defensie"],
        published_at=timezone.now() - timedelta(days=3),
    )
    new = make_article(title="Het artikel", countries=["MA"], topics=["defensie"])
    elsewhere = make_article(title="Ver weg", countries=["JO"], topics=["water"])
    return old, new, elsewhere


def keys(response):
    return set(response["Surrogate-Key"].split())


def test_an_article_page_names_itself_and_its_lees_meer(client, articles):
    old, new, _ = articles
    response = client.get(new.get_absolute_url())
    assert response.status_code == 200
    shown = keys(response)
    assert {"site", f"a{new.pk}", f"a{old.pk}"} <= shown  # old is in its Lees meer
    assert old.get_absolute_url() in response.content.decode()


@pytest.mark.parametrize(
    "url, expected",
    [
        ("/", {"site", "front"}),
        ("/land/marokko/", {"site", "c{MA}"}),
        ("/onderwerp/defensie/", {"site", "t{defensie}"}),
        ("/land/marokko/?onderwerp=defensie", {"site", "c{MA}", "t{defensie}"}),
        ("/feed/", {"site", "feed"}),
        ("/feed/json/", {"site", "feed"}),
        ("/land/marokko/feed/atom/", {"site", "c{MA}"}),
        ("/volgen/", {"site", "follow"}),
        ("/archief/", {"site", "archive"}),
        ("/sitemap.xml", {"site", "sitemap"}),
        ("/sitemap-nieuws.xml", {"site", "sitemap"}),
    ],
)
def test_lists_name_themselves_and_their_articles(client, articles, url, expected):
    old, new, elsewhere = articles
    ids = {
        "MA": Country.objects.get(code="MA").pk,
        "defensie": Topic.objects.get(slug="defensie").pk,
    }
    response = client.get(url)
    assert response.status_code == 200
    expected = {key.replace("{MA}", str(ids["MA"])) for key in expected}
    expected = {key.replace("{defensie}", str(ids["defensie"])) for key in expected}
    shown = keys(response)
    assert expected <= shown, shown
    if url not in ("/volgen/", "/archief/") and "sitemap" not in url:
        assert f"a{new.pk}" in shown
    if url.startswith(("/land/", "/onderwerp/")):
        assert f"a{elsewhere.pk}" not in shown


def test_an_archive_day_names_its_day(client, articles):
    new = articles[1]
    local = timezone.localtime(new.published_at)
    response = client.get(f"/archief/{local:%Y/%m/%d}/")
    assert response.status_code == 200
    assert f"d{local:%Y-%m-%d}" in keys(response)
    assert f"a{new.pk}" in keys(response)
    # The index only: a change of any article makes it stale, not every day of the archive.
    assert "archive" not in keys(response)


def test_the_edge_keeps_a_page_no_longer_than_the_page_cache(client, articles, settings):
    url = articles[1].get_absolute_url()
    first = client.get(url)
    assert first["X-Page-Cache"] == "miss"
    life = int(first["Surrogate-Control"].removeprefix("max-age="))
    assert settings.PAGE_CACHE_SECONDS - 2 <= life <= settings.PAGE_CACHE_SECONDS
    hit = client.get(url)
    assert hit["X-Page-Cache"] == "hit"
    assert keys(hit) == keys(first)
    assert 0 < int(hit["Surrogate-Control"].removeprefix("max-age=")) <= settings.PAGE_CACHE_SECONDS


def test_not_past_the_next_scheduled_change(client, articles):
    make_article(title="Straks", published_at=timezone.now() + timedelta(seconds=90))
    response = client.get("/")
    assert "Straks" not in response.content.decode()
    assert 80 <= int(response["Surrogate-Control"].removeprefix("max-age=")) <= 90


def test_editors_pages_name_nothing(client, articles, admin_user):
    client.force_login(admin_user)
    response = client.get(articles[1].get_absolute_url())
    assert response["X-Page-Cache"] == "bypass"
    assert "Surrogate-Key" not in response
    assert "Surrogate-Control" not in response


@override_settings(SURROGATE_KEY_HEADER="Cache-Tag")
def test_cloudflares_header_takes_commas(client, articles):
    response = client.get("/")
    assert "Surrogate-Key" not in response
    assert {"site", "front"} <= set(response["Cache-Tag"].split(","))


# --- Purging --------------------------------------------------------------------------


class PurgeEndpoint:
    """A real HTTP server taking purges as Fastly's API does (POST, Surrogate-Key)."""

    def __init__(self, failures=0):
        self.received, self.failures = [], failures
        # Its own path: a purge meant for an earlier test's endpoint on the same port is no
        # purge of this one.
        self.path = f"/purge-{uuid.uuid4().hex}"
        endpoint = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                if self.path != endpoint.path:
                    self.send_response(404)
                elif endpoint.failures:
                    endpoint.failures -= 1
                    self.send_response(503)
                else:
                    endpoint.received.append(
                        (self.headers["Surrogate-Key"], self.headers.get("Fastly-Key"))
                    )
                    self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}{self.path}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def keys(self, within=5.0, until=()):
        """Wait for purges (the first and second, or until the keys `until` came); return
        every key purged."""
        deadline = time.monotonic() + within

        def purged():
            return {key for keys, _ in self.received for key in keys.split()}

        while time.monotonic() < deadline:
            if set(until) <= purged() and len(self.received) >= (1 if until else 2):
                break
            time.sleep(0.02)
        return purged()


@pytest.fixture
def endpoint(settings):
    endpoint = PurgeEndpoint()
    settings.EDGE_PURGE, settings.EDGE_PURGE_URL = "http", endpoint.url
    settings.EDGE_PURGE_HEADERS = [("Fastly-Key", "geheim")]
    yield endpoint
    endpoint.server.shutdown()
    endpoint.server.server_close()  # refused at once: no purge of this test waits on it


def test_unpublishing_purges_the_article_and_its_lists_after_the_commit(
    articles, endpoint, admin_user, django_capture_on_commit_callbacks
):
    old, new, elsewhere = articles
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        newsroom.unpublish(Article.objects.filter(pk=new.pk), admin_user)
        time.sleep(0.2)
        assert endpoint.received == []  # not before the commit
    for callback in callbacks:
        callback()
    purged = endpoint.keys()
    local = timezone.localtime(new.published_at)
    assert {f"a{new.pk}", "front", "feed", "archive", "sitemap", f"d{local:%Y-%m-%d}"} <= purged
    assert f"c{Country.objects.get(code='MA').pk}" in purged
    assert f"a{elsewhere.pk}" not in purged and "site" not in purged
    assert endpoint.received[0][1] == "geheim"


def test_retagging_purges_the_lists_the_article_leaves_and_joins(
    articles, endpoint, django_capture_on_commit_callbacks
):
    new = articles[1]
    with django_capture_on_commit_callbacks(execute=True):
        new.countries.set([Country.objects.get(code="JO")])
    ma, jo = (Country.objects.get(code=code).pk for code in ("MA", "JO"))
    expected = {f"a{new.pk}", f"c{ma}", f"c{jo}"}
    assert expected <= endpoint.keys(until=expected)


def test_renaming_a_topic_purges_every_page(articles, endpoint, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        topic = Topic.objects.get(slug="defensie")
        topic.name = "Defensie en veiligheid"
        topic.save()
    assert "site" in endpoint.keys()


def test_a_purge_the_edge_refuses_is_sent_again(
    articles, endpoint, admin_user, django_capture_on_commit_callbacks
):
    endpoint.failures = 2
    with django_capture_on_commit_callbacks(execute=True):
        newsroom.unpublish(Article.objects.filter(pk=articles[1].pk), admin_user)
    assert f"a{articles[1].pk}" in endpoint.keys(within=10)


def test_an_edge_that_is_gone_neither_fails_nor_slows_the_save(
    articles, settings, admin_user, django_capture_on_commit_callbacks
):
    settings.EDGE_PURGE, settings.EDGE_PURGE_URL = "varnish", "http://127.0.0.1:9/"
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        changed = newsroom.unpublish(Article.objects.filter(pk=articles[1].pk), admin_user)
    assert changed == 1
    assert time.monotonic() - started < 1
    assert Article.objects.get(pk=articles[1].pk).status == Article.Status.DRAFT


def test_nothing_is_sent_without_an_edge(articles, settings, admin_user, monkeypatch):
    assert settings.EDGE_PURGE == "none"
    monkeypatch.setattr(edge, "send_purge", pytest.fail)
    newsroom.unpublish(Article.objects.filter(pk=articles[1].pk), admin_user)


def test_purge_edge_purges_every_page_after_a_deploy(endpoint):
    call_command("purge_edge")
    assert endpoint.keys(within=2) == {"site"}


def test_purge_edge_says_so_without_an_edge(settings):
    settings.EDGE_PURGE = "none"
    with pytest.raises(CommandError, match="EDGE_PURGE is none"):
        call_command("purge_edge")


def test_cloudflare_gets_the_keys_as_json_tags_thirty_a_request(settings):
    received = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.headers["Authorization"], self.headers["Content-Type"], body))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.EDGE_PURGE = "cloudflare"
    settings.EDGE_PURGE_URL = f"http://127.0.0.1:{server.server_port}/zones/z/purge_cache"
    settings.EDGE_PURGE_HEADERS = [("Authorization", "Bearer geheim")]
    keys = {edge.article(pk) for pk in range(1, 46)} | {"front"}
    try:
        edge.send_purge(edge.Target.from_settings(), keys)
    finally:
        server.shutdown()
        server.server_close()
    assert [len(json.loads(body)["tags"]) for _, _, body in received] == [30, 16]
    assert {tag for *_, body in received for tag in json.loads(body)["tags"]} == keys
    assert {(auth, kind) for auth, kind, _ in received} == {("Bearer geheim", "application/json")}
