import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from news.models import Article, Country, PinnedArticle

_counter = itertools.count(1)


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    # Plain static storage: the manifest only exists after collectstatic.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def country(code):
    return Country.objects.get(code=code)


def make_article(countries=(), topics=(), pins=(), **kw):
    """Create an article, published an hour ago unless told otherwise."""
    n = next(_counter)
    kw.setdefault("title", f"Artikel {n}")
    kw.setdefault("lead", f"Intro van artikel {n}.")
    kw.setdefault("body", f"Tekst van artikel {n}.")
    kw.setdefault("status", Article.Status.PUBLISHED)
    kw.setdefault("published_at", timezone.now() - timedelta(hours=1))
    kw.setdefault("country", Country.objects.get(code="MA"))
    article = Article.objects.create(**kw)
    if countries:
        article.countries.set([country(code) for code in countries])
    if topics:
        article.topics.set(list(topics))
    for position, other in enumerate(pins):
        PinnedArticle.objects.create(article=article, pinned=other, position=position)
    return article
