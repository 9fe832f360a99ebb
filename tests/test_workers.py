"""One machine, several gunicorn workers, the embedded defaults (SQLite and the file cache):
what one worker changes, every worker serves at once, and only the pages that showed it are
rendered again; two saves at once never lock up."""

import re
import threading
import urllib.error
import urllib.request

import pytest

from .servers import (
    MORE_NEWS,
    Browser,
    article_action,
    article_links,
    demo_site_env,
    fetch,
    first_article,
    form_fields,
    gunicorn,
    log_in,
    manage,
    server_env,
)


@pytest.fixture
def site(tmp_path):
    """`make serve` on SQLite and the default cache, four workers, the demo loaded."""
    with gunicorn(demo_site_env(tmp_path), workers=4) as base:
        yield base


def test_an_unpublished_article_is_gone_from_every_worker_at_once(site):
    reader = Browser(site)
    url, article_id = first_article(reader)
    # Enough requests that every worker has served (and cached) the article.
    assert {reader.request(url)[0] for _ in range(40)} == {200}

    assert article_action(log_in(site), "unpublish", article_id) == 302
    answers = [reader.request(url)[0] for _ in range(40)]
    assert answers.count(200) == 0, f"{answers.count(200)} of 40 answers were stale"


def test_an_edit_leaves_every_worker_serving_the_kept_pages_that_did_not_show_it(tmp_path):
    env = demo_site_env(tmp_path)
    manage(env, "shell", "-c", MORE_NEWS)
    with gunicorn(env, workers=4) as base:
        front = fetch(base + "/")[2]
        # The oldest of the demo's articles on the front page: not among the latest.
        target = min(article_links(front), key=lambda url: int(url.split("/")[2].split("-")[0]))
        pages = {"/", "/feed/", "/volgen/", *article_links(front)}
        texts = {}
        for url in pages:
            fetch(base + url)
            status, headers, texts[url] = fetch(base + url)
            assert (status, headers["X-Page-Cache"]) == (200, "hit"), url
        showing = {url for url, text in texts.items() if target in text}
        unrelated = pages - showing - {"/volgen/"}
        assert unrelated and "/" in showing

        target_id = re.match(r"/artikel/(\d+)-", target).group(1)
        assert article_action(log_in(base), "unpublish", target_id) == 302

        # Several requests for each page: each worker answers some.
        for url in showing - {target}:
            for _ in range(8):
                status, _, text = fetch(base + url)
                assert status == 200 and target not in text, url
        assert {fetch(base + target)[0] for _ in range(8)} == {404}
        for url in unrelated:
            for _ in range(8):
                status, headers, text = fetch(base + url)
                assert (status, headers["X-Page-Cache"]) == (200, "hit"), url
                assert text == texts[url]


def test_simultaneous_saves_of_one_article_get_the_conflict_message_not_a_lock(site):
    editor = log_in(site)
    front = Browser(site).request("/")[1]
    article_id = re.findall(r'<a href="/artikel/(\d+)-', front)[-1]  # one without pins
    change = f"/admin/news/article/{article_id}/change/"
    fields = form_fields(editor.request(change)[1], "article_form")
    assert ("opened_version", fields and dict(fields)["opened_version"]) in fields

    answers = []
    start = threading.Barrier(6)

    def save(i):
        data = [(k, f"Versie {i}" if k == "title" else v) for k, v in fields] + [("_save", "1")]
        start.wait()
        answers.append(editor.request(change, data))

    threads = [threading.Thread(target=save, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    statuses = sorted(status for status, _ in answers)
    assert statuses == [200] * 5 + [302], statuses
    for status, html in answers:
        if status == 200:
            assert "Dit artikel is intussen opgeslagen door" in html


@pytest.mark.parametrize("behind_proxy, answer", [("0", 301), ("1", 200)])
def test_gunicorn_believes_x_forwarded_proto_only_behind_a_proxy(tmp_path, behind_proxy, answer):
    env = server_env(DJANGO_VAR_DIR=str(tmp_path), DJANGO_BEHIND_PROXY=behind_proxy)
    env["DJANGO_SECURE_SSL_REDIRECT"] = "1"
    for name in ("DATABASE_URL", "REDIS_URL"):
        env.pop(name, None)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    with gunicorn(env, workers=1) as base:
        request = urllib.request.Request(base + "/", headers={"X-Forwarded-Proto": "https"})
        try:
            status = Browser.opener_without_redirects().open(request, timeout=10).status
        except urllib.error.HTTPError as error:
            status = error.code
    # Not behind a proxy, a client on this machine cannot claim https (http is redirected).
    assert status == answer
