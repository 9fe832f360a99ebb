"""A real Varnish in front (deploy/varnish/, `make edge`): pages warmed through it, an article
unpublished through the admin is gone from every page that showed it within a second, and
pages that did not show it stay hits at Varnish.

Needs Debian's varnish and varnish-modules; without them these tests are skipped, and said
so. With REQUIRE_EDGE=1 (CI) they fail instead.
"""

import http.client
import os
import re
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

import pytest

from .servers import (
    MORE_NEWS,
    ROOT,
    article_action,
    article_links,
    demo_site_env,
    fetch,
    free_port,
    gunicorn,
    log_in,
    manage,
)

VARNISHD = shutil.which("varnishd")

if not VARNISHD and os.environ.get("REQUIRE_EDGE"):
    raise RuntimeError(
        "REQUIRE_EDGE is set, but Varnish is not installed: "
        "apt-get install -y varnish varnish-modules"
    )
pytestmark = pytest.mark.skipif(
    not VARNISHD,
    reason="Varnish is not installed (apt-get install -y varnish varnish-modules)",
)


@pytest.fixture(scope="module")
def edge(tmp_path_factory):
    """Yield (gunicorn's base URL, Varnish's base URL): the demo site behind Varnish."""
    edge_port = free_port()
    env = demo_site_env(
        tmp_path_factory.mktemp("edge"),
        EDGE_PURGE="varnish",
        EDGE_PURGE_URL=f"http://127.0.0.1:{edge_port}/",
    )
    # Newer news from elsewhere: Lees meer beside it is its own, not the demo's.
    manage(env, "shell", "-c", MORE_NEWS)
    with gunicorn(env, workers=2) as base:
        # Readable by Varnish's own users (varnishd drops root): not pytest's tmp_path.
        rundir = tempfile.mkdtemp(prefix="varnish-")
        os.chmod(rundir, 0o755)
        varnish = subprocess.Popen(
            [str(ROOT / "deploy/varnish/start.sh"), str(edge_port), base.rsplit(":", 1)[1]],
            env={**os.environ, "VARNISH_RUNDIR": rundir, "VARNISH_STORAGE": "malloc,64m"},
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        edge_base = f"http://127.0.0.1:{edge_port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                if varnish.poll() is not None:
                    raise RuntimeError(f"varnishd stopped: {varnish.stdout.read()}")
                try:
                    if fetch(edge_base + "/healthz")[0] == 200:
                        break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.1)
            yield base, edge_base
        finally:
            varnish.terminate()
            varnish.wait(timeout=20)
            shutil.rmtree(rundir, ignore_errors=True)


def warm(url):
    """Fetch `url` through Varnish until it is a hit; return its text."""
    for _ in range(3):
        status, headers, text = fetch(url)
        assert status == 200, url
        if headers["X-Edge-Cache"] == "HIT":
            return text
    raise AssertionError(f"{url} is never a hit at Varnish: {headers}")


def test_an_unpublished_article_is_gone_from_the_edge_within_a_second(edge):
    base, edge_base = edge
    front = warm(edge_base + "/")
    # Among the demo's own articles, and not the newest: that one tops up Lees meer.
    links = sorted(article_links(front), key=lambda url: int(url.split("/")[2].split("-")[0]))
    target = links[0]
    target_id = re.match(r"/artikel/(\d+)-", target).group(1)
    pages = {"/", "/feed/", target, *links}
    texts = {url: warm(edge_base + url) for url in pages}
    showing = {url for url, text in texts.items() if target in text}
    unrelated = {url for url in pages if url not in showing and url.startswith("/artikel/")}
    assert unrelated, "every article page shows the target: choose another"
    assert {"/", target} <= showing

    editor = log_in(base)  # at gunicorn itself; editors pass Varnish anyway
    assert article_action(editor, "unpublish", target_id) == 302
    changed = time.monotonic()
    deadline = changed + 1
    while fetch(edge_base + target)[0] != 404:
        assert time.monotonic() < deadline, "still at the edge after a second"
        time.sleep(0.02)
    for url in showing - {target}:
        status, _, text = fetch(edge_base + url)
        assert status == 200 and target not in text, url
    assert time.monotonic() - changed < 1.5
    # What did not show it was not purged.
    for url in unrelated:
        status, headers, text = fetch(edge_base + url)
        assert (status, headers["X-Edge-Cache"]) == (200, "HIT"), url
        assert text == texts[url]


def test_readers_never_see_the_edges_headers_and_editors_pass(edge):
    base, edge_base = edge
    status, headers, _ = fetch(edge_base + "/")
    assert status == 200
    for name in ("Surrogate-Key", "Surrogate-Control", "xkey"):
        assert name not in headers
    # Browsers ask again each time behind a purged edge.
    assert "max-age=0" in headers["Cache-Control"]
    editor = log_in(base)
    editor.base = edge_base
    for _ in range(2):
        status, _ = editor.request("/admin/news/article/")
        assert status == 200


def test_only_the_sites_own_servers_may_purge(edge):
    _, edge_base = edge
    warm(edge_base + "/volgen/")
    request = urllib.request.Request(
        edge_base + "/", method="PURGE", headers={"xkey-purge": "site"}
    )
    # From another address of this machine: refused, nothing purged.
    connection = http.client.HTTPConnection(
        "127.0.0.1", int(edge_base.rsplit(":", 1)[1]), source_address=("127.0.0.2", 0)
    )
    connection.request("PURGE", "/", headers={"xkey-purge": "site"})
    assert connection.getresponse().status == 403
    assert fetch(edge_base + "/volgen/")[1]["X-Edge-Cache"] == "HIT"
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert answer.status == 200
    assert fetch(edge_base + "/volgen/")[1]["X-Edge-Cache"] == "MISS"
