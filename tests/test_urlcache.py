"""The remembered reverse() answers as Django's, for each URLconf and script prefix."""

import django.urls
import pytest
from django.urls import clear_script_prefix, set_script_prefix

from news.urlcache import reverse

pytestmark = pytest.mark.django_db


def test_it_answers_as_djangos_reverse():
    for name, kwargs in [
        ("news:front", None),
        ("news:article", {"pk": 7, "slug": "een-artikel"}),
        ("news:country_feed_atom", {"slug": "marokko"}),
    ]:
        assert reverse(name, kwargs=kwargs) == django.urls.reverse(name, kwargs=kwargs)
        assert reverse(name, kwargs=kwargs) == django.urls.reverse(name, kwargs=kwargs)


def test_a_site_under_a_path_gets_its_own_answers():
    assert reverse("news:front") == "/"
    set_script_prefix("/nieuws/")
    try:
        assert reverse("news:front") == "/nieuws/"
    finally:
        clear_script_prefix()
    assert reverse("news:front") == "/"


def test_another_urlconf_gets_its_own_answers(settings):
    assert reverse("news:follow") == "/volgen/"
    settings.ROOT_URLCONF = "tests.urlcache_urls"
    assert reverse("news:follow") == "/anders/volgen/"
