"""Print, as JSON, the benchmark's URLs for this database and each page's queries.

Run by bench.run in a subprocess, against the database it is about to load.
"""

import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from news.caching import bump_content_version  # noqa: E402
from news.models import Article, Topic  # noqa: E402


def queries(client, url, **headers):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers)
    assert response.status_code in (200, 304), (url, response.status_code)
    return len(captured), response


def main():
    published = Article.objects.published()
    count = published.count()
    if not count:
        json.dump({"articles": 0}, sys.stdout)
        return
    # An article from the middle of the archive, and the most used topic.
    article = published.order_by("-published_at")[count // 2]
    topic = Topic.objects.annotate(n=Count("tagged_items")).order_by("-n").first()
    urls = {
        "article": article.get_absolute_url(),
        "front": "/",
        "topic": topic.get_absolute_url(),
        "feed": "/feed/",
        "search": "/zoeken/?q=regering+droogte",
        "static": "/static/css/site.css",
    }
    client = Client(HTTP_HOST="127.0.0.1")
    result = {"articles": count, "urls": urls, "queries": {}}
    for name, url in urls.items():
        if name == "static":
            continue
        queries(client, url)  # what is kept apart from pages (tag counts) is there now
        # As after an edit: every page is stale, the rest of the cache is not.
        bump_content_version()
        uncached, response = queries(client, url)
        cached, _ = queries(client, url)
        # A page whose own content changed: no kept render either.
        bump_content_version()
        with override_settings(RENDER_CACHE_SECONDS=0):
            afresh, _ = queries(client, url)
        result["queries"][name] = {"afresh": afresh, "uncached": uncached, "cached": cached}
        if name == "feed":
            result["feed_etag"] = response["ETag"]
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
