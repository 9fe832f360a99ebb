"""When the cache or the database goes away: readers get pages or a Dutch 503, never a 500,
editors' saves go through, and once the cache answers again no stale page is served.

Real servers: gunicorn workers, a Redis started (and stopped) by the test on its own port,
and a SQLite database whose file disappears.
"""

import os
import shutil
import signal
import subprocess
import time

import pytest

from .servers import (
    Browser,
    article_action,
    demo_site_env,
    first_article,
    free_port,
    gunicorn,
    log_in,
)

pytestmark = pytest.mark.skipif(
    shutil.which("redis-server") is None, reason="needs redis-server (apt-get install redis)"
)


def timed(reader, path):
    started = time.monotonic()
    status, html = reader.request(path)
    return status, html, time.monotonic() - started


@pytest.fixture
def redis_server(tmp_path):
    port = free_port()
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 10
    while subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True).stdout != (
        b"PONG\n"
    ):
        assert time.monotonic() < deadline, "redis-server did not start"
        time.sleep(0.1)
    yield process, f"redis://127.0.0.1:{port}/0"
    if process.poll() is None:
        os.kill(process.pid, signal.SIGCONT)
        process.terminate()
        process.wait(timeout=10)


def test_a_cache_that_hangs_or_stops_costs_readers_speed_not_pages(tmp_path, redis_server):
    redis, url = redis_server
    env = demo_site_env(tmp_path, REDIS_URL=url, DJANGO_CONN_MAX_AGE="0")
    with gunicorn(env, workers=2) as base:
        reader = Browser(base)
        article, article_id = first_article(reader)
        assert {reader.request(article)[0] for _ in range(20)} == {200}  # cached everywhere
        editor = log_in(base)

        # Redis hangs (SIGSTOP): every request still answers, from the database, quickly.
        os.kill(redis.pid, signal.SIGSTOP)
        for path in ("/", article, "/land/marokko/", "/onderwerp/defensie/", "/archief/",
                     "/zoeken/?q=Marokko", "/feed/", "/feed/atom/", "/feed/json/"):  # fmt: skip
            status, _, seconds = timed(reader, path)
            assert status == 200 and seconds < 3, (path, status, seconds)
        assert reader.request("/healthz")[0] == 503
        # An editor's save goes through; readers see it at once.
        assert article_action(editor, "unpublish", article_id) == 302
        assert {reader.request(article)[0] for _ in range(10)} == {404}

        # Redis answers again, with the pages cached before the change still in it: none
        # of them may be served (the bump that could not be written is made now).
        os.kill(redis.pid, signal.SIGCONT)
        time.sleep(3.5)
        answers = [reader.request(article)[0] for _ in range(30)]
        assert answers.count(200) == 0, f"{answers.count(200)} stale answers after recovery"
        assert reader.request("/healthz")[0] == 200

        # Redis stops for good: still pages, never a 500.
        redis.terminate()
        redis.wait(timeout=10)
        for path in ("/", "/land/marokko/", "/feed/", "/zoeken/?q=Marokko"):
            assert reader.request(path)[0] == 200, path
        assert reader.request("/healthz")[0] == 503


def test_when_the_database_goes_away_cached_pages_stay_and_the_rest_is_a_dutch_503(tmp_path):
    env = demo_site_env(tmp_path, DJANGO_CONN_MAX_AGE="0")
    database = tmp_path / "db.sqlite3"
    with gunicorn(env, workers=2) as base:
        reader = Browser(base)
        article, _ = first_article(reader)
        for _ in range(10):  # every worker has the front page and the article cached
            assert reader.request("/")[0] == 200 and reader.request(article)[0] == 200

        moved = tmp_path / "weg"
        moved.mkdir()
        for path in tmp_path.glob("db.sqlite3*"):
            path.rename(moved / path.name)
        database.mkdir()  # SQLite cannot open a folder: the database is gone
        try:
            assert reader.request("/")[0] == 200
            assert reader.request(article)[0] == 200
            for path in ("/zoeken/?q=Marokko", "/land/spanje/feed/", "/archief/2014/"):
                request = Browser(base)
                status, html = request.request(path)
                assert status == 503, (path, status)
                assert "Even niet bereikbaar" in html
            response = Browser.opener_without_redirects()
            try:
                response.open(base + "/zoeken/?q=x", timeout=10)
            except Exception as error:  # urllib raises for a 503
                assert error.code == 503 and error.headers["Retry-After"] == "60"
            assert reader.request("/healthz")[0] == 503
        finally:
            database.rmdir()
            for path in moved.iterdir():
                path.rename(tmp_path / path.name)
        assert reader.request("/zoeken/?q=Marokko")[0] == 200
