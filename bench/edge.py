"""How many of a sample of warm pages one edit of an article makes stale: in Django's own
page cache (everywhere), and at the edge where Varnish is installed (deploy/varnish/), with
requests/s of a Varnish hit against the static file.
"""

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

# The sample: this many article pages chosen at random, and every list page named below.
ARTICLES = 2_000
LISTS = ["/", "/feed/", "/feed/atom/", "/feed/json/", "/archief/", "/volgen/"]
TAG_PAGES = 40

SAMPLE = """
import json, random
from news.models import Article, Country, Topic
random.seed(4)
ids = list(Article.objects.published().values_list("pk", flat=True))
chosen = Article.objects.filter(pk__in=random.sample(ids, min(len(ids), {articles})))
urls = [a.get_absolute_url() for a in chosen]
for model in (Country, Topic):
    urls += [t.get_absolute_url() for t in model.objects.filter(tagged_items__isnull=False)
             .distinct().order_by("pk")[:{tags}]]
print(json.dumps({{"urls": urls, "edited": chosen[0].pk, "title": chosen[0].title}}))
"""
# A correction of one article's title (saved as the newsroom saves: signals, purge after
# commit), then time for this process's purges to go out; and the title put back.
EDIT = """
import time
from news.models import Article
article = Article.objects.get(pk={pk})
article.title = {title}
article.save()
time.sleep(3)
"""


MANAGE = [sys.executable, "manage.py", "shell", "-c"]


def available():
    return shutil.which("varnishd") is not None


def fetch(url, header="X-Edge-Cache"):
    """Return (status, `header`) of a GET of `url`."""
    try:
        response = urllib.request.urlopen(url, timeout=60)
    except urllib.error.HTTPError as error:
        response = error
    with response:
        response.read()
        return response.status, response.headers.get(header)


def fetch_all(base, urls, header="X-Edge-Cache"):
    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(lambda url: fetch(base + url, header), urls))


def sample(env, root):
    """Return the sample's URLs and the article to edit, from the database in `env`."""
    script = SAMPLE.format(articles=ARTICLES, tags=TAG_PAGES)
    found = subprocess.run(
        [*MANAGE, script], cwd=root, env=env, check=True, capture_output=True, text=True
    )
    return json.loads(found.stdout.strip().splitlines()[-1])


def stale_after_one_edit(env, root, base, chosen, header, hit):
    """Warm the sample at `base`, edit one article, and return the figures of what is still
    a hit (`header` says `hit`) and what is not."""
    pages = [*LISTS, *chosen["urls"]]
    fetch_all(base, pages, header)
    warm = [url for url, (status, cache) in zip(pages, fetch_all(base, pages, header), strict=True)
            if status == 200 and cache == hit]  # fmt: skip
    title = chosen["title"]
    corrected = repr(title + " (gecorrigeerd)")
    subprocess.run([*MANAGE, EDIT.format(pk=chosen["edited"], title=corrected)],
                   cwd=root, env=env, check=True, capture_output=True)  # fmt: skip
    after = fetch_all(base, warm, header)
    stale = [url for url, (_, cache) in zip(warm, after, strict=True) if cache != hit]
    subprocess.run([*MANAGE, EDIT.format(pk=chosen["edited"], title=repr(title))],
                   cwd=root, env=env, check=True, capture_output=True)  # fmt: skip
    return {
        "warm_pages": len(warm),
        "stale_after_one_edit": len(stale),
        "still_warm_share": (len(warm) - len(stale)) / len(warm) if warm else None,
        "stale_pages": stale[:50],
    }


def page_cache(env, root, start_server, args):
    """Return the stale-after-one-edit figures of Django's own page cache (no edge)."""
    base, server = start_server(env, args.workers)
    try:
        return stale_after_one_edit(env, root, base, sample(env, root), "X-Page-Cache", "hit")
    finally:
        server.terminate()
        server.wait(timeout=30)


def varnish(port, backend_port, root):
    # Readable by Varnish's own users (varnishd drops root).
    rundir = tempfile.mkdtemp(prefix="varnish-bench-")
    os.chmod(rundir, 0o755)
    process = subprocess.Popen(
        [str(root / "deploy/varnish/start.sh"), str(port), str(backend_port)],
        env={**os.environ, "VARNISH_RUNDIR": rundir, "VARNISH_STORAGE": "malloc,1g"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if fetch(f"http://127.0.0.1:{port}/healthz")[0] == 200:
                return process, rundir
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("Varnish did not start")


def measure(env, root, start_server, free_port, wrk, urls, headers, args):
    """Return the edge figures for the database in `env`: `urls` are the probe's."""
    port = free_port()
    env = {**env, "EDGE_PURGE": "varnish", "EDGE_PURGE_URL": f"http://127.0.0.1:{port}/"}
    base, server = start_server(env, args.workers)
    process, rundir = varnish(port, base.rsplit(":", 1)[1], root)
    edge = f"http://127.0.0.1:{port}"
    try:
        stale = stale_after_one_edit(env, root, edge, sample(env, root), "X-Edge-Cache", "HIT")
        hits, statics = [], []
        for _ in range(args.rounds):
            static = wrk(base + urls["static"], headers, args.duration, args.connections)
            hit = wrk(edge + urls["article"], headers, args.duration, args.connections)
            statics.append(static["rps"])
            hits.append(hit["rps"])
    finally:
        process.terminate()
        server.terminate()
        process.wait(timeout=30)
        server.wait(timeout=30)
        shutil.rmtree(rundir, ignore_errors=True)
    ratios = [hit / static for hit, static in zip(hits, statics, strict=True)]
    return {
        "hit_rps": statistics.median(hits),
        "hit_vs_static": statistics.median(ratios),
        "hit_vs_static_min": min(ratios),
        "hit_vs_static_max": max(ratios),
        **stale,
    }
