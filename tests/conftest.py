import itertools
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
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
    # The test client speaks plain http; production redirects it to https.
    settings.SECURE_SSL_REDIRECT = False
    # Each test starts with an empty page cache: their databases are rolled back.
    cache.clear()


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


@pytest.fixture
def writer(django_user_model):
    user = django_user_model.objects.create_user("schrijver", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="Redacteur"))
    return user


@pytest.fixture
def final_editor(django_user_model):
    user = django_user_model.objects.create_user("eind", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="Eindredacteur"))
    return user


def form_data(article=None, **overrides):
    data = {
        "title": "Een nieuw stuk",
        "slug": "een-nieuw-stuk",
        "lead": "De intro.",
        "body": "De tekst.",
        "status": "published",
        "published_at_0": "",
        "published_at_1": "",
        "unpublish_at_0": "",
        "unpublish_at_1": "",
        "country": Country.objects.get(code="MA").pk,
        "countries": [Country.objects.get(code="MA").pk],
        "topics": "defensie",
        "byline": "",
        "source": "",
        "pins-TOTAL_FORMS": "0",
        "pins-INITIAL_FORMS": "0",
        "pins-MIN_NUM_FORMS": "0",
        "pins-MAX_NUM_FORMS": "1000",
    }
    if article is not None:
        data.update(
            title=article.title, slug=article.slug, lead=article.lead, body=article.body,
            opened_version=article.version,
        )  # fmt: skip
    data.update(overrides)
    return data


def change_url(article):
    return f"/admin/news/article/{article.pk}/change/"
